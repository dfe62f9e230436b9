//! The setting of a case: its class, tags, requirements, tier, dates and evidence ages, with
//! their defaults, checked against the policy.

use super::evidence::RawSource;
use super::expect::RawExpect;
use super::tree::date;
use super::tree::{Checked, prefixed};
use super::{DEFAULT_AUTHORITY, DEFAULT_TIER, DEFAULT_TODAY};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::policy::{Origin, Policy, Requirements, parse_requirements};
use crate::model::profile::Authority;
use crate::model::vocabulary::{TIERS, requirement_spec};
use crate::model::yaml::OrderedMap;
use crate::model::yaml::{Node, span_pos};
use jiff::civil::Date;
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

/// A case as written in the test file, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCase {
    #[serde(default)]
    pub(super) name: Option<Checked<String>>,
    #[serde(default)]
    pub(super) classification: Option<Checked<Spanned<String>>>,
    #[serde(default)]
    pub(super) tags: Option<Checked<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub(super) require: Option<Spanned<Node>>,
    #[serde(default)]
    pub(super) tier: Option<Checked<Spanned<String>>>,
    #[serde(default)]
    pub(super) today: Option<Checked<Spanned<String>>>,
    #[serde(default)]
    pub(super) reviewed: Option<Checked<Spanned<String>>>,
    #[serde(default)]
    pub(super) policy: Option<Checked<RawPolicy>>,
    #[serde(default)]
    pub(super) authority: Option<Checked<Authority>>,
    #[serde(default)]
    pub(super) sources: Option<Checked<OrderedMap<Checked<RawSource>>>>,
    #[serde(default)]
    pub(super) facts: Option<Spanned<Node>>,
    #[serde(default)]
    pub(super) expect: Option<Checked<RawExpect>>,
    /// The verdicts of the providers the case's `providers` fact names (`vendor/offering`), at
    /// the case's classification, as givens: `{openai/api: no-go}`.
    #[serde(default)]
    pub(super) providers:
        Option<Checked<std::collections::BTreeMap<String, crate::outcome::Verdict>>>,
}

/// Overrides of the policy's evidence ages; `null` unsets.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPolicy {
    #[serde(default, deserialize_with = "present")]
    evidence_max_age_days: Option<Option<Spanned<i64>>>,
    #[serde(default, deserialize_with = "present")]
    review_interval_days: Option<Option<Spanned<i64>>>,
}

/// A field written (even as `null`): `Some`, so that `null` can mean "unset".
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Everything about the case but its facts and expectations.
pub(super) struct Setting {
    pub(super) classification: String,
    pub(super) tags: Vec<String>,
    pub(super) requirements: Requirements,
    pub(super) tier: String,
    pub(super) today: Date,
    pub(super) reviewed: Option<Date>,
    pub(super) evidence_max_age_days: Option<i64>,
    pub(super) review_interval_days: Option<i64>,
    pub(super) bare_authority: Authority,
}

/// The class, tags, requirements, dates and evidence settings of a case, with their defaults.
pub(super) fn setting(
    raw: &RawCase,
    policy: &Policy,
    label: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Setting> {
    let before = problems.len();
    let what = |field: &str| format!("{label}: {field}");
    let class_names: Vec<&str> = policy.classes.iter().map(|c| c.name.as_str()).collect();
    let classification = match checked(&raw.classification, &what("classification"), problems) {
        Some(c) => one_of(c, &what("classification"), &class_names, problems),
        None => class_names.last().map(|s| s.to_string()),
    };
    let tags = tags(raw, policy, label, problems);
    let tier = match checked(&raw.tier, &what("tier"), problems) {
        Some(t) => one_of(t, &what("tier"), TIERS, problems),
        None => Some(DEFAULT_TIER.to_string()),
    };
    let today = match checked(&raw.today, &what("today"), problems) {
        Some(d) => date(d, &what("today"), problems),
        None => DEFAULT_TODAY.parse().ok(),
    };
    let reviewed = checked(&raw.reviewed, &what("reviewed"), problems)
        .and_then(|d| date(d, &what("reviewed"), problems));
    let bare_authority = match &raw.authority {
        Some(a) => a.get(&what("authority"), problems).copied(),
        None => Some(DEFAULT_AUTHORITY),
    };
    let (evidence_max_age_days, review_interval_days) =
        policy_overrides(raw.policy.as_ref(), policy, label, problems);
    let requirements = requirements(
        raw,
        policy,
        classification.as_deref(),
        &tags,
        label,
        problems,
    );
    if problems.len() > before {
        return None;
    }
    Some(Setting {
        classification: classification?,
        tags,
        requirements,
        tier: tier?,
        today: today?,
        reviewed,
        evidence_max_age_days,
        review_interval_days,
        bare_authority: bare_authority?,
    })
}

/// An optional checked field's value, reporting its error.
fn checked<'a, T>(
    field: &'a Option<Checked<T>>,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<&'a T> {
    field.as_ref().and_then(|c| c.get(what, problems))
}

/// `value` if it is one of `allowed`, else an error at its place with a suggestion.
fn one_of(
    value: &Spanned<String>,
    what: &str,
    allowed: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let s = value.value.trim();
    if allowed.contains(&s) {
        return Some(s.to_string());
    }
    problems.push(
        Diagnostic::error(format!(
            "{what}: `{s}` is not one of: {}",
            allowed.join(", ")
        ))
        .at(span_pos(value))
        .maybe_hint(did_you_mean(s, allowed.iter().copied())),
    );
    None
}

/// The policy tags the case applies, each once.
fn tags(
    raw: &RawCase,
    policy: &Policy,
    label: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let names: Vec<&str> = policy.tags.iter().map(|t| t.name.as_str()).collect();
    let what = format!("{label}: tag");
    let mut tags: Vec<String> = Vec::new();
    for t in checked(&raw.tags, &format!("{label}: tags"), problems).unwrap_or(&Vec::new()) {
        if let Some(t) = one_of(t, &what, &names, problems)
            && !tags.contains(&t)
        {
            tags.push(t);
        }
    }
    tags
}

/// The requirement set of the class and tags, with the case's `require:` on top (`null` unsets).
fn requirements(
    raw: &RawCase,
    policy: &Policy,
    classification: Option<&str>,
    tags: &[String],
    label: &str,
    problems: &mut Vec<Diagnostic>,
) -> Requirements {
    let mut requirements = classification
        .map(|c| policy.requirements(c, tags))
        .unwrap_or_default();
    let Some(node) = &raw.require else {
        return requirements;
    };
    for (key, value) in parse_requirements(node, label, problems) {
        requirements
            .0
            .insert(key, (value, Origin::Class("test case".to_string())));
    }
    if let Node::Map(entries) = &node.value {
        for (key, value) in entries {
            if value.value == Node::Null
                && let Some(spec) = requirement_spec(&key.value)
            {
                requirements.0.remove(spec.name);
            }
        }
    }
    requirements
}

/// The policy's evidence ages, as the case overrides them.
fn policy_overrides(
    raw: Option<&Checked<RawPolicy>>,
    policy: &Policy,
    label: &str,
    problems: &mut Vec<Diagnostic>,
) -> (Option<i64>, Option<i64>) {
    let mut ages = (policy.evidence_max_age_days, policy.review_interval_days);
    let what = format!("{label}: policy");
    let Some(raw) = raw else {
        return ages;
    };
    let raw = match &raw.value {
        Ok(r) => r,
        Err(d) => {
            problems.push(
                prefixed(d.clone(), &what)
                    .hint("give a positive whole number of days, or null to unset"),
            );
            return ages;
        }
    };
    let mut days =
        |field: &Option<Option<Spanned<i64>>>, name: &str, slot: &mut Option<i64>| match field {
            None => {}
            Some(None) => *slot = None,
            Some(Some(d)) if d.value > 0 => *slot = Some(d.value),
            Some(Some(d)) => problems.push(
                Diagnostic::error(format!(
                    "{what}: {name}: expected a positive whole number of days (or null), found {}",
                    d.value
                ))
                .at(span_pos(d)),
            ),
        };
    days(
        &raw.evidence_max_age_days,
        "evidence_max_age_days",
        &mut ages.0,
    );
    days(
        &raw.review_interval_days,
        "review_interval_days",
        &mut ages.1,
    );
    ages
}
