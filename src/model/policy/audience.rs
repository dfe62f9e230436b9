//! Who the organization is, for claims that apply to part of a vendor's customers ("30 days'
//! notice for EU consumers, none for business customers").
//!
//! A claim's `applies_to: [business, eu]` names a kind of customer and/or regions; the claim
//! applies to the organization when every name it lists describes the organization. Only the
//! claims that apply take part in resolving a fact.

use crate::diag::{Diagnostic, did_you_mean};
use crate::model::yaml::span_pos;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// Kinds of customer that terms tell apart. Always defined.
pub const KINDS: &[&str] = &["business", "consumer"];

/// The policy's `audience:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    /// `business` or `consumer`: how the vendor's terms treat the organization.
    pub kind: String,
    /// Regions the organization is in (e.g. `eu`).
    pub regions: Vec<String>,
    /// Other regions claims may name (e.g. `us`): defined, but not the organization's.
    pub other_regions: Vec<String>,
}

impl Audience {
    /// Whether `name` may appear in a claim's `applies_to` under this policy.
    pub fn defines(&self, name: &str) -> bool {
        KINDS.contains(&name)
            || self
                .regions
                .iter()
                .chain(&self.other_regions)
                .any(|r| r == name)
    }

    /// Every name a claim may use, for hints.
    pub fn names(&self) -> Vec<&str> {
        KINDS
            .iter()
            .copied()
            .chain(self.regions.iter().map(String::as_str))
            .chain(self.other_regions.iter().map(String::as_str))
            .collect()
    }

    /// Whether a claim that applies to all of `names` applies to the organization. A claim with
    /// no `applies_to` applies to everyone.
    pub fn includes_all<'a>(&self, mut names: impl Iterator<Item = &'a str>) -> bool {
        names.all(|n| {
            if KINDS.contains(&n) {
                n == self.kind
            } else {
                self.regions.iter().any(|r| r == n)
            }
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAudience {
    kind: Spanned<String>,
    #[serde(default)]
    regions: Vec<Spanned<String>>,
    #[serde(default)]
    other_regions: Vec<Spanned<String>>,
}

/// Checks `audience:`: a known kind, region names as ids, none listed twice.
pub(super) fn build(raw: &RawAudience, problems: &mut Vec<Diagnostic>) -> Audience {
    if !KINDS.contains(&raw.kind.value.as_str()) {
        problems.push(
            Diagnostic::error(format!(
                "audience: kind `{}` is not one of: {}",
                raw.kind.value,
                KINDS.join(", ")
            ))
            .at(span_pos(&raw.kind))
            .hint(
                did_you_mean(&raw.kind.value, KINDS.iter().copied())
                    .unwrap_or_else(|| "write `kind: business` for an organization".into()),
            ),
        );
    }
    let mut seen: Vec<String> = KINDS.iter().map(|k| k.to_string()).collect();
    let mut names = |list: &[Spanned<String>], problems: &mut Vec<Diagnostic>| -> Vec<String> {
        let mut out = Vec::new();
        for r in list {
            let ok = crate::model::profile::valid_id(&r.value);
            if !ok || seen.contains(&r.value) {
                problems.push(
                    Diagnostic::error(format!(
                        "audience: region `{}` is {}",
                        r.value,
                        if ok { "listed twice (or is a kind)" } else { "not a valid name" }
                    ))
                    .at(span_pos(r))
                    .hint("list each region once, in lowercase, e.g. `regions: [eu]`, `other_regions: [us, uk]`"),
                );
                continue;
            }
            seen.push(r.value.clone());
            out.push(r.value.clone());
        }
        out
    };
    let regions = names(&raw.regions, problems);
    let other_regions = names(&raw.other_regions, problems);
    Audience {
        kind: raw.kind.value.clone(),
        regions,
        other_regions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eu_business() -> Audience {
        Audience {
            kind: "business".into(),
            regions: vec!["eu".into()],
            other_regions: vec!["us".into()],
        }
    }

    #[test]
    fn a_claim_applies_only_when_every_name_describes_the_organization() {
        let a = eu_business();
        assert!(a.includes_all([].into_iter()));
        assert!(a.includes_all(["business"].into_iter()));
        assert!(a.includes_all(["business", "eu"].into_iter()));
        assert!(!a.includes_all(["consumer", "eu"].into_iter()));
        assert!(!a.includes_all(["business", "us"].into_iter()));
    }

    #[test]
    fn kinds_and_listed_regions_are_defined() {
        let a = eu_business();
        assert!(a.defines("consumer") && a.defines("eu") && a.defines("us"));
        assert!(!a.defines("uk"));
    }
}
