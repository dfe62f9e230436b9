//! Framework mapping as a user meets it: `diligence frameworks` (the mapping and a vendor's
//! clause states), findings that carry their references in every machine format,
//! `evaluate --framework`, and a policy's `frameworks:` with its `check` warning.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{TODAY, Ws, bundled, diligence, evaluate_json, stdout_json};
use serde_json::Value;
use std::io::Cursor;

/// The sample workspace's training rule, citing GDPR.
const TRAINING: &str = "//! Training on inputs
//! Test rule.
//! refs: GDPR Art. 28(3)(a)
let t = fact(\"training_on_inputs\");
if require.no_training != true { return; }
if t == () { hold(\"unknown training\", \"ask the vendor\"); }
else if t == \"never\" { pass(\"no training\"); }
else { block(\"trains on inputs\", \"do not send data\"); }
";

/// A retention rule citing ISO/IEC 42001 only.
const RETENTION: &str = "//! Retention
//! Test rule.
//! refs: ISO/IEC 42001 A.10.3
let max = require.max_retention_days;
if max == () { return; }
let d = fact(\"retention_days\");
if d == () { hold(\"unknown retention\", \"ask the vendor\"); }
else if d > max { block(\"kept too long\", \"negotiate a shorter retention\"); }
else { pass(\"kept within the limit\"); }
";

/// The sample workspace with the two rules above.
fn ws() -> Ws {
    let ws = Ws::new();
    ws.write("scripts/training.rhai", TRAINING);
    ws.write("scripts/retention.rhai", RETENTION);
    ws
}

fn frameworks_json(ws: &std::path::Path, args: &[&str]) -> Value {
    let mut cmd = diligence(ws);
    cmd.args(["frameworks", "--format", "json", "--today", TODAY]);
    cmd.args(args);
    stdout_json(&mut cmd)
}

fn clause<'a>(clauses: &'a Value, reference: &str) -> &'a Value {
    clauses
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["reference"] == reference)
        .unwrap_or_else(|| panic!("no clause {reference} in {clauses:#}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn the_bundled_mapping_covers_the_listed_clauses_with_rules_and_facts() {
    let v = frameworks_json(&bundled(), &[]);
    let clauses = &v["clauses"];
    for reference in [
        "GDPR Art. 28(1)",
        "GDPR Art. 28(2)",
        "GDPR Art. 28(3)",
        "GDPR Art. 28(3)(g)",
        "GDPR Art. 28(4)",
        "GDPR Art. 33(2)",
        "GDPR Chapter V",
        "GDPR Art. 46",
        "EU AI Act Art. 25",
        "EU AI Act Art. 26(6)",
        "EU AI Act Art. 53",
        "ISO/IEC 42001 A.10.2",
        "ISO/IEC 42001 A.10.3",
        "NIST AI RMF GOVERN 6.1",
        "NIST AI RMF GOVERN 6.2",
        "NIST AI RMF MANAGE 3.1",
        "CSA CAIQ v4.0 SEF-07.2",
    ] {
        clause(clauses, reference);
    }
    let deletion = clause(clauses, "GDPR Art. 28(3)(g)");
    assert_eq!(deletion["title"], "Processor");
    assert_eq!(strings(&deletion["rules"]), ["deletion-after-termination"]);
    assert_eq!(
        strings(&deletion["facts"]),
        ["deletion_after_termination_days"]
    );
    let breach = clause(clauses, "GDPR Art. 33(2)");
    assert!(strings(&breach["rules"]).contains(&"breach-notification"));
    // The engine's evidence checks carry references too.
    assert!(
        strings(&clause(clauses, "NIST AI RMF MANAGE 3.1")["rules"]).contains(&"stale-evidence")
    );
    // Every clause a bundled rule cites is one diligence knows (a typo would not be).
    for c in clauses.as_array().unwrap() {
        assert_eq!(c["catalogued"], true, "{c:#}");
    }
}

#[test]
fn every_bundled_rule_cites_a_clause_or_says_why_none_applies() {
    let v = frameworks_json(&bundled(), &[]);
    let cited: Vec<&str> = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| strings(&c["rules"]))
        .collect();
    let mut rules = 0;
    for entry in std::fs::read_dir(bundled().join("scripts")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(rule) = name.strip_suffix(".rhai") else {
            continue;
        };
        rules += 1;
        let reason = v["rules_without_refs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["rule"] == rule)
            .and_then(|u| u["reason"].as_str());
        assert!(
            cited.contains(&rule) || reason.is_some_and(|r| !r.is_empty()),
            "scripts/{rule}.rhai: add `//! refs: ...` to its header, or `//! refs: none, <why>`"
        );
    }
    assert!(rules > 20, "the bundled rules were read ({rules})");
    // No reference of a bundled rule was dropped as unknown.
    let check = stdout_json(diligence(&bundled()).args(["check", "--format", "json"]));
    let unknown: Vec<&Value> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unknown-framework")
        .collect();
    assert!(unknown.is_empty(), "{unknown:#?}");
}

#[test]
fn a_vendor_shows_each_clause_evidenced_open_failing_or_not_assessed() {
    let ws = ws();
    let v = frameworks_json(ws.path(), &["acme/api", "--class", "confidential"]);
    let result = &v["results"][0];
    assert_eq!(result["classification"], "confidential");
    let clauses = &result["clauses"];

    // Evidenced: the rule passed, with the quoted claim.
    let training = clause(clauses, "GDPR Art. 28(3)(a)");
    assert_eq!(training["state"], "evidenced");
    assert_eq!(
        training["claims"][0]["quote"],
        "Acme shall not use Customer Content to train models."
    );
    // Open: a fact of the clause is unknown, with the question to ask.
    let deletion = clause(clauses, "GDPR Art. 28(3)(g)");
    assert_eq!(deletion["state"], "open");
    assert_eq!(
        deletion["questions"][0]["fact"],
        "deletion_after_termination_days"
    );
    assert!(
        deletion["questions"][0]["question"]
            .as_str()
            .unwrap()
            .contains("after the contract ends")
    );
    // Not assessed: no rule of this workspace raised anything, no fact of it exists yet.
    assert_eq!(
        clause(clauses, "EU AI Act Art. 53")["state"],
        "not-assessed"
    );

    // Failing: a stricter policy makes the retention rule block, with the finding.
    ws.edit(
        "policies/default.yaml",
        "max_retention_days: 30",
        "max_retention_days: 7",
    );
    let v = frameworks_json(ws.path(), &["acme/api", "--class", "confidential"]);
    let iso = clause(&v["results"][0]["clauses"], "ISO/IEC 42001 A.10.3");
    assert_eq!(iso["state"], "failing");
    assert_eq!(iso["findings"][0]["rule"], "retention");
    assert_eq!(iso["findings"][0]["message"], "kept too long");

    // A rule that holds leaves its clause open, with the hold.
    ws.write(
        "vendors/acme/profile.yaml",
        &common::profile_with_facts("      retention_days: 14\n"),
    );
    let v = frameworks_json(ws.path(), &["acme/api", "--class", "confidential"]);
    let training = clause(&v["results"][0]["clauses"], "GDPR Art. 28(3)(a)");
    assert_eq!(training["state"], "open");
    assert_eq!(training["findings"][0]["level"], "hold");
}

#[test]
fn the_mapping_and_states_read_in_the_table_and_markdown() {
    let ws = ws();
    let out = diligence(ws.path())
        .args(["frameworks", "--framework", "gdpr"])
        .assert()
        .success();
    let table = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(table.contains("GDPR Art. 28(3)(a)") && table.contains("training"));
    assert!(!table.contains("ISO/IEC 42001"), "only GDPR: {table}");
    let out = diligence(ws.path())
        .args([
            "frameworks",
            "acme/api",
            "--class",
            "confidential",
            "--format",
            "markdown",
            "--today",
            TODAY,
        ])
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(md.contains("## acme/api at confidential: go"), "{md}");
    assert!(
        md.contains("| GDPR Art. 28(3)(a) (Processor) | evidenced |"),
        "{md}"
    );
}

#[test]
fn findings_carry_their_references_in_json_csv_html_and_xlsx() {
    let ws = ws();
    let v = evaluate_json(ws.path(), &["--class", "confidential"]);
    let finding = &v["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "training")
        .unwrap()
        .clone();
    assert_eq!(strings(&finding["refs"]), ["GDPR Art. 28(3)(a)"]);
    assert_eq!(
        strings(&v["rule_refs"]["retention"]),
        ["ISO/IEC 42001 A.10.3"]
    );

    let run = |format: &str| {
        let out = diligence(ws.path())
            .args(["evaluate", "--class", "confidential", "--today", TODAY])
            .args(["--format", format])
            .assert()
            .success();
        out.get_output().stdout.clone()
    };
    let csv = String::from_utf8(run("csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let refs = header
        .iter()
        .position(|h| h == "refs")
        .expect("a refs column");
    let rule = header.iter().position(|h| h == "rule").unwrap();
    let training = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[rule] == "training")
        .unwrap();
    assert_eq!(&training[refs], "GDPR Art. 28(3)(a)");

    let html = String::from_utf8(run("html")).unwrap();
    assert!(html.contains("Evidences: GDPR Art. 28(3)(a)"));

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("review.xlsx");
    diligence(ws.path())
        .args(["evaluate", "--class", "confidential", "--today", TODAY])
        .args(["--format", "xlsx", "-o", file.to_str().unwrap()])
        .assert()
        .success();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(std::fs::read(&file).unwrap())).unwrap();
    let sheet: Vec<Vec<String>> = book
        .worksheet_range("Frameworks")
        .expect("a Frameworks sheet")
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(sheet[0], diligence::FRAMEWORKS_HEADER.map(String::from));
    assert!(
        sheet.iter().any(|row| row[0] == "GDPR"
            && row[1] == "Art. 28(3)(a)"
            && row[2] == "Processor"
            && row[5] == "training"),
        "{sheet:?}"
    );
}

#[test]
fn evaluate_framework_keeps_that_frameworks_rules_and_their_verdict() {
    let ws = ws();
    ws.edit(
        "policies/default.yaml",
        "max_retention_days: 30",
        "max_retention_days: 7",
    );
    let all = evaluate_json(ws.path(), &["--class", "confidential"]);
    assert_eq!(all["results"][0]["verdict"], "no-go");

    let gdpr = evaluate_json(
        ws.path(),
        &["--class", "confidential", "--framework", "gdpr"],
    );
    let result = &gdpr["results"][0];
    let rules: Vec<&str> = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["training"]);
    // The retention block is ISO's, not GDPR's: under GDPR the offering is go.
    assert_eq!(result["verdict"], "go");
    assert_eq!(strings(&gdpr["rules"]), ["training"]);

    // --fail-on follows the filtered verdict.
    diligence(ws.path())
        .args(["evaluate", "--class", "confidential", "--today", TODAY])
        .args(["--framework", "iso-42001", "--fail-on", "no-go"])
        .assert()
        .code(1);
    diligence(ws.path())
        .args(["evaluate", "--class", "confidential", "--today", TODAY])
        .args(["--framework", "gdpr", "--fail-on", "no-go"])
        .assert()
        .code(0);
}

#[test]
fn an_unknown_framework_is_an_error_that_lists_the_known_ones() {
    for command in ["evaluate", "frameworks"] {
        let out = diligence(&bundled())
            .args([command, "--framework", "hipaa"])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains("unknown framework `hipaa`"), "{stderr}");
        assert!(
            stderr.contains("gdpr, eu-ai-act, iso-42001, nist-ai-rmf, caiq"),
            "{stderr}"
        );
    }
}

#[test]
fn a_policy_that_names_its_frameworks_warns_of_rules_that_cite_none() {
    let ws = ws();
    ws.edit(
        "policies/default.yaml",
        "evidence_max_age_days: 365",
        "evidence_max_age_days: 365\nframeworks: [gdpr]",
    );
    ws.write(
        "scripts/housekeeping.rhai",
        "//! Housekeeping\n//! Test rule.\n//! refs: none, about this workspace, not the vendor\ninfo(\"ok\");\n",
    );
    let v = stdout_json(diligence(ws.path()).args(["check", "--format", "json", "--today", TODAY]));
    let warned: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "rule-outside-frameworks")
        .collect();
    // Retention cites ISO only; training cites GDPR; housekeeping says why none applies.
    assert_eq!(warned.len(), 1, "{v:#}");
    assert_eq!(warned[0]["file"], "scripts/retention.rhai");
    assert_eq!(warned[0]["severity"], "warning");
    assert!(warned[0]["hint"].as_str().unwrap().contains("//! refs:"));
    assert_eq!(v["errors"], 0);

    // It is a remark on how the rules are written: `check` says it, `evaluate` does not repeat
    // it on every run.
    let out = diligence(ws.path())
        .args(["evaluate", "--today", TODAY])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_ne!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("cites no clause"), "{stderr}");

    // A framework the policy names must exist: a located error.
    ws.edit(
        "policies/default.yaml",
        "frameworks: [gdpr]",
        "frameworks: [gdrp]",
    );
    let out = diligence(ws.path()).arg("check").assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("policies/default.yaml:3:")
            && stderr.contains("unknown framework `gdrp`")
            && stderr.contains("did you mean `gdpr`?"),
        "{stderr}"
    );
}

#[test]
fn a_reference_to_an_unknown_framework_is_a_located_warning() {
    let ws = ws();
    ws.edit(
        "scripts/training.rhai",
        "//! refs: GDPR Art. 28(3)(a)",
        "//! refs: GDPR Art. 28(3)(a), HIPAA 164.504(e)",
    );
    let v = stdout_json(diligence(ws.path()).args(["check", "--format", "json", "--today", TODAY]));
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-framework")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(d["file"], "scripts/training.rhai");
    assert_eq!(d["line"], 3);
    assert!(d["message"].as_str().unwrap().contains("HIPAA 164.504(e)"));
    // The known reference stays.
    let v = evaluate_json(ws.path(), &["--class", "confidential"]);
    assert_eq!(strings(&v["rule_refs"]["training"]), ["GDPR Art. 28(3)(a)"]);
}

#[test]
fn sarif_rules_carry_their_references_and_stay_valid() {
    let out = diligence(&bundled())
        .args(["evaluate", "--format", "sarif", "--today", TODAY])
        .assert()
        .success();
    let sarif: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(bundled().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "SARIF is not valid: {errors:#?}");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let breach = rules
        .iter()
        .find(|r| r["id"] == "breach-notification")
        .unwrap();
    assert!(strings(&breach["properties"]["tags"]).contains(&"GDPR Art. 33(2)"));
    assert!(strings(&breach["properties"]["frameworks"]).contains(&"gdpr"));
}
