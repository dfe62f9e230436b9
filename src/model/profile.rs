//! Vendor profiles: facts per offering, each backed by claims that quote a source.
//!
//! This module only turns the text of `profile.yaml` into a [`Profile`]; reading the archived
//! snapshots and verifying quotes against them is `model::evidence`.

use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::model::vocabulary::{self, TIERS, check_value, fact_spec, parse_date};
use crate::model::yaml::{self, Node, OrderedMap, span_pos};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

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

#[derive(Debug, Clone)]
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
}

/// Whether a claim's quote was found in its source's snapshot.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exception {
    pub quote: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where its `quote:` is written.
    #[serde(skip)]
    pub quote_at: Pos,
}

#[derive(Debug, Clone)]
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
    pub exceptions: Vec<Exception>,
    /// For `prohibited_data`: the condition under which the data is allowed after all.
    pub allowed_if: Option<String>,
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

#[derive(Debug, Clone)]
pub struct Fact {
    pub name: String,
    pub claims: Vec<Claim>,
    pub at: Pos,
}

#[derive(Debug, Clone)]
pub struct Offering {
    pub id: String,
    pub name: String,
    pub tier: String,
    pub facts: BTreeMap<String, Fact>,
    pub at: Pos,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub reviewed: Option<Date>,
    /// The profile file, relative to the workspace (e.g. `vendors/perplexity/profile.yaml`).
    pub file: String,
    pub sources: Vec<Source>,
    pub offerings: Vec<Offering>,
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
    #[allow(dead_code)]
    notes: Option<String>,
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
    #[allow(dead_code)]
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffering {
    name: Spanned<String>,
    tier: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)]
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
/// cite a source are left `Unarchived` until `model::evidence::verify` checks them against the
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
        sources,
        offerings,
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
    if raw.snapshot.is_none() && authority != Authority::ThirdParty {
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
    })
}

/// Parses an offering's `facts:` mapping exactly as a profile's (fact names, value types,
/// claim lists, `custom:`), for offerings built outside a profile file (rule test cases).
/// Claims must cite one of `sources`; there are no snapshots, so their quotes are left
/// `Unarchived` (the caller decides what that means). Problems have no file set.
pub fn parse_facts(
    node: &Spanned<Node>,
    sources: &[Source],
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Fact> {
    let ctx = FactContext {
        sources,
        quotes_required: false,
    };
    let mut facts = BTreeMap::new();
    build_facts(node, &ctx, "", &mut facts, problems);
    facts
}

struct FactContext<'a> {
    sources: &'a [Source],
    /// Profiles quote their sources; rule test cases have no snapshots and need not.
    quotes_required: bool,
}

fn build_facts(
    node: &Spanned<Node>,
    ctx: &FactContext,
    prefix: &str,
    facts: &mut BTreeMap<String, Fact>,
    problems: &mut Vec<Diagnostic>,
) {
    let entries = match &node.value {
        Node::Map(entries) => entries,
        Node::Null => return,
        other => {
            problems.push(
                Diagnostic::error(format!(
                    "facts: expected a mapping of fact names, found {}",
                    other.kind()
                ))
                .at(span_pos(node)),
            );
            return;
        }
    };
    for (key, value) in entries {
        let name = key.value.as_str();
        if prefix.is_empty() && name == "custom" {
            build_facts(value, ctx, "custom.", facts, problems);
            continue;
        }
        let full = format!("{prefix}{name}");
        let ty = if prefix.is_empty() {
            match fact_spec(name) {
                Some(spec) => Some(spec.ty),
                None => {
                    problems.push(
                        Diagnostic::error(format!("unknown fact `{name}`"))
                            .at(span_pos(key))
                            .hint(
                                did_you_mean(name, vocabulary::fact_names()).unwrap_or_else(|| {
                                    "see `diligence schema` for the fact names; put your own facts under `custom:`".to_string()
                                }),
                            ),
                    );
                    continue;
                }
            }
        } else {
            None
        };
        let claims = build_claims(&full, value, ty, ctx, problems);
        facts.insert(
            full.clone(),
            Fact {
                name: full,
                claims,
                at: span_pos(key),
            },
        );
    }
}

const CLAIM_FIELDS: [&str; 9] = [
    "value",
    "source",
    "section",
    "quote",
    "searched",
    "note",
    "draft",
    "exceptions",
    "allowed_if",
];

fn is_claim_list(node: &Node) -> bool {
    match node {
        Node::Seq(items) => items
            .iter()
            .any(|i| matches!(&i.value, Node::Map(_)) && i.value.get("value").is_some()),
        _ => false,
    }
}

fn build_claims(
    name: &str,
    node: &Spanned<Node>,
    ty: Option<vocabulary::ValueType>,
    ctx: &FactContext,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Claim> {
    let what = format!("fact `{name}`");
    let check = |value: &Spanned<Node>| -> Result<Value, Diagnostic> {
        match ty {
            Some(ty) => check_value(value, ty, &what),
            None => Ok(value.value.to_json()),
        }
    };
    if !is_claim_list(&node.value) {
        if node.value == Node::Null {
            return Vec::new();
        }
        if node.value == Node::Str(NOT_STATED.into()) {
            problems.push(
                Diagnostic::error(format!(
                    "{what}: `not_stated` records that a source was read and is silent, so it needs the source and the words searched"
                ))
                .at(span_pos(node))
                .hint(format!(
                    "write it as a claim:\n  {name}:\n    - value: not_stated\n      source: <source id>\n      searched: [word, other words]"
                )),
            );
            return Vec::new();
        }
        return match check(node) {
            Ok(value) => vec![Claim {
                value,
                source: None,
                authority: Authority::Unsupported,
                section: None,
                quote: None,
                note: None,
                searched: Vec::new(),
                at: span_pos(node),
                quote_at: span_pos(node),
                searched_at: span_pos(node),
                verification: Verification::Bare,
                draft: false,
                exceptions: Vec::new(),
                allowed_if: None,
            }],
            Err(d) => {
                problems.push(d);
                Vec::new()
            }
        };
    }
    let Node::Seq(items) = &node.value else {
        return Vec::new();
    };
    let mut claims = Vec::new();
    for item in items {
        match build_claim(name, &what, item, &check, ctx) {
            Ok(c) => claims.push(c),
            Err(d) => problems.push(d),
        }
    }
    claims
}

fn text_field(field: &str, node: &Spanned<Node>, what: &str) -> Result<String, Diagnostic> {
    match &node.value {
        Node::Str(s) => Ok(s.clone()),
        Node::Int(i) => Ok(i.to_string()),
        Node::Float(f) => Ok(f.to_string()),
        other => Err(Diagnostic::error(format!(
            "{what}: `{field}` must be text, found {}",
            other.kind()
        ))
        .at(span_pos(node))),
    }
}

fn build_claim(
    fact: &str,
    what: &str,
    item: &Spanned<Node>,
    check: &dyn Fn(&Spanned<Node>) -> Result<Value, Diagnostic>,
    ctx: &FactContext,
) -> Result<Claim, Diagnostic> {
    let at = span_pos(item);
    check_claim_fields(what, item)?;
    let value_node = item
        .value
        .get("value")
        .ok_or_else(|| Diagnostic::error(format!("{what}: claim has no `value`")).at(at))?;
    let not_stated = value_node.value == Node::Str(NOT_STATED.into());
    let value = if not_stated {
        Value::String(NOT_STATED.into())
    } else {
        check(value_node)?
    };
    let source = claim_source(what, item, ctx)?;
    let quote_node = item.value.get("quote");
    let quote = match quote_node {
        Some(q) => Some(text_field("quote", q, what)?),
        None if not_stated || !ctx.quotes_required => None,
        None => {
            return Err(Diagnostic::error(format!("{what}: claim has no `quote`"))
                .at(at)
                .hint("copy the sentence that states the fact, verbatim, from the source"));
        }
    };
    let searched_node = item.value.get("searched");
    let searched = claim_searched(what, searched_node, value_node, not_stated)?;
    let optional_text = |field: &str| {
        item.value
            .get(field)
            .map(|s| text_field(field, s, what))
            .transpose()
    };
    Ok(Claim {
        value,
        source: Some(source.id.clone()),
        authority: source.authority,
        section: optional_text("section")?,
        quote,
        note: optional_text("note")?,
        searched,
        at,
        quote_at: quote_node.map_or(at, span_pos),
        searched_at: searched_node.map_or(at, span_pos),
        verification: Verification::Unarchived,
        draft: claim_draft(what, item)?,
        exceptions: item
            .value
            .get("exceptions")
            .map(|n| exceptions(n, what))
            .transpose()?
            .unwrap_or_default(),
        allowed_if: claim_allowed_if(fact, what, item)?,
    })
}

/// The fact whose claims may say under what condition the data is allowed.
const ALLOWED_IF_FACT: &str = "prohibited_data";

fn claim_allowed_if(
    fact: &str,
    what: &str,
    item: &Spanned<Node>,
) -> Result<Option<String>, Diagnostic> {
    let Some(node) = item.value.get("allowed_if") else {
        return Ok(None);
    };
    if fact != ALLOWED_IF_FACT {
        return Err(Diagnostic::error(format!(
            "{what}: `allowed_if:` only goes with `{ALLOWED_IF_FACT}`"
        ))
        .at(span_pos(node))
        .hint("to record a carve-out from a promise, use `exceptions:` with a quote"));
    }
    text_field("allowed_if", node, what).map(Some)
}

fn check_claim_fields(what: &str, item: &Spanned<Node>) -> Result<(), Diagnostic> {
    let Node::Map(entries) = &item.value else {
        return Err(Diagnostic::error(format!(
            "{what}: each claim is a mapping with value, source, section and quote; found {}",
            item.value.kind()
        ))
        .at(span_pos(item)));
    };
    for (key, _) in entries {
        if !CLAIM_FIELDS.contains(&key.value.as_str()) {
            return Err(
                Diagnostic::error(format!("{what}: unknown claim field `{}`", key.value))
                    .at(span_pos(key))
                    .hint(
                        did_you_mean(&key.value, CLAIM_FIELDS).unwrap_or_else(|| {
                            format!("allowed fields: {}", CLAIM_FIELDS.join(", "))
                        }),
                    ),
            );
        }
    }
    Ok(())
}

/// The source a claim cites, which must be one of the profile's `sources:`.
fn claim_source<'a>(
    what: &str,
    item: &Spanned<Node>,
    ctx: &FactContext<'a>,
) -> Result<&'a Source, Diagnostic> {
    let source_node = item.value.get("source").ok_or_else(|| {
        Diagnostic::error(format!("{what}: claim has no `source`"))
            .at(span_pos(item))
            .hint("name one of the profile's `sources:`, or write the fact as a bare value if you have no evidence")
    })?;
    let source_id = text_field("source", source_node, what)?;
    ctx.sources
        .iter()
        .find(|s| s.id == source_id)
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "{what}: source `{source_id}` is not defined in `sources:`"
            ))
            .at(span_pos(source_node))
            .hint(
                did_you_mean(&source_id, ctx.sources.iter().map(|s| s.id.as_str())).unwrap_or_else(
                    || "add it under `sources:` with its title, authority and snapshot".into(),
                ),
            )
        })
}

/// `searched:` goes with `value: not_stated`, and only with it.
fn claim_searched(
    what: &str,
    searched_node: Option<&Spanned<Node>>,
    value_node: &Spanned<Node>,
    not_stated: bool,
) -> Result<Vec<String>, Diagnostic> {
    match (searched_node, not_stated) {
        (Some(node), true) => searched_words(node, what),
        (None, true) => Err(Diagnostic::error(format!(
            "{what}: a `not_stated` claim needs `searched:`, the words you looked for in the source and did not find"
        ))
        .at(span_pos(value_node))
        .hint("add e.g. `searched: [breach, incident, notify]`: check verifies that the snapshot contains none of them")),
        (Some(node), false) => Err(Diagnostic::error(format!(
            "{what}: `searched:` only goes with `value: not_stated`"
        ))
        .at(span_pos(node))
        .hint("remove `searched:`, or write `value: not_stated` if the source says nothing of this fact")),
        (None, false) => Ok(Vec::new()),
    }
}

fn claim_draft(what: &str, item: &Spanned<Node>) -> Result<bool, Diagnostic> {
    match item.value.get("draft") {
        None => Ok(false),
        Some(d) => match &d.value {
            Node::Bool(b) => Ok(*b),
            other => Err(Diagnostic::error(format!(
                "{what}: `draft` must be true or false, found {}",
                other.kind()
            ))
            .at(span_pos(d))
            .hint("`draft: true` marks a claim proposed by `diligence extract`; delete the line once you have confirmed the claim")),
        },
    }
}

const EXCEPTION_FIELDS: [&str; 3] = ["quote", "section", "note"];

/// `exceptions:`: a list of carve-outs, each `{quote, section?, note?}`. A carve-out must be
/// quoted: an unquoted one could not be verified, and rules quote it to the reviewer.
fn exceptions(node: &Spanned<Node>, what: &str) -> Result<Vec<Exception>, Diagnostic> {
    let example = "e.g. `exceptions: [{quote: \"...except to improve safety systems...\", section: \"4.2\"}]`";
    let Node::Seq(items) = &node.value else {
        return Err(Diagnostic::error(format!(
            "{what}: `exceptions:` must be a list of quoted carve-outs, found {}",
            node.value.kind()
        ))
        .at(span_pos(node))
        .hint(example));
    };
    let mut out = Vec::new();
    for item in items {
        let Node::Map(entries) = &item.value else {
            return Err(Diagnostic::error(format!(
                "{what}: each exception is a mapping with `quote:` (and optional `section:`, `note:`), found {}",
                item.value.kind()
            ))
            .at(span_pos(item))
            .hint(example));
        };
        for (key, _) in entries {
            if !EXCEPTION_FIELDS.contains(&key.value.as_str()) {
                return Err(Diagnostic::error(format!(
                    "{what}: unknown exception field `{}`",
                    key.value
                ))
                .at(span_pos(key))
                .hint(
                    did_you_mean(&key.value, EXCEPTION_FIELDS).unwrap_or_else(|| {
                        format!("allowed fields: {}", EXCEPTION_FIELDS.join(", "))
                    }),
                ));
            }
        }
        let Some(quote_node) = item.value.get("quote") else {
            return Err(Diagnostic::error(format!(
                "{what}: an exception has no `quote`"
            ))
            .at(span_pos(item))
            .hint("copy the carve-out verbatim from the claim's source (e.g. \"except to improve safety systems\"): check verifies it like any quote"));
        };
        let optional = |field: &str| {
            item.value
                .get(field)
                .map(|n| text_field(field, n, what))
                .transpose()
        };
        out.push(Exception {
            quote: text_field("quote", quote_node, what)?,
            section: optional("section")?,
            note: optional("note")?,
            quote_at: span_pos(quote_node),
        });
    }
    Ok(out)
}

/// The words of `searched:`: a non-empty list of non-empty words or phrases.
fn searched_words(node: &Spanned<Node>, what: &str) -> Result<Vec<String>, Diagnostic> {
    let wrong = |at| {
        Diagnostic::error(format!(
            "{what}: `searched:` must be a list of the words you looked for, e.g. [breach, notify]"
        ))
        .at(at)
    };
    let Node::Seq(items) = &node.value else {
        return Err(wrong(span_pos(node)));
    };
    let mut words = Vec::new();
    for item in items {
        match &item.value {
            Node::Str(s) if s.chars().any(char::is_alphanumeric) => {
                words.push(s.trim().to_string())
            }
            _ => return Err(wrong(span_pos(item))),
        }
    }
    if words.is_empty() {
        return Err(wrong(span_pos(node)));
    }
    Ok(words)
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
