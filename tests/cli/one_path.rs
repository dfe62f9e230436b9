//! `evaluate`, `explain` and `test` share one evaluation path: they must agree on every cell,
//! waivers included (explain once ignored them and said "hold" where evaluate said "waived").

use crate::common;

use common::{TODAY, bundled, copy_dir, diligence};
use serde_json::Value;

/// The bundled workspace with a live waiver on one hold finding.
fn workspace_with_waiver() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&bundled().join("policies"), &tmp.path().join("policies"));
    copy_dir(&bundled().join("vendors"), &tmp.path().join("vendors"));
    copy_dir(&bundled().join("scripts"), &tmp.path().join("scripts"));
    let policy = tmp.path().join("policies/default.yaml");
    let mut text = std::fs::read_to_string(&policy).unwrap();
    text.push_str(
        "waivers:\n  - rule: licence-scope\n    vendor: mistral\n    offering: le-chat\n    reason: \"training licence limited to the service in the pilot order form\"\n    approved_by: ciso@example.com\n    expires: 2027-03-31\n",
    );
    std::fs::write(&policy, text).unwrap();
    tmp
}

fn explain_verdict(dir: &std::path::Path, target: &str, class: &str) -> (String, String) {
    let out = diligence(dir)
        .args(["explain", target, "--class", class, "--today", TODAY])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let verdict = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("Verdict: "))
        .expect("explain ends with the verdict")
        .to_string();
    (verdict, text)
}

#[test]
fn explain_agrees_with_evaluate_on_every_cell_with_waivers() {
    let ws = workspace_with_waiver();
    let out = diligence(ws.path())
        .args(["evaluate", "--format", "json", "--today", TODAY])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let eval: Value = crate::common::inline_evidence(serde_json::from_slice(&out).unwrap());
    let mut waived_seen = false;
    for r in eval["results"].as_array().unwrap() {
        let target = format!(
            "{}/{}",
            r["vendor"].as_str().unwrap(),
            r["offering"].as_str().unwrap()
        );
        let class = r["classification"].as_str().unwrap();
        let (verdict, text) = explain_verdict(ws.path(), &target, class);
        assert_eq!(verdict, r["verdict"], "{target} at {class}:\n{text}");
        let waived = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| !f["waived"].is_null());
        if waived {
            waived_seen = true;
            assert!(text.contains("waived until 2027-03-31"), "{text}");
        }
    }
    assert!(waived_seen, "the waiver applied somewhere");
}

#[test]
fn a_waiver_changes_the_verdict_in_evaluate_and_explain_alike() {
    let ws = workspace_with_waiver();
    // Without the waiver, the training licence is the one condition on mistral/le-chat at
    // internal.
    let (before, _) = explain_verdict(&bundled(), "mistral/le-chat", "internal");
    let (after, text) = explain_verdict(ws.path(), "mistral/le-chat", "internal");
    assert!(
        text.contains("licence-scope") && text.contains("waived until"),
        "{text}"
    );
    let out = diligence(ws.path())
        .args([
            "evaluate",
            "mistral/le-chat",
            "--class",
            "internal",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    let eval: Value = crate::common::inline_evidence(serde_json::from_slice(&out.stdout).unwrap());
    assert_eq!(eval["results"][0]["verdict"], after.as_str());
    assert_eq!(before, "conditional");
    assert_eq!(after, "go");
}

#[test]
fn rule_tests_and_evaluate_run_the_same_rule_the_same_way() {
    // A rule test case is a synthetic offering run through evaluate_cell; the same offering
    // written as a workspace must give the same verdict through `evaluate`.
    let ws = tempfile::tempdir().unwrap();
    // A policy with the rule's requirement and no evidence checks: only the rule decides.
    std::fs::create_dir_all(ws.path().join("policies")).unwrap();
    std::fs::write(ws.path().join("policies/default.yaml"), common::POLICY).unwrap();
    std::fs::create_dir_all(ws.path().join("scripts")).unwrap();
    std::fs::copy(
        bundled().join("scripts/retention-limit.rhai"),
        ws.path().join("scripts/retention-limit.rhai"),
    )
    .unwrap();
    std::fs::create_dir_all(ws.path().join("vendors/acme")).unwrap();
    std::fs::write(
        ws.path().join("vendors/acme/profile.yaml"),
        "vendor: acme\nname: Acme\nofferings:\n  api:\n    name: API\n    tier: api\n    facts:\n      retention_days: 90\n      zero_data_retention: available\n",
    )
    .unwrap();
    std::fs::write(
        ws.path().join("scripts/retention-limit.test.yaml"),
        "- name: ninety days with ZDR available\n  classification: confidential\n  authority: unsupported\n  facts:\n    retention_days: 90\n    zero_data_retention: available\n  expect:\n    verdict: conditional\n",
    )
    .unwrap();
    diligence(ws.path())
        .args(["test", "retention-limit"])
        .assert()
        .success();
    let out = diligence(ws.path())
        .args([
            "evaluate",
            "acme/api",
            "--class",
            "confidential",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    let eval: Value = crate::common::inline_evidence(serde_json::from_slice(&out.stdout).unwrap());
    assert_eq!(eval["results"][0]["verdict"], "conditional");
}
