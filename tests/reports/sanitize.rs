//! One sanitizer for every human-readable output: escape sequences and bidi overrides written
//! into a profile, policy or rule never reach the terminal, whichever command prints them.

use crate::common;

use common::{TODAY, Ws};

const ESC: char = '\u{1b}';
const RLO: char = '\u{202E}';

/// A workspace whose vendor name, offering name, note and rule output carry an escape sequence
/// (clear screen) and a right-to-left override.
fn hostile() -> Ws {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "name: Acme AI",
        "name: \"Acme \\e[2J AI \\u202Egnp.exe\"",
    );
    ws.write(
        "scripts/noisy.rhai",
        "//! Noisy \u{1b}[31m title\nprint(\"\\x1b]0;pwned\\x07\");\nwarn(\"\\x1b[2J cleared \\u202Etxt.exe\");\n",
    );
    ws
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(ESC), "{what} leaks ESC:\n{text:?}");
    assert!(!text.contains(RLO), "{what} leaks U+202E:\n{text:?}");
}

#[test]
fn table_markdown_html_explain_and_diagnostics_are_clean() {
    let ws = hostile();
    for format in ["table", "markdown", "html"] {
        let out = ws
            .cmd()
            .args(["evaluate", "--format", format, "--today", TODAY])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert_clean(format, &text);
        assert!(text.contains('␛'), "{format} shows the escape as text");
        // In HTML the marker is escaped: a raw `<U+202E>` would be parsed as a tag and vanish.
        let shown = if format == "html" {
            "&lt;U+202E&gt;"
        } else {
            "<U+202E>"
        };
        assert!(text.contains(shown), "{format} shows the override as text");
        if format == "html" {
            assert!(
                !text.contains("<U+202E>"),
                "html writes the marker as a tag"
            );
        }
    }
    let out = ws
        .cmd()
        .args(["explain", "acme/api", "noisy", "--today", TODAY])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_clean("explain", &text);
    assert!(
        text.contains("␛]0;pwned␇"),
        "explain shows the print output: {text}"
    );

    // A diagnostic that quotes the bad value (an unknown tier).
    ws.edit(
        "vendors/acme/profile.yaml",
        "tier: api",
        "tier: \"api\\e[2J\"",
    );
    let out = ws.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_clean("check diagnostics", &String::from_utf8_lossy(&out.stderr));
}

#[test]
fn test_and_diff_output_are_clean() {
    let ws = hostile();
    ws.write(
        "scripts/noisy.test.yaml",
        "- name: \"fails \\e[2J loudly \\u202E\"\n  expect: {verdict: no-go}\n",
    );
    let out = ws.cmd().arg("test").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_clean("test", &String::from_utf8_lossy(&out.stdout));

    let old = Ws::new();
    let out = ws
        .cmd()
        .args(["diff", old.path().to_str().unwrap(), "--today", TODAY])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_clean("diff", &text);
}

/// A workspace with control and bidi characters in every text a report shows: the vendor,
/// offering and source names, the notes, the policy's organization, a rule's title, messages
/// and action, and a rule test's name.
fn hostile_everywhere() -> Ws {
    let ws = hostile();
    ws.edit(
        "vendors/acme/profile.yaml",
        "reviewed: 2026-11-01",
        "reviewed: 2026-11-01\nnotes: \"vendor \\e[31m note \\u202Eevil\"",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "name: Acme API",
        "name: \"Acme \\e]0;api\\a API \\u202Eipa\"\n    notes: \"offering \\e[5m note \\u2066x\"",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "title: Acme Terms",
        "title: \"Acme \\e[8m Terms \\u202E\"",
    );
    ws.edit(
        "policies/default.yaml",
        "organization: Test Org",
        "organization: \"Test \\e[2J Org \\u202E\"",
    );
    ws.write(
        "scripts/noisy.rhai",
        "//! Noisy \u{1b}[31m title\nprint(\"\\x1b]0;pwned\\x07\");\nwarn(\"\\x1b[2J cleared \\u202Etxt.exe\");\nif unresolved(\"dpa\", \"whether \\x1b[2J a DPA \\u202E is signed\") { return; }\nhold(\"\\x1b[31m held \\u202E\", \"ask \\x1b[2J the vendor \\u202E\");\n",
    );
    ws.write(
        "scripts/noisy.test.yaml",
        "- name: \"fails \\e[2J loudly \\u202E\"\n  expect: {verdict: no-go}\n",
    );
    ws
}

/// Every byte a command wrote: its stdout and stderr, and the file it wrote with -o.
fn outputs(ws: &Ws, args: &[&str], file: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let mut cmd = ws.cmd();
    cmd.args(args);
    let path = file.map(|f| ws.path().join(f));
    if let Some(p) = &path {
        cmd.arg("-o").arg(p);
    }
    let out = cmd.output().unwrap();
    let what = args.join(" ");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all = vec![
        (format!("{what} (stdout)"), out.stdout),
        (format!("{what} (stderr)"), out.stderr),
    ];
    if let Some(p) = path {
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{what}: no -o file: {e}"));
        all.push((format!("{what} (-o {})", p.display()), bytes));
    }
    all
}

/// Whether the bytes hold a raw control character (other than newline, tab and CR) or a
/// bidi override, embedding or isolate.
fn leaks(bytes: &[u8]) -> Option<char> {
    String::from_utf8_lossy(bytes).chars().find(|&c| {
        (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
    })
}

#[test]
fn every_command_and_format_keeps_control_and_bidi_characters_out() {
    let ws = hostile_everywhere();
    let old = Ws::new();
    let old_dir = old.path().to_str().unwrap().to_string();
    let mut runs: Vec<(Vec<&str>, Option<&str>)> = Vec::new();
    // The workbooks are zipped XML: their text is checked through the XML escapes below.
    for format in [
        "table", "json", "jsonl", "markdown", "html", "csv", "sarif", "junit", "github",
    ] {
        runs.push((vec!["evaluate", "--today", TODAY, "--format", format], None));
        runs.push((
            vec!["evaluate", "--today", TODAY, "--format", format],
            Some("report.out"),
        ));
    }
    for format in ["markdown", "json", "csv"] {
        runs.push((
            vec!["questions", "--today", TODAY, "--format", format],
            None,
        ));
        runs.push((
            vec!["questions", "--today", TODAY, "--format", format],
            Some("questions.out"),
        ));
    }
    // The reviewer's copy quotes what the profile already has (claims, notes).
    runs.push((
        vec![
            "questions",
            "--today",
            TODAY,
            "--format",
            "csv",
            "--for",
            "reviewer",
        ],
        None,
    ));
    for format in ["markdown", "html"] {
        let brief = vec![
            "brief",
            "acme/api",
            "--class",
            "confidential",
            "--today",
            TODAY,
            "--format",
            format,
        ];
        runs.push((brief.clone(), None));
        runs.push((brief, Some("brief.out")));
    }
    runs.push((vec!["explain", "acme/api", "--today", TODAY], None));
    runs.push((vec!["check", "--today", TODAY], None));
    runs.push((vec!["check", "--today", TODAY, "--format", "json"], None));
    runs.push((vec!["test"], None));
    runs.push((vec!["test", "--format", "junit"], None));
    runs.push((vec!["diff", &old_dir, "--today", TODAY], None));
    runs.push((
        vec!["diff", &old_dir, "--today", TODAY, "--format", "json"],
        None,
    ));
    let mut leaked = Vec::new();
    for (args, file) in &runs {
        for (what, bytes) in outputs(&ws, args, *file) {
            if let Some(c) = leaks(&bytes) {
                leaked.push(format!("{what}: U+{:04X}", c as u32));
            }
        }
    }
    assert!(leaked.is_empty(), "leaks:\n{}", leaked.join("\n"));
}

#[test]
fn status_keeps_control_and_bidi_characters_out_of_every_format() {
    let ws = hostile_everywhere();
    // A decision whose deciders, reference and note carry them too; its conditions and drift
    // (the rule's text changes below) are shown by every format.
    ws.cmd()
        .args(["decide", "acme/api", "--class", "confidential", "--reject"])
        .args(["--by", "Eve \u{1b}[2J Doe (CISO \u{202E}x)"])
        .args(["--ref", "PROC \u{1b}]0;t\u{7} 7 \u{2066}"])
        .args(["--note", "noted \u{1b}[31m \u{202E}here"])
        .args(["--today", TODAY])
        .assert()
        .success();
    ws.edit(
        "scripts/noisy.rhai",
        "//! Noisy",
        "//! Noisier \u{1b}[5m \u{202E}",
    );
    // The workbook is zipped XML: it is checked by the XML escapes of the other formats.
    let mut leaked = Vec::new();
    for format in [
        "table", "json", "jsonl", "markdown", "html", "csv", "sarif", "github",
    ] {
        let args = ["status", "--today", "2027-06-01", "--format", format];
        for file in [None, Some("status.out")] {
            for (what, bytes) in outputs(&ws, &args, file) {
                if let Some(c) = leaks(&bytes) {
                    leaked.push(format!("{what}: U+{:04X}", c as u32));
                }
            }
        }
    }
    assert!(leaked.is_empty(), "leaks:\n{}", leaked.join("\n"));
    let table = outputs(&ws, &["status", "--today", "2027-06-01"], None);
    let text = String::from_utf8_lossy(&table[0].1);
    assert!(
        text.contains("Eve ␛[2J Doe"),
        "the table shows the escape as text: {text}"
    );
}

fn git(dir: &std::path::Path, args: &[&str], date: &str) {
    common::archive_git(dir, args, Some(date));
}

/// Records `text` as the archive's version of Acme's terms, with a commit subject as an
/// Open Terms Archive versions repository writes it.
fn record(repo: &std::path::Path, text: &str, subject: &str, date: &str) {
    std::fs::write(repo.join("Acme/Terms of Service.md"), text).unwrap();
    git(repo, &["add", "-A"], date);
    git(repo, &["commit", "-q", "-m", subject], date);
}

#[test]
fn intake_commands_keep_control_and_bidi_characters_out() {
    let ws = hostile_everywhere();
    // An archive of the terms as Open Terms Archive keeps them; the terms are imported from it,
    // then a newer version with control and bidi characters (and in its commit subject) is
    // recorded, which `refresh` reports.
    let archive = tempfile::tempdir().unwrap();
    let repo = archive.path().join("versions");
    std::fs::create_dir_all(repo.join("Acme")).unwrap();
    git(&repo, &["init", "-q"], "2026-01-01T10:00:00Z");
    record(
        &repo,
        &ws.read("vendors/acme/sources/terms.md"),
        "First record of Acme Terms of Service",
        "2026-01-01T10:00:00Z",
    );
    ws.cmd()
        .args(["import", "ota", "--repo"])
        .arg(&repo)
        .args(["--service", "Acme", "--document", "Terms of Service"])
        .args(["acme", "terms"])
        .assert()
        .success();
    record(
        &repo,
        "# Acme \u{1b}[2J Terms \u{202E}\n\n**2.1 Training.** Acme may use Customer \u{1b}]0;x\u{7} Content \u{2066}to train models.\n\n2.2 Retention. Acme deletes Customer Content within \u{1b}[8m 90 \u{202E} days.\n",
        "Record new \u{1b}[31m changes \u{202E} of Acme Terms of Service",
        "2026-06-01T10:00:00Z",
    );
    let repo_arg = repo.to_str().unwrap();
    let answering = answering_workspace();
    let filled = answering.path().join("filled.csv");
    let filled_arg = filled.to_str().unwrap();
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "markdown", "json"] {
        runs.push(vec![
            "refresh", "--repo", repo_arg, "--today", TODAY, "--format", format,
        ]);
    }
    for format in ["yaml", "json"] {
        runs.push(vec!["extract", "acme", "terms", "--format", format]);
    }
    let answers = [
        "answers",
        "acme",
        filled_arg,
        "--received",
        TODAY,
        "--dry-run",
    ];
    let mut leaked = Vec::new();
    let all = runs.iter().map(|r| (&ws, r.as_slice()));
    for (ws, args) in all.chain([(&answering, &answers[..])]) {
        for (what, bytes) in outputs(ws, args, None) {
            if let Some(c) = leaks(&bytes) {
                leaked.push(format!("{what}: U+{:04X}", c as u32));
            }
        }
    }
    assert!(leaked.is_empty(), "leaks:\n{}", leaked.join("\n"));
}

/// A workspace whose questionnaire asks whether a DPA is signed, filled by a vendor whose
/// document and section names carry control and bidi characters (in `filled.csv`).
fn answering_workspace() -> Ws {
    let ws = Ws::new();
    ws.write(
        "scripts/dpa.rhai",
        "//! DPA signed\nif require.dpa != true { return; }\nlet d = fact(\"dpa\");\nif d == () { hold(\"no DPA known\", \"ask the vendor\"); } else if d != true { block(\"no DPA\", \"do not send data\"); }\n",
    );
    let blank = ws.path().join("blank.csv");
    ws.cmd()
        .args([
            "questions",
            "acme",
            "--today",
            TODAY,
            "--format",
            "csv",
            "-o",
        ])
        .arg(&blank)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(&blank).unwrap();
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut w = csv::Writer::from_path(ws.path().join("filled.csv")).unwrap();
    w.write_record(&header).unwrap();
    let mut answered = 0;
    for rec in r.records() {
        let mut rec: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        if rec[col("fact")] == "dpa" {
            rec[col("answer")] = "signed".into();
            rec[col("document")] = "DPA \u{1b}[2J v2 \u{202E}fdp.exe".into();
            rec[col("section")] = "4 \u{1b}]0;x\u{7} \u{2066}".into();
            answered += 1;
        }
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
    assert!(
        answered > 0,
        "the questionnaire asks about the DPA: {}",
        std::fs::read_to_string(&blank).unwrap()
    );
    ws
}
