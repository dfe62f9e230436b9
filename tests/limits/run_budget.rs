//! Limits that hold for the whole run, not only per evaluation (the peak memory measured is
//! the run's own, whatever else runs beside it).

use crate::common;

use common::{PROFILE, TODAY, Ws, measured};
use std::time::Duration;

#[test]
fn findings_within_each_evaluations_limits_cannot_fill_memory_across_a_portfolio() {
    let ws = Ws::new();
    let flood = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/findings-flood.rhai"),
    )
    .unwrap();
    ws.write("scripts/flood.rhai", &flood);
    // 12 vendors x 3 classes x 8 MB of findings each: 288 MB without a run budget; the budget
    // is 16 KiB per offering and classification, at least 32 MiB.
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
            && stderr.contains("the findings and print output of this run passed 32 MiB in total"),
        "{stderr}"
    );
    let peak = run.peak_mb;
    eprintln!("findings flood: {:?} CPU, peak RSS {peak:.0} MB", run.cpu);
    assert!(peak < 250.0, "peak memory {peak:.0} MB");
}
