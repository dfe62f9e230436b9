//! What a case expects (`expect:`), and reading it from the case file.

use super::tree::Checked;
use crate::diag::{Diagnostic, Pos};
use crate::outcome::{Level, Verdict};
use serde::Deserialize;
use std::fmt;

/// A finding a case expects.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedFinding {
    pub level: Level,
    /// A substring of the message.
    pub message: Option<String>,
    /// A substring of the action.
    pub action: Option<String>,
    pub at: Pos,
}

impl fmt::Display for ExpectedFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} finding", self.level.as_str())?;
        if let Some(m) = &self.message {
            write!(f, " with message containing {m:?}")?;
        }
        if let Some(a) = &self.action {
            let and = if self.message.is_some() {
                " and"
            } else {
                " with"
            };
            write!(f, "{and} action containing {a:?}")?;
        }
        Ok(())
    }
}

/// What a case expects; every part given must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expect {
    pub verdict: Option<Verdict>,
    pub findings: Vec<ExpectedFinding>,
    pub absent: Vec<Level>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExpect {
    #[serde(default)]
    verdict: Option<Checked<Verdict>>,
    #[serde(default)]
    findings: Option<Checked<Vec<Checked<RawFinding>>>>,
    #[serde(default)]
    absent: Option<Checked<Vec<Checked<Level>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    level: Level,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    action: Option<String>,
}

pub(super) fn expect(
    raw: Checked<RawExpect>,
    label: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Expect> {
    let what = format!("{label}: expect");
    let at = raw.at;
    let raw = raw.take(&what, problems)?;
    let before = problems.len();
    let mut expect = Expect::default();
    if let Some(v) = raw.verdict {
        expect.verdict = v.take(&format!("{what}: verdict"), problems);
    }
    let findings = raw
        .findings
        .and_then(|f| f.take(&format!("{what}: findings"), problems));
    for f in findings.unwrap_or_default() {
        let at = f.at;
        if let Some(f) = f.take(&format!("{what}: finding"), problems) {
            expect.findings.push(ExpectedFinding {
                level: f.level,
                message: f.message.filter(|m| !m.is_empty()),
                action: f.action.filter(|a| !a.is_empty()),
                at,
            });
        }
    }
    let absent = raw
        .absent
        .and_then(|a| a.take(&format!("{what}: absent"), problems));
    for level in absent.unwrap_or_default() {
        expect
            .absent
            .extend(level.take(&format!("{what}: absent"), problems));
    }
    if problems.len() > before {
        return None;
    }
    if expect == Expect::default() {
        problems.push(
            Diagnostic::error(format!("{what}: nothing to check"))
                .at(at)
                .hint("give a `verdict`, `findings` or `absent` levels"),
        );
        return None;
    }
    Some(expect)
}
