//! Drift: what differs between the evidence a decision rested on and the evidence now, each
//! change named (a fact, a claim, a snapshot, a rule, a requirement).

use super::fingerprint::Fingerprint;
use crate::model::profile::Verification;
use crate::model::resolved::ResolvedOffering;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The verdict now is worse than at the decision.
    VerdictWorse,
    /// The verdict now is better than at the decision.
    VerdictBetter,
    /// A fact resolves to another value (or is no longer known).
    Fact,
    /// A fact's claims changed, or a quote no longer verifies.
    Claim,
    /// A cited source's snapshot was replaced or changed.
    Snapshot,
    /// A rule was added, removed or edited.
    Rule,
    /// A requirement of the policy changed.
    Requirement,
    /// A provider the offering relies on has another verdict (or was added or removed).
    Provider,
    /// The versions archive holds a newer version of a cited document.
    NewerVersion,
}

/// One named change since the decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: Kind,
    /// What changed: a fact, source, rule or requirement name.
    pub name: String,
    pub message: String,
    /// Where to look (`vendors/<id>/profile.yaml:LINE:COL`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

fn shown(v: Option<&Value>) -> String {
    match v {
        None => "absent".into(),
        Some(Value::Null) => "unknown".into(),
        Some(v) => v.to_string(),
    }
}

/// The evidence changes from `then` to `now`; `resolved` (the offering now) names the claims
/// that broke.
pub fn evidence(then: &Fingerprint, now: &Fingerprint, resolved: &ResolvedOffering) -> Vec<Change> {
    let mut out = Vec::new();
    for name in keys(&then.facts, &now.facts) {
        let (a, b) = (then.facts.get(name), now.facts.get(name));
        if a.map(|f| &f.value) != b.map(|f| &f.value) {
            out.push(Change {
                kind: Kind::Fact,
                name: name.clone(),
                message: format!(
                    "fact {name}: was {}, now {}",
                    shown(a.map(|f| &f.value)),
                    shown(b.map(|f| &f.value))
                ),
                at: None,
            });
        }
        if let (Some(a), Some(b)) = (a, b)
            && a.claims != b.claims
        {
            let broken: Vec<(String, String)> = resolved
                .facts
                .get(name)
                .map(|rf| {
                    rf.evidence
                        .iter()
                        .zip(&rf.verification)
                        .filter_map(|(e, v)| match v {
                            Verification::Failed { reason, .. } => {
                                Some((e.at.clone(), reason.clone()))
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            if broken.is_empty() {
                out.push(Change {
                    kind: Kind::Claim,
                    name: name.clone(),
                    message: format!(
                        "fact {name}: its claims changed (value, source, section or quote)"
                    ),
                    at: None,
                });
            }
            for (at, reason) in broken {
                out.push(Change {
                    kind: Kind::Claim,
                    name: name.clone(),
                    message: format!("fact {name}: a claim broke: {reason}"),
                    at: Some(at),
                });
            }
        }
    }
    for id in keys(&then.snapshots, &now.snapshots) {
        let (a, b) = (then.snapshots.get(id), now.snapshots.get(id));
        let message = match (a, b) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(a), Some(b)) if a.file != b.file => {
                format!("source {id}: snapshot replaced ({} -> {})", a.file, b.file)
            }
            (Some(a), Some(_)) => format!("source {id}: snapshot {} changed", a.file),
            (Some(a), None) => format!("source {id}: no longer cited (was {})", a.file),
            (None, Some(b)) => format!("source {id}: newly cited ({})", b.file),
            (None, None) => continue,
        };
        out.push(Change {
            kind: Kind::Snapshot,
            name: id.clone(),
            message,
            at: None,
        });
    }
    for id in keys(&then.rules, &now.rules) {
        let message = match (then.rules.get(id), now.rules.get(id)) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(_), Some(_)) => format!("rule {id}: its script changed"),
            (Some(_), None) => format!("rule {id}: removed"),
            (None, Some(_)) => format!("rule {id}: added"),
            (None, None) => continue,
        };
        out.push(Change {
            kind: Kind::Rule,
            name: id.clone(),
            message,
            at: None,
        });
    }
    for name in keys(&then.providers, &now.providers) {
        let (a, b) = (then.providers.get(name), now.providers.get(name));
        if a != b {
            let shown = |v: Option<&String>| v.map_or("not relied on".to_string(), String::clone);
            out.push(Change {
                kind: Kind::Provider,
                name: name.clone(),
                message: format!(
                    "provider {name}: {} at the decision, {} now",
                    shown(a),
                    shown(b)
                ),
                at: None,
            });
        }
    }
    for name in keys(&then.requirements, &now.requirements) {
        let (a, b) = (then.requirements.get(name), now.requirements.get(name));
        if a != b {
            out.push(Change {
                kind: Kind::Requirement,
                name: name.clone(),
                message: format!(
                    "requirement {name}: was {}, now {}",
                    a.map_or("unset".into(), Value::to_string),
                    b.map_or("unset".into(), Value::to_string)
                ),
                at: None,
            });
        }
    }
    out
}

fn keys<'a, V>(a: &'a BTreeMap<String, V>, b: &'a BTreeMap<String, V>) -> BTreeSet<&'a String> {
    a.keys().chain(b.keys()).collect()
}
