//! `diff` as plain text, or GitHub Markdown (tables) for a pull-request comment.

use crate::diff::Diff;
use std::fmt::Write as _;

fn show(v: &Option<serde_json::Value>) -> String {
    v.as_ref().map_or("(unknown)".into(), |v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn verdict(v: Option<crate::outcome::Verdict>) -> &'static str {
    v.map_or("(none)", |v| v.as_str())
}

/// Plain text, or GitHub Markdown (tables) for a pull-request comment.
pub fn render(d: &Diff, markdown: bool) -> String {
    let mut out = String::new();
    let h = |out: &mut String, title: &str| {
        if markdown {
            let _ = writeln!(out, "\n### {title}\n");
        } else {
            let _ = writeln!(out, "\n{title}");
        }
    };
    let esc = |s: &str| {
        if markdown {
            s.replace('|', "\\|")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        } else {
            s.to_string()
        }
    };
    if markdown {
        let _ = writeln!(out, "## diligence diff: `{}` → `{}`", d.old, d.new);
    } else {
        let _ = writeln!(out, "diligence diff: {} -> {}", d.old, d.new);
    }
    h(
        &mut out,
        &format!("Verdicts changed ({})", d.verdicts.len()),
    );
    if markdown && !d.verdicts.is_empty() {
        let _ = writeln!(
            out,
            "| vendor/offering | classification | old | new | |\n|---|---|---|---|---|"
        );
    }
    for v in &d.verdicts {
        let mark = if v.worse { "WORSE" } else { "better" };
        if markdown {
            let _ = writeln!(
                out,
                "| {}/{} | {} | {} | {} | {} |",
                esc(&v.vendor),
                esc(&v.offering),
                esc(&v.classification),
                verdict(v.old),
                verdict(v.new),
                mark
            );
        } else {
            let _ = writeln!(
                out,
                "  {:<36} {:<13} {:>11} -> {:<11} {}",
                format!("{}/{}", v.vendor, v.offering),
                v.classification,
                verdict(v.old),
                verdict(v.new),
                mark
            );
        }
    }
    if d.verdicts.is_empty() {
        let _ = writeln!(out, "  none");
    }
    h(&mut out, &format!("Facts changed ({})", d.facts.len()));
    for f in &d.facts {
        let line = format!(
            "{}/{} {}: {} {} -> {}",
            f.vendor,
            f.offering,
            f.fact,
            f.change,
            show(&f.old),
            show(&f.new)
        );
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
        if markdown {
            let _ = writeln!(out, "- {}{}", esc(&line), esc(&sources));
        } else {
            let _ = writeln!(out, "  {line}{sources}");
        }
    }
    if d.facts.is_empty() {
        let _ = writeln!(out, "  none");
    }
    h(
        &mut out,
        &format!("Quotes that no longer verify ({})", d.broken_quotes.len()),
    );
    for q in &d.broken_quotes {
        let line = format!(
            "{} {}/{} {}: {}",
            q.at, q.vendor, q.offering, q.fact, q.reason
        );
        if markdown {
            let _ = writeln!(out, "- {}", esc(&line));
        } else {
            let _ = writeln!(out, "  {line}");
        }
    }
    if d.broken_quotes.is_empty() {
        let _ = writeln!(out, "  none");
    }
    out
}
