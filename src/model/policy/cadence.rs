//! The review cadence (`review_cadence:`): how long a decision holds before it must be looked at
//! again, per classification and data tag, and how long before that date to warn.

use super::{Class, Tag};
use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::model::yaml::{OrderedMap, span_pos};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// How long an approval holds when the policy does not say: a year, as most registers keep.
pub const DEFAULT_MONTHS: i64 = 12;
/// How many days before a review date `status` starts to warn, when the policy does not say.
pub const DEFAULT_WARN_DAYS: i64 = 30;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCadence {
    #[serde(default)]
    warn_days: Option<Spanned<i64>>,
    #[serde(default)]
    classifications: OrderedMap<Spanned<i64>>,
    #[serde(default)]
    tags: OrderedMap<Spanned<i64>>,
}

/// Months per classification and tag; a class without its own inherits its parent's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cadence {
    pub warn_days: i64,
    pub classes: BTreeMap<String, i64>,
    pub tags: BTreeMap<String, i64>,
    pub at: Pos,
}

pub(super) fn build(
    raw: &Spanned<RawCadence>,
    classes: &[Class],
    tags: &[Tag],
    problems: &mut Vec<Diagnostic>,
) -> Cadence {
    let mut out = Cadence {
        warn_days: DEFAULT_WARN_DAYS,
        at: span_pos(raw),
        ..Cadence::default()
    };
    if let Some(w) = &raw.value.warn_days {
        if w.value < 0 {
            problems.push(
                Diagnostic::error(format!(
                    "review_cadence.warn_days: expected zero or more days, found {}",
                    w.value
                ))
                .at(span_pos(w))
                .hint("e.g. `warn_days: 30`"),
            );
        } else {
            out.warn_days = w.value;
        }
    }
    let class_names: Vec<&str> = classes.iter().map(|c| c.name.as_str()).collect();
    let tag_names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    for (what, list, names, into) in [
        (
            "classification",
            &raw.value.classifications,
            &class_names,
            &mut out.classes,
        ),
        ("tag", &raw.value.tags, &tag_names, &mut out.tags),
    ] {
        for (name, months) in &list.0 {
            if !names.contains(&name.value.as_str()) {
                problems.push(
                    Diagnostic::error(format!(
                        "review_cadence: the policy has no {what} `{}`",
                        name.value
                    ))
                    .at(span_pos(name))
                    .hint(
                        did_you_mean(&name.value, names.iter().copied()).unwrap_or_else(|| {
                            format!("{what}s of this policy: {}", names.join(", "))
                        }),
                    ),
                );
                continue;
            }
            if months.value < 1 {
                problems.push(
                    Diagnostic::error(format!(
                        "review_cadence: {what} `{}`: expected a positive number of months, found {}",
                        name.value, months.value
                    ))
                    .at(span_pos(months))
                    .hint("e.g. `restricted: 6` (an approval holds six months)"),
                );
                continue;
            }
            into.insert(name.value.clone(), months.value);
        }
    }
    out
}

impl Cadence {
    /// Months a decision at `class` with `tags` holds: the shortest of the class's (or its
    /// nearest parent's) and the tags', else [`DEFAULT_MONTHS`].
    pub fn months(&self, classes: &[Class], class: &str, tags: &[String]) -> i64 {
        let mut current = Some(class.to_string());
        let mut seen = 0;
        let mut of_class = None;
        while let Some(name) = current {
            if let Some(m) = self.classes.get(&name) {
                of_class = Some(*m);
                break;
            }
            seen += 1;
            if seen > classes.len() {
                break; // a cycle is reported by the policy's own checks
            }
            current = classes
                .iter()
                .find(|c| c.name == name)
                .and_then(|c| c.inherits.clone());
        }
        tags.iter()
            .filter_map(|t| self.tags.get(t).copied())
            .chain(of_class)
            .min()
            .unwrap_or(DEFAULT_MONTHS)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::policy::from_text;

    #[test]
    fn a_class_takes_its_parents_months_and_the_shortest_tag_wins() {
        let text = "organization: X
review_cadence:
  warn_days: 10
  classifications: {internal: 24, restricted: 6}
  tags: {phi: 3, pii: 12}
classifications:
  public: {}
  internal: {}
  confidential: {inherits: internal}
  restricted: {inherits: confidential}
tags:
  phi: {}
  pii: {}
";
        let (policy, problems) = from_text(text, "p");
        assert!(problems.is_empty(), "{problems:?}");
        let p = policy.unwrap();
        assert_eq!(p.cadence.warn_days, 10);
        assert_eq!(p.review_months("public", &[]), super::DEFAULT_MONTHS);
        assert_eq!(p.review_months("confidential", &[]), 24);
        assert_eq!(p.review_months("restricted", &[]), 6);
        assert_eq!(p.review_months("confidential", &["pii".into()]), 12);
        assert_eq!(
            p.review_months("restricted", &["phi".into(), "pii".into()]),
            3
        );
    }
}
