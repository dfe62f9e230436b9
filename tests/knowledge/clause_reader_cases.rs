//! `check`'s support test and `extract`'s proposals, read by the clause reader, on sentences of
//! real documents (`tests/fixtures/reader/` and the labelled corpus's
//! `tests/data/clauses/documents/`, Open Terms Archive and Platform Governance Archive, ODC-BY
//! 1.0: see their NOTICE.md): values stated in words are supported, a negation about something
//! else is not an absence, a negation narrowed to "all" is no "never", and a number that
//! measures something else is refused with what the clause was read as.

use diligence::quotes::Snapshot;
use serde_json::{Value, json};
use std::path::Path;

fn document(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures/reader").join(name);
    let path = if fixture.exists() {
        fixture
    } else {
        root.join("tests/data/clauses/documents").join(name)
    };
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `check`'s verdict on a claim quoting `sentence` of `doc`: `None` when the quote supports
/// the value, else why not. The sentence must be in the document as a quote.
fn check(doc: &str, fact: &str, value: Value, sentence: &str) -> Option<String> {
    let snapshot = Snapshot::new(&document(doc));
    assert!(
        snapshot.verify(sentence).is_ok(),
        "not in {doc}: {sentence}"
    );
    diligence::evidence::unsupported(fact, &value, sentence)
}

const MISTRAL: &str = "mistral-commercial-terms.2026-08-07.md";
// A privacy policy of the corpus's development part (the test part is never read to write the
// reader).
const CHATGPT_PRIVACY: &str = "chatgpt-privacy-policy.md";
const MISTRAL_DPA: &str = "mistral-dpa.md";

#[test]
fn terms_limited_to_professional_use_support_not_resting_on_consumer_terms() {
    let why = check(
        MISTRAL,
        "rests_on_consumer_terms",
        json!("no"),
        "Labs or PreviewModels are exclusively available to Mistral AI’s commercial Customers and are restricted to professional use only.",
    );
    assert_eq!(why, None);
}

#[test]
fn a_change_effective_when_posted_supports_zero_days_notice() {
    let sentence = "Any updates that are not material become effective immediately upon being posted at [https://legal.mistral.ai/terms](https://legal.mistral.ai/terms).";
    assert_eq!(
        check(MISTRAL, "terms_change_notice_days", json!(0), sentence),
        None
    );
    // Zero is what it says, not thirty.
    assert!(check(MISTRAL, "terms_change_notice_days", json!(30), sentence).is_some());
}

#[test]
fn a_privacy_policy_that_does_not_cover_some_data_is_not_the_absence_of_a_dpa() {
    let why = check(
        CHATGPT_PRIVACY,
        "dpa",
        json!("none"),
        "This Privacy Policy does not apply to content that we process on behalf of customers of our business offerings, such as our API.",
    )
    .expect("refused");
    assert!(why.contains("read as:"), "{why}");
    assert!(why.contains("data processing agreement"), "{why}");
}

#[test]
fn a_window_to_reach_the_data_after_termination_is_not_a_deletion_deadline() {
    let sentence = "Customer acknowledges that the Personal Data will no longer be accessible upon the expiry of a thirty (30) days period following the termination of the Customer’s access to and use of the Mistral AI Products.";
    let why = check(
        MISTRAL_DPA,
        "deletion_after_termination_days",
        json!(30),
        sentence,
    )
    .expect("refused");
    assert!(why.contains("read as:"), "{why}");
    assert!(why.contains("not a deletion deadline"), "{why}");
    // Nor is it how long the vendor keeps the data while the contract runs.
    assert!(check(MISTRAL_DPA, "retention_days", json!(30), sentence).is_some());
}

#[test]
fn a_silent_reading_names_what_the_clause_was_read_as() {
    // A change clause with no number of days supports no number of days.
    let sentence = "Any updates that are not material become effective immediately upon being posted at [https://legal.mistral.ai/terms](https://legal.mistral.ai/terms).";
    let why = check(MISTRAL, "terms_change_notice_days", json!(30), sentence).expect("refused");
    assert!(why.starts_with("read as:"), "{why}");
    assert!(
        why.contains("`0`"),
        "the reading's own value is named: {why}"
    );
}

/// `check`'s verdict on a claim quoting `sentence` where it stands in `doc`: a list item is
/// read with the sentence that introduces it.
fn check_in_place(doc: &str, fact: &str, value: Value, sentence: &str) -> Option<String> {
    let snapshot = Snapshot::new(&document(doc));
    assert!(
        snapshot.verify(sentence).is_ok(),
        "not in {doc}: {sentence}"
    );
    diligence::evidence::unsupported_at(fact, &value, sentence, &snapshot)
}

const ANTHROPIC_DPA: &str = "anthropic-dpa.md";

#[test]
fn a_deletion_item_is_read_with_its_lead_in_and_the_return_item_beside_it_is_not_a_deadline() {
    // "Within thirty (30) days of the date of termination ..., Anthropic will:" leads both
    // items; the quote need not repeat it.
    let delete = "delete all copies of Customer Data (including Customer Personal Data) processed by Anthropic or any Subprocessors";
    assert_eq!(
        check_in_place(
            ANTHROPIC_DPA,
            "deletion_after_termination_days",
            json!(30),
            delete
        ),
        None
    );
    // Alone, the item states no number: refused, saying what it was read as.
    let alone = check(
        ANTHROPIC_DPA,
        "deletion_after_termination_days",
        json!(30),
        delete,
    )
    .expect("refused without its lead-in");
    assert!(alone.starts_with("read as:"), "{alone}");
    // The item beside it is the customer's window to ask for a copy: under the same lead-in it
    // is still no deletion deadline.
    let why = check_in_place(
        ANTHROPIC_DPA,
        "deletion_after_termination_days",
        json!(30),
        "if requested to do so by Customer within that period, return a copy of all Customer Data in its control or possession or provide a self-service functionality allowing Customer to do the same; and",
    )
    .expect("refused");
    assert!(why.contains("read as"), "{why}");
}

#[test]
fn a_definition_in_a_list_states_no_mechanism_whatever_its_lead_in() {
    let why = check_in_place(
        MISTRAL_DPA,
        "transfer_mechanism",
        json!(["scc"]),
        "(i) “**SCC**” means the clauses annexed to the EU Commission Implementing Decision 2021/914 of June 4, 2021 on standard contractual clauses for the transfer of personal data to third countries pursuant to the GDPR",
    );
    assert!(
        why.is_some(),
        "a definition was read as a mechanism relied on"
    );
}

#[test]
fn a_licence_written_out_in_its_rights_is_broad_unless_confined_to_a_purpose() {
    // A list item under "you grant LinkedIn the following ..." names no grantor and no
    // purpose: worldwide, sublicensable, to copy, modify and distribute.
    assert_eq!(
        check_in_place(
            "linkedin-terms.md",
            "licence_scope",
            json!("broad"),
            "A worldwide, transferable and sublicensable right to use, copy, modify, distribute, publicly perform and display, host, and process your content and other information without any further consent, notice and/or compensation to you or others."
        ),
        None
    );
    // As wide in its reach, but granted "for the purposes of providing, maintaining and
    // optimizing" the products and excluding model training: not broad.
    let quote = "Customer grants Mistral AI a worldwide, non-exclusive, non-transferable (except as permitted in Section 14.2 (Assignment)), royalty-free, fully-paid license (with the right to sublicense to our service providers) to use Customer Data and Outputs for the purposes of (a) providing, maintaining, and optimizing the Mistral AI Products, which includes debugging, assessing, reviewing, and correcting the performance of the Mistral AI Products but excludes model training";
    assert_eq!(
        check(
            "mistral-commercial-terms.md",
            "licence_scope",
            json!("service_improvement"),
            quote
        ),
        None
    );
    assert!(
        check(
            "mistral-commercial-terms.md",
            "licence_scope",
            json!("broad"),
            quote
        )
        .is_some()
    );
}

#[test]
fn not_reviewing_all_content_is_not_a_promise_never_to_review() {
    // A platform that "does not review all content" still reviews some: the negation is
    // narrowed to "all", so it states no `never`.
    let sentence = "However, we do not review all content on our Services.";
    let why = check(
        "snapchat-terms.2026-08-06.md",
        "human_review",
        json!("never"),
        sentence,
    )
    .expect("refused");
    assert!(why.starts_with("read as:"), "{why}");
    // The same words with the negation whole are a promise never to review.
    let r = diligence::read_clause("We do not review content on our Services.");
    assert_eq!(
        diligence::stated_value("human_review", &r),
        Some(json!("never"))
    );
}

/// `extract`'s candidates for `fact` in `doc`, with the value each proposes.
fn extracted(doc: &str, fact: &str) -> Vec<(Value, String)> {
    diligence::extract_candidates(&document(doc), &[fact])
        .into_iter()
        .map(|c| (c.value, c.quote))
        .collect()
}

#[test]
fn extract_proposes_the_value_of_a_list_item_read_with_its_lead_in() {
    // "H.1. Within thirty (30) days of ... termination ..., Anthropic will:" leads the
    // numbered item "H.1.b. delete all copies of Customer Data ...": alone it states no
    // number, with its lead-in it is a 30-day deletion deadline, as `check` reads it.
    let found = extracted(ANTHROPIC_DPA, "deletion_after_termination_days");
    let item = found
        .iter()
        .find(|(_, q)| q.contains("delete all copies of Customer Data"))
        .unwrap_or_else(|| panic!("the deletion item is a candidate: {found:#?}"));
    assert_eq!(item.0, json!(30), "{found:#?}");
    // The return item beside it is the customer's window: no deadline proposed.
    assert!(
        found
            .iter()
            .filter(|(_, q)| q.contains("return a copy of all Customer Data"))
            .all(|(v, _)| v.is_null()),
        "{found:#?}"
    );
}

#[test]
fn extract_proposes_open_ended_retention_as_the_vocabulary_writes_it() {
    // Kept until the account ends or the content is removed: `until_deleted`.
    let found = extracted("x-privacy-policy.md", "retention_days");
    let (value, quote) = found.first().expect("a candidate");
    assert!(
        quote.contains("for the duration of your account or until such content is removed"),
        "{found:#?}"
    );
    assert_eq!(*value, json!("until_deleted"));
    // Kept as long as necessary for a purpose: `indefinite` (no end the customer controls).
    let found = extracted("pinterest-privacy-policy.md", "retention_days");
    let open = found
        .iter()
        .find(|(_, q)| q.starts_with("We keep your information only so long as we need it"))
        .unwrap_or_else(|| panic!("the general rule is a candidate: {found:#?}"));
    assert_eq!(open.0, json!("indefinite"));
    // Either is accepted by `check` on the same quote.
    let snapshot = Snapshot::new(&document("pinterest-privacy-policy.md"));
    assert_eq!(
        diligence::evidence::unsupported_at("retention_days", &open.0, &open.1, &snapshot),
        None
    );
}

#[test]
fn retention_until_the_user_asks_for_removal_is_until_deleted_unless_its_row_is_other_data() {
    // A retention table's cell: kept until the user asks for removal or deletes the account.
    // Asking is how the period ends, not a right to request deletion instead of a period: read
    // alone, the cell states `until_deleted`.
    let doc = "wechat-privacy-policy.2026-08-06.md";
    let cell = "Retained until you request removal of the information or your account is deleted, whichever is earlier.";
    assert_eq!(
        check(doc, "retention_days", json!("until_deleted"), cell),
        None
    );
    assert!(check(doc, "retention_days", json!("indefinite"), cell).is_some());
    // Where it stands, its row is "Information for additional account security" (password,
    // emergency contacts, ...): not the customer's content, so neither `check` in place nor
    // `extract` takes it as the retention of content (a reviewer labelling blind read it so).
    let why = check_in_place(doc, "retention_days", json!("until_deleted"), cell)
        .expect("the row names account data");
    assert!(why.contains("not the customer's content"), "{why}");
    let found = extracted(doc, "retention_days");
    assert!(
        !found
            .iter()
            .any(|(v, q)| q == cell && *v == json!("until_deleted")),
        "{found:#?}"
    );
}

#[test]
fn a_lead_in_that_names_the_dpa_does_not_make_its_items_a_dpa() {
    // "By accepting this DPA, ... conclude Module 4 ... of the SCCs ...:" leads items that say
    // who the exporter is: read in place they still name no agreement.
    let item = "The “data exporter” is Mistral AI and the “data importer” is the Customer;";
    assert!(check_in_place(MISTRAL_DPA, "dpa", json!("online"), item).is_some());
    let found = extracted(MISTRAL_DPA, "dpa");
    assert!(
        found.iter().all(|(v, q)| q != item || v.is_null()),
        "{found:#?}"
    );
}
