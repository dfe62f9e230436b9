//! Authoring as a new user meets it: init, new vendor, new rule, test, evaluate, explain,
//! schema and completions.

use crate::common;

use common::{TODAY, bundled, diligence};
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn run_in(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    diligence(dir).args(args).assert()
}

/// The standard output of a command that must succeed.
fn stdout_of(dir: &Path, args: &[&str]) -> Vec<u8> {
    run_in(dir, args).success().get_output().stdout.clone()
}

#[test]
fn a_new_user_walks_from_init_to_explain() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("reviews");
    let mut init = assert_cmd::Command::cargo_bin("diligence").unwrap();
    init.arg("init").arg(&ws).assert().success();
    assert!(ws.join("policies/default.yaml").is_file());
    assert!(
        ws.join("vendors/perplexity/sources/api-terms.2026-08-15.md")
            .is_file()
    );
    assert!(ws.join("README.md").is_file());
    run_in(&ws, &["check", "--today", TODAY]).success();

    // A second init into the same folder refuses; --force only adds missing files.
    let mut again = assert_cmd::Command::cargo_bin("diligence").unwrap();
    again
        .arg("init")
        .arg(&ws)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not empty"));

    run_in(&ws, &["new", "vendor", "acme"]).success();
    let profile = ws.join("vendors/acme/profile.yaml");
    let skeleton = std::fs::read_to_string(&profile).unwrap();
    assert!(
        skeleton.contains(
            "# training_on_inputs: one of: never, opt_in, opt_out, default_on, negotiable"
        )
    );
    // The skeleton is valid as it is: every fact unknown.
    run_in(&ws, &["check", "--today", TODAY]).success();

    // Fill in two facts from an archived document.
    std::fs::write(
        ws.join("vendors/acme/sources/terms.md"),
        "## 4. Data\n\n4.1 Acme will not use Customer Data to train models.\n\n4.2 Acme deletes Customer Data within 7 days.\n",
    )
    .unwrap();
    let filled = skeleton
        .replace("reviewed: null", "reviewed: 2026-11-20")
        .replace(
            "sources:\n",
            "sources:\n  terms:\n    title: Acme Terms\n    authority: contract\n    retrieved: 2026-11-20\n    snapshot: sources/terms.md\n",
        )
        .replace(
            "    facts:\n",
            "    facts:\n      training_on_inputs:\n        - value: never\n          source: terms\n          section: \"4.1\"\n          quote: \"Acme will not use Customer Data to train models.\"\n      retention_days:\n        - value: 7\n          source: terms\n          section: \"4.2\"\n          quote: \"Acme deletes Customer Data within 7 days.\"\n",
        );
    std::fs::write(&profile, filled).unwrap();
    run_in(&ws, &["check", "--today", TODAY]).success();

    run_in(&ws, &["new", "rule", "acme-training"]).success();
    assert!(ws.join("scripts/acme-training.rhai").is_file());
    assert!(ws.join("scripts/acme-training.test.yaml").is_file());
    run_in(&ws, &["new", "rule", "acme-training"])
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    run_in(&ws, &["test", "acme-training"])
        .success()
        .stdout(predicate::str::contains("3 passed, 0 failed"));

    let args = [
        "evaluate",
        "acme",
        "--class",
        "confidential",
        "--format",
        "json",
        "--today",
        TODAY,
    ];
    let out = stdout_of(&ws, &args);
    let v: Value = crate::common::inline_evidence(serde_json::from_slice(&out).unwrap());
    let mine = v["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "acme-training")
        .expect("the new rule ran");
    assert_eq!(mine["level"], "pass");

    run_in(
        &ws,
        &[
            "explain",
            "acme/api",
            "acme-training",
            "--class",
            "confidential",
            "--today",
            TODAY,
        ],
    )
    .success()
    .stdout(predicate::str::contains(
        "training_on_inputs = \"never\" (decided at contract authority)",
    ))
    .stdout(predicate::str::contains(
        "\"Acme will not use Customer Data to train models.\"",
    ));
}

#[test]
fn explain_shows_section_quote_requirements_and_print_output() {
    let args = [
        "explain",
        "perplexity/sonar-api",
        "training-on-inputs",
        "--class",
        "confidential",
        "--today",
        TODAY,
    ];
    let out = stdout_of(&bundled(), &args);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("no_training"), "{text}");
    assert!(text.contains("(class confidential)"), "{text}");
    assert!(
        text.contains("Perplexity API Terms of Service §2.3.3"),
        "{text}"
    );
    assert!(text.contains("\"Perplexity shall not use (or authorize third parties to use) Customer Content to train"), "{text}");
    assert!(text.contains("outvoted"), "{text}");

    let ws = common::Ws::new();
    ws.write(
        "scripts/chatty.rhai",
        "//! Chatty\nprint(`tier is ${offering.tier}`);\ndebug(require.no_training);\n",
    );
    ws.cmd()
        .args([
            "explain",
            "acme/api",
            "chatty",
            "--class",
            "confidential",
            "--today",
            TODAY,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("tier is api"))
        .stdout(predicate::str::contains("[line 3] true"));
}

#[test]
fn explain_suggests_rules_and_offerings() {
    run_in(
        &bundled(),
        &["explain", "perplexity/sonar-api", "training-on-input"],
    )
    .code(2)
    .stderr(predicate::str::contains(
        "did you mean `training-on-inputs`?",
    ));
    run_in(&bundled(), &["explain", "perplexty/sonar-api"])
        .code(2)
        .stderr(predicate::str::contains("did you mean `perplexity`?"));
}

/// Parses a YAML file of the workspace into JSON for schema validation.
fn yaml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema(kind: &str) -> jsonschema::Validator {
    let out = stdout_of(&bundled(), &["schema", kind]);
    let schema: Value = serde_json::from_slice(&out).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn every_bundled_file_validates_against_its_schema() {
    let root = bundled();
    let check = |validator: &jsonschema::Validator, path: &Path| {
        let doc = yaml_as_json(path);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    };
    let profile = schema("profile");
    for entry in std::fs::read_dir(root.join("vendors")).unwrap() {
        check(&profile, &entry.unwrap().path().join("profile.yaml"));
    }
    let policy = schema("policy");
    for entry in std::fs::read_dir(root.join("policies")).unwrap() {
        check(&policy, &entry.unwrap().path());
    }
    let tests = schema("tests");
    for entry in std::fs::read_dir(root.join("scripts")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".test.yaml") {
            check(&tests, &path);
        }
    }
    // And the schema rejects what check rejects.
    let bad: Value = serde_json::json!({"vendor": "x", "name": "X", "offerings": {"api": {"name": "A", "tier": "api", "facts": {"retention_dayz": 3}}}});
    assert!(!profile.is_valid(&bad));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        run_in(&bundled(), &["completions", shell])
            .success()
            .stdout(predicate::str::contains("evaluate"));
    }
}

#[test]
fn check_json_is_for_editors_and_ci_annotations() {
    let ws = common::Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "retention_days:",
        "retention_dayz:",
    );
    let out = ws
        .cmd()
        .args(["check", "--format", "json", "--today", TODAY])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "vendors/acme/profile.yaml");
    assert_eq!(d["line"], 20);
    assert_eq!(d["column"], 7);
    assert_eq!(d["message"], "unknown fact `retention_dayz`");
    assert_eq!(d["hint"], "did you mean `retention_days`?");
}
