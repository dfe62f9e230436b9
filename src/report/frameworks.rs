//! `diligence frameworks`: the mapping (framework clause -> rules and facts that evidence it)
//! and, for evaluated offerings, each clause's state, as a terminal table, Markdown or JSON.

use crate::frameworks::{ClauseState, Mapping, OfferingStates, State};
use crate::model::resolved::Evidence;
use crate::model::vocabulary::frameworks::{FRAMEWORKS, Framework};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::io::{self, Write};

/// What the command shows: the mapping, and the states when offerings were given.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub policy: String,
    pub frameworks: Vec<FrameworkInfo>,
    #[serde(flatten)]
    pub mapping: &'a Mapping,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<OfferingStates>,
}

#[derive(Debug, Serialize)]
pub struct FrameworkInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub title: &'static str,
}

impl FrameworkInfo {
    /// The frameworks shown: `only`, or all.
    pub fn list(only: Option<&Framework>) -> Vec<FrameworkInfo> {
        FRAMEWORKS
            .iter()
            .filter(|f| only.is_none_or(|o| o == *f))
            .map(|f| FrameworkInfo {
                id: f.id,
                name: f.name,
                title: f.title,
            })
            .collect()
    }
}

/// Longest quote shown in the table and Markdown (the JSON has it whole).
const QUOTE_CHARS: usize = 100;

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(super::table::DEFAULT_WIDTH)
        .force_no_tty()
        .set_header(header.iter().copied());
    t
}

fn title(t: Option<&str>) -> String {
    t.unwrap_or("").to_string()
}

fn none_if_empty(list: &[String]) -> String {
    if list.is_empty() {
        "—".to_string()
    } else {
        list.join(", ")
    }
}

pub fn render_table(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    if report.results.is_empty() {
        let mut t = table(&["Clause", "Title", "Rules", "Facts"]);
        for m in &report.mapping.clauses {
            let facts: Vec<String> = m.facts.iter().map(|f| f.to_string()).collect();
            t.add_row(vec![
                m.reference.clone(),
                title(m.title),
                none_if_empty(&m.rules),
                none_if_empty(&facts),
            ]);
        }
        super::table::keep_words_whole(&mut t);
        writeln!(out, "Framework mapping (policy {})", report.policy)?;
        writeln!(out, "{t}")?;
        unmapped(out, report, |s| s.to_string())?;
        return Ok(());
    }
    for r in &report.results {
        writeln!(
            out,
            "{}/{} at {}: {}",
            r.vendor,
            r.offering,
            r.classification,
            r.verdict.as_str()
        )?;
        let mut t = table(&["Clause", "State", "Why"]);
        for c in &r.clauses {
            t.add_row(vec![
                match c.title {
                    Some(title) => format!("{}\n{title}", c.reference),
                    None => c.reference.clone(),
                },
                c.state.as_str().to_string(),
                why(c).join("\n"),
            ]);
        }
        super::table::keep_words_whole(&mut t);
        writeln!(out, "{t}")?;
        writeln!(out, "{}\n", counts(&r.clauses))?;
    }
    Ok(())
}

pub fn render_markdown(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let e = super::markdown::escape;
    if report.results.is_empty() {
        writeln!(out, "# Framework mapping\n")?;
        writeln!(out, "Policy `{}`.\n", e(&report.policy))?;
        writeln!(out, "| Clause | Title | Rules | Facts |\n|---|---|---|---|")?;
        for m in &report.mapping.clauses {
            let facts: Vec<String> = m.facts.iter().map(|f| f.to_string()).collect();
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                e(&m.reference),
                e(&title(m.title)),
                e(&none_if_empty(&m.rules)),
                e(&none_if_empty(&facts))
            )?;
        }
        writeln!(out)?;
        unmapped(out, report, e)?;
        return Ok(());
    }
    writeln!(out, "# Framework clauses\n")?;
    writeln!(out, "Policy `{}`.\n", e(&report.policy))?;
    for r in &report.results {
        writeln!(
            out,
            "## {}/{} at {}: {}\n",
            e(&r.vendor),
            e(&r.offering),
            e(&r.classification),
            r.verdict.as_str()
        )?;
        writeln!(out, "| Clause | State | Why |\n|---|---|---|")?;
        for c in &r.clauses {
            let why: Vec<String> = why(c).iter().map(|w| e(w)).collect();
            writeln!(
                out,
                "| {}{} | {} | {} |",
                e(&c.reference),
                c.title.map_or(String::new(), |t| format!(" ({})", e(t))),
                c.state.as_str(),
                why.join("<br>")
            )?;
        }
        writeln!(out, "\n{}\n", counts(&r.clauses))?;
    }
    Ok(())
}

/// A renderer of the report.
pub type Render = fn(&mut dyn Write, &Report) -> io::Result<()>;

pub fn render_json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// The rules that cite no clause, with their reasons.
fn unmapped(
    out: &mut dyn Write,
    report: &Report,
    escape: impl Fn(&str) -> String,
) -> io::Result<()> {
    let m = report.mapping;
    if !m.rules_without_refs.is_empty() {
        writeln!(out, "Rules that cite no clause:")?;
        for u in &m.rules_without_refs {
            let reason = u
                .reason
                .as_deref()
                .unwrap_or("no `//! refs:` line in its header");
            writeln!(out, "- {}: {}", escape(&u.rule), escape(reason))?;
        }
    }
    if !m.facts_without_refs.is_empty() {
        writeln!(out, "Facts whose question evidences no clause:")?;
        for f in &m.facts_without_refs {
            writeln!(out, "- {}: {}", escape(f.fact), escape(f.reason))?;
        }
    }
    Ok(())
}

/// "evidenced 12 · open 5 · failing 2 · not-assessed 3".
fn counts(clauses: &[ClauseState]) -> String {
    [
        State::Evidenced,
        State::Open,
        State::Failing,
        State::NotAssessed,
    ]
    .iter()
    .map(|s| {
        let n = clauses.iter().filter(|c| c.state == *s).count();
        format!("{} {n}", s.as_str())
    })
    .collect::<Vec<_>>()
    .join(" · ")
}

/// What decides a clause's state, one line each: the findings (failing and holding first),
/// the questions, then the claims.
fn why(c: &ClauseState) -> Vec<String> {
    let mut lines = Vec::new();
    let mut findings: Vec<_> = c.findings.iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    for f in findings {
        let waived = if f.waived.is_some() { " (waived)" } else { "" };
        lines.push(format!(
            "{}{waived} {}: {}",
            f.level.as_str(),
            f.rule,
            f.message
        ));
    }
    for q in &c.questions {
        lines.push(format!("ask ({}): {}", q.fact, q.question));
    }
    for e in &c.claims {
        lines.push(claim(e));
    }
    if lines.is_empty() {
        lines.push("no rule raised anything here and no fact evidences it".to_string());
    }
    lines
}

/// `training_on_inputs = never: API Terms §2.3.3 "Perplexity shall not use …"`.
fn claim(e: &Evidence) -> String {
    let value = super::human_value(&e.value);
    let mut text = format!("{} = {value}: {}", e.fact, super::document(e));
    if let Some(section) = &e.section {
        text.push_str(&format!(" §{section}"));
    }
    if let Some(quote) = &e.quote {
        let short: String = quote.chars().take(QUOTE_CHARS).collect();
        let more = if quote.chars().count() > QUOTE_CHARS {
            "…"
        } else {
            ""
        };
        text.push_str(&format!(" “{short}{more}”"));
    }
    text
}
