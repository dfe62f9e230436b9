//! `diligence test`: runs the rule test cases in `scripts/<rule>.test.yaml`.
//!
//! Output follows `cargo test` / `cedar run-tests`: `running N tests`, one `test rule::case ...
//! ok|FAILED` line per case, the details of each failure, the coverage table when asked, and a
//! last line `N passed, N failed` that CI can read. Exit 0 when every case passes (and coverage
//! is at least `--min-coverage`), 1 otherwise, 2 for invalid test files, unknown rules or rules
//! that do not compile.

use super::{Failure, Global, Outcome, print_diagnostics, write_stdout};
use crate::diag::{Diagnostic, did_you_mean};
use crate::engine::RuleSet;
use crate::model::policy;
use crate::outcome::Level;
use crate::testing::{self, Case, CaseResult, RuleCoverage};
use crate::workspace;
use clap::Args;
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Rules to test (default: every rule in scripts/)
    #[arg(value_name = "RULE")]
    pub rules: Vec<String>,
    /// Report, per rule, the finding calls (block, hold, ...) that no case reaches
    #[arg(long)]
    pub coverage: bool,
    /// Exit 1 when coverage is below PCT percent or a rule has no tests (implies --coverage)
    #[arg(long, value_name = "PCT")]
    pub min_coverage: Option<f64>,
    /// The policy whose classifications, tags and requirements the cases use
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub policy: String,
}

pub fn run(global: &Global, args: TestArgs) -> Outcome {
    let root = &global.dir;
    if let Some(pct) = args.min_coverage
        && !(0.0..=100.0).contains(&pct)
    {
        return Err(
            Diagnostic::error(format!("--min-coverage {pct} is not a percentage"))
                .hint("give a number from 0 to 100, e.g. --min-coverage 100")
                .into(),
        );
    }
    if !root.join("scripts").is_dir() {
        return Err(Diagnostic::error(format!(
            "`{}` has no scripts/ folder: no rules to test",
            root.display()
        ))
        .hint("run inside a workspace, pass -C DIR, or create one with `diligence init DIR`")
        .into());
    }

    // The policy the cases are checked against.
    let names = workspace::policy_names(root);
    if !names.contains(&args.policy) {
        return Err(
            Diagnostic::error(format!("no policy `{}` in policies/", args.policy))
                .hint(
                    did_you_mean(&args.policy, names.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("policies: {}", names.join(", "))),
                )
                .into(),
        );
    }
    let (policy, policy_problems) = policy::load(root, &args.policy);
    let Some(policy) = policy else {
        return Err(Failure(policy_problems));
    };

    // The rules to test.
    let mut all = workspace::rule_ids(root);
    // The policy's built-in evidence checks are tested like scripts (scripts/<id>.test.yaml).
    all.extend(policy.evidence_checks.iter().map(|(c, _)| c.id.to_string()));
    all.sort();
    let mut selected: Vec<String> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for wanted in &args.rules {
        let id = wanted
            .trim_start_matches("scripts/")
            .trim_end_matches(".rhai")
            .trim_end_matches(".test.yaml");
        if all.iter().any(|r| r == id) {
            if !selected.iter().any(|s| s == id) {
                selected.push(id.to_string());
            }
        } else {
            problems.push(
                Diagnostic::error(format!("no rule `{wanted}` in scripts/")).hint(
                    did_you_mean(id, all.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("rules: {}", all.join(", "))),
                ),
            );
        }
    }
    if !problems.is_empty() {
        return Err(Failure(problems));
    }
    if args.rules.is_empty() {
        // Test files whose rule does not exist would silently never run.
        for orphan in test_file_stems(root) {
            if !all.contains(&orphan) {
                problems.push(
                    Diagnostic::warning(format!(
                        "test file for a rule that does not exist (no scripts/{orphan}.rhai)"
                    ))
                    .in_file(testing::test_file(&orphan))
                    .maybe_hint(did_you_mean(&orphan, all.iter().map(String::as_str))),
                );
            }
        }
        selected = all;
    }

    let scripts: Vec<String> = selected
        .iter()
        .filter(|id| crate::model::checks::check(id).is_none())
        .cloned()
        .collect();
    let (sources, read_problems) = crate::workspace::read_rules(root, &scripts);
    problems.extend(read_problems);
    let (rules, compile_problems) = RuleSet::compile(&sources);
    problems.extend(compile_problems);

    // Every test file, every problem: nothing runs unless all are valid.
    let mut cases: Vec<Case> = Vec::new();
    let mut untested: Vec<String> = Vec::new();
    for id in &selected {
        if !root.join(testing::test_file(id)).is_file() {
            // Built-in evidence checks are tested with the engine; their cases are optional.
            if crate::model::checks::check(id).is_none() {
                untested.push(id.clone());
            }
            continue;
        }
        let (c, p) = testing::load_cases(root, id, &policy);
        cases.extend(c);
        problems.extend(p);
    }
    let (errors, warnings): (Vec<_>, Vec<_>) = problems.into_iter().partition(|d| d.is_error());
    print_diagnostics(&warnings, root);
    if !errors.is_empty() {
        return Err(Failure(errors));
    }
    let enforce = args.min_coverage.is_some();
    let untested_diags: Vec<Diagnostic> = untested
        .iter()
        .map(|id| {
            let d = format!("rule `{id}` has no test file {}", testing::test_file(id));
            let d = if enforce {
                Diagnostic::error(format!("{d} (required by --min-coverage)"))
            } else {
                Diagnostic::warning(d)
            };
            d.in_file(format!("scripts/{id}.rhai")).hint(format!(
                "write test cases in {} (`diligence new rule {id}` shows the shape)",
                testing::test_file(id)
            ))
        })
        .collect();
    print_diagnostics(&untested_diags, root);

    // Run.
    let mut out = String::new();
    let total = cases.len() + if enforce { untested.len() } else { 0 };
    let _ = writeln!(
        out,
        "running {total} test{}",
        if total == 1 { "" } else { "s" }
    );
    let mut results: Vec<(&Case, CaseResult)> = Vec::new();
    for case in &cases {
        let result = testing::run_case(&rules, case, &policy);
        let _ = writeln!(
            out,
            "test {}::{} ... {}",
            case.rule,
            case.name,
            if result.passed() { "ok" } else { "FAILED" }
        );
        results.push((case, result));
    }
    if enforce {
        for id in &untested {
            let _ = writeln!(out, "test {id} ... FAILED (no test file)");
        }
    }

    let failed_cases: Vec<&(&Case, CaseResult)> =
        results.iter().filter(|(_, r)| !r.passed()).collect();
    if !failed_cases.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for (case, result) in &failed_cases {
            describe_failure(&mut out, case, result, root);
        }
    }

    let mut coverage_ok = true;
    if args.coverage || enforce {
        let covs: Vec<RuleCoverage> = rules
            .rules
            .iter()
            .map(|rule| {
                let findings = results
                    .iter()
                    .filter(|(c, _)| c.rule == rule.id)
                    .flat_map(|(_, r)| r.findings.iter());
                testing::coverage(rule, !untested.contains(&rule.id), findings)
            })
            .collect();
        let (_, _, pct) = testing::total_coverage(&covs);
        coverage_table(&mut out, &covs);
        if let Some(min) = args.min_coverage
            && pct + 1e-9 < min
        {
            coverage_ok = false;
            let _ = writeln!(out, "coverage {pct:.1}% is below --min-coverage {min}%");
        }
    }

    let failed = failed_cases.len() + if enforce { untested.len() } else { 0 };
    let passed = results.len() - failed_cases.len();
    let _ = writeln!(out, "\n{passed} passed, {failed} failed");
    write_stdout(out.as_bytes())?;
    Ok(if failed == 0 && coverage_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The `<rule>` of every `scripts/<rule>.test.yaml`, sorted.
fn test_file_stems(root: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join("scripts")) else {
        return Vec::new();
    };
    let mut stems: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".test.yaml").map(str::to_string)
        })
        .collect();
    stems.sort();
    stems
}

fn describe_failure(out: &mut String, case: &Case, result: &CaseResult, root: &std::path::Path) {
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

fn coverage_table(out: &mut String, covs: &[RuleCoverage]) {
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
    let (reached, total, p) = testing::total_coverage(covs);
    let _ = writeln!(
        out,
        "  {:<width$}  {:>5}  {:>7}  {:>7.1}%",
        "total", total, reached, p
    );
}
