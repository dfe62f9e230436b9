//! `diligence evaluate`

use super::args::{OutputArg, Partition, Scope, Selection};
use super::{Failure, Global, Outcome, output, print_diagnostics, write_stdout};
use crate::diag::{Diagnostic, did_you_mean};
use crate::evaluation::{self, Request};
use crate::model::policy::Policy;
use crate::model::profile::{Offering, Profile};
use crate::outcome::{Evaluation, OfferingResult, Verdict};
use crate::report::{self, Style, sanitize};
use crate::workspace::{ProfileStream, Workspace};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and NO_COLOR is not set
    Auto,
    Always,
    Never,
}

/// Above this many offering × classification evaluations, a spinner shows on a terminal.
const PROGRESS_THRESHOLD: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    #[value(name = "no-go")]
    NoGo,
    Hold,
    Conditional,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Verdict> {
        match self {
            FailOn::NoGo => Some(Verdict::NoGo),
            FailOn::Hold => Some(Verdict::Hold),
            FailOn::Conditional => Some(Verdict::Conditional),
            FailOn::Never => None,
        }
    }
}

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub scope: Scope,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub output: OutputArg,
    /// Exit 1 when any verdict is at or above this level
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    pub fail_on: FailOn,
    /// Also show passed checks (table, markdown, html)
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Only the verdict matrix and what stands in the way (table, markdown)
    #[arg(long, conflicts_with = "verbose")]
    pub summary: bool,
    /// Start CSV with a UTF-8 byte order mark (for spreadsheet programs that need it)
    #[arg(long)]
    pub bom: bool,
    /// Colour the table's verdicts
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Only the vendors of partition K of N (by a stable hash of the vendor id), to split a
    /// portfolio over CI jobs or hosts
    #[arg(long, value_name = "K/N")]
    pub partition: Option<Partition>,
}

pub fn run(global: &Global, args: EvaluateArgs) -> Outcome {
    let today = args.scope.today()?;
    let (ws, read) = read_workspace(global, &args)?;
    let policy = ws.policy(args.scope.policy())?;
    let request = Request {
        policy,
        offerings: requested_offerings(&ws, &args, read)?,
        classes: select_classes(policy, &args.selection.classes)?,
        tags: select_tags(policy, &args.scope.tags)?,
        today,
        generated: match &args.scope.today.today {
            Some(_) => format!("{today}T00:00:00Z"),
            None => jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        },
    };

    // Unverified quotes do not stop the review; the claims count for nothing and the reviewer
    // is told which facts need a new look.
    let mut notes: Vec<Diagnostic> = ws.problems.clone();
    notes.extend(ws.unverified.iter().cloned().map(Diagnostic::into_warning));
    print_diagnostics(&notes, &ws.root);

    let to_terminal = args.output.path.is_none() && std::io::stdout().is_terminal();
    if args.format == Format::Xlsx && to_terminal {
        return Err(Diagnostic::error(
            "--format xlsx is a binary workbook and standard output is a terminal",
        )
        .hint("write it to a file: --output review.xlsx (or redirect: > review.xlsx)")
        .into());
    }
    // Opened before the evaluation: a bad destination fails at once, not after the work.
    let destination = args
        .output
        .path
        .as_deref()
        .map(|path| output::Output::open(path, &ws.root))
        .transpose()?;
    if args.bom && args.format != Format::Csv {
        status!("warning: --bom applies to --format csv only; ignored");
    }

    let threshold = args.fail_on.threshold();
    let (summary, failing) = if let Some(kind) = Streamed::of(&args) {
        let offerings = match read {
            Reading::Whole => Offerings::Request,
            Reading::Streamed => Offerings::Read(args.partition.as_ref()),
        };
        stream(
            &ws,
            &request,
            offerings,
            &notes,
            destination,
            threshold,
            kind,
        )?
    } else {
        let (mut eval, rule_errors) =
            with_progress(request.offerings.len() * request.classes.len(), || {
                evaluation::evaluate(&ws.rules, &request)
            });
        // The decision in force beside each verdict (the streamed formats leave it out).
        let checks = crate::decisions::Checks {
            policies: &ws.policies,
            today,
        };
        for w in crate::decisions::annotate(&ws.root, &checks, &mut eval.results) {
            status!("warning: {w}");
        }
        print_report_warnings(&eval.warnings, &notes, &ws.root);
        let style = style(&args, to_terminal, &ws);
        render(&args, &eval, &style, destination)?;
        let failing = threshold.map_or_else(Vec::new, |t| {
            eval.results
                .iter()
                .filter_map(|r| failing_line(r, t))
                .collect()
        });
        (rule_errors, failing)
    };
    finish(summary, threshold, failing)
}

/// Reads the workspace. A streamed format over the whole portfolio reads the profiles batch by
/// batch later, so that memory does not grow with the portfolio; a selection is read whole
/// (to check its names).
fn read_workspace(global: &Global, args: &EvaluateArgs) -> Result<(Workspace, Reading), Failure> {
    let read = match Streamed::of(args) {
        Some(_) if args.selection.targets.is_empty() => Reading::Streamed,
        _ => Reading::Whole,
    };
    let ws = match read {
        Reading::Whole => Workspace::load_clean(&global.dir)?,
        Reading::Streamed => Workspace::load_clean_without_profiles(&global.dir)?,
    };
    Ok((ws, read))
}

/// The offerings selected (and in the partition), from a workspace read whole; none when the
/// profiles are read batch by batch (the stream selects them).
fn requested_offerings<'w>(
    ws: &'w Workspace,
    args: &EvaluateArgs,
    read: Reading,
) -> Result<Vec<(&'w Profile, &'w Offering)>, Failure> {
    if let Reading::Streamed = read {
        return Ok(Vec::new());
    }
    let mut offerings = select_offerings(ws, &args.selection.targets)?;
    if let Some(part) = &args.partition {
        offerings.retain(|(profile, _)| part.contains(&profile.id));
    }
    Ok(offerings)
}

/// The formats written result by result as the evaluation goes (nothing in them depends on
/// the results still to come), so that memory does not grow with the portfolio.
#[derive(Clone, Copy)]
enum Streamed {
    Jsonl,
    Csv { bom: bool },
    Sarif,
}

impl Streamed {
    fn of(args: &EvaluateArgs) -> Option<Streamed> {
        match args.format {
            Format::Jsonl => Some(Streamed::Jsonl),
            Format::Csv => Some(Streamed::Csv { bom: args.bom }),
            Format::Sarif => Some(Streamed::Sarif),
            _ => None,
        }
    }
}

/// A streamed format's writer, open for the length of the run (one per run: the CSV and SARIF
/// writers are boxed rather than sized into the enum).
enum Sink<'w> {
    Jsonl(&'w mut dyn Write),
    Csv(Box<report::csv::Writer<'w>>),
    Sarif(Box<report::sarif::Writer<'w>>),
}

impl<'w> Sink<'w> {
    /// `rules`: the ids of the rules the run applies (SARIF lists them before any result).
    fn start(
        kind: Streamed,
        w: &'w mut dyn Write,
        rules: Vec<String>,
    ) -> std::io::Result<Sink<'w>> {
        Ok(match kind {
            Streamed::Jsonl => Sink::Jsonl(w),
            Streamed::Csv { bom } => Sink::Csv(Box::new(report::csv::Writer::start(w, bom)?)),
            Streamed::Sarif => Sink::Sarif(Box::new(report::sarif::Writer::start(w, rules)?)),
        })
    }

    fn write(&mut self, result: &OfferingResult) -> std::io::Result<()> {
        match self {
            Sink::Jsonl(w) => report::jsonl::write_result(*w, result),
            Sink::Csv(csv) => csv.write_result(result),
            Sink::Sarif(sarif) => sarif.write_result(result),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Jsonl(_) => Ok(()),
            Sink::Csv(csv) => csv.finish(),
            Sink::Sarif(sarif) => sarif.finish(),
        }
    }
}

/// How the workspace was read: whole, or without its profiles (read batch by batch).
#[derive(Clone, Copy)]
enum Reading {
    Whole,
    Streamed,
}

/// Where a streamed run's offerings come from.
enum Offerings<'p> {
    /// The request's, from the workspace read whole.
    Request,
    /// Read from the vendor folders batch by batch (those of the partition, if any).
    Read(Option<&'p Partition>),
}

/// `--format jsonl`, `csv` and `sarif`: each result is written as soon as its batch is
/// evaluated, and dropped. Returns the failed rules' errors and the `--fail-on` lines of the
/// cells at or above it.
fn stream(
    ws: &Workspace,
    request: &Request,
    offerings: Offerings,
    notes: &[Diagnostic],
    destination: Option<output::Output>,
    threshold: Option<Verdict>,
    kind: Streamed,
) -> Result<(Vec<Diagnostic>, Vec<String>), Failure> {
    let mut failing = Vec::new();
    let mut summary = None;
    // A profile that does not load stops a run that reads them as it goes: its errors replace
    // the write error that stops the output (nothing is written with -o).
    let mut load_errors: Option<Vec<Diagnostic>> = None;
    let rules = evaluation::Context::new(&ws.rules, request.policy, &request.tags, request.today)
        .rule_ids();
    let written = output::emit_to(destination, |w| {
        let mut sink = Sink::start(kind, w, rules)?;
        let mut write = |result: OfferingResult| {
            if let Some(line) = threshold.and_then(|t| failing_line(&result, t)) {
                failing.push(line);
            }
            sink.write(&result)
        };
        let done = match offerings {
            Offerings::Request => evaluation::evaluate_each(&ws.rules, request, write)?,
            Offerings::Read(partition) => {
                match read_and_evaluate(ws, request, partition, &mut write)? {
                    Ok(done) => done,
                    Err(errors) => {
                        load_errors = Some(errors);
                        return Err(std::io::Error::other("a profile does not load"));
                    }
                }
            }
        };
        sink.finish()?;
        summary = Some(done);
        Ok(())
    });
    if let Some(errors) = load_errors {
        return Err(Failure(errors));
    }
    written?;
    let Some(summary) = summary else {
        return Ok((Vec::new(), failing));
    };
    // Expired waivers and changed snapshots go to stderr only: these formats hold results.
    print_report_warnings(&summary.warnings, notes, &ws.root);
    Ok((summary.errors, failing))
}

/// Reads the profiles a batch at a time, evaluates each batch and hands its results to
/// `write`: the run holds one batch of profiles, never the portfolio. The outer error is the
/// output's; the inner one the errors of a profile that does not load (which ends the run).
fn read_and_evaluate(
    ws: &Workspace,
    request: &Request,
    partition: Option<&Partition>,
    write: &mut impl FnMut(OfferingResult) -> std::io::Result<()>,
) -> std::io::Result<Result<evaluation::Summary, Vec<Diagnostic>>> {
    let mut profiles =
        ProfileStream::new(ws, |vendor| partition.is_none_or(|p| p.contains(vendor)));
    let mut run = evaluation::Run::new(&ws.rules, request);
    ws.rules.begin_run(0);
    let mut cells = 0;
    while let Some(mut batch) = profiles.next_batch(evaluation::BATCH) {
        let (errors, mut notes): (Vec<_>, Vec<_>) = std::mem::take(&mut batch.read.problems)
            .into_iter()
            .partition(Diagnostic::is_error);
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        // Unverified quotes do not stop the review (as when the workspace is read whole).
        notes.extend(
            batch
                .read
                .unverified
                .drain(..)
                .map(Diagnostic::into_warning),
        );
        // Printed as the profiles are read, with their hints (changed snapshots among them).
        print_diagnostics(&notes, &ws.root);
        let offerings = batch.offerings();
        cells += offerings.len() * request.classes.len();
        ws.rules.grow_run(cells);
        run.batch(&offerings, write)?;
    }
    Ok(Ok(run.finish(Vec::new())))
}

/// Prints the report's warnings that were not already printed as a loading note.
fn print_report_warnings(warnings: &[String], notes: &[Diagnostic], root: &std::path::Path) {
    // Changed snapshots were printed with their hint while loading; the report carries them too.
    let fresh: Vec<Diagnostic> = warnings
        .iter()
        .filter(|w| !notes.iter().any(|n| evaluation::warning_text(n) == **w))
        .map(|w| Diagnostic::warning(w.clone()))
        .collect();
    print_diagnostics(&fresh, root);
}

fn style(args: &EvaluateArgs, to_terminal: bool, ws: &Workspace) -> Style {
    Style {
        color: match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        },
        width: terminal_width(to_terminal),
        verbose: args.verbose,
        summary: args.summary,
        // The folder's name and git commit, never the absolute path: reports are shared.
        workspace: Some(super::provenance::describe(&ws.root)),
    }
}

/// Renders a whole-document format (every format but jsonl) to the destination.
fn render(
    args: &EvaluateArgs,
    eval: &Evaluation,
    style: &Style,
    dest: Option<output::Output>,
) -> Result<(), Failure> {
    match args.format {
        Format::Json => emit_bytes(dest, &report::json::render(eval)?),
        Format::Jsonl => output::emit_to(dest, |w| {
            eval.results
                .iter()
                .try_for_each(|r| report::jsonl::write_result(w, r))
        }),
        Format::Table => emit_bytes(dest, &report::table::render(eval, style)),
        Format::Markdown => emit_bytes(
            dest,
            &sanitize::clean_bytes(&report::markdown::render(eval, style)),
        ),
        Format::Html => emit_bytes(
            dest,
            &sanitize::clean_bytes(&report::html::render(eval, style)),
        ),
        Format::Csv => output::emit_to(dest, |w| report::csv::render(eval, args.bom, w)),
        Format::Xlsx => emit_bytes(dest, &xlsx(eval)?),
        Format::Sarif => output::emit_to(dest, |w| report::sarif::render(eval, w)),
        Format::Junit => output::emit_to(dest, |w| report::junit::render(eval, w)),
        // Annotations are shown in CI logs, which interpret escape sequences: sanitized.
        Format::Github => output::emit_to(dest, |w| {
            let mut clean = sanitize::Sanitizer::new(w);
            report::github::render(eval, &mut clean)?;
            clean.finish().map(|_| ())
        }),
    }
}

fn xlsx(eval: &Evaluation) -> Result<Vec<u8>, Failure> {
    report::xlsx::render(eval).map_err(|e| {
        Failure::from(match e {
            report::xlsx::Error::TooManyRows { sheet, rows } => Diagnostic::error(format!(
                "the workbook's {sheet} sheet would need {rows} rows; a sheet holds at most {} (Excel's limit)",
                report::xlsx::MAX_ROWS
            ))
            .hint("narrow the review (VENDOR[/OFFERING]..., --class) or use --format csv or json"),
            report::xlsx::Error::Xlsx(e) => Diagnostic::error(format!("cannot build the workbook: {e}"))
                .hint("this is a bug in diligence: please report it with the workspace"),
        })
    })
}

/// Why a cell at or above `--fail-on` fails the run, for CI logs: `fail-on T: v/o at c is V
/// (rules)`; None for a cell below it.
fn failing_line(r: &OfferingResult, t: Verdict) -> Option<String> {
    if r.verdict < t {
        return None;
    }
    let mut rules: Vec<&str> = Vec::new();
    for f in report::driving(r) {
        if !rules.contains(&f.rule.as_str()) {
            rules.push(&f.rule);
        }
    }
    let line = format!(
        "fail-on {}: {}/{} at {} is {} ({})",
        t.as_str(),
        r.vendor,
        r.offering,
        r.classification,
        r.verdict.as_str(),
        rules.join(", ")
    );
    Some(sanitize::clean(&line).into_owned())
}

/// The exit code, once the report is written: 2 when a rule failed (its cells show `error`),
/// else 1 when a cell is at or above `--fail-on` (each one said on stderr), else 0.
fn finish(
    rule_errors: Vec<Diagnostic>,
    threshold: Option<Verdict>,
    failing: Vec<String>,
) -> Outcome {
    if !rule_errors.is_empty() {
        return Err(Failure(rule_errors));
    }
    let failed = threshold.is_some() && !failing.is_empty();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for line in &failing {
        let _ = writeln!(err, "{line}");
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn emit_bytes(dest: Option<output::Output>, bytes: &[u8]) -> Result<(), Failure> {
    match dest {
        Some(out) => out.commit(bytes),
        None => write_stdout(bytes),
    }
}

/// The table's width: COLUMNS when set, else the terminal's, else (piped) the fixed default.
fn terminal_width(to_terminal: bool) -> Option<u16> {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c > 0)
    {
        return Some(cols);
    }
    if to_terminal {
        comfy_table::Table::new().width()
    } else {
        None
    }
}

/// Runs `work` with a spinner on stderr when the run is long (more than
/// [`PROGRESS_THRESHOLD`] evaluations) and stderr is a terminal outside CI: never in logs,
/// pipes or tests. The evaluation runs in parallel and reports no steps, hence a spinner.
fn with_progress<T>(evaluations: usize, work: impl FnOnce() -> T) -> T {
    let show = evaluations > PROGRESS_THRESHOLD
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none();
    if !show {
        return work();
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    spinner.set_message(format!(
        "evaluating {evaluations} offering × classification combinations…"
    ));
    spinner.enable_steady_tick(std::time::Duration::from_millis(100));
    let out = work();
    spinner.finish_and_clear();
    out
}

/// Resolves `VENDOR` and `VENDOR/OFFERING` arguments, in workspace order.
pub fn select_offerings<'a>(
    ws: &'a Workspace,
    targets: &[String],
) -> Result<Vec<(&'a Profile, &'a Offering)>, Failure> {
    let mut problems = Vec::new();
    let mut wanted: Vec<(&str, Option<&str>)> = Vec::new();
    for t in targets {
        let (vendor, offering) = match t.split_once('/') {
            Some((v, o)) => (v, Some(o)),
            None => (t.as_str(), None),
        };
        let Some(profile) = ws.profile(vendor) else {
            problems.push(
                Diagnostic::error(format!("unknown vendor `{vendor}`")).hint(
                    did_you_mean(vendor, ws.profiles.iter().map(|p| p.id.as_str())).unwrap_or_else(
                        || {
                            let ids: Vec<&str> =
                                ws.profiles.iter().map(|p| p.id.as_str()).collect();
                            format!("vendors: {}", ids.join(", "))
                        },
                    ),
                ),
            );
            continue;
        };
        if let Some(o) = offering
            && profile.offering(o).is_none()
        {
            let ids: Vec<&str> = profile.offerings.iter().map(|x| x.id.as_str()).collect();
            problems.push(
                Diagnostic::error(format!("vendor `{vendor}` has no offering `{o}`")).hint(
                    did_you_mean(o, ids.iter().copied())
                        .unwrap_or_else(|| format!("offerings of {vendor}: {}", ids.join(", "))),
                ),
            );
            continue;
        }
        wanted.push((vendor, offering));
    }
    if !problems.is_empty() {
        return Err(Failure(problems));
    }
    let mut out = Vec::new();
    for p in &ws.profiles {
        for o in &p.offerings {
            let selected = wanted.is_empty()
                || wanted
                    .iter()
                    .any(|(v, off)| *v == p.id && off.is_none_or(|x| x == o.id));
            if selected {
                out.push((p, o));
            }
        }
    }
    Ok(out)
}

pub fn select_classes(policy: &Policy, wanted: &[String]) -> Result<Vec<String>, Failure> {
    if wanted.is_empty() {
        return Ok(policy.classes.iter().map(|c| c.name.clone()).collect());
    }
    let names: Vec<&str> = policy.classes.iter().map(|c| c.name.as_str()).collect();
    let mut problems = Vec::new();
    for w in wanted {
        if policy.class(w).is_none() {
            problems.push(
                Diagnostic::error(format!(
                    "policy `{}` has no classification `{w}`",
                    policy.name
                ))
                .hint(
                    did_you_mean(w, names.iter().copied())
                        .unwrap_or_else(|| format!("classifications: {}", names.join(", "))),
                ),
            );
        }
    }
    if !problems.is_empty() {
        return Err(Failure(problems));
    }
    // Policy order (least sensitive first), whatever order they were given in.
    Ok(names
        .into_iter()
        .filter(|n| wanted.iter().any(|w| w == n))
        .map(str::to_string)
        .collect())
}

pub fn select_tags(policy: &Policy, wanted: &[String]) -> Result<Vec<String>, Failure> {
    let names: Vec<&str> = policy.tags.iter().map(|t| t.name.as_str()).collect();
    let mut problems = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for w in wanted {
        if policy.tag(w).is_none() {
            problems.push(
                Diagnostic::error(format!("policy `{}` has no tag `{w}`", policy.name)).hint(
                    did_you_mean(w, names.iter().copied())
                        .unwrap_or_else(|| format!("tags: {}", names.join(", "))),
                ),
            );
        } else if !out.contains(w) {
            out.push(w.clone());
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Failure(problems))
    }
}
