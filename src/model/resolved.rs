//! An offering with every fact resolved by authority, and every claim turned into the evidence
//! that findings cite. Built once per offering; rules, reports, `explain` and `diff` read it.
//! Rhai-free: the engine only converts it into script values.

use crate::model::profile::{Authority, Exception, Fact, Offering, Profile, Verification};
use crate::model::resolve::{Freshness, Resolved, Role, resolve};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One claim as a finding cites it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evidence {
    pub fact: String,
    /// The source id; None for a bare value.
    pub source: Option<String>,
    pub authority: Authority,
    pub title: Option<String>,
    pub url: Option<String>,
    pub section: Option<String>,
    pub quote: Option<String>,
    /// `vendors/<id>/profile.yaml:LINE:COL` of the claim.
    pub at: String,
    /// What this claim says.
    pub value: Value,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The reviewer's notes on the claim's source (`notes:` of the source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_notes: Option<String>,
    /// For a `not_stated` claim: the words searched for and not found in the source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub searched: Vec<String>,
    /// Quoted carve-outs from what this claim promises.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
    /// For `prohibited_data`: the condition under which the data is allowed after all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_if: Option<String>,
}

impl Evidence {
    /// Whether this claim decides (or conflicts on) its fact: the citations of a finding.
    pub fn is_deciding(&self) -> bool {
        matches!(self.role, Role::Decides | Role::Conflicts)
    }
}

/// One fact of an offering: how it resolved, and its claims as evidence (in claim order).
#[derive(Debug, Clone)]
pub struct ResolvedFact {
    pub resolved: Resolved,
    pub evidence: Vec<Arc<Evidence>>,
    /// Per claim: when its source's snapshot was taken, if recorded.
    pub retrieved: Vec<Option<jiff::civil::Date>>,
    /// Per claim: whether its source was retrieved before the policy's freshness limit.
    pub stale_claims: Vec<bool>,
    /// Per claim: whether its quote was found in its source's snapshot, and why not.
    pub verification: Vec<Verification>,
}

/// Every stated fact of one offering, resolved.
#[derive(Debug, Clone, Default)]
pub struct ResolvedOffering {
    pub facts: BTreeMap<String, ResolvedFact>,
    /// The vendor's documents cited but not obtained (`status: missing`), to ask for.
    pub missing_documents: Vec<MissingDocument>,
}

/// A document incorporated by reference but not obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingDocument {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    /// The source's entry in the profile, `file:line:col`.
    pub at: String,
}

impl ResolvedOffering {
    pub fn build(profile: &Profile, offering: &Offering, freshness: Freshness) -> ResolvedOffering {
        let facts = offering
            .facts
            .iter()
            .map(|(name, fact)| {
                let resolved = resolve(fact, profile, freshness);
                let evidence = evidence_of(profile, fact, &resolved);
                let retrieved: Vec<_> = fact
                    .claims
                    .iter()
                    .map(|c| {
                        c.source
                            .as_deref()
                            .and_then(|s| profile.source(s))
                            .and_then(|s| s.retrieved)
                    })
                    .collect();
                let stale_claims = retrieved
                    .iter()
                    .map(|r| matches!((freshness.oldest_fresh, r), (Some(o), Some(r)) if *r < o))
                    .collect();
                let verification = fact.claims.iter().map(|c| c.verification.clone()).collect();
                let entry = ResolvedFact {
                    resolved,
                    evidence,
                    retrieved,
                    stale_claims,
                    verification,
                };
                (name.clone(), entry)
            })
            .collect();
        let missing_documents = profile
            .sources
            .iter()
            .filter(|s| s.status == crate::model::documents::SourceStatus::Missing)
            .map(|s| MissingDocument {
                id: s.id.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
                at: format!("{}:{}:{}", profile.file, s.at.line, s.at.column),
            })
            .collect();
        ResolvedOffering {
            facts,
            missing_documents,
        }
    }

    pub fn get(&self, name: &str) -> Option<&ResolvedFact> {
        self.facts.get(name)
    }

    /// The resolved value of a fact, `None` when unknown, conflicting or not stated.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.facts.get(name).and_then(|f| f.resolved.value.as_ref())
    }

    /// The authority that decides a fact, when one does.
    pub fn authority(&self, name: &str) -> Option<Authority> {
        self.facts.get(name).and_then(|f| f.resolved.authority)
    }
}

/// The evidence entries of one fact: every claim with its role.
fn evidence_of(profile: &Profile, fact: &Fact, resolved: &Resolved) -> Vec<Arc<Evidence>> {
    fact.claims
        .iter()
        .zip(&resolved.roles)
        .map(|(claim, role)| {
            let source = claim.source.as_deref().and_then(|s| profile.source(s));
            Arc::new(Evidence {
                fact: fact.name.clone(),
                source: claim.source.clone(),
                authority: claim.authority,
                title: source.map(|s| s.title.clone()),
                url: source.and_then(|s| s.url.clone()),
                section: claim.section.clone(),
                quote: claim.quote.clone(),
                at: format!("{}:{}:{}", profile.file, claim.at.line, claim.at.column),
                value: claim.value.clone(),
                role: *role,
                note: claim.note.clone(),
                source_notes: source.and_then(|s| s.notes.clone()),
                searched: claim.searched.clone(),
                exceptions: claim.exceptions.clone(),
                allowed_if: claim.allowed_if.clone(),
            })
        })
        .collect()
}
