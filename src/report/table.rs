//! The terminal table: a verdict matrix, the rules that drive each non-go cell, then per
//! offering the findings (message and action in one wide cell) with short citations.
//!
//! Colour only when asked ([`Style::color`]); the width is the terminal's, or 120 when piped.

use super::{
    Merged, OfferingRow, Style, applies_to, drivers, merged, offerings, scope_line, tags,
    waiver_text,
};
use crate::outcome::Level;
use crate::outcome::{Evaluation, Finding, Verdict};
use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

/// The width used when it is neither given nor detectable (output piped to a file).
pub const DEFAULT_WIDTH: u16 = 120;
/// Below this width the findings table folds level, rule and classifications into one column
/// and the citation into the finding.
const NARROW: u16 = 100;

pub fn verdict_color(v: Verdict) -> Color {
    match v {
        Verdict::Go => Color::Green,
        Verdict::Conditional => Color::Yellow,
        Verdict::Hold => Color::Magenta,
        Verdict::NoGo | Verdict::Error => Color::Red,
    }
}

fn level_color(l: Level) -> Color {
    match l {
        Level::Block => Color::Red,
        Level::Hold => Color::Magenta,
        Level::Condition => Color::Yellow,
        Level::Warn => Color::DarkYellow,
        Level::Info | Level::Pass => Color::Reset,
    }
}

fn verdict_cell(text: String, v: Verdict) -> Cell {
    let cell = Cell::new(text).fg(verdict_color(v));
    if v >= Verdict::NoGo {
        cell.add_attribute(Attribute::Bold)
    } else {
        cell
    }
}

fn new_table(style: &Style) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width.unwrap_or(DEFAULT_WIDTH).max(40));
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

fn header(names: &[&str]) -> Vec<Cell> {
    names
        .iter()
        .map(|h| Cell::new(h).add_attribute(Attribute::Bold))
        .collect()
}

/// Text in bold when colour is on.
fn bold(text: &str, style: &Style) -> String {
    if style.color {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn paint(text: &str, color: Color, style: &Style) -> String {
    if !style.color {
        return text.to_string();
    }
    let code = match color {
        Color::Red => "31",
        Color::Green => "32",
        Color::Yellow => "33",
        Color::Magenta => "35",
        _ => return text.to_string(),
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

pub fn render(eval: &Evaluation, style: &Style) -> Vec<u8> {
    // The table cleans its content rather than its output, which carries its own colours.
    let eval = &super::sanitize::clean_evaluation(eval);
    let rows = offerings(eval);
    let mut out = title(eval, style);
    out.push_str(&matrix_section(eval, &rows, style));
    out.push_str(&stands_in_the_way(eval, &rows, style));
    if !style.summary {
        // One layout for every offering's findings table, so that their columns line up.
        let columns = finding_columns(eval, style);
        for row in &rows {
            out.push_str(&offering_findings(eval, row, &columns, style));
        }
    }
    for w in &eval.warnings {
        out.push_str(&format!("\nwarning: {}\n", w.report_line()));
    }
    out.into_bytes()
}

/// The title line and the scope line (with the tags, when any).
fn title(eval: &Evaluation, style: &Style) -> String {
    let mut out = bold(
        &format!(
            "Vendor review · policy {} ({}) · {}",
            eval.policy, eval.organization, eval.today
        ),
        style,
    );
    out.push('\n');
    out.push_str(&scope_line(eval));
    let tags = tags(eval);
    if !tags.is_empty() {
        out.push_str(&format!(" · with tags: {}", tags.join(", ")));
    }
    out.push('\n');
    out
}

/// Whether every line of `text` fits in `width` columns (colour codes are not counted).
fn fits(text: &str, width: u16) -> bool {
    text.lines().all(|l| visible_len(l) <= width as usize)
}

/// The width of the first column when ids go on two lines: the longest `vendor/` or offering.
/// Ids that fit in that stay on one line.
fn split_width(rows: &[OfferingRow]) -> usize {
    rows.iter()
        .map(|r| (r.vendor.chars().count() + 1).max(r.offering.chars().count()))
        .max()
        .unwrap_or(0)
}

/// The id, on two lines after its `/` when it is longer than `split_width`.
fn split_id(row: &OfferingRow, split_width: usize) -> String {
    if row.id().chars().count() > split_width {
        format!("{}/\n{}", row.vendor, row.offering)
    } else {
        row.id()
    }
}

/// The verdict matrix and its legend. An id goes on two lines, after its `/`, only when the
/// matrix would not fit whole.
fn matrix_section(eval: &Evaluation, rows: &[OfferingRow], style: &Style) -> String {
    let width = style.width.unwrap_or(DEFAULT_WIDTH);
    let whole = verdict_matrix(eval, rows, None, style);
    let mut out = if fits(&whole, width) {
        whole
    } else {
        verdict_matrix(eval, rows, Some(split_width(rows)), style)
    };
    out.push('\n');
    let mut legend: Vec<String> = super::legend(eval)
        .filter(|(v, _)| *v != Verdict::Go)
        .map(|(v, what)| format!("{} = {what}", paint(v.as_str(), verdict_color(v), style)))
        .collect();
    legend.push("(waiver) = a waived finding".to_string());
    out.push_str(&wrap_items(&legend, " · ", width));
    out
}

/// One row an offering, one column a classification; ids split at `split` when given.
fn verdict_matrix(
    eval: &Evaluation,
    rows: &[OfferingRow],
    split: Option<usize>,
    style: &Style,
) -> String {
    let mut matrix = new_table(style);
    let tags = tags(eval);
    let first = if tags.is_empty() {
        "Vendor / offering".to_string()
    } else {
        format!("Vendor / offering\n+ {}", tags.join(", "))
    };
    let mut head = vec![Cell::new(first).add_attribute(Attribute::Bold)];
    head.extend(
        eval.classifications
            .iter()
            .map(|c| Cell::new(c).add_attribute(Attribute::Bold)),
    );
    matrix.set_header(head);
    for row in rows {
        let id = match split {
            Some(w) => split_id(row, w),
            None => row.id(),
        };
        let mut cells = vec![Cell::new(id)];
        for class in &eval.classifications {
            cells.push(match row.at(class) {
                Some(r) => verdict_cell(super::cell_text(r), r.verdict),
                None => Cell::new("–"),
            });
        }
        matrix.add_row(cells);
    }
    keep_words_whole(&mut matrix);
    matrix.trim_fmt()
}

/// "What stands in the way": the rules behind each non-go cell, or a line saying every cell
/// is go. Four columns when they fit; else offering and classifications share the first.
fn stands_in_the_way(eval: &Evaluation, rows: &[OfferingRow], style: &Style) -> String {
    let mut out = String::from("\n");
    if rows.iter().any(|r| !drivers(r).is_empty()) {
        let wide = drivers_table(eval, rows, false, style);
        let table = if fits(&wide, style.width.unwrap_or(DEFAULT_WIDTH)) {
            wide
        } else {
            drivers_table(eval, rows, true, style)
        };
        out.push_str(&bold("What stands in the way", style));
        out.push('\n');
        out.push_str(&table);
        out.push('\n');
    } else if !rows.is_empty() {
        out.push_str("Every offering is go at every classification evaluated.\n");
    }
    out
}

fn drivers_table(eval: &Evaluation, rows: &[OfferingRow], narrow: bool, style: &Style) -> String {
    let mut why = new_table(style);
    if narrow {
        why.set_header(header(&["Offering · at", "Verdict", "Driven by"]));
    } else {
        why.set_header(header(&["Offering", "At", "Verdict", "Driven by"]));
    }
    let split_width = split_width(rows);
    for row in rows {
        for d in drivers(row) {
            let at = applies_to(&d.classes, &eval.classifications);
            let verdict = verdict_cell(d.verdict.as_str().to_string(), d.verdict);
            let rules = Cell::new(d.rules.join(", "));
            if narrow {
                let id = split_id(row, split_width);
                why.add_row(vec![Cell::new(format!("{id}\nat {at}")), verdict, rules]);
            } else {
                why.add_row(vec![Cell::new(row.id()), Cell::new(at), verdict, rules]);
            }
        }
    }
    keep_words_whole(&mut why);
    why.trim_fmt()
}

/// One offering: its heading, its verdict at each classification, and its findings table
/// laid out in `columns`.
fn offering_findings(
    eval: &Evaluation,
    row: &OfferingRow,
    columns: &[u16],
    style: &Style,
) -> String {
    let width = style.width.unwrap_or(DEFAULT_WIDTH);
    let mut out = String::from("\n");
    let heading = format!(
        "▌ {} — {} ({}), {}",
        row.id(),
        row.offering_name,
        row.tier,
        row.vendor_name
    );
    for line in wrap_words(&heading, width, "  ") {
        out.push_str(&bold(&line, style));
        out.push('\n');
    }
    let verdicts: Vec<String> = row
        .results
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.classification,
                paint(&super::cell_text(r), verdict_color(r.verdict), style)
            )
        })
        .collect();
    out.push_str(&format!("  {}\n", verdicts.join(" · ")));
    for note in super::notes(&row.results) {
        for line in wrap_words(&format!("note: {note}"), width.saturating_sub(2), "    ") {
            out.push_str(&format!("  {line}\n"));
        }
    }

    let findings = merged(&row.results, style.verbose);
    if findings.is_empty() {
        out.push_str(if style.verbose {
            "  no findings\n"
        } else {
            "  no findings (passed checks are shown with -v)\n"
        });
        return out;
    }
    let mut t = new_table(style);
    if width >= NARROW {
        t.set_header(header(&["Level", "Rule · at", "Finding → action", "Cited"]));
    } else {
        t.set_header(header(&["Level · rule · at", "Finding → action · cited"]));
    }
    for m in findings {
        t.add_row(finding_row(&m, eval, width));
    }
    t.set_constraints(
        columns
            .iter()
            .map(|w| ColumnConstraint::Absolute(Width::Fixed(*w))),
    );
    out.push_str(&t.trim_fmt());
    out.push('\n');
    out
}

/// A finding's cells: four columns, or two below [`NARROW`] with the citation in the text.
fn finding_row(m: &Merged, eval: &Evaluation, width: u16) -> Vec<Cell> {
    let f = m.finding;
    let mut level = f.level.as_str().to_string();
    if f.waived.is_some() {
        level.push_str("\nwaived");
    }
    // A waived finding no longer decides anything: no colour.
    let color = if f.waived.is_some() {
        Color::Reset
    } else {
        level_color(f.level)
    };
    let at = applies_to(&m.classes, &eval.classifications);
    let cited = short_citation(f);
    if width >= NARROW {
        return vec![
            Cell::new(level).fg(color),
            Cell::new(format!("{}\n{at}", f.rule)),
            Cell::new(finding_text(f)),
            Cell::new(cited),
        ];
    }
    let mut text = finding_text(f);
    if !cited.is_empty() {
        text.push_str("\nCited: ");
        text.push_str(&cited.replace('\n', "; "));
    }
    vec![
        Cell::new(format!("{level}\n{}\n{at}", f.rule)).fg(color),
        Cell::new(text),
    ]
}

/// Gives every column at least the width of its longest word, so that comfy-table never
/// breaks an identifier (a rule id, a vendor/offering id, a classification) mid-word; the
/// table may then be a little wider than the terminal, which reads better than `ret-\nention`.
pub(super) fn keep_words_whole(table: &mut Table) {
    let longest_word = |text: &str| {
        text.split(|c: char| c.is_whitespace())
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let mut widths: Vec<usize> = Vec::new();
    let header = table
        .header()
        .map(|h| h.cell_iter().map(|c| c.content()).collect::<Vec<_>>());
    let rows = table
        .row_iter()
        .map(|r| r.cell_iter().map(|c| c.content()).collect::<Vec<_>>());
    for cells in header.into_iter().chain(rows) {
        for (i, text) in cells.iter().enumerate() {
            let w = longest_word(text);
            match widths.get_mut(i) {
                Some(x) => *x = (*x).max(w),
                None => widths.push(w),
            }
        }
    }
    for (i, w) in widths.into_iter().enumerate() {
        if let Some(col) = table.column_mut(i) {
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w as u16 + 2)));
        }
    }
}

/// "message\n→ action", and the waiver when one applies.
fn finding_text(f: &Finding) -> String {
    let mut text = f.message.clone();
    if let Some(action) = f.action.as_deref().filter(|a| !a.is_empty()) {
        text.push_str("\n→ ");
        text.push_str(action);
    }
    if let Some(w) = waiver_text(f) {
        text.push_str("\nWaived ");
        text.push_str(&w);
    }
    text
}

/// Short citations for a narrow column: "api-terms §2.3.3", one a line.
fn short_citation(f: &Finding) -> String {
    let mut cites: Vec<String> = Vec::new();
    for e in super::deciding(f) {
        let doc = e
            .source
            .clone()
            .unwrap_or_else(|| "unsupported value".to_string());
        let cite = match &e.section {
            Some(s) => format!("{doc} §{s}"),
            None => doc,
        };
        if !cites.contains(&cite) {
            cites.push(cite);
        }
    }
    cites.join("\n")
}

/// The columns a line takes on screen (colour codes are not counted).
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (false, _) => n += 1,
            _ => {}
        }
    }
    n
}

/// Joins items with `sep`, breaking the line before an item that would pass `width` columns
/// (colour codes are not counted).
fn wrap_items(items: &[String], sep: &str, width: u16) -> String {
    let visible = visible_len;
    let mut out = String::new();
    let mut line = 0usize;
    for (i, item) in items.iter().enumerate() {
        let len = visible(item);
        if i > 0 {
            if line + sep.len() + len > width as usize {
                out.push('\n');
                line = 0;
            } else {
                out.push_str(sep);
                line += visible(sep);
            }
        }
        out.push_str(item);
        line += len;
    }
    out.push('\n');
    out
}

/// The widths (padding included) of the findings tables' columns: level fits "condition", rule
/// ids (with where they apply) and short citations keep to one line where they can (up to a cap), the finding takes the
/// rest. Below [`NARROW`] columns: level, rule and classifications in one column, the rest in
/// the other.
fn finding_columns(eval: &Evaluation, style: &Style) -> Vec<u16> {
    let width = style.width.unwrap_or(DEFAULT_WIDTH).max(40);
    let findings = || eval.results.iter().flat_map(|r| &r.findings);
    let longest = |lens: &mut dyn Iterator<Item = usize>, floor: usize, cap: usize| -> u16 {
        (lens.max().unwrap_or(0).clamp(floor, cap) + 2) as u16
    };
    // Rule ids, and "confidential and up" under them.
    let rule = longest(
        &mut findings()
            .map(|f| f.rule.chars().count())
            .chain(eval.classifications.iter().map(|c| c.chars().count() + 7)),
        9,
        40,
    );
    if width < NARROW {
        let first = rule.max(14);
        return vec![first, width.saturating_sub(first + 3).max(20)];
    }
    let level = 11;
    let cited = longest(
        &mut findings().flat_map(|f| {
            short_citation(f)
                .lines()
                .map(|l| l.chars().count())
                .collect::<Vec<_>>()
        }),
        5,
        22,
    );
    // Five borders.
    let finding = width.saturating_sub(5 + level + rule + cited).max(24);
    vec![level, rule, finding, cited]
}

/// Word-wraps `text` to `width` columns, continuing lines with `indent`. A word longer than a
/// line stays whole.
fn wrap_words(text: &str, width: u16, indent: &str) -> Vec<String> {
    let width = width.max(20) as usize;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut len = 0usize;
    for word in text.split(' ') {
        let n = word.chars().count();
        if len > 0 && len + 1 + n > width {
            lines.push(std::mem::take(&mut line));
            line.push_str(indent);
            len = indent.chars().count();
        } else if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += n;
    }
    lines.push(line);
    lines
}
