//! Limits that hold for the whole run, not only per evaluation (the peak memory measured is
//! the run's own, whatever else runs beside it).

use crate::common;

use common::{PROFILE, TODAY, Ws, measured};
use std::path::Path;
use std::time::Duration;

#[test]
fn findings_within_each_evaluations_limits_cannot_fill_memory_across_a_portfolio() {
    let ws = Ws::new();
    let flood = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/findings-flood.rhai"),
    )
    .unwrap();
    ws.write("scripts/flood.rhai", &flood);
    // 12 vendors x 3 classes x 8 MB of findings each: 288 MB without a bound on the text of
    // one evaluation (64 KiB) and of a run.
    for i in 0..12 {
        let id = format!("acme{i}");
        ws.write(
            &format!("vendors/{id}/profile.yaml"),
            &PROFILE.replace("vendor: acme", &format!("vendor: {id}")),
        );
        ws.write(&format!("vendors/{id}/sources/terms.md"), common::SNAPSHOT);
    }
    let run = measured(
        ws.command().args([
            "evaluate",
            "--format",
            "json",
            "--today",
            TODAY,
            "--output",
            "/dev/null",
        ]),
        Duration::from_secs(300),
    );
    let out = run.output;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("scripts/flood.rhai:5:")
            && stderr.contains("findings passed 64 KiB of text in one evaluation"),
        "{stderr}"
    );
    let peak = run.peak_mb;
    eprintln!("findings flood: {:?} CPU, peak RSS {peak:.0} MB", run.cpu);
    assert!(peak < 250.0, "peak memory {peak:.0} MB");
}

/// `diligence evaluate --format FORMAT` of the workspace on `threads` threads, with `extra`
/// arguments: (exit code, stdout, stderr).
fn evaluate_on(ws: &Ws, format: &str, threads: &str, extra: &[&str]) -> (i32, String, String) {
    let out = ws
        .command()
        .env("RAYON_NUM_THREADS", threads)
        .args(["evaluate", "--format", format, "--today", TODAY])
        .args(extra)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `count` vendors like the sample one (`acme0`, `acme1`, ...) and, besides the sample rule,
/// five well-behaved rules that each raise one short finding.
fn portfolio_with_quiet_rules(count: usize) -> Ws {
    let ws = Ws::new();
    std::fs::remove_dir_all(ws.path().join("vendors/acme")).expect("remove the sample vendor");
    for i in 0..count {
        let id = format!("acme{i}");
        ws.write(
            &format!("vendors/{id}/profile.yaml"),
            &PROFILE.replace("vendor: acme", &format!("vendor: {id}")),
        );
        ws.write(&format!("vendors/{id}/sources/terms.md"), common::SNAPSHOT);
    }
    for c in 'a'..='e' {
        ws.write(
            &format!("scripts/quiet-{c}.rhai"),
            "//! Quiet\n//! One short finding.\nif fact(\"retention_days\") != () { info(\"retention is stated\"); }\n",
        );
    }
    ws
}

/// The results of an evaluation's output: the JSON report's `results`, or each JSON Lines
/// result line.
fn results(output: &str) -> Vec<serde_json::Value> {
    match serde_json::from_str::<serde_json::Value>(output) {
        Ok(v) => crate::common::inline_evidence(v)["results"]
            .as_array()
            .expect("results")
            .clone(),
        Err(_) => crate::common::jsonl_results(output),
    }
}

/// The rules with an error in any result, each once, and how many results have one.
fn failed_rules(output: &str) -> (Vec<String>, usize) {
    let results = results(output);
    let mut failed: Vec<String> = results
        .iter()
        .filter_map(|r| r["errors"].as_array())
        .flatten()
        .map(|e| e["rule"].as_str().expect("rule").to_string())
        .collect();
    failed.sort_unstable();
    failed.dedup();
    let cells = results
        .iter()
        .filter(|r| r["errors"].as_array().is_some_and(|e| !e.is_empty()))
        .count();
    (failed, cells)
}

#[test]
fn a_rule_flooding_findings_is_blamed_alone_and_alike_on_one_and_two_threads() {
    let ws = portfolio_with_quiet_rules(12);
    let flood = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/findings-flood.rhai"),
    )
    .expect("hostile rule");
    ws.write("scripts/flood.rhai", &flood);
    let (code1, one, stderr1) = evaluate_on(&ws, "json", "1", &[]);
    let (code2, two, stderr2) = evaluate_on(&ws, "json", "2", &[]);
    assert_eq!((code1, code2), (2, 2), "{stderr1}\n{stderr2}");
    // Every cell's flood evaluation fails on its own limit; no other rule is touched.
    assert_eq!(failed_rules(&one), (vec!["flood".to_string()], 12 * 3));
    assert!(one == two, "the reports differ between one and two threads");
    assert_eq!(stderr1, stderr2);
}

/// 200 offerings at 3 classifications and a rule that writes 60 KB of findings in each cell,
/// within the limit of one evaluation: 36 MB in all, past the run's 32 MiB. (The rule reads
/// the classification, so that its run at one classification is not reused at the next.)
fn portfolio_with_a_steady_writer() -> Ws {
    let ws = portfolio_with_quiet_rules(200);
    ws.write(
        "scripts/steady.rhai",
        "//! Steady\n//! Long findings in every cell.\nlet s = classification;\ns.pad(15000, \"x\");\nfor i in 0..4 { info(s); }\n",
    );
    ws
}

/// The steady writer, and it alone, is stopped by the run's budget: its first cells are
/// decided, the later ones are errors naming the budget.
fn only_the_steady_writer_is_stopped(output: &str) {
    let (failed, cells) = failed_rules(output);
    assert_eq!(failed, ["steady"]);
    assert!(cells > 0 && cells < 200 * 3, "{cells} cells with an error");
    let results = results(output);
    let first = results
        .iter()
        .flat_map(|r| r["errors"].as_array().into_iter().flatten())
        .next()
        .expect("an error cell");
    let message = first["message"].as_str().expect("message");
    assert!(
        message.contains("past the run's text budget of 32 MiB"),
        "{message}"
    );
    // Every other rule decided every cell: the quiet rules' findings are all there.
    let quiet = results
        .iter()
        .flat_map(|r| r["findings"].as_array().into_iter().flatten())
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("quiet-")))
        .count();
    assert_eq!(quiet, 200 * 3 * 5);
}

#[test]
fn the_run_budget_stops_the_rule_that_spent_it_alike_on_one_and_two_threads() {
    let ws = portfolio_with_a_steady_writer();
    let (code1, one, stderr1) = evaluate_on(&ws, "json", "1", &[]);
    let (code2, two, stderr2) = evaluate_on(&ws, "json", "2", &[]);
    assert_eq!((code1, code2), (2, 2), "{stderr1}");
    only_the_steady_writer_is_stopped(&one);
    assert!(one == two, "the reports differ between one and two threads");
    assert_eq!(stderr1, stderr2);
    assert!(
        stderr1.contains("scripts/steady.rhai:5:")
            && stderr1.contains("past the run's text budget of 32 MiB"),
        "{stderr1}"
    );
}

#[test]
fn results_read_from_the_cache_count_in_the_run_budget_as_their_evaluations_did() {
    let ws = portfolio_with_a_steady_writer();
    let (code, plain, stderr) = evaluate_on(&ws, "jsonl", "2", &["--no-cache"]);
    assert_eq!(code, 2, "{stderr}");
    only_the_steady_writer_is_stopped(&plain);
    // The first run fills the cache with the vendors evaluated before the rule was stopped;
    // the second reads them back, on another thread count.
    let (code, filled, _) = evaluate_on(&ws, "jsonl", "1", &[]);
    assert_eq!(code, 2);
    let entries = std::fs::read_dir(ws.path().join(".diligence/cache"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(entries > 0, "the first run stored nothing");
    let (code, read, stderr_read) = evaluate_on(&ws, "jsonl", "2", &[]);
    assert_eq!(code, 2);
    assert!(
        plain == filled,
        "the report differs when the cache is filled"
    );
    assert!(
        plain == read,
        "the report differs when it is read from the cache"
    );
    assert_eq!(stderr, stderr_read);
}
