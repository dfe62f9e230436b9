//! Running a case: its rule alone, against its synthetic offering, through the one evaluation
//! path (`evaluation::evaluate_cell`, as `evaluate` and `explain` run it), then comparing what
//! the rule concluded with what the case expects.

use super::case::Case;
use super::expect::{Expect, ExpectedFinding};
use crate::diag::Diagnostic;
use crate::engine::RuleSet;
use crate::evaluation::{Context, Prepared, ProviderVerdicts, Stopped, evaluate_cell};
use crate::model::policy::Policy;
use crate::model::resolved::ResolvedOffering;
use crate::outcome::{Finding, Level, Verdict};
use std::fmt;

/// Why a case failed (besides a rule error).
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    Verdict { expected: Verdict, actual: Verdict },
    Missing(ExpectedFinding),
    Unwanted { level: Level, message: String },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Verdict { expected, actual } => write!(
                f,
                "expected verdict {}, got {}",
                expected.as_str(),
                actual.as_str()
            ),
            Mismatch::Missing(e) => write!(f, "expected {e}, found none"),
            Mismatch::Unwanted { level, message } => {
                write!(f, "expected no {} finding, got: {message}", level.as_str())
            }
        }
    }
}

/// What running a case produced.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// The rule failed (a runtime error or a limit): the case fails.
    pub errors: Vec<Diagnostic>,
    pub mismatches: Vec<Mismatch>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.errors.is_empty() && self.mismatches.is_empty()
    }
}

/// Compares a rule's findings with a case's expectations.
pub fn check(expect: &Expect, verdict: Verdict, findings: &[Finding]) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if let Some(expected) = expect.verdict
        && expected != verdict
    {
        out.push(Mismatch::Verdict {
            expected,
            actual: verdict,
        });
    }
    for e in &expect.findings {
        if !findings.iter().any(|f| matches(e, f)) {
            out.push(Mismatch::Missing(e.clone()));
        }
    }
    for level in &expect.absent {
        for f in findings.iter().filter(|f| f.level == *level) {
            out.push(Mismatch::Unwanted {
                level: *level,
                message: f.message.clone(),
            });
        }
    }
    out
}

/// Whether a finding is the one expected: same level, and the message and action contain the
/// expected substrings.
pub fn matches(expected: &ExpectedFinding, finding: &Finding) -> bool {
    expected.level == finding.level
        && expected
            .message
            .as_deref()
            .is_none_or(|m| finding.message.contains(m))
        && expected
            .action
            .as_deref()
            .is_none_or(|a| finding.action.as_deref().unwrap_or("").contains(a))
}

/// Runs one case: its rule only, against its synthetic offering, through the same evaluation
/// function as `evaluate`.
pub fn run_case(rules: &RuleSet, case: &Case, policy: &Policy) -> CaseResult {
    let mut policy = policy.clone();
    policy.evidence_max_age_days = case.evidence_max_age_days;
    policy.review_interval_days = case.review_interval_days;
    let ctx = Context::new(rules, &policy, &case.tags, case.today);
    let offering = &case.profile.offerings[0];
    let providers = given_providers(case, &ctx);
    let prepared = Prepared::new(&ctx, &case.profile, offering, providers);
    let stopped = Stopped::default();
    let cell = evaluate_cell(
        &ctx,
        &prepared,
        &case.classification,
        &case.requirements,
        Some(&case.rule),
        &stopped,
    );
    let errors: Vec<Diagnostic> = cell.rules.into_iter().filter_map(|o| o.error).collect();
    let (verdict, findings) = (Verdict::of(&cell.result.findings), cell.result.findings);
    let mismatches = if errors.is_empty() {
        check(&case.expect, verdict, &findings)
    } else {
        Vec::new()
    };
    CaseResult {
        verdict,
        findings,
        errors,
        mismatches,
    }
}

/// The case's providers as an evaluation gets them: each `vendor/offering` its `providers` fact
/// names with the verdict the case gives it (none given: not known), an external name as such.
fn given_providers(case: &Case, ctx: &Context) -> std::sync::Arc<ProviderVerdicts> {
    use crate::evaluation::chain::{LinkState, ProviderCell, ProviderLink};
    use crate::model::chain::{Target, relied_on};
    let offering = &case.profile.offerings[0];
    let resolved = ResolvedOffering::build(
        &case.profile,
        offering,
        crate::evaluation::freshness(ctx.policy, ctx.today),
    );
    let links = relied_on(&resolved)
        .into_iter()
        .map(|provider| {
            let state = match (Target::parse(&provider), case.providers.get(&provider)) {
                (Target::External(_), _) => LinkState::External,
                (Target::Offering { .. }, Some(verdict)) => LinkState::Evaluated {
                    classes: std::sync::Arc::new(
                        [(
                            case.classification.clone(),
                            ProviderCell {
                                verdict: *verdict,
                                driving: Vec::new(),
                            },
                        )]
                        .into(),
                    ),
                },
                (Target::Offering { .. }, None) => LinkState::Unresolved {
                    why: "the test case gives no verdict for it (add it under `providers:`)"
                        .to_string(),
                },
            };
            ProviderLink { provider, state }
        })
        .collect();
    std::sync::Arc::new(ProviderVerdicts { links })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    fn finding(level: Level, message: &str, action: Option<&str>, line: u32) -> Finding {
        Finding {
            rule: "r".into(),
            level,
            message: message.into(),
            action: action.map(str::to_string),
            waived: None,
            facts: Vec::new(),
            evidence: vec![],
            refs: std::sync::Arc::new([]),
            raised_at: format!("scripts/r.rhai:{line}"),
            about: None,
        }
    }

    fn expected(level: Level, message: Option<&str>, action: Option<&str>) -> ExpectedFinding {
        ExpectedFinding {
            level,
            message: message.map(str::to_string),
            action: action.map(str::to_string),
            at: Pos::default(),
        }
    }

    #[test]
    fn a_finding_matches_on_level_and_substrings() {
        let f = finding(
            Level::Hold,
            "Unknown whether the vendor trains on inputs.",
            Some("Ask the vendor: Do you train?"),
            3,
        );
        assert!(matches(&expected(Level::Hold, None, None), &f));
        assert!(matches(&expected(Level::Hold, Some("trains on"), None), &f));
        assert!(matches(
            &expected(Level::Hold, Some("Unknown"), Some("Ask the vendor")),
            &f
        ));
        assert!(!matches(
            &expected(Level::Block, Some("trains on"), None),
            &f
        ));
        assert!(!matches(&expected(Level::Hold, Some("unknown"), None), &f));
        assert!(!matches(&expected(Level::Hold, None, Some("Sign")), &f));
        let no_action = finding(Level::Info, "x", None, 4);
        assert!(!matches(
            &expected(Level::Info, None, Some("a")),
            &no_action
        ));
    }

    #[test]
    fn check_reports_every_mismatch() {
        let findings = vec![
            finding(Level::Block, "Trains by default.", Some("Do not send"), 9),
            finding(Level::Info, "note", None, 12),
        ];
        let verdict = Verdict::of(&findings);
        assert_eq!(verdict, Verdict::NoGo);
        let ok = Expect {
            verdict: Some(Verdict::NoGo),
            findings: vec![expected(Level::Block, Some("by default"), None)],
            absent: vec![Level::Hold, Level::Pass],
        };
        assert!(check(&ok, verdict, &findings).is_empty());

        let bad = Expect {
            verdict: Some(Verdict::Go),
            findings: vec![expected(Level::Pass, None, None)],
            absent: vec![Level::Block],
        };
        let got = check(&bad, verdict, &findings);
        assert_eq!(
            got,
            vec![
                Mismatch::Verdict {
                    expected: Verdict::Go,
                    actual: Verdict::NoGo
                },
                Mismatch::Missing(expected(Level::Pass, None, None)),
                Mismatch::Unwanted {
                    level: Level::Block,
                    message: "Trains by default.".into()
                },
            ]
        );
        assert_eq!(got[0].to_string(), "expected verdict go, got no-go");
        assert_eq!(got[1].to_string(), "expected a pass finding, found none");
        assert_eq!(
            got[2].to_string(),
            "expected no block finding, got: Trains by default."
        );
    }
}
