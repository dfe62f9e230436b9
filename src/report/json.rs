//! `--format json`: the stable machine contract (see DESIGN.md), and the form of one result
//! that `--format jsonl` writes per line.
//!
//! Version 2 (the default) lists each result's evidence once, in `evidence` (`{"e1": {...}}`,
//! numbered in the order the findings first cite them), and each finding refers to it by id
//! (`"evidence": ["e1"]`). Version 1 (`--json-schema-version 1`, kept for one release) copies
//! the evidence into every finding that cites it.

use crate::diag::Diagnostic;
use crate::model::resolved::Evidence;
use crate::outcome::{DecisionNote, Evaluation, Finding, OfferingResult, RuleError, Verdict};
use serde::Serialize;
use serde::ser::SerializeMap;
use std::collections::{BTreeMap, HashMap};

/// The version of the JSON contract a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SchemaVersion {
    /// Evidence copied into every finding (the form before version 2; kept for one release)
    #[value(name = "1")]
    V1,
    /// Each result's evidence listed once; findings refer to it by id
    #[value(name = "2")]
    #[default]
    V2,
}

/// The evaluation as pretty JSON. Serialization cannot fail for these types; if it ever did,
/// the run must fail rather than print an empty document.
pub fn render(eval: &Evaluation, version: SchemaVersion) -> Result<Vec<u8>, Diagnostic> {
    let text = match version {
        SchemaVersion::V1 => serde_json::to_string_pretty(eval),
        SchemaVersion::V2 => serde_json::to_string_pretty(&DocumentV2::of(eval)),
    }
    .map_err(|e| {
        Diagnostic::error(format!("cannot serialize the evaluation as JSON: {e}"))
            .hint("this is a bug in diligence: please report it with the workspace")
    })?;
    // Without a bidi control (nearly always) the text is kept, not copied: a large portfolio's
    // JSON is held once.
    let mut out = match super::sanitize::json_text(&text) {
        std::borrow::Cow::Borrowed(_) => text.into_bytes(),
        std::borrow::Cow::Owned(escaped) => escaped.into_bytes(),
    };
    out.push(b'\n');
    Ok(out)
}

/// One result as compact JSON, as a jsonl line holds it (a version 2 line says its version).
pub fn result_line(result: &OfferingResult, version: SchemaVersion) -> serde_json::Result<String> {
    match version {
        SchemaVersion::V1 => serde_json::to_string(result),
        SchemaVersion::V2 => serde_json::to_string(&ResultV2::of(result, true)),
    }
}

/// The document of version 2: the version first, then the fields of version 1.
#[derive(Serialize)]
struct DocumentV2<'a> {
    schema_version: u32,
    policy: &'a str,
    organization: &'a str,
    generated: &'a str,
    today: &'a str,
    classifications: &'a [String],
    rules: &'a [String],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    rule_refs: &'a BTreeMap<String, std::sync::Arc<[String]>>,
    results: Vec<ResultV2<'a>>,
    warnings: Vec<String>,
}

impl<'a> DocumentV2<'a> {
    fn of(eval: &'a Evaluation) -> DocumentV2<'a> {
        DocumentV2 {
            schema_version: 2,
            policy: &eval.policy,
            organization: &eval.organization,
            generated: &eval.generated,
            today: &eval.today,
            classifications: &eval.classifications,
            rules: &eval.rules,
            rule_refs: &eval.rule_refs,
            results: eval
                .results
                .iter()
                .map(|r| ResultV2::of(r, false))
                .collect(),
            warnings: eval.warnings.iter().map(Diagnostic::report_line).collect(),
        }
    }
}

/// A result of version 2: the fields of version 1 in the same order, findings citing evidence
/// by id, and the result's evidence table last.
#[derive(Serialize)]
struct ResultV2<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_version: Option<u32>,
    vendor: &'a str,
    vendor_name: &'a str,
    offering: &'a str,
    offering_name: &'a str,
    tier: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor_notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offering_notes: Option<&'a str>,
    classification: &'a str,
    tags: &'a [String],
    verdict: Verdict,
    findings: Vec<FindingV2<'a>>,
    #[serde(skip_serializing_if = "<[RuleError]>::is_empty")]
    errors: &'a [RuleError],
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'a DecisionNote>,
    evidence: Table<'a>,
}

#[derive(Serialize)]
struct FindingV2<'a> {
    rule: &'a str,
    level: crate::outcome::Level,
    message: &'a str,
    action: &'a Option<String>,
    waived: &'a Option<crate::outcome::WaiverInfo>,
    refs: &'a [String],
    facts: Facts<'a>,
    evidence: Vec<String>,
    raised_at: &'a str,
}

/// The cited facts as an object, as in version 1.
struct Facts<'a>(&'a [(String, serde_json::Value)]);

impl Serialize for Facts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

/// A result's evidence, each once, by id.
struct Table<'a>(Vec<&'a Evidence>);

impl Serialize for Table<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (i, e) in self.0.iter().enumerate() {
            map.serialize_entry(&id(i), e)?;
        }
        map.end()
    }
}

fn id(index: usize) -> String {
    format!("e{}", index + 1)
}

impl<'a> ResultV2<'a> {
    fn of(r: &'a OfferingResult, with_version: bool) -> ResultV2<'a> {
        // Findings of one offering share their evidence (the same `Arc`): one entry each.
        let mut table: Vec<&Evidence> = Vec::new();
        let mut ids: HashMap<*const Evidence, usize> = HashMap::new();
        let findings = r
            .findings
            .iter()
            .map(|f: &'a Finding| FindingV2 {
                rule: &f.rule,
                level: f.level,
                message: &f.message,
                action: &f.action,
                waived: &f.waived,
                refs: &f.refs,
                facts: Facts(&f.facts),
                evidence: f
                    .evidence
                    .iter()
                    .map(|e| {
                        id(*ids.entry(std::sync::Arc::as_ptr(e)).or_insert_with(|| {
                            table.push(e.as_ref());
                            table.len() - 1
                        }))
                    })
                    .collect(),
                raised_at: &f.raised_at,
            })
            .collect();
        ResultV2 {
            schema_version: with_version.then_some(2),
            vendor: &r.vendor,
            vendor_name: &r.vendor_name,
            offering: &r.offering,
            offering_name: &r.offering_name,
            tier: &r.tier,
            vendor_notes: r.vendor_notes.as_deref(),
            offering_notes: r.offering_notes.as_deref(),
            classification: &r.classification,
            tags: &r.tags,
            verdict: r.verdict,
            findings,
            errors: &r.errors,
            decision: r.decision.as_ref(),
            evidence: Table(table),
        }
    }
}
