//! Waivers: a finding accepted by a named approver until a date.

use super::Class;
use crate::diag::{Diagnostic, Pos};
use crate::model::vocabulary::parse_date;
use crate::model::yaml::span_pos;
use jiff::civil::Date;
use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Waiver {
    pub rule: String,
    pub vendor: String,
    pub offering: Option<String>,
    pub classification: Option<String>,
    pub reason: String,
    pub approved_by: String,
    pub expires: Date,
    #[serde(skip)]
    pub at: Pos,
}

impl Waiver {
    pub fn matches(&self, rule: &str, vendor: &str, offering: &str, classification: &str) -> bool {
        self.rule == rule
            && self.vendor == vendor
            && self.offering.as_deref().is_none_or(|o| o == offering)
            && self
                .classification
                .as_deref()
                .is_none_or(|c| c == classification)
    }

    pub fn live(&self, today: Date) -> bool {
        today <= self.expires
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWaiver {
    rule: Spanned<String>,
    vendor: Spanned<String>,
    #[serde(default)]
    offering: Option<Spanned<String>>,
    #[serde(default)]
    classification: Option<Spanned<String>>,
    reason: Spanned<String>,
    approved_by: Spanned<String>,
    expires: Spanned<String>,
}

/// Checks each waiver (known classification, a reason and an approver, a real date, no
/// repeats) and keeps the valid ones.
pub(super) fn build(
    raw: &[Spanned<RawWaiver>],
    classes: &[Class],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Waiver> {
    let mut waivers = Vec::new();
    let mut searched = 0;
    for w in raw {
        let raw_w = &w.value;
        if let Some(c) = &raw_w.classification
            && classes.iter().all(|x| x.name != c.value)
        {
            problems.push(
                Diagnostic::error(format!("waiver: unknown classification `{}`", c.value))
                    .at(span_pos(c))
                    .maybe_hint(super::classes::near_class(&c.value, classes, &mut searched)),
            );
        }
        for (field, text) in [
            ("reason", &raw_w.reason),
            ("approved_by", &raw_w.approved_by),
        ] {
            if text.value.trim().is_empty() {
                problems.push(
                    Diagnostic::error(format!(
                        "waiver for rule `{}`: `{field}` is empty",
                        raw_w.rule.value
                    ))
                    .at(span_pos(text))
                    .hint("a waiver needs a reason and the person who approved it"),
                );
            }
        }
        let Ok(expires) = parse_date(
            &raw_w.expires.value,
            span_pos(&raw_w.expires),
            "waiver: expires",
        )
        .map_err(|d| problems.push(d)) else {
            continue;
        };
        // Fields are compared as text: `offering: 1` and `offering: "1"` name the same thing.
        if let Some(first) = waivers.iter().find(|x: &&Waiver| {
            x.rule == raw_w.rule.value
                && x.vendor == raw_w.vendor.value
                && x.offering.as_deref() == raw_w.offering.as_ref().map(|o| o.value.as_str())
                && x.classification.as_deref()
                    == raw_w.classification.as_ref().map(|c| c.value.as_str())
        }) {
            problems.push(
                Diagnostic::error(format!(
                    "waiver for rule `{}`, vendor `{}` repeats the waiver on line {}",
                    raw_w.rule.value, raw_w.vendor.value, first.at.line
                ))
                .at(span_pos(w))
                .hint("keep one waiver per rule, vendor, offering and classification: remove or merge the other"),
            );
            continue;
        }
        waivers.push(Waiver {
            rule: raw_w.rule.value.clone(),
            vendor: raw_w.vendor.value.clone(),
            offering: raw_w.offering.as_ref().map(|o| o.value.clone()),
            classification: raw_w.classification.as_ref().map(|c| c.value.clone()),
            reason: raw_w.reason.value.clone(),
            approved_by: raw_w.approved_by.value.clone(),
            expires,
            at: span_pos(w),
        });
    }
    waivers
}
