//! Limits that hold for the whole run, not only per evaluation. A test binary of its own: it
//! measures the peak memory of its child processes, which other tests would share.

mod common;

use common::{PROFILE, TODAY, Ws};
use std::time::{Duration, Instant};

fn peak_child_rss_mb() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as f64 / 1024.0
}

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
    let start = Instant::now();
    let out = ws
        .cmd()
        .args([
            "evaluate",
            "--format",
            "json",
            "--today",
            TODAY,
            "--output",
            "/dev/null",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("scripts/flood.rhai:5:")
            && stderr.contains("the findings and print output of this run passed 32 MiB in total"),
        "{stderr}"
    );
    let peak = peak_child_rss_mb();
    eprintln!(
        "findings flood: {:?}, peak child RSS {peak:.0} MB",
        start.elapsed()
    );
    assert!(peak < 250.0, "peak memory {peak:.0} MB");
}
