//! `diligence check`: every problem in the workspace, not only the first.

use super::{Failure, Global, Outcome, print_diagnostics};
use crate::diag::Diagnostic;
use crate::evaluation::{self, Request};
use crate::model::profile::Verification;
use crate::workspace::Workspace;
use clap::Args;
use std::process::ExitCode;

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
}

pub fn run(global: &Global, args: CheckArgs) -> Outcome {
    let today = args.today.date()?;
    let ws = Workspace::load(&global.dir)?;
    let mut diags: Vec<Diagnostic> = ws.problems.clone();
    diags.extend(ws.unverified.iter().cloned().map(|d| {
        if args.fail_on_drafts && d.message.contains(crate::workspace::DRAFT_WARNING) {
            Diagnostic {
                severity: crate::diag::Severity::Error,
                ..d
            }
        } else {
            d
        }
    }));
    for p in &ws.profiles {
        diags.extend(crate::model::evidence::superseded_citations(p));
    }
    let expired = evaluate_every_policy(&ws, today, &mut diags);
    diags.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));

    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors + expired.len();
    if args.format == CheckFormat::Json {
        let doc = serde_json::json!({
            "errors": errors,
            "warnings": warnings,
            "diagnostics": diags,
            "expired_waivers": expired,
        });
        let mut text = serde_json::to_string_pretty(&doc)
            .map_err(|e| Diagnostic::error(format!("cannot serialize the check report: {e}")))?;
        text.push('\n');
        super::write_stdout(text.as_bytes())?;
        return Ok(if errors > 0 {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    }
    print_diagnostics(&diags, &ws.root);
    let expired_diags: Vec<Diagnostic> = expired
        .iter()
        .map(|w| Diagnostic::warning(w.clone()))
        .collect();
    print_diagnostics(&expired_diags, &ws.root);
    status!("{}", summary(&ws, errors, warnings));
    if errors > 0 {
        return Err(Failure(Vec::new()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs every rule on every offering at every classification of every policy: a rule that
/// fails at run time (an unknown fact, a limit) is a problem of the workspace too, and so is a
/// waiver that matches nothing. Returns the expired waivers.
fn evaluate_every_policy(
    ws: &Workspace,
    today: jiff::civil::Date,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let offerings: Vec<_> = ws
        .profiles
        .iter()
        .flat_map(|p| p.offerings.iter().map(move |o| (p, o)))
        .collect();
    let mut expired = Vec::new();
    for policy in &ws.policies {
        let request = Request {
            policy,
            offerings: offerings.clone(),
            classes: policy.classes.iter().map(|c| c.name.clone()).collect(),
            tags: Vec::new(),
            today,
            generated: String::new(),
        };
        // Streamed: only which waivers matched a finding is kept, not the results, so `check`
        // does not hold the whole portfolio's findings in memory.
        let mut used = vec![false; policy.waivers.len()];
        let Ok(summary) = evaluation::evaluate_each(&ws.rules, &request, |r| {
            for f in r.findings.iter().filter(|f| f.waived.is_some()) {
                for (w, used) in policy.waivers.iter().zip(used.iter_mut()) {
                    *used |= w.matches(&f.rule, &r.vendor, &r.offering, &r.classification);
                }
            }
            Ok::<(), std::convert::Infallible>(())
        });
        expired.extend(evaluation::expired_waivers(policy, today));
        diags.extend(unused_waivers(policy, &used, today));
        for e in summary.errors {
            if !diags.contains(&e) {
                diags.push(e);
            }
        }
    }
    expired
}

/// "checked 2 policies, 5 vendors (8 offerings, 87 claims, 87 quotes verified), ...".
fn summary(ws: &Workspace, errors: usize, warnings: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let offerings: usize = ws.profiles.iter().map(|p| p.offerings.len()).sum();
    let claims: Vec<_> = ws
        .profiles
        .iter()
        .flat_map(|p| p.offerings.iter())
        .flat_map(|o| o.facts.values())
        .flat_map(|f| f.claims.iter())
        .collect();
    let verified = claims
        .iter()
        .filter(|c| c.verification == Verification::Verified)
        .count();
    format!(
        "checked {}, {} ({offerings} offerings, {} claims, {verified} quotes verified), {}: {}, {}",
        plural(ws.policies.len(), "policy", "policies"),
        plural(ws.profiles.len(), "vendor", "vendors"),
        claims.len(),
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
            .hint("remove the waiver if the problem it covered is gone, or fix its rule, vendor, offering or classification")
        })
        .collect()
}
