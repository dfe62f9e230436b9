//! The results cache: a run over an unchanged workspace reads every vendor's results back; a
//! change to anything a result depends on is a miss for the vendors it touches; a damaged
//! entry is recomputed; and the output is the same bytes with and without the cache.

mod common;

use common::{TODAY, diligence};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A copy of the bundled workspace (five vendors) and a cache folder beside it.
struct Setup {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    cache: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().expect("tempdir");
        let ws = dir.path().join("ws");
        let status = diligence(dir.path())
            .arg("init")
            .arg(&ws)
            .output()
            .expect("init runs");
        assert!(status.status.success(), "init: {status:?}");
        let cache = dir.path().join("cache");
        Setup {
            _dir: dir,
            ws,
            cache,
        }
    }

    /// `evaluate --format FORMAT` (streamed: the whole portfolio) with the cache or without;
    /// returns (stdout, stderr, exit code).
    fn evaluate(&self, format: &str, cached: bool, extra: &[&str]) -> (Vec<u8>, String, i32) {
        let mut cmd = diligence(&self.ws);
        cmd.args(["evaluate", "--format", format]);
        if !extra.contains(&"--today") {
            cmd.args(["--today", TODAY]);
        }
        cmd.args(extra);
        self.cache_args(&mut cmd, cached);
        let out = cmd.output().expect("evaluate runs");
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    fn check(&self, cached: bool) -> (Vec<u8>, String, i32) {
        self.check_with(cached, &[])
    }

    fn check_with(&self, cached: bool, extra: &[&str]) -> (Vec<u8>, String, i32) {
        let mut cmd = diligence(&self.ws);
        cmd.args(["check", "--today", TODAY]);
        cmd.args(extra);
        self.cache_args(&mut cmd, cached);
        let out = cmd.output().expect("check runs");
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    fn cache_args(&self, cmd: &mut assert_cmd::Command, cached: bool) {
        if cached {
            cmd.arg("--cache").arg(&self.cache);
        } else {
            cmd.arg("--no-cache");
        }
    }

    /// Runs evaluate with the cache and without and asserts the same output; returns what the
    /// cached run wrote into the cache.
    fn same_with_and_without(&self, extra: &[&str]) -> Change {
        let before = entries(&self.cache);
        let cached = self.evaluate("jsonl", true, extra);
        let after = entries(&self.cache);
        let uncached = self.evaluate("jsonl", false, extra);
        assert_eq!(cached.2, uncached.2, "exit codes");
        assert_eq!(cached.1, uncached.1, "stderr");
        assert!(
            cached.0 == uncached.0,
            "the jsonl with the cache differs from the jsonl without it"
        );
        assert!(!cached.0.is_empty());
        Change::between(&before, &after)
    }

    /// Appends a comment to one rule script: its bytes change, what it decides does not.
    fn edit_a_rule(&self) {
        let rule = std::fs::read_dir(self.ws.join("scripts"))
            .expect("scripts")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with(".rhai"))
            .expect("a rule");
        self.append(&format!("scripts/{rule}"), "\n// edited\n");
    }

    fn append(&self, rel: &str, text: &str) {
        let path = self.ws.join(rel);
        let mut content = std::fs::read_to_string(&path).expect("read");
        content.push_str(text);
        std::fs::write(&path, content).expect("write");
    }

    /// The first vendor's folder name and one of its snapshots (relative to the workspace).
    fn a_snapshot(&self) -> String {
        let mut vendors: Vec<String> = std::fs::read_dir(self.ws.join("vendors"))
            .expect("vendors")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        vendors.sort();
        for v in vendors {
            let sources = self.ws.join("vendors").join(&v).join("sources");
            let Ok(read) = std::fs::read_dir(&sources) else {
                continue;
            };
            let mut files: Vec<String> = read
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect();
            files.sort();
            if let Some(f) = files.first() {
                return format!("vendors/{v}/sources/{f}");
            }
        }
        panic!("the bundled workspace has a snapshot");
    }

    /// Mangles the workspace so that reading it says much: a bidi mark in a snapshot and in a
    /// quote, a vendor's snapshots emptied (its quotes no longer hold), a claim marked as a
    /// draft.
    fn mangle(&self) {
        let mut vendors: Vec<String> = std::fs::read_dir(self.ws.join("vendors"))
            .expect("vendors")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|v| {
                std::fs::read_dir(self.ws.join("vendors").join(v).join("sources"))
                    .expect("sources")
                    .any(|e| {
                        e.expect("entry")
                            .path()
                            .extension()
                            .is_some_and(|x| x == "md")
                    })
            })
            .collect();
        vendors.sort();
        assert!(
            vendors.len() >= 3,
            "three vendors with snapshots: {vendors:?}"
        );
        let profile = |v: &str| self.ws.join("vendors").join(v).join("profile.yaml");
        let edit = |v: &str, from: &str, to: &str| {
            let text = std::fs::read_to_string(profile(v)).expect("profile");
            let edited = text.replacen(from, to, 1);
            assert_ne!(edited, text, "{v}: no `{from}`");
            std::fs::write(profile(v), edited).expect("write");
        };
        self.append(
            &self.a_snapshot(),
            "\nAn added line with a \u{202E}bidi mark.\n",
        );
        edit(&vendors[0], "quote: \"", "quote: \"\u{202E}");
        for entry in std::fs::read_dir(self.ws.join("vendors").join(&vendors[1]).join("sources"))
            .expect("sources")
        {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "md") {
                std::fs::write(&path, "# Emptied\n\nNothing here any more.\n").expect("write");
            }
        }
        edit(&vendors[2], "quote:", "draft: true\n          quote:");
    }
}

/// Entries of a cache folder: path -> inode (a rewritten entry gets a new inode: it is renamed
/// into place).
fn entries(cache: &Path) -> BTreeMap<PathBuf, u64> {
    let mut out = BTreeMap::new();
    let Ok(folders) = std::fs::read_dir(cache) else {
        return out;
    };
    for folder in folders {
        let folder = folder.expect("entry").path();
        // Entries are in two-letter folders; the stat index beside them is not one.
        if !folder.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&folder).expect("read_dir") {
            let file = file.expect("entry").path();
            let ino = std::fs::metadata(&file).expect("metadata").ino();
            out.insert(file, ino);
        }
    }
    out
}

/// What a run did to the cache: entries added (misses under a new key) and rewritten (misses
/// under a key that had an entry: a damaged one).
#[derive(Debug, PartialEq)]
struct Change {
    added: usize,
    rewritten: usize,
}

impl Change {
    fn between(before: &BTreeMap<PathBuf, u64>, after: &BTreeMap<PathBuf, u64>) -> Change {
        Change {
            added: after.keys().filter(|k| !before.contains_key(*k)).count(),
            rewritten: after
                .iter()
                .filter(|(k, ino)| before.get(*k).is_some_and(|b| b != *ino))
                .count(),
        }
    }
}

const VENDORS: usize = 5;

/// The entries a vendor read and evaluated in a run adds: its results, and its folder as read
/// (profile parsed, quotes verified), which every command and request shares.
fn cold(vendors: usize) -> Change {
    misses(2 * vendors)
}

fn hits() -> Change {
    Change {
        added: 0,
        rewritten: 0,
    }
}

fn misses(n: usize) -> Change {
    Change {
        added: n,
        rewritten: 0,
    }
}

#[test]
fn an_unchanged_workspace_is_read_from_the_cache_with_the_same_output() {
    let s = Setup::new();
    assert_eq!(s.same_with_and_without(&[]), cold(VENDORS), "cold run");
    assert_eq!(s.same_with_and_without(&[]), hits(), "warm run");
    // Every streamed format, read back from the cache, is the same bytes.
    for format in ["csv", "sarif"] {
        let cached = s.evaluate(format, true, &[]);
        let uncached = s.evaluate(format, false, &[]);
        assert!(cached.0 == uncached.0, "{format} differs with the cache");
        assert_eq!(cached.1, uncached.1, "{format} stderr");
    }
}

#[test]
fn each_input_of_a_result_is_part_of_its_key() {
    let s = Setup::new();
    s.same_with_and_without(&[]);

    // A snapshot: only its vendor is evaluated again, and the results follow the new text.
    let snapshot = s.a_snapshot();
    let before = s.evaluate("jsonl", false, &[]).0;
    std::fs::write(
        s.ws.join(&snapshot),
        "# Emptied\n\nNothing here any more.\n",
    )
    .expect("write");
    assert_eq!(s.same_with_and_without(&[]), cold(1), "snapshot edited");
    assert!(
        s.evaluate("jsonl", true, &[]).0 != before,
        "the emptied snapshot changes the results"
    );

    // A profile: only its vendor.
    let vendor = snapshot.split('/').nth(1).expect("vendor").to_string();
    s.append(
        &format!("vendors/{vendor}/profile.yaml"),
        "\n# reviewed again\n",
    );
    assert_eq!(s.same_with_and_without(&[]), cold(1), "profile edited");

    // A rule, the policy and the date: every vendor's results, each from its folder as read
    // before (no profile is parsed nor quote verified again: no read entry is added).
    s.edit_a_rule();
    assert_eq!(s.same_with_and_without(&[]), misses(VENDORS), "rule edited");
    s.append("policies/default.yaml", "\n# edited\n");
    assert_eq!(
        s.same_with_and_without(&[]),
        misses(VENDORS),
        "policy edited"
    );
    assert_eq!(
        s.same_with_and_without(&["--today", "2027-06-01"]),
        misses(VENDORS),
        "another --today"
    );
    assert_eq!(
        s.same_with_and_without(&["--class", "public"]),
        misses(VENDORS),
        "another selection of classifications"
    );
    // Each of them is still cached as it was.
    assert_eq!(s.same_with_and_without(&["--today", "2027-06-01"]), hits());
    assert_eq!(s.same_with_and_without(&[]), hits());
}

#[test]
fn a_corrupted_or_truncated_entry_is_recomputed_never_read() {
    let s = Setup::new();
    s.same_with_and_without(&[]);
    let damage = |how: &dyn Fn(&mut Vec<u8>)| {
        for path in entries(&s.cache).keys() {
            let mut bytes = std::fs::read(path).expect("read");
            how(&mut bytes);
            std::fs::write(path, bytes).expect("write");
        }
    };
    // One flipped bit in the stored results (the payload is last in the file).
    damage(&|b| {
        let last = b.len() - 2;
        b[last] ^= 0x01;
    });
    assert_eq!(
        s.same_with_and_without(&[]),
        Change {
            added: 0,
            rewritten: 2 * VENDORS
        },
        "corrupted entries"
    );
    damage(&|b| b.truncate(b.len() / 2));
    assert_eq!(
        s.same_with_and_without(&[]),
        Change {
            added: 0,
            rewritten: 2 * VENDORS
        },
        "truncated entries"
    );
    damage(&|b| b.clear());
    assert_eq!(
        s.same_with_and_without(&[]),
        Change {
            added: 0,
            rewritten: 2 * VENDORS
        },
        "empty entries"
    );
    assert_eq!(s.same_with_and_without(&[]), hits(), "repaired");
}

#[test]
fn concurrent_runs_share_one_cache_safely() {
    let s = Setup::new();
    let expected = s.evaluate("jsonl", false, &[]);
    let outputs: Vec<(Vec<u8>, String, i32)> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| s.evaluate("jsonl", true, &[])))
            .collect();
        runs.into_iter().map(|r| r.join().expect("run")).collect()
    });
    for out in &outputs {
        assert!(out.0 == expected.0, "a concurrent run's output differs");
        assert_eq!(out.1, expected.1);
    }
    assert_eq!(
        entries(&s.cache).len(),
        2 * VENDORS,
        "two entries per vendor"
    );
    // No temporary file is left behind, and every entry reads back.
    assert_eq!(s.same_with_and_without(&[]), hits());
}

#[test]
fn check_reads_the_cache_and_says_the_same() {
    let s = Setup::new();
    let uncached = s.check(false);
    let cold = s.check(true);
    let cold_entries = entries(&s.cache);
    assert_eq!(cold_entries.len(), 2 * VENDORS);
    let warm = s.check(true);
    assert_eq!(
        entries(&s.cache),
        cold_entries,
        "the warm check read every vendor back"
    );
    for run in [&cold, &warm] {
        assert_eq!(run.2, uncached.2, "exit code");
        assert_eq!(run.1, uncached.1, "diagnostics and summary");
    }
    // A snapshot that no longer holds its quotes is an error of check, cached or not.
    let snapshot = s.a_snapshot();
    std::fs::write(
        s.ws.join(&snapshot),
        "# Emptied\n\nNothing here any more.\n",
    )
    .expect("write");
    let uncached = s.check(false);
    let warm = s.check(true);
    assert_eq!(uncached.2, 2, "the emptied snapshot is an error");
    assert_eq!(warm.2, 2);
    assert_eq!(warm.1, uncached.1);
}

#[test]
fn no_cache_writes_nothing_and_the_default_cache_is_in_the_workspace() {
    let s = Setup::new();
    s.evaluate("jsonl", false, &[]);
    assert!(!s.cache.exists());
    assert!(
        !s.ws.join(".diligence").exists(),
        "--no-cache wrote a cache"
    );
    let out = diligence(&s.ws)
        .args(["evaluate", "--format", "jsonl", "--today", TODAY])
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert_eq!(entries(&s.ws.join(".diligence/cache")).len(), 2 * VENDORS);
    let ignore = std::fs::read_to_string(s.ws.join(".gitignore")).expect(".gitignore");
    assert!(ignore.lines().any(|l| l == ".diligence/"), "{ignore}");
}

#[test]
fn a_cache_the_repository_tracks_is_never_read() {
    // A cache committed to the repository came with the checkout, not from a run: its entries
    // could say anything (a pull request could bring results that pass). Untracked, as
    // `.gitignore` keeps it, it is used.
    let s = Setup::new();
    let run = || {
        let out = diligence(&s.ws)
            .args(["evaluate", "--format", "jsonl", "--today", TODAY])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{out:?}");
        out.stdout
    };
    let cache = s.ws.join(".diligence/cache");
    common::archive_git(&s.ws, &["init", "-q"], None);
    common::archive_git(&s.ws, &["add", "-A"], None);
    common::archive_git(&s.ws, &["commit", "-q", "-m", "workspace"], None);
    let first = run();
    assert_eq!(
        entries(&cache).len(),
        2 * VENDORS,
        "an untracked cache is filled"
    );
    let before = entries(&cache);
    assert_eq!(run(), first);
    assert_eq!(
        Change::between(&before, &entries(&cache)),
        hits(),
        "and read"
    );

    common::archive_git(&s.ws, &["add", "-f", ".diligence"], None);
    common::archive_git(&s.ws, &["commit", "-q", "-m", "a cache"], None);
    // A changed profile would be a miss written into a cache in use: nothing is written.
    let vendor = s
        .a_snapshot()
        .split('/')
        .nth(1)
        .expect("vendor")
        .to_string();
    s.append(&format!("vendors/{vendor}/profile.yaml"), "\n# edited\n");
    let before = entries(&cache);
    let edited = run();
    assert_eq!(entries(&cache), before, "a tracked cache is not used");
    let without = diligence(&s.ws)
        .args([
            "evaluate",
            "--format",
            "jsonl",
            "--today",
            TODAY,
            "--no-cache",
        ])
        .output()
        .expect("runs");
    assert_eq!(edited, without.stdout);
}

/// A fixture document: written for these tests, about a fictional vendor.
const WRITER_TERMS: &str = "# Example Writer Terms of Service

<!-- A fixture written for diligence's tests: Example Writer is a fictional vendor. -->

1. Models. The Example Writer service is built on models provided by third parties, which process the text you submit.

2. Retention. Example Writer does not retain your text after a request is processed.
";

/// Adds the fictional `example-writer`, whose one offering relies on `providers` (a YAML list
/// of `vendor/offering` names).
fn add_writer(s: &Setup, providers: &str) {
    add_fictional(s, "example-writer", "assistant", Some(providers));
}

/// Adds fictional vendor `id` with one offering, relying on `providers` when given.
fn add_fictional(s: &Setup, id: &str, offering: &str, providers: Option<&str>) {
    let dir = s.ws.join("vendors").join(id);
    std::fs::create_dir_all(dir.join("sources")).expect("mkdir");
    std::fs::write(dir.join("sources/terms.md"), WRITER_TERMS).expect("write");
    let providers = providers.map_or(String::new(), |p| {
        format!(
            "      providers:
        - value: {p}
          source: terms
          section: \"1\"
          quote: \"The Example Writer service is built on models provided by third parties\"
"
        )
    });
    let profile = format!(
        "vendor: {id}
name: Example Writer (fictional, a test fixture)
reviewed: 2026-11-01
sources:
  terms:
    title: Example Writer Terms of Service
    authority: contract
    retrieved: 2026-11-01
    snapshot: sources/terms.md
offerings:
  {offering}:
    name: Writing assistant
    tier: api
    facts:
      retention_days:
        - value: 0
          source: terms
          quote: \"Example Writer does not retain your text after a request is processed.\"
{providers}"
    );
    std::fs::write(dir.join("profile.yaml"), profile).expect("write");
}

/// The writer's jsonl lines (its results, one per classification).
fn writer_lines(jsonl: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(jsonl)
        .lines()
        .filter(|l| l.contains("\"vendor\":\"example-writer\""))
        .map(str::to_string)
        .collect()
}

#[test]
fn an_offering_relying_on_a_provider_is_cached_and_keyed_on_the_providers_files() {
    let s = Setup::new();
    add_writer(&s, "[anthropic/api]");
    assert_eq!(
        s.same_with_and_without(&[]),
        cold(VENDORS + 1),
        "cold run: the writer is stored too"
    );
    let cold = s.evaluate("jsonl", true, &[]).0;
    let writer = writer_lines(&cold);
    assert!(
        writer.iter().any(|l| l.contains("Relies on anthropic/api")),
        "the writer's results carry its provider's verdict: {writer:?}"
    );
    assert_eq!(s.same_with_and_without(&[]), hits(), "warm run");

    // The provider's profile changes: the provider and the writer are evaluated again, no
    // other vendor (the provider's results and read folder under new keys, the writer's
    // results, keyed on its own files, replaced; the writer's folder is not read again).
    let both = Change {
        added: 2,
        rewritten: 1,
    };
    s.append("vendors/anthropic/profile.yaml", "\n# reviewed again\n");
    assert_eq!(
        s.same_with_and_without(&[]),
        both,
        "provider profile edited"
    );
    assert_eq!(s.same_with_and_without(&[]), hits());

    // The provider's snapshot changes (its quotes no longer hold): both again, and the
    // writer's verdicts follow the provider's new ones rather than the stored ones.
    let sources = s.ws.join("vendors/anthropic/sources");
    for entry in std::fs::read_dir(&sources).expect("sources") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            std::fs::write(&path, "# Emptied\n\nNothing here any more.\n").expect("write");
        }
    }
    assert_eq!(
        s.same_with_and_without(&[]),
        both,
        "provider snapshot edited"
    );
    let after = s.evaluate("jsonl", true, &[]).0;
    assert!(
        writer_lines(&after) != writer,
        "the writer's results follow its provider's emptied snapshots"
    );
    assert_eq!(s.same_with_and_without(&[]), hits());
}

#[test]
fn a_provider_chain_with_a_problem_is_never_stored() {
    let s = Setup::new();
    // No such vendor in the workspace: a located error of the chain, which `check` reports on
    // every run, cached or not.
    add_writer(&s, "[example-nobody/api]");
    let uncached = s.check(false);
    assert_eq!(uncached.2, 2, "the unknown provider is an error");
    assert!(uncached.1.contains("example-nobody"), "{}", uncached.1);
    for run in ["cold", "warm"] {
        let cached = s.check(true);
        assert_eq!(cached.2, uncached.2, "{run} exit code");
        assert_eq!(cached.1, uncached.1, "{run} diagnostics");
        // Every vendor's results and read folder, but the writer's results: its folder reads
        // as well as any, the chain's problem is its evaluation's.
        assert_eq!(
            entries(&s.cache).len(),
            2 * VENDORS + 1,
            "{run}: the writer's results are not stored"
        );
    }
    // Adding the missing provider later is seen at once: the writer was never stored.
    add_fictional(&s, "example-nobody", "api", None);
    let fixed = s.check(true);
    assert_eq!(fixed.2, s.check(false).2);
    assert!(
        !fixed.1.contains("no vendor `example-nobody`"),
        "{}",
        fixed.1
    );
    let (out, _, _) = s.evaluate("jsonl", true, &[]);
    assert!(
        writer_lines(&out)
            .iter()
            .any(|l| l.contains("Relies on example-nobody/api, which is go")),
        "the writer's results follow the provider added"
    );
}

/// A snapshot edited right after a run (within the same second as the stat index the run
/// wrote), to the same size and with its modification time set back, is still a change: its
/// vendor is evaluated again and the results follow the new text.
#[test]
fn an_edit_right_after_a_run_that_keeps_size_and_mtime_is_seen() {
    let s = Setup::new();
    assert_eq!(s.same_with_and_without(&[]), cold(VENDORS));
    assert!(
        s.cache.join("stat-index").is_file(),
        "the run records its files' stat data"
    );
    assert_eq!(s.same_with_and_without(&[]), hits());
    let old = s.evaluate("jsonl", true, &[]).0;
    let snapshot = s.ws.join(s.a_snapshot());
    let text = std::fs::read_to_string(&snapshot).expect("read");
    let mtime = std::fs::metadata(&snapshot)
        .expect("metadata")
        .modified()
        .expect("mtime");
    // The same number of bytes, every letter a blank: no quote is found in it any more.
    let blanked: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { ' ' } else { c })
        .collect();
    assert_eq!(blanked.len(), text.len());
    std::fs::write(&snapshot, &blanked).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&snapshot)
        .expect("open")
        .set_modified(mtime)
        .expect("set mtime");
    assert_eq!(s.same_with_and_without(&[]), cold(1), "snapshot edited");
    assert!(
        s.evaluate("jsonl", true, &[]).0 != old,
        "the blanked snapshot changes the results"
    );
}

/// Every option of `evaluate` that changes what is written says the same bytes (output,
/// warnings, exit code) with the cache, cold and warm, as without it, on a workspace whose
/// reading warns (broken quotes, a bidi mark, a draft); and so do the formats that hold the
/// whole portfolio.
#[test]
fn evaluate_says_the_same_bytes_cached_or_not_whatever_the_options() {
    let s = Setup::new();
    s.mangle();
    let (_, stderr, _) = s.evaluate("jsonl", false, &[]);
    assert!(
        stderr.contains("warning:"),
        "the mangled workspace warns: {stderr}"
    );
    assert!(
        stderr.contains("<U+202E>"),
        "the bidi mark is escaped: {stderr}"
    );
    let options: [&[&str]; 5] = [
        &[],
        &["--fail-on", "hold"],
        &["--quiet-warnings", "unverified-quote"],
        &["--framework", "gdpr"],
        &["--json-schema-version", "2"],
    ];
    for extra in options {
        s.same_with_and_without(extra);
        assert_eq!(s.same_with_and_without(extra), hits(), "warm, {extra:?}");
    }
    for format in ["json", "table", "csv"] {
        let cached = s.evaluate(format, true, &["--fail-on", "hold"]);
        let uncached = s.evaluate(format, false, &["--fail-on", "hold"]);
        assert!(cached.0 == uncached.0, "{format} differs with the cache");
        assert_eq!(cached.1, uncached.1, "{format} stderr");
        assert_eq!(cached.2, uncached.2, "{format} exit code");
    }
}

/// `check` says the same bytes cached (cold and warm) as not, as text and as JSON, with the
/// options that change what it says.
#[test]
fn check_says_the_same_bytes_cached_or_not_as_text_and_json() {
    let s = Setup::new();
    s.mangle();
    let options: [&[&str]; 4] = [
        &[],
        &["--format", "json"],
        &["--fail-on-drafts"],
        &["--quiet-warnings", "draft-claim", "--format", "json"],
    ];
    for extra in options {
        let uncached = s.check_with(false, extra);
        assert_eq!(uncached.2, 2, "the broken quotes are errors: {extra:?}");
        for run in ["cold", "warm"] {
            let before = entries(&s.cache);
            let cached = s.check_with(true, extra);
            if run == "warm" {
                assert_eq!(Change::between(&before, &entries(&s.cache)), hits());
            }
            assert!(cached.0 == uncached.0, "{run} {extra:?}: stdout differs");
            assert_eq!(cached.1, uncached.1, "{run} {extra:?}: stderr");
            assert_eq!(cached.2, uncached.2, "{run} {extra:?}: exit code");
        }
    }
    let json = String::from_utf8(s.check_with(true, &["--format", "json"]).0).expect("utf-8");
    assert!(
        json.contains("\\u202e"),
        "the bidi mark is escaped in JSON: {json}"
    );
}

/// An entry holds what one command writes (jsonl lines, check's records, results): another
/// command, or the same with an option that changes it, never reads it.
#[test]
fn a_command_never_reads_the_entries_another_wrote() {
    let s = Setup::new();
    s.mangle();
    assert_eq!(s.same_with_and_without(&[]), cold(VENDORS), "jsonl");
    let run = |what: &dyn Fn() -> (Vec<u8>, String, i32)| {
        let before = entries(&s.cache);
        what();
        Change::between(&before, &entries(&s.cache))
    };
    // The folders as read are shared: each command adds its own results only.
    assert_eq!(
        run(&|| s.evaluate("csv", true, &[])),
        misses(VENDORS),
        "csv"
    );
    assert_eq!(run(&|| s.check(true)), misses(VENDORS), "check");
    assert_eq!(
        run(&|| s.check_with(true, &["--fail-on-drafts"])),
        misses(VENDORS),
        "check --fail-on-drafts"
    );
    assert_eq!(s.same_with_and_without(&[]), hits(), "jsonl again");
    assert_eq!(run(&|| s.check(true)), hits(), "check again");
}

/// A rule edited: every vendor is evaluated again from its folder as an earlier run read it
/// (no profile parsed, no quote verified again: no read entry is added), and the output, the
/// warnings and the exit code are those of a run without the cache, on a workspace whose
/// reading warns (broken quotes, a bidi mark, a draft); `check` reads the same folders.
#[test]
fn a_rule_edit_evaluates_again_from_the_folders_as_read() {
    let s = Setup::new();
    s.mangle();
    assert_eq!(s.same_with_and_without(&[]), cold(VENDORS), "cold run");
    s.edit_a_rule();
    assert_eq!(s.same_with_and_without(&[]), misses(VENDORS), "rule edited");
    let before = entries(&s.cache);
    let cached = s.check(true);
    assert_eq!(
        Change::between(&before, &entries(&s.cache)),
        misses(VENDORS),
        "check adds its results, reading the folders evaluate read"
    );
    let uncached = s.check(false);
    assert_eq!(cached.1, uncached.1, "check's diagnostics");
    assert_eq!(cached.2, uncached.2, "check's exit code");
}

/// The loader confines reads to the workspace: a `vendors/` folder that becomes a link to a
/// copy outside is refused, cached or not, and read as before once it is moved back. The
/// cache's keys hold where the workspace and its `vendors/` really are (the files are the
/// same bytes both times).
#[test]
fn a_vendors_folder_moved_out_through_a_link_is_read_again() {
    let s = Setup::new();
    let inside = s.check(false);
    assert_eq!(s.check(true).1, inside.1, "cold");
    let vendors = s.ws.join("vendors");
    let outside = s.ws.parent().expect("parent").join("vendors-outside");
    std::fs::rename(&vendors, &outside).expect("move vendors/ out");
    std::os::unix::fs::symlink(&outside, &vendors).expect("link it back in");
    let uncached = s.check(false);
    assert!(
        uncached.1.contains("outside the workspace"),
        "the loader refuses the link: {}",
        uncached.1
    );
    let cached = s.check(true);
    assert_eq!(cached.1, uncached.1, "a linked vendors/ is read again");
    assert_eq!(cached.2, uncached.2);
    std::fs::remove_file(&vendors).expect("remove the link");
    std::fs::rename(&outside, &vendors).expect("move vendors/ back");
    let cached = s.check(true);
    assert_eq!(cached.1, inside.1, "moved back, read as before");
    assert_eq!(cached.2, inside.2);
}

/// A snapshot nested deeper under sources/ than the cache fingerprints is refused (an edit of
/// it would go unseen by the cache), with a message that says how deep is allowed.
#[test]
fn a_snapshot_nested_deeper_than_the_fingerprint_is_refused() {
    let s = Setup::new();
    let snapshot = s.a_snapshot();
    let (vendor_dir, file) = snapshot.rsplit_once("/sources/").expect("a snapshot");
    let deep = format!("1/2/3/4/5/6/7/8/{file}");
    let target = s.ws.join(vendor_dir).join("sources").join(&deep);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    std::fs::copy(s.ws.join(&snapshot), &target).expect("copy");
    let profile = s.ws.join(vendor_dir).join("profile.yaml");
    let text = std::fs::read_to_string(&profile).expect("profile");
    let edited = text.replacen(
        &format!("snapshot: sources/{file}"),
        &format!("snapshot: sources/{deep}"),
        1,
    );
    assert_ne!(edited, text, "the profile cites {file}");
    std::fs::write(&profile, edited).expect("write");
    for cached in [false, true] {
        let (_, stderr, code) = s.check(cached);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("nested more than 8 levels under sources/"),
            "{stderr}"
        );
    }
}
