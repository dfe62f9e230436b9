//! Quotes that prove their claim: each known attack on a quote fails `check` with exit 2 and says
//! why; verified silence (`not_stated` with `searched`); snapshots that are documents.

use crate::common;

use common::{TODAY, Ws, bundled, diligence};
use diligence::quotes::{Mismatch, Snapshot};
use proptest::prelude::*;
use std::time::Duration;

/// A snapshot that says the opposite of what the attacks try to prove.
const ACME_TERMS: &str = "# Acme Terms\n\n\
    ## Data Processing\n\n\
    Acme does not offer a data processing agreement.\n\n\
    ## Retention\n\n\
    Acme retains Customer Data for 730 days.\n\n\
    ## Training\n\n\
    Acme will use Customer Data to improve and train its models.\n";

const PROFILE_HEAD: &str = "vendor: acme
name: Acme AI
reviewed: 2026-11-01
sources:
  terms:
    title: Acme Terms
    authority: contract
    retrieved: 2026-10-01
    snapshot: SNAPSHOT
offerings:
  api:
    name: Acme API
    tier: api
    facts:
";

/// A workspace whose only vendor states `facts` (YAML indented under `facts:`), citing a
/// snapshot at `snapshot` that holds [`ACME_TERMS`].
fn workspace(snapshot: &str, facts: &str) -> Ws {
    let ws = Ws::new();
    ws.write("vendors/acme/sources/terms.md", ACME_TERMS);
    ws.write(
        "vendors/acme/profile.yaml",
        &(PROFILE_HEAD.replace("SNAPSHOT", snapshot) + facts),
    );
    ws
}

/// One claim of `fact` with `value` and `quote`.
fn claim(fact: &str, value: &str, quote: &str) -> String {
    format!(
        "      {fact}:\n        - value: {value}\n          source: terms\n          quote: {quote:?}\n"
    )
}

/// Runs `check` (guarded against hangs) and returns its exit code and standard error.
fn check(ws: &Ws) -> (Option<i32>, String) {
    let out = ws
        .cmd()
        .args(["check", "--today", TODAY])
        .timeout(Duration::from_secs(120))
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fails_with(ws: &Ws, expected: &[&str]) -> String {
    let (code, err) = check(ws);
    assert_eq!(code, Some(2), "{err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    err
}

#[test]
fn a_quote_of_one_character_proves_nothing() {
    let ws = workspace("sources/terms.md", &claim("dpa", "signed", "."));
    fails_with(
        &ws,
        &[
            "vendors/acme/profile.yaml:18:18: error: acme/api: fact `dpa`: the quote has 0 words and proves nothing on its own",
            "at least 6 words",
        ],
    );
    let ws = workspace(
        "sources/terms.md",
        &claim("training_on_outputs", "never", "e"),
    );
    fails_with(&ws, &["the quote has 1 word and proves nothing"]);
}

#[test]
fn thirty_days_does_not_match_inside_730_days() {
    let ws = workspace(
        "sources/terms.md",
        &claim("retention_days", "30", "30 days"),
    );
    fails_with(&ws, &["the quote has 2 words"]);
    // A long enough quote that holds 730 does not state 30.
    let ws = workspace(
        "sources/terms.md",
        &claim(
            "retention_days",
            "30",
            "Acme retains Customer Data for 730 days.",
        ),
    );
    fails_with(
        &ws,
        &[
            "the quote does not support `30`: read as:",
            "it states `730` for `retention_days`, not `30`",
        ],
    );
    // Nor does a quote that ends inside a number.
    let ws = workspace(
        "sources/terms.md",
        &claim("retention_days", "30", "Acme retains Customer Data for 7"),
    );
    fails_with(&ws, &["quote not found in sources/terms.md"]);
}

#[test]
fn a_link_lookalike_never_deletes_the_quotes_words() {
    let ws = workspace(
        "sources/terms.md",
        &claim(
            "training_on_inputs",
            "never",
            "Acme will ](not) use Customer Data to improve and train its models.",
        ),
    );
    let err = fails_with(
        &ws,
        &["quote not found in sources/terms.md; closest passage"],
    );
    // The diff shows what the quote has that the document does not.
    assert!(err.contains("[-](not)-]"), "{err}");
}

#[test]
fn the_value_must_rest_on_the_quotes_words() {
    let quote = "Acme will use Customer Data to improve and train its models.";
    let ws = workspace(
        "sources/terms.md",
        &claim("training_on_inputs", "never", quote),
    );
    fails_with(
        &ws,
        &[
            "the quote does not support `never`: read as: the clause states `default_on`, with no refusal to train",
        ],
    );
    let ws = workspace(
        "sources/terms.md",
        &claim("training_on_inputs", "opt_out", quote),
    );
    fails_with(
        &ws,
        &[
            "the quote does not support `opt_out`",
            "it states `default_on` for `training_on_inputs`, not `opt_out`",
        ],
    );
    // The same quote supports what it says.
    let ws = workspace(
        "sources/terms.md",
        &claim("training_on_inputs", "default_on", quote),
    );
    let (code, err) = check(&ws);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn the_profile_itself_is_not_a_snapshot() {
    let ws = workspace(
        "profile.yaml",
        &claim(
            "dpa",
            "signed",
            "Acme signs every data processing agreement we send.",
        ),
    );
    let err = fails_with(
        &ws,
        &[
            "vendors/acme/profile.yaml:9:15: error: snapshot `profile.yaml` is not under the vendor's sources/ folder",
            "hint: a snapshot is an archived copy of the vendor's document",
        ],
    );
    // And the invented quote does not verify against anything.
    assert!(err.contains("fact `dpa`"), "{err}");
    let ws = workspace(
        "sources/../profile.yaml",
        &claim(
            "dpa",
            "signed",
            "Acme signs every data processing agreement we send.",
        ),
    );
    fails_with(&ws, &["is outside the vendor's folder"]);
    let ws = workspace(
        "sources/rules.rhai",
        &claim(
            "dpa",
            "signed",
            "Acme signs every data processing agreement we send.",
        ),
    );
    ws.write(
        "vendors/acme/sources/rules.rhai",
        "Acme signs every data processing agreement we send.",
    );
    fails_with(
        &ws,
        &["is a workspace file (profile, policy, rule or test), not a document"],
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_snapshot_is_refused_without_waiting() {
    let ws = workspace(
        "sources/pipe.md",
        &claim(
            "dpa",
            "none",
            "Acme does not offer a data processing agreement.",
        ),
    );
    let path = ws.path().join("vendors/acme/sources/pipe.md");
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    fails_with(
        &ws,
        &[
            "vendors/acme/profile.yaml:9:15: error: snapshot `sources/pipe.md` is a FIFO (named pipe), not a regular file",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_link_out_of_sources_is_refused() {
    let ws = workspace(
        "sources/copy.md",
        &claim(
            "dpa",
            "none",
            "Acme does not offer a data processing agreement.",
        ),
    );
    std::os::unix::fs::symlink(
        ws.path().join("vendors/acme/profile.yaml"),
        ws.path().join("vendors/acme/sources/copy.md"),
    )
    .unwrap();
    fails_with(
        &ws,
        &["snapshot `sources/copy.md` leads outside the vendor's sources/ folder (through a link)"],
    );
    // A link that stays inside sources/ is an ordinary snapshot.
    let ws = workspace(
        "sources/current.md",
        &claim(
            "dpa",
            "none",
            "Acme does not offer a data processing agreement.",
        ),
    );
    std::os::unix::fs::symlink(
        "terms.md",
        ws.path().join("vendors/acme/sources/current.md"),
    )
    .unwrap();
    let (code, err) = check(&ws);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_failure_points_at_the_quote_line() {
    let ws = workspace(
        "sources/terms.md",
        &claim(
            "retention_days",
            "73",
            "Acme retains Customer Data for 73 days.",
        ),
    );
    let err = fails_with(
        &ws,
        &[
            "vendors/acme/profile.yaml:18:18: error: acme/api: fact `retention_days`: quote not found",
            "closest passage (86% of words alike): \"Acme retains Customer Data for 730 days.\"",
            "word diff ([-quote-] {+document+}): Acme retains Customer Data for [-73-] {+730+} days.",
        ],
    );
    assert!(
        err.contains("18 |           quote:"),
        "the snippet shows the quote line:\n{err}"
    );
}

#[test]
fn short_quotes_may_be_a_whole_heading() {
    let ws = workspace(
        "sources/terms.md",
        &claim("dpa", "online", "Data Processing"),
    );
    // The heading is long enough to quote; whether it states the value is the reader's call,
    // and a heading alone says nothing of where the DPA is.
    let (_, err) = check(&ws);
    assert!(!err.contains("proves nothing"), "{err}");
    assert!(err.contains("read as:"), "{err}");
}

const SILENT: &str = "      breach_notification_hours:
        - value: not_stated
          source: terms
          searched: [breach, security incident, notify]
";

#[test]
fn verified_silence_passes_when_the_document_is_silent() {
    let ws = workspace("sources/terms.md", SILENT);
    let (code, err) = check(&ws);
    assert_eq!(code, Some(0), "{err}");
    // A rule sees the fact as unknown, and can tell that the documents were read.
    ws.write(
        "scripts/breach.rhai",
        "//! Breach notice\n//! Test rule.\nif not_stated(\"breach_notification_hours\") && fact(\"breach_notification_hours\") == () {\n    hold(\"The Acme Terms do not state breach-notification hours.\", \"Ask for a breach-notification deadline in hours.\");\n} else {\n    pass(\"stated\");\n}\n",
    );
    let v = common::evaluate_json(ws.path(), &["--class", "internal"]);
    let finding = v["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "breach")
        .expect("breach finding")
        .clone();
    assert_eq!(finding["level"], "hold", "{finding:#}");
    assert_eq!(finding["evidence"][0]["role"], "silent");
    assert_eq!(
        finding["evidence"][0]["searched"],
        serde_json::json!(["breach", "security incident", "notify"])
    );
}

#[test]
fn verified_silence_fails_showing_the_passage_that_speaks() {
    let ws = workspace(
        "sources/terms.md",
        "      retention_days:
        - value: not_stated
          source: terms
          searched: [deletion, RETAINS]
",
    );
    fails_with(
        &ws,
        &[
            "vendors/acme/profile.yaml:18:21: error: acme/api: fact `retention_days`: `not_stated`, but sources/terms.md mentions \"RETAINS\"",
            "Acme retains Customer Data for 730 days.",
            "hint: read that passage",
        ],
    );
}

#[test]
fn not_stated_needs_the_words_searched() {
    let ws = workspace(
        "sources/terms.md",
        "      breach_notification_hours:
        - value: not_stated
          source: terms
",
    );
    fails_with(
        &ws,
        &[
            "vendors/acme/profile.yaml:16:18: error: fact `breach_notification_hours`: a `not_stated` claim needs `searched:`",
            "hint: add e.g. `searched: [breach, incident, notify]`",
        ],
    );
    let ws = workspace(
        "sources/terms.md",
        "      breach_notification_hours: not_stated\n",
    );
    fails_with(
        &ws,
        &["`not_stated` records that a source was read and is silent"],
    );
}

#[test]
fn silence_never_outvotes_a_stated_value() {
    let ws = workspace(
        "sources/terms.md",
        &(claim(
            "dpa",
            "none",
            "Acme does not offer a data processing agreement.",
        ) + "        - value: not_stated\n          source: terms\n          searched: [subprocessor]\n"),
    );
    let (code, err) = check(&ws);
    assert_eq!(code, Some(0), "{err}");
    ws.write(
        "scripts/dpa.rhai",
        "//! DPA\n//! Test rule.\nif not_stated(\"dpa\") { hold(\"silent\", \"ask\"); }\nelse if fact(\"dpa\") == \"none\" { block(\"no DPA\", \"do not send personal data\"); }\nelse { pass(\"DPA\"); }\n",
    );
    let v = common::evaluate_json(ws.path(), &["--class", "internal"]);
    let finding = v["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "dpa")
        .expect("dpa finding")
        .clone();
    assert_eq!(finding["level"], "block", "{finding:#}");
    assert_eq!(finding["facts"]["dpa"], "none");
}

#[test]
fn every_bundled_claim_verifies() {
    let out = diligence(&bundled())
        .args(["check", "--today", TODAY])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("121 claims, 121 quotes verified"), "{err}");
}

proptest! {
    /// Folding never lets a quote with a negation or a number match a text without it.
    #[test]
    fn a_negation_or_number_never_folds_away(
        words in prop::collection::vec("[a-z]{3,8}", 6..12),
        at in 0usize..6,
        extra in prop::sample::select(vec!["not", "no", "never", "without", "nor", "30", "730", "thirty"]),
        noise in prop::sample::select(vec!["", "*", "_", "**", "\u{ad}"]),
    ) {
        let words: Vec<String> = words
            .into_iter()
            .filter(|w| !["not", "no", "never", "nor", "without"].contains(&w.as_str()))
            .collect();
        prop_assume!(words.len() >= 6);
        let doc_text = words.iter().map(|w| format!("{noise}{w}{noise}")).collect::<Vec<_>>().join(" ");
        let doc = Snapshot::new(&doc_text);
        let mut quoted = words.clone();
        quoted.insert(at.min(words.len()), extra.to_string());
        let quote = quoted.join(" ");
        prop_assert_eq!(doc.verify(&quote), Err(Mismatch::NotFound));
        // The words as written do verify.
        prop_assert_eq!(doc.verify(&words.join(" ")), Ok(()));
    }
}
