//! The typed vocabulary: every fact a profile may state and every requirement a policy may set.
//!
//! This table is the one schema of the project: profiles and policies are checked against it,
//! rules may only read names in it, and `diligence schema` publishes it.

use crate::diag::did_you_mean;
use crate::diag::{Diagnostic, Pos};
use crate::model::yaml::{Node, span_pos};
use serde_json::Value;
use serde_saphyr::Spanned;

/// The shape and allowed values of a fact or requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// One of a closed set of words.
    Enum(&'static [&'static str]),
    /// A whole number of days or hours (never negative).
    Count,
    /// A whole number of days or hours, or one of these words, for what terms say without a
    /// number: an open-ended duration ("until the customer deletes it") or a qualitative
    /// deadline ("without undue delay"). A word is a stated value, never an unknown.
    CountOr(&'static [&'static str]),
    /// true or false.
    Bool,
    /// A list of words from a closed set.
    EnumList(&'static [&'static str]),
    /// A list of free words (e.g. region codes, certification names).
    TextList,
    /// A list of certifications: `{name, scope?, expires?}`.
    Certifications,
}

pub const TRAINING: &[&str] = &["never", "opt_in", "opt_out", "default_on", "negotiable"];
/// Licence scopes, narrowest first (the order is used by `max_licence_scope`).
pub const LICENCE_SCOPE: &[&str] = &[
    "service_only",
    "service_improvement",
    "model_improvement",
    "broad",
];
pub const ZERO_DATA_RETENTION: &[&str] = &["default", "available", "on_request", "unavailable"];
pub const HUMAN_REVIEW: &[&str] = &["never", "safety_only", "may_review"];
pub const DPA: &[&str] = &["none", "online", "signed", "negotiable"];
pub const BAA: &[&str] = &["available", "on_request", "unavailable"];
pub const SUBPROCESSORS: &[&str] = &["published", "on_request", "none"];
pub const TRANSFER: &[&str] = &["scc", "adequacy", "dpf", "bcr", "none"];
pub const OWNERSHIP: &[&str] = &["customer", "vendor", "shared"];
pub const INDEMNITY: &[&str] = &["yes", "limited", "no"];
/// `unknown`: the documents do not say which tier the offering is (a rule asks instead of
/// guessing from the offering's name).
pub const TIERS: &[&str] = &["consumer", "api", "enterprise", "unknown"];
/// Account linkage and terms that rest on consumer terms: stated or denied by a document.
pub const YES_NO: &[&str] = &["yes", "no"];
/// The use the terms permit: the person's own use only (`personal`), no commercial use
/// (`non_commercial`), or use by a business (`commercial`).
pub const PERMITTED_USE: &[&str] = &["personal", "non_commercial", "commercial"];
/// Whether the terms cover accounts an organization issues (work, school or organizational
/// accounts), or exclude them (`excluded`: other terms govern those accounts).
pub const ORGANIZATIONAL_ACCOUNTS: &[&str] = &["covered", "excluded"];
/// Durations with no end: kept "as long as needed" / "for as long as you have an account"
/// (`indefinite`), or until the customer deletes it (`until_deleted`). Neither is within any
/// maximum.
pub const OPEN_DURATION: &[&str] = &["indefinite", "until_deleted"];
/// Breach notification promised "without undue delay" or "promptly", with no hours.
pub const BREACH_DEADLINE: &[&str] = &["without_undue_delay"];
/// Notice of changed terms with no number of days: "reasonable advance notice"
/// (`reasonable`), or changes only by an amendment both parties sign (`mutual_only`, which
/// satisfies any notice minimum).
pub const CHANGE_NOTICE: &[&str] = &["reasonable", "mutual_only"];
/// Which changes of terms the notice period covers: every change (`all`), only material ones,
/// the others taking effect when posted (`material_only`), or only those the vendor itself
/// judges material ("if we determine in our sole judgment that an update is material"), so
/// the vendor decides which changes get notice (`vendor_judged_material`).
pub const CHANGE_NOTICE_SCOPE: &[&str] = &["all", "material_only", "vendor_judged_material"];
/// Kinds of data that terms forbid customers to submit ("do not submit personal data", "may
/// not process Protected Health Information unless ..."), and that a policy's classes and tags
/// say the data under review contains (`contains_data`).
pub const DATA_KINDS: &[&str] = &[
    "personal_data",
    "confidential",
    "phi",
    "special_category",
    "children",
    "payment_card",
];

/// Whether the vendor's agreement with its providers binds them to the customer's terms (no
/// training, the same retention and deletion): `yes` when a document says so, `no` when it says
/// the providers' own terms apply.
pub const PASS_DOWN: &[&str] = &["yes", "no"];

pub struct FactSpec {
    pub name: &'static str,
    pub ty: ValueType,
    pub description: &'static str,
    /// What to ask the vendor when the fact is unknown.
    pub question: &'static str,
}

pub const FACTS: &[FactSpec] = &[
    FactSpec {
        name: "training_on_inputs",
        ty: ValueType::Enum(TRAINING),
        description: "Whether the vendor trains models on customer inputs (prompts, files).",
        question: "Do you use our inputs to train or improve models, and can we opt out in writing?",
    },
    FactSpec {
        name: "training_on_outputs",
        ty: ValueType::Enum(TRAINING),
        description: "Whether the vendor trains models on the outputs generated for the customer.",
        question: "Do you use the outputs generated for us to train or improve models?",
    },
    FactSpec {
        name: "licence_scope",
        ty: ValueType::Enum(LICENCE_SCOPE),
        description: "The licence the customer grants over its content: only to provide the service, also to improve it, also to improve models, or broader.",
        question: "For what purposes do you licence our content: only to provide the service?",
    },
    FactSpec {
        name: "retention_days",
        ty: ValueType::CountOr(OPEN_DURATION),
        description: "Days customer content (inputs, outputs) is kept after a request is processed, while the contract runs; `indefinite` or `until_deleted` when the terms set no end.",
        question: "How many days do you keep our inputs and outputs, and when are they deleted?",
    },
    FactSpec {
        name: "deletion_after_termination_days",
        ty: ValueType::CountOr(OPEN_DURATION),
        description: "Days after the contract ends within which customer content is deleted; `indefinite` or `until_deleted` when the terms set no end.",
        question: "Within how many days after the contract ends do you delete our content, including backups?",
    },
    FactSpec {
        name: "abuse_monitoring_retention_days",
        ty: ValueType::CountOr(OPEN_DURATION),
        description: "Days content is kept for abuse and misuse monitoring; `indefinite` or `until_deleted` when the terms set no end.",
        question: "How long do you keep content for abuse monitoring, and who can access it?",
    },
    FactSpec {
        name: "zero_data_retention",
        ty: ValueType::Enum(ZERO_DATA_RETENTION),
        description: "Whether zero data retention applies by default, is available, on request, or unavailable.",
        question: "Can you contractually commit to zero data retention for our account?",
    },
    FactSpec {
        name: "human_review",
        ty: ValueType::Enum(HUMAN_REVIEW),
        description: "Whether vendor personnel may read customer content.",
        question: "Can your personnel read our content, in which cases, and is it logged?",
    },
    FactSpec {
        name: "dpa",
        ty: ValueType::Enum(DPA),
        description: "Data processing agreement: none, published online, signed, or negotiable.",
        question: "Do you offer a data processing agreement, and can we sign it?",
    },
    FactSpec {
        name: "baa",
        ty: ValueType::Enum(BAA),
        description: "HIPAA business associate agreement availability.",
        question: "Will you sign a HIPAA business associate agreement for this offering?",
    },
    FactSpec {
        name: "certifications",
        ty: ValueType::Certifications,
        description: "Security certifications and attestations: name, optional scope and expiry.",
        question: "Which certifications (SOC 2 Type II, ISO 27001) cover this offering, and until when?",
    },
    FactSpec {
        name: "subprocessors_list",
        ty: ValueType::Enum(SUBPROCESSORS),
        description: "Whether the list of subprocessors is published, available on request, or not given.",
        question: "Where is your list of subprocessors, and how are we notified of changes?",
    },
    FactSpec {
        name: "data_residency",
        ty: ValueType::TextList,
        description: "Regions where customer data is stored and processed (e.g. eu, us).",
        question: "In which regions is our data stored and processed, and can we pin it to one?",
    },
    FactSpec {
        name: "transfer_mechanism",
        ty: ValueType::EnumList(TRANSFER),
        description: "Legal mechanisms for transfers of EU personal data outside the EEA.",
        question: "Which transfer mechanism (SCCs, adequacy, DPF) covers transfers of EU personal data?",
    },
    FactSpec {
        name: "output_ownership",
        ty: ValueType::Enum(OWNERSHIP),
        description: "Who owns the outputs generated for the customer.",
        question: "Who owns the outputs generated for us?",
    },
    FactSpec {
        name: "ip_indemnity",
        ty: ValueType::Enum(INDEMNITY),
        description: "Whether the vendor indemnifies the customer against IP claims.",
        question: "Do you indemnify us against third-party IP claims over the service and its outputs?",
    },
    FactSpec {
        name: "terms_change_notice_days",
        ty: ValueType::CountOr(CHANGE_NOTICE),
        description: "Days of notice before changed terms take effect; `reasonable` (no number of days) or `mutual_only` (changes only by a signed amendment).",
        question: "How many days' notice do you give before changed terms take effect?",
    },
    FactSpec {
        name: "terms_change_notice_scope",
        ty: ValueType::Enum(CHANGE_NOTICE_SCOPE),
        description: "Which changes the notice period of `terms_change_notice_days` covers: `all`, `material_only` (other changes take effect when posted) or `vendor_judged_material` (only changes the vendor itself judges material).",
        question: "Does your notice period apply to every change of the terms, or only to changes you consider material? How do non-material changes take effect?",
    },
    FactSpec {
        name: "subprocessor_objection_days",
        ty: ValueType::Count,
        description: "Days the customer has, after notice of a new subprocessor, to object to it (GDPR art. 28(2)); past them the subprocessor is deemed accepted.",
        question: "How much notice do you give before a new subprocessor receives our data, and within how many days can we object?",
    },
    FactSpec {
        name: "breach_notification_hours",
        ty: ValueType::CountOr(BREACH_DEADLINE),
        description: "Hours within which the vendor notifies a personal data breach; `without_undue_delay` when the terms give no hours (\"without undue delay\", \"promptly\").",
        question: "Within how many hours do you notify us of a personal data breach?",
    },
    FactSpec {
        name: "consumer_account_linked",
        ty: ValueType::Enum(YES_NO),
        description: "Whether the offering is used through the same account (and account terms) as the vendor's consumer service.",
        question: "Is this offering used through the same account as your consumer service, and which terms govern that account?",
    },
    FactSpec {
        name: "rests_on_consumer_terms",
        ty: ValueType::Enum(YES_NO),
        description: "Whether the business terms of the offering incorporate or fall back on the vendor's consumer terms.",
        question: "Do your consumer terms apply to our use of this offering, in whole or in part?",
    },
    FactSpec {
        name: "permitted_use",
        ty: ValueType::Enum(PERMITTED_USE),
        description: "The use the terms permit: `personal` (the user's own personal use only), `non_commercial` (no commercial or business use), or `commercial` (use by a business).",
        question: "Do the terms that govern our use of this offering permit use by a business for its work, and which document says so?",
    },
    FactSpec {
        name: "organizational_accounts",
        ty: ValueType::Enum(ORGANIZATIONAL_ACCOUNTS),
        description: "Whether the terms cover accounts an organization issues (work, school or organizational accounts: `covered`) or exclude them, other terms governing those accounts (`excluded`).",
        question: "Do these terms apply to accounts our organization issues (work accounts), or do other terms govern them, and which?",
    },
    FactSpec {
        name: "providers",
        ty: ValueType::TextList,
        description: "The model providers and AI sub-processors the offering relies on: another offering of the workspace as `vendor/offering` (e.g. `openai/api`), or an external name. The offering's verdict is never better than a provider's unless the terms are passed down (`provider_pass_down`).",
        question: "Which model providers and AI sub-processors receive our data when we use this offering (the models behind it), and under which of their terms?",
    },
    FactSpec {
        name: "provider_pass_down",
        ty: ValueType::Enum(PASS_DOWN),
        description: "Whether the vendor's agreement with its providers passes the customer's terms down to them (no training, the same retention and deletion): `yes` lifts the cap a provider's verdict sets, when quoted and verified.",
        question: "Does your agreement with your model providers bind them to the terms you give us (no training on our data, the same retention and deletion), and can you show us the clause?",
    },
    FactSpec {
        name: "prohibited_data",
        ty: ValueType::EnumList(DATA_KINDS),
        description: "Kinds of data the terms forbid customers to submit; a claim's `allowed_if:` says under what condition it is allowed after all (e.g. a signed BAA, the zero-data-retention API).",
        question: "Do your terms forbid any kind of data (personal data, health information, children's data, confidential information), and under what conditions is it allowed?",
    },
];

pub mod clauses;
pub mod frameworks;
pub mod names;
mod phrases;
pub use clauses::{ClauseCues, clause_cues};
pub use frameworks::{CAIQ_VERSION, caiq_refs};

/// The requirements under which a fact decides something (derived from each requirement's
/// `governs`).
pub fn governing_requirements(fact: &str) -> impl Iterator<Item = &'static str> + '_ {
    REQUIREMENTS
        .iter()
        .filter(move |r| r.governs.contains(&fact))
        .map(|r| r.name)
}

pub fn fact_spec(name: &str) -> Option<&'static FactSpec> {
    FACTS.iter().find(|f| f.name == name)
}

pub fn fact_names() -> impl Iterator<Item = &'static str> {
    FACTS.iter().map(|f| f.name)
}

/// How requirements from several places (inherited class, class, tags) combine: always the
/// stricter of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// true wins.
    Any,
    /// The smaller number wins (a maximum).
    Min,
    /// The larger number wins (a minimum).
    Max,
    /// Lists are combined (everything required by either).
    Union,
    /// Lists are intersected (only what both accept).
    Intersect,
    /// The narrower scope wins (order of the enum).
    Narrowest,
}

pub struct RequirementSpec {
    pub name: &'static str,
    pub ty: ValueType,
    pub merge: Merge,
    /// The facts this requirement judges: while it is in force, a problem with their evidence
    /// (third-party only, unsupported, conflicting, stale) matters.
    pub governs: &'static [&'static str],
    pub description: &'static str,
}

pub const REQUIREMENTS: &[RequirementSpec] = &[
    RequirementSpec {
        name: "no_training",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["training_on_inputs"],
        description: "The vendor must not train on inputs (an opt-out makes it conditional).",
    },
    RequirementSpec {
        name: "no_output_training",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["training_on_outputs"],
        description: "The vendor must not train on outputs.",
    },
    RequirementSpec {
        name: "max_licence_scope",
        ty: ValueType::Enum(LICENCE_SCOPE),
        merge: Merge::Narrowest,
        governs: &["licence_scope"],
        description: "The broadest licence over customer content that is acceptable.",
    },
    RequirementSpec {
        name: "max_retention_days",
        ty: ValueType::Count,
        merge: Merge::Min,
        governs: &["retention_days", "zero_data_retention"],
        description: "Longest acceptable retention of customer content, in days.",
    },
    RequirementSpec {
        name: "max_deletion_after_termination_days",
        ty: ValueType::Count,
        merge: Merge::Min,
        governs: &["deletion_after_termination_days"],
        description: "Longest acceptable delay to delete customer content after the contract ends, in days.",
    },
    RequirementSpec {
        name: "max_abuse_retention_days",
        ty: ValueType::Count,
        merge: Merge::Min,
        governs: &["abuse_monitoring_retention_days", "zero_data_retention"],
        description: "Longest acceptable retention for abuse monitoring, in days.",
    },
    RequirementSpec {
        name: "zero_data_retention",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["zero_data_retention"],
        description: "Zero data retention must apply (by default or enabled for the account).",
    },
    RequirementSpec {
        name: "no_human_review",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["human_review"],
        description: "Vendor personnel must not read content (safety review only is conditional).",
    },
    RequirementSpec {
        name: "dpa",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["dpa"],
        description: "A data processing agreement must be in place.",
    },
    RequirementSpec {
        name: "signed_dpa",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["dpa"],
        description: "The DPA must be signed (executed), not only published.",
    },
    RequirementSpec {
        name: "baa",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["baa"],
        description: "A HIPAA business associate agreement must be signed.",
    },
    RequirementSpec {
        name: "certifications",
        ty: ValueType::TextList,
        merge: Merge::Union,
        governs: &["certifications"],
        description: "Certifications that must be held and current (e.g. SOC 2 Type II).",
    },
    RequirementSpec {
        name: "subprocessors_list",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["subprocessors_list"],
        description: "The list of subprocessors must be published or provided.",
    },
    RequirementSpec {
        name: "data_residency",
        ty: ValueType::TextList,
        merge: Merge::Intersect,
        governs: &["data_residency"],
        description: "Regions where data may be stored and processed.",
    },
    RequirementSpec {
        name: "transfer_mechanism",
        ty: ValueType::EnumList(TRANSFER),
        merge: Merge::Intersect,
        governs: &["transfer_mechanism"],
        description: "Accepted transfer mechanisms for EU personal data (any one suffices).",
    },
    RequirementSpec {
        name: "customer_owns_outputs",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["output_ownership"],
        description: "The customer must own the outputs.",
    },
    RequirementSpec {
        name: "ip_indemnity",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["ip_indemnity"],
        description: "The vendor must indemnify against IP claims.",
    },
    RequirementSpec {
        name: "min_terms_change_notice_days",
        ty: ValueType::Count,
        merge: Merge::Max,
        governs: &["terms_change_notice_days", "terms_change_notice_scope"],
        description: "Shortest acceptable notice before changed terms take effect, in days.",
    },
    RequirementSpec {
        name: "min_subprocessor_objection_days",
        ty: ValueType::Count,
        merge: Merge::Max,
        governs: &["subprocessor_objection_days"],
        description: "Shortest acceptable period, in days after notice, to object to a new subprocessor.",
    },
    RequirementSpec {
        name: "max_breach_notification_hours",
        ty: ValueType::Count,
        merge: Merge::Min,
        governs: &["breach_notification_hours"],
        description: "Longest acceptable delay to notify a personal data breach, in hours.",
    },
    RequirementSpec {
        name: "contains_data",
        ty: ValueType::EnumList(DATA_KINDS),
        merge: Merge::Union,
        governs: &["prohibited_data"],
        description: "Kinds of data the classification or tag contains: the vendor's terms must not forbid them.",
    },
    RequirementSpec {
        name: "no_consumer_tier",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["consumer_account_linked", "rests_on_consumer_terms"],
        description: "Consumer-tier offerings are not acceptable.",
    },
    RequirementSpec {
        name: "business_use",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["permitted_use", "organizational_accounts"],
        description: "The terms must permit the organization's use: not personal or non-commercial use only, and not excluding the organization's accounts.",
    },
    RequirementSpec {
        name: "known_providers",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["providers", "provider_pass_down"],
        description: "The model providers and AI sub-processors an offering relies on must be known (with the `provider-chain` check: an unknown `providers` fact holds the review).",
    },
    RequirementSpec {
        name: "first_party_evidence",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &[],
        description: "Deciding facts must rest on the vendor's own documents, not third parties.",
    },
    RequirementSpec {
        name: "verified_evidence",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &[],
        description: "Facts must be backed by quoted evidence (bare values are not enough).",
    },
];

pub fn requirement_spec(name: &str) -> Option<&'static RequirementSpec> {
    REQUIREMENTS.iter().find(|r| r.name == name)
}

pub fn requirement_names() -> impl Iterator<Item = &'static str> {
    REQUIREMENTS.iter().map(|r| r.name)
}

/// Describes what a value type accepts, for messages.
pub fn expected(ty: ValueType) -> String {
    match ty {
        ValueType::Enum(values) => format!("one of: {}", values.join(", ")),
        ValueType::Count => "a whole number (0 or more)".to_string(),
        ValueType::CountOr(words) => {
            format!("a whole number (0 or more) or one of: {}", words.join(", "))
        }
        ValueType::Bool => "true or false".to_string(),
        ValueType::EnumList(values) => format!("a list of: {}", values.join(", ")),
        ValueType::TextList => "a list of names, e.g. [eu, us]".to_string(),
        ValueType::Certifications => {
            "a list of certifications, e.g. [{name: SOC 2 Type II, expires: 2027-06-30}]"
                .to_string()
        }
    }
}

/// Checks a YAML value against a type and converts it to the JSON value rules and reports see.
/// `what` names the field for messages (e.g. "fact `retention_days`").
pub fn check_value(node: &Spanned<Node>, ty: ValueType, what: &str) -> Result<Value, Diagnostic> {
    let at = span_pos(node);
    let wrong = |found: &str| {
        Diagnostic::error(format!("{what}: expected {}, found {found}", expected(ty))).at(at)
    };
    match (ty, &node.value) {
        (ValueType::Enum(values), Node::Str(s)) => {
            if values.contains(&s.as_str()) {
                Ok(Value::String(s.clone()))
            } else {
                Err(Diagnostic::error(format!(
                    "{what}: `{s}` is not one of: {}",
                    values.join(", ")
                ))
                .at(at)
                .maybe_hint(did_you_mean(s, values.iter().copied())))
            }
        }
        (ValueType::Enum(values), Node::Bool(b)) => {
            // `yes`/`no` are kept as text by the parser; a literal true/false is a likely slip.
            Err(wrong(&format!("`{b}`")).hint(format!("write one of: {}", values.join(", "))))
        }
        (ValueType::Count | ValueType::CountOr(_), _) => check_count(node, ty, what),
        (ValueType::Bool, Node::Bool(b)) => Ok(Value::Bool(*b)),
        (ValueType::EnumList(values), Node::Seq(items)) => {
            let mut out = Vec::new();
            for item in items {
                let v = check_value(item, ValueType::Enum(values), what)?;
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            Ok(Value::Array(out))
        }
        (ValueType::TextList, Node::Seq(items)) => {
            let mut out = Vec::new();
            for item in items {
                match &item.value {
                    Node::Str(s) if !s.trim().is_empty() => {
                        let v = Value::String(s.trim().to_string());
                        if !out.contains(&v) {
                            out.push(v);
                        }
                    }
                    other => {
                        return Err(Diagnostic::error(format!(
                            "{what}: list items must be names, found {}",
                            other.kind()
                        ))
                        .at(span_pos(item)));
                    }
                }
            }
            Ok(Value::Array(out))
        }
        (ValueType::Certifications, Node::Seq(items)) => items
            .iter()
            .map(|i| check_certification(i, what))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (ValueType::EnumList(_) | ValueType::TextList, Node::Str(_)) => {
            Err(wrong("a single word").hint("write a list, e.g. [scc]"))
        }
        (_, other) => Err(wrong(other.kind())),
    }
}

/// A whole number, or (for `CountOr`) one of its words.
fn check_count(node: &Spanned<Node>, ty: ValueType, what: &str) -> Result<Value, Diagnostic> {
    let wrong = |found: &str| {
        Diagnostic::error(format!("{what}: expected {}, found {found}", expected(ty)))
            .at(span_pos(node))
    };
    let words = match ty {
        ValueType::CountOr(words) => words,
        _ => &[],
    };
    match &node.value {
        Node::Int(i) if *i >= 0 => Ok(Value::from(*i)),
        Node::Int(i) => Err(wrong(&format!("the negative number {i}"))),
        Node::Str(s) if words.contains(&s.as_str()) => Ok(Value::String(s.clone())),
        Node::Str(s) if words.is_empty() => {
            Err(wrong(&format!("the text `{s}`")).hint("write the number in digits, e.g. 30"))
        }
        Node::Str(s) => Err(wrong(&format!("the text `{s}`")).hint(
            did_you_mean(s, words.iter().copied()).unwrap_or_else(|| {
                format!(
                    "write the number in digits, e.g. 30, or one of: {}",
                    words.join(", ")
                )
            }),
        )),
        other => Err(wrong(other.kind())),
    }
}

fn check_certification(node: &Spanned<Node>, what: &str) -> Result<Value, Diagnostic> {
    let at = span_pos(node);
    let Node::Map(entries) = &node.value else {
        return Err(Diagnostic::error(format!(
            "{what}: each certification is a mapping like {{name: SOC 2 Type II}}, found {}",
            node.value.kind()
        ))
        .at(at));
    };
    let mut cert = serde_json::Map::new();
    for (key, value) in entries {
        let field = key.value.as_str();
        match (field, &value.value) {
            ("name" | "scope", Node::Str(s)) => {
                cert.insert(field.to_string(), Value::String(s.clone()));
            }
            ("expires", Node::Str(s)) => {
                let date = parse_date(s, span_pos(value), &format!("{what}: expires"))?;
                cert.insert(field.to_string(), Value::String(date.to_string()));
            }
            ("name" | "scope" | "expires", other) => {
                return Err(Diagnostic::error(format!(
                    "{what}: `{field}` must be text, found {}",
                    other.kind()
                ))
                .at(span_pos(value)));
            }
            (unknown, _) => {
                return Err(Diagnostic::error(format!(
                    "{what}: unknown certification field `{unknown}`"
                ))
                .at(span_pos(key))
                .maybe_hint(
                    did_you_mean(unknown, ["name", "scope", "expires"])
                        .or_else(|| Some("allowed fields: name, scope, expires".into())),
                ));
            }
        }
    }
    if !cert.contains_key("name") {
        return Err(Diagnostic::error(format!("{what}: a certification needs a `name`")).at(at));
    }
    Ok(Value::Object(cert))
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str, at: Pos, what: &str) -> Result<jiff::civil::Date, Diagnostic> {
    text.trim().parse::<jiff::civil::Date>().map_err(|_| {
        Diagnostic::error(format!("{what}: `{text}` is not a date"))
            .at(at)
            .hint("write dates as YYYY-MM-DD, e.g. 2026-11-24")
    })
}

#[cfg(test)]
mod tests;
