//! `--format html`: one self-contained page (inline CSS, no network, no script) to read on
//! screen or print as a handout: a header (policy, organization, date, workspace name and git
//! commit), the verdict matrix with the rules that drive each non-go cell, then per offering the
//! findings as cards (waivers with reason, approver and expiry; citations pointing into the
//! evidence), then the evidence: each claim once, with its quote and link.
//!
//! In print the matrix starts on page 1 (its rows never split, its header repeats), a card
//! never splits, values read as prose ("SOC 2 Type II, expires 2027-03-31") and Markdown in
//! quotes as text.
//!
//! Built with maud: markup is checked at compile time and every spliced value is HTML-escaped
//! unless explicitly marked otherwise (only the constant stylesheet is), so nothing from a
//! profile, policy or rule can inject markup. A Content-Security-Policy forbids scripts and
//! network loads as a second line of defence.

use super::{
    Merged, OfferingRow, Style, applies_to, cell_text, linkable, merged, offerings, scope_line,
    tags,
};
use crate::model::resolved::Evidence;
use crate::outcome::Level;
use crate::outcome::{Evaluation, Finding, OfferingResult, Verdict};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The report's stylesheet: verdict colours, cards, print rules (the review site links it too).
pub(crate) const CSS: &str = r#"
:root {
  --go: #1e6b35; --go-bg: #dcf3e3;
  --conditional: #7a5200; --conditional-bg: #fff0c2;
  --hold: #5b2c6f; --hold-bg: #ece3f3;
  --no-go: #9c0006; --no-go-bg: #ffd9dc;
  --muted: #5f6b76; --line: #d8dde3; --ink: #1b1f24; --paper: #ffffff; --soft: #f5f7f9;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--soft); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: var(--paper); }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 8px; border-top: 2px solid var(--line); }
h2 small { font-weight: normal; color: var(--muted); font-size: 14px; }
.subtitle { margin: 0 0 12px; color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 8px;
  font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; font-size: 13px; text-transform: uppercase; letter-spacing: .03em; }
table.matrix { table-layout: fixed; }
table.matrix thead th:first-child { width: 26%; }
table.matrix tbody th { font-weight: 600; }
table.matrix tbody th a { color: inherit; text-decoration: none; }
table.matrix tbody th a:hover { text-decoration: underline; }
table.matrix tbody th small { display: block; font-weight: normal; color: var(--muted); }
td.v { font-weight: 600; }
td.v .ndrivers { display: none; }
td.v .drivers { display: block; font-weight: normal; font-size: 12px; margin-top: 2px; opacity: .9; }
.v-go { background: var(--go-bg); color: var(--go); }
.v-conditional { background: var(--conditional-bg); color: var(--conditional); }
.v-hold { background: var(--hold-bg); color: var(--hold); }
.v-no-go, .v-error { background: var(--no-go-bg); color: var(--no-go); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 13px;
  font-weight: 600; white-space: nowrap; }
.legend { font-size: 13px; color: var(--muted); margin: 8px 0 0; }
.legend .badge { margin-right: 4px; }
.verdicts { margin: 4px 0 12px; }
.verdicts .badge { margin: 0 6px 4px 0; }
ol.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid var(--line); border-left: 6px solid var(--line); border-radius: 4px;
  padding: 10px 14px; margin: 0 0 10px; break-inside: avoid; page-break-inside: avoid; }
li.l-block { border-left-color: var(--no-go); }
li.l-hold { border-left-color: var(--hold); }
li.l-condition { border-left-color: #d9a300; }
li.l-warn { border-left-color: #e0a050; }
li.waived { border-left-style: dashed; }
.finding .head { font-size: 13px; color: var(--muted); }
.finding .head .badge { text-transform: uppercase; letter-spacing: .03em; font-size: 12px; }
.l-info .head .badge, .l-pass .head .badge, .l-warn .head .badge { background: #eef1f4; color: var(--ink); }
.finding .message { margin: 6px 0 2px; font-weight: 600; }
.finding .action { margin: 2px 0; }
.waiver { margin: 8px 0 0; padding: 6px 10px; border: 1px dashed var(--muted); border-radius: 4px;
  background: var(--soft); font-size: 14px; }
.evidence { margin: 8px 0 0; }
blockquote { margin: 6px 0 0; padding: 4px 12px; border-left: 3px solid #b9c2cc; color: #30363d;
  background: var(--soft); font-style: italic; }
.cite { margin: 2px 0 6px 15px; font-size: 13px; color: var(--muted); }
.cited, .refs { margin: 6px 0 0; font-size: 13px; color: var(--muted); }
.cited a { color: inherit; }
div.claim { margin: 0 0 12px; break-inside: avoid; page-break-inside: avoid; }
div.claim .head { font-size: 13px; }
.cite.weak { opacity: .85; }
.role { font-variant: small-caps; }
details { margin: 6px 0 0; }
summary { cursor: pointer; color: var(--muted); }
.warnings li { color: #7a5200; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
a { color: #0b5cad; }
@media print {
  @page { margin: 14mm 12mm; }
  body { background: none; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section.offering { break-before: auto; }
  table.matrix tr { break-inside: avoid; page-break-inside: avoid; }
  /* On paper the matrix stays compact (page 1): a count per cell; the rules are in the cards. */
  td.v .drivers { display: none; }
  td.v .ndrivers { display: block; font-weight: normal; font-size: 8.5pt; }
  table.matrix thead { display: table-header-group; }
  section.evidence-all { break-before: page; page-break-before: always; }
  .v-go, .v-conditional, .v-hold, .v-no-go, .badge, li.finding {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  .evidence a[href]::after { content: " <" attr(href) ">"; font-size: 8.5pt; overflow-wrap: anywhere; }
  details:not([open]) { display: none; }
}
"#;

pub(crate) fn vclass(v: Verdict) -> String {
    format!("v-{}", v.as_str())
}

/// The `<head>` of every page diligence writes: self-contained (a CSP that forbids scripts
/// and remote loads), with its title and styles.
pub fn head(title: &str, css: &str) -> Markup {
    html! {
        head {
            (head_meta(title, "default-src 'none'; style-src 'unsafe-inline'; img-src data:"))
            style { (PreEscaped(css)) }
        }
    }
}

/// The `<meta>` and `<title>` every page starts its `<head>` with, under `csp`.
pub(crate) fn head_meta(title: &str, csp: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta http-equiv="Content-Security-Policy" content=(csp);
        meta name="viewport" content="width=device-width, initial-scale=1";
        meta name="generator" content={ "diligence " (env!("CARGO_PKG_VERSION")) };
        title { (title) }
    }
}

/// A verdict badge.
pub(crate) fn badge(v: Verdict, text: &str) -> Markup {
    html! { span class={ "badge " (vclass(v)) } { (text) } }
}

/// The page anchor of an offering: its position and a slug of its ids.
fn anchor(index: usize, vendor: &str, offering: &str) -> String {
    let slug: String = format!("{vendor}-{offering}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("o{index}-{slug}")
}

pub fn render(eval: &Evaluation, style: &Style) -> Vec<u8> {
    let rows = offerings(eval);
    let title = format!(
        "Vendor review: policy {} ({})",
        eval.policy, eval.organization
    );
    let claims = cited_claims(&rows);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            (head(&title, CSS))
            body { main {
                (page_header(eval, style))
                (matrix_section(eval, &rows))
                @for (i, o) in rows.iter().enumerate() {
                    (offering_section(eval, i, o, style, &claims))
                }
                @if !claims.list.is_empty() {
                    section.evidence-all #evidence {
                        h2 { "Evidence" small { " · each claim once, as cited above" } }
                        @for (i, e) in claims.list.iter().enumerate() { (claim(e, i + 1)) }
                    }
                }
                @if !eval.warnings.is_empty() {
                    section.warnings {
                        h2 { "Warnings" }
                        ul { @for w in &eval.warnings { li { (w.report_line()) } } }
                    }
                }
                footer {
                    "Generated by diligence " (env!("CARGO_PKG_VERSION")) " at " (eval.generated)
                    ". Verdicts follow the rules in scripts/ and the evidence quoted from the archived documents under vendors/."
                }
            } }
        }
    };
    let mut out = page.into_string().into_bytes();
    out.push(b'\n');
    out
}

/// The claims the cards cite, numbered in the order the cards cite them. Passed checks count
/// too: they are on the page (folded away unless -v).
fn cited_claims<'a>(rows: &[OfferingRow<'a>]) -> Claims<'a> {
    let mut claims = Claims { list: Vec::new() };
    for o in rows {
        for m in merged(&o.results, true) {
            for e in super::deciding(m.finding) {
                claims.add(e);
            }
            for e in &m.finding.evidence {
                claims.add(e);
            }
        }
    }
    claims
}

/// Title, policy, organization, date, workspace and scope.
fn page_header(eval: &Evaluation, style: &Style) -> Markup {
    let tags = tags(eval);
    html! {
        header {
            h1 { "Vendor review" }
            p.subtitle { (eval.organization) " · policy " strong { (eval.policy) } }
            dl.meta {
                dt { "Policy" } dd { (eval.policy) }
                dt { "Organization" } dd { (eval.organization) }
                dt { "Evaluated as of" } dd { (eval.today) }
                @if let Some(ws) = &style.workspace {
                    dt { "Workspace" } dd.mono { (ws) }
                }
                dt { "Scope" } dd {
                    (scope_line(eval)) ": " (eval.classifications.join(", "))
                }
                @if !tags.is_empty() {
                    dt { "Data tags" } dd { (tags.join(", ")) }
                }
                dt { "Generated" } dd { (eval.generated) }
            }
        }
    }
}

/// The verdict matrix (each non-go cell with the rules that drive it) and its legend.
fn matrix_section(eval: &Evaluation, rows: &[OfferingRow]) -> Markup {
    let tags = tags(eval);
    html! {
        section #matrix {
            h2 { "Verdicts" }
            table.matrix {
                thead { tr {
                    th {
                        "Vendor / offering"
                        @if !tags.is_empty() { br; "+ " (tags.join(", ")) }
                    }
                    @for c in &eval.classifications { th { (c) } }
                } }
                tbody {
                    @for (i, o) in rows.iter().enumerate() {
                        tr {
                            th {
                                a href={ "#" (anchor(i, o.vendor, o.offering)) } {
                                    (o.offering_name)
                                }
                                small { (o.id()) }
                            }
                            @for class in &eval.classifications {
                                @match o.at(class) {
                                    Some(r) => (verdict_cell(r)),
                                    None => td { "–" },
                                }
                            }
                        }
                    }
                }
            }
            p.legend {
                @for (v, what) in super::legend(eval) {
                    (badge(v, v.as_str())) (what) ". "
                }
                "(waiver): a waived finding. Under a non-go verdict: the rules that drive it (on paper, how many)."
            }
        }
    }
}

/// A matrix cell: the verdict, the rules that drive it on screen, and their count on paper.
pub(crate) fn verdict_cell(r: &OfferingResult) -> Markup {
    let rules = driving_rules(r);
    html! {
        td class={ "v " (vclass(r.verdict)) } {
            (cell_text(r))
            @if !rules.is_empty() {
                span.drivers { (rules.join(", ")) }
                span.ndrivers {
                    (rules.len()) " rule" @if rules.len() != 1 { "s" }
                }
            }
        }
    }
}

/// One offering: its verdicts, its findings as cards, and its passed checks folded away
/// (shown as cards with -v).
fn offering_section(
    eval: &Evaluation,
    index: usize,
    o: &OfferingRow,
    style: &Style,
    claims: &Claims,
) -> Markup {
    let (shown, passed): (Vec<_>, Vec<_>) = merged(&o.results, true)
        .into_iter()
        .partition(|m| style.verbose || m.finding.level != Level::Pass);
    let card = |m: &Merged| {
        finding(
            m.finding,
            &applies_to(&m.classes, &eval.classifications),
            claims,
        )
    };
    html! {
        section.offering id=(anchor(index, o.vendor, o.offering)) {
            h2 {
                (o.vendor_name) " — " (o.offering_name) " "
                small { (o.id()) " · " (o.tier) }
            }
            p.verdicts {
                @for r in &o.results {
                    (badge(r.verdict, &format!("{}: {}", r.classification, cell_text(r))))
                }
            }
            @let notes = super::notes(&o.results);
            @if !notes.is_empty() {
                div.notes {
                    "Notes"
                    ul { @for n in &notes { li { (code_spans(n)) } } }
                }
            }
            @if shown.is_empty() {
                p { "No findings." }
            } @else {
                ol.findings {
                    @for m in &shown { (card(m)) }
                }
            }
            @if !passed.is_empty() {
                details {
                    summary { (passed.len()) " passed check" @if passed.len() != 1 { "s" } }
                    ol.findings {
                        @for m in &passed { (card(m)) }
                    }
                }
            }
        }
    }
}

pub(crate) fn driving_rules(r: &OfferingResult) -> Vec<&str> {
    let mut rules: Vec<&str> = Vec::new();
    for f in super::driving(r) {
        if !rules.contains(&f.rule.as_str()) {
            rules.push(&f.rule);
        }
    }
    rules
}

fn finding(f: &Finding, at: &str, claims: &Claims) -> Markup {
    let cited: Vec<Citation> = citations(f, claims)
        .into_iter()
        .map(|(text, n)| Citation {
            text,
            href: format!("#e{n}"),
            label: format!("[E{n}]"),
        })
        .collect();
    finding_card(f, at, None, &cited)
}

/// A link from a finding to the claim it cites: "Document §2.3" and where the claim is shown.
pub(crate) struct Citation {
    pub text: String,
    pub href: String,
    pub label: String,
}

/// A finding as a card: level, rule, where it applies, message, action, waiver, citations.
/// `id` anchors the card (the review site links to it).
pub(crate) fn finding_card(f: &Finding, at: &str, id: Option<&str>, cited: &[Citation]) -> Markup {
    let level_class = format!(
        "finding l-{}{}",
        f.level.as_str(),
        if f.waived.is_some() { " waived" } else { "" }
    );
    let badge_class = match Verdict::from_level(f.level) {
        Verdict::Go => "badge".to_string(),
        v => format!("badge {}", vclass(v)),
    };
    html! {
        li class=(level_class) id=[id] {
            div.head {
                span class=(badge_class) { (f.level.as_str()) }
                @if f.waived.is_some() { " " span.badge { "waived" } }
                " " code { (f.rule) } " · at " (at)
            }
            p.message { (f.message) }
            @if let Some(action) = f.action.as_deref().filter(|a| !a.is_empty()) {
                p.action { "→ " (action) }
            }
            @if let Some(w) = &f.waived {
                div.waiver {
                    strong { "Waived" } ": " (w.reason)
                    br;
                    "Approved by " (w.approved_by) " · expires " (w.expires)
                }
            }
            @if !f.refs.is_empty() {
                p.refs { "Evidences: " (f.refs.join("; ")) }
            }
            @if !cited.is_empty() {
                p.cited {
                    "Cited: "
                    @for (i, c) in cited.iter().enumerate() {
                        @if i > 0 { "; " }
                        (c.text) " " a href=(c.href) { (c.label) }
                    }
                }
            }
        }
    }
}

/// Every claim the shown findings cite, each once, numbered in order of first citation.
struct Claims<'a> {
    list: Vec<&'a Evidence>,
}

impl<'a> Claims<'a> {
    fn key(e: &Evidence) -> (&str, &str) {
        (e.at.as_str(), e.fact.as_str())
    }

    fn add(&mut self, e: &'a Evidence) {
        if self.number(e).is_none() {
            self.list.push(e);
        }
    }

    /// The claim's number (1-based).
    fn number(&self, e: &Evidence) -> Option<usize> {
        self.list
            .iter()
            .position(|x| Self::key(x) == Self::key(e))
            .map(|i| i + 1)
    }
}

/// "Document §section" with the evidence number, for each claim a finding cites (deciding
/// claims first, then the others: outvoted, agreeing, unverified), each document once.
fn citations(f: &Finding, claims: &Claims) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let deciding: Vec<&Evidence> = super::deciding(f).collect();
    let others = f
        .evidence
        .iter()
        .map(|e| &**e)
        .filter(|e| !deciding.iter().any(|d| std::ptr::eq(*d, *e)));
    for e in deciding.iter().copied().chain(others) {
        let Some(n) = claims.number(e) else { continue };
        let mut text = super::document(e);
        if let Some(s) = &e.section {
            text.push_str(&format!(" §{s}"));
        }
        if !e.is_deciding() {
            text.push_str(&format!(" ({})", e.role.as_str()));
        }
        if !out.iter().any(|(_, m)| *m == n) {
            out.push((text, n));
        }
    }
    out
}

fn claim(e: &Evidence, n: usize) -> Markup {
    let weak = !e.is_deciding();
    let doc = super::document(e);
    html! {
        div.claim id={ "e" (n) } {
            div.head {
                strong { "[E" (n) "] " } code { (e.fact) } " = " (super::human_value(&e.value))
                " · " (e.authority.as_str().replace('_', " ")) " · " span.role { (e.role.as_str()) }
            }
            @if let Some(q) = &e.quote { blockquote { (super::markdown_as_text(q)) } }
            p.cite.weak[weak] {
                "— "
                @match e.url.as_deref().filter(|u| linkable(u)) {
                    Some(url) => a href=(url) rel="noopener noreferrer" { (doc) },
                    None => (doc),
                }
                @if let Some(s) = &e.section { " §" (s) }
                @if let Some(n) = &e.note { br; "Note: " (n) }
                br;
                span.mono { (e.at) }
            }
        }
    }
}

/// A note with its `fact` names (the label the notes carry in every format) shown as code, not
/// as backticks.
fn code_spans(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('`').enumerate() {
            // Odd parts are between backticks; an unpaired backtick leaves a last odd part,
            // which is shown as it was written.
            @if i % 2 == 1 && text.split('`').count() > i + 1 { code { (part) } }
            @else if i % 2 == 1 { "`" (part) }
            @else { (part) }
        }
    }
}
