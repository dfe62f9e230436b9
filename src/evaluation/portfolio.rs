//! Evaluating a portfolio: what to evaluate (a [`Request`]), a run of it fed in fixed batches
//! (so a failed rule stops at the same cells on any machine), and what the run concludes
//! besides its results (its rules, warnings and errors).

use super::budget::TextBudget;
use super::chain::{Chain, Lookup, ProviderVerdicts};
use super::rendered::{Form, Rendered};
use super::{Context, Prepared, Stopped, evaluate_cell};
use crate::diag::{Code, Diagnostic};
use crate::engine::RuleSet;
use crate::model::policy::{Policy, Requirements};
use crate::model::profile::{Offering, Profile};
use crate::outcome::OfferingResult;
use jiff::civil::Date;
use rayon::prelude::*;
use std::sync::Arc;

/// What to evaluate.
pub struct Request<'a> {
    pub policy: &'a Policy,
    /// (profile, offering) pairs, in output order.
    pub offerings: Vec<(&'a Profile, &'a Offering)>,
    pub classes: Vec<String>,
    pub tags: Vec<String>,
    pub today: Date,
    /// The timestamp written into the output.
    pub generated: String,
    /// Where the profiles of the providers the offerings name are found (`evaluation::chain`).
    pub providers: Lookup<'a>,
}

/// Offerings are evaluated in fixed-size batches, in order: a rule that fails in one batch is
/// stopped for the batches after it. The size is fixed (not the thread count), so which cells a
/// stopped rule skips, and so the report, is the same on any machine.
pub const BATCH: usize = 16;

/// One offering of a batch: to evaluate (with its providers' verdicts), or its results (one
/// per classification of the run) read from the cache.
pub(crate) enum Item<'a> {
    Fresh(&'a Profile, &'a Offering, Arc<ProviderVerdicts>),
    Stored(Vec<OfferingResult>),
    /// Its results read from the cache already rendered (`evaluation::rendered`).
    Rendered(Arc<Rendered>),
}

/// What [`Run::items`] hands over for an item: each of its results, or its rendering.
// Moved once per result: boxing each result would cost an allocation per result.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Out {
    Result(OfferingResult),
    Rendered(Arc<Rendered>),
    /// An offering evaluated in this run, with its results rendered (in the workers, beside
    /// its evaluation, so that the thread writing the report only writes).
    Evaluated(Vec<OfferingResult>, Arc<Rendered>),
}

/// What a run concludes besides its results (which `evaluation::stream` hands over one by one).
#[derive(Default)]
pub struct Summary {
    /// The ids of every rule the run applied, in order.
    pub rules: Vec<String>,
    /// Each rule's framework references (rules with none left out).
    pub rule_refs: std::collections::BTreeMap<String, std::sync::Arc<[String]>>,
    /// Problems that did not stop the evaluation (expired waivers, changed snapshots).
    pub warnings: Vec<Diagnostic>,
    /// Each failed rule's first error once, then each offering whose facts could not be given
    /// to the rules.
    pub errors: Vec<Diagnostic>,
}

/// A run of one request, fed batch by batch by `evaluation::stream`, the one function that
/// cuts batches. Its rules' text budget is its own.
pub(crate) struct Run<'a> {
    ctx: Context<'a>,
    requirements: Vec<(&'a String, Requirements)>,
    stopped: Stopped,
    budget: TextBudget,
    engine_errors: Vec<Diagnostic>,
    /// The providers' verdicts, remembered for the run.
    chain: Chain<'a>,
}

impl<'a> Run<'a> {
    /// A run of the request's policy, classifications, tags and date (its offerings are the
    /// batches handed over).
    pub(crate) fn new(rules: &'a RuleSet, req: &'a Request) -> Run<'a> {
        Run {
            ctx: Context::new(rules, req.policy, &req.tags, req.today),
            requirements: req
                .classes
                .iter()
                .map(|c| (c, req.policy.requirements(c, &req.tags)))
                .collect(),
            stopped: Stopped::default(),
            budget: TextBudget::default(),
            engine_errors: Vec::new(),
            chain: Chain::new(req.providers),
        }
    }

    /// The verdicts of the providers each offering of `batch` relies on, resolved before the
    /// batch is evaluated (see `evaluation::chain`), in batch order. The providers'
    /// evaluations count in the run's text budget.
    pub(crate) fn resolve(
        &mut self,
        batch: &[(&Profile, &Offering)],
    ) -> Vec<Arc<ProviderVerdicts>> {
        let (ctx, requirements) = (&self.ctx, &self.requirements);
        let providers = batch
            .iter()
            .map(|(profile, offering)| {
                self.chain
                    .providers_of(ctx, requirements, profile, offering)
            })
            .collect();
        let (cells, text) = self.chain.take_text();
        self.budget.grow(cells);
        self.budget.add(text);
        providers
    }

    /// What `verdicts` (from [`Run::resolve`]) depend on: the providers' vendor folders.
    pub(crate) fn footprint(&self, verdicts: &ProviderVerdicts) -> super::chain::Footprint {
        self.chain.footprint(verdicts)
    }

    /// The problems of the chains resolved so far, each once.
    pub(crate) fn chain_problems(&mut self) -> Vec<Diagnostic> {
        self.chain.take_problems()
    }

    /// Evaluates one batch of at most [`BATCH`] offerings (in parallel) and hands its results
    /// to `each` in order. A rule that failed in it is stopped for the batches after it.
    /// `providers` are the batch's provider verdicts ([`Run::resolve`]).
    pub(crate) fn batch<E>(
        &mut self,
        batch: &[(&Profile, &Offering)],
        providers: &[Arc<ProviderVerdicts>],
        each: &mut impl FnMut(OfferingResult) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut items: Vec<Item> = batch
            .iter()
            .zip(providers)
            .map(|((p, o), v)| Item::Fresh(p, o, Arc::clone(v)))
            .collect();
        // Items made of offerings are evaluated, not rendered: only results come out.
        self.items(&mut items, Form::Results, &mut |_, out| match out {
            Out::Result(r) => each(r),
            Out::Rendered(_) | Out::Evaluated(..) => Ok(()),
        })
    }

    /// Whether a rule was stopped in this run: results read from the cache (computed with
    /// every rule) no longer stand for what this run computes.
    pub(crate) fn stopped_any(&self) -> bool {
        self.stopped.any()
    }

    /// As [`Run::batch`], for items that may have their results already (read from the
    /// cache, maybe rendered): `each` gets the item's index and each result, or its rendering.
    ///
    /// When the batch is over, the rules that failed in it, and those that have spent the
    /// run's text budget, are stopped for the batches after it. A result read from the cache
    /// counts in the budget as the evaluation it stands for: the text is counted from the
    /// results, so a run stops the same rule at the same batch with and without the cache.
    ///
    /// An offering evaluated here is also rendered in `form` (unless [`Form::Results`]) by the
    /// thread that evaluated it, and handed over as [`Out::Evaluated`].
    pub(crate) fn items<E>(
        &mut self,
        batch: &mut [Item],
        form: Form,
        each: &mut impl FnMut(usize, Out) -> Result<(), E>,
    ) -> Result<(), E> {
        let (ctx, requirements, stopped) = (&self.ctx, &self.requirements, &self.stopped);
        let cells: Vec<(Vec<OfferingResult>, Option<Arc<Rendered>>)> = batch
            .par_iter_mut()
            .map(|item| match item {
                Item::Rendered(_) => (Vec::new(), None),
                Item::Fresh(profile, offering, providers) => {
                    let prepared = Prepared::new(ctx, profile, offering, Arc::clone(providers));
                    let results: Vec<OfferingResult> = requirements
                        .iter()
                        .map(|(class, reqs)| {
                            evaluate_cell(ctx, &prepared, class, reqs, None, stopped).result
                        })
                        .collect();
                    let rendered = match form {
                        Form::Results => None,
                        _ => Rendered::of(&results, form, ctx.rules).map(Arc::new),
                    };
                    (results, rendered)
                }
                Item::Stored(results) => (std::mem::take(results), None),
            })
            .collect();
        self.budget.grow(batch.len() * requirements.len());
        for (results, rendered) in &cells {
            match rendered {
                // Counted by the thread that rendered them.
                Some(r) => self.budget.add(r.tally.clone()),
                None => results.iter().for_each(|r| self.budget.count(r, ctx.rules)),
            }
        }
        for item in batch.iter() {
            if let Item::Rendered(r) = item {
                self.budget.add(r.tally.clone());
            }
        }
        self.stopped.freeze();
        let stopped = &self.stopped;
        for (rule, error) in self.budget.over(|rule| stopped.is_stopped(rule)) {
            self.stopped.stop(rule, error);
        }
        for (i, (results, rendered)) in cells.into_iter().enumerate() {
            if let Some(Item::Rendered(r)) = batch.get(i) {
                each(i, Out::Rendered(Arc::clone(r)))?;
            }
            for result in &results {
                self.note_engine_errors(result);
            }
            match rendered {
                Some(rendered) => each(i, Out::Evaluated(results, rendered))?,
                None => {
                    for result in results {
                        each(i, Out::Result(result))?;
                    }
                }
            }
        }
        Ok(())
    }

    /// An offering whose facts could not be given to the rules fails every one of its cells:
    /// said once.
    fn note_engine_errors(&mut self, result: &OfferingResult) {
        for e in result.errors.iter().filter(|e| e.rule == "engine") {
            let d = Diagnostic::error(format!(
                "{}/{}: {}",
                result.vendor, result.offering, e.message
            ))
            .in_file(e.at.clone());
            if !self.engine_errors.contains(&d) {
                self.engine_errors.push(d);
            }
        }
    }

    /// Ends the run: its rules, the expired waivers then `snapshot_warnings`, and its errors.
    pub(crate) fn finish(self, snapshot_warnings: Vec<Diagnostic>) -> Summary {
        let mut errors = self.stopped.errors();
        errors.extend(self.engine_errors);
        Summary {
            rules: self.ctx.rule_ids(),
            rule_refs: self.ctx.rule_refs(),
            warnings: expired_waivers(self.ctx.policy, self.ctx.today)
                .into_iter()
                .chain(snapshot_warnings)
                .collect(),
            errors,
        }
    }
}

/// Snapshots of the evaluated vendors whose content changed since review: the facts citing
/// them may no longer hold, and the report must say so (not only stderr).
pub(crate) fn changed_snapshots(offerings: &[(&Profile, &Offering)]) -> Vec<Diagnostic> {
    // A set: at 100,000 vendors a list searched for each one costs minutes.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (profile, _) in offerings {
        if !seen.insert(profile.id.as_str()) {
            continue;
        }
        out.extend(
            crate::evidence::snapshot_changes(profile)
                .into_iter()
                .map(Diagnostic::into_warning),
        );
    }
    out
}

/// The policy's waivers past their expiry date: ignored, and said.
pub fn expired_waivers(policy: &Policy, today: Date) -> Vec<Diagnostic> {
    policy
        .waivers
        .iter()
        .filter(|w| !w.live(today))
        .map(|w| {
            Diagnostic::warning(format!(
                "waiver of rule `{}` for {}{} expired on {} and is ignored",
                w.rule,
                w.vendor,
                w.offering
                    .as_deref()
                    .map(|o| format!("/{o}"))
                    .unwrap_or_default(),
                w.expires
            ))
            .code(Code::ExpiredWaiver)
            .in_file(policy.file.clone())
            .at(w.at)
        })
        .collect()
}
