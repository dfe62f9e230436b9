//! The clause reader on real documents of the labelled corpus (`tests/data/clauses/`, Open Terms
//! Archive and Platform Governance Archive, ODC-BY 1.0: see its NOTICE.md): what `extract`
//! proposes for a prohibition written as the customer's duty, and how `refresh` classifies real
//! pairs of versions (an opt-out added while the old quotes still verify, a cosmetic edit, an
//! error page).

use diligence::VersionChange;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/clauses")
}

fn read(rel: &str) -> String {
    let path = corpus().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pair(id: &str) -> (String, String) {
    (
        read(&format!("versions/{id}/old.md")),
        read(&format!("versions/{id}/new.md")),
    )
}

/// Mistral's commercial terms list what "Customer will not" do; item (c) forbids children's
/// data. Read with its lead-in, the item is a prohibited-data clause, not a training one.
#[test]
fn a_customer_duty_is_proposed_as_prohibited_data_not_as_training() {
    let doc = read("documents/mistral-commercial-terms.md");
    let found = diligence::extract_candidates(&doc, &["prohibited_data", "training_on_inputs"]);
    let item = |c: &diligence::Candidate| c.quote.contains("personal information of children");
    let prohibited: Vec<_> = found
        .iter()
        .filter(|c| c.fact == "prohibited_data")
        .collect();
    let best = prohibited.iter().find(|c| item(c)).unwrap_or_else(|| {
        panic!("the children clause is not among the prohibited-data candidates: {prohibited:#?}")
    });
    assert!(
        best.value
            .as_array()
            .is_some_and(|v| v.iter().any(|k| k == "children")),
        "{best:?}"
    );
    assert!(best.why.starts_with("customer"), "{best:?}");
    assert!(
        !found
            .iter()
            .any(|c| c.fact == "training_on_inputs" && item(c)),
        "a customer's duty was proposed as a training clause"
    );
}

/// LinkedIn's privacy policy states its general rule without a number ("as long as you keep
/// your account open") and gives numbers only for narrow kinds of data (a tag's tracking data
/// deleted after 180 days): the general rule is the first retention candidate.
#[test]
fn an_open_ended_retention_rule_comes_before_a_number_for_narrow_data() {
    let doc = read("documents/linkedin-privacy-policy.md");
    let found = diligence::extract_candidates(&doc, &["retention_days"]);
    let best = found.first().expect("a retention candidate");
    assert!(
        best.quote.starts_with(
            "We generally retain your personal data as long as you keep your account open"
        ),
        "{found:#?}"
    );
}

/// Meta's data processing terms list the processor's duties under a lead-in; the item
/// "Meta shall notify you without undue delay ..." has its own subject and modal verb, so it is
/// read as the vendor's promise, not as the lead-in's duty of the customer.
#[test]
fn a_list_item_with_its_own_subject_is_read_as_its_own_promise() {
    let doc = read("documents/facebook-dpa.md");
    let found = diligence::extract_candidates(&doc, &["breach_notification_hours"]);
    let item = found
        .iter()
        .find(|c| {
            c.quote
                .contains("Meta shall notify you without undue delay")
        })
        .unwrap_or_else(|| panic!("the breach notice is not a candidate: {found:#?}"));
    assert!(item.why.starts_with("vendor"), "{item:?}");
    assert!(
        std::ptr::eq(item, &found[0]),
        "the vendor's breach notice is not the first candidate: {found:#?}"
    );
}

/// LinkedIn's privacy policy added a banner announcing training with an opt-out while every
/// sentence of the old version stayed: the change is reported for training, with the new value.
#[test]
fn an_added_opt_out_is_reported_though_the_old_text_still_verifies() {
    let (old, new) = pair("linkedin-privacy-2025-09-ai-training-optout");
    match diligence::compare_versions(&old, &new) {
        VersionChange::Meaning { facts } => {
            let training = facts
                .iter()
                .find(|f| f.fact == "training_on_inputs")
                .unwrap_or_else(|| panic!("training not reported: {facts:#?}"));
            assert!(
                training.new.iter().any(|(v, _)| v == "opt_out"),
                "{training:#?}"
            );
        }
        other => panic!("expected a change of meaning, got {other:?}"),
    }
}

/// Typographic apostrophes replaced by straight ones: the same reading, cosmetic.
#[test]
fn a_cosmetic_edit_is_reported_cosmetic() {
    for id in [
        "chatgpt-privacy-2026-07-apostrophe",
        "tumblr-privacy-2024-01-joined-words",
    ] {
        let (old, new) = pair(id);
        assert_eq!(
            diligence::compare_versions(&old, &new),
            VersionChange::Cosmetic,
            "{id}"
        );
    }
}

/// Facebook's DPA captured as "This page isn't available": a failed capture, never the terms.
#[test]
fn an_error_page_is_a_failed_capture() {
    let (old, new) = pair("facebook-dpa-2023-04-unavailable");
    match diligence::compare_versions(&old, &new) {
        VersionChange::FailedCapture { why } => assert!(why.contains("isn't available"), "{why}"),
        other => panic!("an error page was read as terms: {other:?}"),
    }
}
