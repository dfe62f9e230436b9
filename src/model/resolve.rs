//! Fact resolution by authority: the strongest claims decide; weaker claims that disagree are
//! kept as outvoted notes; equal top-authority claims that disagree make the fact conflicting.
//!
//! A verified `not_stated` claim (the document was read and is silent) never outvotes or
//! conflicts with a value: it only decides when no counting claim states a value, and then the
//! fact is `NotStated` (unknown to rules, but known to have been searched for).

use crate::model::documents::SourceStatus;
use crate::model::policy::Audience;
use crate::model::profile::{Authority, Claim, Fact, Profile};
use crate::model::vocabulary::ValueType;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The strongest claims agree.
    Known,
    /// No claim counts (none given, or every quote failed verification).
    Unknown,
    /// Claims of equal top authority disagree.
    Conflicting,
    /// The only counting claims are verified silence: the documents searched say nothing.
    NotStated,
}

/// What a claim contributes to its resolved fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Among the strongest claims, and they agree.
    Decides,
    /// Among the strongest claims, which disagree.
    Conflicts,
    /// Weaker, and agrees with the resolved value.
    Agrees,
    /// Weaker, and disagrees: shown, never deciding.
    Outvoted,
    /// Its quote did not verify: no authority.
    Unverified,
    /// Verified silence (`not_stated`): records that its source says nothing, never a value.
    Silent,
    /// Applies to other customers than the organization (`applies_to:`): shown, never deciding.
    NotApplicable,
    /// Cites a superseded document: shown, never deciding.
    Superseded,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Decides => "decides",
            Role::Conflicts => "conflicts",
            Role::Agrees => "agrees",
            Role::Outvoted => "outvoted",
            Role::Unverified => "unverified",
            Role::Silent => "silent",
            Role::NotApplicable => "not_applicable",
            Role::Superseded => "superseded",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Resolved {
    pub status: Status,
    pub value: Option<Value>,
    pub authority: Option<Authority>,
    /// One role per claim, in the order of `Fact::claims`.
    pub roles: Vec<Role>,
    /// Every deciding claim's source was retrieved longer ago than the policy allows.
    pub stale: bool,
    /// For a `NotStated` fact: the sources searched and found silent, strongest first.
    pub searched: Vec<String>,
}

impl Resolved {
    pub fn unknown() -> Self {
        Resolved {
            status: Status::Unknown,
            value: None,
            authority: None,
            roles: Vec::new(),
            stale: false,
            searched: Vec::new(),
        }
    }
}

/// What resolution takes from the policy: the freshness rule (a source retrieved before
/// `oldest_fresh` is stale) and who the organization is (only claims that apply to it count).
#[derive(Debug, Clone, Copy, Default)]
pub struct Freshness<'a> {
    pub oldest_fresh: Option<Date>,
    /// None: every claim applies (no policy, e.g. `diff`).
    pub audience: Option<&'a Audience>,
}

impl Freshness<'_> {
    /// Whether the claim applies to the organization (a claim without `applies_to` always
    /// does; with one, only under a policy whose `audience:` it describes).
    pub fn applies(&self, claim: &Claim) -> bool {
        match self.audience {
            None => true,
            Some(a) => a.includes_all(claim.applies_to.iter().map(|(n, _)| n.as_str())),
        }
    }
}

/// Whether the claim cites a document replaced by a newer one.
fn superseded(claim: &Claim, profile: &Profile) -> bool {
    claim
        .source
        .as_deref()
        .and_then(|s| profile.source(s))
        .is_some_and(|s| s.status == SourceStatus::Superseded)
}

/// How strongly a claim decides, strongest first: the vendor's own order of precedence between
/// its documents (`precedence:`), then the authority order. A source the vendor's order does not
/// list comes after every listed one.
fn rank(claim: &Claim, profile: &Profile) -> (usize, Authority) {
    let listed = claim
        .source
        .as_deref()
        .and_then(|s| profile.precedence.iter().position(|p| p == s));
    (listed.unwrap_or(profile.precedence.len()), claim.authority)
}

pub fn resolve(fact: &Fact, profile: &Profile, freshness: Freshness) -> Resolved {
    // In force: applies to the organization and cites no superseded document.
    let in_force = |c: &Claim| freshness.applies(c) && !superseded(c, profile);
    let silent_role = |c: &Claim| match (superseded(c, profile), in_force(c)) {
        (true, _) => Role::Superseded,
        (false, false) => Role::NotApplicable,
        (false, true) => silent_role(c),
    };
    let counting = fact
        .claims
        .iter()
        .filter(|c| c.counts() && !c.is_not_stated() && in_force(c));
    let Some(top_rank) = counting.clone().map(|c| rank(c, profile)).min() else {
        return resolve_silence(fact, &in_force, &silent_role);
    };
    let top = top_rank.1;
    let top_claims: Vec<&Claim> = counting.filter(|c| rank(c, profile) == top_rank).collect();
    let top_values: Vec<&Value> = top_claims.iter().map(|c| &c.value).collect();
    let value = if top_values.windows(2).all(|w| w[0] == w[1]) {
        Some(top_values[0].clone())
    } else {
        added_up(&fact.name, &top_claims)
    };
    let agree = value.is_some();
    let roles = fact
        .claims
        .iter()
        .map(
            |c| match (c.counts(), rank(c, profile) == top_rank, &value) {
                _ if c.is_not_stated() || !in_force(c) => silent_role(c),
                (false, _, _) => Role::Unverified,
                (true, true, Some(_)) => Role::Decides,
                (true, true, None) => Role::Conflicts,
                (true, false, Some(v)) if *v == c.value || within(&c.value, v) => Role::Agrees,
                (true, false, _) => Role::Outvoted,
            },
        )
        .collect::<Vec<_>>();
    Resolved {
        status: if agree {
            Status::Known
        } else {
            Status::Conflicting
        },
        value,
        authority: Some(top),
        stale: stale(fact, &roles, profile, freshness),
        roles,
        searched: Vec::new(),
    }
}

/// For a list fact, the claims of one source add up: two statements of one document naming
/// two transfer mechanisms state both, they do not disagree. The values are joined in claim
/// order. Claims of different sources, and lists that contradict each other (`none` beside a
/// mechanism), are left to disagree.
fn added_up(fact: &str, claims: &[&Claim]) -> Option<Value> {
    let list = crate::model::vocabulary::fact_spec(fact).is_some_and(|f| {
        matches!(
            f.ty,
            ValueType::EnumList(_) | ValueType::TextList | ValueType::Certifications
        )
    });
    let source = claims.first()?.source.as_deref()?;
    if !list || claims.iter().any(|c| c.source.as_deref() != Some(source)) {
        return None;
    }
    let mut items: Vec<Value> = Vec::new();
    for c in claims {
        let list = c.value.as_array()?;
        if list.is_empty() {
            return None; // "none at all" contradicts a statement naming some
        }
        for item in list {
            if !items.contains(item) {
                items.push(item.clone());
            }
        }
    }
    let none = Value::String("none".into());
    if items.len() > 1 && items.contains(&none) {
        return None;
    }
    Some(Value::Array(items))
}

/// A list claim every item of which the resolved list holds (it agrees, saying less).
fn within(claim: &Value, resolved: &Value) -> bool {
    match (claim.as_array(), resolved.as_array()) {
        (Some(items), Some(all)) => !items.is_empty() && items.iter().all(|i| all.contains(i)),
        _ => false,
    }
}

/// The role of a `not_stated` claim: silent when it counts, unverified when its check failed.
fn silent_role(c: &Claim) -> Role {
    if c.counts() {
        Role::Silent
    } else {
        Role::Unverified
    }
}

/// A fact no counting claim states a value of: not stated when verified silence counts,
/// otherwise unknown.
fn resolve_silence(
    fact: &Fact,
    in_force: &dyn Fn(&Claim) -> bool,
    role: &dyn Fn(&Claim) -> Role,
) -> Resolved {
    let mut silent: Vec<_> = fact
        .claims
        .iter()
        .filter(|c| c.counts() && c.is_not_stated() && in_force(c))
        .collect();
    silent.sort_by_key(|c| c.authority);
    let roles = fact.claims.iter().map(role).collect();
    let Some(strongest) = silent.first() else {
        return Resolved {
            roles,
            ..Resolved::unknown()
        };
    };
    let mut searched: Vec<String> = Vec::new();
    for c in &silent {
        if let Some(s) = &c.source
            && !searched.contains(s)
        {
            searched.push(s.clone());
        }
    }
    Resolved {
        status: Status::NotStated,
        authority: Some(strongest.authority),
        roles,
        searched,
        ..Resolved::unknown()
    }
}

/// Whether every deciding claim's source was retrieved before the freshness limit.
fn stale(fact: &Fact, roles: &[Role], profile: &Profile, freshness: Freshness) -> bool {
    let Some(oldest) = freshness.oldest_fresh else {
        return false;
    };
    let mut deciding = fact
        .claims
        .iter()
        .zip(roles)
        .filter(|(_, r)| matches!(r, Role::Decides | Role::Conflicts))
        .peekable();
    deciding.peek().is_some()
        && deciding.all(|(c, _)| {
            c.source
                .as_deref()
                .and_then(|s| profile.source(s))
                .and_then(|s| s.retrieved)
                .is_some_and(|r| r < oldest)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;
    use crate::model::profile::{Source, Verification};

    fn source(id: &str, authority: Authority, retrieved: &str) -> Source {
        Source {
            id: id.into(),
            title: id.into(),
            url: None,
            authority,
            last_updated: None,
            retrieved: Some(retrieved.parse().unwrap()),
            snapshot: None,
            snapshot_at: Pos::default(),
            sha256: None,
            actual_sha256: None,
            at: Pos::default(),
            status: Default::default(),
            notes: None,
        }
    }

    fn claim(value: &str, src: &str, authority: Authority, verification: Verification) -> Claim {
        Claim {
            value: Value::from(value),
            source: Some(src.into()),
            authority,
            section: None,
            quote: Some("q".into()),
            note: None,
            searched: Vec::new(),
            at: Pos::default(),
            quote_at: Pos::default(),
            searched_at: Pos::default(),
            verification,
            draft: false,
            exceptions: Vec::new(),
            allowed_if: None,
            applies_to: Vec::new(),
        }
    }

    fn profile() -> Profile {
        Profile {
            id: "v".into(),
            name: "V".into(),
            reviewed: None,
            file: "vendors/v/profile.yaml".into(),
            sources: vec![
                source("terms", Authority::Contract, "2026-08-15"),
                source("terms2", Authority::Contract, "2024-01-01"),
                source("analysis", Authority::ThirdParty, "2026-08-15"),
            ],
            offerings: vec![],
            notes: None,
            precedence: Vec::new(),
        }
    }

    fn fact(claims: Vec<Claim>) -> Fact {
        Fact {
            name: "training_on_inputs".into(),
            claims,
            at: Pos::default(),
        }
    }

    const FRESH: Freshness = Freshness {
        oldest_fresh: None,
        audience: None,
    };

    #[test]
    fn the_contract_beats_a_third_party_analysis() {
        let f = fact(vec![
            claim(
                "default_on",
                "analysis",
                Authority::ThirdParty,
                Verification::Unarchived,
            ),
            claim(
                "never",
                "terms",
                Authority::Contract,
                Verification::Verified,
            ),
        ]);
        let r = resolve(&f, &profile(), FRESH);
        assert_eq!(r.status, Status::Known);
        assert_eq!(r.value, Some(Value::from("never")));
        assert_eq!(r.authority, Some(Authority::Contract));
        assert_eq!(r.roles, vec![Role::Outvoted, Role::Decides]);
    }

    #[test]
    fn equal_authorities_that_disagree_conflict() {
        let f = fact(vec![
            claim(
                "never",
                "terms",
                Authority::Contract,
                Verification::Verified,
            ),
            claim(
                "opt_out",
                "terms2",
                Authority::Contract,
                Verification::Verified,
            ),
            claim(
                "never",
                "analysis",
                Authority::ThirdParty,
                Verification::Unarchived,
            ),
        ]);
        let r = resolve(&f, &profile(), FRESH);
        assert_eq!(r.status, Status::Conflicting);
        assert_eq!(r.value, None);
        assert_eq!(
            r.roles,
            vec![Role::Conflicts, Role::Conflicts, Role::Outvoted]
        );
    }

    #[test]
    fn list_claims_of_one_source_add_up_and_of_two_sources_disagree() {
        let listed = |items: &[&str], src: &str| Claim {
            value: serde_json::json!(items),
            ..claim("x", src, Authority::Contract, Verification::Verified)
        };
        let transfers = |claims: Vec<Claim>| Fact {
            name: "transfer_mechanism".into(),
            ..fact(claims)
        };
        let one_document = transfers(vec![listed(&["dpf"], "terms"), listed(&["scc"], "terms")]);
        let r = resolve(&one_document, &profile(), FRESH);
        assert_eq!(r.status, Status::Known);
        assert_eq!(r.value, Some(serde_json::json!(["dpf", "scc"])));
        assert_eq!(r.roles, vec![Role::Decides, Role::Decides]);

        let two_documents = transfers(vec![listed(&["dpf"], "terms"), listed(&["scc"], "terms2")]);
        assert_eq!(
            resolve(&two_documents, &profile(), FRESH).status,
            Status::Conflicting
        );
        let contradiction = transfers(vec![listed(&["none"], "terms"), listed(&["scc"], "terms")]);
        assert_eq!(
            resolve(&contradiction, &profile(), FRESH).status,
            Status::Conflicting
        );
    }

    #[test]
    fn an_unverified_quote_has_no_authority() {
        let failed = Verification::Failed {
            reason: "not found".into(),
            at: Pos::default(),
            hint: String::new(),
        };
        let f = fact(vec![claim(
            "never",
            "terms",
            Authority::Contract,
            failed.clone(),
        )]);
        let r = resolve(&f, &profile(), FRESH);
        assert_eq!(r.status, Status::Unknown);
        assert_eq!(r.roles, vec![Role::Unverified]);

        let f = fact(vec![
            claim("never", "terms", Authority::Contract, failed),
            claim(
                "default_on",
                "analysis",
                Authority::ThirdParty,
                Verification::Unarchived,
            ),
        ]);
        let r = resolve(&f, &profile(), FRESH);
        assert_eq!(r.value, Some(Value::from("default_on")));
        assert_eq!(r.authority, Some(Authority::ThirdParty));
    }

    #[test]
    fn stale_only_when_every_deciding_source_is_old() {
        let cutoff = Freshness {
            oldest_fresh: Some("2025-11-24".parse().unwrap()),
            audience: None,
        };
        let old = fact(vec![claim(
            "never",
            "terms2",
            Authority::Contract,
            Verification::Verified,
        )]);
        assert!(resolve(&old, &profile(), cutoff).stale);
        let both = fact(vec![
            claim(
                "never",
                "terms2",
                Authority::Contract,
                Verification::Verified,
            ),
            claim(
                "never",
                "terms",
                Authority::Contract,
                Verification::Verified,
            ),
        ]);
        assert!(!resolve(&both, &profile(), cutoff).stale);
    }

    #[test]
    fn silence_decides_only_when_no_claim_states_a_value() {
        let silent =
            |src: &str, authority| claim("not_stated", src, authority, Verification::Verified);
        let f = fact(vec![silent("terms", Authority::Contract)]);
        let r = resolve(&f, &profile(), FRESH);
        assert_eq!(r.status, Status::NotStated);
        assert_eq!(r.value, None);
        assert_eq!(r.searched, vec!["terms".to_string()]);
        assert_eq!(r.roles, vec![Role::Silent]);

        // A weaker source that states a value is not outvoted by the contract's silence.
        let f = fact(vec![
            silent("terms", Authority::Contract),
            claim(
                "opt_out",
                "analysis",
                Authority::ThirdParty,
                Verification::Unarchived,
            ),
        ]);
        let r = resolve(&f, &profile(), FRESH);
        assert_eq!(r.status, Status::Known);
        assert_eq!(r.value, Some(Value::from("opt_out")));
        assert_eq!(r.roles, vec![Role::Silent, Role::Decides]);

        // Silence next to a value of equal authority is no conflict.
        let f = fact(vec![
            silent("terms2", Authority::Contract),
            claim(
                "never",
                "terms",
                Authority::Contract,
                Verification::Verified,
            ),
        ]);
        let r = resolve(&f, &profile(), FRESH);
        assert_eq!(r.status, Status::Known);
        assert_eq!(r.value, Some(Value::from("never")));
    }
}
