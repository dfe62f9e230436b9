//! Evidence checks: built-in rules about the evidence itself rather than about a vendor's
//! terms. They look at every fact of an offering (which a script would have to loop over, at
//! two thirds of the evaluation time), so what they need is computed once per offering; each
//! cell then only decides, from the requirements in force, whether a problem holds the review
//! or is a note. A policy turns them on by id under `evidence_checks:`.

use crate::engine::RawFinding;
use crate::engine::facts::to_dynamic;
use crate::model::checks::Check;
use crate::model::policy::{Policy, Requirements};
use crate::model::profile::Authority;
use crate::model::resolve::{Role, Status};
use crate::model::resolved::{Evidence, ResolvedOffering};
use crate::model::vocabulary::fact_spec;
use crate::outcome::Level;

/// The question to ask about a fact (custom facts have none in the vocabulary).
fn question(fact: &str) -> &'static str {
    fact_spec(fact).map_or("what applies to this offering?", |f| f.question)
}

/// A value as a rule would have printed it (`${value}` in Rhai), so that messages read the
/// same whether a script or the engine raises them.
fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => to_dynamic(other).map_or_else(|_| other.to_string(), |d| d.to_string()),
    }
}

fn title(e: &Evidence) -> String {
    e.title
        .clone()
        .or_else(|| e.source.clone())
        .unwrap_or_else(|| "an unsupported value".to_string())
}

fn finding(level: Level, message: String, action: Option<String>, fact: &str) -> RawFinding {
    RawFinding {
        level,
        message,
        action,
        facts: vec![fact.to_string()],
        line: 0,
        about: None,
    }
}

/// Runs one check on one offering at one classification. `decisive` lists the facts a
/// requirement in force depends on (computed once per cell by the caller).
pub fn run(
    check: &Check,
    resolved: &ResolvedOffering,
    policy: &Policy,
    requirements: &Requirements,
    decisive: &[&str],
) -> Vec<RawFinding> {
    let decisive = |name: &str| decisive.contains(&name);
    let on = |key: &str| requirements.get(key) == Some(&serde_json::Value::Bool(true));
    match check.id {
        "stale-evidence" => match policy.evidence_max_age_days {
            Some(max_age) => stale(resolved, max_age, &decisive),
            None => Vec::new(),
        },
        "third-party-evidence-only" if on("first_party_evidence") => {
            weak(resolved, Authority::ThirdParty, &decisive)
        }
        "unsupported-values" if on("verified_evidence") || on("first_party_evidence") => {
            weak(resolved, Authority::Unsupported, &decisive)
        }
        "evidence-disagreement" => disagreement(resolved, &decisive),
        "missing-documents" => missing_documents(resolved),
        _ => Vec::new(),
    }
}

/// One warning per document cited but not obtained, asking for it by title and URL.
fn missing_documents(resolved: &ResolvedOffering) -> Vec<RawFinding> {
    resolved
        .missing_documents
        .iter()
        .map(|d| {
            let at = d.url.as_deref().map(|u| format!(" at {u}")).unwrap_or_default();
            RawFinding {
                level: Level::Warn,
                message: format!(
                    "\"{}\" is incorporated by reference but has not been obtained: what it says is not known.",
                    d.title
                ),
                action: Some(format!(
                    "Ask the vendor for \"{}\"{at}, archive it with `diligence snapshot`, and review the facts it states.",
                    d.title
                )),
                facts: Vec::new(),
                line: 0,
                about: Some(d.at.clone()),
            }
        })
        .collect()
}

fn stale(
    resolved: &ResolvedOffering,
    max_age: i64,
    decisive: &dyn Fn(&str) -> bool,
) -> Vec<RawFinding> {
    let mut out = Vec::new();
    for (name, fact) in &resolved.facts {
        if fact.resolved.stale {
            let sources: Vec<String> = fact
                .evidence
                .iter()
                .zip(fact.stale_claims.iter().zip(&fact.retrieved))
                .filter(|(e, (stale, _))| e.is_deciding() && **stale)
                .map(|(e, (_, date))| {
                    let date = date.map_or_else(|| "()".to_string(), |d| d.to_string());
                    format!("{} (retrieved {date})", title(e))
                })
                .collect();
            out.push(if decisive(name) {
                finding(
                    Level::Hold,
                    format!(
                        "{name} rests on evidence retrieved more than {max_age} days ago: {}.",
                        sources.join(", ")
                    ),
                    Some("Re-check the document: archive a fresh snapshot, confirm or update the quote, and record the new retrieval date.".into()),
                    name,
                )
            } else {
                finding(
                    Level::Info,
                    format!("{name} rests on evidence retrieved more than {max_age} days ago (not decisive at this classification)."),
                    Some("Re-check the document at the next review.".into()),
                    name,
                )
            });
            continue;
        }
        if !decisive(name) {
            continue;
        }
        for (e, date) in fact.evidence.iter().zip(&fact.retrieved) {
            if e.role == Role::Decides
                && e.source.is_some()
                && e.authority.is_first_party()
                && date.is_none()
            {
                out.push(finding(
                    Level::Warn,
                    format!("{name}: {} has no retrieval date, so its age cannot be checked.", title(e)),
                    Some(format!(
                        "Record when the snapshot of source {} was taken (retrieved: YYYY-MM-DD), or archive a fresh one.",
                        e.source.as_deref().unwrap_or("")
                    )),
                    name,
                ));
            }
        }
    }
    out
}

/// Facts decided only by a weak authority (third party, or a bare value).
fn weak(
    resolved: &ResolvedOffering,
    authority: Authority,
    decisive: &dyn Fn(&str) -> bool,
) -> Vec<RawFinding> {
    let third_party = authority == Authority::ThirdParty;
    resolved
        .facts
        .iter()
        .filter(|(_, f)| f.resolved.authority == Some(authority))
        .map(|(name, _)| match (decisive(name), third_party) {
            (true, true) => finding(
                Level::Hold,
                format!("{name} is known only from a third-party analysis."),
                Some(format!("Find the clause in the vendor's own terms, DPA or documentation and add it to the profile, or ask the vendor: {}", question(name))),
                name,
            ),
            (false, true) => finding(
                Level::Info,
                format!("{name} is known only from a third-party analysis (not decisive at this classification)."),
                Some("Confirm it in the vendor's own documents before relying on it.".into()),
                name,
            ),
            (true, false) => finding(
                Level::Hold,
                format!("{name} is an unsupported value: no document backs it."),
                Some(format!("Add the clause that states it (source, section and verbatim quote) to the profile, or ask the vendor: {}", question(name))),
                name,
            ),
            (false, false) => finding(
                Level::Info,
                format!("{name} is an unsupported value (not decisive at this classification)."),
                Some("Add the clause that states it to the profile before relying on it.".into()),
                name,
            ),
        })
        .collect()
}

/// "Perplexity API Terms of Service §2.3.3", or the title alone.
fn cited(e: &Evidence) -> String {
    match &e.section {
        Some(s) => format!("{} §{s}", title(e)),
        None => title(e),
    }
}

fn disagreement(resolved: &ResolvedOffering, decisive: &dyn Fn(&str) -> bool) -> Vec<RawFinding> {
    let mut out = Vec::new();
    for (name, fact) in &resolved.facts {
        if fact.resolved.status == Status::Conflicting {
            let sides: Vec<String> = fact
                .evidence
                .iter()
                .filter(|e| e.role == Role::Conflicts)
                .map(|e| {
                    let quote = e
                        .quote
                        .as_deref()
                        .map(|q| format!(": \"{q}\""))
                        .unwrap_or_default();
                    format!("{} says {}{quote}", cited(e), shown(&e.value))
                })
                .collect();
            let sides = sides.join("; ");
            out.push(if decisive(name) {
                finding(
                    Level::Hold,
                    format!("{name}: sources of equal authority disagree. {sides}."),
                    Some("Ask the vendor which statement applies to this offering, record the answer as a signed or contract source, and update the profile.".into()),
                    name,
                )
            } else {
                finding(
                    Level::Warn,
                    format!("{name}: sources of equal authority disagree (not decisive at this classification). {sides}."),
                    Some("Ask the vendor which statement applies before relying on this fact.".into()),
                    name,
                )
            });
            continue;
        }
        let Some(winner) = fact.evidence.iter().find(|e| e.role == Role::Decides) else {
            continue;
        };
        for e in fact.evidence.iter().filter(|e| e.role == Role::Outvoted) {
            out.push(finding(
                Level::Info,
                format!(
                    "{name}: {} ({}) says {}; {} ({}) says {}, which prevails.",
                    title(e),
                    e.authority.as_str(),
                    shown(&e.value),
                    cited(winner),
                    winner.authority.as_str(),
                    shown(&winner.value)
                ),
                None,
                name,
            ));
        }
    }
    out
}
