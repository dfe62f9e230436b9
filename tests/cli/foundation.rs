//! The foundation as a user meets it: `evaluate` and `check` on good and bad workspaces.

use crate::common;

use common::{TODAY, Ws, bundled, diligence};
use predicates::prelude::*;
use serde_json::Value;

fn json_of(output: &[u8]) -> Value {
    common::inline_evidence(serde_json::from_slice(output).expect("valid JSON on stdout"))
}

/// Runs a command that must fail with exit 2 and returns its stderr.
fn fails(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().code(2).get_output().clone();
    assert!(out.stdout.is_empty(), "stdout must stay empty on error");
    String::from_utf8(out.stderr).expect("utf8")
}

/// Runs an evaluation in which a rule fails: exit 2, the report is still written with the
/// failed rule's cells as `error`; returns (report, stderr).
fn fails_with_report(cmd: &mut assert_cmd::Command) -> (String, String) {
    let out = cmd.assert().code(2).get_output().clone();
    let stdout = String::from_utf8(out.stdout).expect("utf8");
    assert!(
        stdout.contains("error"),
        "the report shows the error cells:\n{stdout}"
    );
    (stdout, String::from_utf8(out.stderr).expect("utf8"))
}

#[test]
fn evaluate_good_workspace_gives_verdicts_and_evidence() {
    let ws = Ws::new();
    let out = ws
        .cmd()
        .args(["evaluate", "--format", "json", "--today", TODAY])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["policy"], "default");
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "one offering x three classes");
    let conf = &results[2];
    assert_eq!(conf["classification"], "confidential");
    assert_eq!(conf["verdict"], "go");
    let f = &conf["findings"][0];
    assert_eq!(f["rule"], "training");
    assert_eq!(f["level"], "pass");
    assert_eq!(f["facts"]["training_on_inputs"], "never");
    assert_eq!(f["evidence"][0]["section"], "2.1");
    assert_eq!(f["evidence"][0]["authority"], "contract");
    assert_eq!(f["evidence"][0]["at"], "vendors/acme/profile.yaml:16:11");
    assert_eq!(f["raised_at"], "scripts/training.rhai:6");
}

#[test]
fn fail_on_sets_exit_code_one() {
    let ws = Ws::new();
    ws.edit("vendors/acme/profile.yaml", "training_on_inputs:\n        - value: never\n          source: terms\n          section: \"2.1\"\n          quote: \"Acme shall not use Customer Content to train models.\"", "training_on_inputs: default_on");
    // A bare value is an unsupported claim: a block resting on it alone is a hold.
    ws.cmd()
        .args(["evaluate", "--today", TODAY, "--fail-on", "hold"])
        .assert()
        .code(1);
    ws.cmd()
        .args(["evaluate", "--today", TODAY, "--fail-on", "no-go"])
        .assert()
        .code(0);
    ws.cmd()
        .args(["evaluate", "--today", TODAY])
        .assert()
        .code(0);
}

#[test]
fn endless_loop_and_recursion_are_stopped() {
    let ws = Ws::new();
    ws.write("scripts/spin.rhai", "//! Spin\nloop { }\n");
    let (report, err) = fails_with_report(ws.cmd().args(["evaluate", "--format", "json"]));
    let report = json_of(report.as_bytes());
    let cells = report["results"].as_array().unwrap();
    assert!(cells.iter().all(|c| c["verdict"] == "error"), "{report}");
    assert_eq!(cells[0]["errors"][0]["rule"], "spin");
    // Stopped after its first failure: stderr names it once, not once per cell.
    assert_eq!(err.matches("scripts/spin.rhai:").count(), 1, "{err}");
    assert!(err.contains("scripts/spin.rhai:"), "{err}");
    assert!(
        err.contains("operations") || err.contains("longer than"),
        "{err}"
    );

    let ws = Ws::new();
    ws.write(
        "scripts/deep.rhai",
        "//! Deep\nfn f(n) { f(n + 1) }\nf(0);\n",
    );
    let (_, err) = fails_with_report(ws.cmd().arg("evaluate"));
    assert!(err.contains("scripts/deep.rhai:"), "{err}");
    assert!(err.contains("nested deeper"), "{err}");
}

#[test]
fn unknown_map_property_and_unknown_fact_are_rule_errors() {
    let ws = Ws::new();
    ws.write(
        "scripts/typo.rhai",
        "//! Typo\nif require.no_trainng == true { pass(\"x\"); }\n",
    );
    // Found when the rule is compiled, before any vendor reaches the line: no report.
    let err = fails(ws.cmd().arg("evaluate"));
    assert!(
        err.contains("scripts/typo.rhai:2:12: error: unknown requirement `require.no_trainng`"),
        "{err}"
    );
    assert!(err.contains("did you mean `no_training`?"), "{err}");

    let ws = Ws::new();
    ws.write(
        "scripts/fact.rhai",
        "//! Fact\nlet x = fact(\"retention_dys\");\n",
    );
    let err = fails(ws.cmd().arg("check"));
    assert!(
        err.contains("scripts/fact.rhai:2:14: error: unknown fact `retention_dys`"),
        "{err}"
    );
    assert!(err.contains("did you mean `retention_days`?"), "{err}");
}

#[test]
fn nothing_is_written_when_input_is_bad() {
    let ws = Ws::new();
    ws.write("report.json", "previous report\n");
    ws.edit(
        "vendors/acme/profile.yaml",
        "retention_days:",
        "retention_dayz:",
    );
    let out = ws.path().join("report.json");
    fails(
        ws.cmd()
            .args(["evaluate", "--format", "json", "--output"])
            .arg(&out),
    );
    assert_eq!(ws.read("report.json"), "previous report\n");
    let fresh = ws.path().join("new.json");
    fails(ws.cmd().args(["evaluate", "--output"]).arg(&fresh));
    assert!(!fresh.exists());
}

#[test]
fn output_is_written_atomically_and_never_over_an_input() {
    let ws = Ws::new();
    let out = ws.path().join("review.json");
    ws.cmd()
        .args(["evaluate", "--format", "json", "--today", TODAY, "--output"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    assert!(json_of(ws.read("review.json").as_bytes())["results"].is_array());
    let input = ws.path().join("policies/default.yaml");
    let err = fails(ws.cmd().args(["evaluate", "--output"]).arg(&input));
    assert!(err.contains("would replace an input file"), "{err}");
    assert_eq!(ws.read("policies/default.yaml"), common::POLICY);
}

#[test]
fn check_reports_every_problem_not_just_the_first() {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "retention_days:",
        "retention_dayz:",
    );
    ws.write("scripts/broken.rhai", "//! Broken\nlet x = ;\n");
    ws.edit("policies/default.yaml", "{dpa: true}", "{dpa: yes}");
    let err = fails(ws.cmd().arg("check"));
    assert!(err.contains("unknown fact `retention_dayz`"), "{err}");
    assert!(err.contains("scripts/broken.rhai:2:9"), "{err}");
    assert!(
        err.contains("requirement `dpa`: expected true or false"),
        "{err}"
    );
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn a_changed_document_makes_its_quotes_unverified() {
    let ws = Ws::new();
    ws.write(
        "vendors/acme/sources/terms.md",
        "**2.1 Training.** Acme may use Customer Content to train models.\n",
    );
    let err = fails(ws.cmd().arg("check"));
    assert!(err.contains("vendors/acme/profile.yaml:19:18: error: acme/api: fact `training_on_inputs`: quote not found in sources/terms.md; closest passage"), "{err}");
    // The diff shows the words that differ.
    assert!(
        err.contains("Acme [-shall not-] {+may+} use Customer Content"),
        "{err}"
    );
    // evaluate still runs; the fact is unknown and the rule holds.
    let out = ws
        .cmd()
        .args([
            "evaluate",
            "--format",
            "json",
            "--class",
            "confidential",
            "--today",
            TODAY,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: acme/api: fact `training_on_inputs`: quote not found",
        ))
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["results"][0]["verdict"], "hold");
    assert_eq!(
        v["results"][0]["findings"][0]["message"],
        "unknown training"
    );
}

// The bundled workspace: the verdicts the design promises.

fn bundled_json(args: &[&str]) -> Value {
    let out = diligence(&bundled())
        .args(["evaluate", "--format", "json", "--today", TODAY])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    json_of(&out)
}

#[test]
fn perplexity_training_resolves_to_the_contract_with_the_analysis_outvoted() {
    let v = bundled_json(&["perplexity/sonar-api", "--class", "confidential"]);
    let findings = v["results"][0]["findings"].as_array().unwrap();
    let training = findings
        .iter()
        .find(|f| f["rule"] == "training-on-inputs")
        .expect("training rule ran");
    assert_eq!(training["level"], "pass");
    assert_eq!(training["facts"]["training_on_inputs"], "never");
    let evidence = training["evidence"].as_array().unwrap();
    let decides = evidence.iter().find(|e| e["role"] == "decides").unwrap();
    assert_eq!(decides["authority"], "contract");
    assert_eq!(decides["section"], "2.3.3");
    assert!(
        decides["quote"]
            .as_str()
            .unwrap()
            .starts_with("Perplexity shall not use")
    );
    let outvoted = evidence.iter().find(|e| e["role"] == "outvoted").unwrap();
    assert_eq!(outvoted["authority"], "third_party");
    assert_eq!(outvoted["value"], "default_on");
    assert!(findings.iter().any(|f| {
        f["level"] == "info"
            && f["message"]
                .as_str()
                .unwrap()
                .contains("training_on_inputs")
            && f["message"].as_str().unwrap().contains("which prevails")
    }));
}

#[test]
fn ai21_on_third_party_evidence_alone_is_never_go_for_confidential() {
    let v = bundled_json(&["ai21", "--class", "confidential"]);
    for r in v["results"].as_array().unwrap() {
        let verdict = r["verdict"].as_str().unwrap();
        assert!(verdict == "hold" || verdict == "no-go", "{verdict}");
    }
}

#[test]
fn bundled_workspace_checks_clean() {
    diligence(&bundled())
        .args(["check", "--today", TODAY])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors"));
}

#[test]
fn scope_variables_hold_their_values_in_every_expression() {
    // Regression: names declared for compilation must not be folded to () by the optimizer.
    let ws = Ws::new();
    ws.write(
        "scripts/scope.rhai",
        "//! Scope\nlet r = require;\nif classification == \"confidential\" && tags.contains(\"phi\") && r.no_training == true {\n    info(`${classification} ${today} ${offering.tier} ${vendor.id}`);\n}\n",
    );
    let out = ws
        .cmd()
        .args([
            "evaluate",
            "--format",
            "json",
            "--class",
            "confidential",
            "--tag",
            "phi",
            "--today",
            TODAY,
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    let info = v["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "scope")
        .expect("the scope rule saw its variables");
    assert_eq!(info["message"], "confidential 2026-11-24 api acme");
}

#[test]
fn a_rule_failing_on_some_vendors_gives_the_same_report_on_any_thread_count() {
    let ws = Ws::new();
    // 40 more vendors (three batches); the rule fails only for ids containing "7".
    let profile = ws.read("vendors/acme/profile.yaml");
    for n in 0..40 {
        let id = format!("v{n:02}");
        ws.write(
            &format!("vendors/{id}/profile.yaml"),
            &profile.replace("vendor: acme", &format!("vendor: {id}")),
        );
        ws.write(&format!("vendors/{id}/sources/terms.md"), common::SNAPSHOT);
    }
    ws.write(
        "scripts/picky.rhai",
        "//! Picky\nif vendor.id.contains(\"7\") { let x = 1 / 0; }\npass(\"fine\");\n",
    );
    let run = |threads: &str| {
        let out = ws
            .cmd()
            .env("RAYON_NUM_THREADS", threads)
            .args(["evaluate", "--format", "json", "--today", TODAY])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        (out.stdout, String::from_utf8(out.stderr).unwrap())
    };
    let (one, err_one) = run("1");
    let (two, err_two) = run("2");
    assert_eq!(one, two, "the report does not depend on the thread count");
    assert_eq!(err_one, err_two);
    let v = json_of(&one);
    let verdict = |id: &str| {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["vendor"] == id)
            .map(|r| r["verdict"].clone())
            .unwrap()
    };
    // v07 fails in the first batch; from the second batch on, the rule is stopped everywhere.
    assert_eq!(verdict("v07"), "error");
    assert_ne!(
        verdict("v01"),
        "error",
        "same batch, the rule ran and passed"
    );
    assert_eq!(
        verdict("v20"),
        "error",
        "a later batch: the rule is stopped"
    );
    assert_eq!(
        err_one.matches("scripts/picky.rhai:").count(),
        1,
        "{err_one}"
    );
}
