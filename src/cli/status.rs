//! `diligence status [VENDOR...]`: the register against today. Every register is checked first
//! (a bad one stops the command before anything is written); then the offerings are read batch
//! by batch and each decision's row is written as it is made, so a portfolio of thousands of
//! decisions is never held in memory (except by the formats that must see every row).

use super::args::{OutputArg, TodayArg};
use super::{Failure, Global, Outcome, output};
use crate::decisions::status::{self, Newer, Row, Scope, Standing};
use crate::decisions::{self, Checks};
use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::evaluation;
use crate::evaluation::{ProfileStream, Read};
use crate::intake::ota::Repo;
use crate::model::profile::{Offering, Profile};
use crate::report::status::{Format as StatusFormat, Header};
use crate::report::writer::{Error as WriteError, ReportWriter};
use crate::workspace::{Workspace, vendor_dirs};
use clap::{Args, ValueEnum};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// The verdict or the evidence changed since a decision
    Drift,
    /// A condition, review or waiver is past its date
    Overdue,
    /// A condition, review or waiver is within the policy's warning window, or past it
    Due,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Vendors (default: all)
    #[arg(value_name = "VENDOR")]
    pub vendors: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
    #[command(flatten)]
    pub output: OutputArg,
    /// Exit 1 when any decision has drifted, or something is overdue or due (repeatable)
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Vec<FailOn>,
    #[command(flatten)]
    pub today: TodayArg,
    /// A clone of the versions repository the sources were imported from: newer versions of
    /// the documents a decision rests on count as drift
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
}

/// What decides the exit code, counted as rows are written.
#[derive(Default)]
struct Tally {
    drift: bool,
    worst: Option<Standing>,
}

pub fn run(global: &Global, args: StatusArgs) -> Outcome {
    let today = args.today.date()?;
    let ws = Workspace::load_clean_without_profiles(&global.dir)?;
    let all = vendor_dirs(&ws.root);
    let mut problems = Vec::new();
    for v in &args.vendors {
        if !all.contains(v) {
            problems.push(
                Diagnostic::error(format!("unknown vendor `{v}`")).hint(
                    did_you_mean(v, all.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("vendors: {}", all.join(", "))),
                ),
            );
        }
    }
    if !problems.is_empty() {
        return Err(Failure(problems));
    }
    let checks = Checks {
        policies: &ws.policies,
        today,
    };
    check_registers(&ws.root, &args.vendors, &all, &checks)?;
    let newer = match &args.repo {
        Some(path) => newer_versions(&ws.root, path, &args.vendors)?,
        None => HashMap::new(),
    };
    if let Some(path) = &args.output.path {
        output::refuse_input_file(path, &ws.root)?;
    } else if args.format == StatusFormat::Xlsx
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return Err(Diagnostic::error(
            "--format xlsx is a binary workbook and standard output is a terminal",
        )
        .hint("write it to a file: --output status.xlsx (or redirect: > status.xlsx)")
        .into());
    }
    let head = Header {
        today: today.to_string(),
        generated: format!("{today}T00:00:00Z"),
    };
    let scope = Scope {
        root: &ws.root,
        rules: &ws.rules,
        rule_hashes: crate::decisions::fingerprint::rule_hashes(&ws.root, &ws.rules),
        today,
    };
    let mut tally = Tally::default();
    let mut failures: Vec<Diagnostic> = Vec::new();
    let keep = |v: &str| args.vendors.is_empty() || args.vendors.iter().any(|x| x == v);
    output::emit(args.output.path.as_deref(), |w| -> Result<(), WriteError> {
        let mut report = crate::report::status::begin(args.format, head, w)?;
        let mut rows = Rows {
            ws: &ws,
            checks: &checks,
            scope: &scope,
            newer: &newer,
            report: &mut *report,
            tally: &mut tally,
            failures: &mut failures,
        };
        let profiles = evaluation::Offerings::Read {
            profiles: ProfileStream::new(&ws, keep),
            // A profile that does not load is reported with the rest, after the report.
            stop_on_load_errors: false,
            // Each decision is evaluated at its own coverage, from the profile itself.
            cache: None,
            form: evaluation::rendered::Form::Results,
        };
        // `status` makes no requests: each decision is evaluated at its own coverage.
        match evaluation::stream(&ws.rules, &[], profiles, &mut rows) {
            Ok(_) => {}
            Err(evaluation::Stop::Load(errors)) => rows.failures.extend(errors),
            Err(evaluation::Stop::Handler(e)) => return Err(e),
        }
        report.end(Vec::new())
    })?;
    if !failures.is_empty() {
        return Err(Failure(failures));
    }
    let fail = args.fail_on.iter().any(|f| match f {
        FailOn::Drift => tally.drift,
        FailOn::Overdue => tally.worst == Some(Standing::Overdue),
        FailOn::Due => tally.worst >= Some(Standing::Due),
    });
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What `status` does with the offerings the stream reads: a row per decision in force (or
/// one for an offering never decided), handed to the report as it is made.
struct Rows<'a, 'w> {
    ws: &'a Workspace,
    checks: &'a Checks<'a>,
    scope: &'a Scope<'a>,
    newer: &'a HashMap<String, Vec<Newer>>,
    report: &'a mut (dyn ReportWriter<Row> + 'w),
    tally: &'a mut Tally,
    /// Profiles that did not load, and registers changed since they were checked.
    failures: &'a mut Vec<Diagnostic>,
}

impl Rows<'_, '_> {
    fn row(&mut self, row: Row) -> Result<(), WriteError> {
        self.tally.drift |= row.has_drift();
        self.tally.worst = self.tally.worst.max(Some(row.due()));
        self.report.result(row)
    }
}

impl evaluation::Handler for Rows<'_, '_> {
    type Error = WriteError;

    fn read(&mut self, read: &mut Read) -> Result<(), WriteError> {
        let errors = read.problems.iter().filter(|d| d.is_error()).cloned();
        self.failures.extend(errors);
        Ok(())
    }

    /// Never called: `status` makes no requests.
    fn result(&mut self, _: usize, _: crate::outcome::OfferingResult) -> Result<(), WriteError> {
        Ok(())
    }

    fn offerings(&mut self, offerings: &[(&Profile, &Offering)]) -> Result<(), WriteError> {
        let none = Vec::new();
        for &(profile, offering) in offerings {
            let register =
                match decisions::load(&self.ws.root, &profile.id, &offering.id, self.checks) {
                    Ok(Some((r, _))) => r,
                    Ok(None) => {
                        self.row(Row::undecided(&profile.id, &offering.id))?;
                        continue;
                    }
                    // Checked before anything was written; changed since.
                    Err(ds) => {
                        self.failures.extend(ds);
                        continue;
                    }
                };
            let newer = self.newer.get(&profile.id).unwrap_or(&none);
            let current = register.current();
            for d in current {
                let Ok(policy) = self.ws.policy(&d.policy) else {
                    continue; // checked with the register
                };
                let row = status::row(self.scope, policy, profile, offering, &register, d, newer);
                self.row(row)?;
            }
        }
        Ok(())
    }
}

/// Reads and checks every register (and that its vendor and offering exist) before anything
/// is written: a bad register stops `status` with every problem located.
fn check_registers(
    root: &Path,
    vendors: &[String],
    all: &[String],
    checks: &Checks,
) -> Result<(), Failure> {
    let mut problems = Vec::new();
    let mut offerings: Option<(String, Vec<String>)> = None;
    for (v, o) in decisions::list(root, vendors) {
        let file = decisions::file_of(&v, &o);
        let text = match decisions::load(root, &v, &o, checks) {
            Ok(Some((_, text))) => text,
            Ok(None) => continue,
            Err(ds) => {
                problems.extend(ds);
                continue;
            }
        };
        let line_of = |key: &str| {
            let n = text
                .lines()
                .position(|l| l.starts_with(key))
                .map_or(1, |i| i + 1);
            Pos::new(u32::try_from(n).unwrap_or(1), 1)
        };
        if !all.contains(&v) {
            problems.push(
                Diagnostic::error(format!("unknown vendor `{v}`: no vendors/{v}/profile.yaml"))
                    .in_file(file)
                    .at(line_of("vendor:"))
                    .hint(
                        did_you_mean(&v, all.iter().map(String::as_str))
                            .map(|h| format!("{h} (move the register to its vendor's folder)"))
                            .unwrap_or_else(|| {
                                "remove the register, or restore the vendor's profile".into()
                            }),
                    ),
            );
            continue;
        }
        if offerings.as_ref().is_none_or(|(x, _)| *x != v) {
            offerings = Some((v.clone(), offering_ids(root, &v)));
        }
        let ids = offerings
            .as_ref()
            .map(|(_, ids)| ids.as_slice())
            .unwrap_or(&[]);
        if !ids.contains(&o) {
            problems.push(
                Diagnostic::error(format!("vendor `{v}` has no offering `{o}`"))
                    .in_file(file)
                    .at(line_of("offering:"))
                    .hint(
                        did_you_mean(&o, ids.iter().map(String::as_str))
                            .unwrap_or_else(|| format!("offerings of {v}: {}", ids.join(", "))),
                    ),
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure(problems))
    }
}

/// The offering ids of a vendor's profile, read without checking its evidence (that is done
/// when the profile is read for its rows).
fn offering_ids(root: &Path, vendor: &str) -> Vec<String> {
    let shown = format!("vendors/{vendor}/profile.yaml");
    let Ok(text) =
        crate::model::yaml::read_confined(root, &shown, crate::model::yaml::MAX_YAML_BYTES)
    else {
        return Vec::new();
    };
    crate::model::profile::parse(&text, vendor)
        .0
        .map(|p| p.offerings.into_iter().map(|o| o.id).collect())
        .unwrap_or_default()
}

/// Per vendor: the cited documents with newer versions in the versions repository.
fn newer_versions(
    root: &Path,
    repo: &Path,
    vendors: &[String],
) -> Result<HashMap<String, Vec<Newer>>, Failure> {
    let repo = Repo::open(repo)?;
    let sources = crate::intake::refresh::archived_sources(root, vendors)?;
    let mut out: HashMap<String, Vec<Newer>> = HashMap::new();
    for s in sources {
        let versions = repo.versions(&s.path)?;
        let Some(i) = versions.iter().position(|v| v.commit == s.commit) else {
            continue; // refresh reports a commit the repository does not have
        };
        let later = &versions[i + 1..];
        if let Some(last) = later.last() {
            out.entry(s.vendor.clone()).or_default().push(Newer {
                source: s.source.clone(),
                count: later.len(),
                latest: last.date.to_string(),
            });
        }
    }
    Ok(out)
}
