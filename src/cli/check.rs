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
    /// Check as of this date (evidence age, waiver expiry): YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

pub fn run(global: &Global, args: CheckArgs) -> Outcome {
    let today = super::args::parse_today(args.today.as_deref())?;
    let ws = Workspace::load(&global.dir)?;
    let mut diags: Vec<Diagnostic> = ws.problems.clone();
    diags.extend(ws.unverified.iter().cloned());

    // Run every rule on every offering at every classification of every policy: a rule that
    // fails at run time (an unknown fact, a limit) is a problem of the workspace too.
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
        let (eval, errors) = evaluation::evaluate(&ws.rules, &request);
        expired.extend(evaluation::expired_waivers(policy, today));
        diags.extend(unused_waivers(policy, &eval, today));
        for e in errors {
            if !diags.contains(&e) {
                diags.push(e);
            }
        }
    }
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
    eprintln!(
        "checked {} polic{}, {} vendor{} ({} offerings, {} claims, {} quotes verified), {} rule scripts: {} error{}, {} warning{}",
        ws.policies.len(),
        if ws.policies.len() == 1 { "y" } else { "ies" },
        ws.profiles.len(),
        if ws.profiles.len() == 1 { "" } else { "s" },
        offerings.len(),
        claims.len(),
        verified,
        ws.rules.rules.len(),
        errors,
        if errors == 1 { "" } else { "s" },
        warnings,
        if warnings == 1 { "" } else { "s" },
    );
    if errors > 0 {
        return Err(Failure(Vec::new()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Live waivers that match no finding: they waive nothing and probably name the wrong rule,
/// vendor or class (or the problem they waived is gone and the waiver can be removed).
fn unused_waivers(
    policy: &crate::model::policy::Policy,
    eval: &crate::outcome::Evaluation,
    today: jiff::civil::Date,
) -> Vec<Diagnostic> {
    policy
        .waivers
        .iter()
        .filter(|w| w.live(today))
        .filter(|w| {
            !eval.results.iter().any(|r| {
                r.findings.iter().any(|f| {
                    f.waived.is_some() && w.matches(&f.rule, &r.vendor, &r.offering, &r.classification)
                })
            })
        })
        .map(|w| {
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
