//! End to end: the `diligence` command itself on a generated workspace, as a user runs it,
//! timed by the wall clock, with the child's peak resident memory: its own `VmHWM`, which the
//! child writes to a file as it exits. (`wait4`'s `ru_maxrss` would not do: Linux counts in it
//! the resident memory of the process before its `exec`, a copy of the bench, hundreds of MB
//! once the bench has loaded its own workspace.)
//!
//! The child is this same executable re-run with [`AS_CLI`] set: it then is exactly
//! `diligence` (its `main` is `diligence::main()`), built with the same release profile, so the
//! bench needs no separately built binary.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Set in a child's environment: the bench executable then runs as `diligence`.
pub const AS_CLI: &str = "DILIGENCE_BENCH_AS_CLI";

/// Set in a child's environment: the file the child writes its peak resident memory to (kB).
const RSS_FILE: &str = "DILIGENCE_BENCH_RSS_FILE";

/// In the child, as it exits: writes its peak resident memory (`VmHWM` of /proc/self/status,
/// in kB: the high-water mark of this process image alone) to the file the bench named.
pub fn record_peak_rss() {
    let Some(file) = std::env::var_os(RSS_FILE) else {
        return;
    };
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|v| v.trim().trim_end_matches("kB").trim().to_string())
        .unwrap_or_default();
    let _ = std::fs::write(file, kb);
}

/// One command's cost.
pub struct Measured {
    pub wall: Duration,
    pub peak_rss_mb: f64,
    /// The exit code (0: no verdict at or above --fail-on; the bench passes none).
    pub code: i32,
}

/// Runs `diligence ARGS` (in the child) and waits for it, reading its own peak RSS.
pub fn run(args: &[&str]) -> Result<Measured, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let rss = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new(exe)
        .args(args)
        .env(AS_CLI, "1")
        .env(RSS_FILE, rss.path())
        .env_remove("CI")
        .stdout(std::process::Stdio::null())
        // The generated workspace's broken quotes are reported one by one (with snippets):
        // hundreds of thousands of lines, not the bench's output. They are still written.
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start diligence: {e}"))?;
    let status = child
        .wait()
        .map_err(|e| format!("waiting for diligence: {e}"))?;
    let wall = start.elapsed();
    let Some(code) = status.code() else {
        return Err(format!(
            "diligence {} was killed ({status})",
            args.join(" ")
        ));
    };
    let kb: f64 = std::fs::read_to_string(rss.path())
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .ok_or("the child did not record its peak memory (no /proc/self/status?)")?;
    Ok(Measured {
        wall,
        peak_rss_mb: kb / 1024.0,
        code,
    })
}

/// `evaluate --format jsonl -o FILE` and `check` on the workspace at `root`; the jsonl goes
/// to `out` (its size is returned, then it is deleted).
pub fn evaluate_and_check(
    root: &Path,
    out: &Path,
    with_check: bool,
) -> Result<(Measured, Option<Measured>, u64), String> {
    let root = root.to_str().ok_or("the workspace path is not UTF-8")?;
    let file = out.to_str().ok_or("the output path is not UTF-8")?;
    let evaluate = run(&[
        "-C",
        root,
        "evaluate",
        "--format",
        "jsonl",
        "-o",
        file,
        "--today",
        "2026-11-24",
    ])?;
    // Exit 2 is a failed rule or invalid input: the figure would not be a real run.
    if evaluate.code == 2 {
        return Err(format!("diligence -C {root} evaluate exited 2"));
    }
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(out);
    // `check` exits 2 on the generated workspace: its broken quotes are errors (by design).
    let check = if with_check {
        Some(run(&["-C", root, "check", "--today", "2026-11-24"])?)
    } else {
        None
    };
    Ok((evaluate, check, bytes))
}

/// `diligence site -o DIR` on the workspace at `root`: its cost, and the pages and bytes it
/// wrote (the folder is then deleted).
pub fn site(root: &Path) -> Result<(Measured, usize, u64), String> {
    let root_text = root.to_str().ok_or("the workspace path is not UTF-8")?;
    let out = tempfile::Builder::new()
        .prefix("diligence-bench-site-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let dir = out.path().join("site");
    let dir_text = dir.to_str().ok_or("the output path is not UTF-8")?;
    let site = run(&[
        "-C",
        root_text,
        "site",
        "-o",
        dir_text,
        "--today",
        "2026-11-24",
    ])?;
    if site.code == 2 {
        return Err(format!("diligence -C {root_text} site exited 2"));
    }
    let (mut pages, mut bytes) = (0, 0);
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| e.to_string())?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                pages += usize::from(path.extension().is_some_and(|e| e == "html"));
                bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    Ok((site, pages, bytes))
}

/// The key suffix for N vendors: `10k` for 10,000, else the number.
pub fn label(vendors: usize) -> String {
    if vendors.is_multiple_of(1000) {
        format!("{}k", vendors / 1000)
    } else {
        vendors.to_string()
    }
}
