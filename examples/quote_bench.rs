//! Benchmark of quote verification on broken quotes (not a test: it prints times).
//!
//! `cargo run --release --example quote_bench`
//!
//! Two cases that were quadratic before, each run as `check` loads a workspace (parse the
//! profile, read and index the snapshot, verify every quote, find the closest passage of every
//! quote that fails):
//! - a 200 KB quote that does not match a 200 KB snapshot (every 40th word changed);
//! - 2,000 broken quotes (30 words, one changed) against an 8 MB snapshot.
//!
//! The text is generated from a fixed seed, so runs compare.

use diligence::Workspace;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// A small deterministic generator (xorshift), so the benchmark needs no crate and no seed file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words of a terms-like text: a vocabulary of 3,000 made-up words with a skewed frequency
/// (a few very common, most rare), as in real documents.
fn words(rng: &mut Rng, bytes: usize) -> Vec<String> {
    const SYLLABLES: [&str; 16] = [
        "ac", "cus", "to", "mer", "da", "ta", "pro", "ces", "sor", "ser", "vi", "ce", "re", "ten",
        "ti", "on",
    ];
    let vocabulary: Vec<String> = (0..3000)
        .map(|_| {
            let n = 1 + rng.below(4);
            (0..n).map(|_| SYLLABLES[rng.below(16)]).collect()
        })
        .collect();
    let mut out = Vec::new();
    let mut size = 0;
    while size < bytes {
        // Squaring a uniform draw favours the start of the vocabulary.
        let r = rng.below(3000);
        let w = vocabulary[r * r / 3000].clone();
        size += w.len() + 1;
        out.push(w);
    }
    out
}

fn workspace(dir: &Path, snapshot: &str, quotes: &[String]) {
    let vendor = dir.join("vendors/acme");
    std::fs::create_dir_all(vendor.join("sources")).expect("mkdir");
    std::fs::create_dir_all(dir.join("policies")).expect("mkdir");
    std::fs::write(vendor.join("sources/terms.md"), snapshot).expect("write");
    let mut profile = String::from(
        "vendor: acme\nname: Acme\nsources:\n  terms:\n    title: Terms\n    authority: contract\n    snapshot: sources/terms.md\nofferings:\n",
    );
    // One offering per quote: a fact holds one claim list, and every quote needs its own claim.
    for (i, q) in quotes.iter().enumerate() {
        let _ = write!(
            profile,
            "  o{i}:\n    name: O{i}\n    tier: api\n    facts:\n      custom:\n        note:\n          - value: x\n            source: terms\n            quote: \"{q}\"\n"
        );
    }
    std::fs::write(vendor.join("profile.yaml"), profile).expect("write");
}

fn run(label: &str, snapshot: &str, quotes: &[String]) {
    let dir = tempfile::tempdir().expect("tempdir");
    workspace(dir.path(), snapshot, quotes);
    let start = Instant::now();
    let ws = Workspace::load(dir.path()).expect("workspace loads");
    let elapsed = start.elapsed();
    let failed = ws.unverified.len();
    let with_passage = ws
        .unverified
        .iter()
        .filter(|d| d.message.contains("closest passage"))
        .count();
    println!(
        "{label}: {:.3} s ({failed} quotes failed, {with_passage} with a closest passage and diff)",
        elapsed.as_secs_f64()
    );
}

fn main() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);

    // 200 KB quote against a 200 KB snapshot.
    let doc = words(&mut rng, 200 * 1024);
    let mut quote = doc.clone();
    for w in quote.iter_mut().step_by(40) {
        w.push('x');
    }
    run(
        "200 KB quote vs 200 KB snapshot",
        &doc.join(" "),
        &[quote.join(" ")],
    );

    // 2,000 broken quotes against an 8 MB snapshot.
    let doc = words(&mut rng, 8_000_000);
    let quotes: Vec<String> = (0..2000)
        .map(|_| {
            let start = rng.below(doc.len() - 30);
            let mut q: Vec<String> = doc[start..start + 30].to_vec();
            let k = rng.below(30);
            q[k].push('x');
            q.join(" ")
        })
        .collect();
    run(
        "2,000 broken quotes vs 8 MB snapshot",
        &doc.join(" "),
        &quotes,
    );
}
