//! What a quote must contain to support each value of a fact (read by `check`).

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

pub(super) const TRAINING_SUPPORT: &[ValueCue] = &[
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

pub(super) const LICENCE_SUPPORT: &[ValueCue] = &[
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

pub(super) const RETENTION_SUPPORT: &[ValueCue] = &[
    // "for as long as you have an account", "as long as necessary", "indefinitely"; "for the
    // duration of the Agreement" and "the term of the Agreement" set no end while the contract
    // runs; "in accordance with our deletion policies" leaves the end to the vendor; "may retain"
    // with no period sets none.
    ValueCue::words(
        "indefinite",
        &[
            "as long as",
            "duration of",
            "duration is",
            "term of",
            "deletion policies",
            "deletion policy",
            "deletion procedures",
            "retention policies",
            "retention policy",
            "may retain",
            "indefinitely",
            "indefinite",
            "necessary",
            "needed",
            "no longer",
            "until",
        ],
    ),
    // "until you delete it", "until the customer deletes".
    ValueCue::words("until_deleted", &["until", "delete", "deletes", "deleted"]),
];

pub(super) const DELETION_SUPPORT: &[ValueCue] = RETENTION_SUPPORT;

pub(super) const ABUSE_RETENTION_SUPPORT: &[ValueCue] = RETENTION_SUPPORT;

pub(super) const ZDR_SUPPORT: &[ValueCue] = &[
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

pub(super) const HUMAN_REVIEW_SUPPORT: &[ValueCue] = &[
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

pub(super) const DPA_SUPPORT: &[ValueCue] = &[
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

pub(super) const BAA_SUPPORT: &[ValueCue] = &[
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

pub(super) const CERTIFICATION_SUPPORT: &[ValueCue] = &[];

/// A pass-down binds the provider to obligations like the vendor's own; a refusal says the
/// vendor does not control the provider's terms.
pub(super) const PASS_DOWN_SUPPORT: &[ValueCue] = &[
    ValueCue::words(
        "yes",
        &[
            "no less",
            "as protective",
            "same",
            "equivalent",
            "flowed down",
            "flow down",
            "substantially similar",
        ],
    ),
    ValueCue::words(
        "no",
        &["not control", "own terms", "their terms", "subject to"],
    ),
];

pub(super) const SUBPROCESSOR_SUPPORT: &[ValueCue] = &[
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

pub(super) const RESIDENCY_SUPPORT: &[ValueCue] = &[];

pub(super) const TRANSFER_SUPPORT: &[ValueCue] = &[
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
    ValueCue::words(
        "dpf",
        &["data privacy framework", "data privacy frameworks", "dpf"],
    ),
    ValueCue::words("bcr", &["binding corporate rules", "bcr", "bcrs"]),
    ValueCue::negation("none"),
];

const OWNERSHIP_WORDS: &[&str] = &["own", "owns", "ownership", "assign", "assigns", "title"];

pub(super) const OWNERSHIP_SUPPORT: &[ValueCue] = &[
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

pub(super) const INDEMNITY_SUPPORT: &[ValueCue] = &[
    ValueCue::words("yes", INDEMNITY_WORDS),
    ValueCue::words("limited", INDEMNITY_WORDS),
    ValueCue::negation("no"),
];

pub(super) const TERMS_CHANGE_SUPPORT: &[ValueCue] = &[
    ValueCue::words(
        "reasonable",
        &["reasonable", "reasonably", "advance notice"],
    ),
    // Changes only by an amendment both parties sign.
    ValueCue::words(
        "mutual_only",
        &[
            "signed",
            "both parties",
            "mutual",
            "mutually",
            "executed",
            "amendment",
            "amended",
        ],
    ),
];

/// The scope of a change notice: "material" for a notice limited to material changes, and the
/// vendor's own judgment ("sole judgment", "determines") for materiality the vendor decides.
pub(super) const TERMS_CHANGE_SCOPE_SUPPORT: &[ValueCue] = &[
    ValueCue::words("material_only", &["material", "materially"]),
    ValueCue::words(
        "vendor_judged_material",
        &[
            "sole judgment",
            "sole discretion",
            "determines",
            "determine",
            "deems",
            "considers",
        ],
    ),
];

pub(super) const BREACH_SUPPORT: &[ValueCue] = &[ValueCue::words(
    "without_undue_delay",
    &[
        "without undue delay",
        "undue delay",
        "promptly",
        "prompt",
        "as soon as",
    ],
)];

pub(super) const PROHIBITED_SUPPORT: &[ValueCue] = &[
    ValueCue::words(
        "personal_data",
        &[
            "personal data",
            "personal information",
            "personally identifiable",
        ],
    ),
    ValueCue::words("confidential", &["confidential", "sensitive"]),
    ValueCue::words("phi", &["protected health information", "phi", "health"]),
    ValueCue::words(
        "special_category",
        &["special category", "special categories", "sensitive"],
    ),
    ValueCue::words("children", &["children", "child", "minors", "under 13"]),
    ValueCue::words(
        "payment_card",
        &["payment card", "cardholder", "credit card", "pci"],
    ),
];

const ACCOUNT_WORDS: &[&str] = &[
    "account",
    "accounts",
    "same account",
    "log in",
    "login",
    "sign in",
    "credentials",
];

pub(super) const CONSUMER_ACCOUNT_SUPPORT: &[ValueCue] = &[
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

pub(super) const CONSUMER_TERMS_SUPPORT: &[ValueCue] = &[
    ValueCue::words("yes", CONSUMER_TERMS_WORDS),
    // "not for consumer use", "does not apply to ... consumers".
    ValueCue::negation("no"),
];

/// Use restricted to a person's own use ("for your own personal use", "personal,
/// non-commercial use"), or open to businesses ("for your business", "commercial purposes").
pub(super) const PERMITTED_USE_SUPPORT: &[ValueCue] = &[
    ValueCue::words(
        "personal",
        &[
            "personal use",
            "own personal",
            "personal purposes",
            "personal, non-commercial",
        ],
    ),
    ValueCue::words(
        "non_commercial",
        &[
            "non-commercial",
            "noncommercial",
            "non commercial",
            "not for commercial",
        ],
    ),
    ValueCue::words(
        "commercial",
        &[
            "commercial",
            "business purposes",
            "your business",
            "your organization",
        ],
    ),
];

const ORGANIZATION_WORDS: &[&str] = &[
    "work account",
    "work accounts",
    "school account",
    "organizational account",
    "organizational accounts",
    "organisation account",
    "organization account",
    "work, school",
    "entra",
    "enterprise account",
];

/// "These terms do not apply to users who sign in with a work, school or organizational
/// account" (`excluded`, a negation with the accounts named), or terms written for them.
pub(super) const ORGANIZATIONAL_ACCOUNTS_SUPPORT: &[ValueCue] = &[
    ValueCue::words("covered", ORGANIZATION_WORDS),
    ValueCue::words("excluded", ORGANIZATION_WORDS),
];
