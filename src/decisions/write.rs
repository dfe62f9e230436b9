//! Writing the register as text: a new decision is appended and a met condition is edited in
//! place, so that everything else in the file (comments, history, layout) stays as it was.

use super::{Condition, Decision, PastFinding};
use crate::diag::Diagnostic;
use serde_json::Value;
use std::fmt::Write;

/// A YAML scalar for any text: a JSON string is a valid YAML double-quoted scalar.
fn q(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// The text of a new register file, before its first decision.
pub fn header(vendor: &str, offering: &str) -> String {
    format!(
        "# Decisions on {vendor}/{offering}: appended by `diligence decide`, read by `diligence status`.\n\
         # Comments are kept. Do not edit a decision: decide again (the new one supersedes it and\n\
         # this file keeps the history); the fingerprint tells an edited decision.\n\
         vendor: {}\noffering: {}\ndecisions:\n",
        q(vendor),
        q(offering)
    )
}

/// `text` with `d` appended as the last entry of `decisions:`.
pub fn append(text: &str, d: &Decision) -> String {
    let mut out = String::with_capacity(text.len() + 2048);
    // An empty flow list cannot take a block entry after it.
    let mut replaced = false;
    for line in text.lines() {
        if !replaced && line.trim_end() == "decisions: []" {
            out.push_str("decisions:\n");
            replaced = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    entry(&mut out, d);
    out
}

fn entry(o: &mut String, d: &Decision) {
    let _ = writeln!(o, "  - date: {}", d.date);
    let _ = writeln!(o, "    outcome: {}", d.outcome.as_str());
    let _ = writeln!(o, "    classification: {}", q(&d.classification));
    let tags: Vec<String> = d.tags.iter().map(|t| q(t)).collect();
    let _ = writeln!(o, "    tags: [{}]", tags.join(", "));
    let _ = writeln!(o, "    policy: {}", q(&d.policy));
    o.push_str("    by:\n");
    for p in &d.by {
        match &p.role {
            Some(r) => {
                let _ = writeln!(o, "      - {{name: {}, role: {}}}", q(&p.name), q(r));
            }
            None => {
                let _ = writeln!(o, "      - {{name: {}}}", q(&p.name));
            }
        }
    }
    for (key, value) in [
        ("ref", &d.reference),
        ("note", &d.note),
        ("override", &d.override_reason),
    ] {
        if let Some(v) = value {
            let _ = writeln!(o, "    {key}: {}", q(v));
        }
    }
    if let Some(s) = d.supersedes {
        let _ = writeln!(o, "    supersedes: {s}");
    }
    let _ = writeln!(o, "    verdict: {}", d.verdict.as_str());
    findings(o, &d.findings);
    conditions(o, &d.conditions);
    let _ = writeln!(o, "    review_by: {}", d.review_by);
    let f = &d.fingerprint;
    o.push_str("    fingerprint:\n");
    let _ = writeln!(o, "      digest: {}", q(&d.digest));
    o.push_str(if f.facts.is_empty() {
        "      facts: {}\n"
    } else {
        "      facts:\n"
    });
    for (name, p) in &f.facts {
        let _ = writeln!(
            o,
            "        {}: {{value: {}, claims: {}}}",
            q(name),
            p.value,
            q(&p.claims)
        );
    }
    o.push_str(if f.snapshots.is_empty() {
        "      snapshots: {}\n"
    } else {
        "      snapshots:\n"
    });
    for (id, s) in &f.snapshots {
        let _ = writeln!(
            o,
            "        {}: {{file: {}, sha256: {}}}",
            q(id),
            q(&s.file),
            q(&s.sha256)
        );
    }
    o.push_str(if f.rules.is_empty() {
        "      rules: {}\n"
    } else {
        "      rules:\n"
    });
    for (id, h) in &f.rules {
        let _ = writeln!(o, "        {}: {}", q(id), q(h));
    }
    o.push_str(if f.requirements.is_empty() {
        "      requirements: {}\n"
    } else {
        "      requirements:\n"
    });
    for (name, v) in &f.requirements {
        let _ = writeln!(o, "        {}: {v}", q(name));
    }
    if !f.providers.is_empty() {
        o.push_str("      providers:\n");
    }
    for (name, verdict) in &f.providers {
        let _ = writeln!(o, "        {}: {}", q(name), q(verdict));
    }
}

fn findings(o: &mut String, list: &[PastFinding]) {
    if list.is_empty() {
        o.push_str("    findings: []\n");
        return;
    }
    o.push_str("    findings:\n");
    for f in list {
        let _ = writeln!(
            o,
            "      - {{rule: {}, level: {}, message: {}}}",
            q(&f.rule),
            q(&f.level),
            q(&f.message)
        );
    }
}

fn conditions(o: &mut String, list: &[Condition]) {
    if list.is_empty() {
        o.push_str("    conditions: []\n");
        return;
    }
    o.push_str("    conditions:\n");
    for c in list {
        let _ = writeln!(o, "      - text: {}", q(&c.text));
        if let Some(r) = &c.rule {
            let _ = writeln!(o, "        rule: {}", q(r));
        }
        let _ = writeln!(o, "        owner: {}", q(&c.owner));
        let _ = writeln!(o, "        due: {}", c.due);
        let _ = writeln!(o, "        status: {}", c.status.as_str());
    }
}

/// `text` with condition `c` marked met on `date` with `evidence`: its `status:` value becomes
/// `met` (a comment after it stays) and the evidence and date are written under it, at the same
/// indentation.
pub fn mark_met(
    text: &str,
    c: &Condition,
    evidence: &str,
    date: jiff::civil::Date,
) -> Result<String, Diagnostic> {
    let line_no = c.status_at.line as usize;
    let mut out = String::with_capacity(text.len() + evidence.len() + 64);
    let mut done = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 != line_no {
            out.push_str(line);
            continue;
        }
        let Some((key, comment)) = status_line(line) else {
            break;
        };
        let indent: String = line[..key]
            .chars()
            .map(|ch| if ch == '-' { ' ' } else { ch })
            .collect();
        let _ = writeln!(out, "{}status: met{comment}", &line[..key]);
        let _ = writeln!(out, "{indent}evidence: {}", q(evidence));
        let _ = writeln!(out, "{indent}met: {date}");
        done = true;
    }
    if done {
        Ok(out)
    } else {
        Err(Diagnostic::error(format!(
            "cannot find the condition's `status:` at line {line_no}"
        ))
        .hint("write each condition's `status:` on a line of its own"))
    }
}

/// Where `status:` starts in a line that holds only it, its value and perhaps a comment, and
/// the comment with the blanks before it (`"  # waiting on legal"`, or `""`). None for a line
/// that holds more (a flow mapping), which cannot take lines under it.
fn status_line(line: &str) -> Option<(usize, &str)> {
    let key = line.find("status:")?;
    let rest = line[key + "status:".len()..].trim_end_matches(['\n', '\r']);
    let value_start = rest.len() - rest.trim_start().len();
    let value_end = rest[value_start..]
        .find(|ch: char| ch.is_whitespace() || matches!(ch, ',' | '}' | ']'))
        .map_or(rest.len(), |n| value_start + n);
    let after = &rest[value_end..];
    let comment = after.trim_start();
    (comment.is_empty() || comment.starts_with('#')).then(|| (key, after.trim_end()))
}
