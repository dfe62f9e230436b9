//! `diligence test`: the bundled rules pass their own tests with full coverage, breaking a rule
//! makes its tests fail, and invalid test files or rule names are refused with their location.

use crate::common;

use common::{bundled, copy_dir, diligence};
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

/// A copy of the bundled workspace (policies, rules, vendors) in a temporary folder.
fn workspace_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["policies", "scripts", "vendors"] {
        copy_dir(&bundled().join(sub), &dir.path().join(sub));
    }
    dir
}

/// Turns the first `block(` of a rule into `info(`.
fn break_first_block(ws: &Path, rule: &str) {
    let path = ws.join("scripts").join(format!("{rule}.rhai"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("block("), "{rule} has no block");
    std::fs::write(&path, text.replacen("block(", "info(", 1)).unwrap();
}

/// Runs diligence in `dir`.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    diligence(dir).args(args).output().unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The `N passed, N failed` summary: the last line of the output.
fn summary(out: &str) -> (usize, usize) {
    let last = out.lines().last().expect("output");
    let (passed, failed) = last.split_once(" passed, ").expect(last);
    let failed = failed.strip_suffix(" failed").expect(last);
    (passed.parse().unwrap(), failed.parse().unwrap())
}

#[test]
fn bundled_rules_pass_their_tests_with_full_coverage() {
    let out = run(&bundled(), &["test", "--min-coverage", "100"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    let (passed, failed) = summary(&text);
    assert_eq!(failed, 0);
    assert!(passed >= 100, "{passed} cases");
    assert!(
        text.starts_with(&format!("running {passed} tests\n")),
        "{text}"
    );
    assert!(text.contains("test training-on-inputs::the contract says never ... ok"));
    let total = text
        .lines()
        .find(|l| l.trim_start().starts_with("total "))
        .expect("coverage total");
    assert!(total.ends_with("100.0%"), "{total}");
    // At least 20 rules, each with tests.
    let rules = std::fs::read_dir(bundled().join("scripts"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rhai"))
        .count();
    assert!(rules >= 20, "{rules} rules");
    assert!(!stderr(&out).contains("no test file"), "{}", stderr(&out));
}

#[test]
fn breaking_a_rule_fails_the_case_that_covers_it() {
    let broken = [
        ("training-on-inputs", "default-on training blocks"),
        (
            "retention-limit",
            "longer retention without zero data retention blocks",
        ),
        ("baa-required", "no BAA blocks"),
        (
            "consumer-tier",
            "a consumer app is refused for confidential data",
        ),
        ("licence-scope", "a broad licence blocks"),
    ];
    for (rule, case) in broken {
        let ws = workspace_copy();
        break_first_block(ws.path(), rule);
        let out = run(ws.path(), &["test"]);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{rule}: {text}");
        assert!(
            text.contains(&format!("test {rule}::{case} ... FAILED")),
            "{rule}: {text}"
        );
        assert!(
            text.contains(&format!("---- {rule}::{case} (scripts/{rule}.test.yaml:")),
            "{text}"
        );
        assert!(text.contains("expected verdict no-go, got"), "{text}");
        let (_, failed) = summary(&text);
        assert!(failed >= 1);
    }
}

#[test]
fn one_rule_can_be_tested_alone() {
    let out = run(&bundled(), &["test", "consumer-tier", "--coverage"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.lines()
            .all(|l| !l.starts_with("test ") || l.starts_with("test consumer-tier::"))
    );
    assert!(text.contains("  consumer-tier "), "{text}");
    assert!(!text.contains("training-on-inputs"), "{text}");
}

#[test]
fn unknown_rule_is_refused_with_a_suggestion() {
    diligence(&bundled())
        .args(["test", "training-on-input"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no rule `training-on-input` in scripts/",
        ))
        .stderr(predicate::str::contains(
            "did you mean `training-on-inputs`?",
        ));
}

/// A workspace with one rule and the given test file.
fn one_rule_workspace(rule: &str, tests: Option<&str>) -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    copy_dir(&bundled().join("policies"), &ws.path().join("policies"));
    std::fs::create_dir(ws.path().join("scripts")).unwrap();
    std::fs::copy(
        bundled().join(format!("scripts/{rule}.rhai")),
        ws.path().join(format!("scripts/{rule}.rhai")),
    )
    .unwrap();
    if let Some(t) = tests {
        std::fs::write(ws.path().join(format!("scripts/{rule}.test.yaml")), t).unwrap();
    }
    ws
}

#[test]
fn invalid_test_file_is_refused_with_every_problem_located() {
    let ws = one_rule_workspace(
        "training-on-inputs",
        Some(
            "- name: typo in a field
  clasification: confidential
  expect: {verdict: go}
- name: wrong types
  facts:
    training_on_inputs: [never]
    retention_days: thirty
  expect:
    verdict: maybe
    absent: block
",
        ),
    );
    let out = run(ws.path(), &["test"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(stdout(&out), "", "nothing runs");
    assert!(
        err.contains("scripts/training-on-inputs.test.yaml:2:3: error: test case `typo in a field`: unknown field `clasification`"),
        "{err}"
    );
    assert!(err.contains("did you mean `classification`?"), "{err}");
    assert!(
        err.contains("scripts/training-on-inputs.test.yaml:6:25: error:"),
        "{err}"
    );
    assert!(
        err.contains("scripts/training-on-inputs.test.yaml:7:21: error: fact `retention_days`: expected a whole number"),
        "{err}"
    );
    assert!(
        err.contains("scripts/training-on-inputs.test.yaml:9:14: error:"),
        "{err}"
    );
    assert!(
        err.contains("`maybe` is not one of: go, conditional, hold, no-go"),
        "{err}"
    );
    assert!(
        err.contains("scripts/training-on-inputs.test.yaml:10:13: error:"),
        "{err}"
    );
}

#[test]
fn yaml_syntax_errors_are_located() {
    let ws = one_rule_workspace(
        "training-on-inputs",
        Some("- name: a\n  facts: {training_on_inputs: never\n  expect: {verdict: go}\n"),
    );
    diligence(ws.path()).arg("test").assert().code(2).stderr(
        predicate::str::is_match(r"scripts/training-on-inputs\.test\.yaml:\d+:\d+: error:")
            .unwrap(),
    );
}

#[test]
fn a_rule_without_tests_is_a_warning_and_fails_a_coverage_gate() {
    let ws = one_rule_workspace("consumer-tier", None);
    let out = run(ws.path(), &["test", "--coverage"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains(
            "warning: rule `consumer-tier` has no test file scripts/consumer-tier.test.yaml"
        ),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("no test file;"), "{}", stdout(&out));
    assert_eq!(summary(&stdout(&out)), (0, 0));

    let out = run(ws.path(), &["test", "--min-coverage", "0"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("test consumer-tier ... FAILED (no test file)"));
    assert_eq!(summary(&stdout(&out)), (0, 1));
}

#[test]
fn coverage_names_the_calls_no_case_reaches_and_gates_on_it() {
    let ws = one_rule_workspace(
        "consumer-tier",
        Some(
            "- name: consumer refused
  require: {no_consumer_tier: true}
  tier: consumer
  expect: {verdict: no-go}
",
        ),
    );
    let out = run(ws.path(), &["test", "--coverage"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("consumer-tier"))
        .expect(&text);
    assert!(row.contains("11.1%"), "{row}");
    assert!(row.contains("info:") && row.contains("pass:"), "{row}");
    // The consumer block (line 27) is reached; the block on consumer terms is not.
    assert!(!row.contains("block:27,"), "{row}");
    assert!(row.contains("block:41"), "{row}");

    let out = run(ws.path(), &["test", "--min-coverage", "90"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("coverage 11.1% is below --min-coverage 90%"));
    assert_eq!(summary(&stdout(&out)), (1, 0));
}

#[test]
fn a_failing_rule_fails_its_case_with_the_error() {
    let ws = one_rule_workspace(
        "consumer-tier",
        Some("- name: runs\n  expect: {verdict: go}\n"),
    );
    std::fs::write(
        ws.path().join("scripts/consumer-tier.rhai"),
        // A computed fact name: checked when the rule runs (a literal one is refused earlier).
        "//! Broken\nlet x = fact(\"retention_\" + \"dys\");\npass(\"never\");\n",
    )
    .unwrap();
    let out = run(ws.path(), &["test"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("test consumer-tier::runs ... FAILED"),
        "{text}"
    );
    assert!(
        text.contains("the rule failed: scripts/consumer-tier.rhai:2:"),
        "{text}"
    );
    assert!(text.contains("did you mean `retention_days`"), "{text}");
}

#[test]
fn a_case_must_use_the_policy_vocabulary() {
    let ws = one_rule_workspace(
        "baa-required",
        Some(
            "- name: bad names
  classification: secret
  tags: [phii]
  require: {baa_signed: true}
  expect: {verdict: go}
",
        ),
    );
    let out = run(ws.path(), &["test", "--policy", "healthcare"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(":2:19: error:") && err.contains("`secret`"),
        "{err}"
    );
    assert!(
        err.contains(":3:10: error:") && err.contains("did you mean `phi`?"),
        "{err}"
    );
    assert!(
        err.contains(":4:13: error:") && err.contains("unknown requirement `baa_signed`"),
        "{err}"
    );

    diligence(ws.path())
        .args(["test", "--policy", "helthcare"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `healthcare`?"));
}

/// The verdicts the bundled rules reach on the bundled vendors must be ones a reviewer can
/// defend from the quoted evidence.
#[test]
fn bundled_verdicts_follow_the_evidence() {
    let run = |args: &[&str]| -> Value {
        let out = diligence(&bundled())
            .args(["evaluate", "--today", "2026-11-24", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        common::inline_evidence(serde_json::from_slice(&out.stdout).unwrap())
    };
    let result = |eval: &Value, vendor: &str, offering: &str, class: &str| -> Value {
        eval["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["vendor"] == vendor && r["offering"] == offering && r["classification"] == class
            })
            .unwrap_or_else(|| panic!("{vendor}/{offering} at {class}"))
            .clone()
    };
    let levels = |r: &Value, rule: &str| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["level"].as_str().unwrap().to_string())
            .collect()
    };

    let default = run(&["--class", "confidential"]);
    // Perplexity's contract says it never trains on customer content: a third-party analysis
    // saying otherwise must not block it.
    let pplx = result(&default, "perplexity", "sonar-api", "confidential");
    assert_eq!(levels(&pplx, "training-on-inputs"), ["pass"]);
    assert_ne!(pplx["verdict"], "no-go");
    // AI21 is known only from a third-party analysis: a hold, never a go or a no-go.
    let ai21 = result(&default, "ai21", "studio-api", "confidential");
    assert_eq!(ai21["verdict"], "hold");
    assert_eq!(levels(&ai21, "training-on-inputs"), ["hold"]);
    assert!(levels(&ai21, "third-party-evidence-only").contains(&"hold".to_string()));
    // Mistral's Labs models train on everything by contract.
    let labs = result(&default, "mistral", "labs-preview-models", "confidential");
    assert_eq!(labs["verdict"], "no-go");
    assert_eq!(levels(&labs, "training-on-inputs"), ["block"]);

    let phi = run(&["--policy", "healthcare", "--tag", "phi"]);
    for r in phi["results"].as_array().unwrap() {
        // Nobody has a signed BAA on file: PHI never gets a plain go.
        assert_ne!(r["verdict"], "go", "{}/{}", r["vendor"], r["offering"]);
    }
    let openai = result(&phi, "openai", "api", "restricted");
    assert_eq!(levels(&openai, "baa-required"), ["condition"]);
}

#[test]
fn junit_output_counts_the_same_cases_as_the_text_output() {
    let text = run(&bundled(), &["test"]);
    let (passed, failed) = summary(&stdout(&text));
    let out = run(&bundled(), &["test", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(0));
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).expect("JUnit XML");
    let root = doc.root_element();
    assert_eq!(
        root.attribute("tests"),
        Some((passed + failed).to_string().as_str())
    );
    assert_eq!(root.attribute("failures"), Some("0"));

    // A failing case is a failure in JUnit too, with where it is and why, and exit 1.
    let ws = one_rule_workspace(
        "consumer-tier",
        Some(
            "- name: wrong on purpose\n  tier: consumer\n  require: {no_consumer_tier: true}\n  expect: {verdict: go}\n",
        ),
    );
    let out = run(ws.path(), &["test", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).expect("JUnit XML");
    assert_eq!(doc.root_element().attribute("failures"), Some("1"));
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .expect("a test case");
    assert_eq!(
        case.attribute("file"),
        Some("scripts/consumer-tier.test.yaml:1:3")
    );
    assert!(xml.contains("expected verdict go, got no-go"), "{xml}");
}

/// A bad test file, as data: the file's text and the messages (with file:line:col) it must give.
struct BadFile {
    name: &'static str,
    text: &'static str,
    expect: &'static [&'static str],
}

const F: &str = "scripts/training-on-inputs.test.yaml";

const BAD_FILES: &[BadFile] = &[
    BadFile {
        name: "unknown field in a case",
        text: "- name: a\n  expect: {verdict: go}\n  facs: {}\n",
        expect: &[
            ":3:3: error: test case `a`: unknown field `facs`",
            "did you mean `facts`?",
        ],
    },
    BadFile {
        name: "unknown field in expect",
        text: "- name: a\n  expect: {verdikt: go}\n",
        expect: &[
            ":2:12: error: test case `a`: expect: unknown field `verdikt`",
            "did you mean `verdict`?",
        ],
    },
    BadFile {
        name: "bad verdict",
        text: "- name: a\n  expect: {verdict: nogo}\n",
        expect: &[
            ":2:21: error: test case `a`: expect: verdict: `nogo` is not one of: go, conditional, hold, no-go",
            "did you mean `no-go`?",
        ],
    },
    BadFile {
        name: "a rule failure cannot be expected",
        text: "- name: a\n  expect: {verdict: error}\n",
        expect: &[":2:21: error: test case `a`: expect: verdict: `error` is not one of"],
    },
    BadFile {
        name: "bad level",
        text: "- name: a\n  expect:\n    findings:\n      - {level: blok}\n",
        expect: &[
            ":4:17: error: test case `a`: expect: finding: `blok` is not one of: pass, info, warn, condition, hold, block",
            "did you mean `block`?",
        ],
    },
    BadFile {
        name: "bad authority",
        text: "- name: a\n  authority: contrat\n  expect: {verdict: go}\n",
        expect: &[
            ":2:14: error: test case `a`: authority: `contrat` is not one of: signed, contract,",
            "did you mean `contract`?",
        ],
    },
    BadFile {
        name: "a source without an authority",
        text: "- name: a\n  sources:\n    old: {retrieved: 2024-01-01}\n  expect: {verdict: go}\n",
        expect: &[":3:10: error: test case `a`: sources: `old`: missing field `authority`"],
    },
    BadFile {
        name: "bad date",
        text: "- name: a\n  today: 2026-02-30\n  expect: {verdict: go}\n",
        expect: &[
            ":2:10: error: test case `a`: today: `2026-02-30` is not a date",
            "write dates as YYYY-MM-DD",
        ],
    },
    BadFile {
        name: "missing expectation",
        text: "- name: a\n  facts: {training_on_inputs: never}\n",
        expect: &[
            ":1:3: error: test case `a` has no `expect`",
            "e.g. `expect: {verdict: go}`",
        ],
    },
    BadFile {
        name: "empty expectation",
        text: "- name: a\n  expect: {}\n",
        expect: &[":2:11: error: test case `a`: expect: nothing to check"],
    },
    BadFile {
        name: "missing name",
        text: "- expect: {verdict: go}\n",
        expect: &[":1:3: error: test case has no `name`"],
    },
    BadFile {
        name: "wrong shape",
        text: "- name: a\n  tags: phi\n  expect: {absent: hold}\n",
        expect: &[
            ":2:9: error: test case `a`: tags: expected a list, found the text `phi`",
            ":3:20: error: test case `a`: expect: absent: expected a list, found the text `hold`",
        ],
    },
    BadFile {
        name: "policy override that is not a number of days",
        text: "- name: a\n  policy: {evidence_max_age_days: 0}\n  expect: {verdict: go}\n",
        expect: &[
            ":2:35: error: test case `a`: policy: evidence_max_age_days: expected a positive whole number of days",
        ],
    },
    BadFile {
        name: "the same name twice",
        text: "- name: a\n  expect: {verdict: go}\n- name: a\n  expect: {verdict: go}\n",
        expect: &[":3:3: error: test case `a` is defined twice (first at line 1)"],
    },
    BadFile {
        name: "not a list",
        text: "name: a\n",
        expect: &[":1:1: error: a test file is a list of cases, found a mapping"],
    },
];

#[test]
fn every_bad_test_file_exits_2_with_located_messages_and_runs_nothing() {
    let mut failures = Vec::new();
    for case in BAD_FILES {
        let ws = one_rule_workspace("training-on-inputs", Some(case.text));
        let out = run(ws.path(), &["test"]);
        let err = stderr(&out);
        if out.status.code() != Some(2) {
            failures.push(format!(
                "{}: exit {:?}\n{err}",
                case.name,
                out.status.code()
            ));
        }
        if !out.stdout.is_empty() {
            failures.push(format!("{}: stdout is not empty", case.name));
        }
        for expected in case.expect {
            let expected = if expected.starts_with(':') {
                format!("{F}{expected}")
            } else {
                expected.to_string()
            };
            if !err.contains(&expected) {
                failures.push(format!("{}: no `{expected}` in:\n{err}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Three bad cases in one file: all three are reported, in the file's order.
#[test]
fn three_bad_cases_give_three_located_problems() {
    let ws = one_rule_workspace(
        "training-on-inputs",
        Some(
            "- name: a\n  tier: cosumer\n  expect: {verdict: go}\n- name: b\n  expect: {verdict: maybe}\n- name: c\n  facts: {training_on_input: never}\n  expect: {verdict: go}\n",
        ),
    );
    let out = run(ws.path(), &["test"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let located: Vec<&str> = err.lines().filter(|l| l.starts_with(F)).collect();
    assert_eq!(located.len(), 3, "{err}");
    let starts = [
        ":2:9: error: test case `a`: tier: `cosumer`",
        ":5:21: error: test case `b`: expect: verdict: `maybe`",
        ":7:11: error: unknown fact `training_on_input`",
    ];
    for (line, start) in located.iter().zip(starts) {
        assert!(line.starts_with(&format!("{F}{start}")), "{err}");
    }
}
