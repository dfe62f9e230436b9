//! The one report writer interface: a report begins, takes each result as the evaluation hands
//! it over, and ends, over any `io::Write`. Streamed formats (jsonl, csv, sarif) write each
//! result as it comes; whole-document formats (the table's matrix, markdown, html, xlsx, json,
//! junit, github) keep the results and write once at the end. Sanitising is the writer's job:
//! a command never cleans, escapes or sanitises a report itself.
//!
//! The other commands' reports (a brief, questions, a diff, an explanation, a refresh, rule
//! test runs, `check --format json`) go through the same interface with their own kind of
//! result: [`document`] renders each result as it comes, through the sanitizer when a person
//! reads the format.

use super::{Style, sanitize};
use crate::diag::Diagnostic;
use crate::outcome::{Evaluation, OfferingResult};
use std::io::{self, Write};

/// The formats of `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The verdict matrix and findings, for the terminal
    Table,
    /// The stable machine contract
    Json,
    /// One result object of the JSON contract per line, written as each offering is evaluated
    Jsonl,
    /// GitHub-flavoured Markdown, for a ticket or a wiki
    Markdown,
    /// One self-contained page to read or print
    Html,
    /// One row per finding (RFC 4180)
    Csv,
    /// A workbook: Summary, Findings, Passed, Evidence (needs --output or a redirect)
    Xlsx,
    /// SARIF 2.1.0, for code scanning (one result per finding that is not a pass)
    Sarif,
    /// JUnit XML: a test case per offering, classification and rule
    Junit,
    /// GitHub Actions workflow annotations (::error file=...,line=...::message)
    Github,
}

impl Format {
    /// Whether the format writes each result as it comes (nothing in it depends on the results
    /// still to come), so that memory does not grow with the portfolio.
    pub fn streams(self) -> bool {
        matches!(self, Format::Jsonl | Format::Csv | Format::Sarif)
    }
}

/// What a report knows before its first result.
pub struct Head {
    pub policy: String,
    pub organization: String,
    pub generated: String,
    pub today: String,
    pub classifications: Vec<String>,
    /// The ids of the rules the run applies, in order (SARIF lists them before any result).
    pub rules: Vec<String>,
    /// Each rule's framework references (rules with none left out).
    pub rule_refs: std::collections::BTreeMap<String, std::sync::Arc<[String]>>,
}

/// How the human formats look, and the CSV's byte order mark.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub style: Style,
    pub bom: bool,
    /// The version of the JSON contract `json` and `jsonl` are written in.
    pub json_schema: super::json::SchemaVersion,
}

/// Why a report could not be written.
#[derive(Debug)]
pub enum Error {
    /// The destination refused the bytes.
    Io(io::Error),
    /// The report cannot be made (a workbook past Excel's row limit, a profile of a streamed
    /// run that does not load): what to do instead.
    Invalid(Vec<Diagnostic>),
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

/// One report being written, of results of type `R` (an evaluation's results by default).
pub trait ReportWriter<R = OfferingResult> {
    /// One result, in output order.
    fn result(&mut self, result: R) -> Result<(), Error>;
    /// One offering's results already rendered in the report's format (a jsonl line of
    /// contract version 3, `evaluation::rendered`), in output order. Only jsonl takes them.
    fn rendered(&mut self, _bytes: &[u8]) -> Result<(), Error> {
        Err(Error::Io(io::Error::other(
            "this format is written from results, not from rendered lines",
        )))
    }
    /// Ends the report with the run's warnings (shown by the formats that have a place for
    /// them; the streamed formats hold results only).
    fn end(self: Box<Self>, warnings: Vec<Diagnostic>) -> Result<(), Error>;
}

/// Begins a report of `format` on `out`.
pub fn begin<'w>(
    format: Format,
    options: &Options,
    head: Head,
    out: &'w mut dyn Write,
) -> io::Result<Box<dyn ReportWriter + 'w>> {
    Ok(match format {
        Format::Jsonl => Box::new(Jsonl {
            out,
            version: options.json_schema,
            offering: Vec::new(),
        }),
        Format::Csv => Box::new(Csv(super::csv::Writer::start(out, options.bom)?)),
        Format::Sarif => Box::new(Sarif(super::sarif::Writer::start(
            out,
            head.rules,
            &head.rule_refs,
        )?)),
        Format::Xlsx => Box::new(Workbook {
            rows: super::xlsx::Rows::default(),
            whole: Whole {
                format,
                options: options.clone(),
                head,
                results: Vec::new(),
                out,
            },
        }),
        _ => Box::new(Whole {
            format,
            options: options.clone(),
            head,
            results: Vec::new(),
            out,
        }),
    })
}

/// Version 3 writes a line per offering: an offering's results (which come one after the
/// other) are kept until the next offering's first, or the end.
struct Jsonl<'w> {
    out: &'w mut dyn Write,
    version: super::json::SchemaVersion,
    offering: Vec<OfferingResult>,
}

impl ReportWriter for Jsonl<'_> {
    fn result(&mut self, result: OfferingResult) -> Result<(), Error> {
        if self.version != super::json::SchemaVersion::V3 {
            return Ok(super::jsonl::write_result(self.out, &result, self.version)?);
        }
        if let Some(last) = self.offering.last()
            && !super::json::same_offering(last, &result)
        {
            super::jsonl::write_offering(self.out, &self.offering)?;
            self.offering.clear();
        }
        self.offering.push(result);
        Ok(())
    }

    fn rendered(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if self.version != super::json::SchemaVersion::V3 {
            return Err(Error::Io(io::Error::other(
                "a rendered line is of contract version 3",
            )));
        }
        super::jsonl::write_offering(self.out, &self.offering)?;
        self.offering.clear();
        Ok(self.out.write_all(bytes)?)
    }

    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        Ok(super::jsonl::write_offering(self.out, &self.offering)?)
    }
}

struct Csv<'w>(super::csv::Writer<'w>);

impl ReportWriter for Csv<'_> {
    /// A CSV is read in a spreadsheet or a terminal: its cells are cleaned.
    fn result(&mut self, mut result: OfferingResult) -> Result<(), Error> {
        sanitize::clean_result(&mut result);
        Ok(self.0.write_result(&result)?)
    }

    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        Ok(self.0.finish()?)
    }
}

struct Sarif<'w>(super::sarif::Writer<'w>);

impl ReportWriter for Sarif<'_> {
    fn result(&mut self, result: OfferingResult) -> Result<(), Error> {
        Ok(self.0.write_result(&result)?)
    }

    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        Ok(self.0.finish()?)
    }
}

/// A format that must see every result before it writes: it keeps them, and renders the whole
/// evaluation at the end.
struct Whole<'w> {
    format: Format,
    options: Options,
    head: Head,
    results: Vec<OfferingResult>,
    out: &'w mut dyn Write,
}

impl ReportWriter for Whole<'_> {
    fn result(&mut self, result: OfferingResult) -> Result<(), Error> {
        self.results.push(result);
        Ok(())
    }

    fn end(self: Box<Self>, warnings: Vec<Diagnostic>) -> Result<(), Error> {
        let Whole {
            format,
            options,
            head,
            results,
            out,
        } = *self;
        let eval = Evaluation {
            policy: head.policy,
            organization: head.organization,
            generated: head.generated,
            today: head.today,
            classifications: head.classifications,
            rules: head.rules,
            rule_refs: head.rule_refs,
            results,
            warnings,
        };
        write_whole(format, &eval, &options, out)
    }
}

/// A workbook: kept whole like [`Whole`], but its sheets' rows are counted as results come, so
/// that a review a sheet cannot hold stops there rather than after the whole evaluation.
struct Workbook<'w> {
    rows: super::xlsx::Rows,
    whole: Whole<'w>,
}

impl ReportWriter for Workbook<'_> {
    fn result(&mut self, result: OfferingResult) -> Result<(), Error> {
        if let Err(e) = self.rows.add(&result) {
            let mut d = xlsx_problem(e);
            d.message = format!(
                "{} (the evaluation stopped at its result {}, {}/{} at {}; nothing was written)",
                d.message,
                self.whole.results.len() + 1,
                result.vendor,
                result.offering,
                result.classification
            );
            return Err(Error::Invalid(vec![d]));
        }
        self.whole.result(result)
    }

    fn end(self: Box<Self>, warnings: Vec<Diagnostic>) -> Result<(), Error> {
        Box::new(self.whole).end(warnings)
    }
}

/// Writes a whole evaluation in `format`; the human formats through the sanitizer.
fn write_whole(
    format: Format,
    eval: &Evaluation,
    options: &Options,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let style = &options.style;
    match format {
        Format::Json => out.write_all(
            &super::json::render(eval, options.json_schema).map_err(|d| Error::Invalid(vec![d]))?,
        )?,
        // The table cleans its content rather than its output, which carries its own colours.
        Format::Table => out.write_all(&super::table::render(eval, style))?,
        Format::Markdown => out.write_all(&sanitize::clean_bytes(&super::markdown::render(
            eval, style,
        )))?,
        Format::Html => out.write_all(&sanitize::clean_html_bytes(&super::html::render(
            eval, style,
        )))?,
        Format::Xlsx => out.write_all(&xlsx(eval)?)?,
        // Test reports are shown in CI pages: cleaned before the XML escapes.
        Format::Junit => super::junit::render(&sanitize::clean_evaluation(eval), out)?,
        // Annotations are shown in CI logs, which interpret escape sequences.
        Format::Github => {
            let mut clean = sanitize::Sanitizer::new(out);
            super::github::render(eval, &mut clean)?;
            clean.finish()?;
        }
        Format::Jsonl => super::jsonl::write_all(out, &eval.results, options.json_schema)?,
        Format::Csv => super::csv::render(&sanitize::clean_evaluation(eval), options.bom, out)?,
        Format::Sarif => super::sarif::render(eval, out)?,
    }
    Ok(())
}

/// Who reads a format: a person (text, Markdown, HTML, JUnit shown in CI pages), whose output
/// passes through the sanitizer; a program reading JSON, which gets the data as it is with
/// bidi marks written as `\uXXXX` escapes (the serializers escape control characters); or a
/// program reading other data (CSV cells, a workbook), written as rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Person,
    /// A person reading an HTML page: cleaned as for `Person`, with bidi marks shown as
    /// escaped text.
    Page,
    Json,
    /// JSON too large to keep whole (`check`'s diagnostics of a large portfolio): written as
    /// it is rendered, with the same escapes as `Json`.
    JsonStream,
    Program,
}

/// Begins a report whose results `render` writes one by one, as they come: a one-result
/// report (a brief, a diff) is the whole document; a run (rule tests) streams its lines.
pub fn document<'w, R, F>(
    reader: Reader,
    out: &'w mut dyn Write,
    render: F,
) -> Box<dyn ReportWriter<R> + 'w>
where
    R: 'w,
    F: FnMut(&mut dyn Write, R) -> Result<(), Error> + 'w,
{
    let out = match reader {
        Reader::Person => Dest::Clean(sanitize::Sanitizer::new(out)),
        Reader::Page => Dest::Clean(sanitize::Sanitizer::html(out)),
        Reader::Json => Dest::Json(Vec::new(), out),
        Reader::JsonStream => Dest::Clean(sanitize::Sanitizer::json(out)),
        Reader::Program => Dest::Raw(out),
    };
    Box::new(Rendered { out, render })
}

/// Writes a report of one result (see [`document`]).
pub fn write_one<R, F>(
    reader: Reader,
    out: &mut dyn Write,
    render: F,
    result: R,
) -> Result<(), Error>
where
    F: FnMut(&mut dyn Write, R) -> Result<(), Error>,
{
    let mut report = document(reader, out, render);
    report.result(result)?;
    report.end(Vec::new())
}

enum Dest<'w> {
    Clean(sanitize::Sanitizer<&'w mut dyn Write>),
    Raw(&'w mut dyn Write),
    /// JSON is kept whole, then written with its bidi marks escaped.
    Json(Vec<u8>, &'w mut dyn Write),
}

struct Rendered<'w, F> {
    out: Dest<'w>,
    render: F,
}

impl<R, F> ReportWriter<R> for Rendered<'_, F>
where
    F: FnMut(&mut dyn Write, R) -> Result<(), Error>,
{
    fn result(&mut self, result: R) -> Result<(), Error> {
        match &mut self.out {
            Dest::Clean(clean) => (self.render)(clean, result)?,
            Dest::Raw(raw) => (self.render)(*raw, result)?,
            Dest::Json(kept, _) => (self.render)(kept, result)?,
        }
        Ok(())
    }

    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        match self.out {
            Dest::Clean(clean) => clean.finish()?.flush()?,
            Dest::Raw(raw) => raw.flush()?,
            Dest::Json(kept, out) => {
                out.write_all(sanitize::json_text(&String::from_utf8_lossy(&kept)).as_bytes())?;
                out.flush()?
            }
        }
        Ok(())
    }
}

fn xlsx(eval: &Evaluation) -> Result<Vec<u8>, Error> {
    super::xlsx::render(eval).map_err(|e| Error::Invalid(vec![xlsx_problem(e)]))
}

fn xlsx_problem(e: super::xlsx::Error) -> Diagnostic {
    match e {
        super::xlsx::Error::TooManyRows { sheet, rows } => Diagnostic::error(format!(
            "the workbook's {sheet} sheet would need {rows} rows or more; a sheet holds at most {} (Excel's limit)",
            super::xlsx::max_rows()
        ))
        .hint("narrow the review (VENDOR[/OFFERING]..., --class) or use --format csv or json"),
        super::xlsx::Error::Xlsx(e) => Diagnostic::error(format!("cannot build the workbook: {e}"))
            .hint("this is a bug in diligence: please report it with the workspace"),
    }
}
