//! `--format junit` (quick-junit): JUnit XML for CI test reports.
//!
//! - `evaluate`: one test suite per offering and classification, one test case per rule. A case
//!   fails when the rule raised an unwaived finding that moves the verdict (block, hold or
//!   condition); the failure's `type` is the worst such level, its message the finding's.
//!   Waived findings, warnings and notes leave the case passed and are listed in its output.
//!   A rule that failed at run time is an `error` case (the cell's verdict is `error`).
//! - `test`: one test suite per rule, one test case per rule test case ([`render_cases`]).

use crate::outcome::Level;
use crate::outcome::{Evaluation, Finding, OfferingResult};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};

/// Whether a finding fails its test case: unwaived, and of a level that moves the verdict.
pub fn fails(f: &Finding) -> bool {
    f.waived.is_none() && f.level >= Level::Condition
}

fn suite_name(r: &OfferingResult) -> String {
    let mut name = format!("{}/{} at {}", r.vendor, r.offering, r.classification);
    if !r.tags.is_empty() {
        name.push_str(&format!(" + {}", r.tags.join(", ")));
    }
    name
}

fn line(f: &Finding) -> String {
    let mut t = format!("{}: {}", f.level.as_str(), f.message);
    if let Some(a) = f.action.as_deref().filter(|a| !a.is_empty()) {
        t.push_str(" → ");
        t.push_str(a);
    }
    if let Some(w) = &f.waived {
        t.push_str(&format!(
            " (waived until {} by {}: {})",
            w.expires, w.approved_by, w.reason
        ));
    }
    t
}

pub fn build(eval: &Evaluation) -> Report {
    let mut report = Report::new(format!("diligence evaluate · policy {}", eval.policy));
    for r in &eval.results {
        let mut suite = TestSuite::new(suite_name(r));
        for rule in &eval.rules {
            let findings: Vec<&Finding> = r
                .findings
                .iter()
                .filter(|f| &f.rule == rule && f.level != Level::Pass)
                .collect();
            let failing: Vec<&&Finding> = findings.iter().filter(|f| fails(f)).collect();
            let error = r.errors.iter().find(|e| &e.rule == rule);
            let status = match (error, failing.iter().max_by_key(|f| f.level)) {
                // The rule failed: its findings here are missing.
                (Some(e), _) => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                    s.set_type("rule error")
                        .set_message(e.message.clone())
                        .set_description(format!("{}: {}", e.at, e.message));
                    s
                }
                (None, Some(worst)) => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_type(worst.level.as_str())
                        .set_message(worst.message.clone())
                        .set_description(
                            failing
                                .iter()
                                .map(|f| line(f))
                                .collect::<Vec<_>>()
                                .join("\n"),
                        );
                    s
                }
                (None, None) => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(rule.clone(), status);
            case.set_classname(format!("{}.{}.{}", r.vendor, r.offering, r.classification));
            let others: Vec<String> = findings
                .iter()
                .filter(|f| !fails(f))
                .map(|f| line(f))
                .collect();
            if !others.is_empty() {
                case.set_system_out(others.join("\n"));
            }
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report
}

pub fn render(eval: &Evaluation, out: &mut dyn Write) -> io::Result<()> {
    write(&build(eval), out)
}

/// Serializes into memory first, so that a write error (a closed pipe) keeps its kind.
fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let xml = report
        .to_string()
        .map_err(|e| io::Error::other(e.to_string()))?;
    out.write_all(xml.as_bytes())
}

/// The outcome of one rule test case, for `diligence test --format junit`.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    /// The rule id (file stem of `scripts/<rule>.rhai`).
    pub rule: String,
    /// The case's `name:`.
    pub case: String,
    pub passed: bool,
    /// Why it failed (expected vs actual), or None when it passed.
    pub message: Option<String>,
    /// Where the case is: `scripts/<rule>.test.yaml:LINE:COL`.
    pub file: String,
}

/// JUnit for rule tests: one suite per rule (in the order first seen), one case per test case.
pub fn render_cases(outcomes: &[CaseOutcome], out: &mut dyn Write) -> io::Result<()> {
    let mut report = Report::new("diligence test");
    let mut suites: Vec<TestSuite> = Vec::new();
    for o in outcomes {
        let status = if o.passed {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(o.message.clone().unwrap_or_else(|| "failed".to_string()))
                .set_description(format!(
                    "{}: {}",
                    o.file,
                    o.message.as_deref().unwrap_or("")
                ));
            s
        };
        let mut case = TestCase::new(o.case.clone(), status);
        case.set_classname(o.rule.clone())
            .extra
            .insert("file".into(), o.file.clone().into());
        match suites.iter_mut().find(|s| s.name.as_str() == o.rule) {
            Some(s) => {
                s.add_test_case(case);
            }
            None => {
                let mut s = TestSuite::new(o.rule.clone());
                s.add_test_case(case);
                suites.push(s);
            }
        }
    }
    report.add_test_suites(suites);
    write(&report, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_test_outcomes_become_cases() {
        let outcomes = vec![
            CaseOutcome {
                rule: "dpa".into(),
                case: "signed DPA".into(),
                passed: true,
                message: None,
                file: "scripts/dpa.test.yaml:3:3".into(),
            },
            CaseOutcome {
                rule: "dpa".into(),
                case: "no <DPA> & \"quotes\"".into(),
                passed: false,
                message: Some("expected block, got go".into()),
                file: "scripts/dpa.test.yaml:9:3".into(),
            },
        ];
        let mut out = Vec::new();
        render_cases(&outcomes, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains(r#"tests="2""#), "{xml}");
        assert!(xml.contains(r#"failures="1""#), "{xml}");
        assert!(xml.contains("no &lt;DPA&gt; &amp;"), "{xml}");
        assert!(xml.contains(r#"file="scripts/dpa.test.yaml:9:3""#), "{xml}");
    }
}
