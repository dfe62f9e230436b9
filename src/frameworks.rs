//! Framework mapping: which clauses of which frameworks the rules, the evidence checks and the
//! fact questions evidence, and, for an evaluated offering, each clause's state.
//!
//! The references themselves live with what they describe (a rule's `//! refs:` header, a
//! check's table entry, the fact table in `model::vocabulary::frameworks`); this module only
//! gathers them, and reads an evaluation's results against them. It never evaluates itself:
//! the states come from the results of the one evaluation path.

use crate::evaluation::Context;
use crate::model::resolved::{Evidence, ResolvedOffering};
use crate::model::vocabulary::fact_spec;
use crate::model::vocabulary::frameworks::{
    CLAUSES, FACT_REFS, FACTS_WITHOUT_REFS, FRAMEWORKS, Framework, Reference, cites,
};
use crate::outcome::{Finding, Level, OfferingResult, Verdict};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The ids of the rules (of `rule_refs`) that cite `framework`.
pub fn rules_citing(
    rule_refs: &BTreeMap<String, Arc<[String]>>,
    framework: &Framework,
) -> BTreeSet<String> {
    rule_refs
        .iter()
        .filter(|(_, refs)| refs.iter().any(|r| cites(r, framework)))
        .map(|(id, _)| id.clone())
        .collect()
}

/// Keeps the findings and failures of `rules` only; the verdict is then theirs.
pub fn keep_rules(result: &mut OfferingResult, rules: &BTreeSet<String>) {
    result.findings.retain(|f| rules.contains(&f.rule));
    result.errors.retain(|e| rules.contains(&e.rule));
    result.verdict = if result.errors.is_empty() {
        Verdict::of(&result.findings)
    } else {
        Verdict::Error
    };
}

/// One clause and what evidences it.
#[derive(Debug, Clone, Serialize)]
pub struct Mapped {
    /// The framework's id (`gdpr`).
    pub framework: &'static str,
    /// As reports cite it: `GDPR Art. 28(3)(g)`.
    pub reference: String,
    pub clause: String,
    pub title: Option<&'static str>,
    /// Whether diligence knows the clause (false: only a rule cites it; check its number).
    pub catalogued: bool,
    /// Rules and evidence checks that cite it.
    pub rules: Vec<String>,
    /// Facts whose question evidences it.
    pub facts: Vec<&'static str>,
}

/// A rule that cites no clause, and why (when its header says).
#[derive(Debug, Clone, Serialize)]
pub struct Unmapped {
    pub rule: String,
    pub reason: Option<String>,
}

/// The whole mapping: every clause (the catalogue's, then any other a rule cites), and the
/// rules that cite none.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    pub clauses: Vec<Mapped>,
    pub rules_without_refs: Vec<Unmapped>,
    /// Facts whose question evidences no clause, with the reason.
    pub facts_without_refs: Vec<FactWithoutRefs>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactWithoutRefs {
    pub fact: &'static str,
    pub reason: &'static str,
}

impl Mapping {
    /// The mapping of the rules and checks `ctx` runs, limited to `only` when given.
    pub fn build(ctx: &Context, only: Option<&Framework>) -> Mapping {
        let wanted = |f: &Framework| only.is_none_or(|o| o == f);
        let mut clauses: Vec<Mapped> = CLAUSES
            .iter()
            .filter_map(|c| {
                let framework = FRAMEWORKS.iter().find(|f| f.id == c.framework)?;
                wanted(framework).then(|| Mapped {
                    framework: framework.id,
                    reference: format!("{} {}", framework.name, c.clause),
                    clause: c.clause.to_string(),
                    title: c.title,
                    catalogued: true,
                    rules: Vec::new(),
                    facts: Vec::new(),
                })
            })
            .collect();
        let mut add = |reference: &str, rule: Option<&str>, fact: Option<&'static str>| {
            let Ok(parsed) = Reference::parse(reference) else {
                return;
            };
            if !wanted(parsed.framework) {
                return;
            }
            let text = parsed.text();
            let i = match clauses.iter().position(|m| m.reference == text) {
                Some(i) => i,
                None => {
                    clauses.push(Mapped {
                        framework: parsed.framework.id,
                        reference: text,
                        clause: parsed.clause.clone(),
                        title: None,
                        catalogued: false,
                        rules: Vec::new(),
                        facts: Vec::new(),
                    });
                    clauses.len() - 1
                }
            };
            if let Some(rule) = rule.filter(|r| !clauses[i].rules.iter().any(|x| x == r)) {
                clauses[i].rules.push(rule.to_string());
            }
            if let Some(fact) = fact.filter(|f| !clauses[i].facts.contains(f)) {
                clauses[i].facts.push(fact);
            }
        };
        for (rule, refs) in ctx.rule_refs() {
            for r in refs.iter() {
                add(r, Some(&rule), None);
            }
        }
        for (fact, refs) in FACT_REFS {
            for r in *refs {
                add(r, None, Some(fact));
            }
        }
        // Clauses a rule cites outside the catalogue come after it, by framework then clause.
        let catalogued = CLAUSES.len();
        let order = |m: &Mapped| FRAMEWORKS.iter().position(|f| f.id == m.framework);
        if clauses.len() > catalogued {
            clauses[catalogued..].sort_by(|a, b| (order(a), &a.clause).cmp(&(order(b), &b.clause)));
        }
        clauses.sort_by_key(order);
        Mapping {
            clauses,
            rules_without_refs: ctx
                .rules_without_refs()
                .into_iter()
                .map(|(rule, reason)| Unmapped { rule, reason })
                .collect(),
            facts_without_refs: FACTS_WITHOUT_REFS
                .iter()
                .map(|(fact, reason)| FactWithoutRefs { fact, reason })
                .collect(),
        }
    }
}

/// Where a clause stands for one offering at one classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Quoted claims or passed rules evidence it, and nothing fails or holds.
    Evidenced,
    /// Nothing evaluated says anything about it (no rule cited it here, no fact of it known).
    NotAssessed,
    /// A question is outstanding: a rule holds, or a fact of it is unknown.
    Open,
    /// A rule that cites it blocks or sets a condition.
    Failing,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Evidenced => "evidenced",
            State::NotAssessed => "not-assessed",
            State::Open => "open",
            State::Failing => "failing",
        }
    }
}

/// A question to ask: a fact of the clause that is unknown.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub fact: &'static str,
    pub question: &'static str,
}

/// One clause's state for one offering at one classification, with what decides it.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseState {
    pub reference: String,
    pub title: Option<&'static str>,
    pub state: State,
    /// The findings of the rules that cite the clause (passes left out).
    pub findings: Vec<Finding>,
    /// The deciding claims of its facts, and of the facts its rules' passes cite.
    pub claims: Vec<Arc<Evidence>>,
    /// Its facts that are unknown, with the question to ask.
    pub questions: Vec<Question>,
}

/// Every clause of the mapping for one evaluated offering at one classification.
#[derive(Debug, Clone, Serialize)]
pub struct OfferingStates {
    pub vendor: String,
    pub offering: String,
    pub classification: String,
    pub verdict: Verdict,
    pub clauses: Vec<ClauseState>,
}

/// Reads one result (and its offering's resolved facts) against the mapping.
pub fn states(
    mapping: &Mapping,
    result: &OfferingResult,
    resolved: &ResolvedOffering,
) -> OfferingStates {
    let clauses = mapping
        .clauses
        .iter()
        .map(|m| clause_state(m, result, resolved))
        .collect();
    OfferingStates {
        vendor: result.vendor.clone(),
        offering: result.offering.clone(),
        classification: result.classification.clone(),
        verdict: result.verdict,
        clauses,
    }
}

fn clause_state(m: &Mapped, result: &OfferingResult, resolved: &ResolvedOffering) -> ClauseState {
    let of_rules: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| m.rules.contains(&f.rule))
        .collect();
    let worst = of_rules
        .iter()
        .filter(|f| f.waived.is_none())
        .map(|f| f.level)
        .max()
        .unwrap_or(Level::Pass);
    let mut claims: Vec<Arc<Evidence>> = Vec::new();
    let mut keep = |e: &Arc<Evidence>| {
        if e.is_deciding() && !claims.iter().any(|c| c.at == e.at) {
            claims.push(Arc::clone(e));
        }
    };
    let mut questions = Vec::new();
    for fact in &m.facts {
        match resolved.get(fact) {
            Some(f) if resolved.value(fact).is_some() => f.evidence.iter().for_each(&mut keep),
            _ => questions.push(Question {
                fact,
                question: fact_spec(fact).map_or("", |s| s.question),
            }),
        }
    }
    for f in of_rules.iter().filter(|f| f.level == Level::Pass) {
        f.evidence.iter().for_each(&mut keep);
    }
    let passed = of_rules.iter().any(|f| f.level == Level::Pass);
    let state = match worst {
        Level::Block | Level::Condition => State::Failing,
        Level::Hold => State::Open,
        _ if !claims.is_empty() || passed => State::Evidenced,
        _ if !questions.is_empty() => State::Open,
        _ => State::NotAssessed,
    };
    ClauseState {
        reference: m.reference.clone(),
        title: m.title,
        state,
        findings: of_rules
            .into_iter()
            .filter(|f| f.level != Level::Pass)
            .cloned()
            .collect(),
        claims,
        questions,
    }
}
