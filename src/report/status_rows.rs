//! What a `status` row says, shared by the streaming formats (`status`) and the whole-document
//! ones (`status_doc`): the report's header, the flat columns of CSV and XLSX, and each line of
//! a row for the human formats.

use super::csv::cap;
use crate::decisions::status::{Row, Standing};

/// What heads every status report.
#[derive(Debug, Clone)]
pub struct Header {
    pub today: String,
    pub generated: String,
}

/// The flat columns of CSV and XLSX.
pub(crate) const COLUMNS: [&str; 17] = [
    "vendor",
    "offering",
    "coverage",
    "outcome",
    "decided",
    "by",
    "ref",
    "verdict_then",
    "verdict_now",
    "review_by",
    "review",
    "conditions_open",
    "conditions_overdue",
    "waivers",
    "drift",
    "status",
    "at",
];

pub(crate) fn cells(r: &Row) -> [String; 17] {
    let d = r.decision.as_ref();
    let open = r
        .conditions
        .iter()
        .filter(|c| c.status == crate::decisions::ConditionStatus::Open)
        .count();
    let overdue = r
        .conditions
        .iter()
        .filter(|c| c.state == Standing::Overdue)
        .count();
    [
        r.vendor.clone(),
        r.offering.clone(),
        r.coverage(),
        d.map_or(String::new(), |d| d.outcome.as_str().into()),
        d.map_or(String::new(), |d| d.date.to_string()),
        d.map_or(String::new(), |d| d.decided_by()),
        d.and_then(|d| d.reference.clone()).unwrap_or_default(),
        d.map_or(String::new(), |d| d.verdict.as_str().into()),
        r.verdict_now.map_or(String::new(), |v| v.as_str().into()),
        d.map_or(String::new(), |d| d.review_by.to_string()),
        r.review.map_or(String::new(), |v| v.as_str().into()),
        open.to_string(),
        overdue.to_string(),
        r.waivers
            .iter()
            .map(|w| format!("{} expires {} ({})", w.rule, w.expires, w.state.as_str()))
            .collect::<Vec<_>>()
            .join("; "),
        r.drift
            .iter()
            .map(|c| c.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
        r.summary(),
        r.at.clone().unwrap_or_default(),
    ]
    .map(|c| cap(&c))
}

/// Each line of what a row says, for the human formats: conditions, review, waivers, drift.
pub(crate) fn details(r: &Row) -> Vec<String> {
    let mut out = Vec::new();
    let Some(d) = &r.decision else {
        return out;
    };
    if let Some(o) = &d.override_reason {
        out.push(format!(
            "approved over a {} verdict: {o}",
            d.verdict.as_str()
        ));
    }
    for c in &r.conditions {
        let state = match (c.status, c.state) {
            (crate::decisions::ConditionStatus::Open, Standing::Overdue) => "OVERDUE".to_string(),
            (crate::decisions::ConditionStatus::Open, Standing::Due) => "due soon".to_string(),
            (s, _) => s.as_str().to_string(),
        };
        out.push(format!(
            "condition {}: {} (owner {}, due {}): {state}",
            c.number, c.text, c.owner, c.due
        ));
    }
    match r.review {
        Some(Standing::Overdue) => out.push(format!("review OVERDUE since {}", d.review_by)),
        Some(Standing::Due) => out.push(format!("review due by {}", d.review_by)),
        _ => {}
    }
    for w in &r.waivers {
        match w.state {
            Standing::Overdue => out.push(format!("waiver of {} expired on {}", w.rule, w.expires)),
            Standing::Due => out.push(format!("waiver of {} expires on {}", w.rule, w.expires)),
            Standing::Ok => {}
        }
    }
    for c in &r.drift {
        out.push(format!("drift: {}", c.message));
    }
    out
}
