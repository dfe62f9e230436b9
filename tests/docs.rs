//! The manual runs: every fenced example of README.md and docs/*.md marked as runnable is run,
//! in order, against a fresh copy of the bundled workspace (`diligence init`) per page, so that
//! the documentation cannot drift from the command.
//!
//! Markers, each on the line before a fence:
//! - `<!-- runnable -->` before a ```sh block: the block runs as one `sh -e` script in the
//!   workspace and must exit 0 (`<!-- runnable exit=N -->`: must exit N);
//! - `<!-- runnable -->` before a ```console block: each `$ COMMAND` runs and must exit 0 (or
//!   N), and the lines shown under it must appear in its output in that order (a line `...`
//!   stands for lines left out, and `...` inside a line for part of it);
//! - `<!-- file: PATH -->` before any block: its text is written to PATH in the workspace (a
//!   profile or a document a tutorial has you write by hand).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug)]
enum Kind {
    Script,
    Transcript,
    File(String),
}

#[derive(Debug)]
struct Example {
    line: usize,
    kind: Kind,
    exit: i32,
    text: String,
}

/// The marked examples of one Markdown page, in order.
fn examples(page: &str, markdown: &str) -> Vec<Example> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let marker = lines[i].trim();
        let fence = lines.get(i + 1).map(|l| l.trim_start()).unwrap_or("");
        let runnable = marker
            .strip_prefix("<!-- runnable")
            .and_then(|m| m.strip_suffix("-->"));
        let file = marker
            .strip_prefix("<!-- file:")
            .and_then(|m| m.strip_suffix("-->"));
        if (runnable.is_none() && file.is_none()) || !fence.starts_with("```") {
            assert!(
                !marker.starts_with("<!-- runnable") && !marker.starts_with("<!-- file:"),
                "{page}:{}: a marker must be followed by a fenced block",
                i + 1
            );
            i += 1;
            continue;
        }
        let indent = lines[i + 1].len() - fence.len();
        let lang = fence.trim_start_matches('`').trim();
        let mut text = String::new();
        let mut end = i + 2;
        while end < lines.len() && !lines[end].trim_start().starts_with("```") {
            let line = lines[end];
            text.push_str(line.get(indent..).unwrap_or(line.trim_start()));
            text.push('\n');
            end += 1;
        }
        assert!(end < lines.len(), "{page}:{}: unclosed fence", i + 2);
        let kind = match (runnable, file, lang) {
            (_, Some(path), _) => Kind::File(path.trim().to_string()),
            (Some(_), None, "sh") => Kind::Script,
            (Some(_), None, "console") => Kind::Transcript,
            _ => panic!("{page}:{}: runnable blocks are sh or console", i + 2),
        };
        let exit = runnable
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map_or(0, |m| {
                m.strip_prefix("exit=")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("{page}:{}: unknown marker {marker}", i + 1))
            });
        found.push(Example {
            line: i + 2,
            kind,
            exit,
            text,
        });
        i = end + 1;
    }
    found
}

/// `sh -c TEXT` in the workspace, with the `diligence` under test first on PATH, and `OTA` set
/// to a versions repository when the page uses one.
fn shell_with(ws: &Path, flags: &str, text: &str, ota: Option<&Path>) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("diligence");
    let bin_dir = bin.parent().expect("the binary's folder");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin_dir.to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    let mut sh = Command::new("sh");
    if let Some(repo) = ota {
        sh.env("OTA", repo);
    }
    sh.arg(flags)
        .arg(text)
        .current_dir(ws)
        .env("PATH", std::env::join_paths(dirs).expect("PATH"))
        .env("NO_COLOR", "1")
        .env_remove("DILIGENCE_DIR")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("sh runs")
}

/// Whether `shown` (a line of a transcript) matches `line` of the output; `...` matches any text.
fn matches(shown: &str, line: &str) -> bool {
    let mut rest = line.trim_end();
    let mut parts = shown.trim_end().split("...").peekable();
    let mut first = true;
    while let Some(part) = parts.next() {
        if first {
            if !rest.starts_with(part) {
                return false;
            }
            rest = &rest[part.len()..];
            first = false;
        } else if parts.peek().is_none() {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

fn failure(page: &str, ex: &Example, what: &str, out: &std::process::Output) -> String {
    format!(
        "{page}:{}: {what}\n--- example\n{}--- exit {:?}\n--- stdout\n{}--- stderr\n{}",
        ex.line,
        ex.text,
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs a page's examples in a fresh workspace; returns how many ran.
fn run_page(page: &Path) -> usize {
    let name = page
        .strip_prefix(common::bundled())
        .unwrap_or(page)
        .display()
        .to_string();
    let markdown = std::fs::read_to_string(page).expect("the page");
    let examples = examples(&name, &markdown);
    if examples.is_empty() {
        return 0;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let ws = tmp.path().join("ws");
    common::diligence(tmp.path())
        .arg("init")
        .arg(&ws)
        .assert()
        .success();
    // A page that imports from an Open Terms Archive clone gets one, recorded from the
    // fixture's documents (the review walkthrough's Microsoft Copilot terms).
    let ota = markdown
        .contains("$OTA")
        .then(|| copilot_archive(tmp.path()));
    for ex in &examples {
        match &ex.kind {
            Kind::File(path) => {
                let target = ws.join(path);
                std::fs::create_dir_all(target.parent().expect("a folder")).expect("mkdir");
                std::fs::write(target, &ex.text).expect("write the file");
            }
            Kind::Script => {
                let out = shell_with(&ws, "-ec", &ex.text, ota.as_deref());
                assert!(
                    out.status.code() == Some(ex.exit),
                    "{}",
                    failure(&name, ex, &format!("expected exit {}", ex.exit), &out)
                );
            }
            Kind::Transcript => {
                let mut blocks = ex.text.split("\n$ ");
                let first = blocks.next().unwrap_or("");
                assert!(
                    first.starts_with("$ "),
                    "{name}:{}: a transcript starts with `$ `",
                    ex.line
                );
                let first = &first[2..];
                for block in std::iter::once(first).chain(blocks) {
                    let (command, shown) = block.split_once('\n').unwrap_or((block, ""));
                    let out = shell_with(&ws, "-c", command, ota.as_deref());
                    assert!(
                        out.status.code() == Some(ex.exit),
                        "{}",
                        failure(
                            &name,
                            ex,
                            &format!("`{command}`: expected exit {}", ex.exit),
                            &out
                        )
                    );
                    let text = format!(
                        "{}{}",
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    );
                    let mut actual = text.lines();
                    for line in shown.lines().filter(|l| l.trim() != "...") {
                        assert!(
                            actual.any(|a| matches(line, a)),
                            "{}",
                            failure(
                                &name,
                                ex,
                                &format!("`{command}`: no line (in order) matches {line:?}"),
                                &out
                            )
                        );
                    }
                }
            }
        }
    }
    examples.len()
}

fn pages() -> Vec<PathBuf> {
    let root = common::bundled();
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

#[test]
fn every_runnable_example_of_the_manual_runs() {
    // Pages are independent (a workspace each): run them side by side.
    let pages = pages();
    let ran: usize = std::thread::scope(|scope| {
        let runs: Vec<_> = pages
            .iter()
            .map(|p| scope.spawn(move || run_page(p)))
            .collect();
        runs.into_iter()
            .map(|run| run.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .sum()
    });
    assert!(ran >= 20, "only {ran} examples are marked runnable");
}

#[test]
fn every_page_of_the_manual_is_in_its_index_and_every_local_link_resolves() {
    let root = common::bundled();
    let index = std::fs::read_to_string(root.join("docs/README.md")).expect("docs/README.md");
    for page in pages() {
        let name = page.file_name().unwrap().to_str().unwrap().to_string();
        let dir = page.parent().unwrap();
        if dir == root.join("docs") && name != "README.md" {
            assert!(
                index.contains(&format!("({name})")),
                "docs/README.md does not link {name}"
            );
        }
        let text = prose(&std::fs::read_to_string(&page).unwrap());
        for link in text.split("](").skip(1).filter_map(|s| s.split(')').next()) {
            if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let file = link.split('#').next().unwrap();
            assert!(
                dir.join(file).exists(),
                "{}: link to {link}, which does not exist",
                page.display()
            );
        }
    }
}

/// A page without its code (fenced blocks and inline code), where links are only examples.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            let outside: String = line.split('`').step_by(2).collect();
            out.push_str(&outside);
            out.push('\n');
        }
    }
    out
}

#[test]
fn transcript_lines_match_with_gaps() {
    assert!(matches("a ... c", "a b c"));
    assert!(matches("exact", "exact  "));
    assert!(!matches("a ... c", "a b d"));
    assert!(!matches("abc", "abcd"));
    assert!(matches("...tail", "head and tail"));
}

/// A versions repository, laid out as Open Terms Archive's, recording the documents of
/// `tests/fixtures/ota-copilot` one commit each on the dates the archive recorded them.
fn copilot_archive(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("ota");
    let service = repo.join("Microsoft Copilot");
    std::fs::create_dir_all(&service).expect("mkdir");
    let git = |args: &[&str], date: Option<&str>| common::archive_git(&repo, args, date);
    git(&["init", "-q"], None);
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ota-copilot/Microsoft Copilot");
    for (file, date) in [
        ("Privacy Policy.md", "2026-08-03T22:34:13Z"),
        ("Terms of Service.md", "2026-08-17T22:33:48Z"),
    ] {
        std::fs::copy(fixture.join(file), service.join(file)).expect("copy the document");
        git(&["add", "-A"], None);
        let subject = format!(
            "First record of Microsoft Copilot {}",
            file.trim_end_matches(".md")
        );
        git(&["commit", "-q", "-m", &subject], Some(date));
    }
    repo
}
