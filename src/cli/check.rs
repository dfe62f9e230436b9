//! `diligence check`: every problem in the workspace, not only the first.

use super::{Failure, Global, Outcome, output, print_diagnostics};
use crate::diag::{Code, Diagnostic};
use crate::evaluation::ProfileStream;
use crate::evaluation::{self, Request};
use crate::outcome::OfferingResult;
use crate::report::writer::{self, Reader};
use crate::workspace::{ProfileSummary, Workspace};
use clap::Args;
use spill::Spill;
use std::io::Write;
use std::process::ExitCode;

mod spill;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// `file:line:col: message` with a snippet and a hint, on stderr
    Text,
    /// One JSON document on stdout, for editors and CI annotations
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    #[command(flatten)]
    pub today: super::args::TodayArg,
    /// Treat draft claims (`draft: true`, from `diligence extract`) as errors: for CI
    #[arg(long)]
    pub fail_on_drafts: bool,
    #[command(flatten)]
    pub quiet: super::args::QuietWarnings,
    #[command(flatten)]
    pub cache: super::args::CacheArgs,
}

pub fn run(global: &Global, args: CheckArgs) -> Outcome {
    let today = args.today.date()?;
    // The profiles are read batch by batch as every policy evaluates them, and their problems
    // are kept on disk until they are sorted: memory does not grow with the portfolio.
    let ws = Workspace::load_without_profiles(&global.dir)?;
    // Printed as text: each diagnostic is kept as printed as it comes.
    let printed = (args.format == CheckFormat::Text).then(|| ws.root.clone());
    let mut diags = Diags {
        spill: Spill::new(printed),
        expired: Vec::new(),
        quiet: args.quiet.codes.clone(),
    };
    ws.problems.iter().for_each(|d| diags.push(d.clone()));
    ws.framework_ref_problems()
        .into_iter()
        .for_each(|d| diags.push(d));
    let cache = args.cache.open(&ws.root);
    let counts = check_profiles(&ws, today, args.fail_on_drafts, cache.as_ref(), &mut diags)
        .map_err(spill_failed)?;
    // Expired waivers are said last, and listed apart in the JSON. The others are sorted by
    // place; a profile a waiver names is read for the waiver checks and by the stream, and its
    // problems are said once.
    let Diags { spill, expired, .. } = diags;
    let mut sorted = spill.sorted().map_err(spill_failed)?;
    let errors = sorted.errors();
    let warnings = sorted.len() - errors + expired.len();
    if args.format == CheckFormat::Json {
        // Expired waivers are diagnostics too (with their code), and keep their own list.
        let lines: Vec<String> = expired.iter().map(Diagnostic::report_line).collect();
        let all = spill::JsonArray {
            sorted: std::cell::RefCell::new(&mut sorted),
            then: &expired,
        };
        let doc = JsonDoc {
            errors,
            warnings,
            diagnostics: all,
            expired_waivers: lines,
        };
        output::emit(None, |w| {
            writer::write_one(
                Reader::JsonStream,
                w,
                |w, doc: JsonDoc| {
                    // Serializers write a few bytes at a time; the escaping writer sees blocks.
                    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
                    serde_json::to_writer_pretty(&mut w, &doc).map_err(std::io::Error::from)?;
                    w.write_all(b"\n")?;
                    Ok(w.flush()?)
                },
                doc,
            )
        })?;
        return Ok(if errors > 0 {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    }
    print_sorted(&mut sorted).map_err(spill_failed)?;
    print_diagnostics(&expired, &ws.root);
    status!("{}", summary(&ws, &counts, errors, warnings));
    if errors > 0 {
        return Err(Failure(Vec::new()));
    }
    Ok(ExitCode::SUCCESS)
}

/// `check --format json`, in the order its fields are written.
#[derive(serde::Serialize)]
struct JsonDoc<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: spill::JsonArray<'a>,
    expired_waivers: Vec<String>,
}

/// The diagnostics of the run: those a `--quiet-warnings` code silences are dropped, expired
/// waivers kept apart (they are said last), the others spilled to disk.
struct Diags {
    spill: Spill,
    expired: Vec<Diagnostic>,
    quiet: Vec<Code>,
}

impl Diags {
    fn push(&mut self, d: Diagnostic) {
        if d.is_quieted(&self.quiet) {
        } else if d.code == Some(Code::ExpiredWaiver) {
            self.expired.push(d);
        } else {
            self.spill.push(&d);
        }
    }

    /// A note rendered as the spill keeps it (`evaluation::rendered`), as [`Diags::push`]
    /// takes a diagnostic.
    fn push_note(&mut self, n: &evaluation::rendered::Note) {
        if n.is_quieted(&self.quiet) {
        } else if n.code == Some(Code::ExpiredWaiver) {
            match serde_json::from_slice::<Diagnostic>(&n.bytes) {
                Ok(d) => self.expired.push(d),
                Err(_) => self.spill.push_note(n),
            }
        } else {
            self.spill.push_note(n);
        }
    }

    fn contains(&mut self, d: &Diagnostic) -> std::io::Result<bool> {
        Ok(self.expired.contains(d) || self.spill.contains(d)?)
    }
}

/// Writes the sorted diagnostics to stderr, as [`print_diagnostics`] does, one by one: the
/// spill keeps each as printed (rendered and cleaned as `print_diagnostics` does).
fn print_sorted(sorted: &mut spill::Sorted) -> std::io::Result<()> {
    let mut err = std::io::BufWriter::with_capacity(1 << 16, std::io::stderr().lock());
    // A closed stderr is not worth failing for (as `print_diagnostics`); a spill that cannot
    // be read back is.
    sorted.for_each_printed(|text| {
        let _ = err.write_all(text);
        Ok(())
    })?;
    let _ = err.flush();
    Ok(())
}

fn spill_failed(e: std::io::Error) -> Failure {
    Diagnostic::error(format!(
        "cannot keep the diagnostics in a temporary file: {e}"
    ))
    .hint("free space in the temporary folder, or point TMPDIR at a folder with room")
    .into()
}

/// What the profiles hold, for the closing line.
#[derive(Default)]
struct Counts {
    vendors: usize,
    offerings: usize,
    claims: usize,
    verified: usize,
}

impl Counts {
    fn add(&mut self, p: &ProfileSummary) {
        self.vendors += 1;
        self.offerings += p.offerings;
        self.claims += p.claims;
        self.verified += p.verified;
    }
}

/// Reads every profile, batch by batch, with its problems, and runs every rule on its
/// offerings at every classification of every policy: a rule that fails at run time (an
/// unknown fact, a limit) is a problem of the workspace too, and so is a waiver that matches
/// nothing or has expired. Returns what the profiles hold.
fn check_profiles(
    ws: &Workspace,
    today: jiff::civil::Date,
    fail_on_drafts: bool,
    cache: Option<&crate::cache::Cache>,
    diags: &mut Diags,
) -> std::io::Result<Counts> {
    let requests: Vec<Request> = ws
        .policies
        .iter()
        .map(|policy| Request {
            policy,
            offerings: Vec::new(),
            classes: policy.classes.iter().map(|c| c.name.clone()).collect(),
            tags: Vec::new(),
            today,
            generated: String::new(),
            // Read as the stream names them: every chain is followed, and its problems said.
            providers: evaluation::Lookup::Folder(&ws.root),
        })
        .collect();
    let mut checker = Checker {
        policies: &ws.policies,
        fail_on_drafts,
        diags,
        counts: Counts::default(),
        // Only which waivers matched a finding is kept, not the results.
        used: ws
            .policies
            .iter()
            .map(|p| vec![false; p.waivers.len()])
            .collect(),
    };
    // Each vendor's notes reach the spill as its records, and each offering as the rules its
    // waived findings name.
    let form = evaluation::rendered::Form::Check {
        drafts: fail_on_drafts,
    };
    let cache = cache.and_then(|c| evaluation::cached::CacheUse::new(c, ws, &requests, form));
    let profiles = evaluation::Offerings::Read {
        profiles: ProfileStream::new(ws, |_| true),
        stop_on_load_errors: false,
        cache: cache.as_ref(),
        form,
    };
    let summaries = match evaluation::stream(&ws.rules, &requests, profiles, &mut checker) {
        Ok(summaries) => summaries,
        Err(evaluation::Stop::Load(errors)) => {
            errors.into_iter().for_each(|d| checker.diags.push(d));
            Vec::new()
        }
        Err(evaluation::Stop::Handler(never)) => match never {},
    };
    if let Some(c) = &cache {
        c.finish();
    }
    let Checker {
        diags,
        counts,
        used,
        ..
    } = checker;
    for ((summary, policy), used) in summaries.into_iter().zip(&ws.policies).zip(&used) {
        unused_waivers(policy, used, today)
            .into_iter()
            .for_each(|d| diags.push(d));
        for e in summary.errors {
            if !diags.contains(&e)? {
                diags.push(e);
            }
        }
    }
    ws.policies
        .iter()
        .flat_map(|policy| evaluation::expired_waivers(policy, today))
        .for_each(|d| diags.push(d));
    Ok(counts)
}

/// What `check` keeps of the stream: the profiles' problems and counts, and which waivers
/// matched a finding.
struct Checker<'a> {
    policies: &'a [crate::model::policy::Policy],
    fail_on_drafts: bool,
    diags: &'a mut Diags,
    counts: Counts,
    used: Vec<Vec<bool>>,
}

impl evaluation::Handler for Checker<'_> {
    type Error = std::convert::Infallible;

    fn read(&mut self, read: &mut crate::evaluation::profiles::Read) -> Result<(), Self::Error> {
        // The vendors' rendered notes in the order of their diagnostics: problems (the
        // problems of chains after them), unverified quotes, superseded citations.
        let notes = std::mem::take(&mut read.notes);
        notes.problems.iter().for_each(|n| self.diags.push_note(n));
        read.problems
            .iter()
            .for_each(|d| self.diags.push(d.clone()));
        notes
            .unverified
            .iter()
            .for_each(|n| self.diags.push_note(n));
        for d in &read.unverified {
            let d = d.clone();
            self.diags
                .push(if self.fail_on_drafts && d.code == Some(Code::DraftClaim) {
                    d.into_error()
                } else {
                    d
                });
        }
        notes
            .superseded
            .iter()
            .for_each(|n| self.diags.push_note(n));
        for s in &read.summaries {
            s.superseded.iter().for_each(|d| self.diags.push(d.clone()));
            self.counts.add(s);
        }
        Ok(())
    }

    fn rendered(
        &mut self,
        request: usize,
        r: &evaluation::rendered::Rendered,
    ) -> Result<(), Self::Error> {
        let (policy, used) = (&self.policies[request], &mut self.used[request]);
        for cell in &r.cells {
            for rule in &cell.waived {
                for (w, used) in policy.waivers.iter().zip(used.iter_mut()) {
                    *used |= w.matches(rule, &r.vendor, &r.offering, &cell.classification);
                }
            }
        }
        Ok(())
    }

    fn result(&mut self, request: usize, r: OfferingResult) -> Result<(), Self::Error> {
        let (policy, used) = (&self.policies[request], &mut self.used[request]);
        for f in r.findings.iter().filter(|f| f.waived.is_some()) {
            for (w, used) in policy.waivers.iter().zip(used.iter_mut()) {
                *used |= w.matches(&f.rule, &r.vendor, &r.offering, &r.classification);
            }
        }
        Ok(())
    }
}

/// "checked 2 policies, 5 vendors (8 offerings, 87 claims, 87 quotes verified), ...".
fn summary(ws: &Workspace, counts: &Counts, errors: usize, warnings: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "checked {}, {} ({} offerings, {} claims, {} quotes verified), {}: {}, {}",
        plural(ws.policies.len(), "policy", "policies"),
        plural(counts.vendors, "vendor", "vendors"),
        counts.offerings,
        counts.claims,
        counts.verified,
        plural(ws.rules.rules.len(), "rule script", "rule scripts"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    )
}

/// Live waivers that match no finding: they waive nothing and probably name the wrong rule,
/// vendor or class (or the problem they waived is gone and the waiver can be removed).
fn unused_waivers(
    policy: &crate::model::policy::Policy,
    used: &[bool],
    today: jiff::civil::Date,
) -> Vec<Diagnostic> {
    policy
        .waivers
        .iter()
        .zip(used)
        .filter(|(w, used)| w.live(today) && !**used)
        .map(|(w, _)| {
            Diagnostic::warning(format!(
                "waiver of rule `{}` for {}{} matches no finding (unused)",
                w.rule,
                w.vendor,
                w.offering.as_deref().map(|o| format!("/{o}")).unwrap_or_default()
            ))
            .in_file(policy.file.clone())
            .at(w.at)
            .code(Code::UnusedWaiver)
            .hint("remove the waiver if the problem it covered is gone, or fix its rule, vendor, offering or classification")
        })
        .collect()
}
