//! The report formats as a person uses them: `diligence evaluate --format ...` on the bundled
//! workspace and on a small stable fixture (tests/fixtures/xss), always as of one date and
//! without colour, so that the output is deterministic.
//!
//! - snapshots (insta) of table, markdown and csv, for both workspaces;
//! - every format has the findings of the JSON;
//! - the xlsx read back with calamine;
//! - the html rendered in headless Chromium (skipped when it is absent, except in CI:
//!   `common::programs`);
//! - a vendor named `<script>alert(1)</script> & Co` is text in every format;
//! - a failed run leaves an existing --output file untouched.

use crate::common;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};
use common::{BUNDLED_TODAY, TODAY, bundled, diligence, evaluate_json, findings};
use serde_json::Value;
use std::io::Cursor;
use std::path::{Path, PathBuf};

const HOSTILE: &str = "<script>alert(1)</script> & Co";

fn fixture() -> PathBuf {
    bundled().join("tests/fixtures/xss")
}

/// The date a workspace is reviewed as of: the bundled one after its profiles' review.
fn today_of(dir: &Path) -> &'static str {
    if dir == bundled() {
        BUNDLED_TODAY
    } else {
        TODAY
    }
}

/// `diligence -C DIR evaluate --today TODAY`, colour off, default width.
fn evaluate(dir: &Path) -> Command {
    let mut cmd = diligence(dir);
    cmd.args(["evaluate", "--today", today_of(dir)]);
    cmd
}

/// `evaluate --format json` of the bundled workspace as of [`BUNDLED_TODAY`].
fn bundled_json(args: &[&str]) -> Value {
    let mut all = vec!["--today", BUNDLED_TODAY];
    all.extend_from_slice(args);
    evaluate_json(&bundled(), &all)
}

/// Runs and returns stdout; the run must succeed.
fn run(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = evaluate(dir).args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "diligence evaluate {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn text(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(run(dir, args)).expect("utf-8 output")
}

fn xlsx(dir: &Path, args: &[&str]) -> Xlsx<Cursor<Vec<u8>>> {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("review.xlsx");
    let mut all = vec!["--format", "xlsx", "--output", file.to_str().unwrap()];
    all.extend_from_slice(args);
    run(dir, &all);
    let bytes = std::fs::read(&file).unwrap();
    calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("a readable workbook")
}

fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<String>> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn csv_rows(bytes: &[u8]) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(bytes)
        .records()
        .map(|r| r.expect("an RFC 4180 record"))
        .collect()
}

/// HTML escaping as maud does it.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ---------------------------------------------------------------------------------------------
// Snapshots: the stable fixture (format regressions) and the bundled workspace (content).

#[test]
fn snapshot_fixture_table() {
    insta::assert_snapshot!("fixture_table", text(&fixture(), &[]));
}

#[test]
fn snapshot_fixture_table_verbose_narrow_with_tag() {
    let mut cmd = evaluate(&fixture());
    cmd.env("COLUMNS", "80").args(["-v", "--tag", "phi"]);
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    for line in table.lines() {
        assert!(
            line.chars().count() <= 80,
            "line wider than COLUMNS=80: {line}"
        );
    }
    insta::assert_snapshot!("fixture_table_narrow_phi", table);
}

#[test]
fn snapshot_fixture_markdown() {
    insta::assert_snapshot!(
        "fixture_markdown",
        text(&fixture(), &["--format", "markdown"])
    );
}

#[test]
fn snapshot_fixture_csv() {
    insta::assert_snapshot!("fixture_csv", text(&fixture(), &["--format", "csv"]));
}

#[test]
fn snapshot_bundled_table() {
    let table = text(&bundled(), &[]);
    for line in table.lines() {
        assert!(
            line.chars().count() <= 120,
            "piped output is 120 columns wide at most: {line}"
        );
    }
    insta::assert_snapshot!("bundled_table", table);
}

#[test]
fn snapshot_bundled_markdown() {
    insta::assert_snapshot!(
        "bundled_markdown",
        text(&bundled(), &["--format", "markdown"])
    );
}

#[test]
fn snapshot_bundled_csv() {
    insta::assert_snapshot!("bundled_csv", text(&bundled(), &["--format", "csv"]));
}

// ---------------------------------------------------------------------------------------------
// Every format carries the findings of the JSON.

fn same_findings_in_every_format(dir: &Path) {
    let v = evaluate_json(dir, &["--today", today_of(dir)]);
    let all = findings(&v);
    assert!(!all.is_empty());

    // CSV: one row per finding, in the same order.
    let rows = csv_rows(&run(dir, &["--format", "csv"]));
    assert_eq!(rows.len(), all.len(), "csv rows = json findings");
    for (row, (r, f)) in rows.iter().zip(&all) {
        assert_eq!(&row[0], r["vendor"].as_str().unwrap());
        assert_eq!(&row[2], r["offering"].as_str().unwrap());
        assert_eq!(&row[4], r["classification"].as_str().unwrap());
        assert_eq!(&row[6], r["verdict"].as_str().unwrap());
        assert_eq!(&row[7], f["rule"].as_str().unwrap());
        assert_eq!(&row[8], f["level"].as_str().unwrap());
        assert_eq!(&row[9], f["message"].as_str().unwrap());
        assert_eq!(&row[10], f["action"].as_str().unwrap_or(""));
        assert_eq!(row[11].is_empty(), f["waived"].is_null());
    }

    // XLSX: one Findings row per finding that is not a pass, one Passed row per pass, one
    // Evidence row per evidence entry.
    let mut book = xlsx(dir, &[]);
    let (passes, others): (Vec<_>, Vec<_>) = all.iter().partition(|(_, f)| f["level"] == "pass");
    for (name, expected) in [("Findings", &others), ("Passed", &passes)] {
        let sheet_rows = sheet(&mut book, name);
        assert_eq!(
            sheet_rows.len() - 1,
            expected.len(),
            "xlsx {name} rows = json findings"
        );
        for (row, (r, f)) in sheet_rows[1..].iter().zip(expected.iter()) {
            let id = format!(
                "{}/{}",
                r["vendor"].as_str().unwrap(),
                r["offering"].as_str().unwrap()
            );
            assert_eq!(row[0], id);
            assert_eq!(row[1], r["classification"].as_str().unwrap());
            assert_eq!(row[3], f["level"].as_str().unwrap());
            assert_eq!(row[4], f["rule"].as_str().unwrap());
            assert_eq!(row[5], f["message"].as_str().unwrap());
        }
    }
    let evidence: usize = all
        .iter()
        .map(|(_, f)| f["evidence"].as_array().unwrap().len())
        .sum();
    assert_eq!(sheet(&mut book, "Evidence").len() - 1, evidence);

    // Markdown and HTML (with -v: pass findings too): every finding's message and rule, under
    // its offering. Both merge a finding raised at several classifications into one.
    let md = text(dir, &["--format", "markdown", "-v"]);
    let html = text(dir, &["--format", "html", "-v"]);
    let table = text(dir, &["-v"]);
    for (r, f) in &all {
        let message = f["message"].as_str().unwrap();
        let rule = f["rule"].as_str().unwrap();
        let md_message = diligence::markdown_escape(message);
        assert!(md.contains(&md_message), "markdown lacks {md_message}");
        assert!(
            md.contains(&diligence::markdown_escape(rule)),
            "markdown lacks rule {rule}"
        );
        assert!(html.contains(&html_escape(message)), "html lacks {message}");
        let id = format!(
            "{}/{}",
            r["vendor"].as_str().unwrap(),
            r["offering"].as_str().unwrap()
        );
        assert!(table.contains(&id));
        // The table wraps messages: compare the words.
        let first_word = message.split_whitespace().next().unwrap();
        assert!(table.contains(first_word));
    }
    // The matrix: every result's verdict, in every human format.
    for r in v["results"].as_array().unwrap() {
        let verdict = r["verdict"].as_str().unwrap();
        assert!(md.contains(verdict) && html.contains(verdict) && table.contains(verdict));
    }
}

#[test]
fn fixture_formats_have_the_findings_of_json() {
    same_findings_in_every_format(&fixture());
}

#[test]
fn bundled_formats_have_the_findings_of_json() {
    same_findings_in_every_format(&bundled());
}

#[test]
fn xlsx_has_summary_findings_and_evidence_sheets() {
    let v = bundled_json(&[]);
    let mut book = xlsx(&bundled(), &[]);
    assert_eq!(
        book.sheet_names(),
        ["Summary", "Findings", "Passed", "Evidence", "Frameworks"]
    );

    let findings_sheet = sheet(&mut book, "Findings");
    assert_eq!(
        findings_sheet[0],
        diligence::FINDINGS_HEADER.map(String::from)
    );
    let evidence_sheet = sheet(&mut book, "Evidence");
    assert_eq!(
        evidence_sheet[0],
        diligence::EVIDENCE_HEADER.map(String::from)
    );

    // Summary: the matrix, one row per offering with its verdict per classification.
    let summary = sheet(&mut book, "Summary");
    let classes: Vec<&str> = v["classifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let header = summary
        .iter()
        .position(|row| {
            row.first()
                .is_some_and(|c| c.starts_with("Vendor / offering"))
        })
        .expect("matrix header");
    assert_eq!(&summary[header][3..3 + classes.len()], classes.as_slice());
    for r in v["results"].as_array().unwrap() {
        let id = format!(
            "{}/{}",
            r["vendor"].as_str().unwrap(),
            r["offering"].as_str().unwrap()
        );
        let row = summary
            .iter()
            .find(|row| row[0] == id)
            .unwrap_or_else(|| panic!("{id} in the Summary"));
        let col = 3 + classes
            .iter()
            .position(|c| *c == r["classification"].as_str().unwrap())
            .unwrap();
        assert!(
            row[col].starts_with(r["verdict"].as_str().unwrap()),
            "{id}: {} vs {}",
            row[col],
            r["verdict"]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile text is text.

#[test]
fn hostile_vendor_name_is_text_in_every_format() {
    let dir = fixture();

    // JSON: the literal name.
    let v = evaluate_json(&dir, &[]);
    let hostile: Vec<&Value> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["vendor"] == "hostile")
        .collect();
    assert!(!hostile.is_empty());
    assert!(hostile.iter().all(|r| r["vendor_name"] == HOSTILE));

    // Table: literal, and no escape sequence from the offering name reaches the terminal.
    let table = text(&dir, &["--color", "always"]);
    assert!(table.contains(HOSTILE));
    assert!(
        !table.contains("\u{1b}[31mred"),
        "escape sequence passed through"
    );
    assert!(table.contains("␛[31mred"));

    // CSV: literal text, RFC 4180 quoted where needed.
    let rows = csv_rows(&run(&dir, &["--format", "csv"]));
    let names: Vec<&str> = rows
        .iter()
        .filter(|r| &r[0] == "hostile")
        .map(|r| &r[1])
        .collect();
    assert!(!names.is_empty() && names.iter().all(|n| *n == HOSTILE));
    assert!(
        rows.iter()
            .any(|r| r[15].contains("\"improve\", train | tune"))
    );

    // XLSX: literal text in string cells (never a formula).
    let mut book = xlsx(&dir, &[]);
    let evidence_sheet = sheet(&mut book, "Evidence");
    assert!(evidence_sheet.iter().any(|r| r[10]
        == "=HYPERLINK(\"https://evil.example\",\"click\") says your content is kept for 90 days."));
    let summary = sheet(&mut book, "Summary");
    assert!(
        summary
            .iter()
            .any(|r| r.get(1).is_some_and(|c| c == HOSTILE))
    );

    // Markdown: escaped, tables intact, no raw HTML, no javascript: link.
    let md = text(&dir, &["--format", "markdown", "-v"]);
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
    for raw in ["<script", "<b>", "<i>", "<img", "<a ", "javascript:"] {
        assert!(!md.contains(raw), "markdown contains raw {raw}");
    }
    let unescaped_pipes = |line: &str| {
        let b = line.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    let mut tables = 0;
    for block in md.split("\n\n") {
        let lines: Vec<&str> = block.lines().filter(|l| l.starts_with('|')).collect();
        if let Some(first) = lines.first() {
            tables += 1;
            let columns = unescaped_pipes(first);
            for l in &lines {
                assert_eq!(unescaped_pipes(l), columns, "a row breaks its table: {l}");
            }
        }
    }
    assert!(tables >= 2, "matrix and drivers tables");

    // HTML: escaped everywhere, the javascript: url is not a link, the real one is safe.
    let html = text(&dir, &["--format", "html", "-v"]);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
    assert_eq!(html.matches("<script").count(), 0);
    for raw in ["<b>", "<i>your", "<img", "<a href=x", "javascript:"] {
        assert!(!html.contains(raw), "html contains raw {raw}");
    }
    assert!(html.contains(
        r#"<a href="https://evil.example/a?b=1&amp;c=&lt;2&gt;" rel="noopener noreferrer">"#
    ));
    assert!(html.contains("Content-Security-Policy"));
}

// ---------------------------------------------------------------------------------------------
// Headers, colour, tags, waivers.

#[test]
fn tags_are_shown_in_every_human_format() {
    let dir = fixture();
    let table = text(&dir, &["--tag", "phi"]);
    assert!(table.contains("with tags: phi"));
    assert!(table.contains("Vendor / offering\n") || table.contains("+ phi"));
    let md = text(&dir, &["--tag", "phi", "--format", "markdown"]);
    assert!(md.contains("with tags: phi") && md.contains("| Vendor / offering (+ phi) |"));
    let html = text(&dir, &["--tag", "phi", "--format", "html"]);
    assert!(html.contains("Data tags") && html.contains("+ phi"));
    let rows = csv_rows(&run(&dir, &["--tag", "phi", "--format", "csv"]));
    assert!(rows.iter().all(|r| &r[5] == "phi"));
    // The tag's requirement is evaluated.
    assert!(rows.iter().any(|r| r[9].contains("business associate")));
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = fixture();
    let plain = text(&dir, &[]);
    assert!(!plain.contains('\u{1b}'), "piped output has no colour");
    let never = text(&dir, &["--color", "never"]);
    assert!(!never.contains('\u{1b}'));
    let always = text(&dir, &["--color", "always"]);
    assert!(
        always.contains("\u{1b}["),
        "--color always colours even when piped"
    );
    // Colour never reaches the other formats (the fixture's own escape character is data).
    for format in ["csv", "markdown", "html", "json"] {
        let out = text(&bundled(), &["--color", "always", "--format", format]);
        assert!(!out.contains('\u{1b}'), "{format} is coloured");
    }
}

#[test]
fn waivers_are_shown_with_reason_approver_and_expiry() {
    let dir = fixture();
    let table = text(&dir, &[]);
    assert!(table.contains("no-go (waiver)"));
    assert!(table.contains("Waived until 2027-03-31, approved by ciso@example.com"));
    let md = text(&dir, &["--format", "markdown"]);
    assert!(md.contains("**Waived** until 2027-03-31, approved by ciso@example.com: Pilot &lt;b&gt;only&lt;/b&gt; \\| 90 days accepted"));
    let html = text(&dir, &["--format", "html"]);
    assert!(html.contains("Pilot &lt;b&gt;only&lt;/b&gt; | 90 days accepted"));
    assert!(html.contains("Approved by ciso@example.com · expires 2027-03-31"));
    let rows = csv_rows(&run(&dir, &["--format", "csv"]));
    let waived: Vec<_> = rows.iter().filter(|r| !r[11].is_empty()).collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(
        &waived[0][11],
        "until 2027-03-31, approved by ciso@example.com: Pilot <b>only</b> | 90 days accepted"
    );
}

#[test]
fn pass_findings_only_with_verbose() {
    let dir = fixture();
    assert!(!text(&dir, &[]).contains("No training on inputs."));
    assert!(text(&dir, &["-v"]).contains("No training on inputs."));
    assert!(!text(&dir, &["--format", "markdown"]).contains("No training on inputs."));
    // The html keeps them, folded away.
    let html = text(&dir, &["--format", "html"]);
    assert!(html.contains("<details><summary>"));
}

// ---------------------------------------------------------------------------------------------
// Output files.

#[test]
fn a_failed_run_leaves_the_output_file_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["table", "markdown", "html", "csv", "xlsx", "json"] {
        let file = tmp.path().join(format!("review.{format}"));
        std::fs::write(&file, "the previous review\n").unwrap();
        evaluate(&fixture())
            .args(["--class", "secret", "--format", format, "--output"])
            .arg(&file)
            .assert()
            .code(2);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "the previous review\n",
            "{format}: a failed run changed the output"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".diligence-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn every_format_writes_its_output_file() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["table", "markdown", "html", "csv", "xlsx", "json"] {
        let file = tmp.path().join(format!("review.{format}"));
        evaluate(&fixture())
            .args(["--format", format, "--output"])
            .arg(&file)
            .assert()
            .success()
            .stdout("");
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.is_empty(), "{format}: empty file");
        if format == "xlsx" {
            assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_ne!(
                mode & 0o044,
                0,
                "{format}: a report is readable like any file"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The html in a real browser.

/// Headless Chromium, or None (skipped, said on stderr) when it is not installed; in CI, which
/// installs it, a missing Chromium fails the test.
fn chromium() -> Option<PathBuf> {
    common::programs::need(&common::programs::CHROMIUM)
}

/// Runs Chromium with the flags DESIGN.md lists.
fn chromium_run(chromium: &Path, args: &[&str], page: &Path) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(args)
    .arg(format!("file://{}", page.display()))
    .stdin(std::process::Stdio::null());
    let out = cmd.output().expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("review.html");
    evaluate(&bundled())
        .args(["--format", "html", "--output"])
        .arg(&page)
        .assert()
        .success();

    let dom = String::from_utf8(chromium_run(&chromium, &["--dump-dom"], &page).stdout).unwrap();
    assert!(
        dom.contains(r#"<table class="matrix">"#),
        "the matrix renders"
    );
    let v = bundled_json(&[]);
    let classes = v["classifications"].as_array().unwrap();
    for c in classes {
        assert!(dom.contains(&format!("<th>{}</th>", c.as_str().unwrap())));
    }
    for r in v["results"].as_array().unwrap() {
        let id = format!(
            "{}/{}",
            r["vendor"].as_str().unwrap(),
            r["offering"].as_str().unwrap()
        );
        assert!(dom.contains(&id), "{id} in the rendered page");
        assert!(dom.contains(&html_escape(r["vendor_name"].as_str().unwrap())));
    }
    let cells = dom.matches(r#"<td class="v v-"#).count();
    assert_eq!(
        cells,
        v["results"].as_array().unwrap().len(),
        "one matrix cell per result"
    );

    // Into the test's temp dir: tests never write into the repository or `target/`.
    let shot = page.with_file_name("report-screenshot.png");
    chromium_run(
        &chromium,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
        ],
        &page,
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn hostile_html_stays_inert_in_chromium() {
    let Some(chromium) = chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("review.html");
    evaluate(&fixture())
        .args(["--format", "html", "-v", "--output"])
        .arg(&page)
        .assert()
        .success();
    let dom = String::from_utf8(chromium_run(&chromium, &["--dump-dom"], &page).stdout).unwrap();
    assert!(!dom.contains("<script"), "no script element in the DOM");
    assert!(!dom.contains("<img"), "no image element in the DOM");
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
}

// ---------------------------------------------------------------------------------------------
// On a terminal (a pseudo-terminal from util-linux `script`, when it is installed).

/// Runs `diligence ARGS` with stdout on a pseudo-terminal; None when `script` is absent.
fn on_terminal(args: &[&str], no_color: bool) -> Option<std::process::Output> {
    let script = common::programs::need(&common::programs::SCRIPT)?;
    let bin = assert_cmd::cargo::cargo_bin("diligence");
    let mut line = format!("'{}'", bin.display());
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let mut cmd = std::process::Command::new(script);
    cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
        .env_remove("DILIGENCE_DIR")
        // The runs read the repository's workspaces: no results cache written into them.
        .env("DILIGENCE_NO_CACHE", "1")
        .env("COLUMNS", "100")
        .stdin(std::process::Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    Some(cmd.output().expect("script runs"))
}

#[test]
fn xlsx_refuses_to_write_to_a_terminal() {
    let dir = fixture();
    let dir = dir.to_str().unwrap();
    let Some(out) = on_terminal(
        &["-C", dir, "evaluate", "--today", TODAY, "--format", "xlsx"],
        true,
    ) else {
        return;
    };
    assert_eq!(out.status.code(), Some(2));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("--output review.xlsx"), "{shown}");
    assert!(!shown.contains("PK"), "no binary on the terminal");
}

#[test]
fn a_terminal_gets_colour_unless_no_color() {
    let dir = fixture();
    let dir = dir.to_str().unwrap();
    let args = ["-C", dir, "evaluate", "--today", TODAY];
    let Some(coloured) = on_terminal(&args, false) else {
        return;
    };
    assert!(coloured.status.success());
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\u{1b}[31m"));
    let plain = on_terminal(&args, true).unwrap();
    assert!(
        !String::from_utf8_lossy(&plain.stdout).contains("\u{1b}[3"),
        "NO_COLOR turns colour off"
    );
    let mut never = args.to_vec();
    never.extend(["--color", "never"]);
    let plain = on_terminal(&never, false).unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("\u{1b}[3"));
}

// ---------------------------------------------------------------------------------------------
// On paper: printed through headless Chromium, page 1 shows the verdicts.

/// The text of page 1 of a PDF (poppler's pdftotext).
fn page_one_text(pdftotext: &Path, pdf: &Path) -> String {
    let out = std::process::Command::new(pdftotext)
        .args(["-f", "1", "-l", "1", "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Prints `page` to PDF on `paper` (A4 or Letter, set through an @page rule added to a copy).
fn print_page_one(tools: &[PathBuf], page: &Path, paper: &str) -> String {
    let (chromium, pdftotext) = (&tools[0], &tools[1]);
    let html = std::fs::read_to_string(page).unwrap().replacen(
        "</style>",
        &format!("@page {{ size: {paper}; }}</style>"),
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("page.html");
    std::fs::write(&copy, html).unwrap();
    let pdf = dir.path().join("page.pdf");
    chromium_run(
        chromium,
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
        &copy,
    );
    page_one_text(pdftotext, &pdf)
}

#[test]
fn printed_report_and_brief_show_the_verdicts_on_page_one() {
    let Some(tools) =
        common::programs::needs(&[&common::programs::CHROMIUM, &common::programs::PDFTOTEXT])
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("review.html");
    run(
        &bundled(),
        &["--format", "html", "--output", report.to_str().unwrap()],
    );
    let v = bundled_json(&[]);
    let first = &v["results"][0];
    let brief = tmp.path().join("brief.html");
    let out = Command::cargo_bin("diligence")
        .unwrap()
        .env_remove("DILIGENCE_DIR")
        .arg("-C")
        .arg(bundled())
        .args([
            "brief",
            "mistral/le-chat",
            "--class",
            "internal",
            "--today",
            BUNDLED_TODAY,
            "-o",
            brief.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let verdict =
        bundled_json(&["mistral/le-chat", "--class", "internal"])["results"][0]["verdict"]
            .as_str()
            .unwrap()
            .to_uppercase();
    for paper in ["A4", "letter"] {
        let page = print_page_one(&tools, &report, paper);
        assert!(
            page.contains("Verdicts"),
            "{paper}: no matrix on page 1:\n{page}"
        );
        assert!(
            page.contains(first["vendor"].as_str().unwrap()),
            "{paper}: the first offering is not on page 1:\n{page}"
        );
        let page = print_page_one(&tools, &brief, paper);
        assert!(
            page.contains(&verdict),
            "{paper}: brief verdict not on page 1:\n{page}"
        );
        assert!(page.contains("Questions still open"), "{paper}:\n{page}");
        // One page where possible: this brief (a condition and a note) fits on one A4 page with its sign-off block; Letter is 19 mm shorter.
        if paper == "A4" {
            assert!(
                page.contains("Sign-off"),
                "{paper}: sign-off not on page 1:\n{page}"
            );
        }
    }
}
