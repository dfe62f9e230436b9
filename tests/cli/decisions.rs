//! The register of decisions: `decide` records, `status` reads it against today.
//!
//! The sample workspace (tests/common) has one vendor, acme/api, whose training and retention
//! facts quote its terms; a second rule here turns a missing DPA into a condition at
//! `internal`, so that `internal` is conditional and `confidential` is go.

use crate::common;

use common::{PROFILE, SNAPSHOT, Ws, diligence};
use serde_json::Value;
use std::path::Path;

const REGISTER: &str = "decisions/acme/api.yaml";

const DPA_RULE: &str = "//! DPA
//! A missing DPA is a condition of an approval for internal data.
if classification == \"internal\" && require.dpa == true && fact(\"dpa\") == () { condition(\"no DPA on file\", \"sign the DPA\"); }
";

fn sample() -> Ws {
    let ws = Ws::new();
    ws.write("scripts/dpa.rhai", DPA_RULE);
    ws
}

fn decide(ws: &Ws, today: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    ws.cmd()
        .arg("decide")
        .arg("acme/api")
        .args(args)
        .args(["--today", today])
        .assert()
}

fn approve_internal(ws: &Ws) {
    decide(
        ws,
        "2026-11-24",
        &[
            "--class",
            "internal",
            "--approve-with-conditions",
            "--by",
            "Jane Doe (CISO)",
            "--ref",
            "PROC-7",
            "--owner",
            "Legal",
            "--due",
            "2026-12-31",
        ],
    )
    .success();
}

fn status_json(ws: &Ws, today: &str, extra: &[&str]) -> Value {
    let out = ws
        .cmd()
        .args(["status", "--format", "json", "--today", today])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("status json")
}

/// The decided row of acme/api at `coverage`.
fn row<'a>(v: &'a Value, coverage: &str) -> &'a Value {
    v["offerings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["decision"]["classification"] == coverage.split('+').next().unwrap()
                && r["vendor"] == "acme"
        })
        .unwrap_or_else(|| panic!("no row at {coverage}: {v}"))
}

fn drift_kinds(r: &Value) -> Vec<String> {
    r["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

fn drift_messages(r: &Value) -> String {
    r["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["message"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn decide_meet_a_condition_and_supersede_keep_the_history_and_the_comments() {
    let ws = sample();
    approve_internal(&ws);
    let text = ws.read(REGISTER);
    assert!(text.contains("outcome: approved_with_conditions"), "{text}");
    assert!(text.contains("text: \"sign the DPA\""), "{text}");
    assert!(text.contains("owner: \"Legal\""), "{text}");
    assert!(text.contains("review_by: 2027-11-24"), "{text}");

    // A reviewer's comment in the file survives every later write.
    ws.edit(
        REGISTER,
        "decisions:\n",
        "# signed off in the November meeting\ndecisions:\n",
    );
    let v = status_json(&ws, "2026-11-25", &[]);
    let r = row(&v, "internal");
    assert_eq!(r["conditions"][0]["status"], "open");
    assert_eq!(r["decision"]["by"][0]["name"], "Jane Doe");
    assert_eq!(r["decision"]["by"][0]["role"], "CISO");
    assert_eq!(r["decision"]["ref"], "PROC-7");
    assert_eq!(r["verdict_now"], "conditional");

    decide(
        &ws,
        "2026-12-01",
        &[
            "--class",
            "internal",
            "--condition",
            "1",
            "--met",
            "DPA signed, contract C-17",
        ],
    )
    .success();
    let text = ws.read(REGISTER);
    assert!(text.contains("# signed off in the November meeting"));
    assert!(text.contains("status: met"), "{text}");
    assert!(
        text.contains("evidence: \"DPA signed, contract C-17\""),
        "{text}"
    );
    let v = status_json(&ws, "2026-12-02", &[]);
    assert_eq!(row(&v, "internal")["conditions"][0]["status"], "met");

    // Meeting it again is refused.
    decide(
        &ws,
        "2026-12-01",
        &["--class", "internal", "--condition", "1", "--met", "again"],
    )
    .code(2)
    .stderr(predicates::str::contains("already met"));

    decide(
        &ws,
        "2026-12-03",
        &["--class", "internal", "--reject", "--by", "Sam Lee (DPO)"],
    )
    .success();
    let text = ws.read(REGISTER);
    assert!(text.contains("# signed off in the November meeting"));
    assert_eq!(text.matches("  - date: ").count(), 2, "{text}");
    assert!(text.contains("supersedes: 2026-11-24"), "{text}");
    let v = status_json(&ws, "2026-12-04", &[]);
    let r = row(&v, "internal");
    assert_eq!(r["decision"]["outcome"], "rejected");
    assert_eq!(r["superseded"], 1);
}

#[test]
fn a_hold_or_no_go_is_approved_only_with_a_recorded_override() {
    let ws = sample();
    // Without its training fact, acme/api holds at confidential.
    ws.write(
        "vendors/acme/profile.yaml",
        &PROFILE.replace("      training_on_inputs:\n        - value: never\n          source: terms\n          section: \"2.1\"\n          quote: \"Acme shall not use Customer Content to train models.\"\n", ""),
    );
    decide(
        &ws,
        "2026-11-24",
        &[
            "--class",
            "confidential",
            "--approve",
            "--by",
            "Jane Doe (CISO)",
        ],
    )
    .code(2)
    .stderr(predicates::str::contains(
        "is hold at confidential: it cannot be approved",
    ));
    assert!(!ws.path().join(REGISTER).exists());

    decide(
        &ws,
        "2026-11-24",
        &[
            "--class",
            "confidential",
            "--approve",
            "--by",
            "Jane Doe (CISO)",
            "--override",
            "pilot on synthetic data only",
        ],
    )
    .success();
    assert!(
        ws.read(REGISTER)
            .contains("override: \"pilot on synthetic data only\"")
    );
}

#[test]
fn a_plain_approval_of_a_conditional_verdict_is_refused() {
    let ws = sample();
    decide(
        &ws,
        "2026-11-24",
        &[
            "--class",
            "internal",
            "--approve",
            "--by",
            "Jane Doe (CISO)",
        ],
    )
    .code(2)
    .stderr(predicates::str::contains("--approve-with-conditions"));
    assert!(!ws.path().join(REGISTER).exists());
}

fn approve_confidential(ws: &Ws) {
    decide(
        ws,
        "2026-11-24",
        &[
            "--class",
            "confidential",
            "--approve",
            "--by",
            "Jane Doe (CISO)",
        ],
    )
    .success();
}

#[test]
fn status_fails_on_drift_only_when_something_drifted() {
    let ws = sample();
    approve_confidential(&ws);
    ws.cmd()
        .args(["status", "--fail-on", "drift", "--today", "2026-11-25"])
        .assert()
        .success()
        .stdout(predicates::str::contains("ok"));
}

#[test]
fn drift_names_a_quoted_fact_whose_value_changed_and_the_replaced_snapshot() {
    let ws = sample();
    approve_confidential(&ws);
    // The vendor now keeps data 20 days: a new snapshot, and the claim re-quoted from it.
    ws.write(
        "vendors/acme/sources/terms.v2.md",
        &SNAPSHOT.replace("within 14 days", "within 20 days"),
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "snapshot: sources/terms.md",
        "snapshot: sources/terms.v2.md",
    );
    ws.edit("vendors/acme/profile.yaml", "value: 14", "value: 20");
    ws.edit(
        "vendors/acme/profile.yaml",
        "within 14 days",
        "within 20 days",
    );
    let v = status_json(&ws, "2026-11-25", &[]);
    let r = row(&v, "confidential");
    let m = drift_messages(r);
    assert!(m.contains("fact retention_days: was 14, now 20"), "{m}");
    assert!(
        m.contains("source terms: snapshot replaced (sources/terms.md -> sources/terms.v2.md)"),
        "{m}"
    );
    assert_eq!(r["verdict_now"], "go");
    ws.cmd()
        .args(["status", "--fail-on", "drift", "--today", "2026-11-25"])
        .assert()
        .code(1);
}

#[test]
fn drift_names_a_claim_that_broke_and_a_verdict_that_got_worse() {
    let ws = sample();
    approve_confidential(&ws);
    // The vendor rewrote its terms: the training quote is no longer in the snapshot.
    ws.write(
        "vendors/acme/sources/terms.md",
        &SNAPSHOT.replace(
            "Acme shall not use Customer Content to train models.",
            "Acme may use Customer Content to improve its services.",
        ),
    );
    let v = status_json(&ws, "2026-11-25", &[]);
    let r = row(&v, "confidential");
    let kinds = drift_kinds(r);
    for k in ["verdict_worse", "fact", "claim", "snapshot"] {
        assert!(kinds.iter().any(|x| x == k), "{k} missing from {kinds:?}");
    }
    let m = drift_messages(r);
    assert!(
        m.contains("verdict worse: go at the decision, hold now"),
        "{m}"
    );
    assert!(m.contains("fact training_on_inputs: a claim broke"), "{m}");
    let broken = r["drift"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "claim")
        .unwrap();
    assert!(
        broken["at"]
            .as_str()
            .unwrap()
            .starts_with("vendors/acme/profile.yaml:"),
        "{broken}"
    );
}

#[test]
fn drift_names_a_changed_rule_and_a_changed_requirement() {
    let ws = sample();
    approve_confidential(&ws);
    ws.edit(
        "scripts/training.rhai",
        "//! Test rule.",
        "//! Test rule, reworded.",
    );
    ws.edit(
        "policies/default.yaml",
        "max_retention_days: 30",
        "max_retention_days: 20",
    );
    let r = status_json(&ws, "2026-11-25", &[]);
    let m = drift_messages(row(&r, "confidential"));
    assert!(m.contains("rule training: its script changed"), "{m}");
    assert!(
        m.contains("requirement max_retention_days: was 30, now 20"),
        "{m}"
    );
}

#[test]
fn a_rejection_whose_verdict_got_better_could_be_revisited() {
    let ws = sample();
    let without = PROFILE.replace(
        "      training_on_inputs:\n        - value: never\n          source: terms\n          section: \"2.1\"\n          quote: \"Acme shall not use Customer Content to train models.\"\n",
        "",
    );
    ws.write("vendors/acme/profile.yaml", &without);
    decide(
        &ws,
        "2026-11-24",
        &[
            "--class",
            "confidential",
            "--reject",
            "--by",
            "Jane Doe (CISO)",
        ],
    )
    .success();
    ws.write("vendors/acme/profile.yaml", PROFILE);
    let v = status_json(&ws, "2026-11-25", &[]);
    let m = drift_messages(row(&v, "confidential"));
    assert!(
        m.contains(
            "verdict better: hold at the decision, go now: the rejection could be revisited"
        ),
        "{m}"
    );
}

fn git(dir: &Path, args: &[&str], date: &str) {
    common::archive_git(dir, args, Some(date));
}

#[test]
fn drift_names_a_newer_archived_version_with_repo() {
    let ws = sample();
    let archive = tempfile::tempdir().unwrap();
    let repo = archive.path().join("versions");
    std::fs::create_dir_all(repo.join("Acme")).unwrap();
    git(&repo, &["init", "-q"], "2026-01-01T10:00:00Z");
    std::fs::write(repo.join("Acme/Terms of Service.md"), SNAPSHOT).unwrap();
    git(&repo, &["add", "-A"], "2026-01-01T10:00:00Z");
    git(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "First record of Acme Terms of Service",
        ],
        "2026-01-01T10:00:00Z",
    );
    diligence(ws.path())
        .args(["import", "ota", "--repo"])
        .arg(&repo)
        .args([
            "--service",
            "Acme",
            "--document",
            "Terms of Service",
            "acme",
            "terms",
        ])
        .assert()
        .success();
    approve_confidential(&ws);
    let none = status_json(&ws, "2026-11-25", &["--repo", repo.to_str().unwrap()]);
    assert!(drift_kinds(row(&none, "confidential")).is_empty());

    std::fs::write(
        repo.join("Acme/Terms of Service.md"),
        SNAPSHOT.replace("14 days", "60 days"),
    )
    .unwrap();
    git(&repo, &["add", "-A"], "2026-11-20T10:00:00Z");
    git(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "Record new changes of Acme Terms of Service",
        ],
        "2026-11-20T10:00:00Z",
    );
    let v = status_json(&ws, "2026-11-25", &["--repo", repo.to_str().unwrap()]);
    let m = drift_messages(row(&v, "confidential"));
    assert!(
        m.contains("source terms: 1 newer archived version(s), the latest recorded 2026-11-20"),
        "{m}"
    );
}

const CADENCE: &str = "review_cadence:
  warn_days: 14
  classifications: {internal: 24, confidential: 6}
  tags: {phi: 3}
";

#[test]
fn the_cadence_sets_the_review_date_and_status_warns_then_reports_it_overdue() {
    let ws = sample();
    ws.edit(
        "policies/default.yaml",
        "classifications:",
        &format!("{CADENCE}classifications:"),
    );
    approve_confidential(&ws);
    assert!(ws.read(REGISTER).contains("review_by: 2027-05-24"));
    let status = |today: &str, fail: &str| {
        ws.cmd()
            .args(["status", "--today", today, "--fail-on", fail])
            .assert()
    };
    status("2027-05-01", "due").success();
    status("2027-05-12", "due")
        .code(1)
        .stdout(predicates::str::contains("review due by 2027-05-24"));
    status("2027-05-12", "overdue").success();
    status("2027-05-25", "overdue")
        .code(1)
        .stdout(predicates::str::contains("review OVERDUE since 2027-05-24"));
}

#[test]
fn a_tag_with_a_shorter_cadence_shortens_the_review() {
    let ws = sample();
    ws.edit(
        "policies/default.yaml",
        "classifications:",
        &format!("{CADENCE}classifications:"),
    );
    // phi requires a BAA: without one the rule set has nothing to say, so the verdict is go.
    decide(
        &ws,
        "2026-11-24",
        &[
            "--class",
            "confidential",
            "--tag",
            "phi",
            "--reject",
            "--by",
            "Jane Doe (CISO)",
        ],
    )
    .success();
    let text = ws.read(REGISTER);
    assert!(text.contains("review_by: 2027-02-24"), "{text}");
    assert!(text.contains("tags: [\"phi\"]"), "{text}");
}

#[test]
fn an_overdue_condition_shows_with_today() {
    let ws = sample();
    approve_internal(&ws);
    ws.cmd()
        .args(["status", "--today", "2027-01-02", "--fail-on", "overdue"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "condition 1: sign the DPA (owner Legal, due 2026-12-31): OVERDUE",
        ));
}

#[test]
fn a_waiver_expiring_soon_is_shown() {
    let ws = sample();
    ws.write("scripts/retention.rhai", "//! Retention\n//! Test.\nlet r = fact(\"retention_days\");\nif require.max_retention_days != () && r != () && r > 10 { block(\"keeps data too long\", \"negotiate\"); }\n");
    ws.edit(
        "policies/default.yaml",
        "tags:",
        "waivers:\n  - {rule: retention, vendor: acme, offering: api, reason: pilot, approved_by: ciso@example.com, expires: 2027-01-10}\ntags:",
    );
    approve_confidential(&ws);
    ws.cmd()
        .args(["status", "--today", "2027-01-01", "--fail-on", "due"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "waiver of retention expires on 2027-01-10",
        ));
}

/// Runs `status` with `-o FILE`: it must exit 2 with `message` located in the register, and
/// write nothing.
fn refused_status(ws: &Ws, today: &str, message: &str, line_starts: &str) {
    let out_file = ws.path().join("out.json");
    let out = ws
        .cmd()
        .args(["status", "--format", "json", "--today", today, "-o"])
        .arg(&out_file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
    assert!(
        stderr.contains(&format!("{REGISTER}:{line_starts}")),
        "not located in the register: {stderr}"
    );
    assert!(!out_file.exists(), "status wrote a report");
}

#[test]
fn bad_registers_are_located_errors_and_nothing_is_written() {
    let cases: [(&str, &str, &str, &str); 5] = [
        (
            "classification: \"internal\"",
            "classification: \"secret\"",
            "has no classification `secret`",
            "",
        ),
        (
            "        owner: \"Legal\"\n",
            "",
            "condition without an owner",
            "",
        ),
        (
            "        due: 2026-12-31\n",
            "",
            "condition without a due date",
            "",
        ),
        (
            "  - date: 2026-11-24",
            "  - date: 2027-03-01",
            "date: 2027-03-01 is after today",
            "7:",
        ),
        (
            "verdict: conditional",
            "verdict: go",
            "the fingerprint does not match",
            "",
        ),
    ];
    for (from, to, message, line) in cases {
        let ws = sample();
        approve_internal(&ws);
        ws.edit(REGISTER, from, to);
        refused_status(&ws, "2026-11-25", message, line);
        // decide refuses to add to a register it cannot trust, and leaves it as it was.
        let before = ws.read(REGISTER);
        decide(
            &ws,
            "2026-11-26",
            &[
                "--class",
                "confidential",
                "--approve",
                "--by",
                "Jane Doe (CISO)",
            ],
        )
        .code(2);
        assert_eq!(ws.read(REGISTER), before, "{message}");
    }
}

#[test]
fn two_decisions_on_one_coverage_the_same_day_are_refused() {
    let first = sample();
    let ws = first;
    approve_internal(&ws);
    let text = ws.read(REGISTER);
    let entry = &text[text.find("  - date: ").unwrap()..];
    ws.write(REGISTER, &format!("{text}{entry}"));
    refused_status(
        &ws,
        "2026-11-25",
        "two decisions on internal dated 2026-11-24",
        "",
    );
    // decide on the same day as the decision in force is refused too.
    let other = sample();
    approve_internal(&other);
    decide(
        &other,
        "2026-11-24",
        &["--class", "internal", "--reject", "--by", "Sam Lee (DPO)"],
    )
    .code(2)
    .stderr(predicates::str::contains(
        "already has a decision on internal dated 2026-11-24",
    ));
}

#[test]
fn a_register_for_an_unknown_vendor_or_offering_is_a_located_error() {
    let ws = sample();
    approve_internal(&ws);
    let text = ws.read(REGISTER);
    ws.write(
        "decisions/acme/gone.yaml",
        &text.replace("offering: \"api\"", "offering: \"gone\""),
    );
    refused_status_file(
        &ws,
        "decisions/acme/gone.yaml:5:1",
        "vendor `acme` has no offering `gone`",
    );
    std::fs::remove_file(ws.path().join("decisions/acme/gone.yaml")).unwrap();
    ws.write(
        "decisions/acne/api.yaml",
        &text.replace("vendor: \"acme\"", "vendor: \"acne\""),
    );
    refused_status_file(&ws, "decisions/acne/api.yaml:4:1", "unknown vendor `acne`");
}

fn refused_status_file(ws: &Ws, at: &str, message: &str) {
    let out = ws
        .cmd()
        .args(["status", "--today", "2026-11-25"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{at}: error: {message}")),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn decide_refuses_unknown_names_and_a_condition_without_owner_or_due() {
    let ws = sample();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--class", "secret", "--reject"],
            "no classification `secret`",
        ),
        (
            &["--class", "internal", "--tag", "phy", "--reject"],
            "no tag `phy`",
        ),
        (
            &[
                "--class",
                "internal",
                "--approve-with-conditions",
                "--due",
                "2026-12-31",
            ],
            "a condition needs an owner",
        ),
        (
            &[
                "--class",
                "internal",
                "--approve-with-conditions",
                "--owner",
                "Legal",
            ],
            "a condition needs a due date",
        ),
        (
            &[
                "--class",
                "internal",
                "--approve-with-conditions",
                "--owner",
                "Legal",
                "--due",
                "soon",
            ],
            "--due `soon` is not a date",
        ),
        (
            &["--class", "internal", "--reject", "--today", "someday"],
            "is not a date",
        ),
    ];
    for (args, message) in cases {
        ws.cmd()
            .args(["decide", "acme/api", "--by", "Jane Doe (CISO)"])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(message));
        assert!(!ws.path().join(REGISTER).exists(), "{message}");
    }
    for (target, message) in [
        ("acne/api", "unknown vendor `acne`"),
        ("acme/apy", "vendor `acme` has no offering `apy`"),
    ] {
        ws.cmd()
            .args([
                "decide", target, "--class", "internal", "--reject", "--by", "J (CISO)",
            ])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(message));
    }
    ws.cmd()
        .args(["status", "acne"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown vendor `acne`"));
}

#[test]
fn a_cadence_naming_an_unknown_class_is_a_policy_error() {
    let ws = sample();
    ws.edit(
        "policies/default.yaml",
        "classifications:",
        "review_cadence:\n  classifications: {secret: 6}\nclassifications:",
    );
    ws.cmd()
        .args(["status"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "policies/default.yaml:4:21: error: review_cadence: the policy has no classification `secret`",
        ));
}

fn status_out(ws: &Ws, format: &str) -> Vec<u8> {
    let out = ws
        .cmd()
        .args(["status", "--today", "2027-01-02", "--format", format])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// acme/api approved at internal with an overdue condition, and drifted (a rule changed).
fn attention_ws() -> Ws {
    let ws = sample();
    approve_internal(&ws);
    ws.edit(
        "scripts/training.rhai",
        "//! Test rule.",
        "//! Test rule, reworded.",
    );
    ws
}

#[test]
fn every_status_format_carries_the_decision_and_what_needs_attention() {
    let ws = attention_ws();
    let text = |f: &str| String::from_utf8(status_out(&ws, f)).unwrap();

    let json: Value = serde_json::from_str(&text("json")).unwrap();
    assert_eq!(json["today"], "2027-01-02");
    assert_eq!(row(&json, "internal")["conditions"][0]["state"], "overdue");

    let jsonl = text("jsonl");
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["decision"]["outcome"], "approved_with_conditions");

    let csv = text("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rec = reader.records().next().unwrap().unwrap();
    let get = |name: &str| rec[header.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(get("outcome"), "approved_with_conditions");
    assert_eq!(get("conditions_overdue"), "1");
    assert_eq!(get("status"), "drift, overdue");
    assert!(get("drift").contains("rule training: its script changed"));

    let md = text("markdown");
    assert!(
        md.contains("| acme/api | internal | approved\\_with\\_conditions (2026-11-24) |"),
        "{md}"
    );
    assert!(md.contains("## What needs attention"), "{md}");
    assert!(
        md.contains("- drift: rule training: its script changed"),
        "{md}"
    );

    let html = text("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<li>drift: rule training: its script changed</li>"),
        "{html}"
    );

    let table = text("table");
    assert!(table.contains("drift, overdue"), "{table}");

    let github = text("github");
    assert!(
        github.contains("::error file=decisions/acme/api.yaml,line=7,col=5,title=acme/api internal::drift: rule training: its script changed"),
        "{github}"
    );
    assert!(github.contains("OVERDUE"), "{github}");

    let xlsx = status_out(&ws, "xlsx");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Status").unwrap();
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(0, 0), "vendor");
    assert_eq!(cell(1, 3), "approved_with_conditions");
    assert_eq!(cell(1, 15), "drift, overdue");
}

#[test]
fn status_sarif_is_valid_and_has_a_result_per_item_that_needs_attention() {
    let ws = attention_ws();
    let sarif: Value = serde_json::from_slice(&status_out(&ws, "sarif")).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::bundled().join("tests/data/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "SARIF is not valid: {errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let rules: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["decision-drift", "decision-overdue"],
        "{results:#?}"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "decisions/acme/api.yaml"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );
}

#[test]
fn the_register_schema_accepts_what_decide_writes() {
    let ws = sample();
    approve_internal(&ws);
    decide(
        &ws,
        "2026-12-01",
        &[
            "--class",
            "internal",
            "--condition",
            "1",
            "--met",
            "DPA signed",
        ],
    )
    .success();
    let out = ws.cmd().args(["schema", "decision"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let register: Value = serde_saphyr::from_str(&ws.read(REGISTER)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&register)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut bad = register.clone();
    bad["decisions"][0]["conditions"][0]
        .as_object_mut()
        .unwrap()
        .remove("owner");
    assert!(
        !validator.is_valid(&bad),
        "a condition without an owner passes"
    );
}

#[test]
fn evaluate_and_brief_show_the_decision_beside_the_verdict_and_the_brief_ends_with_the_history() {
    let ws = sample();
    approve_internal(&ws);
    decide(
        &ws,
        "2026-12-01",
        &[
            "--class",
            "internal",
            "--condition",
            "1",
            "--met",
            "DPA signed, contract C-17",
        ],
    )
    .success();
    let json = common::evaluate_json(ws.path(), &["--today", "2026-12-02"]);
    let results = json["results"].as_array().unwrap();
    let internal = results
        .iter()
        .find(|r| r["classification"] == "internal")
        .unwrap();
    assert_eq!(internal["decision"]["outcome"], "approved_with_conditions");
    assert_eq!(internal["decision"]["by"], "Jane Doe (CISO)");
    assert_eq!(internal["decision"]["open_conditions"], 0);
    let confidential = results
        .iter()
        .find(|r| r["classification"] == "confidential")
        .unwrap();
    assert!(
        confidential.get("decision").is_none(),
        "no decision covers confidential"
    );

    let table = ws
        .cmd()
        .args(["evaluate", "--today", "2026-12-02"])
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("conditional · approved with conditions 2026-11-24"),
        "{table}"
    );

    let html = ws
        .cmd()
        .args(["evaluate", "--format", "html", "--today", "2026-12-02"])
        .output()
        .unwrap();
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.contains("conditional · approved with conditions 2026-11-24"));

    let brief = ws
        .cmd()
        .args([
            "brief",
            "acme/api",
            "--class",
            "internal",
            "--format",
            "markdown",
            "--today",
            "2026-12-02",
        ])
        .output()
        .unwrap();
    let brief = String::from_utf8(brief.stdout).unwrap();
    assert!(
        brief.contains(
            "**Decision in force:** approved with conditions on 2026-11-24 by Jane Doe (CISO)"
        ),
        "{brief}"
    );
    let history = &brief[brief.find("## Decision history").expect("a history")..];
    assert!(
        history.contains("1. 2026-11-24: approved with conditions by Jane Doe (CISO) (verdict conditional; review by 2027-11-24); ref PROC-7; condition 1: sign the DPA (met, owner Legal, due 2026-12-31, evidence: DPA signed, contract C-17)"),
        "{history}"
    );
}

#[test]
fn meeting_a_condition_keeps_the_comment_on_its_status_line() {
    let ws = sample();
    approve_internal(&ws);
    ws.edit(REGISTER, "status: open", "status: open   # chasing legal");
    let met = [
        "--class",
        "internal",
        "--condition",
        "1",
        "--met",
        "DPA signed",
    ];
    decide(&ws, "2026-12-01", &met).success();
    let text = ws.read(REGISTER);
    assert!(text.contains("status: met   # chasing legal\n"), "{text}");
    assert!(text.contains("evidence: \"DPA signed\"\n"), "{text}");
    let v = status_json(&ws, "2026-12-02", &[]);
    assert_eq!(row(&v, "internal")["conditions"][0]["status"], "met");
}

#[test]
fn a_condition_written_as_a_flow_mapping_is_refused_not_mangled() {
    let ws = sample();
    approve_internal(&ws);
    let text = ws.read(REGISTER);
    let block = text
        .find("      - text:")
        .map(|at| &text[at..])
        .expect("the condition, one key a line");
    let end = block.find("status: open\n").expect("status") + "status: open\n".len();
    let keys: Vec<&str> = block[..end]
        .lines()
        .map(|l| l.trim().trim_start_matches("- "))
        .collect();
    let flow = format!("      - {{{}}}\n", keys.join(", "));
    ws.write(REGISTER, &text.replace(&block[..end], &flow));
    let before = ws.read(REGISTER);
    let met = [
        "--class",
        "internal",
        "--condition",
        "1",
        "--met",
        "DPA signed",
    ];
    decide(&ws, "2026-12-01", &met)
        .code(2)
        .stderr(predicates::str::contains("on a line of its own"));
    assert_eq!(ws.read(REGISTER), before, "the register is left as it was");
}
