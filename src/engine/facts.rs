//! An offering's facts, resolved and converted to Rhai values once, then read by every rule at
//! every classification.

use crate::diag::did_you_mean;
use crate::model::profile::{Offering, Profile, Verification};
use crate::model::resolve::{Freshness, Resolved, Role, Status, resolve};
use crate::model::vocabulary::{fact_names, fact_spec};
use rhai::{Dynamic, Map};
use std::collections::{BTreeMap, HashMap};

/// What a rule sees of one fact.
#[derive(Debug, Clone)]
pub struct FactView {
    /// The resolved value, or `()` when unknown or conflicting.
    pub value: Dynamic,
    /// Every claim, as maps.
    pub claims: Dynamic,
    pub conflicting: bool,
    /// The documents searched say nothing of the fact (verified `not_stated`).
    pub not_stated: bool,
    pub stale: bool,
    /// The deciding authority, or `()`.
    pub authority: Dynamic,
}

impl FactView {
    fn unknown() -> Self {
        FactView {
            value: Dynamic::UNIT,
            claims: Dynamic::from_array(Vec::new()),
            conflicting: false,
            not_stated: false,
            stale: false,
            authority: Dynamic::UNIT,
        }
    }
}

#[derive(Debug)]
pub struct FactTable {
    views: HashMap<String, FactView>,
    unknown: FactView,
    /// Names of the facts the offering states, sorted.
    names: Vec<String>,
    /// The same names as a Rhai array, built on first use: `fact_names()` hands out copies
    /// that share the strings.
    names_array: std::sync::OnceLock<rhai::Array>,
    pub resolved: BTreeMap<String, Resolved>,
    /// Every claim of every fact as report evidence, shared by the findings that cite it.
    pub evidence: BTreeMap<String, Vec<std::sync::Arc<crate::evaluation::Evidence>>>,
}

fn json_to_dynamic(value: &serde_json::Value) -> Dynamic {
    rhai::serde::to_dynamic(value).unwrap_or(Dynamic::UNIT)
}

pub fn role_str(role: Role) -> &'static str {
    match role {
        Role::Decides => "decides",
        Role::Conflicts => "conflicts",
        Role::Agrees => "agrees",
        Role::Outvoted => "outvoted",
        Role::Unverified => "unverified",
        Role::Silent => "silent",
    }
}

impl FactTable {
    pub fn build(profile: &Profile, offering: &Offering, freshness: Freshness) -> FactTable {
        let mut views = HashMap::new();
        let mut resolved_all = BTreeMap::new();
        let mut evidence = BTreeMap::new();
        for (name, fact) in &offering.facts {
            let resolved = resolve(fact, profile, freshness);
            let claims: rhai::Array = fact
                .claims
                .iter()
                .zip(&resolved.roles)
                .map(|(c, role)| {
                    let source = c.source.as_deref().and_then(|s| profile.source(s));
                    let mut m = Map::new();
                    let opt =
                        |s: Option<&str>| s.map_or(Dynamic::UNIT, |s| Dynamic::from(s.to_string()));
                    m.insert("value".into(), json_to_dynamic(&c.value));
                    m.insert("source".into(), opt(c.source.as_deref()));
                    m.insert(
                        "authority".into(),
                        Dynamic::from(c.authority.as_str().to_string()),
                    );
                    m.insert("title".into(), opt(source.map(|s| s.title.as_str())));
                    m.insert("section".into(), opt(c.section.as_deref()));
                    m.insert("quote".into(), opt(c.quote.as_deref()));
                    m.insert("note".into(), opt(c.note.as_deref()));
                    m.insert(
                        "searched".into(),
                        Dynamic::from_array(
                            c.searched.iter().map(|w| Dynamic::from(w.clone())).collect(),
                        ),
                    );
                    m.insert("role".into(), Dynamic::from(role_str(*role).to_string()));
                    m.insert(
                        "verified".into(),
                        Dynamic::from(c.verification == Verification::Verified),
                    );
                    let retrieved = source.and_then(|s| s.retrieved).map(|d| d.to_string());
                    m.insert("retrieved".into(), opt(retrieved.as_deref()));
                    let stale = match (freshness.oldest_fresh, source.and_then(|s| s.retrieved)) {
                        (Some(oldest), Some(r)) => r < oldest,
                        _ => false,
                    };
                    m.insert("stale".into(), Dynamic::from(stale));
                    Dynamic::from_map(m)
                })
                .collect();
            let view = FactView {
                value: resolved
                    .value
                    .as_ref()
                    .map_or(Dynamic::UNIT, json_to_dynamic),
                claims: Dynamic::from_array(claims),
                conflicting: resolved.status == Status::Conflicting,
                not_stated: resolved.status == Status::NotStated,
                stale: resolved.stale,
                authority: resolved
                    .authority
                    .map_or(Dynamic::UNIT, |a| Dynamic::from(a.as_str().to_string())),
            };
            views.insert(name.clone(), view);
            evidence.insert(
                name.clone(),
                crate::evaluation::evidence_of(profile, fact, &resolved),
            );
            resolved_all.insert(name.clone(), resolved);
        }
        let mut names: Vec<String> = views.keys().cloned().collect();
        names.sort();
        FactTable {
            views,
            unknown: FactView::unknown(),
            names,
            names_array: std::sync::OnceLock::new(),
            resolved: resolved_all,
            evidence,
        }
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

    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.names.iter().cloned()
    }

    /// The names of the facts the offering states, sorted, as a Rhai array.
    pub fn names_array(&self) -> &rhai::Array {
        self.names_array.get_or_init(|| {
            self.names
                .iter()
                .map(|n| Dynamic::from(rhai::ImmutableString::from(n.as_str())))
                .collect()
        })
    }
}
