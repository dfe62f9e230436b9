//! `diligence evaluate`

use super::args::Scope;
use super::{Failure, Global, Outcome, output, print_diagnostics, write_stdout};
use crate::diag::{Diagnostic, did_you_mean};
use crate::evaluation::{self, Request};
use crate::model::policy::Policy;
use crate::model::profile::{Offering, Profile};
use crate::outcome::Verdict;
use crate::report::{self, Style, sanitize};
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
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
    /// A workbook: Summary, Findings, Evidence (needs --output or a redirect)
    Xlsx,
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
    /// Vendors or offerings to evaluate: VENDOR or VENDOR/OFFERING (default: all)
    #[arg(value_name = "VENDOR[/OFFERING]")]
    pub targets: Vec<String>,
    /// Classifications to evaluate at (repeatable; default: every one in the policy)
    #[arg(long = "class", value_name = "LEVEL")]
    pub classes: Vec<String>,
    #[command(flatten)]
    pub scope: Scope,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when any verdict is at or above this level
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    pub fail_on: FailOn,
    /// Also show passed checks (table, markdown, html)
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Colour the table's verdicts
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

pub fn run(global: &Global, args: EvaluateArgs) -> Outcome {
    let today = args.scope.today()?;
    let ws = Workspace::load_clean(&global.dir)?;
    let policy = ws.policy(args.scope.policy())?;
    let offerings = select_offerings(&ws, &args.targets)?;
    let classes = select_classes(policy, &args.classes)?;
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
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    if args.format == Format::Xlsx && to_terminal {
        return Err(Diagnostic::error(
            "--format xlsx is a binary workbook and standard output is a terminal",
        )
        .hint("write it to a file: --output review.xlsx (or redirect: > review.xlsx)")
        .into());
    }
    if let Some(path) = &args.output {
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
        workspace: Some(
            ws.root
                .canonicalize()
                .unwrap_or_else(|_| ws.root.clone())
                .display()
                .to_string(),
        ),
    };
    let bytes = match args.format {
        Format::Json => report::json::render(&eval)?,
        Format::Table => report::table::render(&eval, &style),
        Format::Markdown => sanitize::clean_bytes(&report::markdown::render(&eval, &style)),
        Format::Html => sanitize::clean_bytes(&report::html::render(&eval, &style)),
        Format::Csv => report::csv::render(&eval),
        Format::Xlsx => report::xlsx::render(&eval).map_err(|e| {
            Failure::from(
                Diagnostic::error(format!("cannot build the workbook: {e}"))
                    .hint("this is a bug in diligence: please report it with the workspace"),
            )
        })?,
    };
    match &args.output {
        Some(path) => output::write_atomically(path, &bytes)?,
        None => write_stdout(&bytes)?,
    }

    if !rule_errors.is_empty() {
        // The report is written; the cells of failed rules show `error`.
        return Err(Failure(rule_errors));
    }
    let failed = args
        .fail_on
        .threshold()
        .is_some_and(|t| eval.worst().is_some_and(|w| w >= t));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
