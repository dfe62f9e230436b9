//! The evidence of a case: built-in and extra sources (no snapshots), and claims settled as
//! verified, since a case tests a rule's logic, not a document.

use super::tree::{Checked, date};
use crate::diag::{Diagnostic, Pos};
use crate::model::profile::{self, Authority, Fact, Source, Verification};
use crate::model::yaml::{OrderedMap, span_pos};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// An extra source, shaped like a profile's but with no snapshot.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    authority: Authority,
    #[serde(default)]
    last_updated: Option<Spanned<String>>,
    #[serde(default)]
    retrieved: Option<Spanned<String>>,
}

/// One built-in source per named authority, named after it.
pub(super) fn builtin_sources() -> Vec<Source> {
    Authority::NAMED
        .iter()
        .map(|a| test_source(a.as_str(), *a, Pos::default()))
        .collect()
}

/// A source with no snapshot: test cases take every quote as verified.
fn test_source(id: &str, authority: Authority, at: Pos) -> Source {
    Source {
        id: id.to_string(),
        title: format!("{id} source (test)"),
        url: None,
        authority,
        last_updated: None,
        retrieved: None,
        snapshot: None,
        snapshot_at: at,
        sha256: None,
        actual_sha256: None,
        at,
        status: Default::default(),
        notes: None,
    }
}

/// The case's own sources (`sources:`), checked.
pub(super) fn extra_sources(
    list: OrderedMap<Checked<RawSource>>,
    label: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let mut out = Vec::new();
    for (id, raw) in list.0 {
        let what = format!("{label}: sources: `{}`", id.value);
        let at = span_pos(&id);
        if !profile::valid_id(&id.value) {
            problems.push(
                Diagnostic::error(format!(
                    "{label}: sources: source id `{}` is not valid",
                    id.value
                ))
                .at(at)
                .hint("use lowercase letters, digits, `-` and `_`"),
            );
        }
        let Some(raw) = raw.take(&what, problems) else {
            continue;
        };
        if raw.authority == Authority::Unsupported {
            problems.push(
                Diagnostic::error(format!(
                    "{what}: authority: a source cannot be `unsupported`"
                ))
                .at(at)
                .hint("name the kind of document: contract, dpa, policy, docs, third_party, ..."),
            );
            continue;
        }
        let mut source = test_source(&id.value, raw.authority, at);
        source.title = raw.title.unwrap_or_else(|| id.value.clone());
        source.url = raw.url;
        source.last_updated = raw
            .last_updated
            .and_then(|d| date(&d, &format!("{what}: last_updated"), problems));
        source.retrieved = raw
            .retrieved
            .and_then(|d| date(&d, &format!("{what}: retrieved"), problems));
        out.push(source);
    }
    out
}

/// Test cases have no snapshots: claims that cite a source count as verified, and bare values
/// take the case's authority (contract unless it says otherwise).
pub(super) fn settle_claims(
    mut facts: BTreeMap<String, Fact>,
    bare_authority: Authority,
) -> BTreeMap<String, Fact> {
    for claim in facts.values_mut().flat_map(|f| f.claims.iter_mut()) {
        match claim.verification {
            Verification::Bare if bare_authority != Authority::Unsupported => {
                claim.authority = bare_authority;
                claim.verification = Verification::Verified;
            }
            Verification::Unarchived => claim.verification = Verification::Verified,
            _ => {}
        }
    }
    facts
}
