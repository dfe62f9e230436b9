//! `diligence evaluate`

use super::args::{OutputArg, Scope, Selection};
use super::{Failure, Global, Outcome, output, print_diagnostics, write_stdout};
use crate::diag::{Diagnostic, did_you_mean};
use crate::evaluation::{self, Request};
use crate::model::policy::Policy;
use crate::model::profile::{Offering, Profile};
use crate::outcome::Verdict;
use crate::report::{self, Style, sanitize};
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The verdict matrix and findings, for the terminal
    Table,
    /// The stable machine contract
    Json,
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
}

pub fn run(global: &Global, args: EvaluateArgs) -> Outcome {
    let today = args.scope.today()?;
    let ws = Workspace::load_clean(&global.dir)?;
    let policy = ws.policy(args.scope.policy())?;
    let offerings = select_offerings(&ws, &args.selection.targets)?;
    let classes = select_classes(policy, &args.selection.classes)?;
    let tags = select_tags(policy, &args.scope.tags)?;

    // Unverified quotes do not stop the review; the claims count for nothing and the reviewer
    // is told which facts need a new look.
    let mut notes: Vec<Diagnostic> = ws.problems.clone();
    notes.extend(ws.unverified.iter().cloned().map(|d| Diagnostic {
        severity: crate::diag::Severity::Warning,
        ..d
    }));
    print_diagnostics(&notes, &ws.root);

    let generated = match &args.scope.today.today {
        Some(_) => format!("{today}T00:00:00Z"),
        None => jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    };
    let request = Request {
        policy,
        offerings,
        classes,
        tags,
        today,
        generated,
    };
    let to_terminal = args.output.path.is_none() && std::io::stdout().is_terminal();
    if args.format == Format::Xlsx && to_terminal {
        return Err(Diagnostic::error(
            "--format xlsx is a binary workbook and standard output is a terminal",
        )
        .hint("write it to a file: --output review.xlsx (or redirect: > review.xlsx)")
        .into());
    }
    if let Some(path) = &args.output.path {
        output::refuse_input_file(path, &ws.root)?;
    }

    let (eval, rule_errors) =
        with_progress(request.offerings.len() * request.classes.len(), || {
            evaluation::evaluate(&ws.rules, &request)
        });
    let warnings: Vec<Diagnostic> = eval
        .warnings
        .iter()
        .map(|w| Diagnostic::warning(w.clone()))
        .collect();
    print_diagnostics(&warnings, &ws.root);

    let style = Style {
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
    };
    if args.bom && args.format != Format::Csv {
        status!("warning: --bom applies to --format csv only; ignored");
    }
    let dest = args.output.path.as_deref();
    match args.format {
        Format::Json => emit_bytes(dest, &report::json::render(&eval)?)?,
        Format::Table => emit_bytes(dest, &report::table::render(&eval, &style))?,
        Format::Markdown => emit_bytes(
            dest,
            &sanitize::clean_bytes(&report::markdown::render(&eval, &style)),
        )?,
        Format::Html => emit_bytes(
            dest,
            &sanitize::clean_bytes(&report::html::render(&eval, &style)),
        )?,
        Format::Csv => output::emit(dest, |w| report::csv::render(&eval, args.bom, w))?,
        Format::Xlsx => {
            let bytes = report::xlsx::render(&eval).map_err(|e| {
                Failure::from(match e {
                    report::xlsx::Error::TooManyRows { sheet, rows } => Diagnostic::error(format!(
                        "the workbook's {sheet} sheet would need {rows} rows; a sheet holds at most {} (Excel's limit)",
                        report::xlsx::MAX_ROWS
                    ))
                    .hint("narrow the review (VENDOR[/OFFERING]..., --class) or use --format csv or json"),
                    report::xlsx::Error::Xlsx(e) => Diagnostic::error(format!("cannot build the workbook: {e}"))
                        .hint("this is a bug in diligence: please report it with the workspace"),
                })
            })?;
            emit_bytes(dest, &bytes)?
        }
        Format::Sarif => output::emit(dest, |w| report::sarif::render(&eval, w))?,
        Format::Junit => output::emit(dest, |w| report::junit::render(&eval, w))?,
        // Annotations are shown in CI logs, which interpret escape sequences: sanitized.
        Format::Github => output::emit(dest, |w| {
            let mut clean = sanitize::Sanitizer::new(w);
            report::github::render(&eval, &mut clean)?;
            clean.finish().map(|_| ())
        })?,
    }

    if !rule_errors.is_empty() {
        // The report is written; the cells of failed rules show `error`.
        return Err(Failure(rule_errors));
    }
    let threshold = args.fail_on.threshold();
    let failed = threshold.is_some_and(|t| eval.worst().is_some_and(|w| w >= t));
    if let Some(t) = threshold.filter(|_| failed) {
        // CI logs show why the step failed: one line per offending offering and classification.
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for r in eval.results.iter().filter(|r| r.verdict >= t) {
            let mut rules: Vec<&str> = Vec::new();
            for f in report::driving(r) {
                if !rules.contains(&f.rule.as_str()) {
                    rules.push(&f.rule);
                }
            }
            let _ = writeln!(
                err,
                "{}",
                sanitize::clean(&format!(
                    "fail-on {}: {}/{} at {} is {} ({})",
                    t.as_str(),
                    r.vendor,
                    r.offering,
                    r.classification,
                    r.verdict.as_str(),
                    rules.join(", ")
                ))
            );
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn emit_bytes(dest: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), Failure> {
    match dest {
        Some(path) => output::write_atomically(path, bytes),
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
