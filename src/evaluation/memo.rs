//! Reusing a rule's run across classifications: a rule that reads the same requirement values
//! (and the same `decisive()` answers) at another classification does the same there.

use super::Prepared;
use crate::engine::{Depends, Rule, RunRecord};
use crate::model::policy::Requirements;
use serde_json::Value;

/// One run of a rule on an offering: the values it read that may differ between
/// classifications, and its record.
pub(super) struct Memo {
    seen: Vec<(Depends, Option<Value>)>,
    record: RunRecord,
}

/// The value of what a rule read, at the classification with these requirements.
fn value_at(d: &Depends, requirements: &Requirements, decisive: &[&str]) -> Option<Value> {
    match d {
        Depends::Requirement(key) => requirements.get(key).cloned(),
        Depends::Decisive(fact) => Some(Value::Bool(decisive.contains(&fact.as_str()))),
    }
}

/// Whether what a rule read has the value `seen` at the classification with these
/// requirements: [`value_at`] compared without building the value (asked of every earlier run
/// at every cell).
fn same_at(
    d: &Depends,
    seen: &Option<Value>,
    requirements: &Requirements,
    decisive: &[&str],
) -> bool {
    match d {
        Depends::Requirement(key) => requirements.get(key) == seen.as_ref(),
        Depends::Decisive(fact) => *seen == Some(Value::Bool(decisive.contains(&fact.as_str()))),
    }
}

impl Prepared<'_> {
    /// The record of an earlier run of `rule` that read the same values as these requirements
    /// hold.
    pub(super) fn recall(
        &self,
        rule: &Rule,
        requirements: &Requirements,
        decisive: &[&str],
    ) -> Option<RunRecord> {
        if rule.reads_classification {
            return None;
        }
        let memo = self.memo.lock().ok()?;
        memo.get(&rule.id)?
            .iter()
            .find(|m| {
                m.seen
                    .iter()
                    .all(|(d, v)| same_at(d, v, requirements, decisive))
            })
            .map(|m| m.record.clone())
    }

    pub(super) fn remember(
        &self,
        rule: &Rule,
        record: &RunRecord,
        requirements: &Requirements,
        decisive: &[&str],
    ) {
        if rule.reads_classification {
            return;
        }
        let seen = record
            .depends
            .iter()
            .map(|d| (d.clone(), value_at(d, requirements, decisive)))
            .collect();
        if let Ok(mut memo) = self.memo.lock() {
            memo.entry(rule.id.clone()).or_default().push(Memo {
                seen,
                record: record.clone(),
            });
        }
    }
}
