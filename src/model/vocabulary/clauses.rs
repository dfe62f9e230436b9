//! How terms usually word each fact: the clause finder of `diligence extract` reads this table.
//! (`check` decides support by the clause reader, `crate::reading`, not by these words.)

use super::phrases::*;

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
}

pub const CLAUSE_CUES: &[ClauseCues] = &[
    ClauseCues {
        fact: "training_on_inputs",
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
        topic: &[
            &[
                "abuse",
                "abusive",
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
            (
                "dpf",
                &["data privacy framework", "data privacy frameworks", "dpf"],
            ),
            ("bcr", &["binding corporate rules"]),
        ],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "output_ownership",
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
        fact: "terms_change_notice_scope",
        topic: &[
            &["change", "modif", "update", "amend", "revise", "revision"],
            &["material"],
        ],
        // Who judges materiality qualifies "material": the first value found wins.
        values: &[
            (
                "vendor_judged_material",
                &["sole judgment", "sole discretion", "determines", "deems"],
            ),
            ("material_only", &["material"]),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "subprocessor_objection_days",
        topic: &[
            &["subprocessor", "sub-processor", "subcontractor"],
            &["object"],
        ],
        values: &[],
        first_wins: false,
        against: &[],
        unit: Some(&["days", "day"]),
    },
    ClauseCues {
        fact: "breach_notification_hours",
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
        fact: "providers",
        topic: &[
            &[
                "model provider",
                "third-party model",
                "third party model",
                "subprocessor",
                "sub-processor",
                "provided by third parties",
            ],
            &["model", "artificial intelligence", "ai "],
        ],
        values: &[],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "provider_pass_down",
        topic: &[
            &["subprocessor", "sub-processor", "subcontractor", "provider"],
            &[
                "obligations",
                "no less",
                "as protective",
                "flowed down",
                "flow down",
                "same",
            ],
        ],
        values: &[
            (
                "yes",
                &[
                    "no less onerous",
                    "no less protective",
                    "as protective as",
                    "same obligations",
                    "flowed down",
                ],
            ),
            ("no", &["does not control", "their own terms"]),
        ],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "prohibited_data",
        topic: &[
            &[
                "not submit",
                "not use the services to",
                "not upload",
                "not provide",
                "agrees not",
                "may not",
                "must not",
                "will not",
                "shall not",
            ],
            &[
                "personal data",
                "personal information",
                "health information",
                "children",
                "special categor",
                "confidential",
                "cardholder",
            ],
        ],
        values: &[
            ("phi", &["protected health information"]),
            ("children", &["children"]),
            ("special_category", &["special categor"]),
            ("payment_card", &["cardholder", "payment card"]),
        ],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "consumer_account_linked",
        topic: &[
            &["account", "log in", "login", "sign in", "credentials"],
            &["consumer", "personal", "individual", "app"],
        ],
        values: &[
            ("yes", &["same account", "existing account", "your account"]),
            (
                "no",
                &["separate account", "not linked", "distinct account"],
            ),
        ],
        first_wins: false,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "rests_on_consumer_terms",
        topic: &[&["consumer", "individuals", "personal use"]],
        values: &[
            (
                "no",
                &[
                    "not for consumer",
                    "does not apply",
                    "do not apply",
                    "not apply",
                ],
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
    ClauseCues {
        fact: "permitted_use",
        topic: &[&[
            "personal use",
            "own personal",
            "non-commercial",
            "noncommercial",
            "commercial purposes",
        ]],
        values: &[
            (
                "personal",
                &["personal use", "own personal", "personal purposes"],
            ),
            ("non_commercial", &["non-commercial", "noncommercial"]),
        ],
        first_wins: true,
        against: &[],
        unit: None,
    },
    ClauseCues {
        fact: "organizational_accounts",
        topic: &[
            &[
                "work account",
                "school account",
                "organizational account",
                "organization account",
                "work, school",
            ],
            &["apply", "applies", "govern", "governs", "terms"],
        ],
        values: &[("excluded", &["not apply", "do not apply", "don't apply"])],
        first_wins: false,
        against: &[],
        unit: None,
    },
];

pub fn clause_cues(fact: &str) -> Option<&'static ClauseCues> {
    CLAUSE_CUES.iter().find(|c| c.fact == fact)
}
