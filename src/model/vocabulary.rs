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
pub const TIERS: &[&str] = &["consumer", "api", "enterprise"];

pub struct FactSpec {
    pub name: &'static str,
    pub ty: ValueType,
    pub description: &'static str,
    /// What to ask the vendor when the fact is unknown.
    pub question: &'static str,
    /// The words that tie a passage of terms to this fact and to each of its values.
    pub cues: Cues,
}

pub const FACTS: &[FactSpec] = &[
    FactSpec {
        name: "training_on_inputs",
        ty: ValueType::Enum(TRAINING),
        description: "Whether the vendor trains models on customer inputs (prompts, files).",
        question: "Do you use our inputs to train or improve models, and can we opt out in writing?",
        cues: TRAINING_CUES,
    },
    FactSpec {
        name: "training_on_outputs",
        ty: ValueType::Enum(TRAINING),
        description: "Whether the vendor trains models on the outputs generated for the customer.",
        question: "Do you use the outputs generated for us to train or improve models?",
        cues: TRAINING_CUES,
    },
    FactSpec {
        name: "licence_scope",
        ty: ValueType::Enum(LICENCE_SCOPE),
        description: "The licence the customer grants over its content: only to provide the service, also to improve it, also to improve models, or broader.",
        question: "For what purposes do you licence our content: only to provide the service?",
        cues: LICENCE_CUES,
    },
    FactSpec {
        name: "retention_days",
        ty: ValueType::Count,
        description: "Days customer content (inputs, outputs) is kept after a request is processed, while the contract runs.",
        question: "How many days do you keep our inputs and outputs, and when are they deleted?",
        cues: RETENTION_CUES,
    },
    FactSpec {
        name: "deletion_after_termination_days",
        ty: ValueType::Count,
        description: "Days after the contract ends within which customer content is deleted.",
        question: "Within how many days after the contract ends do you delete our content, including backups?",
        cues: DELETION_CUES,
    },
    FactSpec {
        name: "abuse_monitoring_retention_days",
        ty: ValueType::Count,
        description: "Days content is kept for abuse and misuse monitoring.",
        question: "How long do you keep content for abuse monitoring, and who can access it?",
        cues: ABUSE_RETENTION_CUES,
    },
    FactSpec {
        name: "zero_data_retention",
        ty: ValueType::Enum(ZERO_DATA_RETENTION),
        description: "Whether zero data retention applies by default, is available, on request, or unavailable.",
        question: "Can you contractually commit to zero data retention for our account?",
        cues: ZDR_CUES,
    },
    FactSpec {
        name: "human_review",
        ty: ValueType::Enum(HUMAN_REVIEW),
        description: "Whether vendor personnel may read customer content.",
        question: "Can your personnel read our content, in which cases, and is it logged?",
        cues: HUMAN_REVIEW_CUES,
    },
    FactSpec {
        name: "dpa",
        ty: ValueType::Enum(DPA),
        description: "Data processing agreement: none, published online, signed, or negotiable.",
        question: "Do you offer a data processing agreement, and can we sign it?",
        cues: DPA_CUES,
    },
    FactSpec {
        name: "baa",
        ty: ValueType::Enum(BAA),
        description: "HIPAA business associate agreement availability.",
        question: "Will you sign a HIPAA business associate agreement for this offering?",
        cues: BAA_CUES,
    },
    FactSpec {
        name: "certifications",
        ty: ValueType::Certifications,
        description: "Security certifications and attestations: name, optional scope and expiry.",
        question: "Which certifications (SOC 2 Type II, ISO 27001) cover this offering, and until when?",
        cues: CERTIFICATION_CUES,
    },
    FactSpec {
        name: "subprocessors_list",
        ty: ValueType::Enum(SUBPROCESSORS),
        description: "Whether the list of subprocessors is published, available on request, or not given.",
        question: "Where is your list of subprocessors, and how are we notified of changes?",
        cues: SUBPROCESSOR_CUES,
    },
    FactSpec {
        name: "data_residency",
        ty: ValueType::TextList,
        description: "Regions where customer data is stored and processed (e.g. eu, us).",
        question: "In which regions is our data stored and processed, and can we pin it to one?",
        cues: RESIDENCY_CUES,
    },
    FactSpec {
        name: "transfer_mechanism",
        ty: ValueType::EnumList(TRANSFER),
        description: "Legal mechanisms for transfers of EU personal data outside the EEA.",
        question: "Which transfer mechanism (SCCs, adequacy, DPF) covers transfers of EU personal data?",
        cues: TRANSFER_CUES,
    },
    FactSpec {
        name: "output_ownership",
        ty: ValueType::Enum(OWNERSHIP),
        description: "Who owns the outputs generated for the customer.",
        question: "Who owns the outputs generated for us?",
        cues: OWNERSHIP_CUES,
    },
    FactSpec {
        name: "ip_indemnity",
        ty: ValueType::Enum(INDEMNITY),
        description: "Whether the vendor indemnifies the customer against IP claims.",
        question: "Do you indemnify us against third-party IP claims over the service and its outputs?",
        cues: INDEMNITY_CUES,
    },
    FactSpec {
        name: "terms_change_notice_days",
        ty: ValueType::Count,
        description: "Days of notice before changed terms take effect.",
        question: "How many days' notice do you give before changed terms take effect?",
        cues: TERMS_CHANGE_CUES,
    },
    FactSpec {
        name: "breach_notification_hours",
        ty: ValueType::Count,
        description: "Hours within which the vendor notifies a personal data breach.",
        question: "Within how many hours do you notify us of a personal data breach?",
        cues: BREACH_CUES,
    },
];

/// The words that tie a passage of terms to a fact, and a quote to the value it is cited for.
///
/// One table serves two readers: `check`, which refuses a quote that cannot support its claim's
/// value (a `never` with no negation, a `default_on` that never speaks of training), and the
/// clause finder (`diligence extract`), which looks for the passages that speak of a fact. The
/// words are the generic wording of terms of service, never one vendor's sentences.
///
/// Matching is on lowercase whole words (consecutive words for a phrase); hyphens and other
/// punctuation split words, so `opt out` matches "opt-out" and "opted out" does not match "opt
/// out". Number facts need no value cues: the quote must state the number itself, as digits or
/// words ("thirty (30) days"), and `0` may also rest on a negation ("does not retain").
#[derive(Debug, Clone, Copy)]
pub struct Cues {
    /// Words whose presence suggests a passage is about the fact.
    pub topic: &'static [&'static str],
    /// For a number fact, the units the number is stated in (`days`, `hours`).
    pub units: &'static [&'static str],
    /// What a quote must contain to support each value. A value not listed needs nothing more
    /// than being quoted.
    pub values: &'static [ValueCue],
}

/// What a quote must contain to support one value of a fact.
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

impl Cues {
    /// The cue for one value, if the value has one.
    pub fn value(&self, value: &str) -> Option<&ValueCue> {
        self.values.iter().find(|v| v.value == value)
    }
}

const TRAINING_CUES: Cues = Cues {
    topic: &[
        "train", "training", "trained", "fine-tune", "improve", "develop", "model", "models",
    ],
    units: &[],
    values: &[
        ValueCue::negation("never"),
        ValueCue::words(
            "opt_in",
            &[
                "opt in", "opted in", "consent", "consents", "explicitly", "agree", "agrees",
                "elect", "elects", "choose to", "permission", "authorize", "authorizes",
            ],
        ),
        ValueCue::words(
            "opt_out",
            &[
                "opt out", "opted out", "opts out", "unless", "object", "turn off", "disable",
                "settings", "choose not",
            ],
        ),
        ValueCue::words(
            "default_on",
            &[
                "train", "training", "trained", "improve", "improving", "develop", "by default",
            ],
        ),
        ValueCue::words(
            "negotiable",
            &[
                "negotiate", "negotiated", "negotiable", "otherwise agreed", "agreed in writing",
                "separate agreement", "order form",
            ],
        ),
    ],
};

const LICENCE_CUES: Cues = Cues {
    topic: &["license", "licence", "grant", "grants", "right to use"],
    units: &[],
    values: &[
        ValueCue::words(
            "service_only",
            &["provide", "providing", "perform", "solely", "only", "maintain"],
        ),
        ValueCue::words(
            "service_improvement",
            &[
                "improve", "improving", "improvement", "develop", "enhance", "optimize",
                "optimizing", "optimise", "optimising",
            ],
        ),
        ValueCue::words("model_improvement", &["train", "training", "model", "models"]),
        ValueCue::words(
            "broad",
            &[
                "any purpose", "perpetual", "irrevocable", "sublicense", "sublicensable",
                "unrestricted",
            ],
        ),
    ],
};

const RETENTION_CUES: Cues = Cues {
    topic: &[
        "retain", "retains", "retained", "retention", "store", "stored", "keep", "kept", "delete",
        "deleted", "deletion",
    ],
    units: &["day", "days"],
    values: &[],
};

const DELETION_CUES: Cues = Cues {
    topic: &[
        "delete", "deleted", "deletion", "termination", "terminate", "expiration", "return",
    ],
    units: &["day", "days"],
    values: &[],
};

const ABUSE_RETENTION_CUES: Cues = Cues {
    topic: &["abuse", "misuse", "monitoring", "trust and safety", "retain", "retained"],
    units: &["day", "days"],
    values: &[],
};

const ZDR_CUES: Cues = Cues {
    topic: &[
        "zero data retention", "zero retention", "zdr", "not retain", "not stored",
    ],
    units: &[],
    values: &[
        ValueCue::words(
            "default",
            &["by default", "default", "does not retain", "not retain", "not stored"],
        ),
        ValueCue::words(
            "available",
            &[
                "zero data retention", "zero retention", "zdr", "available", "activated",
                "enable", "enabled",
            ],
        ),
        ValueCue::words(
            "on_request",
            &["request", "contact", "approval", "approved", "eligible"],
        ),
        ValueCue::negation("unavailable"),
    ],
};

const HUMAN_REVIEW_CUES: Cues = Cues {
    topic: &[
        "review", "reviewed", "human", "personnel", "employees", "access", "read",
    ],
    units: &[],
    values: &[
        ValueCue::negation("never"),
        ValueCue::words(
            "safety_only",
            &[
                "safety", "abuse", "misuse", "violation", "violations", "security", "fraud",
            ],
        ),
        ValueCue::words(
            "may_review",
            &[
                "review", "reviewed", "reviewers", "access", "human", "personnel", "employees",
                "contractors",
            ],
        ),
    ],
};

const DPA_CUES: Cues = Cues {
    topic: &[
        "data processing", "dpa", "processing agreement", "processing addendum",
        "personal data",
    ],
    units: &[],
    values: &[
        ValueCue::negation("none"),
        ValueCue::words(
            "online",
            &["data processing", "dpa", "incorporated", "available at", "addendum"],
        ),
        ValueCue::words(
            "signed",
            &["signed", "sign", "executed", "execute", "countersigned", "signature"],
        ),
        ValueCue::words(
            "negotiable",
            &["negotiate", "negotiated", "negotiable", "request", "contact"],
        ),
    ],
};

const BAA_CUES: Cues = Cues {
    topic: &[
        "business associate", "baa", "hipaa", "phi", "protected health information",
    ],
    units: &[],
    values: &[
        ValueCue::words("available", &["business associate", "baa", "hipaa"]),
        // "unless a BAA has been executed": available, but only under a signed agreement.
        ValueCue::words(
            "on_request",
            &[
                "request", "contact", "sales", "enter into", "executed", "signed", "unless",
            ],
        ),
        ValueCue::negation("unavailable"),
    ],
};

const CERTIFICATION_CUES: Cues = Cues {
    topic: &[
        "soc 2", "soc2", "iso", "27001", "certified", "certification", "audit", "attestation",
    ],
    units: &[],
    values: &[],
};

const SUBPROCESSOR_CUES: Cues = Cues {
    topic: &["subprocessor", "subprocessors", "sub processor", "sub processors"],
    units: &[],
    values: &[
        ValueCue::words(
            "published",
            &["list", "available at", "website", "published", "http", "https"],
        ),
        ValueCue::words("on_request", &["request", "upon request"]),
        ValueCue::negation("none"),
    ],
};

const RESIDENCY_CUES: Cues = Cues {
    topic: &[
        "region", "regions", "located", "location", "stored", "processed in", "data center",
        "residency",
    ],
    units: &[],
    values: &[],
};

const TRANSFER_CUES: Cues = Cues {
    topic: &[
        "transfer", "transfers", "standard contractual clauses", "sccs", "adequacy",
        "data privacy framework",
    ],
    units: &[],
    values: &[
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
    ],
};

const OWNERSHIP_WORDS: &[&str] = &["own", "owns", "ownership", "assign", "assigns", "title"];

const OWNERSHIP_CUES: Cues = Cues {
    topic: &["own", "owns", "ownership", "output", "outputs", "title"],
    units: &[],
    values: &[
        ValueCue::words("customer", OWNERSHIP_WORDS),
        ValueCue::words("vendor", OWNERSHIP_WORDS),
        ValueCue::words("shared", &["jointly", "joint", "shared"]),
    ],
};

const INDEMNITY_WORDS: &[&str] = &[
    "indemnify", "indemnifies", "indemnification", "indemnity", "defend", "hold harmless",
];

const INDEMNITY_CUES: Cues = Cues {
    topic: &[
        "indemnify", "indemnification", "indemnity", "defend", "infringe", "infringement",
        "intellectual property",
    ],
    units: &[],
    values: &[
        ValueCue::words("yes", INDEMNITY_WORDS),
        ValueCue::words("limited", INDEMNITY_WORDS),
        ValueCue::negation("no"),
    ],
};

const TERMS_CHANGE_CUES: Cues = Cues {
    topic: &[
        "notice", "update", "updates", "modify", "modifications", "changes", "amend",
        "effective",
    ],
    units: &["day", "days"],
    values: &[],
};

const BREACH_CUES: Cues = Cues {
    topic: &[
        "breach", "security incident", "notify", "notification", "without undue delay",
    ],
    units: &["hour", "hours"],
    values: &[],
};

/// The requirements under which a fact decides something: while any of them is in force, a
/// problem with the fact's evidence (third-party only, unsupported, conflicting, stale) matters.
pub fn governing_requirements(fact: &str) -> &'static [&'static str] {
    match fact {
        "training_on_inputs" => &["no_training"],
        "training_on_outputs" => &["no_output_training"],
        "licence_scope" => &["max_licence_scope"],
        "retention_days" => &["max_retention_days"],
        "deletion_after_termination_days" => &["max_deletion_after_termination_days"],
        "abuse_monitoring_retention_days" => &["max_abuse_retention_days"],
        "zero_data_retention" => &[
            "zero_data_retention",
            "max_retention_days",
            "max_abuse_retention_days",
        ],
        "human_review" => &["no_human_review"],
        "dpa" => &["dpa", "signed_dpa"],
        "baa" => &["baa"],
        "certifications" => &["certifications"],
        "subprocessors_list" => &["subprocessors_list"],
        "data_residency" => &["data_residency"],
        "transfer_mechanism" => &["transfer_mechanism"],
        "output_ownership" => &["customer_owns_outputs"],
        "ip_indemnity" => &["ip_indemnity"],
        "terms_change_notice_days" => &["min_terms_change_notice_days"],
        "breach_notification_hours" => &["max_breach_notification_hours"],
        _ => &[],
    }
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
    pub description: &'static str,
}

pub const REQUIREMENTS: &[RequirementSpec] = &[
    RequirementSpec {
        name: "no_training",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "The vendor must not train on inputs (an opt-out makes it conditional).",
    },
    RequirementSpec {
        name: "no_output_training",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "The vendor must not train on outputs.",
    },
    RequirementSpec {
        name: "max_licence_scope",
        ty: ValueType::Enum(LICENCE_SCOPE),
        merge: Merge::Narrowest,
        description: "The broadest licence over customer content that is acceptable.",
    },
    RequirementSpec {
        name: "max_retention_days",
        ty: ValueType::Count,
        merge: Merge::Min,
        description: "Longest acceptable retention of customer content, in days.",
    },
    RequirementSpec {
        name: "max_deletion_after_termination_days",
        ty: ValueType::Count,
        merge: Merge::Min,
        description: "Longest acceptable delay to delete customer content after the contract ends, in days.",
    },
    RequirementSpec {
        name: "max_abuse_retention_days",
        ty: ValueType::Count,
        merge: Merge::Min,
        description: "Longest acceptable retention for abuse monitoring, in days.",
    },
    RequirementSpec {
        name: "zero_data_retention",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "Zero data retention must apply (by default or enabled for the account).",
    },
    RequirementSpec {
        name: "no_human_review",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "Vendor personnel must not read content (safety review only is conditional).",
    },
    RequirementSpec {
        name: "dpa",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "A data processing agreement must be in place.",
    },
    RequirementSpec {
        name: "signed_dpa",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "The DPA must be signed (executed), not only published.",
    },
    RequirementSpec {
        name: "baa",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "A HIPAA business associate agreement must be signed.",
    },
    RequirementSpec {
        name: "certifications",
        ty: ValueType::TextList,
        merge: Merge::Union,
        description: "Certifications that must be held and current (e.g. SOC 2 Type II).",
    },
    RequirementSpec {
        name: "subprocessors_list",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "The list of subprocessors must be published or provided.",
    },
    RequirementSpec {
        name: "data_residency",
        ty: ValueType::TextList,
        merge: Merge::Intersect,
        description: "Regions where data may be stored and processed.",
    },
    RequirementSpec {
        name: "transfer_mechanism",
        ty: ValueType::EnumList(TRANSFER),
        merge: Merge::Intersect,
        description: "Accepted transfer mechanisms for EU personal data (any one suffices).",
    },
    RequirementSpec {
        name: "customer_owns_outputs",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "The customer must own the outputs.",
    },
    RequirementSpec {
        name: "ip_indemnity",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "The vendor must indemnify against IP claims.",
    },
    RequirementSpec {
        name: "min_terms_change_notice_days",
        ty: ValueType::Count,
        merge: Merge::Max,
        description: "Shortest acceptable notice before changed terms take effect, in days.",
    },
    RequirementSpec {
        name: "max_breach_notification_hours",
        ty: ValueType::Count,
        merge: Merge::Min,
        description: "Longest acceptable delay to notify a personal data breach, in hours.",
    },
    RequirementSpec {
        name: "no_consumer_tier",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "Consumer-tier offerings are not acceptable.",
    },
    RequirementSpec {
        name: "first_party_evidence",
        ty: ValueType::Bool,
        merge: Merge::Any,
        description: "Deciding facts must rest on the vendor's own documents, not third parties.",
    },
    RequirementSpec {
        name: "verified_evidence",
        ty: ValueType::Bool,
        merge: Merge::Any,
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
}
