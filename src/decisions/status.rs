//! One decision against today: its conditions, its review date, the waivers it leans on, and
//! its drift (the verdict and the evidence now against the fingerprint it was taken on).

use super::drift::{self, Change, Kind};
use super::fingerprint::{self, Inputs};
use super::{ConditionStatus, Decision, Register};
use crate::engine::RuleSet;
use crate::evaluation::{Context, Prepared, Stopped, evaluate_cell};
use crate::model::policy::Policy;
use crate::model::profile::{Offering, Profile};
use crate::outcome::Verdict;
use jiff::civil::Date;
use serde::Serialize;
use std::path::Path;

/// Where a date stands against today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    Ok,
    /// Within the policy's warning window.
    Due,
    Overdue,
}

impl Standing {
    pub fn of(date: Date, today: Date, warn_days: i64) -> Standing {
        if date < today {
            Standing::Overdue
        } else if today
            .checked_add(jiff::Span::new().days(warn_days))
            .is_ok_and(|w| date <= w)
        {
            Standing::Due
        } else {
            Standing::Ok
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Ok => "ok",
            Standing::Due => "due",
            Standing::Overdue => "overdue",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConditionState {
    /// 1-based, as `decide --condition N` counts.
    pub number: usize,
    pub text: String,
    pub owner: String,
    pub due: String,
    pub status: ConditionStatus,
    /// For an open condition: whether its due date is near or past.
    pub state: Standing,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverState {
    pub rule: String,
    pub expires: String,
    pub approved_by: String,
    pub state: Standing,
}

/// One row of `status`: an offering's decision at one coverage, or an offering never decided.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub vendor: String,
    pub offering: String,
    /// `decisions/<vendor>/<offering>.yaml:LINE:COL` of the decision in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// None for an offering without a decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict_now: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Standing>,
    pub conditions: Vec<ConditionState>,
    pub waivers: Vec<WaiverState>,
    pub drift: Vec<Change>,
    /// The earlier decisions on the same coverage.
    pub superseded: usize,
}

impl Row {
    pub fn undecided(vendor: &str, offering: &str) -> Row {
        Row {
            vendor: vendor.to_string(),
            offering: offering.to_string(),
            at: None,
            decision: None,
            verdict_now: None,
            review: None,
            conditions: Vec::new(),
            waivers: Vec::new(),
            drift: Vec::new(),
            superseded: 0,
        }
    }

    pub fn has_drift(&self) -> bool {
        !self.drift.is_empty()
    }

    /// The worst of the review date, the open conditions and the waivers.
    pub fn due(&self) -> Standing {
        self.review
            .into_iter()
            .chain(self.conditions.iter().map(|c| c.state))
            .chain(self.waivers.iter().map(|w| w.state))
            .max()
            .unwrap_or(Standing::Ok)
    }

    pub fn coverage(&self) -> String {
        self.decision
            .as_ref()
            .map_or_else(|| "-".to_string(), Decision::coverage)
    }

    /// `ok`, `drift`, `due`, `overdue`, `drift, overdue`, or `undecided`.
    pub fn summary(&self) -> String {
        if self.decision.is_none() {
            return "undecided".into();
        }
        let mut parts = Vec::new();
        if self.has_drift() {
            parts.push("drift");
        }
        match self.due() {
            Standing::Ok => {}
            d => parts.push(d.as_str()),
        }
        if parts.is_empty() {
            "ok".into()
        } else {
            parts.join(", ")
        }
    }
}

/// What every row of a run shares.
pub struct Scope<'a> {
    pub root: &'a Path,
    pub rules: &'a RuleSet,
    /// The rules' hashes, for the fingerprint (see [`fingerprint::rule_hashes`]).
    pub rule_hashes: std::collections::BTreeMap<String, String>,
    pub today: Date,
}

/// A newer version of a cited document in the versions archive.
pub struct Newer {
    pub source: String,
    pub count: usize,
    pub latest: String,
}

/// The row of decision `d` (in force in `register`) of `offering`.
pub fn row(
    scope: &Scope,
    policy: &Policy,
    profile: &Profile,
    offering: &Offering,
    register: &Register,
    d: &Decision,
    newer: &[Newer],
) -> Row {
    let today = scope.today;
    let warn = policy.cadence.warn_days;
    let ctx = Context::new(scope.rules, policy, &d.tags, today);
    let requirements = policy.requirements(&d.classification, &d.tags);
    // A broken chain shows as a hold of the provider-chain check; `check` names the problem.
    let (providers, _) = crate::evaluation::chain::of_one(
        crate::evaluation::Lookup::Folder(scope.root),
        &ctx,
        &d.classification,
        &requirements,
        profile,
        offering,
    );
    let prepared = Prepared::new(&ctx, profile, offering, providers);
    let cell = evaluate_cell(
        &ctx,
        &prepared,
        &d.classification,
        &requirements,
        None,
        &Stopped::default(),
    );
    let now = cell.result.verdict;
    let current = fingerprint::compute(&Inputs {
        root: scope.root,
        profile,
        offering,
        resolved: &prepared.resolved,
        policy,
        class: &d.classification,
        tags: &d.tags,
        rules: &scope.rule_hashes,
        providers: &prepared.providers,
    });
    let evidence = drift::evidence(&d.fingerprint, &current, &prepared.resolved);
    let mut changes = Vec::new();
    if now != d.verdict {
        let (kind, word) = if now > d.verdict {
            (Kind::VerdictWorse, "worse")
        } else {
            (Kind::VerdictBetter, "better")
        };
        // Without a changed piece of evidence, what moved is the date: evidence grew stale, a
        // certification or waiver expired.
        let why = if evidence.is_empty() {
            " (no evidence changed: findings that depend on the date moved, e.g. stale evidence or an expiry; see `diligence explain`)"
        } else {
            ""
        };
        let advice = match (d.outcome.approves(), kind) {
            (true, Kind::VerdictWorse) => ": the approval may no longer hold",
            (false, Kind::VerdictBetter) => ": the rejection could be revisited",
            _ => "",
        };
        changes.push(Change {
            kind,
            name: d.coverage(),
            message: format!(
                "verdict {word}: {} at the decision, {} now{advice}{why}",
                d.verdict.as_str(),
                now.as_str()
            ),
            at: None,
        });
    }
    changes.extend(evidence);
    for n in newer {
        if d.fingerprint.snapshots.contains_key(&n.source) {
            changes.push(Change {
                kind: Kind::NewerVersion,
                name: n.source.clone(),
                message: format!(
                    "source {}: {} newer archived version(s), the latest recorded {} (run `diligence refresh`)",
                    n.source, n.count, n.latest
                ),
                at: None,
            });
        }
    }
    let conditions = d
        .conditions
        .iter()
        .enumerate()
        .map(|(i, c)| ConditionState {
            number: i + 1,
            text: c.text.clone(),
            owner: c.owner.clone(),
            due: c.due.to_string(),
            status: c.status,
            state: if c.status == ConditionStatus::Open {
                Standing::of(c.due, today, warn)
            } else {
                Standing::Ok
            },
        })
        .collect();
    let waivers = policy
        .waivers
        .iter()
        .filter(|w| {
            w.vendor == profile.id
                && w.offering.as_deref().is_none_or(|o| o == offering.id)
                && w.classification
                    .as_deref()
                    .is_none_or(|c| c == d.classification)
        })
        .map(|w| WaiverState {
            rule: w.rule.clone(),
            expires: w.expires.to_string(),
            approved_by: w.approved_by.clone(),
            state: Standing::of(w.expires, today, warn),
        })
        .collect();
    let superseded = register
        .decisions
        .iter()
        .filter(|x| x.covers(&d.classification, &d.tags) && x.date < d.date)
        .count();
    Row {
        vendor: profile.id.clone(),
        offering: offering.id.clone(),
        at: Some(format!(
            "{}:{}:{}",
            register.file,
            d.at.line,
            d.at.column.max(1)
        )),
        decision: Some(d.clone()),
        verdict_now: Some(now),
        review: Some(Standing::of(d.review_by, today, warn)),
        conditions,
        waivers,
        drift: changes,
        superseded,
    }
}

#[cfg(test)]
mod tests {
    use super::Standing;
    use jiff::civil::date;

    #[test]
    fn a_date_is_due_within_the_warning_window_and_overdue_after_it() {
        let due = date(2027, 1, 31);
        assert_eq!(Standing::of(due, date(2026, 12, 31), 30), Standing::Ok);
        assert_eq!(Standing::of(due, date(2027, 1, 1), 30), Standing::Due);
        assert_eq!(Standing::of(due, date(2027, 1, 31), 30), Standing::Due);
        assert_eq!(Standing::of(due, date(2027, 2, 1), 30), Standing::Overdue);
        assert_eq!(Standing::of(due, date(2027, 1, 30), 0), Standing::Ok);
    }
}
