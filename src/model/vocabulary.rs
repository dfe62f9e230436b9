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
        ty: ValueType::Count,
        description: "Days customer content (inputs, outputs) is kept after a request is processed, while the contract runs.",
        question: "How many days do you keep our inputs and outputs, and when are they deleted?",
    },
    FactSpec {
        name: "deletion_after_termination_days",
        ty: ValueType::Count,
        description: "Days after the contract ends within which customer content is deleted.",
        question: "Within how many days after the contract ends do you delete our content, including backups?",
    },
    FactSpec {
        name: "abuse_monitoring_retention_days",
        ty: ValueType::Count,
        description: "Days content is kept for abuse and misuse monitoring.",
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
        ty: ValueType::Count,
        description: "Days of notice before changed terms take effect.",
        question: "How many days' notice do you give before changed terms take effect?",
    },
    FactSpec {
        name: "breach_notification_hours",
        ty: ValueType::Count,
        description: "Hours within which the vendor notifies a personal data breach.",
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
];

/// What a quote must contain to support one value of a fact: the `support` column of the
/// per-fact cue table ([`ClauseCues`]), read by `check`, which refuses a quote that cannot
/// support its claim's value (a `never` with no negation, a `default_on` that never speaks of
/// training). The clause finder of `diligence extract` reads the other columns of the same row.
/// The words are the generic wording of terms of service, never one vendor's sentences.
///
/// Matching is on lowercase whole words (consecutive words for a phrase); hyphens and other
/// punctuation split words, so `opt out` matches "opt-out". A value with no cue needs nothing
/// beyond being quoted. Number facts need no cue: the quote must state the number itself, as
/// digits or words ("thirty (30) days"), and `0` may also rest on a negation ("does not retain").
#[derive(Debug, Clone, Copy)]
pub struct ValueCue {
    pub value: &'static str,
    /// A negation ("not", "no", "never", "without", "nor", "won't", ...) supports the value.
    pub negation: bool,
    /// Words or phrases, any one of which supports the value.
    pub words: &'static [&'static str],
}

impl ValueCue {
    const fn negation(value: &'static str) -> ValueCue {
        ValueCue {
            value,
            negation: true,
            words: &[],
        }
    }
    const fn words(value: &'static str, words: &'static [&'static str]) -> ValueCue {
        ValueCue {
            value,
            negation: false,
            words,
        }
    }
}

const TRAINING_SUPPORT: &[ValueCue] = &[
    ValueCue::negation("never"),
    ValueCue::words(
        "opt_in",
        &[
            "opt in",
            "opted in",
            "consent",
            "consents",
            "explicitly",
            "agree",
            "agrees",
            "elect",
            "elects",
            "choose to",
            "permission",
            "authorize",
            "authorizes",
        ],
    ),
    ValueCue::words(
        "opt_out",
        &[
            "opt out",
            "opted out",
            "opts out",
            "unless",
            "object",
            "turn off",
            "disable",
            "settings",
            "choose not",
        ],
    ),
    ValueCue::words(
        "default_on",
        &[
            "train",
            "training",
            "trained",
            "improve",
            "improving",
            "develop",
            "by default",
        ],
    ),
    ValueCue::words(
        "negotiable",
        &[
            "negotiate",
            "negotiated",
            "negotiable",
            "otherwise agreed",
            "agreed in writing",
            "separate agreement",
            "order form",
        ],
    ),
];

const LICENCE_SUPPORT: &[ValueCue] = &[
    ValueCue::words(
        "service_only",
        &[
            "provide",
            "providing",
            "perform",
            "solely",
            "only",
            "maintain",
        ],
    ),
    ValueCue::words(
        "service_improvement",
        &[
            "improve",
            "improving",
            "improvement",
            "develop",
            "enhance",
            "optimize",
            "optimizing",
            "optimise",
            "optimising",
        ],
    ),
    ValueCue::words(
        "model_improvement",
        &["train", "training", "model", "models"],
    ),
    ValueCue::words(
        "broad",
        &[
            "any purpose",
            "perpetual",
            "irrevocable",
            "sublicense",
            "sublicensable",
            "unrestricted",
        ],
    ),
];

const RETENTION_SUPPORT: &[ValueCue] = &[];

const DELETION_SUPPORT: &[ValueCue] = &[];

const ABUSE_RETENTION_SUPPORT: &[ValueCue] = &[];

const ZDR_SUPPORT: &[ValueCue] = &[
    ValueCue::words(
        "default",
        &[
            "by default",
            "default",
            "does not retain",
            "not retain",
            "not stored",
        ],
    ),
    ValueCue::words(
        "available",
        &[
            "zero data retention",
            "zero retention",
            "zdr",
            "available",
            "activated",
            "enable",
            "enabled",
        ],
    ),
    ValueCue::words(
        "on_request",
        &["request", "contact", "approval", "approved", "eligible"],
    ),
    ValueCue::negation("unavailable"),
];

const HUMAN_REVIEW_SUPPORT: &[ValueCue] = &[
    ValueCue::negation("never"),
    ValueCue::words(
        "safety_only",
        &[
            "safety",
            "abuse",
            "misuse",
            "violation",
            "violations",
            "security",
            "fraud",
        ],
    ),
    ValueCue::words(
        "may_review",
        &[
            "review",
            "reviewed",
            "reviewers",
            "access",
            "human",
            "personnel",
            "employees",
            "contractors",
        ],
    ),
];

const DPA_SUPPORT: &[ValueCue] = &[
    ValueCue::negation("none"),
    ValueCue::words(
        "online",
        &[
            "data processing",
            "dpa",
            "incorporated",
            "available at",
            "addendum",
        ],
    ),
    ValueCue::words(
        "signed",
        &[
            "signed",
            "sign",
            "executed",
            "execute",
            "countersigned",
            "signature",
        ],
    ),
    ValueCue::words(
        "negotiable",
        &[
            "negotiate",
            "negotiated",
            "negotiable",
            "request",
            "contact",
        ],
    ),
];

const BAA_SUPPORT: &[ValueCue] = &[
    ValueCue::words("available", &["business associate", "baa", "hipaa"]),
    // "unless a BAA has been executed": available, but only under a signed agreement.
    ValueCue::words(
        "on_request",
        &[
            "request",
            "contact",
            "sales",
            "enter into",
            "executed",
            "signed",
            "unless",
        ],
    ),
    ValueCue::negation("unavailable"),
];

const CERTIFICATION_SUPPORT: &[ValueCue] = &[];

const SUBPROCESSOR_SUPPORT: &[ValueCue] = &[
    ValueCue::words(
        "published",
        &[
            "list",
            "available at",
            "website",
            "published",
            "http",
            "https",
        ],
    ),
    ValueCue::words("on_request", &["request", "upon request"]),
    ValueCue::negation("none"),
];

const RESIDENCY_SUPPORT: &[ValueCue] = &[];

const TRANSFER_SUPPORT: &[ValueCue] = &[
    ValueCue::words(
        "scc",
        &[
            "standard contractual clauses",
            "scc",
            "sccs",
            "model clauses",
            // The SCC modules, as DPAs name them.
            "controller to processor clauses",
            "processor to processor clauses",
            "module two",
            "module three",
        ],
    ),
    ValueCue::words("adequacy", &["adequacy", "adequate"]),
    ValueCue::words("dpf", &["data privacy framework", "dpf"]),
    ValueCue::words("bcr", &["binding corporate rules", "bcr", "bcrs"]),
    ValueCue::negation("none"),
];

const OWNERSHIP_WORDS: &[&str] = &["own", "owns", "ownership", "assign", "assigns", "title"];

const OWNERSHIP_SUPPORT: &[ValueCue] = &[
    ValueCue::words("customer", OWNERSHIP_WORDS),
    ValueCue::words("vendor", OWNERSHIP_WORDS),
    ValueCue::words("shared", &["jointly", "joint", "shared"]),
];

const INDEMNITY_WORDS: &[&str] = &[
    "indemnify",
    "indemnifies",
    "indemnification",
    "indemnity",
    "defend",
    "hold harmless",
];

const INDEMNITY_SUPPORT: &[ValueCue] = &[
    ValueCue::words("yes", INDEMNITY_WORDS),
    ValueCue::words("limited", INDEMNITY_WORDS),
    ValueCue::negation("no"),
];

const TERMS_CHANGE_SUPPORT: &[ValueCue] = &[];

const BREACH_SUPPORT: &[ValueCue] = &[];

const ACCOUNT_WORDS: &[&str] = &[
    "account",
    "accounts",
    "same account",
    "log in",
    "login",
    "sign in",
    "credentials",
];

const CONSUMER_ACCOUNT_SUPPORT: &[ValueCue] = &[
    ValueCue::words("yes", ACCOUNT_WORDS),
    ValueCue::negation("no"),
];

const CONSUMER_TERMS_WORDS: &[&str] = &[
    "consumer",
    "consumers",
    "terms of use",
    "terms of service",
    "individuals",
    "personal use",
];

const CONSUMER_TERMS_SUPPORT: &[ValueCue] = &[
    ValueCue::words("yes", CONSUMER_TERMS_WORDS),
    // "not for consumer use", "does not apply to ... consumers".
    ValueCue::negation("no"),
];

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
        governs: &["terms_change_notice_days"],
        description: "Shortest acceptable notice before changed terms take effect, in days.",
    },
    RequirementSpec {
        name: "max_breach_notification_hours",
        ty: ValueType::Count,
        merge: Merge::Min,
        governs: &["breach_notification_hours"],
        description: "Longest acceptable delay to notify a personal data breach, in hours.",
    },
    RequirementSpec {
        name: "no_consumer_tier",
        ty: ValueType::Bool,
        merge: Merge::Any,
        governs: &["consumer_account_linked", "rests_on_consumer_terms"],
        description: "Consumer-tier offerings are not acceptable.",
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
        (ValueType::Count, Node::Int(i)) if *i >= 0 => Ok(Value::from(*i)),
        (ValueType::Count, Node::Int(i)) => Err(wrong(&format!("the negative number {i}"))),
        (ValueType::Count, Node::Str(s)) => {
            Err(wrong(&format!("the text `{s}`")).hint("write the number in digits, e.g. 30"))
        }
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

/// How terms usually word a fact, for the clause finder of `diligence extract`. Cues describe
/// legal drafting in general (topic words, negations, durations, modal verbs), never one
/// vendor's sentences. Phrases are lowercase and match at the start of a word ("train" matches
/// "training").
pub struct ClauseCues {
    pub fact: &'static str,
    /// Concepts a clause about the fact mentions: each group is one concept (any of its
    /// phrases). The first group is required; the clause's heading counts too.
    pub topic: &'static [&'static [&'static str]],
    /// For each value, phrases that state it. A value is proposed only when the wording is
    /// unambiguous: exactly one value's phrases occur, or, with `first_wins`, the first value
    /// listed whose phrases occur (for values that qualify another, e.g. `limited` over `yes`).
    pub values: &'static [(&'static str, &'static [&'static str])],
    pub first_wins: bool,
    /// Phrases that show the clause is about something else (the customer's own obligation,
    /// a payment processor): such a clause is never a candidate.
    pub against: &'static [&'static str],
    /// For a count: the unit that follows the number ("thirty (30) days", "within 72 hours").
    pub unit: Option<&'static [&'static str]>,
    /// What a quote must contain to support each value (read by `check`, see [`ValueCue`]).
    pub support: &'static [ValueCue],
}

const TRAIN: &[&str] = &[
    "train",
    "fine-tun",
    "improve our models",
    "improve its models",
    "improve the models",
    "develop our models",
    "develop and improve",
    "develop or improve",
    "model improvement",
    "machine learning",
];
const NO_USE: &[&str] = &[
    "will not use",
    "shall not use",
    "does not use",
    "do not use",
    "won't use",
    "never use",
    "will not train",
    "does not train",
    "do not train",
    "not be used to train",
    "not used to train",
    "not to use",
    "may not train",
    "may not use",
];
const OPT_OUT: &[&str] = &[
    "opt out",
    "opt-out",
    "opted out",
    "opted-out",
    "unless you opt",
    "turn off",
    "disable",
];
const OPT_IN: &[&str] = &[
    "opt in",
    "opt-in",
    "opted in",
    "opted-in",
    "explicit permission",
    "explicitly agree",
    "if you choose to share",
    "with your consent",
    "explicitly opt",
];
const RETAIN: &[&str] = &[
    "retain",
    "retention",
    "store",
    "stored",
    "kept",
    "keep",
    "delete",
    "deletion",
    "purge",
];
const CUSTOMER_DATA: &[&str] = &[
    "customer content",
    "customer data",
    "your content",
    "your data",
    "input",
    "prompt",
    "api data",
    "user content",
    "content",
    "logs",
];

pub const CLAUSE_CUES: &[ClauseCues] = &[
    ClauseCues {
        fact: "training_on_inputs",
        support: TRAINING_SUPPORT,
        topic: &[
            TRAIN,
            &[
                "customer content",
                "customer data",
                "your content",
                "your data",
                "input",
                "prompt",
                "api data",
                "user content",
                "content",
            ],
        ],
        // An opt-out or opt-in qualifies a refusal ("will not use ... unless you opt in").
        values: &[("opt_out", OPT_OUT), ("opt_in", OPT_IN), ("never", NO_USE)],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "training_on_outputs",
        support: TRAINING_SUPPORT,
        topic: &[
            TRAIN,
            &[
                "output",
                "completion",
                "generated",
                "response",
                "customer content",
                "customer data",
                "your content",
            ],
        ],
        values: &[("opt_out", OPT_OUT), ("opt_in", OPT_IN), ("never", NO_USE)],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "licence_scope",
        support: LICENCE_SUPPORT,
        topic: &[
            &["license", "licence", "grants", "grant ", "right to use"],
            &[
                "customer content",
                "customer data",
                "your content",
                "input",
                "content",
                "data",
            ],
        ],
        values: &[
            (
                "model_improvement",
                &[
                    "to train",
                    "training",
                    "improve our models",
                    "improve its models",
                    "artificial intelligence models",
                ],
            ),
            (
                "service_improvement",
                &[
                    "improve the services",
                    "improving the services",
                    "improve our services",
                    "optimizing",
                    "optimising",
                    "develop and improve",
                    "improve the products",
                ],
            ),
            (
                "service_only",
                &[
                    "solely to provide",
                    "only to provide",
                    "solely for the purpose of providing",
                    "sole purpose of providing",
                    "necessary to provide",
                    "necessary for",
                    "as necessary to",
                    "only the limited rights",
                    "only to the extent necessary",
                ],
            ),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "retention_days",
        support: RETENTION_SUPPORT,
        topic: &[RETAIN, CUSTOMER_DATA],
        values: &[],
        first_wins: false,
        against: &[
            "terminat",
            "expiration of the agreement",
            "end of the agreement",
        ],
        unit: Some(&["days", "day"]),
    },
    ClauseCues {
        fact: "deletion_after_termination_days",
        support: DELETION_SUPPORT,
        topic: &[
            &[
                "terminat",
                "expiration",
                "expiry",
                "end of the agreement",
                "end of the provision",
            ],
            &["delete", "deletion", "destroy", "return"],
        ],
        values: &[],
        first_wins: false,
        against: &[],
        unit: Some(&["days", "day"]),
    },
    ClauseCues {
        fact: "abuse_monitoring_retention_days",
        support: ABUSE_RETENTION_SUPPORT,
        topic: &[
            &[
                "abuse",
                "misuse",
                "trust and safety",
                "safety monitoring",
                "policy violation",
                "moderation",
            ],
            RETAIN,
        ],
        values: &[],
        first_wins: false,
        against: &[],
        unit: Some(&["days", "day"]),
    },
    ClauseCues {
        fact: "zero_data_retention",
        support: ZDR_SUPPORT,
        topic: &[&[
            "zero data retention",
            "zero-data-retention",
            "zero retention",
            "zdr",
            "no data retention",
        ]],
        values: &[
            (
                "unavailable",
                &[
                    "not available",
                    "does not offer",
                    "not offer",
                    "unavailable",
                ],
            ),
            (
                "on_request",
                &[
                    "on request",
                    "upon request",
                    "request",
                    "approval",
                    "approved",
                    "contact",
                ],
            ),
            ("default", &["by default"]),
            (
                "available",
                &[
                    "available",
                    "can enable",
                    "may enable",
                    "activated",
                    "enabled",
                    "eligible",
                ],
            ),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "human_review",
        support: HUMAN_REVIEW_SUPPORT,
        topic: &[
            &[
                "human",
                "personnel",
                "employee",
                "reviewer",
                "staff",
                "authorized person",
            ],
            &["review", "access", "read", "view", "look at"],
        ],
        values: &[
            (
                "never",
                &[
                    "will not review",
                    "no human",
                    "not be reviewed",
                    "never access",
                    "do not access",
                    "will not access",
                ],
            ),
            (
                "safety_only",
                &[
                    "abuse",
                    "misuse",
                    "safety",
                    "security",
                    "investigat",
                    "violation",
                    "comply with law",
                    "legal obligation",
                ],
            ),
            (
                "may_review",
                &[
                    "may review",
                    "may access",
                    "may be reviewed",
                    "may read",
                    "may view",
                ],
            ),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "dpa",
        support: DPA_SUPPORT,
        topic: &[&[
            "data processing addendum",
            "data processing agreement",
            "data protection addendum",
            "dpa",
            "data processor",
            "processes personal data",
            "process personal data",
            "processing of personal data",
        ]],
        values: &[
            ("signed", &["executed", "signed", "countersign"]),
            (
                "online",
                &[
                    "incorporated",
                    "available at",
                    "located at",
                    "forms part of",
                    "as a data processor",
                    "data processor",
                    "governed by",
                    "apply to",
                ],
            ),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "baa",
        support: BAA_SUPPORT,
        topic: &[&[
            "business associate",
            "baa",
            "hipaa",
            "protected health information",
            "phi",
        ]],
        values: &[
            (
                "on_request",
                &[
                    "request", "contact", "sales", "unless", "signed", "executed",
                ],
            ),
            (
                "unavailable",
                &[
                    "not enter",
                    "does not",
                    "not intended",
                    "must not",
                    "not permitted",
                    "do not",
                    "prohibited",
                    "shall not",
                    "may not",
                ],
            ),
            (
                "available",
                &["will enter", "offers", "available", "may enter", "provides"],
            ),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "certifications",
        support: CERTIFICATION_SUPPORT,
        topic: &[&[
            "iso 27001",
            "iso/iec 27001",
            "iso 27701",
            "iso 42001",
            "soc 2",
            "soc2",
            "soc 1",
            "certified",
            "certification",
            "attestation",
            "audit report",
            "csa star",
            "pci",
        ]],
        values: &[],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "subprocessors_list",
        support: SUBPROCESSOR_SUPPORT,
        topic: &[&["subprocessor", "sub-processor"]],
        values: &[
            (
                "none",
                &["does not use any", "no subprocessor", "no sub-processor"],
            ),
            (
                "on_request",
                &[
                    "upon request",
                    "on request",
                    "request a list",
                    "request a copy",
                ],
            ),
            (
                "published",
                &[
                    "list",
                    "available at",
                    "published",
                    "website",
                    "http",
                    "located at",
                    "web page",
                ],
            ),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "data_residency",
        support: RESIDENCY_SUPPORT,
        topic: &[&[
            "data residency",
            "stored in",
            "located in",
            "region",
            "processed in",
            "hosted in",
            "data center",
            "datacenter",
            "data centre",
            "european economic area",
            "european union",
        ]],
        values: &[],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "transfer_mechanism",
        support: TRANSFER_SUPPORT,
        topic: &[
            &["transfer"],
            &[
                "standard contractual clauses",
                "sccs",
                "adequacy",
                "data privacy framework",
                "binding corporate rules",
                "third countr",
                "outside the",
            ],
        ],
        values: &[
            ("scc", &["standard contractual clauses", "sccs"]),
            ("adequacy", &["adequacy"]),
            ("dpf", &["data privacy framework"]),
            ("bcr", &["binding corporate rules"]),
        ],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "output_ownership",
        support: OWNERSHIP_SUPPORT,
        topic: &[
            &["output", "generated", "completion"],
            &["own", "ownership", "title", "assign", "belong"],
        ],
        values: &[
            ("shared", &["jointly"]),
            (
                "customer",
                &[
                    "you own",
                    "customer owns",
                    "customer retains",
                    "you retain",
                    "assigns to you",
                    "assigns to customer",
                    "hereby assign",
                    "as between",
                    "belong to you",
                    "belongs to customer",
                    "owned by customer",
                    "owned by you",
                ],
            ),
            (
                "vendor",
                &["we own", "retain all right", "retains all right"],
            ),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "ip_indemnity",
        support: INDEMNITY_SUPPORT,
        topic: &[
            &[
                "indemnif",
                "defend",
                "hold harmless",
                "hold customer harmless",
            ],
            &[
                "intellectual property",
                "infring",
                "misappropriat",
                "third-party claim",
                "third party claim",
            ],
        ],
        values: &[
            (
                "no",
                &["does not indemnify", "no indemni", "will not indemnify"],
            ),
            (
                "limited",
                &[
                    "subject to",
                    "except",
                    "exclusion",
                    "to the extent",
                    "shall not apply",
                    "does not apply",
                    "will not apply",
                    "cap",
                ],
            ),
            (
                "yes",
                &[
                    "will defend",
                    "will indemnify",
                    "shall indemnify",
                    "shall defend",
                    "agrees to indemnify",
                ],
            ),
        ],
        first_wins: true,
        against: &[
            "you shall defend",
            "you shall indemnify",
            "you agree to defend",
            "you agree to indemnify",
            "you will defend",
            "you will indemnify",
            "customer shall defend",
            "customer shall indemnify",
            "customer will defend",
            "customer will indemnify",
            "customer agrees to defend",
            "customer agrees to indemnify",
        ],
        unit: None,
    },
    ClauseCues {
        fact: "terms_change_notice_days",
        support: TERMS_CHANGE_SUPPORT,
        topic: &[
            &["change", "modif", "update", "amend", "revise", "revision"],
            &["terms", "agreement"],
            &["notice", "notify", "effective", "notif"],
        ],
        values: &[],
        first_wins: false,
        against: &[],
        unit: Some(&["days", "day"]),
    },
    ClauseCues {
        fact: "breach_notification_hours",
        support: BREACH_SUPPORT,
        topic: &[
            &["breach", "security incident", "incident"],
            &["notify", "notification", "inform", "notice"],
        ],
        values: &[],
        first_wins: false,
        against: &[
            "materially breach",
            "material breach",
            "breach of this agreement",
            "breach of these terms",
            "breaches this agreement",
            "breaches these terms",
            "in breach",
            "breach any",
        ],
        unit: Some(&["hours", "hour"]),
    },
    ClauseCues {
        fact: "consumer_account_linked",
        support: CONSUMER_ACCOUNT_SUPPORT,
        topic: &[
            &["account", "log in", "login", "sign in", "credentials"],
            &["consumer", "personal", "individual", "app"],
        ],
        values: &[
            ("yes", &["same account", "existing account", "your account"]),
            ("no", &["separate account", "not linked", "distinct account"]),
        ],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "rests_on_consumer_terms",
        support: CONSUMER_TERMS_SUPPORT,
        topic: &[&["consumer", "individuals", "personal use"]],
        values: &[
            (
                "no",
                &["not for consumer", "does not apply", "do not apply", "not apply"],
            ),
            (
                "yes",
                &[
                    "incorporate",
                    "incorporated",
                    "in addition to",
                    "also apply",
                    "supplement",
                ],
            ),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
];

pub fn clause_cues(fact: &str) -> Option<&'static ClauseCues> {
    CLAUSE_CUES.iter().find(|c| c.fact == fact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::yaml::parse;

    fn node(yaml: &str) -> Spanned<Node> {
        parse(yaml, "t.yaml").unwrap()
    }

    #[test]
    fn every_name_is_unique_snake_case() {
        let mut names: Vec<&str> = fact_names().chain(requirement_names()).collect();
        for n in &names {
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{n}");
        }
        let facts: Vec<&str> = fact_names().collect();
        let mut dedup = facts.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), facts.len());
        names.sort();
    }

    #[test]
    fn typed_values_are_checked() {
        let ty = fact_spec("retention_days").unwrap().ty;
        assert_eq!(check_value(&node("30"), ty, "f").unwrap(), Value::from(30));
        let e = check_value(&node("thirty"), ty, "fact `retention_days`").unwrap_err();
        assert!(
            e.message.contains("expected a whole number"),
            "{}",
            e.message
        );
        let ty = fact_spec("training_on_inputs").unwrap().ty;
        let e = check_value(&node("nevr"), ty, "f").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `never`?"));
    }

    #[test]
    fn certifications_need_a_name_and_a_real_date() {
        let ty = ValueType::Certifications;
        let ok = check_value(
            &node("[{name: SOC 2 Type II, expires: 2027-01-31}]"),
            ty,
            "f",
        );
        assert_eq!(
            ok.unwrap(),
            serde_json::json!([{"name": "SOC 2 Type II", "expires": "2027-01-31"}])
        );
        assert!(check_value(&node("[{scope: all}]"), ty, "f").is_err());
        assert!(check_value(&node("[{name: x, expires: 2027-02-30}]"), ty, "f").is_err());
    }

    #[test]
    fn every_fact_has_clause_cues_with_allowed_values() {
        for f in FACTS {
            let cues =
                clause_cues(f.name).unwrap_or_else(|| panic!("no clause cues for {}", f.name));
            assert!(
                !cues.topic.is_empty() && !cues.topic[0].is_empty(),
                "{}",
                f.name
            );
            for (value, phrases) in cues.values {
                assert!(!phrases.is_empty(), "{}: {value}", f.name);
                let allowed = match f.ty {
                    ValueType::Enum(v) | ValueType::EnumList(v) => v.contains(value),
                    _ => false,
                };
                assert!(allowed, "{}: `{value}` is not an allowed value", f.name);
            }
            assert_eq!(cues.unit.is_some(), f.ty == ValueType::Count, "{}", f.name);
        }
        assert_eq!(CLAUSE_CUES.len(), FACTS.len());
    }
}

#[cfg(test)]
mod governs_tests {
    use super::*;

    #[test]
    fn every_governed_name_is_a_fact_and_every_fact_is_governed() {
        for r in REQUIREMENTS {
            for f in r.governs {
                assert!(
                    fact_spec(f).is_some(),
                    "{} governs unknown fact {f}",
                    r.name
                );
            }
        }
        for f in FACTS {
            assert!(
                governing_requirements(f.name).next().is_some(),
                "no requirement governs {}",
                f.name
            );
        }
    }
}

/// Standard questionnaire references per fact: the CSA Consensus Assessments Initiative
/// Questionnaire (CAIQ) **version 4.0** (question ids of the Cloud Controls Matrix v4.0).
///
/// Kept apart from [`FACTS`] so that each table can change on its own. Only questions that truly
/// ask the same thing are listed; a fact with no CAIQ question that matches has no entry (a
/// wrong reference misleads a vendor more than a missing one).
pub const CAIQ_VERSION: &str = "CSA CAIQ v4.0";

pub const CAIQ_REFS: &[(&str, &[&str])] = &[
    // DSP-16: data retention and deletion.
    ("retention_days", &["DSP-16.1"]),
    ("deletion_after_termination_days", &["DSP-16.1"]),
    // DSP-14: disclosure of data sub-processors.
    ("subprocessors_list", &["DSP-14.1"]),
    // DSP-19: data location.
    ("data_residency", &["DSP-19.1"]),
    // SEF-07: security breach notification.
    ("breach_notification_hours", &["SEF-07.2"]),
    // STA-09: primary service and contractual agreement (includes notice of changes).
    ("terms_change_notice_days", &["STA-09"]),
];

/// The CAIQ references of a fact (empty when none matches).
pub fn caiq_refs(fact: &str) -> &'static [&'static str] {
    CAIQ_REFS
        .iter()
        .find(|(f, _)| *f == fact)
        .map_or(&[], |(_, refs)| refs)
}

#[cfg(test)]
mod caiq_tests {
    use super::*;

    #[test]
    fn every_caiq_key_is_a_fact_and_listed_once() {
        for (i, (fact, refs)) in CAIQ_REFS.iter().enumerate() {
            assert!(
                fact_spec(fact).is_some(),
                "CAIQ_REFS names unknown fact {fact}"
            );
            assert!(!refs.is_empty(), "{fact} has an empty reference list");
            assert!(
                CAIQ_REFS[i + 1..].iter().all(|(f, _)| f != fact),
                "{fact} is listed twice"
            );
        }
    }
}
