//! `--format sarif`: SARIF 2.1.0 (serde-sarif) for code scanning (GitHub, GitLab, Azure DevOps).
//!
//! One result per finding that is not a pass, at each classification evaluated: its level, the
//! message (and action), the rule id, and where to look: the claim that decides the fact the
//! finding cites (`vendors/<id>/profile.yaml`, line and column), the profile's entry of a
//! document not obtained (`missing-documents`), or the line of the rule that raised it when no
//! claim decides (an unknown fact). Waived findings carry an external
//! suppression with the waiver's reason, so that code scanning shows them as dismissed.

use super::deciding;
use crate::model::vocabulary::frameworks::Reference;
use crate::outcome::Level;
use crate::outcome::{Evaluation, Finding, OfferingResult, RuleError};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool,
    ToolComponent,
};
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's level for a finding level: a block is an error, what holds or conditions a verdict
/// a warning, the rest a note.
pub fn level(l: Level) -> ResultLevel {
    match l {
        Level::Block => ResultLevel::Error,
        Level::Hold | Level::Condition | Level::Warn => ResultLevel::Warning,
        Level::Info | Level::Pass => ResultLevel::Note,
    }
}

/// A place in a workspace file: `file`, line, column (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: u64,
    pub column: Option<u64>,
}

/// Parses `path:LINE:COL` or `path:LINE`.
pub fn parse_place(at: &str) -> Option<Place> {
    let mut parts = at.rsplitn(3, ':');
    let last: u64 = parts.next()?.parse().ok()?;
    let middle = parts.next()?;
    match (middle.parse::<u64>(), parts.next()) {
        (Ok(line), Some(file)) => Some(Place {
            file: file.to_string(),
            line,
            column: Some(last),
        }),
        // `path:LINE`: the middle part was the path (or its end, when it held a colon).
        _ => {
            let file = at.rsplit_once(':')?.0.to_string();
            Some(Place {
                file,
                line: last,
                column: None,
            })
        }
    }
}

/// Where a finding points: the deciding claim of a fact it cites, else what it is about (a
/// missing document's entry in the profile), else the rule's line.
pub fn place(f: &Finding) -> Option<Place> {
    deciding(f)
        .find_map(|e| parse_place(&e.at))
        .or_else(|| f.about.as_deref().and_then(parse_place))
        .or_else(|| parse_place(&f.raised_at))
}

/// The finding's text: message, then the action.
pub fn text(r: &OfferingResult, f: &Finding) -> String {
    let mut t = format!(
        "{}/{} at {}: {}",
        r.vendor, r.offering, r.classification, f.message
    );
    if let Some(a) = f.action.as_deref().filter(|a| !a.is_empty()) {
        t.push_str(" → ");
        t.push_str(a);
    }
    t
}

fn location(p: Place) -> Vec<Location> {
    let region = match p.column {
        Some(c) => Region::builder()
            .start_line(p.line as i64)
            .start_column(c as i64)
            .build(),
        None => Region::builder().start_line(p.line as i64).build(),
    };
    vec![
        Location::builder()
            .physical_location(
                PhysicalLocation::builder()
                    .artifact_location(ArtifactLocation::builder().uri(p.file).build())
                    .region(region)
                    .build(),
            )
            .build(),
    ]
}

/// A whole file, when no line is known.
fn file_location(file: &str) -> Location {
    Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(file.to_string()).build())
                .build(),
        )
        .build()
}

pub fn build(eval: &Evaluation) -> Sarif {
    let index = rule_index(&eval.rules);
    let results = eval
        .results
        .iter()
        .flat_map(|r| results_of(r, &index))
        .collect();
    document(&eval.rules, &eval.rule_refs, results)
}

/// Each rule's framework references.
type Refs = BTreeMap<String, std::sync::Arc<[String]>>;

/// A result points at its rule by position in the driver's rule list.
fn rule_index(rules: &[String]) -> BTreeMap<String, usize> {
    rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.clone(), i))
        .collect()
}

/// The SARIF results of one offering at one classification: its findings that are not a pass,
/// then its failed rules.
fn results_of(r: &OfferingResult, index: &BTreeMap<String, usize>) -> Vec<SarifResult> {
    r.findings
        .iter()
        .filter(|f| f.level != Level::Pass)
        .map(|f| finding_result(r, f, index))
        .chain(r.errors.iter().map(|e| failed_rule_result(r, e, index)))
        .collect()
}

fn document(rules: &[String], refs: &Refs, results: Vec<SarifResult>) -> Sarif {
    let driver = ToolComponent::builder()
        .name("diligence".to_string())
        .version(env!("CARGO_PKG_VERSION").to_string())
        .rules(rule_descriptors(rules, refs))
        .build();
    Sarif::builder()
        .schema(SCHEMA.to_string())
        .version(serde_json::json!("2.1.0"))
        .runs(vec![
            Run::builder()
                .tool(Tool::builder().driver(driver).build())
                .results(results)
                .build(),
        ])
        .build()
}

/// The rules, each with its framework references as tags (code scanning filters on them) and
/// the frameworks they cite as a property.
fn rule_descriptors(rules: &[String], refs: &Refs) -> Vec<ReportingDescriptor> {
    rules
        .iter()
        .map(|id| {
            let descriptor = ReportingDescriptor::builder()
                .id(id.clone())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(format!("diligence rule {id} (scripts/{id}.rhai)"))
                        .build(),
                );
            match refs.get(id).filter(|r| !r.is_empty()) {
                Some(refs) => descriptor.properties(rule_properties(refs)).build(),
                None => descriptor.build(),
            }
        })
        .collect()
}

fn rule_properties(refs: &[String]) -> serde_sarif::sarif::PropertyBag {
    let mut tags: Vec<String> = Vec::new();
    let mut frameworks: Vec<serde_json::Value> = Vec::new();
    for r in refs {
        if !tags.contains(r) {
            tags.push(r.clone());
        }
        if let Ok(parsed) = Reference::parse(r) {
            let id = serde_json::Value::from(parsed.framework.id);
            if !frameworks.contains(&id) {
                frameworks.push(id);
            }
        }
    }
    serde_sarif::sarif::PropertyBag::builder()
        .tags(tags)
        .additional_properties(BTreeMap::from([(
            "frameworks".to_string(),
            serde_json::Value::Array(frameworks),
        )]))
        .build()
}

/// A finding at its claim's line, with the cell in its properties; a waiver is a suppression.
fn finding_result(r: &OfferingResult, f: &Finding, index: &BTreeMap<String, usize>) -> SarifResult {
    let location = place(f).map(location).unwrap_or_default();
    let mut properties = BTreeMap::new();
    for (k, v) in [
        ("vendor", &r.vendor),
        ("offering", &r.offering),
        ("classification", &r.classification),
        ("verdict", &r.verdict.as_str().to_string()),
        ("diligenceLevel", &f.level.as_str().to_string()),
    ] {
        properties.insert(k.to_string(), serde_json::Value::String(v.clone()));
    }
    let result = SarifResult::builder()
        .rule_id(f.rule.clone())
        .level(level(f.level))
        .message(Message::builder().text(text(r, f)).build())
        .locations(location)
        .properties(
            serde_sarif::sarif::PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    let result = match index.get(f.rule.as_str()) {
        Some(i) => result.rule_index(*i as i64),
        None => result.rule_index(-1),
    };
    match &f.waived {
        Some(w) => result
            .suppressions(vec![
                Suppression::builder()
                    .kind(serde_json::json!("external"))
                    .justification(format!(
                        "waived until {} by {}: {}",
                        w.expires, w.approved_by, w.reason
                    ))
                    .build(),
            ])
            .build(),
        None => result.build(),
    }
}

/// A rule that failed: the cell's verdict is `error`, the rule's findings are missing.
fn failed_rule_result(
    r: &OfferingResult,
    e: &RuleError,
    index: &BTreeMap<String, usize>,
) -> SarifResult {
    let location = parse_place(&e.at)
        .map(location)
        .unwrap_or_else(|| vec![file_location(&e.at)]);
    SarifResult::builder()
        .rule_id(e.rule.clone())
        .level(ResultLevel::Error)
        .message(
            Message::builder()
                .text(format!(
                    "{}/{} at {}: rule `{}` failed, so this cell cannot be trusted: {}",
                    r.vendor, r.offering, r.classification, e.rule, e.message
                ))
                .build(),
        )
        .locations(location)
        .rule_index(index.get(e.rule.as_str()).map_or(-1, |i| *i as i64))
        .build()
}

pub fn render(eval: &Evaluation, out: &mut dyn Write) -> io::Result<()> {
    let text = serde_json::to_string_pretty(&build(eval))?;
    out.write_all(super::sanitize::json_text(&text).as_bytes())?;
    out.write_all(b"\n")
}

/// The SARIF document written result by result, as the evaluation goes (`evaluate --format
/// sarif` streams): the same bytes as [`render`] of the whole evaluation, without holding its
/// results. The document around the results (the tool and its rules) is known before the first
/// result: it is serde-sarif's own text of the document with no results, cut where the results
/// go; each result is serde-sarif's text too, indented to its depth.
pub struct Writer<'w> {
    out: &'w mut dyn Write,
    index: BTreeMap<String, usize>,
    /// The document with no results, and the byte just after its empty results array's `[`.
    empty: String,
    cut: usize,
    /// Indentation of a result in the document.
    indent: String,
    written: usize,
}

impl<'w> Writer<'w> {
    /// Starts the document of a run of `rules` (in the order the evaluation reports them).
    pub fn start(
        out: &'w mut dyn Write,
        rules: Vec<String>,
        refs: &Refs,
    ) -> io::Result<Writer<'w>> {
        let empty = serde_json::to_string_pretty(&document(&rules, refs, Vec::new()))?;
        let mut empty = super::sanitize::json_text(&empty).into_owned();
        empty.push('\n');
        let key = "\"results\": []";
        let at = empty
            .find(key)
            .ok_or_else(|| io::Error::other("serde-sarif wrote no results array"))?;
        let line_start = empty[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent = format!("{}  ", &empty[line_start..at]);
        Ok(Writer {
            out,
            index: rule_index(&rules),
            cut: at + key.len() - 1,
            empty,
            indent,
            written: 0,
        })
    }

    pub fn write_result(&mut self, r: &OfferingResult) -> io::Result<()> {
        for result in results_of(r, &self.index) {
            let text = serde_json::to_string_pretty(&result)?;
            let text = super::sanitize::json_text(&text);
            if self.written == 0 {
                self.out.write_all(&self.empty.as_bytes()[..self.cut])?;
            } else {
                self.out.write_all(b",")?;
            }
            let indented = text.replace('\n', &format!("\n{}", self.indent));
            write!(self.out, "\n{}{indented}", self.indent)?;
            self.written += 1;
        }
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        if self.written == 0 {
            return self.out.write_all(self.empty.as_bytes());
        }
        // The closing bracket at the array's own indentation, then the rest of the document.
        let outer = &self.indent[..self.indent.len() - 2];
        write!(self.out, "\n{outer}]")?;
        self.out.write_all(&self.empty.as_bytes()[self.cut + 1..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Verdict, WaiverInfo};

    fn result(vendor: &str, findings: Vec<Finding>, errors: Vec<RuleError>) -> OfferingResult {
        OfferingResult {
            vendor: vendor.into(),
            vendor_name: vendor.into(),
            offering: "api".into(),
            offering_name: "API".into(),
            tier: "business".into(),
            vendor_notes: None,
            offering_notes: None,
            classification: "confidential".into(),
            tags: Vec::new(),
            verdict: Verdict::of(&findings),
            findings,
            errors,
            decision: None,
        }
    }

    fn finding(rule: &str, level: Level, waived: bool) -> Finding {
        Finding {
            rule: rule.into(),
            level,
            message: "a \"quoted\" line\nand a second".into(),
            action: Some("ask".into()),
            waived: waived.then(|| WaiverInfo {
                reason: "pilot".into(),
                approved_by: "ciso@example.com".into(),
                expires: "2027-03-31".into(),
            }),
            refs: std::sync::Arc::new([]),
            facts: Vec::new(),
            evidence: Vec::new(),
            raised_at: format!("scripts/{rule}.rhai:4"),
            about: None,
        }
    }

    fn streamed(eval: &Evaluation) -> String {
        let mut out = Vec::new();
        let mut w = Writer::start(&mut out, eval.rules.clone(), &eval.rule_refs).unwrap();
        for r in &eval.results {
            w.write_result(r).unwrap();
        }
        w.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    fn whole(eval: &Evaluation) -> String {
        let mut out = Vec::new();
        render(eval, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Streamed SARIF is byte for byte the document serde-sarif writes for the whole run:
    /// with results (passes left out, waivers, failed rules), and with none.
    #[test]
    fn streamed_sarif_is_the_whole_document() {
        let mut eval = Evaluation {
            policy: "default".into(),
            organization: "Org".into(),
            generated: String::new(),
            today: "2026-11-24".into(),
            classifications: vec!["confidential".into()],
            rules: vec!["a-rule".into(), "b-rule".into()],
            rule_refs: BTreeMap::from([(
                "a-rule".to_string(),
                std::sync::Arc::from(["GDPR Art. 28(3)(g)".to_string()]),
            )]),
            results: vec![
                result(
                    "acme",
                    vec![
                        finding("a-rule", Level::Pass, false),
                        finding("a-rule", Level::Hold, false),
                        finding("b-rule", Level::Block, true),
                    ],
                    Vec::new(),
                ),
                result(
                    "beta",
                    vec![finding("a-rule", Level::Pass, false)],
                    Vec::new(),
                ),
                result(
                    "gamma",
                    vec![finding("b-rule", Level::Condition, false)],
                    vec![RuleError {
                        rule: "a-rule".into(),
                        message: "limit".into(),
                        at: "scripts/a-rule.rhai:3:1".into(),
                    }],
                ),
            ],
            warnings: Vec::new(),
        };
        let text = whole(&eval);
        assert!(text.contains("\"results\": [\n"), "{text}");
        assert_eq!(streamed(&eval), text);
        eval.results.truncate(2);
        eval.results.remove(0);
        let text = whole(&eval);
        assert!(
            text.contains("\"results\": []"),
            "only passes: no results: {text}"
        );
        assert_eq!(streamed(&eval), text);
    }

    #[test]
    fn places_parse() {
        assert_eq!(
            parse_place("vendors/p/profile.yaml:17:11"),
            Some(Place {
                file: "vendors/p/profile.yaml".into(),
                line: 17,
                column: Some(11)
            })
        );
        assert_eq!(
            parse_place("scripts/r.rhai:4"),
            Some(Place {
                file: "scripts/r.rhai".into(),
                line: 4,
                column: None
            })
        );
        assert_eq!(parse_place("nowhere"), None);
    }
}
