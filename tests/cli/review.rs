//! A first review of a consumer AI app, start to finish, on real terms (excerpts of the
//! Microsoft Copilot Terms of Service and Privacy Policy from Open Terms Archive, ODC-BY 1.0,
//! in tests/fixtures/copilot): the verdicts must never read better than the terms.

use crate::common;

use common::{TODAY, bundled, copy_dir, diligence, evaluate_json, findings};
use serde_json::Value;
use std::path::Path;

/// A workspace made by `init` with the Copilot fixture vendor added.
fn review_workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let mut init = assert_cmd::Command::cargo_bin("diligence").unwrap();
    init.arg("init").arg(tmp.path()).assert().success();
    copy_dir(
        &bundled().join("tests/fixtures/copilot/vendors/microsoft"),
        &tmp.path().join("vendors/microsoft"),
    );
    tmp
}

/// The unwaived findings of one rule in one evaluation.
fn of_rule<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(v)
        .into_iter()
        .filter(|(_, f)| f["rule"] == rule)
        .map(|(_, f)| f)
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = diligence(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn personal_use_only_terms_never_pass_for_company_data_and_the_finding_quotes_them() {
    let ws = review_workspace();
    for class in ["public", "internal", "confidential", "restricted"] {
        let v = evaluate_json(ws.path(), &["microsoft/copilot", "--class", class]);
        assert_eq!(v["results"][0]["verdict"], "no-go", "{class}");
        let blocks = of_rule(&v, "business-use");
        assert!(
            blocks.iter().any(|f| f["level"] == "block"
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains("You can only use Copilot for your own personal use.")),
            "{class}: {blocks:?}"
        );
        assert!(
            blocks.iter().any(|f| f["level"] == "block"
                && f["evidence"][0]["quote"]
                    .as_str()
                    .unwrap_or("")
                    .contains("work, school, or organizational (Entra) account")),
            "{class}: {blocks:?}"
        );
    }
}

#[test]
fn a_carve_out_on_the_notice_period_makes_the_pass_a_condition_that_quotes_it() {
    let ws = review_workspace();
    let v = evaluate_json(ws.path(), &["microsoft/copilot", "--class", "confidential"]);
    let notice = of_rule(&v, "terms-change-notice");
    assert_eq!(notice.len(), 1, "{notice:?}");
    assert_eq!(notice[0]["level"], "condition");
    assert!(
        notice[0]["message"]
            .as_str()
            .unwrap()
            .contains("rare circumstances where we need to update these Terms immediately"),
        "{notice:?}"
    );
    // Without the carve-out the same claim passes.
    let profile = ws.path().join("vendors/microsoft/profile.yaml");
    let text = std::fs::read_to_string(&profile).unwrap();
    let plain = text.replace(
        "          exceptions:\n            - quote: \"There may be rare circumstances where we need to update these Terms immediately.\"\n",
        "",
    );
    assert_ne!(plain, text);
    std::fs::write(&profile, plain).unwrap();
    let v = evaluate_json(ws.path(), &["microsoft/copilot", "--class", "confidential"]);
    assert_eq!(of_rule(&v, "terms-change-notice")[0]["level"], "pass");

    // The brief shows the carve-out too.
    std::fs::write(&profile, text).unwrap();
    let (code, brief, err) = run(
        ws.path(),
        &[
            "brief",
            "microsoft/copilot",
            "--class",
            "confidential",
            "--format",
            "markdown",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(brief.contains("Except"), "{brief}");
    assert!(brief.contains("update these Terms immediately"), "{brief}");
}

#[test]
fn two_transfer_mechanisms_in_one_document_add_up() {
    let ws = review_workspace();
    let v = evaluate_json(
        ws.path(),
        &[
            "microsoft/copilot",
            "--class",
            "confidential",
            "--tag",
            "eu_personal_data",
        ],
    );
    let transfer = of_rule(&v, "transfer-mechanism");
    assert_eq!(transfer[0]["level"], "pass", "{transfer:?}");
    assert_eq!(
        transfer[0]["facts"]["transfer_mechanism"],
        serde_json::json!(["dpf", "scc"])
    );
    assert!(
        !findings(&v)
            .iter()
            .any(|(_, f)| f["message"].as_str().unwrap().contains("disagree")),
        "{v}"
    );
}

#[test]
fn the_brief_cites_the_clause_and_shows_the_reviewers_notes() {
    let ws = review_workspace();
    let (code, brief, err) = run(
        ws.path(),
        &[
            "brief",
            "microsoft/copilot",
            "--class",
            "internal",
            "--format",
            "markdown",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(brief.contains("Reviewer's notes"), "{brief}");
    assert!(
        brief.contains("organizational (Entra) accounts use Copilot under other terms"),
        "{brief}"
    );
    // The consumer-tier block cites the clauses that make it a consumer offering.
    let v = evaluate_json(ws.path(), &["microsoft/copilot", "--class", "confidential"]);
    let consumer = of_rule(&v, "consumer-tier");
    assert_eq!(consumer[0]["level"], "block");
    assert!(
        consumer[0]["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["fact"] == "permitted_use"),
        "{consumer:?}"
    );
}

#[test]
fn a_dpa_asserted_only_in_answers_is_a_condition_and_unasked_rows_are_skipped() {
    let ws = review_workspace();
    // `dpa` is asked (a hold at internal); the vendor added a row on `permitted_use`, which the
    // terms settle and nobody asked about.
    let csv = "id,vendor,offering,fact,question,allowed,unit,refs,answer,document,section\r\n\
               microsoft.dpa,microsoft,copilot,dpa,,,,,online,,\r\n\
               microsoft.permitted_use,microsoft,copilot,permitted_use,,,,,commercial,,\r\n";
    let file = ws.path().join("answers.csv");
    std::fs::write(&file, csv).unwrap();
    let file = file.to_str().unwrap();
    let (code, out, err) = run(
        ws.path(),
        &["answers", "microsoft", file, "--received", "2026-11-21"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("`permitted_use` was not asked"), "{out}");
    let profile =
        std::fs::read_to_string(ws.path().join("vendors/microsoft/profile.yaml")).unwrap();
    assert!(
        !profile.contains("permitted_use (copilot): commercial"),
        "an unasked row was imported"
    );

    // The answer is the vendor's word: a condition until the DPA is archived.
    let v = evaluate_json(ws.path(), &["microsoft/copilot", "--class", "internal"]);
    let dpa = of_rule(&v, "dpa-required");
    assert_eq!(dpa[0]["level"], "condition", "{dpa:?}");
    assert!(
        dpa[0]["action"]
            .as_str()
            .unwrap()
            .contains("diligence snapshot"),
        "{dpa:?}"
    );

    // Accepted explicitly, the added row is imported (and still never outweighs the terms).
    let (code, _, err) = run(
        ws.path(),
        &[
            "answers",
            "microsoft",
            file,
            "--received",
            "2026-11-21",
            "--accept-unasked",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let profile =
        std::fs::read_to_string(ws.path().join("vendors/microsoft/profile.yaml")).unwrap();
    assert!(
        profile.contains("permitted_use (copilot): commercial"),
        "{profile}"
    );
    let v = evaluate_json(ws.path(), &["microsoft/copilot", "--class", "internal"]);
    assert_eq!(v["results"][0]["verdict"], "no-go");
}

#[test]
fn a_new_vendor_skeleton_holds_until_its_tier_is_set() {
    let ws = review_workspace();
    let (code, _, err) = run(ws.path(), &["new", "vendor", "acme"]);
    assert_eq!(code, 0, "{err}");
    let skeleton = std::fs::read_to_string(ws.path().join("vendors/acme/profile.yaml")).unwrap();
    assert!(skeleton.contains("tier: unknown"), "{skeleton}");
    let v = evaluate_json(ws.path(), &["acme", "--class", "public"]);
    assert_eq!(v["results"][0]["verdict"], "hold");
}

#[test]
fn the_vendors_workbook_asks_and_the_reviewers_copy_explains() {
    let vendor_csv = {
        let (code, out, err) = run(
            &bundled(),
            &[
                "questions",
                "perplexity",
                "--class",
                "restricted",
                "--format",
                "csv",
                "--today",
                TODAY,
            ],
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    let header = vendor_csv.lines().next().unwrap();
    assert!(header.contains("question") && header.contains("answer") && header.contains("refs"));
    for hidden in ["why", "moves", "have"] {
        assert!(!header.split(',').any(|c| c == hidden), "{header}");
    }
    let (code, reviewer_csv, err) = run(
        &bundled(),
        &[
            "questions",
            "perplexity",
            "--class",
            "restricted",
            "--format",
            "csv",
            "--for",
            "reviewer",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(reviewer_csv.lines().next().unwrap().contains("moves"));
}

/// The facts of the brief's "Questions still open" (`N. fact: ...`).
fn brief_facts(brief: &str) -> Vec<String> {
    let Some((_, open)) = brief.split_once("## Questions still open") else {
        return Vec::new();
    };
    let open = open.split("\n## ").next().unwrap_or("");
    open.lines()
        .filter_map(|l| l.split_once(". ").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once(": ").map(|(f, _)| f.replace("\\_", "_")))
        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

#[test]
fn the_brief_and_questions_agree_on_what_is_open_for_every_bundled_offering_and_class() {
    let ws = bundled();
    let all = evaluate_json(&ws, &[]);
    let mut checked = 0;
    for r in all["results"].as_array().unwrap() {
        let (vendor, offering, class) = (
            r["vendor"].as_str().unwrap(),
            r["offering"].as_str().unwrap(),
            r["classification"].as_str().unwrap(),
        );
        let target = format!("{vendor}/{offering}");
        let (code, brief, err) = run(
            &ws,
            &[
                "brief", &target, "--class", class, "--format", "markdown", "--today", TODAY,
            ],
        );
        assert_eq!(code, 0, "{err}");
        let mut in_brief = brief_facts(&brief);
        in_brief.sort();
        let (code, json, footer) = run(
            &ws,
            &[
                "questions",
                &target,
                "--class",
                class,
                "--format",
                "json",
                "--today",
                TODAY,
            ],
        );
        assert_eq!(code, 0, "{footer}");
        let asked: Value = serde_json::from_str(&json).unwrap();
        let mut in_questions: Vec<String> = asked
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["fact"].as_str().unwrap().to_string())
            .collect();
        // Left out (no answer can move them): `vendor.fact` after "left out because ...: ".
        if let Some((_, left)) = footer.split_once("decide): ") {
            let left = left.lines().next().unwrap_or("").trim_end_matches('.');
            in_questions.extend(
                left.split(", ")
                    .filter_map(|id| id.split_once('.').map(|(_, f)| f.to_string())),
            );
        }
        in_questions.sort();
        in_questions.dedup();
        assert_eq!(
            in_brief, in_questions,
            "{target} at {class}: the brief and `questions` disagree on what is open\n{brief}\n{json}\n{footer}"
        );
        checked += 1;
    }
    assert!(checked >= 8 * 4, "{checked}");
}

#[test]
fn a_fresh_workspace_checks_clean_or_explains_each_warning_where_it_is_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let mut init = assert_cmd::Command::cargo_bin("diligence").unwrap();
    init.arg("init").arg(tmp.path()).assert().success();
    let (code, _, err) = run(tmp.path(), &["check", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    let warnings = err.matches(": warning: ").count();
    let explained = err
        .matches("hint: kept on purpose, its note says: ")
        .count();
    assert_eq!(warnings, explained, "{err}");
}
