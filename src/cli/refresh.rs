//! `diligence refresh [VENDOR...] --repo PATH`: newer archived versions, fact by fact.

use super::args::parse_today;
use super::{Failure, Global, Outcome, write_human, write_stdout};
use crate::intake::ota::Repo;
use crate::intake::refresh::{self, FactReport, Report, Status};
use crate::report::sanitize::clean;
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RefreshFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct RefreshArgs {
    /// Vendors to refresh (default: all)
    pub vendors: Vec<String>,
    /// The Open Terms Archive versions repository (a local clone, updated with `git pull`)
    #[arg(long, value_name = "PATH")]
    pub repo: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = RefreshFormat::Table)]
    pub format: RefreshFormat,
    /// The policy the verdicts are evaluated with
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub policy: String,
    /// Evaluate as of this date: YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

pub fn run(global: &Global, args: RefreshArgs) -> Outcome {
    super::snapshot::check_workspace(&global.dir)?;
    let today = parse_today(args.today.as_deref())?;
    let repo = Repo::open(&args.repo)?;
    let report = refresh::refresh(&global.dir, &repo, &args.vendors, &args.policy, today)
        .map_err(Failure)?;
    match args.format {
        RefreshFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).map_err(|e| {
                crate::diag::Diagnostic::error(format!("cannot serialize the report: {e}"))
            })?;
            s.push('\n');
            write_stdout(s.as_bytes())?;
        }
        RefreshFormat::Table => write_human(table(&report).as_bytes())?,
        RefreshFormat::Markdown => write_human(markdown(&report).as_bytes())?,
    }
    Ok(if report.needs_review() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

fn verdict(v: Option<crate::outcome::Verdict>) -> &'static str {
    v.map_or("(none)", |v| v.as_str())
}

fn table(r: &Report) -> String {
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
                "  {:<28} changed in meaning: [{}] -> ",
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
    let _ = writeln!(out, "      claim at {}", c(&f.at));
}

fn md(s: &str) -> String {
    clean(s).replace('|', "\\|").replace('\n', " ")
}

fn markdown(r: &Report) -> String {
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
