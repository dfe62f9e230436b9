//! `diff` as plain text, or GitHub Markdown (tables) for a pull-request comment.

use crate::diff::{Diff, FactChange};
use crate::outcome::Verdict;
use std::fmt::Write as _;

fn show(v: &Option<serde_json::Value>) -> String {
    v.as_ref().map_or("(unknown)".into(), |v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn verdict(v: Option<Verdict>) -> &'static str {
    v.map_or("(none)", |v| v.as_str())
}

/// Writes text or Markdown: headings, escaping and list items differ, nothing else.
struct Doc {
    out: String,
    markdown: bool,
}

impl Doc {
    fn heading(&mut self, title: &str) {
        if self.markdown {
            let _ = writeln!(self.out, "\n### {title}\n");
        } else {
            let _ = writeln!(self.out, "\n{title}");
        }
    }

    fn esc(&self, s: &str) -> String {
        if self.markdown {
            s.replace('|', "\\|")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        } else {
            s.to_string()
        }
    }

    fn item(&mut self, line: &str) {
        let line = if self.markdown {
            format!("- {}", self.esc(line))
        } else {
            format!("  {line}")
        };
        let _ = writeln!(self.out, "{line}");
    }

    fn none_if_empty(&mut self, empty: bool) {
        if empty {
            let _ = writeln!(self.out, "  none");
        }
    }
}

/// Plain text, or GitHub Markdown (tables) for a pull-request comment.
pub fn render(d: &Diff, markdown: bool) -> String {
    let mut doc = Doc {
        out: String::new(),
        markdown,
    };
    if markdown {
        let _ = writeln!(doc.out, "## diligence diff: `{}` → `{}`", d.old, d.new);
    } else {
        let _ = writeln!(doc.out, "diligence diff: {} -> {}", d.old, d.new);
    }
    verdicts(&mut doc, d);
    doc.heading(&format!("Facts changed ({})", d.facts.len()));
    for f in &d.facts {
        doc.item(&fact_line(f));
    }
    doc.none_if_empty(d.facts.is_empty());
    doc.heading(&format!(
        "Quotes that no longer verify ({})",
        d.broken_quotes.len()
    ));
    for q in &d.broken_quotes {
        let line = format!(
            "{} {}/{} {}: {}",
            q.at, q.vendor, q.offering, q.fact, q.reason
        );
        doc.item(&line);
    }
    doc.none_if_empty(d.broken_quotes.is_empty());
    doc.out
}

fn verdicts(doc: &mut Doc, d: &Diff) {
    doc.heading(&format!("Verdicts changed ({})", d.verdicts.len()));
    if doc.markdown && !d.verdicts.is_empty() {
        let _ = writeln!(
            doc.out,
            "| vendor/offering | classification | old | new | |\n|---|---|---|---|---|"
        );
    }
    for v in &d.verdicts {
        let mark = if v.worse { "WORSE" } else { "better" };
        let line = if doc.markdown {
            format!(
                "| {}/{} | {} | {} | {} | {} |",
                doc.esc(&v.vendor),
                doc.esc(&v.offering),
                doc.esc(&v.classification),
                verdict(v.old),
                verdict(v.new),
                mark
            )
        } else {
            format!(
                "  {:<36} {:<13} {:>11} -> {:<11} {}",
                format!("{}/{}", v.vendor, v.offering),
                v.classification,
                verdict(v.old),
                verdict(v.new),
                mark
            )
        };
        let _ = writeln!(doc.out, "{line}");
    }
    doc.none_if_empty(d.verdicts.is_empty());
}

/// "acme/api retention_days: changed 30 -> 90 [Acme Terms §2.2 (contract)]".
fn fact_line(f: &FactChange) -> String {
    let from = if f.new_sources.is_empty() {
        &f.old_sources
    } else {
        &f.new_sources
    };
    let sources = if from.is_empty() {
        String::new()
    } else {
        format!(" [{}]", from.join("; "))
    };
    format!(
        "{}/{} {}: {} {} -> {}{sources}",
        f.vendor,
        f.offering,
        f.fact,
        f.change,
        show(&f.old),
        show(&f.new)
    )
}
