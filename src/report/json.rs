//! `--format json`: the stable machine contract (see DESIGN.md), and the form of one offering
//! that `--format jsonl` writes per line.
//!
//! Version 3 (the default) holds each offering once: its results (one per classification: the
//! verdict and the indexes of its findings), its distinct findings once, the claims they cite
//! once (`evidence`), each source's metadata once (`sources`), and each rule's framework
//! references once (`rule_refs`, the document's in `--format json`, the line's in `jsonl`).
//! An offering's classifications repeat most of the same findings and evidence: this is what
//! makes a portfolio's output small. Versions 1 and 2 are kept for one release
//! (`--json-schema-version`): version 2 lists each result's evidence once (`{"e1": {...}}`) and
//! writes one result per jsonl line; version 1 copies the evidence into every finding.

use crate::diag::Diagnostic;
use crate::model::resolved::Evidence;
use crate::outcome::{DecisionNote, Evaluation, Finding, OfferingResult, RuleError, Verdict};
use foldhash::{HashMap, HashMapExt};
use serde::Serialize;
use serde::ser::SerializeMap;
use std::collections::BTreeMap;

/// The version of the JSON contract a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SchemaVersion {
    /// Evidence copied into every finding (the form before version 2; kept for one release)
    #[value(name = "1")]
    V1,
    /// Each result's evidence listed once; findings refer to it by id (kept for one release)
    #[value(name = "2")]
    V2,
    /// Each offering once: its results, distinct findings, evidence and sources, each once
    #[value(name = "3")]
    #[default]
    V3,
}

/// The evaluation as pretty JSON. Serialization cannot fail for these types; if it ever did,
/// the run must fail rather than print an empty document.
pub fn render(eval: &Evaluation, version: SchemaVersion) -> Result<Vec<u8>, Diagnostic> {
    let text = match version {
        SchemaVersion::V1 => serde_json::to_string_pretty(eval),
        SchemaVersion::V2 => serde_json::to_string_pretty(&DocumentV2::of(eval)),
        SchemaVersion::V3 => DocumentV3::of(eval).and_then(|d| serde_json::to_string_pretty(&d)),
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

/// One result as compact JSON, as a jsonl line of version 1 or 2 holds it (a version 2 line
/// says its version). Version 3 writes offerings, not results: see [`offering_line`].
pub fn result_line(result: &OfferingResult, version: SchemaVersion) -> serde_json::Result<String> {
    match version {
        SchemaVersion::V1 => serde_json::to_string(result),
        SchemaVersion::V2 | SchemaVersion::V3 => serde_json::to_string(&ResultV2::of(result, true)),
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

/// The document of version 3: the head of version 2, then `offerings` where version 2 had
/// `results`.
#[derive(Serialize)]
struct DocumentV3<'a> {
    schema_version: u32,
    policy: &'a str,
    organization: &'a str,
    generated: &'a str,
    today: &'a str,
    classifications: &'a [String],
    rules: &'a [String],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    rule_refs: &'a BTreeMap<String, std::sync::Arc<[String]>>,
    offerings: Vec<serde_json::Value>,
    warnings: Vec<String>,
}

impl<'a> DocumentV3<'a> {
    fn of(eval: &'a Evaluation) -> serde_json::Result<DocumentV3<'a>> {
        let offerings = by_offering(&eval.results)
            .map(|results| serde_json::from_str(&offering_line(results, Some(&eval.rule_refs))?))
            .collect::<serde_json::Result<_>>()?;
        Ok(DocumentV3 {
            schema_version: 3,
            policy: &eval.policy,
            organization: &eval.organization,
            generated: &eval.generated,
            today: &eval.today,
            classifications: &eval.classifications,
            rules: &eval.rules,
            rule_refs: &eval.rule_refs,
            offerings,
            warnings: eval.warnings.iter().map(Diagnostic::report_line).collect(),
        })
    }
}

/// Consecutive results of the same offering (an evaluation hands over each offering's
/// classifications one after the other).
pub(crate) fn by_offering(results: &[OfferingResult]) -> impl Iterator<Item = &[OfferingResult]> {
    results.chunk_by(same_offering)
}

/// Whether two results are of the same offering (and so belong on one version 3 line).
pub(crate) fn same_offering(a: &OfferingResult, b: &OfferingResult) -> bool {
    a.vendor == b.vendor && a.offering == b.offering
}

/// One offering's results (`results`, all of the same offering, at least one) as version 3
/// holds them, compact. `document_refs` is the document's `rule_refs` when the offering is one
/// of a document's `offerings` (a finding then carries `refs` only where it differs from them);
/// without it the object is a jsonl line: it says its version and carries the `rule_refs` of
/// the rules its findings cite, so that it stands alone.
pub fn offering_line(
    results: &[OfferingResult],
    document_refs: Option<&BTreeMap<String, std::sync::Arc<[String]>>>,
) -> serde_json::Result<String> {
    let Some(first) = results.first() else {
        return Ok(String::new());
    };
    let mut tables = Tables::default();
    let mut classes = Vec::with_capacity(results.len());
    for r in results {
        let mut ids = Vec::with_capacity(r.findings.len());
        for f in &r.findings {
            ids.push(tables.finding(f, document_refs)?);
        }
        classes.push(ClassV3 {
            classification: &r.classification,
            tags: (r.tags != first.tags).then_some(&r.tags[..]),
            verdict: r.verdict,
            findings: ids,
            errors: &r.errors,
            decision: r.decision.as_ref(),
        });
    }
    let head = OfferingV3 {
        schema_version: document_refs.is_none().then_some(3),
        vendor: &first.vendor,
        vendor_name: &first.vendor_name,
        offering: &first.offering,
        offering_name: &first.offering_name,
        tier: &first.tier,
        vendor_notes: first.vendor_notes.as_deref(),
        offering_notes: first.offering_notes.as_deref(),
        tags: &first.tags,
        results: classes,
    };
    // The head's object, then the tables, each entry already rendered once (the rendering of
    // a finding is also what tells two findings apart).
    let mut line = serde_json::to_string(&head)?;
    line.pop();
    push_list(&mut line, "findings", &tables.findings, true);
    push_list(&mut line, "evidence", &tables.evidence, false);
    push_list(&mut line, "sources", &tables.sources, false);
    let refs: BTreeMap<&str, &[String]> = tables
        .rule_refs
        .iter()
        .filter(|(_, refs)| !refs.is_empty())
        .map(|(rule, refs)| (*rule, *refs))
        .collect();
    if document_refs.is_none() && !refs.is_empty() {
        line.push_str(",\"rule_refs\":");
        line.push_str(&serde_json::to_string(&refs)?);
    }
    line.push('}');
    Ok(line)
}

/// Appends `,"name":[item,...]` (an empty list only when `always`).
fn push_list(line: &mut String, name: &str, items: &Interned, always: bool) {
    let items = &items.0;
    if items.is_empty() && !always {
        return;
    }
    line.push_str(",\"");
    line.push_str(name);
    line.push_str("\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(item);
    }
    line.push(']');
}

/// Rendered items, each once, by index (in the order first added).
#[derive(Default)]
struct Interned(indexmap::IndexSet<String, foldhash::fast::RandomState>);

impl Interned {
    fn add(&mut self, text: String) -> usize {
        self.0.insert_full(text).0
    }
}

/// The tables of one offering's line.
#[derive(Default)]
struct Tables<'a> {
    findings: Interned,
    evidence: Interned,
    sources: Interned,
    /// Evidence already rendered, by identity (findings of an offering share their `Arc`s).
    seen: HashMap<*const Evidence, usize>,
    /// The line's references per rule: those of the rule's first finding.
    rule_refs: BTreeMap<&'a str, &'a [String]>,
}

impl<'a> Tables<'a> {
    fn finding(
        &mut self,
        f: &'a Finding,
        document_refs: Option<&BTreeMap<String, std::sync::Arc<[String]>>>,
    ) -> serde_json::Result<usize> {
        let mut evidence = Vec::with_capacity(f.evidence.len());
        for e in &f.evidence {
            evidence.push(self.evidence(e)?);
        }
        let rule_refs: &[String] = match document_refs {
            Some(doc) => doc.get(&f.rule).map_or(&[], |r| &r[..]),
            None => self.rule_refs.entry(&f.rule).or_insert(&f.refs),
        };
        let text = serde_json::to_string(&FindingV3 {
            rule: &f.rule,
            level: f.level,
            message: &f.message,
            action: f.action.as_deref(),
            waived: f.waived.as_ref(),
            refs: (*f.refs != *rule_refs).then_some(&f.refs[..]),
            facts: Facts(&f.facts),
            evidence,
            raised_at: &f.raised_at,
        })?;
        Ok(self.findings.add(text))
    }

    fn evidence(&mut self, e: &Evidence) -> serde_json::Result<usize> {
        if let Some(i) = self.seen.get(&(e as *const Evidence)) {
            return Ok(*i);
        }
        let source = match &e.source {
            Some(id) => Some(self.sources.add(serde_json::to_string(&SourceV3 {
                id,
                authority: e.authority,
                title: e.title.as_deref(),
                url: e.url.as_deref(),
                notes: e.source_notes.as_deref(),
            })?)),
            None => None,
        };
        let text = serde_json::to_string(&EvidenceV3 {
            fact: &e.fact,
            source,
            authority: source.is_none().then_some(e.authority),
            section: e.section.as_deref(),
            quote: e.quote.as_deref(),
            at: &e.at,
            value: &e.value,
            role: e.role,
            note: e.note.as_deref(),
            searched: &e.searched,
            exceptions: &e.exceptions,
            allowed_if: e.allowed_if.as_deref(),
        })?;
        let i = self.evidence.add(text);
        self.seen.insert(e as *const Evidence, i);
        Ok(i)
    }
}

#[derive(Serialize)]
struct OfferingV3<'a> {
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
    tags: &'a [String],
    results: Vec<ClassV3<'a>>,
}

/// One classification's result: its verdict and the indexes of its findings in the
/// offering's `findings`.
#[derive(Serialize)]
struct ClassV3<'a> {
    classification: &'a str,
    /// Only where they differ from the offering's.
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<&'a [String]>,
    verdict: Verdict,
    findings: Vec<usize>,
    #[serde(skip_serializing_if = "<[RuleError]>::is_empty")]
    errors: &'a [RuleError],
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'a DecisionNote>,
}

#[derive(Serialize)]
struct FindingV3<'a> {
    rule: &'a str,
    level: crate::outcome::Level,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waived: Option<&'a crate::outcome::WaiverInfo>,
    /// Only where they differ from the rule's (`rule_refs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    refs: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Facts::is_empty")]
    facts: Facts<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<usize>,
    raised_at: &'a str,
}

impl Facts<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A claim a finding cites; its source's metadata is in the offering's `sources`.
#[derive(Serialize)]
struct EvidenceV3<'a> {
    fact: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<usize>,
    /// Only for a bare value (no source): a source's authority is in `sources`.
    #[serde(skip_serializing_if = "Option::is_none")]
    authority: Option<crate::model::documents::Authority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    at: &'a str,
    value: &'a serde_json::Value,
    role: crate::model::resolve::Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    searched: &'a [String],
    #[serde(skip_serializing_if = "<[crate::model::profile::Exception]>::is_empty")]
    exceptions: &'a [crate::model::profile::Exception],
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_if: Option<&'a str>,
}

/// A source's metadata, once per offering.
#[derive(Serialize)]
struct SourceV3<'a> {
    id: &'a str,
    authority: crate::model::documents::Authority,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
}
