//! Output formats. Each renders the format-neutral [`Evaluation`] into bytes; the CLI decides
//! where they go (stdout, or a file written atomically).
//!
//! Every human format (table, markdown, html, the xlsx Summary sheet) opens with the same verdict
//! matrix (rows vendor/offering, columns classifications) and the findings that drive each
//! non-go cell; the helpers they share live here so that they cannot drift apart.

pub mod brief;
pub mod csv;
pub mod diff;
pub mod explain;
pub mod frameworks;
pub mod github;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod markdown;
pub mod refresh;
pub mod sanitize;
pub mod sarif;
pub mod status;
pub mod status_doc;
mod status_rows;
pub mod table;
pub mod testrun;
pub mod writer;
pub mod xlsx;

use crate::model::resolved::Evidence;
use crate::outcome::Level;
pub use crate::outcome::driving;
use crate::outcome::{Evaluation, Finding, OfferingResult, Verdict};

/// Options shared by the human formats.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// Colour the verdicts (terminal only).
    pub color: bool,
    /// Width to fit the terminal table into (default 120).
    pub width: Option<u16>,
    /// Show `pass` findings too.
    pub verbose: bool,
    /// Only the verdict matrix and what stands in the way (table, markdown).
    pub summary: bool,
    /// The workspace the review was made from (folder name and git commit), as shown in the
    /// html header.
    pub workspace: Option<String>,
}

/// The claims that decide (or conflict on) the facts a finding cites: its citations. Outvoted,
/// agreeing and unverified claims are kept in the JSON and in the xlsx Evidence sheet.
pub fn deciding(f: &Finding) -> impl Iterator<Item = &Evidence> {
    f.evidence.iter().map(|e| &**e).filter(|e| e.is_deciding())
}

/// The document a claim quotes: its title, else the source id, else "unsupported value".
pub fn document(e: &Evidence) -> String {
    e.title
        .clone()
        .or_else(|| e.source.clone())
        .unwrap_or_else(|| "unsupported value".to_string())
}

/// "until 2027-03-31, approved by ciso@example.com: 30-day abuse logs accepted for pilot".
pub fn waiver_text(f: &Finding) -> Option<String> {
    f.waived.as_ref().map(|w| {
        format!(
            "until {}, approved by {}: {}",
            w.expires, w.approved_by, w.reason
        )
    })
}

/// The text of a matrix cell: the verdict, " (waiver)" when a waiver applied to it, and the
/// decision in force beside it (" · approved 2026-11-24").
pub fn cell_text(r: &OfferingResult) -> String {
    format!(
        "{}{}{}",
        r.verdict.as_str(),
        if waived_any(r) { " (waiver)" } else { "" },
        r.decision.as_ref().map_or(String::new(), |d| format!(
            " · {} {}",
            d.outcome.replace('_', " "),
            d.date
        ))
    )
}

pub fn waived_any(r: &OfferingResult) -> bool {
    r.findings.iter().any(|f| f.waived.is_some())
}

/// The tags the evaluation was run with (the same for every result).
pub fn tags(eval: &Evaluation) -> &[String] {
    eval.results
        .first()
        .map(|r| r.tags.as_slice())
        .unwrap_or(&[])
}

/// One offering: its results in classification order.
pub struct OfferingRow<'a> {
    pub vendor: &'a str,
    pub offering: &'a str,
    pub vendor_name: &'a str,
    pub offering_name: &'a str,
    pub tier: &'a str,
    pub results: Vec<&'a OfferingResult>,
}

impl OfferingRow<'_> {
    /// `vendor/offering`
    pub fn id(&self) -> String {
        format!("{}/{}", self.vendor, self.offering)
    }

    /// The result at a classification, if it was evaluated.
    pub fn at(&self, class: &str) -> Option<&OfferingResult> {
        self.results
            .iter()
            .copied()
            .find(|r| r.classification == class)
    }
}

/// The reviewer's notes on one result's vendor and offering, labelled and sanitized.
pub fn offering_notes(r: &OfferingResult) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = &r.vendor_notes {
        out.push(format!("Vendor {}: {}", r.vendor_name, n.trim()));
    }
    if let Some(n) = &r.offering_notes {
        out.push(format!("Offering {}: {}", r.offering_name, n.trim()));
    }
    out.iter()
        .map(|s| sanitize::clean(s).into_owned())
        .collect()
}

/// The reviewer's notes on the sources and claims of some evidence, each once, labelled and
/// sanitized.
pub fn evidence_notes<'a>(evidence: impl Iterator<Item = &'a Evidence>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in evidence {
        let source = e
            .title
            .as_deref()
            .or(e.source.as_deref())
            .unwrap_or("source");
        let notes = [
            e.source_notes
                .as_ref()
                .map(|n| format!("Source {source}: {}", n.trim())),
            e.note
                .as_ref()
                .map(|n| format!("Claim `{}` ({}): {}", e.fact, document(e), n.trim())),
        ];
        for n in notes.into_iter().flatten() {
            let n = sanitize::clean(&n).into_owned();
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// Every note that bears on an offering's results: its vendor and offering, then the sources
/// and claims that decide its findings.
pub fn notes(results: &[&OfferingResult]) -> Vec<String> {
    let mut out = results
        .first()
        .map(|r| offering_notes(r))
        .unwrap_or_default();
    let evidence = results.iter().flat_map(|r| &r.findings).flat_map(deciding);
    for n in evidence_notes(evidence) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Offerings in output order, each with its results (one per classification).
pub fn offerings(eval: &Evaluation) -> Vec<OfferingRow<'_>> {
    let mut out: Vec<OfferingRow> = Vec::new();
    for r in &eval.results {
        match out.last_mut() {
            Some(row) if row.vendor == r.vendor && row.offering == r.offering => {
                row.results.push(r)
            }
            _ => out.push(OfferingRow {
                vendor: &r.vendor,
                offering: &r.offering,
                vendor_name: &r.vendor_name,
                offering_name: &r.offering_name,
                tier: &r.tier,
                results: vec![r],
            }),
        }
    }
    out
}

/// The rules that drive the verdicts of one offering, grouped over consecutive
/// classifications that have the same verdict for the same rules.
pub struct Drivers<'a> {
    pub classes: Vec<&'a str>,
    pub verdict: Verdict,
    pub rules: Vec<&'a str>,
}

pub fn drivers<'a>(row: &OfferingRow<'a>) -> Vec<Drivers<'a>> {
    let mut out: Vec<Drivers> = Vec::new();
    for r in &row.results {
        if r.verdict == Verdict::Go {
            continue;
        }
        let mut rules: Vec<&str> = Vec::new();
        for f in driving(r) {
            if !rules.contains(&f.rule.as_str()) {
                rules.push(&f.rule);
            }
        }
        match out.last_mut() {
            Some(d) if d.verdict == r.verdict && d.rules == rules => {
                d.classes.push(&r.classification)
            }
            _ => out.push(Drivers {
                classes: vec![&r.classification],
                verdict: r.verdict,
                rules,
            }),
        }
    }
    out
}

/// A finding as shown once per offering, with the classifications it was raised at.
pub struct Merged<'a> {
    pub finding: &'a Finding,
    pub classes: Vec<&'a str>,
}

/// The findings of one offering, each once with the classifications it applies to, worst
/// first (waived after unwaived at the same level), then in rule order. Pass findings only
/// when `verbose`.
pub fn merged<'a>(results: &[&'a OfferingResult], verbose: bool) -> Vec<Merged<'a>> {
    let mut rows: Vec<Merged> = Vec::new();
    for r in results {
        for f in &r.findings {
            if f.level == Level::Pass && !verbose {
                continue;
            }
            match rows.iter_mut().find(|row| same(row.finding, f)) {
                Some(row) => row.classes.push(&r.classification),
                None => rows.push(Merged {
                    finding: f,
                    classes: vec![&r.classification],
                }),
            }
        }
    }
    rows.sort_by_key(|r| {
        (
            std::cmp::Reverse(r.finding.level),
            r.finding.waived.is_some(),
        )
    });
    rows
}

fn same(a: &Finding, b: &Finding) -> bool {
    a.rule == b.rule
        && a.level == b.level
        && a.message == b.message
        && a.action == b.action
        && a.waived.is_some() == b.waived.is_some()
}

/// Where a finding applies: "all"; "confidential and up" for consecutive classifications up to
/// the most sensitive one (requirements inherit upwards, so this is the usual case);
/// "internal–confidential" for three or more consecutive ones; else the list.
pub fn applies_to(classes: &[&str], all: &[String]) -> String {
    if classes.len() == all.len() && all.len() > 1 {
        return "all".to_string();
    }
    if classes.len() >= 2 {
        let positions: Vec<Option<usize>> = classes
            .iter()
            .map(|c| all.iter().position(|a| a == c))
            .collect();
        let consecutive = positions
            .windows(2)
            .all(|w| matches!((w[0], w[1]), (Some(a), Some(b)) if b == a + 1));
        let last = classes[classes.len() - 1];
        if consecutive && all.last().is_some_and(|l| l == last) {
            return format!("{} and up", classes[0]);
        }
        if consecutive && classes.len() >= 3 {
            return format!("{}–{last}", classes[0]);
        }
    }
    classes.join(", ")
}

/// A fact value as a person reads it: "never", "30", "yes", "eu, us", "SOC 2 Type II, scope:
/// security, expires 2027-03-31"; never raw JSON.
pub fn human_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "unknown".to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(human_value).collect();
            // Items that contain commas themselves are kept apart with semicolons.
            let sep = if parts.iter().any(|p| p.contains(',')) {
                "; "
            } else {
                ", "
            };
            parts.join(sep)
        }
        Value::Object(map) => {
            let mut out = map.get("name").map(human_value).unwrap_or_default();
            let mut rest: Vec<String> = Vec::new();
            for (k, val) in map.iter().filter(|(k, _)| k.as_str() != "name") {
                let shown = human_value(val);
                match k.as_str() {
                    "expires" => rest.push(format!("expires {shown}")),
                    "scope" => rest.push(format!("scope: {shown}")),
                    _ => rest.push(format!("{}: {shown}", k.replace('_', " "))),
                }
            }
            if !rest.is_empty() {
                if out.is_empty() {
                    out = rest.join(", ");
                } else {
                    out = format!("{out}, {}", rest.join(", "));
                }
            }
            out
        }
    }
}

/// Markdown inline links `[text](url)` as their text, and `**`/`__` emphasis markers dropped,
/// so that a quote copied from a Markdown snapshot reads as prose.
pub fn markdown_as_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| {
            let target = &after[close + 2..];
            target.find(')').map(|end| (close, close + 2 + end + 1))
        });
        match link {
            // The link text must not hold another `[` (then it is not one link).
            Some((close, consumed)) if !after[..close].contains('[') => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[consumed..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace("__", "")
}

/// Whether a url may become a link: only http(s), so that a profile cannot smuggle a
/// `javascript:` or `data:` link into a report.
pub fn linkable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Headline counts: "8 offerings × 4 classifications".
pub fn scope_line(eval: &Evaluation) -> String {
    let n = offerings(eval).len();
    let c = eval.classifications.len();
    format!(
        "{n} offering{} × {c} classification{}",
        if n == 1 { "" } else { "s" },
        if c == 1 { "" } else { "s" }
    )
}

/// What each verdict means, for the legend under the matrix.
const LEGEND: [(Verdict, &str); 5] = [
    (
        Verdict::Error,
        "a rule failed: the cell cannot be trusted (see the errors)",
    ),
    (Verdict::NoGo, "a requirement is not met"),
    (Verdict::Hold, "questions outstanding"),
    (Verdict::Conditional, "go once the actions are done"),
    (Verdict::Go, "no requirement stands in the way"),
];

/// The legend under the matrix: what each verdict means (`error` only when a cell has it).
pub fn legend(eval: &Evaluation) -> impl Iterator<Item = (Verdict, &'static str)> + '_ {
    let has_error = eval.results.iter().any(|r| r.verdict == Verdict::Error);
    LEGEND
        .into_iter()
        .filter(move |(v, _)| *v != Verdict::Error || has_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_to_names_ranges() {
        let all: Vec<String> = ["public", "internal", "confidential", "restricted"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            applies_to(&["public", "internal", "confidential", "restricted"], &all),
            "all"
        );
        assert_eq!(
            applies_to(&["internal", "confidential", "restricted"], &all),
            "internal and up"
        );
        assert_eq!(
            applies_to(&["confidential", "restricted"], &all),
            "confidential and up"
        );
        assert_eq!(
            applies_to(&["public", "internal", "confidential"], &all),
            "public–confidential"
        );
        assert_eq!(
            applies_to(&["public", "internal"], &all),
            "public, internal"
        );
        assert_eq!(
            applies_to(&["public", "confidential", "restricted"], &all),
            "public, confidential, restricted"
        );
        assert_eq!(applies_to(&["public"], &all[..1]), "public");
    }

    #[test]
    fn values_read_as_prose() {
        let v: serde_json::Value =
            serde_json::json!([{"name": "SOC 2 Type II", "expires": "2027-03-31"}]);
        assert_eq!(human_value(&v), "SOC 2 Type II, expires 2027-03-31");
        assert_eq!(human_value(&serde_json::json!(["eu", "us"])), "eu, us");
        assert_eq!(human_value(&serde_json::json!(true)), "yes");
        assert_eq!(human_value(&serde_json::json!(30)), "30");
    }

    #[test]
    fn markdown_links_become_text() {
        assert_eq!(
            markdown_as_text("see [our DPA](https://x.example/dpa) and **this**"),
            "see our DPA and this"
        );
        assert_eq!(markdown_as_text("a [b] c"), "a [b] c");
        assert_eq!(markdown_as_text("[x]("), "[x](");
    }

    #[test]
    fn only_http_links() {
        assert!(linkable("https://example.com/a?b=c"));
        assert!(linkable("HTTP://example.com"));
        assert!(!linkable("javascript:alert(1)"));
        assert!(!linkable("data:text/html,<script>"));
        assert!(!linkable("https://exa mple.com"));
    }
}
