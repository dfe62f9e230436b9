//! Helpers for CLI tests: a small workspace written into a temporary folder per test.
#![allow(dead_code)]

pub mod cdp;
pub mod programs;
pub mod xlsx;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub const TODAY: &str = "2026-11-24";

/// The date tests review the bundled workspace as of: on or after every bundled profile's
/// `reviewed:` date, so that its reports carry no "review date in the future" warning
/// (`bundled_knowledge` checks that it stays so).
pub const BUNDLED_TODAY: &str = "2026-12-06";

/// The repository root: the bundled workspace.
pub fn bundled() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `diligence` with colour off and the workspace set.
pub fn diligence(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("diligence").expect("binary built");
    cmd.env("NO_COLOR", "1")
        .env_remove("DILIGENCE_DIR")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("DILIGENCE_CACHE")
        .env_remove("DILIGENCE_NO_CACHE")
        .arg("-C")
        .arg(dir);
    // Tests write only into temporary folders: never a results cache into the repository (the
    // bundled workspace or a fixture under tests/).
    if dir.starts_with(bundled()) {
        cmd.env("DILIGENCE_NO_CACHE", "1");
    }
    cmd
}

pub const POLICY: &str = "organization: Test Org
evidence_max_age_days: 365
classifications:
  public: {}
  internal: {require: {dpa: true}}
  confidential: {inherits: internal, require: {no_training: true, max_retention_days: 30}}
tags:
  phi: {require: {baa: true}}
";

pub const SNAPSHOT: &str = "# Acme Terms\n\n**2.1 Training.** Acme shall not use Customer Content to train models.\n\n2.2 Retention. Acme deletes Customer Content within 14 days.\n";

/// The sample vendor's profile up to its offering's `facts:` (a macro so that [`PROFILE`] can
/// be built from it with `concat!`).
macro_rules! profile_head {
    () => {
        "vendor: acme
name: Acme AI
reviewed: 2026-11-01
sources:
  terms:
    title: Acme Terms
    authority: contract
    retrieved: 2026-10-01
    snapshot: sources/terms.md
offerings:
  api:
    name: Acme API
    tier: api
    facts:
"
    };
}

/// The sample vendor's profile up to its offering's `facts:`, for tests that write their own.
pub const PROFILE_HEAD: &str = profile_head!();

/// The sample vendor's profile with these facts (YAML indented under `facts:`).
pub fn profile_with_facts(facts: &str) -> String {
    format!("{PROFILE_HEAD}{facts}")
}

pub const PROFILE: &str = concat!(
    profile_head!(),
    "      training_on_inputs:
        - value: never
          source: terms
          section: \"2.1\"
          quote: \"Acme shall not use Customer Content to train models.\"
      retention_days:
        - value: 14
          source: terms
          section: \"2.2\"
          quote: \"Acme deletes Customer Content within 14 days.\"
"
);

pub const RULE: &str = "//! Training on inputs
//! Test rule.
let t = fact(\"training_on_inputs\");
if require.no_training != true { return; }
if t == () { hold(\"unknown training\", \"ask the vendor\"); }
else if t == \"never\" { pass(\"no training\"); }
else { block(\"trains on inputs\", \"do not send data\"); }
";

/// A workspace in a temporary folder: one policy, one vendor, one rule.
pub struct Ws {
    pub dir: tempfile::TempDir,
}

impl Ws {
    pub fn new() -> Ws {
        let ws = Ws {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        ws.write("policies/default.yaml", POLICY);
        ws.write("vendors/acme/profile.yaml", PROFILE);
        ws.write("vendors/acme/sources/terms.md", SNAPSHOT);
        ws.write("scripts/training.rhai", RULE);
        ws
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Ws {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).expect("read")
    }

    /// Replaces `from` by `to` in a file of the workspace (the text must be there).
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Ws {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    pub fn cmd(&self) -> Command {
        diligence(self.path())
    }

    /// As [`Ws::cmd`], a plain process command, for [`measured`] runs.
    pub fn command(&self) -> std::process::Command {
        let mut cmd = program();
        cmd.arg("-C").arg(self.path());
        cmd
    }

    /// Replaces the sample rule with the bundled rule `rule` (`scripts/<rule>.rhai`), so a
    /// test sees that rule alone.
    pub fn only_bundled_rule(&self, rule: &str) -> &Ws {
        std::fs::remove_file(self.path().join("scripts/training.rhai"))
            .expect("remove sample rule");
        let path = format!("scripts/{rule}.rhai");
        let script = std::fs::read_to_string(bundled().join(&path)).expect("bundled rule");
        self.write(&path, &script)
    }
}

/// `diligence -C DIR evaluate --format json ARGS` as of [`TODAY`] (unless `args` give
/// `--today`); the run must succeed. Returns the parsed output.
pub fn evaluate_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    stdout_json(&mut evaluate_json_cmd(dir, args))
}

/// The JSON of `evaluate` (a document or one jsonl line) in the form of version 1 of the
/// contract, as tests read it: a document with `results`, each finding with its evidence
/// written into it. Version 3 holds each offering once (its results refer to its findings,
/// findings to its evidence, evidence to its sources, by index) and version 2 each result's
/// evidence once (by id): every index and id must resolve. A version 3 jsonl line (an
/// offering) becomes the array of its results; see [`jsonl_results`]. Other JSON is returned
/// as it is.
pub fn inline_evidence(mut v: serde_json::Value) -> serde_json::Value {
    fn result(r: &mut serde_json::Value) {
        let Some(table) = r.get("evidence").and_then(|t| t.as_object()).cloned() else {
            return;
        };
        if let Some(o) = r.as_object_mut() {
            o.remove("evidence");
            o.remove("schema_version");
        }
        for f in r["findings"].as_array_mut().into_iter().flatten() {
            let ids = f["evidence"].as_array().cloned().unwrap_or_default();
            f["evidence"] = ids
                .iter()
                .map(|id| {
                    let id = id.as_str().expect("an evidence id");
                    table
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| panic!("evidence id {id} resolves"))
                })
                .collect();
        }
    }
    if v["schema_version"] == 3 {
        let Some(offerings) = v.get("offerings").and_then(|o| o.as_array()).cloned() else {
            // A jsonl line: one offering.
            let refs = v.get("rule_refs").cloned().unwrap_or_default();
            return serde_json::Value::Array(offering_results(&v, &refs));
        };
        let refs = v.get("rule_refs").cloned().unwrap_or_default();
        let results: Vec<serde_json::Value> = offerings
            .iter()
            .flat_map(|o| offering_results(o, &refs))
            .collect();
        let o = v.as_object_mut().expect("a document");
        o.remove("schema_version");
        let warnings = o.remove("warnings");
        o.remove("offerings");
        o.insert("results".into(), results.into());
        o.insert("warnings".into(), warnings.unwrap_or_default());
        return v;
    }
    if v.get("schema_version").is_some() && v.get("results").is_some() {
        for r in v["results"].as_array_mut().into_iter().flatten() {
            result(r);
        }
        if let Some(o) = v.as_object_mut() {
            o.remove("schema_version");
        }
    } else if v.get("findings").is_some() {
        result(&mut v);
    }
    v
}

/// The results of every line of `--format jsonl` output, in the form of version 1.
pub fn jsonl_results(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .flat_map(|l| {
            match inline_evidence(serde_json::from_str(l).expect("each line is one JSON object")) {
                serde_json::Value::Array(results) => results,
                one => vec![one],
            }
        })
        .collect()
}

/// An offering of version 3 as the results of version 1 (`refs`: the `rule_refs` that apply).
fn offering_results(o: &serde_json::Value, refs: &serde_json::Value) -> Vec<serde_json::Value> {
    use serde_json::{Value, json};
    let list = |name: &str| o[name].as_array().cloned().unwrap_or_default();
    let (findings, evidence, sources) = (list("findings"), list("evidence"), list("sources"));
    let at = |table: &[Value], i: &Value, what: &str| -> Value {
        let i = i.as_u64().unwrap_or_else(|| panic!("{what} index {i}"));
        table
            .get(i as usize)
            .cloned()
            .unwrap_or_else(|| panic!("{what} index {i} resolves"))
    };
    let claim = |i: &Value| -> Value {
        let e = at(&evidence, i, "evidence");
        let source = e.get("source").map(|s| at(&sources, s, "source"));
        let field = |name: &str| e.get(name).cloned().unwrap_or(Value::Null);
        let from_source = |name: &str| {
            source
                .as_ref()
                .and_then(|s| s.get(name).cloned())
                .unwrap_or(Value::Null)
        };
        let mut v1 = json!({
            "fact": field("fact"),
            "source": from_source("id"),
            "authority": source.as_ref().map_or_else(|| field("authority"), |s| s["authority"].clone()),
            "title": from_source("title"),
            "url": from_source("url"),
            "section": field("section"),
            "quote": field("quote"),
            "at": field("at"),
            "value": field("value"),
            "role": field("role"),
        });
        let m = v1.as_object_mut().expect("object");
        for name in ["note", "searched", "exceptions", "allowed_if"] {
            if let Some(x) = e.get(name) {
                m.insert(name.into(), x.clone());
            }
        }
        if let Some(notes) = source.as_ref().and_then(|s| s.get("notes")) {
            m.insert("source_notes".into(), notes.clone());
        }
        v1
    };
    let finding = |i: &Value| -> Value {
        let f = at(&findings, i, "finding");
        let field = |name: &str| f.get(name).cloned().unwrap_or(Value::Null);
        let rule = f["rule"].as_str().expect("a rule");
        json!({
            "rule": rule,
            "level": field("level"),
            "message": field("message"),
            "action": field("action"),
            "waived": field("waived"),
            "refs": f.get("refs").or_else(|| refs.get(rule)).cloned().unwrap_or_else(|| json!([])),
            "facts": f.get("facts").cloned().unwrap_or_else(|| json!({})),
            "evidence": f["evidence"].as_array().into_iter().flatten().map(claim).collect::<Vec<_>>(),
            "raised_at": field("raised_at"),
        })
    };
    list("results")
        .iter()
        .map(|r| {
            let mut v1 = serde_json::Map::new();
            for name in ["vendor", "vendor_name", "offering", "offering_name", "tier"] {
                v1.insert(name.into(), o[name].clone());
            }
            for name in ["vendor_notes", "offering_notes"] {
                if let Some(x) = o.get(name) {
                    v1.insert(name.into(), x.clone());
                }
            }
            v1.insert("classification".into(), r["classification"].clone());
            v1.insert("tags".into(), r.get("tags").unwrap_or(&o["tags"]).clone());
            v1.insert("verdict".into(), r["verdict"].clone());
            let fs: Vec<Value> = r["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(finding)
                .collect();
            v1.insert("findings".into(), fs.into());
            for name in ["errors", "decision"] {
                if let Some(x) = r.get(name) {
                    v1.insert(name.into(), x.clone());
                }
            }
            Value::Object(v1)
        })
        .collect()
}

/// As [`evaluate_json`], also returning what the run printed on stderr.
pub fn evaluate_json_and_stderr(dir: &Path, args: &[&str]) -> (serde_json::Value, String) {
    let assert = evaluate_json_cmd(dir, args).assert().success();
    let out = assert.get_output();
    let v = serde_json::from_slice(&out.stdout).expect("valid JSON on stdout");
    (
        inline_evidence(v),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn evaluate_json_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = diligence(dir);
    cmd.args(["evaluate", "--format", "json"]);
    if !args.contains(&"--today") {
        cmd.args(["--today", TODAY]);
    }
    cmd.args(args);
    cmd
}

/// Every finding of an evaluation's JSON with its result: `(result, finding)`.
pub fn findings(v: &serde_json::Value) -> Vec<(&serde_json::Value, &serde_json::Value)> {
    v["results"]
        .as_array()
        .expect("results")
        .iter()
        .flat_map(|r| {
            r["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(move |f| (r, f))
        })
        .collect()
}

/// Runs a command that must succeed and parses its standard output as JSON.
pub fn stdout_json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    inline_evidence(serde_json::from_slice(&out).expect("valid JSON on stdout"))
}

/// Copies a folder recursively; copies are writable even when the originals are read-only.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
            let mut perms = std::fs::metadata(&target).expect("metadata").permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).expect("chmod");
        }
    }
}

/// Runs git in `dir` as Open Terms Archive's bot records a version (committed at `date` when
/// given), with the machine's and the user's git configuration left out so that no local
/// setting (signing, hooks, a default branch) changes what the tests build.
pub fn archive_git(dir: &Path, args: &[&str], date: Option<&str>) {
    let mut cmd = std::process::Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Open Terms Archive Bot")
        .env("GIT_AUTHOR_EMAIL", "bot@opentermsarchive.org")
        .env("GIT_COMMITTER_NAME", "Open Terms Archive Bot")
        .env("GIT_COMMITTER_EMAIL", "bot@opentermsarchive.org");
    if let Some(d) = date {
        cmd.env("GIT_AUTHOR_DATE", d).env("GIT_COMMITTER_DATE", d);
    }
    let out = cmd
        .output()
        .expect("git must be installed to run these tests");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `diligence -C DIR ARGS` with its address space capped at 2 GiB: an input that reaches for
/// more fails an allocation (an abort, or a located error) instead of taking the machine.
pub fn capped<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Measured {
    let mut cmd = program();
    cmd.arg("-C").arg(dir).args(args);
    cap_address_space(&mut cmd);
    measured(&mut cmd, std::time::Duration::from_secs(300))
}

/// Caps the address space of the process `cmd` starts at 2 GiB.
pub fn cap_address_space(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is async-signal-safe; the closure touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: 2 << 30,
                rlim_max: 2 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// `diligence` as a plain process command, colour off (see [`diligence`]).
pub fn program() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("diligence"));
    cmd.env("NO_COLOR", "1")
        .env_remove("DILIGENCE_DIR")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// A finished run with what it cost: its own peak memory and CPU time, whatever else the test
/// binary runs at the same time.
pub struct Measured {
    pub output: std::process::Output,
    /// Peak resident memory of this process, in MB.
    pub peak_mb: f64,
    /// CPU time of this process (user + system).
    pub cpu: std::time::Duration,
}

/// Runs `cmd` to its end and measures it (see [`Measured`]). A hang guard, not a benchmark: a
/// run still going after `guard` is killed (and so fails its test's exit code check).
pub fn measured(cmd: &mut std::process::Command, guard: std::time::Duration) -> Measured {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    // Reaped by wait4 below, which also gives the child's own resource usage.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let pid = child.id() as libc::pid_t;
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr")));
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            while !done.load(Ordering::Relaxed) {
                if start.elapsed() > guard {
                    // SAFETY: a plain signal to the child's pid; `done` is set as soon as it is reaped.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        })
    };
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 writes the status and a complete rusage of the child it reaps.
    let usage = unsafe {
        let reaped = libc::wait4(pid, &mut status, 0, usage.as_mut_ptr());
        assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
        usage.assume_init()
    };
    done.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    let time = |t: libc::timeval| {
        std::time::Duration::from_secs(t.tv_sec as u64)
            + std::time::Duration::from_micros(t.tv_usec as u64)
    };
    Measured {
        output: std::process::Output {
            status: std::process::ExitStatus::from_raw(status),
            stdout: stdout.join().expect("stdout"),
            stderr: stderr.join().expect("stderr"),
        },
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
    }
}
