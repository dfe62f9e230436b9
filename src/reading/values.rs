//! Values from meaning: what a reading states for a fact, and whether it supports, contradicts
//! or says nothing about a claimed value. A value is stated when the reading says it, including
//! absences written in words ("no DPA is offered", "not required") and zero written as
//! "immediately" or "upon posting"; a duty of the customer is never a promise of the vendor.
//!
//! One test per fact, [`states`], decides both directions: `check` accepts a claimed value only
//! when the reading states it, and `extract` proposes the value the reading states. A reading
//! that states nothing for the fact is silent, and silence never supports a value.

use super::read::{Action, Actor, Event, Modality, Object, QualifierKind, Quantity, Reading};
use crate::model::vocabulary::{self, ValueType};
use serde_json::Value;

/// What a reading says about a claimed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Judgement {
    /// The reading states this value.
    Supports,
    /// The reading states something that rules the value out: why, in words.
    Contradicts(String),
    /// The reading neither states nor rules out the value: why not, in words.
    Silent(String),
}

const TRAIN_WORDS: &[&str] = &[
    "train*",
    "fine tun*",
    "finetun*",
    "machine learning",
    "model improvement",
    "improve our models",
    "improve the models",
    "improve its models",
    "improve models",
    "improving models",
    "improve our ai",
    "improve its ai",
    "improve their ai",
    "ai systems",
    "develop models",
    "improve the model",
    "improve our model",
    "improve its model",
    "model training",
    "develop our models",
    "develop or improve",
    "develop and improve",
    "improve and develop",
    "ai models",
    "language models",
];
const OPT_OUT: &[&str] = &[
    "opt out",
    "opted out",
    "opts out",
    "turn off",
    "switch off",
    "turn this off",
    "turn it off",
    "turn that off",
    "switch it off",
    "switch this off",
    "disable",
    "do not train on my",
    "choose whether",
    "choose not",
    "object to",
    "control whether",
    "decide whether",
    "you can change this",
];
const OPT_IN: &[&str] = &[
    "opt in",
    "opted in",
    "opts in",
    "opted into",
    "consent*",
    "explicit permission",
    "explicitly agree*",
    "explicitly",
    "choose to share",
    "elect to",
    "by default",
];
/// Training that happens only when the customer chooses it ("with your consent", "if you allow
/// us", "when you turn on ...").
const CHOSEN_TRAINING: &[&str] = &[
    "with your consent",
    "with your permission",
    "your explicit consent",
    "if you allow",
    "if you have allowed",
    "if you have agreed",
    "if you have chosen",
    "where you have allowed",
    "where you have consented",
    "if you choose",
    "if you agree",
    "if you enable",
    "when you enable",
    "if you turn on",
    "when you turn on",
    "if you have enabled",
    "if you opt",
    "only if you",
    "only when you",
    "you choose to share",
    "you choose to allow",
];
/// Data that is not the customer's content: feedback it chooses to send, content flagged for
/// abuse, data from elsewhere, aggregated or de-identified data.
const OTHER_TRAINING_DATA: &[&str] = &[
    "feedback",
    "flag*",
    "third party sources",
    "aggregated",
    "de identified",
    "deidentified",
    "anonymi*",
    "temporary chat*",
];
/// Carve-outs of a training promise: content the customer reports or sends as feedback, content
/// flagged for abuse, what the law requires.
const CARVE_OUTS: &[&str] = &[
    "feedback", "flag*", "report*", "safety", "abuse", "violat*", "law", "legal*", "required",
];
const DPA_TOPIC: &[&str] = &[
    "data processing addendum",
    "data processing agreement",
    "data protection addendum",
    "data protection agreement",
    "data processing terms",
    "dpa",
];
const ABUSE: &[&str] = &[
    "abuse*",
    "abusive",
    "misuse*",
    "fraud*",
    "trust and safety",
    "safety",
    "harm*",
    "violat*",
    "banned",
    "spam",
];
/// Data other than the customer's content, whose retention is another matter.
const OTHER_DATA: &[&str] = &[
    "cookie*",
    "log data",
    "logs",
    "ip address*",
    "device",
    "payment*",
    "billing",
    "credit card",
    "correspondence",
    "communicat*",
    "complaint*",
    "support ticket*",
    "identifiers",
    "account information",
    "profile information",
    "audit record",
    "tag",
    "tracking",
    "transaction*",
    "partners",
    "aggregated",
    "depersonalised",
    "depersonalized",
    "third party websites",
    "insights",
    "contracts",
    "contact details",
    "invoices",
    "list of friends",
    "friends list",
    "list of contacts",
    "contact list*",
    "address book",
    "interaction recordings",
    "session recordings",
    "screen recordings",
    "analytics data",
    // who the user is and how the account is set up
    "account data",
    "profile data",
    "account settings",
    "personal settings",
    "preferences",
    // how the service is used, not what is sent to it
    "how often you use",
    "how you use our service*",
    // who the user is and where, not what the user submits
    "identity data",
    "first and last name",
    "location data",
    "geolocation",
    "precise location",
    // data no longer the customer's content: stripped of identity, or the vendor's own
    // records of support requests and security
    "de identified",
    "deidentified",
    "anonymised data",
    "anonymized data",
    "anonymous data",
    "pseudonymised data",
    "pseudonymized data",
    "support conversations",
    "support requests",
    "customer support",
    "security logs",
    "login activity",
    "verification documents",
    "identity verification",
    "id verification",
    "age verification",
    "verification data",
    "selfie*",
    "log in data",
    "login data",
    "log in information",
    "login information",
    "identity document*",
    "id document*",
    "from the id",
    "id image*",
    "troubleshooting",
    "technical support",
    "support data",
];
const CHANGE: &[&str] = &[
    "chang*",
    "modif*",
    "updat*",
    "amend*",
    "revis*",
    "new terms",
    "new version",
    "new policy",
    "new agreement",
];
/// The documents whose changes the notice facts count.
const TERMS: &[&str] = &[
    "terms",
    "revised version",
    "updated version",
    "agreement",
    "policy",
    "policies",
    "dpa",
    "addendum",
    "this notice",
    "privacy notice",
];
/// Changes and notices that are about something other than the terms.
const NOT_TERMS_CHANGE: &[&str] = &[
    "price*",
    "pricing",
    "rates",
    "fees",
    "invoice*",
    "terminat*",
    "renewal",
    "assign*",
    "object*",
    "subprocessor*",
    "sub processor*",
    "audit*",
    "disclos*",
    "withdraw*",
    "proceeding",
    // a change of one part ("any changes to this section", "material changes to this
    // arbitration agreement") is no notice of the terms as a whole
    "this section",
    "this arbitration*",
    "this provision",
    "this paragraph",
];
const BREACH: &[&str] = &[
    "incident",
    "incidents",
    "personal data breach*",
    "personal information breach*",
    "security breach*",
    "data breach*",
    "breach of security",
    "security incident*",
    "data incident*",
];
const CONSUMER: &[&str] = &[
    "consumer*",
    "individual*",
    "personal use",
    "personal purposes",
    "household",
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
    "only by businesses",
    "only to businesses",
    "exclusively for business*",
    "exclusively for professional*",
    "only for use by business*",
    "for customers who are businesses",
    "directed to businesses",
    "businesses not consumers",
    "businesses , not consumers",
];

/// The value a reading states for `fact`, when its meaning settles it: the whole text's, or
/// else the first of its sentences that states one.
pub fn stated(fact: &str, r: &Reading) -> Option<Value> {
    stated_in(fact, r).or_else(|| r.sentences.iter().find_map(|s| stated_in(fact, s)))
}

fn stated_in(fact: &str, r: &Reading) -> Option<Value> {
    let spec = vocabulary::fact_spec(fact)?;
    match spec.ty {
        ValueType::Count => duration_number(fact, r).map(Value::from),
        ValueType::CountOr(words) => duration_number(fact, r)
            .map(Value::from)
            .or_else(|| first_word(fact, words, r)),
        ValueType::Enum(words) => first_word(fact, words, r),
        ValueType::EnumList(words) => {
            let all: Vec<Value> = words
                .iter()
                .filter(|w| states_item(fact, w, r))
                .map(|w| Value::from(*w))
                .collect();
            (!all.is_empty()).then_some(Value::Array(all))
        }
        ValueType::Certifications => {
            let names = certifications_held(r);
            (!names.is_empty()).then(|| {
                Value::Array(
                    names
                        .into_iter()
                        .map(|n| serde_json::json!({ "name": n }))
                        .collect(),
                )
            })
        }
        ValueType::TextList if fact == "data_residency" => {
            let all: Vec<Value> = REGIONS
                .iter()
                .filter(|(code, _)| stored_in(code, r))
                .map(|(code, _)| Value::from(*code))
                .collect();
            (!all.is_empty()).then_some(Value::Array(all))
        }
        _ => None,
    }
}

/// The first of `words` the reading states, in an order that puts the more specific first.
fn first_word(fact: &str, words: &[&str], r: &Reading) -> Option<Value> {
    let order: &[&str] = match fact {
        "training_on_inputs" | "training_on_outputs" => {
            &["negotiable", "opt_in", "opt_out", "never", "default_on"]
        }
        "retention_days"
        | "deletion_after_termination_days"
        | "abuse_monitoring_retention_days" => &["until_deleted", "indefinite"],
        "licence_scope" => &[
            "model_improvement",
            "broad",
            "service_improvement",
            "service_only",
        ],
        _ => words,
    };
    order
        .iter()
        .find(|w| states(fact, &Value::from(**w), r))
        .map(|w| Value::from(*w))
}

/// Whether the reading supports, contradicts or says nothing about `value` for `fact`.
pub fn judge(fact: &str, value: &Value, r: &Reading) -> Judgement {
    if states(fact, value, r) {
        return Judgement::Supports;
    }
    if let Some(why) = contradiction(fact, value, r) {
        return Judgement::Contradicts(why);
    }
    // A paragraph: one sentence that states the value supports it, unless another sentence
    // rules it out.
    let contradicted = r
        .sentences
        .iter()
        .find_map(|s| contradiction(fact, value, s));
    if let Some(why) = contradicted {
        return Judgement::Contradicts(why);
    }
    if r.sentences.iter().any(|s| states(fact, value, s)) {
        return Judgement::Supports;
    }
    let shown = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let why = match stated(fact, r) {
        Some(v) => {
            let v = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            format!("it states `{v}` for `{fact}`, not `{shown}`")
        }
        None => format!("it does not state `{shown}` for `{fact}`"),
    };
    Judgement::Silent(why)
}

/// Whether the reading states `value` for `fact`.
fn states(fact: &str, value: &Value, r: &Reading) -> bool {
    match (fact, value) {
        ("training_on_inputs" | "training_on_outputs", Value::String(v)) => {
            training(fact, r).as_deref() == Some(v.as_str())
        }
        (
            "retention_days"
            | "deletion_after_termination_days"
            | "abuse_monitoring_retention_days"
            | "terms_change_notice_days"
            | "breach_notification_hours"
            | "subprocessor_objection_days",
            Value::Number(n),
        ) => n
            .as_u64()
            .is_some_and(|n| duration_numbers(fact, r).contains(&n)),
        ("retention_days" | "deletion_after_termination_days", Value::String(v)) => {
            open_duration(fact, v, r)
        }
        ("abuse_monitoring_retention_days", Value::String(v)) => {
            // A refusal to keep it ("not retained for abuse monitoring") is no open-ended period.
            v == "indefinite" && !r.negated && abuse_retention(r) && !has_number(r)
        }
        ("terms_change_notice_days", Value::String(v)) => change_words(v, r),
        ("breach_notification_hours", Value::String(v)) => {
            v == "without_undue_delay"
                && breach_notice(r)
                && r.says(&[
                    "without undue delay",
                    "promptly",
                    "immediately",
                    "as soon as",
                ])
        }
        ("transfer_mechanism" | "prohibited_data", Value::Array(items)) => {
            !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.as_str().is_some_and(|w| states_item(fact, w, r)))
        }
        ("data_residency", Value::Array(items)) => {
            !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.as_str().is_some_and(|w| stored_in(w, r)))
        }
        ("certifications", Value::Array(items)) => {
            !items.is_empty() && items.iter().all(|c| certified(c, r))
        }
        ("dpa", Value::String(v)) => dpa(r) == Some(v.as_str()),
        // "unless it has signed the Healthcare Addendum": an agreement to be signed on request.
        ("baa", Value::String(v)) => {
            baa(r) == Some(v.as_str())
                || v == "on_request" && r.qualified_by(BAA_TOPIC) && r.qualified_by(&["sign*"])
        }
        ("zero_data_retention", Value::String(v)) => zdr(r) == Some(v.as_str()),
        ("subprocessors_list", Value::String(v)) => subprocessors(r) == Some(v.as_str()),
        ("rests_on_consumer_terms", Value::String(v)) => consumer_terms(r) == Some(v.as_str()),
        ("consumer_account_linked", Value::String(v)) => account_linked(r) == Some(v.as_str()),
        ("human_review", Value::String(v)) => human_review(r) == Some(v.as_str()),
        ("licence_scope", Value::String(v)) => licence(r) == Some(v.as_str()),
        ("output_ownership", Value::String(v)) => ownership(r) == Some(v.as_str()),
        // An indemnity confined to claims that the vendor's own services infringe, or subject to
        // exclusions, is also read as `limited`: what it leaves out is said elsewhere.
        ("ip_indemnity", Value::String(v)) => {
            indemnity(r) == Some(v.as_str())
                || v == "limited"
                    && indemnity(r) == Some("yes")
                    && r.says(&["subject to", "to the extent", "infring*"])
        }
        ("terms_change_notice_scope", Value::String(v)) => notice_scope(r) == Some(v.as_str()),
        // The providers are named by the reviewer (an offering of the workspace or a name):
        // the clause must say the service runs on another party's models.
        ("providers", Value::Array(_)) => relies_on_providers(r),
        ("provider_pass_down", Value::String(v)) => pass_down(r) == Some(v.as_str()),
        ("permitted_use", Value::String(v)) => permitted_use(r) == Some(v.as_str()),
        ("organizational_accounts", Value::String(v)) => org_accounts(r) == Some(v.as_str()),
        _ => false,
    }
}

/// A reading that rules the claimed value out, in words.
fn contradiction(fact: &str, value: &Value, r: &Reading) -> Option<String> {
    match (fact, value) {
        ("training_on_inputs" | "training_on_outputs", Value::String(claimed)) => {
            if r.says(TRAIN_WORDS) && r.customer_duty() {
                return Some(
                    "a duty of the customer, not a promise of the vendor about training".into(),
                );
            }
            match training(fact, r).as_deref() {
                Some(s @ ("default_on" | "opt_out" | "opt_in")) if claimed == "never" => {
                    Some(format!("the clause states `{s}`, with no refusal to train"))
                }
                Some("never") if matches!(claimed.as_str(), "default_on" | "opt_out") => {
                    Some("the vendor says it does not train on this data".into())
                }
                _ => None,
            }
        }
        (_, Value::Number(n)) => {
            let n = n.as_u64()?;
            duration_elsewhere(fact, n, r)
        }
        ("dpa", Value::String(claimed)) => {
            if claimed == "none" && !r.says(DPA_TOPIC) && r.negated {
                return Some(
                    "a negation about something else (the clause does not speak of a data processing agreement) is not the absence of a DPA".into(),
                );
            }
            match dpa(r) {
                Some("none") => Some("the clause says no DPA is offered".into()),
                Some(_) if claimed == "none" => {
                    Some("the clause speaks of a DPA that applies, not of its absence".into())
                }
                _ => None,
            }
        }
        ("transfer_mechanism", Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .find(|m| mechanism_denied(m, r))
            .map(|m| {
                format!("the clause names `{m}` under a negation (not required, not relied on)")
            }),
        ("rests_on_consumer_terms" | "consumer_account_linked", Value::String(claimed)) => {
            let other = if fact == "rests_on_consumer_terms" {
                consumer_terms(r)
            } else {
                account_linked(r)
            }?;
            (other != claimed).then(|| format!("the clause states `{other}`"))
        }
        ("prohibited_data", Value::Array(_)) => (r.actor == Actor::Vendor
            && r.negated
            && r.does(Action::Train)
            && prohibits(r).is_none())
        .then(|| {
            "a promise of the vendor about training, not a kind of data the customer may not submit"
                .into()
        }),
        _ => None,
    }
}

// ---- training ----

fn training(fact: &str, r: &Reading) -> Option<String> {
    if !r.says(TRAIN_WORDS) || r.is_definition() || models_only_named(r) {
        return None;
    }
    // "..., provided that such use shall not include the training of our models": training
    // named only to be excluded from what the main clause allows.
    let excluded_only = !r.main_says(TRAIN_WORDS)
        && r.qualifiers.iter().all(|q| {
            let w = q.words();
            !super::lexicon::any(&w, TRAIN_WORDS)
                || q.kind == QualifierKind::Exception
                    && w.iter()
                        .any(|x| matches!(x.as_str(), "not" | "never" | "excluding" | "excludes"))
        });
    if excluded_only {
        return None;
    }
    // "We do not use the Third-Party Content you provide in Your Input to train": the
    // customer's data is named only to say where another party's content sits.
    if r.main_says(&[
        "third party content",
        "third party data",
        "third party materials",
        "third parties content",
    ]) {
        return None;
    }
    // "This indemnity does not apply where: ... trained ...": a clause about where something
    // else applies; "You are not allowed to use ... to train": the customer's own conduct.
    let negated_verb = r
        .main
        .iter()
        .position(|w| matches!(w.as_str(), "not" | "never"))
        .and_then(|i| r.main.get(i + 1));
    if r.negated && negated_verb.is_some_and(|w| matches!(w.as_str(), "apply" | "applies"))
        || r.main.iter().take(4).any(|w| w == "you")
            && r.main_says(&[
                "not allowed",
                "not permitted",
                "prohibited from",
                "may not",
                "must not",
            ])
    {
        return None;
    }
    // The customer's right to opt out ("you can opt out of our use of your content to train")
    // says how the vendor trains; any other clause of the customer is its own conduct.
    let customer_opts_out = r.actor == Actor::Customer && !r.negated && r.says(OPT_OUT);
    if r.customer_duty() && !customer_opts_out
        || r.actor == Actor::ThirdParty
        || r.actor == Actor::Customer && !customer_opts_out && !r.says(&["we", "us", "our"])
    {
        return None;
    }
    // Carve-outs (feedback, flagged content) and data from elsewhere do not set the default;
    // as exceptions of a promise they leave the promise standing. An opt-in said in so many
    // words ("a way to opt-in to share data, such as by providing feedback") is the default.
    if r.main_says(OTHER_TRAINING_DATA) {
        let opt_in = !r.negated
            && r.vendor_acts()
            && r.says(&["opt in", "opted into", "opted in"])
            && !r.says(OPT_OUT);
        return opt_in.then(|| "opt_in".into());
    }
    let outputs = r.about(Object::Outputs);
    let inputs = r.about(Object::Inputs) || r.about(Object::CustomerContent);
    // A clause that names no data ("training its models, unless you opt out") covers all of
    // the customer's data.
    let unnamed = r.objects.is_empty()
        && (r.qualified_by(&["opt out", "opted out", "opt in", "opted in"]) || customer_opts_out);
    // Data shared so that another party trains its own models is not the vendor's training.
    if r.says(&["share*", "disclos*"]) && r.says(&["so that", "so they", "for their", "to enable"])
        || r.says(&[
            "their own",
            "their artificial",
            "their ai",
            "their models",
            "so that it can",
            "so they can",
        ])
    {
        return None;
    }
    // "We may disclose information to our affiliates in connection with the development of
    // products, including AI models": the vendor's act is the disclosure; what the recipient
    // develops is not the vendor's training.
    let to_recipient = r.main.windows(4).any(|w| {
        matches!(w[0].as_str(), "to" | "with")
            && w[1..]
                .iter()
                .any(|x| super::read::actor_of(x) == Some(Actor::ThirdParty))
    });
    if r.actions.first() == Some(&Action::Share) && to_recipient {
        return None;
    }
    // What anyone can read on the web ("publicly available information ... to help train"),
    // named with none of the customer's data, is not what the customer sends.
    let public_only = r.says(&["publicly available", "public sources"])
        && !r.about(Object::Inputs)
        && !r.about(Object::CustomerContent)
        && !r.says(&[
            "information we collect",
            "your information",
            "your data",
            "your personal",
            "you provide",
            "you share",
        ]);
    if public_only {
        return None;
    }
    let fits = unnamed
        || match fact {
            "training_on_outputs" => outputs || r.about(Object::CustomerContent),
            _ => inputs || r.about(Object::PersonalData) && !outputs,
        };
    if !fits {
        return None;
    }
    let exceptions: Vec<&str> = r
        .qualifiers
        .iter()
        .filter(|q| q.kind == QualifierKind::Exception)
        .map(|q| q.text.as_str())
        .collect();
    let in_exception = |ps: &[&str]| {
        exceptions.iter().any(|t| {
            let w: Vec<String> = t.split(' ').map(str::to_string).collect();
            super::lexicon::any(&w, ps)
        })
    };
    if r.negated && r.vendor_acts() {
        // "will not train ..., except when you opted in ... or have not opted out ...": the
        // default depends on the product.
        if in_exception(&["opt in", "opted in"]) && in_exception(&["opt out", "opted out"]) {
            return Some("negotiable".into());
        }
        // "except (a) when you (i) use the free plan, and (ii) you have not opted out": the
        // opt-out may stand past the exception's first comma.
        if in_exception(OPT_OUT)
            // "If you turn off Model Improvement, your conversations will not be used"
            || r.qualified_by(OPT_OUT)
            || r.exceptions().next().is_some() && r.says(&["not opted out", "opted out of"])
        {
            return Some("opt_out".into());
        }
        // "will not use your content for training without your consent": consent opens it.
        if in_exception(OPT_IN)
            || r.says(&["by default"])
            || r.says(&[
                "without your consent",
                "without your permission",
                "without your explicit",
                "without your express",
                "without your prior",
                "without your agreement",
                "without obtaining your",
                "without first obtaining",
                "without customer's consent",
                "without customer's prior",
                "without the customer's",
            ])
        {
            return Some("opt_in".into());
        }
        // A condition ("if you enable ...") limits the promise to some data; exceptions that are
        // carve-outs (feedback, flagged content) leave it standing.
        let limited = r.qualifiers.iter().any(|q| {
            let w = q.words();
            // An audience ("if you are in the EU") keeps the promise for that audience.
            !super::lexicon::any(&w, CARVE_OUTS)
                && !super::lexicon::any(&w, super::lexicon::AUDIENCES)
                && !super::lexicon::any(&w, &["located", "reside*", "live"])
        });
        if limited {
            return None;
        }
        return Some("never".into());
    }
    if r.negated {
        return None;
    }
    // "When you submit feedback, we use it to train": a carve-out, not the default.
    let carve_out = r.qualifiers.iter().any(|q| {
        let w = q.words();
        q.kind == QualifierKind::Condition && super::lexicon::any(&w, CARVE_OUTS)
    });
    if carve_out {
        return None;
    }
    // "the opt-out preferences you selected ... do not apply to": no opt-out here.
    let opt_out_denied = r.says(&["not apply", "does not apply", "do not apply"]);
    if r.says(OPT_OUT) && !opt_out_denied {
        Some("opt_out".into())
    } else if r.says(&["opt in", "opted in", "opts in", "opted into"])
        || r.says(CHOSEN_TRAINING) && !r.says(&["by default", "unless"])
    {
        Some("opt_in".into())
    } else if (r.vendor_acts() || customer_lets_vendor(r))
        && matches!(
            r.modality,
            Modality::May | Modality::Will | Modality::States
        )
        && !r.says(&["choose", "setting*", "control*", "consent*"])
    {
        Some("default_on".into())
    } else {
        None
    }
}

/// The customer gives the vendor leave to act ("you grant us the right to use your content to
/// train", "you allow us to ..."): the vendor's act, by the customer's grant.
fn customer_lets_vendor(r: &Reading) -> bool {
    r.actor == Actor::Customer
        && !r.negated
        && r.says(&[
            "allow us",
            "allows us",
            "authorize us",
            "authorise us",
            "permit us",
            "grant us",
            "grants us",
            "give us",
            "gives us",
            "enable us",
        ])
}

// ---- durations ----

fn is_window(q: &Quantity) -> bool {
    matches!(q.action, Some(Action::Retrieve | Action::Request))
        && q.actor == Actor::Customer
        && !q.then_deleted
}

/// Models named as things, not as what data goes into: "software that uses AI models to
/// generate images", "generative AI models may not have the most recent information", "we
/// use algorithms and machine learning to order ads". A clause whose only training words are
/// such names trains nothing unless a name is the purpose of the use ("for machine learning",
/// "to develop AI models").
fn models_only_named(r: &Reading) -> bool {
    const NAMES: &[&str] = &[
        "ai models",
        "ai systems",
        "language models",
        "machine learning",
    ];
    const PURPOSE: &[&str] = &[
        "for", "to", "into", "of", "in", "develop*", "improv*", "build*", "creat*", "enhanc*",
    ];
    let acts: Vec<&str> = TRAIN_WORDS
        .iter()
        .copied()
        .filter(|w| !NAMES.contains(w))
        .collect();
    if r.says(&acts) {
        return false;
    }
    r.find(NAMES).iter().all(|&i| {
        // skip the words that qualify the name ("our generative AI models", "large language
        // models")
        let mut k = i;
        while k > 0
            && matches!(
                r.words[k - 1].as_str(),
                "our"
                    | "its"
                    | "the"
                    | "their"
                    | "generative"
                    | "large"
                    | "new"
                    | "future"
                    | "artificial"
                    | "intelligence"
            )
        {
            k -= 1;
        }
        // "to improve the Services, including our AI models": the models are what is improved
        let improved = r.words[k.saturating_sub(1)] == "including"
            && r.says(&["improv*", "develop*", "enhanc*"]);
        k == 0 || !super::lexicon::any(&r.words[k - 1..k], PURPOSE) && !improved
    })
}

/// Whether the data kept (the words from the clause's start to a few words past its first
/// keeping verb) is data other than the customer's content: cookies, logs, payment data,
/// device data, account identifiers, location. Also read of a table row's first cell, for the
/// cells beside it.
pub fn other_data(r: &Reading) -> bool {
    let verbs = r.find(&[
        "retain*", "keep", "keeps", "kept", "stor*", "delet*", "hold*", "preserv*",
    ]);
    let end = verbs
        .first()
        .map_or(r.words.len(), |&i| (i + 8).min(r.words.len()));
    // "We keep some data until you delete your account, such as information about how often
    // you use our services": the example says what data is meant.
    let example_other = r.find(&["such as"]).iter().any(|&i| {
        let to = (i + 12).min(r.words.len());
        super::lexicon::any(&r.words[i..to], OTHER_DATA)
    }) && r.says(&[
        "some data",
        "some information",
        "other data",
        "certain data",
    ]);
    super::lexicon::any(&r.words[..end], OTHER_DATA) || unnamed_data(r) || example_other
}

/// Data named only by a demonstrative ("This data is kept for a maximum of 90 days", "Such
/// information may be retained for up to 2 years") in a clause that names no content: what it
/// points to is in another sentence, which may be about analytics or logs. Read alone, the
/// quote does not say it is the customer's content, so it sets no retention: the reviewer
/// quotes the sentence that names the data.
fn unnamed_data(r: &Reading) -> bool {
    let at = |k: usize| r.words.get(k).map_or("", String::as_str);
    let named_so = matches!(at(0), "this" | "such" | "that" | "these" | "those")
        && matches!(at(1), "data" | "information");
    // "We may store this for up to 3 years": a demonstrative alone as what is kept.
    let kept_bare = r.words.windows(3).any(|w| {
        super::lexicon::any(
            &w[..1],
            &["stor*", "keep*", "kept", "retain*", "hold*", "preserv*"],
        ) && matches!(w[1].as_str(), "this" | "these" | "those")
            && matches!(w[2].as_str(), "for" | "until" | "as" | "while" | "up")
    });
    kept_bare
        || named_so
            && ![Object::CustomerContent, Object::Inputs, Object::Outputs]
                .iter()
                .any(|o| r.about(*o))
}

/// The clause names the customer's data as what is kept (content, inputs, outputs, personal
/// data, or a pronoun standing for it): a number about data it does not name is no retention.
fn content_kept(r: &Reading) -> bool {
    [
        Object::CustomerContent,
        Object::Inputs,
        Object::Outputs,
        Object::PersonalData,
    ]
    .iter()
    .any(|o| r.about(*o))
}

fn has_number(r: &Reading) -> bool {
    !r.quantities.is_empty()
}

fn keeps(q: &Quantity) -> bool {
    matches!(
        q.action,
        Some(Action::Retain | Action::Delete | Action::Store)
    ) || q.then_deleted
}

/// The customer deletes first ("once you delete it, we remove it within 30 days"): the data is
/// kept until the customer deletes it.
fn customer_deletes(r: &Reading) -> bool {
    r.says(&[
        "you delete",
        "you choose to delete",
        "choose to delete",
        "able to delete",
        "allow you to delete",
        "you remove",
        "until you delete",
        "until such content is removed",
        "until you remove",
    ])
}

/// The numbers (in the fact's unit) the reading states for `fact`, most specific first.
fn duration_numbers(fact: &str, r: &Reading) -> Vec<u64> {
    if r.is_definition() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if fact == "terms_change_notice_days" && at_once_change(r) {
        out.push(0);
    }
    // "Acme does not retain your text after a request is processed": kept for no time at all.
    if fact == "retention_days"
        && r.negated
        && r.vendor_acts()
        && (r.does(Action::Retain) || r.does(Action::Store))
        && r.quantities.is_empty()
        && !other_data(r)
        && r.exceptions().next().is_none()
        && r.says(&["after", "once", "beyond", "longer than"])
        && r.says(&["process*", "request*", "respon*", "complet*", "deliver*"])
    {
        out.push(0);
    }
    // "Inputs are not retained for abuse monitoring": none kept for it.
    if fact == "abuse_monitoring_retention_days"
        && r.negated
        && r.vendor_acts()
        && r.quantities.is_empty()
        && r.exceptions().next().is_none()
        && abuse_retention(r)
    {
        out.push(0);
    }
    for q in &r.quantities {
        if measures(fact, q, r) {
            out.push(if fact == "breach_notification_hours" {
                q.amount
            } else if q.unit == "hour" {
                q.amount / 24
            } else {
                q.days()
            });
        }
    }
    out
}

fn duration_number(fact: &str, r: &Reading) -> Option<u64> {
    duration_numbers(fact, r).first().copied()
}

/// Ways of telling the customer something other than "notify" and "notice".
const TELLS: &[&str] = &[
    "let you know",
    "tell you",
    "inform you",
    "email you",
    "alert you",
    "contact you",
    "heads up",
    // "Material changes will be communicated to you by email", "we will send you an email"
    "communicated to you",
    "communicate them to you",
    "communicate it to you",
    "send you an email",
    "send you a notice",
    "send you a notification",
];

/// A change of the terms made known only by posting the new version ("we will publish an
/// updated version and effective date on this page"): no notice before it takes effect.
fn posted_only(r: &Reading) -> bool {
    r.vendor_acts()
        && !r.negated
        && r.says(&["post*", "publish*"])
        && (r.says(&["the revised", "the updated", "the amended"]) && r.says(TERMS)
            || r.says(&[
            "this page",
            "here",
            "our website",
            "the website",
            "this website",
            "our site",
            "the site",
            "this site",
            "latest version",
            "current version",
            "most recent version",
            "updated version",
            "revised version",
            "new version",
            "effective date",
            "revised terms",
            "updated terms",
            "revised policy",
            "updated policy",
            "revised privacy",
            "updated privacy",
        ]))
        && !r.main_says(&["notif*", "notice", "in advance", "prior to", "before"])
        && !r.main_says(TELLS)
        // "If we make material changes, we will post ...": a condition naming the changes
        // covered does not promise notice; "material" in the main clause sorts changes.
        && !r.main_says(&["material*", "significant*"])
}

/// A change made known only by a new date on the posted text ("we'll let you know by
/// revising the date at the top of this policy"): the telling is the posting, no notice
/// comes before the change.
fn dated_only(r: &Reading) -> bool {
    r.vendor_acts()
        && !r.negated
        && r.says(&[
            "by revising the date",
            "by updating the date",
            "by changing the date",
            "by revising the last updated",
            "by updating the last updated",
            "by changing the last updated",
            "by revising the effective date",
            "by updating the effective date",
            "update the last updated date",
            "revise the last updated date",
            "change the last updated date",
            "update the effective date",
            "revise the effective date",
            "update the date",
            "revise the date",
            "change the date",
            // "We always indicate the date the last changes were published"
            "indicate the date",
            "show the date",
            "date the last changes",
            "date of the last change*",
        ])
        // "you waive any right to receive specific notice": a notice refused is none promised
        && (r.says(&["waive*"])
            || !r.main_says(&[
                "in advance",
                "prior to",
                "before",
                "notice",
                "notif*",
                "email*",
            ]))
}

/// A notice that is the posting itself ("We will notify you of any changes by posting the new
/// Terms on this page"), with no other channel and no time before the change.
fn notified_by_posting(r: &Reading) -> bool {
    r.vendor_acts()
        && !r.negated
        && r.says(&["by posting", "by publishing"])
        && !r.says(&[
            "email*",
            "e mail*",
            "in app",
            "in product",
            "message*",
            "notification*",
            "prominent*",
            "prior",
            "in advance",
            "before",
            "other means",
            "otherwise notify*",
            "or by",
            // "reasonable notice, including by posting": posting is one way of a notice
            "reasonable*",
            "including by",
        ])
}

/// A change of the terms that takes effect when posted, with no advance notice.
fn at_once_change(r: &Reading) -> bool {
    if !terms_change(r) || r.negated {
        return false;
    }
    if (posted_only(r) || dated_only(r) || notified_by_posting(r)) && r.quantities.is_empty() {
        return true;
    }
    // "We may modify these Terms at any time without notice."
    if r.main_says(&[
        "without notice",
        "without prior notice",
        "without advance notice",
        "without notifying",
    ]) && r.says(TERMS)
        && r.quantities.is_empty()
    {
        return true;
    }
    // "effective 30 days after posting, except that ... take effect immediately": the number
    // is the rule, the immediate effect its exception.
    let main_at_once = {
        let w = &r.main;
        super::lexicon::any(w, super::lexicon::AT_ONCE)
            || super::lexicon::any(w, &["effective on the date"])
                && super::lexicon::any(w, &["post*", "publish*"])
    };
    main_at_once && terms_meant(r) && (r.quantities.is_empty())
}

/// What a change may be of besides the terms: a sentence naming one of these as changed is
/// about that thing, unless it names the terms too.
const OTHER_CHANGED: &[&str] = &[
    "service*",
    "feature*",
    "product*",
    "functionalit*",
    "app",
    "apps",
    "application*",
    "software",
    "account*",
    "setting*",
    "plan*",
    "subscription*",
    "information",
    "data",
    "content",
    "address*",
    "details",
    "password*",
    "model*",
    "install*",
    "download*",
    "upgrade*",
    "circumstances",
    "law*",
    "practices",
    "ownership",
    "control",
];

/// Words before a service or an app that make it the channel of a notice ("we will let you
/// know through the Services"), not the thing changed.
const CHANNEL: &[&str] = &["through", "via", "on", "in", "within", "using", "by"];

/// Changes named with nothing changed but the document itself ("If we make material changes,
/// we will notify you before they take effect", under a heading about changes to the policy):
/// read as changes of the terms when no other thing is named as changed and no data is named.
fn bare_change(r: &Reading) -> bool {
    if !r.says(CHANGE) || !r.objects.is_empty() || r.says(NOT_TERMS_CHANGE) {
        return false;
    }
    let w = &r.words;
    // "change the telephone number", "update our app": a verb of changing whose object is
    // named.
    let verb_object =
        super::lexicon::find_all(w, &["change", "modify", "update", "amend", "revise"])
            .into_iter()
            .any(|i| {
                matches!(
                    w.get(i + 1).map(String::as_str),
                    Some("the" | "our" | "your" | "its" | "their" | "any" | "a")
                ) && w.get(i + 2).is_some_and(|x| {
                    !super::lexicon::any(std::slice::from_ref(x), TERMS)
                        && !matches!(
                            x.as_str(),
                            // "update the revised version": the terms, written anew
                            "date" | "last" | "effective" | "revised" | "updated" | "new"
                        )
                })
            });
    if verb_object {
        return false;
    }
    // A thing named outside a channel phrase is what changes.
    !super::lexicon::find_all(w, OTHER_CHANGED)
        .into_iter()
        .any(|i| {
            let before = &w[i.saturating_sub(3)..i];
            !before.iter().any(|b| CHANNEL.contains(&b.as_str()))
        })
}

/// The clause speaks of a change of the terms, by name or as bare changes (see
/// [`bare_change`]).
fn terms_meant(r: &Reading) -> bool {
    r.says(TERMS) || bare_change(r)
}

/// The clause speaks of a change of the terms (not of prices, a termination, a subprocessor),
/// made by the vendor (not the customer's notice rejecting a change).
fn terms_change(r: &Reading) -> bool {
    r.says(CHANGE)
        && !r.says(NOT_TERMS_CHANGE)
        && r.actor != Actor::Customer
        && !r.says(&[
            "opt out notice",
            "opt out of",
            "reject the change*",
            "reject any such change*",
            "reject such change*",
        ])
}

/// A duration that counts in days: days, weeks, months, years, or hours that make whole days
/// ("deleted within 24 hours" is a day; "within 36 hours" is not a number of days).
fn whole_days(q: &Quantity) -> bool {
    q.unit != "hour" || q.amount >= 24 && q.amount.is_multiple_of(24)
}

/// Whether a quantity measures what `fact` counts.
fn measures(fact: &str, q: &Quantity, r: &Reading) -> bool {
    match fact {
        "breach_notification_hours" => q.unit == "hour" && breach_notice(r),
        // The customer's window to react to a change (to opt out of it, object, close the
        // account) is not the vendor's notice.
        "terms_change_notice_days" => {
            q.unit != "hour"
                && terms_change(r)
                // a change of the terms or the policy, or one that names nothing else, not a
                // change of a feature, a product or the service itself
                && (r.says(TERMS)
                    || !r.says(&[
                        "changes to the service*",
                        "changes to our service*",
                        "changes to the feature*",
                        "changes to our feature*",
                        "changes to features",
                        "changes to the product*",
                        "changes to our product*",
                        "change the service*",
                        "change our service*",
                        "modify the service*",
                        "modify our service*",
                        "update the service*",
                        "update our service*",
                        "discontinu*",
                    ]))
                && !r.customer_duty()
                && !r.says(&[
                    "opt out notice",
                    "opt out of",
                    "must be sent",
                    "to reject",
                    "to object",
                    "object to",
                    "close your",
                    "close their",
                ])
                && (matches!(q.action, Some(Action::Notify))
                    || matches!(q.event, Some(Event::Notice | Event::Posting))
                    || r.says(&["notice", "notify", "effective", "in advance", "take effect"])
                    || r.says(TELLS))
        }
        "subprocessor_objection_days" => {
            q.unit != "hour"
                && r.says(&["object*"])
                && r.says(&[
                    "subprocessor*",
                    "sub processor*",
                    "appointment",
                    "replacement",
                ])
        }
        "deletion_after_termination_days" => {
            whole_days(q)
                && !is_window(q)
                && (q.event == Some(Event::Termination) || account_ends(r))
                && (keeps(q) || lead_in(r))
                && q.actor != Actor::Customer
                && !other_data(r)
                && !process_timing(r)
                && !inactivity(r)
                && !r.says(&["accessible", "restore*", "export*"])
        }
        "abuse_monitoring_retention_days" => whole_days(q) && keeps(q) && abuse_retention(r),
        // A number that runs from a request to delete (the time to handle one), from the end of the
        // contract (a deletion deadline), counts an account's inactivity, or keeps backups
        // after deletion says how long something else takes, not how long content is kept.
        "retention_days" => {
            whole_days(q)
                && content_kept(r)
                && keeps(q)
                && !is_window(q)
                // what the customer keeps or must delete is not the vendor's retention
                && r.actor != Actor::Customer
                && q.actor != Actor::ThirdParty
                && q.event != Some(Event::Termination)
                // "deleted within 30 days of your request" is the time to handle a request;
                // "kept for 30 days after each request" is a retention.
                && !(q.event == Some(Event::Request) && q.action == Some(Action::Delete))
                && !other_data(r)
                && !customer_deletes(r)
                && !account_ends(r)
                && !inactivity(r)
                && !backups_after_deletion(r)
                && !process_timing(r)
                // rights that survive, a deletion after consent is revoked: not data kept
                && !r.says(&["surviv*", "revocation", "revoke*"])
        }
        _ => false,
    }
}

/// An account or data left unused for a time ("if you do not use your account for 2 years",
/// "after a period of inactivity"): the number counts the silence, not the keeping.
fn inactivity(r: &Reading) -> bool {
    r.says(&[
        "inactiv*",
        "not used",
        "haven't used",
        "hasn't used",
        "do not use",
        "don't use",
        "not log in",
        "not logged in",
        "not sign in",
        "not signed in",
        "dormant",
    ])
}

/// Copies in backups that outlive a deletion ("may remain in backups for up to 90 days after
/// deletion"): what the backups keep, not how long the content itself is kept.
fn backups_after_deletion(r: &Reading) -> bool {
    r.says(&["backup*", "back up*", "backed up", "back ups"]) && r.says(&["delet*", "remov*"])
}

/// A number about when a process starts or how long a request takes to handle ("the deletion
/// process will begin no more than 30 days after your request", "up to 14 days to process your
/// deletion request"): not when the data is gone.
fn process_timing(r: &Reading) -> bool {
    r.says(&[
        "begin",
        "begins",
        "beginning",
        "start",
        "starts",
        "commence*",
        "initiat*",
    ]) || r
        .find(&["process", "processing", "handle"])
        .iter()
        .any(|&i| super::lexicon::any(&r.words[i + 1..(i + 6).min(r.words.len())], &["request*"]))
}

/// The contract or the account ends: termination, expiry, closing or deleting the account.
fn account_ends(r: &Reading) -> bool {
    // "your account being deleted", "request to delete content or your account": an account
    // and its ending within a few words of each other, in either order.
    let ends = [
        "delet*",
        "clos*",
        "deactivat*",
        "cancel*",
        "terminat*",
        "remov*",
    ];
    r.near(&["account", "accounts"], &ends, 4)
        || r.says(&[
            "terminat*",
            "expir*",
            "deactivat*",
            "close your account",
            "closed your account",
            "account closure",
            "delete your account",
            "deleted your account",
            "deletion of your account",
            "account is deleted",
            "account has been deleted",
            "account deletion",
            "cancel*",
            "end of the agreement",
            "end of this agreement",
            "come to an end",
            "comes to an end",
            "end of our relationship",
            "end of the contract",
            "end of the subscription",
            "end of your subscription",
            "end of the provision",
            "agreement ends",
            "contract ends",
            "subscription ends",
        ])
}

/// A list's lead-in ("Within thirty (30) days of termination, Acme will:"): its items say what
/// is done within the period.
fn lead_in(r: &Reading) -> bool {
    r.words.last().is_some_and(|w| w == ":") && r.vendor_acts() && r.modality == Modality::Will
}

/// A number that is there but measures something else: the customer's window to take its data
/// back is not a deletion deadline or a retention period.
fn duration_elsewhere(fact: &str, n: u64, r: &Reading) -> Option<String> {
    if !matches!(
        fact,
        "deletion_after_termination_days" | "retention_days" | "abuse_monitoring_retention_days"
    ) {
        return None;
    }
    let same: Vec<&Quantity> = r
        .quantities
        .iter()
        .filter(|q| q.days() == n || q.amount == n)
        .collect();
    let q = *same.first()?;
    let window =
        same.iter().all(|q| is_window(q)) || r.says(&["accessible", "restore*"]) && !keeps(q);
    if !window {
        return None;
    }
    let what = if r.says(&[
        "export*",
        "retriev*",
        "download*",
        "copy of",
        "copies of",
        "return",
    ]) {
        "retrieve or export its data"
    } else if r.says(&["restore*"]) {
        "restore its account"
    } else if r.says(&["accessible", "access*"]) {
        "still reach its data"
    } else {
        "make a request"
    };
    let not = match fact {
        "deletion_after_termination_days" => "not a deletion deadline",
        _ => "not how long the vendor keeps the data",
    };
    Some(format!(
        "the customer may {what} within {} {}s; {not}",
        q.amount, q.unit
    ))
}

/// Retention for abuse or misuse monitoring (not identifiers kept to stop a banned user
/// coming back).
fn abuse_retention(r: &Reading) -> bool {
    (r.does(Action::Retain) || r.does(Action::Store))
        && r.says(ABUSE)
        && !r.says(&["identifiers", "new accounts", "cookie*"])
        && r.actor != Actor::ThirdParty
        && !r.is_definition()
}

/// Data kept until the customer ends it: deletes it, closes the account, or while the account
/// is open ("until you delete it", "for as long as your account is active").
const UNTIL_THE_CUSTOMER_ENDS: &[&str] = &[
    "until you delete*",
    "until you remove*",
    "until you close*",
    "until you request*",
    "until you choose to delete",
    "until you deactivate*",
    "until you terminate*",
    "until you ask",
    "until the user delete*",
    "until users delete*",
    "until the customer delete*",
    "until customer delete*",
    "until your account",
    "until the account",
    "until it is deleted by you",
    "until deleted by you",
    "until deleted by the",
    "as long as your account",
    "as long as you have an account",
    "as long as you keep your account",
    "as long as you maintain",
    "as long as you use",
    "as long as you continue to use",
    "for the life of your account",
    "for the lifetime of your account",
    "for the duration of your account",
    "while your account",
    "while you have an account",
    "while you maintain",
    "while you use",
    "unless you close your account",
    "as long as you choose",
    "as long as you want",
    "as long as the user chooses",
    "as long as users choose",
    "as long as the customer chooses",
];

/// "until deleted", "until they are removed", "until you close it": kept until the data or the
/// account is deleted (not "until terminated", which ends a contract, not the data).
fn until_removed(r: &Reading) -> bool {
    // A licence or a right that lasts until removal is not data kept.
    !r.objects.is_empty()
        && !r.negated
        && !r.does(Action::License)
        && !r.says(&["right*", "licen*", "access*"])
        && r.find(&["until"]).iter().any(|&i| {
            let next = &r.words[i + 1..(i + 7).min(r.words.len())];
            let by_vendor = next
                .iter()
                .take(2)
                .any(|w| matches!(w.as_str(), "we" | "us"));
            // "until deletion is possible" is the vendor's delay, not the customer's act.
            let feasible = super::lexicon::any(next, &["possible", "feasible", "practicable"]);
            !by_vendor
                && !feasible
                && super::lexicon::any(next, &["delet*", "remov*", "clos*", "deactivat*"])
        })
}

/// Keeping that is refused or forbidden rather than done: a deletion request denied "if
/// retaining the information is necessary", providers "prohibited from retaining" data, a
/// right to erasure "if it is no longer necessary". Each names why data may be kept, not how
/// long the vendor keeps the customer's content.
fn keeping_refused(r: &Reading) -> bool {
    r.says(&[
        "deny",
        "denies",
        "refuse*",
        "decline*",
        "prohibited from",
        "forbidden from",
        "right to have",
        "right to erasure",
        "right to delete",
        "right to request",
        "wish to erase",
        "want us to erase",
    ])
}

/// Keeping named in a list of what is done to data ("we collect, store, combine, analyse ...
/// as necessary to research"): "as necessary" bounds the purposes of the processing, not how
/// long anything is kept.
fn processing_listed(r: &Reading) -> bool {
    r.find(&["stor*", "retain*", "keep"]).iter().any(|&i| {
        let before = &r.words[i.saturating_sub(3)..i];
        let after = &r.words[i + 1..(i + 4).min(r.words.len())];
        (before.iter().any(|w| w == ",") || after.first().is_some_and(|w| w == ","))
            && super::lexicon::any(before, &["collect*", "use", "process*", "combin*"])
            || after.first().is_some_and(|w| w == ",")
                && super::lexicon::any(
                    after,
                    &["combin*", "analys*", "analyz*", "process*", "shar*"],
                )
    })
}

/// What outlives a deletion or is only about deleting, not how long data is kept: copies
/// that "may persist" or "remain elsewhere", content that may "continue to appear", a
/// deletion "scheduled" or delayed, features "that allow you to delete", how to delete.
fn lingers(r: &Reading) -> bool {
    // a heading "How to delete your account and what happens when you do"
    r.words.first().is_some_and(|w| w == "how")
        || r.says(&[
            "even if you delete",
            "may persist",
            "may remain",
            "continue to appear",
            "continue to use",
            "delays between",
            "scheduled for deletion",
            "may not occur",
            "allow you to delete",
            "allows you to delete",
        ])
}

/// The least time a purpose needs: "for the shortest period necessary to achieve the
/// purposes", "the minimum period required", "as short a time as possible".
const LEAST_TIME_NEEDED: &[&str] = &[
    "shortest period",
    "shortest time",
    "minimum period necessary",
    "minimum period required",
    "minimum time necessary",
    "minimum time required",
    "duration necessary",
    "duration required",
    "as short a time",
    "as short a period",
    "necessary to achieve",
    "required to achieve",
    "needed to achieve",
];

/// "once the purpose is fulfilled", "after the purposes have been achieved": data kept until
/// what it was collected for is done, an open-ended period set by its purpose.
fn purpose_served(r: &Reading) -> bool {
    r.near(
        &["purpose", "purposes"],
        &[
            "fulfil*",
            "fulfill*",
            "achiev*",
            "accomplish*",
            "served",
            "complet*",
        ],
        8,
    ) && r.says(&["once", "after", "when", "until"])
}

/// `indefinite` or `until_deleted` for a retention or a deletion after termination.
fn open_duration(fact: &str, v: &str, r: &Reading) -> bool {
    if r.is_definition() || r.actor == Actor::ThirdParty || other_data(r) {
        return false;
    }
    let retains = r.does(Action::Retain)
        || r.does(Action::Store)
        || r.says(&["retention", "retention period*", "stored", "storage"]);
    // Kept only when the law requires it ("if we are legally required to retain it"): a legal
    // hold, not a retention period.
    // Kept only when the law or a legal process calls for it ("We may preserve ... your
    // information if we believe that it is reasonably necessary to comply with ...", "We
    // reserve the right to access, retain and disclose ... to comply with"): a legal hold, not
    // the rule for the customer's data, which names the service or its purposes.
    let legal_hold = r.says(&[
        "comply with applicable law*",
        "comply with any applicable law*",
        "legal process*",
        "governmental request*",
        "law enforcement",
        "reserve the right to access",
    ]) && !r.says(&[
        "as long as",
        "so long as",
        "to provide",
        "purposes described",
        "purposes set out",
        "purposes identified",
        "purposes outlined",
    ]);
    let conditional = legal_hold
        || r.qualifiers.iter().any(|q| {
            q.kind == QualifierKind::Condition
                && ["legal", "legally", "law", "subpoena", "required"]
                    .iter()
                    .any(|w| q.text.split(' ').any(|x| x == *w))
        })
        || r.main_says(&[
            // "may be required to retain ... to comply with a court order": a legal hold
            "required to retain",
            "required to keep",
            "required to store",
            "required to preserve",
            "obliged to retain",
            "obligated to retain",
        ]);
    // A right to ask for deletion is not how long data is kept ("until you request its
    // deletion" is).
    let request = r.says(&["request*", "right to", "ask us"]) && !r.says(UNTIL_THE_CUSTOMER_ENDS);
    match (fact, v) {
        ("retention_days", "until_deleted") => {
            // "Unless you request the deletion of your account, we will retain most of your
            // information": kept until the account is deleted.
            let unless_account_deleted = retains
                && !r.negated
                && r.exceptions().any(|q| {
                    let words: Vec<&str> = q.text.split(' ').collect();
                    words.first() == Some(&"unless")
                        && words
                            .iter()
                            .any(|w| w.starts_with("delet") || *w == "close")
                        && words.contains(&"account")
                });
            // Kept "for the time periods described above" points elsewhere; content "removed
            // from active display" is hidden, not deleted.
            let elsewhere_or_hidden = r.says(&[
                "periods described",
                "period described",
                "from active display",
                "from public display",
                "from public view",
            ]);
            unless_account_deleted
                || !elsewhere_or_hidden
            // "we will not be able to delete your account if ...": no keeping stated
            && !request
                && !r.says(&["not be able to delete", "unable to delete", "cannot delete"])
                && (retains
                    && r.says(&[
                        "until you delete",
                        "until such content is removed",
                        "until you remove",
                        "as long as you keep your account",
                        "for the duration of your account",
                        "unless you close your account",
                        "until you close",
                        "while your account",
                        "as long as your account",
                        "as long as you have an account",
                        "as long as you maintain",
                        "until you delete your account",
                        "until your account is deleted",
                        "until the customer deletes",
                        "until customer deletes",
                        "deleted by customer",
                        "deleted by you",
                        "deleted by the customer",
                    ])
                    || r.says(&["retain until you delete", "until you delete it"])
                    || retains && r.says(UNTIL_THE_CUSTOMER_ENDS)
                    // Something must be kept or deleted: "we may send you messages unless you
                    // delete your account" keeps nothing; nor does "you may delete your
                    // account", where only the customer acts.
                    || (retains || r.does(Action::Delete) && r.actor != Actor::Customer)
                        && !lingers(r)
                        && (until_removed(r)
                            || customer_deletes(r)
                                && r.says(&["remov*", "delet*"])
                                && !r.says(&["even after", "after you delete", "after you close"])))
        }
        ("retention_days", "indefinite") => {
            // A number that measures something else (logs kept 90 days) leaves the rule
            // open-ended; one that measures the retention is the value instead. "Deleted
            // when no longer needed" is kept as long as it is needed.
            // "When we no longer need it, we delete it", "deleted once the purpose is
            // fulfilled": kept as long as a purpose needs it.
            let deleted_when_unneeded = r.does(Action::Delete)
                && !r.negated
                && (r.says(&["no longer needed", "no longer necessary", "no longer required"])
                    // the wider forms only where no erasure is asked for ("you can ask us to
                    // erase data that we no longer need" is a right, not a practice)
                    || !request && (r.says(&["no longer need"]) || purpose_served(r)));
            // "Don't store user data indefinitely": a refusal of the open-ended period.
            let refused_indefinite = r.negated && r.main_says(&["indefinite*"]);
            (retains || deleted_when_unneeded)
                && !refused_indefinite
                && !conditional
                && !keeping_refused(r)
                && !processing_listed(r)
                && duration_numbers("retention_days", r).is_empty()
                && !r.says(&[
                    "duration of the processing",
                    "duration of processing",
                    "nature of the processing",
                    "frequency",
                    "continuous basis",
                ])
                && (r.says(&[
                    "as long as",
                    "so long as",
                    "duration of the agreement",
                    "duration is the term",
                    "term of the agreement",
                    "indefinite*",
                    "for longer",
                    "legitimate business purposes",
                    "business need*",
                    "no ongoing",
                    "as necessary",
                    "as needed",
                    "is necessary",
                    "are necessary",
                    "no longer necessary",
                    "no longer needed",
                    "no longer need",
                    "longer than necessary",
                    "longer than is necessary",
                    "longer than needed",
                    "longer than required",
                    "no longer required",
                    "necessary for the purpose*",
                    "necessary to fulfil*",
                    "necessary to fulfill*",
                    "necessary to provide",
                    "need it",
                    "need them",
                    "for the duration of",
                    "for the period necessary",
                    "for the time necessary",

                    "reasonably necessary",
                    "until the purpose*",
                    "until it is no longer",
                    "until they are no longer",
                    "periods vary",
                    "period varies",
                    "vary depending",
                    "different periods",
                    "longer period*",
                    // a period the purpose or the kind of data sets
                    "period of time required",
                    "time required for",
                    "period required for",
                    "required for the purpose*",
                    "consistent with the purpose*",
                    "consistent with the original purpose*",
                    "periods are determined",
                    "period is determined",
                    "determine the appropriate retention",
                    "determine how long",
                    "determined by the type",
                    "determined based on",
                ]) || deleted_when_unneeded && !request && purpose_served(r)
                    // "how long we keep it depends on ...": the period depends, not the
                    // rights a reader has "depending on where you live"
                    || r.near(
                        &["depending", "depends", "depend"],
                        &["retain*", "retention", "keep", "kept", "stor*", "how long", "period*"],
                        5,
                    )
                    // the least time a purpose needs, kept by the vendor (a developer told to
                    // store content "only for the duration necessary" keeps nothing of ours)
                    || r.actor != Actor::Customer && r.says(LEAST_TIME_NEEDED))
                && !r.says(UNTIL_THE_CUSTOMER_ENDS)
        }
        ("deletion_after_termination_days", "until_deleted") => {
            // "at Customer's instruction" (not "instructions on how to delete").
            account_ends(r)
                && r.does(Action::Delete)
                && (r.says(&["until"])
                    || r.says(&["instruction*"])
                        && !r.says(&["instructions on", "instructions for", "how to"]))
                && !has_number(r)
        }
        ("deletion_after_termination_days", "indefinite") => {
            // Deleted after the end "in accordance with our deletion policies": no deadline.
            r.does(Action::Delete)
                && !has_number(r)
                && (account_ends(r) || r.says(&["after the end of"]))
                && r.says(&["deletion polic*", "deletion procedures", "retention polic*"])
                || retains
                    && !has_number(r)
                    && account_ends(r)
                    && r.vendor_acts()
                    && !r.negated
                    && r.says(&[
                        "longer",
                        "as long as",
                        "necessary",
                        "legal*",
                        "law",
                        "legitimate",
                        // "we may keep your content for a reasonable period of time": a period
                        // the terms do not count
                        "for a reasonable period",
                        "for a given period",
                        "for a certain period",
                        "for a period of time",
                    ])
        }
        _ => false,
    }
}

/// `reasonable` or `mutual_only` notice of changed terms.
fn change_words(v: &str, r: &Reading) -> bool {
    if r.is_definition() || has_number(r) || !r.says(CHANGE) || !terms_meant(r) {
        return false;
    }
    // A question ("How will we notify you of changes?") and a purpose in a list of what data
    // is used for ("To notify you of important changes to our Services ...") promise nothing.
    let purpose_item = r.words.first().is_some_and(|w| w == "to") && r.modality == Modality::States;
    if r.is_question() || purpose_item {
        return false;
    }
    match v {
        "reasonable" => {
            // "When we make material changes, we'll provide you with prominent notice": a
            // notice the vendor promises, with no number of days.
            // The promise may be the second half of the sentence ("We may change this policy,
            // and we will let you know of material changes by email").
            // It may also follow a condition set apart ("We can modify these Terms, and if we
            // make material changes, we will provide notice ...").
            let will = matches!(r.modality, Modality::Will | Modality::Must)
                || r.main_says(&[
                    "and we will",
                    "and we shall",
                    "but we will",
                    "and will",
                    ", we will",
                    ", we shall",
                ]);
            let promised = r.vendor_acts()
                && will
                && (r.does(Action::Notify)
                    || r.says(&["notice", "notif*"])
                    || r.says(TELLS)
                    // "we will make the revision public a reasonable period before the
                    // effective date"
                    || r.says(&["a reasonable period before", "a reasonable time before"]));
            // A notice promised before the change takes effect stands beside a posting or a new
            // date ("We will update the revised version here along with the last updated date,
            // and notify you ... before the change becomes effective").
            let notice_ahead = promised
                && r.says(&[
                    "before the change* becomes effective",
                    "before the change* become effective",
                    "before the change* takes effect",
                    "before the change* take effect",
                    "before the effective date",
                ]);
            terms_change(r)
                && !r.negated
                && (notice_ahead || !dated_only(r) && !notified_by_posting(r))
                && !r.says(&["not always", "may not"])
                // Changes that do not name the terms need the vendor's promise of a notice;
                // a notice merely mentioned counts only beside the terms' name.
                && (promised
                    || r.says(TERMS)
                        && r.says(&[
                        "reasonable notice",
                        "reasonable advance notice",
                        "advance notice",
                        "notify you",
                        "notify customer",
                        "provide you notice",
                        "provide you with notice",
                        "give you a heads up",
                        "provide customer with",
                        "notice before",
                        "prior notice",
                        "a reasonable period before",
                        // the change is made by a notice ("We may modify these Terms by
                        // notifying you", "reserves the right to modify ... by providing notice")
                        "by notifying you",
                        "by notifying customer",
                        "by providing notice",
                        "by providing you notice",
                        "by providing you with notice",
                        "by giving you notice",
                        "by giving notice",
                        "upon notice to you",
                        "on notice to you",
                    ]))
                && !r.says(&["with or without"])
                && !notice_where_law_requires(r)
        }
        "mutual_only" => {
            r.says(&[
                "signed by both parties",
                "signed by both",
                "mutual written agreement",
                "mutually agreed",
                "agreed in writing by both",
                "signed by customer and",
                "signed by authorized representatives of both",
                "signed by authorised representatives of both",
                "signed by duly authorized representatives of both",
                "signed by duly authorised representatives of both",
                "executed by both",
                // "Except as otherwise provided in these Terms, no amendment is effective unless
                // signed by both parties": other changes are provided for elsewhere.
            ]) && !r.says(&[
                "no other",
                "other than",
                "except as otherwise",
                "except as provided",
                "except as set forth",
                "except as described",
                "except as expressly",
                "unless otherwise provided",
                "unless otherwise stated",
            ])
        }
        _ => false,
    }
}

/// A notice given only where the law requires one ("Where required by law, we will provide
/// additional notice"): the vendor promises none of its own. A change named in the condition
/// ("If we materially change these terms or if we are legally required to") keeps the promise.
fn notice_where_law_requires(r: &Reading) -> bool {
    let conditions = || {
        r.qualifiers
            .iter()
            .filter(|q| q.kind == QualifierKind::Condition)
    };
    // "and where required by law, we will notify you": a condition after "and" is not set
    // apart, but limits the notice all the same.
    let in_main = r.main_says(&[
        "where required by law",
        "if required by law",
        "when required by law",
        "where legally required",
        "if legally required",
        "where the law requires",
    ]);
    !conditions().any(|q| super::lexicon::any(&q.words(), CHANGE))
        && (in_main
            || conditions().any(|q| {
                q.kind == QualifierKind::Condition
                    && super::lexicon::any(
                        &q.words(),
                        &[
                            "required by law",
                            "required by applicable law",
                            "law requires",
                            "legally required",
                            "required under applicable law",
                        ],
                    )
            }))
}

fn breach_notice(r: &Reading) -> bool {
    r.says(BREACH)
        && r.says(&["notif*", "inform*", "notice"])
        && r.vendor_acts()
        && !r.customer_duty()
        && !r.is_definition()
        && !r.says(&["material breach", "breach of this", "breach of these"])
        // "Please notify us immediately of any breach of security": the user tells the vendor
        && !r.says(&["notify us", "inform us", "tell us", "let us know"])
}

// ---- DPA, BAA, zero retention, subprocessors ----

fn dpa(r: &Reading) -> Option<&'static str> {
    if !r.says(DPA_TOPIC) {
        return None;
    }
    if r.negated && r.main_says(DPA_TOPIC) && !r.customer_duty() {
        return Some("none");
    }
    if r.negated {
        return None;
    }
    // "The DPA's terms can be negotiated": settled per customer.
    if r.says(&["negotiat*", "negotiable"]) {
        return Some("negotiable");
    }
    if r.says(&["execut*", "countersign*", "sign the", "signed"]) {
        Some("signed")
    } else if r.says(&[
        "incorporat*",
        "available at",
        "located at",
        "forms part",
        "form part",
        "http*",
        "governed by",
        "will apply",
        "applies to",
        "comply with the",
        "in accordance with the",
    ]) {
        Some("online")
    } else {
        None
    }
}

const BAA_TOPIC: &[&str] = &[
    "business associate agreement*",
    "business associate addendum",
    "baa",
    "baas",
    "healthcare addendum",
    "hipaa addendum",
];

fn baa(r: &Reading) -> Option<&'static str> {
    if !r.says(BAA_TOPIC) || r.is_definition() {
        return None;
    }
    if r.negated && r.main_says(BAA_TOPIC) && !r.says(&["unless", "except"]) {
        return Some("unavailable");
    }
    if r.says(&[
        "upon request",
        "on request",
        "request a",
        "contact",
        "reach out",
    ]) {
        return Some("on_request");
    }
    if r.says(&[
        "offer*",
        "available",
        "sign*",
        "enter into",
        "execut*",
        "eligible",
        // "The Business Associate Addendum applies to your use of ...": one is in force.
        "applies to",
        "apply to",
    ]) {
        return Some("available");
    }
    None
}

fn zdr(r: &Reading) -> Option<&'static str> {
    let topic = r.says(&[
        "zero data retention",
        "zero retention",
        "zdr",
        "no data retention",
    ]);
    if !topic || r.is_definition() {
        return None;
    }
    if r.says(&[
        "not available",
        "does not offer",
        "do not offer",
        "unavailable",
        "not eligible",
    ]) && !r.says(&["unless", "except"])
    {
        return Some("unavailable");
    }
    if r.says(&[
        "by default",
        "all api",
        "automatically",
        "do not retain",
        "does not retain",
        "do not store",
        "does not store",
    ]) {
        return Some("default");
    }
    if r.says(&["request*", "contact", "approv*", "apply for"]) {
        return Some("on_request");
    }
    if r.says(&[
        "available",
        "offer*",
        "eligible",
        "enable*",
        "activat*",
        "option*",
        "support*",
    ]) {
        return Some("available");
    }
    None
}

fn subprocessors(r: &Reading) -> Option<&'static str> {
    // "Our (service) providers are listed on our website": a list of them, by another name.
    let providers_listed = r.says(&["providers", "vendors"])
        && r.says(&["listed on", "listed at", "listed in", "list of"]);
    if !r.says(&["subprocessor*", "sub processor*"]) && !providers_listed {
        return None;
    }
    // "We do not publish a list of our subprocessors": no list.
    if r.negated {
        let no_list = r.vendor_acts()
            && r.says(&["list", "lists"])
            && r.exceptions().next().is_none()
            && !r.customer_duty();
        return no_list.then_some("none");
    }
    // "a list of categories of service providers" names no provider.
    if r.says(&["categories of", "types of", "kinds of"]) {
        return None;
    }
    let list = r.says(&["list", "listed"]);
    if r.is_definition() && !list {
        return None;
    }
    if list && r.says(&["upon request", "on request", "request a copy"]) {
        return Some("on_request");
    }
    if list
        && r.says(&[
            "available",
            "http*",
            "listed on",
            "listed at",
            "website",
            "here",
            "maintain",
            "publish*",
            "listed in",
            "set out in",
        ])
        || r.says(&["http*"]) && r.find(&["subprocessors", "subprocessor"]).len() > 1
    {
        return Some("published");
    }
    None
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
            "controller to processor clauses",
            "processor to processor clauses",
            "module two",
            "module three",
            "uk addendum",
            "international data transfer addendum",
            "data transfer addendum",
        ],
    ),
    ("adequacy", &["adequacy", "adequate level"]),
    ("dpf", &["data privacy framework*", "dpf", "privacy shield"]),
    ("bcr", &["binding corporate rules", "bcr", "bcrs"]),
];

/// Words that say a transfer rests on a mechanism.
const RELIES: &[&str] = &[
    "attach*",
    "rely",
    "relies",
    "relying",
    "reliance",
    "based on",
    "basis of",
    "pursuant to",
    "incorporat*",
    "apply",
    "applies",
    "will apply",
    "compl*",
    "certif*",
    "participa*",
    "adhere*",
    "conclude*",
    "mechanism*",
    "in accordance with",
    "deemed",
    "transfer*",
    "use",
    "uses",
    "safeguard*",
    "ensure*",
    "enter into",
    "entered into",
    "put in place",
    "implement*",
    "by means of",
    "through",
];

fn mechanism_patterns(m: &str) -> Option<&'static [&'static str]> {
    MECHANISMS.iter().find(|(k, _)| *k == m).map(|(_, ps)| *ps)
}

/// The mechanism is named and the clause relies on it: not a definition, not a right reserved
/// for later, not named under a negation ("without an adequacy decision").
fn states_transfer(m: &str, r: &Reading) -> bool {
    // "We do not transfer personal data outside the EEA": no transfer, so no mechanism.
    if m == "none" {
        return r.negated
            && r.vendor_acts()
            && r.does(Action::Transfer)
            && r.exceptions().next().is_none()
            && !r.is_definition();
    }
    let Some(ps) = mechanism_patterns(m) else {
        return false;
    };
    let at = r.find(ps);
    if at.is_empty() || r.is_definition() || r.says(&["reserves the right", "reserve the right"]) {
        return false;
    }
    if mechanism_denied(m, r) {
        return false;
    }
    // "an adequate level of protection" is a standard the vendor aims at; an adequacy
    // decision is a mechanism.
    if m == "adequacy"
        && !r.says(&["adequacy"])
        && !r.says(&["decision*", "commission", "deemed", "recogni*", "found to"])
    {
        return false;
    }
    // Every mention under a local negation ("countries without an adequacy decision").
    let negated_here = |i: usize| {
        let from = i.saturating_sub(6);
        r.words[from..i].iter().any(|w| {
            matches!(
                w.as_str(),
                "without" | "not" | "no" | "lack" | "absence" | "neither" | "nor"
            )
        })
    };
    if at.iter().all(|&i| negated_here(i)) {
        return false;
    }
    r.says(RELIES) && !r.says(&["approved contractual clauses", "has approved"])
}

/// A mechanism named under the main clause's negation ("SCCs are not required").
fn mechanism_denied(m: &str, r: &Reading) -> bool {
    let Some(ps) = mechanism_patterns(m) else {
        return false;
    };
    r.main_says(ps)
        && r.negated
        && r.main_says(&[
            "required",
            "necessary",
            "needed",
            "rely",
            "relies",
            "use",
            "used",
            "apply",
            "applies",
        ])
}

fn states_item(fact: &str, item: &str, r: &Reading) -> bool {
    match fact {
        "transfer_mechanism" => states_transfer(item, r),
        "prohibited_data" => prohibits(r).is_some_and(|kinds| kinds.contains(&item)),
        _ => false,
    }
}

// ---- consumer terms, accounts, use ----

/// Business use named as such: "business use", "for commercial purposes", "business users".
const BUSINESS_USE: &[&str] = &[
    "business use",
    "commercial use",
    "business purpose*",
    "commercial purpose*",
    "business user*",
];

fn consumer_terms(r: &Reading) -> Option<&'static str> {
    // Credentials, and "individual" describing a thing ("individual login credentials",
    // "Individual Conditions of Use", "individual claims"), say nothing of who the terms are
    // for.
    if r.is_definition()
        || r.says(&["credentials", "password*", "username*"])
        || r.says(&[
            "individual conditions",
            "individual login",
            "individual claim*",
            "individual basis",
            "individual arbitration",
            "individual action*",
            "individual dispute*",
            "individual capacity",
        ])
    {
        return None;
    }
    if r.says(BUSINESS_ONLY)
        || r.says(&[
            "not for consumer*",
            "not intended for consumer*",
            "not available to consumer*",
            "not for use by consumer*",
            "not for personal",
            "not for individual*",
            "not a consumer",
            "not as a consumer",
            "not acting as a consumer",
            "not acting as consumer*",
            "trade or business",
            "trade , business",
        ])
    {
        return Some("no");
    }
    // "does not apply to services used by consumers", consumer offerings governed by the
    // consumer terms "instead", a consumer sent to other terms.
    // ("applicable trade laws" applies nothing: the verb, not the adjective.)
    let applies = r.says(&[
        "apply",
        "applies",
        "govern*",
        "intended for",
        "designed for",
        "for use by",
        "available to",
        "offered to",
    ]);
    // What does not apply must be the terms or the service, not a provision of them ("If you
    // are a consumer in the EEA, Section 11 does not apply to you").
    let provision = r.main_says(&[
        "section*",
        "above",
        "provision*",
        "exclusion*",
        "limitation*",
        "paragraph*",
        "clause*",
        "arbitration",
        "warrant*",
    ]);
    if r.says(CONSUMER)
        && (r.negated && applies && !provision
            || r.says(&["instead"])
            || r.says(&["if you are an individual consumer", "if you are a consumer"])
                && r.says(&["please refer*", "please reference", "please see", "see the"]))
    {
        return Some("no");
    }
    if r.says(CONSUMER)
        && !r.negated
        && r.says(&["incorporat*", "in addition to", "also apply", "supplement*"])
    {
        return Some("yes");
    }
    // Business offerings sent to other terms ("these Terms do not apply to our business
    // offerings, which are governed by ...").
    let business = r.says(&[
        "business*",
        "enterprise",
        "commercial",
        "organization*",
        "organisation*",
        "api",
    ]);
    if business
        && r.negated
        && r.says(&["apply", "applies", "govern*"])
        && r.says(&["these terms", "this agreement", "the terms"])
    {
        return Some("no");
    }
    // The terms' "you" includes the organisation the user acts for ("If you open an account
    // for a company, \"you\" includes you and that entity", "you, together with any other
    // person or entity that you work for", "for accounts created on behalf of ... a company,
    // the person who has the legal authority"): the organisation is bound by these terms.
    let entity = r.says(&[
        "entity",
        "company",
        "organisation",
        "organization",
        "business",
        "employer",
    ]);
    // (Terms written for commercial users bind the entity by design: that is no consumer
    // terms.)
    let business_terms = r.says(&[
        "for commercial users",
        "for business users",
        "commercial terms",
        "business terms",
        "enterprise terms",
    ]);
    if entity
        && !r.negated
        && !business_terms
        && (r.says(&[
            "includes you and",
            "you and that entity",
            "entity that you work for",
            "entity you work for",
            "entity that you represent",
            "entity you represent",
        ]) || r.says(&["on behalf of"]) && r.says(&["create an account", "accounts created"]))
    {
        return Some("yes");
    }
    // "You are not accepting the Terms on behalf of any other entity ... unless you have the
    // authority to bind that entity": with that authority, the entity accepts these terms.
    if entity
        && r.says(&["on behalf of"])
        && r.says(&["bind that entity", "bind the entity", "bind such entity"])
        && r.says(&[
            "unless you have the authority",
            "unless you are authorized",
            "unless you are authorised",
        ])
    {
        return Some("yes");
    }
    // "These terms apply if you also use our Products for any commercial or business purpose";
    // "you represent that you are authorized to ... bind the Brand to these Terms": the
    // organisation's use rests on these terms.
    if !r.negated
        && !business_terms
        && (r.says(BUSINESS_USE)
            && r.says(&[
                "these terms apply if",
                "these terms also apply if",
                "these terms apply when",
            ])
            || r.says(&["authorized to", "authorised to", "authority to"])
                && r.says(&["bind the", "bind that", "bind such", "bind your"])
                && r.says(&["to these terms", "to this agreement"]))
    {
        return Some("yes");
    }
    // An organisation accepts the same terms as individuals.
    if r.says(&["on behalf of"])
        && r.says(&[
            "entity",
            "company",
            "organisation",
            "organization",
            "business",
            "employer",
        ])
        && r.says(&[
            "these terms",
            "this agreement",
            "the terms",
            "bind*",
            "accept*",
            "agree to",
        ])
        && !r.negated
    {
        return Some("yes");
    }
    // Business use under the same terms: a condition naming business use followed by terms
    // that apply to it ("If you use our Services for business use, the following terms
    // apply", a notice for business users "which supplements our Terms of Use").
    if !r.negated
        && r.qualified_by(BUSINESS_USE)
        && (r.says(&[
            "following terms apply",
            "these terms apply",
            "these terms also apply",
            "terms also apply",
        ]) || r.says(&["supplement*"])
            && r.says(&[
                "terms of use",
                "terms of service",
                "these terms",
                "our terms",
            ]))
    {
        return Some("yes");
    }
    // Business use sent to an account under terms of its own ("If you want to use the service
    // for commercial purposes, you must create a business account and agree to our Business
    // Terms").
    if r.qualified_by(BUSINESS_USE)
        && r.says(&["business account"])
        && r.says(&["agree to"])
        && !r.says(&["these terms", "this agreement"])
    {
        return Some("no");
    }
    // Business offerings sent to terms of their own ("Our Business Terms govern use of our
    // enterprise services"): not these terms.
    if !r.negated
        && !r.says(CONSUMER)
        && !r.says(&["these", "this agreement"])
        && r.says(&[
            "business terms",
            "enterprise terms",
            "commercial terms",
            "business agreement",
        ])
        && r.says(&[
            "govern*",
            "apply",
            "applies",
            "please review",
            "please see",
            "please refer*",
            "please reference",
        ])
    {
        return Some("no");
    }
    // Business use sent to an agreement of its own ("If you are using our Services on behalf
    // of an organization, your organization's agreement with us governs", "our Business Terms
    // apply instead of these Terms"): not these terms.
    let business_party = says_plainly(r, &["commercial purpose*", "commercial use"])
        || r.says(&[
            "business",
            "businesses",
            "organization*",
            "organisation*",
            "company",
            "employer",
            "enterprise",
            "entity",
        ]);
    let other_agreement = r.says(&[
        "instead of these",
        "instead of this",
        "separate agreement",
        "agreement with us",
        "agreement between us and",
        "agreement between you and us",
        "business terms",
        "commercial terms",
        "enterprise agreement",
        "enterprise terms",
        "master services agreement",
        "master agreement",
        "customer agreement",
    ]);
    if !r.negated
        && business_party
        && other_agreement
        && r.says(&[
            "govern*",
            "apply",
            "applies",
            "subject to",
            // "Business customers are covered by a separate agreement", "organizations must
            // enter into a separate agreement"
            "covered by",
            "enter into",
            "enters into",
        ])
        && !r.says(&[
            "accept these",
            "agree to these",
            "bind* that",
            "on behalf of the business",
            // "These Business Terms govern ...": the agreement named is this one
            "these business terms",
            "these commercial terms",
            "these enterprise terms",
            "this customer agreement",
            "this master",
        ])
    {
        return Some("no");
    }
    // Terms that confine the service to personal use are consumer terms (not a password kept
    // for personal use).
    if !r.negated
        && !r.says(&["password*", "credentials", "login*", "username*"])
        && r.says(&[
            "personal use",
            "personal purposes",
            "personal , non commercial",
        ])
        && r.says(&["only", "solely", "exclusively"])
        && !r.says(&["not for personal", "other than personal"])
    {
        return Some("yes");
    }
    None
}

fn org_named(r: &Reading) -> bool {
    r.says(&[
        "enterprise",
        "business account*",
        "organization*",
        "organisation*",
        "employer",
    ])
}

fn account_linked(r: &Reading) -> Option<&'static str> {
    if !r.says(&["account", "accounts"]) || r.is_definition() {
        return None;
    }
    // An account the service runs on, named by what it is (never by whose it is: a reading
    // keyed to one company's name would not be a reading of terms in general).
    let org = org_named(r) || r.says(&["personal account"]);
    // A way the customer may choose to sign in or connect ("You can sign in with your Google
    // account", "You may choose to link ...") is optional: the service does not run on it.
    let optional = r.actor == Actor::Customer && r.modality == Modality::May
        || r.says(&[
            "choose to",
            "optional*",
            "if you wish",
            "if you choose",
            "option to",
        ]);
    // Signing up through another service's account is the account the service runs on,
    // however it is put ("You can sign up ... using your <other service> account").
    if optional && !r.says(&["sign up", "signup", "create an account", "register"]) {
        return None;
    }
    // "We do not link your personal account to your organization's account."
    if r.negated && org_named(r) && r.says(&["link", "linked", "links", "merge*"]) {
        return Some("no");
    }
    // "the same account you use for the chat app": one account for both, whoever issues it.
    if !r.negated && r.says(&["same account", "same login", "same credentials"]) {
        return Some("yes");
    }
    // "sign up and log in using your <other service> account": the service runs on an account
    // of another service (not "log into your account using another app").
    let via_other_account = ["using", "with", "through", "via"].iter().any(|p| {
        r.find(&[p]).iter().any(|&i| {
            r.words.get(i + 1).is_some_and(|w| w == "your")
                && r.words[i + 2..(i + 6).min(r.words.len())]
                    .iter()
                    .any(|w| w == "account")
        })
    });
    if !r.negated && via_other_account && r.says(&["sign up", "log in", "login", "sign in"]) {
        return Some("yes");
    }
    // An account created or used through another service's login ("through your ... login
    // credentials", "sign in with your ... account").
    if !r.negated
        && r.says(&["through your", "with your", "using your", "via your"])
        && r.says(&[
            "login credentials",
            "log in credentials",
            "sign in credentials",
        ])
    {
        return Some("yes");
    }
    // A negated sentence never links accounts ("they do not have rights to your personal
    // account" denies something else; a denial of linking is read above).
    if !org || r.negated {
        return None;
    }
    if r.says(&[
        "separate account*",
        "not linked",
        "cannot be linked",
        "different account",
    ]) {
        return Some("no");
    }
    // The words that tie accounts together must be about an account ("information that can
    // be linked to such information" links no account).
    let near_account = |patterns: &[&str]| r.near(patterns, &["account", "accounts"], 6);
    if near_account(&[
        "linked",
        "link",
        "join",
        "added to",
        "need a",
        "same account",
        "access and control your",
        "sign in with",
        "signed in with",
        "log in with",
        "logged in with",
    ]) {
        return Some("yes");
    }
    None
}

/// The service runs on models or AI services another party provides.
fn relies_on_providers(r: &Reading) -> bool {
    !r.is_definition()
        && r.says(&[
            "model provider*",
            "provided by third parties",
            "third party model*",
            "third party provider*",
            "built on",
            "powered by",
            "sub processor*",
            "subprocessor*",
        ])
}

/// Whether the vendor's agreement with its providers passes the customer's terms down to them.
fn pass_down(r: &Reading) -> Option<&'static str> {
    if r.is_definition()
        || !r.says(&[
            "provider*",
            "subprocessor*",
            "sub processor*",
            "subcontractor*",
        ])
    {
        return None;
    }
    if r.says(&[
        "does not control",
        "do not control",
        "their own terms",
        "its own terms",
    ]) {
        return Some("no");
    }
    // ("no less protective" is no negation.)
    if r.says(&[
        "no less protective",
        "no less onerous",
        "as protective as",
        "same obligations",
        "substantially similar",
        "flowed down",
        "flow down",
    ]) {
        return Some("yes");
    }
    None
}

fn permitted_use(r: &Reading) -> Option<&'static str> {
    if r.is_definition() {
        return None;
    }
    if r.says(&[
        "non commercial",
        "noncommercial",
        "not for commercial",
        "no commercial",
    ]) {
        return Some("non_commercial");
    }
    if r.says(&["personal use", "personal purposes"]) && r.says(&["only", "solely", "exclusively"])
    {
        return Some("personal");
    }
    if r.says(&[
        "business use",
        "commercial use",
        "commercial purposes",
        "on behalf of",
    ]) && r.says(&[
        "business",
        "company",
        "organization",
        "organisation",
        "entity",
        "commercial",
    ]) && !r.negated
    {
        return Some("commercial");
    }
    None
}

fn org_accounts(r: &Reading) -> Option<&'static str> {
    let topic = r.says(&[
        "work account*",
        "school account*",
        "organizational account*",
        "organisational account*",
        "enterprise account*",
        "account provided by your",
        "accounts provided by",
        "account issued by",
        "organization",
        "organisation",
        "organizational",
        "organisational",
        "school",
        "employer",
    ]);
    if !topic || r.is_definition() {
        return None;
    }
    if r.negated && r.says(&["apply", "applies", "govern*"])
        || r.says(&[
            "instead",
            "other terms",
            "separate terms",
            "separate agreement",
        ])
    {
        return Some("excluded");
    }
    if r.says(&[
        "on behalf of",
        "these terms apply",
        "this agreement applies",
        "accepts this agreement",
        "bind",
    ]) {
        return Some("covered");
    }
    None
}

fn notice_scope(r: &Reading) -> Option<&'static str> {
    if !terms_change(r) || r.is_definition() {
        return None;
    }
    if r.says(&[
        "sole judgment",
        "sole judgement",
        "sole discretion",
        "determined by us",
        "we determine",
        "we consider",
        "we deem",
        "determines in its",
        "in our judgment",
        "in its judgment",
    ]) && r.says(&["material*"])
    {
        return Some("vendor_judged_material");
    }
    if r.says(&["material*"]) && r.says(&["notice", "notify", "effective"]) {
        return Some("material_only");
    }
    if (r.says(&[
        "any change*",
        "all change*",
        "any update*",
        "all update*",
        "any modification*",
    ]) && r.says(&["notice", "notify"])
        || r.says(TERMS) && has_number(r) && r.says(&["effective"]))
        && !r.negated
    {
        return Some("all");
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
            // not "medical treatments" or "medical advice"
            "medical data",
            "medical information",
            "medical record*",
            "medical history",
            "medical condition*",
            "subject to hipaa",
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

/// The verb a customer's negation denies is one of handing data over or using the service
/// ("will not submit", "may not use the Services to"), not another ("the withdrawal of your
/// consent will not affect ...").
fn denies_submitting(r: &Reading) -> bool {
    let Some(at) = r
        .main
        .iter()
        .position(|w| matches!(w.as_str(), "not" | "never" | "cannot"))
    else {
        return true;
    };
    // The first verb after the negation ("will not create, receive, ... or otherwise
    // process": "create" opens a list of such verbs).
    r.main[at + 1..]
        .iter()
        .map(String::as_str)
        .find(|w| {
            !matches!(
                *w,
                "in" | "any"
                    | "way"
                    | "be"
                    | "to"
                    | "knowingly"
                    | "directly"
                    | "ever"
                    | "either"
                    | "otherwise"
                    | "intentionally"
                    | ","
            )
        })
        .is_some_and(|w| {
            [
                "submit",
                "upload",
                "input",
                "send",
                "provide",
                "include",
                "process",
                "store",
                "transmit",
                "use",
                "share",
                "enter",
                "disclose",
                "post",
                "collect",
                "make",
                "give",
                "introduce",
                "put",
                "feed",
                "create",
                "receive",
                "maintain",
            ]
            .iter()
            .any(|v| w.starts_with(v))
        })
}

/// The special categories of personal data, each by its own name.
const SPECIAL_NAMED: &[&str] = &[
    "biometric*",
    "genetic*",
    "racial",
    "ethnic*",
    "religio*",
    "political opinion*",
    "sexual orientation",
    "sex life",
    "trade union*",
    "philosophical beliefs",
];

/// Kinds of data the clause forbids the customer to submit: a customer duty ("you must not
/// submit") or a service not designed for it ("is not designed to process"). `None` when the
/// clause forbids nothing.
fn prohibits(r: &Reading) -> Option<Vec<&'static str>> {
    let duty = r.actor == Actor::Customer
        && r.negated
        && matches!(r.modality, Modality::Must | Modality::Will | Modality::May)
        && denies_submitting(r);
    let not_designed = r.modality == Modality::Designed && r.negated && !r.says(&["not all"]);
    // An item of a list of use restrictions ("Customer will not: ... (c) include any personal
    // information of children as Customer Data"): a bare verb of submitting opens it.
    // The first word, past a list marker ("(c)").
    let first = r
        .words
        .iter()
        .find(|w| w.len() > 1 && !matches!(w.as_str(), "(" | ")"))
        .map(String::as_str)
        .unwrap_or("");
    let restriction_item = matches!(
        first,
        "include" | "submit" | "upload" | "input" | "send" | "transmit"
    ) && r.actor == Actor::Unstated;
    // "Do not upload sensitive personal data ...", "Never share health information ...": an
    // instruction to the reader is the customer's duty.
    let imperative = {
        let w: Vec<&str> = r
            .words
            .iter()
            .map(String::as_str)
            .filter(|w| !matches!(*w, "(" | ")" | "please"))
            .take(3)
            .collect();
        let verb = |v: &str| {
            matches!(
                v,
                "include" | "submit" | "upload" | "input" | "send" | "share" | "enter" | "provide"
            )
        };
        matches!(w.as_slice(), ["do", "not", v, ..] if verb(v))
            || matches!(w.as_slice(), ["never", v, ..] if verb(v))
            || matches!(w.as_slice(), ["avoid", v, ..] if verb(v.trim_end_matches("ing")) || verb(&format!("{}e", v.trim_end_matches("ing"))))
            || matches!(w.as_slice(), ["don't" | "dont", v, ..] if verb(v))
    };
    // A request put politely is still the customer's duty ("We ask that you not send us any
    // sensitive information", "You should avoid entering sensitive data").
    let asked = r.says(&[
        "ask that you not",
        "ask that you do not",
        "ask you not to",
        "request that you not",
        "request that you do not",
        "do not want you to",
        "should avoid",
        "must avoid",
        "please avoid",
        "you avoid",
        "do not want to receive",
        "recommend that you not",
        "recommend that you do not",
        "recommend you do not",
        "recommend that you don't",
        "advise you not to",
        "encourage you not to",
    ]) || (r.actor == Actor::Customer || r.actor == Actor::Unstated)
        // a prohibition put as what is not allowed, or as a duty to refrain ("You are not
        // permitted to upload ...", "It is prohibited to upload ...", "You must refrain from
        // entering ..."), addressed to no one else (not "subprocessors are prohibited from")
        && r.find(&[
            "refrain from",
            "responsible for not",
            "not permitted to",
            "not allowed to",
            "it is prohibited to",
            "is prohibited to",
            "are prohibited from",
            "is prohibited from",
            "is forbidden to",
            "are forbidden from",
        ])
        .first()
        .is_some_and(|&i| {
            !r.words[..i].iter().any(|w| {
                matches!(
                    super::read::actor_of(w),
                    Some(Actor::Vendor | Actor::ThirdParty)
                )
            })
        });
    if !(duty || not_designed || restriction_item || imperative || asked) || r.is_definition() {
        return None;
    }
    // Who may use the service (a minimum age: "You may not use the Services or provide any
    // personal information if you are under 13") is not what data may be submitted; feedback
    // is not the customer's data.
    let minimum_age = r.says(&[
        "if you are under",
        "you are under",
        "if you are younger",
        "years of age",
        "years old",
        "minimum age",
    ]) && !r.says(&["child*", "minor*"]);
    if minimum_age || r.about(Object::Feedback) && !r.about(Object::CustomerContent) {
        return None;
    }
    // Who may use the service (a minimum age) is not what data may be submitted.
    if !r.says(&[
        "submit*",
        "upload*",
        "input*",
        "send",
        "provide",
        "include",
        "process*",
        "store",
        "transmit*",
        "use the services to",
        "use the service to",
        "use with",
        "used with",
        "share",
        "sharing",
        "enter*",
        "submitting",
        "uploading",
        "providing",
        "including",
        "to receive",
    ]) {
        return None;
    }
    let mut kinds: Vec<&'static str> = DATA_KINDS
        .iter()
        .filter(|(_, ps)| r.says(ps))
        .map(|(k, _)| *k)
        .collect();
    // Children named as whom content depicts or harms ("material depicting the exploitation
    // of children", "sexual content involving minors", "activities targeting minors") forbid
    // abusive content, not the children's data.
    if kinds.contains(&"children") && children_harmed(r) {
        kinds.retain(|k| *k != "children");
    }
    // Other people's personal information shared "without their consent": a rule of conduct
    // lifted by consent, not a kind of data the service must never receive.
    if kinds.contains(&"personal_data")
        && r.says(&[
            "without their consent",
            "without consent",
            "without their permission",
        ])
        && r.says(&["others", "other people*", "other users", "third part*"])
    {
        kinds.retain(|k| *k != "personal_data");
    }
    // The special categories listed by name rather than called so ("racial or ethnic
    // origin, religious beliefs, biometric data"): two or more of them make the list.
    let listed = SPECIAL_NAMED.iter().filter(|p| r.says(&[**p])).count();
    if listed >= 2 && !kinds.contains(&"special_category") {
        kinds.push("special_category");
    }
    // "special categories of personal data", "personal information of children": personal
    // data named only to say what the narrower kind is made of is not a kind of its own.
    if kinds.len() > 1 {
        let (_, ps) = DATA_KINDS[0];
        let adjacent = r.find(ps).iter().all(|&i| {
            let len = ps
                .iter()
                .find_map(|p| super::lexicon::matches_at(&r.words, i, p))
                .unwrap_or(1);
            // "sensitive personal information" is the narrower kind itself
            i > 0 && matches!(r.words[i - 1].as_str(), "of" | "sensitive")
                || r.words.get(i + len).is_some_and(|w| {
                    matches!(
                        w.as_str(),
                        "of" | "relating" | "related" | "about" | "concerning" | "regarding"
                    )
                })
        });
        if adjacent {
            kinds.retain(|k| *k != "personal_data");
        }
    }
    // Health named among the special categories ("racial or ethnic origin, health data,
    // biometric data") is one of them; PHI is the HIPAA term, named as such.
    if kinds.contains(&"special_category")
        && kinds.contains(&"phi")
        && !r.says(&["protected health information", "phi"])
    {
        kinds.retain(|k| *k != "phi");
    }
    (!kinds.is_empty()).then_some(kinds)
}

/// Children or minors named as the subject or victim of content: a word of depicting,
/// involving or harming stands within a few words before them.
fn children_harmed(r: &Reading) -> bool {
    r.find(&["children", "child", "minors", "minor"])
        .iter()
        .all(|&i| {
            super::lexicon::any(
                &r.words[i.saturating_sub(4)..i],
                &[
                    "depict*",
                    "involv*",
                    "target*",
                    "exploit*",
                    "abus*",
                    "against",
                    "sexual*",
                    "groom*",
                    "endanger*",
                    "harm*",
                    "nudity",
                    "communicat*",
                ],
            ) || super::lexicon::any(
                &r.words[i + 1..(i + 3).min(r.words.len())],
                &["exploit*", "abus*", "sexual*", "endanger*", "pornograph*"],
            )
        })
}

// ---- review, licence, ownership, indemnity, residency, certifications ----

/// Why content is reviewed when it is for safety: abuse, fraud, the rules of the service.
const SAFETY_REASONS: &[&str] = &[
    "abuse",
    "safe",
    "misuse*",
    "safety",
    "security",
    "fraud",
    "violat*",
    "investigat*",
    "spam",
    "enforce*",
    "complian*",
    "guidelines",
    "illegal",
    "harmful",
    "prohibited",
    "suspicious",
    "unlawful",
    "child sexual",
    "exploitation",
    "csam",
    "csae",
    "terroris*",
    "break our rules",
    "break the rules",
    "flagged",
    // the service's own integrity, not data integrity or a backup's
    "integrity of our service*",
    "integrity of our platform*",
    "integrity of our product*",
    "integrity of the service*",
    "integrity of the platform*",
    "platform integrity",
    "threats",
    "reported content",
    "reported posts",
    "reported messages",
];

/// Review by people written as a kind of processing: "manual (human) review", "some manual
/// (human) processing", "human reviewing".
const MANUAL: &[&str] = &[
    "manual ( human ) review*",
    "manual ( human ) process*",
    "manual human review*",
    "human reviewing",
    "human processing",
    "manual processing",
];

/// People, as terms name the ones who read content (as opposed to machines).
const HUMANS: &[&str] = &[
    "human*",
    "manual*",
    "people",
    "person",
    "persons",
    "reviewers",
    "moderators",
    "staff",
    "employees",
    "personnel",
    "team",
    "annotators",
    "trainers",
    "contractors",
    "someone",
    "no one",
];

/// Monitoring of anything but the customer's content ("We may monitor your use of the API",
/// "monitor accounts for compliance", "abuse monitoring", "monitor API activity", "monitors the
/// news"), by machines or by people, is not people looking at that content: true when every
/// act of looking in the clause is such a monitoring. Monitoring of content ("monitoring any
/// Content submitted", "monitor your messages", "content monitoring") is still looking at it.
fn monitoring_not_of_content(r: &Reading) -> bool {
    const CONTENT: &[&str] = &[
        "content*",
        "message*",
        "conversation*",
        "chat*",
        "input*",
        "prompt*",
        "output*",
        "file*",
        "post*",
        "communication*",
        "your data",
        "customer data",
        "photos",
        "videos",
        "images",
        "text",
        "uploads",
        "submissions",
        "what you share",
        "what you post",
        "reports",
        "reported",
    ];
    let monitors = r.find(&["monitor*"]);
    if monitors.is_empty() {
        return false;
    }
    // Another act of looking ("review and monitor", "reviewers ... monitor") is read as it is.
    if r.says(&[
        "review*", "moderat*", "look at", "read", "reads", "view*", "see", "sees", "seen",
        "check*", "screen*", "inspect*", "examin*",
    ]) {
        return false;
    }
    monitors.iter().all(|&i| {
        // What is monitored: the words up to the next punctuation after the verb ("monitor
        // your use of the Services"), or the noun before it ("abuse monitoring").
        let after: Vec<String> = r.words[i + 1..]
            .iter()
            .take_while(|w| !matches!(w.as_str(), "," | ";" | ":" | "(" | ")"))
            .take(10)
            .cloned()
            .collect();
        let before = &r.words[i.saturating_sub(1)..i];
        !super::lexicon::any(&after, CONTENT) && !super::lexicon::any(before, CONTENT)
    })
}

/// A sentence that sends the reader to another text ("Learn more about how we moderate
/// content", "For more information on moderation, see ...") states nothing itself.
fn pointer(r: &Reading) -> bool {
    let first: Vec<&str> = r.words.iter().take(3).map(String::as_str).collect();
    matches!(
        first.as_slice(),
        ["learn" | "see" | "visit" | "read", ..] | ["for", "more", ..] | ["to", "learn", ..]
    )
}

fn human_review(r: &Reading) -> Option<&'static str> {
    // Other ways terms write an act of looking at content: patrols of where users post,
    // browsing it, checking or confirming what users submitted, deciding whether a post
    // breaks the rules.
    let looks_otherwise = r.says(&["patrol*", "we may browse", "we browse"])
        || r.says(MANUAL)
        || r.near(&["confirm*", "check"], &["content", "contents"], 4)
        || r.says(&["determine whether"]) && r.says(&["violat*"]) && r.says(&["post", "posts"]);
    // "No one else, not even WhatsApp, can read or listen to them": the vendor denied too.
    if r.says(&["no one", "nobody"])
        && r.says(&["not even"])
        && r.says(&["read", "listen", "see"])
        && r.exceptions().next().is_none()
    {
        return Some("never");
    }
    let reviews = looks_otherwise
        || r.says(&[
            "review*",
            "monitor*",
            "moderat*",
            "look at",
            "read your",
            "reads your",
            "access your",
            "view your",
            "see your",
            "sees your",
            "human review*",
            "reviewers",
            "personnel",
            "employees",
            "staff",
        ]);
    if !reviews || r.is_definition() || r.customer_duty() || r.actor == Actor::ThirdParty {
        return None;
    }
    // People named without an act of looking at anything ("All personnel are assigned unique
    // identifiers", "personnel ... obligated to comply with the security program") review
    // nothing.
    let act = looks_otherwise
        || r.says(&[
            "review*", "monitor*", "moderat*", "look at", "read", "reads", "access*", "view*",
            "see", "sees", "seen", "check*", "screen*", "inspect*", "examin*",
        ]);
    if !act || monitoring_not_of_content(r) {
        return None;
    }
    // The customer's own review of outputs, or a review the customer requests, is not the
    // vendor reading the customer's content.
    if r.actor == Actor::Customer
        || r.says(&[
            "request a review",
            // who may open shared content, not what the vendor reads
            "control who",
            "monitor who",
            "who accesses",
            "who can access",
            "who has access",
            // a review of decisions about a person, not of content ("enforcement decisions"
            // are the vendor's own, made on content)
            "review of decisions",
            "review decisions",
            "decisions made",
            "decision made",
            "customer's responsibility",
            "responsible for",
            // Reviewing a request, a document or a policy is not reviewing content.
            "review your request",
            "review the request",
            "review requests",
            "review and respond",
            "review this",
            "review these",
            "review our",
            "review the terms",
            "review any changes",
            "periodically review",
            "regularly review",
            // Officers, directors and employees listed in a liability or indemnity clause are
            // the people protected, not people who read content.
            "be liable",
            "limitation of liability",
            "indemnif*",
            "hold harmless",
            "defend harmless",
            "liable",
            // other users who see content, and reviews that users write
            "your audience",
            "other users can",
            "other users of",
            "other users will",
            "users will not",
            "users won't",
            "who view your",
            "users who view",
            "negative reviews",
            "positive reviews",
            "write reviews",
            "post reviews",
            "posting reviews",
            // the reader asked to read a text, the vendor reviewing its own measures, staff
            // described by their access or their vetting
            "please review",
            "review and update",
            "background check*",
            "with access to",
            "third party users",
            "reviews and ratings",
            "leave reviews",
            "ratings",
            // a report about moderation reads nothing
            "transparency report*",
            "explainer",
        ])
        || pointer(r)
    {
        return None;
    }
    // "We have no obligation to monitor content": a duty denied leaves the permission open, it
    // does not deny review.
    if r.says(&[
        "no obligation to",
        "not obligated to",
        "not obliged to",
        "under no obligation",
        "not required to",
    ]) && r.negated
    {
        return None;
    }
    // Machines alone ("We may use automated means to review content") are no human review.
    if r.says(&[
        "automat*",
        "algorithm*",
        "machine learning",
        "classifier*",
        "artificial intelligence",
    ]) && !r.says(HUMANS)
    {
        return None;
    }
    let content = r.says(&[
        "content",
        "messages",
        "conversations",
        "chats",
        "inputs",
        "prompts",
        "activity",
        "customer data",
        "your data",
        "outputs",
        "files",
        "posts",
        "communications",
        "reports",
        "accounts",
    ]) || r.about(Object::Inputs)
        || r.about(Object::CustomerContent)
        // "We use human review to ...": people reading what the service receives.
        || r.says(&[
            "human review*",
            "human reviewer*",
            "manual review*",
            "manual ( human ) review*",
            "human moderat*",
        ])
        // The vendor's own moderation is people looking at what users post ("our moderation
        // team", "Our moderation is human-led"), as patrols of where users post are.
        || own_moderation(r)
        || r.says(MANUAL)
        || looks_otherwise && r.says(&["post", "posts", "posted", "contents", "message*"]);
    if !content {
        return None;
    }
    // "We do not review all content", "not ... before it is posted": a negation narrowed to
    // some content or some time says review happens otherwise, not that it never does.
    // The negation must deny the review itself: "we do not retain inputs for abuse monitoring"
    // denies keeping them, not looking at them.
    let denies_review = r.does(Action::Review) || r.actions.is_empty();
    if r.negated
        && denies_review
        && r.vendor_acts()
        && r.exceptions().next().is_none()
        && !r.negation_narrowed()
    {
        return Some("never");
    }
    // "will not be reviewed by humans unless it is flagged for abuse": reviewed for safety
    // only.
    if r.negated
        && r.vendor_acts()
        && r.exceptions().count() == 1
        && (r.qualified_by(SAFETY_REASONS) || r.qualified_by(&["flag*", "report*"]))
    {
        return Some("safety_only");
    }
    if r.negated {
        return None;
    }
    // People of the vendor who read content as a matter of course ("our trained reviewers
    // read a sample of conversations", "conversations are reviewed by human reviewers"):
    // a statement, not only a permission.
    // ("moderators" may be the community's, "human review" the customer's own.)
    // "We use manual review to ...": the vendor named as the one using it (a passive "using
    // human review" may be the customer's own).
    let people = r.actor != Actor::Customer
        && r.main_says(&[
            "reviewers",
            "personnel",
            "employees",
            "staff",
            "our team*",
            "annotators",
            // a passive review done by people ("conversations are reviewed by humans")
            "by people",
            "by humans",
            "by a human",
            "by human*",
        ])
        || r.actor == Actor::Vendor
            && r.main_says(&["manual review*", "human review*", "human moderat*"])
        // "in some instances ... manual (human) reviewing", "with some manual (human)
        // processing": people doing it, whoever the sentence names
        || r.says(MANUAL);
    // A lead-in that names the review but leaves its purposes to the list it opens ("conduct
    // manual (human) review to:") states which review only with its items.
    if r.words.last().is_some_and(|w| w == ":")
        && !r.says(SAFETY_REASONS)
        && !r.says(&["for any reason", "to provide", "to improve", "to operate"])
    {
        return None;
    }
    // "Snap reserves the right to review, moderate or remove all content": a permission.
    let may = r.modality == Modality::May || r.says(&["reserve* the right to"]);
    // "Content is reviewed by humans only if it is reported": review confined to flagged content.
    let only_flagged = r.says(&["only if", "only when", "only where"])
        && r.says(&["report*", "flag*", "complain*"]);
    // What users report is looked at to moderate it ("We may review such reports", "respond
    // to user reports"), as the vendor's own moderation is.
    let reports_reviewed = r.says(&[
        "such reports",
        "user reports",
        "these reports",
        "reports will be reviewed",
        "reports are reviewed",
        "if there is a report",
        "receive a complaint",
    ]) || own_moderation(r)
        || r.says(&["patrol*"]);
    // A review also "to operate the Services" or to improve them is more than a safety
    // review, whatever safety reasons it also names.
    let beyond_safety = r.says(&[
        "to operate the service*",
        "to operate our service*",
        "to provide the service*",
        "to provide our service*",
        "to improve the service*",
        "to improve our service*",
        "needed to operate",
        "necessary to operate",
        "to help improve",
        "to provide and develop",
        "to provide and improve",
        "for any reason",
    ]);
    // The vendor moderating what users post ("review, moderate or remove all content") is a
    // review for safety.
    let moderates = r.vendor_acts() && r.main_says(&["moderate", "moderates", "moderating"]);
    if (r.says(SAFETY_REASONS) || only_flagged || reports_reviewed || moderates) && !beyond_safety {
        Some("safety_only")
    } else if r.vendor_acts()
        && (may || people && matches!(r.modality, Modality::States | Modality::Will))
    {
        Some("may_review")
    } else {
        None
    }
}

/// The vendor's own moderation, done or led by people: "our moderation team", "our
/// moderators", "Our moderation is human-led". ("Moderators" alone may be the community's.)
fn own_moderation(r: &Reading) -> bool {
    r.says(&[
        "our moderation team*",
        "our moderators",
        "our content moderators",
        "our human moderators",
        "our trust and safety team*",
    ]) || r.says(&["our moderation"]) && r.says(&["human*", "people", "person*"])
}

/// Who grants the licence the clause speaks of: the customer (to the vendor), or the vendor
/// (to the customer, its software).
fn licence_to_vendor(r: &Reading) -> bool {
    // Any grant whose grantor is the customer ("In order to provide our Services, you grant
    // us ..."): an earlier "provide" in a purpose clause names no grantor.
    let grants = r.find(&["grant", "grants", "give", "gives", "provide", "provides"]);
    // "you shall license us the right to use ...": licensing as the verb, the customer its
    // subject.
    let licenses = r.find(&["license", "licence"]);
    let grantor = |i: usize| {
        r.words[..i]
            .iter()
            .rev()
            .find(|w| {
                !matches!(
                    w.as_str(),
                    "also" | "hereby" | "will" | "shall" | "to" | "agree" | "expressly"
                )
            })
            .map(String::as_str)
            .unwrap_or("")
    };
    if grants.iter().chain(&licenses).any(|&i| {
        matches!(
            grantor(i),
            "you" | "customer" | "licensee" | "user" | "users"
        )
    }) {
        return true;
    }
    if !grants.is_empty()
        && r.says(&[
            "grant you",
            "grants you",
            "to you",
            "grant customer",
            "grants to customer",
        ])
    {
        return false;
    }
    // "This license includes the right for us to ...": the customer's licence, restated; a
    // list item "A worldwide ... right to use ... your content" under its lead-in: a licence
    // over the customer's content, granted by no one else.
    // "we do need a limited license from you", "This license is only for the purpose of
    // making our Products available to you": the customer's licence, restated.
    r.says(&[
        "licen* from you",
        "licen* from the user",
        "licen* from customer",
        "permission* from you",
        "authori* us to use",
        "permit us to use",
    ]) || r.says(&["this license", "this licence"])
        && r.says(&[
            "only for the purpose*",
            "solely for the purpose*",
            "for the limited purpose*",
        ])
        || r.says(&["this license", "this licence", "the license", "the licence"])
            && r.says(&["us", "for us"])
        // "this license includes the right for Acme to make Your Content available to ...":
        // the customer's licence, widened.
        || r.says(&["this license", "this licence"])
            && r.says(&["includes the right", "include the right", "includes a right"])
        // "The right for Acme to copy ... any question you post ... is perpetual": a right
        // over what the customer posts.
        || r.says(&["the right for"])
            && r.says(&["you post", "you submit", "you upload", "your content"])
        || grants.is_empty()
            && r.says(&[
                "your content",
                "customer content",
                "your user content",
                "user content",
            ])
            && r.says(&["right to", "rights to", "license to", "licence to"])
}

fn licence(r: &Reading) -> Option<&'static str> {
    // "We don't own Your Content, but we may use it to ...": a disclaimer of ownership does not
    // negate the use that follows.
    if r.is_definition() || r.negated && !r.says(&["other than as necessary", "own", "ownership"]) {
        return None;
    }
    if r.says(&["feedback", "suggestions"]) && !r.says(&["customer data", "your content", "output"])
    {
        return None;
    }
    // A licence granted to other users ("to any community member", "you grant those Users an
    // irrevocable license") is not the vendor's.
    if r.says(&[
        "community member*",
        "grant those users",
        "grant other users",
        "grant each user",
        "grant each other user",
        "licen* to other users",
        "licen* to each user",
        "licen* to any user",
    ]) && !r.says(&["grant us", "grants us", "grant to us"])
    {
        return None;
    }
    let granted = (r.does(Action::License)
        || r.says(&["grant*"]) && r.says(&["right*"])
        || r.says(&[
            "authori* us to use",
            "permit us to use",
            "permission* from you",
        ]))
        && licence_to_vendor(r);
    // "OpenAI will only use Customer Content as necessary to provide ...": a limit on the
    // vendor's own use.
    // What the use is limited to must be running the service or the customer's instructions
    // ("only to provide the Services", "only on Customer's documented instructions"), not the
    // law, consent or a legal basis ("We will only use your data in accordance with applicable
    // laws", "only with your consent", "Create only one account").
    // What the use is limited to is the first purpose named after the limit, and it must be
    // running the service itself: "only as reasonably necessary to provide the Services" is,
    // "only to improve and provide", "only to provide you with marketing" and "only as
    // necessary to provide services to us" (a provider's service to the vendor) are not.
    let limited_to_service = r
        .find(&["only", "solely", "other than as necessary"])
        .iter()
        .any(|&i| limits_a_use(r, i) && serves_the_service(r, i + 1, 20));
    let limited_use = r.vendor_acts()
        && r.actor != Actor::Customer
        && limited_to_service
        && r.says(&["use", "process*"])
        && (r.about(Object::CustomerContent) || r.about(Object::PersonalData));
    // "We may use Your Content to operate and improve the service": the vendor's permitted uses
    // of the customer's content, read like a licence.
    let permitted_use = (r.says(&[
        "we may use",
        "we can use",
        "may use your",
        "may use customer",
    ]) || r.actor == Actor::Vendor
        && r.modality == Modality::May
        && !r.negated
        && r.does(Action::Use))
        && r.about(Object::CustomerContent);
    // The vendor's licence to the customer ("we grant you a limited licence to use the
    // Services", "you are granted a licence") is the other party's grant.
    let to_customer = r.says(&[
        "grant you",
        "grants you",
        "granted to you",
        "you are granted",
        "grant to you",
        "grants to you",
        "grant customer",
        "grants customer",
        "grant to customer",
        "grants to customer",
        "grants to licensee",
    ]);
    if !(granted || limited_use || permitted_use) || to_customer && !granted {
        return None;
    }
    // "not only", "only if", "only applies to": no limit on what the licence is for.
    let purpose_limited = r.says(&["sole purpose"])
        || r.find(&["solely", "only"])
            .iter()
            .any(|&i| limits_a_use(r, i));
    // Training that the licence excludes ("but excludes model training") is not granted.
    // "to operate, develop and improve our services" improves the services, not models: a
    // licence trains when it names training or models.
    let trains = r.says(TRAIN_WORDS)
        && r.says(&[
            "train*",
            "fine tun*",
            "finetun*",
            "model*",
            "machine learning",
            "artificial intelligence",
            "ai",
        ])
        && !r.says(&[
            "excludes model training",
            "excluding model training",
            "excludes training",
        ]);
    if trains && purpose_limited {
        return Some("model_improvement");
    }
    // A licence bound to a purpose ("In order to operate and provide our Services, you grant
    // ... a sublicensable ... license"; "for the purpose of making the Service available") is
    // read by its purpose: the rights it lists serve that purpose.
    // "including for the purpose of promoting ...": a purpose added to the grant, not one that
    // bounds it.
    let purposes: Vec<usize> = r
        .find(&[
            "for the purpose*",
            "for purposes of",
            "for the limited purpose*",
            "in order to operate",
            "in order to provide",
            "to operate and provide",
            "to provide and operate",
            "in connection with operating",
            "in connection with providing",
            "in connection with the service*",
            "to provide the service*",
            "to provide our service*",
        ])
        .into_iter()
        .filter(|&i| i == 0 || r.words[i - 1] != "including")
        .collect();
    let purpose_bound = !purposes.is_empty();
    // Uses beyond running the service, whatever purpose is named: promoting, marketing or
    // advertising with the content, monetising it, "related business operations", or making
    // it available to other companies or third parties for their own distribution.
    let marketing = ["promot*", "market", "markets", "advertis*"]
        .iter()
        .filter(|p| says_plainly(r, &[**p]))
        .count();
    // (A licence of the customer's brand, or one that cannot be passed on, is no licence of
    // content to market.)
    let over_content = (r.about(Object::CustomerContent) || r.about(Object::Inputs))
        && !r.says(&["non sublicensable", "trademarks", "trade names", "logos"]);
    let beyond_the_service = over_content && marketing >= 2
        || says_plainly(
            r,
            &[
                "monetiz*",
                "monetis*",
                "related business operations",
                "syndicat*",
                "available to other companies",
                "available to third parties",
            ],
        );
    if beyond_the_service && !purpose_limited {
        return Some("broad");
    }
    if says_plainly(
        r,
        &[
            "any purpose",
            "any manner",
            "without restriction",
            "rest of the world",
            "syndication",
            "a broad",
            "broad",
            "any media",
            "all media",
        ],
    ) || !purpose_bound
        && says_plainly(
            r,
            &[
                "irrevocable",
                "transferable and sublicensable",
                "sublicensable",
                "sublicensing right",
                "right to sublicense",
            ],
        )
    {
        return Some("broad");
    }
    // A licence written out in its rights (worldwide, sublicensable, to reproduce, distribute
    // and make derivative works) and not confined to a purpose is broad.
    if !purpose_limited
        && !purpose_bound
        && !r.says(&["to provide"])
        && says_plainly(
            r,
            &[
                "worldwide",
                "sub licens*",
                "royalty free",
                "perpetual",
                "derivative works",
                "publicly perform",
                "publicly display",
                "reproduce",
                "distribute",
                "exploit",
            ],
        )
    {
        return Some("broad");
    }
    if trains {
        return Some("model_improvement");
    }
    if r.says(&["improv*", "develop*", "enhanc*", "optimi*"]) {
        return Some("service_improvement");
    }
    // "for the purpose of making the service available": a licence confined to running the
    // service.
    // The purpose itself must be running the service: "by providing your content, you grant
    // ... for the purpose of these Terms" names no such purpose.
    let to_run = purposes.iter().any(|&i| {
        let purpose = &r.words[i..(i + 10).min(r.words.len())];
        super::lexicon::any(
            purpose,
            &["provid*", "operat*", "available", "run the", "running the"],
        )
    });
    // The limit must be to running the service: "only to send you marketing" is a limit, but
    // not a service-only licence.
    let limited_to_running = r
        .find(&["solely", "only", "sole purpose"])
        .iter()
        .any(|&i| limits_a_use(r, i) && serves_the_service(r, i + 1, 20));
    if limited_to_running
        || to_run
        || r.says(&["limited rights"])
        || r.find(&["reasonably necessary", "as necessary to"])
            .iter()
            .any(|&i| serves_the_service(r, i + 1, 10))
    {
        return Some("service_only");
    }
    None
}

/// Whether "only" / "solely" at `i` limits what something is used for: "not only", "only if",
/// "only when", "only where" (a condition), "only applies", "only available" do not.
fn limits_a_use(r: &Reading, i: usize) -> bool {
    let before = if i > 0 { r.words[i - 1].as_str() } else { "" };
    let after = r.words.get(i + 1).map(String::as_str).unwrap_or("");
    before != "not"
        && !matches!(
            after,
            "if" | "when"
                | "where"
                | "applies"
                | "apply"
                | "available"
                | "have"
                | "has"
                | "need"
                | "needs"
                | ")"
        )
}

/// Whether the first purpose named in the `within` words from `from` is running the service
/// or following the customer's instructions: a word of providing, operating, delivering,
/// maintaining, performing or supporting (not its participle: "information provided in a
/// request" names no purpose), with no other purpose named before it ("to improve and
/// provide"), not providing marketing or ads, and not a service provided to the vendor ("to
/// provide services to us", "on our behalf").
fn serves_the_service(r: &Reading, from: usize, within: usize) -> bool {
    const SERVICE: &[&str] = &[
        "provide",
        "provides",
        "providing",
        "provision",
        "operate",
        "operating",
        "operation",
        "deliver",
        "delivering",
        "delivery",
        "maintain",
        "maintaining",
        "perform",
        "performing",
        "performance",
        "support",
        "supporting",
        "instruction*",
        "on behalf",
        "behalf of",
        "make available",
        "making available",
        "make * available",
        "making * available",
    ];
    const OTHER_PURPOSE: &[&str] = &[
        "improv*",
        "develop*",
        "enhanc*",
        "market*",
        "advertis*",
        "personali*",
        "research*",
        "train*",
        "promot*",
    ];
    let to = (from + within).min(r.words.len());
    if from >= to {
        return false;
    }
    let window = &r.words[from..to];
    let Some(j) = super::lexicon::find_all(window, SERVICE).first().copied() else {
        return false;
    };
    // "may only use the service if you are over the age at which you can provide consent": a
    // condition before the service word, not a purpose.
    if super::lexicon::any(&window[..j], OTHER_PURPOSE)
        || super::lexicon::any(&window[..j], &["if", "when", "unless"])
    {
        return false;
    }
    // What is provided, up to the next punctuation.
    let object: Vec<String> = window[j + 1..]
        .iter()
        .chain(r.words[to..].iter())
        .take_while(|w| !matches!(w.as_str(), "," | ";" | ":" | "(" | ")"))
        .take(8)
        .cloned()
        .collect();
    !super::lexicon::any(
        &object,
        &[
            "market*",
            "advertis*",
            "ads",
            "promotion*",
            "promotional",
            "to us",
            "for us",
            "on our behalf",
        ],
    ) && !super::lexicon::any(&window[..j], &["our behalf"])
}

/// Whether the clause uses one of these words other than in its negative form
/// ("non-sublicensable", "non-transferable", "not irrevocable").
fn says_plainly(r: &Reading, patterns: &[&str]) -> bool {
    r.find(patterns)
        .iter()
        .any(|&i| i == 0 || !matches!(r.words[i - 1].as_str(), "non" | "not"))
}

fn ownership(r: &Reading) -> Option<&'static str> {
    if !r.does(Action::Own) || !r.about(Object::Outputs) || r.is_definition() {
        return None;
    }
    if r.says(&["jointly"]) {
        return Some("shared");
    }
    // Content users post ("user generated content") is not the service's output.
    if r.says(&["user generated", "users generate", "you generate or post"])
        && !r.says(&["output*", "completion*", "response*"])
    {
        return None;
    }
    // "owns all outputs" names the customer only when the customer is the subject: "We own all
    // outputs" is the vendor's claim.
    let owner_is_customer = r.actor != Actor::Vendor
        && r.says(&[
            "owns all output*",
            "owns its output*",
            "owns the output*",
            "own all output*",
            // "you (a) retain your rights in Input and (b) own the Output"
            "own the output*",
            "own any output*",
            "own your output*",
        ]);
    // "Outputs are owned by you" (not "is not owned by you or us").
    let owned_by_customer =
        !r.negated && r.says(&["owned by you", "owned by customer", "owned by the customer"]);
    // A grant or a statement of the customer's ownership counts only when not denied ("Any
    // rights in Output assigned to you do not include voice output" carves something out).
    let granted = !r.negated
        && r.says(&[
            "customer owns",
            "customer own",
            "you own",
            "you retain ownership",
            "you retain all",
            "remain yours",
            "remains yours",
            "belongs to you",
            "belong to you",
            "assign* to customer",
            "assign* to you",
        ]);
    if owner_is_customer
        || owned_by_customer
        || granted
        || r.says(&[
            // a disclaimer of ownership, not of warranties or accuracy
            "disclaim* ownership",
            "disclaim* any ownership",
            "disclaim* all ownership",
            "disclaim* any right*",
            "disclaim* all right*",
            "not claim ownership",
            "not claim any ownership",
            "not claim any right*",
            "no claim of ownership",
            "no claim to",
            "no ownership",
        ])
    {
        return Some("customer");
    }
    if !r.negated && r.says(&["we own", "we retain"]) {
        return Some("vendor");
    }
    None
}

fn indemnity(r: &Reading) -> Option<&'static str> {
    if !r.says(&["indemnif*", "defend", "defends"]) || r.is_definition() {
        return None;
    }
    if r.actor == Actor::Customer || r.customer_duty() {
        return None;
    }
    // "will not apply to the extent the claim arises from ...": the exclusions of an
    // indemnity, not its absence.
    if r.negated {
        let carve_out =
            !r.qualifiers.is_empty() || r.says(&["arises from", "arising from", "to the extent"]);
        return (!carve_out && r.vendor_acts()).then_some("no");
    }
    let to_customer = r
        .find(&["indemnif*", "defend", "defends"])
        .iter()
        .any(|&i| {
            r.words[i..(i + 6).min(r.words.len())]
                .iter()
                .any(|w| matches!(w.as_str(), "customer" | "you"))
        });
    (to_customer && r.vendor_acts()).then_some("yes")
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
    ("ch", &["switzerland"]),
    ("ca", &["canada"]),
    ("cn", &["china", "people's republic of china", "prc"]),
    ("sg", &["singapore"]),
    ("my", &["malaysia"]),
    ("hk", &["hong kong"]),
    ("kr", &["south korea", "republic of korea", "korea"]),
    ("br", &["brazil"]),
    ("tw", &["taiwan"]),
    ("jp", &["japan"]),
    ("in", &["india"]),
    ("au", &["australia"]),
    ("fr", &["france"]),
    ("de", &["germany"]),
    ("ie", &["ireland"]),
    ("nl", &["netherlands"]),
];

/// Whether the clause says data is stored or processed in `region`: storage words, and the
/// region after "in" / "to" / "including" (not a company's seat, a governing law, a
/// subprocessor that "might be based" there).
fn stored_in(region: &str, r: &Reading) -> bool {
    let patterns: Vec<&str> = match REGIONS.iter().find(|(k, _)| *k == region) {
        Some((_, ps)) => ps.to_vec(),
        None => vec![region],
    };
    let storage = r.says(&[
        "stor*",
        "server*",
        "data cent*",
        "datacent*",
        "hosted",
        "host",
        "processed in",
        "process and store",
    ]);
    if !storage
        || r.negated
        || r.is_definition()
        || r.says(&[
            "governing law",
            "governed by",
            "registered office*",
            "incorporated in",
            "might be based",
            "may be based",
        ])
    {
        return false;
    }
    let words = &r.words;
    // Every place the clause names, as (start, end) word spans.
    let mut places: Vec<(usize, usize)> = Vec::new();
    for (_, ps) in REGIONS {
        for p in ps.iter() {
            for i in 0..words.len() {
                // "us" the pronoun is not the country.
                let pronoun = words[i] == "us" && !r.caps.get(i).copied().unwrap_or(false);
                if let Some(len) = super::lexicon::matches_at(words, i, p)
                    && !pronoun
                {
                    places.push((i, i + len));
                }
            }
        }
    }
    // A place is where data is stored when "in", "to", ... stands before it, or when it follows
    // another such place in a list ("in the United States, Canada or Ireland").
    let located = |i: usize| -> bool {
        let mut i = i;
        for _ in 0..8 {
            let mut j = i;
            // "stored and processed in, the United States": a comma may stand between.
            while j > 0 && matches!(words[j - 1].as_str(), "the" | "of" | ",") {
                j -= 1;
            }
            if j == 0 {
                return false;
            }
            if matches!(
                words[j - 1].as_str(),
                "in" | "to" | "including" | "within" | "at"
            ) {
                // Where people live or a company sits is not where data is kept: "if you live
                // in the EEA", "if you are located in Canada", "headquartered in the
                // Netherlands" (but "servers located in Ireland").
                let at = |k: usize| j.checked_sub(k).map_or("", |x| words[x].as_str());
                let who = matches!(
                    at(2),
                    "live" | "lives" | "reside" | "resides" | "headquartered" | "based"
                ) || at(2) == "located" && {
                    let person = |w: &str| {
                        matches!(
                            w,
                            "you" | "users" | "customers" | "user" | "customer" | "who"
                        )
                    };
                    person(at(3)) || matches!(at(3), "are" | "is") && person(at(4))
                };
                return !who;
            }
            // Coordination: the place before, across "and" / "or" / a comma.
            let mut k = i;
            while k > 0 && matches!(words[k - 1].as_str(), "the" | "," | "and" | "or") {
                k -= 1;
            }
            match places.iter().find(|(_, end)| *end == k && k < i) {
                Some((start, _)) => i = *start,
                None => return false,
            }
        }
        false
    };
    r.find(&patterns).iter().any(|&i| {
        // "us" the pronoun is not the country.
        if words[i] == "us" && !r.caps.get(i).copied().unwrap_or(false) {
            return false;
        }
        located(i)
    })
}

/// The certifications a clause says the vendor holds ("we are certified to ISO/IEC 27001",
/// "completed a SOC 2 Type II audit", "audited against SOC 2"), named as the clause writes
/// them. None when the clause denies it, hedges it (a report "to the extent available", one
/// it "may provide", an audit that "refers to" a standard "or another"), or gives it as an
/// example: a reviewer quotes a statement that the certificate is held.
fn certifications_held(r: &Reading) -> Vec<String> {
    if r.is_definition()
        || r.negated
        || r.customer_duty()
        || matches!(r.actor, Actor::Customer | Actor::ThirdParty)
    {
        return Vec::new();
    }
    let held = r.says(&[
        "certified",
        "certification",
        "certifications",
        "certificate",
        "attest*",
        "audited",
        "completed",
        "achieved",
        "obtained",
        "holds",
        "maintain*",
        "accredited",
    ]);
    let hedged = r.says(&[
        "to the extent available",
        "upon request",
        "on request",
        "may provide",
        "will provide",
        "refers to",
        "such as",
        "e g",
        "for example",
        "or another",
        "or other",
        "equivalent",
        "appropriate",
        "intend*",
        "plan*",
        "working towards",
        "in the process",
    ]);
    if !held || hedged {
        return Vec::new();
    }
    let w = &r.words;
    let at = |k: usize| w.get(k).map_or("", String::as_str);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let (name, next) = match at(i) {
            "soc" | "soc1" | "soc2" | "soc3" => {
                let (level, mut j) = match at(i) {
                    "soc" => (at(i + 1), i + 2),
                    joined => (&joined[3..], i + 1),
                };
                if matches!(level, "1" | "2" | "3") {
                    let mut name = format!("SOC {level}");
                    if at(j) == "type" && matches!(at(j + 1), "1" | "2" | "i" | "ii") {
                        name.push_str(&format!(" Type {}", at(j + 1).to_uppercase()));
                        j += 2;
                    }
                    (Some(name), j)
                } else {
                    (None, i + 1)
                }
            }
            "iso" => {
                let iec = at(i + 1) == "iec";
                let k = if iec { i + 2 } else { i + 1 };
                let number = at(k);
                if number.len() == 5 && number.chars().all(|c| c.is_ascii_digit()) {
                    let body = if iec { "ISO/IEC" } else { "ISO" };
                    (Some(format!("{body} {number}")), k + 1)
                } else {
                    (None, i + 1)
                }
            }
            _ => (None, i + 1),
        };
        if let Some(n) = name.filter(|n| !out.contains(n)) {
            out.push(n);
        }
        i = next;
    }
    out
}

/// A certification (`{name: ...}` or a plain name) whose words all occur in the clause.
fn certified(c: &Value, r: &Reading) -> bool {
    let name = match c {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("name").and_then(Value::as_str).unwrap_or(""),
        _ => "",
    };
    let words: Vec<String> = name
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    // A law is obeyed, not certified ("operates in accordance with the EU Digital Services
    // Act"); and the clause must say something is held or audited, not merely name it (a
    // link to a dispute-resolution form, "external authentication for evaluating ...").
    let a_law = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "act" | "regulation" | "directive" | "law" | "laws" | "gdpr" | "ccpa"
        )
    });
    let held = r.says(&[
        "certif*",
        "audit*",
        "attest*",
        "accredit*",
        "compliant",
        "complies",
        "comply",
        "compliance",
        "seal",
        "report*",
        "assess*",
        "conform*",
        "registered",
        "hold",
        "holds",
        "maintain*",
        "achieved",
        "obtained",
        "awarded",
    ]);
    !words.is_empty() && !r.negated && !a_law && held && words.iter().all(|w| r.words.contains(w))
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

    #[test]
    fn silence_never_supports() {
        let r = read("We may update these Terms from time to time.");
        assert!(matches!(
            judge("terms_change_notice_days", &json!(30), &r),
            Judgement::Silent(_)
        ));
    }
}

#[cfg(test)]
mod general_grammar {
    //! Readings that follow how terms are written in general, each with general sentences.
    use super::*;
    use crate::reading::read;
    use serde_json::json;

    #[test]
    fn a_use_limited_by_only_is_service_only_when_its_purpose_is_running_the_service() {
        for text in [
            "We will only use your content as reasonably necessary to provide the Services.",
            "The Provider will only process Customer Data to provide and maintain the Services.",
            "We process personal data solely on behalf of the Customer and on its documented instructions.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("licence_scope", &r),
                Some(json!("service_only")),
                "{text}: {r}"
            );
        }
        for text in [
            // another purpose named first, or with the service
            "We will only use your personal data to improve and provide the Services.",
            "We only use your content for research and to provide the Services.",
            // providing something other than the service
            "We will only use your personal data to provide you with marketing about our products.",
            "We may use your content only to provide you with marketing.",
            "You grant us a licence to use your content only to send you marketing.",
            "We only process your information to provide you with personalised ads.",
            // a provider's service to the vendor, not the vendor's own use
            "These companies are authorized to use your personal data only as necessary to provide these services to us.",
            // a participle, a condition, a scope
            "We will only use personal information provided in an opt-out request to review and comply with the request.",
            "Other characteristics are collected only if provided voluntarily in user content.",
            "This right only applies to information you provided to us to perform a contract.",
            "You may only use the app if you are old enough to provide consent to data processing.",
            "Because you own your content and we only have non-exclusive rights to it, you may share it with others.",
            "We apply not only automated processing but also manual review to maintain your account.",
        ] {
            let r = read(text);
            assert_ne!(
                stated("licence_scope", &r),
                Some(json!("service_only")),
                "{text}: {r}"
            );
        }
    }

    #[test]
    fn a_table_row_with_no_verb_is_read_with_its_column_header() {
        // A general table ("Data | Retention period") and the form of a privacy policy's
        // table in neither part ("Information | Purpose of Processing | Retention Period", its
        // cells without a verb).
        let doc = "| Data | Retention period |\n| --- | --- |\n| Chat history | 30 days |\n| Uploaded files | 90 days |\n";
        let cells = crate::reading::structure::split(doc);
        let days: Vec<Option<serde_json::Value>> = ["30 days", "90 days"]
            .iter()
            .map(|t| {
                let c = cells.iter().find(|c| c.text == *t).expect("a cell");
                stated("retention_days", &read(&c.in_full()))
            })
            .collect();
        assert_eq!(days, vec![Some(json!(30)), Some(json!(90))]);
        let doc = "| **Information** | **Purpose of Processing** | **Retention Period** |\n| --- | --- | --- |\n| **Personal settings.** Settings you choose and annotations you add to your contacts. | To provide you services customized to your preferences. | Until you request removal of the information or your account is deleted, whichever is earlier. |\n";
        let cells = crate::reading::structure::split(doc);
        let c = cells
            .iter()
            .find(|c| c.text.starts_with("Until you request"))
            .expect("a cell");
        let r = read(&c.in_full());
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("until_deleted")),
            "{r}"
        );
        // A purpose cell states none; a duration read alone states none.
        assert_eq!(stated("retention_days", &read("30 days")), None);
        let p = cells
            .iter()
            .find(|c| c.text.starts_with("To provide you"))
            .expect("a cell");
        assert_eq!(stated("retention_days", &read(&p.in_full())), None);
    }

    #[test]
    fn monitoring_of_anything_but_content_is_not_people_reading_it() {
        for text in [
            "We may monitor your use of the API.",
            "We may monitor your use of the Services to ensure compliance with these Terms.",
            "You acknowledge that we may monitor API activity from our own systems.",
            "Our staff may monitor accounts for compliance with our policies.",
            "This may include monitoring activity to detect fraud.",
            "We keep your inputs for 30 days for abuse monitoring.",
            "We reserve the right to monitor your usage of the Services.",
            "Our safety team monitors the news, public events and new trends in online behaviour.",
            "We monitor these factors on an ongoing basis.",
        ] {
            let r = read(text);
            assert_eq!(stated("human_review", &r), None, "{text}: {r}");
        }
        // People looking at the customer's content still review it.
        let r = read("Our staff may review your conversations.");
        assert_eq!(stated("human_review", &r), Some(json!("may_review")), "{r}");
        let r = read("We may use content monitoring to detect abuse.");
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
        let r = read("We may monitor your messages to detect abuse.");
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
        let r = read(
            "We may review and monitor your use of the Services and your content to enforce our policies.",
        );
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
    }

    #[test]
    fn who_owns_the_output_is_the_subject_of_the_sentence() {
        let r = read("We own all outputs generated by the service.");
        assert_eq!(stated("output_ownership", &r), Some(json!("vendor")), "{r}");
        let r = read("The customer owns all outputs generated by the service.");
        assert_eq!(
            stated("output_ownership", &r),
            Some(json!("customer")),
            "{r}"
        );
        let r = read("We do not claim ownership of outputs.");
        assert_eq!(
            stated("output_ownership", &r),
            Some(json!("customer")),
            "{r}"
        );
    }

    #[test]
    fn a_refusal_to_keep_data_is_no_open_ended_period_and_no_refusal_to_review() {
        let r = read("Inputs are not retained for abuse monitoring.");
        assert_eq!(
            stated("abuse_monitoring_retention_days", &r),
            Some(json!(0)),
            "{r}"
        );
        assert_eq!(stated("human_review", &r), None, "{r}");
        // A refusal to look at content still reads as one.
        let r = read("We do not monitor your conversations.");
        assert_eq!(stated("human_review", &r), Some(json!("never")), "{r}");
    }

    #[test]
    fn absences_of_a_list_of_a_transfer_and_a_negotiated_agreement() {
        let r = read("We do not publish a list of our subprocessors.");
        assert_eq!(stated("subprocessors_list", &r), Some(json!("none")), "{r}");
        let r = read("We do not transfer personal data outside the European Economic Area.");
        assert_eq!(
            stated("transfer_mechanism", &r),
            Some(json!(["none"])),
            "{r}"
        );
        // A transfer the vendor makes, or one it refuses with an exception, states no absence.
        let r = read("We transfer personal data outside the European Economic Area.");
        assert_eq!(stated("transfer_mechanism", &r), None, "{r}");
        let r = read("We do not transfer personal data outside the EEA unless you instruct us to.");
        assert_eq!(stated("transfer_mechanism", &r), None, "{r}");
        let r = read("The terms of the data processing agreement are negotiable.");
        assert_eq!(stated("dpa", &r), Some(json!("negotiable")), "{r}");
    }

    #[test]
    fn a_number_belongs_to_the_verb_before_it() {
        let r = read("Uploaded files are retained for 30 days and then permanently deleted.");
        assert_eq!(stated("retention_days", &r), Some(json!(30)), "{r}");
        let r = read(
            "We keep your prompts for the time needed to answer them and then for 14 rolling days to detect abuse.",
        );
        assert_eq!(stated("retention_days", &r), Some(json!(14)), "{r}");
        assert_eq!(
            stated("abuse_monitoring_retention_days", &r),
            Some(json!(14)),
            "{r}"
        );
    }

    #[test]
    fn another_partys_content_or_training_is_not_the_vendors() {
        let r = read("We do not use third-party content shown in answers to train our models.");
        assert_eq!(stated("training_on_inputs", &r), None, "{r}");
        let r = read(
            "We may share information with our affiliates for the development of their products, including AI models.",
        );
        assert_eq!(stated("training_on_inputs", &r), None, "{r}");
        // The vendor's own training on the customer's content still reads.
        let r = read("We will not use your content to train our models.");
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("never")),
            "{r}"
        );
    }

    #[test]
    fn kept_until_the_customer_ends_it_not_until_the_vendor_can() {
        let r = read(
            "If you use the assistant, we keep your conversations until you terminate your account.",
        );
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("until_deleted")),
            "{r}"
        );
        let r = read(
            "When we no longer have a business need for your data, we delete it, or store it apart until deletion is possible.",
        );
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("indefinite")),
            "{r}"
        );
        // Nothing is kept: messages sent until the account is deleted.
        let r = read("We may send you service messages unless you delete your account.");
        assert_eq!(stated("retention_days", &r), None, "{r}");
    }

    #[test]
    fn a_list_of_places_is_read_whole() {
        let r = read("Your data is stored on servers in the United States, Canada or Ireland.");
        assert_eq!(
            stated("data_residency", &r),
            Some(json!(["us", "ca", "ie"])),
            "{r}"
        );
        // A list of places is not where data is kept when no place of storage opens it.
        let r = read("Our data is stored securely; our offices are in Paris, London and Berlin.");
        assert_eq!(stated("data_residency", &r), None, "{r}");
    }

    #[test]
    fn changes_made_known_by_posting_whatever_their_kind() {
        let r = read(
            "If we make significant changes, we will post the revised policy on this page with a new effective date.",
        );
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(0)),
            "{r}"
        );
        let r = read(
            "If we make material changes, we will notify you by email before they take effect.",
        );
        assert_ne!(
            stated("terms_change_notice_days", &r),
            Some(json!(0)),
            "{r}"
        );
    }

    #[test]
    fn accounts_lists_and_mechanisms_in_other_words() {
        let r =
            read("You create your account through your existing social network login credentials.");
        assert_eq!(
            stated("consumer_account_linked", &r),
            Some(json!("yes")),
            "{r}"
        );
        let r = read("Our service providers are listed on our trust page.");
        assert_eq!(
            stated("subprocessors_list", &r),
            Some(json!("published")),
            "{r}"
        );
        let r = read(
            "We attach the Standard Contractual Clauses to our contracts with providers outside the EU.",
        );
        assert_eq!(
            stated("transfer_mechanism", &r),
            Some(json!(["scc"])),
            "{r}"
        );
    }

    #[test]
    fn negation_forms() {
        let r = read("We will not use your content for training without your explicit consent.");
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("opt_in")),
            "{r}"
        );
        let r = read("Neither prompts nor responses are used to train our models.");
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("never")),
            "{r}"
        );
        assert_eq!(
            stated("training_on_outputs", &r),
            Some(json!("never")),
            "{r}"
        );
        let r = read("No customer content is used to train or fine-tune any models.");
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("never")),
            "{r}"
        );
        let r = read(
            "Your messages will not be reviewed by humans unless they are reported for abuse.",
        );
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
    }

    #[test]
    fn passive_clauses_name_the_data_as_subject() {
        let r = read("Customer Data shall not be used by the Provider for training purposes.");
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("never")),
            "{r}"
        );
        let r = read("Content submitted to the service may be used to improve our models.");
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("default_on")),
            "{r}"
        );
        // Data named only by a demonstrative is another sentence's: read alone, the quote
        // does not say whose data is kept, so it states no retention.
        let r = read("Such information may be retained for up to 2 years.");
        assert_eq!(stated("retention_days", &r), None, "{r}");
        let r = read("Your messages may be retained for up to 2 years.");
        assert_eq!(stated("retention_days", &r), Some(json!(730)), "{r}");
        // "trained reviewers" are people, not training.
        let r = read("Messages may be reviewed by our trained reviewers to keep the service safe.");
        assert_eq!(stated("training_on_inputs", &r), None, "{r}");
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
    }

    #[test]
    fn a_narrower_kind_of_data_is_the_one_prohibited() {
        let r = read("You may not use the service to process special categories of personal data.");
        assert_eq!(
            stated("prohibited_data", &r),
            Some(json!(["special_category"])),
            "{r}"
        );
        let r = read("The service is not intended for use with protected health information.");
        assert_eq!(stated("prohibited_data", &r), Some(json!(["phi"])), "{r}");
        // Personal data listed as a kind of its own stays.
        let r = read("You must not upload personal data, health data or payment card numbers.");
        let v = stated("prohibited_data", &r).unwrap_or_default();
        assert!(v.to_string().contains("personal_data"), "{r}: {v}");
    }

    #[test]
    fn the_end_of_the_agreement_is_the_end_of_the_contract() {
        let r = read(
            "Personal data will be deleted no later than 90 days after the end of the agreement.",
        );
        assert_eq!(
            stated("deletion_after_termination_days", &r),
            Some(json!(90)),
            "{r}"
        );
        assert_eq!(stated("retention_days", &r), None, "{r}");
    }

    #[test]
    fn when_a_process_starts_is_not_when_data_is_gone() {
        let r = read(
            "When you ask us to close your account, the deletion process will begin within 15 days of your request.",
        );
        assert_eq!(stated("deletion_after_termination_days", &r), None, "{r}");
        let r = read("It may take us up to 10 days to process your account deletion request.");
        assert_eq!(stated("deletion_after_termination_days", &r), None, "{r}");
        let r = read(
            "Once the contract comes to an end, we keep your records as long as the law requires.",
        );
        assert_eq!(
            stated("deletion_after_termination_days", &r),
            Some(json!("indefinite")),
            "{r}"
        );
    }

    #[test]
    fn licences_accounts_and_adequate_protection() {
        let r = read(
            "You grant us a worldwide, sub-licensable licence to host and display your posts for the purpose of operating the service.",
        );
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_only")),
            "{r}"
        );
        let r = read(
            "You can sign up and log in to the app using your existing video platform account.",
        );
        assert_eq!(
            stated("consumer_account_linked", &r),
            Some(json!("yes")),
            "{r}"
        );
        let r = read("You can log in to your account using a third-party app.");
        assert_eq!(stated("consumer_account_linked", &r), None, "{r}");
        let r = read(
            "We ensure that your data receives an adequate level of protection wherever we process it.",
        );
        assert_eq!(stated("transfer_mechanism", &r), None, "{r}");
        let r = read(
            "We transfer data to countries that the Commission has recognised as providing an adequate level of protection.",
        );
        assert_eq!(
            stated("transfer_mechanism", &r),
            Some(json!(["adequacy"])),
            "{r}"
        );
    }

    #[test]
    fn open_ended_periods_and_audiences_in_other_words() {
        let r = read("Your data is kept for no longer than necessary.");
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("indefinite")),
            "{r}"
        );
        let r = read("Information is deleted when it is no longer needed.");
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("indefinite")),
            "{r}"
        );
        let r = read("The Service is directed to businesses, not consumers.");
        assert_eq!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("no")),
            "{r}"
        );
    }

    #[test]
    fn a_period_for_contracts_is_not_a_deletion_deadline() {
        let r = read(
            "Contracts and billing contact details: we keep them for 5 years following the termination of the contract.",
        );
        assert_eq!(stated("deletion_after_termination_days", &r), None, "{r}");
    }

    #[test]
    fn a_certification_is_proposed_only_when_the_vendor_holds_it() {
        let r = read("We have been certified under ISO/IEC 27001.");
        assert_eq!(
            stated("certifications", &r),
            Some(json!([{ "name": "ISO/IEC 27001" }])),
            "{r}"
        );
        let r = read("Our platform is audited every year against SOC 2 Type II.");
        assert_eq!(
            stated("certifications", &r),
            Some(json!([{ "name": "SOC 2 Type II" }])),
            "{r}"
        );
        let r = read("We completed a SOC2 audit and hold ISO 27001 and ISO 27701 certificates.");
        assert_eq!(
            stated("certifications", &r),
            Some(json!([{ "name": "SOC 2" }, { "name": "ISO 27001" }, { "name": "ISO 27701" }])),
            "{r}"
        );
        // A report it may share, an example, a denial or a plan holds nothing.
        for s in [
            "We will provide audit reports such as a SOC 2 report to the extent available.",
            "The audit report refers to a SOC 2 Type II audit or another industry standard audit.",
            "We are not certified under ISO 27001.",
            "We plan to be certified under ISO 27001 next year.",
        ] {
            let r = read(s);
            assert_eq!(stated("certifications", &r), None, "{s}: {r}");
        }
    }

    #[test]
    fn a_change_made_known_by_a_new_date_alone_has_no_notice() {
        let r =
            read("We will let you know by revising the date at the top of this Privacy Policy.");
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(0)),
            "{r}"
        );
        let r = read("We will give you a heads-up before we change this policy.");
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!("reasonable")),
            "{r}"
        );
    }

    #[test]
    fn business_use_under_the_same_or_other_terms() {
        let r = read("If you use our Services for business purposes, the following terms apply.");
        assert_eq!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("yes")),
            "{r}"
        );
        let r = read("Our Business Terms govern use of our enterprise services.");
        assert_eq!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("no")),
            "{r}"
        );
        let r = read("These Business Terms govern your use of the API.");
        assert_eq!(stated("rests_on_consumer_terms", &r), None, "{r}");
    }

    #[test]
    fn a_licence_granted_to_the_customer_or_for_running_the_service() {
        let r = read(
            "Acme hereby grants to Customer a limited licence to use the Software solely on Customer systems.",
        );
        assert_eq!(stated("licence_scope", &r), None, "{r}");
        let r = read(
            "You grant us a worldwide, sub-licensable licence to host and display your content for purposes of making the Service available.",
        );
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_only")),
            "{r}"
        );
    }

    #[test]
    fn a_baa_that_applies_is_available_and_people_who_read_content_review_it() {
        let r = read("The Business Associate Addendum applies to your use of the health service.");
        assert_eq!(stated("baa", &r), Some(json!("available")), "{r}");
        let r =
            read("Our trained reviewers read a sample of conversations to improve the service.");
        assert_eq!(stated("human_review", &r), Some(json!("may_review")), "{r}");
        let r = read("Our employees are bound by confidentiality obligations.");
        assert_eq!(stated("human_review", &r), None, "{r}");
    }

    #[test]
    fn a_licence_bound_to_running_the_service_is_read_by_its_purpose() {
        let r = read(
            "In order to operate and provide our Services, you grant us a worldwide, sublicensable and transferable license to use and display the content you upload.",
        );
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_only")),
            "{r}"
        );
        let r = read(
            "You grant us an irrevocable, sublicensable license to use, reproduce and distribute your content.",
        );
        assert_eq!(stated("licence_scope", &r), Some(json!("broad")), "{r}");
    }

    #[test]
    fn kept_as_long_as_the_user_chooses_ends_when_the_user_deletes() {
        let r = read("We keep the information you can edit for as long as you choose.");
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("until_deleted")),
            "{r}"
        );
    }

    #[test]
    fn a_new_last_updated_date_is_no_notice() {
        let r = read("When we change this policy, we will update the Last Updated date above.");
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(0)),
            "{r}"
        );
    }

    #[test]
    fn a_notice_about_the_service_is_not_a_notice_of_changed_terms() {
        let r = read("We will give you 30 days notice of material changes to the Services.");
        assert_eq!(stated("terms_change_notice_days", &r), None, "{r}");
        let r = read("We will give you 30 days notice of changes that materially affect you.");
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(30)),
            "{r}"
        );
    }

    #[test]
    fn enforcement_decisions_are_review_and_links_are_not() {
        let r = read(
            "Automated tools may flag content for review, with human moderators making the final enforcement decisions.",
        );
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
        let r = read("We do not monitor who accesses the conversations you share by link.");
        assert_eq!(stated("human_review", &r), None, "{r}");
    }

    #[test]
    fn business_users_sent_to_other_terms_and_other_partys_content() {
        let r = read(
            "If you use the service for business purposes, please review our Commercial Terms of Service.",
        );
        assert_eq!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("no")),
            "{r}"
        );
        let r = read(
            "We do not use the third-party content you provide in your prompts to train our models.",
        );
        assert_eq!(stated("training_on_inputs", &r), None, "{r}");
    }

    #[test]
    fn the_customers_own_app_acts_for_the_customer() {
        let r = read("Your App will not process Protected Health Information.");
        assert_eq!(stated("prohibited_data", &r), Some(json!(["phi"])), "{r}");
        let r = read("Your data will not be used to train our models.");
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("never")),
            "{r}"
        );
    }

    #[test]
    fn more_ways_terms_write_notice_licences_review_and_prohibitions() {
        let r = read("We will notify you of any changes by posting the new Terms on this page.");
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(0)),
            "{r}"
        );
        let r = read("We may modify these Terms at any time without notice.");
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(0)),
            "{r}"
        );
        let r = read(
            "We will email you at least 15 days before material changes to these Terms take effect.",
        );
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(15)),
            "{r}"
        );
        let r = read("You grant us a license to use your content to provide the Services to you.");
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_only")),
            "{r}"
        );
        let r = read(
            "You grant us a royalty-free license to use and display your content in connection with operating and improving the Service.",
        );
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_improvement")),
            "{r}"
        );
        let r = read("Content is reviewed by humans only if it is reported.");
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
        let r = read("Do not upload personal data of children to the service.");
        assert_eq!(
            stated("prohibited_data", &r),
            Some(json!(["children"])),
            "{r}"
        );
    }

    #[test]
    fn durations_written_in_weeks_hours_and_words() {
        for (text, days) in [
            ("We retain your prompts for two weeks.", 14),
            ("Your chats are deleted within 48 hours.", 2),
            ("We keep your conversations for a year.", 365),
            ("Content you submit will be retained for 18 months.", 540),
            (
                "Files uploaded to the service are retained for 30 days.",
                30,
            ),
            ("We generally retain your chat history for 30 days.", 30),
        ] {
            let r = read(text);
            assert_eq!(
                stated("retention_days", &r),
                Some(json!(days)),
                "{text}: {r}"
            );
        }
        // Hours that make no whole day are no number of days.
        let r = read("Your chats are deleted within 36 hours.");
        assert_eq!(stated("retention_days", &r), None, "{r}");
    }

    #[test]
    fn numbers_that_measure_something_other_than_keeping() {
        for text in [
            "If you do not use your account for 2 years, we may delete it.",
            "Data may be retained in backups for up to 90 days after deletion.",
            "We will delete your personal information within 30 days of your request.",
            "Your data is deleted within 6 months of the end of your contract.",
            "If you leave deleted content in your trash, the deletion process will begin automatically in 30 days.",
        ] {
            let r = read(text);
            assert_eq!(stated("retention_days", &r), None, "{text}: {r}");
        }
        // A request the service answers is when keeping starts, not a request to delete.
        let r = read("We retain customer content for 90 days after each request.");
        assert_eq!(stated("retention_days", &r), Some(json!(90)), "{r}");
        let r = read("Your account may be deleted after three (3) years of continuous inactivity.");
        assert_eq!(stated("deletion_after_termination_days", &r), None, "{r}");
    }

    #[test]
    fn keeping_refused_listed_or_left_to_the_customer_is_no_retention() {
        for text in [
            "You may choose to delete your entire account at any time.",
            "We may deny your deletion request if retaining the information is necessary to comply with the law.",
            "Our service providers are prohibited from retaining your information except as necessary to provide services to us.",
            "We collect, store, combine and analyse information as necessary to research and innovate.",
        ] {
            let r = read(text);
            assert_eq!(stated("retention_days", &r), None, "{text}: {r}");
        }
        let r = read("We retain your content for as long as necessary to provide the services.");
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("indefinite")),
            "{r}"
        );
    }

    #[test]
    fn a_paragraph_states_what_one_of_its_sentences_states() {
        let r = read(
            "You may access your data through your account settings. We will not use your inputs to train our models.",
        );
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("never")),
            "{r}"
        );
        assert_eq!(
            judge("training_on_inputs", &json!("never"), &r),
            Judgement::Supports
        );
        // Parts of one sentence between semicolons are not read apart from its opening.
        let r = read("You must not: (a) resell the service; (b) use it to train competing models.");
        assert_eq!(stated("training_on_inputs", &r), None, "{r}");
    }

    #[test]
    fn people_named_in_a_liability_clause_do_not_read_content() {
        let r = read(
            "In no event will we or our directors, employees or agents be liable to you for any loss of data or content.",
        );
        assert_eq!(stated("human_review", &r), None, "{r}");
        let r = read(
            "You agree to indemnify and hold harmless us and our employees from any claims arising from your content.",
        );
        assert_eq!(stated("human_review", &r), None, "{r}");
        assert_eq!(stated("abuse_monitoring_retention_days", &r), None, "{r}");
        assert!(!r.does(Action::Retain), "{r}");
    }

    #[test]
    fn models_named_as_tools_or_training_excluded_are_no_training() {
        for text in [
            "Our app uses AI models to generate images from your prompts.",
            "Generative AI models may not always give accurate answers about your content.",
            "Aggregated data will be used to improve our products, provided that such use shall not include the training of our models.",
        ] {
            let r = read(text);
            assert_eq!(stated("training_on_inputs", &r), None, "{text}: {r}");
        }
        let r = read("We may use your content for machine learning.");
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("default_on")),
            "{r}"
        );
    }

    #[test]
    fn a_purpose_added_to_a_licence_does_not_bound_it() {
        let r = read(
            "By posting content, you grant us a transferable, sublicensable, worldwide licence to use, store, reproduce and distribute your content, including for the purpose of promoting the service.",
        );
        assert_eq!(stated("licence_scope", &r), Some(json!("broad")), "{r}");
        let r = read(
            "You grant us a sublicensable licence to use your content for the purpose of making the service available to you.",
        );
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_only")),
            "{r}"
        );
    }

    #[test]
    fn a_deletion_deadline_after_the_end_of_the_services_in_any_order() {
        for (text, days) in [
            (
                "Following the end of the provision of the Services, the Processor shall delete all Personal Data within 90 days.",
                90,
            ),
            (
                "We will delete Customer Data no later than 30 days after the Agreement ends.",
                30,
            ),
            (
                "Thirty days after you close your account, we delete your data.",
                30,
            ),
        ] {
            let r = read(text);
            assert_eq!(
                stated("deletion_after_termination_days", &r),
                Some(json!(days)),
                "{text}: {r}"
            );
            assert_eq!(stated("retention_days", &r), None, "{text}: {r}");
        }
        // The customer's own window stays the customer's.
        let r = read("Thirty days after termination, you may no longer export your data.");
        assert_eq!(stated("deletion_after_termination_days", &r), None, "{r}");
    }

    #[test]
    fn people_who_see_content_only_when_it_is_reported() {
        let r = read("No human will see your prompts unless you report a conversation.");
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
        let r = read("We will never see your messages.");
        assert_eq!(stated("human_review", &r), Some(json!("never")), "{r}");
    }

    #[test]
    fn a_notice_promised_in_the_second_half_or_an_amendment_both_sign() {
        let r = read(
            "We may change this policy from time to time, and we will let you know of material changes by email.",
        );
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!("reasonable")),
            "{r}"
        );
        let r = read(
            "This Agreement may only be modified by a written amendment signed by authorized representatives of both parties.",
        );
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!("mutual_only")),
            "{r}"
        );
        // A permission to change with no promise to tell is no notice.
        let r = read("We may change these terms from time to time.");
        assert_eq!(stated("terms_change_notice_days", &r), None, "{r}");
    }

    #[test]
    fn changes_that_do_not_name_the_terms() {
        // Under a heading about changes, a sentence says "changes" and nothing else changed.
        for text in [
            "If we make material changes, we will notify you before they take effect.",
            "We will provide notice before the changes take effect.",
            "If the changes are significant, we will let you know by email or through the app.",
            "We reserve the right to modify these Terms by providing notice to you.",
            "We may modify these terms by notifying you through reasonable means, including by posting them online.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("terms_change_notice_days", &r),
                Some(json!("reasonable")),
                "{text}: {r}"
            );
        }
        for text in [
            "Changes take effect when posted.",
            "When we make changes, we will post them here and update the date above.",
            "We may revise this policy from time to time, and the latest version will always be posted on this site.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("terms_change_notice_days", &r),
                Some(json!(0)),
                "{text}: {r}"
            );
        }
        // Something else changes, the customer tells, a notice only the law requires, or a
        // notice merely mentioned without the terms' name: no notice of changed terms.
        for text in [
            "We will notify you of changes to our Services.",
            "We will notify you of any changes to our subprocessors.",
            "You must notify us of any changes to your account information.",
            "We will notify you of updates that you need to install.",
            "Where required by law, we will provide additional notice of material changes.",
            "You may receive a notice of changes.",
            "We may change these Terms at any time with or without notice to you.",
        ] {
            let r = read(text);
            assert_ne!(
                stated("terms_change_notice_days", &r),
                Some(json!("reasonable")),
                "{text}: {r}"
            );
        }
        // "waive any right to receive specific notice": the new date is all there is.
        let r = read(
            "We will alert you about any changes by updating the Last Updated date of these Terms, and you waive any right to receive specific notice of each change.",
        );
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(0)),
            "{r}"
        );
    }

    #[test]
    fn keeping_by_the_customer_by_law_or_of_other_data_is_no_retention() {
        for text in [
            "After 30 days, the client must either delete or refresh the stored data.",
            "If a user asks you to delete that data, you must delete it within 7 days.",
            "It takes up to 90 days from the beginning of the deletion process to delete your information.",
            "We keep troubleshooting information for up to 90 days.",
            "Selfie photos are stored for up to 7 days.",
        ] {
            let r = read(text);
            assert_eq!(stated("retention_days", &r), None, "{text}: {r}");
        }
        // A legal hold is not how long content is kept.
        let r = read(
            "We may be required to retain your content to comply with a court order or other legal process.",
        );
        assert_eq!(stated("retention_days", &r), None, "{r}");
        // A period the purposes set is open-ended.
        for text in [
            "We retain personal information for the period of time required for the purposes for which it was collected.",
            "Retention periods are determined by the type of information and the purposes for which it is used.",
            "We retain data for a period consistent with the original purpose of collection.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("retention_days", &r),
                Some(json!("indefinite")),
                "{text}: {r}"
            );
        }
        // The vendor's own keeping still counts.
        let r = read("We keep your prompts for 30 days, after which they are deleted.");
        assert_eq!(stated("retention_days", &r), Some(json!(30)), "{r}");
    }

    #[test]
    fn people_who_read_content_and_machines_that_do_not() {
        for (text, value) in [
            (
                "In some cases, we use manual review to access and review your information.",
                "may_review",
            ),
            (
                "Human moderators review flagged posts to decide whether they break our rules.",
                "safety_only",
            ),
            (
                "We use human moderation to identify and remove child sexual exploitation material.",
                "safety_only",
            ),
            ("No one at the company reads your chats.", "never"),
        ] {
            let r = read(text);
            assert_eq!(
                stated("human_review", &r),
                Some(json!(value)),
                "{text}: {r}"
            );
        }
        // Machines alone, the customer's own review, people in a liability clause.
        for text in [
            "We may use automated means to review content.",
            "We use automated systems and classifiers to detect content that violates our policies.",
            "When you use our Services you agree: You must evaluate Output, including using human review as appropriate.",
            "NEITHER THE COMPANY NOR ITS EMPLOYEES SHALL BE LIABLE FOR ANY LOSS OF DATA OR CONTENT.",
        ] {
            let r = read(text);
            assert_eq!(stated("human_review", &r), None, "{text}: {r}");
        }
    }

    #[test]
    fn business_use_under_an_agreement_of_its_own_and_provisions_for_consumers() {
        for text in [
            "If you are using our Services on behalf of an organization, your organization's agreement with us governs your use.",
            "If you are a business, our Business Terms apply instead of these Terms.",
            "Use of the Services by businesses is subject to our Commercial Terms.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("rests_on_consumer_terms", &r),
                Some(json!("no")),
                "{text}: {r}"
            );
        }
        // A provision that does not apply to consumers, or a password for personal use, says
        // nothing of who the terms are for.
        for text in [
            "If you are a consumer in the EEA, Section 11 does not apply to you.",
            "If we cause damage to you and you are a consumer in the EEA, the above does not apply.",
            "Your username and password are for your personal use only.",
        ] {
            let r = read(text);
            assert_eq!(stated("rests_on_consumer_terms", &r), None, "{text}: {r}");
        }
        // The organisation accepting these terms still rests on them.
        let r = read(
            "If you use the Services on behalf of a company, you accept these Terms on behalf of that company.",
        );
        assert_eq!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("yes")),
            "{r}"
        );
    }

    #[test]
    fn prohibitions_asked_politely_and_special_categories_by_name() {
        for (text, kinds) in [
            (
                "We ask that you not send us any sensitive information.",
                json!(["special_category"]),
            ),
            (
                "You should avoid entering sensitive data in your chats.",
                json!(["special_category"]),
            ),
            (
                "Please avoid sharing health information with the Services.",
                json!(["phi"]),
            ),
            (
                "You should not include sensitive personal information in your prompts.",
                json!(["special_category"]),
            ),
            (
                "You must not upload data revealing racial or ethnic origin, religious beliefs or biometric data.",
                json!(["special_category"]),
            ),
        ] {
            let r = read(text);
            assert_eq!(stated("prohibited_data", &r), Some(kinds), "{text}: {r}");
        }
        // What the vendor does not collect, and a minimum age, forbid nothing.
        for text in [
            "We do not collect sensitive personal information.",
            "You must be at least 13 years old to use the Services.",
        ] {
            let r = read(text);
            assert_eq!(stated("prohibited_data", &r), None, "{text}: {r}");
        }
    }

    #[test]
    fn training_choices_in_other_words_and_the_training_of_people() {
        for (text, value) in [
            (
                "If you turn off Model Improvement, your new conversations will not be used to train our models.",
                "opt_out",
            ),
            (
                "By default, we use your conversations to train our models; you can change this in your settings.",
                "opt_out",
            ),
            (
                "You can control whether your data is used to improve the models in your settings.",
                "opt_out",
            ),
            (
                "If you have allowed us to, we use your chats to improve the model.",
                "opt_in",
            ),
            (
                "Your prompts and responses may be used to improve the Services, including our AI models.",
                "default_on",
            ),
        ] {
            let r = read(text);
            assert_eq!(
                stated("training_on_inputs", &r),
                Some(json!(value)),
                "{text}: {r}"
            );
        }
        // Teaching people is not training models.
        for text in [
            "We are not obliged to provide any training, support or technical assistance for your content.",
            "Access to personal data is limited to staff having followed specialised training.",
        ] {
            let r = read(text);
            assert_eq!(stated("training_on_inputs", &r), None, "{text}: {r}");
        }
    }

    #[test]
    fn a_licence_improves_models_only_when_it_names_them() {
        let r = read(
            "You give us permission to use your content to operate, develop and improve our services.",
        );
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_improvement")),
            "{r}"
        );
        let r = read(
            "You grant us a license to use your content for the purpose of operating and improving our Services and training our models.",
        );
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("model_improvement")),
            "{r}"
        );
        // The licence restated by its purpose.
        let r =
            read("This license is only for the purpose of making our Products available to you.");
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_only")),
            "{r}"
        );
        // A licence to the other members of a community is not the vendor's.
        let r = read(
            "You also grant a limited licence to any community member to use and display content posted by you solely in connection with their use of the Services.",
        );
        assert_eq!(stated("licence_scope", &r), None, "{r}");
    }

    #[test]
    fn an_optional_sign_in_or_a_denial_does_not_link_accounts() {
        for text in [
            "You can sign in with your Google account or your Apple ID.",
            "You may choose to log in using your Microsoft account.",
            "You can link your account to other services, such as your Google account.",
            "Your employer pays for the seat; however, it does not have rights to your enterprise account.",
        ] {
            let r = read(text);
            assert_ne!(
                stated("consumer_account_linked", &r),
                Some(json!("yes")),
                "{text}: {r}"
            );
        }
        let r = read("We do not link your personal account to your organization's account.");
        assert_eq!(
            stated("consumer_account_linked", &r),
            Some(json!("no")),
            "{r}"
        );
        for text in [
            "To use the Service, you must sign in with your Microsoft account.",
            "You can sign up and log in to the Service using your other account.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("consumer_account_linked", &r),
                Some(json!("yes")),
                "{text}: {r}"
            );
        }
    }

    #[test]
    fn a_disclaimer_of_ownership_not_of_accuracy_and_content_users_generate() {
        for text in [
            "We do not claim ownership of Outputs.",
            "We disclaim any ownership of Outputs.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("output_ownership", &r),
                Some(json!("customer")),
                "{text}: {r}"
            );
        }
        for text in [
            "We make no claim that Outputs are accurate.",
            "We disclaim all warranties regarding Output.",
            "You retain ownership of user generated content you post.",
        ] {
            let r = read(text);
            assert_eq!(stated("output_ownership", &r), None, "{text}: {r}");
        }
    }

    #[test]
    fn hard_negatives_from_sentences_that_share_the_words() {
        // A customer's negation that denies something other than handing data over, a minimum
        // age, feedback.
        for text in [
            "The withdrawal of your consent will not affect the lawfulness of our processing of your personal data.",
            "You may not use the Services or provide any personal information if you are under 13.",
            "Do not submit any feedback that is confidential.",
        ] {
            let r = read(text);
            assert_eq!(stated("prohibited_data", &r), None, "{text}: {r}");
        }
        let r = read(
            "You agree that your App will not create, receive, maintain, transmit, or otherwise process protected health information.",
        );
        assert_eq!(stated("prohibited_data", &r), Some(json!(["phi"])), "{r}");
        // Credentials and "individual" things say nothing of who the terms are for.
        for text in [
            "You may not share individual login credentials between multiple users on an account.",
            "For certain Services, Individual Conditions of Use may apply in addition to these Terms.",
        ] {
            let r = read(text);
            assert_eq!(stated("rests_on_consumer_terms", &r), None, "{text}: {r}");
        }
        // Information linked to other information links no account.
        let r = read(
            "This includes data that can be reasonably linked to such information, such as information associated with your Google account by our enterprise partners.",
        );
        assert_eq!(stated("consumer_account_linked", &r), None, "{r}");
        // A customer rejecting a change, a change of something named.
        for text in [
            "The opt-out notice must include a statement that you wish to reject the change to these Terms.",
            "We may change the telephone number we use for the program and we will notify you of any such change.",
        ] {
            let r = read(text);
            assert_eq!(stated("terms_change_notice_days", &r), None, "{text}: {r}");
        }
    }

    #[test]
    fn ages_duties_of_care_and_duties_denied_are_not_what_they_resemble() {
        // An age is no duration; maintaining confidentiality keeps no data; rights that
        // survive are no retention; a refusal of an indefinite period is none.
        for text in [
            "We do not knowingly collect, maintain, or use personal information from children under 13 years of age.",
            "Service providers are required to maintain the confidentiality of personal information as necessary.",
            "Our audit rights will survive until 1 year after you stop processing personal data.",
            "Don't store user data indefinitely.",
            "Note that we will not be able to delete your account if you have a positive balance.",
        ] {
            let r = read(text);
            assert_eq!(stated("retention_days", &r), None, "{text}: {r}");
        }
        // A duty to review denied, review not done in advance or not of all content, other
        // users who see content and reviews that users write: no refusal to review.
        for text in [
            "We have no obligation to monitor or screen content posted on the Services.",
            "Outputs may not be reviewed in advance and may be inaccurate.",
            "We cannot review all content prior to it being posted.",
            "People in your audience can view your content.",
            "You may leave reviews and ratings of other users' content.",
        ] {
            let r = read(text);
            assert!(
                !matches!(stated("human_review", &r), Some(v) if v == json!("never") || v == json!("may_review")),
                "{text}: {r}"
            );
        }
    }

    #[test]
    fn a_text_in_force_as_soon_as_it_can_be_read_and_pointers_elsewhere() {
        for text in [
            "The updated version will be effective as soon as it is accessible.",
            "Any changes to this policy will become effective on the Last Updated date.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("terms_change_notice_days", &r),
                Some(json!(0)),
                "{text}: {r}"
            );
        }
        for text in [
            "Learn more about how we moderate content to keep the service safe.",
            "For more information on content and its moderation, see our Safety Center.",
        ] {
            let r = read(text);
            assert_eq!(stated("human_review", &r), None, "{text}: {r}");
        }
    }

    #[test]
    fn an_amendment_clause_that_leaves_other_changes_elsewhere_is_not_mutual_only() {
        let r = read(
            "Except as otherwise provided in these Terms, no amendment to these Terms is effective unless signed by both parties.",
        );
        assert_ne!(
            stated("terms_change_notice_days", &r),
            Some(json!("mutual_only")),
            "{r}"
        );
        let r = read(
            "This Agreement may only be modified by a written amendment signed by both parties.",
        );
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!("mutual_only")),
            "{r}"
        );
    }

    #[test]
    fn deleted_once_no_longer_needed_or_its_purpose_is_served_is_open_ended() {
        for text in [
            "When we no longer need your content, we delete it.",
            "Information collected for a purpose is deleted once the purpose is fulfilled.",
            "We erase your files after the purposes for which they were collected have been achieved.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("retention_days", &r),
                Some(json!("indefinite")),
                "{text}: {r}"
            );
        }
        // A right to ask for erasure of data no longer needed is not how long data is kept.
        let r = read("You can ask us to erase personal data that we no longer need.");
        assert_eq!(stated("retention_days", &r), None, "{r}");
        // The customer's submissions are the customer's content.
        let r = read("We keep your submissions for 60 days.");
        assert_eq!(stated("retention_days", &r), Some(json!(60)), "{r}");
    }

    #[test]
    fn a_change_notice_promised_after_a_condition_or_sent_by_email() {
        for text in [
            "We may change these Terms, and if we make material changes, we will provide notice through the Service.",
            "Material changes to these Terms will be communicated to you by email.",
            "We will send you an email about any changes to these Terms.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("terms_change_notice_days", &r),
                Some(json!("reasonable")),
                "{text}: {r}"
            );
        }
        let r = read("Changes to these Terms will take effect as soon as we publish them.");
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!(0)),
            "{r}"
        );
        // A change the customer is told of only where the law requires it is still none.
        let r = read("We may change these Terms, and where required by law, we will notify you.");
        assert_ne!(
            stated("terms_change_notice_days", &r),
            Some(json!("reasonable")),
            "{r}"
        );
    }

    #[test]
    fn prohibitions_put_as_what_is_not_allowed_and_children_as_victims() {
        for (text, kinds) in [
            (
                "You are responsible for not uploading health information.",
                json!(["phi"]),
            ),
            (
                "You must refrain from entering sensitive data.",
                json!(["special_category"]),
            ),
            (
                "It is prohibited to upload personal data relating to minors.",
                json!(["children"]),
            ),
            (
                "We recommend that you do not share sensitive information.",
                json!(["special_category"]),
            ),
            (
                "You may not submit any information that is subject to HIPAA.",
                json!(["phi"]),
            ),
        ] {
            let r = read(text);
            assert_eq!(stated("prohibited_data", &r), Some(kinds), "{text}: {r}");
        }
        // Content that depicts or targets children forbids abuse, not the children's data;
        // another party's data shared "without their consent" is a rule of conduct; medical
        // advice is no health data; a subprocessor's prohibition is not the customer's.
        for text in [
            "Do not share material depicting the sexual exploitation of children.",
            "You may not use the service to facilitate illegal activities targeting minors.",
            "You may not share other people's personal information without their consent.",
            "Do not share content that contradicts guidance on medical treatments.",
            "Subprocessors are prohibited from processing personal data for their own purposes.",
        ] {
            let r = read(text);
            assert_eq!(stated("prohibited_data", &r), None, "{text}: {r}");
        }
    }

    #[test]
    fn a_deletion_offered_with_a_return_is_a_deletion_deadline() {
        let r = read(
            "Upon expiry of the Agreement, the Processor shall delete or return the Personal Data within ninety (90) days.",
        );
        assert_eq!(
            stated("deletion_after_termination_days", &r),
            Some(json!(90)),
            "{r}"
        );
        // The customer's own window to ask for a copy is still not one.
        let r =
            read("Customer may request the return of its data within 30 days after termination.");
        assert_eq!(stated("deletion_after_termination_days", &r), None, "{r}");
    }

    #[test]
    fn the_customer_owns_the_output_in_a_list_of_rights_or_in_the_passive() {
        for text in [
            "As between you and us, you (a) keep your rights in Input and (b) own the Output.",
            "Outputs are owned by you.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("output_ownership", &r),
                Some(json!("customer")),
                "{text}: {r}"
            );
        }
        let r = read("Content included in the Output is not owned by you or by us.");
        assert_eq!(stated("output_ownership", &r), None, "{r}");
        let r = read("We own the Output.");
        assert_eq!(stated("output_ownership", &r), Some(json!("vendor")), "{r}");
    }

    #[test]
    fn an_age_an_inactivity_and_identity_documents_are_no_retention() {
        for text in [
            "We do not knowingly collect, maintain, or use personal information from children under 13 years",
            "We will remove apps' access to your data if you haven't used the app in 3 months.",
            "The data extracted from the ID is deleted after 30 days.",
            "Login data is retained for up to 90 days.",
        ] {
            let r = read(text);
            assert_eq!(stated("retention_days", &r), None, "{text}: {r}");
        }
        // The customer's content kept for a number of years still is one.
        let r = read("We keep your content for 2 years.");
        assert_eq!(stated("retention_days", &r), Some(json!(730)), "{r}");
    }

    #[test]
    fn open_ended_keeping_is_read_from_keeping_not_from_words_near_it() {
        // None of these says how long the customer's data is kept.
        for text in [
            "Depending on where you live, you may have additional rights.",
            "Please keep in mind that, depending on your settings, content may be public.",
            "You will maintain all necessary rights to the materials you use.",
            "We reserve the right to access, retain and disclose any information we believe is necessary to comply with applicable laws or legal process.",
            "Even if you delete content, copies of it may remain elsewhere on the internet.",
            "Content you delete may persist for a limited period of time in backup copies.",
            "If you choose to delete your account, your account will be scheduled for deletion.",
            "How to delete your account and what happens when you delete it",
        ] {
            let r = read(text);
            assert_eq!(stated("retention_days", &r), None, "{text}: {r}");
        }
        // The period itself depending on something is open-ended; content deleted with the
        // account is kept until then.
        let r = read(
            "How long we keep your content depends on the purposes for which it was collected.",
        );
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("indefinite")),
            "{r}"
        );
        let r =
            read("All content posted to your account will be deleted if you delete your account.");
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("until_deleted")),
            "{r}"
        );
    }

    #[test]
    fn where_people_live_or_a_company_sits_is_not_where_data_is_kept() {
        for text in [
            "If you live in the European Economic Area, our Irish company is the controller of information processed under this policy.",
            "If you are located in Canada or the United Kingdom, we ask for your consent before storing cookies.",
        ] {
            let r = read(text);
            assert_eq!(stated("data_residency", &r), None, "{text}: {r}");
        }
        let r = read(
            "The company is headquartered in the Netherlands, and we store information on servers located in Ireland.",
        );
        assert_eq!(stated("data_residency", &r), Some(json!(["ie"])), "{r}");
        let r = read("Our servers are located in Singapore.");
        assert_eq!(stated("data_residency", &r), Some(json!(["sg"])), "{r}");
    }

    #[test]
    fn a_use_limited_to_the_law_or_consent_is_no_licence_scope() {
        for text in [
            "We will only use your personal data in accordance with applicable laws.",
            "We will only collect, use and disclose your personal data with your consent.",
            "We only use that information where we have a proper legal basis for doing so.",
            "Create only one account and use it for personal purposes.",
        ] {
            let r = read(text);
            assert_eq!(stated("licence_scope", &r), None, "{text}: {r}");
        }
        // A use limited to running the service, or to the customer's instructions, still is.
        for text in [
            "We will only use your content to provide the Services to you.",
            "The processor will process personal data only on the customer's documented instructions.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("licence_scope", &r),
                Some(json!("service_only")),
                "{text}: {r}"
            );
        }
    }

    #[test]
    fn a_question_or_a_purpose_promises_no_notice() {
        for text in [
            "How will we notify you of changes to this policy?",
            "To notify you of important changes to our Services, such as the revision of terms.",
        ] {
            let r = read(text);
            assert_eq!(stated("terms_change_notice_days", &r), None, "{text}: {r}");
        }
        let r = read("When we make material changes to these Terms, we will notify you by email.");
        assert_eq!(
            stated("terms_change_notice_days", &r),
            Some(json!("reasonable")),
            "{r}"
        );
    }

    #[test]
    fn people_named_without_an_act_of_review_review_nothing() {
        for text in [
            "All personnel are assigned unique identifiers for interacting with systems.",
            "Please review the Community Rules, which are part of these Terms.",
            "We may review and update these security measures from time to time.",
            "Users who view your posts can always save them.",
            "You should not post negative reviews of competitors.",
            "We run background checks of employees with access to customer data.",
        ] {
            let r = read(text);
            assert_eq!(stated("human_review", &r), None, "{text}: {r}");
        }
        let r = read("Our employees may view your content to enforce our policies.");
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
    }

    // Forms found on blind-labelled documents (December 2026), each written as a general
    // sentence.

    #[test]
    fn reports_and_own_moderation_are_reviewed_for_safety_unless_the_service_is_named() {
        for text in [
            "We may review such reports and take action at our discretion.",
            "Our moderation team looks at posts that users flag.",
            "Our moderation is human-led and our moderators make the final call on content.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("human_review", &r),
                Some(json!("safety_only")),
                "{text}: {r}"
            );
        }
        let r = read(
            "We may access and review messages to operate the Services, enforce our Terms and protect user safety.",
        );
        assert_eq!(stated("human_review", &r), Some(json!("may_review")), "{r}");
    }

    #[test]
    fn a_notice_of_one_section_or_from_the_user_is_not_the_vendors() {
        let r = read("Acme will provide 30 days' notice of any changes to this section.");
        assert_ne!(
            stated("terms_change_notice_days", &r),
            Some(json!(30)),
            "{r}"
        );
        let r = read("Please notify us immediately of any breach of security of your account.");
        assert_eq!(stated("breach_notification_hours", &r), None, "{r}");
    }

    #[test]
    fn a_bare_demonstrative_kept_names_no_content() {
        let r = read("We may store this for up to 2 years.");
        assert!(
            !matches!(
                judge("retention_days", &json!(730), &r),
                Judgement::Supports
            ),
            "{r}"
        );
    }

    #[test]
    fn a_law_obeyed_or_a_name_in_a_link_is_no_certification() {
        let law = json!([{"name": "Digital Services Act", "scope": null, "expires": null}]);
        let r = read("Acme operates in accordance with the EU Digital Services Act.");
        assert!(
            !matches!(judge("certifications", &law, &r), Judgement::Supports),
            "{r}"
        );
        let seal = json!([{"name": "TRUSTe", "scope": null, "expires": null}]);
        let r = read(
            "Contact our dispute resolution provider at https://feedback.truste.com/watchdog.",
        );
        assert!(
            !matches!(judge("certifications", &seal, &r), Judgement::Supports),
            "{r}"
        );
        let iso = json!([{"name": "ISO 27001", "scope": null, "expires": null}]);
        let r = read("Acme is certified under ISO 27001.");
        assert!(
            matches!(judge("certifications", &iso, &r), Judgement::Supports),
            "{r}"
        );
    }

    #[test]
    fn an_entity_bound_by_the_same_terms_and_business_accounts_under_their_own() {
        for text in [
            "If you open an account for a company, \"you\" includes you and that entity.",
            "You are not accepting these Terms on behalf of any other entity, such as a company, unless you have the authority to bind that entity to these Terms.",
            "These Terms govern you, together with any other person or entity that you work for.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("rests_on_consumer_terms", &r),
                Some(json!("yes")),
                "{text}: {r}"
            );
        }
        let r = read(
            "If you want to use the service for commercial purposes, you must create a business account and agree to our Business Terms.",
        );
        assert_eq!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("no")),
            "{r}"
        );
    }

    #[test]
    fn a_licence_to_promote_or_monetise_content_is_broad_whatever_its_purpose() {
        let r = read(
            "You grant us a sublicensable license to use, reproduce, promote, market, advertise, feature and otherwise use your content in connection with the Services and related business operations.",
        );
        assert_eq!(stated("licence_scope", &r), Some(json!("broad")), "{r}");
        let r = read(
            "You grant us a license to host and display your content solely to operate and provide the Services.",
        );
        assert_eq!(
            stated("licence_scope", &r),
            Some(json!("service_only")),
            "{r}"
        );
    }

    #[test]
    fn kept_unless_the_account_is_deleted_and_what_is_only_hidden_or_pointed_to() {
        let r =
            read("Unless you request the deletion of your account, we will retain your content.");
        assert_eq!(
            stated("retention_days", &r),
            Some(json!("until_deleted")),
            "{r}"
        );
        for text in [
            "If you delete a message, you delete it for the recipient too, but we will retain the message for the periods described above.",
            "When you delete your account, your posts will be removed from public view within a reasonable period.",
        ] {
            let r = read(text);
            assert_ne!(
                stated("retention_days", &r),
                Some(json!("until_deleted")),
                "{text}: {r}"
            );
        }
    }

    #[test]
    fn who_the_user_is_and_where_is_not_the_content_kept() {
        for text in [
            "Retention period: Your identity data (first and last name): for 5 years after the termination of your account.",
            "Location data is deleted 30 days after the termination of your account.",
        ] {
            let r = read(text);
            assert!(
                !matches!(
                    judge("deletion_after_termination_days", &json!(1825), &r),
                    Judgement::Supports
                ) && !matches!(
                    judge("deletion_after_termination_days", &json!(30), &r),
                    Judgement::Supports
                ),
                "{text}: {r}"
            );
        }
        let r = read("Your content is deleted 30 days after the termination of your account.");
        assert_eq!(
            stated("deletion_after_termination_days", &r),
            Some(json!(30)),
            "{r}"
        );
    }

    #[test]
    fn patrols_browsing_and_checks_of_contents_are_looks_at_content() {
        for (text, value) in [
            (
                "We conduct patrols of the areas where users post publicly.",
                "safety_only",
            ),
            (
                "Messages between users in private chats are not patrolled.",
                "never",
            ),
            (
                "We may check and confirm the contents submitted by users to confirm compliance with these Terms.",
                "safety_only",
            ),
            (
                "Reports will be reviewed promptly and appropriate action will be taken.",
                "safety_only",
            ),
            (
                "In that case, we may browse the message as needed and delete it.",
                "may_review",
            ),
        ] {
            let r = read(text);
            assert_eq!(
                stated("human_review", &r),
                Some(json!(value)),
                "{text}: {r}"
            );
        }
    }

    #[test]
    fn a_licence_widened_or_a_right_over_posts_is_read_as_a_licence() {
        for text in [
            "You agree that this license includes the right for Acme to make your content available to other companies for syndication.",
            "The right for Acme to copy, display and distribute any question you post, and sublicense those rights to others, is perpetual and irrevocable.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("licence_scope", &r),
                Some(json!("broad")),
                "{text}: {r}"
            );
        }
        let r = read(
            "These Terms of Service for Commercial Users govern the use of the services by the organization or other entity that you represent.",
        );
        assert_ne!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("yes")),
            "{r}"
        );
    }

    #[test]
    fn a_period_not_counted_after_the_account_ends_and_notices_ahead_of_a_revision() {
        for text in [
            "Following termination of your account, we may keep your content for a reasonable period of time for backup purposes.",
            "Once your account is deleted, we will delete your information after retaining it for a given period of time.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("deletion_after_termination_days", &r),
                Some(json!("indefinite")),
                "{text}: {r}"
            );
        }
        for text in [
            "We will make the revision public a reasonable period before the effective date of the revision.",
            "We will update the revised version here with the last updated date, and notify you by email before the change becomes effective.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("terms_change_notice_days", &r),
                Some(json!("reasonable")),
                "{text}: {r}"
            );
        }
        let r = read("Our servers are located in Singapore and Malaysia.");
        assert_eq!(
            stated("data_residency", &r),
            Some(json!(["sg", "my"])),
            "{r}"
        );
    }

    #[test]
    fn forms_of_a_second_blind_batch() {
        // interactions with AI are what the user sent and got back
        let r = read(
            "We use your interactions with AI models to develop, train and improve these models.",
        );
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("default_on")),
            "{r}"
        );
        assert_eq!(
            stated("training_on_outputs", &r),
            Some(json!("default_on")),
            "{r}"
        );
        // data anyone can read is not the customer's; named beside the customer's, it still is
        let r = read(
            "We use publicly available information from public sources to help train our models.",
        );
        assert_eq!(stated("training_on_inputs", &r), None, "{r}");
        let r = read(
            "We may use the information we collect and publicly available information to train our models.",
        );
        assert_eq!(
            stated("training_on_inputs", &r),
            Some(json!("default_on")),
            "{r}"
        );
        // how often the service is used is no content kept
        let r = read(
            "We keep some data until you delete your account, such as information about how often you use our services.",
        );
        assert_ne!(
            stated("retention_days", &r),
            Some(json!("until_deleted")),
            "{r}"
        );
        // a complaint reviewed is a safety review
        let r = read("If we receive a complaint about content, we may review that content.");
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
        // posting the revised terms, or showing the date of the last change, is no notice
        for text in [
            "If we make changes, we will post the revised Developer Terms.",
            "We always indicate the date the last changes were published.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("terms_change_notice_days", &r),
                Some(json!(0)),
                "{text}: {r}"
            );
        }
        // business use under these terms, or sent to an agreement of its own
        for text in [
            "These terms apply if you also use our Products for any commercial or business purpose.",
            "If you create a Brand Account, you represent that you are authorized to bind the Brand to these Terms.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("rests_on_consumer_terms", &r),
                Some(json!("yes")),
                "{text}: {r}"
            );
        }
        let r = read(
            "If you want to use the services for commercial purposes, you will need to enter into a separate agreement with us.",
        );
        assert_eq!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("no")),
            "{r}"
        );
        let r = read(
            "We grant you a limited license to use the content for your personal, non-commercial use, subject to any other agreement between you and us.",
        );
        assert_ne!(
            stated("rests_on_consumer_terms", &r),
            Some(json!("no")),
            "{r}"
        );
    }

    #[test]
    fn manual_processing_moderation_and_reserved_rights_are_reviews() {
        for (text, value) in [
            (
                "Our systems automatically, as well as with some manual (human) processing, process information we have collected about you.",
                "may_review",
            ),
            (
                "We apply automated processing techniques and conduct manual (human) review to maintain the integrity of our Products.",
                "safety_only",
            ),
            (
                "Acme reserves the right to review, moderate or remove all content that appears on the Services.",
                "safety_only",
            ),
            (
                "We may access, review and delete your content for any reason, including to provide and develop the Services.",
                "may_review",
            ),
            (
                "No one else, not even Acme, can read or listen to them.",
                "never",
            ),
        ] {
            let r = read(text);
            assert_eq!(
                stated("human_review", &r),
                Some(json!(value)),
                "{text}: {r}"
            );
        }
    }

    #[test]
    fn a_lead_in_leaves_which_review_to_its_items() {
        let r = read(
            "We apply automated processing and, in some instances, conduct manual (human) review to:",
        );
        assert_eq!(stated("human_review", &r), None, "{r}");
        let r = read("We conduct manual (human) review to keep our users safe, including to:");
        assert_eq!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
    }

    #[test]
    fn marketing_rights_in_any_order_and_integrity_of_the_service_only() {
        for text in [
            "You grant us a license to use, advertise, promote and display your content in connection with the Services.",
            "You grant us a license to use, market and promote your content in connection with the Services.",
        ] {
            let r = read(text);
            assert_eq!(
                stated("licence_scope", &r),
                Some(json!("broad")),
                "{text}: {r}"
            );
        }
        let r = read(
            "You grant us a license to host and display your content to promote the Services.",
        );
        assert_ne!(stated("licence_scope", &r), Some(json!("broad")), "{r}");
        let r = read("We may review your content to maintain data integrity.");
        assert_ne!(
            stated("human_review", &r),
            Some(json!("safety_only")),
            "{r}"
        );
    }
}
