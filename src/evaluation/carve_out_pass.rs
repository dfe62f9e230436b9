//! A pass rests on the whole clause: a rule's pass on a fact whose deciding claim carries
//! quoted carve-outs (`exceptions:`, "in rare circumstances ... immediately") names them and is
//! at most a condition, unless the rule read the carve-outs itself (`exceptions(name)`) and so
//! decided what they mean. A reviewer reading "30 days' notice" must see the "except" too.

use crate::engine::facts::FactTable;
use crate::outcome::{Finding, Level};

/// The finding, made a condition naming the carve-outs when it is a pass that rests on a claim
/// with carve-outs the rule did not read.
pub fn qualify(mut finding: Finding, table: &FactTable, read: &[String]) -> Finding {
    if finding.level != Level::Pass {
        return finding;
    }
    let mut carve_outs: Vec<String> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (name, _) in &finding.facts {
        if read.iter().any(|r| r == name) {
            continue;
        }
        let Some(fact) = table.resolved.get(name) else {
            continue;
        };
        for e in fact.evidence.iter().filter(|e| e.is_deciding()) {
            for x in &e.exceptions {
                let doc = e
                    .title
                    .as_deref()
                    .or(e.source.as_deref())
                    .unwrap_or("the terms");
                let at = x
                    .section
                    .as_deref()
                    .or(e.section.as_deref())
                    .map(|s| format!(" §{s}"))
                    .unwrap_or_default();
                let text = format!("\"{}\" ({doc}{at})", x.quote);
                if !carve_outs.contains(&text) {
                    carve_outs.push(text);
                }
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
    }
    if carve_outs.is_empty() {
        return finding;
    }
    finding.level = Level::Condition;
    finding.message = format!(
        "{} Except: {}.",
        finding.message.trim_end(),
        carve_outs.join("; ")
    );
    finding.action = Some(format!(
        "Read the carve-out of {}: decide whether it can apply to our use, and have it narrowed in the order form or accept it in writing (a waiver records the decision).",
        names.join(", ")
    ));
    finding
}
