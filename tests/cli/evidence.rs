//! Evidence integrity and change tracking on real documents: Perplexity's seeded conflict,
//! Mistral's successive versions, staleness, waivers and `diff`.

use crate::common;

use common::{TODAY, Ws, bundled, copy_dir, diligence};
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn stderr_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().unwrap().stderr).unwrap()
}

/// Facts whose quotes fail `check`, as `fact` names, in file order.
fn broken_facts(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains("quote not found"))
        .filter_map(|l| l.split("fact `").nth(1))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn mistral_versions_show_which_quoted_clauses_survive_each_change() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mistral-versions");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture, dir.path());
    let snapshot = dir
        .path()
        .join("vendors/mistral/sources/commercial-terms.md");

    // As reviewed (2025-12-15): every quote verifies.
    diligence(dir.path())
        .args(["check", "--today", TODAY])
        .assert()
        .success();

    let mut seen = Vec::new();
    for version in ["2026-03-12", "2026-04-08", "2026-05-28", "2026-08-07"] {
        std::fs::copy(dir.path().join(format!("versions/{version}.md")), &snapshot).unwrap();
        let err = stderr_of(diligence(dir.path()).args(["check", "--today", TODAY]));
        seen.push((version, broken_facts(&err)));
    }
    // 2026-03-12 rewrote sections 4.1 and 4.2 ("Customer Data or Outputs", section 14.2) and
    // section 12.3 kept its wording; sections 8.1 and 13.3 survive every version.
    let expected = ["training_on_inputs", "licence_scope"];
    for (version, broken) in &seen {
        assert_eq!(broken, &expected, "at {version}");
    }

    // evaluate still runs on the changed document: the training fact is now unknown, so the
    // rule holds and says what to ask.
    let (v, stderr) = common::evaluate_json_and_stderr(dir.path(), &["--class", "confidential"]);
    assert!(stderr.contains("quote not found"), "{stderr}");
    assert_eq!(v["results"][0]["verdict"], "hold");
}

#[test]
fn a_changed_snapshot_hash_names_the_facts_to_recheck() {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "snapshot: sources/terms.md",
        "snapshot: sources/terms.md\n    sha256: 0000000000000000000000000000000000000000000000000000000000000000",
    );
    let err = stderr_of(ws.cmd().args(["check", "--today", TODAY]));
    assert!(
        err.contains("source `terms`: snapshot sources/terms.md changed since review"),
        "{err}"
    );
    assert!(
        err.contains("facts citing it: api/retention_days, api/training_on_inputs"),
        "{err}"
    );
    assert!(err.contains("then record `sha256: "), "{err}");
}

#[test]
fn perplexity_conflict_note_names_both_sources() {
    let v = common::evaluate_json(
        &bundled(),
        &["perplexity/sonar-api", "--class", "confidential"],
    );
    let notes: Vec<&str> = v["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "evidence-disagreement" && f["level"] == "info")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("training_on_inputs: ConductAtlas")
                && n.contains("(third_party) says default_on")
                && n.contains(
                    "Perplexity API Terms of Service §2.3.3 (contract) says never, which prevails"
                )),
        "{notes:#?}"
    );
}

#[test]
fn equal_authority_disagreement_holds_quoting_both_sides() {
    let ws = Ws::new();
    // The built-in check, turned on by the policy.
    ws.edit(
        "policies/default.yaml",
        "classifications:",
        "evidence_checks: [evidence-disagreement]\nclassifications:",
    );
    ws.write(
        "vendors/acme/sources/faq.md",
        "Acme may use Customer Content to improve models unless you opt out.\n",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "offerings:",
        "  faq:\n    title: Acme FAQ\n    authority: contract\n    retrieved: 2026-10-01\n    snapshot: sources/faq.md\nofferings:",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "      retention_days:",
        "        - value: opt_out\n          source: faq\n          quote: \"Acme may use Customer Content to improve models unless you opt out.\"\n      retention_days:",
    );
    let v = common::evaluate_json(ws.path(), &["--class", "confidential"]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "hold");
    let hold = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "evidence-disagreement")
        .expect("conflict finding");
    assert_eq!(hold["level"], "hold");
    let msg = hold["message"].as_str().unwrap();
    assert!(msg.contains("Acme Terms §2.1 says never"), "{msg}");
    assert!(msg.contains("Acme FAQ says opt_out"), "{msg}");
    // Raised by the engine: located at the policy line that turns the check on.
    assert_eq!(hold["raised_at"], "policies/default.yaml:3");
    // The training rule sees the fact as unknown-with-conflict and holds too.
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "training" && f["level"] == "hold")
    );
}

const WAIVER: &str = "waivers:
  - rule: training
    vendor: acme
    offering: api
    classification: confidential
    reason: Pilot with synthetic data only
    approved_by: ciso@example.com
    expires: EXPIRES
";

fn waived_ws(expires: &str) -> Ws {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "- value: never",
        "- value: default_on",
    );
    ws.write(
        "vendors/acme/sources/terms.md",
        &common::SNAPSHOT.replace("shall not use", "may use"),
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "Acme shall not use",
        "Acme may use",
    );
    ws.write(
        "policies/default.yaml",
        &format!("{}{}", common::POLICY, WAIVER.replace("EXPIRES", expires)),
    );
    ws
}

#[test]
fn a_live_waiver_marks_the_finding_waived_and_lifts_the_verdict() {
    let ws = waived_ws("2027-03-31");
    let v = common::evaluate_json(ws.path(), &["--class", "confidential"]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "go");
    let f = &r["findings"][0];
    assert_eq!(f["level"], "block");
    assert_eq!(f["waived"]["reason"], "Pilot with synthetic data only");
    assert_eq!(f["waived"]["approved_by"], "ciso@example.com");
    assert_eq!(f["waived"]["expires"], "2027-03-31");
    // In the table too.
    ws.cmd()
        .args(["evaluate", "--class", "confidential", "--today", TODAY])
        .assert()
        .success()
        .stdout(predicate::str::contains("go (waiver)"))
        .stdout(predicate::str::contains("Waived until 2027-03-31"));
}

#[test]
fn an_expired_waiver_is_ignored_and_reported() {
    let ws = waived_ws("2026-01-31");
    let (v, stderr) = common::evaluate_json_and_stderr(ws.path(), &["--class", "confidential"]);
    assert!(
        stderr.contains(
            "waiver of rule `training` for acme/api expired on 2026-01-31 and is ignored"
        ),
        "{stderr}"
    );
    assert_eq!(v["results"][0]["verdict"], "no-go");
    ws.cmd()
        .args(["check", "--today", TODAY])
        .assert()
        .stderr(predicate::str::contains("expired on 2026-01-31"));
}

#[test]
fn an_unused_waiver_is_reported_by_check() {
    let ws = Ws::new();
    ws.write(
        "policies/default.yaml",
        &format!(
            "{}{}",
            common::POLICY,
            WAIVER.replace("EXPIRES", "2027-03-31")
        ),
    );
    ws.cmd()
        .args(["check", "--today", TODAY])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "waiver of rule `training` for acme/api matches no finding (unused)",
        ));
}

#[test]
fn a_waiver_must_name_real_targets_and_say_who_approved_it() {
    let ws = Ws::new();
    ws.write(
        "policies/default.yaml",
        &format!(
            "{}{}",
            common::POLICY,
            WAIVER
                .replace("EXPIRES", "2027-03-31")
                .replace("rule: training", "rule: trainin")
                .replace("ciso@example.com", "\"\"")
        ),
    );
    let err = stderr_of(ws.cmd().args(["check", "--today", TODAY]));
    assert!(
        err.contains("waiver names unknown rule `trainin`")
            && err.contains("did you mean `training`?"),
        "{err}"
    );
    assert!(err.contains("`approved_by` is empty"), "{err}");
}

#[test]
fn stale_evidence_is_visible_to_rules() {
    let ws = Ws::new();
    ws.write(
        "scripts/stale.rhai",
        "//! Stale\nif stale(\"training_on_inputs\") { hold(\"training evidence is stale\", \"re-check the document\"); } else { pass(\"fresh\"); }\n",
    );
    // Retrieved 2026-10-01; the policy allows 365 days.
    let verdict = |today: &str| {
        let v = common::evaluate_json(ws.path(), &["--class", "public", "--today", today]);
        v["results"][0]["verdict"].as_str().unwrap().to_string()
    };
    assert_eq!(verdict("2027-09-30"), "go");
    assert_eq!(verdict("2027-10-02"), "hold");
}

#[test]
fn diff_reports_fact_and_verdict_changes_and_fails_when_worse() {
    let old = Ws::new();
    let new = Ws::new();
    new.write(
        "vendors/acme/sources/terms.md",
        &common::SNAPSHOT
            .replace("shall not use", "may use")
            .replace("14 days", "21 days"),
    );
    new.edit(
        "vendors/acme/profile.yaml",
        "- value: never",
        "- value: default_on",
    );
    new.edit(
        "vendors/acme/profile.yaml",
        "Acme shall not use",
        "Acme may use",
    );
    let out = diligence(new.path())
        .args(["diff", "--format", "json", "--today", TODAY])
        .arg(old.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let d: Value = serde_json::from_slice(&out).unwrap();
    let facts = d["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 2, "{facts:#?}");
    let training = facts
        .iter()
        .find(|f| f["fact"] == "training_on_inputs")
        .unwrap();
    assert_eq!(training["change"], "changed");
    assert_eq!(training["old"], "never");
    assert_eq!(training["new"], "default_on");
    assert_eq!(training["new_sources"][0], "Acme Terms §2.1 (contract)");
    // The document now says 21 days: the quote no longer verifies, so the fact is gone.
    let retention = facts
        .iter()
        .find(|f| f["fact"] == "retention_days")
        .unwrap();
    assert_eq!(retention["change"], "removed");
    assert_eq!(retention["old"], 14);
    assert_eq!(d["broken_quotes"][0]["fact"], "retention_days");
    let verdicts = d["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), 1);
    assert_eq!(verdicts[0]["classification"], "confidential");
    assert_eq!(verdicts[0]["old"], "go");
    assert_eq!(verdicts[0]["new"], "no-go");
    assert_eq!(verdicts[0]["worse"], true);

    // Markdown for a pull-request comment; the reverse diff is an improvement: exit 0.
    diligence(old.path())
        .args(["diff", "--format", "markdown", "--today", TODAY])
        .arg(new.path())
        .arg(old.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| acme/api | confidential | no-go | go | better |",
        ));
}

#[test]
fn a_script_may_not_take_the_id_of_an_evidence_check() {
    // (An unknown check id is a case of tests/bad_input.rs.)
    // A script may not take the id of a check the policy turns on.
    let ws = Ws::new();
    ws.edit(
        "policies/default.yaml",
        "classifications:",
        "evidence_checks: [stale-evidence]\nclassifications:",
    );
    ws.write("scripts/stale-evidence.rhai", "//! Mine\npass(\"x\");\n");
    let out = ws.cmd().arg("check").assert().code(2).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("scripts/stale-evidence.rhai:1:1: error: rule `stale-evidence` has the id of a built-in evidence check"),
        "{err}"
    );
}

#[test]
fn stale_evidence_check_holds_a_decisive_fact_resting_on_old_documents() {
    let ws = Ws::new();
    ws.edit(
        "policies/default.yaml",
        "classifications:",
        "evidence_checks: [stale-evidence]\nclassifications:",
    );
    // Retrieved more than evidence_max_age_days (365) before --today.
    ws.edit(
        "vendors/acme/profile.yaml",
        "retrieved: 2026-10-01",
        "retrieved: 2024-01-01",
    );
    let v = common::evaluate_json(ws.path(), &["--class", "confidential"]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "hold", "{r}");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "stale-evidence" && f["facts"].get("training_on_inputs").is_some())
        .expect("a stale-evidence hold on training");
    assert_eq!(f["level"], "hold");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("training_on_inputs rests on evidence retrieved more than 365 days ago: Acme Terms (retrieved 2024-01-01)"),
        "{f}"
    );
}

/// An expired waiver is a warning with the code `expired-waiver`: `check --format json` shows
/// the code, and `--quiet-warnings expired-waiver` silences it (and only it) in `evaluate` and
/// `check`, without changing the verdict or the exit code.
#[test]
fn warnings_carry_a_code_that_quiet_warnings_silences() {
    let ws = waived_ws("2026-01-31");
    ws.edit(
        "vendors/acme/profile.yaml",
        "quote: \"Acme deletes Customer Content within 14 days.\"",
        "quote: \"Acme deletes Customer Content within 14 days.\"\n          draft: true",
    );
    let v = common::stdout_json(
        ws.cmd()
            .args(["check", "--today", TODAY, "--format", "json"]),
    );
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"draft-claim"), "{v}");
    assert!(codes.contains(&"expired-waiver"), "{v}");
    let warnings = v["warnings"].as_u64().unwrap();

    let quiet = common::stdout_json(ws.cmd().args([
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "--quiet-warnings",
        "expired-waiver",
    ]));
    assert_eq!(quiet["warnings"].as_u64().unwrap(), warnings - 1, "{quiet}");
    assert!(!quiet.to_string().contains("expired-waiver"), "{quiet}");

    let loud = stderr_of(ws.cmd().args(["evaluate", "--today", TODAY]));
    assert!(loud.contains("expired on 2026-01-31"), "{loud}");
    assert!(loud.contains("draft claim"), "{loud}");
    let out = ws
        .cmd()
        .args([
            "evaluate",
            "--today",
            TODAY,
            "--format",
            "json",
            "--quiet-warnings",
            "expired-waiver",
            "--quiet-warnings",
            "draft-claim",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("expired on"), "{stderr}");
    assert!(!stderr.contains("draft claim"), "{stderr}");
    // The report is still complete: the expired waiver is in its warnings, the verdict stands.
    let v: Value = crate::common::inline_evidence(serde_json::from_slice(&out.stdout).unwrap());
    assert_eq!(v["results"][2]["verdict"], "no-go", "{v}");
    assert!(
        v["warnings"][0].as_str().unwrap().contains("expired on"),
        "{v}"
    );

    // A code that does not exist is a usage error that lists the codes.
    ws.cmd()
        .args(["check", "--quiet-warnings", "draft"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("draft-claim"));
}
