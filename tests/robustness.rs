//! Robustness: hostile rules, hostile YAML, paths, determinism. Every input here is one a
//! pull request from outside the security team could contain.

mod common;

use common::{TODAY, Ws, bundled, diligence};
use std::path::Path;
use std::time::{Duration, Instant};

/// A hang guard, not a benchmark: a hostile input that is not stopped would run forever.
const HANG_GUARD: Duration = Duration::from_secs(20);

/// Largest resident memory of any child process this test binary has waited for, in MB.
fn peak_child_rss_mb() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as f64 / 1024.0
}

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn run(cmd: &mut assert_cmd::Command) -> Outcome {
    let start = Instant::now();
    let out = cmd.timeout(HANG_GUARD).output().expect("runs");
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

fn hostile_corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut rules: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rhai"))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    rules.push((
        "deep-parentheses".into(),
        format!(
            "//! Hostile: 5,000-deep parentheses\nlet x = {}1{};\n",
            "(".repeat(5000),
            ")".repeat(5000)
        ),
    ));
    rules.sort();
    rules
}

#[test]
fn every_hostile_rule_is_stopped_with_a_located_error() {
    let mut report = Vec::new();
    for (id, text) in hostile_corpus() {
        let ws = Ws::new();
        ws.write(&format!("scripts/{id}.rhai"), &text);
        let out = run(ws
            .cmd()
            .args(["evaluate", "--format", "json", "--today", TODAY]));
        assert_eq!(out.code, Some(2), "{id}: {}", out.stderr);
        // A rule that does not compile stops the run before any output; one that fails while
        // running leaves the report, with its cells as `error` and nothing else on stdout.
        if !out.stdout.is_empty() {
            let report: serde_json::Value = serde_json::from_str(&out.stdout)
                .unwrap_or_else(|e| panic!("{id}: stdout is the JSON report only: {e}"));
            let cells = report["results"].as_array().expect("results");
            assert!(
                cells
                    .iter()
                    .all(|c| c["verdict"] == "error" && c["errors"][0]["rule"] == id.as_str()),
                "{id}: every cell names the failed rule: {report}"
            );
        }
        assert!(
            out.stderr.contains(&format!("scripts/{id}.rhai:")),
            "{id}: the error must name the rule file and line: {}",
            out.stderr
        );
        report.push(format!(
            "{id}: {:?} ({})",
            out.elapsed,
            out.stderr.lines().next().unwrap_or("")
        ));
    }
    let peak = peak_child_rss_mb();
    eprintln!(
        "hostile rules:\n  {}\npeak child RSS: {peak:.0} MB",
        report.join("\n  ")
    );
    assert!(peak < 200.0, "peak memory {peak:.0} MB");
}

#[test]
fn hostile_rules_name_what_went_wrong() {
    // Under load, the wall-clock deadline may stop a runaway rule before its operation or size
    // limit does: either is a correct stop.
    const STOPPED: &str = "(stopped)";
    let expect: [(&str, &[&str]); 12] = [
        ("endless-loop", &["operations", STOPPED]),
        ("unbounded-recursion", &["nested deeper than", STOPPED]),
        ("string-doubling", &["grew past its limit", STOPPED]),
        ("array-growth", &["grew past its limit", STOPPED]),
        // Rhai checks map sizes lazily; the deadline usually stops it first.
        ("map-growth", &["grew past its limit", STOPPED]),
        ("eval", &["rule does not compile"]),
        ("import-file", &["rule does not compile"]),
        ("modify-vendor", &["vendor"]),
        ("modify-require", &["require"]),
        ("print-megabyte", &["printed more than 64 KiB", STOPPED]),
        ("million-findings", &["more than 256 findings"]),
        ("deep-parentheses", &["rule does not compile"]),
    ];
    let corpus = hostile_corpus();
    for (id, needles) in expect {
        let text = &corpus.iter().find(|(i, _)| i == id).expect(id).1;
        let ws = Ws::new();
        ws.write(&format!("scripts/{id}.rhai"), text);
        let out = run(ws.cmd().arg("evaluate"));
        assert!(
            needles.iter().any(|n| out.stderr.contains(n)),
            "{id}: expected one of {needles:?} in {}",
            out.stderr
        );
    }
}

#[test]
fn check_reports_every_hostile_rule_and_still_checks_the_rest() {
    let ws = Ws::new();
    for (id, text) in hostile_corpus() {
        ws.write(&format!("scripts/{id}.rhai"), &text);
    }
    ws.edit(
        "vendors/acme/profile.yaml",
        "retention_days:",
        "retention_dayz:",
    );
    let out = run(ws.cmd().args(["check", "--today", TODAY]));
    assert_eq!(out.code, Some(2));
    for (id, _) in hostile_corpus() {
        assert!(
            out.stderr.contains(&format!("scripts/{id}.rhai:")),
            "{id} missing: {}",
            out.stderr
        );
    }
    assert!(
        out.stderr.contains("unknown fact `retention_dayz`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_ten_megabyte_rule_is_refused_unread() {
    let ws = Ws::new();
    let big = format!("//! Big\n{}", "let x = 1;\n".repeat(1_000_000));
    ws.write("scripts/big.rhai", &big);
    let out = run(ws.cmd().arg("check"));
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains(
            "scripts/big.rhai: error: file is 11000008 bytes, more than the 262144-byte limit"
        ),
        "{}",
        out.stderr
    );
}

fn yaml_fails(profile: &[u8], needle: &str) {
    let ws = Ws::new();
    std::fs::write(ws.path().join("vendors/acme/profile.yaml"), profile).unwrap();
    let out = run(ws.cmd().args(["evaluate", "--format", "json"]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("vendors/acme/profile.yaml"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(needle),
        "expected {needle:?} in {}",
        out.stderr
    );
}

#[test]
fn hostile_yaml_is_refused_with_a_location() {
    // Billion laughs: nine levels of ten aliases each.
    let mut laughs = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for i in 1..9u8 {
        let (c, p) = ((b'a' + i) as char, (b'a' + i - 1) as char);
        laughs.push_str(&format!(
            "{c}: &{c} [{}]\n",
            vec![format!("*{p}"); 10].join(", ")
        ));
    }
    yaml_fails(laughs.as_bytes(), "error:");
    let deep = format!("vendor: {}1{}\n", "[".repeat(20_000), "]".repeat(20_000));
    yaml_fails(deep.as_bytes(), "error:");
    yaml_fails(b"vendor: acme\n\tname: Acme\n", "error:");
    yaml_fails(
        b"vendor: acme\nname: \xff\xfe Acme\n",
        "vendors/acme/profile.yaml:2:7: error: file is not valid UTF-8",
    );
    yaml_fails(b"vendor: acme\nname: Ac\0me\n", "error:");
    yaml_fails(
        b"vendor: acme\nname: !!binary aGVsbG8=\noffering: {}\n",
        "error:",
    );
    yaml_fails(b"vendor: &v [*v]\n", "error:");
    yaml_fails(b"vendor: acme\nvendor: acme\n", "duplicate mapping key");
}

#[test]
fn a_fifty_megabyte_yaml_file_is_refused_unread() {
    let ws = Ws::new();
    let path = ws.path().join("vendors/acme/profile.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let out = run(ws.cmd().arg("check"));
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("vendors/acme/profile.yaml: error: file is 52428800 bytes, more than the 2097152-byte limit"), "{}", out.stderr);
}

#[test]
fn windows_line_endings_and_a_bom_load_exactly_as_unix_files() {
    let unix = Ws::new();
    let windows = Ws::new();
    let crlf = |s: &str| format!("\u{feff}{}", s.replace('\n', "\r\n"));
    windows.write("vendors/acme/profile.yaml", &crlf(common::PROFILE));
    windows.write("policies/default.yaml", &crlf(common::POLICY));
    windows.write("scripts/training.rhai", &crlf(common::RULE));
    windows.write("vendors/acme/sources/terms.md", &crlf(common::SNAPSHOT));
    let json = |ws: &Ws| {
        ws.cmd()
            .args(["evaluate", "--format", "json", "--today", TODAY])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(
        String::from_utf8(json(&unix)).unwrap(),
        String::from_utf8(json(&windows)).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn a_snapshot_symlink_out_of_the_workspace_is_refused() {
    let ws = Ws::new();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), common::SNAPSHOT).unwrap();
    let link = ws.path().join("vendors/acme/sources/terms.md");
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(outside.path(), &link).unwrap();
    let out = run(ws.cmd().arg("check"));
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("snapshot `sources/terms.md` leads outside the vendor's sources/ folder"),
        "{}",
        out.stderr
    );
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    for format in ["json", "table"] {
        let mut outputs = Vec::new();
        for threads in ["1", "2", "2"] {
            let out = diligence(&bundled())
                .env("RAYON_NUM_THREADS", threads)
                .args(["evaluate", "--format", format, "--today", TODAY])
                .assert()
                .success()
                .get_output()
                .stdout
                .clone();
            outputs.push(out);
        }
        assert!(
            outputs.windows(2).all(|w| w[0] == w[1]),
            "{format} output differs between runs"
        );
    }
}

#[test]
fn a_broken_pipe_is_not_an_error() {
    // `diligence evaluate | head -c 10`: the reader goes away early.
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("diligence"))
        .arg("-C")
        .arg(bundled())
        .args(["evaluate", "--format", "json", "--today", TODAY])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
