//! What real terms say beyond a number or a label. Each test starts from a
//! small vendor whose terms say one thing, runs the bundled rule as a user would, then changes
//! the clause and shows the verdict move the way a careful reviewer would move it.

use crate::common;

use common::{TODAY, Ws, profile_with_facts, stdout_json};
use serde_json::Value;

const POLICY: &str = "organization: Test Org
classifications:
  public: {}
  confidential:
    require:
      no_training: true
      max_retention_days: 30
      max_breach_notification_hours: 72
      min_terms_change_notice_days: 30
      contains_data: [confidential]
tags:
  phi: {require: {contains_data: [phi]}}
";

/// A workspace with one vendor whose terms are `terms` and whose facts are `facts` (YAML
/// indented under `facts:`), the test policy, and the bundled rule `rule`.
fn workspace(rule: &str, terms: &str, facts: &str) -> Ws {
    let ws = Ws::new();
    ws.only_bundled_rule(rule);
    ws.write("policies/default.yaml", POLICY);
    ws.write("vendors/acme/sources/terms.md", terms);
    ws.write("vendors/acme/profile.yaml", &profile_with_facts(facts));
    ws
}

/// The one result of `evaluate --class confidential` (plus `extra` arguments).
fn evaluate(ws: &Ws, extra: &[&str]) -> Value {
    let mut args = vec![
        "evaluate",
        "--class",
        "confidential",
        "--format",
        "json",
        "--today",
        TODAY,
    ];
    args.extend_from_slice(extra);
    let out = stdout_json(ws.cmd().args(&args));
    out["results"][0].clone()
}

/// The finding of `rule` in a result (the first one), as (level, message, action).
fn finding(result: &Value, rule: &str) -> (String, String, String) {
    let f = result["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no finding of {rule} in {result}"));
    let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
    (text("level"), text("message"), text("action"))
}

fn claim(fact: &str, value: &str, quote: &str) -> String {
    format!(
        "      {fact}:\n        - value: {value}\n          source: terms\n          quote: {quote:?}\n"
    )
}

#[test]
fn content_kept_until_the_customer_deletes_it_has_no_end_and_is_within_no_maximum() {
    let terms = "# Acme Terms\n\n2.2 Retention. Acme deletes Customer Content within 14 days of processing.\n\n2.3 Storage. Acme stores Customer Content until the Customer deletes it.\n\n2.4 Retention. We keep your personal data for only as long as necessary to fulfil the purposes in this Notice unless a longer retention period is required or permitted by law.\n";
    let ws = workspace(
        "retention-limit",
        terms,
        &claim(
            "retention_days",
            "14",
            "Acme deletes Customer Content within 14 days of processing.",
        ),
    );
    assert_eq!(evaluate(&ws, &[])["verdict"], "go");

    // The document the reviewer trusts says "until the Customer deletes it": no end.
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&claim(
            "retention_days",
            "until_deleted",
            "Acme stores Customer Content until the Customer deletes it.",
        )),
    );
    ws.cmd()
        .args(["check", "--today", TODAY])
        .assert()
        .success();
    let result = evaluate(&ws, &[]);
    assert_eq!(result["verdict"], "conditional");
    let (level, message, action) = finding(&result, "retention-limit");
    assert_eq!(level, "condition");
    assert!(
        message.contains("until the customer deletes it: no end"),
        "{message}"
    );
    assert!(
        action.contains("Delete content yourself within 30 days"),
        "{action}"
    );

    // "As long as necessary" has no end either, and nothing limits it: no-go, never unknown.
    // (The sentence is a real privacy notice's, about the customer's own data: a number or an
    // open period about request logs is not how long the customer's content is kept, and
    // `check` refuses it.)
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&claim(
            "retention_days",
            "indefinite",
            "We keep your personal data for only as long as necessary to fulfil the purposes in this Notice unless a longer retention period is required or permitted by law.",
        )),
    );
    let result = evaluate(&ws, &[]);
    assert_eq!(result["verdict"], "no-go");
    assert!(
        finding(&result, "retention-limit")
            .1
            .contains("no end stated")
    );
}

#[test]
fn without_undue_delay_asks_for_a_commitment_in_hours() {
    let terms = "# Acme DPA\n\n7. Breach. Acme will notify Customer without undue delay after becoming aware of a Personal Data Breach.\n\n8. Audit. Acme will answer audit questions within 72 hours of a request.\n";
    let ws = workspace("breach-notification", terms, "");
    let (level, message, _) = finding(&evaluate(&ws, &[]), "breach-notification");
    assert_eq!(
        (level.as_str(), message.contains("not known")),
        ("hold", true)
    );

    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&claim(
                "breach_notification_hours",
                "without_undue_delay",
                "Acme will notify Customer without undue delay after becoming aware of a Personal Data Breach.",
            )),
    );
    let result = evaluate(&ws, &[]);
    assert_eq!(result["verdict"], "conditional");
    let (level, message, action) = finding(&result, "breach-notification");
    assert_eq!(level, "condition");
    assert!(
        message.contains("Acme Terms promises breach notification \"without undue delay\""),
        "{message}"
    );
    assert!(
        action.contains("will you commit to notify us within 72 hours"),
        "{action}"
    );

    // A quote that says nothing of the kind cannot support the value: check says why.
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&claim(
            "breach_notification_hours",
            "without_undue_delay",
            "Acme will answer audit questions within 72 hours of a request.",
        )),
    );
    let out = ws.cmd().args(["check", "--today", TODAY]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("the quote does not support `without_undue_delay`"),
        "{err}"
    );
}

#[test]
fn changes_only_by_signed_amendment_satisfy_a_notice_minimum_and_reasonable_notice_does_not() {
    let terms = "# Acme Terms\n\n14. Amendment. These Terms may be amended only by a written amendment signed by both parties.\n\n15. Updates. Acme will give reasonable advance notice of changes to these Terms.\n";
    let ws = workspace(
        "terms-change-notice",
        terms,
        &claim(
            "terms_change_notice_days",
            "mutual_only",
            "These Terms may be amended only by a written amendment signed by both parties.",
        ),
    );
    let result = evaluate(&ws, &[]);
    assert_eq!(result["verdict"], "go");
    assert_eq!(finding(&result, "terms-change-notice").0, "pass");

    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&claim(
            "terms_change_notice_days",
            "reasonable",
            "Acme will give reasonable advance notice of changes to these Terms.",
        )),
    );
    let result = evaluate(&ws, &[]);
    assert_eq!(result["verdict"], "conditional");
    assert!(
        finding(&result, "terms-change-notice")
            .2
            .contains("at least 30 days")
    );
}

const TRAINING_TERMS: &str = "# Acme Terms\n\n4.2 Training. Acme will not use Customer Content to train its models, except to improve the safety systems that detect abuse of the Services.\n";
const NO_TRAINING: &str = "      training_on_inputs:
        - value: never
          source: terms
          section: \"4.2\"
          quote: \"Acme will not use Customer Content to train its models\"
";

#[test]
fn a_carve_out_turns_a_no_training_pass_into_a_condition_that_quotes_it() {
    let ws = workspace("training-on-inputs", TRAINING_TERMS, NO_TRAINING);
    assert_eq!(evaluate(&ws, &[])["verdict"], "go");

    let carve_out = "          exceptions:\n            - quote: \"except to improve the safety systems that detect abuse of the Services\"\n              section: \"4.2\"\n";
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&(NO_TRAINING.to_string() + carve_out)),
    );
    ws.cmd()
        .args(["check", "--today", TODAY])
        .assert()
        .success();
    let result = evaluate(&ws, &[]);
    assert_eq!(result["verdict"], "conditional");
    let (level, message, _) = finding(&result, "training-on-inputs");
    assert_eq!(level, "condition");
    assert!(
        message.contains(
            "except: \"except to improve the safety systems that detect abuse of the Services\""
        ),
        "{message}"
    );
    // The evidence carries the carve-out for every output.
    let f = &result["findings"][0];
    assert_eq!(f["evidence"][0]["exceptions"][0]["section"], "4.2", "{f}");

    // An invented carve-out fails check like any invented quote, at its own line.
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&(NO_TRAINING.to_string()
            + "          exceptions:\n            - quote: \"except to train models for research purposes of any kind\"\n")),
    );
    let out = ws.cmd().args(["check", "--today", TODAY]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("vendors/acme/profile.yaml:21:22: error: acme/api: fact `training_on_inputs`: exception quote not found"),
        "{err}"
    );
}

#[test]
fn data_the_terms_forbid_is_no_go_for_a_review_of_that_data() {
    let terms = "# Acme Terms\n\n5.4 Health data. Customer may not use the Services to process Protected Health Information.\n\n5.5 Exception. Protected Health Information may be processed only if Customer and Acme have executed a Business Associate Agreement.\n";
    let facts = claim(
        "prohibited_data",
        "[phi]",
        "Customer may not use the Services to process Protected Health Information.",
    );
    let ws = workspace("prohibited-data", terms, &facts);
    assert_eq!(evaluate(&ws, &[])["verdict"], "go");
    let result = evaluate(&ws, &["--tag", "phi"]);
    assert_eq!(result["verdict"], "no-go");
    assert!(
        finding(&result, "prohibited-data")
            .1
            .contains("forbid submitting phi")
    );

    // The condition under which it is allowed after all makes it a condition to meet.
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(&(facts
            + "          allowed_if: \"Customer and Acme have executed a Business Associate Agreement (5.5)\"\n")),
    );
    let result = evaluate(&ws, &["--tag", "phi"]);
    assert_eq!(result["verdict"], "conditional");
    assert!(
        finding(&result, "prohibited-data")
            .1
            .contains("unless: Customer and Acme have executed")
    );
}

#[test]
fn a_pass_on_a_bare_value_holds_where_the_policy_requires_verified_evidence() {
    let ws = workspace(
        "training-on-inputs",
        TRAINING_TERMS,
        "      training_on_inputs: never\n",
    );
    let result = evaluate(&ws, &[]);
    assert_eq!(result["verdict"], "go");
    let (level, message, _) = finding(&result, "training-on-inputs");
    assert_eq!(level, "pass");
    assert!(
        message.contains("no verified quote backs training_on_inputs"),
        "{message}"
    );

    ws.edit(
        "policies/default.yaml",
        "      no_training: true\n",
        "      no_training: true\n      verified_evidence: true\n",
    );
    let result = evaluate(&ws, &[]);
    assert_eq!(result["verdict"], "hold");
    assert_eq!(finding(&result, "training-on-inputs").0, "hold");

    // The quoted clause settles it.
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(NO_TRAINING),
    );
    assert_eq!(evaluate(&ws, &[])["verdict"], "go");
}
