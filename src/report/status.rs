//! `status` reports: the register against today, one row per decision in force (and per
//! offering never decided), on the one report writer interface ([`ReportWriter`] of [`Row`]s).
//! Streaming formats (jsonl, json, csv, markdown, github) write each row as it comes; table,
//! html, xlsx and sarif (in `status_doc`) see every row first. The formats a person reads are
//! sanitised here, never by the command.

use super::csv::neutralise;
use super::github::{escape_data, escape_property};
use super::markdown::escape as md;
use super::sanitize::{self, Sanitizer};
use super::status_doc;
pub use super::status_rows::Header;
use super::status_rows::{COLUMNS, cells, details};
use super::writer::{Error, ReportWriter};
use crate::decisions::status::Row;
use crate::diag::Diagnostic;
use std::io::{self, Write};

/// The formats of `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For the terminal: one line per decision, then what needs attention
    Table,
    /// One document: {"today", "generated", "offerings": [...]}
    Json,
    /// One row object per line
    Jsonl,
    /// A table and what needs attention, for an issue or a wiki
    Markdown,
    /// One self-contained page
    Html,
    /// One row per decision (RFC 4180)
    Csv,
    /// A workbook with one sheet (needs --output or a redirect)
    Xlsx,
    /// SARIF 2.1.0: a result per drift, overdue or due item, on the decision's line
    Sarif,
    /// GitHub Actions workflow annotations on the decision's line
    Github,
}

/// Begins a status report of `format` on `out`.
pub fn begin<'w>(
    format: Format,
    head: Header,
    out: &'w mut dyn Write,
) -> io::Result<Box<dyn ReportWriter<Row> + 'w>> {
    Ok(match format {
        Format::Jsonl => Box::new(Jsonl { out }),
        Format::Json => Box::new(Json::start(out, &head)?),
        Format::Csv => Box::new(Csv::start(out)?),
        Format::Markdown => Box::new(Markdown::start(Sanitizer::new(out), &head)?),
        Format::Github => Box::new(Github {
            out: Sanitizer::new(out),
        }),
        Format::Table | Format::Html | Format::Xlsx | Format::Sarif => Box::new(Whole {
            format,
            head,
            rows: Vec::new(),
            out,
        }),
    })
}

struct Jsonl<'w> {
    out: &'w mut dyn Write,
}

/// A row as JSON with its bidi marks escaped (see [`sanitize::json_text`]).
fn json_row(out: &mut dyn Write, r: &Row) -> io::Result<()> {
    let text = serde_json::to_string(r).map_err(io::Error::from)?;
    out.write_all(sanitize::json_text(&text).as_bytes())
}

impl ReportWriter<Row> for Jsonl<'_> {
    fn result(&mut self, r: Row) -> Result<(), Error> {
        json_row(self.out, &r)?;
        Ok(self.out.write_all(b"\n")?)
    }
    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        Ok(())
    }
}

/// `{"today": ..., "generated": ..., "offerings": [...]}`, written row by row.
struct Json<'w> {
    out: &'w mut dyn Write,
    first: bool,
}

impl<'w> Json<'w> {
    fn start(out: &'w mut dyn Write, h: &Header) -> io::Result<Json<'w>> {
        write!(
            out,
            "{{\"today\": {}, \"generated\": {}, \"offerings\": [",
            serde_json::Value::from(h.today.as_str()),
            serde_json::Value::from(h.generated.as_str())
        )?;
        Ok(Json { out, first: true })
    }
}

impl ReportWriter<Row> for Json<'_> {
    fn result(&mut self, r: Row) -> Result<(), Error> {
        self.out
            .write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        Ok(json_row(self.out, &r)?)
    }
    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        Ok(self.out.write_all(b"\n]}\n")?)
    }
}

struct Csv<'w> {
    csv: ::csv::Writer<&'w mut dyn Write>,
}

impl<'w> Csv<'w> {
    fn start(out: &'w mut dyn Write) -> io::Result<Csv<'w>> {
        let mut csv = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(out);
        csv.write_record(COLUMNS)?;
        Ok(Csv { csv })
    }
}

impl ReportWriter<Row> for Csv<'_> {
    /// A CSV is read in a spreadsheet or a terminal: its cells are cleaned.
    fn result(&mut self, r: Row) -> Result<(), Error> {
        let c = cells(&r);
        self.csv
            .write_record(
                c.iter()
                    .map(|c| neutralise(&sanitize::clean(c)).into_owned()),
            )
            .map_err(io::Error::from)?;
        Ok(())
    }
    fn end(mut self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        Ok(self.csv.flush()?)
    }
}

/// The sanitised destination of a format a person reads.
type Clean<'w> = Sanitizer<&'w mut dyn Write>;

/// For an issue or a wiki page: one table, then what needs attention, offering by offering.
struct Markdown<'w> {
    out: Clean<'w>,
    /// The attention section, written after the table (rows needing nothing add nothing).
    attention: Vec<String>,
}

impl<'w> Markdown<'w> {
    fn start(mut out: Clean<'w>, h: &Header) -> io::Result<Markdown<'w>> {
        writeln!(out, "# Decisions: status on {}\n", md(&h.today))?;
        writeln!(
            out,
            "| Offering | Coverage | Decision | By | Verdict then | Verdict now | Review by | Status |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|---|")?;
        Ok(Markdown {
            out,
            attention: Vec::new(),
        })
    }
}

impl ReportWriter<Row> for Markdown<'_> {
    fn result(&mut self, r: Row) -> Result<(), Error> {
        let c = cells(&r);
        let decided = if c[3].is_empty() {
            "undecided".to_string()
        } else {
            format!("{} ({})", c[3], c[4])
        };
        writeln!(
            self.out,
            "| {}/{} | {} | {} | {} | {} | {} | {} | **{}** |",
            md(&c[0]),
            md(&c[1]),
            md(&c[2]),
            md(&decided),
            md(&c[5]),
            md(&c[7]),
            md(&c[8]),
            md(&c[9]),
            md(&c[15])
        )?;
        let lines = details(&r);
        if !lines.is_empty() {
            let mut s = format!(
                "### {}/{} ({})\n\n",
                md(&r.vendor),
                md(&r.offering),
                md(&c[2])
            );
            for l in lines {
                s.push_str(&format!("- {}\n", md(&l)));
            }
            if self.attention.len() < 10_000 {
                self.attention.push(s);
            }
        }
        Ok(())
    }
    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        let Markdown { mut out, attention } = *self;
        if attention.is_empty() {
            writeln!(out, "\nNothing needs attention.")?;
        } else {
            writeln!(out, "\n## What needs attention\n")?;
            for s in &attention {
                writeln!(out, "{s}")?;
            }
        }
        out.finish()?;
        Ok(())
    }
}

/// GitHub Actions annotations on the decision's line: an error for drift or anything overdue,
/// a warning for what is due.
struct Github<'w> {
    out: Clean<'w>,
}

impl ReportWriter<Row> for Github<'_> {
    fn result(&mut self, r: Row) -> Result<(), Error> {
        let Some(at) = &r.at else { return Ok(()) };
        let mut parts = at.rsplitn(3, ':');
        let (col, line, file) = (parts.next(), parts.next(), parts.next());
        let place = match (file, line, col) {
            (Some(f), Some(l), Some(c)) => format!("file={},line={l},col={c}", escape_property(f)),
            _ => format!("file={}", escape_property(at)),
        };
        let title = format!("{}/{} {}", r.vendor, r.offering, r.coverage());
        for line in details(&r) {
            let command = if line.starts_with("drift")
                || line.contains("OVERDUE")
                || line.contains("expired")
            {
                "error"
            } else if line.starts_with("approved over") {
                "notice"
            } else {
                "warning"
            };
            writeln!(
                self.out,
                "::{command} {place},title={}::{}",
                escape_property(&title),
                escape_data(&line)
            )?;
        }
        Ok(())
    }
    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        self.out.finish()?;
        Ok(())
    }
}

/// A format that must see every row before it writes: it keeps them, and renders the whole
/// report at the end.
struct Whole<'w> {
    format: Format,
    head: Header,
    rows: Vec<Row>,
    out: &'w mut dyn Write,
}

impl ReportWriter<Row> for Whole<'_> {
    fn result(&mut self, r: Row) -> Result<(), Error> {
        self.rows.push(r);
        Ok(())
    }

    fn end(self: Box<Self>, _: Vec<Diagnostic>) -> Result<(), Error> {
        let Whole {
            format,
            head,
            rows,
            out,
        } = *self;
        match format {
            Format::Table => {
                let mut clean = Sanitizer::new(out);
                table(&rows, &head, &mut clean)?;
                clean.finish()?;
            }
            Format::Html => {
                let mut clean = Sanitizer::html(out);
                clean.write_all(&status_doc::html(&rows, &head))?;
                clean.finish()?;
            }
            Format::Xlsx => out.write_all(&status_doc::xlsx(&rows, &head).map_err(|e| {
                Error::Invalid(vec![
                    Diagnostic::error(format!("cannot build the workbook: {e}"))
                        .hint("this is a bug in diligence: please report it with the workspace"),
                ])
            })?)?,
            _ => out.write_all(&status_doc::sarif(&rows, &head))?,
        }
        Ok(())
    }
}

/// The terminal table: one line per row, then the details of the rows that need attention.
fn table(rows: &[Row], h: &Header, out: &mut dyn Write) -> io::Result<()> {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header([
        "offering",
        "coverage",
        "decision",
        "by",
        "then",
        "now",
        "review by",
        "status",
    ]);
    for r in rows {
        let c = cells(r);
        let decided = if c[3].is_empty() {
            "undecided".to_string()
        } else {
            format!("{} {}", c[3], c[4])
        };
        t.add_row([
            format!("{}/{}", c[0], c[1]),
            c[2].clone(),
            decided,
            c[5].clone(),
            c[7].clone(),
            c[8].clone(),
            c[9].clone(),
            c[15].clone(),
        ]);
    }
    writeln!(out, "decisions as of {}", h.today)?;
    writeln!(out, "{t}")?;
    for r in rows {
        let lines = details(r);
        if lines.is_empty() {
            continue;
        }
        writeln!(out, "\n{}/{} ({}):", r.vendor, r.offering, r.coverage())?;
        for l in lines {
            writeln!(out, "  {l}")?;
        }
    }
    Ok(())
}
