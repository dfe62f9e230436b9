//! Streaming, partitions and threads: `--format jsonl` carries exactly the JSON contract's
//! results, split portfolios add up to one run, and the thread count never changes a byte.

use crate::common;

use common::{TODAY, bundled, diligence};
use serde_json::Value;
use std::path::Path;

/// `evaluate --format FORMAT` on `threads` threads; the run must succeed. Returns stdout.
fn evaluate(dir: &Path, format: &str, extra: &[&str], threads: &str) -> Vec<u8> {
    let out = diligence(dir)
        .env("RAYON_NUM_THREADS", threads)
        .args(["evaluate", "--format", format, "--today", TODAY])
        .args(extra)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn jsonl(dir: &Path, extra: &[&str], threads: &str) -> String {
    String::from_utf8(evaluate(dir, "jsonl", extra, threads)).expect("utf-8")
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort();
    lines
}

#[test]
fn jsonl_lines_are_the_results_of_the_json_contract() {
    let out = diligence(&bundled())
        .args(["evaluate", "--format", "json", "--today", TODAY])
        .output()
        .expect("runs");
    // Both read with their evidence inline: lines say their version, the document once.
    let json: Value = common::inline_evidence(serde_json::from_slice(&out.stdout).expect("json"));
    let results = json["results"].as_array().expect("results");
    let text = jsonl(&bundled(), &[], "2");
    let lines: Vec<Value> = common::jsonl_results(&text);
    assert!(!lines.is_empty());
    assert_eq!(&lines, results);
}

#[test]
fn jsonl_goes_to_the_output_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("review.jsonl");
    let file_arg = file.to_str().expect("utf-8 path");
    let stdout = jsonl(&bundled(), &["-o", file_arg], "2");
    assert!(stdout.is_empty(), "nothing on stdout with -o");
    let written = std::fs::read_to_string(&file).expect("file written");
    assert_eq!(written, jsonl(&bundled(), &[], "2"));
}

#[test]
fn partitions_concatenated_and_sorted_equal_one_run() {
    let whole = jsonl(&bundled(), &[], "2");
    for n in [1, 2, 3, 7] {
        let mut parts = String::new();
        let mut vendors_seen: Vec<String> = Vec::new();
        for k in 1..=n {
            let part = jsonl(&bundled(), &["--partition", &format!("{k}/{n}")], "2");
            // A vendor is never split between partitions.
            let mut vendors: Vec<String> = part
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).expect("json")["vendor"].to_string())
                .collect();
            vendors.dedup();
            for v in &vendors {
                assert!(!vendors_seen.contains(v), "{v} in two partitions of {n}");
            }
            vendors_seen.extend(vendors);
            parts.push_str(&part);
        }
        assert_eq!(sorted_lines(&parts), sorted_lines(&whole), "{n} partitions");
    }
}

#[test]
fn outputs_are_byte_identical_on_one_and_two_threads() {
    assert_eq!(jsonl(&bundled(), &[], "1"), jsonl(&bundled(), &[], "2"));
    let json = |threads: &str| {
        diligence(&bundled())
            .env("RAYON_NUM_THREADS", threads)
            .args(["evaluate", "--format", "json", "--today", TODAY])
            .output()
            .expect("runs")
            .stdout
    };
    assert_eq!(json("1"), json("2"));
}

#[test]
fn a_bad_partition_is_a_usage_error() {
    let out = diligence(&bundled())
        .args(["evaluate", "--format", "jsonl", "--partition", "4/3"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 <= K <= N"));
}

/// A rule that reads `classification` itself is run at every classification, even where the
/// requirements it reads are the same (the engine reuses a rule's run only across
/// classifications it cannot tell apart).
#[test]
fn a_rule_reading_the_classification_is_never_reused_across_classifications() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ws = tmp.path().join("ws");
    diligence(tmp.path())
        .args(["init", ws.to_str().expect("utf-8")])
        .assert()
        .success();
    std::fs::write(
        ws.join("scripts/by-name.rhai"),
        "//! By name\n//! Blocks restricted data by the classification's name.\nif classification == \"restricted\" { block(\"restricted by name\", \"do not\"); } else { pass(\"ok\"); }\n",
    )
    .expect("rule written");
    std::fs::write(
        ws.join("scripts/reads-dpa.rhai"),
        "//! Reads dpa\n//! Says what the dpa requirement is.\nlet d = require.dpa;\ninfo(`dpa required: ${d}`);\n",
    )
    .expect("rule written");
    let text = jsonl(&ws, &[], "2");
    let mut by_name = Vec::new();
    let mut reads_dpa = Vec::new();
    for r in common::jsonl_results(&text) {
        for f in r["findings"].as_array().expect("findings") {
            let class = r["classification"].as_str().unwrap_or_default().to_string();
            match f["rule"].as_str() {
                Some("by-name") => by_name.push((class, f["level"].clone())),
                Some("reads-dpa") => reads_dpa.push((class, f["message"].clone())),
                _ => {}
            }
        }
    }
    assert!(!by_name.is_empty());
    for (class, level) in &by_name {
        let expected = if class == "restricted" {
            "block"
        } else {
            "pass"
        };
        assert_eq!(level, expected, "{class}");
    }
    for (class, message) in &reads_dpa {
        let expected = if class == "public" {
            "dpa required: "
        } else {
            "dpa required: true"
        };
        assert_eq!(message, expected, "{class}");
    }
}

/// `--format csv` is streamed too: a row per finding of the JSON contract, in its order, the
/// same bytes on any thread count, and the `--bom` and `-o` it always had.
#[test]
fn csv_streams_a_row_per_finding_in_the_json_order() {
    let run = |extra: &[&str], threads: &str| evaluate(&bundled(), "csv", extra, threads);
    let one = run(&[], "1");
    assert_eq!(one, run(&[], "2"), "the thread count never changes a byte");

    let json = jsonl(&bundled(), &[], "2");
    let expected: Vec<(String, String, String, String)> = common::jsonl_results(&json)
        .into_iter()
        .flat_map(|r| {
            let key = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            let (v, o, c) = (key("vendor"), key("offering"), key("classification"));
            r["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(|f| {
                    let rule = f["rule"].as_str().unwrap_or_default().to_string();
                    (v.clone(), o.clone(), c.clone(), rule)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut reader = csv::Reader::from_reader(one.as_slice());
    let rows: Vec<(String, String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            (
                r[0].to_string(),
                r[2].to_string(),
                r[4].to_string(),
                r[7].to_string(),
            )
        })
        .collect();
    assert!(!rows.is_empty());
    assert_eq!(rows, expected);

    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("review.csv");
    let file_arg = file.to_str().expect("utf-8 path");
    assert!(
        run(&["--bom", "-o", file_arg], "2").is_empty(),
        "nothing on stdout with -o"
    );
    let written = std::fs::read(&file).expect("file written");
    assert_eq!(
        &written[..3],
        "\u{feff}".as_bytes(),
        "--bom starts the file"
    );
    assert_eq!(&written[3..], one.as_slice());
}

/// A copy of the bundled workspace to edit.
fn bundled_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    for dir in ["policies", "vendors", "scripts"] {
        common::copy_dir(&bundled().join(dir), &tmp.path().join(dir));
    }
    tmp
}

/// The streamed formats read the profiles batch by batch rather than the whole workspace
/// first: waivers (checked against the profiles they name) and unverified quotes (a warning,
/// printed as the profile is read) come out as in the JSON contract's run.
#[test]
fn streamed_runs_read_profiles_as_they_go_with_waivers_and_warnings() {
    let ws = bundled_copy();
    let policy = ws.path().join("policies/default.yaml");
    let mut text = std::fs::read_to_string(&policy).expect("policy");
    text.push_str("waivers:\n  - rule: breach-notification\n    vendor: perplexity\n    offering: sonar-api\n    reason: \"72-hour commitment in the pilot order form\"\n    approved_by: ciso@example.com\n    expires: 2027-03-31\n");
    std::fs::write(&policy, text).expect("policy written");
    let profile = ws.path().join("vendors/anthropic/profile.yaml");
    let text = std::fs::read_to_string(&profile).expect("profile");
    let quote = "quote: \"";
    let at = text.find(quote).expect("a quote") + quote.len();
    // A word no snapshot has, at the start of the first quote: it no longer verifies.
    std::fs::write(&profile, format!("{}Zyxwv {}", &text[..at], &text[at..])).expect("edited");

    let run = |format: &str| {
        diligence(ws.path())
            .args(["evaluate", "--format", format, "--today", TODAY])
            .output()
            .expect("runs")
    };
    let (json, lines) = (run("json"), run("jsonl"));
    assert_eq!(json.status.code(), Some(0));
    assert_eq!(lines.status.code(), Some(0));
    let json: Value = common::inline_evidence(serde_json::from_slice(&json.stdout).expect("json"));
    let lines: Vec<Value> =
        common::jsonl_results(&String::from_utf8(lines.stdout.clone()).expect("utf-8"));
    assert_eq!(&lines, json["results"].as_array().expect("results"));
    let waived = lines
        .iter()
        .flat_map(|r| r["findings"].as_array().expect("findings"))
        .filter(|f| f["rule"] == "breach-notification" && !f["waived"].is_null())
        .count();
    assert!(waived > 0, "the waiver applies in the streamed run");
    let stderr = String::from_utf8_lossy(&run("jsonl").stderr).into_owned();
    assert!(
        stderr.contains("warning") && stderr.contains("vendors/anthropic/profile.yaml:"),
        "the unverified quote is a located warning: {stderr}"
    );
}

/// A profile that does not load stops a streamed run with its located error and exit 2; with
/// -o nothing is written, and no result of that vendor is ever written.
#[test]
fn a_profile_that_does_not_load_stops_a_streamed_run() {
    let ws = bundled_copy();
    let profile = ws.path().join("vendors/perplexity/profile.yaml");
    let text = std::fs::read_to_string(&profile).expect("profile");
    std::fs::write(&profile, format!("{text}colour: blue\n")).expect("edited");
    let out_file = ws.path().join("review.jsonl");
    for format in ["jsonl", "csv"] {
        let out = diligence(ws.path())
            .args(["evaluate", "--format", format, "--today", TODAY, "-o"])
            .arg(&out_file)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("vendors/perplexity/profile.yaml:") && stderr.contains("colour"),
            "{format}: {stderr}"
        );
        assert!(!out_file.exists(), "{format}: nothing written with -o");
    }
    let out = diligence(ws.path())
        .args(["evaluate", "--format", "jsonl", "--today", TODAY])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let vendors: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json")["vendor"].to_string())
        .collect();
    assert!(vendors.iter().all(|v| v != "\"perplexity\""));
}

/// Reading the profiles batch by batch (the whole portfolio, streamed formats) or whole (a
/// selection) gives the same bytes, SARIF included (written result by result too).
#[test]
fn streamed_formats_are_the_same_read_batch_by_batch_or_whole() {
    let vendors: Vec<String> = std::fs::read_dir(bundled().join("vendors"))
        .expect("vendors")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let selection: Vec<&str> = vendors.iter().map(String::as_str).collect();
    for format in ["jsonl", "csv", "sarif"] {
        let streamed = evaluate(&bundled(), format, &[], "2");
        let whole = evaluate(&bundled(), format, &selection, "2");
        assert!(!streamed.is_empty(), "{format}");
        assert!(
            streamed == whole,
            "{format}: read batch by batch differs from read whole"
        );
        assert!(
            streamed == evaluate(&bundled(), format, &[], "1"),
            "{format}: threads"
        );
    }
}
