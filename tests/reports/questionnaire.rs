//! The vendor questionnaire round trip, as a reviewer runs it on the bundled workspace:
//! `evaluate` holds; `questions` writes the questionnaire; the vendor fills it in (XLSX or CSV);
//! `answers` imports it; `check` passes; `evaluate` moves where the answers satisfy the policy and
//! stays hold where they do not. Bad answers are refused by cell with the profile untouched.

use crate::common;

use calamine::{Data, Reader};
use common::{bundled, copy_dir, diligence, evaluate_json, stdout_json};
use predicates::prelude::*;
use std::path::Path;

const TODAY: &str = "2026-11-30";
const PROFILE: &str = "vendors/perplexity/profile.yaml";

/// A copy of the bundled workspace in a temporary folder, with the facts the round trip asks
/// about forgotten: the bundled profiles state Perplexity's breach notice and change notice and
/// Mistral's retention, and a questionnaire asks only what is unknown.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for d in ["policies", "vendors", "scripts"] {
        copy_dir(&bundled().join(d), &dir.path().join(d));
    }
    for fact in [
        "breach_notification_hours",
        "terms_change_notice_days",
        "terms_change_notice_scope",
    ] {
        forget(dir.path(), PROFILE, fact);
    }
    forget(dir.path(), "vendors/mistral/profile.yaml", "retention_days");
    dir
}

/// Removes a fact, with all its claims, from every offering of a profile.
fn forget(ws: &Path, profile: &str, fact: &str) {
    let path = ws.join(profile);
    let text = std::fs::read_to_string(&path).expect("profile");
    let head = format!("      {fact}:");
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line == head {
            skipping = true;
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if skipping && indent > 6 {
            continue;
        }
        skipping = false;
        out.push_str(line);
        out.push('\n');
    }
    assert_ne!(out, text, "{fact} is not in {profile}");
    std::fs::write(&path, out).expect("profile written");
}

/// The verdict of perplexity/sonar-api at each class, in policy order.
fn verdicts(ws: &Path) -> Vec<(String, String)> {
    let json = evaluate_json(ws, &["perplexity/sonar-api", "--today", TODAY]);
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["classification"].as_str().unwrap_or("").to_string(),
                r["verdict"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn verdict(ws: &Path, class: &str) -> String {
    verdicts(ws)
        .into_iter()
        .find(|(c, _)| c == class)
        .map(|(_, v)| v)
        .expect("class evaluated")
}

/// Reads the Questions sheet as text cells.
fn read_sheet(path: &Path) -> Vec<Vec<String>> {
    read_rows(path, "Questions")
}

/// Reads a sheet as text cells.
fn read_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb = calamine::open_workbook_auto(path).expect("a readable workbook");
    let range = wb.worksheet_range(sheet).expect("the sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Fills the answer columns of a questionnaire as a vendor does in a spreadsheet: the same rows
/// and columns, a number typed as a number, text as text. `answers`: (fact, answer, document,
/// section); a row whose fact is not listed stays empty.
fn fill_xlsx(from: &Path, to: &Path, answers: &[(&str, &str, &str, &str)]) {
    let rows = read_sheet(from);
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).expect("column") as u16;
    let (fact, answer, document, section) =
        (col("fact"), col("answer"), col("document"), col("section"));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Questions").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, text).expect("write");
        }
        if let Some((_, a, d, s)) = answers.iter().find(|(f, ..)| row[fact as usize] == *f) {
            match a.parse::<f64>() {
                Ok(n) => ws.write_number(r as u32, answer, n),
                Err(_) => ws.write_string(r as u32, answer, *a),
            }
            .expect("answer");
            ws.write_string(r as u32, document, *d).expect("document");
            ws.write_string(r as u32, section, *s).expect("section");
        }
    }
    wb.save(to).expect("save");
}

/// Fills the CSV questionnaire: `answers` as for [`fill_xlsx`].
fn fill_csv(from: &Path, to: &Path, answers: &[(&str, &str, &str, &str)]) {
    let mut r = csv::Reader::from_path(from).expect("csv");
    let header = r.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let mut w = csv::Writer::from_path(to).expect("csv out");
    w.write_record(&header).expect("header");
    for rec in r.records() {
        let mut rec: Vec<String> = rec.expect("record").iter().map(str::to_string).collect();
        if let Some((_, a, d, s)) = answers.iter().find(|(f, ..)| rec[col("fact")] == *f) {
            rec[col("answer")] = a.to_string();
            rec[col("document")] = d.to_string();
            rec[col("section")] = s.to_string();
        }
        w.write_record(&rec).expect("row");
    }
    w.flush().expect("flush");
}

/// Answers that satisfy the confidential requirements, and one that fails restricted's.
const GOOD: &[(&str, &str, &str, &str)] = &[
    (
        "breach_notification_hours",
        "48",
        "Data Processing Addendum",
        "7.2",
    ),
    (
        "terms_change_notice_days",
        "30",
        "API Terms of Service",
        "12",
    ),
    ("human_review", "may_review", "", ""),
];

/// `questions perplexity` to `out`; the run must succeed (its stderr can be checked).
fn questions(ws: &Path, format: &str, out: &Path) -> assert_cmd::assert::Assert {
    diligence(ws)
        .args([
            "questions",
            "perplexity",
            "--today",
            TODAY,
            "--format",
            format,
            "-o",
        ])
        .arg(out)
        .assert()
        .success()
}

fn answers(ws: &Path, file: &Path, received: &str) -> assert_cmd::assert::Assert {
    diligence(ws)
        .args(["answers", "perplexity"])
        .arg(file)
        .args(["--received", received])
        .assert()
}

#[test]
fn xlsx_round_trip_moves_what_the_answers_settle() {
    let ws = workspace();
    let ws = ws.path();
    assert_eq!(verdict(ws, "confidential"), "hold");
    assert_eq!(verdict(ws, "restricted"), "hold");

    let q = ws.join("q.xlsx");
    questions(ws, "xlsx", &q);
    // The vendor's copy asks: question, reference, allowed answers and the answer columns.
    let rows = read_sheet(&q);
    assert_eq!(
        rows[0],
        [
            "id",
            "question",
            "answer",
            "document",
            "section",
            "answer form",
            "refs",
            "fact",
            "offerings"
        ]
    );
    let col =
        |rows: &[Vec<String>], name: &str| rows[0].iter().position(|h| h == name).expect("column");
    let fact = col(&rows, "fact");
    let facts: Vec<&str> = rows[1..].iter().map(|r| r[fact].as_str()).collect();
    assert!(facts.contains(&"breach_notification_hours"), "{facts:?}");
    let breach = rows
        .iter()
        .find(|r| r[fact] == "breach_notification_hours")
        .expect("row");
    assert!(
        breach[col(&rows, "refs")].contains("SEF-07.2"),
        "{breach:?}"
    );
    // What an answer would move is only in the reviewer's copy.
    let reviewer = ws.join("q-reviewer.xlsx");
    diligence(ws)
        .args([
            "questions",
            "perplexity",
            "--today",
            TODAY,
            "--format",
            "xlsx",
        ])
        .args(["--for", "reviewer", "-o"])
        .arg(&reviewer)
        .assert()
        .success();
    let review_rows = read_sheet(&reviewer);
    let fact = col(&review_rows, "fact");
    let breach = review_rows
        .iter()
        .find(|r| r[fact] == "breach_notification_hours")
        .expect("row");
    assert!(
        // Not to go: the DPA keeps personal information in Input until the customer deletes it
        // (retention-limit's condition), which no questionnaire answer outranks.
        breach[col(&review_rows, "what it would move")]
            .contains("72 hours or less moves confidential from hold to conditional"),
        "{breach:?}"
    );

    let filled = ws.join("answers.xlsx");
    fill_xlsx(&q, &filled, GOOD);
    let before = std::fs::read_to_string(ws.join(PROFILE)).expect("profile");
    answers(ws, &filled, "2026-12-01").success();
    let after = std::fs::read_to_string(ws.join(PROFILE)).expect("profile");
    assert!(after.contains("source: questionnaire-2026-12-01"));
    assert!(after.contains("note: \"The vendor cites: Data Processing Addendum, section 7.2.\""));
    // Nothing of the profile as written is lost: its lines are all there, in order.
    let mut new_lines = after.lines();
    for line in before.lines() {
        assert!(new_lines.any(|l| l == line), "lost or moved: {line}");
    }
    assert!(
        ws.join("vendors/perplexity/sources/questionnaire-2026-12-01.md")
            .is_file()
    );

    diligence(ws).arg("check").assert().success();
    // Conditional, not go: the DPA's "stored until ... deleted by Customer" remains.
    assert_eq!(verdict(ws, "confidential"), "conditional");
    // Restricted still needs ISO 27001 (a document, not an answer) and now blocks on review.
    assert_ne!(verdict(ws, "restricted"), "go");
    assert_eq!(verdict(ws, "public"), "go");
}

#[test]
fn csv_round_trip_is_idempotent_and_a_newer_file_supersedes() {
    let ws = workspace();
    let ws = ws.path();
    let q = ws.join("q.csv");
    questions(ws, "csv", &q);
    let header = std::fs::read_to_string(&q).expect("csv");
    for col in [
        "vendor", "offering", "fact", "question", "allowed", "answer", "document", "section",
    ] {
        assert!(
            header
                .lines()
                .next()
                .expect("header")
                .split(',')
                .any(|c| c == col),
            "{col}"
        );
    }
    let json = stdout_json(diligence(ws).args([
        "questions",
        "perplexity",
        "--format",
        "json",
        "--today",
        TODAY,
    ]));
    let breach = json
        .as_array()
        .expect("a list")
        .iter()
        .find(|q| q["fact"] == "breach_notification_hours")
        .expect("asked");
    assert_eq!(breach["vendor"], "perplexity");
    assert_eq!(breach["offerings"], serde_json::json!(["sonar-api"]));
    assert_eq!(breach["refs"], serde_json::json!(["SEF-07.2"]));
    assert!(
        breach["question"]
            .as_str()
            .expect("text")
            .contains("personal data breach")
    );
    // ISO 27001 cannot come from an answer that the documentation's list outranks: left out.
    diligence(ws)
        .args([
            "questions",
            "perplexity",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .assert()
        .stderr(
            predicates::str::contains("1 left out")
                .and(predicates::str::contains("perplexity.certifications")),
        );

    // Only the confidential questions answered; restricted's stay open.
    let filled = ws.join("answers.csv");
    fill_csv(&q, &filled, &GOOD[..2]);
    answers(ws, &filled, "2026-12-01").success();
    diligence(ws).arg("check").assert().success();
    // Conditional, not go: the DPA's "stored until ... deleted by Customer" remains.
    assert_eq!(verdict(ws, "confidential"), "conditional");
    assert_eq!(verdict(ws, "restricted"), "hold");

    // The same file again: nothing changes.
    let once = std::fs::read(ws.join(PROFILE)).expect("profile");
    answers(ws, &filled, "2026-12-01")
        .success()
        .stdout(predicates::str::contains("nothing to change"));
    assert_eq!(std::fs::read(ws.join(PROFILE)).expect("profile"), once);

    // A newer file: its answer replaces the older one, which no longer counts.
    let newer = ws.join("answers-2.csv");
    fill_csv(
        &q,
        &newer,
        &[("breach_notification_hours", "96", "DPA", "7")],
    );
    answers(ws, &newer, "2026-12-15").success();
    let text = std::fs::read_to_string(ws.join(PROFILE)).expect("profile");
    assert!(text.contains("quote: \"breach_notification_hours (sonar-api): 96\""));
    assert!(!text.contains("quote: \"breach_notification_hours (sonar-api): 48\""));
    assert!(text.contains("quote: \"terms_change_notice_days (sonar-api): 30\""));
    diligence(ws).arg("check").assert().success();
    // 96 hours is more than the 72 allowed: a condition to negotiate, no longer a question.
    assert_eq!(verdict(ws, "confidential"), "conditional");

    // An older file after a newer one does not bring the old answer back.
    answers(ws, &filled, "2026-12-01").success();
    assert!(
        std::fs::read_to_string(ws.join(PROFILE))
            .expect("profile")
            .contains("(sonar-api): 96\"")
    );
}

#[test]
fn bad_answers_are_refused_by_cell_and_nothing_is_imported() {
    let ws = workspace();
    let ws = ws.path();
    let before = std::fs::read(ws.join(PROFILE)).expect("profile");

    let q = ws.join("q.csv");
    questions(ws, "csv", &q);
    let mut rows: Vec<Vec<String>> = csv::Reader::from_path(&q)
        .expect("csv")
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    // Columns: id, vendor, offering, fact, ..., answer (8), document, section.
    rows[0][8] = "about 48".into(); // a number with words
    rows[1][8] = "sometimes".into(); // outside the list
    rows[2][3] = "breach_notification_hourz".into(); // unknown fact
    rows[2][8] = "24".into();
    let mut extra = rows[0].clone();
    extra[2] = "sonar-pro".into(); // no such offering
    extra[8] = "24".into();
    rows.push(extra);
    let bad = ws.join("answers.csv");
    let mut w = csv::Writer::from_path(&bad).expect("csv");
    w.write_record(&common_header(&q)).expect("header");
    for r in &rows {
        w.write_record(r).expect("row");
    }
    w.flush().expect("flush");
    let out = answers(ws, &bad, "2026-12-01")
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(err.contains("answers.csv:2: error: breach_notification_hours: `about 48` is not a whole number of hours"), "{err}");
    assert!(
        err.contains(
            "answers.csv:3: error: terms_change_notice_days: `sometimes` is not a whole number"
        ),
        "{err}"
    );
    assert!(
        err.contains("answers.csv:4: error: unknown fact `breach_notification_hourz`"),
        "{err}"
    );
    assert!(
        err.contains("answers.csv:5: error: vendor `perplexity` has no offering `sonar-pro`"),
        "{err}"
    );
    assert_eq!(std::fs::read(ws.join(PROFILE)).expect("profile"), before);
    assert!(
        !ws.join("vendors/perplexity/sources/questionnaire-2026-12-01.md")
            .exists()
    );

    // The same in a workbook: the cell is named.
    let qx = ws.join("q.xlsx");
    questions(ws, "xlsx", &qx);
    let filled = ws.join("answers.xlsx");
    fill_xlsx(
        &qx,
        &filled,
        &[
            ("human_review", "sometimes", "", ""),
            ("breach_notification_hours", "about 48", "", ""),
        ],
    );
    let out = answers(ws, &filled, "2026-12-01")
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    let row_of = |fact: &str| {
        read_sheet(&qx)
            .iter()
            .position(|r| r[7] == fact)
            .expect("row")
            + 1
    };
    // Columns: id (A), question (B), answer (C), ..., fact (H), offerings (I).
    assert!(err.contains(&format!("answers.xlsx!Questions!C{}: error: human_review: `sometimes` is not one of: never, safety_only, may_review", row_of("human_review"))), "{err}");
    assert!(
        err.contains(&format!(
            "answers.xlsx!Questions!C{}: error: breach_notification_hours: `about 48`",
            row_of("breach_notification_hours")
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(ws.join(PROFILE)).expect("profile"), before);

    // A vendor who unprotects the sheet and edits the fact or the offerings of a row.
    let mut rows = read_sheet(&qx);
    let (fact_row, offering_row) = (row_of("breach_notification_hours"), row_of("human_review"));
    rows[fact_row - 1][7] = "breach_notification_hourz".into();
    rows[fact_row - 1][2] = "24".into();
    rows[offering_row - 1][8] = "sonar-pro".into();
    rows[offering_row - 1][2] = "never".into();
    let edited = ws.join("edited.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Questions").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, text).expect("write");
        }
    }
    wb.save(&edited).expect("save");
    let out = answers(ws, &edited, "2026-12-01")
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(
        err.contains(&format!(
            "edited.xlsx!Questions!H{fact_row}: error: unknown fact `breach_notification_hourz`"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "edited.xlsx!Questions!I{offering_row}: error: vendor `perplexity` has no offering `sonar-pro`"
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(ws.join(PROFILE)).expect("profile"), before);

    // --dry-run on a good file writes nothing either.
    fill_xlsx(&qx, &filled, GOOD);
    diligence(ws)
        .args(["answers", "perplexity"])
        .arg(&filled)
        .args(["--received", "2026-12-01", "--dry-run"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "+ sonar-api/breach_notification_hours: 48",
        ));
    assert_eq!(std::fs::read(ws.join(PROFILE)).expect("profile"), before);
}

fn common_header(q: &Path) -> csv::StringRecord {
    csv::Reader::from_path(q)
        .expect("csv")
        .headers()
        .expect("header")
        .clone()
}

#[test]
fn bare_values_absent_facts_and_comments() {
    let ws = common::Ws::new();
    // A bare value with a comment, and a fact the profile does not state.
    ws.edit(
        "vendors/acme/profile.yaml",
        "      retention_days:",
        "      human_review: never   # from a sales call\n      retention_days:",
    );
    let before = ws.read("vendors/acme/profile.yaml");
    let file = ws.path().join("a.csv");
    std::fs::write(
        &file,
        "vendor,offering,fact,answer,document,section\nacme,api,human_review,safety_only,Terms,4\nacme,api,breach_notification_hours,24,DPA,9\n",
    )
    .expect("write");
    ws.cmd()
        .args(["answers", "acme"])
        .arg(&file)
        .args(["--received", "2026-11-20", "--accept-unasked"])
        .assert()
        .success();
    let after = ws.read("vendors/acme/profile.yaml");
    assert!(after.contains("      human_review:\n        # was the bare value (no evidence): never   # from a sales call\n        - value: \"safety_only\""), "{after}");
    assert!(
        after.contains("      breach_notification_hours:\n        - value: 24\n"),
        "{after}"
    );
    assert!(
        after.contains("  questionnaire-2026-11-20:\n    title:"),
        "{after}"
    );
    assert!(
        before
            .lines()
            .filter(|l| !l.contains("human_review"))
            .all(|l| after.contains(l))
    );
    ws.cmd().arg("check").assert().success();
}

/// The workbook as a spreadsheet program sees it (its XML: sheets, protection, validations,
/// locked cells), filled in as a vendor would, and opened by LibreOffice when it is installed.
#[test]
fn xlsx_keeps_its_protection_and_validations_and_a_filled_copy_imports() {
    let ws = workspace();
    let ws = ws.path();
    let q = ws.join("q.xlsx");
    questions(ws, "xlsx", &q);
    let mut book = common::xlsx::Book::open(&q);
    assert_eq!(book.sheet_names(), ["Instructions", "Questions"]);
    let instructions: String = read_rows(&q, "Instructions")
        .iter()
        .filter_map(|row| row.first().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        instructions
            .contains("Only the columns answer (C), document (D) and section (E) can be edited")
            && instructions.contains("CSA CAIQ v4.0"),
        "{instructions}"
    );
    assert!(book.setup("Questions").protected, "sheet not protected");
    let validations = book.validations("Questions");
    assert!(
        validations
            .iter()
            .any(|v| v.kind == "list" && v.formula1 == "\"never,safety_only,may_review\""),
        "{validations:?}"
    );
    assert!(
        validations
            .iter()
            .any(|v| v.kind == "whole" && v.operator == "greaterThanOrEqual" && v.formula1 == "0"),
        "{validations:?}"
    );
    assert!(book.locked("Questions", "B2"), "the question is locked");
    assert!(!book.locked("Questions", "C2"), "the answer is editable");

    // A vendor fills the workbook in a spreadsheet program, which keeps the validations and
    // protection, and the answers import.
    let rows = read_rows(&q, "Questions");
    let row = 1 + rows
        .iter()
        .position(|r| r.get(7).is_some_and(|f| f == "breach_notification_hours"))
        .expect("a breach notification question");
    book.fill("Questions", &format!("C{row}"), "24");
    book.fill("Questions", &format!("D{row}"), "Data Processing Addendum");
    book.fill("Questions", &format!("E{row}"), "9.1");
    let filled = ws.join("filled.xlsx");
    book.save(&filled);
    assert_eq!(
        common::xlsx::Book::open(&filled).validations("Questions"),
        validations
    );
    answers(ws, &filled, "2026-12-01").success();
    assert!(
        std::fs::read_to_string(ws.join(PROFILE))
            .expect("profile")
            .contains("(sonar-api): 24\"")
    );
    diligence(ws).arg("check").assert().success();

    let Some(soffice) = common::programs::need(&common::programs::SOFFICE) else {
        return;
    };
    let pdf_dir = ws.join("pdf");
    let out = std::process::Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            ws.join("lo-profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&pdf_dir)
        .arg(&q)
        .output()
        .expect("soffice runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(pdf_dir.join("q.pdf")).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF"));
}

/// A questionnaire answer is the vendor's own word: where a contract says otherwise, the contract
/// decides, the answer shows as outvoted, and the verdict does not move.
#[test]
fn an_answer_never_overrides_the_contract() {
    let ws = workspace();
    let ws = ws.path();
    let before = verdicts(ws);
    let file = ws.join("answers.csv");
    // The API terms (a contract) say Perplexity does not train on Customer Content.
    std::fs::write(
        &file,
        "vendor,offering,fact,answer,document,section\nperplexity,sonar-api,training_on_inputs,default_on,,\n",
    )
    .expect("write");
    // Facts the contract settles are not asked: the reviewer accepts these rows explicitly.
    diligence(ws)
        .args(["answers", "perplexity"])
        .arg(&file)
        .args(["--received", "2026-12-01", "--accept-unasked"])
        .assert()
        .success();
    diligence(ws).arg("check").assert().success();
    assert_eq!(verdicts(ws), before);
    let json = evaluate_json(
        ws,
        &[
            "perplexity/sonar-api",
            "--class",
            "confidential",
            "--today",
            TODAY,
        ],
    );
    let roles: Vec<(String, String)> = json["results"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "training-on-inputs")
        .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
        .map(|e| {
            (
                e["authority"].as_str().unwrap_or("").to_string(),
                e["role"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        roles.contains(&("contract".into(), "decides".into())),
        "{roles:?}"
    );
    assert!(
        roles.contains(&("questionnaire".into(), "outvoted".into())),
        "{roles:?}"
    );
}

/// One question per vendor and fact, however many rules, classes and offerings ask it; only
/// what the selected classes could move; CAIQ references as pinned question ids.
#[test]
fn one_question_per_fact_and_only_what_the_selected_classes_can_move() {
    let ws = workspace();
    let ws = ws.path();
    let all = |args: &[&str]| {
        let mut cmd = diligence(ws);
        cmd.args(["questions", "--format", "json", "--today", TODAY])
            .args(args);
        stdout_json(&mut cmd).as_array().expect("a list").clone()
    };
    let every = all(&[]);
    let mut keys: Vec<(&str, &str)> = every
        .iter()
        .map(|q| {
            (
                q["vendor"].as_str().unwrap_or(""),
                q["fact"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "a fact asked twice of one vendor");
    // Three rules at two classes hold on AI21's training on inputs: one question.
    let training = every
        .iter()
        .find(|q| q["id"] == "ai21.training_on_inputs")
        .expect("asked");
    let why = training["why"].as_array().expect("why");
    assert_eq!(why.len(), 3, "{why:?}");
    assert!(
        why.iter().all(|w| w
            .as_str()
            .is_some_and(|w| w.ends_with("at confidential, restricted"))),
        "{why:?}"
    );
    // What we already have: the claim, its source and its role.
    assert!(
        training["have"][0].as_str().is_some_and(
            |h| h.starts_with("studio-api: known: default_on (third_party: ConductAtlas")
        ),
        "{training}"
    );
    // A fact asked of two offerings is one question listing both.
    let mistral = every
        .iter()
        .find(|q| q["id"] == "mistral.retention_days")
        .expect("asked");
    // (labs-preview-models is no-go at these classes, but its holds on retention are open
    // too, as its brief lists them.)
    assert_eq!(
        mistral["offerings"],
        serde_json::json!(["ai-studio", "le-chat", "labs-preview-models"])
    );
    assert_eq!(mistral["refs"], serde_json::json!(["DSP-16.1"]));
    assert_eq!(mistral["refs_standard"], "CSA CAIQ v4.0");
    let terms = every
        .iter()
        .find(|q| q["fact"] == "terms_change_notice_days")
        .expect("asked");
    assert_eq!(terms["refs"], serde_json::json!(["STA-09.1"]));

    // Only restricted holds on Perplexity's human review: not asked for confidential alone.
    let facts = |qs: &[serde_json::Value]| -> Vec<String> {
        qs.iter()
            .filter(|q| q["vendor"] == "perplexity")
            .map(|q| q["fact"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let confidential = all(&["perplexity", "--class", "confidential"]);
    assert_eq!(
        facts(&confidential),
        ["breach_notification_hours", "terms_change_notice_days"]
    );
    assert!(facts(&all(&["perplexity", "--class", "restricted"])).contains(&"human_review".into()));
    // A tag adds its requirements: the BAA is asked only when PHI is in scope.
    let baa = |args: &[&str]| {
        all(args)
            .iter()
            .any(|q| q["vendor"] == "anthropic" && q["fact"] == "baa")
    };
    assert!(!baa(&["anthropic", "--class", "internal"]));
    assert!(baa(&["anthropic", "--class", "internal", "--tag", "phi"]));
    // One offering asked alone: the question concerns it only.
    let le_chat = all(&["mistral/le-chat"]);
    assert!(!le_chat.is_empty());
    assert!(
        le_chat
            .iter()
            .all(|q| q["offerings"] == serde_json::json!(["le-chat"])),
        "{le_chat:?}"
    );
    // Nothing holds at public: nothing to ask.
    diligence(ws)
        .args([
            "questions",
            "--class",
            "public",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("[]"))
        .stderr(predicates::str::contains("0 questions"));

    // The version goes with the ids wherever a vendor reads them.
    let q = ws.join("q.csv");
    questions(ws, "csv", &q);
    let mut r = csv::Reader::from_path(&q).expect("csv");
    let header = r.headers().expect("header").clone();
    let refs = header
        .iter()
        .position(|h| h == "refs")
        .expect("refs column");
    let fact = header
        .iter()
        .position(|h| h == "fact")
        .expect("fact column");
    let breach = r
        .records()
        .map(|r| r.expect("row"))
        .find(|r| &r[fact] == "breach_notification_hours")
        .expect("row");
    assert_eq!(&breach[refs], "CSA CAIQ v4.0: SEF-07.2");

    // CSV: one row per question and offering.
    let m = ws.join("m.csv");
    diligence(ws)
        .args([
            "questions",
            "mistral",
            "--format",
            "csv",
            "--today",
            TODAY,
            "-o",
        ])
        .arg(&m)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(&m).expect("csv");
    let offerings: Vec<String> = r
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[fact] == "retention_days")
        .map(|r| r[2].to_string())
        .collect();
    // labs-preview-models is no-go, but its holds on retention are open too (as its brief says).
    assert_eq!(offerings, ["ai-studio", "le-chat", "labs-preview-models"]);
}

/// The file that goes to a vendor must not show it the other vendors: a workbook or CSV that
/// asks several vendors says so (the reviewer makes one per vendor); one vendor's does not.
#[test]
fn a_file_asking_several_vendors_says_so() {
    let ws = workspace();
    let tmp = tempfile::tempdir().expect("temp dir");
    for format in ["csv", "xlsx"] {
        let out = tmp.path().join(format!("all.{format}"));
        diligence(ws.path())
            .args(["questions", "--today", TODAY, "--format", format, "-o"])
            .arg(&out)
            .assert()
            .success()
            .stderr(predicate::str::contains("warning: this file asks").and(
                predicate::str::contains("make one per vendor (`diligence questions"),
            ));
        let one = tmp.path().join(format!("one.{format}"));
        questions(ws.path(), format, &one).stderr(predicate::str::contains("this file asks").not());
    }
}
