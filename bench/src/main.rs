//! diligence-bench: diligence's real evaluation path against the same rules in native Rust (the
//! floor) and in Rego evaluated by regorus (the peer), on synthetic vendor profiles.
//!
//! ```text
//! cargo run --release -p diligence-bench -- --vendors 10000 [--threads T] [--seed S] [--runs K]
//!                                           [--keep DIR] [--repo DIR]
//! ```
//!
//! An eval is one rule on one vendor offering at one classification. See bench/README.md for
//! what is measured and how to read it.

/// The allocator `diligence` itself uses (mimalloc, see src/main.rs), counting live heap bytes
/// when asked (`--profile`: where the results' memory goes). Off, it costs one relaxed load per
/// allocation. Both engines the bench compares, and the end-to-end runs (this executable run
/// as `diligence`), allocate through it.
struct Counting;

static COUNTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static LIVE: std::sync::atomic::AtomicIsize = std::sync::atomic::AtomicIsize::new(0);

// SAFETY: delegates to mimalloc; only adds bookkeeping.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        if COUNTING.load(Relaxed) {
            LIVE.fetch_add(layout.size() as isize, Relaxed);
        }
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        use std::sync::atomic::Ordering::Relaxed;
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Relaxed);
        }
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        if COUNTING.load(Relaxed) {
            LIVE.fetch_add(new_size as isize - layout.size() as isize, Relaxed);
        }
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_mb() -> f64 {
    LIVE.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6
}

use diligence_bench::{e2e, generate, native, rego};

use diligence::Freshness;
use diligence::Workspace;
use diligence::policy::Policy;
use diligence::{Evaluation, Level};
use diligence::{Offering, Profile};
use diligence::{Request, evaluate, freshness};
use diligence::{RuleSet, RuleSource};
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

struct Args {
    vendors: usize,
    threads: usize,
    seed: u64,
    runs: usize,
    keep: Option<PathBuf>,
    repo: PathBuf,
    /// Profiling aid: time only diligence (all rules), then stop.
    profile: bool,
    /// With `profile`: then each rule alone.
    profile_each: bool,
    /// Profiling aid: time only diligence with the shared rules on one thread, then stop.
    profile_shared: bool,
    /// Vendors of the end-to-end workspace (0: no end-to-end run).
    e2e: usize,
    /// Also time `check` end to end (`--e2e-no-check` turns it off: at 100,000 vendors it needs
    /// about 20 GB).
    e2e_check: bool,
    /// Also time `site -o DIR` end to end (`--e2e-no-site` turns it off).
    e2e_site: bool,
    /// Another build of `diligence` to time first on the end-to-end workspace (`--baseline`).
    baseline: Option<PathBuf>,
}

const USAGE: &str = "usage: diligence-bench --vendors N [--threads T] [--seed S] [--runs K] [--keep DIR] [--repo DIR] [--e2e N]

  --vendors N   synthetic vendors to generate (2 offerings each)            [1000]
  --threads T   threads for the parallel diligence run                      [all cores]
  --seed S      generator seed                                              [1]
  --runs K      timed runs of each engine; the fastest is reported          [3]
  --keep DIR    write the generated workspace to DIR and keep it (e.g. to run
                `diligence -C DIR evaluate` on it); default: a temporary folder
  --repo DIR    the repository whose policies/default.yaml and scripts/ are used
                                                                            [this checkout]
  --e2e N       vendors of the end-to-end run: `diligence evaluate --format jsonl
                -o FILE`, `diligence check` and `diligence site -o DIR` on a
                generated workspace of N vendors, wall time and peak RSS of
                each (0: skip)                                            [10000]
  --e2e-no-check  the end-to-end run without `check`
  --e2e-no-site   the end-to-end run without `site`
  --baseline BIN  also time `evaluate --format jsonl -o FILE` and `check` end to end with
                BIN, another build of diligence (e.g. the commit before the results cache),
                first, in the same run: the cold run's ratio to it
  --profile     run only diligence with every rule (--threads, --runs), for a profiler
  --profile-each  the same, then each rule alone: the cost of each rule
  --profile-shared  run only diligence with the shared rules on one thread (--runs), then
                regorus's RVM on the same rules, for a profiler";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        vendors: 1000,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        seed: 1,
        runs: 3,
        keep: None,
        repo: Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("bench/ has a parent")
            .to_path_buf(),
        profile: false,
        profile_each: false,
        profile_shared: false,
        e2e: 10_000,
        e2e_check: true,
        e2e_site: true,
        baseline: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        if flag == "--e2e-no-check" {
            args.e2e_check = false;
            continue;
        }
        if flag == "--e2e-no-site" {
            args.e2e_site = false;
            continue;
        }
        if flag == "--profile" || flag == "--profile-each" {
            args.profile = true;
            args.profile_each |= flag == "--profile-each";
            continue;
        }
        if flag == "--profile-shared" {
            args.profile_shared = true;
            continue;
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = |v: &str| {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("{flag}: `{v}` is not a number"))
        };
        match flag.as_str() {
            "--vendors" => args.vendors = number(&value)? as usize,
            "--threads" => args.threads = (number(&value)? as usize).max(1),
            "--seed" => args.seed = number(&value)?,
            "--runs" => args.runs = (number(&value)? as usize).max(1),
            "--keep" => args.keep = Some(PathBuf::from(value)),
            "--repo" => args.repo = PathBuf::from(value),
            "--e2e" => args.e2e = number(&value)? as usize,
            "--baseline" => args.baseline = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    if args.vendors == 0 {
        return Err("--vendors must be at least 1".into());
    }
    Ok(args)
}

/// Peak resident memory of this process (VmHWM), in MiB.
fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

/// Resident memory now (VmRSS), in MiB.
fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

fn status_mb(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Returns freed memory to the system between runs (glibc keeps it in per-thread arenas, so a
/// run on another thread pool would otherwise add its own arenas on top and inflate the peak).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only returns free heap pages to the kernel.
        unsafe {
            malloc_trim(0);
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Levels of the shared rules, indexed by (offering, class, shared rule).
struct Levels {
    classes: usize,
    rules: usize,
    levels: Vec<Option<Level>>,
}

impl Levels {
    fn new(offerings: usize, classes: usize, rules: usize) -> Levels {
        Levels {
            classes,
            rules,
            levels: vec![None; offerings * classes * rules],
        }
    }
    fn at(&mut self, offering: usize, class: usize, rule: usize) -> &mut Option<Level> {
        &mut self.levels[(offering * self.classes + class) * self.rules + rule]
    }
    fn get(&self, offering: usize, class: usize, rule: usize) -> Option<Level> {
        self.levels[(offering * self.classes + class) * self.rules + rule]
    }

    fn from_evaluation(ev: &Evaluation, offerings: usize, shared: &[&str]) -> Levels {
        let classes = ev.classifications.len();
        let mut out = Levels::new(offerings, classes, shared.len());
        assert_eq!(
            ev.results.len(),
            offerings * classes,
            "one result per offering and class"
        );
        for (n, r) in ev.results.iter().enumerate() {
            for f in &r.findings {
                if let Some(k) = shared.iter().position(|id| *id == f.rule) {
                    let slot = out.at(n / classes, n % classes, k);
                    *slot = (*slot).max(Some(f.level));
                }
            }
        }
        out
    }
}

fn show(level: Option<Level>) -> &'static str {
    level.map_or("(none)", Level::as_str)
}

/// The timing of one engine: the fastest of `runs`.
struct Timing {
    name: String,
    rules: usize,
    threads: usize,
    evals: u64,
    best: Duration,
}

impl Timing {
    fn per_s(&self) -> f64 {
        self.evals as f64 / self.best.as_secs_f64()
    }
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    // Re-run by `e2e` as the `diligence` command itself.
    if std::env::var_os(e2e::AS_CLI).is_some() {
        let code = diligence::main();
        e2e::record_peak_rss();
        return code;
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) => fail(e),
    }
}

/// The thread pools of a run: all threads (`--threads`) and one.
struct Pools {
    all: rayon::ThreadPool,
    one: rayon::ThreadPool,
}

impl Pools {
    fn new(threads: usize) -> Result<Pools, String> {
        let pool = |n: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| e.to_string())
        };
        Ok(Pools {
            all: pool(threads)?,
            one: pool(1)?,
        })
    }
}

/// What every engine evaluates: the loaded offerings at every class of the default policy, and
/// the rules the three engines share.
struct Setup<'w> {
    policy: &'w Policy,
    /// Every profile of the workspace, where the chains' providers are found.
    profiles: &'w [Profile],
    offerings: Vec<(&'w Profile, &'w Offering)>,
    classes: Vec<String>,
    today: Date,
    /// The rules the three engines share, in the order of native::RULES.
    shared: Vec<&'static str>,
    /// Every step of a run: the scripts and the evidence checks the policy turns on.
    all_rules: usize,
}

impl<'w> Setup<'w> {
    fn new(ws: &'w Workspace) -> Result<Setup<'w>, String> {
        let policy = ws.policy("default").map_err(|d| d.message)?;
        Ok(Setup {
            policy,
            profiles: &ws.profiles,
            offerings: ws
                .profiles
                .iter()
                .flat_map(|p| p.offerings.iter().map(move |o| (p, o)))
                .collect(),
            classes: policy.classes.iter().map(|c| c.name.clone()).collect(),
            today: jiff::civil::date(2026, 11, 24),
            shared: native::RULES.iter().map(|(id, _)| *id).collect(),
            all_rules: ws.rules.rules.len() + policy.evidence_checks.len(),
        })
    }

    fn n_off(&self) -> usize {
        self.offerings.len()
    }

    fn n_cls(&self) -> usize {
        self.classes.len()
    }

    /// Every offering at every class under `policy` (the workspace's, or a copy of it).
    fn request<'a>(&'a self, policy: &'a Policy) -> Request<'a> {
        Request {
            policy,
            offerings: self.offerings.clone(),
            classes: self.classes.clone(),
            tags: Vec::new(),
            today: self.today,
            generated: "2026-11-24T00:00:00Z".into(),
            providers: diligence::Lookup::Profiles(self.profiles),
        }
    }

    /// The policy without its evidence checks: for a set of scripts timed alone (the shared
    /// rules, or one rule), so that no uncounted check runs inside their clock.
    fn scripts_only(&self) -> Policy {
        let mut policy = self.policy.clone();
        policy.evidence_checks.clear();
        policy
    }

    fn evals(&self, rules: usize) -> u64 {
        (self.n_off() * self.n_cls() * rules) as u64
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    let pools = Pools::new(args.threads)?;
    // 1. Generate a workspace: the repository's policy and rules, and N synthetic vendors.
    let (_temp, root) = workspace_folder(args)?;
    let counts = generate_workspace(args, &root, &pools.all)?;
    // 2. Load it with the real loader (parallel YAML parsing, snapshots, quote checks).
    let (ws, parse) = load(&root, &pools.all)?;
    let setup = Setup::new(&ws)?;
    eprintln!(
        "resident after loading: {:.1} MB (peak {:.1} MB)",
        rss_mb(),
        peak_rss_mb()
    );
    eprintln!(
        "loaded in {:.0} ms: {} offerings, {} classifications, {} rules ({} shared with native and Rego), {} unverified quotes",
        ms(parse),
        setup.n_off(),
        setup.n_cls(),
        setup.all_rules,
        setup.shared.len(),
        ws.unverified.len()
    );
    let scripts_only = setup.scripts_only();
    if args.profile {
        return profile(args, &root, &ws, &setup, &scripts_only, &pools.all);
    }
    check_shared_rules(args, &ws, &setup)?;
    if args.profile_shared {
        let (t, _) = time_shared_rules(args, &root, &setup, &scripts_only, &pools.one)?;
        // Then its peer on the same work, so that a profiler (callgrind's `--dump-before=*time_regorus*`)
        // sees the two side by side.
        let (rvm, _) = time_regorus(args, &setup, true)?;
        for t in [&t, &rvm] {
            println!(
                "{}: {} evals in {:.1} ms, {:.0} evals/s",
                t.name,
                t.evals,
                ms(t.best),
                t.per_s()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }

    // 3. diligence, every bundled rule, all threads and one thread.
    let req = setup.request(setup.policy);
    let all = "diligence (all bundled rules)";
    let (d_all, levels_all) =
        time_diligence(args, &setup, &ws.rules, &req, &pools.all, all, args.threads)?;
    // The peak of what `diligence evaluate` does (generate aside): load, then evaluate. Later
    // engines and the one-thread runs only add allocator arenas, not diligence's own needs.
    let peak_diligence = peak_rss_mb();
    let (d_one, _) = time_diligence(args, &setup, &ws.rules, &req, &pools.one, all, 1)?;

    // 4. diligence with only the shared rules, one thread: the same work as native and Rego.
    let (d_shared, levels_shared) =
        time_shared_rules(args, &root, &setup, &scripts_only, &pools.one)?;

    // End to end: the command itself on a workspace of `--e2e` vendors (the one above when
    // the counts match), one run each: it is seconds, not milliseconds. Before the mirrors, whose
    // failure would stop the run.
    let end_to_end = if args.e2e == 0 {
        None
    } else {
        Some(end_to_end(args, &root)?)
    };

    // 5. regorus, the shared rules in Rego, one thread: its interpreter (`Engine::eval_rule`,
    // the documented API) and its bytecode VM (RVM). The faster one is the peer.
    let (regorus_interp, rego_levels) = time_regorus(args, &setup, false)?;
    let (regorus_vm, rvm_levels) = time_regorus(args, &setup, true)?;

    // 6. Native Rust, the shared rules as typed functions, one thread.
    let (native_t, native_levels) = time_native(args, &setup);

    // 7. All must agree on every level of every shared rule.
    let disagreements = disagreements(
        &setup,
        &levels_all,
        [
            ("diligence with only the shared rules", &levels_shared),
            ("regorus", &rego_levels),
            ("regorus RVM", &rvm_levels),
            ("native", &native_levels),
        ],
    );

    // 9. Report.
    let timings = [
        &d_all,
        &d_one,
        &d_shared,
        &regorus_interp,
        &regorus_vm,
        &native_t,
    ];
    let regorus = if regorus_vm.best < regorus_interp.best {
        &regorus_vm
    } else {
        &regorus_interp
    };
    print_table(args, &setup, &timings, &native_t, regorus);
    println!(
        "parse (load {} profiles with the real loader, {} threads): {:.1} ms; parse + evaluate: {:.1} ms",
        args.vendors,
        args.threads,
        ms(parse),
        ms(parse + d_all.best)
    );
    println!(
        "memory: peak {:.1} MB after loading and evaluating with diligence ({:.1} MB at the end of the whole run)",
        peak_diligence,
        peak_rss_mb()
    );
    let verdicts = shared_verdicts(&setup, &levels_all);
    println!(
        "agreement: {} levels compared (offering x class x shared rule), {} disagreements; shared-rule verdicts: {} go, {} conditional, {} hold, {} no-go",
        setup.evals(setup.shared.len()),
        disagreements,
        verdicts[0],
        verdicts[1],
        verdicts[2],
        verdicts[3]
    );
    println!(
        "generated: {} facts ({} unknown, {} bare, {} third-party only, {} conflicting, {} outvoted, {} quotes no longer in their snapshot)",
        counts.facts,
        counts.unknown,
        counts.bare,
        counts.third_party_only,
        counts.conflicting,
        counts.outvoted,
        counts.broken_quotes
    );
    if let Some(dir) = &args.keep {
        println!("workspace kept at {}", dir.display());
    }
    let mut json = serde_json::json!({
        "evals_per_s": d_all.per_s().round(),
        "evals_per_s_1thread": d_one.per_s().round(),
        "regorus_evals_per_s": regorus.per_s().round(),
        "regorus_interpreter_evals_per_s": regorus_interp.per_s().round(),
        "regorus_rvm_evals_per_s": regorus_vm.per_s().round(),
        "native_evals_per_s": native_t.per_s().round(),
        "shared_rules_evals_per_s_1thread": d_shared.per_s().round(),
        "vendors": args.vendors,
        "rules": setup.all_rules,
        "shared_rules": setup.shared.len(),
        "threads": args.threads,
        "parse_ms": (ms(parse) * 10.0).round() / 10.0,
        "evaluate_ms": (ms(d_all.best) * 10.0).round() / 10.0,
        "peak_rss_mb": (peak_diligence * 10.0).round() / 10.0,
        "disagreements": disagreements,
    });
    if let Some(measured) = &end_to_end {
        report_end_to_end(measured, &mut json);
    }
    if disagreements > 0 {
        eprintln!(
            "error: the engines disagree on {disagreements} levels (first 20 above): a mirror in bench/src/native.rs or bench/src/rego.rs no longer matches its scripts/<rule>.rhai"
        );
        println!("{json}");
        return Ok(ExitCode::from(1));
    }
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}

/// The folder of the generated workspace: `--keep DIR` (which must not hold vendors yet), or a
/// temporary folder removed when the returned guard is dropped.
fn workspace_folder(args: &Args) -> Result<(Option<tempfile::TempDir>, PathBuf), String> {
    match &args.keep {
        Some(dir) => {
            if dir.join("vendors").exists() {
                return Err(format!(
                    "{} already has a vendors/ folder: give an empty or new folder to --keep",
                    dir.display()
                ));
            }
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            Ok((None, dir.clone()))
        }
        None => {
            let temp = tempfile::Builder::new()
                .prefix("diligence-bench-")
                .tempdir()
                .map_err(|e| e.to_string())?;
            let root = temp.path().to_path_buf();
            Ok((Some(temp), root))
        }
    }
}

/// Step 1: the repository's policy and rules and `--vendors` synthetic vendors, under `root`.
fn generate_workspace(
    args: &Args,
    root: &Path,
    pool: &rayon::ThreadPool,
) -> Result<generate::Counts, String> {
    let t = Instant::now();
    let (counts, bytes) = pool
        .install(|| generate::write_workspace(root, &args.repo, args.vendors, args.seed))
        .map_err(|e| format!("writing the workspace: {e}"))?;
    let gen_ms = ms(t.elapsed());
    eprintln!(
        "generated {} vendors ({} offerings, {} facts, {} claims, {:.1} MB of YAML and snapshots) in {gen_ms:.0} ms at {}",
        args.vendors,
        2 * args.vendors,
        counts.facts,
        counts.claims,
        bytes as f64 / 1e6,
        root.display()
    );
    Ok(counts)
}

/// Step 2: the workspace through the real loader, timed; a generated error stops the run.
fn load(root: &Path, pool: &rayon::ThreadPool) -> Result<(Workspace, Duration), String> {
    let t = Instant::now();
    let ws = pool
        .install(|| Workspace::load(root))
        .map_err(|d| d.message)?;
    let parse = t.elapsed();
    let errors: Vec<_> = ws.problems.iter().filter(|d| d.is_error()).collect();
    if let Some(d) = errors.first() {
        return Err(format!(
            "the generated workspace has {} errors, e.g. {}: {}",
            errors.len(),
            d.location(),
            d.message
        ));
    }
    Ok((ws, parse))
}

/// Times diligence evaluating `req` with `rules` (the fastest of `--runs`) and keeps the shared
/// rules' levels of the first run. An eval is one rule (a script or an evidence check the
/// policy turns on) on one offering at one classification: every step of the run is counted,
/// the native checks included.
fn time_diligence(
    args: &Args,
    setup: &Setup,
    rules: &RuleSet,
    req: &Request,
    pool: &rayon::ThreadPool,
    name: &str,
    threads: usize,
) -> Result<(Timing, Levels), String> {
    let steps = rules.rules.len() + req.policy.evidence_checks.len();
    let mut best = Duration::MAX;
    let mut levels = None;
    for _ in 0..args.runs {
        let t = Instant::now();
        let ev = pool.install(|| evaluate(rules, req));
        let elapsed = t.elapsed();
        let ev = match ev {
            (ev, errors) if errors.is_empty() => ev,
            (_, errors) => {
                let d = &errors[0];
                return Err(format!("{name}: {}: {}", d.location(), d.message));
            }
        };
        best = best.min(elapsed);
        if levels.is_none() {
            levels = Some(Levels::from_evaluation(&ev, setup.n_off(), &setup.shared));
            let findings: usize = ev.results.iter().map(|r| r.findings.len()).sum();
            let evidence: usize = ev
                .results
                .iter()
                .flat_map(|r| &r.findings)
                .map(|f| f.evidence.len())
                .sum();
            eprintln!(
                "{name}: {} results, {findings} findings ({:.1} per result), {evidence} evidence entries; resident {:.1} MB",
                ev.results.len(),
                findings as f64 / ev.results.len() as f64,
                rss_mb()
            );
        }
        // Freeing the results is not part of the evaluation (the CLI renders them, then
        // exits): drop them outside the clock.
        drop(ev);
        release_freed_memory();
    }
    Ok((
        Timing {
            name: name.into(),
            rules: steps,
            threads,
            evals: setup.evals(steps),
            best,
        },
        levels.expect("at least one run"),
    ))
}

/// diligence with only the rules the three engines share, on `one` thread, without the
/// policy's evidence checks (`scripts_only`): the work native Rust and regorus do.
fn time_shared_rules(
    args: &Args,
    root: &Path,
    setup: &Setup,
    scripts_only: &Policy,
    one: &rayon::ThreadPool,
) -> Result<(Timing, Levels), String> {
    let shared_rules = shared_rule_set(root, &setup.shared)?;
    time_diligence(
        args,
        setup,
        &shared_rules,
        &setup.request(scripts_only),
        one,
        "diligence (shared rules)",
        1,
    )
}

/// `--profile`: only diligence with every rule, where the results' memory goes, then (with
/// `--profile-each`) each rule alone.
fn profile(
    args: &Args,
    root: &Path,
    ws: &Workspace,
    setup: &Setup,
    scripts_only: &Policy,
    pool: &rayon::ThreadPool,
) -> Result<ExitCode, String> {
    let req = setup.request(setup.policy);
    let name = "diligence (all bundled rules)";
    let (t, _) = time_diligence(args, setup, &ws.rules, &req, pool, name, args.threads)?;
    println!(
        "{}: {} evals in {:.1} ms, {:.0} evals/s; peak {:.1} MB",
        t.name,
        t.evals,
        ms(t.best),
        t.per_s(),
        peak_rss_mb()
    );
    results_memory(ws, &req, pool)?;
    // Each rule alone: where the time goes, rule by rule.
    let req_scripts = setup.request(scripts_only);
    let mut costs = Vec::new();
    for rule in ws.rules.rules.iter().filter(|_| args.profile_each) {
        let text = std::fs::read_to_string(root.join(&rule.file)).map_err(|e| e.to_string())?;
        let (one, _) = RuleSet::compile(&[RuleSource {
            id: rule.id.clone(),
            file: rule.file.clone(),
            text,
        }]);
        let (t, _) = time_diligence(
            args,
            setup,
            &one,
            &req_scripts,
            pool,
            &rule.id,
            args.threads,
        )?;
        costs.push((t.best, t.name.clone(), t.per_s()));
    }
    costs.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (best, name, per_s) in costs {
        println!(
            "  {name:<32} {:>8.1} ms  {:>10.0} evals/s  {:>6.2} us/eval",
            ms(best),
            per_s,
            1e6 / per_s
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the results' memory goes (live heap bytes, without the allocator's overhead): frees one
/// part of every finding at a time.
fn results_memory(ws: &Workspace, req: &Request, pool: &rayon::ThreadPool) -> Result<(), String> {
    COUNTING.store(true, std::sync::atomic::Ordering::Relaxed);
    let before = live_mb();
    let (mut ev, errors) = pool.install(|| evaluate(&ws.rules, req));
    if !errors.is_empty() {
        return Err("evaluation failed".to_string());
    }
    let findings: usize = ev.results.iter().map(|r| r.findings.len()).sum();
    let all = live_mb() - before;
    println!(
        "results' live heap: {all:.1} MB for {findings} findings ({:.0} bytes per finding):",
        all * 1e6 / findings as f64
    );
    let mut step = |what: &str, f: &mut dyn FnMut(&mut diligence::Finding)| {
        let at = live_mb();
        ev.results
            .iter_mut()
            .flat_map(|r| &mut r.findings)
            .for_each(&mut *f);
        let freed = at - live_mb();
        println!(
            "  {what:<44} {freed:>8.1} MB {:>6.0} B/finding",
            freed * 1e6 / findings as f64
        );
    };
    step("evidence (copies of the cited claims)", &mut |f| {
        f.evidence = Vec::new()
    });
    step("cited facts map", &mut |f| f.facts = Default::default());
    step("message, action, rule, raised_at", &mut |f| {
        f.message = String::new();
        f.action = None;
        f.rule = String::new();
        f.raised_at = String::new();
    });
    let at = live_mb();
    drop(ev);
    let freed = at - live_mb();
    println!(
        "  {:<44} {freed:>8.1} MB {:>6.0} B/finding",
        "finding and result structs",
        freed * 1e6 / findings as f64
    );
    COUNTING.store(false, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

/// The shared rules must be in the workspace's scripts, and the mirrors in the same order.
fn check_shared_rules(args: &Args, ws: &Workspace, setup: &Setup) -> Result<(), String> {
    for id in &setup.shared {
        if ws.rules.rule(id).is_none() {
            return Err(format!(
                "rule `{id}` is not in {}/scripts: the bench mirrors it natively and in Rego",
                args.repo.display()
            ));
        }
    }
    assert_eq!(
        setup.shared,
        rego::RULES.iter().map(|(id, _, _)| *id).collect::<Vec<_>>()
    );
    Ok(())
}

/// The shared rules alone, compiled from the workspace's scripts.
fn shared_rule_set(root: &Path, shared: &[&str]) -> Result<RuleSet, String> {
    let sources: Vec<RuleSource> = shared
        .iter()
        .map(|id| {
            let file = format!("scripts/{id}.rhai");
            std::fs::read_to_string(root.join(&file))
                .map(|text| RuleSource {
                    id: id.to_string(),
                    file,
                    text,
                })
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    let (rules, problems) = RuleSet::compile(&sources);
    if let Some(d) = problems.iter().find(|d| d.is_error()) {
        return Err(d.message.clone());
    }
    Ok(rules)
}

/// Step 5: regorus on the shared rules in Rego, one thread, with its interpreter or (`rvm`) its
/// bytecode VM; levels from the first run.
fn time_regorus(args: &Args, setup: &Setup, rvm: bool) -> Result<(Timing, Levels), String> {
    let (n_off, n_cls, n_rules) = (setup.n_off(), setup.n_cls(), setup.shared.len());
    let freshness: Freshness = freshness(setup.policy, setup.today);
    let requirements: Vec<_> = setup
        .classes
        .iter()
        .map(|c| setup.policy.requirements(c, &[]))
        .collect();
    let mut engine = rego::engine()?;
    let mut vm = if rvm { Some(rego::vm()?) } else { None };
    let mut levels = Levels::new(n_off, n_cls, n_rules);
    let mut best = Duration::MAX;
    for run in 0..args.runs {
        let mut results: Vec<regorus::Value> = Vec::with_capacity(n_off * n_cls * n_rules);
        let t = Instant::now();
        let today_v = regorus::Value::from(setup.today.to_string());
        let require_v: Vec<_> = requirements.iter().map(rego::require_value).collect();
        for (profile, offering) in &setup.offerings {
            let facts = rego::facts_value(profile, offering, freshness);
            for req_v in &require_v {
                let input = rego::input(&facts, req_v, &today_v);
                match &mut vm {
                    Some(vm) => {
                        vm.set_input(input);
                        for (k, (_, path, _)) in rego::RULES.iter().enumerate() {
                            results.push(
                                vm.execute_entry_point_by_index(k)
                                    .map_err(|e| format!("regorus RVM: {path}: {e}"))?,
                            );
                        }
                    }
                    None => {
                        engine.set_input(input);
                        for (_, path, _) in rego::RULES {
                            results.push(
                                engine
                                    .eval_rule(path.to_string())
                                    .map_err(|e| format!("regorus: {path}: {e}"))?,
                            );
                        }
                    }
                }
            }
        }
        best = best.min(t.elapsed());
        if run == 0 {
            for (n, v) in results.iter().enumerate() {
                let k = n % n_rules;
                let c = (n / n_rules) % n_cls;
                let o = n / (n_rules * n_cls);
                *levels.at(o, c, k) = rego::worst(v).map_err(|e| {
                    format!(
                        "{e} in {v} (rule {}, offering {o}, class {c})",
                        rego::RULES[k].0
                    )
                })?;
            }
        }
    }
    let name = if rvm {
        "regorus RVM (shared rules, bytecode)"
    } else {
        "regorus (shared rules in Rego)"
    };
    Ok((
        Timing {
            name: name.into(),
            rules: n_rules,
            threads: 1,
            evals: setup.evals(n_rules),
            best,
        },
        levels,
    ))
}

/// Step 6: the shared rules as typed Rust functions, one thread; levels from the first run.
fn time_native(args: &Args, setup: &Setup) -> (Timing, Levels) {
    let (n_off, n_cls, n_rules) = (setup.n_off(), setup.n_cls(), setup.shared.len());
    let freshness: Freshness = freshness(setup.policy, setup.today);
    let requirements: Vec<_> = setup
        .classes
        .iter()
        .map(|c| setup.policy.requirements(c, &[]))
        .collect();
    let today = setup.today;
    let mut levels = Levels::new(n_off, n_cls, n_rules);
    let mut best = Duration::MAX;
    for run in 0..args.runs {
        let mut results: Vec<Vec<native::Finding>> = Vec::with_capacity(n_off * n_cls);
        let t = Instant::now();
        let require: Vec<native::Require> = requirements
            .iter()
            .map(native::Require::from_policy)
            .collect();
        for (profile, offering) in &setup.offerings {
            let facts = native::Facts::build(profile, offering, freshness);
            for r in &require {
                let ctx = native::Ctx {
                    facts: &facts,
                    require: r,
                    today,
                };
                let mut findings = Vec::new();
                for (_, rule) in native::RULES {
                    rule(&ctx, &mut native::Out(&mut findings));
                }
                results.push(findings);
            }
        }
        best = best.min(t.elapsed());
        if run == 0 {
            // Levels per rule: re-run each rule alone (outside the clock) to attribute findings.
            for (o, (profile, offering)) in setup.offerings.iter().enumerate() {
                let facts = native::Facts::build(profile, offering, freshness);
                for (c, r) in require.iter().enumerate() {
                    let ctx = native::Ctx {
                        facts: &facts,
                        require: r,
                        today,
                    };
                    for (k, (_, rule)) in native::RULES.iter().enumerate() {
                        let mut findings = Vec::new();
                        rule(&ctx, &mut native::Out(&mut findings));
                        *levels.at(o, c, k) = findings.iter().map(|f| f.level).max();
                    }
                }
            }
        }
        // Keep the findings (messages included) observable, as diligence keeps its results.
        let bytes: usize = results
            .iter()
            .flatten()
            .map(|f| f.message.len() + f.action.len())
            .sum();
        std::hint::black_box(bytes);
    }
    (
        Timing {
            name: "native Rust (shared rules, typed)".into(),
            rules: n_rules,
            threads: 1,
            evals: setup.evals(n_rules),
            best,
        },
        levels,
    )
}

/// Step 7: the levels where another engine differs from diligence with every rule (the first
/// 20 printed).
fn disagreements(setup: &Setup, diligence: &Levels, others: [(&str, &Levels); 4]) -> usize {
    let mut disagreements = 0usize;
    for (o, (p, off)) in setup.offerings.iter().enumerate() {
        for (c, class) in setup.classes.iter().enumerate() {
            for (k, id) in setup.shared.iter().enumerate() {
                let d = diligence.get(o, c, k);
                for (who, levels) in others {
                    let level = levels.get(o, c, k);
                    if level != d {
                        disagreements += 1;
                        if disagreements <= 20 {
                            eprintln!(
                                "DISAGREE {}/{} at {} rule {id}: diligence {} but {who} {}",
                                p.id,
                                off.id,
                                class,
                                show(d),
                                show(level)
                            );
                        }
                    }
                }
            }
        }
    }
    disagreements
}

/// The verdicts over the shared rules (they agree when the levels do), counted for the summary:
/// go, conditional, hold, no-go.
fn shared_verdicts(setup: &Setup, levels: &Levels) -> [usize; 4] {
    let mut verdicts = [0usize; 4];
    for o in 0..setup.n_off() {
        for c in 0..setup.n_cls() {
            let worst = (0..setup.shared.len())
                .filter_map(|k| levels.get(o, c, k))
                .max()
                .map_or(diligence::Verdict::Go, diligence::Verdict::from_level);
            verdicts[worst as usize] += 1;
        }
    }
    verdicts
}

/// The table of engines, after a blank line and the run's title.
fn print_table(args: &Args, setup: &Setup, timings: &[&Timing], native: &Timing, regorus: &Timing) {
    println!();
    println!(
        "diligence-bench: {} vendors, {} offerings x {} classifications; {} bundled rules, {} shared; best of {} runs",
        args.vendors,
        setup.n_off(),
        setup.n_cls(),
        setup.all_rules,
        setup.shared.len(),
        args.runs
    );
    println!(
        "{:<36} {:>5} {:>7} {:>11} {:>10} {:>13} {:>10} {:>10}",
        "engine", "rules", "threads", "evals", "ms", "evals/s", "vs native", "vs regorus"
    );
    for t in timings {
        println!(
            "{:<36} {:>5} {:>7} {:>11} {:>10.1} {:>13.0} {:>9.3}x {:>9.2}x",
            t.name,
            t.rules,
            t.threads,
            t.evals,
            ms(t.best),
            t.per_s(),
            t.per_s() / native.per_s(),
            t.per_s() / regorus.per_s()
        );
    }
}

/// The end-to-end lines of the report, and their keys in the JSON line.
fn report_end_to_end((n, e, site): &EndToEnd, json: &mut serde_json::Value) {
    let label = e2e::label(*n);
    let s = |m: &e2e::Measured| m.wall.as_secs_f64();
    println!(
        "end to end, {n} vendors, `diligence evaluate --format jsonl -o FILE` (one run, side by side):"
    );
    if let Some(b) = &e.baseline {
        println!(
            "  baseline (--baseline build): {:.2} s; cold is {:.2}x it",
            s(b),
            s(&e.cold) / s(b)
        );
    }
    println!(
        "  before (--no-cache --json-schema-version 1): {:.2} s, peak {:.1} MB, {:.1} MB written",
        s(&e.before),
        e.before.peak_rss_mb,
        e.bytes_before as f64 / 1e6
    );
    println!(
        "  cold (empty cache, schema 3): {:.2} s ({:.2}x before), peak {:.1} MB, {:.1} MB written, {:.1} MB of cache entries",
        s(&e.cold),
        s(&e.cold) / s(&e.before),
        e.cold.peak_rss_mb,
        e.bytes as f64 / 1e6,
        e.cache_bytes as f64 / 1e6
    );
    println!(
        "  warm (one profile changed): {:.2} s ({:.3}x cold), peak {:.1} MB",
        s(&e.warm),
        s(&e.warm) / s(&e.cold),
        e.warm.peak_rss_mb
    );
    println!(
        "  a rule changed (every vendor evaluated again from its folder as read): {:.2} s ({:.2}x cold), peak {:.1} MB",
        s(&e.rule_edited),
        s(&e.rule_edited) / s(&e.cold),
        e.rule_edited.peak_rss_mb
    );
    if let Some(b) = e
        .check
        .as_ref()
        .and_then(|c| c.baseline.as_ref().map(|b| (b, &c.cold)))
    {
        println!(
            "  check, baseline (--baseline build): {:.2} s; cold is {:.2}x it",
            s(b.0),
            s(b.1) / s(b.0)
        );
    }
    if let Some(c) = &e.check {
        println!(
            "  check: before {:.2} s, cold {:.2} s, warm {:.2} s ({:.3}x cold), peak {:.1} MB before, {:.1} MB cold, {:.1} MB warm",
            s(&c.before),
            s(&c.cold),
            s(&c.warm),
            s(&c.warm) / s(&c.cold),
            c.before.peak_rss_mb,
            c.cold.peak_rss_mb,
            c.warm.peak_rss_mb
        );
    }
    let round = |x: f64, places: i32| (x * 10f64.powi(places)).round() / 10f64.powi(places);
    if let (Some((site, pages, site_bytes)), Some(map)) = (site, json.as_object_mut()) {
        println!(
            "end to end, {n} vendors, `diligence site -o DIR` ({pages} pages, {:.1} MB): {:.2} s, peak {:.1} MB",
            *site_bytes as f64 / 1e6,
            site.wall.as_secs_f64(),
            site.peak_rss_mb
        );
        map.insert(
            format!("site_{label}_s"),
            round(site.wall.as_secs_f64(), 2).into(),
        );
        map.insert(
            format!("site_{label}_rss_mb"),
            round(site.peak_rss_mb, 1).into(),
        );
        map.insert(format!("site_{label}_pages"), (*pages).into());
    }
    if let Some(map) = json.as_object_mut() {
        map.insert(format!("e2e_{label}_vendors"), (*n).into());
        let mut put = |key: String, value: f64| {
            map.insert(key, round(value, 2).into());
        };
        if let Some(b) = &e.baseline {
            put(format!("e2e_{label}_baseline_s"), s(b));
        }
        if let Some(b) = e.check.as_ref().and_then(|c| c.baseline.as_ref()) {
            put(format!("check_{label}_baseline_s"), s(b));
        }
        put(format!("e2e_{label}_before_s"), s(&e.before));
        put(format!("e2e_{label}_s"), s(&e.cold));
        put(format!("e2e_{label}_warm_s"), s(&e.warm));
        put(format!("e2e_{label}_rule_edited_s"), s(&e.rule_edited));
        put(
            format!("e2e_{label}_rss_mb"),
            e.cold.peak_rss_mb.max(e.warm.peak_rss_mb),
        );
        put(
            format!("e2e_{label}_kb_per_vendor"),
            e.bytes as f64 / 1e3 / *n as f64,
        );
        put(
            format!("e2e_{label}_before_kb_per_vendor"),
            e.bytes_before as f64 / 1e3 / *n as f64,
        );
        put(
            format!("e2e_{label}_cache_kb_per_vendor"),
            e.cache_bytes as f64 / 1e3 / *n as f64,
        );
        if let Some(c) = &e.check {
            put(format!("check_{label}_before_s"), s(&c.before));
            put(format!("check_{label}_s"), s(&c.cold));
            put(format!("check_{label}_warm_s"), s(&c.warm));
            put(
                format!("check_{label}_rss_mb"),
                c.cold.peak_rss_mb.max(c.warm.peak_rss_mb),
            );
            put(format!("check_{label}_before_rss_mb"), c.before.peak_rss_mb);
        }
    }
}

/// What the end-to-end run measured: vendors, evaluate and check (before, cold, warm), and the
/// site (its cost, pages and bytes).
type EndToEnd = (usize, e2e::EndToEnd, Option<(e2e::Measured, usize, u64)>);

/// Generates (or reuses) the end-to-end workspace and runs the commands on it.
fn end_to_end(args: &Args, root: &Path) -> Result<EndToEnd, String> {
    let n = args.e2e;
    let temp;
    let ws_root = if n == args.vendors {
        root.to_path_buf()
    } else {
        temp = tempfile::Builder::new()
            .prefix("diligence-bench-e2e-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let t = Instant::now();
        generate::write_workspace(temp.path(), &args.repo, n, args.seed)
            .map_err(|e| format!("writing the end-to-end workspace: {e}"))?;
        eprintln!(
            "generated {n} vendors for the end-to-end run in {:.0} ms",
            ms(t.elapsed())
        );
        temp.path().to_path_buf()
    };
    let out = tempfile::Builder::new()
        .prefix("diligence-bench-e2e-")
        .suffix(".jsonl")
        .tempfile()
        .map_err(|e| e.to_string())?
        .into_temp_path();
    let measured =
        e2e::evaluate_and_check(&ws_root, &out, args.e2e_check, args.baseline.as_deref())?;
    eprintln!(
        "end to end, {n} vendors: evaluate --format jsonl {:.2} s before, {:.2} s cold, {:.2} s warm",
        measured.before.wall.as_secs_f64(),
        measured.cold.wall.as_secs_f64(),
        measured.warm.wall.as_secs_f64(),
    );
    if !args.e2e_site {
        return Ok((n, measured, None));
    }
    let site = e2e::site(&ws_root)?;
    eprintln!(
        "end to end, {n} vendors: site {:.2} s, peak {:.1} MB ({} pages)",
        site.0.wall.as_secs_f64(),
        site.0.peak_rss_mb,
        site.1
    );
    Ok((n, measured, Some(site)))
}
