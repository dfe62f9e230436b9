//! The run's text budget: how much finding text the rules of one run may leave in its report.
//!
//! A report keeps every finding until it is written, so a run bounds the rules' text in total,
//! not only per evaluation (`engine::state::MAX_FINDING_BYTES`): a rule within every limit of
//! one evaluation would otherwise fill memory across a portfolio. The text is counted per rule,
//! from the results themselves (so a result read from the cache counts exactly as the
//! evaluation it stands for), and checked when a batch is over: the rule that spent the budget
//! is the one stopped, and which cells run never depends on thread timing.

use crate::diag::{Diagnostic, Pos};
use crate::engine::RuleSet;
use crate::outcome::OfferingResult;
use std::collections::{BTreeMap, BTreeSet};

/// Bytes of finding text a run may keep, on average per offering and classification evaluated
/// (the providers' evaluations included). The bundled rules write about 2 KB per offering and
/// classification, at most 4 KB.
pub(crate) const RUN_TEXT_BYTES_PER_CELL: usize = 16 * 1024;
/// The run's budget is never smaller than this (small runs, `test`, `explain`).
pub(crate) const MIN_RUN_TEXT_BYTES: usize = 32 * 1024 * 1024;

/// The finding text each rule wrote (messages and actions), and where in its file.
#[derive(Default, Clone, Debug, PartialEq)]
pub(crate) struct Tally(BTreeMap<String, Spent>);

/// One rule's text: its file, the last line of it that raised a finding, and the bytes.
#[derive(Default, Clone, Debug, PartialEq)]
struct Spent {
    file: String,
    line: u32,
    bytes: usize,
}

impl Tally {
    /// Counts the findings the rule scripts raised in `result` (the built-in checks' findings
    /// are the engine's own, bounded by the profile).
    pub(crate) fn count(&mut self, result: &OfferingResult, rules: &RuleSet) {
        for f in &result.findings {
            let Some(rule) = rules.rule(&f.rule) else {
                continue;
            };
            // Looked up before inserting: a rule's name is copied once, not per finding.
            if !self.0.contains_key(&f.rule) {
                let spent = Spent {
                    file: rule.file.clone(),
                    ..Spent::default()
                };
                self.0.insert(f.rule.clone(), spent);
            }
            let Some(spent) = self.0.get_mut(&f.rule) else {
                continue;
            };
            let bytes = f.message.len() + f.action.as_ref().map_or(0, String::len);
            spent.bytes = spent.bytes.saturating_add(bytes);
            // `file:LINE`: the largest line, not the last one counted, so the place named does
            // not depend on the order of the results.
            let line = f.raised_at.rsplit(':').next().and_then(|l| l.parse().ok());
            spent.line = spent.line.max(line.unwrap_or(0));
        }
    }

    /// Each rule's count: (rule, file, bytes, line), as [`Tally::from_entries`] reads it back
    /// (a result read from the cache already rendered counts as the evaluation it stands for).
    pub(crate) fn entries(&self) -> Vec<(&str, &str, usize, u32)> {
        self.0
            .iter()
            .map(|(rule, s)| (rule.as_str(), s.file.as_str(), s.bytes, s.line))
            .collect()
    }

    pub(crate) fn from_entries(entries: Vec<(String, String, usize, u32)>) -> Tally {
        Tally(
            entries
                .into_iter()
                .map(|(rule, file, bytes, line)| (rule, Spent { file, line, bytes }))
                .collect(),
        )
    }

    /// Adds another tally's counts to this one.
    pub(crate) fn add(&mut self, other: Tally) {
        for (rule, s) in other.0 {
            let spent = self.0.entry(rule).or_insert_with(|| Spent {
                file: s.file.clone(),
                ..Spent::default()
            });
            spent.bytes = spent.bytes.saturating_add(s.bytes);
            spent.line = spent.line.max(s.line);
        }
    }
}

/// A run's text budget: the evaluations it has made so far (its limit grows with them) and
/// what each rule wrote in them.
#[derive(Default)]
pub(crate) struct TextBudget {
    cells: usize,
    spent: Tally,
}

impl TextBudget {
    /// Counts `cells` more offering x classification evaluations: the limit grows with the run
    /// as it goes, the same whether its offerings were given or read batch by batch.
    pub(crate) fn grow(&mut self, cells: usize) {
        self.cells = self.cells.saturating_add(cells);
    }

    pub(crate) fn count(&mut self, result: &OfferingResult, rules: &RuleSet) {
        self.spent.count(result, rules);
    }

    pub(crate) fn add(&mut self, tally: Tally) {
        self.spent.add(tally);
    }

    /// The bytes the run may keep so far.
    fn limit(&self) -> usize {
        self.cells
            .saturating_mul(RUN_TEXT_BYTES_PER_CELL)
            .max(MIN_RUN_TEXT_BYTES)
    }

    /// The rules to stop at the end of a batch, with the error shown for each: while the rules
    /// still running (`stopped` says which are not) have written more than the budget, the one
    /// that wrote the most (of equal ones, the first by id). What a stopped rule wrote stays in
    /// the report and no longer counts.
    pub(crate) fn over(&self, stopped: impl Fn(&str) -> bool) -> Vec<(String, Diagnostic)> {
        let limit = self.limit();
        let mut out = Vec::new();
        let mut now: BTreeSet<&str> = BTreeSet::new();
        loop {
            let running = self
                .spent
                .0
                .iter()
                .filter(|(rule, _)| !stopped(rule) && !now.contains(rule.as_str()));
            let total: usize = running.clone().map(|(_, s)| s.bytes).sum();
            if total <= limit {
                return out;
            }
            let Some((rule, s)) =
                running.max_by(|a, b| a.1.bytes.cmp(&b.1.bytes).then(b.0.cmp(a.0)))
            else {
                return out;
            };
            now.insert(rule.as_str());
            out.push((rule.clone(), over_budget(s, limit)));
        }
    }
}

fn over_budget(s: &Spent, limit: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "the rule's findings came to {} KiB of text in this run, past the run's text budget of {} MiB for all rules together: stopped",
        s.bytes / 1024,
        limit / (1024 * 1024)
    ))
    .in_file(s.file.clone())
    .at(Pos::new(s.line.max(1), 1))
    .hint(format!(
        "a finding needs a sentence or two (the bundled rules write about 2 KB per offering and classification in all); the budget is {} KiB per offering and classification evaluated, at least {} MiB",
        RUN_TEXT_BYTES_PER_CELL / 1024,
        MIN_RUN_TEXT_BYTES / (1024 * 1024)
    ))
}
