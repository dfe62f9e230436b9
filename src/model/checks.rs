//! The built-in evidence checks a policy can turn on (`evidence_checks:`): their ids, titles and
//! rationales. They are implemented in `evaluation::checks`; they live here so that the policy
//! loader can validate the ids without depending on the evaluation.

/// One built-in check: its id (a rule id in reports), title and rationale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub id: &'static str,
    pub title: &'static str,
    pub rationale: &'static str,
}

pub const CHECKS: [Check; 6] = [
    Check {
        id: "evidence-disagreement",
        title: "Disagreeing evidence",
        rationale: "Documents disagree: a vendor's docs page says one thing and its DPA another, a third-party summary misquotes the contract. The stronger source decides and this check says so, quoting both sides; sources of equal authority that disagree on a fact the classification relies on hold the review.",
    },
    Check {
        id: "stale-evidence",
        title: "Stale evidence",
        rationale: "Vendors revise their terms several times a year. A fact the classification relies on that rests only on evidence retrieved longer ago than the policy's evidence_max_age_days holds until the document is re-checked; a deciding source with no retrieval date cannot be aged and is flagged.",
    },
    Check {
        id: "third-party-evidence-only",
        title: "Facts known only from third parties",
        rationale: "A third-party analysis is a lead, never a decision. Where the policy requires first-party evidence, a fact the classification relies on that rests only on a third party holds the review until the vendor's own document is found.",
    },
    Check {
        id: "unsupported-values",
        title: "Unsupported values",
        rationale: "A bare value is someone's recollection, not evidence. Where the policy requires verified (or first-party) evidence, a fact the classification relies on that has no quoted source holds the review.",
    },
    Check {
        id: "missing-documents",
        title: "Documents cited but not obtained",
        rationale: "Terms incorporate other documents by reference (a DPA, service-specific terms, a usage policy). A document the profile marks `status: missing` may state facts nobody has read: each offering of the vendor asks for it by title and URL.",
    },
    Check {
        id: "provider-chain",
        title: "The model behind the offering",
        rationale: "Many AI products are built on another vendor's model. If the model provider keeps prompts for 30 days or may train on them, the product's own promises do not cover the data: an offering's verdict at a classification is never better than that of a provider it names in `providers`, unless its vendor passes the customer's terms down (`provider_pass_down: yes`, quoted from a first-party document and verified). A provider outside the workspace holds the review with the question to ask; where the policy sets `known_providers`, so does an offering whose providers are not known.",
    },
];

pub fn check(id: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.id == id)
}
