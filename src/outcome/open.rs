//! What is still open in one cell: the one computation behind the brief's "Questions still
//! open", the facts `questions` tries answers for, and what a report calls open. An unwaived
//! hold is open whatever the cell's verdict (a no-go cell's holds are still unanswered); a hold
//! citing facts of the vocabulary is a question for the vendor about each fact, the first such
//! hold's action saying what to ask; a hold citing none is a task for the reviewer.

use super::{Finding, Level};
use crate::model::vocabulary::fact_spec;

/// One open item, in first-raised order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Open {
    /// A fact to ask the vendor about, and what the first hold on it says to ask.
    Question { fact: String, ask: String },
    /// A hold no vendor answer can settle (no vocabulary fact): what the reviewer must do.
    Task(String),
}

/// The open items of a cell's findings, each fact and each task once.
pub fn items(findings: &[Finding]) -> Vec<Open> {
    let mut out: Vec<Open> = Vec::new();
    // Per item: whether its text comes from a hold citing its fact alone.
    let mut exact: Vec<bool> = Vec::new();
    for f in findings
        .iter()
        .filter(|f| f.level == Level::Hold && f.waived.is_none())
    {
        let text = f
            .action
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(|a| a.strip_prefix("Ask the vendor: ").unwrap_or(a).to_string())
            .unwrap_or_else(|| f.message.clone());
        let facts: Vec<&str> = f
            .facts
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| fact_spec(n).is_some())
            .collect();
        if facts.is_empty() {
            let task = Open::Task(text);
            if !out.contains(&task) {
                out.push(task);
                exact.push(true);
            }
            continue;
        }
        let only = facts.len() == 1;
        for fact in facts {
            let at = out
                .iter()
                .position(|o| matches!(o, Open::Question { fact: f, .. } if f == fact));
            match at {
                None => {
                    out.push(Open::Question {
                        fact: fact.to_string(),
                        ask: text.clone(),
                    });
                    exact.push(only);
                }
                // The hold of the rule about this fact alone says best what to ask about it
                // (another rule's hold may cite it beside its own fact).
                Some(i) if only && !exact[i] => {
                    out[i] = Open::Question {
                        fact: fact.to_string(),
                        ask: text.clone(),
                    };
                    exact[i] = true;
                }
                Some(_) => {}
            }
        }
    }
    out
}

/// The facts to ask the vendor about, in first-raised order.
pub fn facts(findings: &[Finding]) -> Vec<String> {
    items(findings)
        .into_iter()
        .filter_map(|o| match o {
            Open::Question { fact, .. } => Some(fact),
            Open::Task(_) => None,
        })
        .collect()
}
