//! A pass rests on evidence: a rule's pass whose deciding fact no verified quote backs (a bare
//! value, or a third-party lead with no archived copy) says so, and becomes a hold where the
//! policy requires verified evidence (`verified_evidence`). A reviewer reading "does not train
//! on inputs" must see whether a document says it or only the profile's author.

use crate::engine::facts::FactTable;
use crate::model::policy::Requirements;
use crate::model::profile::Verification;
use crate::model::vocabulary::fact_spec;
use crate::outcome::{Finding, Level};
use serde_json::Value;

/// The finding, qualified when it is a pass that rests on no verified quote.
pub fn qualify(mut finding: Finding, table: &FactTable, requirements: &Requirements) -> Finding {
    if finding.level != Level::Pass {
        return finding;
    }
    let unbacked: Vec<&str> = finding
        .facts
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, _)| name.as_str())
        .filter(|name| !rests_on_a_verified_quote(table, name))
        .collect();
    if unbacked.is_empty() {
        return finding;
    }
    let names = unbacked.join(", ");
    let required = requirements.get("verified_evidence") == Some(&Value::Bool(true));
    if required {
        finding.level = Level::Hold;
        finding.message = format!(
            "{} But no verified quote backs {names} (a bare value), and this classification requires verified evidence.",
            finding.message
        );
        let question = unbacked
            .iter()
            .filter_map(|n| fact_spec(n))
            .map(|s| s.question)
            .collect::<Vec<_>>()
            .join(" ");
        finding.action = Some(
            format!(
                "Add the clause that states {names} (source, section and verbatim quote) to the profile, or ask the vendor: {question}"
            )
            .trim_end()
            .to_string(),
        );
    } else {
        finding.message = format!(
            "{} (no verified quote backs {names}: a bare value)",
            finding.message
        );
    }
    finding
}

/// Whether some deciding claim of the fact has a quote verified against its source.
fn rests_on_a_verified_quote(table: &FactTable, name: &str) -> bool {
    let Some(fact) = table.resolved.get(name) else {
        return true; // not a fact of the profile (e.g. a custom name): nothing to say
    };
    fact.evidence
        .iter()
        .zip(&fact.verification)
        .any(|(e, v)| e.is_deciding() && *v == Verification::Verified)
}
