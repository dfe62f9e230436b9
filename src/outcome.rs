//! What an evaluation concludes, format-neutral: finding levels, verdicts, findings and results.
//! These types are the JSON contract of DESIGN.md; every report renders them and nothing else.

use crate::model::resolved::Evidence;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A finding's level, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Pass,
    Info,
    Warn,
    Condition,
    Hold,
    Block,
}

pub mod open;

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Pass,
        Level::Info,
        Level::Warn,
        Level::Condition,
        Level::Hold,
        Level::Block,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Pass => "pass",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Condition => "condition",
            Level::Hold => "hold",
            Level::Block => "block",
        }
    }
}

/// The verdict of one offering at one classification, best first. `Error` (a rule failed, so
/// the cell cannot be trusted) is worse than no-go for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "go")]
    Go,
    #[serde(rename = "conditional")]
    Conditional,
    #[serde(rename = "hold")]
    Hold,
    #[serde(rename = "no-go")]
    NoGo,
    /// Never written by a user (a test case cannot expect a rule to fail).
    #[serde(rename = "error", skip_deserializing)]
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Go => "go",
            Verdict::Conditional => "conditional",
            Verdict::Hold => "hold",
            Verdict::NoGo => "no-go",
            Verdict::Error => "error",
        }
    }

    /// The verdict a finding level drives (warn, info and pass never change it).
    pub fn from_level(level: Level) -> Verdict {
        match level {
            Level::Block => Verdict::NoGo,
            Level::Hold => Verdict::Hold,
            Level::Condition => Verdict::Conditional,
            Level::Warn | Level::Info | Level::Pass => Verdict::Go,
        }
    }

    /// The verdict of a set of findings: the worst that is not waived.
    pub fn of(findings: &[Finding]) -> Verdict {
        findings
            .iter()
            .filter(|f| f.waived.is_none())
            .map(|f| Verdict::from_level(f.level))
            .max()
            .unwrap_or(Verdict::Go)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WaiverInfo {
    pub reason: String,
    pub approved_by: String,
    pub expires: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub level: Level,
    pub message: String,
    pub action: Option<String>,
    pub waived: Option<WaiverInfo>,
    /// The framework clauses the rule evidences (`GDPR Art. 28(3)(g)`), from its `//! refs:`
    /// header; shared by every finding of the rule.
    pub refs: Arc<[String]>,
    /// The resolved value of each fact cited (null when unknown or conflicting), sorted by fact
    /// name, serialized as a JSON object. A list rather than a map: a finding cites one or two
    /// facts, and a BTreeMap node costs about 600 bytes in every one of them.
    #[serde(
        serialize_with = "cited_facts_as_map",
        deserialize_with = "cited_facts_from_map"
    )]
    pub facts: Vec<(String, Value)>,
    /// Shared with every other finding that cites the same facts of the same offering.
    pub evidence: Vec<Arc<Evidence>>,
    /// `scripts/<rule>.rhai:LINE` of the call that raised it (`engine` for engine checks).
    pub raised_at: String,
    /// For a finding that cites no claim, the place it is about (`file:line:col`): a missing
    /// document's entry in the profile. Where SARIF and annotations point; not in the JSON.
    #[serde(skip)]
    pub about: Option<String>,
}

fn cited_facts_as_map<S: serde::Serializer>(
    facts: &[(String, Value)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(facts.iter().map(|(name, value)| (name, value)))
}

fn cited_facts_from_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<(String, Value)>, D::Error> {
    let map = serde_json::Map::<String, Value>::deserialize(d)?;
    Ok(map.into_iter().collect())
}

/// A rule that failed (a runtime error or a limit) while evaluating a cell: the cell's verdict
/// is `error`, and the rule's findings there are missing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleError {
    pub rule: String,
    pub message: String,
    /// `scripts/<rule>.rhai:LINE:COL`
    pub at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfferingResult {
    pub vendor: String,
    pub vendor_name: String,
    pub offering: String,
    pub offering_name: String,
    pub tier: String,
    /// The reviewer's notes on the vendor and the offering (`notes:` in the profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offering_notes: Option<String>,
    pub classification: String,
    pub tags: Vec<String>,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RuleError>,
    /// The decision in force on this offering at this coverage (`decisions/`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionNote>,
}

/// A decision of the register, as reports show it beside the verdict.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionNote {
    /// approved | approved_with_conditions | rejected
    pub outcome: String,
    pub date: String,
    pub by: String,
    /// The verdict when the decision was taken.
    pub verdict: Verdict,
    pub review_by: String,
    /// Conditions of the decision still open.
    pub open_conditions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub policy: String,
    pub organization: String,
    pub generated: String,
    pub today: String,
    pub classifications: Vec<String>,
    pub rules: Vec<String>,
    /// Each rule's framework references (rules that have none are left out).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub rule_refs: BTreeMap<String, Arc<[String]>>,
    pub results: Vec<OfferingResult>,
    /// Problems that did not stop the evaluation (expired waivers, changed snapshots), each
    /// shown in reports as one line, `file:line:col: message`.
    #[serde(serialize_with = "report_lines")]
    pub warnings: Vec<crate::diag::Diagnostic>,
}

/// The JSON contract lists warnings as lines of text.
fn report_lines<S: serde::Serializer>(
    warnings: &[crate::diag::Diagnostic],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(warnings.iter().map(crate::diag::Diagnostic::report_line))
}

impl Evaluation {
    pub fn worst(&self) -> Option<Verdict> {
        self.results.iter().map(|r| r.verdict).max()
    }
}

/// The findings that drive a verdict: the unwaived ones at the verdict's own level (a hold
/// does not drive a no-go cell; it would once the block is resolved). Empty for go.
pub fn driving(r: &OfferingResult) -> impl Iterator<Item = &Finding> {
    r.findings.iter().filter(move |f| {
        r.verdict != Verdict::Go && f.waived.is_none() && Verdict::from_level(f.level) == r.verdict
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(level: Level, waived: bool) -> Finding {
        Finding {
            rule: "r".into(),
            level,
            message: String::new(),
            action: None,
            waived: waived.then(|| WaiverInfo {
                reason: "r".into(),
                approved_by: "a".into(),
                expires: "2027-01-01".into(),
            }),
            refs: Arc::new([]),
            facts: Vec::new(),
            evidence: vec![],
            raised_at: String::new(),
            about: None,
        }
    }

    #[test]
    fn verdict_is_the_worst_unwaived_finding() {
        assert_eq!(Verdict::of(&[]), Verdict::Go);
        assert_eq!(
            Verdict::of(&[f(Level::Warn, false), f(Level::Info, false)]),
            Verdict::Go
        );
        assert_eq!(
            Verdict::of(&[f(Level::Condition, false), f(Level::Pass, false)]),
            Verdict::Conditional
        );
        assert_eq!(
            Verdict::of(&[f(Level::Condition, false), f(Level::Hold, false)]),
            Verdict::Hold
        );
        assert_eq!(
            Verdict::of(&[f(Level::Block, false), f(Level::Hold, false)]),
            Verdict::NoGo
        );
        assert_eq!(
            Verdict::of(&[f(Level::Block, true), f(Level::Condition, false)]),
            Verdict::Conditional
        );
        // A failed rule is worse than any decision, for --fail-on.
        assert!(Verdict::Error > Verdict::NoGo);
    }
}
