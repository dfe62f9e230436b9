//! `diligence test`: runs the rule test cases in `scripts/<rule>.test.yaml`.
//!
//! Output follows `cargo test` / `cedar run-tests`: `running N tests`, one `test rule::case ...
//! ok|FAILED` line per case as it finishes, the details of each failure, the coverage table when
//! asked, and a last line `N passed, N failed` that CI can read. Exit 0 when every case passes
//! (and coverage is at least `--min-coverage`), 1 otherwise, 2 for invalid test files, unknown
//! rules or rules that do not compile.

use super::args::PolicyArg;
use super::{Failure, Global, Outcome, output, print_diagnostics};
use crate::diag::{Diagnostic, did_you_mean};
use crate::engine::RuleSet;
use crate::model::checks;
use crate::model::policy::{self, Policy};
use crate::report::writer::{self, Reader, ReportWriter};
use crate::report::{junit, testrun};
use crate::ruletest::{self, Case, CaseResult, RuleCoverage};
use crate::workspace;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Rules to test (default: every rule in scripts/ and the policy's evidence checks)
    #[arg(value_name = "RULE")]
    pub rules: Vec<String>,
    /// Report, per rule, the finding calls (block, hold, ...) that no case reaches
    #[arg(long)]
    pub coverage: bool,
    /// Exit 1 when coverage is below PCT percent or a rule has no tests (implies --coverage)
    #[arg(long, value_name = "PCT")]
    pub min_coverage: Option<f64>,
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Output format: text as `cargo test` prints it, or JUnit XML for CI test reports
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    pub format: TestFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    Text,
    Junit,
}

/// The rules under test, compiled, and their cases.
struct Suite {
    rules: RuleSet,
    cases: Vec<Case>,
    /// Rule scripts with no test file.
    untested: Vec<String>,
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
    let policy = load_policy(root, &args.policy.policy)?;
    let selected = select_rules(root, &policy, &args.rules)?;
    let suite = load_suite(root, &policy, &selected, args.min_coverage.is_some())?;
    if args.format == TestFormat::Junit {
        return junit(&suite, &policy, root);
    }
    // The run is read by people: its lines go through the writer, which cleans them.
    let mut ok = false;
    output::emit(None, |w| {
        let mut report = writer::document(Reader::Person, w, |w, line: String| {
            Ok(w.write_all(line.as_bytes())?)
        });
        ok = run_suite(&suite, &args, &policy, root, &mut *report);
        report.end(Vec::new())
    })?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The policy the cases are checked against.
fn load_policy(root: &Path, name: &str) -> Result<Policy, Failure> {
    let names = workspace::policy_names(root);
    if !names.iter().any(|n| n == name) {
        return Err(
            Diagnostic::error(format!("no policy `{name}` in policies/"))
                .hint(
                    did_you_mean(name, names.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("policies: {}", names.join(", "))),
                )
                .into(),
        );
    }
    let (policy, problems) = policy::load(root, name);
    policy.ok_or(Failure(problems))
}

/// The rule ids to test: those named, or every script and evidence check (warning about test
/// files whose rule does not exist, which would silently never run).
fn select_rules(root: &Path, policy: &Policy, wanted: &[String]) -> Result<Vec<String>, Failure> {
    let mut all = workspace::rule_ids(root);
    // The policy's built-in evidence checks are tested like scripts (scripts/<id>.test.yaml).
    all.extend(policy.evidence_checks.iter().map(|(c, _)| c.id.to_string()));
    all.sort();
    if wanted.is_empty() {
        let orphans: Vec<Diagnostic> = test_file_stems(root)
            .into_iter()
            .filter(|stem| !all.contains(stem))
            .map(|orphan| {
                Diagnostic::warning(format!(
                    "test file for a rule that does not exist (no scripts/{orphan}.rhai)"
                ))
                .code(crate::diag::Code::OrphanTest)
                .in_file(ruletest::test_file(&orphan))
                .maybe_hint(did_you_mean(&orphan, all.iter().map(String::as_str)))
            })
            .collect();
        print_diagnostics(&orphans, root);
        return Ok(all);
    }
    let mut selected: Vec<String> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for w in wanted {
        let id = w
            .trim_start_matches("scripts/")
            .trim_end_matches(".rhai")
            .trim_end_matches(".test.yaml");
        if !all.iter().any(|r| r == id) {
            problems.push(
                Diagnostic::error(format!("no rule `{w}` in scripts/")).hint(
                    did_you_mean(id, all.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("rules: {}", all.join(", "))),
                ),
            );
        } else if !selected.iter().any(|s| s == id) {
            selected.push(id.to_string());
        }
    }
    if problems.is_empty() {
        Ok(selected)
    } else {
        Err(Failure(problems))
    }
}

/// Compiles the selected scripts and loads every test file: nothing runs unless all are valid.
fn load_suite(
    root: &Path,
    policy: &Policy,
    selected: &[String],
    enforce: bool,
) -> Result<Suite, Failure> {
    let scripts: Vec<String> = selected
        .iter()
        .filter(|id| checks::check(id).is_none())
        .cloned()
        .collect();
    let (sources, mut problems) = workspace::read_rules(root, &scripts);
    let (rules, compile_problems) = RuleSet::compile(&sources);
    problems.extend(compile_problems);
    let mut cases: Vec<Case> = Vec::new();
    let mut untested: Vec<String> = Vec::new();
    for id in selected {
        if root.join(ruletest::test_file(id)).is_file() {
            let (c, p) = ruletest::load_cases(root, id, policy);
            cases.extend(c);
            problems.extend(p);
        } else if checks::check(id).is_none() {
            // Built-in evidence checks are tested with the engine; their cases are optional.
            untested.push(id.clone());
        }
    }
    let (errors, warnings): (Vec<_>, Vec<_>) = problems.into_iter().partition(|d| d.is_error());
    print_diagnostics(&warnings, root);
    if !errors.is_empty() {
        return Err(Failure(errors));
    }
    let untested_diags: Vec<Diagnostic> = untested
        .iter()
        .map(|id| {
            let d = format!("rule `{id}` has no test file {}", ruletest::test_file(id));
            let d = if enforce {
                Diagnostic::error(format!("{d} (required by --min-coverage)"))
            } else {
                Diagnostic::warning(d)
            };
            d.code(crate::diag::Code::UntestedRule)
                .in_file(format!("scripts/{id}.rhai"))
                .hint(format!(
                    "write test cases in {} (`diligence new rule {id}` shows the shape)",
                    ruletest::test_file(id)
                ))
        })
        .collect();
    print_diagnostics(&untested_diags, root);
    Ok(Suite {
        rules,
        cases,
        untested,
    })
}

/// Runs every case, printing each as it finishes, then failures, coverage and the summary.
/// Returns whether the suite passed. A closed pipe only stops the printing.
fn run_suite(
    suite: &Suite,
    args: &TestArgs,
    policy: &Policy,
    root: &Path,
    out: &mut dyn ReportWriter<String>,
) -> bool {
    let enforce = args.min_coverage.is_some();
    let total = suite.cases.len() + if enforce { suite.untested.len() } else { 0 };
    let _ = out.result(format!(
        "running {total} test{}\n",
        if total == 1 { "" } else { "s" }
    ));
    let mut results: Vec<(&Case, CaseResult)> = Vec::new();
    for case in &suite.cases {
        let result = ruletest::run_case(&suite.rules, case, policy);
        let _ = out.result(testrun::case_line(case, &result));
        results.push((case, result));
    }
    let mut text = String::new();
    if enforce {
        for id in &suite.untested {
            text.push_str(&format!("test {id} ... FAILED (no test file)\n"));
        }
    }
    let failed_cases: Vec<&(&Case, CaseResult)> =
        results.iter().filter(|(_, r)| !r.passed()).collect();
    if !failed_cases.is_empty() {
        text.push_str("\nfailures:\n");
        for (case, result) in &failed_cases {
            testrun::failure(&mut text, case, result, root);
        }
    }
    let mut coverage_ok = true;
    if args.coverage || enforce {
        let covs = coverage(suite, &results);
        let (_, _, pct) = ruletest::total_coverage(&covs);
        testrun::coverage_table(&mut text, &covs);
        if let Some(min) = args.min_coverage
            && pct + 1e-9 < min
        {
            coverage_ok = false;
            text.push_str(&format!(
                "coverage {pct:.1}% is below --min-coverage {min}%\n"
            ));
        }
    }
    let failed = failed_cases.len() + if enforce { suite.untested.len() } else { 0 };
    let passed = results.len() - failed_cases.len();
    text.push_str(&format!("\n{passed} passed, {failed} failed\n"));
    let _ = out.result(text);
    failed == 0 && coverage_ok
}

/// Every case as a JUnit test case (one suite per rule); exit 1 when any fails.
fn junit(suite: &Suite, policy: &Policy, root: &Path) -> Outcome {
    let mut outcomes = Vec::new();
    for case in &suite.cases {
        let result = ruletest::run_case(&suite.rules, case, policy);
        let message = (!result.passed()).then(|| {
            let mut text = String::new();
            testrun::failure(&mut text, case, &result, root);
            text.trim().to_string()
        });
        outcomes.push(junit::CaseOutcome {
            rule: case.rule.clone(),
            case: case.name.clone(),
            passed: result.passed(),
            message,
            file: format!("{}:{}:{}", case.file, case.at.line, case.at.column),
        });
    }
    // Test reports are shown in CI pages: the writer cleans them, as `evaluate --format junit`.
    output::emit(None, |w| {
        writer::write_one(
            Reader::Person,
            w,
            |w, o: &[junit::CaseOutcome]| Ok(junit::render_cases(o, w)?),
            outcomes.as_slice(),
        )
    })?;
    Ok(if outcomes.iter().all(|o| o.passed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Coverage of each rule script by the findings its cases produced.
fn coverage(suite: &Suite, results: &[(&Case, CaseResult)]) -> Vec<RuleCoverage> {
    suite
        .rules
        .rules
        .iter()
        .map(|rule| {
            let findings = results
                .iter()
                .filter(|(c, _)| c.rule == rule.id)
                .flat_map(|(_, r)| r.findings.iter());
            ruletest::coverage(rule, !suite.untested.contains(&rule.id), findings)
        })
        .collect()
}

/// The `<rule>` of every `scripts/<rule>.test.yaml`, sorted.
fn test_file_stems(root: &Path) -> Vec<String> {
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
