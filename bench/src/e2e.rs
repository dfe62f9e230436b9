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
    run_program(None, args)
}

/// Runs `ARGS` with `program` (another build of `diligence`), or with this executable as
/// `diligence` when `None`. Another build records no peak memory: its `peak_rss_mb` is NaN.
fn run_program(program: Option<&Path>, args: &[&str]) -> Result<Measured, String> {
    let exe = match program {
        Some(p) => p.to_path_buf(),
        None => std::env::current_exe().map_err(|e| e.to_string())?,
    };
    let rss = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new(&exe)
        .args(args)
        .env(AS_CLI, "1")
        .env(RSS_FILE, rss.path())
        .env_remove("CI")
        .stdout(std::process::Stdio::null())
        // The generated workspace's broken quotes are reported one by one (with snippets):
        // hundreds of thousands of lines, not the bench's output. They are still written.
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
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
    let recorded = std::fs::read_to_string(rss.path())
        .ok()
        .and_then(|t| t.trim().parse::<f64>().ok());
    let kb = match (recorded, program) {
        (Some(kb), _) => kb,
        (None, Some(_)) => f64::NAN,
        (None, None) => {
            return Err("the child did not record its peak memory (no /proc/self/status?)".into());
        }
    };
    Ok(Measured {
        wall,
        peak_rss_mb: kb / 1024.0,
        code,
    })
}

/// What one end-to-end comparison measured, side by side in one run: the command as it was
/// (`--no-cache --json-schema-version 1`: every vendor read and evaluated, evidence inline in
/// every finding), the same with the cache empty (cold: results written once, the cache
/// filled), and again after one profile changed (warm).
pub struct EndToEnd {
    /// The command as another build ran it (`--baseline BIN`: e.g. the commit before the cache).
    pub baseline: Option<Measured>,
    pub before: Measured,
    pub cold: Measured,
    pub warm: Measured,
    /// After a rule changed (a comment appended to one script): every vendor's rules run
    /// again, from the vendor folders as the cold run read them.
    pub rule_edited: Measured,
    /// Bytes of jsonl written before, and now.
    pub bytes_before: u64,
    pub bytes: u64,
    /// Bytes of the cache folder after the cold `evaluate` (its entries).
    pub cache_bytes: u64,
    pub check: Option<Checks>,
}

/// `check` measured the same three ways.
pub struct Checks {
    pub baseline: Option<Measured>,
    pub before: Measured,
    pub cold: Measured,
    pub warm: Measured,
}

/// `evaluate --format jsonl -o FILE` and `check` on the workspace at `root`, before, cold and
/// warm (see [`EndToEnd`]); the jsonl goes to `out` (deleted after). One profile of the
/// workspace is edited for the warm runs (a comment appended) and restored at the end.
///
/// With `baseline` (another build of `diligence`), each command is first run with it as that
/// build takes it: `evaluate --format jsonl -o FILE` and `check`, no cache flag (a build before
/// the cache has none).
pub fn evaluate_and_check(
    root: &Path,
    out: &Path,
    with_check: bool,
    baseline: Option<&Path>,
) -> Result<EndToEnd, String> {
    let root_text = root.to_str().ok_or("the workspace path is not UTF-8")?;
    let file = out.to_str().ok_or("the output path is not UTF-8")?;
    let cache = tempfile::Builder::new()
        .prefix("diligence-bench-cache-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let cache_dir = cache.path().to_str().ok_or("the cache path is not UTF-8")?;
    // `check` has a cache of its own: in one shared with `evaluate` it would find every vendor
    // folder read already (the entries of folders as read are shared), and its cold run would
    // not be one.
    let check_cache = tempfile::Builder::new()
        .prefix("diligence-bench-cache-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let check_cache_dir = check_cache
        .path()
        .to_str()
        .ok_or("the cache path is not UTF-8")?;
    let evaluate_with =
        |program: Option<&Path>, extra: &[&str]| -> Result<(Measured, u64), String> {
            let mut args = vec![
                "-C",
                root_text,
                "evaluate",
                "--format",
                "jsonl",
                "-o",
                file,
                "--today",
                "2026-11-24",
            ];
            args.extend_from_slice(extra);
            let m = run_program(program, &args)?;
            // Exit 2 is a failed rule or invalid input: the figure would not be a real run.
            if m.code == 2 {
                return Err(format!("diligence {} exited 2", args.join(" ")));
            }
            let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
            let _ = std::fs::remove_file(out);
            Ok((m, bytes))
        };
    let evaluate = |extra: &[&str]| evaluate_with(None, extra);
    // `check` exits 2 on the generated workspace: its broken quotes are errors (by design).
    let check_with = |program: Option<&Path>, extra: &[&str]| -> Result<Measured, String> {
        let mut args = vec!["-C", root_text, "check", "--today", "2026-11-24"];
        args.extend_from_slice(extra);
        run_program(program, &args)
    };
    let check = |extra: &[&str]| check_with(None, extra);
    let baseline_evaluate = match baseline {
        Some(bin) => Some(evaluate_with(Some(bin), &[])?.0),
        None => None,
    };
    let baseline_check = match baseline {
        Some(bin) if with_check => Some(check_with(Some(bin), &[])?),
        _ => None,
    };
    // Large enough that nothing is evicted during the run (an evicted entry is a miss, which
    // would time eviction rather than the cache): with entry format 3 (about 114 KB per vendor
    // and request set) the entries of `evaluate` and `check` passed the default 2 GB at 10,000
    // generated vendors.
    let cached = ["--cache", cache_dir, "--cache-max-mb", "65536"];
    let cached_check = ["--cache", check_cache_dir, "--cache-max-mb", "65536"];
    let (before, bytes_before) = evaluate(&["--no-cache", "--json-schema-version", "1"])?;
    let (cold, bytes) = evaluate(&cached)?;
    let cache_bytes = folder_bytes(cache.path());
    let checks_before = if with_check {
        Some((check(&["--no-cache"])?, check(&cached_check)?))
    } else {
        None
    };
    // Warm runs are short and follow a cold run whose writes the kernel may still be
    // flushing: three, each after another edit of the profile, and the median reported.
    let (path, original) = edit_one_profile(root, 0)?;
    let mut warm_runs = Vec::new();
    let mut warm_checks = Vec::new();
    for round in 0..WARM_RUNS {
        if round > 0 {
            edit_one_profile(root, round)?;
        }
        warm_runs.push(evaluate(&cached).map(|(m, _)| m));
        if checks_before.is_some() {
            warm_checks.push(check(&cached_check));
        }
    }
    std::fs::write(&path, &original).map_err(|e| format!("restoring {}: {e}", path.display()))?;
    let warm = median(warm_runs.into_iter().collect::<Result<Vec<_>, _>>()?);
    let (script, script_text) = edit_one_rule(root)?;
    let rule_edited = evaluate(&cached).map(|(m, _)| m);
    std::fs::write(&script, &script_text)
        .map_err(|e| format!("restoring {}: {e}", script.display()))?;
    let rule_edited = rule_edited?;
    let warm_check = checks_before.as_ref().map(|_| {
        warm_checks
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map(median)
    });
    let check = match (checks_before, warm_check) {
        (Some((before, cold)), Some(warm)) => Some(Checks {
            baseline: baseline_check,
            before,
            cold,
            warm: warm?,
        }),
        _ => None,
    };
    Ok(EndToEnd {
        baseline: baseline_evaluate,
        before,
        cold,
        warm,
        rule_edited,
        bytes_before,
        bytes,
        cache_bytes,
        check,
    })
}

/// The bytes of the files under `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    bytes
}

/// Warm runs of each command; the median is reported.
const WARM_RUNS: usize = 3;

/// The run of median wall time.
fn median(mut runs: Vec<Measured>) -> Measured {
    runs.sort_by_key(|m| m.wall);
    let mid = runs.len() / 2;
    runs.swap_remove(mid)
}

/// Appends comment `round` to the first vendor's profile (a change of its bytes: its cached
/// results no longer apply); returns the file and its text before.
fn edit_one_profile(root: &Path, round: usize) -> Result<(std::path::PathBuf, String), String> {
    append_to_first(
        &root.join("vendors"),
        |p| {
            let profile = p.join("profile.yaml");
            profile.is_file().then_some(profile)
        },
        &format!("\n# edited by the bench ({round})\n"),
    )
}

/// Appends a comment to the first rule script (a change of its bytes: every vendor's results
/// no longer apply); returns the file and its text before.
fn edit_one_rule(root: &Path) -> Result<(std::path::PathBuf, String), String> {
    append_to_first(
        &root.join("scripts"),
        |p| {
            p.extension()
                .is_some_and(|x| x == "rhai")
                .then(|| p.to_path_buf())
        },
        "\n// edited by the bench\n",
    )
}

/// Appends `text` to the first file (in name order) that `pick` finds among the entries of
/// `dir`; returns the file and its text before.
fn append_to_first(
    dir: &Path,
    pick: impl Fn(&Path) -> Option<std::path::PathBuf>,
    text: &str,
) -> Result<(std::path::PathBuf, String), String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .filter_map(|e| pick(&e.path()))
        .collect();
    files.sort();
    let path = files
        .into_iter()
        .next()
        .ok_or_else(|| format!("nothing to edit in {}", dir.display()))?;
    let before = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    std::fs::write(&path, format!("{before}{text}")).map_err(|e| e.to_string())?;
    Ok((path, before))
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
