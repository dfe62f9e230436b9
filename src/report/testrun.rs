//! `diligence test` as text: one `test rule::case ... ok|FAILED` line per case as it finishes
//! (like `cargo test`), the details of each failure, the coverage table, and the closing
//! `N passed, N failed` line that CI runners read.

use crate::outcome::Level;
use crate::ruletest::{Case, CaseResult, RuleCoverage};
use std::fmt::Write as _;

/// The line printed when a case finishes.
pub fn case_line(case: &Case, result: &CaseResult) -> String {
    format!(
        "test {}::{} ... {}\n",
        case.rule,
        case.name,
        if result.passed() { "ok" } else { "FAILED" }
    )
}

/// The details of a failed case: why, and what the rule concluded.
pub fn failure(out: &mut String, case: &Case, result: &CaseResult, root: &std::path::Path) {
    let _ = writeln!(
        out,
        "\n---- {}::{} ({}:{}:{}) ----",
        case.rule, case.name, case.file, case.at.line, case.at.column
    );
    for e in &result.errors {
        let _ = writeln!(out, "the rule failed: {}", e.render(Some(root)));
    }
    for m in &result.mismatches {
        let _ = writeln!(out, "{m}");
    }
    if result.errors.is_empty() {
        let _ = writeln!(out, "got verdict {}, findings:", result.verdict.as_str());
        if result.findings.is_empty() {
            let _ = writeln!(out, "  (none)");
        }
        for f in &result.findings {
            let _ = writeln!(
                out,
                "  {:<9} {} [{}]",
                f.level.as_str(),
                f.message,
                f.raised_at
            );
            if let Some(a) = &f.action {
                let _ = writeln!(out, "  {:<9} action: {a}", "");
            }
        }
    }
}

fn calls_list(calls: &[(Level, u32)]) -> String {
    calls
        .iter()
        .map(|(level, line)| format!("{}:{line}", level.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Per rule, the finding calls reached and those no case reaches.
pub fn coverage_table(out: &mut String, covs: &[RuleCoverage]) {
    let width = covs
        .iter()
        .map(|c| c.rule.len())
        .chain(["total".len(), "rule".len()])
        .max()
        .unwrap_or(4);
    let _ = writeln!(out, "\ncoverage of finding calls:");
    let _ = writeln!(
        out,
        "  {:<width$}  {:>5}  {:>7}  {:>8}  not reached (level:line)",
        "rule", "calls", "reached", "coverage"
    );
    let pct = |reached: usize, total: usize| {
        if total == 0 {
            100.0
        } else {
            reached as f64 * 100.0 / total as f64
        }
    };
    for c in covs {
        let missed = if !c.tested {
            format!("no test file; {}", calls_list(&c.missed))
        } else {
            calls_list(&c.missed)
        };
        let line = format!(
            "  {:<width$}  {:>5}  {:>7}  {:>7.1}%  {}",
            c.rule,
            c.calls.len(),
            c.reached(),
            pct(c.reached(), c.calls.len()),
            missed.trim_end_matches("; ")
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let (reached, total, p) = crate::ruletest::total_coverage(covs);
    let _ = writeln!(
        out,
        "  {:<width$}  {:>5}  {:>7}  {:>7.1}%",
        "total", total, reached, p
    );
}
