//! `diligence evaluate`

use super::args::{CacheArgs, OutputArg, Partition, QuietWarnings, Scope, Selection};
use super::{Failure, Global, Outcome, output, print_diagnostics};
use crate::diag::{Diagnostic, did_you_mean};
use crate::evaluation::ProfileStream;
use crate::evaluation::{self, Request};
use crate::model::policy::Policy;
use crate::model::profile::{Offering, Profile};
use crate::outcome::{OfferingResult, Verdict};
use crate::report::writer::{Error as WriteError, Format, Head, Options};
use crate::report::{self, Style, sanitize};
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

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
    #[command(flatten)]
    pub quiet: QuietWarnings,
    /// The version of the JSON contract for json and jsonl: 3 holds each offering once (a
    /// jsonl line per offering, each finding and evidence once); 2 (kept for one release) lists
    /// each result's evidence once; 1 (kept for one release) copies it into every finding
    #[arg(long, value_enum, default_value = "3", value_name = "N")]
    pub json_schema_version: crate::report::json::SchemaVersion,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Only the findings of rules that cite this framework (gdpr, eu-ai-act, iso-42001,
    /// nist-ai-rmf, caiq); each verdict is then that of those rules
    #[arg(long, value_name = "NAME")]
    pub framework: Option<String>,
}

pub fn run(global: &Global, args: EvaluateArgs) -> Outcome {
    let today = args.scope.today()?;
    let framework = args
        .framework
        .as_deref()
        .map(crate::model::vocabulary::frameworks::named)
        .transpose()?;
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
        providers: match read {
            Reading::Whole => evaluation::Lookup::Profiles(&ws.profiles),
            Reading::Streamed => evaluation::Lookup::Folder(&ws.root),
        },
    };

    // Unverified quotes do not stop the review; the claims count for nothing and the reviewer
    // is told which facts need a new look.
    let mut notes: Vec<Diagnostic> = ws.problems.clone();
    notes.extend(ws.unverified.iter().cloned().map(Diagnostic::into_warning));
    print_warnings(&notes, &args.quiet, &ws.root);

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

    let ctx = evaluation::Context::new(&ws.rules, policy, &request.tags, today);
    let mut head = Head {
        policy: policy.name.clone(),
        organization: policy.organization.clone(),
        generated: request.generated.clone(),
        today: today.to_string(),
        classifications: request.classes.clone(),
        rules: ctx.rule_ids(),
        rule_refs: ctx.rule_refs(),
    };
    // The rules that cite the framework asked for: the report is theirs alone.
    let only = framework.map(|f| {
        let rules = crate::frameworks::rules_citing(&head.rule_refs, f);
        head.rules.retain(|r| rules.contains(r));
        head.rule_refs.retain(|r, _| rules.contains(r));
        rules
    });
    let options = Options {
        style: style(&args, to_terminal, &ws),
        bom: args.bom,
        json_schema: args.json_schema_version,
    };
    // Only a stream reads through the cache: a workspace read whole was read already.
    let cache = match read {
        Reading::Streamed => args.cache.open(&ws.root),
        Reading::Whole => None,
    };
    // jsonl lines are written as they were rendered, unless `--framework` keeps a part of them.
    let form = if args.format == Format::Jsonl
        && args.json_schema_version == crate::report::json::SchemaVersion::V3
        && only.is_none()
    {
        evaluation::rendered::Form::JsonlV3
    } else {
        evaluation::rendered::Form::Results
    };
    let cache = cache.as_ref().and_then(|c| {
        evaluation::cached::CacheUse::new(c, &ws, std::slice::from_ref(&request), form)
    });
    let offerings = match read {
        Reading::Whole => evaluation::Offerings::Given,
        Reading::Streamed => evaluation::Offerings::Read {
            profiles: ProfileStream::new(&ws, |vendor| {
                args.partition.as_ref().is_none_or(|p| p.contains(vendor))
            }),
            // A profile that does not load stops the run (nothing is written with -o).
            stop_on_load_errors: true,
            cache: cache.as_ref(),
            form,
        },
    };
    let threshold = args.fail_on.threshold();
    let mut failing = Vec::new();
    let mut summary = evaluation::Summary::default();
    let cells = request.offerings.len() * request.classes.len();
    output::emit_to(destination, |w| -> Result<(), WriteError> {
        let mut report = report::writer::begin(args.format, &options, head, w)?;
        // The decision in force beside each verdict (the streamed formats leave it out).
        let checks = crate::decisions::Checks {
            policies: &ws.policies,
            today,
        };
        let mut evaluate = Evaluate {
            report: &mut *report,
            threshold,
            failing: &mut failing,
            quiet: &args.quiet,
            root: &ws.root,
            decisions: (!args.format.streams()).then_some(&checks),
            warned: std::collections::HashSet::new(),
            only: only.as_ref(),
        };
        let run = with_progress(cells, || {
            evaluation::stream(
                &ws.rules,
                std::slice::from_ref(&request),
                offerings,
                &mut evaluate,
            )
        });
        summary = match run {
            Ok(summaries) => summaries.into_iter().next().unwrap_or_default(),
            Err(evaluation::Stop::Load(errors)) => return Err(WriteError::Invalid(errors)),
            Err(evaluation::Stop::Handler(e)) => return Err(e),
        };
        report.end(summary.warnings.clone())
    })?;
    if let Some(c) = &cache {
        c.finish();
    }
    // Expired waivers and changed snapshots: in the report when it has a place for them, and
    // on stderr unless said while loading.
    let fresh: Vec<Diagnostic> = summary
        .warnings
        .into_iter()
        .filter(|w| !notes.iter().any(|n| n.same_problem(w)))
        .collect();
    print_warnings(&fresh, &args.quiet, &ws.root);
    finish(summary.errors, threshold, failing)
}

/// Reads the workspace. A streamed format over the whole portfolio reads the profiles batch by
/// batch later, so that memory does not grow with the portfolio; a selection is read whole
/// (to check its names).
fn read_workspace(global: &Global, args: &EvaluateArgs) -> Result<(Workspace, Reading), Failure> {
    let read = if args.format.streams() && args.selection.targets.is_empty() {
        Reading::Streamed
    } else {
        Reading::Whole
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

/// What `evaluate` does with the stream: each result to the report (and, at or above
/// `--fail-on`, a line to say why), and the notes on each batch of profiles read to stderr.
struct Evaluate<'a, 'w> {
    report: &'a mut (dyn report::writer::ReportWriter + 'w),
    threshold: Option<Verdict>,
    failing: &'a mut Vec<String>,
    quiet: &'a QuietWarnings,
    root: &'a std::path::Path,
    /// Set when the report shows each offering's decision beside its verdict.
    decisions: Option<&'a crate::decisions::Checks<'a>>,
    /// Registers already said to have errors (once each, not once per result).
    warned: std::collections::HashSet<String>,
    /// `--framework`: the rules whose findings the report keeps.
    only: Option<&'a std::collections::BTreeSet<String>>,
}

impl evaluation::Handler for Evaluate<'_, '_> {
    type Error = WriteError;

    fn read(&mut self, read: &mut crate::evaluation::profiles::Read) -> Result<(), WriteError> {
        // Load errors stopped the stream before this; unverified quotes do not stop the review
        // (as when the workspace is read whole). Printed as the profiles are read, with their
        // hints (changed snapshots among them).
        // Vendors' notes rendered by the stream come first (the problems of chains after
        // them), as they would have been rendered here.
        let shown = |n: &&evaluation::rendered::Note| !n.is_quieted(&self.quiet.codes);
        let quiet = |d: &Diagnostic| !d.is_quieted(&self.quiet.codes);
        // Notes are cleaned already (as stderr's writer would); diagnostics are cleaned here,
        // character by character as it does, so that the bytes are those it would write.
        let mut text: Vec<u8> = Vec::new();
        let render = |d: &Diagnostic| evaluation::rendered::printed(d, self.root);
        for n in read.notes.problems.iter().filter(shown) {
            text.extend_from_slice(&n.bytes);
        }
        for d in read.problems.iter().filter(|d| quiet(d)) {
            text.extend_from_slice(&render(d));
        }
        for n in read.notes.unverified.iter().filter(shown) {
            text.extend_from_slice(&n.bytes);
        }
        for d in read.unverified.drain(..).map(Diagnostic::into_warning) {
            if quiet(&d) {
                text.extend_from_slice(&render(&d));
            }
        }
        super::print_clean(&text);
        Ok(())
    }

    fn rendered(
        &mut self,
        _: usize,
        offering: &evaluation::rendered::Rendered,
    ) -> Result<(), WriteError> {
        if let Some(t) = self.threshold {
            for cell in offering.cells.iter().filter(|c| c.verdict >= t) {
                let line = format!(
                    "fail-on {}: {}/{} at {} is {} ({})",
                    t.as_str(),
                    offering.vendor,
                    offering.offering,
                    cell.classification,
                    cell.verdict.as_str(),
                    cell.driving.join(", ")
                );
                self.failing.push(sanitize::clean(&line).into_owned());
            }
        }
        self.report
            .rendered(offering.line.as_deref().unwrap_or_default())
    }

    fn result(&mut self, _: usize, mut result: OfferingResult) -> Result<(), WriteError> {
        if let Some(checks) = self.decisions {
            for w in
                crate::decisions::annotate(self.root, checks, std::slice::from_mut(&mut result))
            {
                if self.warned.insert(w.clone()) {
                    status!("warning: {w}");
                }
            }
        }
        if let Some(rules) = self.only {
            crate::frameworks::keep_rules(&mut result, rules);
        }
        if let Some(line) = self.threshold.and_then(|t| failing_line(&result, t)) {
            self.failing.push(line);
        }
        self.report.result(result)
    }
}

/// How the workspace was read: whole, or without its profiles (read batch by batch).
#[derive(Clone, Copy)]
enum Reading {
    Whole,
    Streamed,
}

/// Prints the warnings that `--quiet-warnings` does not silence.
fn print_warnings(warnings: &[Diagnostic], quiet: &QuietWarnings, root: &std::path::Path) {
    let shown: Vec<Diagnostic> = warnings
        .iter()
        .filter(|w| !w.is_quieted(&quiet.codes))
        .cloned()
        .collect();
    print_diagnostics(&shown, root);
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
