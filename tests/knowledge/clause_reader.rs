//! The clause reader measured on the labelled clause corpus (`tests/data/clauses/`), per fact:
//! - recall of the right clause: `extract`'s best candidate (or one of its first three) is a
//!   clause labelled with the fact, per document and fact;
//! - values: the value the reader proposes for a labelled clause is the labelled one
//!   (precision over the values proposed; accuracy over all labelled values);
//! - `check`: a hard negative's tempting wrong value accepted (false support), a labelled value
//!   refused (false refusal);
//! - version pairs classified as the label says (meaning, cosmetic, failed capture), and no
//!   failed capture taken as terms.
//!
//! The figures of the test part are asserted to stay above floors set just below the measured
//! ones; the development part is printed for tuning. Run
//! `cargo test --test knowledge clause_reader:: -- --nocapture` for the table.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct DocumentList {
    documents: Vec<Document>,
}

#[derive(Deserialize)]
struct Document {
    id: String,
    service: String,
    split: String,
}

/// A tuning aid: `DILIGENCE_DEV_HALF=a|b` keeps half of the development part, split by
/// service (services sorted by name, taken in turn), so a change written from one half's misses
/// can be judged on the other half, whose services it was not written from. Unset: all of it.
///
/// `DILIGENCE_DEV_DOCS=id,id,...` keeps only those development documents: the figures of
/// documents just added, measured before any change is written from them.
fn in_dev_half(docs: &DocumentList, doc: &Document) -> bool {
    if doc.split != "dev" {
        return true;
    }
    if let Ok(only) = std::env::var("DILIGENCE_DEV_DOCS")
        && !only.split(',').any(|id| id.trim() == doc.id)
    {
        return false;
    }
    let Ok(half) = std::env::var("DILIGENCE_DEV_HALF") else {
        return true;
    };
    let mut services: Vec<&str> = docs
        .documents
        .iter()
        .filter(|d| d.split == "dev")
        .map(|d| d.service.as_str())
        .collect();
    services.sort_unstable();
    services.dedup();
    let at = services.iter().position(|s| *s == doc.service).unwrap_or(0);
    (at % 2 == 0) == (half == "a")
}

#[derive(Deserialize)]
struct Labels {
    clauses: Vec<Clause>,
}

#[derive(Deserialize)]
struct Clause {
    text: String,
    facts: Vec<FactLabel>,
    #[serde(default)]
    wrong: Vec<Wrong>,
}

#[derive(Deserialize)]
struct FactLabel {
    fact: String,
    value: Value,
}

#[derive(Deserialize)]
struct Wrong {
    fact: String,
    value: Value,
}

#[derive(Deserialize)]
struct VersionList {
    pairs: Vec<Pair>,
}

#[derive(Deserialize)]
struct Pair {
    id: String,
    kind: String,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/clauses")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Values compared as a reviewer would: lists as sets.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            let mut x: Vec<String> = x.iter().map(Value::to_string).collect();
            let mut y: Vec<String> = y.iter().map(Value::to_string).collect();
            x.sort();
            y.sort();
            x == y
        }
        _ => a == b,
    }
}

/// Whether a candidate's quote is the labelled clause (one contains the other once folded).
fn is_clause(quote: &str, label: &str) -> bool {
    let (q, l) = (
        diligence::quotes::normalize(quote).to_lowercase(),
        diligence::quotes::normalize(label).to_lowercase(),
    );
    !q.is_empty() && (l.contains(&q) || q.contains(&l))
}

#[derive(Default, Clone, Copy)]
struct Counts {
    /// (document, fact) pairs with a labelled clause.
    targets: usize,
    top1: usize,
    top3: usize,
    /// Labelled values.
    labelled: usize,
    proposed: usize,
    right: usize,
    /// Hard negatives' wrong values.
    negatives: usize,
    false_support: usize,
    false_refusal: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.targets += o.targets;
        self.top1 += o.top1;
        self.top3 += o.top3;
        self.labelled += o.labelled;
        self.proposed += o.proposed;
        self.right += o.right;
        self.negatives += o.negatives;
        self.false_support += o.false_support;
        self.false_refusal += o.false_refusal;
    }
}

fn pct(n: usize, of: usize) -> f64 {
    if of == 0 {
        100.0
    } else {
        100.0 * n as f64 / of as f64
    }
}

fn measure(split: &str) -> BTreeMap<String, Counts> {
    use rayon::prelude::*;
    let root = corpus();
    let docs: DocumentList = yaml(&root.join("documents.yaml"));
    // Documents are independent: measured side by side, then summed per fact.
    let per_document: Vec<BTreeMap<String, Counts>> = docs
        .documents
        .par_iter()
        .filter(|d| d.split == split && in_dev_half(&docs, d))
        .map(|doc| measure_document(&root, doc))
        .collect();
    let mut per_fact: BTreeMap<String, Counts> = BTreeMap::new();
    for counts in per_document {
        for (fact, c) in counts {
            per_fact.entry(fact).or_default().add(&c);
        }
    }
    per_fact
}

fn measure_document(root: &Path, doc: &Document) -> BTreeMap<String, Counts> {
    let mut per_fact: BTreeMap<String, Counts> = BTreeMap::new();
    let text = read(&root.join("documents").join(format!("{}.md", doc.id)));
    // `check` reads a quote where it stands: a list item with its lead-in.
    let snapshot = diligence::quotes::Snapshot::new(&text);
    let labels: Labels = yaml(&root.join("labels").join(format!("{}.yaml", doc.id)));
    // The labelled clauses of each fact in this document.
    let mut by_fact: BTreeMap<&str, Vec<&Clause>> = BTreeMap::new();
    for c in &labels.clauses {
        for f in &c.facts {
            by_fact.entry(f.fact.as_str()).or_default().push(c);
            let counts = per_fact.entry(f.fact.clone()).or_default();
            counts.labelled += 1;
            let reading = diligence::read_clause(&c.text);
            if let Some(v) = diligence::stated_value(&f.fact, &reading) {
                counts.proposed += 1;
                if same(&v, &f.value) {
                    counts.right += 1;
                }
            }
            if diligence::evidence::unsupported_at(&f.fact, &f.value, &c.text, &snapshot).is_some()
            {
                counts.false_refusal += 1;
            }
        }
        for w in &c.wrong {
            let counts = per_fact.entry(w.fact.clone()).or_default();
            counts.negatives += 1;
            if diligence::evidence::unsupported_at(&w.fact, &w.value, &c.text, &snapshot).is_none()
            {
                counts.false_support += 1;
            }
        }
    }
    // The document is read once for all its labelled facts: a fact's candidates do not depend
    // on the other facts asked.
    let facts: Vec<&str> = by_fact.keys().copied().collect();
    let candidates = diligence::extract_candidates(&text, &facts);
    for (fact, clauses) in by_fact {
        let found: Vec<_> = candidates.iter().filter(|c| c.fact == fact).collect();
        let counts = per_fact.entry(fact.to_string()).or_default();
        counts.targets += 1;
        let right = |q: &str| clauses.iter().any(|c| is_clause(q, &c.text));
        if found.first().is_some_and(|c| right(&c.quote)) {
            counts.top1 += 1;
        }
        if found.iter().take(3).any(|c| right(&c.quote)) {
            counts.top3 += 1;
        }
    }
    per_fact
}

fn table(split: &str, per_fact: &BTreeMap<String, Counts>) -> Counts {
    println!("\n{split} part");
    println!(
        "{:<34} {:>5} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6} {:>8} {:>8}",
        "fact", "docs", "top1%", "top3%", "vals", "prec%", "acc%", "negs", "falseSup", "falseRef"
    );
    let mut total = Counts::default();
    for (fact, c) in per_fact {
        total.add(c);
        println!(
            "{:<34} {:>5} {:>6.0} {:>6.0} {:>6} {:>7.0} {:>7.0} {:>6} {:>8} {:>8}",
            fact,
            c.targets,
            pct(c.top1, c.targets),
            pct(c.top3, c.targets),
            c.labelled,
            pct(c.right, c.proposed),
            pct(c.right, c.labelled),
            c.negatives,
            c.false_support,
            c.false_refusal
        );
    }
    println!(
        "{:<34} {:>5} {:>6.1} {:>6.1} {:>6} {:>7.1} {:>7.1} {:>6} {:>8} {:>8}  (false refusals {:.1}%)",
        "all",
        total.targets,
        pct(total.top1, total.targets),
        pct(total.top3, total.targets),
        total.labelled,
        pct(total.right, total.proposed),
        pct(total.right, total.labelled),
        total.negatives,
        total.false_support,
        total.false_refusal,
        pct(total.false_refusal, total.labelled)
    );
    total
}

fn versions() -> (usize, usize, usize, usize) {
    let root = corpus();
    let list: VersionList = yaml(&root.join("versions.yaml"));
    let (mut right, mut failed, mut failed_as_terms) = (0, 0, 0);
    for p in &list.pairs {
        let dir = root.join("versions").join(&p.id);
        let change =
            diligence::compare_versions(&read(&dir.join("old.md")), &read(&dir.join("new.md")));
        let kind = match change {
            diligence::VersionChange::FailedCapture { .. } => "failed_capture",
            diligence::VersionChange::Cosmetic => "cosmetic",
            diligence::VersionChange::Meaning { .. } => "meaning",
        };
        if kind == p.kind {
            right += 1;
        }
        if p.kind == "failed_capture" {
            failed += 1;
            if kind != "failed_capture" {
                failed_as_terms += 1;
            }
        }
    }
    (list.pairs.len(), right, failed, failed_as_terms)
}

#[test]
fn the_clause_reader_on_the_labelled_corpus() {
    let dev = measure("dev");
    table("development", &dev);
    let test = measure("test");
    let t = table("test", &test);
    let (pairs, right, failed, failed_as_terms) = versions();
    println!(
        "\nversion pairs: {pairs}, classified right {right} ({:.1}%); failed captures {failed}, taken as terms {failed_as_terms}",
        pct(right, pairs)
    );
    // Floors just below the figures measured on the test part (see docs/clause-reader.md).
    assert!(
        t.targets >= 40,
        "too few labelled facts in the test part: {}",
        t.targets
    );
    assert!(pct(t.top1, t.targets) >= FLOOR_TOP1, "top-1 recall fell");
    assert!(pct(t.top3, t.targets) >= FLOOR_TOP3, "top-3 recall fell");
    assert!(
        pct(t.right, t.proposed) >= FLOOR_PRECISION,
        "value precision fell"
    );
    assert!(t.false_support <= MAX_FALSE_SUPPORT, "false supports rose");
    assert!(
        pct(t.false_refusal, t.labelled) <= MAX_FALSE_REFUSAL,
        "false refusals rose"
    );
    assert!(pct(right, pairs) >= FLOOR_PAIRS, "version pairs fell");
    assert_eq!(
        failed_as_terms, 0,
        "a failed capture was taken as the terms"
    );
}

// Measured on the test part (audited labels), after the rounds on 26 development documents
// labelled blind (December 2026): top-1 71.0%, top-3 82.8%, value precision 92.7% (accuracy
// 57.3%), 5 false supports of 247 hard negatives (one more than before those rounds: a human
// review reading, not traced on the test part), false refusals 42.1% (75 of 178), version
// pairs 92.7% (no failed capture taken as terms). `check` accepts a value only when the reading
// states it (a list item read with its lead-in), so a right value the reader cannot yet read
// is refused. Still far from the targets (75%, 90%, 95%, 0, 5%): the floors keep the figures
// from falling.
const FLOOR_TOP1: f64 = 70.5;
const FLOOR_TOP3: f64 = 82.0;
const FLOOR_PRECISION: f64 = 92.0;
const MAX_FALSE_SUPPORT: usize = 5;
const MAX_FALSE_REFUSAL: f64 = 43.0;
const FLOOR_PAIRS: f64 = 92.0;

/// A tuning aid: the development part's figures alone (the test part is neither measured nor
/// printed), to judge a change between the two runs of the full figures.
/// `cargo test --test knowledge clause_reader::dev_figures -- --ignored --nocapture`
#[test]
#[ignore = "a tuning aid: prints the development part's figures"]
fn dev_figures() {
    let dev = measure("dev");
    table("development", &dev);
}

/// A tuning aid for the development part only (the test part is never looked at clause by
/// clause): prints each labelled value the reader refuses or misreads, each hard negative it
/// accepts and each (document, fact) whose right clause is not first. Run with
/// `DEV_DOC=<id> cargo test --test knowledge clause_reader::dev_misses -- --ignored --nocapture`
/// (no `DEV_DOC`: every development document).
#[test]
#[ignore = "a tuning aid: prints the development part's misses"]
fn dev_misses() {
    let root = corpus();
    let docs: DocumentList = yaml(&root.join("documents.yaml"));
    let only = std::env::var("DEV_DOC").ok();
    for doc in docs
        .documents
        .iter()
        .filter(|d| d.split == "dev" && in_dev_half(&docs, d))
    {
        if only.as_ref().is_some_and(|o| o != &doc.id) {
            continue;
        }
        let text = read(&root.join("documents").join(format!("{}.md", doc.id)));
        let snapshot = diligence::quotes::Snapshot::new(&text);
        let labels: Labels = yaml(&root.join("labels").join(format!("{}.yaml", doc.id)));
        let mut by_fact: BTreeMap<&str, Vec<&Clause>> = BTreeMap::new();
        for c in &labels.clauses {
            let reading = diligence::read_clause(&c.text);
            for f in &c.facts {
                by_fact.entry(f.fact.as_str()).or_default().push(c);
                let v = diligence::stated_value(&f.fact, &reading);
                if let Some(why) =
                    diligence::evidence::unsupported_at(&f.fact, &f.value, &c.text, &snapshot)
                {
                    println!(
                        "[{}] REFUSED {} = {}\n  {}\n  {why}\n",
                        doc.id, f.fact, f.value, c.text
                    );
                } else if v.as_ref().is_some_and(|v| !same(v, &f.value)) {
                    println!(
                        "[{}] WRONG VALUE {} = {} proposed {:?}\n  {}\n  read as: {reading}\n",
                        doc.id, f.fact, f.value, v, c.text
                    );
                }
            }
            for w in &c.wrong {
                if diligence::evidence::unsupported_at(&w.fact, &w.value, &c.text, &snapshot)
                    .is_none()
                {
                    println!(
                        "[{}] FALSE SUPPORT {} = {}\n  {}\n  read as: {reading}\n",
                        doc.id, w.fact, w.value, c.text
                    );
                }
            }
        }
        for (fact, clauses) in by_fact {
            let found = diligence::extract_candidates(&text, &[fact]);
            let right = |q: &str| clauses.iter().any(|c| is_clause(q, &c.text));
            if !found.first().is_some_and(|c| right(&c.quote)) {
                let at = found.iter().position(|c| right(&c.quote));
                println!(
                    "[{}] RANK {fact}: right clause at {:?}; first: {}\n",
                    doc.id,
                    at.map(|i| i + 1),
                    found.first().map_or("-", |c| c.quote.as_str())
                );
            }
        }
    }
}

/// A tuning aid: reads each line of the file named by `PROBE` and prints the reading and the
/// value it states for each fact of the vocabulary.
#[test]
#[ignore = "a tuning aid: prints readings of sentences in a file"]
fn probe() {
    let Ok(path) = std::env::var("PROBE") else {
        return;
    };
    for line in read(Path::new(&path))
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let r = diligence::read_clause(line);
        println!("{line}\n  read as: {r}");
        for f in diligence::FACTS {
            if let Some(v) = diligence::stated_value(f.name, &r) {
                println!("  {} = {v}", f.name);
            }
        }
    }
}
