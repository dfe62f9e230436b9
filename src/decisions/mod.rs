//! The register of decisions: `decisions/<vendor>/<offering>.yaml`, one file per offering, each
//! holding every decision taken on it (the latest per coverage is in force, the earlier ones
//! stay as history). `decide` appends to it; `status` reads it against today.

pub mod drift;
pub mod fingerprint;
pub mod status;
pub mod write;

use crate::diag::{Diagnostic, Pos};
use crate::model::policy::Policy;
use crate::model::yaml::{self, span_pos};
use crate::outcome::Verdict;
use fingerprint::Fingerprint;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::path::Path;

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approved,
    ApprovedWithConditions,
    Rejected,
}

impl Outcome {
    pub const NAMES: [&'static str; 3] = ["approved", "approved_with_conditions", "rejected"];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::ApprovedWithConditions => "approved_with_conditions",
            Outcome::Rejected => "rejected",
        }
    }

    fn parse(s: &str) -> Option<Outcome> {
        match s {
            "approved" => Some(Outcome::Approved),
            "approved_with_conditions" => Some(Outcome::ApprovedWithConditions),
            "rejected" => Some(Outcome::Rejected),
            _ => None,
        }
    }

    pub fn approves(self) -> bool {
        self != Outcome::Rejected
    }
}

/// Where a condition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConditionStatus {
    Open,
    Met,
    Waived,
}

impl ConditionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionStatus::Open => "open",
            ConditionStatus::Met => "met",
            ConditionStatus::Waived => "waived",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
}

impl Person {
    /// `Name (role)`, or a bare name.
    pub fn parse(text: &str) -> Option<Person> {
        let text = text.trim();
        let (name, role) = match text.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
            Some((n, r)) => (
                n.trim(),
                Some(r.trim().to_string()).filter(|r| !r.is_empty()),
            ),
            None => (text, None),
        };
        (!name.is_empty()).then(|| Person {
            name: name.to_string(),
            role,
        })
    }

    pub fn shown(&self) -> String {
        match &self.role {
            Some(r) => format!("{} ({r})", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub owner: String,
    pub due: Date,
    pub status: ConditionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met: Option<Date>,
    /// Where the condition's `status:` value is written (for `decide --met`).
    #[serde(skip)]
    pub status_at: Pos,
}

/// A finding as it stood when the decision was taken.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PastFinding {
    pub rule: String,
    pub level: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub date: Date,
    pub outcome: Outcome,
    pub classification: String,
    pub tags: Vec<String>,
    pub policy: String,
    pub by: Vec<Person>,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Date>,
    pub verdict: Verdict,
    pub findings: Vec<PastFinding>,
    pub conditions: Vec<Condition>,
    pub review_by: Date,
    #[serde(skip)]
    pub fingerprint: Fingerprint,
    #[serde(skip)]
    pub digest: String,
    /// Where the entry starts in its file.
    #[serde(skip)]
    pub at: Pos,
}

impl Decision {
    /// What the decision covers: a later decision with the same coverage supersedes it.
    pub fn covers(&self, class: &str, tags: &[String]) -> bool {
        self.classification == class && same_tags(&self.tags, tags)
    }

    /// `confidential` or `confidential+phi`.
    pub fn coverage(&self) -> String {
        coverage(&self.classification, &self.tags)
    }

    pub fn decided_by(&self) -> String {
        self.by
            .iter()
            .map(Person::shown)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub fn coverage(class: &str, tags: &[String]) -> String {
    let mut s = class.to_string();
    for t in tags {
        s.push('+');
        s.push_str(t);
    }
    s
}

fn same_tags(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

/// One offering's register file, read and checked.
#[derive(Debug, Clone)]
pub struct Register {
    pub vendor: String,
    pub offering: String,
    /// `decisions/<vendor>/<offering>.yaml`
    pub file: String,
    /// In file order (dates increase per coverage).
    pub decisions: Vec<Decision>,
}

impl Register {
    /// The decisions in force: the latest per coverage, in the order first decided.
    pub fn current(&self) -> Vec<&Decision> {
        let mut out: Vec<&Decision> = Vec::new();
        for d in &self.decisions {
            match out
                .iter_mut()
                .find(|c| c.covers(&d.classification, &d.tags))
            {
                Some(slot) if d.date >= slot.date => *slot = d,
                Some(_) => {}
                None => out.push(d),
            }
        }
        out
    }

    pub fn current_for(&self, class: &str, tags: &[String]) -> Option<&Decision> {
        self.current().into_iter().find(|d| d.covers(class, tags))
    }
}

pub fn file_of(vendor: &str, offering: &str) -> String {
    format!("decisions/{vendor}/{offering}.yaml")
}

/// Every register file of the workspace, as (vendor, offering), sorted; vendors restricted to
/// `vendors` when it is not empty.
pub fn list(root: &Path, vendors: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(root.join("decisions")) else {
        return out;
    };
    let mut dirs: Vec<String> = dirs
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|v| vendors.is_empty() || vendors.contains(v))
        .collect();
    dirs.sort();
    for v in dirs {
        let Ok(files) = std::fs::read_dir(root.join("decisions").join(&v)) else {
            continue;
        };
        let mut names: Vec<String> = files
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|o| (v.clone(), o)));
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    vendor: Spanned<String>,
    offering: Spanned<String>,
    #[serde(default)]
    decisions: Vec<Spanned<RawDecision>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: String,
    #[serde(default)]
    role: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    date: Spanned<String>,
    outcome: Spanned<String>,
    classification: Spanned<String>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    policy: Option<Spanned<String>>,
    by: Spanned<Vec<RawPerson>>,
    #[serde(default, rename = "ref")]
    reference: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default, rename = "override")]
    override_reason: Option<String>,
    #[serde(default)]
    supersedes: Option<Spanned<String>>,
    verdict: Spanned<String>,
    #[serde(default)]
    findings: Vec<PastFinding>,
    #[serde(default)]
    conditions: Vec<Spanned<RawCondition>>,
    review_by: Spanned<String>,
    fingerprint: Spanned<fingerprint::RawFingerprint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    text: Spanned<String>,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    owner: Option<Spanned<String>>,
    #[serde(default)]
    due: Option<Spanned<String>>,
    status: Spanned<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    met: Option<Spanned<String>>,
}

/// Largest register file read.
const MAX_REGISTER_BYTES: u64 = 4 * 1024 * 1024;

/// What a register is checked against: the workspace's policies and today.
pub struct Checks<'a> {
    pub policies: &'a [Policy],
    pub today: Date,
}

/// Reads and checks `decisions/<vendor>/<offering>.yaml`. None when there is no such file.
/// Every problem is located in the file; a fingerprint that does not match what it was written
/// with is one of them (the file was edited by hand, or tampered with).
pub fn load(
    root: &Path,
    vendor: &str,
    offering: &str,
    checks: &Checks,
) -> Result<Option<(Register, String)>, Vec<Diagnostic>> {
    let file = file_of(vendor, offering);
    if !root.join(&file).exists() {
        return Ok(None);
    }
    let text = yaml::read_confined(root, &file, MAX_REGISTER_BYTES).map_err(|d| vec![d])?;
    let register = parse(&text, &file, vendor, offering, checks)?;
    Ok(Some((register, text)))
}

/// Parses a register's text (see [`load`]).
pub fn parse(
    text: &str,
    file: &str,
    vendor: &str,
    offering: &str,
    checks: &Checks,
) -> Result<Register, Vec<Diagnostic>> {
    let raw: RawFile = yaml::parse(text, file).map_err(|d| vec![d.in_file(file)])?;
    let mut problems = Vec::new();
    let err = |msg: String, at: Pos, hint: &str| {
        Diagnostic::error(msg)
            .in_file(file)
            .at(at)
            .hint(hint.to_string())
    };
    if raw.vendor.value != vendor || raw.offering.value != offering {
        problems.push(err(
            format!(
                "this register is for `{}/{}`, but its file is {file}",
                raw.vendor.value, raw.offering.value
            ),
            span_pos(&raw.vendor),
            "keep each offering's decisions in decisions/<vendor>/<offering>.yaml",
        ));
    }
    let mut decisions = Vec::new();
    for d in &raw.decisions {
        if let Some(decision) = decision(&d.value, span_pos(d), file, checks, &mut problems) {
            decisions.push(decision);
        }
    }
    // Two decisions on one coverage the same day: which one is in force cannot be told.
    for (i, a) in decisions.iter().enumerate() {
        if let Some(b) = decisions[..i]
            .iter()
            .find(|b| b.date == a.date && b.covers(&a.classification, &a.tags))
        {
            problems.push(err(
                format!(
                    "two decisions on {} dated {}: this one and the one at line {}",
                    a.coverage(),
                    a.date,
                    b.at.line
                ),
                a.at,
                "a later decision supersedes an earlier one: give each its own date",
            ));
        }
    }
    if problems.is_empty() {
        Ok(Register {
            vendor: vendor.to_string(),
            offering: offering.to_string(),
            file: file.to_string(),
            decisions,
        })
    } else {
        Err(problems)
    }
}

fn date_of(
    s: &Spanned<String>,
    field: &str,
    file: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Date> {
    match s.value.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(
                Diagnostic::error(format!("{field}: `{}` is not a date", s.value))
                    .in_file(file)
                    .at(span_pos(s))
                    .hint(format!(
                        "write it as YYYY-MM-DD, e.g. `{field}: 2026-11-24`"
                    )),
            );
            None
        }
    }
}

fn decision(
    raw: &RawDecision,
    at: Pos,
    file: &str,
    checks: &Checks,
    problems: &mut Vec<Diagnostic>,
) -> Option<Decision> {
    let before = problems.len();
    let err =
        |msg: String, at: Pos, hint: String| Diagnostic::error(msg).in_file(file).at(at).hint(hint);
    let date = date_of(&raw.date, "date", file, problems);
    if let Some(d) = date
        && d > checks.today
    {
        problems.push(err(
            format!("date: {d} is after today ({})", checks.today),
            span_pos(&raw.date),
            "a decision is recorded when it is taken: correct the date (or pass --today)".into(),
        ));
    }
    let review_by = date_of(&raw.review_by, "review_by", file, problems);
    let supersedes = raw
        .supersedes
        .as_ref()
        .and_then(|s| date_of(s, "supersedes", file, problems));
    let outcome = Outcome::parse(&raw.outcome.value);
    if outcome.is_none() {
        problems.push(err(
            format!("outcome: `{}` is not an outcome", raw.outcome.value),
            span_pos(&raw.outcome),
            format!("one of: {}", Outcome::NAMES.join(", ")),
        ));
    }
    let verdict: Option<Verdict> =
        serde_json::from_value(serde_json::Value::String(raw.verdict.value.clone())).ok();
    if verdict.is_none() {
        problems.push(err(
            format!("verdict: `{}` is not a verdict", raw.verdict.value),
            span_pos(&raw.verdict),
            "one of: go, conditional, hold, no-go".into(),
        ));
    }
    let policy_name = raw.policy.as_ref().map_or("default", |p| p.value.as_str());
    let policy = checks.policies.iter().find(|p| p.name == policy_name);
    match policy {
        None => problems.push(err(
            format!("policy: no policy `{policy_name}` in policies/"),
            raw.policy.as_ref().map_or(at, span_pos),
            "name a policy of policies/ (without .yaml)".into(),
        )),
        Some(p) => {
            if p.class(&raw.classification.value).is_none() {
                let names: Vec<&str> = p.classes.iter().map(|c| c.name.as_str()).collect();
                problems.push(err(
                    format!(
                        "classification: policy `{}` has no classification `{}`",
                        p.name, raw.classification.value
                    ),
                    span_pos(&raw.classification),
                    crate::diag::did_you_mean(&raw.classification.value, names.iter().copied())
                        .unwrap_or_else(|| format!("classifications: {}", names.join(", "))),
                ));
            }
            for t in &raw.tags {
                if p.tag(&t.value).is_none() {
                    let names: Vec<&str> = p.tags.iter().map(|t| t.name.as_str()).collect();
                    problems.push(err(
                        format!("tags: policy `{}` has no tag `{}`", p.name, t.value),
                        span_pos(t),
                        crate::diag::did_you_mean(&t.value, names.iter().copied())
                            .unwrap_or_else(|| format!("tags: {}", names.join(", "))),
                    ));
                }
            }
        }
    }
    let by: Vec<Person> = raw
        .by
        .value
        .iter()
        .filter(|p| !p.name.trim().is_empty())
        .map(|p| Person {
            name: p.name.trim().to_string(),
            role: p.role.clone(),
        })
        .collect();
    if by.is_empty() {
        problems.push(err(
            "by: a decision names who took it".into(),
            span_pos(&raw.by),
            "e.g. `by: [{name: Jane Doe, role: CISO}]`".into(),
        ));
    }
    let mut conditions = Vec::new();
    for c in &raw.conditions {
        let cat = span_pos(c);
        let c = &c.value;
        let owner = c.owner.as_ref().map(|o| o.value.trim()).unwrap_or("");
        if owner.is_empty() {
            problems.push(err(
                "condition without an owner".into(),
                cat,
                "give each condition `owner: Name` (who sees that it is met)".into(),
            ));
        }
        let due = match &c.due {
            Some(d) => date_of(d, "due", file, problems),
            None => {
                problems.push(err(
                    "condition without a due date".into(),
                    cat,
                    "give each condition `due: YYYY-MM-DD`".into(),
                ));
                None
            }
        };
        let status = match c.status.value.as_str() {
            "open" => Some(ConditionStatus::Open),
            "met" => Some(ConditionStatus::Met),
            "waived" => Some(ConditionStatus::Waived),
            other => {
                problems.push(err(
                    format!("status: `{other}` is not a condition status"),
                    span_pos(&c.status),
                    "one of: open, met, waived".into(),
                ));
                None
            }
        };
        let met = c
            .met
            .as_ref()
            .and_then(|m| date_of(m, "met", file, problems));
        if let (Some(due), Some(status)) = (due, status) {
            conditions.push(Condition {
                text: c.text.value.clone(),
                rule: c.rule.clone(),
                owner: owner.to_string(),
                due,
                status,
                evidence: c.evidence.clone(),
                met,
                status_at: span_pos(&c.status),
            });
        }
    }
    let fingerprint = Fingerprint::from_raw(&raw.fingerprint.value);
    if problems.len() > before {
        return None;
    }
    let (date, outcome, verdict, review_by) = (date?, outcome?, verdict?, review_by?);
    let decision = Decision {
        date,
        outcome,
        classification: raw.classification.value.clone(),
        tags: raw.tags.iter().map(|t| t.value.clone()).collect(),
        policy: policy_name.to_string(),
        by,
        reference: raw.reference.clone(),
        note: raw.note.clone(),
        override_reason: raw.override_reason.clone(),
        supersedes,
        verdict,
        findings: raw.findings.clone(),
        conditions,
        review_by,
        fingerprint,
        digest: raw.fingerprint.value.digest.value.clone(),
        at,
    };
    let expected = fingerprint::digest(&decision);
    if expected != decision.digest {
        problems.push(err(
            format!(
                "the fingerprint does not match this decision (recorded {}, its text gives {}): the decision or its evidence was edited after it was taken",
                decision.digest, expected
            ),
            span_pos(&raw.fingerprint.value.digest),
            "do not edit a decision: record a new one with `diligence decide` (it supersedes this one and keeps it as history)".into(),
        ));
        return None;
    }
    Some(decision)
}

/// Sets on each result the decision in force on its offering at its classification and tags,
/// for the reports that show it beside the verdict. A register that does not load is left out
/// with a warning (`status` says what is wrong with it).
pub fn annotate(
    root: &Path,
    checks: &Checks,
    results: &mut [crate::outcome::OfferingResult],
) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut cache: std::collections::HashMap<(String, String), Option<Register>> =
        std::collections::HashMap::new();
    for r in results.iter_mut() {
        let key = (r.vendor.clone(), r.offering.clone());
        let register =
            cache
                .entry(key)
                .or_insert_with(|| match load(root, &r.vendor, &r.offering, checks) {
                    Ok(found) => found.map(|(reg, _)| reg),
                    Err(_) => {
                        warnings.push(format!(
                        "{}: not shown beside the verdicts: it has errors (see `diligence status`)",
                        file_of(&r.vendor, &r.offering)
                    ));
                        None
                    }
                });
        let mut tags = r.tags.clone();
        tags.sort();
        r.decision = register
            .as_ref()
            .and_then(|reg| reg.current_for(&r.classification, &tags))
            .map(|d| crate::outcome::DecisionNote {
                outcome: d.outcome.as_str().to_string(),
                date: d.date.to_string(),
                by: d.decided_by(),
                verdict: d.verdict,
                review_by: d.review_by.to_string(),
                open_conditions: d
                    .conditions
                    .iter()
                    .filter(|c| c.status == ConditionStatus::Open)
                    .count(),
            });
    }
    warnings
}

/// The decisions on one coverage, oldest first, one line each: for the brief's history.
pub fn history(register: &Register, class: &str, tags: &[String]) -> Vec<String> {
    let mut tags = tags.to_vec();
    tags.sort();
    register
        .decisions
        .iter()
        .filter(|d| d.covers(class, &tags))
        .map(|d| {
            let mut line = format!(
                "{}: {} by {} (verdict {}; review by {})",
                d.date,
                d.outcome.as_str().replace('_', " "),
                d.decided_by(),
                d.verdict.as_str(),
                d.review_by
            );
            if let Some(r) = &d.reference {
                line.push_str(&format!("; ref {r}"));
            }
            if let Some(o) = &d.override_reason {
                line.push_str(&format!("; override: {o}"));
            }
            for (i, c) in d.conditions.iter().enumerate() {
                line.push_str(&format!(
                    "; condition {}: {} ({}, owner {}, due {}{})",
                    i + 1,
                    c.text,
                    c.status.as_str(),
                    c.owner,
                    c.due,
                    c.evidence
                        .as_ref()
                        .map_or(String::new(), |e| format!(", evidence: {e}"))
                ));
            }
            if let Some(n) = &d.note {
                line.push_str(&format!("; note: {n}"));
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Person;

    #[test]
    fn by_reads_a_name_and_an_optional_role() {
        let p = Person::parse(" Jane Doe (CISO) ").unwrap();
        assert_eq!(
            (p.name.as_str(), p.role.as_deref()),
            ("Jane Doe", Some("CISO"))
        );
        assert_eq!(Person::parse("Sam").unwrap().role, None);
        assert_eq!(Person::parse("Sam ()").unwrap().shown(), "Sam");
        assert!(Person::parse("  ").is_none());
        assert!(Person::parse("(CISO)").is_none());
    }
}
