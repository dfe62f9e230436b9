//! `refresh`'s report: for each newer archived version of a source, which facts and verdicts
//! it breaks, as a terminal table or Markdown (the JSON is the report serialized).

use super::sanitize::clean;
use crate::intake::refresh::{FactReport, Report, Status};
use std::fmt::Write as _;

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

fn verdict(v: Option<crate::outcome::Verdict>) -> &'static str {
    v.map_or("(none)", |v| v.as_str())
}

/// The report for the terminal, cleaned by the sanitizer.
pub fn table(r: &Report) -> String {
    clean(&table_text(r)).into_owned()
}

fn table_text(r: &Report) -> String {
    let mut out = String::new();
    let c = |s: &str| clean(s).into_owned();
    if r.sources.is_empty() {
        out.push_str("no source cites an Open Terms Archive version (import one with `diligence import ota`)\n");
    }
    for s in &r.sources {
        let _ = writeln!(
            out,
            "{}/{}  ({}, cited {})",
            c(&s.vendor),
            c(&s.source),
            c(&s.path),
            short(&s.cited_commit)
        );
        if s.newer.is_empty() {
            out.push_str("  up to date: no version recorded after the one cited\n");
            continue;
        }
        for v in &s.newer {
            let _ = writeln!(
                out,
                "  newer: {} {} ({}) -> {}{}",
                c(&v.recorded),
                short(&v.commit),
                v.kind,
                c(&v.snapshot),
                if v.archived_now {
                    ""
                } else {
                    " (already archived)"
                }
            );
        }
        if let Some(why) = &s.failed_capture {
            let _ = writeln!(
                out,
                "  failed capture: {}; not read as the new terms (facts not compared)",
                c(why)
            );
        }
        for f in &s.facts {
            fact_lines(&mut out, f);
        }
        for ch in &s.changes {
            let old: Vec<String> = ch.old.iter().map(|v| v.to_string()).collect();
            let _ = writeln!(
                out,
                "  {:<28} changed in meaning: was [{}]",
                c(&ch.fact),
                c(&old.join(", "))
            );
            for (v, clause) in &ch.new {
                let _ = writeln!(
                    out,
                    "      proposed value {}: \"{}\"",
                    c(&v.to_string()),
                    c(clause)
                );
            }
            if ch.new.is_empty() {
                out.push_str("      the latest version no longer states a value\n");
            }
        }
    }
    if !r.verdicts.is_empty() {
        out.push_str("\nverdicts that change if the profiles cite the latest versions:\n");
        for v in &r.verdicts {
            let _ = writeln!(
                out,
                "  {}/{} {}: {} -> {}",
                c(&v.vendor),
                c(&v.offering),
                c(&v.classification),
                verdict(v.old),
                verdict(v.new)
            );
        }
    }
    if r.needs_review() {
        out.push_str("\nreview the facts above; to cite a newer version: `diligence import ota ... VENDOR SOURCE` (then `diligence check`)\n");
    }
    out
}

/// One fact of a source: its status and where it now stands; for a broken quote, the closest
/// passage, the word diff and where the claim is.
fn fact_lines(out: &mut String, f: &FactReport) {
    let c = |s: &str| clean(s).into_owned();
    let where_ = match (&f.was_in, &f.now_in, &f.status) {
        (Some(a), Some(b), Status::Moved) => format!(" (§{a} -> §{b})"),
        (_, Some(b), Status::Broken) => format!(" (closest in §{b})"),
        (_, Some(b), _) => format!(" (§{b})"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "  {:<28} {:<16} {}{where_}",
        c(&f.fact),
        c(&f.offering),
        f.status.as_str()
    );
    if f.status != Status::Broken {
        return;
    }
    if f.exception {
        let _ = writeln!(out, "      the carve-out (exceptions:) \"{}\"", c(&f.quote));
    }
    if let (Some(word), Some(p)) = (&f.mentions, &f.closest) {
        let _ = writeln!(
            out,
            "      `not_stated`, but the latest version now mentions \"{}\": \"{}\"",
            c(word),
            c(p)
        );
    }
    if let (Some(p), Some(sim)) = (&f.closest, f.similarity) {
        let _ = writeln!(
            out,
            "      closest passage ({:.0}% similar): \"{}\"",
            sim * 100.0,
            c(p)
        );
    }
    if let Some(d) = &f.diff {
        let _ = writeln!(out, "      word diff: {}", c(d));
    }
    if let Some(p) = &f.proposed {
        let _ = writeln!(
            out,
            "      proposed value {}: \"{}\" (read as: {})",
            c(&p.value.to_string()),
            c(&p.quote),
            c(&p.why)
        );
    }
    let _ = writeln!(out, "      claim at {}", c(&f.at));
}

fn md(s: &str) -> String {
    clean(s).replace('|', "\\|").replace('\n', " ")
}

/// The report as Markdown, cleaned by the sanitizer.
pub fn markdown(r: &Report) -> String {
    clean(&markdown_text(r)).into_owned()
}

fn markdown_text(r: &Report) -> String {
    let mut out = String::from("# Refresh from the archive\n\n");
    for s in &r.sources {
        let _ = writeln!(
            out,
            "## {}/{}\n\n`{}`, cited version `{}`.\n",
            md(&s.vendor),
            md(&s.source),
            md(&s.path),
            short(&s.cited_commit)
        );
        if s.newer.is_empty() {
            out.push_str("Up to date: no version recorded after the one cited.\n\n");
            continue;
        }
        for v in &s.newer {
            let _ = writeln!(
                out,
                "- newer version recorded {} (`{}`, {}): `{}`",
                md(&v.recorded),
                short(&v.commit),
                v.kind,
                md(&v.snapshot)
            );
        }
        out.push_str("\n| Fact | Offering | Status | Where | Word diff |\n|---|---|---|---|---|\n");
        for f in &s.facts {
            let where_ = match (&f.was_in, &f.now_in) {
                (Some(a), Some(b)) if a != b => format!("§{a} → §{b}"),
                (_, Some(b)) => format!("§{b}"),
                _ => String::new(),
            };
            // What broke, when it is not the claim's own quote: a carve-out, or a silence.
            let status = match (f.exception, &f.mentions) {
                (true, _) => format!("{} (carve-out)", f.status.as_str()),
                (false, Some(word)) => {
                    format!(
                        "{} (`not_stated`, now mentions \"{}\")",
                        f.status.as_str(),
                        md(word)
                    )
                }
                (false, None) => f.status.as_str().to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(&f.fact),
                md(&f.offering),
                status,
                md(&where_),
                f.diff.as_deref().map(md).unwrap_or_default()
            );
        }
        out.push('\n');
    }
    if !r.verdicts.is_empty() {
        out.push_str("## Verdicts that change\n\n| Offering | Classification | Now | With the latest versions |\n|---|---|---|---|\n");
        for v in &r.verdicts {
            let _ = writeln!(
                out,
                "| {}/{} | {} | {} | {} |",
                md(&v.vendor),
                md(&v.offering),
                md(&v.classification),
                verdict(v.old),
                verdict(v.new)
            );
        }
    }
    out
}
