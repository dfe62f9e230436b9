//! Vendor profiles: facts per offering, each backed by claims that quote a source.
//!
//! This module only turns the text of `profile.yaml` into a [`Profile`]; reading the archived
//! snapshots and verifying quotes against them is `evidence`.

use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::model::documents::{self, SourceStatus};
pub use crate::model::documents::{Authority, Source};
use crate::model::vocabulary::{self, TIERS, check_value, fact_spec, parse_date};
use crate::model::yaml::{self, Node, OrderedMap, span_pos};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

mod facts;
use facts::{FactContext, build_facts};
pub use facts::{parse_facts, value_text};

/// Whether a claim's quote was found in its source's snapshot.
///
/// A profile and everything in it (de)serializes whole, positions included: the results cache
/// keeps a vendor's profile as read and verified (see `evaluation::cached`). No report writes
/// these types: reports write `model::resolved` and `outcome`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Verification {
    /// The quote occurs in the snapshot.
    Verified,
    /// A bare value: nothing to verify, weakest authority.
    Bare,
    /// A third-party source with no snapshot: a lead, taken at third-party authority.
    Unarchived,
    /// The quote is not in the snapshot, does not support the value, the document is not
    /// silent where the claim says it is, or the snapshot could not be read: the claim has no
    /// authority until a reviewer looks again.
    Failed {
        reason: String,
        /// Where the problem is written (the `quote:` or `searched:` line).
        at: Pos,
        /// What to do about it.
        hint: String,
    },
}

/// The value of a claim that records a document's verified silence on a fact.
pub const NOT_STATED: &str = "not_stated";

/// A carve-out from a claim's promise ("will not train ... except to improve safety systems"),
/// quoted from the same source and verified like the claim's own quote. Rules that would pass
/// on the promise report the carve-out instead.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Exception {
    pub quote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where its `quote:` is written.
    #[serde(skip)]
    pub quote_at: Pos,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claim {
    pub value: Value,
    /// The source id, or None for a bare value.
    pub source: Option<String>,
    pub authority: Authority,
    pub section: Option<String>,
    pub quote: Option<String>,
    pub note: Option<String>,
    /// For a `not_stated` claim: the words a reviewer searched the source for, none of which
    /// it contains.
    pub searched: Vec<String>,
    pub at: Pos,
    /// Where `quote:` is written (the claim's position when it has none).
    pub quote_at: Pos,
    /// Where `searched:` is written (the claim's position when it has none).
    pub searched_at: Pos,
    pub verification: Verification,
    /// Proposed by `diligence extract`, not yet confirmed by a reviewer: never counts.
    pub draft: bool,
    /// Quoted carve-outs from the promise (`exceptions:`).
    #[serde(with = "exceptions_whole")]
    pub exceptions: Vec<Exception>,
    /// Whom the claim applies to (`applies_to: [business, eu]`), each with where it is
    /// written; empty: everyone. Checked against the policy's `audience:` when both are loaded.
    pub applies_to: Vec<(String, Pos)>,
    /// For `prohibited_data`: the condition under which the data is allowed after all.
    pub allowed_if: Option<String>,
}

/// A claim's exceptions with where each quote is written: [`Exception`]'s own form (what
/// reports write) leaves the position out.
mod exceptions_whole {
    use super::{Exception, Pos};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Whole {
        quote: String,
        section: Option<String>,
        note: Option<String>,
        quote_at: Pos,
    }

    pub(super) fn serialize<S: Serializer>(list: &[Exception], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(list.iter().map(|e| Whole {
            quote: e.quote.clone(),
            section: e.section.clone(),
            note: e.note.clone(),
            quote_at: e.quote_at,
        }))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Exception>, D::Error> {
        let list = Vec::<Whole>::deserialize(d)?;
        Ok(list
            .into_iter()
            .map(|w| Exception {
                quote: w.quote,
                section: w.section,
                note: w.note,
                quote_at: w.quote_at,
            })
            .collect())
    }
}

impl Claim {
    /// Whether the claim takes part in resolving its fact.
    pub fn counts(&self) -> bool {
        !self.draft && !matches!(self.verification, Verification::Failed { .. })
    }

    /// Whether the claim records that its source says nothing of the fact.
    pub fn is_not_stated(&self) -> bool {
        self.value.as_str() == Some(NOT_STATED)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fact {
    pub name: String,
    pub claims: Vec<Claim>,
    pub at: Pos,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Offering {
    pub id: String,
    pub name: String,
    pub tier: String,
    pub facts: BTreeMap<String, Fact>,
    pub at: Pos,
    /// The reviewer's notes on the offering (`notes:`).
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub reviewed: Option<Date>,
    /// The profile file, relative to the workspace (e.g. `vendors/perplexity/profile.yaml`).
    pub file: String,
    pub sources: Vec<Source>,
    pub offerings: Vec<Offering>,
    /// The reviewer's notes on the vendor (`notes:`).
    pub notes: Option<String>,
    /// The vendor's own order of precedence between its documents (source ids, the one that
    /// prevails first): decides before the authority order.
    pub precedence: Vec<String>,
}

impl Profile {
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
    pub fn offering(&self, id: &str) -> Option<&Offering> {
        self.offerings.iter().find(|o| o.id == id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    vendor: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    reviewed: Option<Spanned<String>>,
    /// Read by the decision brief through [`reviewers`]; checked here so that a typo is an error.
    #[serde(default)]
    #[allow(dead_code)]
    reviewers: Vec<Spanned<String>>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    precedence: Vec<Spanned<String>>,
    #[serde(default)]
    sources: OrderedMap<Spanned<RawSource>>,
    offerings: OrderedMap<Spanned<RawOffering>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: Spanned<String>,
    #[serde(default)]
    url: Option<String>,
    authority: Spanned<String>,
    #[serde(default)]
    last_updated: Option<Spanned<String>>,
    #[serde(default)]
    retrieved: Option<Spanned<String>>,
    #[serde(default)]
    snapshot: Option<Spanned<String>>,
    #[serde(default)]
    sha256: Option<Spanned<String>>,
    /// Provenance of a snapshot taken from an Open Terms Archive versions repository
    /// (`diligence import ota`); read by `diligence refresh` from the file itself.
    #[serde(default)]
    #[allow(dead_code)]
    archive_repository: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    archive_path: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    archive_commit: Option<String>,
    #[serde(default)]
    archive_recorded: Option<Spanned<String>>,
    #[serde(default)]
    status: Option<Spanned<String>>,
    #[serde(default)]
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffering {
    name: Spanned<String>,
    tier: Spanned<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    facts: Option<Spanned<Node>>,
}

/// An id as used on the command line and in file names.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
}

fn id_error(kind: &str, id: &str, at: Pos) -> Diagnostic {
    Diagnostic::error(format!("{kind} id `{id}` is not valid"))
        .at(at)
        .hint(
            "use lowercase letters, digits, `-` and `_` (e.g. `sonar-api`), at most 64 characters",
        )
}

/// Parses the text of `vendors/<dir_name>/profile.yaml`. Nothing is read from disk: claims that
/// cite a source are left `Unarchived` until `evidence::verify` checks them against the
/// snapshots. Errors that concern one fact or claim do not stop the rest of the profile from
/// loading: all are returned.
pub fn parse(text: &str, dir_name: &str) -> (Option<Profile>, Vec<Diagnostic>) {
    let file = format!("vendors/{dir_name}/profile.yaml");
    let raw: RawProfile = match yaml::parse(text, &file) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let mut problems = Vec::new();
    let profile = build(raw, dir_name, &file, &mut problems);
    for d in &mut problems {
        if d.file.is_none() {
            d.file = Some(file.clone());
        }
    }
    (Some(profile), problems)
}

fn build(raw: RawProfile, dir_name: &str, file: &str, problems: &mut Vec<Diagnostic>) -> Profile {
    if raw.vendor.value != dir_name {
        problems.push(
            Diagnostic::error(format!(
                "vendor: `{}` does not match its folder `vendors/{dir_name}`",
                raw.vendor.value
            ))
            .at(span_pos(&raw.vendor))
            .hint(format!("write `vendor: {dir_name}` or rename the folder")),
        );
    }
    if !valid_id(dir_name) {
        problems.push(id_error("vendor", dir_name, span_pos(&raw.vendor)));
    }
    let reviewed = raw.reviewed.as_ref().and_then(|r| {
        parse_date(&r.value, span_pos(r), "reviewed")
            .map_err(|d| problems.push(d))
            .ok()
    });

    let sources: Vec<Source> = raw
        .sources
        .0
        .iter()
        .filter_map(|(id, src)| build_source(id, src, problems))
        .collect();

    let mut offerings = Vec::new();
    for (id, off) in &raw.offerings.0 {
        if !valid_id(&id.value) {
            problems.push(id_error("offering", &id.value, span_pos(id)));
        }
        let tier = off.value.tier.value.clone();
        if !TIERS.contains(&tier.as_str()) {
            problems.push(
                Diagnostic::error(format!(
                    "offering `{}`: tier `{tier}` is not one of: {}",
                    id.value,
                    TIERS.join(", ")
                ))
                .at(span_pos(&off.value.tier))
                .maybe_hint(did_you_mean(&tier, TIERS.iter().copied())),
            );
        }
        let mut facts = BTreeMap::new();
        if let Some(node) = &off.value.facts {
            let ctx = FactContext {
                sources: &sources,
                quotes_required: true,
            };
            build_facts(node, &ctx, "", &mut facts, problems);
        }
        offerings.push(Offering {
            id: id.value.clone(),
            name: off.value.name.value.clone(),
            tier,
            facts,
            at: span_pos(id),
            notes: off.value.notes.clone(),
        });
    }
    if offerings.is_empty() {
        problems.push(
            Diagnostic::error("offerings: a profile needs at least one offering")
                .at(span_pos(&raw.vendor))
                .hint("add `offerings:` with e.g. `api: {name: API, tier: api, facts: {}}`"),
        );
    }

    Profile {
        id: dir_name.to_string(),
        name: raw.name.value,
        reviewed,
        file: file.to_string(),
        precedence: documents::precedence(&raw.precedence, &sources, problems),
        sources,
        offerings,
        notes: raw.notes,
    }
}

fn build_source(
    id: &Spanned<String>,
    src: &Spanned<RawSource>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Source> {
    let raw = &src.value;
    if !valid_id(&id.value) {
        problems.push(id_error("source", &id.value, span_pos(id)));
    }
    let Some(authority) = Authority::parse(&raw.authority.value) else {
        let names: Vec<&str> = Authority::NAMED.iter().map(|a| a.as_str()).collect();
        problems.push(
            Diagnostic::error(format!(
                "source `{}`: authority `{}` is not one of: {}",
                id.value,
                raw.authority.value,
                names.join(", ")
            ))
            .at(span_pos(&raw.authority))
            .maybe_hint(did_you_mean(&raw.authority.value, names.iter().copied())),
        );
        return None;
    };
    let mut date = |field: &Option<Spanned<String>>, name: &str| {
        field.as_ref().and_then(|d| {
            parse_date(
                &d.value,
                span_pos(d),
                &format!("source `{}`: {name}", id.value),
            )
            .map_err(|e| problems.push(e))
            .ok()
        })
    };
    let last_updated = date(&raw.last_updated, "last_updated");
    let retrieved = date(&raw.retrieved, "retrieved");
    let _ = date(&raw.archive_recorded, "archive_recorded");
    let status = documents::status(&id.value, raw.status.as_ref(), problems);
    if raw.snapshot.is_none() && documents::needs_snapshot(status, authority) {
        problems.push(
            Diagnostic::error(format!(
                "source `{}`: a {} source needs a `snapshot:` (an archived copy the quotes are checked against)",
                id.value,
                authority.as_str()
            ))
            .at(span_pos(id))
            .hint("save the document under the vendor's sources/ folder and add `snapshot: sources/<file>.md`"),
        );
    }
    Some(Source {
        id: id.value.clone(),
        title: raw.title.value.clone(),
        url: raw.url.clone(),
        authority,
        last_updated,
        retrieved,
        snapshot: raw.snapshot.as_ref().map(|s| s.value.clone()),
        snapshot_at: raw.snapshot.as_ref().map_or(span_pos(id), span_pos),
        sha256: raw.sha256.as_ref().map(|s| s.value.trim().to_lowercase()),
        actual_sha256: None,
        at: span_pos(id),
        status,
        notes: raw.notes.clone(),
    })
}

/// The `reviewers:` of a profile (who checked its facts), for the decision brief. Read apart
/// from [`Profile`] so that code building profiles in memory (rule tests) needs no change; the
/// field itself is validated when the profile is loaded. Empty when absent or unreadable.
pub fn reviewers(profile_text: &str) -> Vec<String> {
    // Every other key is ignored (serde's default without deny_unknown_fields).
    #[derive(Deserialize)]
    struct Only {
        #[serde(default)]
        reviewers: Vec<String>,
    }
    serde_saphyr::from_str::<Only>(profile_text)
        .map(|o| o.reviewers)
        .unwrap_or_default()
}
