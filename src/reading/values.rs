//! Values from meaning: what a reading states for a fact, and whether it supports, contradicts
//! or says nothing about a claimed value. A value is stated when the reading says it, including
//! absences written in words ("no DPA is offered", "not required") and zero written as
//! "immediately" or "upon posting"; a duty of the customer is never a promise of the vendor.

use super::read::{Action, Actor, Event, Modality, Object, Quantity, Reading};
use serde_json::Value;

/// What a reading says about a claimed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Judgement {
    /// The reading states this value.
    Supports,
    /// The reading states something that rules the value out: why, in words.
    Contradicts(String),
    /// The reading neither states nor rules out the value.
    Silent,
}

const TRAIN_WORDS: &[&str] = &[
    "train*",
    "fine tun*",
    "machine learning",
    "model improvement",
    "improve our models",
    "improve the models",
    "improve its models",
    "improve models",
    "improving models",
    "improve our ai",
    "develop models",
    "develop our models",
    "ai models",
    "language models",
];
const OPT_OUT: &[&str] = &[
    "opt out",
    "opted out",
    "opts out",
    "turn off",
    "switch off",
    "disable",
    "object to",
    "choose not",
    "settings",
    "withdraw",
];
const OPT_IN: &[&str] = &[
    "opt in",
    "opted in",
    "opts in",
    "consent",
    "explicit permission",
    "explicitly",
    "permission",
    "choose to",
    "elect to",
    "authoriz*",
];
const DPA_TOPIC: &[&str] = &[
    "data processing addendum",
    "data processing agreement",
    "data protection addendum",
    "data protection agreement",
    "data processing terms",
    "dpa",
];
const RETRIEVAL: &[&str] = &[
    "export*",
    "retriev*",
    "download*",
    "copy of",
    "copies of",
    "return of",
];
const ABUSE: &[&str] = &[
    "abuse",
    "misuse",
    "trust and safety",
    "safety",
    "policy violation*",
    "harmful",
    "moderation",
];
const BUSINESS_ONLY: &[&str] = &[
    "business users only",
    "business customers only",
    "business use only",
    "for business purposes only",
    "only for business",
    "solely for business",
    "professional use only",
    "only for professional",
    "not for consumer*",
    "not intended for consumer*",
    "not available to consumer*",
    "not for personal",
    "not for use by consumer*",
    "not for individual*",
    "only by businesses",
    "only to businesses",
    "exclusively for business*",
    "exclusively for professional*",
    "only for use by business*",
    "for use by business*",
];
const CONSUMER: &[&str] = &[
    "consumer*",
    "individual*",
    "personal use",
    "personal purposes",
    "household",
];

fn fact_ty(fact: &str) -> Option<crate::model::vocabulary::ValueType> {
    crate::model::vocabulary::fact_spec(fact).map(|s| s.ty)
}

/// The value a reading states for `fact`, when its meaning settles it.
pub fn stated(fact: &str, r: &Reading) -> Option<Value> {
    match fact {
        "training_on_inputs" | "training_on_outputs" => training(fact, r).map(Value::from),
        "retention_days"
        | "deletion_after_termination_days"
        | "abuse_monitoring_retention_days"
        | "terms_change_notice_days"
        | "breach_notification_hours" => duration(fact, r).map(Value::from),
        "dpa" => dpa(r).map(Value::from),
        "transfer_mechanism" => {
            let (named, denied) = mechanisms(r);
            (!named.is_empty() && denied.is_empty())
                .then(|| Value::Array(named.into_iter().map(Value::from).collect()))
        }
        "rests_on_consumer_terms" => consumer_terms(r).map(Value::from),
        "prohibited_data" => {
            let kinds = prohibited(r);
            (!kinds.is_empty()).then(|| Value::Array(kinds.into_iter().map(Value::from).collect()))
        }
        "human_review" => human_review(r).map(Value::from),
        "licence_scope" => licence(r).map(Value::from),
        "output_ownership" => ownership(r).map(Value::from),
        "data_residency" => {
            let regions = residency(r);
            (!regions.is_empty())
                .then(|| Value::Array(regions.into_iter().map(Value::from).collect()))
        }
        _ => None,
    }
}

/// Whether the reading supports, contradicts or says nothing about `value` for `fact`.
pub fn judge(fact: &str, value: &Value, r: &Reading) -> Judgement {
    use crate::model::vocabulary::ValueType;
    let Some(ty) = fact_ty(fact) else {
        return Judgement::Silent;
    };
    match fact {
        "training_on_inputs" | "training_on_outputs" => return judge_training(fact, value, r),
        "dpa" => return judge_dpa(value, r),
        "transfer_mechanism" => return judge_transfer(value, r),
        "prohibited_data" => return judge_prohibited(value, r),
        _ => {}
    }
    if let (ValueType::Count | ValueType::CountOr(_), Value::Number(n)) = (ty, value)
        && let Some(n) = n.as_u64()
    {
        return judge_duration(fact, n, r);
    }
    match stated(fact, r) {
        Some(v) if &v == value => Judgement::Supports,
        Some(Value::String(s)) if opposed(fact, &s, value.as_str().unwrap_or("")) => {
            Judgement::Contradicts(format!("the clause states `{s}`"))
        }
        _ => Judgement::Silent,
    }
}

/// Whether a clause speaks of `fact` at all: the main topic of the fact's cues occurs in it,
/// none of the wording that is about something else, it is not a definition, and, for a
/// vendor's promise, it is not a duty of the customer.
pub fn about(fact: &str, r: &Reading, text: &str) -> bool {
    // Facts whose wording is shared by many other clauses (notices, breaches of contract,
    // opt-outs of marketing, data kept for other purposes): their topic is required.
    let gated = matches!(
        fact,
        "training_on_inputs"
            | "breach_notification_hours"
            | "human_review"
            | "terms_change_notice_days"
            | "abuse_monitoring_retention_days"
            | "retention_days"
    );
    let Some(cues) = crate::model::vocabulary::clause_cues(fact).filter(|_| gated) else {
        return true;
    };
    let lower = crate::model::quotes::normalize(text).to_lowercase();
    let has = |p: &str| {
        lower.match_indices(p).any(|(i, _)| {
            lower[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    };
    let topics = cues
        .topic
        .first()
        .is_none_or(|group| group.iter().any(|p| has(p)));
    let against = cues.against.iter().any(|p| has(p));
    let definition = has("means ") || has("shall mean") || has("is defined as");
    // A vendor's promise is never the customer's duty ("Customer will promptly notify ...").
    let promise = matches!(
        fact,
        "training_on_inputs"
            | "training_on_outputs"
            | "breach_notification_hours"
            | "human_review"
            | "terms_change_notice_days"
            | "abuse_monitoring_retention_days"
    );
    let duty = promise && r.customer_duty();
    topics && !against && !definition && !duty
}

/// Values of one fact that cannot both be read from one clause.
fn opposed(fact: &str, stated: &str, claimed: &str) -> bool {
    let pair = |a: &str, b: &str| (stated == a && claimed == b) || (stated == b && claimed == a);
    match fact {
        "rests_on_consumer_terms" | "consumer_account_linked" => pair("yes", "no"),
        "human_review" => pair("never", "may_review") || pair("never", "safety_only"),
        "output_ownership" => pair("customer", "vendor"),
        _ => false,
    }
}

// ---- training ----

fn training(fact: &str, r: &Reading) -> Option<&'static str> {
    if !r.says(TRAIN_WORDS) {
        return None;
    }
    if r.customer_duty() || r.actor == Actor::ThirdParty {
        return None;
    }
    // Which data: outputs, inputs (or content in general); feedback or usage data alone is
    // another matter.
    let outputs = r.about(Object::Outputs);
    let inputs = r.about(Object::Inputs)
        || r.about(Object::CustomerContent)
        || r.about(Object::PersonalData);
    let fits = match fact {
        "training_on_outputs" => outputs || r.about(Object::CustomerContent),
        _ => inputs || (!outputs && !r.about(Object::Feedback) && !r.about(Object::UsageData)),
    };
    if !fits {
        return None;
    }
    if r.negated && r.vendor_acts() {
        // "will not train ..., unless you opt in" / "except where you have not opted out":
        // the exception says how training happens after all.
        return Some(
            if r.qualified_by(OPT_OUT) || r.qualified_by(&["opted out", "opt out"]) {
                "opt_out"
            } else if r.qualified_by(OPT_IN) || r.says(&["opt in", "opted in"]) {
                "opt_in"
            } else {
                "never"
            },
        );
    }
    if r.negated {
        return None;
    }
    if r.says(OPT_OUT) {
        Some("opt_out")
    } else if r.says(OPT_IN) {
        Some("opt_in")
    } else if r.vendor_acts() && r.main_says(TRAIN_WORDS) {
        Some("default_on")
    } else {
        None
    }
}

fn judge_training(fact: &str, value: &Value, r: &Reading) -> Judgement {
    let Some(claimed) = value.as_str() else {
        return Judgement::Silent;
    };
    if r.says(TRAIN_WORDS) && r.customer_duty() {
        return Judgement::Contradicts(
            "a duty of the customer, not a promise of the vendor about training".into(),
        );
    }
    match training(fact, r) {
        Some(s) if s == claimed => Judgement::Supports,
        Some(s @ ("default_on" | "opt_out" | "opt_in")) if claimed == "never" && !r.negated => {
            Judgement::Contradicts(format!("the clause states `{s}`, with no refusal to train"))
        }
        Some("never") if matches!(claimed, "default_on" | "opt_out") && r.qualifiers.is_empty() => {
            Judgement::Contradicts("the vendor says it does not train on this data".into())
        }
        _ => Judgement::Silent,
    }
}

// ---- durations ----

fn is_window(q: &Quantity) -> bool {
    matches!(q.action, Some(Action::Retrieve | Action::Request))
        && q.actor == Actor::Customer
        && !q.then_deleted
}

/// The quantity that answers `fact`, with the number it states (in the fact's unit).
fn duration(fact: &str, r: &Reading) -> Option<u64> {
    if fact == "terms_change_notice_days"
        && r.at_once
        && (r.does(Action::Change) || r.says(&["chang*", "modif*", "updat*", "amend*", "revis*"]))
    {
        return Some(0);
    }
    let q = r.quantities.iter().find(|q| measures(fact, q, r))?;
    Some(if fact == "breach_notification_hours" {
        q.amount
    } else {
        q.days()
    })
}

/// Whether a quantity measures what `fact` counts.
fn measures(fact: &str, q: &Quantity, r: &Reading) -> bool {
    let keeps = matches!(
        q.action,
        Some(Action::Retain | Action::Delete | Action::Store)
    ) || q.then_deleted;
    match fact {
        "breach_notification_hours" => {
            q.unit == "hour"
                && r.says(&["breach*", "incident*"])
                && r.says(&["notif*", "inform*", "notice"])
        }
        "terms_change_notice_days" => {
            q.unit != "hour"
                && r.says(&["chang*", "modif*", "updat*", "amend*", "revis*"])
                && (matches!(q.action, Some(Action::Notify))
                    || matches!(q.event, Some(Event::Notice | Event::Posting))
                    || r.says(&["notice", "effective"]))
        }
        "deletion_after_termination_days" => {
            q.unit != "hour"
                && keeps
                && !is_window(q)
                && (q.event == Some(Event::Termination) || r.says(&["terminat*", "expir*"]))
        }
        "abuse_monitoring_retention_days" => q.unit != "hour" && keeps && r.says(ABUSE),
        "retention_days" => q.unit != "hour" && keeps && !is_window(q),
        _ => false,
    }
}

fn judge_duration(fact: &str, n: u64, r: &Reading) -> Judgement {
    if let Some(v) = duration(fact, r)
        && v == n
    {
        return Judgement::Supports;
    }
    // The number is there, but it measures something else.
    let same: Vec<&Quantity> = r
        .quantities
        .iter()
        .filter(|q| q.days() == n || q.amount == n)
        .collect();
    if !same.is_empty() && same.iter().all(|q| is_window(q)) && fact != "terms_change_notice_days" {
        let q = same[0];
        let what = match q.action {
            Some(Action::Retrieve) if r.says(RETRIEVAL) => "retrieve or export its data",
            _ => "make a request",
        };
        let not = match fact {
            "deletion_after_termination_days" => "not a deletion deadline",
            _ => "not how long the vendor keeps the data",
        };
        return Judgement::Contradicts(format!(
            "the customer may {what} within {} {}s; {not}",
            q.amount, q.unit
        ));
    }
    Judgement::Silent
}

// ---- DPA ----

fn dpa(r: &Reading) -> Option<&'static str> {
    if !r.says(DPA_TOPIC) || r.customer_duty() {
        return None;
    }
    if r.negated && r.main_says(DPA_TOPIC) {
        return Some("none");
    }
    if r.negated {
        return None;
    }
    if r.says(&["sign*", "execut*", "countersign*"]) {
        Some("signed")
    } else if r.says(&[
        "incorporat*",
        "available at",
        "located at",
        "forms part",
        "form part",
        "http*",
        "governed by",
        "applies",
        "apply",
    ]) {
        Some("online")
    } else {
        None
    }
}

fn judge_dpa(value: &Value, r: &Reading) -> Judgement {
    let Some(claimed) = value.as_str() else {
        return Judgement::Silent;
    };
    let stated = dpa(r);
    if stated == Some(claimed) {
        return Judgement::Supports;
    }
    if claimed == "none" && !r.says(DPA_TOPIC) {
        return Judgement::Contradicts(
            "the clause does not speak of a data processing agreement: a negation about something else is not the absence of a DPA".into(),
        );
    }
    match stated {
        Some("none") => Judgement::Contradicts("the clause says no DPA is offered".into()),
        Some(_) if claimed == "none" => Judgement::Contradicts(
            "the clause speaks of a DPA that applies, not of its absence".into(),
        ),
        _ => Judgement::Silent,
    }
}

// ---- transfers ----

const MECHANISMS: &[(&str, &[&str])] = &[
    (
        "scc",
        &[
            "standard contractual clauses",
            "sccs",
            "scc",
            "model clauses",
        ],
    ),
    ("adequacy", &["adequacy", "adequate"]),
    ("dpf", &["data privacy framework", "dpf", "privacy shield"]),
    ("bcr", &["binding corporate rules", "bcr", "bcrs"]),
];

/// Mechanisms the clause relies on, and those it names under a negation ("SCCs are not
/// required").
fn mechanisms(r: &Reading) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut named = Vec::new();
    let mut denied = Vec::new();
    for (m, patterns) in MECHANISMS {
        if r.main_says(patterns) && r.negated {
            denied.push(*m);
        } else if r.says(patterns) {
            named.push(*m);
        }
    }
    (named, denied)
}

fn judge_transfer(value: &Value, r: &Reading) -> Judgement {
    let Some(items) = value.as_array() else {
        return Judgement::Silent;
    };
    let (named, denied) = mechanisms(r);
    let claimed: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    if let Some(m) = claimed.iter().find(|m| denied.contains(m)) {
        return Judgement::Contradicts(format!(
            "the clause names `{m}` under a negation (not required, not used)"
        ));
    }
    if !claimed.is_empty() && claimed.iter().all(|m| named.contains(m)) {
        Judgement::Supports
    } else {
        Judgement::Silent
    }
}

// ---- consumer terms ----

fn consumer_terms(r: &Reading) -> Option<&'static str> {
    if r.says(BUSINESS_ONLY) {
        return Some("no");
    }
    if r.main_says(CONSUMER) && r.negated && r.does(Action::Apply) {
        return Some("no");
    }
    if r.says(CONSUMER)
        && !r.negated
        && r.says(&["incorporat*", "in addition to", "also apply", "supplement*"])
    {
        return Some("yes");
    }
    None
}

// ---- prohibited data ----

const DATA_KINDS: &[(&str, &[&str])] = &[
    (
        "personal_data",
        &[
            "personal data",
            "personal information",
            "personally identifiable",
        ],
    ),
    (
        "phi",
        &[
            "protected health information",
            "phi",
            "health information",
            "health data",
            "medical",
        ],
    ),
    (
        "children",
        &["children", "child", "minors", "under 13", "under the age"],
    ),
    (
        "special_category",
        &[
            "special categor*",
            "sensitive personal",
            "sensitive data",
            "sensitive information",
        ],
    ),
    (
        "payment_card",
        &["payment card", "cardholder", "credit card", "pci"],
    ),
    ("confidential", &["confidential"]),
];

/// Kinds of data the clause forbids the customer to submit: a customer duty ("you must not
/// submit") or a service not designed for it ("is not designed to process").
fn prohibited(r: &Reading) -> Vec<&'static str> {
    let forbids = (r.customer_duty()
        || (r.actor == Actor::Customer && r.modality == Modality::May))
        && r.negated
        || (r.modality == Modality::Designed && r.negated);
    if !forbids {
        return Vec::new();
    }
    DATA_KINDS
        .iter()
        .filter(|(_, ps)| r.says(ps))
        .map(|(k, _)| *k)
        .collect()
}

fn judge_prohibited(value: &Value, r: &Reading) -> Judgement {
    let Some(items) = value.as_array() else {
        return Judgement::Silent;
    };
    let kinds = prohibited(r);
    let claimed: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    if !claimed.is_empty() && claimed.iter().all(|k| kinds.contains(k)) {
        return Judgement::Supports;
    }
    if r.vendor_acts()
        && r.actor == Actor::Vendor
        && r.negated
        && !r.customer_duty()
        && kinds.is_empty()
        && r.does(Action::Train)
    {
        return Judgement::Contradicts(
            "a promise of the vendor about training, not a kind of data the customer may not submit".into(),
        );
    }
    Judgement::Silent
}

// ---- review, licence, ownership, residency ----

fn human_review(r: &Reading) -> Option<&'static str> {
    if !r.does(Action::Review) && !r.says(&["human review*", "personnel", "employees"]) {
        return None;
    }
    if !r.says(&["review*", "access*", "read", "view", "look at"]) {
        return None;
    }
    if r.negated && r.vendor_acts() && r.exceptions().next().is_none() {
        return Some("never");
    }
    if r.negated {
        return None;
    }
    if r.says(&[
        "abuse",
        "misuse",
        "safety",
        "security",
        "fraud",
        "violat*",
        "investigat*",
    ]) {
        Some("safety_only")
    } else if matches!(r.modality, Modality::May) && r.vendor_acts() {
        Some("may_review")
    } else {
        None
    }
}

fn licence(r: &Reading) -> Option<&'static str> {
    if !r.does(Action::License) || r.negated {
        return None;
    }
    if r.says(&["any purpose", "perpetual", "irrevocable", "unrestricted"]) {
        Some("broad")
    } else if r.says(TRAIN_WORDS) {
        Some("model_improvement")
    } else if r.says(&["improv*", "develop*", "enhanc*", "optimi*"]) {
        Some("service_improvement")
    } else if r.says(&[
        "solely",
        "only",
        "for the purpose of providing",
        "to provide",
    ]) {
        Some("service_only")
    } else {
        None
    }
}

fn ownership(r: &Reading) -> Option<&'static str> {
    if !r.does(Action::Own) || !r.about(Object::Outputs) {
        return None;
    }
    if r.says(&["jointly"]) {
        return Some("shared");
    }
    // "we do not claim ownership of your outputs", "we hereby assign to you".
    if r.says(&["disclaim*", "not claim", "no claim"]) || (r.negated && r.actor == Actor::Vendor) {
        return Some("customer");
    }
    match r.actor {
        Actor::Customer if !r.negated => Some("customer"),
        Actor::Vendor if r.says(&["assign* to you", "assign* to customer", "to you"]) => {
            Some("customer")
        }
        Actor::Vendor if !r.negated => Some("vendor"),
        _ => None,
    }
}

const REGIONS: &[(&str, &[&str])] = &[
    (
        "eu",
        &[
            "european union",
            "eu",
            "eea",
            "european economic area",
            "europe",
        ],
    ),
    ("us", &["united states", "us", "usa", "u s"]),
    ("uk", &["united kingdom", "uk"]),
];

fn residency(r: &Reading) -> Vec<&'static str> {
    if !r.does(Action::Store) || r.negated {
        return Vec::new();
    }
    REGIONS
        .iter()
        .filter(|(_, ps)| r.says(ps))
        .map(|(k, _)| *k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::read;
    use serde_json::json;

    #[test]
    fn absences_and_zero_in_words_are_values() {
        let r = read("We do not offer a data processing agreement for this service.");
        assert_eq!(stated("dpa", &r), Some(json!("none")));
        let r = read("Changes to these Terms are effective as of the time of posting.");
        assert_eq!(stated("terms_change_notice_days", &r), Some(json!(0)));
    }

    #[test]
    fn a_return_window_is_not_a_deletion_deadline() {
        let r = read("Upon termination, you may request a copy of your data within 30 days.");
        assert!(matches!(
            judge("deletion_after_termination_days", &json!(30), &r),
            Judgement::Contradicts(_)
        ));
    }

    #[test]
    fn a_mechanism_named_under_a_negation_is_denied() {
        let r = read("Standard Contractual Clauses are not required for these transfers.");
        assert!(matches!(
            judge("transfer_mechanism", &json!(["scc"]), &r),
            Judgement::Contradicts(_)
        ));
    }
}
