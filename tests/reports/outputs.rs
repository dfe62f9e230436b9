//! Outputs for CI systems and for the procurement meeting, as a user runs them: SARIF (valid
//! against the 2.1.0 schema), JUnit (parsed by a standard XML parser, counts as in the JSON),
//! GitHub annotations, CSV (`--bom`, formulas neutralised, huge cells cut), `--summary`, the
//! `--fail-on` lines on stderr, and the decision brief.

use crate::common;

use common::{TODAY, Ws, bundled, copy_dir, diligence, evaluate_json, findings};
use serde_json::Value;
use std::path::Path;

fn evaluate_out(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = diligence(dir);
    cmd.args(["evaluate", "--today", TODAY]).args(args);
    cmd.output().expect("runs")
}

fn stdout_of(dir: &Path, args: &[&str]) -> String {
    let out = evaluate_out(dir, args);
    assert!(
        out.status.success(),
        "evaluate {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

const LEVELS: [&str; 6] = ["pass", "info", "warn", "condition", "hold", "block"];

fn rank(level: &str) -> usize {
    LEVELS.iter().position(|l| *l == level).unwrap()
}

// ---------------------------------------------------------------------------------------------
// SARIF

#[test]
fn sarif_is_valid_and_has_one_result_per_finding_that_is_not_a_pass() {
    let dir = bundled();
    let json = evaluate_json(&dir, &[]);
    let sarif: Value =
        serde_json::from_str(&stdout_of(&dir, &["--format", "sarif"])).expect("sarif is json");

    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "SARIF is not valid: {errors:#?}");
    assert_eq!(sarif["version"], "2.1.0");

    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let expected: Vec<(&Value, &Value)> = findings(&json)
        .into_iter()
        .filter(|(_, f)| f["level"] != "pass")
        .collect();
    assert_eq!(results.len(), expected.len());
    for (res, (r, f)) in results.iter().zip(&expected) {
        assert_eq!(res["ruleId"], f["rule"]);
        let level = match f["level"].as_str().unwrap() {
            "block" => "error",
            "hold" | "condition" | "warn" => "warning",
            _ => "note",
        };
        assert_eq!(res["level"], level);
        assert_eq!(res["properties"]["classification"], r["classification"]);
        let text = res["message"]["text"].as_str().unwrap();
        assert!(text.contains(f["message"].as_str().unwrap()));
        // Where: the deciding claim in profile.yaml, or the rule's line.
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        let line = loc["region"]["startLine"].as_u64().unwrap();
        let deciding = f["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["role"] == "decides" || e["role"] == "conflicts");
        match deciding {
            Some(e) => {
                let col = loc["region"]["startColumn"].as_u64().unwrap();
                assert_eq!(e["at"].as_str().unwrap(), format!("{uri}:{line}:{col}"));
                assert!(uri.starts_with("vendors/") && uri.ends_with("/profile.yaml"));
            }
            // A document not obtained: the profile's entry for it (its `status: missing`).
            None if f["rule"] == "missing-documents" => {
                assert_eq!(
                    uri,
                    format!("vendors/{}/profile.yaml", r["vendor"].as_str().unwrap())
                );
                let col = loc["region"]["startColumn"].as_u64().unwrap() as usize;
                let profile = std::fs::read_to_string(dir.join(uri)).unwrap();
                let lines: Vec<&str> = profile.lines().collect();
                let entry = lines[line as usize - 1];
                let indent = |l: &str| l.len() - l.trim_start().len();
                assert_eq!(col, indent(entry) + 1, "{entry}");
                let body: Vec<&str> = lines[line as usize..]
                    .iter()
                    .take_while(|l| indent(l) > indent(entry))
                    .copied()
                    .collect();
                assert!(
                    body.iter()
                        .any(|l| l.trim_start().starts_with("status: missing")),
                    "{entry} {body:?}"
                );
                let title = body
                    .iter()
                    .find_map(|l| l.trim_start().strip_prefix("title: "))
                    .unwrap()
                    .trim_matches('"');
                assert!(text.contains(title), "{text} names {title}");
            }
            // Another evidence check is raised at the policy line naming it.
            None => assert_eq!(
                Some(uri),
                f["raised_at"].as_str().and_then(|r| r.split(':').next()),
                "a finding without a deciding claim points at its rule (or policy check)"
            ),
        }
        assert_eq!(res["suppressions"].is_array(), !f["waived"].is_null());
    }
}

// ---------------------------------------------------------------------------------------------
// JUnit

#[test]
fn junit_has_a_case_per_offering_class_and_rule_and_failures_match_json() {
    let dir = bundled();
    let json = evaluate_json(&dir, &[]);
    let xml = stdout_of(&dir, &["--format", "junit"]);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");

    let results = json["results"].as_array().unwrap();
    let rules = json["rules"].as_array().unwrap();
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(
        suites.len(),
        results.len(),
        "a suite per offering and class"
    );
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(cases, results.len() * rules.len());

    // A (result, rule) fails when the rule raised an unwaived condition, hold or block.
    let mut expected_failures = 0;
    for (suite, r) in suites.iter().zip(results) {
        let name = suite.attribute("name").unwrap();
        assert_eq!(
            name,
            format!(
                "{}/{} at {}",
                r["vendor"].as_str().unwrap(),
                r["offering"].as_str().unwrap(),
                r["classification"].as_str().unwrap()
            )
        );
        for rule in rules {
            let fails = r["findings"].as_array().unwrap().iter().any(|f| {
                f["rule"] == *rule
                    && f["waived"].is_null()
                    && rank(f["level"].as_str().unwrap()) >= 3
            });
            let case = suite
                .children()
                .find(|c| c.has_tag_name("testcase") && c.attribute("name") == rule.as_str())
                .expect("a case per rule");
            let failure = case.children().find(|c| c.has_tag_name("failure"));
            assert_eq!(failure.is_some(), fails, "{name} {rule}");
            expected_failures += fails as usize;
        }
    }
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(
        root.attribute("failures").unwrap(),
        expected_failures.to_string()
    );
    assert_eq!(root.attribute("tests").unwrap(), cases.to_string());
}

// ---------------------------------------------------------------------------------------------
// GitHub annotations

#[test]
fn github_annotations_are_workflow_commands_on_the_claim_or_rule() {
    let dir = bundled();
    let json = evaluate_json(&dir, &[]);
    let out = stdout_of(&dir, &["--format", "github"]);
    assert!(!out.is_empty());
    for line in out.lines() {
        let (command, rest) = line
            .strip_prefix("::")
            .and_then(|l| l.split_once(' '))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (props, message) = rest.split_once("::").expect("props::message");
        assert!(props.starts_with("file="), "{line}");
        assert!(props.contains(",line="), "{line}");
        assert!(!message.is_empty() && !message.contains('\r'));
    }
    // Every unwaived block is an error annotation naming its rule.
    for (r, f) in findings(&json) {
        if f["level"] == "block" && f["waived"].is_null() {
            let id = format!(
                "{}/{}",
                r["vendor"].as_str().unwrap(),
                r["offering"].as_str().unwrap()
            );
            let rule = f["rule"].as_str().unwrap();
            assert!(
                out.lines()
                    .any(|l| l.starts_with("::error ")
                        && l.contains(&format!("block {rule} ({id}%2C"))),
                "no error annotation for {rule} on {id}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_bom_only_when_asked() {
    let ws = Ws::new();
    let plain = evaluate_out(ws.path(), &["--format", "csv"]).stdout;
    assert!(plain.starts_with(b"vendor,"));
    let bom = evaluate_out(ws.path(), &["--format", "csv", "--bom"]).stdout;
    assert!(bom.starts_with(b"\xEF\xBB\xBFvendor,"));
    assert_eq!(&bom[3..], &plain[..]);
}

#[test]
fn csv_cells_never_start_a_formula() {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "name: Acme AI",
        "name: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"x\\\")\"",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "name: Acme API",
        "name: \"@SUM(A1)\"",
    );
    let out = evaluate_out(ws.path(), &["--format", "csv"]);
    assert!(out.status.success());
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(&row[1], "'=HYPERLINK(\"https://evil.example\",\"x\")");
        assert_eq!(&row[3], "'@SUM(A1)");
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell}"
            );
        }
    }
}

#[test]
fn csv_cuts_a_huge_vendor_name_in_every_row() {
    let ws = Ws::new();
    let huge = "A".repeat(1_900_000);
    ws.edit(
        "vendors/acme/profile.yaml",
        "name: Acme AI",
        &format!("name: {huge}"),
    );
    let out = evaluate_out(ws.path(), &["--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row[1].chars().count(), 32_767);
        assert!(row[1].ends_with('…'));
    }
}

// ---------------------------------------------------------------------------------------------
// Terminal

#[test]
fn summary_shows_the_matrix_and_what_stands_in_the_way_only() {
    let dir = bundled();
    let full = stdout_of(&dir, &[]);
    let summary = stdout_of(&dir, &["--summary"]);
    assert!(summary.contains("Vendor / offering"));
    assert!(summary.contains("What stands in the way"));
    assert!(!summary.contains('▌'), "no per-offering findings");
    assert!(full.contains('▌'));
    assert!(summary.lines().count() * 3 < full.lines().count());
    let md = stdout_of(&dir, &["--summary", "--format", "markdown"]);
    assert!(md.contains("What stands in the way"));
}

#[test]
fn at_80_columns_no_identifier_breaks() {
    let dir = bundled();
    let json = evaluate_json(&dir, &[]);
    let mut cmd = diligence(&dir);
    cmd.env("COLUMNS", "80")
        .args(["evaluate", "--today", TODAY]);
    let table = String::from_utf8(cmd.output().unwrap().stdout).unwrap();
    let words: std::collections::HashSet<&str> = table
        .split(|c: char| c.is_whitespace() || "│┆,()".contains(c))
        .collect();
    for rule in json["rules"].as_array().unwrap() {
        let rule = rule.as_str().unwrap();
        let raised = findings(&json)
            .iter()
            .any(|(_, f)| f["rule"] == rule && f["level"] != "pass");
        if raised {
            assert!(words.contains(rule), "rule id {rule} is broken or missing");
        }
    }
    for line in table.lines() {
        assert!(line.chars().count() <= 80, "wider than 80: {line}");
    }
}

#[test]
fn fail_on_names_each_offending_offering_and_class_on_stderr() {
    let dir = bundled();
    let json = evaluate_json(&dir, &[]);
    let tmp = tempfile::tempdir().unwrap();
    let out_file = tmp.path().join("ci.json");
    let out = evaluate_out(
        &dir,
        &["--fail-on", "no-go", "-o", out_file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let offending: Vec<&Value> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == "no-go")
        .collect();
    assert!(!offending.is_empty());
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("fail-on no-go: "))
        .collect();
    assert_eq!(lines.len(), offending.len(), "{stderr}");
    for (line, r) in lines.iter().zip(&offending) {
        let expected = format!(
            "fail-on no-go: {}/{} at {} is no-go (",
            r["vendor"].as_str().unwrap(),
            r["offering"].as_str().unwrap(),
            r["classification"].as_str().unwrap()
        );
        assert!(line.starts_with(&expected), "{line}");
    }
    assert!(out_file.exists());
}

// ---------------------------------------------------------------------------------------------
// The decision brief

fn brief_workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&bundled().join("tests/fixtures/brief"), tmp.path());
    tmp
}

fn brief(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = diligence(dir);
    cmd.args(["brief", "--today", TODAY]).args(args);
    cmd.output().expect("runs")
}

#[test]
fn brief_has_verdict_blockers_conditions_questions_waivers_and_sign_off() {
    let ws = brief_workspace();
    let json = evaluate_json(ws.path(), &["acme/api", "--class", "confidential"]);
    let verdict = json["results"][0]["verdict"].as_str().unwrap();
    for format in ["html", "markdown"] {
        let out = brief(
            ws.path(),
            &["acme/api", "--class", "confidential", "--format", format],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let lower = text.to_lowercase();
        assert!(lower.contains(verdict), "{format}: verdict {verdict}");
        for heading in [
            "What blocks",
            "Conditions to write into the contract",
            "Questions still open",
            "Waivers in force",
            "Sign-off",
            "Approver",
            "Conditions accepted",
            "Appendix: evidence",
        ] {
            assert!(text.contains(heading), "{format} lacks {heading}");
        }
        // Reviewers and review date from the profile; the workspace without its path.
        assert!(
            text.contains("Jane Doe") && text.contains("John Roe"),
            "{format}"
        );
        assert!(text.contains("2026-11-01"));
        assert!(text.contains("not a git repository"), "{format}");
        assert!(
            !text.contains(&ws.path().display().to_string()),
            "{format}: absolute path"
        );
        // Each finding that holds, blocks or conditions is there with its action.
        for f in json["results"][0]["findings"].as_array().unwrap() {
            if rank(f["level"].as_str().unwrap()) >= 3 && f["waived"].is_null() {
                let action = f["action"].as_str().unwrap();
                let action = action.strip_prefix("Ask the vendor: ").unwrap_or(action);
                let shown = if format == "markdown" {
                    diligence::markdown_escape(action)
                } else {
                    action
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                };
                assert!(text.contains(&shown), "{format} lacks {action}");
            }
        }
    }
}

/// Makes the workspace at `dir` a git repository with everything committed; returns the
/// commit's short id (with its newline).
fn commit_all(dir: &Path) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git runs")
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "review"]);
    String::from_utf8(git(&["rev-parse", "--short", "HEAD"]).stdout).unwrap()
}

#[test]
fn brief_names_the_commit_of_a_git_workspace() {
    let ws = brief_workspace();
    let commit = commit_all(ws.path());
    let commit = commit.trim();
    let text = |ws: &Path| {
        String::from_utf8(
            brief(
                ws,
                &["acme/api", "--class", "internal", "--format", "markdown"],
            )
            .stdout,
        )
        .unwrap()
    };
    let clean = text(ws.path());
    assert!(clean.contains(&format!("commit {commit}")), "{clean}");
    assert!(!clean.contains("uncommitted changes"));
    std::fs::write(ws.path().join("vendors/acme/notes.md"), "draft").unwrap();
    let dirty = text(ws.path());
    assert!(dirty.contains(&format!("commit {commit} (uncommitted changes)")));
}

#[test]
fn brief_needs_one_offering_and_a_known_class() {
    let ws = brief_workspace();
    let vendor_only = brief(ws.path(), &["acme", "--class", "internal"]);
    assert_eq!(vendor_only.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&vendor_only.stderr).contains("VENDOR/OFFERING"));
    let bad_class = brief(ws.path(), &["acme/api", "--class", "secret"]);
    assert_eq!(bad_class.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_class.stderr).contains("no classification `secret`"));
}

#[test]
fn brief_writes_its_output_file() {
    let ws = brief_workspace();
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("brief.html");
    let out = brief(
        ws.path(),
        &[
            "acme/api",
            "--class",
            "internal",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn a_failed_rule_is_an_error_in_sarif_junit_and_github() {
    let ws = Ws::new();
    ws.write(
        "scripts/broken.rhai",
        "//! Broken\n//! Fails at run time.\nthrow \"boom\";\n",
    );
    let sarif = evaluate_out(ws.path(), &["--format", "sarif"]);
    assert_eq!(sarif.status.code(), Some(2));
    let sarif: Value = serde_json::from_slice(&sarif.stdout).expect("written anyway");
    let errors: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "broken")
        .collect();
    assert!(!errors.is_empty());
    for e in &errors {
        assert_eq!(e["level"], "error");
        assert_eq!(
            e["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "scripts/broken.rhai"
        );
    }

    let junit = evaluate_out(ws.path(), &["--format", "junit"]);
    assert_eq!(junit.status.code(), Some(2));
    let xml = String::from_utf8(junit.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let broken_errors = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase") && n.attribute("name") == Some("broken"))
        .filter(|n| n.children().any(|c| c.has_tag_name("error")))
        .count();
    assert_eq!(broken_errors, errors.len());

    let github = evaluate_out(ws.path(), &["--format", "github"]);
    let text = String::from_utf8(github.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error file=scripts/broken.rhai") && l.contains("boom")),
        "{text}"
    );
}

#[test]
fn brief_passes_through_the_sanitizer() {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "name: Acme API",
        "name: \"Acme \\u202Egnp.exe \\e[2J API\"",
    );
    for format in ["html", "markdown"] {
        let out = brief(
            ws.path(),
            &["acme/api", "--class", "internal", "--format", format],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains('\u{202E}') && !text.contains('\u{1b}'),
            "{format}"
        );
        // HTML escapes the marker (a raw `<U+202E>` would be parsed as a tag and vanish).
        let shown = if format == "html" {
            "&lt;U+202E&gt;"
        } else {
            "<U+202E>"
        };
        assert!(text.contains(shown), "{format}");
        assert!(
            format != "html" || !text.contains("<U+202E>"),
            "the html brief writes the marker as a tag"
        );
    }
}

#[test]
fn brief_cites_a_document_once_with_its_sections_and_skips_blank_reviewers() {
    // A finding decided by two sections of one document names the document once.
    let out = brief(
        &bundled(),
        &[
            "mistral/labs-preview-models",
            "--class",
            "confidential",
            "--format",
            "markdown",
        ],
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let cited: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Cited: "))
        .collect();
    assert!(!cited.is_empty(), "{text}");
    for line in &cited {
        let docs: Vec<&str> = line
            .split("; ")
            .map(|c| c.split(" §").next().unwrap())
            .collect();
        let mut unique = docs.clone();
        unique.dedup();
        assert_eq!(docs, unique, "a document cited twice in one line: {line}");
    }
    assert!(
        cited.iter().any(|l| l.ends_with("§4.2, §4.3")),
        "{cited:#?}"
    );

    // `reviewers:` with a blank entry lists the others, without an empty name.
    let ws = brief_workspace();
    let profile = ws.path().join("vendors/acme/profile.yaml");
    let text = std::fs::read_to_string(&profile).unwrap().replace(
        "reviewers: [Jane Doe, John Roe]",
        "reviewers: [\" \", Jane Doe, \"\"]",
    );
    std::fs::write(&profile, text).unwrap();
    let out = brief(
        ws.path(),
        &["acme/api", "--class", "internal", "--format", "markdown"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("reviewers: Jane Doe  \n"), "{text}");
}

#[test]
fn full_report_names_the_workspace_and_its_commit_not_its_path() {
    let ws = brief_workspace();
    let html = |ws: &Path| stdout_of(ws, &["--format", "html"]);
    let plain = html(ws.path());
    assert!(plain.contains("not a git repository"), "{plain}");
    let commit = commit_all(ws.path());
    let name = ws.path().file_name().unwrap().to_str().unwrap();
    let report = html(ws.path());
    assert!(
        report.contains(&format!("{name} · commit {}", commit.trim())),
        "{report}"
    );
    assert!(
        !report.contains(&ws.path().display().to_string()),
        "absolute path"
    );
}

#[test]
fn brief_with_a_tag_judges_the_tag_requirements_too() {
    let scope = ["openai/api", "--class", "restricted", "--tag", "phi"];
    let json = evaluate_json(&bundled(), &scope);
    let result = &json["results"][0];
    let out = brief(
        &bundled(),
        &[&scope[..], &["--format", "markdown"]].concat(),
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("at **restricted + phi**"), "{text}");
    let verdict = result["verdict"].as_str().unwrap().to_uppercase();
    assert!(
        text.contains(&format!("## Verdict: **{verdict}**")),
        "{text}"
    );
    // Each unwaived block, hold or condition is there: by its rule id, or (a question to the
    // vendor) by its question in the consolidated list.
    let mut rules = Vec::new();
    for f in result["findings"].as_array().unwrap() {
        if rank(f["level"].as_str().unwrap()) < 3 || !f["waived"].is_null() {
            continue;
        }
        let rule = f["rule"].as_str().unwrap();
        let shown = match f["action"]
            .as_str()
            .and_then(|a| a.strip_prefix("Ask the vendor: "))
        {
            Some(question) => text.contains(&diligence::markdown_escape(question)),
            None => text.contains(&format!("(`{rule}`)")),
        };
        assert!(shown, "{rule} missing:\n{text}");
        rules.push(rule);
    }
    assert!(rules.contains(&"baa-required"), "{rules:?}");
}

#[test]
fn brief_lists_the_waivers_in_force_with_approver_expiry_and_reason() {
    let ws = brief_workspace();
    for format in ["markdown", "html"] {
        let out = brief(
            ws.path(),
            &["acme/api", "--class", "confidential", "--format", format],
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let waivers = &text[text.find("Waivers in force").expect("section")..];
        let waivers = &waivers[..waivers.find("Sign-off").expect("sign-off after")];
        for part in [
            "2027-03-31",
            "ciso@example.com",
            "90-day logs accepted for the pilot",
        ] {
            assert!(waivers.contains(part), "{format}: {part} not in\n{waivers}");
        }
    }
}

/// Version 3 of the JSON contract: what `diligence schema results` publishes is what `json` and
/// `jsonl` write, one jsonl line per offering, each finding, evidence and source listed once per
/// offering, and it says the same as versions 2 and 1 (every finding and evidence of theirs is
/// reachable from it), on the bundled workspace.
#[test]
fn json_and_jsonl_follow_the_published_results_schema() {
    let dir = bundled();
    let schema: Value = serde_json::from_slice(
        &diligence(&dir)
            .args(["schema", "results"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let run = |args: &[&str]| -> Vec<u8> {
        diligence(&dir)
            .args(["evaluate", "--today", TODAY])
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let valid = |v: &Value, what: &str| {
        let errors: Vec<String> = validator
            .iter_errors(v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect();
        assert!(
            errors.is_empty(),
            "{what} does not follow the schema: {errors:#?}"
        );
    };
    let v3_bytes = run(&["--format", "json"]);
    let v3: Value = serde_json::from_slice(&v3_bytes).expect("json");
    valid(&v3, "the JSON document");
    assert_eq!(v3["schema_version"], 3);
    let offerings = v3["offerings"].as_array().expect("offerings");
    let classes = v3["classifications"].as_array().expect("classifications");
    for o in offerings {
        assert_eq!(
            o["results"].as_array().expect("results").len(),
            classes.len()
        );
        for table in ["findings", "evidence", "sources"] {
            let items = o[table].as_array().cloned().unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                assert!(!items[..i].contains(item), "{table}: an item listed twice");
            }
        }
    }
    let lines = String::from_utf8(run(&["--format", "jsonl"])).expect("utf-8");
    assert_eq!(
        lines.lines().count(),
        offerings.len(),
        "a line per offering"
    );
    for (line, offering) in lines.lines().zip(offerings) {
        let v: Value = serde_json::from_str(line).expect("a JSON line");
        valid(&v, "a jsonl line");
        assert_eq!(v["schema_version"], 3);
        assert_eq!(v["vendor"], offering["vendor"]);
        assert_eq!(v["offering"], offering["offering"]);
    }
    // Versions 2 and 1, kept behind a flag: the same content, written larger.
    let v2_bytes = run(&["--format", "json", "--json-schema-version", "2"]);
    let v1_bytes = run(&["--format", "json", "--json-schema-version", "1"]);
    let v2: Value = serde_json::from_slice(&v2_bytes).expect("json");
    let v1: Value = serde_json::from_slice(&v1_bytes).expect("json");
    assert_eq!(v2["schema_version"], 2);
    assert!(v1.get("schema_version").is_none());
    assert!(!validator.is_valid(&v2), "version 2 is not version 3");
    let v1_results = v1["results"].as_array().expect("results");
    assert!(
        common::findings(&v1)
            .iter()
            .any(|(_, f)| { f["evidence"].as_array().is_some_and(|e| !e.is_empty()) })
    );
    assert_eq!(common::inline_evidence(v2), v1);
    assert_eq!(common::inline_evidence(v3), v1);
    assert_eq!(&common::jsonl_results(&lines), v1_results);
    assert!(v3_bytes.len() < v2_bytes.len() && v2_bytes.len() < v1_bytes.len());
    // A line of version 2 is one result, not an offering of version 3.
    let old = run(&["--format", "jsonl", "--json-schema-version", "2"]);
    let old_lines = String::from_utf8_lossy(&old);
    assert_eq!(old_lines.lines().count(), v1_results.len());
    let first: Value =
        serde_json::from_str(old_lines.lines().next().expect("a line")).expect("json");
    assert_eq!(first["schema_version"], 2);
    assert!(!validator.is_valid(&first));
}

/// Every workbook is dated by the run's `--today`, not by the clock: the same run a second
/// later gives the same bytes (a workbook kept in a repository or compared in CI stays put).
#[test]
fn the_same_run_gives_the_same_workbook_bytes() {
    let ws = common::Ws::new();
    let runs: [&[&str]; 3] = [
        &["evaluate", "--format", "xlsx"],
        &["questions", "--format", "xlsx"],
        &["status", "--format", "xlsx"],
    ];
    let workbooks = || -> Vec<Vec<u8>> {
        runs.iter()
            .map(|args| {
                let file = ws.path().join("out.xlsx");
                ws.cmd()
                    .args(*args)
                    .args(["--today", common::TODAY, "-o"])
                    .arg(&file)
                    .assert()
                    .success();
                std::fs::read(&file).expect("the workbook")
            })
            .collect()
    };
    let first = workbooks();
    // The workbooks' own clock field counts seconds.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = workbooks();
    for ((args, a), b) in runs.iter().zip(&first).zip(&second) {
        assert!(a == b, "{args:?} wrote different bytes a second later");
    }
}

#[test]
fn a_workbook_past_a_sheets_row_limit_stops_the_evaluation_where_it_passes_it() {
    // A lower limit than Excel's (debug builds only), so the test needs no million findings:
    // 40 offerings at 3 classes with 11 findings each need 1,321 Findings rows.
    let ws = Ws::new();
    ws.write(
        "scripts/notes.rhai",
        "//! Notes\n//! Ten notes in every cell.\nfor i in 0..10 { info(`note ${i}`); }\n",
    );
    for i in 0..40 {
        let id = format!("acme{i}");
        ws.write(
            &format!("vendors/{id}/profile.yaml"),
            &common::PROFILE.replace("vendor: acme", &format!("vendor: {id}")),
        );
        ws.write(&format!("vendors/{id}/sources/terms.md"), common::SNAPSHOT);
    }
    let target = ws.path().join("review.xlsx");
    let out = diligence(ws.path())
        .env("DILIGENCE_TEST_XLSX_MAX_ROWS", "100")
        .args(["evaluate", "--today", TODAY, "--format", "xlsx", "--output"])
        .arg(&target)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!target.exists(), "nothing is written");
    assert!(
        stderr.contains("Findings sheet would need 101 rows or more; a sheet holds at most 100"),
        "{stderr}"
    );
    let at: usize = stderr
        .split("stopped at its result ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("where the evaluation stopped: {stderr}"));
    assert!(
        at <= 10,
        "stopped at result {at} of 123, where the sheet passed its limit"
    );
    assert!(stderr.contains("narrow the review"), "{stderr}");
}
