//! Evaluating a portfolio: every requested offering at every requested classification, in
//! fixed batches (so a failed rule stops at the same cells on any machine), handed over result by
//! result (`--format jsonl`) or collected into one [`Evaluation`].

use super::{Context, Prepared, Stopped, evaluate_cell};
use crate::diag::Diagnostic;
use crate::engine::RuleSet;
use crate::model::policy::{Policy, Requirements};
use crate::model::profile::{Offering, Profile};
use crate::outcome::{Evaluation, OfferingResult};
use jiff::civil::Date;
use rayon::prelude::*;

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
}

/// Offerings are evaluated in fixed-size batches, in order: a rule that fails in one batch is
/// stopped for the batches after it. The size is fixed (not the thread count), so which cells a
/// stopped rule skips, and so the report, is the same on any machine.
pub const BATCH: usize = 16;

/// What a run concludes besides its results (which [`evaluate_each`] hands over one by one).
pub struct Summary {
    /// The ids of every rule the run applied, in order.
    pub rules: Vec<String>,
    /// Problems that did not stop the evaluation (expired waivers, changed snapshots).
    pub warnings: Vec<String>,
    /// Each failed rule's first error once, then each offering whose facts could not be given
    /// to the rules.
    pub errors: Vec<Diagnostic>,
}

/// Evaluates every requested offering at every requested classification, and evaluates them all
/// into one [`Evaluation`]. A rule that fails makes its cells `error`; the rest of the report
/// is complete. The second value lists each failed rule's first error once.
pub fn evaluate(rules: &RuleSet, req: &Request) -> (Evaluation, Vec<Diagnostic>) {
    let mut results = Vec::with_capacity(req.offerings.len() * req.classes.len());
    let summary = evaluate_each(rules, req, |r| {
        results.push(r);
        Ok::<(), std::convert::Infallible>(())
    });
    let Ok(summary) = summary;
    let evaluation = Evaluation {
        policy: req.policy.name.clone(),
        organization: req.policy.organization.clone(),
        generated: req.generated.clone(),
        today: req.today.to_string(),
        classifications: req.classes.clone(),
        rules: summary.rules,
        results,
        warnings: summary.warnings,
    };
    (evaluation, summary.errors)
}

/// Evaluates as [`evaluate`] does, handing each result to `each` in output order as soon as its
/// batch is done and keeping none: memory does not grow with the portfolio's results
/// (`--format jsonl`). The first error `each` returns stops the run and is returned.
pub fn evaluate_each<E>(
    rules: &RuleSet,
    req: &Request,
    mut each: impl FnMut(OfferingResult) -> Result<(), E>,
) -> Result<Summary, E> {
    rules.begin_run(req.offerings.len() * req.classes.len());
    let mut run = Run::new(rules, req);
    for batch in req.offerings.chunks(BATCH) {
        run.batch(batch, &mut each)?;
    }
    Ok(run.finish(changed_snapshots(&req.offerings)))
}

/// A run fed batch by batch: [`evaluate_each`] cuts the request's offerings into batches; a
/// caller that reads profiles as it goes (the streamed formats and `check`, so that memory
/// does not grow with the portfolio's profiles either) hands over each batch of [`BATCH`]
/// offerings as it is read, and the results are the same. Such a caller starts the rules'
/// text budget ([`RuleSet::begin_run`]) and grows it with the cells it hands over
/// ([`RuleSet::grow_run`]).
pub struct Run<'a> {
    ctx: Context<'a>,
    requirements: Vec<(&'a String, Requirements)>,
    stopped: Stopped,
    engine_errors: Vec<Diagnostic>,
}

impl<'a> Run<'a> {
    /// A run of the request's policy, classifications, tags and date (its offerings are the
    /// batches handed over).
    pub fn new(rules: &'a RuleSet, req: &'a Request) -> Run<'a> {
        Run {
            ctx: Context::new(rules, req.policy, &req.tags, req.today),
            requirements: req
                .classes
                .iter()
                .map(|c| (c, req.policy.requirements(c, &req.tags)))
                .collect(),
            stopped: Stopped::default(),
            engine_errors: Vec::new(),
        }
    }

    /// Evaluates one batch of at most [`BATCH`] offerings (in parallel) and hands its results
    /// to `each` in order. A rule that failed in it is stopped for the batches after it.
    pub fn batch<E>(
        &mut self,
        batch: &[(&Profile, &Offering)],
        each: &mut impl FnMut(OfferingResult) -> Result<(), E>,
    ) -> Result<(), E> {
        let (ctx, requirements, stopped) = (&self.ctx, &self.requirements, &self.stopped);
        let cells: Vec<Vec<OfferingResult>> = batch
            .par_iter()
            .map(|(profile, offering)| {
                let prepared = Prepared::new(ctx, profile, offering);
                requirements
                    .iter()
                    .map(|(class, reqs)| {
                        evaluate_cell(ctx, &prepared, class, reqs, None, stopped).result
                    })
                    .collect()
            })
            .collect();
        self.stopped.freeze();
        for result in cells.into_iter().flatten() {
            // An offering whose facts could not be given to the rules fails every one of its
            // cells: said once.
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
            each(result)?;
        }
        Ok(())
    }

    /// Ends the run: its rules, the expired waivers then `snapshot_warnings`, and its errors.
    pub fn finish(self, snapshot_warnings: Vec<String>) -> Summary {
        let mut errors = self.stopped.errors();
        errors.extend(self.engine_errors);
        Summary {
            rules: self.ctx.rule_ids(),
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
pub fn changed_snapshots(offerings: &[(&Profile, &Offering)]) -> Vec<String> {
    // A set: at 100,000 vendors a list searched for each one costs minutes.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (profile, _) in offerings {
        if !seen.insert(profile.id.as_str()) {
            continue;
        }
        out.extend(
            crate::model::evidence::snapshot_changes(profile)
                .iter()
                .map(warning_text),
        );
    }
    out
}

/// A diagnostic as one line of the report's warnings: `file:line:col: message`.
pub fn warning_text(d: &Diagnostic) -> String {
    format!("{}: {}", d.location(), d.message)
}

pub fn expired_waivers(policy: &Policy, today: Date) -> Vec<String> {
    policy
        .waivers
        .iter()
        .filter(|w| !w.live(today))
        .map(|w| {
            format!(
                "{}:{}:{}: waiver of rule `{}` for {}{} expired on {} and is ignored",
                policy.file,
                w.at.line,
                w.at.column,
                w.rule,
                w.vendor,
                w.offering
                    .as_deref()
                    .map(|o| format!("/{o}"))
                    .unwrap_or_default(),
                w.expires
            )
        })
        .collect()
}
