//! An offering's resolved facts converted to Rhai values once, then read by every rule at every
//! classification. A fact's claims, as maps, are built the first time a rule asks for them: most
//! rules never do, and building them for every fact was a sixth of an evaluation.

use crate::diag::did_you_mean;
use crate::model::profile::{Authority, Verification};
use crate::model::resolve::Status;
use crate::model::resolved::{ResolvedFact, ResolvedOffering};
use crate::model::vocabulary::{fact_names, fact_spec};
use rhai::{Dynamic, Map};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// What a rule sees of one fact.
#[derive(Debug, Clone)]
pub struct FactView {
    /// The resolved value, or `()` when unknown, conflicting or not stated.
    pub value: Dynamic,
    /// Every claim, as maps, built on the first `claims(name)` (see [`FactTable::claims`]).
    claims: OnceLock<Result<Dynamic, String>>,
    pub conflicting: bool,
    /// The documents searched say nothing of the fact (verified `not_stated`).
    pub not_stated: bool,
    /// For a not-stated fact: the titles of the documents found silent ("Acme DPA and Acme
    /// Terms"), for the hold that says so.
    pub silent_in: Option<String>,
    pub stale: bool,
    /// The deciding authority, or `()`.
    pub authority: Dynamic,
    /// Decided by a signed agreement, the contract or the DPA: what the vendor is bound by.
    pub contractual: bool,
    /// Decided by the vendor's own documents (not a third party, not a bare value).
    pub first_party: bool,
    /// The carve-outs of the deciding claims, as maps (see `exceptions_of`).
    pub exceptions: Dynamic,
    /// The deciding claims' `allowed_if:` conditions, joined, or `()`.
    pub allowed_if: Dynamic,
}

impl FactView {
    fn unknown() -> Self {
        FactView {
            value: Dynamic::UNIT,
            claims: OnceLock::from(Ok(Dynamic::from_array(Vec::new()))),
            conflicting: false,
            not_stated: false,
            silent_in: None,
            stale: false,
            authority: Dynamic::UNIT,
            contractual: false,
            first_party: false,
            exceptions: Dynamic::from_array(Vec::new()),
            allowed_if: Dynamic::UNIT,
        }
    }
}

/// The Rhai view of one offering's facts, over its [`ResolvedOffering`].
#[derive(Debug)]
pub struct FactTable {
    views: HashMap<String, FactView>,
    unknown: FactView,
    /// Names of the facts the offering states, sorted, as a Rhai array: `fact_names()` hands
    /// out copies that share the strings.
    names: rhai::Array,
    pub resolved: Arc<ResolvedOffering>,
}

/// The keys of each claim map rules get from `claims(name)`, in the order they are built.
pub const CLAIM_KEYS: [&str; 12] = [
    "value",
    "source",
    "authority",
    "title",
    "section",
    "quote",
    "note",
    "searched",
    "role",
    "verified",
    "retrieved",
    "stale",
];

/// The titles of the documents a not-stated fact was searched in, joined for a sentence.
fn silent_in(fact: &crate::model::resolved::ResolvedFact) -> Option<String> {
    let mut titles: Vec<&str> = Vec::new();
    for id in &fact.resolved.searched {
        let title = fact
            .evidence
            .iter()
            .find(|e| e.source.as_deref() == Some(id.as_str()))
            .and_then(|e| e.title.as_deref())
            .unwrap_or(id.as_str());
        if !titles.contains(&title) {
            titles.push(title);
        }
    }
    match titles.as_slice() {
        [] => None,
        [one] => Some(one.to_string()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}

/// A JSON value as a Rhai value. Every value in a profile is a string, number, boolean, list
/// or map, which always convert; a failure is a bug, reported as an error rather than hidden.
pub fn to_dynamic(value: &serde_json::Value) -> Result<Dynamic, String> {
    rhai::serde::to_dynamic(value).map_err(|e| format!("cannot convert {value} for rules: {e}"))
}

impl FactTable {
    pub fn build(resolved: Arc<ResolvedOffering>) -> Result<FactTable, String> {
        let mut views = HashMap::new();
        for (name, fact) in &resolved.facts {
            let r = &fact.resolved;
            let view = FactView {
                value: r.value.as_ref().map_or(Ok(Dynamic::UNIT), to_dynamic)?,
                claims: OnceLock::new(),
                conflicting: r.status == Status::Conflicting,
                not_stated: r.status == Status::NotStated,
                silent_in: silent_in(fact),
                stale: r.stale,
                authority: r
                    .authority
                    .map_or(Dynamic::UNIT, |a| Dynamic::from(a.as_str())),
                contractual: r.value.is_some()
                    && r.authority.is_some_and(Authority::is_contractual),
                first_party: r.value.is_some()
                    && r.authority.is_some_and(Authority::is_first_party),
                exceptions: exceptions_of(fact),
                allowed_if: allowed_if_of(fact),
            };
            views.insert(name.clone(), view);
        }
        let names = resolved
            .facts
            .keys()
            .map(|n| Dynamic::from(rhai::ImmutableString::from(n.as_str())))
            .collect();
        Ok(FactTable {
            views,
            unknown: FactView::unknown(),
            names,
            resolved,
        })
    }

    /// The view of a fact; a name outside the vocabulary is an error (with a suggestion).
    pub fn view(&self, name: &str) -> Result<&FactView, String> {
        if let Some(v) = self.views.get(name) {
            return Ok(v);
        }
        if fact_spec(name).is_some() || name.starts_with("custom.") {
            return Ok(&self.unknown);
        }
        let hint = did_you_mean(name, fact_names())
            .map(|h| format!("; {h}"))
            .unwrap_or_else(|| {
                "; see `diligence schema` for fact names, or use `custom.<name>`".into()
            });
        Err(format!("unknown fact `{name}`{hint}"))
    }

    /// A fact's claims as Rhai maps (keys [`CLAIM_KEYS`]), built on first use and shared by
    /// every rule and classification after it.
    pub fn claims(&self, name: &str) -> Result<Dynamic, String> {
        let view = self.view(name)?;
        let built = view
            .claims
            .get_or_init(|| match self.resolved.facts.get(name) {
                Some(fact) => claim_maps(fact),
                None => Ok(Dynamic::from_array(Vec::new())),
            });
        built.clone()
    }

    /// The names of the facts the offering states, sorted, as a Rhai array.
    pub fn names_array(&self) -> &rhai::Array {
        &self.names
    }
}

/// Every claim of one fact, as Rhai maps.
fn claim_maps(fact: &ResolvedFact) -> Result<Dynamic, String> {
    let claims = fact
        .evidence
        .iter()
        .zip(fact.stale_claims.iter().zip(&fact.verification))
        .zip(&fact.retrieved)
        .map(|((e, (stale, verified)), retrieved)| {
            let opt = |s: Option<&str>| s.map_or(Dynamic::UNIT, |s| Dynamic::from(s.to_string()));
            let retrieved = retrieved.map(|d| d.to_string());
            let mut m = Map::new();
            m.insert("value".into(), to_dynamic(&e.value)?);
            m.insert("source".into(), opt(e.source.as_deref()));
            m.insert("authority".into(), Dynamic::from(e.authority.as_str()));
            m.insert("title".into(), opt(e.title.as_deref()));
            m.insert("section".into(), opt(e.section.as_deref()));
            m.insert("quote".into(), opt(e.quote.as_deref()));
            m.insert("note".into(), opt(e.note.as_deref()));
            m.insert(
                "searched".into(),
                Dynamic::from_array(
                    e.searched
                        .iter()
                        .map(|w| Dynamic::from(w.clone()))
                        .collect(),
                ),
            );
            m.insert("role".into(), Dynamic::from(e.role.as_str()));
            m.insert(
                "verified".into(),
                Dynamic::from(*verified == Verification::Verified),
            );
            m.insert("retrieved".into(), opt(retrieved.as_deref()));
            m.insert("stale".into(), Dynamic::from(*stale));
            Ok(Dynamic::from_map(m))
        })
        .collect::<Result<rhai::Array, String>>()?;
    Ok(Dynamic::from_array(claims))
}

/// The carve-outs of the deciding claims of one fact, as a Rhai array of maps.
fn exceptions_of(fact: &ResolvedFact) -> Dynamic {
    let text = |s: Option<&str>| s.map_or(Dynamic::UNIT, |s| Dynamic::from(s.to_string()));
    let mut out = rhai::Array::new();
    for evidence in fact.evidence.iter().filter(|e| e.is_deciding()) {
        for exception in &evidence.exceptions {
            let mut m = Map::new();
            m.insert("quote".into(), Dynamic::from(exception.quote.clone()));
            m.insert("section".into(), text(exception.section.as_deref()));
            m.insert("note".into(), text(exception.note.as_deref()));
            m.insert("source".into(), text(evidence.source.as_deref()));
            m.insert("title".into(), text(evidence.title.as_deref()));
            out.push(Dynamic::from_map(m));
        }
    }
    Dynamic::from_array(out)
}

/// The conditions under which the deciding claims of `prohibited_data` allow the data after
/// all, joined with "; ", or `()` when none says.
fn allowed_if_of(fact: &ResolvedFact) -> Dynamic {
    let mut conditions: Vec<&str> = Vec::new();
    for evidence in fact.evidence.iter().filter(|e| e.is_deciding()) {
        if let Some(c) = evidence.allowed_if.as_deref()
            && !conditions.contains(&c)
        {
            conditions.push(c);
        }
    }
    if conditions.is_empty() {
        Dynamic::UNIT
    } else {
        Dynamic::from(conditions.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resolve::Freshness;

    #[test]
    fn claim_maps_have_exactly_the_documented_keys() {
        let (profile, problems) = crate::evidence::from_text(
            "vendor: v\nname: V\nofferings:\n  o:\n    name: O\n    tier: api\n    facts:\n      dpa: online\n",
            std::path::Path::new("."),
            "v",
        );
        let profile = profile.unwrap_or_else(|| panic!("{problems:?}"));
        let resolved =
            ResolvedOffering::build(&profile, &profile.offerings[0], Freshness::default());
        let table = FactTable::build(Arc::new(resolved)).unwrap();
        let claims = table.claims("dpa").unwrap().into_array().unwrap();
        let map = claims[0].clone().cast::<Map>();
        let mut keys: Vec<String> = map.keys().map(|k| k.to_string()).collect();
        keys.sort();
        let mut expected: Vec<String> = CLAIM_KEYS.iter().map(|k| k.to_string()).collect();
        expected.sort();
        assert_eq!(keys, expected);
    }
}
