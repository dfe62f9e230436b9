//! The one evaluation stream: offerings go through the rules batch by batch, whether they were
//! read with the workspace or are read from the vendor folders as the run goes (so that memory
//! does not grow with the portfolio). This function alone cuts the batches (each run keeps its
//! rules' text budget batch by batch, `evaluation::budget`) and decides what a profile that
//! does not load does to the run; the commands only say what to do with each batch read and
//! each result.

use super::cached::{CacheUse, Fresh};
use super::chain::ProviderVerdicts;
use super::portfolio::{BATCH, Item, Out, Request, Run, Summary, changed_snapshots};
use super::profiles::{ProfileStream, Read, StreamCell};
use super::rendered::{Form, Rendered};
use crate::diag::Diagnostic;
use crate::engine::RuleSet;
use crate::model::profile::{Offering, Profile};
use crate::outcome::{Evaluation, OfferingResult};
use crate::workspace::Workspace;
use std::collections::HashMap;
use std::sync::Arc;

/// Evaluates every requested offering at every requested classification into one
/// [`Evaluation`]. A rule that fails makes its cells `error`; the rest of the report is
/// complete. The second value lists each failed rule's first error once.
pub fn evaluate(rules: &RuleSet, req: &Request) -> (Evaluation, Vec<Diagnostic>) {
    let mut results = Vec::with_capacity(req.offerings.len() * req.classes.len());
    let mut collect = Each(|_, r| {
        results.push(r);
        Ok::<(), std::convert::Infallible>(())
    });
    // The request's own offerings are given, never read: nothing can stop the stream.
    let summary = match stream(
        rules,
        std::slice::from_ref(req),
        Offerings::Given,
        &mut collect,
    ) {
        Ok(summaries) => summaries.into_iter().next().unwrap_or_default(),
        Err(Stop::Load(errors)) => Summary {
            errors,
            ..Summary::default()
        },
        Err(Stop::Handler(never)) => match never {},
    };
    let evaluation = Evaluation {
        policy: req.policy.name.clone(),
        organization: req.policy.organization.clone(),
        generated: req.generated.clone(),
        today: req.today.to_string(),
        classifications: req.classes.clone(),
        rules: summary.rules,
        rule_refs: summary.rule_refs,
        results,
        warnings: summary.warnings,
    };
    (evaluation, summary.errors)
}

/// Where the offerings of a stream come from.
// Made once per run and moved once: boxing the stream would buy nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Offerings<'w> {
    /// Each request's own offerings (the workspace was read whole).
    Given,
    /// Read from the vendor folders batch by batch, the same for every request.
    Read {
        profiles: ProfileStream<'w>,
        /// A profile that does not load ends the run ([`Stop::Load`]) rather than being
        /// handed to [`Handler::read`] with the rest.
        stop_on_load_errors: bool,
        /// The results cache, if the run uses one (its entries hold offerings in `form`).
        cache: Option<&'w CacheUse<'w>>,
        /// The form the command takes each offering in: rendered by the threads that
        /// evaluate it, as its results come (`Form::Results`: the results themselves).
        form: Form,
    },
}

/// What a command does with what the stream produces.
pub(crate) trait Handler {
    type Error;

    /// The profiles read for the next batch, with their problems, before it is evaluated.
    fn read(&mut self, _read: &mut Read) -> Result<(), Self::Error> {
        Ok(())
    }

    /// One result of the request at index `request`, in output order.
    fn result(&mut self, request: usize, result: OfferingResult) -> Result<(), Self::Error>;

    /// One offering's results of the request at index `request`, rendered, in output order:
    /// in place of its results in a run whose [`Offerings::Read`] names a rendered
    /// [`Form`](super::rendered::Form), with or without the cache. Only the commands that name
    /// one (`evaluate --format jsonl`, `check`) take these; the others are never handed one.
    fn rendered(&mut self, _request: usize, _offering: &Rendered) -> Result<(), Self::Error> {
        Ok(())
    }

    /// The offerings of a batch read from the vendor folders ([`Offerings::Read`]), in
    /// workspace order, before the requests evaluate them: a command that evaluates them its
    /// own way (`status`: each decision at its own classification and tags) does it here. (It
    /// keeps no finding text from them, so no run's text budget counts them.)
    fn offerings(&mut self, _offerings: &[(&Profile, &Offering)]) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A handler that only takes results, each to a closure.
pub(crate) struct Each<F>(pub F);

impl<E, F: FnMut(usize, OfferingResult) -> Result<(), E>> Handler for Each<F> {
    type Error = E;

    fn result(&mut self, request: usize, result: OfferingResult) -> Result<(), E> {
        (self.0)(request, result)
    }
}

/// Why a stream stopped before its end.
pub(crate) enum Stop<E> {
    /// A profile did not load (with [`Offerings::Read`] `stop_on_load_errors`): its errors.
    Load(Vec<Diagnostic>),
    /// The handler's error.
    Handler(E),
}

/// Evaluates every request's offerings at its classifications, handing each batch's profiles
/// and then its results to `handler`. Returns each request's [`Summary`], in order.
pub(crate) fn stream<H: Handler>(
    rules: &RuleSet,
    requests: &[Request],
    offerings: Offerings,
    handler: &mut H,
) -> Result<Vec<Summary>, Stop<H::Error>> {
    let mut runs: Vec<Run> = requests.iter().map(|r| Run::new(rules, r)).collect();
    match offerings {
        Offerings::Given => {
            for (i, (run, req)) in runs.iter_mut().zip(requests).enumerate() {
                for batch in req.offerings.chunks(BATCH) {
                    let providers = run.resolve(batch);
                    let problems = run.chain_problems();
                    if !problems.is_empty() {
                        return Err(Stop::Load(problems));
                    }
                    run.batch(batch, &providers, &mut |r| handler.result(i, r))
                        .map_err(Stop::Handler)?;
                }
            }
            Ok(runs
                .into_iter()
                .zip(requests)
                .map(|(run, req)| run.finish(changed_snapshots(&req.offerings)))
                .collect())
        }
        Offerings::Read {
            profiles,
            stop_on_load_errors,
            cache,
            form,
        } => {
            let mut profiles = profiles.with_cache(cache);
            // An entry of one form is never read as another.
            debug_assert!(cache.is_none_or(|c| c.form == form));
            // An offering's results for the request being handed over, until all are in.
            let mut gathered: Vec<OfferingResult> = Vec::new();
            // Vendors read in this run, by folder, until all their results are in the cache.
            let mut fresh: HashMap<String, Fresh> = HashMap::new();
            while let Some(mut batch) = profiles.next_batch(BATCH) {
                if stop_on_load_errors {
                    let errors: Vec<Diagnostic> = batch
                        .read
                        .problems
                        .iter()
                        .filter(|d| d.is_error())
                        .cloned()
                        .collect();
                    if !errors.is_empty() {
                        return Err(Stop::Load(errors));
                    }
                }
                for f in std::mem::take(&mut batch.fresh) {
                    fresh.insert(f.dir.clone(), f);
                }
                if runs.iter().any(Run::stopped_any) {
                    // A stopped rule: cached results (made with every rule) no longer stand.
                    profiles.stop_using_cache();
                    read_stored(&mut batch.cells, profiles.workspace());
                }
                let mut read = std::mem::take(&mut batch.read);
                // The offerings read with their profiles (those from the cache have results).
                let offerings = batch.offerings();
                // Each run resolves the providers its batch names before any is evaluated;
                // a broken chain is a problem of the profiles read, as a profile that does not
                // load is.
                let mut providers = Vec::with_capacity(runs.len());
                let mut chain_problems = Vec::new();
                for run in runs.iter_mut() {
                    providers.push(run.resolve(&offerings));
                    for d in run.chain_problems() {
                        if !chain_problems.contains(&d) {
                            chain_problems.push(d);
                        }
                    }
                }
                if stop_on_load_errors && !chain_problems.is_empty() {
                    return Err(Stop::Load(chain_problems));
                }
                read.problems.extend(chain_problems);
                handler.read(&mut read).map_err(Stop::Handler)?;
                // A vendor relying on providers depends on their folders too: keyed on them.
                for (run, verdicts) in runs.iter().zip(&providers) {
                    for (verdicts, (profile, _)) in verdicts.iter().zip(&offerings) {
                        if let Some(f) = fresh.get_mut(&profile.id) {
                            f.relies_on(&run.footprint(verdicts));
                        }
                    }
                }
                handler.offerings(&offerings).map_err(Stop::Handler)?;
                for (i, (run, providers)) in runs.iter_mut().zip(&providers).enumerate() {
                    // The cache's results for this request, taken out of their cells.
                    let mut taken: Vec<Option<Vec<OfferingResult>>> = batch
                        .cells
                        .iter_mut()
                        .map(|cell| match cell {
                            StreamCell::Read(..) | StreamCell::Rendered { .. } => None,
                            StreamCell::Stored { results, .. } => {
                                Some(results.get_mut(i).map(std::mem::take).unwrap_or_default())
                            }
                        })
                        .collect();
                    let mut read_providers = providers.iter();
                    let mut items: Vec<Item> = batch
                        .cells
                        .iter()
                        .zip(taken.iter_mut())
                        .map(|(cell, taken)| match (cell, taken.take()) {
                            (StreamCell::Read(p, o), _) => Item::Fresh(
                                p.as_ref(),
                                &p.offerings[*o],
                                read_providers
                                    .next()
                                    .cloned()
                                    .unwrap_or_else(ProviderVerdicts::none),
                            ),
                            (StreamCell::Stored { .. }, stored) => {
                                Item::Stored(stored.unwrap_or_default())
                            }
                            (StreamCell::Rendered { results, .. }, _) => match results.get(i) {
                                Some(r) => Item::Rendered(Arc::clone(r)),
                                None => Item::Stored(Vec::new()),
                            },
                        })
                        .collect();
                    let cells = &batch.cells;
                    let per_offering = requests[i].classes.len();
                    run.items(&mut items, form, &mut |at, out| {
                        let read = match cells.get(at) {
                            Some(StreamCell::Read(p, o)) => Some((p, *o)),
                            _ => None,
                        };
                        let r = match out {
                            Out::Rendered(r) => return handler.rendered(i, &r),
                            Out::Evaluated(results, rendered) => {
                                if let Some((p, o)) = read
                                    && let Some(f) = fresh.get_mut(&p.id)
                                {
                                    f.add_rendered(o, i, &results, &rendered);
                                }
                                return handler.rendered(i, &rendered);
                            }
                            Out::Result(r) => r,
                        };
                        if form == Form::Results {
                            if let Some((p, o)) = read
                                && let Some(f) = fresh.get_mut(&p.id)
                            {
                                f.add(o, i, &r);
                            }
                            return handler.result(i, r);
                        }
                        // Rendered once all of the offering's results are in.
                        gathered.push(r);
                        if gathered.len() < per_offering {
                            return Ok(());
                        }
                        let results = std::mem::take(&mut gathered);
                        let Some(rendered) = Rendered::of(&results, form, rules) else {
                            // Cannot be rendered: the command has the results, and says why.
                            return results.into_iter().try_for_each(|r| handler.result(i, r));
                        };
                        let rendered = Arc::new(rendered);
                        if let Some((p, o)) = read
                            && let Some(f) = fresh.get_mut(&p.id)
                        {
                            f.add_rendered(o, i, &results, &rendered);
                        }
                        handler.rendered(i, &rendered)
                    })
                    .map_err(Stop::Handler)?;
                }
                store_finished(cache, &mut fresh, &batch.cells);
            }
            // Changed snapshots were among the profiles' problems, handed over as they were read.
            Ok(runs.into_iter().map(|run| run.finish(Vec::new())).collect())
        }
    }
}

/// Stores the vendors all of whose offerings this batch finished (and those with none).
fn store_finished(
    cache: Option<&CacheUse>,
    fresh: &mut HashMap<String, Fresh>,
    cells: &[StreamCell],
) {
    for cell in cells {
        if let StreamCell::Read(p, _) = cell
            && let Some(f) = fresh.get_mut(&p.id)
        {
            f.remaining = f.remaining.saturating_sub(1);
        }
    }
    let done: Vec<String> = fresh
        .iter()
        .filter(|(_, f)| f.remaining == 0)
        .map(|(dir, _)| dir.clone())
        .collect();
    for dir in done {
        if let (Some(f), Some(cache)) = (fresh.remove(&dir), cache) {
            cache.store(f);
        }
    }
}

/// Reads the profiles of the batch's offerings whose results came from the cache, so that
/// they are evaluated after all.
fn read_stored(cells: &mut [StreamCell], ws: &Workspace) {
    let mut read: HashMap<Arc<str>, Option<Arc<crate::model::profile::Profile>>> = HashMap::new();
    for cell in cells.iter_mut() {
        let (StreamCell::Stored { dir, offering, .. } | StreamCell::Rendered { dir, offering, .. }) =
            cell
        else {
            continue;
        };
        let profile = read
            .entry(Arc::clone(dir))
            .or_insert_with(|| {
                crate::workspace::load_one(&ws.root, dir, &ws.policies)
                    .0
                    .map(Arc::new)
            })
            .clone();
        // Its files matched the entry a moment ago: it loads as it did then.
        if let Some(p) = profile
            && *offering < p.offerings.len()
        {
            *cell = StreamCell::Read(p, *offering);
        }
    }
}
