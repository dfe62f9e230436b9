//! The fuzz targets (`diligence::fuzzing`, the bodies of the cargo-fuzz targets in `fuzz/`) on
//! every committed corpus file, then a time-boxed mutation loop: bit flips, interesting bytes,
//! truncation, deletion, splicing two inputs, repeated and nested slices, the format's own
//! tokens, and for workbooks the XML inside the zip. There is no coverage guidance: this is
//! what CI can afford; `fuzz/run-ci.sh` runs cargo-fuzz for deeper runs.
//!
//! Each target runs in a child process (this test binary again) with its address space capped
//! at 2 GiB, so that a panic, an abort (a stack overflow, a failed allocation) or a hang is
//! reported with the seed and the input saved to a file, and no input can take the machine.
//!
//! - `DILIGENCE_FUZZ_SECONDS`: seconds of mutation per target, after every corpus file (CI's
//!   fuzz stage sets 10). Unset (a plain `cargo test`), each target tries a sample of 64 corpus
//!   files (the profile, policy and rule corpora hold thousands) and mutates for 1 s;
//! - `DILIGENCE_FUZZ_SEED`: the seed (default: from the clock; printed);
//! - `DILIGENCE_FUZZ_INPUT=FILE`: run that one input only (a saved failure).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD: &str = "DILIGENCE_FUZZ_CHILD";
const WORK: &str = "DILIGENCE_FUZZ_WORK";
const SECONDS: &str = "DILIGENCE_FUZZ_SECONDS";
const SEED: &str = "DILIGENCE_FUZZ_SEED";
const INPUT: &str = "DILIGENCE_FUZZ_INPUT";
/// The largest input the loop builds (the readers' own file limits are larger: this keeps
/// each try fast).
const MAX_INPUT: usize = 1 << 20;

#[test]
fn answers_xlsx() {
    fuzz("answers_xlsx");
}

#[test]
fn answers_csv() {
    fuzz("answers_csv");
}

#[test]
fn html() {
    fuzz("html");
}

#[test]
fn pdf() {
    fuzz("pdf");
}

#[test]
fn profile() {
    fuzz("profile");
}

#[test]
fn policy() {
    fuzz("policy");
}

#[test]
fn rule() {
    fuzz("rule");
}

/// The child's side: does nothing unless started by [`fuzz`].
#[test]
fn child() {
    if let Ok(target) = std::env::var(CHILD) {
        run_child(&target);
    }
}

/// Seconds of mutation per target, and whether every corpus file is tried (a sample if not).
fn seconds() -> (f64, bool) {
    match std::env::var(SECONDS).ok().and_then(|s| s.parse().ok()) {
        Some(s) => (s, true),
        None => (1.0, false),
    }
}

/// How long one input may run before the child is called hung: far past what the readers' and
/// the rule engine's own limits let one input take, even on a loaded machine.
const STUCK: Duration = Duration::from_secs(120);

/// Corpus files tried when `DILIGENCE_FUZZ_SECONDS` is not set.
const SAMPLE: usize = 64;
const FULL: &str = "DILIGENCE_FUZZ_FULL";

/// Runs `target` in a child process capped at 2 GiB; fails with the seed and the saved input
/// when the child panics, aborts or hangs.
fn fuzz(target: &str) {
    let (seconds, full) = seconds();
    let seed: u64 = std::env::var(SEED)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let work = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, target)
        .env(WORK, work.path())
        .env(SECONDS, seconds.to_string())
        .env(SEED, seed.to_string())
        .env(FULL, if full { "1" } else { "0" })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    common::cap_address_space(&mut cmd);
    let mut child = cmd.spawn().expect("the test binary runs");
    // A hang is one input that takes far longer than any other: the child writes each input to
    // `current` before it tries it, so an input is stuck when that file has not changed for
    // `STUCK`. A loaded machine slows every input alike and is not a hang; the overall bound
    // only stops a child that never starts.
    let current = work.path().join("current");
    let started = Instant::now();
    let overall = Duration::from_secs_f64(seconds * 4.0 + 1_800.0);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        let last_input = std::fs::metadata(&current)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if last_input.is_some_and(|idle| idle > STUCK) || started.elapsed() > overall {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The harness has written `test child ... ` before the child's own line.
    if let Some(line) = stdout
        .lines()
        .find_map(|l| l.split_once("fuzz ").map(|(_, r)| r))
    {
        eprintln!("fuzz {line}");
    }
    if status.is_some_and(|s| s.success()) {
        return;
    }
    let saved = std::env::temp_dir().join(format!("diligence-fuzz-{target}-{seed}.input"));
    let kept = std::fs::copy(work.path().join("current"), &saved).is_ok();
    let what = match status {
        None => "hung (killed)".to_string(),
        Some(s) => format!("failed ({s})"),
    };
    let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
    panic!(
        "fuzz target {target} {what} with seed {seed}; {}\nreproduce: {INPUT}={} cargo test --test fuzz_corpus {target}\n(or the whole run: {SEED}={seed} {SECONDS}={seconds})\n{}",
        if kept {
            format!("the input is saved in {}", saved.display())
        } else {
            "no input was being tried".to_string()
        },
        saved.display(),
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    );
}

/// The child: every corpus file, then mutations until the time is up. Each input is written to
/// `WORK/current` before it is tried, so that the parent can save the one that killed it.
fn run_child(target: &str) {
    let run = diligence::fuzzing::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .expect("a fuzz target");
    let work = PathBuf::from(std::env::var(WORK).expect("work folder"));
    let current = work.join("current");
    let attempt = |input: &[u8]| {
        std::fs::write(&current, input).expect("write the current input");
        if std::panic::catch_unwind(|| run(input)).is_err() {
            panic!("{target} panicked on the input in {}", current.display());
        }
    };
    if let Ok(file) = std::env::var(INPUT) {
        attempt(&std::fs::read(file).expect("the input file"));
        return;
    }
    let seconds: f64 = std::env::var(SECONDS)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let seed: u64 = std::env::var(SEED)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut rng = Rng(seed);
    let mut corpus = corpus(target);
    if std::env::var(FULL).as_deref() != Ok("1") {
        // A sample, evenly spread and shifted by the seed.
        let step = corpus.len().div_ceil(SAMPLE);
        let shift = rng.below(step);
        corpus = corpus.into_iter().skip(shift).step_by(step).collect();
    }
    let started = Instant::now();
    for input in &corpus {
        attempt(input);
    }
    let replayed = started.elapsed();
    let tokens = tokens(target);
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let mut tries = 0u64;
    while Instant::now() < until {
        let base = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())];
        let input = if target == "answers_xlsx" && rng.below(3) > 0 {
            mutate_zip(base, other, tokens, &mut rng).unwrap_or_else(|| {
                let mut bytes = base.clone();
                mutate(&mut bytes, other, tokens, &mut rng);
                bytes
            })
        } else {
            let mut bytes = base.clone();
            mutate(&mut bytes, other, tokens, &mut rng);
            bytes
        };
        attempt(&input);
        tries += 1;
    }
    let _ = std::fs::remove_file(&current);
    println!(
        "fuzz {target}: {} corpus files in {:.1}s, then {tries} mutated inputs in {seconds}s (seed {seed})",
        corpus.len(),
        replayed.as_secs_f64()
    );
    std::io::stdout().flush().ok();
}

/// The committed corpus of a target, in name order.
fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let corpus: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("corpus file"))
        .collect();
    assert!(!corpus.is_empty(), "{} is empty", dir.display());
    corpus
}

/// The words of a target's format, inserted whole: structure a bit flip rarely makes.
fn tokens(target: &str) -> &'static [&'static str] {
    match target {
        "html" => &[
            "<div>",
            "</div>",
            "<span>",
            "<table><tr><td>",
            "<p hidden>",
            "<nav>",
            "<!--",
            "-->",
            "<script>",
            "&#x202e;",
            "&amp;",
            " style=\"display:none\"",
            "<meta charset=\"shift_jis\">",
            "<h1>",
            "<li>",
        ],
        "pdf" => &[
            "stream\n",
            "\nendstream",
            " 0 obj\n",
            "endobj\n",
            "<<",
            ">>",
            "/Filter /FlateDecode",
            "/Type /ObjStm /N 3 /First 10",
            "/Length 99999999",
            "xref\n0 1\n",
            "trailer\n<< /Root 1 0 R >>",
            "startxref\n9\n%%EOF",
            "BT (x) Tj ET",
            "/Encrypt",
            "[",
            "]",
        ],
        "answers_csv" => &[
            ",", "\"", "\n", "\r\n", "=cmd|", "\"\"", "\u{feff}", ";", "\0",
        ],
        "answers_xlsx" => &[
            "<row r=\"1048576\">",
            "<c r=\"XFD1\" t=\"s\"><v>0</v></c>",
            "<c r=\"A2\" t=\"inlineStr\"><is><t>x</t></is></c>",
            "<dimension ref=\"A1:XFD1048576\"/>",
            "</sheetData>",
            "<v>99999999999999999999</v>",
            "<si><t>",
            "&#0;",
            "<!DOCTYPE x [<!ENTITY a \"aa\">]>",
        ],
        "rule" => &[
            "fn f(x) { f(x) }\n",
            "loop { }\n",
            "let f = || 1; f = f.curry(f);\n",
            "while true { s += s; }\n",
            "[1, 2, 3]",
            "#{a: 1}",
            "fact(\"certifications\")",
            "require.dpa",
            "block(\"m\", \"a\");\n",
            "print(x);\n",
            "(((((",
            "\"",
        ],
        // YAML: profiles and policies.
        _ => &[
            "&a ",
            "*a",
            "- ",
            ": ",
            "{",
            "}",
            "[",
            "]",
            "!!binary ",
            "\t",
            "\n  ",
            "'",
            "\"",
            "<<: *a",
            "? ",
            "%YAML 1.2\n",
            "---\n",
        ],
    }
}

/// Applies one to four byte-level mutations to `bytes`.
fn mutate(bytes: &mut Vec<u8>, other: &[u8], tokens: &[&str], rng: &mut Rng) {
    for _ in 0..=rng.below(4) {
        let len = bytes.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                const INTERESTING: [u8; 12] = [
                    0, 0xff, 0x7f, 0x80, b'<', b'>', b'"', b'\n', b'{', b'[', b':', b'0',
                ];
                let i = rng.below(len);
                bytes[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 if len > 0 => bytes.truncate(rng.below(len)),
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(64) + 1).min(len);
                bytes.drain(start..end);
            }
            4 if !other.is_empty() => {
                // Splice a slice of another input in.
                let start = rng.below(other.len());
                let end = (start + rng.below(4096) + 1).min(other.len());
                let at = rng.below(len + 1);
                bytes.splice(at..at, other[start..end].iter().copied());
            }
            5 | 6 if len > 0 => {
                // A slice repeated in place: repeated structures, nesting when the slice
                // opens an element or a collection.
                let start = rng.below(len);
                let end = (start + rng.below(32) + 1).min(len);
                let slice = bytes[start..end].to_vec();
                let most = if rng.below(4) == 0 { 20_000 } else { 16 };
                let times = 1 + rng.below(most);
                let repeated: Vec<u8> = slice
                    .iter()
                    .copied()
                    .cycle()
                    .take((slice.len() * times).min(MAX_INPUT))
                    .collect();
                bytes.splice(end..end, repeated);
            }
            _ => {
                let token = tokens[rng.below(tokens.len())].as_bytes();
                let times = if rng.below(8) == 0 {
                    1 + rng.below(5_000)
                } else {
                    1
                };
                let at = rng.below(len + 1);
                let inserted: Vec<u8> = token
                    .iter()
                    .copied()
                    .cycle()
                    .take((token.len() * times).min(MAX_INPUT))
                    .collect();
                bytes.splice(at..at, inserted);
            }
        }
        bytes.truncate(MAX_INPUT);
    }
}

/// A workbook with one of its parts mutated (the zip stays valid, so the XML readers are
/// reached); None when `base` is not a zip.
fn mutate_zip(base: &[u8], other: &[u8], tokens: &[&str], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(base)).ok()?;
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).ok()?;
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut data).ok()?;
        let name = file.name().ok()?.to_string();
        parts.push((name, data));
    }
    if parts.is_empty() {
        return None;
    }
    let which = rng.below(parts.len());
    let donor = parts[rng.below(parts.len())].1.clone();
    mutate(
        &mut parts[which].1,
        if rng.below(2) == 0 { &donor } else { other },
        tokens,
        rng,
    );
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in &parts {
        out.start_file(name.as_str(), options).ok()?;
        out.write_all(data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// splitmix64: a small seeded generator, so that a seed replays the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}
