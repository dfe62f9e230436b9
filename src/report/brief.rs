//! `diligence brief`: a one-offering decision brief for the procurement meeting, in HTML (to
//! print on A4 or Letter, the verdict on page 1) or Markdown (for a ticket).
//!
//! In order: a header (who reviewed the facts and when, the policy, the workspace's git commit),
//! the verdict at the classification asked, what blocks, the conditions to write into the
//! contract, the questions still open (one list, each question once), the waivers in force,
//! warnings, a sign-off block, then an appendix with the evidence each finding rests on.

use super::{
    LEGEND, deciding, document, human_value, linkable, markdown::escape, markdown_as_text,
};
use crate::model::resolved::Evidence;
use crate::outcome::Level;
use crate::outcome::{Finding, OfferingResult, Verdict};
use maud::{DOCTYPE, Markup, html};
use std::io::{self, Write};

/// What the brief says about where the review comes from.
#[derive(Debug, Clone)]
pub struct Context {
    pub policy: String,
    pub organization: String,
    /// The evaluation date (`--today`).
    pub today: String,
    /// When a person last checked the profile's facts (`reviewed:`).
    pub reviewed: Option<String>,
    /// Who did (`reviewers:`).
    pub reviewers: Vec<String>,
    /// The workspace's folder name and git commit.
    pub workspace: String,
    /// The decisions taken on this offering at this coverage, oldest first (`decisions/`).
    pub history: Vec<String>,
}

/// The brief's content, sorted out once for both formats.
pub struct Brief<'a> {
    pub blocks: Vec<&'a Finding>,
    pub conditions: Vec<&'a Finding>,
    pub waived: Vec<&'a Finding>,
    pub notes: Vec<&'a Finding>,
    /// Each claim once, in the order the findings above cite them.
    pub evidence: Vec<&'a Evidence>,
    findings: &'a [Finding],
}

impl<'a> Brief<'a> {
    pub fn new(result: &'a OfferingResult) -> Self {
        let unwaived = |level: Level| -> Vec<&'a Finding> {
            result
                .findings
                .iter()
                .filter(|f| f.level == level && f.waived.is_none())
                .collect()
        };
        let waived: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| f.waived.is_some())
            .collect();
        // Warnings are worth a line in the meeting; info notes (e.g. an outvoted analysis) are
        // in the full report.
        let notes = unwaived(Level::Warn);
        let (blocks, conditions, holds) = (
            unwaived(Level::Block),
            unwaived(Level::Condition),
            unwaived(Level::Hold),
        );
        let mut evidence: Vec<&Evidence> = Vec::new();
        for f in blocks
            .iter()
            .chain(&conditions)
            .chain(&holds)
            .chain(&waived)
            .chain(&notes)
        {
            for e in &f.evidence {
                let e: &Evidence = e;
                if !evidence.iter().any(|x| x.at == e.at && x.fact == e.fact) {
                    evidence.push(e);
                }
            }
        }
        Brief {
            blocks,
            conditions,
            waived,
            notes,
            evidence,
            findings: &result.findings,
        }
    }

    /// The questions still open, from the one computation of what is open
    /// ([`crate::outcome::open`], which `questions` reads too): one line per fact to ask the
    /// vendor about (`fact: what to ask`), then the reviewer's own tasks.
    pub fn questions(&self) -> Vec<String> {
        use crate::outcome::open::Open;
        let items = crate::outcome::open::items(self.findings);
        let mut out: Vec<String> = items
            .iter()
            .filter_map(|o| match o {
                Open::Question { fact, ask } => Some(format!("{fact}: {ask}")),
                Open::Task(_) => None,
            })
            .collect();
        out.extend(items.into_iter().filter_map(|o| match o {
            Open::Task(task) => Some(format!("For the reviewer: {task}")),
            Open::Question { .. } => None,
        }));
        out
    }
}

fn meaning(v: Verdict) -> &'static str {
    LEGEND
        .iter()
        .find(|(x, _)| *x == v)
        .map(|(_, m)| *m)
        .unwrap_or("")
}

/// "Perplexity API Terms of Service §2.3.3" for each deciding claim of a finding.
fn cites(f: &Finding) -> Vec<String> {
    // One entry a document, its sections together ("Terms §4.2, §4.3"): a long title is not
    // repeated for each section it is cited at.
    let mut docs: Vec<(String, Vec<String>)> = Vec::new();
    for e in deciding(f) {
        let doc = document(e);
        let at = match docs.iter().position(|(d, _)| *d == doc) {
            Some(i) => i,
            None => {
                docs.push((doc, Vec::new()));
                docs.len() - 1
            }
        };
        if let Some(s) = &e.section {
            let s = format!("§{s}");
            if !docs[at].1.contains(&s) {
                docs[at].1.push(s);
            }
        }
    }
    docs.into_iter()
        .map(|(doc, sections)| match sections.is_empty() {
            true => doc,
            false => format!("{doc} {}", sections.join(", ")),
        })
        .collect()
}

fn reviewers_text(ctx: &Context) -> String {
    // A blank entry (`reviewers: [""]`) names no one.
    let named: Vec<&str> = ctx
        .reviewers
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .collect();
    if named.is_empty() {
        "not recorded (add reviewers: to the profile)".to_string()
    } else {
        named.join(", ")
    }
}

fn scope_text(r: &OfferingResult) -> String {
    if r.tags.is_empty() {
        r.classification.clone()
    } else {
        format!("{} + {}", r.classification, r.tags.join(", "))
    }
}

const CSS: &str = r#"
:root { --go: #1e6b35; --go-bg: #dcf3e3; --conditional: #7a5200; --conditional-bg: #fff0c2;
  --hold: #5b2c6f; --hold-bg: #ece3f3; --no-go: #9c0006; --no-go-bg: #ffd9dc;
  --muted: #5f6b76; --line: #d8dde3; --ink: #1b1f24; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink);
  font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 180mm; margin: 0 auto; padding: 16px; }
h1 { font-size: 17pt; margin: 0 0 2px; }
h2 { font-size: 12.5pt; margin: 10px 0 4px; break-after: avoid; page-break-after: avoid; }
.sub { color: var(--muted); margin: 0 0 8px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1px 12px; margin: 0 0 10px;
  font-size: 9.5pt; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.verdict { border: 2px solid currentColor; border-radius: 6px; padding: 8px 12px; margin: 6px 0 10px; }
.verdict .big { font-size: 20pt; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; }
.verdict .what { display: block; }
.v-go { background: var(--go-bg); color: var(--go); }
.v-conditional { background: var(--conditional-bg); color: var(--conditional); }
.v-hold { background: var(--hold-bg); color: var(--hold); }
.v-no-go { background: var(--no-go-bg); color: var(--no-go); }
ol, ul { margin: 2px 0 6px; padding-left: 20px; }
li { margin: 0 0 4px; break-inside: avoid; page-break-inside: avoid; }
.rule { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 8.5pt;
  color: var(--muted); }
.cite { color: var(--muted); font-size: 9pt; }
.none { color: var(--muted); font-style: italic; margin: 2px 0 6px; }
.signoff { border: 1px solid var(--ink); border-radius: 4px; padding: 8px 12px; margin-top: 12px;
  break-inside: avoid; page-break-inside: avoid; }
.signoff table { width: 100%; border-collapse: collapse; }
.signoff td { padding: 6px 4px 2px; vertical-align: bottom; }
.signoff td.label { width: 22%; color: var(--muted); white-space: nowrap; }
.signoff td.label.date { width: 8%; padding-left: 12px; }
.signoff td.line { border-bottom: 1px solid var(--ink); height: 22px; }
.signoff td.line.date { width: 22%; }
.box { display: inline-block; width: 10px; height: 10px; border: 1px solid var(--ink); margin: 0 4px 0 10px; }
section.appendix { break-before: page; page-break-before: always; }
.claim { margin: 0 0 8px; break-inside: avoid; page-break-inside: avoid; }
blockquote { margin: 2px 0 0; padding: 2px 10px; border-left: 3px solid #b9c2cc; font-style: italic; }
footer { margin-top: 12px; font-size: 8.5pt; color: var(--muted); }
@media print {
  @page { margin: 14mm 14mm 16mm; }
  main { max-width: none; padding: 0; }
  .verdict, .v-go, .v-conditional, .v-hold, .v-no-go { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn finding_item(f: &Finding, show_action: bool) -> Markup {
    let cited = cites(f);
    html! {
        li {
            (f.message)
            @if show_action {
                @if let Some(a) = f.action.as_deref().filter(|a| !a.is_empty()) {
                    br; "→ " (a)
                }
            }
            " " span.rule { "(" (f.rule) ")" }
            @if !cited.is_empty() { br; span.cite { "Cited: " (cited.join("; ")) } }
        }
    }
}

fn section(title: &str, items: &[&Finding], empty: &str, show_action: bool) -> Markup {
    html! {
        h2 { (title) }
        @if items.is_empty() {
            p.none { (empty) }
        } @else {
            ol { @for f in items { (finding_item(f, show_action)) } }
        }
    }
}

pub fn render_html(result: &OfferingResult, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let b = Brief::new(result);
    let r = result;
    let v = r.verdict;
    let title = format!(
        "Decision brief: {} — {} at {}",
        r.vendor_name,
        r.offering_name,
        scope_text(r)
    );
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            (super::html::head(&title, CSS))
            body { main {
                (header_html(r, ctx))
                div class={ "verdict v-" (v.as_str()) } {
                    span.big { (v.as_str()) }
                    span.what { "at " (scope_text(r)) ": " (meaning(v)) "." }
                }
                @if let Some(d) = &r.decision {
                    p.decision { strong { "Decision in force: " } (decision_text(d)) }
                }
                @if !r.errors.is_empty() {
                    h2 { "Rules that failed" }
                    p { "These rules failed at run time: the verdict cannot be trusted until they are fixed." }
                    ul { @for e in &r.errors { li { code { (e.rule) } " at " (e.at) ": " (e.message) } } }
                }
                // Vendor and offering notes here; a claim's note is shown with the claim in
                // the appendix.
                @let notes = super::offering_notes(r);
                @if !notes.is_empty() {
                    h2 { "Reviewer's notes" }
                    ul { @for n in &notes { li { (n) } } }
                }
                (section("What blocks", &b.blocks, "Nothing blocks.", true))
                (section("Conditions to write into the contract", &b.conditions, "No conditions.", true))
                (questions_html(&b.questions()))
                (waivers_html(&b.waived))
                @if !b.notes.is_empty() {
                    (section("Notes", &b.notes, "", true))
                }
                (signoff_html())
                @if !b.evidence.is_empty() {
                    section.appendix {
                        h2 { "Appendix: evidence" }
                        @for e in &b.evidence { (claim_html(e)) }
                    }
                }
                h2 { "Decision history" }
                @if ctx.history.is_empty() {
                    p { "No decision recorded yet (`diligence decide`)." }
                } @else {
                    ol { @for h in &ctx.history { li { (h) } } }
                }
                footer {
                    "Generated by diligence " (env!("CARGO_PKG_VERSION")) " from " (ctx.workspace)
                    ". Quotes are from the archived copies under vendors/" (r.vendor) "/sources/."
                }
            } }
        }
    };
    out.write_all(page.into_string().as_bytes())?;
    out.write_all(b"\n")
}

/// Who and what: the offering, the policy, the dates, the reviewers and the workspace.
fn header_html(r: &OfferingResult, ctx: &Context) -> Markup {
    html! {
        header {
            h1 { (r.vendor_name) " — " (r.offering_name) }
            p.sub { "Decision brief · " (r.vendor) "/" (r.offering) " (" (r.tier) ") at " strong { (scope_text(r)) } }
            dl.meta {
                dt { "Policy" } dd { (ctx.policy) " (" (ctx.organization) ")" }
                dt { "Evaluated as of" } dd { (ctx.today) }
                dt { "Facts reviewed" } dd {
                    (ctx.reviewed.as_deref().unwrap_or("no review date in the profile"))
                }
                dt { "Reviewers" } dd { (reviewers_text(ctx)) }
                dt { "Workspace" } dd { (ctx.workspace) }
            }
        }
    }
}

fn questions_html(questions: &[String]) -> Markup {
    html! {
        h2 { "Questions still open" }
        @if questions.is_empty() {
            p.none { "No open questions." }
        } @else {
            ol { @for q in questions { li { (q) } } }
        }
    }
}

fn waivers_html(waived: &[&Finding]) -> Markup {
    html! {
        h2 { "Waivers in force" }
        @if waived.is_empty() {
            p.none { "No waivers." }
        } @else {
            ul {
                @for f in waived {
                    @if let Some(w) = &f.waived {
                        li {
                            (f.message) " " span.rule { "(" (f.rule) ", " (f.level.as_str()) ")" }
                            br; "Waived until " (w.expires) ", approved by " (w.approved_by) ": " (w.reason)
                        }
                    }
                }
            }
        }
    }
}

/// Boxes to tick and lines to sign on paper.
fn signoff_html() -> Markup {
    html! {
        div.signoff {
            strong { "Sign-off" }
            // Three rows (approver and date side by side), so that the block fits under a
            // short brief on page 1.
            table {
                tr { td.label { "Decision" } td colspan="3" {
                    @for x in ["go", "conditional", "hold", "no-go"] { span.box {} (x) }
                } }
                tr {
                    td.label { "Approver" } td.line {}
                    td.label.date { "Date" } td.line.date {}
                }
                tr { td.label { "Conditions accepted" } td.line colspan="3" {} }
            }
        }
    }
}

fn claim_html(e: &Evidence) -> Markup {
    let doc = document(e);
    html! {
        div.claim {
            strong { (e.fact) } " = " (human_value(&e.value))
            " · " (e.authority.as_str().replace('_', " ")) " · " (e.role.as_str())
            br;
            span.cite {
                (doc) @if let Some(s) = &e.section { " §" (s) }
                @if let Some(u) = e.url.as_deref().filter(|u| linkable(u)) { " · " (u) }
                " · " (e.at)
            }
            @if let Some(q) = &e.quote { blockquote { (markdown_as_text(q)) } }
            @for x in &e.exceptions {
                p.cite { "Except" @if let Some(sec) = &x.section { " (§" (sec) ")" } ": " q { (markdown_as_text(&x.quote)) } }
            }
            @if let Some(n) = &e.note { p.cite { "Note: " (n) } }
        }
    }
}

pub fn render_markdown(
    result: &OfferingResult,
    ctx: &Context,
    out: &mut dyn Write,
) -> io::Result<()> {
    let b = Brief::new(result);
    let r = result;
    let mut s = header_markdown(r, ctx);
    if let Some(d) = &r.decision {
        s.push_str(&format!(
            "\n**Decision in force:** {}\n",
            escape(&decision_text(d))
        ));
    }
    if !r.errors.is_empty() {
        s.push_str(
            "\n## Rules that failed\n\nThe verdict cannot be trusted until they are fixed.\n\n",
        );
        for e in &r.errors {
            s.push_str(&format!(
                "- `{}` at `{}`: {}\n",
                e.rule.replace('`', "'"),
                e.at.replace('`', "'"),
                escape(&e.message)
            ));
        }
    }
    // Vendor and offering notes here; a claim's note is shown with the claim in the appendix.
    let notes = super::offering_notes(r);
    if !notes.is_empty() {
        s.push_str("\n## Reviewer's notes\n\n");
        for n in &notes {
            s.push_str(&format!("- {}\n", escape(n)));
        }
    }
    s.push_str(&list_markdown("What blocks", &b.blocks, "Nothing blocks."));
    s.push_str(&list_markdown(
        "Conditions to write into the contract",
        &b.conditions,
        "No conditions.",
    ));
    s.push_str("\n## Questions still open\n\n");
    let questions = b.questions();
    if questions.is_empty() {
        s.push_str("_No open questions._\n");
    }
    for (i, q) in questions.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", i + 1, escape(q)));
    }
    s.push_str(&waivers_markdown(&b.waived));
    if !b.notes.is_empty() {
        s.push_str(&list_markdown("Notes", &b.notes, ""));
    }
    s.push_str(
        "\n## Sign-off\n\n| | |\n|---|---|\n| Decision | ☐ go ☐ conditional ☐ hold ☐ no-go |\n| Approver | |\n| Date | |\n| Conditions accepted | |\n",
    );
    if !b.evidence.is_empty() {
        s.push_str("\n## Appendix: evidence\n");
        for e in &b.evidence {
            s.push_str(&claim_markdown(e));
        }
    }
    s.push_str("\n## Decision history\n\n");
    if ctx.history.is_empty() {
        s.push_str("_No decision recorded yet (`diligence decide`)._\n");
    }
    for (i, h) in ctx.history.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", i + 1, escape(h)));
    }
    out.write_all(s.as_bytes())
}

/// The title, who and what, and the verdict with its meaning.
fn header_markdown(r: &OfferingResult, ctx: &Context) -> String {
    let v = r.verdict;
    let lines = [
        format!(
            "# Decision brief: {} — {}",
            escape(&r.vendor_name),
            escape(&r.offering_name)
        ),
        String::new(),
        format!(
            "`{}/{}` ({}) at **{}**  ",
            r.vendor.replace('`', "'"),
            r.offering.replace('`', "'"),
            escape(&r.tier),
            escape(&scope_text(r))
        ),
        format!(
            "Policy: {} ({}) · evaluated as of {}  ",
            escape(&ctx.policy),
            escape(&ctx.organization),
            escape(&ctx.today)
        ),
        format!(
            "Facts reviewed: {} · reviewers: {}  ",
            escape(
                ctx.reviewed
                    .as_deref()
                    .unwrap_or("no review date in the profile")
            ),
            escape(&reviewers_text(ctx))
        ),
        format!("Workspace: {}", escape(&ctx.workspace)),
        String::new(),
        format!("## Verdict: **{}**", escape(&v.as_str().to_uppercase())),
        String::new(),
        format!("At {}: {}.", escape(&scope_text(r)), meaning(v)),
    ];
    let mut s = String::new();
    for line in lines {
        s.push_str(&line);
        s.push('\n');
    }
    s
}

/// A numbered list of findings, each with its action and citations; `empty` when none.
fn list_markdown(title: &str, items: &[&Finding], empty: &str) -> String {
    let mut t = format!("\n## {title}\n\n");
    if items.is_empty() {
        t.push_str(&format!("_{empty}_\n"));
    }
    for (i, f) in items.iter().enumerate() {
        t.push_str(&format!("{}. {} (`{}`)", i + 1, escape(&f.message), f.rule));
        if let Some(a) = f.action.as_deref().filter(|a| !a.is_empty()) {
            t.push_str(&format!("  \n   → {}", escape(a)));
        }
        let c = cites(f);
        if !c.is_empty() {
            t.push_str(&format!("  \n   Cited: {}", escape(&c.join("; "))));
        }
        t.push('\n');
    }
    t
}

fn waivers_markdown(waived: &[&Finding]) -> String {
    let mut s = String::from("\n## Waivers in force\n\n");
    if waived.is_empty() {
        s.push_str("_No waivers._\n");
    }
    for f in waived {
        if let Some(w) = &f.waived {
            s.push_str(&format!(
                "- {} (`{}`): waived until {}, approved by {}: {}\n",
                escape(&f.message),
                f.rule,
                escape(&w.expires),
                escape(&w.approved_by),
                escape(&w.reason)
            ));
        }
    }
    s
}

/// One claim of the appendix: the value, its authority and role, where it is from, its quote.
fn claim_markdown(e: &Evidence) -> String {
    let mut cite = escape(&document(e));
    if let Some(sec) = &e.section {
        cite.push_str(&format!(" §{}", escape(sec)));
    }
    if let Some(u) = e.url.as_deref().and_then(super::markdown::destination) {
        cite = format!("[{cite}]({u})");
    }
    let mut s = format!(
        "\n**{}** = {} · {} · {} · {} · `{}`\n",
        escape(&e.fact),
        escape(&human_value(&e.value)),
        escape(&e.authority.as_str().replace('_', " ")),
        escape(e.role.as_str()),
        cite,
        e.at.replace('`', "'")
    );
    if let Some(q) = &e.quote {
        s.push_str(&format!("\n> {}\n", escape(&markdown_as_text(q))));
    }
    for x in &e.exceptions {
        let at = x
            .section
            .as_deref()
            .map(|sec| format!(" (§{})", escape(sec)))
            .unwrap_or_default();
        s.push_str(&format!(
            "\nExcept{at}: \"{}\"\n",
            escape(&markdown_as_text(&x.quote))
        ));
    }
    if let Some(n) = &e.note {
        s.push_str(&format!("\nNote: {}\n", escape(n)));
    }
    s
}

/// "approved with conditions on 2026-11-24 by Jane Doe (CISO) (verdict then: conditional; 1
/// condition open; review by 2027-11-24)".
fn decision_text(d: &crate::outcome::DecisionNote) -> String {
    format!(
        "{} on {} by {} (verdict then: {}; {} condition(s) open; review by {})",
        d.outcome.replace('_', " "),
        d.date,
        d.by,
        d.verdict.as_str(),
        d.open_conditions,
        d.review_by
    )
}
