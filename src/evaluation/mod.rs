//! The one evaluation path: an offering at a classification, against the rules. `evaluate`,
//! `explain`, `test` and `diff` all call [`evaluate_cell`] (through [`evaluate`] for many
//! offerings), so a verdict is the same wherever it is shown.

mod bare_pass;
mod budget;
pub(crate) mod cached;
mod carve_out_pass;
pub mod chain;
pub mod checks;
mod memo;
mod portfolio;
pub(crate) mod profiles;
pub(crate) mod rendered;
mod stream;

pub use chain::{Chain, Lookup, ProviderVerdicts};
use memo::Memo;
pub use portfolio::{Request, Summary, expired_waivers};
pub(crate) use profiles::{ProfileStream, Read};
pub use stream::evaluate;
pub(crate) use stream::{Handler, Offerings, Stop, stream};

use crate::diag::{Diagnostic, Pos};
use crate::engine::facts::FactTable;
use crate::engine::{Bindings, RawFinding, Rule, RuleSet};
use crate::model::checks::Check;
use crate::model::policy::{Policy, Requirements};
use crate::model::profile::{Offering, Profile};
use crate::model::resolve::Freshness;
use crate::model::resolved::ResolvedOffering;
use crate::outcome::{Finding, Level, OfferingResult, RuleError, Verdict, WaiverInfo};
use jiff::civil::Date;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// What every cell of a run shares: the rules, the policy, the data tags and the date.
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub policy: &'a Policy,
    pub tags: &'a [String],
    pub today: Date,
    /// The rule scripts and the policy's evidence checks, in id order: the order of findings.
    steps: Vec<Step<'a>>,
}

/// One rule of a run: a script, or a built-in evidence check the policy turned on (with its
/// references, made once per run).
#[derive(Clone)]
enum Step<'a> {
    Script(&'a Rule),
    Check(&'static Check, Pos, Arc<[String]>),
}

impl Step<'_> {
    fn id(&self) -> &str {
        match self {
            Step::Script(r) => &r.id,
            Step::Check(c, ..) => c.id,
        }
    }

    fn refs(&self) -> &Arc<[String]> {
        match self {
            Step::Script(r) => &r.refs,
            Step::Check(_, _, refs) => refs,
        }
    }
}

impl<'a> Context<'a> {
    pub fn new(rules: &'a RuleSet, policy: &'a Policy, tags: &'a [String], today: Date) -> Self {
        let mut steps: Vec<Step> = rules.rules.iter().map(Step::Script).collect();
        steps.extend(
            policy
                .evidence_checks
                .iter()
                .map(|(c, at)| Step::Check(c, *at, c.refs.iter().map(|r| r.to_string()).collect())),
        );
        steps.sort_by(|a, b| a.id().cmp(b.id()));
        Context {
            rules,
            policy,
            tags,
            today,
            steps,
        }
    }

    /// The ids of every rule this run applies, in order (scripts and evidence checks).
    pub fn rule_ids(&self) -> Vec<String> {
        self.steps.iter().map(|s| s.id().to_string()).collect()
    }

    /// Each rule's framework references, for the rules that have any.
    pub fn rule_refs(&self) -> BTreeMap<String, Arc<[String]>> {
        self.steps
            .iter()
            .filter(|s| !s.refs().is_empty())
            .map(|s| (s.id().to_string(), Arc::clone(s.refs())))
            .collect()
    }

    /// The rules that cite no framework clause, each with the reason its header gives.
    pub fn rules_without_refs(&self) -> Vec<(String, Option<String>)> {
        self.steps
            .iter()
            .filter(|s| s.refs().is_empty())
            .map(|s| {
                let reason = match s {
                    Step::Script(r) => r.refs_reason.clone(),
                    Step::Check(..) => None,
                };
                (s.id().to_string(), reason)
            })
            .collect()
    }

    /// Whether a rule (script or check) of this id runs.
    pub fn has_rule(&self, id: &str) -> bool {
        self.steps.iter().any(|s| s.id() == id)
    }

    /// A rule's title and rationale (the `//!` header of a script).
    pub fn rule_text(&self, id: &str) -> (String, String) {
        match self.steps.iter().find(|s| s.id() == id) {
            Some(Step::Script(r)) => (r.title.clone(), r.rationale.clone()),
            Some(Step::Check(c, ..)) => (c.title.to_string(), c.rationale.to_string()),
            None => Default::default(),
        }
    }
}

/// One offering, ready to be evaluated at any classification of one [`Context`]: its facts
/// resolved once, and what each rule did at the classifications evaluated so far.
pub struct Prepared<'a> {
    pub profile: &'a Profile,
    pub offering: &'a Offering,
    pub resolved: Arc<ResolvedOffering>,
    /// The verdicts of the providers the offering relies on (`evaluation::chain`): an input of
    /// its evaluation, resolved before it.
    pub providers: Arc<ProviderVerdicts>,
    /// The Rhai view of the facts, or why it could not be built.
    table: Result<Arc<FactTable>, String>,
    /// Rule id -> what the rule read of the classification and what it did then. A rule that
    /// reads the same requirement values at another classification (public and internal, or
    /// confidential and restricted, often ask a rule the same question) does the same there:
    /// its run is reused. (A Mutex, not a RefCell: a Prepared may be shared between threads.)
    memo: Mutex<HashMap<String, Vec<Memo>>>,
}

impl<'a> Prepared<'a> {
    pub fn new(
        ctx: &Context,
        profile: &'a Profile,
        offering: &'a Offering,
        providers: Arc<ProviderVerdicts>,
    ) -> Prepared<'a> {
        let resolved = Arc::new(ResolvedOffering::build(
            profile,
            offering,
            freshness(ctx.policy, ctx.today),
        ));
        let table = FactTable::build(Arc::clone(&resolved)).map(Arc::new);
        Prepared {
            profile,
            offering,
            resolved,
            providers,
            table,
            memo: Mutex::new(HashMap::new()),
        }
    }
}

/// What one rule did in one cell: for `explain`.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    pub rule: String,
    /// The facts the rule read, in order.
    pub reads: Vec<String>,
    /// Its findings (with evidence attached and waivers applied): this range of the cell's
    /// `result.findings`.
    pub findings: std::ops::Range<usize>,
    /// What it printed (print/debug).
    pub trace: Vec<String>,
    pub error: Option<Diagnostic>,
}

/// One offering at one classification: the result that reports show, and each rule's part.
#[derive(Debug, Clone)]
pub struct Cell {
    pub result: OfferingResult,
    pub rules: Vec<RuleOutcome>,
}

/// Rules that failed during this run, or that spent its text budget (`budget`). A stopped rule
/// is not run again in later batches (a runaway rule would otherwise cost its deadline in every
/// cell); the cells it then skips show `error` too. Failures are recorded during a batch and
/// take effect only when the batch is over ([`Stopped::freeze`]), so which cells run never
/// depends on thread timing; of several failures of one rule, the one kept is the same on every
/// run.
#[derive(Default)]
pub struct Stopped {
    /// Rules stopped before the current batch, with the failure shown for them.
    frozen: BTreeMap<String, Diagnostic>,
    /// Failures during the current batch.
    failed: Mutex<BTreeMap<String, Diagnostic>>,
}

impl Stopped {
    fn get(&self, rule: &str) -> Option<Diagnostic> {
        self.frozen.get(rule).cloned()
    }

    fn is_stopped(&self, rule: &str) -> bool {
        self.frozen.contains_key(rule)
    }

    fn record(&self, rule: &str, error: &Diagnostic) {
        if let Ok(mut m) = self.failed.lock() {
            let keep = m.get(rule).is_none_or(|kept| error.message < kept.message);
            if keep {
                m.insert(rule.to_string(), error.clone());
            }
        }
    }

    /// Whether any rule was stopped, or failed in the current batch.
    fn any(&self) -> bool {
        !self.frozen.is_empty() || self.failed.lock().map_or(true, |m| !m.is_empty())
    }

    /// Stops `rule` from the next batch on (it spent the run's text budget), unless it failed.
    fn stop(&mut self, rule: String, error: Diagnostic) {
        self.frozen.entry(rule).or_insert(error);
    }

    /// Ends a batch: the rules that failed in it are stopped from now on.
    fn freeze(&mut self) {
        let failed = std::mem::take(self.failed.get_mut().unwrap_or_else(|e| e.into_inner()));
        for (rule, error) in failed {
            self.frozen.entry(rule).or_insert(error);
        }
    }

    /// Each failed rule's error, once.
    pub fn errors(mut self) -> Vec<Diagnostic> {
        self.freeze();
        self.frozen.into_values().collect()
    }
}

/// Evaluates one offering at one classification with the rules `only` selects (all when None).
pub fn evaluate_cell(
    ctx: &Context,
    prepared: &Prepared,
    classification: &str,
    requirements: &Requirements,
    only: Option<&str>,
    stopped: &Stopped,
) -> Cell {
    let (profile, offering) = (prepared.profile, prepared.offering);
    let (findings, errors, outcomes) = match &prepared.table {
        Err(message) => {
            let error = RuleError {
                rule: "engine".into(),
                message: message.clone(),
                at: profile.file.clone(),
            };
            (Vec::new(), vec![error], Vec::new())
        }
        Ok(table) => {
            let bindings = Bindings {
                profile,
                offering,
                policy: ctx.policy,
                classification,
                tags: ctx.tags,
                requirements,
                today: ctx.today,
            };
            let mut run = CellRun {
                ctx,
                prepared,
                table,
                requirements,
                scope: bindings.scope(),
                decisive: crate::engine::decisive_facts(requirements),
                stopped,
                classification,
            };
            run.steps(only)
        }
    };
    let verdict = if errors.is_empty() {
        Verdict::of(&findings)
    } else {
        Verdict::Error
    };
    Cell {
        result: OfferingResult {
            vendor: profile.id.clone(),
            vendor_name: profile.name.clone(),
            offering: offering.id.clone(),
            offering_name: offering.name.clone(),
            tier: offering.tier.clone(),
            vendor_notes: profile.notes.clone(),
            offering_notes: offering.notes.clone(),
            classification: classification.to_string(),
            tags: ctx.tags.to_vec(),
            verdict,
            findings,
            errors,
            decision: None,
        },
        rules: outcomes,
    }
}

/// One cell in progress: what its rules share (the Rhai scope is built once per cell).
struct CellRun<'a> {
    ctx: &'a Context<'a>,
    prepared: &'a Prepared<'a>,
    table: &'a Arc<FactTable>,
    requirements: &'a Requirements,
    scope: rhai::Scope<'static>,
    decisive: Arc<[&'static str]>,
    stopped: &'a Stopped,
    classification: &'a str,
}

impl CellRun<'_> {
    /// Runs the steps `only` selects (all when None), in order: the cell's findings (waivers
    /// applied), its rule errors and each rule's part.
    fn steps(&mut self, only: Option<&str>) -> (Vec<Finding>, Vec<RuleError>, Vec<RuleOutcome>) {
        let ctx = self.ctx;
        let (p, o) = (self.prepared.profile, self.prepared.offering);
        let selected: Vec<&Step> = ctx
            .steps
            .iter()
            .filter(|s| only.is_none_or(|o| o == s.id()))
            .collect();
        // Sized up front: a finding and an outcome are a few hundred bytes each, and growing
        // these a step at a time moved them again and again (a tenth of an evaluation).
        let mut findings = Vec::with_capacity(selected.len());
        let mut errors = Vec::new();
        let mut outcomes = Vec::with_capacity(selected.len());
        for step in selected {
            let (mut raised, outcome) = match step {
                Step::Check(check, at, refs) => self.check(check, *at, refs),
                Step::Script(rule) => self.script(rule),
            };
            apply_waivers(&mut raised, ctx, p, o, self.classification);
            let start = findings.len();
            findings.append(&mut raised);
            if let Some(d) = &outcome.error {
                errors.push(RuleError {
                    rule: outcome.rule.clone(),
                    message: d.message.clone(),
                    at: d.location(),
                });
            }
            outcomes.push(RuleOutcome {
                findings: start..findings.len(),
                ..outcome
            });
        }
        // Results are kept until the report is written: no unused slots.
        findings.shrink_to_fit();
        (findings, errors, outcomes)
    }

    /// A built-in evidence check: its findings are located at the policy line naming it.
    fn check(
        &mut self,
        check: &'static Check,
        at: Pos,
        refs: &Arc<[String]>,
    ) -> (Vec<Finding>, RuleOutcome) {
        let raised_at = format!("{}:{}", self.ctx.policy.file, at.line);
        let raw = if check.id == chain::CHECK_ID {
            chain::findings(
                &self.prepared.providers,
                &self.prepared.resolved,
                self.classification,
                self.requirements,
            )
        } else {
            checks::run(
                check,
                &self.prepared.resolved,
                self.ctx.policy,
                self.requirements,
                &self.decisive,
            )
        };
        let reads = raw.iter().flat_map(|f| f.facts.iter().cloned()).collect();
        let findings = raw
            .into_iter()
            .map(|f| finding(check.id, refs, &raised_at, f, self.table))
            .collect();
        (findings, outcome(check.id, reads, Vec::new(), None))
    }

    /// A rule script; a failure stops it for the rest of the run.
    fn script(&mut self, rule: &Rule) -> (Vec<Finding>, RuleOutcome) {
        if let Some(first) = self.stopped.get(&rule.id) {
            let d = Diagnostic {
                message: format!(
                    "not run: the rule was stopped earlier in this run: {}",
                    first.message
                ),
                ..first
            };
            return (
                Vec::new(),
                outcome(&rule.id, Vec::new(), Vec::new(), Some(d)),
            );
        }
        let ctx = self.ctx;
        let run = match self
            .prepared
            .recall(rule, self.requirements, &self.decisive)
        {
            Some(record) => Ok(record),
            None => {
                let run =
                    ctx.rules
                        .run(rule, self.table, &mut self.scope, &self.decisive, ctx.today);
                if let Ok(record) = &run {
                    self.prepared
                        .remember(rule, record, self.requirements, &self.decisive);
                }
                run
            }
        };
        match run {
            Ok(record) => {
                let findings = record
                    .findings
                    .into_iter()
                    .map(|raw| {
                        let at = format!("{}:{}", rule.file, raw.line);
                        let f = finding(&rule.id, &rule.refs, &at, raw, self.table);
                        let f = bare_pass::qualify(f, self.table, self.requirements);
                        carve_out_pass::qualify(f, self.table, &record.carve_outs_read)
                    })
                    .collect();
                (
                    findings,
                    outcome(&rule.id, record.reads, record.trace, None),
                )
            }
            Err(d) => {
                let (p, o) = (self.prepared.profile, self.prepared.offering);
                let d = Diagnostic {
                    message: format!(
                        "{} (evaluating {}/{} at {})",
                        d.message, p.id, o.id, self.classification
                    ),
                    ..d
                };
                self.stopped.record(&rule.id, &d);
                (
                    Vec::new(),
                    outcome(&rule.id, Vec::new(), Vec::new(), Some(d)),
                )
            }
        }
    }
}

fn outcome(
    rule: &str,
    reads: Vec<String>,
    trace: Vec<String>,
    error: Option<Diagnostic>,
) -> RuleOutcome {
    RuleOutcome {
        rule: rule.to_string(),
        reads,
        findings: 0..0,
        trace,
        error,
    }
}

/// The date before which evidence is stale under the policy.
pub fn freshness(policy: &Policy, today: Date) -> Freshness<'_> {
    Freshness {
        oldest_fresh: policy
            .evidence_max_age_days
            .and_then(|days| today.checked_sub(jiff::Span::new().days(days)).ok()),
        audience: policy.audience.as_ref(),
    }
}

/// A raised finding with the evidence of the facts it cites attached. `raised_at` is the
/// script line (or the policy line that turns a check on).
fn finding(
    rule: &str,
    refs: &Arc<[String]>,
    raised_at: &str,
    raw: RawFinding,
    table: &FactTable,
) -> Finding {
    let resolved = &table.resolved;
    let mut facts = Vec::with_capacity(raw.facts.len());
    // Exactly as many entries as the cited facts have claims: findings are kept until the report
    // is written, and a growing Vec would leave unused slots in each.
    let claims = raw
        .facts
        .iter()
        .filter_map(|name| resolved.get(name))
        .map(|f| f.evidence.len())
        .sum();
    let mut evidence = Vec::with_capacity(claims);
    for name in &raw.facts {
        facts.push((
            name.clone(),
            resolved.value(name).cloned().unwrap_or(Value::Null),
        ));
        if let Some(fact) = resolved.get(name) {
            evidence.extend(fact.evidence.iter().cloned());
        }
    }
    facts.sort_by(|a, b| a.0.cmp(&b.0));
    facts.dedup_by(|a, b| a.0 == b.0);
    let (level, message, action) = if raw.level == Level::Block
        && rests_on_leads(&raw.facts, resolved)
    {
        (
                Level::Hold,
                format!(
                    "{} (only a third-party analysis or an unsupported value says so: a lead, not a decision)",
                    raw.message
                ),
                Some(
                    format!(
                        "Confirm it in the vendor's own terms, DPA or documentation before deciding. {}",
                        raw.action.unwrap_or_default()
                    )
                    .trim_end()
                    .to_string(),
                ),
            )
    } else {
        (raw.level, raw.message, raw.action)
    };
    Finding {
        rule: rule.to_string(),
        level,
        message,
        action,
        waived: None,
        refs: Arc::clone(refs),
        facts,
        evidence,
        raised_at: raised_at.to_string(),
        about: raw.about,
    }
}

/// Whether every cited fact that has a value rests only on third-party or unsupported claims.
/// Such evidence is a lead: a block on it alone is reported as a hold.
fn rests_on_leads(facts: &[String], resolved: &ResolvedOffering) -> bool {
    let mut authorities = facts
        .iter()
        .filter(|f| resolved.value(f).is_some())
        .filter_map(|f| resolved.authority(f))
        .peekable();
    authorities.peek().is_some() && authorities.all(|a| !a.is_first_party())
}

fn apply_waivers(
    findings: &mut [Finding],
    ctx: &Context,
    profile: &Profile,
    offering: &Offering,
    class: &str,
) {
    for f in findings.iter_mut() {
        if f.level < Level::Condition {
            continue; // nothing to waive
        }
        if let Some(w) = ctx
            .policy
            .waivers
            .iter()
            .find(|w| w.live(ctx.today) && w.matches(&f.rule, &profile.id, &offering.id, class))
        {
            f.waived = Some(WaiverInfo {
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
                expires: w.expires.to_string(),
            });
        }
    }
}
