//! Which questions to ask a vendor, and what each answer would move.
//!
//! For every offering and classification with an open hold ([`crate::outcome::open`], the same
//! computation as the brief's open questions; a no-go cell's holds are open too), the facts are
//! candidates. A fact already settled by evidence at least as strong as a questionnaire answer
//! cannot be moved by one (answers never override stronger evidence), so it is not asked. For
//! the others, the cell is evaluated again with each candidate answer added as a `questionnaire`
//! claim (each allowed value of an enumerated fact; for a number, the thresholds the selected
//! classes set) through the same [`evaluate_cell`] as `evaluate`. A question is kept when some
//! answer clears a hold; the rest are left out and counted.

use super::{AnswerForm, Question, unit};
use crate::evaluation::ProviderVerdicts;
use crate::evaluation::{Cell, Context, Prepared, Stopped, evaluate_cell};
use crate::model::policy::{Policy, Requirements};
use crate::model::profile::{Authority, Claim, Offering, Profile, Verification, value_text};
use crate::model::resolve::Status;
use crate::model::vocabulary::{
    CAIQ_VERSION, ValueType, caiq_refs, fact_spec, governing_requirements,
};
use crate::outcome::{Level, Verdict};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The questions, and how many were left out because no answer could move a verdict.
#[derive(Debug, Default, serde::Serialize)]
pub struct Asked {
    pub questions: Vec<Question>,
    /// `<vendor>.<fact>` of the facts that hold a review but that no answer could move.
    pub left_out: Vec<String>,
}

/// A candidate answer: the value, and how it reads in a sentence.
struct Candidate {
    value: Value,
    label: String,
}

/// What one candidate did in one held cell.
struct Effect {
    offering: String,
    class: String,
    label: String,
    /// The cell's verdict before the answer (hold, or no-go when something else blocks).
    from: Verdict,
    to: Verdict,
    /// The cell's verdict changed (not only this fact's holds cleared).
    moved: bool,
    /// The cell's verdict with this answer and the best answer to every other question of
    /// the cell, when that moves it and this answer alone does not.
    with_others: Option<Verdict>,
    rules: Vec<String>,
}

/// A cell that holds: its classification, the requirements there, and the evaluated cell.
type Held<'a> = (&'a String, &'a Requirements, Cell);

/// Builds the questions for the selected offerings at the selected classes.
pub fn ask(
    ctx: &Context,
    policy: &Policy,
    offerings: &[(&Profile, &Offering)],
    classes: &[String],
    providers: crate::evaluation::Lookup,
) -> Asked {
    let requirements: Vec<(&String, Requirements)> = classes
        .iter()
        .map(|c| (c, policy.requirements(c, ctx.tags)))
        .collect();
    // Per vendor, per fact: the reasons, the effects and what we have, in offering order.
    let mut by_fact: BTreeMap<(String, String), Gathered> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    // The providers' verdicts: what holds a provider holds the offerings built on it.
    let mut chain = crate::evaluation::Chain::new(providers);
    for (profile, offering) in offerings {
        let verdicts = chain.providers_of(ctx, &requirements, profile, offering);
        let prepared = Prepared::new(ctx, profile, offering, verdicts);
        let held = held_cells(ctx, &prepared, &requirements);
        // This offering's effects: (fact, answer, effect), distributed to the questions below.
        let mut local: Vec<(String, Value, Effect)> = Vec::new();
        for fact in held_facts(&held) {
            let key = (profile.id.clone(), fact.clone());
            if !by_fact.contains_key(&key) {
                order.push(key.clone());
            }
            let g = by_fact.entry(key).or_insert_with(|| Gathered {
                vendor_name: profile.name.clone(),
                ..Gathered::default()
            });
            if !answerable(&prepared, &fact) {
                continue;
            }
            let holding: Vec<(&String, Vec<String>)> = held
                .iter()
                .map(|(class, _, cell)| (*class, rules_holding_on(cell, &fact)))
                .filter(|(_, rules)| !rules.is_empty())
                .collect();
            for (class, rules) in &holding {
                g.why
                    .push((offering.id.clone(), (*class).clone(), rules.clone()));
            }
            g.have.push(have(&prepared, offering, &fact));
            let trial = Trial {
                ctx,
                profile,
                offering,
                providers: &prepared.providers,
                held: &held,
                holding: &holding,
            };
            for cand in candidates(&fact, &requirements) {
                local.extend(
                    trial
                        .effects(&fact, &cand)
                        .into_iter()
                        .map(|e| (fact.clone(), cand.value.clone(), e)),
                );
            }
        }
        with_others(
            ctx,
            profile,
            offering,
            &prepared.providers,
            &held,
            &mut local,
        );
        for (fact, _, effect) in local {
            if let Some(g) = by_fact.get_mut(&(profile.id.clone(), fact)) {
                g.effects.push(effect);
            }
        }
    }
    let mut asked = Asked::default();
    for key in order {
        let Some(g) = by_fact.remove(&key) else {
            continue;
        };
        let (vendor, fact) = key;
        if g.effects.is_empty() {
            asked.left_out.push(format!("{vendor}.{fact}"));
        } else {
            asked.questions.push(question(vendor, fact, &g));
        }
    }
    asked
}

/// The offering's cells with an open hold (whatever their verdict: a no-go cell's holds are
/// still unanswered, and the brief lists them), in class order.
fn held_cells<'a>(
    ctx: &Context,
    prepared: &Prepared,
    requirements: &'a [(&'a String, Requirements)],
) -> Vec<Held<'a>> {
    requirements
        .iter()
        .map(|(class, reqs)| {
            let cell = evaluate_cell(ctx, prepared, class, reqs, None, &Stopped::default());
            (*class, reqs, cell)
        })
        .filter(|(_, _, cell)| !crate::outcome::open::facts(&cell.result.findings).is_empty())
        .collect()
}

/// The facts the holds of the held cells cite, in first-cited order.
fn held_facts(held: &[Held]) -> Vec<String> {
    let mut facts: Vec<String> = Vec::new();
    for (_, _, cell) in held {
        for name in crate::outcome::open::facts(&cell.result.findings) {
            if !facts.contains(&name) {
                facts.push(name);
            }
        }
    }
    facts
}

/// Whether a questionnaire answer could change the fact: not when evidence at least as strong
/// already settles it (answers never override stronger evidence).
fn answerable(prepared: &Prepared, fact: &str) -> bool {
    match prepared.resolved.get(fact) {
        None => true,
        Some(r) => {
            r.resolved.status != Status::Known
                || r.resolved
                    .authority
                    .is_none_or(|a| a > Authority::Questionnaire)
        }
    }
}

/// One offering's held cells, and per class the rules that hold on the fact being tried.
struct Trial<'a> {
    ctx: &'a Context<'a>,
    profile: &'a Profile,
    offering: &'a Offering,
    providers: &'a Arc<ProviderVerdicts>,
    held: &'a [Held<'a>],
    holding: &'a [(&'a String, Vec<String>)],
}

impl Trial<'_> {
    /// What answering `fact` with `cand` does in each held cell where rules hold on the fact:
    /// the cell evaluated again with the answer, kept when it clears some of those rules.
    fn effects(&self, fact: &str, cand: &Candidate) -> Vec<Effect> {
        let changed = with_answer(self.offering, fact, &cand.value);
        let trial = Prepared::new(self.ctx, self.profile, &changed, Arc::clone(self.providers));
        let mut out = Vec::new();
        for (class, reqs, cell) in self.held {
            let Some((_, before)) = self.holding.iter().find(|(c, _)| c == class) else {
                continue;
            };
            let after = evaluate_cell(self.ctx, &trial, class, reqs, None, &Stopped::default());
            let still = rules_holding_on(&after, fact);
            let cleared: Vec<String> = before
                .iter()
                .filter(|r| !still.contains(r))
                .cloned()
                .collect();
            if cleared.is_empty() {
                continue;
            }
            out.push(Effect {
                offering: self.offering.id.clone(),
                class: (*class).clone(),
                label: cand.label.clone(),
                from: cell.result.verdict,
                to: after.result.verdict,
                moved: after.result.verdict != cell.result.verdict,
                with_others: None,
                rules: cleared,
            });
        }
        out
    }
}

/// The question for one vendor's fact, from what was gathered (which has effects).
fn question(vendor: String, fact: String, g: &Gathered) -> Question {
    let mut offerings: Vec<String> = Vec::new();
    for e in &g.effects {
        if !offerings.contains(&e.offering) {
            offerings.push(e.offering.clone());
        }
    }
    let many = offerings.len() > 1;
    let spec = fact_spec(&fact);
    Question {
        id: format!("{vendor}.{fact}"),
        vendor,
        vendor_name: g.vendor_name.clone(),
        question: spec.map_or_else(String::new, |s| s.question.to_string()),
        why: why_lines(&g.why, &offerings),
        moves: move_lines(&g.effects, many),
        have: g
            .have
            .iter()
            .filter(|(o, _)| offerings.contains(o))
            .map(|(o, text)| format!("{o}: {text}"))
            .collect(),
        form: AnswerForm::of(&fact),
        refs: caiq_refs(&fact),
        refs_standard: CAIQ_VERSION,
        offerings,
        fact,
    }
}

#[derive(Default)]
struct Gathered {
    vendor_name: String,
    /// (offering, class, rules holding on the fact)
    why: Vec<(String, String, Vec<String>)>,
    effects: Vec<Effect>,
    /// (offering, what the profile says)
    have: Vec<(String, String)>,
}

/// For answers that clear a hold without moving the cell (other questions still hold it): the
/// verdict once every other question of the cell gets the answer that leaves the cell best.
fn with_others(
    ctx: &Context,
    profile: &Profile,
    offering: &Offering,
    providers: &Arc<ProviderVerdicts>,
    held: &[(&String, &Requirements, Cell)],
    local: &mut [(String, Value, Effect)],
) {
    for (class, reqs, cell) in held {
        // The best answer per fact at this class.
        let mut best: Vec<(String, Value, Verdict)> = Vec::new();
        for (fact, value, e) in local.iter().filter(|(_, _, e)| &e.class == *class) {
            match best.iter_mut().find(|(f, _, _)| f == fact) {
                Some(b) if e.to < b.2 => *b = (fact.clone(), value.clone(), e.to),
                Some(_) => {}
                None => best.push((fact.clone(), value.clone(), e.to)),
            }
        }
        if best.len() < 2 {
            continue;
        }
        for (fact, value, e) in local.iter_mut() {
            if &e.class != *class || e.moved {
                continue;
            }
            let mut changed = with_answer(offering, fact, value);
            for (other, v, _) in &best {
                if other != fact {
                    changed = with_answer(&changed, other, v);
                }
            }
            let trial = Prepared::new(ctx, profile, &changed, Arc::clone(providers));
            let after = evaluate_cell(ctx, &trial, class, reqs, None, &Stopped::default());
            if after.result.verdict < cell.result.verdict {
                e.with_others = Some(after.result.verdict);
            }
        }
    }
}

/// The hold findings of a cell that decide its verdict (waived ones do not).
fn holds(cell: &Cell) -> impl Iterator<Item = &crate::outcome::Finding> {
    cell.result
        .findings
        .iter()
        .filter(|f| f.level == Level::Hold && f.waived.is_none())
}

/// The rules that hold in a cell citing `fact`.
fn rules_holding_on(cell: &Cell, fact: &str) -> Vec<String> {
    let mut rules: Vec<String> = holds(cell)
        .filter(|f| f.facts.iter().any(|(n, _)| n == fact))
        .map(|f| f.rule.clone())
        .collect();
    rules.dedup();
    rules
}

/// The offering with a verified `questionnaire` claim added to `fact`.
fn with_answer(offering: &Offering, fact: &str, value: &Value) -> Offering {
    let mut changed = offering.clone();
    let claim = Claim {
        value: value.clone(),
        source: Some("questionnaire".into()),
        authority: Authority::Questionnaire,
        section: None,
        quote: None,
        note: None,
        searched: Vec::new(),
        at: offering.at,
        quote_at: offering.at,
        searched_at: offering.at,
        verification: Verification::Verified,
        draft: false,
        exceptions: Vec::new(),
        applies_to: Vec::new(),
        allowed_if: None,
    };
    changed
        .facts
        .entry(fact.to_string())
        .or_insert_with(|| crate::model::profile::Fact {
            name: fact.to_string(),
            claims: Vec::new(),
            at: offering.at,
        })
        .claims
        .push(claim);
    changed
}

/// The answers worth trying for a fact under the selected classes.
fn candidates(fact: &str, requirements: &[(&String, Requirements)]) -> Vec<Candidate> {
    let Some(spec) = fact_spec(fact) else {
        return Vec::new();
    };
    let governing: Vec<&str> = governing_requirements(fact).collect();
    // The values the classes require of this fact, in class order, each once.
    let mut required: Vec<(&str, &Value)> = Vec::new();
    for (_, reqs) in requirements {
        for name in &governing {
            if let Some(v) = reqs.get(name)
                && !v.is_null()
                && !required.iter().any(|(n, r)| n == name && *r == v)
            {
                required.push((name, v));
            }
        }
    }
    let mut out: Vec<Candidate> = Vec::new();
    let mut push = |value: Value, label: String| {
        if !out.iter().any(|c| c.value == value) {
            out.push(Candidate { value, label });
        }
    };
    match spec.ty {
        ValueType::Enum(values) => {
            for v in values {
                push(json!(v), format!("the answer \"{v}\""));
            }
        }
        ValueType::EnumList(values) => {
            for v in values {
                push(json!([v]), format!("the answer \"{v}\""));
            }
        }
        ValueType::Count | ValueType::CountOr(_) => {
            let unit = unit(fact);
            for (name, v) in &required {
                let Some(n) = v.as_u64() else { continue };
                if name.starts_with("max_") && n == 0 {
                    push(json!(n), format!("a commitment of 0 {unit} (nothing kept)"));
                } else if name.starts_with("max_") {
                    push(json!(n), format!("a commitment of {n} {unit} or less"));
                } else if name.starts_with("min_") {
                    push(json!(n), format!("a commitment of {n} {unit} or more"));
                }
            }
        }
        ValueType::TextList => {
            for (_, v) in &required {
                for item in v.as_array().into_iter().flatten() {
                    if let Some(s) = item.as_str() {
                        push(json!([s]), format!("the answer \"{s}\""));
                    }
                }
            }
        }
        ValueType::Certifications => {
            for (_, v) in &required {
                let names: Vec<&str> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                if !names.is_empty() {
                    let certs: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
                    push(
                        Value::Array(certs),
                        format!("current {}", names.join(" and ")),
                    );
                }
            }
        }
        ValueType::Bool => {
            push(json!(true), "the answer \"true\"".into());
            push(json!(false), "the answer \"false\"".into());
        }
    }
    out
}

/// What the profile says about a fact on an offering, in one line.
fn have(prepared: &Prepared, offering: &Offering, fact: &str) -> (String, String) {
    let text = match prepared.resolved.get(fact) {
        None => "nothing stated".to_string(),
        Some(r) => {
            let status = match r.resolved.status {
                Status::Known => "known",
                Status::Unknown => "unknown",
                Status::Conflicting => "conflicting",
                Status::NotStated => "not stated (the documents searched are silent)",
            };
            let claims: Vec<String> = r
                .evidence
                .iter()
                .map(|e| {
                    let mut s = format!("{} ({}", value_text(&e.value), e.authority.as_str());
                    if let Some(src) = e.title.as_deref().or(e.source.as_deref()) {
                        s.push_str(&format!(": {src}"));
                    }
                    if let Some(sec) = &e.section {
                        s.push_str(&format!(", section {sec}"));
                    }
                    s.push_str(&format!("; {})", e.role.as_str()));
                    s
                })
                .collect();
            if claims.is_empty() {
                status.to_string()
            } else {
                format!("{status}: {}", claims.join("; "))
            }
        }
    };
    (offering.id.clone(), text)
}

/// "breach-notification at confidential, restricted" (with the offering when several).
fn why_lines(why: &[(String, String, Vec<String>)], offerings: &[String]) -> Vec<String> {
    let many = offerings.len() > 1;
    // rule -> offering -> classes
    let mut grouped: Vec<(String, String, Vec<String>)> = Vec::new();
    for (offering, class, rules) in why {
        if !offerings.contains(offering) {
            continue;
        }
        for rule in rules {
            match grouped
                .iter_mut()
                .find(|(r, o, _)| r == rule && o == offering)
            {
                Some((_, _, classes)) => classes.push(class.clone()),
                None => grouped.push((rule.clone(), offering.clone(), vec![class.clone()])),
            }
        }
    }
    grouped
        .into_iter()
        .map(|(rule, offering, classes)| {
            let on = if many {
                format!(" ({offering})")
            } else {
                String::new()
            };
            format!("{rule} holds at {}{on}", classes.join(", "))
        })
        .collect()
}

/// "a commitment of 72 hours or less moves confidential from hold to go", grouped by answer.
fn move_lines(effects: &[Effect], many: bool) -> Vec<String> {
    // (label, offering, moved, to, rules) -> classes
    let mut grouped: Vec<(&Effect, Vec<&str>)> = Vec::new();
    for e in effects {
        match grouped.iter_mut().find(|(g, _)| {
            g.label == e.label
                && g.offering == e.offering
                && g.moved == e.moved
                && g.from == e.from
                && g.to == e.to
                && g.with_others == e.with_others
                && g.rules == e.rules
        }) {
            Some((_, classes)) => classes.push(&e.class),
            None => grouped.push((e, vec![&e.class])),
        }
    }
    grouped
        .into_iter()
        .map(|(e, classes)| {
            let on = if many {
                format!(" for {}", e.offering)
            } else {
                String::new()
            };
            let classes = classes.join(", ");
            if e.moved {
                format!(
                    "{} moves {classes} from {} to {}{on}",
                    e.label,
                    e.from.as_str(),
                    e.to.as_str()
                )
            } else if let Some(v) = e.with_others {
                format!(
                    "{} moves {classes} from {} to {}{on}, once the other questions are answered as required",
                    e.label,
                    e.from.as_str(),
                    v.as_str()
                )
            } else if e.from == Verdict::Hold {
                format!(
                    "{} clears the hold of {} at {classes}{on} (other questions still hold it)",
                    e.label,
                    e.rules.join(", ")
                )
            } else {
                format!(
                    "{} clears the hold of {} at {classes}{on} (the verdict stays {}: other findings decide it)",
                    e.label,
                    e.rules.join(", "),
                    e.from.as_str()
                )
            }
        })
        .collect()
}
