//! The model behind the offering: the verdicts of the providers an offering relies on, resolved
//! before the offering is evaluated and handed to it as a value ([`ProviderVerdicts`]), and the
//! `provider-chain` check that reads them.
//!
//! Evaluation streams offerings in batches, in workspace order; a provider may come later in
//! the stream, or not be selected at all. So a provider's verdicts are not taken from the
//! stream: a [`Chain`] evaluates just the offerings the batch refers to (and theirs), with the
//! run's own rules, policy, classes and date, before the batch, and remembers them for the rest
//! of the run. The output stays in order and the streamed formats still stream; and since the
//! verdicts are an explicit input of an offering's evaluation, a result cache can key on them.

use super::budget::Tally;
use super::{Context, Prepared, Stopped, evaluate_cell, freshness};
use crate::diag::Diagnostic;
use crate::engine::RawFinding;
use crate::evidence;
use crate::model::chain::{self, MAX_DEPTH, PASS_DOWN, PROVIDERS, Target};
use crate::model::policy::Requirements;
use crate::model::profile::{Offering, Profile};
use crate::model::resolved::ResolvedOffering;
use crate::outcome::{Level, Verdict};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// The id of the built-in check that caps an offering's verdict by its providers'.
pub const CHECK_ID: &str = "provider-chain";

/// What one finding of a provider says, as the offering relying on it quotes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Driving {
    pub rule: String,
    pub level: Level,
    pub message: String,
}

/// A provider's verdict at one classification, with the findings that drive it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ProviderCell {
    pub verdict: Verdict,
    pub driving: Vec<Driving>,
}

/// What became of one provider an offering names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum LinkState {
    /// An offering of the workspace, evaluated: its verdict per classification.
    Evaluated {
        classes: Arc<BTreeMap<String, ProviderCell>>,
    },
    /// A provider outside the workspace: its terms are not reviewed.
    External,
    /// A workspace reference that cannot be followed (unknown, a cycle, too deep, a profile
    /// that does not load): why.
    Unresolved { why: String },
}

/// One provider of an offering.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ProviderLink {
    /// As the profile writes it: `vendor/offering` or an external name.
    pub provider: String,
    #[serde(flatten)]
    pub state: LinkState,
}

/// The providers an offering relies on, each with its verdicts: an input of the offering's
/// evaluation, like its facts. Empty for an offering that names none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ProviderVerdicts {
    pub links: Vec<ProviderLink>,
}

impl ProviderVerdicts {
    pub fn none() -> Arc<ProviderVerdicts> {
        Arc::new(ProviderVerdicts::default())
    }
}

/// What the provider verdicts of an offering depend on besides the run's rules, policy and
/// request: the files of every vendor folder its chain read (the fingerprint of each, taken
/// before it was read), so that a results cache can key the offering on them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Footprint {
    /// Vendor folder -> fingerprint (`crate::cache::folder_print`). A provider whose folder
    /// is missing is a problem (so a taint), never a key.
    pub(crate) vendors: BTreeMap<String, [u8; 32]>,
    /// The verdicts cannot be keyed: the chain raised a problem (which a stored result would
    /// not repeat), a provider's rule failed, or its profiles were not read from folders.
    pub(crate) tainted: bool,
}

impl Footprint {
    /// Adds `other`'s vendors and taint; two fingerprints of one folder that differ (it changed
    /// during the run) taint it.
    pub(crate) fn add(&mut self, other: &Footprint) {
        self.tainted |= other.tainted;
        for (dir, print) in &other.vendors {
            match self.vendors.get(dir) {
                Some(seen) if seen != print => self.tainted = true,
                Some(_) => {}
                None => {
                    self.vendors.insert(dir.clone(), *print);
                }
            }
        }
    }
}

/// Where a [`Chain`] finds the profiles of the providers.
#[derive(Clone, Copy)]
pub enum Lookup<'a> {
    /// The workspace's profiles, read whole.
    Profiles(&'a [Profile]),
    /// The workspace at this root, read a vendor at a time as providers are named (a run that
    /// streams its profiles).
    Folder(&'a Path),
}

/// The providers' verdicts of one run (one policy, classification set, tags and date),
/// remembered per provider; and the problems the chains have (unknown providers, cycles,
/// chains too deep), each once.
pub struct Chain<'a> {
    lookup: Lookup<'a>,
    /// Profiles read from the folder (None: the vendor is not in the workspace or does not load).
    read: HashMap<String, Option<Arc<Profile>>>,
    memo: HashMap<String, Arc<BTreeMap<String, ProviderCell>>>,
    /// Each vendor folder's fingerprint, taken before it was read (`Lookup::Folder` only).
    prints: HashMap<String, [u8; 32]>,
    /// What each provider reached (`vendor/offering`) depends on, with its own providers'.
    footprints: HashMap<String, Footprint>,
    problems: Vec<Diagnostic>,
    /// Problems raised so far, a repeated one included (`problems` keeps each once).
    raised: usize,
    /// Provider evaluations done (offering x classification) and the finding text the rules
    /// wrote in them, since last taken: they count in the run's text budget.
    cells: usize,
    text: Tally,
}

impl<'a> Chain<'a> {
    pub fn new(lookup: Lookup<'a>) -> Chain<'a> {
        Chain {
            lookup,
            read: HashMap::new(),
            memo: HashMap::new(),
            prints: HashMap::new(),
            footprints: HashMap::new(),
            problems: Vec::new(),
            raised: 0,
            cells: 0,
            text: Tally::default(),
        }
    }

    /// The problems found so far (errors: the workspace is wrong), each once; drained.
    pub fn take_problems(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.problems)
    }

    /// What `verdicts` (returned by [`Chain::providers_of`] of this chain) depend on: the
    /// footprints of the providers it links to, transitively. An offering naming no provider
    /// depends on nothing.
    pub(crate) fn footprint(&self, verdicts: &ProviderVerdicts) -> Footprint {
        let mut out = Footprint::default();
        for link in &verdicts.links {
            match &link.state {
                LinkState::External => {}
                // Every unresolved link raised a problem.
                LinkState::Unresolved { .. } => out.tainted = true,
                LinkState::Evaluated { .. } => match self.footprints.get(&link.provider) {
                    Some(f) => out.add(f),
                    None => out.tainted = true,
                },
            }
        }
        out
    }

    /// The provider evaluations done since the last call, and the finding text the rules wrote
    /// in them (for the run's text budget); drained.
    pub(crate) fn take_text(&mut self) -> (usize, Tally) {
        (
            std::mem::take(&mut self.cells),
            std::mem::take(&mut self.text),
        )
    }

    /// The verdicts, at each of `classes`, of the providers `offering` relies on.
    pub fn providers_of(
        &mut self,
        ctx: &Context,
        classes: &[(&String, Requirements)],
        profile: &Profile,
        offering: &Offering,
    ) -> Arc<ProviderVerdicts> {
        let mut path = vec![chain::key(profile, offering)];
        self.walk(ctx, classes, profile, offering, &mut path)
    }

    fn walk(
        &mut self,
        ctx: &Context,
        classes: &[(&String, Requirements)],
        profile: &Profile,
        offering: &Offering,
        path: &mut Vec<String>,
    ) -> Arc<ProviderVerdicts> {
        // Most offerings name no provider: they cost nothing here.
        if !offering.facts.contains_key(PROVIDERS) {
            return ProviderVerdicts::none();
        }
        let resolved = ResolvedOffering::build(profile, offering, freshness(ctx.policy, ctx.today));
        let mut links = Vec::new();
        for provider in chain::relied_on(&resolved) {
            let state = match Target::parse(&provider) {
                Target::External(_) => LinkState::External,
                Target::Offering {
                    vendor,
                    offering: id,
                } => self.follow(
                    ctx,
                    classes,
                    (profile, offering),
                    (&provider, &vendor, &id),
                    path,
                ),
            };
            links.push(ProviderLink { provider, state });
        }
        Arc::new(ProviderVerdicts { links })
    }

    /// The state of the link from `from` to the workspace offering `vendor/id`.
    fn follow(
        &mut self,
        ctx: &Context,
        classes: &[(&String, Requirements)],
        from: (&Profile, &Offering),
        (provider, vendor, id): (&str, &str, &str),
        path: &mut Vec<String>,
    ) -> LinkState {
        let (profile, offering) = from;
        let unresolved = |why: String| LinkState::Unresolved { why };
        if let Some(start) = path.iter().position(|k| k == provider) {
            let mut cycle = path[start..].to_vec();
            cycle.push(provider.to_string());
            self.problem(chain::cycle(profile, offering, provider, &cycle));
            return unresolved(format!("a cycle of providers ({})", cycle.join(" -> ")));
        }
        if path.len() > MAX_DEPTH {
            let mut deep = path.clone();
            deep.push(provider.to_string());
            self.problem(chain::too_deep(profile, offering, provider, &deep));
            return unresolved(format!(
                "the chain of providers is more than {MAX_DEPTH} links deep"
            ));
        }
        if let Some(classes) = self.memo.get(provider) {
            return LinkState::Evaluated {
                classes: Arc::clone(classes),
            };
        }
        let Some(provider_profile) = self.profile(vendor) else {
            self.problem(chain::unknown(profile, offering, provider, None));
            return unresolved(format!("no vendor `{vendor}` in the workspace"));
        };
        let Some(provider_offering) = provider_profile.offering(id) else {
            let ids: Vec<String> = provider_profile
                .offerings
                .iter()
                .map(|o| o.id.clone())
                .collect();
            self.problem(chain::unknown(profile, offering, provider, Some(&ids)));
            return unresolved(format!("vendor `{vendor}` has no offering `{id}`"));
        };
        let raised = self.raised;
        path.push(provider.to_string());
        let providers = self.walk(ctx, classes, &provider_profile, provider_offering, path);
        path.pop();
        let prepared = Prepared::new(
            ctx,
            &provider_profile,
            provider_offering,
            Arc::clone(&providers),
        );
        let stopped = Stopped::default();
        let mut failed = false;
        let cells: BTreeMap<String, ProviderCell> = classes
            .iter()
            .map(|(class, reqs)| {
                let cell = evaluate_cell(ctx, &prepared, class, reqs, None, &stopped);
                let r = &cell.result;
                failed |= !r.errors.is_empty();
                self.text.count(r, ctx.rules);
                let driving = crate::outcome::driving(r)
                    .map(|f| Driving {
                        rule: f.rule.clone(),
                        level: f.level,
                        message: f.message.clone(),
                    })
                    .collect();
                (
                    class.to_string(),
                    ProviderCell {
                        verdict: r.verdict,
                        driving,
                    },
                )
            })
            .collect();
        self.cells += classes.len();
        let mut footprint = self.footprint(&providers);
        match self.prints.get(vendor) {
            Some(print) => footprint.add(&Footprint {
                vendors: BTreeMap::from([(vendor.to_string(), *print)]),
                tainted: false,
            }),
            None => footprint.tainted = true,
        }
        footprint.tainted |= failed || self.raised != raised;
        self.footprints.insert(provider.to_string(), footprint);
        let cells = Arc::new(cells);
        // A verdict reached through a broken chain depends on where the walk entered it: it is
        // not remembered (the run fails on the problem anyway). Counted on every problem raised,
        // a repeat included: `problems` keeps each once, so its length misses a cycle met again.
        if self.raised == raised {
            self.memo.insert(provider.to_string(), Arc::clone(&cells));
        }
        LinkState::Evaluated { classes: cells }
    }

    fn problem(&mut self, d: Diagnostic) {
        self.raised += 1;
        if !self.problems.contains(&d) {
            self.problems.push(d);
        }
    }

    fn profile(&mut self, vendor: &str) -> Option<Arc<Profile>> {
        let lookup = self.lookup;
        let prints = &mut self.prints;
        self.read
            .entry(vendor.to_string())
            .or_insert_with(|| match lookup {
                Lookup::Profiles(profiles) => profiles
                    .iter()
                    .find(|p| p.id == vendor)
                    .map(|p| Arc::new(p.clone())),
                Lookup::Folder(root) => {
                    // Only a vendor folder of the workspace: the id is checked (no `..`).
                    let exists = crate::model::profile::valid_id(vendor)
                        && root
                            .join("vendors")
                            .join(vendor)
                            .join("profile.yaml")
                            .is_file();
                    if exists {
                        // Taken before the folder is read: a change made while it is read
                        // makes the stored result a miss, never a stale hit.
                        prints.insert(vendor.to_string(), crate::cache::folder_print(root, vendor));
                    }
                    exists
                        .then(|| evidence::load(root, vendor).0)
                        .flatten()
                        .map(Arc::new)
                }
            })
            .clone()
    }
}

/// The `provider-chain` check at one classification: one finding per provider the offering
/// relies on, at the level of the provider's verdict (so the offering's verdict is never
/// better), unless the vendor passes the customer's terms down on verified first-party
/// evidence; an external provider holds with the question to ask.
pub fn findings(
    providers: &ProviderVerdicts,
    resolved: &ResolvedOffering,
    class: &str,
    requirements: &Requirements,
) -> Vec<RawFinding> {
    // A finding a pass-down would change cites it, known or not: an unknown pass-down is the
    // question to ask.
    let cited = |pass_down: bool| {
        let mut facts = vec![PROVIDERS.to_string()];
        if pass_down {
            facts.push(PASS_DOWN.to_string());
        }
        facts
    };
    let raw = |level, message: String, action: Option<String>, pass_down: bool| RawFinding {
        level,
        message,
        action,
        facts: cited(pass_down),
        line: 0,
        about: None,
    };
    if resolved.value(PROVIDERS).is_none() {
        let required = requirements.get("known_providers") == Some(&serde_json::Value::Bool(true));
        return if required {
            vec![raw(
                Level::Hold,
                "The model providers and AI sub-processors this offering relies on are not known: whose terms cover the data is not known.".into(),
                Some(format!(
                    "Ask the vendor: {} Record them as `providers` (each `vendor/offering` of the workspace or an external name) with the quote that names them.",
                    crate::model::vocabulary::fact_spec(PROVIDERS).map_or("", |f| f.question)
                )),
                false,
            )]
        } else {
            Vec::new()
        };
    }
    let lifted = chain::pass_down_verified(resolved);
    let mut out = Vec::new();
    for link in &providers.links {
        let p = &link.provider;
        match &link.state {
            LinkState::External if lifted => out.push(raw(
                Level::Info,
                format!("Relies on {p} (not in the workspace); the vendor passes the customer's terms down to its providers (quoted and verified), so {p}'s own terms do not decide."),
                None,
                true,
            )),
            LinkState::External => out.push(raw(
                Level::Hold,
                format!("Relies on {p}, which is not in the workspace: its terms (training, retention) are not reviewed, so they may not hold for the data."),
                Some(format!(
                    "Ask the vendor: which terms of {p} govern our data (training, retention, sub-processing), and does your agreement with {p} pass our terms down? Record the answer as `provider_pass_down` with its quote, or add {p} to the workspace and name it as `vendor/offering`."
                )),
                true,
            )),
            LinkState::Unresolved { why } => out.push(raw(
                Level::Hold,
                format!("Relies on {p}, whose verdict cannot be known: {why}."),
                Some("Fix the `providers` fact (run `diligence check`).".into()),
                false,
            )),
            LinkState::Evaluated { classes } => {
                let Some(cell) = classes.get(class) else {
                    continue;
                };
                out.push(link_finding(p, class, cell, lifted, &raw));
            }
        }
    }
    out
}

/// The finding for one evaluated provider at `class`.
fn link_finding(
    p: &str,
    class: &str,
    cell: &ProviderCell,
    lifted: bool,
    raw: &dyn Fn(Level, String, Option<String>, bool) -> RawFinding,
) -> RawFinding {
    let verdict = cell.verdict.as_str();
    let because: Vec<String> = cell
        .driving
        .iter()
        .map(|d| format!("{} ({}): {}", d.rule, d.level.as_str(), d.message))
        .collect();
    let because = if because.is_empty() {
        String::new()
    } else {
        format!(" [{}]", because.join("; "))
    };
    let level = match cell.verdict {
        Verdict::Go => Level::Pass,
        Verdict::Conditional => Level::Condition,
        Verdict::Hold | Verdict::Error => Level::Hold,
        Verdict::NoGo => Level::Block,
    };
    if level == Level::Pass {
        return raw(
            Level::Pass,
            format!("Relies on {p}, which is go at {class}."),
            None,
            false,
        );
    }
    if lifted {
        return raw(
            Level::Info,
            format!(
                "Relies on {p}, which is {verdict} at {class}{because}; the vendor passes the customer's terms down to its providers (quoted and verified), so {p}'s verdict does not cap this offering's."
            ),
            None,
            true,
        );
    }
    if cell.verdict == Verdict::Error {
        return raw(
            Level::Hold,
            format!("Relies on {p}, whose evaluation failed at {class}: its verdict is not known."),
            Some(format!(
                "Fix the failing rule (run `diligence explain {p} --class {class}`)."
            )),
            false,
        );
    }
    raw(
        level,
        format!(
            "Relies on {p}, which is {verdict} at {class}{because}: a provider's verdict caps the offering's."
        ),
        Some(format!(
            "Resolve what holds {p}, or ask the vendor whether its agreement with {p} passes our terms down (no training, the same retention and deletion) and record the clause as `provider_pass_down`."
        )),
        true,
    )
}

/// The provider verdicts of one offering at one classification, for the commands that evaluate
/// a single cell (`explain`, `decide`, `status`), with the chain's problems.
pub fn of_one(
    lookup: Lookup,
    ctx: &Context,
    class: &String,
    requirements: &Requirements,
    profile: &Profile,
    offering: &Offering,
) -> (Arc<ProviderVerdicts>, Vec<Diagnostic>) {
    let mut chain = Chain::new(lookup);
    let classes = [(class, requirements.clone())];
    let providers = chain.providers_of(ctx, &classes, profile, offering);
    (providers, chain.take_problems())
}
