//! The site's pages, built with maud as the HTML report is (every spliced value escaped), with
//! its stylesheet and verdict colours, and written through the report writer (which cleans
//! control and bidi characters). A Content-Security-Policy allows only the site's own
//! stylesheet and scripts: no inline script, no network.

use super::document::Highlight;
use super::{Setup, Summary};
use crate::decisions::status::Row;
use crate::diag::Diagnostic;
use crate::model::profile::{Offering, Profile, Source};
use crate::model::resolve::Status;
use crate::model::resolved::ResolvedOffering;
use crate::outcome::{Level, OfferingResult, Verdict};
use crate::report::html::{badge, finding_card, vclass, verdict_cell};
use crate::report::writer::{Error, Reader, write_one};
use crate::report::{Merged, applies_to, human_value, linkable, sanitize};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

pub(crate) use crate::report::html::Citation as Cite;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

/// What the site adds to the report's stylesheet: navigation, filters, search, the documents
/// with their highlights, diffs, and print rules.
const SITE_CSS: &str = r#"
nav.crumbs { font-size: 14px; margin: 0 0 12px; color: var(--muted); }
nav.crumbs a { margin-right: 10px; }
form#filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 12px 0;
  padding: 10px 12px; background: var(--soft); border: 1px solid var(--line); border-radius: 4px; }
form#filters label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); }
form#filters select, form#filters input, input#search { font: inherit; padding: 3px 6px; }
form#filters select, form#filters input { height: 30px; }
#shown { font-size: 13px; color: var(--muted); }
.search { margin: 8px 0 16px; }
input#search { width: 100%; max-width: 560px; }
ol#results { margin: 6px 0 0; padding-left: 22px; font-size: 14px; }
ol#results small { color: var(--muted); margin-left: 6px; }
.table-wrap { overflow-x: auto; }
table.register td, table.register th { font-size: 14px; }
.drift { color: var(--no-go); }
div.fact { margin: 0 0 18px; padding: 0 0 8px; border-bottom: 1px solid var(--line); }
div.fact h3 { font-size: 16px; margin: 12px 0 4px; }
div.fact .status { font-weight: normal; color: var(--muted); font-size: 14px; }
div.claim:target, li.finding:target, .fact:target { outline: 3px solid #0b5cad; outline-offset: 2px; }
.carve { margin: 4px 0 0 12px; font-size: 14px; }
.carve blockquote { border-left-color: #d9a300; }
.document { margin-top: 12px; line-height: 1.6; overflow-wrap: anywhere; }
.document .doc-h { border: 0; margin: 22px 0 6px; padding: 0; }
.document h2.doc-h { font-size: 20px; } .document h3.doc-h { font-size: 17px; }
.document h4.doc-h { font-size: 15px; }
.document p, .document .item { margin: 0 0 10px; }
.document .item { padding-left: 18px; position: relative; }
.document .item::before { content: "•"; position: absolute; left: 4px; color: var(--muted); }
.document .row { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); gap: 0;
  border-bottom: 1px solid var(--line); }
.document .row .cell { padding: 4px 8px; border-left: 1px solid var(--line); }
.document .row.header { font-weight: 600; background: #eef1f4; }
mark.q { background: #fff0a8; padding: 1px 0; scroll-margin-top: 40vh; }
mark.q:target, span.anchor:target + mark.q { background: #ffd54a; outline: 2px solid #b58900; }
mark.q.carve-out { background: #ffe2c4; text-decoration: underline dotted #b35c00; }
span.anchor { scroll-margin-top: 40vh; }
.carve-label { font-size: 11px; text-transform: uppercase; color: #b35c00; font-weight: 600; }
sup.back { font-size: 10.5px; margin-left: 2px; }
sup.back a { text-decoration: none; }
ol.passages { font-size: 14px; padding-left: 22px; }
.diff { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px;
  white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); padding: 8px 10px; }
.diff del { background: #ffd9dc; color: var(--no-go); }
.diff ins { background: #dcf3e3; color: var(--go); text-decoration: none; }
.changed { color: var(--no-go); font-weight: 600; }
@media (max-width: 600px) {
  main { padding: 12px 10px 32px; }
  /* The matrix scrolls sideways under its first column rather than breaking its words. */
  table.matrix { min-width: 540px; }
  table.matrix thead th:first-child { width: 150px; }
  table.matrix tbody th, table.matrix thead th:first-child { position: sticky; left: 0; z-index: 1;
    background: var(--paper); }
  th, td { padding: 4px 6px; }
  td.v .drivers { display: none; }
  thead th { font-size: 11px; letter-spacing: 0; }
  h1 { font-size: 22px; }
  dl.meta { grid-template-columns: 1fr; }
  dl.meta dd { margin-bottom: 4px; }
}
@media print {
  @page { size: auto; margin: 14mm 12mm; }
  nav.crumbs, form#filters, .search, sup.back, noscript { display: none !important; }
  tr[hidden] { display: table-row !important; }
  mark.q { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .document .row { break-inside: avoid; page-break-inside: avoid; }
  div.fact { break-inside: avoid-page; }
  .diff { white-space: pre-wrap; }
}
"#;

/// The filters and the search box: plain DOM, no framework, no network (the search index is a
/// script file beside the page).
const SITE_JS: &str = r#"(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.querySelector("table.matrix");
  if (form && table) {
    form.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var shown = document.getElementById("shown");
    var apply = function () {
      var verdict = form.elements.verdict.value;
      var cls = form.elements.cls.value;
      var vendor = form.elements.vendor.value.trim();
      var rule = form.elements.rule.value;
      var column = cls ? heads.findIndex(function (h) { return h.dataset.class === cls; }) : -1;
      heads.forEach(function (h, i) { h.hidden = column > 0 && i > 0 && i !== column; });
      var n = 0;
      rows.forEach(function (tr) {
        var cells = tr.dataset.verdicts.split(" ").map(function (x) { return x.split("="); });
        var ok = !verdict || cells.some(function (c) { return c[1] === verdict && (!cls || c[0] === cls); });
        if (vendor && tr.dataset.vendor !== vendor) { ok = false; }
        if (rule && tr.dataset.rules.split(" ").indexOf(rule) < 0) { ok = false; }
        tr.hidden = !ok;
        Array.prototype.forEach.call(tr.cells, function (td, i) { td.hidden = column > 0 && i > 0 && i !== column; });
        if (ok) { n += 1; }
      });
      shown.textContent = n + " of " + rows.length + " offerings shown";
    };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    apply();
  }
  var box = document.getElementById("search");
  var results = document.getElementById("results");
  if (box && results) {
    box.parentNode.hidden = false;
    var index = window.DILIGENCE_INDEX || [];
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      results.textContent = "";
      if (q.length < 2) { return; }
      var found = 0;
      for (var i = 0; i < index.length && found < 50; i += 1) {
        var e = index[i];
        if (e[1].toLowerCase().indexOf(q) < 0 && e[3].toLowerCase().indexOf(q) < 0) { continue; }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e[2];
        a.textContent = e[1];
        var small = document.createElement("small");
        small.textContent = e[0] + " · " + e[3];
        li.appendChild(a);
        li.appendChild(small);
        results.appendChild(li);
        found += 1;
      }
      if (!found) {
        var none = document.createElement("li");
        none.textContent = "Nothing found.";
        results.appendChild(none);
      }
    });
  }
})();
"#;

/// Writes the stylesheet and the script.
pub(crate) fn write_assets(dir: &Path) -> Result<(), Error> {
    let mut css = super::create(&dir.join("site.css"))?;
    css.write_all(crate::report::html::CSS.as_bytes())?;
    css.write_all(SITE_CSS.as_bytes())?;
    super::close(css)?;
    let mut js = super::create(&dir.join("site.js"))?;
    js.write_all(SITE_JS.as_bytes())?;
    super::close(js)
}

/// Writes a page through the report writer (the sanitizer a person's formats pass through).
pub(crate) fn write_page(path: &Path, page: Markup) -> Result<(), Error> {
    let mut file = super::create(path)?;
    let mut bytes = page.into_string().into_bytes();
    bytes.push(b'\n');
    write_one(
        Reader::Page,
        &mut file,
        |w, b: Vec<u8>| Ok(w.write_all(&b)?),
        bytes,
    )?;
    super::close(file)
}

/// A page of the site: `up` leads from the page's folder to the site's root.
fn page(title: &str, up: &str, scripts: bool, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                (crate::report::html::head_meta(title, CSP))
                link rel="stylesheet" href={ (up) "site.css" };
                @if scripts {
                    script src={ (up) "search-index.js" } defer {}
                    script src={ (up) "site.js" } defer {}
                }
            }
            body { main { (body) } }
        }
    }
}

/// The search index, written as offerings pass: a script that sets `DILIGENCE_INDEX` to a list
/// of `[kind, text, link, context]`.
pub(crate) struct SearchIndex {
    out: std::io::BufWriter<std::fs::File>,
    first: bool,
}

/// Longest quote the search index keeps (the page has the whole quote).
const SEARCH_QUOTE_CHARS: usize = 300;

impl SearchIndex {
    pub fn create(dir: &Path) -> Result<SearchIndex, Error> {
        let mut out = super::create(&dir.join("search-index.js"))?;
        out.write_all(b"window.DILIGENCE_INDEX = [\n")?;
        Ok(SearchIndex { out, first: true })
    }

    fn entry(&mut self, kind: &str, text: &str, link: &str, context: &str) -> Result<(), Error> {
        let row = [
            kind,
            &sanitize::clean(text),
            link,
            &sanitize::clean(context),
        ];
        let json = serde_json::to_string(&row).map_err(std::io::Error::other)?;
        // JSON inside a script: `<` escaped so that no text can close or open a tag.
        let json = json.replace('<', "\\u003c");
        if !self.first {
            self.out.write_all(b",\n")?;
        }
        self.first = false;
        self.out.write_all(json.as_bytes())?;
        Ok(())
    }

    /// The offering, its vendor, its facts and its quotes.
    pub fn offering(
        &mut self,
        profile: &Profile,
        offering: &Offering,
        resolved: &ResolvedOffering,
        page: &str,
    ) -> Result<(), Error> {
        let context = format!("{} · {}", profile.name, offering.name);
        self.entry(
            "offering",
            &format!(
                "{} — {} ({}/{})",
                profile.name, offering.name, profile.id, offering.id
            ),
            page,
            &offering.tier,
        )?;
        for (name, fact) in &offering.facts {
            let value = resolved
                .get(name)
                .map(|f| fact_value(&f.resolved))
                .unwrap_or_else(|| "unknown".into());
            self.entry(
                "fact",
                &format!("{name} = {value}"),
                &format!("{page}#fact-{name}"),
                &context,
            )?;
            for claim in &fact.claims {
                if let Some(q) = &claim.quote {
                    let text: String = q.chars().take(SEARCH_QUOTE_CHARS).collect();
                    self.entry(
                        "quote",
                        &text,
                        &format!("{page}#c-{}-{}", claim.at.line, claim.at.column),
                        &format!("{name} · {context}"),
                    )?;
                }
            }
        }
        Ok(())
    }

    pub fn finish(&mut self) -> Result<(), Error> {
        self.out.write_all(b"\n];\n")?;
        self.out.flush()?;
        Ok(())
    }
}

/// A resolved fact as a person reads it.
fn fact_value(r: &crate::model::resolve::Resolved) -> String {
    match r.status {
        Status::Known => r.value.as_ref().map_or("unknown".into(), human_value),
        Status::Unknown => "unknown".into(),
        Status::Conflicting => "conflicting".into(),
        Status::NotStated => "not stated".into(),
    }
}

fn header_meta(setup: &Setup) -> Markup {
    let req = setup.request;
    html! {
        dl.meta {
            dt { "Policy" } dd { (req.policy.name) }
            dt { "Organization" } dd { (req.policy.organization) }
            dt { "Evaluated as of" } dd { (req.today.to_string()) }
            dt { "Workspace" } dd.mono { (setup.workspace) }
            @if !req.tags.is_empty() { dt { "Data tags" } dd { (req.tags.join(", ")) } }
            dt { "Generated" } dd { (req.generated) }
        }
    }
}

/// The site's path of an offering's page.
pub(crate) fn offering_page(vendor: &str, offering: &str) -> String {
    format!("o/{vendor}/{offering}.html")
}

/// Where in the index's page each spilled part goes: an HTML comment, which no escaped text
/// can contain (every `<` from a profile, policy or rule is written `&lt;`).
pub(crate) const VENDORS: &str = "<!--diligence:vendors-->";
pub(crate) const ROWS: &str = "<!--diligence:rows-->";
pub(crate) const REGISTER: &str = "<!--diligence:register-->";

/// What the index's header and filters say of the offerings written so far (their rows are on
/// disk).
#[derive(Default)]
pub(crate) struct Kept {
    pub offerings: usize,
    pub decisions: usize,
    /// The rules that raised something, for the rule filter (bounded by the rules, not the
    /// offerings).
    pub rules: std::collections::BTreeSet<String>,
}

/// The index: the verdict matrix with its filters, the search box, the decision register.
/// The index's parts that grow with the portfolio (the vendors of the filter, the matrix's
/// rows, the register's rows) are marked here and copied in from disk (`site::index`).
pub(crate) fn index(
    setup: &Setup,
    kept: &Kept,
    warnings: &[Diagnostic],
    classes: &[String],
) -> Markup {
    let req = setup.request;
    let offerings = kept.offerings;
    let rules = &kept.rules;
    let title = format!(
        "Vendor review: policy {} ({})",
        req.policy.name, req.policy.organization
    );
    let verdicts = [
        Verdict::NoGo,
        Verdict::Hold,
        Verdict::Conditional,
        Verdict::Go,
        Verdict::Error,
    ];
    let body = html! {
        header {
            h1 { "Vendor review" }
            p.subtitle { (req.policy.organization) " · policy " strong { (req.policy.name) }
                " · " (offerings) " offering" @if offerings != 1 { "s" } }
            (header_meta(setup))
        }
        div.search hidden {
            label for="search" { "Search vendors, offerings, facts and quotes" }
            br;
            input #search type="search" autocomplete="off" placeholder="e.g. training, 30 days, SOC 2";
            ol #results {}
        }
        section #matrix {
            h2 { "Verdicts" }
            form #filters hidden {
                label { "Verdict"
                    select name="verdict" {
                        option value="" { "any" }
                        @for v in verdicts { option value=(v.as_str()) { (v.as_str()) } }
                    }
                }
                label { "Classification"
                    select name="cls" {
                        option value="" { "all" }
                        @for c in classes { option value=(c) { (c) } }
                    }
                }
                label { "Vendor"
                    input name="vendor" list="vendors" placeholder="any";
                }
                label { "Rule"
                    select name="rule" {
                        option value="" { "any" }
                        @for r in rules { option value=(r) { (r) } }
                    }
                }
                button type="reset" { "Clear" }
                span #shown {}
            }
            datalist #vendors { (PreEscaped(VENDORS)) }
            div.table-wrap {
                table.matrix {
                    thead { tr {
                        th { "Vendor / offering" @if !req.tags.is_empty() { br; "+ " (req.tags.join(", ")) } }
                        @for c in classes { th data-class=(c) { (c) } }
                    } }
                    tbody { (PreEscaped(ROWS)) }
                }
            }
            p.legend {
                (badge(Verdict::NoGo, "no-go")) "a requirement is not met. "
                (badge(Verdict::Hold, "hold")) "questions outstanding. "
                (badge(Verdict::Conditional, "conditional")) "go once the actions are done. "
                (badge(Verdict::Go, "go")) "no requirement stands in the way. "
                "Under a non-go verdict: the rules that drive it. Each offering's page has its findings, facts and the clauses they cite."
            }
        }
        @if kept.decisions > 0 {
            section #register {
                h2 { "Decision register" small { " · decisions in force, against " (req.today.to_string()) } }
                (register_table(PreEscaped(REGISTER.to_string())))
            }
        }
        @if !warnings.is_empty() {
            section.warnings {
                h2 { "Warnings" }
                ul { @for w in warnings { li { (w.report_line()) } } }
            }
        }
        (footer(req))
    };
    page(&title, "", true, body)
}

fn footer(req: &crate::evaluation::Request) -> Markup {
    html! {
        footer {
            "Generated by diligence " (env!("CARGO_PKG_VERSION")) " at " (req.generated)
            ". Verdicts follow the rules in scripts/ and the evidence quoted from the archived documents under vendors/."
        }
    }
}

/// A vendor of the matrix's vendor filter.
pub(crate) fn vendor_option(vendor: &str) -> Markup {
    html! { option value=(vendor) {} }
}

/// An offering's row of the matrix: its verdict per class, with what the filters read.
pub(crate) fn matrix_row(s: &Summary, classes: &[String]) -> Markup {
    html! {
        tr data-vendor=(s.vendor) data-verdicts=(super::verdict_tokens(s))
            data-rules=(s.rules.join(" "))
            data-worst=[super::worst(s).map(Verdict::as_str)] {
            th {
                a href=(offering_page(&s.vendor, &s.offering)) {
                    (s.offering_name)
                }
                small { (s.vendor_name) " · " (s.vendor) "/" (s.offering) }
            }
            @for c in classes {
                @match s.cells.iter().find(|r| r.classification == *c) {
                    Some(r) => (verdict_cell(r)),
                    None => td { "–" },
                }
            }
        }
    }
}

/// Decisions against today: outcome, coverage, who, when, the verdict then and now, the review
/// date, open conditions and drift; `rows` are [`register_row`]s.
fn register_table(rows: Markup) -> Markup {
    html! {
        div.table-wrap { table.register {
            thead { tr {
                th { "Offering" } th { "Coverage" } th { "Decision" } th { "Verdict then → now" }
                th { "Review by" } th { "Open conditions" } th { "Drift" }
            } }
            tbody { (rows) }
        } }
    }
}

/// A decision of the register. `up` leads to the site's root.
pub(crate) fn register_row(r: &Row, up: &str) -> Markup {
    html! {
        @if let Some(d) = &r.decision {
            tr {
                td { a href={ (up) (offering_page(&r.vendor, &r.offering)) } {
                    (r.vendor) "/" (r.offering) } }
                td { (r.coverage()) }
                td { (d.outcome.as_str().replace('_', " ")) br; small { (d.date.to_string()) " · " (d.decided_by()) } }
                td {
                    (badge(d.verdict, d.verdict.as_str())) " → "
                    @if let Some(now) = r.verdict_now { (badge(now, now.as_str())) }
                }
                td { (d.review_by.to_string()) @if let Some(s) = r.review { " (" (s.as_str()) ")" } }
                td {
                    @let open: Vec<_> = r.conditions.iter()
                        .filter(|c| c.status == crate::decisions::ConditionStatus::Open).collect();
                    @if open.is_empty() { "none" }
                    @for c in open { div { (c.text) " — " (c.owner) ", due " (c.due) " (" (c.state.as_str()) ")" } }
                }
                td.drift[r.has_drift()] {
                    @if r.drift.is_empty() { "none" }
                    @for ch in &r.drift { div { (ch.message) } }
                }
            }
        }
    }
}

/// Where a claim of the offering is shown in its document.
pub(crate) struct Claimed {
    /// The highlighted quote, when it was found in the cited snapshot.
    pub highlight: Option<String>,
    /// The snapshot's page.
    pub page: Option<String>,
    /// Per carve-out: its highlight, when found.
    pub carve_outs: Vec<Option<String>>,
}

pub(crate) struct OfferingPage<'a> {
    pub setup: &'a Setup<'a>,
    pub profile: &'a Profile,
    pub offering: &'a Offering,
    pub results: &'a [&'a OfferingResult],
    pub merged: &'a [Merged<'a>],
    /// Per merged finding: its anchor and its citations.
    pub cards: &'a [(String, Vec<Cite>)],
    pub resolved: &'a ResolvedOffering,
    pub claims: &'a HashMap<String, Claimed>,
    /// (source id, page) of each cited snapshot.
    pub documents: &'a [(String, String)],
    pub decisions: &'a [Row],
}

/// An offering: verdicts, decisions, open questions, findings, notes, waivers, facts with
/// their claims and authority, documents.
pub(crate) fn offering(p: &OfferingPage) -> Markup {
    let req = p.setup.request;
    let classes = &req.classes;
    let title = format!("{} — {}", p.profile.name, p.offering.name);
    let card = |i: usize| {
        let m = &p.merged[i];
        let (id, cites) = &p.cards[i];
        finding_card(m.finding, &applies_to(&m.classes, classes), Some(id), cites)
    };
    let (shown, passed): (Vec<usize>, Vec<usize>) =
        (0..p.merged.len()).partition(|i| p.merged[*i].finding.level != Level::Pass);
    let mut questions: Vec<(&str, Option<&str>)> = Vec::new();
    for m in p
        .merged
        .iter()
        .filter(|m| m.finding.level == Level::Hold && m.finding.waived.is_none())
    {
        let q = (m.finding.message.as_str(), m.finding.action.as_deref());
        if !questions.contains(&q) {
            questions.push(q);
        }
    }
    let waived: Vec<&Merged> = p
        .merged
        .iter()
        .filter(|m| m.finding.waived.is_some())
        .collect();
    let notes = crate::report::notes(p.results);
    let errors: Vec<&crate::outcome::RuleError> =
        p.results.iter().flat_map(|r| &r.errors).collect();
    let body = html! {
        nav.crumbs {
            a href="../../index.html" { "← All offerings" }
            @for (source, href) in p.documents {
                a href=(href) { "Document: " (p.profile.source(source).map_or(source.as_str(), |s| s.title.as_str())) }
            }
        }
        header {
            h1 { (p.profile.name) " — " (p.offering.name) }
            p.subtitle { code { (p.profile.id) "/" (p.offering.id) } " · " (p.offering.tier) }
            (header_meta(p.setup))
            @if let Some(r) = p.profile.reviewed { p.subtitle { "Profile reviewed " (r.to_string()) } }
        }
        section #verdicts {
            h2 { "Verdicts" }
            p.verdicts {
                @for r in p.results {
                    span class={ "badge " (vclass(r.verdict)) } { (r.classification) ": " (crate::report::cell_text(r)) }
                    " "
                }
            }
        }
        @if !errors.is_empty() {
            section #errors {
                h2 { "Rules that failed" }
                ul { @for e in &errors { li { code { (e.rule) } ": " (e.message) " (" (e.at) ")" } } }
            }
        }
        @if !p.decisions.is_empty() {
            section #decisions {
                h2 { "Decisions" }
                (register_table(html! { @for r in p.decisions { (register_row(r, "../../")) } }))
            }
        }
        @if !questions.is_empty() || p.decisions.iter().any(|r| r.conditions.iter().any(|c| c.status == crate::decisions::ConditionStatus::Open)) {
            section #questions {
                h2 { "Questions still open" }
                ul {
                    @for (message, action) in &questions {
                        li { (message) @if let Some(a) = action { br; "→ " (a) } }
                    }
                    @for r in p.decisions {
                        @for c in r.conditions.iter().filter(|c| c.status == crate::decisions::ConditionStatus::Open) {
                            li { "Condition " (c.number) " of the decision on " (r.coverage()) ": " (c.text) " — " (c.owner) ", due " (c.due) }
                        }
                    }
                }
            }
        }
        section #findings {
            h2 { "Findings" }
            @if shown.is_empty() { p { "No findings." } }
            @else { ol.findings { @for i in &shown { (card(*i)) } } }
            @if !passed.is_empty() {
                details {
                    summary { (passed.len()) " passed check" @if passed.len() != 1 { "s" } }
                    ol.findings { @for i in &passed { (card(*i)) } }
                }
            }
        }
        @if !notes.is_empty() {
            section #notes { h2 { "Notes" } ul { @for n in &notes { li { (n) } } } }
        }
        @if !waived.is_empty() {
            section #waivers {
                h2 { "Waivers" }
                ul {
                    @for m in &waived {
                        @if let Some(w) = &m.finding.waived {
                            li { code { (m.finding.rule) } " at " (applies_to(&m.classes, classes)) ": " (w.reason)
                                " — approved by " (w.approved_by) ", expires " (w.expires) }
                        }
                    }
                }
            }
        }
        section #facts {
            h2 { "Facts" small { " · each with its claims, strongest authority first as they resolve" } }
            @if p.offering.facts.is_empty() { p { "No facts stated." } }
            @for (name, fact) in &p.offering.facts {
                @let resolved = p.resolved.get(name);
                div.fact id={ "fact-" (name) } {
                    h3 {
                        code { (name) } " = " (resolved.map_or("unknown".into(), |f| fact_value(&f.resolved)))
                        @if let Some(a) = resolved.and_then(|f| f.resolved.authority) {
                            " " span.status { "(" (a.as_str().replace('_', " ")) ")" }
                        }
                    }
                    @for (k, claim) in fact.claims.iter().enumerate() {
                        @let key = format!("{}-{}", claim.at.line, claim.at.column);
                        @let shown_at = p.claims.get(&key);
                        @let role = resolved.and_then(|f| f.resolved.roles.get(k)).map(|r| r.as_str());
                        div.claim id={ "c-" (key) } {
                            div.head {
                                strong { (human_value(&claim.value)) } " · " (claim.authority.as_str().replace('_', " "))
                                @if let Some(r) = role { " · " span.role { (r) } }
                                @if claim.draft { " · draft" }
                            }
                            @if let Some(q) = &claim.quote { blockquote { (crate::report::markdown_as_text(q)) } }
                            @if !claim.searched.is_empty() {
                                p.cite { "Not stated: searched for " (claim.searched.join(", ")) }
                            }
                            p.cite {
                                "— "
                                @match (claim.source.as_deref().and_then(|s| p.profile.source(s)), shown_at) {
                                    (Some(s), Some(Claimed { highlight: Some(h), .. })) => { a href=(h) { (s.title) } " (the highlighted clause)" },
                                    (Some(s), Some(Claimed { page: Some(pg), .. })) => { a href=(pg) { (s.title) } " (quote not found in the snapshot)" },
                                    (Some(s), _) => { (s.title) },
                                    (None, _) => { "unsupported value (no source)" },
                                }
                                @if let Some(s) = &claim.section { " §" (s) }
                                @if let Some(n) = &claim.note { br; "Note: " (n) }
                                br; span.mono { (p.profile.file) ":" (claim.at.line) ":" (claim.at.column) }
                            }
                            @for (j, e) in claim.exceptions.iter().enumerate() {
                                div.carve {
                                    strong { "Carve-out" }
                                    @if let Some(s) = &e.section { " §" (s) }
                                    @if let Some(Some(h)) = shown_at.and_then(|c| c.carve_outs.get(j)) {
                                        " " a href=(h) { "(highlighted)" }
                                    }
                                    blockquote { (crate::report::markdown_as_text(&e.quote)) }
                                    @if let Some(n) = &e.note { p.cite { "Note: " (n) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (footer(req))
    };
    page(&title, "../../", false, body)
}

pub(crate) struct DocPage<'a> {
    pub setup: &'a Setup<'a>,
    pub profile: &'a Profile,
    pub source: &'a Source,
    pub rel: &'a str,
    pub cited: bool,
    pub sha256: &'a str,
    pub unreadable: Option<&'a str>,
    pub document: &'a super::document::Document,
    pub highlights: &'a [Highlight],
    /// The NOTICE.md line that records where the file was archived from.
    pub notice: Option<&'a str>,
    pub archive: Option<&'a Vec<(&'static str, String)>>,
    pub history: Option<String>,
}

/// An archived document, readable, with every quoted passage highlighted and its provenance.
pub(crate) fn document_page(p: &DocPage) -> Markup {
    let s = p.source;
    let title = format!("{} — {}", s.title, p.profile.name);
    let body = html! {
        nav.crumbs {
            a href="../../index.html" { "← All offerings" }
            @for o in &p.profile.offerings {
                a href={ "../../" (offering_page(&p.profile.id, &o.id)) } { (o.name) }
            }
            @if let Some(h) = &p.history { a href=(h) { "History of this document" } }
        }
        header {
            h1 { (s.title) }
            p.subtitle {
                (p.profile.name) " · " (s.authority.as_str().replace('_', " "))
                " · " @if p.cited { "the version the profile cites" } @else { "an archived version the profile does not cite" }
            }
            dl.meta {
                dt { "Source" } dd { code { (s.id) } " (" (s.status.as_str()) ")" }
                @if let Some(url) = &s.url {
                    dt { "Address" } dd {
                        @if linkable(url) { a href=(url) rel="noopener noreferrer" { (url) } } @else { (url) }
                    }
                }
                @if let Some(d) = s.last_updated { dt { "Last updated (as stated)" } dd { (d.to_string()) } }
                @if p.cited { @if let Some(d) = s.retrieved { dt { "Retrieved" } dd { (d.to_string()) } } }
                dt { "Archived copy" } dd.mono { "vendors/" (p.profile.id) "/" (p.rel) }
                dt { "SHA-256" } dd.mono { (p.sha256) }
                @if p.cited {
                    @if let Some(recorded) = s.sha256.as_deref().filter(|r| *r != p.sha256) {
                        dt { "Recorded SHA-256" } dd.mono.drift { (recorded) " (the file changed since review)" }
                    }
                }
                @if let Some(fields) = p.archive {
                    @for (k, v) in fields { dt { (k.replace('_', " ")) } dd.mono { (v) } }
                }
                @if let Some(n) = p.notice {
                    dt { "Notice" } dd { (crate::report::markdown_as_text(n.trim_start_matches("- ")).replace('`', "")) }
                }
                @if let Some(n) = &s.notes { dt { "Notes" } dd { (n) } }
            }
            @if p.notice.is_some() {
                p.legend { "Archived from Open Terms Archive, whose data is available under the Open Database License ODC-BY 1.0 (see the vendor's NOTICE.md)." }
            }
        }
        @if let Some(why) = p.unreadable {
            p.drift { "The archived copy cannot be read: " (why) }
        }
        @if !p.highlights.is_empty() {
            section.passages {
                h2 { "Quoted passages" small { " · " (p.highlights.len()) ", highlighted below" } }
                ol.passages {
                    @for h in p.highlights {
                        li {
                            @if let Some(s) = p.document.section_at(h.start) { "§" (s) " " }
                            @if h.carve_out { span.carve-label { "carve-out" } " " }
                            a href={ "#" (h.id) } { "“" (p.document.preview(h.start, h.end)) "”" }
                            " — cited by "
                            @for (k, (label, href)) in h.back.iter().enumerate() {
                                @if k > 0 { "; " }
                                a href=(href) { (label) }
                            }
                        }
                    }
                }
            }
        }
        section {
            h2 { "Document" }
            (p.document.render(p.highlights))
        }
        (footer(p.setup.request))
    };
    page(&title, "../../", false, body)
}

/// A claim quoting a document, against one version of it.
pub(crate) struct Quoted {
    pub fact: String,
    /// The claim on its offering's page.
    pub link: String,
    pub found: bool,
}

/// One archived version of a document in its history.
pub(crate) struct Version {
    pub rel: String,
    pub page: String,
    pub cited: bool,
    pub sha256: String,
    /// Each claim quoting the document, and whether its quote is in this version.
    pub quotes: Vec<Quoted>,
    /// The word diff from the previous version.
    pub diff: Option<Vec<Piece>>,
    /// Facts whose reading changed from the previous version (clauses added or removed).
    pub changes: Vec<crate::reading::FactChange>,
}

pub(crate) struct History<'a> {
    pub setup: &'a Setup<'a>,
    pub profile: &'a Profile,
    pub source: &'a Source,
    pub versions: Vec<Version>,
}

/// A document's versions and what changed between consecutive ones.
pub(crate) fn history(h: &History) -> Markup {
    let title = format!("History: {} — {}", h.source.title, h.profile.name);
    let body = html! {
        nav.crumbs {
            a href="../../index.html" { "← All offerings" }
            @for o in &h.profile.offerings {
                a href={ "../../" (offering_page(&h.profile.id, &o.id)) } { (o.name) }
            }
        }
        header {
            h1 { "History: " (h.source.title) }
            p.subtitle { (h.profile.name) " · " (h.versions.len()) " archived versions, oldest first" }
        }
        section {
            h2 { "Versions" }
            table {
                thead { tr { th { "Archived copy" } th { "Cited" } th { "SHA-256" } th { "Quotes found" } } }
                tbody {
                    @for v in &h.versions {
                        tr {
                            td { a href=(v.page) { (v.rel) } }
                            td { @if v.cited { "cited by the profile" } }
                            td.mono { (v.sha256.get(..16).unwrap_or(&v.sha256)) "…" }
                            td { (v.quotes.iter().filter(|q| q.found).count()) " of " (v.quotes.len()) }
                        }
                    }
                }
            }
        }
        @for (i, v) in h.versions.iter().enumerate().skip(1) {
            @let before = &h.versions[i - 1];
            section {
                h2 { (before.rel) " → " (v.rel) }
                @let touched: Vec<(&Quoted, bool)> = v.quotes.iter().zip(&before.quotes).map(|(now, then)| (now, now.found != then.found)).collect();
                @if !touched.is_empty() {
                    h3 { "Facts quoting this document" }
                    ul {
                        @for (q, changed) in &touched {
                            li.changed[*changed] {
                                a href=(q.link) { code { (q.fact) } } ": "
                                @if q.found { "the quote is in this version" } @else { "the quote is not in this version" }
                                @if *changed { " (changed)" }
                            }
                        }
                    }
                }
                @if !v.changes.is_empty() {
                    h3 { "Readings that changed" }
                    ul {
                        @for c in &v.changes {
                            li {
                                code { (c.fact) } ": "
                                @if !c.old.is_empty() {
                                    "was " (c.old.iter().map(human_value).collect::<Vec<_>>().join(", ")) "; "
                                }
                                @for (value, clause) in &c.new {
                                    "now " (human_value(value)) " — “" (clause) "” "
                                }
                            }
                        }
                    }
                }
                h3 { "Word diff" }
                @match &v.diff {
                    Some(pieces) if pieces.iter().any(|p| !matches!(p, Piece::Same(_))) => div.diff {
                        @for piece in pieces {
                            @match piece {
                                Piece::Same(t) => (t),
                                Piece::Gap => " … ",
                                Piece::Removed(t) => del { (t) },
                                Piece::Added(t) => ins { (t) },
                            }
                        }
                    },
                    _ => p { "No change in the words." },
                }
            }
        }
        (footer(h.setup.request))
    };
    page(&title, "../../", false, body)
}

/// A part of a word diff.
pub(crate) enum Piece {
    Same(String),
    /// Unchanged words left out.
    Gap,
    Removed(String),
    Added(String),
}

/// Words of context kept around each change.
const CONTEXT_WORDS: usize = 12;

/// The word diff between two versions, unchanged stretches shortened to their context.
pub(crate) fn word_diff(old: &str, new: &str) -> Vec<Piece> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_secs(2))
        .diff_words(old, new);
    let mut out: Vec<Piece> = Vec::new();
    let mut same: Vec<&str> = Vec::new();
    let flush_same = |same: &mut Vec<&str>, out: &mut Vec<Piece>, last: bool| {
        let words: Vec<&str> = same
            .iter()
            .copied()
            .filter(|w| !w.trim().is_empty())
            .collect();
        let first = out.is_empty();
        if words.len() > 2 * CONTEXT_WORDS
            || (first && words.len() > CONTEXT_WORDS)
            || (last && words.len() > CONTEXT_WORDS)
        {
            if !first {
                out.push(Piece::Same(format!(
                    "{} ",
                    words[..CONTEXT_WORDS].join(" ")
                )));
            }
            out.push(Piece::Gap);
            if !last {
                out.push(Piece::Same(format!(
                    " {} ",
                    words[words.len() - CONTEXT_WORDS..].join(" ")
                )));
            }
        } else if !words.is_empty() {
            out.push(Piece::Same(format!(" {} ", words.join(" "))));
        }
        same.clear();
    };
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Equal => same.push(change.value()),
            tag => {
                if !same.is_empty() {
                    flush_same(&mut same, &mut out, false);
                }
                let text = change.value().to_string();
                if text.trim().is_empty() {
                    continue;
                }
                out.push(match tag {
                    ChangeTag::Delete => Piece::Removed(text),
                    _ => Piece::Added(text),
                });
            }
        }
    }
    flush_same(&mut same, &mut out, true);
    out
}
