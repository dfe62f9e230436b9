//! `diligence explain VENDOR/OFFERING [RULE]`: why a verdict is what it is — the requirements in
//! force and where each comes from, every fact a rule read with all its claims, the findings,
//! and what the rule printed.

use super::evaluate::{parse_today, select_classes, select_offerings, select_tags};
use super::{Failure, Global, Outcome, write_stdout};
use crate::diag::{Diagnostic, did_you_mean};
use crate::engine::Bindings;
use crate::engine::facts::{FactTable, role_str};
use crate::evaluation::{Finding, Verdict, finding, freshness};
use crate::workspace::Workspace;
use clap::Args;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The offering: VENDOR/OFFERING (or VENDOR when it has one offering)
    #[arg(value_name = "VENDOR/OFFERING")]
    pub target: String,
    /// One rule to explain (default: every rule's outcome)
    #[arg(value_name = "RULE")]
    pub rule: Option<String>,
    /// The policy: policies/NAME.yaml
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub policy: String,
    /// The classification (default: the policy's most sensitive)
    #[arg(long = "class", value_name = "LEVEL")]
    pub class: Option<String>,
    /// Data tags that add requirements (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Explain as of this date: YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

pub fn run(global: &Global, args: ExplainArgs) -> Outcome {
    let today = parse_today(args.today.as_deref())?;
    let ws = Workspace::load(&global.dir)?;
    let errors: Vec<Diagnostic> = ws
        .problems
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(Failure(errors));
    }
    let policy = ws.policy(&args.policy)?;
    let selected = select_offerings(&ws, std::slice::from_ref(&args.target))?;
    let [(profile, offering)] = selected.as_slice() else {
        let ids: Vec<String> = selected
            .iter()
            .map(|(p, o)| format!("{}/{}", p.id, o.id))
            .collect();
        return Err(Diagnostic::error(format!(
            "`{}` has {} offerings; explain one at a time",
            args.target,
            ids.len()
        ))
        .hint(format!("one of: {}", ids.join(", ")))
        .into());
    };
    let class = match &args.class {
        Some(c) => select_classes(policy, std::slice::from_ref(c))?.remove(0),
        None => policy
            .classes
            .last()
            .map(|c| c.name.clone())
            .ok_or_else(|| Diagnostic::error("the policy has no classifications"))?,
    };
    let tags = select_tags(policy, &args.tags)?;
    let rules: Vec<_> = match &args.rule {
        Some(id) => vec![ws.rules.rule(id).ok_or_else(|| {
            Diagnostic::error(format!("no rule `{id}` in scripts/")).hint(
                did_you_mean(id, ws.rules.rules.iter().map(|r| r.id.as_str())).unwrap_or_else(
                    || {
                        let ids: Vec<&str> = ws.rules.rules.iter().map(|r| r.id.as_str()).collect();
                        format!("rules: {}", ids.join(", "))
                    },
                ),
            )
        })?],
        None => ws.rules.rules.iter().collect(),
    };

    let requirements = policy.requirements(&class, &tags);
    let table = Arc::new(FactTable::build(
        profile,
        offering,
        freshness(policy, today),
    ));
    let bindings = Bindings {
        profile,
        offering,
        policy,
        classification: &class,
        tags: &tags,
        requirements: &requirements,
        today,
    };
    let mut scope = bindings.scope();
    let decisive = requirements.decisive_facts();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}/{} — {} ({}), {}",
        profile.id, offering.id, offering.name, offering.tier, profile.name
    );
    let _ = writeln!(
        out,
        "policy {} · class {}{} · {}{}",
        policy.name,
        class,
        if args.class.is_none() {
            " (most sensitive; choose with --class)"
        } else {
            ""
        },
        if tags.is_empty() {
            "no tags".to_string()
        } else {
            format!("tags: {}", tags.join(", "))
        },
        format_args!(" · as of {today}"),
    );
    let _ = writeln!(out, "\nRequirements in force");
    if requirements.0.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for (name, (value, origin)) in &requirements.0 {
        let _ = writeln!(out, "  {name:<38} {:<24} ({origin})", value.to_string());
    }

    let mut all_findings: Vec<Finding> = Vec::new();
    for rule in rules {
        let _ = writeln!(out, "\nRule {} — {}", rule.id, rule.title);
        if !rule.rationale.is_empty() {
            let _ = writeln!(out, "  {}", rule.rationale);
        }
        let record = ws
            .rules
            .run(rule, &table, &mut scope, &decisive, today)
            .map_err(Failure::from)?;
        if record.reads.is_empty() {
            let _ = writeln!(out, "  read no facts");
        } else {
            let _ = writeln!(out, "  Facts read");
        }
        for name in &record.reads {
            explain_fact(&mut out, name, profile, offering, &table);
        }
        let findings: Vec<Finding> = record
            .findings
            .into_iter()
            .map(|raw| finding(&rule.id, &rule.file, raw, &table))
            .collect();
        if findings.is_empty() {
            let _ = writeln!(
                out,
                "  raised no findings (the requirement does not apply here)"
            );
        } else {
            let _ = writeln!(out, "  Findings");
        }
        for f in &findings {
            let _ = writeln!(
                out,
                "    {:<9} {}  ({})",
                f.level.as_str(),
                f.message,
                f.raised_at
            );
            if let Some(a) = &f.action {
                let _ = writeln!(out, "              → {a}");
            }
        }
        if !record.trace.is_empty() {
            let _ = writeln!(out, "  Output (print/debug)");
            for line in &record.trace {
                let _ = writeln!(out, "    {line}");
            }
        }
        let _ = writeln!(out, "  contributes: {}", Verdict::of(&findings).as_str());
        all_findings.extend(findings);
    }
    let _ = writeln!(
        out,
        "\nVerdict{}: {}",
        if args.rule.is_some() {
            " from this rule"
        } else {
            ""
        },
        Verdict::of(&all_findings).as_str()
    );
    write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn explain_fact(
    out: &mut String,
    name: &str,
    profile: &crate::model::profile::Profile,
    offering: &crate::model::profile::Offering,
    table: &FactTable,
) {
    let Some(resolved) = table.resolved.get(name) else {
        let _ = writeln!(out, "    {name} = unknown (no claim in the profile)");
        return;
    };
    let value = match (&resolved.value, resolved.status) {
        (Some(v), _) => v.to_string(),
        (None, crate::model::resolve::Status::Conflicting) => "conflicting".into(),
        (None, crate::model::resolve::Status::NotStated) => {
            format!("not stated (searched: {})", resolved.searched.join(", "))
        }
        (None, _) => "unknown".into(),
    };
    let by = resolved
        .authority
        .map(|a| {
            format!(
                " (decided at {} authority{})",
                a.as_str(),
                if resolved.stale { ", stale" } else { "" }
            )
        })
        .unwrap_or_default();
    let _ = writeln!(out, "    {name} = {value}{by}");
    let Some(fact) = offering.facts.get(name) else {
        return;
    };
    for (claim, role) in fact.claims.iter().zip(&resolved.roles) {
        let source = claim.source.as_deref().and_then(|s| profile.source(s));
        let doc = source.map_or("bare value, no evidence".to_string(), |s| s.title.clone());
        let section = claim
            .section
            .as_deref()
            .map(|s| format!(" §{s}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "      {:<10} {:<12} {} says {}: {doc}{section}  [{}:{}:{}]",
            role_str(*role),
            claim.authority.as_str(),
            claim.source.as_deref().unwrap_or("-"),
            claim.value,
            profile.file,
            claim.at.line,
            claim.at.column
        );
        if let Some(q) = &claim.quote {
            let _ = writeln!(out, "                 \"{q}\"");
        }
        if let crate::model::profile::Verification::Failed { reason, .. } = &claim.verification {
            let _ = writeln!(out, "                 NOT VERIFIED: {reason}");
        }
    }
}
