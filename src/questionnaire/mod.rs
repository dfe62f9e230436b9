//! The vendor questionnaire round trip: `diligence questions` turns what holds the review into one
//! deduplicated list of questions per vendor ([`ask`]), rendered for the vendor as XLSX, CSV,
//! Markdown or JSON; `diligence answers` reads the filled file back ([`answers`]) and adds the
//! answers to the profile as `questionnaire` claims ([`plan`]).
//!
//! Why a question is asked is computed, not guessed: [`ask`] re-evaluates each held cell with the
//! candidate answers through the same evaluation function as `evaluate`, and keeps a question only
//! when some answer would clear a hold.

pub mod answers;
pub mod ask;
pub mod csv;
pub mod markdown;
pub mod plan;
mod sheet;
pub mod xlsx;

use crate::model::vocabulary::{ValueType, fact_spec};
use serde::Serialize;

pub use ask::{Asked, ask};

/// Who a questionnaire file is for. The vendor's copy asks; the reviewer's copy also says why
/// we ask and what each answer would move, which would tell a vendor the answer that gets
/// approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Reader {
    Vendor,
    Reviewer,
}

/// One question to one vendor: one fact, for every offering it concerns.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// `<vendor>.<fact>`: stable across runs, and the key `answers` reads back.
    pub id: String,
    pub vendor: String,
    pub vendor_name: String,
    pub offerings: Vec<String>,
    pub fact: String,
    pub question: String,
    /// Which rules hold on this fact, where.
    pub why: Vec<String>,
    /// What an answer would move, computed by re-evaluating the held cells.
    pub moves: Vec<String>,
    /// What the profile already says, per offering.
    pub have: Vec<String>,
    pub form: AnswerForm,
    /// Standard questionnaire references (question ids of [`Question::refs_standard`]).
    pub refs: Vec<String>,
    /// The standard and version `refs` cite (`CSA CAIQ v4.0`): the ids change between versions.
    pub refs_standard: &'static str,
}

impl Question {
    /// The references as a vendor reads them, version included (`CSA CAIQ v4.0: SEF-07.2`);
    /// empty when none matches.
    pub fn refs_text(&self) -> String {
        if self.refs.is_empty() {
            String::new()
        } else {
            format!("{}: {}", self.refs_standard, self.refs.join(", "))
        }
    }
}

/// How an answer is written.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerForm {
    /// `choice`, `number`, `choices` (several of a list), `names` (free names) or
    /// `certifications`.
    pub kind: &'static str,
    /// Allowed values with their meaning (for `choice` and `choices`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Allowed>,
    /// The unit of a number (`hours`, `days`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Allowed {
    pub value: &'static str,
    pub meaning: &'static str,
}

impl AnswerForm {
    pub fn of(fact: &str) -> AnswerForm {
        let ty = fact_spec(fact).map_or(ValueType::TextList, |s| s.ty);
        let allowed = |values: &[&'static str]| {
            values
                .iter()
                .map(|v| Allowed {
                    value: v,
                    meaning: meaning(v),
                })
                .collect()
        };
        match ty {
            ValueType::Enum(values) => AnswerForm {
                kind: "choice",
                allowed: allowed(values),
                unit: None,
            },
            ValueType::EnumList(values) => AnswerForm {
                kind: "choices",
                allowed: allowed(values),
                unit: None,
            },
            ValueType::Count => AnswerForm {
                kind: "number",
                allowed: Vec::new(),
                unit: Some(unit(fact)),
            },
            // A number, or a word for terms that give none ("without undue delay").
            ValueType::CountOr(words) => AnswerForm {
                kind: "number",
                allowed: allowed(words),
                unit: Some(unit(fact)),
            },
            ValueType::Certifications => AnswerForm {
                kind: "certifications",
                allowed: Vec::new(),
                unit: None,
            },
            ValueType::TextList | ValueType::Bool => AnswerForm {
                kind: "names",
                allowed: Vec::new(),
                unit: None,
            },
        }
    }

    /// One line for the vendor: what to write in the answer cell.
    pub fn describe(&self) -> String {
        let values = || {
            self.allowed
                .iter()
                .map(|a| format!("{} ({})", a.value, a.meaning))
                .collect::<Vec<_>>()
                .join("; ")
        };
        match self.kind {
            "choice" => format!("one of: {}", values()),
            "choices" => format!("one or more, separated by commas: {}", values()),
            "number" => match self.unit {
                Some("hours") => "a whole number of hours (digits only, e.g. 72)".to_string(),
                _ => "a whole number of days (digits only, e.g. 30)".to_string(),
            },
            "certifications" => {
                "names separated by `;`, each optionally followed by `until YYYY-MM-DD` (e.g. SOC 2 Type II until 2027-06-30; ISO 27001)".to_string()
            }
            _ => "names separated by commas (e.g. eu, us)".to_string(),
        }
    }

    /// The bare allowed values, for a dropdown or a CSV column.
    pub fn values(&self) -> Vec<&'static str> {
        self.allowed.iter().map(|a| a.value).collect()
    }
}

/// The unit of a count fact, from its name.
pub fn unit(fact: &str) -> &'static str {
    if fact.ends_with("_hours") {
        "hours"
    } else {
        "days"
    }
}

/// What an allowed value means, in words a vendor understands.
fn meaning(value: &str) -> &'static str {
    match value {
        "never" => "never",
        "opt_in" => "only if the customer opts in",
        "opt_out" => "yes, unless the customer opts out",
        "default_on" => "yes, by default, with no opt-out",
        "negotiable" => "only as negotiated in a signed agreement",
        "service_only" => "only to provide the service",
        "service_improvement" => "also to improve the service",
        "model_improvement" => "also to improve models",
        "broad" => "broader than the above",
        "default" => "applies by default",
        "available" => "available",
        "on_request" => "on request",
        "unavailable" => "not available",
        "safety_only" => "only for safety or abuse review",
        "may_review" => "personnel may read content",
        "none" => "none",
        "online" => "published online, accepted with the terms",
        "signed" => "signed by both parties",
        "published" => "published",
        "scc" => "standard contractual clauses",
        "adequacy" => "adequacy decision",
        "dpf" => "EU-US Data Privacy Framework",
        "bcr" => "binding corporate rules",
        "customer" => "the customer",
        "vendor" => "the vendor",
        "shared" => "shared",
        "yes" => "yes",
        "limited" => "limited (capped or with exclusions)",
        "no" => "no",
        "indefinite" => "no end (as long as needed, or while the account exists)",
        "until_deleted" => "until the customer deletes it",
        "without_undue_delay" => "without undue delay, no number of hours",
        "reasonable" => "reasonable notice, no number of days",
        "mutual_only" => "changes only by an amendment both parties sign",
        _ => "",
    }
}
