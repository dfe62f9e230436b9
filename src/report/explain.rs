//! `explain`: the requirements in force and where each comes from, every fact a rule read with
//! all its claims, the findings and what the rule printed; then the verdict. It renders a
//! [`Cell`] from the one evaluation path, so it always agrees with `evaluate`.

use crate::evaluation::{Cell, RuleOutcome};
use crate::model::policy::Requirements;
use crate::model::profile::Verification;
use crate::model::resolve::Status;
use crate::model::resolved::ResolvedOffering;
use std::io::{self, Write};

/// What is explained: the cell, and how it was chosen.
pub struct Explained<'a> {
    pub cell: &'a Cell,
    pub resolved: &'a ResolvedOffering,
    pub requirements: &'a Requirements,
    pub policy: &'a str,
    /// The classification was not given: the most sensitive was chosen.
    pub class_defaulted: bool,
    /// One rule was asked for.
    pub one_rule: bool,
    pub today: jiff::civil::Date,
    /// Each rule's title and rationale, by id.
    pub rule_text: &'a dyn Fn(&str) -> (String, String),
}

pub fn render(out: &mut dyn Write, e: &Explained) -> io::Result<()> {
    let r = &e.cell.result;
    writeln!(
        out,
        "{}/{} — {} ({}), {}",
        r.vendor, r.offering, r.offering_name, r.tier, r.vendor_name
    )?;
    for note in super::offering_notes(r) {
        writeln!(out, "note: {note}")?;
    }
    writeln!(
        out,
        "policy {} · class {}{} · {} · as of {}",
        e.policy,
        r.classification,
        if e.class_defaulted {
            " (most sensitive; choose with --class)"
        } else {
            ""
        },
        if r.tags.is_empty() {
            "no tags".to_string()
        } else {
            format!("tags: {}", r.tags.join(", "))
        },
        e.today,
    )?;
    writeln!(out, "\nRequirements in force")?;
    if e.requirements.0.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for (name, (value, origin)) in &e.requirements.0 {
        writeln!(out, "  {name:<38} {:<24} ({origin})", value.to_string())?;
    }
    for rule in &e.cell.rules {
        rule_section(out, e, rule)?;
    }
    writeln!(
        out,
        "\nVerdict{}: {}",
        if e.one_rule { " from this rule" } else { "" },
        r.verdict.as_str()
    )
}

/// One rule: its title and rationale, the facts it read with their claims, its findings and
/// what it printed.
fn rule_section(out: &mut dyn Write, e: &Explained, rule: &RuleOutcome) -> io::Result<()> {
    let r = &e.cell.result;
    let (title, rationale) = (e.rule_text)(&rule.rule);
    writeln!(out, "\nRule {} — {title}", rule.rule)?;
    if !rationale.is_empty() {
        writeln!(out, "  {rationale}")?;
    }
    if let Some(error) = &rule.error {
        return writeln!(out, "  FAILED at {}: {}", error.location(), error.message);
    }
    writeln!(
        out,
        "  {}",
        if rule.reads.is_empty() {
            "read no facts"
        } else {
            "Facts read"
        }
    )?;
    for name in &rule.reads {
        fact(out, name, e.resolved)?;
    }
    writeln!(
        out,
        "  {}",
        if rule.findings.is_empty() {
            "raised no findings (the requirement does not apply here)"
        } else {
            "Findings"
        }
    )?;
    for f in &r.findings[rule.findings.clone()] {
        writeln!(
            out,
            "    {:<9} {}  ({})",
            f.level.as_str(),
            f.message,
            f.raised_at
        )?;
        if let Some(a) = &f.action {
            writeln!(out, "              → {a}")?;
        }
        if let Some(w) = &f.waived {
            writeln!(
                out,
                "              waived until {}, approved by {}: {}",
                w.expires, w.approved_by, w.reason
            )?;
        }
    }
    if !rule.trace.is_empty() {
        writeln!(out, "  Output (print/debug)")?;
        for line in &rule.trace {
            writeln!(out, "    {line}")?;
        }
    }
    let contributes = crate::outcome::Verdict::of(&r.findings[rule.findings.clone()]);
    writeln!(out, "  contributes: {}", contributes.as_str())
}

fn fact(out: &mut dyn Write, name: &str, resolved: &ResolvedOffering) -> io::Result<()> {
    let Some(f) = resolved.get(name) else {
        return writeln!(out, "    {name} = unknown (no claim in the profile)");
    };
    let r = &f.resolved;
    let value = match (&r.value, r.status) {
        (Some(v), _) => v.to_string(),
        (None, Status::Conflicting) => "conflicting".into(),
        (None, Status::NotStated) => format!("not stated (searched: {})", r.searched.join(", ")),
        (None, _) => "unknown".into(),
    };
    let by = r
        .authority
        .map(|a| {
            format!(
                " (decided at {} authority{})",
                a.as_str(),
                if r.stale { ", stale" } else { "" }
            )
        })
        .unwrap_or_default();
    writeln!(out, "    {name} = {value}{by}")?;
    for (e, verification) in f.evidence.iter().zip(&f.verification) {
        let doc = e
            .title
            .clone()
            .unwrap_or_else(|| "bare value, no evidence".to_string());
        let section = e
            .section
            .as_deref()
            .map(|s| format!(" §{s}"))
            .unwrap_or_default();
        writeln!(
            out,
            "      {:<10} {:<12} {} says {}: {doc}{section}  [{}]",
            e.role.as_str(),
            e.authority.as_str(),
            e.source.as_deref().unwrap_or("-"),
            e.value,
            e.at
        )?;
        if let Some(q) = &e.quote {
            writeln!(out, "                 \"{q}\"")?;
        }
        if let Verification::Failed { reason, .. } = verification {
            writeln!(out, "                 NOT VERIFIED: {reason}")?;
        }
        if let Some(n) = &e.note {
            writeln!(out, "                 note: {n}")?;
        }
        if let Some(n) = &e.source_notes {
            writeln!(out, "                 source note: {n}")?;
        }
    }
    Ok(())
}
