//! `diff`: what changed between two workspaces — facts (old -> new value, with the sources that
//! decide them), quotes that no longer verify, and every verdict that changed.

use crate::diag::Diagnostic;
use crate::model::profile::{Offering, Profile, Verification};
use crate::model::resolve::{Freshness, Status};
use crate::model::resolved::ResolvedOffering;
use crate::outcome::{Evaluation, Verdict};
use crate::workspace::Workspace;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FactChange {
    pub vendor: String,
    pub offering: String,
    pub fact: String,
    /// added | removed | changed
    pub change: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// The deciding sources, e.g. "Perplexity API Terms of Service §2.3.3 (contract)".
    pub old_sources: Vec<String>,
    pub new_sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BrokenQuote {
    pub vendor: String,
    pub offering: String,
    pub fact: String,
    pub at: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VerdictChange {
    pub vendor: String,
    pub offering: String,
    pub classification: String,
    pub old: Option<Verdict>,
    pub new: Option<Verdict>,
    pub worse: bool,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Diff {
    pub old: String,
    pub new: String,
    pub facts: Vec<FactChange>,
    pub broken_quotes: Vec<BrokenQuote>,
    pub verdicts: Vec<VerdictChange>,
}

impl Diff {
    pub fn got_worse(&self) -> bool {
        self.verdicts.iter().any(|v| v.worse)
    }
}

/// Resolved value and deciding sources of every fact of an offering.
fn resolved_facts(
    profile: &Profile,
    offering: &Offering,
) -> BTreeMap<String, (Option<Value>, Vec<String>)> {
    // Staleness does not change values: resolve without a freshness cut-off.
    let resolved = ResolvedOffering::build(profile, offering, Freshness::default());
    let mut out = BTreeMap::new();
    for (name, fact) in &resolved.facts {
        let value = match fact.resolved.status {
            Status::Known => fact.resolved.value.clone(),
            Status::Conflicting => Some(Value::from("(conflicting)")),
            Status::NotStated => Some(Value::from("(not stated)")),
            Status::Unknown => None,
        };
        let sources = fact
            .evidence
            .iter()
            .filter(|e| e.is_deciding() || e.role == crate::model::resolve::Role::Silent)
            .map(|e| {
                let title = e.title.clone().unwrap_or_else(|| "bare value".to_string());
                let section = e
                    .section
                    .as_deref()
                    .map(|s| format!(" §{s}"))
                    .unwrap_or_default();
                format!("{title}{section} ({})", e.authority.as_str())
            })
            .collect();
        if value.is_some() {
            out.insert(name.clone(), (value, sources));
        }
    }
    out
}

fn offerings(ws: &Workspace) -> BTreeMap<(String, String), (&Profile, &Offering)> {
    ws.profiles
        .iter()
        .flat_map(|p| {
            p.offerings
                .iter()
                .map(move |o| ((p.id.clone(), o.id.clone()), (p, o)))
        })
        .collect()
}

pub fn fact_changes(old: &Workspace, new: &Workspace) -> Vec<FactChange> {
    let (old_o, new_o) = (offerings(old), offerings(new));
    let keys: BTreeSet<&(String, String)> = old_o.keys().chain(new_o.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let before = old_o
            .get(key)
            .map(|(p, o)| resolved_facts(p, o))
            .unwrap_or_default();
        let after = new_o
            .get(key)
            .map(|(p, o)| resolved_facts(p, o))
            .unwrap_or_default();
        let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for name in names {
            let (ov, os) = before.get(name).cloned().unwrap_or((None, vec![]));
            let (nv, ns) = after.get(name).cloned().unwrap_or((None, vec![]));
            let change = match (&ov, &nv) {
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                (Some(a), Some(b)) if a != b => "changed",
                _ => continue,
            };
            out.push(FactChange {
                vendor: key.0.clone(),
                offering: key.1.clone(),
                fact: name.clone(),
                change: change.to_string(),
                old: ov,
                new: nv,
                old_sources: os,
                new_sources: ns,
            });
        }
    }
    out
}

/// Quotes that fail in the new workspace.
pub fn broken_quotes(new: &Workspace) -> Vec<BrokenQuote> {
    let mut out = Vec::new();
    for p in &new.profiles {
        for o in &p.offerings {
            for f in o.facts.values() {
                for c in &f.claims {
                    if let Verification::Failed { reason, at, .. } = &c.verification {
                        out.push(BrokenQuote {
                            vendor: p.id.clone(),
                            offering: o.id.clone(),
                            fact: f.name.clone(),
                            at: format!("{}:{}:{}", p.file, at.line, at.column),
                            reason: reason.clone(),
                        });
                    }
                }
            }
        }
    }
    out
}

pub fn verdict_changes(old: &Evaluation, new: &Evaluation) -> Vec<VerdictChange> {
    let index = |e: &Evaluation| -> BTreeMap<(String, String, String), Verdict> {
        e.results
            .iter()
            .map(|r| {
                (
                    (
                        r.vendor.clone(),
                        r.offering.clone(),
                        r.classification.clone(),
                    ),
                    r.verdict,
                )
            })
            .collect()
    };
    let (a, b) = (index(old), index(new));
    let keys: BTreeSet<&(String, String, String)> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (o, n) = (a.get(k).copied(), b.get(k).copied());
            (o != n).then(|| VerdictChange {
                vendor: k.0.clone(),
                offering: k.1.clone(),
                classification: k.2.clone(),
                old: o,
                new: n,
                worse: matches!((o, n), (Some(o), Some(n)) if n > o)
                    || (o.is_none() && n.is_some_and(|n| n > Verdict::Go)),
            })
        })
        .collect()
}

/// Problems that make a workspace unusable for a diff.
pub fn errors_of(ws: &Workspace) -> Vec<Diagnostic> {
    ws.problems
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect()
}
