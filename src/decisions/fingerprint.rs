//! The evidence fingerprint: what a verdict rested on when a decision was taken. Each part is
//! kept by name (facts with a digest of their claims, the cited snapshots' hashes, each rule's
//! hash, the requirements in force) so that drift can name what changed, and one digest over
//! the decision and all its parts tells a fingerprint edited by hand from one `decide` wrote.

use super::Decision;
use crate::engine::RuleSet;
use crate::evaluation::ProviderVerdicts;
use crate::evaluation::chain::LinkState;
use crate::intake::sha256_hex;
use crate::model::policy::Policy;
use crate::model::profile::{Offering, Profile, Verification};
use crate::model::resolve::Status;
use crate::model::resolved::ResolvedOffering;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::Path;

/// A fact as it resolved: its value (null when unknown or conflicting) and a digest of its
/// claims (values, sources, sections, quotes, and whether each quote verified).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactPrint {
    pub value: Value,
    pub claims: String,
}

/// A cited source's snapshot: its file and the SHA-256 of its bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotPrint {
    pub file: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fingerprint {
    pub facts: BTreeMap<String, FactPrint>,
    pub snapshots: BTreeMap<String, SnapshotPrint>,
    /// Rule id -> SHA-256 of its script (first 16 hex digits).
    pub rules: BTreeMap<String, String>,
    /// The requirements in force at the decision's coverage, and the evidence checks.
    pub requirements: BTreeMap<String, Value>,
    /// Each provider the offering relies on (`providers`) -> its verdict at the coverage
    /// (`external`, `unresolved` when it has none). Absent when it names none, so that the
    /// fingerprints of other offerings are as before.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub providers: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFingerprint {
    pub digest: Spanned<String>,
    #[serde(default)]
    facts: BTreeMap<String, FactPrint>,
    #[serde(default)]
    snapshots: BTreeMap<String, SnapshotPrint>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    requirements: BTreeMap<String, Value>,
    #[serde(default)]
    providers: BTreeMap<String, String>,
}

impl Fingerprint {
    pub(super) fn from_raw(raw: &RawFingerprint) -> Fingerprint {
        Fingerprint {
            facts: raw.facts.clone(),
            snapshots: raw.snapshots.clone(),
            rules: raw.rules.clone(),
            requirements: raw.requirements.clone(),
            providers: raw.providers.clone(),
        }
    }
}

/// What the fingerprint of one offering at one coverage is read from.
pub struct Inputs<'a> {
    pub root: &'a Path,
    pub profile: &'a Profile,
    pub offering: &'a Offering,
    pub resolved: &'a ResolvedOffering,
    pub policy: &'a Policy,
    pub class: &'a str,
    pub tags: &'a [String],
    /// [`rule_hashes`] of the run's rules (computed once per run, not per offering).
    pub rules: &'a BTreeMap<String, String>,
    /// The verdicts of the providers the offering relies on, as its evaluation had them.
    pub providers: &'a ProviderVerdicts,
}

/// Rule id -> the first 16 hex digits of the SHA-256 of its script.
pub fn rule_hashes(root: &Path, rules: &RuleSet) -> BTreeMap<String, String> {
    rules
        .rules
        .iter()
        .map(|r| {
            let text = std::fs::read(root.join(&r.file)).unwrap_or_default();
            (r.id.clone(), short_bytes(&text))
        })
        .collect()
}

/// The fingerprint of the evidence as it is now.
pub fn compute(i: &Inputs) -> Fingerprint {
    let mut facts = BTreeMap::new();
    for (name, rf) in &i.resolved.facts {
        let value = match rf.resolved.status {
            Status::Known | Status::NotStated => rf.resolved.value.clone().unwrap_or(Value::Null),
            Status::Unknown | Status::Conflicting => Value::Null,
        };
        let claims: Vec<Value> = rf
            .evidence
            .iter()
            .zip(&rf.verification)
            .map(|(e, v)| {
                json!([
                    e.value,
                    e.source,
                    e.section,
                    e.quote,
                    matches!(v, Verification::Verified)
                ])
            })
            .collect();
        let text = json!({"status": format!("{:?}", rf.resolved.status), "claims": claims});
        facts.insert(
            name.clone(),
            FactPrint {
                value: canonical(&value),
                claims: short(&canonical(&text).to_string()),
            },
        );
    }
    let mut snapshots = BTreeMap::new();
    let cited: std::collections::BTreeSet<&str> = i
        .offering
        .facts
        .values()
        .flat_map(|f| f.claims.iter().filter_map(|c| c.source.as_deref()))
        .collect();
    for id in cited {
        let Some(file) = i.profile.source(id).and_then(|s| s.snapshot.clone()) else {
            continue;
        };
        let path = i.root.join("vendors").join(&i.profile.id).join(&file);
        let sha256 = std::fs::read(&path).map_or_else(|_| "unreadable".to_string(), sha256_hex);
        snapshots.insert(id.to_string(), SnapshotPrint { file, sha256 });
    }
    let rules = i.rules.clone();
    let mut requirements: BTreeMap<String, Value> = i
        .policy
        .requirements(i.class, i.tags)
        .0
        .into_iter()
        .map(|(k, (v, _))| (k.to_string(), canonical(&v)))
        .collect();
    let checks: Vec<&str> = i.policy.evidence_checks.iter().map(|(c, _)| c.id).collect();
    if !checks.is_empty() {
        requirements.insert("evidence_checks".into(), json!(checks));
    }
    let providers = i
        .providers
        .links
        .iter()
        .map(|l| {
            let verdict = match &l.state {
                LinkState::Evaluated { classes } => classes
                    .get(i.class)
                    .map_or("unresolved", |c| c.verdict.as_str()),
                LinkState::External => "external",
                LinkState::Unresolved { .. } => "unresolved",
            };
            (l.provider.clone(), verdict.to_string())
        })
        .collect();
    Fingerprint {
        facts,
        snapshots,
        rules,
        requirements,
        providers,
    }
}

fn short(text: &str) -> String {
    short_bytes(text.as_bytes())
}

fn short_bytes(bytes: &[u8]) -> String {
    let mut h = sha256_hex(bytes);
    h.truncate(16);
    h
}

/// The value with every object's keys sorted, so that equal content always hashes alike.
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        Value::Object(m) => {
            let sorted: BTreeMap<&String, Value> =
                m.iter().map(|(k, v)| (k, canonical(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        other => other.clone(),
    }
}

/// `sha256:<hex>` over the decision (date, outcome, coverage, policy, verdict, review date)
/// and its whole fingerprint. Conditions are left out: meeting one is not an edit of the
/// decision.
pub fn digest(d: &Decision) -> String {
    let mut tags = d.tags.clone();
    tags.sort();
    let body = json!({
        "date": d.date.to_string(),
        "outcome": d.outcome.as_str(),
        "classification": d.classification,
        "tags": tags,
        "policy": d.policy,
        "verdict": d.verdict.as_str(),
        "review_by": d.review_by.to_string(),
        "fingerprint": d.fingerprint,
    });
    format!("sha256:{}", sha256_hex(canonical(&body).to_string()))
}
