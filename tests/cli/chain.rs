//! The model behind the offering: an offering built on another offering of the workspace has
//! its verdict capped by the provider's, lifted by a verified pass-down of the customer's
//! terms, and held when the provider is outside the workspace; a cycle and an unknown
//! `vendor/offering` are located errors.
//!
//! The provider is the bundled `anthropic/api` profile (real, quoted documents). The offerings
//! built on it belong to fictional vendors (`example-writer`, `example-editor`) whose terms are
//! fixture documents written for these tests: no real vendor is said to rely on anything.

use crate::common;

use common::{TODAY, bundled, diligence};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Retention is the one requirement: the bundled Anthropic API keeps content 30 days, over
/// the limit at `confidential`; the fixture writer keeps nothing.
const POLICY: &str = "organization: Test Org
evidence_checks: [provider-chain]
classifications:
  public: {}
  confidential: {require: {max_retention_days: 7}}
";

/// A fixture document: written for these tests, about a fictional vendor.
const WRITER_TERMS: &str = "# Example Writer Terms of Service

<!-- A fixture written for diligence's tests: Example Writer is a fictional vendor. -->

1. Models. The Example Writer service is built on models provided by third parties, which process the text you submit.

2. Retention. Example Writer does not retain your text after a request is processed.

3. Providers. Our agreement with each model provider imposes obligations on the provider no less protective than those we give you, including no training on your content.
";

/// The writer's profile; `extra` is added under its offering's facts.
fn writer(providers: &str, extra: &str) -> String {
    format!(
        "vendor: example-writer
name: Example Writer (fictional, a test fixture)
reviewed: 2026-11-01
sources:
  terms:
    title: Example Writer Terms of Service
    authority: contract
    retrieved: 2026-11-01
    snapshot: sources/terms.md
offerings:
  assistant:
    name: Writing assistant
    tier: api
    facts:
      retention_days:
        - value: 0
          source: terms
          quote: \"Example Writer does not retain your text after a request is processed.\"
      providers:
        - value: {providers}
          source: terms
          section: \"1\"
          quote: \"The Example Writer service is built on models provided by third parties\"
{extra}"
    )
}

const PASS_DOWN: &str = "      provider_pass_down:
        - value: \"yes\"
          source: terms
          section: \"3\"
          quote: \"Our agreement with each model provider imposes obligations on the provider no less protective than those we give you\"
";

/// A workspace with the bundled Anthropic profile, the retention rule, the test policy and the
/// writer built on `providers`.
fn workspace(providers: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("policies")).unwrap();
    fs::write(root.join("policies/default.yaml"), POLICY).unwrap();
    fs::create_dir_all(root.join("scripts")).unwrap();
    fs::copy(
        bundled().join("scripts/retention-limit.rhai"),
        root.join("scripts/retention-limit.rhai"),
    )
    .unwrap();
    copy_dir(
        &bundled().join("vendors/anthropic"),
        &root.join("vendors/anthropic"),
    );
    add_vendor(root, "example-writer", &writer(providers, extra));
    dir
}

fn add_vendor(root: &Path, id: &str, profile: &str) {
    let dir = root.join("vendors").join(id);
    fs::create_dir_all(dir.join("sources")).unwrap();
    fs::write(dir.join("profile.yaml"), profile).unwrap();
    fs::write(dir.join("sources/terms.md"), WRITER_TERMS).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn evaluate_json(dir: &Path, args: &[&str]) -> Value {
    let out = diligence(dir)
        .args(["evaluate", "--format", "json", "--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::inline_evidence(serde_json::from_slice(&out.stdout).unwrap())
}

fn result<'a>(eval: &'a Value, offering: &str, class: &str) -> &'a Value {
    eval["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            format!(
                "{}/{}",
                r["vendor"].as_str().unwrap(),
                r["offering"].as_str().unwrap()
            ) == offering
                && r["classification"] == class
        })
        .unwrap_or_else(|| panic!("no result for {offering} at {class}"))
}

fn chain_findings(r: &Value) -> Vec<&Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "provider-chain")
        .collect()
}

#[test]
fn a_provider_no_go_caps_the_offering_built_on_it_and_names_the_link() {
    let ws = workspace("[anthropic/api]", "");
    let eval = evaluate_json(ws.path(), &[]);
    // The provider itself: no-go at confidential on retention, go at public.
    assert_eq!(
        result(&eval, "anthropic/api", "confidential")["verdict"],
        "no-go"
    );
    // The writer keeps nothing itself, yet relies on a provider that keeps content 30 days.
    let capped = result(&eval, "example-writer/assistant", "confidential");
    assert_eq!(capped["verdict"], "no-go");
    let found = chain_findings(capped);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["level"], "block");
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("anthropic/api"), "{message}");
    assert!(message.contains("no-go at confidential"), "{message}");
    assert!(message.contains("retention-limit (block)"), "{message}");
    assert!(
        found[0]["action"]
            .as_str()
            .unwrap()
            .contains("provider_pass_down"),
        "{}",
        found[0]
    );
    // The evidence of the link is the quoted claim that names the provider.
    assert_eq!(found[0]["evidence"][0]["fact"], "providers");
    assert!(
        found[0]["evidence"][0]["at"]
            .as_str()
            .unwrap()
            .starts_with("vendors/example-writer/profile.yaml:")
    );
    // Where the provider is go, so is the writer.
    let public = result(&eval, "example-writer/assistant", "public");
    assert_eq!(public["verdict"], "go");
    assert_eq!(chain_findings(public)[0]["level"], "pass");
}

#[test]
fn a_verified_pass_down_lifts_the_cap() {
    let ws = workspace("[anthropic/api]", PASS_DOWN);
    let eval = evaluate_json(ws.path(), &["--class", "confidential"]);
    let lifted = result(&eval, "example-writer/assistant", "confidential");
    assert_eq!(lifted["verdict"], "go");
    let found = chain_findings(lifted);
    assert_eq!(found[0]["level"], "info");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("passes the customer's terms down"),
        "{}",
        found[0]
    );
}

#[test]
fn a_pass_down_that_is_only_a_bare_value_does_not_lift_the_cap() {
    let ws = workspace("[anthropic/api]", "      provider_pass_down: \"yes\"\n");
    let eval = evaluate_json(ws.path(), &["--class", "confidential"]);
    let r = result(&eval, "example-writer/assistant", "confidential");
    assert_eq!(r["verdict"], "no-go");
}

#[test]
fn a_provider_outside_the_workspace_holds_with_the_question_to_ask() {
    let ws = workspace("[Example Models Ltd]", "");
    let eval = evaluate_json(ws.path(), &[]);
    for class in ["public", "confidential"] {
        let r = result(&eval, "example-writer/assistant", class);
        assert_eq!(r["verdict"], "hold", "{class}");
        let found = chain_findings(r);
        assert_eq!(found[0]["level"], "hold");
        assert!(
            found[0]["message"]
                .as_str()
                .unwrap()
                .contains("Example Models Ltd, which is not in the workspace")
        );
        assert!(
            found[0]["action"]
                .as_str()
                .unwrap()
                .starts_with("Ask the vendor: which terms of Example Models Ltd govern our data")
        );
    }
    // `questions` asks about the providers that hold the review.
    let out = diligence(ws.path())
        .args([
            "questions",
            "example-writer",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("provider_pass_down"), "{text}");
}

#[test]
fn the_streamed_report_has_the_same_chain_as_the_whole_one() {
    // The writer comes after its provider in workspace order; a provider later in the stream
    // (`zz-writer` relies on nothing, `aa-writer` comes first and relies on anthropic/api)
    // must be resolved the same way.
    let ws = workspace("[anthropic/api]", "");
    add_vendor(
        ws.path(),
        "aa-writer",
        &writer("[anthropic/api]", "").replace("vendor: example-writer", "vendor: aa-writer"),
    );
    let whole = evaluate_json(ws.path(), &[]);
    let out = diligence(ws.path())
        .args(["evaluate", "--format", "jsonl", "--today", TODAY])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = common::jsonl_results(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(&lines, whole["results"].as_array().unwrap());
    assert_eq!(
        result(&whole, "aa-writer/assistant", "confidential")["verdict"],
        "no-go"
    );
}

#[test]
fn an_unknown_provider_offering_is_a_located_error_with_a_hint() {
    let ws = workspace("[anthropic/apii]", "");
    let out = diligence(ws.path())
        .args(["check", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("vendors/example-writer/profile.yaml:20:11"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`anthropic/apii` names no offering of that vendor"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `api`?"), "{stderr}");
    // evaluate refuses the workspace too, whole or streamed.
    for format in ["json", "jsonl"] {
        let out = diligence(ws.path())
            .args(["evaluate", "--format", format, "--today", TODAY])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("anthropic/apii"));
    }
}

#[test]
fn a_cycle_of_providers_is_a_located_error_naming_the_cycle() {
    let ws = workspace("[example-editor/app]", "");
    let editor = writer("[example-writer/assistant]", "")
        .replace("vendor: example-writer", "vendor: example-editor")
        .replace("  assistant:\n", "  app:\n");
    add_vendor(ws.path(), "example-editor", &editor);
    let out = diligence(ws.path())
        .args(["check", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "a cycle of providers: example-editor/app -> example-writer/assistant -> example-editor/app"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("vendors/example-writer/profile.yaml:20:11"),
        "{stderr}"
    );
}

#[test]
fn a_rule_test_can_give_a_providers_verdict() {
    let ws = workspace("[anthropic/api]", "");
    fs::write(
        ws.path().join("scripts/provider-chain.test.yaml"),
        "- name: a no-go provider caps the offering
  classification: confidential
  facts:
    providers: [acme/api]
  providers: {acme/api: no-go}
  expect:
    verdict: no-go
    findings:
      - {level: block, message: \"Relies on acme/api, which is no-go at confidential\"}
- name: a verified pass-down lifts the cap
  classification: confidential
  facts:
    providers: [acme/api]
    provider_pass_down: [{value: \"yes\", source: contract, quote: passes our terms down}]
  providers: {acme/api: no-go}
  expect:
    verdict: go
- name: an external provider holds
  facts:
    providers: [Acme Models]
  expect:
    verdict: hold
",
    )
    .unwrap();
    let out = diligence(ws.path())
        .args(["test", "provider-chain"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("3 passed"), "{stdout}");
}

#[test]
fn status_flags_drift_when_a_providers_verdict_changes() {
    // The writer relies on a fictional provider whose own fixture terms keep nothing: both go
    // at confidential. The provider then names a provider of its own, outside the workspace,
    // and holds: the writer's decision drifts, naming the provider.
    let ws = workspace("[example-models/api]", "");
    let provider = |providers: &str| {
        writer(providers, "")
            .replace("vendor: example-writer", "vendor: example-models")
            .replace("  assistant:\n", "  api:\n")
    };
    add_vendor(ws.path(), "example-models", &provider("[example-base/api]"));
    let base = provider("[]").replace("vendor: example-models", "vendor: example-base");
    add_vendor(ws.path(), "example-base", &base);
    let decided = diligence(ws.path())
        .args([
            "decide",
            "example-writer/assistant",
            "--class",
            "confidential",
            "--approve",
            "--by",
            "Jane Doe (CISO)",
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    assert!(
        decided.status.success(),
        "{}",
        String::from_utf8_lossy(&decided.stderr)
    );
    let register =
        fs::read_to_string(ws.path().join("decisions/example-writer/assistant.yaml")).unwrap();
    assert!(
        register.contains("      providers:\n        \"example-models/api\": \"go\""),
        "{register}"
    );
    fs::write(
        ws.path().join("vendors/example-models/profile.yaml"),
        provider("[example-base/api, Example Models Ltd]"),
    )
    .unwrap();
    let out = diligence(ws.path())
        .args(["status", "--format", "json", "--today", TODAY])
        .output()
        .unwrap();
    let status: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!("{}", String::from_utf8_lossy(&out.stderr));
    });
    let text = status.to_string();
    assert!(
        text.contains("provider example-models/api: go at the decision, hold now"),
        "{text}"
    );
    assert!(text.contains("\"kind\":\"provider\""), "{text}");
}
