//! Robustness: hostile rules, hostile YAML, paths, determinism. Every input here is one a
//! pull request from outside the security team could contain.

use crate::common;

use common::{TODAY, Ws, bundled, capped, diligence, evaluate_json, measured, profile_with_facts};
use std::path::Path;
use std::time::{Duration, Instant};

/// A hang guard, not a benchmark: a hostile input that is not stopped would run forever. Long
/// enough for a loaded machine; what a run costs is asserted by its memory and its work.
const HANG_GUARD: Duration = Duration::from_secs(120);

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// This run's peak resident memory, in MB.
    peak_mb: f64,
    /// This run's CPU time (user + system).
    cpu: Duration,
}

fn run(cmd: &mut std::process::Command) -> Outcome {
    let start = Instant::now();
    let m = measured(cmd, HANG_GUARD);
    Outcome {
        code: m.output.status.code(),
        stdout: String::from_utf8_lossy(&m.output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&m.output.stderr).into_owned(),
        elapsed: start.elapsed(),
        peak_mb: m.peak_mb,
        cpu: m.cpu,
    }
}

fn hostile_corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut rules: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rhai"))
        // Within every per-evaluation limit: tests/run_budget.rs runs it across a portfolio.
        .filter(|p| !p.ends_with("findings-flood.rhai"))
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
    let mut peak: f64 = 0.0;
    for (id, text) in hostile_corpus() {
        let ws = Ws::new();
        ws.write(&format!("scripts/{id}.rhai"), &text);
        let out = run(ws
            .command()
            .args(["evaluate", "--format", "json", "--today", TODAY]));
        peak = peak.max(out.peak_mb);
        assert_eq!(out.code, Some(2), "{id}: {}", out.stderr);
        // A rule that does not compile stops the run before any output; one that fails while
        // running leaves the report, with its cells as `error` and nothing else on stdout.
        if !out.stdout.is_empty() {
            let report = common::inline_evidence(
                serde_json::from_str(&out.stdout)
                    .unwrap_or_else(|e| panic!("{id}: stdout is the JSON report only: {e}")),
            );
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
    eprintln!(
        "hostile rules:\n  {}\npeak child RSS: {peak:.0} MB",
        report.join("\n  ")
    );
    assert!(peak < 200.0, "peak memory {peak:.0} MB");
}

#[test]
fn closure_and_curry_bombs_are_error_cells_under_a_two_gigabyte_cap() {
    for id in ["curry-doubling", "closure-chain", "closure-chain-uncalled"] {
        let text = &hostile_corpus()
            .into_iter()
            .find(|(i, _)| i == id)
            .expect(id)
            .1;
        let ws = Ws::new();
        ws.write(&format!("scripts/{id}.rhai"), text);
        for args in [
            &["check", "--today", TODAY][..],
            &["evaluate", "--format", "json", "--today", TODAY],
            &["test"],
        ] {
            let out = capped(ws.path(), args).output;
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.code().is_some(),
                "{id} {args:?}: killed by a signal: {stderr}"
            );
            if args[0] == "test" {
                continue;
            }
            assert_eq!(out.status.code(), Some(2), "{id} {args:?}: {stderr}");
            assert!(
                stderr.contains(&format!("scripts/{id}.rhai:")),
                "{id} {args:?}: {stderr}"
            );
            if args[0] == "evaluate" {
                let report = common::inline_evidence(serde_json::from_slice(&out.stdout).unwrap());
                assert!(
                    report["results"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|c| c["verdict"] == "error"),
                    "{id}: {report}"
                );
            }
        }
    }
}

#[test]
fn hostile_rules_name_what_went_wrong() {
    // Under load, the wall-clock deadline may stop a runaway rule before its operation or size
    // limit does: either is a correct stop.
    const STOPPED: &str = "(stopped)";
    let expect: [(&str, &[&str]); 17] = [
        ("curry-doubling", &["more than 16384 values"]),
        ("closure-chain", &["nested more than 16 deep"]),
        ("closure-chain-uncalled", &["nested more than 16 deep"]),
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
        ("replace-multiply", &["grew past its limit"]),
        ("read-clock", &["timestamp"]),
    ];
    let corpus = hostile_corpus();
    for (id, needles) in expect {
        let text = &corpus.iter().find(|(i, _)| i == id).expect(id).1;
        let ws = Ws::new();
        ws.write(&format!("scripts/{id}.rhai"), text);
        let out = run(ws.command().arg("evaluate"));
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
    let out = run(ws.command().args(["check", "--today", TODAY]));
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
    let out = run(ws.command().arg("check"));
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
    let out = run(ws.command().args(["evaluate", "--format", "json"]));
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
    yaml_fails(
        b"vendor: acme\nvendor: acme\n",
        "vendors/acme/profile.yaml:2:1: error: duplicate mapping key `vendor`\n",
    );
}

#[test]
fn a_fifty_megabyte_yaml_file_is_refused_unread() {
    let ws = Ws::new();
    let path = ws.path().join("vendors/acme/profile.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let out = run(ws.command().arg("check"));
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
    let out = run(ws.command().arg("check"));
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

// ---- Inputs that mean something else ----

#[test]
fn ids_that_read_as_the_same_text_are_refused_where_they_repeat() {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "  api:\n",
        "  1:\n    name: One\n    tier: api\n  \"1\":\n",
    );
    let out = run(ws
        .command()
        .args(["evaluate", "--format", "json", "--today", TODAY]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "vendors/acme/profile.yaml:14:3: error: duplicate mapping key `1`: as text it is the same as the key on line 11, column 3"
        ),
        "{}",
        out.stderr
    );

    // A source, a class and a tag: the same refusal at the second key's line and column.
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "  terms:\n",
        "  7:\n    title: Other\n    authority: third_party\n    snapshot: sources/terms.md\n  \"7\":\n    title: Acme Terms\n    authority: contract\n    snapshot: sources/terms.md\n  terms:\n",
    );
    ws.write(
        "policies/default.yaml",
        &common::POLICY
            .replace(
                "  public: {}\n",
                "  2: {}\n  '2': {require: {dpa: true}}\n  public: {}\n",
            )
            .replace("  phi:", "  0x1: {}\n  '1': {}\n  phi:"),
    );
    let out = run(ws.command().args(["check", "--today", TODAY]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    for needle in [
        "vendors/acme/profile.yaml:9:3: error: duplicate mapping key `7`: as text it is the same as the key on line 5, column 3",
        "policies/default.yaml:5:3: error: duplicate mapping key `2`: as text it is the same as the key on line 4, column 3",
    ] {
        assert!(out.stderr.contains(needle), "{needle}\n{}", out.stderr);
    }
}

#[test]
fn a_changed_snapshot_is_in_the_reports_warnings() {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "snapshot: sources/terms.md",
        "snapshot: sources/terms.md\n    sha256: 0000000000000000000000000000000000000000000000000000000000000000",
    );
    let out = run(ws
        .command()
        .args(["evaluate", "--format", "json", "--today", TODAY]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let warnings = v["warnings"].as_array().expect("warnings");
    assert!(
        warnings.iter().any(|w| w.as_str().is_some_and(|w| w.starts_with(
            "vendors/acme/profile.yaml:5:3: source `terms`: snapshot sources/terms.md changed since review"
        ))),
        "{warnings:?}"
    );
    // Said once on stderr, with its hint.
    assert_eq!(
        out.stderr.matches("changed since review").count(),
        1,
        "{}",
        out.stderr
    );
}

// ---- Cost inside the documented limits ----

#[test]
fn a_chain_of_ten_thousand_classes_loads_in_linear_time() {
    let ws = Ws::new();
    let mut policy = String::from(
        "organization: Chain\nclassifications:\n  c0: {require: {no_training: true}}\n",
    );
    for i in 1..10_000 {
        policy.push_str(&format!("  c{i}: {{inherits: c{}}}\n", i - 1));
    }
    ws.write("policies/default.yaml", &policy);
    let out = run(ws.command().args([
        "evaluate", "--class", "c9999", "--format", "json", "--today", TODAY,
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let v = common::inline_evidence(serde_json::from_str(&out.stdout).unwrap());
    assert_eq!(v["results"][0]["verdict"], "go", "{v}");
    eprintln!(
        "10,000 inheriting classes (cubic before: 4,000 took 79 s): {:?}",
        out.elapsed
    );
    let peak = out.peak_mb;
    assert!(peak < 200.0, "peak memory {peak:.0} MB");
}

#[test]
fn a_cycle_through_ten_thousand_classes_is_one_short_error() {
    // Before: an error per class of the cycle, each naming every class (quadratic: a
    // 30,000-class cycle passed 21 GB).
    let ws = Ws::new();
    let n = 10_000;
    let mut policy = String::from("organization: Cycle\nclassifications:\n");
    for i in 0..n {
        policy.push_str(&format!("  c{i}: {{inherits: c{}}}\n", (i + 1) % n));
    }
    ws.write("policies/default.yaml", &policy);
    let out = run(ws.command().args([
        "evaluate", "--class", "c0", "--format", "json", "--today", TODAY,
    ]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains(
            "policies/default.yaml:3:18: error: classification `c0` inherits from itself (c0 -> c1 -> c2 -> c3 -> c4 -> c5 -> c6 -> c7 -> … 9992 more -> c0)"
        ),
        "{}",
        &out.stderr[..out.stderr.len().min(2000)]
    );
    assert_eq!(out.stderr.matches("inherits from itself").count(), 1);
    eprintln!("a 10,000-class inheritance cycle: {:?}", out.elapsed);
    let peak = out.peak_mb;
    assert!(peak < 200.0, "peak memory {peak:.0} MB");
}

/// `evaluate` on a policy of `n` classes that each inherit an unknown one.
fn unknown_parents(n: usize) -> Outcome {
    let ws = Ws::new();
    let mut policy = String::from("organization: Typos\nclassifications:\n");
    for i in 0..n {
        policy.push_str(&format!("  c{i}: {{inherits: zz{i}}}\n"));
    }
    ws.write("policies/default.yaml", &policy);
    let out = run(ws.command().args([
        "evaluate", "--class", "c0", "--format", "json", "--today", TODAY,
    ]));
    let head = &out.stderr[..out.stderr.len().min(2000)];
    assert_eq!(out.code, Some(2), "{head}");
    assert_eq!(
        out.stderr
            .matches("inherits unknown classification")
            .count(),
        n,
        "one error per class"
    );
    out
}

#[test]
fn twenty_thousand_unknown_parents_cost_linear_time() {
    // Before: each error searched every class for a near name, listed every class in its hint
    // and re-read the policy for its snippet (30,000 took 90 s). The cost is compared between
    // two sizes of the same run, in CPU time (the machine's load does not change a ratio of
    // work done) and in bytes written.
    let n = 20_000;
    let quarter = unknown_parents(n / 4);
    let out = unknown_parents(n);
    assert!(
        out.stderr.contains(
            "policies/default.yaml:20002:22: error: classification `c19999` inherits unknown classification `zz19999`"
        ),
        "the last one is reported too"
    );
    assert!(
        out.stderr.contains(
            "= hint: classifications are: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, … (19980 more)\n"
        ),
        "{}",
        &out.stderr[..out.stderr.len().min(2000)]
    );
    // Four times the classes: about four times the work (a fixed start-up cost makes it
    // less); quadratic work would be sixteen times.
    let bytes = out.stderr.len() as f64 / quarter.stderr.len() as f64;
    assert!(bytes < 5.0, "4x the classes wrote {bytes:.1}x the bytes");
    let cpu = out.cpu.as_secs_f64() / quarter.cpu.as_secs_f64().max(0.001);
    eprintln!(
        "unknown parents: {} in {:?} CPU, {n} in {:?} CPU ({cpu:.1}x), peak {:.0} MB",
        n / 4,
        quarter.cpu,
        out.cpu,
        out.peak_mb
    );
    assert!(cpu < 8.0, "4x the classes took {cpu:.1}x the CPU time");
    assert!(out.peak_mb < 200.0, "peak memory {:.0} MB", out.peak_mb);
}

#[test]
fn a_two_megabyte_vendor_name_is_not_copied_into_every_row() {
    // Before: CSV copied a 1.9 MB name into every row, a 10 GB allocation and an abort.
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "name: Acme AI",
        &format!("name: {}", "A".repeat(1_900_000)),
    );
    let mut peak: f64 = 0.0;
    for format in ["csv", "table", "json"] {
        let out = run(ws
            .command()
            .args(["evaluate", "--format", format, "--today", TODAY]));
        assert_eq!(out.code, Some(0), "{format}: {}", out.stderr);
        eprintln!("1.9 MB vendor name, {format}: {:?}", out.elapsed);
        peak = peak.max(out.peak_mb);
    }
    assert!(peak < 200.0, "peak memory {peak:.0} MB");
}

// ---- Reads outside the workspace ----

#[cfg(unix)]
#[test]
fn no_workspace_file_is_read_through_a_link_out_of_the_workspace() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "SECRET_TOKEN=hunter2 let x = 1;\n").unwrap();
    for rel in [
        "scripts/training.rhai",
        "vendors/acme/profile.yaml",
        "policies/default.yaml",
        "scripts/training.test.yaml",
    ] {
        let ws = Ws::new();
        let path = ws.path().join(rel);
        let _ = std::fs::remove_file(&path);
        symlink(&secret, &path).unwrap();
        let out = run(ws.command().args(["check", "--today", TODAY]));
        let test = run(ws.command().arg("test"));
        for out in [&out, &test] {
            assert!(
                !out.stderr.contains("hunter2") && !out.stdout.contains("hunter2"),
                "{rel}: {}",
                out.stderr
            );
        }
        // `check` reads rules, profiles and policies; `test` reads rules, their tests and the
        // policy.
        let out = if rel.ends_with(".test.yaml") {
            test
        } else {
            out
        };
        assert_eq!(out.code, Some(2), "{rel}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!(
                "{rel}: error: {rel} leads outside the workspace (through a link): it is not read"
            )),
            "{rel}: {}",
            out.stderr
        );
    }
    // The environment of the process itself.
    let ws = Ws::new();
    let policy = ws.path().join("policies/default.yaml");
    std::fs::remove_file(&policy).unwrap();
    symlink("/proc/self/environ", &policy).unwrap();
    let out = run(ws.command().env("CI_SECRET", "hunter2").arg("check"));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_workspace_is_read() {
    let ws = Ws::new();
    ws.write("shared/training.rhai", common::RULE);
    let rule = ws.path().join("scripts/training.rhai");
    std::fs::remove_file(&rule).unwrap();
    std::os::unix::fs::symlink("../shared/training.rhai", &rule).unwrap();
    let out = run(ws.command().args(["check", "--today", TODAY]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn every_entry_that_is_not_read_is_reported() {
    let ws = Ws::new();
    ws.write("vendors/beta/profile.yml", "vendor: beta\n");
    ws.write("policies/strict.yml", common::POLICY);
    ws.write("scripts/retention.rhia", common::RULE);
    std::fs::create_dir_all(ws.path().join("vendors/gamma/profile.yaml")).unwrap();
    std::fs::create_dir_all(ws.path().join("vendors/delta")).unwrap();
    std::os::unix::fs::symlink("/dev/null", ws.path().join("vendors/delta/profile.yaml")).unwrap();
    let fifo =
        std::ffi::CString::new(ws.path().join("scripts/pipe.rhai").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    // A name that is not UTF-8 (Linux file names are bytes).
    use std::os::unix::ffi::OsStrExt;
    let latin1 = std::ffi::OsStr::from_bytes(b"r\xe9tention.rhai");
    std::fs::write(ws.path().join("scripts").join(latin1), common::RULE).unwrap();
    let out = run(ws.command().args(["check", "--today", TODAY]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    for needle in [
        "vendors/beta/profile.yml: warning: vendors/beta/profile.yml is not a vendor profile: it is skipped",
        "rename it to vendors/beta/profile.yaml",
        "policies/strict.yml: warning: policies/strict.yml is not a policy: it is skipped",
        "rename it to policies/strict.yaml",
        "scripts/retention.rhia: warning: scripts/retention.rhia is neither a rule (.rhai) nor a rule test (.test.yaml): it is skipped",
        "vendors/gamma/profile.yaml: error: vendors/gamma/profile.yaml is a folder: it is not read",
        "vendors/delta/profile.yaml: error: vendors/delta/profile.yaml leads outside the workspace",
        "scripts/pipe.rhai: error: scripts/pipe.rhai is not a regular file (a device, FIFO or socket): it is not read",
        "scripts/r\u{fffd}tention.rhai: warning: scripts/r\u{fffd}tention.rhai has a name that is not valid UTF-8: it is skipped",
    ] {
        assert!(out.stderr.contains(needle), "{needle}\n{}", out.stderr);
    }
}

#[test]
fn a_workspace_with_no_rules_is_an_error() {
    let ws = Ws::new();
    std::fs::remove_file(ws.path().join("scripts/training.rhai")).unwrap();
    let out = run(ws
        .command()
        .args(["evaluate", "--format", "json", "--today", TODAY]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("scripts: error: no rules in scripts/: every offering would be `go`"),
        "{}",
        out.stderr
    );
}

// ---- Writes outside the target ----

#[cfg(unix)]
#[test]
fn init_force_never_writes_through_a_link() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let init = |dir: &Path| run(common::program().arg("init").arg(dir).arg("--force"));
    // A dangling link where a file would go: kept, and nothing is created at its target.
    symlink(
        outside.path().join("planted.md"),
        target.path().join("README.md"),
    )
    .unwrap();
    let out = init(target.path());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!outside.path().join("planted.md").exists());
    assert!(
        target
            .path()
            .join("scripts/training-on-inputs.rhai")
            .is_file()
    );
    assert!(out.stderr.contains("kept existing"), "{}", out.stderr);

    // A folder that is a link to a folder elsewhere: refused, nothing written anywhere.
    let target = tempfile::tempdir().unwrap();
    symlink(outside.path(), target.path().join("scripts")).unwrap();
    let out = init(target.path());
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("scripts is a link: diligence does not write through links"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert!(!target.path().join("policies").exists());
}

// ---- --output respects what is at the path ----

fn evaluate_to(ws: &Ws, target: &Path) -> Outcome {
    run(ws
        .command()
        .args(["evaluate", "--format", "json", "--today", TODAY, "--output"])
        .arg(target))
}

#[cfg(unix)]
#[test]
fn output_writes_through_devices_and_fifos_and_keeps_links() {
    use std::os::unix::fs::FileTypeExt;
    let ws = Ws::new();
    // A device is written through, never replaced by a regular file.
    let out = evaluate_to(&ws, Path::new("/dev/null"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    let out = evaluate_to(&ws, Path::new("/dev/full"));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("cannot write to /dev/full: No space left on device"),
        "{}",
        out.stderr
    );
    assert!(
        std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    // A FIFO: the reader gets the report, and the FIFO stays a FIFO.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = evaluate_to(&ws, &fifo);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let received = reader.join().unwrap();
    assert!(received.contains("\"results\""), "{received}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // A link stays a link; the file it points to gets the report.
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old\n").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = evaluate_to(&ws, &link);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("\"results\"")
    );

    // A dangling link is refused, and nothing is created where it points.
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(dir.path().join("nowhere.json"), &dangling).unwrap();
    let out = evaluate_to(&ws, &dangling);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("is a link to a file that does not exist"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("nowhere.json").exists());
    let debris: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".diligence-"))
        .collect();
    assert!(debris.is_empty(), "{debris:?}");
}

#[test]
fn output_into_the_workspaces_own_folders_is_refused() {
    let ws = Ws::new();
    for rel in [
        "scripts/new.rhai",
        "vendors/acme/report.json",
        "policies/review.yaml",
    ] {
        let out = evaluate_to(&ws, &ws.path().join(rel));
        assert_eq!(out.code, Some(2), "{rel}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("would replace an input file or become one"),
            "{rel}: {}",
            out.stderr
        );
        assert!(!ws.path().join(rel).exists(), "{rel} was written");
    }
    let out = run(ws.command().args(["check", "--today", TODAY]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

/// Sends `signal` to a long `evaluate --output` run once its temporary file exists, and
/// checks that the run leaves nothing behind.
#[cfg(unix)]
fn interrupted_run_leaves_no_debris(signal: i32) {
    let ws = Ws::new();
    // Slow on purpose (well within every limit): many offerings, a busy rule.
    ws.write(
        "scripts/busy.rhai",
        "//! Busy\n//! Spends time.\nlet n = 0;\nfor i in 0..20000 { n += i; }\npass(`${n}`);\n",
    );
    for i in 0..60 {
        let id = format!("acme{i}");
        ws.write(
            &format!("vendors/{id}/profile.yaml"),
            &common::PROFILE.replace("vendor: acme", &format!("vendor: {id}")),
        );
        ws.write(&format!("vendors/{id}/sources/terms.md"), common::SNAPSHOT);
    }
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("review.json");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("diligence"))
        .arg("-C")
        .arg(ws.path())
        .args(["evaluate", "--format", "json", "--today", TODAY, "--output"])
        .arg(&report)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temporary = || {
        std::fs::read_dir(out_dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().starts_with(".diligence-"))
    };
    let start = Instant::now();
    while !temporary() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before its temporary file was seen"
        );
        assert!(start.elapsed() < HANG_GUARD, "no temporary file appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: kill sends a signal to the child we started.
    unsafe { libc::kill(child.id() as i32, signal) };
    let status = child.wait().unwrap();
    assert!(!status.success(), "{status:?}");
    let left: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "debris after signal {signal}: {left:?}");
}

#[cfg(unix)]
#[test]
fn a_killed_output_run_leaves_no_temporary_file() {
    interrupted_run_leaves_no_debris(libc::SIGTERM);
    interrupted_run_leaves_no_debris(libc::SIGINT);
}

// ---- Rules checked before they run ----

#[test]
fn check_finds_misspellings_in_branches_no_vendor_reaches() {
    let ws = Ws::new();
    ws.write(
        "scripts/careless.rhai",
        "//! Careless\n//! Misspellings where no bundled vendor goes.\nlet t = fact(\"training_on_inputs\");\nif vendor.id == \"nobody\" {\n    if t == \"nevr\" { condtion(\"m\", \"a\"); }\n    if known(\"retention_dys\") && require.max_retention_dys != () { pass(\"x\"); }\n}\n",
    );
    let out = run(ws.command().args(["check", "--today", TODAY]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    for needle in [
        "scripts/careless.rhai:5:13: error: `nevr` is never a value of fact `training_on_inputs`",
        "did you mean `never`?",
        "scripts/careless.rhai:5:22: error: unknown function `condtion`",
        "did you mean `condition`?",
        "scripts/careless.rhai:6:14: error: unknown fact `retention_dys`",
        "did you mean `retention_days`?",
        "scripts/careless.rhai:6:42: error: unknown requirement `require.max_retention_dys`",
        "did you mean `max_retention_days`?",
    ] {
        assert!(out.stderr.contains(needle), "{needle}\n{}", out.stderr);
    }
}

#[test]
fn check_finds_a_misspelt_switch_case_on_a_fact() {
    // `switch` compares its cases with the fact's value as `==` does.
    let ws = Ws::new();
    ws.write(
        "scripts/careless.rhai",
        "//! Careless\n//! A misspelt case.\nlet t = fact(\"training_on_inputs\");\nswitch t {\n    \"never\" | \"nevr\" => pass(\"no training\"),\n    _ => ()\n}\n",
    );
    let out = run(ws.command().args(["check", "--today", TODAY]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    for needle in [
        "scripts/careless.rhai:5:15: error: `nevr` is never a value of fact `training_on_inputs`",
        "did you mean `never`?",
    ] {
        assert!(out.stderr.contains(needle), "{needle}\n{}", out.stderr);
    }
}

#[test]
fn a_finding_raised_through_a_computed_function_pointer_is_refused() {
    // `--coverage` counts the finding calls written in the rule: a block raised through
    // `Fn("blo" + "ck")` would be invisible to it, so such a rule is refused when compiled.
    let ws = Ws::new();
    ws.write(
        "scripts/sneaky.rhai",
        "//! Sneaky\n//! Hides a block.\nlet f = Fn(\"blo\" + \"ck\");\nf.call(\"m\", \"a\");\n",
    );
    let out = run(ws.command().args(["test", "--coverage"]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("scripts/sneaky.rhai:3:9: error: `Fn(...)` with a computed name"),
        "{}",
        out.stderr
    );
}

/// Intake writes only inside the workspace: a vendor's `sources/` (or the vendor folder) that
/// is a link to a folder outside it is refused, nothing is written there, and the profile is
/// unchanged.
#[cfg(unix)]
#[test]
fn intake_never_writes_through_a_link_out_of_the_workspace() {
    let ws = Ws::new();
    let outside = tempfile::tempdir().expect("temp dir");
    ws.write(
        "inbox/notes.md",
        "# Notes\n\nAcme keeps logs for 30 days.\n",
    );
    let profile = ws.read("vendors/acme/profile.yaml");
    std::fs::rename(
        ws.path().join("vendors/acme/sources"),
        outside.path().join("moved"),
    )
    .expect("sources moved out");
    std::os::unix::fs::symlink(outside.path(), ws.path().join("vendors/acme/sources"))
        .expect("link");
    std::os::unix::fs::symlink(outside.path(), ws.path().join("vendors/newco")).expect("link");
    for vendor in ["acme", "newco"] {
        let out = ws
            .cmd()
            .args(["snapshot", vendor, "notes"])
            .arg(ws.path().join("inbox/notes.md"))
            .args(["--authority", "docs", "--title", "Notes"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{vendor}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("leads outside the workspace (through a link)"),
            "{vendor}: {stderr}"
        );
        let written: Vec<String> = std::fs::read_dir(outside.path())
            .expect("outside folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            written,
            vec!["moved".to_string()],
            "{vendor}: nothing written outside"
        );
    }
    assert_eq!(ws.read("vendors/acme/profile.yaml"), profile);
}

#[test]
fn the_bundled_certifications_rule_reads_thousands_of_certifications() {
    // Past every size limit a rule's own values have (4,096 array items, 1,024 map entries):
    // the profile may list that many, and the bundled rule must still decide.
    let ws = Ws::new();
    ws.only_bundled_rule("certifications");
    ws.write(
        "policies/default.yaml",
        "organization: Test Org\nclassifications:\n  confidential: {require: {certifications: [SOC 2 Type II, ISO 27001]}}\n",
    );
    let mut list = String::new();
    let mut named = Vec::new();
    for i in 0..5_000 {
        list.push_str(&format!(
            "            - {{name: Audit scheme {i}, scope: all services, expires: 2027-06-30}}\n"
        ));
        named.push(format!("Audit scheme {i}"));
    }
    list.push_str("            - {name: soc2 type-ii, scope: all services, expires: 2028-01-31}\n");
    named.push("soc2 type-ii".to_string());
    // The claim's quote names every certificate, as a trust centre's list does: `check` reads
    // each listed certificate in it.
    let quote = format!("Acme holds {}.", named.join(", "));
    let terms = std::fs::read_to_string(ws.path().join("vendors/acme/sources/terms.md")).unwrap();
    ws.write(
        "vendors/acme/sources/terms.md",
        &format!("{terms}\n## 9. Certifications\n\n{quote}\n"),
    );
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&format!(
            "      certifications:\n        - value:\n{list}          source: terms\n          section: \"9\"\n          quote: \"{quote}\"\n"
        )),
    );
    let v = evaluate_json(ws.path(), &[]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "hold", "{}", r["errors"]);
    let messages: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"SOC 2 Type II is held until 2028-01-31."),
        "{messages:?}"
    );
    let missing = messages
        .iter()
        .find(|m| m.starts_with("ISO 27001 is not among"))
        .expect("a hold for the missing certification");
    assert!(
        missing.contains("Audit scheme 0, Audit scheme 1") && missing.len() < 1_000,
        "{missing}"
    );
}
