//! The vendor's documents as documents: whether each was obtained and is still in force
//! (`status:`), and the vendor's own order of precedence between them (`precedence:`).
//!
//! A `missing` source is incorporated by reference but not obtained: no quote can cite it, and
//! the `missing-documents` check asks for it by title and URL. A `superseded` source is kept for
//! history: claims citing it are shown but never decide. `precedence: [dpa, terms]` says which
//! of the vendor's documents prevails when they disagree ("in the event of any conflict, the
//! DPA shall prevail"): it decides before the generic authority order of DESIGN.md.

use crate::diag::Pos;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::yaml::span_pos;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

/// How much a source can be trusted, strongest first. The derived order is the authority order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    Signed,
    Contract,
    Dpa,
    Policy,
    Docs,
    TrustCenter,
    Questionnaire,
    ThirdParty,
    /// A bare value with no evidence.
    Unsupported,
}

impl Authority {
    pub const NAMED: [Authority; 8] = [
        Authority::Signed,
        Authority::Contract,
        Authority::Dpa,
        Authority::Policy,
        Authority::Docs,
        Authority::TrustCenter,
        Authority::Questionnaire,
        Authority::ThirdParty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Authority::Signed => "signed",
            Authority::Contract => "contract",
            Authority::Dpa => "dpa",
            Authority::Policy => "policy",
            Authority::Docs => "docs",
            Authority::TrustCenter => "trust_center",
            Authority::Questionnaire => "questionnaire",
            Authority::ThirdParty => "third_party",
            Authority::Unsupported => "unsupported",
        }
    }

    /// A signed agreement, the contract or the DPA: terms the vendor is bound by.
    pub fn is_contractual(self) -> bool {
        matches!(
            self,
            Authority::Signed | Authority::Contract | Authority::Dpa
        )
    }

    /// The vendor's own word (any document of the vendor's), not a third party or a bare value.
    pub fn is_first_party(self) -> bool {
        !matches!(self, Authority::ThirdParty | Authority::Unsupported)
    }

    pub fn parse(s: &str) -> Option<Authority> {
        Authority::NAMED.into_iter().find(|a| a.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub authority: Authority,
    pub last_updated: Option<Date>,
    pub retrieved: Option<Date>,
    /// Path of the archived copy, relative to the vendor's folder (as written in the profile).
    pub snapshot: Option<String>,
    /// Where `snapshot:` is written.
    pub snapshot_at: Pos,
    /// The hash the profile records for the snapshot (as reviewed).
    pub sha256: Option<String>,
    /// The hash of the snapshot as it is now on disk.
    pub actual_sha256: Option<String>,
    pub at: Pos,
    /// Obtained and in force, missing (cited, not obtained) or superseded.
    pub status: SourceStatus,
    /// The reviewer's notes on the document (`notes:`).
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SourceStatus {
    /// Obtained and in force.
    #[default]
    Current,
    /// Cited by another document, not obtained.
    Missing,
    /// Replaced by a newer version: kept for history, never decides.
    Superseded,
}

pub const STATUSES: &[&str] = &["current", "missing", "superseded"];

impl SourceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::Current => "current",
            SourceStatus::Missing => "missing",
            SourceStatus::Superseded => "superseded",
        }
    }
}

/// Reads a source's `status:`.
pub fn status(
    source_id: &str,
    node: Option<&Spanned<String>>,
    problems: &mut Vec<Diagnostic>,
) -> SourceStatus {
    let Some(node) = node else {
        return SourceStatus::Current;
    };
    match node.value.as_str() {
        "current" => SourceStatus::Current,
        "missing" => SourceStatus::Missing,
        "superseded" => SourceStatus::Superseded,
        other => {
            problems.push(
                Diagnostic::error(format!(
                    "source `{source_id}`: status `{other}` is not one of: {}",
                    STATUSES.join(", ")
                ))
                .at(span_pos(node))
                .hint(did_you_mean(other, STATUSES.iter().copied()).unwrap_or_else(|| {
                    "`missing`: cited but not obtained; `superseded`: replaced by a newer version"
                        .into()
                })),
            );
            SourceStatus::Current
        }
    }
}

/// Whether a source of this status and authority needs an archived snapshot.
pub fn needs_snapshot(status: SourceStatus, authority: Authority) -> bool {
    status != SourceStatus::Missing && authority != Authority::ThirdParty
}

/// Reads the profile's `precedence:`: source ids, each defined and listed once.
pub fn precedence(
    ids: &[Spanned<String>],
    sources: &[Source],
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if out.contains(&id.value) {
            problems.push(
                Diagnostic::error(format!("precedence: source `{}` is listed twice", id.value))
                    .at(span_pos(id))
                    .hint("list each source once, the one that prevails first"),
            );
        } else if sources.iter().all(|s| s.id != id.value) {
            problems.push(
                Diagnostic::error(format!(
                    "precedence: source `{}` is not defined in `sources:`",
                    id.value
                ))
                .at(span_pos(id))
                .hint(
                    did_you_mean(&id.value, sources.iter().map(|s| s.id.as_str()))
                        .unwrap_or_else(|| "list ids from the profile's `sources:`".into()),
                ),
            );
        } else {
            out.push(id.value.clone());
        }
    }
    out
}

/// The error for a claim that cites a source not obtained.
pub fn cites_missing(what: &str, source: &Source) -> Diagnostic {
    Diagnostic::error(format!(
        "{what}: source `{}` is missing (not obtained): no quote can cite it",
        source.id
    ))
    .hint(format!(
        "obtain \"{}\"{}, archive it with `diligence snapshot`, and remove `status: missing`",
        source.title,
        source
            .url
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default()
    ))
}
