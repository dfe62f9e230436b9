//! One sanitizer for every human-readable output: escape sequences and bidi overrides written
//! into a profile, policy or rule never reach the terminal, whichever command prints them.

mod common;

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
        assert!(
            text.contains("<U+202E>"),
            "{format} shows the override as text"
        );
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
