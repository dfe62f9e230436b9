//! The bundled vendor knowledge, pinned: the facts a careful re-reading of the archived
//! documents corrected (deletion, BAA, notice of changes, carve-outs, stated retention) and the
//! verdicts they drive. An edit to a bundled profile that silently reverts one of them fails
//! here, naming the fact and the clause that decides it.

use crate::common;

use common::{BUNDLED_TODAY as REVIEWED, bundled, diligence};
use serde_json::Value;

/// `evaluate --format json` on the bundled workspace, as of the review day.
fn evaluate(args: &[&str]) -> Value {
    let out = diligence(&bundled())
        .args(["evaluate", "--format", "json", "--today", REVIEWED])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    common::inline_evidence(serde_json::from_slice(&out).expect("valid JSON on stdout"))
}

/// The one result of an evaluation of one offering at one class.
fn result<'a>(v: &'a Value, vendor: &str, offering: &str, class: &str) -> &'a Value {
    v["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| {
            r["vendor"] == vendor && r["offering"] == offering && r["classification"] == class
        })
        .unwrap_or_else(|| panic!("no result for {vendor}/{offering} at {class}"))
}

/// The findings a rule raised in a result.
fn of_rule<'a>(r: &'a Value, rule: &str) -> Vec<&'a Value> {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// The single finding of a rule, with its level checked.
fn finding<'a>(r: &'a Value, rule: &str, level: &str) -> &'a Value {
    let found = of_rule(r, rule);
    assert_eq!(
        found
            .iter()
            .map(|f| f["level"].as_str().unwrap())
            .collect::<Vec<_>>(),
        [level],
        "{}/{} at {}: {rule}",
        r["vendor"],
        r["offering"],
        r["classification"]
    );
    found[0]
}

/// The quotes of a finding's evidence for a fact, and of their carve-outs.
fn quotes(f: &Value, fact: &str) -> (Vec<String>, Vec<String>) {
    let mut quotes = Vec::new();
    let mut exceptions = Vec::new();
    for e in f["evidence"].as_array().expect("evidence") {
        if e["fact"] != fact || e["role"] != "decides" {
            continue;
        }
        quotes.push(e["quote"].as_str().unwrap_or_default().to_string());
        for x in e["exceptions"].as_array().into_iter().flatten() {
            exceptions.push(x["quote"].as_str().unwrap_or_default().to_string());
        }
    }
    (quotes, exceptions)
}

/// The date the tests review the bundled workspace as of is on or after every profile's review
/// date: their reports carry no "review date in the future" warning (move `BUNDLED_TODAY` in
/// tests/common when the profiles are re-read).
#[test]
fn the_bundled_profiles_are_reviewed_by_the_tests_date() {
    let v = evaluate(&[]);
    let future: Vec<String> = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .flat_map(|r| of_rule(r, "profile-review-date"))
        .filter(|f| f["level"] != "pass")
        .map(|f| f["message"].to_string())
        .collect();
    assert!(future.is_empty(), "{future:?}");
}

#[test]
fn perplexity_deletion_is_thirty_days_with_the_required_by_law_carve_out() {
    let v = evaluate(&["perplexity", "--class", "confidential"]);
    let r = result(&v, "perplexity", "sonar-api", "confidential");
    // A carve-out turns the pass into a warning that quotes it.
    let f = finding(r, "deletion-after-termination", "warn");
    assert_eq!(f["facts"]["deletion_after_termination_days"], 30);
    let (quotes, exceptions) = quotes(f, "deletion_after_termination_days");
    assert!(
        quotes.iter().any(|q| q.contains(
            "delete (or, at Customer’s option, return) all Personal Data within thirty days"
        )),
        "{quotes:?}"
    );
    assert!(
        exceptions.iter().any(|q| q.contains("required by law")),
        "{exceptions:?}"
    );
}

#[test]
fn perplexity_baa_is_unknown_so_phi_holds_with_the_question() {
    let v = evaluate(&["perplexity", "--class", "confidential", "--tag", "phi"]);
    let r = result(&v, "perplexity", "sonar-api", "confidential");
    assert_eq!(r["verdict"], "hold");
    let f = finding(r, "baa-required", "hold");
    assert!(
        f["action"]
            .as_str()
            .unwrap()
            .contains("business associate agreement"),
        "{f}"
    );
    // The terms still forbid PHI without an executed BAA.
    let p = finding(r, "prohibited-data", "condition");
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("executed a Business Associate Agreement")
    );
}

#[test]
fn perplexity_breach_and_change_notice_are_stated_so_confidential_is_conditional() {
    let v = evaluate(&["perplexity", "--class", "confidential"]);
    let r = result(&v, "perplexity", "sonar-api", "confidential");
    assert_eq!(r["verdict"], "conditional", "{r}");
    let breach = finding(r, "breach-notification", "condition");
    assert_eq!(
        breach["facts"]["breach_notification_hours"],
        "without_undue_delay"
    );
    let notice = finding(r, "terms-change-notice", "condition");
    // Updates take effect upon notice: no notice period at all, not "reasonable" notice.
    assert_eq!(notice["facts"]["terms_change_notice_days"], 0);
    let (quoted, _) = quotes(notice, "terms_change_notice_days");
    assert!(
        quoted.iter().any(|q| q.contains("effective upon notice")),
        "{quoted:?}"
    );
    let scope = finding(r, "terms-change-scope", "warn");
    assert_eq!(scope["facts"]["terms_change_notice_scope"], "material_only");
}

#[test]
fn mistral_deletion_follows_its_own_policies_with_no_deadline() {
    let v = evaluate(&["mistral", "--class", "confidential"]);
    for offering in ["ai-studio", "le-chat", "labs-preview-models"] {
        let r = result(&v, "mistral", offering, "confidential");
        let f = finding(r, "deletion-after-termination", "condition");
        assert_eq!(
            f["facts"]["deletion_after_termination_days"], "indefinite",
            "{offering}"
        );
        let (quotes, _) = quotes(f, "deletion_after_termination_days");
        assert!(
            quotes
                .iter()
                .any(|q| q.contains("deletion policies and procedures")),
            "{offering}: {quotes:?}"
        );
    }
}

#[test]
fn mistral_retention_for_the_duration_of_the_agreement_blocks_le_chat() {
    let v = evaluate(&["mistral", "--class", "confidential"]);
    // No zero data retention is stated for Le Chat: the stated retention exceeds the maximum.
    let le_chat = result(&v, "mistral", "le-chat", "confidential");
    assert_eq!(le_chat["verdict"], "no-go");
    let f = finding(le_chat, "retention-limit", "block");
    assert_eq!(f["facts"]["retention_days"], "indefinite");
    let (quotes, _) = quotes(f, "retention_days");
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("the duration of the Agreement")),
        "{quotes:?}"
    );
    // AI Studio's APIs can run with zero data retention: a condition, not a refusal.
    let studio = result(&v, "mistral", "ai-studio", "confidential");
    finding(studio, "retention-limit", "condition");
}

#[test]
fn mistral_ai_studio_training_is_unknown_and_its_licence_holds_rather_than_blocks() {
    let v = evaluate(&[
        "mistral/ai-studio",
        "--class",
        "internal",
        "--class",
        "confidential",
    ]);
    let confidential = result(&v, "mistral", "ai-studio", "confidential");
    finding(confidential, "training-on-inputs", "hold");
    finding(confidential, "training-on-outputs", "hold");
    let internal = result(&v, "mistral", "ai-studio", "internal");
    assert_eq!(internal["verdict"], "hold", "{internal}");
    let licence = finding(internal, "licence-scope", "hold");
    // The Feedback licence is recorded as a carve-out of every licence claim.
    let (_, exceptions) = quotes(licence, "licence_scope");
    assert!(
        exceptions
            .iter()
            .any(|q| q.contains("in any manner without any obligation")),
        "{exceptions:?}"
    );
}

#[test]
fn mistral_le_chat_opt_out_does_not_cover_feedback() {
    let v = evaluate(&["mistral/le-chat", "--class", "confidential"]);
    let r = result(&v, "mistral", "le-chat", "confidential");
    let f = finding(r, "training-on-inputs", "condition");
    assert_eq!(f["facts"]["training_on_inputs"], "opt_out");
    let (_, exceptions) = quotes(f, "training_on_inputs");
    assert!(
        exceptions.iter().any(|q| q.contains("\"thumbs up\"")),
        "{exceptions:?}"
    );
}

#[test]
fn openai_notice_covers_only_updates_it_judges_material() {
    let v = evaluate(&["openai", "--class", "confidential"]);
    for offering in ["api", "chatgpt-enterprise"] {
        let r = result(&v, "openai", offering, "confidential");
        let f = finding(r, "terms-change-scope", "condition");
        assert_eq!(
            f["facts"]["terms_change_notice_scope"],
            "vendor_judged_material"
        );
        let (quotes, _) = quotes(f, "terms_change_notice_scope");
        assert!(
            quotes.iter().any(|q| q.contains("in its sole judgment")),
            "{quotes:?}"
        );
    }
}

#[test]
fn openai_phi_needs_the_addendum_and_a_service_designed_for_it() {
    let v = evaluate(&["openai/api", "--class", "confidential", "--tag", "phi"]);
    let r = result(&v, "openai", "api", "confidential");
    let f = finding(r, "prohibited-data", "condition");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("Healthcare Addendum")
            && message.contains("designed for processing Protected Health Information"),
        "{message}"
    );
    let (_, exceptions) = quotes(f, "prohibited_data");
    assert!(
        exceptions
            .iter()
            .any(|q| q.contains("NOT DESIGNED FOR PROCESSING")),
        "{exceptions:?}"
    );
}

#[test]
fn openai_abusive_content_is_kept_with_no_end_so_restricted_is_no_go() {
    let v = evaluate(&["openai", "--class", "restricted"]);
    for offering in ["api", "chatgpt-enterprise"] {
        let r = result(&v, "openai", offering, "restricted");
        assert_eq!(r["verdict"], "no-go", "{offering}");
        let f = finding(r, "abuse-monitoring-retention", "block");
        assert_eq!(f["facts"]["abuse_monitoring_retention_days"], "indefinite");
    }
}

#[test]
fn anthropic_storage_for_the_term_of_the_agreement_exceeds_the_confidential_maximum() {
    let v = evaluate(&["anthropic", "--class", "confidential"]);
    let r = result(&v, "anthropic", "api", "confidential");
    assert_eq!(r["verdict"], "no-go");
    let f = finding(r, "retention-limit", "block");
    assert_eq!(f["facts"]["retention_days"], "indefinite");
    // The Commercial Terms' licence claim quotes the sentence that makes Customer Content
    // Confidential Information (the DPA's claim, which ranks first, agrees with it).
    let licence = finding(r, "licence-scope", "pass");
    let quotes: Vec<&str> = licence["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .filter(|e| e["fact"] == "licence_scope" && e["role"] != "outvoted")
        .filter_map(|e| e["quote"].as_str())
        .collect();
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("Customer Content is Customer’s Confidential Information")),
        "{quotes:?}"
    );
}

#[test]
fn subprocessor_objection_periods_are_read_from_each_dpa() {
    let v = evaluate(&["--class", "confidential"]);
    for (vendor, offering, days) in [
        ("anthropic", "api", 15),
        ("mistral", "ai-studio", 10),
        ("openai", "api", 30),
        ("perplexity", "sonar-api", 10),
    ] {
        let r = result(&v, vendor, offering, "confidential");
        let f = finding(r, "subprocessor-objection", "info");
        assert_eq!(f["facts"]["subprocessor_objection_days"], days, "{vendor}");
    }
}

#[test]
fn governing_documents_not_archived_are_declared_missing() {
    let v = evaluate(&["--class", "internal"]);
    for (vendor, offering, title) in [
        ("mistral", "ai-studio", "Mistral AI Infrastructure"),
        ("openai", "api", "Service-Specific Terms"),
        ("anthropic", "api", "Service Specific Terms"),
    ] {
        let r = result(&v, vendor, offering, "internal");
        assert!(
            of_rule(r, "missing-documents")
                .iter()
                .any(|f| f["message"].as_str().unwrap().contains(title)),
            "{vendor}: {title}"
        );
    }
}

#[test]
fn the_bundled_workspace_checks_clean() {
    diligence(&bundled())
        .arg("check")
        .assert()
        .success()
        .stderr(predicates::str::contains(": 0 errors,"));
}
