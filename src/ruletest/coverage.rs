//! Coverage of rules by their cases: which finding calls (`block`, `hold`, ...) of a script
//! some case reached.

use crate::engine::Rule;
use crate::outcome::{Finding, Level};
use std::collections::BTreeSet;

/// Which finding calls of a rule the cases reached.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleCoverage {
    pub rule: String,
    /// Whether the rule has a test file.
    pub tested: bool,
    /// Every finding call in the script: (level, line).
    pub calls: Vec<(Level, u32)>,
    /// The calls no case reached.
    pub missed: Vec<(Level, u32)>,
}

impl RuleCoverage {
    pub fn reached(&self) -> usize {
        self.calls.len() - self.missed.len()
    }
}

/// The line of `scripts/<rule>.rhai:LINE`.
fn raised_line(raised_at: &str) -> Option<u32> {
    raised_at.rsplit_once(':')?.1.parse().ok()
}

/// Coverage of `rule` by the findings its cases produced.
pub fn coverage<'a>(
    rule: &Rule,
    tested: bool,
    findings: impl IntoIterator<Item = &'a Finding>,
) -> RuleCoverage {
    let lines: BTreeSet<u32> = findings
        .into_iter()
        .filter(|f| f.rule == rule.id)
        .filter_map(|f| raised_line(&f.raised_at))
        .collect();
    RuleCoverage {
        rule: rule.id.clone(),
        tested,
        calls: rule.finding_calls.clone(),
        missed: rule
            .finding_calls
            .iter()
            .filter(|(_, line)| !lines.contains(line))
            .copied()
            .collect(),
    }
}

/// (reached, total, percent) over several rules; no calls at all is 100%.
pub fn total_coverage(rules: &[RuleCoverage]) -> (usize, usize, f64) {
    let total: usize = rules.iter().map(|r| r.calls.len()).sum();
    let reached: usize = rules.iter().map(RuleCoverage::reached).sum();
    let percent = if total == 0 {
        100.0
    } else {
        reached as f64 * 100.0 / total as f64
    };
    (reached, total, percent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RuleSet;

    fn finding(level: Level, line: u32) -> Finding {
        Finding {
            rule: "r".into(),
            level,
            message: String::new(),
            action: None,
            waived: None,
            facts: Vec::new(),
            evidence: vec![],
            refs: std::sync::Arc::new([]),
            raised_at: format!("scripts/r.rhai:{line}"),
            about: None,
        }
    }

    #[test]
    fn coverage_counts_lines_reached() {
        let calls = vec![(Level::Hold, 3), (Level::Pass, 5), (Level::Block, 7)];
        let rule = RuleSet::compile(&[crate::engine::RuleSource {
            id: "r".into(),
            file: "scripts/r.rhai".into(),
            text:
                "//! R\nlet x = 1;\nhold(\"a\", \"b\");\n\npass(\"c\");\n\nblock(\"d\", \"e\");\n"
                    .into(),
        }])
        .0
        .rules
        .remove(0);
        assert_eq!(rule.finding_calls, calls);
        // A block downgraded to a hold by the engine still reached line 7.
        let findings = [finding(Level::Pass, 5), finding(Level::Hold, 7)];
        let cov = coverage(&rule, true, findings.iter());
        assert_eq!(cov.missed, vec![(Level::Hold, 3)]);
        assert_eq!(cov.reached(), 2);
        let (reached, total, pct) = total_coverage(&[cov]);
        assert_eq!((reached, total), (2, 3));
        assert!((pct - 66.666).abs() < 0.01);
        assert_eq!(total_coverage(&[]).2, 100.0);
    }
}
