//! `--format xlsx` (rust_xlsxwriter): a workbook for legal and procurement.
//!
//! - **Summary**: the verdict matrix with verdict-coloured cells, then what drives each non-go
//!   cell, then the legend;
//! - **Findings**: one row a finding that is not a pass (offering, classification, verdict,
//!   level, rule, finding, action, waiver, citations; `--format csv` has every column);
//! - **Passed**: the pass findings, the same columns;
//! - **Evidence**: one row per evidence entry of every finding (every claim of every fact it
//!   read, with its role: decides, conflicts, agrees, outvoted, unverified);
//! - **Frameworks**: one row per framework clause a finding's rule evidences (passes included:
//!   they are the evidence an auditor asks for), to filter by framework or clause.
//!
//! Made to be read and printed: wrapped text with row heights that show it (a spreadsheet does
//! not grow rows by itself when the file sets none), frozen header row, autofilter, landscape,
//! fit to one page wide with the header row repeated on every page. A sheet holds at most
//! 1,048,576 rows: a review that needs more is refused with an error that says what to do.
//!
//! Every text is written as a string cell, never as a formula: a vendor named `=HYPERLINK(...)`
//! stays text. Urls are wrapped text too, not hyperlinks: LibreOffice never wraps a hyperlink
//! cell, so a long url was cut at the column's edge on screen and on paper. Quotes read as prose
//! (Markdown links as their text), as in the HTML report.

use super::{
    OfferingRow, applies_to, cell_text, drivers, markdown_as_text, offerings, scope_line, tags,
};
use crate::outcome::Level;
use crate::outcome::{Evaluation, Finding, OfferingResult, Verdict};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// Excel's limit for the text of one cell.
use super::csv::MAX_CELL_CHARS;

/// The most rows a sheet holds (Excel's limit), header included.
pub const MAX_ROWS: usize = 1_048_576;
/// The height of one line of 11-point text, in points; Excel's highest row is 409 points.
const LINE_HEIGHT: f64 = 15.0;
const MAX_ROW_HEIGHT: f64 = 409.0;

#[derive(Debug)]
pub enum Error {
    /// A sheet would need more rows than a workbook allows.
    TooManyRows {
        sheet: &'static str,
        rows: usize,
    },
    Xlsx(XlsxError),
}

impl From<XlsxError> for Error {
    fn from(e: XlsxError) -> Self {
        Error::Xlsx(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::TooManyRows { sheet, rows } => {
                write!(
                    f,
                    "the {sheet} sheet would need {rows} rows (at most {})",
                    max_rows()
                )
            }
            Error::Xlsx(e) => write!(f, "{e}"),
        }
    }
}

/// The most rows a sheet may have: [`MAX_ROWS`]. A debug build (the one tests run) takes a
/// lower limit from `DILIGENCE_TEST_XLSX_MAX_ROWS`, so that a test reaches it without a
/// million findings; a release build has no such switch.
pub fn max_rows() -> usize {
    #[cfg(debug_assertions)]
    if let Some(rows) = std::env::var("DILIGENCE_TEST_XLSX_MAX_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return rows;
    }
    MAX_ROWS
}

/// Refuses a sheet of `rows` rows (header included) past [`max_rows`].
pub fn check_rows(sheet: &'static str, rows: usize) -> Result<(), Error> {
    if rows > max_rows() {
        Err(Error::TooManyRows { sheet, rows })
    } else {
        Ok(())
    }
}

/// The rows the Findings, Passed and Evidence sheets need (headers included), counted result
/// by result as the evaluation hands them over: a review past a sheet's limit is refused as
/// soon as it passes it, not after the whole evaluation.
pub struct Rows {
    findings: usize,
    passed: usize,
    evidence: usize,
    frameworks: usize,
}

impl Default for Rows {
    fn default() -> Self {
        Rows {
            findings: 1,
            passed: 1,
            evidence: 1,
            frameworks: 1,
        }
    }
}

impl Rows {
    /// Counts one result's rows; an error once a sheet needs more than it holds.
    pub fn add(&mut self, result: &crate::outcome::OfferingResult) -> Result<(), Error> {
        for f in &result.findings {
            if f.level == Level::Pass {
                self.passed += 1;
            } else {
                self.findings += 1;
            }
            self.evidence += f.evidence.len();
            self.frameworks += f.refs.len();
        }
        check_rows("Findings", self.findings)?;
        check_rows("Passed", self.passed)?;
        check_rows("Evidence", self.evidence)?;
        check_rows("Frameworks", self.frameworks)
    }
}

/// The lines `text` takes in a column `width` characters wide, wrapped at words (an estimate
/// on the generous side: a row a little too high reads well, one too low hides text).
pub fn lines_in(text: &str, width: f64) -> usize {
    // Proportional fonts fit more characters than the width (in '0's) says: about 1.3 times
    // for English prose in Calibri (Carlito in LibreOffice). 1.15 stays on the safe side
    // without leaving rows half empty, as 1.05 did in print.
    let per_line = (width * 1.15).floor().max(1.0) as usize;
    text.split('\n')
        .map(|line| {
            let mut lines = 1;
            let mut used = 0usize;
            for word in line.split(' ') {
                let n = word.chars().count();
                if used == 0 {
                    used = n;
                } else if used + 1 + n <= per_line {
                    used += 1 + n;
                } else {
                    lines += 1;
                    used = n;
                }
                // A word longer than the line wraps by characters.
                while used > per_line {
                    lines += 1;
                    used -= per_line;
                }
            }
            lines
        })
        .sum()
}

/// Sets a row's height to show the tallest of its wrapped cells.
fn fit_row(ws: &mut Worksheet, row: u32, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(text, width)| lines_in(text, *width))
        .max()
        .unwrap_or(1)
        .max(1);
    if lines > 1 {
        ws.set_row_height(row, (lines as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT))?;
    }
    Ok(())
}

/// The Findings and Passed sheets: what a reader of the printed sheet needs. The quote, url
/// and vendor names are on the Evidence and Summary sheets; `--format csv` has every column.
pub const FINDINGS_HEADER: [&str; 10] = [
    "Offering",
    "Classification",
    "Verdict",
    "Level",
    "Rule",
    "Finding",
    "Action",
    "Waiver",
    "Cited",
    "Notes",
];
// Widths in characters. About 215 in all, so that a sheet fitted to one landscape page prints
// at about three quarters of its size (8 pt text); wider columns printed it at half (5 pt).
const FINDINGS_WIDTHS: [f64; 10] = [20.0, 13.0, 11.0, 9.0, 20.0, 36.0, 34.0, 18.0, 26.0, 28.0];

pub const EVIDENCE_HEADER: [&str; 13] = [
    "Vendor",
    "Offering",
    "Classification",
    "Rule",
    "Fact",
    "Role",
    "Value",
    "Authority",
    "Source title",
    "Section",
    "Quote",
    "URL",
    "At",
];
const EVIDENCE_WIDTHS: [f64; 13] = [
    10.0, 13.0, 14.0, 16.0, 18.0, 10.0, 14.0, 10.0, 20.0, 9.0, 40.0, 22.0, 18.0,
];

pub const FRAMEWORKS_HEADER: [&str; 8] = [
    "Framework",
    "Clause",
    "Title",
    "Offering",
    "Classification",
    "Rule",
    "Level",
    "Finding",
];
const FRAMEWORKS_WIDTHS: [f64; 8] = [14.0, 24.0, 26.0, 20.0, 13.0, 20.0, 9.0, 50.0];

/// (fill, font) per verdict: Excel's Good / Neutral / Bad styles, and purple for hold.
fn verdict_colors(v: Verdict) -> (u32, u32) {
    match v {
        Verdict::Go => (0xC6EFCE, 0x006100),
        Verdict::Conditional => (0xFFEB9C, 0x9C5700),
        Verdict::Hold => (0xE4DFEC, 0x5B2C6F),
        Verdict::NoGo | Verdict::Error => (0xFFC7CE, 0x9C0006),
    }
}

fn level_verdict(l: Level) -> Option<Verdict> {
    match l {
        Level::Block => Some(Verdict::NoGo),
        Level::Hold => Some(Verdict::Hold),
        Level::Condition => Some(Verdict::Conditional),
        _ => None,
    }
}

struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    text: Format,
}

impl Formats {
    fn new() -> Self {
        let text = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xD0D0D0));
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xDDE3EA))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xA0A0A0)),
            text,
        }
    }

    fn verdict(&self, v: Verdict) -> Format {
        let (fill, font) = verdict_colors(v);
        let f = self
            .text
            .clone()
            .set_background_color(Color::RGB(fill))
            .set_font_color(Color::RGB(font));
        if v >= Verdict::NoGo { f.set_bold() } else { f }
    }
}

/// Text that fits one cell.
fn fit(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        return text.to_string();
    }
    let mut t: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    t.push('…');
    t
}

fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, fit(text), format)?;
    Ok(())
}

/// A workbook's properties created on `today` (YYYY-MM-DD), the run's date, rather than the
/// clock's: the same run gives the same bytes.
pub(crate) fn dated(props: DocProperties, today: &str) -> DocProperties {
    match today.parse::<jiff::civil::Date>().map(|date| {
        ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
    }) {
        Ok(Ok(dt)) => props.set_creation_datetime(&dt),
        _ => props,
    }
}

pub fn render(eval: &Evaluation) -> Result<Vec<u8>, Error> {
    let mut rows = Rows::default();
    for r in &eval.results {
        rows.add(r)?;
    }
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(format!("Vendor review: policy {}", eval.policy))
        .set_company(&eval.organization);
    wb.set_properties(&dated(props, &eval.today));
    let fm = Formats::new();
    summary(wb.add_worksheet(), eval, &fm)?;
    findings(wb.add_worksheet(), "Findings", eval, &fm, |f| {
        f.level != Level::Pass
    })?;
    findings(wb.add_worksheet(), "Passed", eval, &fm, |f| {
        f.level == Level::Pass
    })?;
    evidence(wb.add_worksheet(), eval, &fm)?;
    frameworks(wb.add_worksheet(), eval, &fm)?;
    Ok(wb.save_to_buffer()?)
}

/// Landscape, one page wide, the header row on every page, frozen, with an autofilter.
fn table_setup(ws: &mut Worksheet, last_row: u32, last_col: u16) -> Result<(), XlsxError> {
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row.max(1), last_col)?;
    Ok(())
}

fn summary(ws: &mut Worksheet, eval: &Evaluation, fm: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    summary_title(ws, eval, fm)?;
    let rows = offerings(eval);
    let row = summary_matrix(ws, eval, &rows, fm, 3)?;
    let row = summary_drivers(ws, eval, &rows, fm, row + 1)?;
    summary_legend(ws, eval, fm, row + 1)
}

/// Rows 0 and 1: the title and the scope.
fn summary_title(ws: &mut Worksheet, eval: &Evaluation, fm: &Formats) -> Result<(), XlsxError> {
    put(
        ws,
        0,
        0,
        &format!(
            "Vendor review · policy {} ({})",
            eval.policy, eval.organization
        ),
        &fm.title,
    )?;
    let tags = tags(eval);
    let mut sub = format!("Evaluated as of {} · {}", eval.today, scope_line(eval));
    if !tags.is_empty() {
        sub.push_str(&format!(" · with tags: {}", tags.join(", ")));
    }
    ws.write_string(1, 0, fit(&sub))?;
    Ok(())
}

/// The verdict matrix from row `top`, one row an offering; returns the row after it.
fn summary_matrix(
    ws: &mut Worksheet,
    eval: &Evaluation,
    rows: &[OfferingRow],
    fm: &Formats,
    top: u32,
) -> Result<u32, XlsxError> {
    let tags = tags(eval);
    let first = if tags.is_empty() {
        "Vendor / offering".to_string()
    } else {
        format!("Vendor / offering (+ {})", tags.join(", "))
    };
    put(ws, top, 0, &first, &fm.header)?;
    put(ws, top, 1, "Vendor", &fm.header)?;
    put(ws, top, 2, "Offering", &fm.header)?;
    for (i, c) in eval.classifications.iter().enumerate() {
        put(ws, top, 3 + i as u16, c, &fm.header)?;
    }
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(2, 30)?;
    for i in 0..eval.classifications.len() {
        ws.set_column_width(3 + i as u16, 18)?;
    }
    let mut row = top + 1;
    for o in rows {
        put(ws, row, 0, &o.id(), &fm.text)?;
        put(ws, row, 1, o.vendor_name, &fm.text)?;
        put(ws, row, 2, o.offering_name, &fm.text)?;
        for (i, class) in eval.classifications.iter().enumerate() {
            match o.at(class) {
                Some(r) => put(ws, row, 3 + i as u16, &cell_text(r), &fm.verdict(r.verdict))?,
                None => put(ws, row, 3 + i as u16, "–", &fm.text)?,
            }
        }
        fit_row(
            ws,
            row,
            &[
                (&o.id(), 30.0),
                (o.vendor_name, 24.0),
                (o.offering_name, 30.0),
            ],
        )?;
        row += 1;
    }
    Ok(row)
}

/// "What stands in the way" from row `top`: the rules behind each non-go cell; returns the
/// row after it.
fn summary_drivers(
    ws: &mut Worksheet,
    eval: &Evaluation,
    rows: &[OfferingRow],
    fm: &Formats,
    top: u32,
) -> Result<u32, XlsxError> {
    // "Driven by" spans the classification columns: rule lists are long.
    let classes = eval.classifications.len().max(1) as u16;
    let driven_width = 18.0 * classes as f64;
    let mut row = top;
    put(ws, row, 0, "What stands in the way", &fm.bold)?;
    row += 1;
    for (i, h) in ["Offering", "At", "Verdict"].iter().enumerate() {
        put(ws, row, i as u16, h, &fm.header)?;
    }
    if classes > 1 {
        ws.merge_range(row, 3, row, 2 + classes, "Driven by", &fm.header)?;
    } else {
        put(ws, row, 3, "Driven by", &fm.header)?;
    }
    row += 1;
    for o in rows {
        for d in drivers(o) {
            put(ws, row, 0, &o.id(), &fm.text)?;
            put(
                ws,
                row,
                1,
                &applies_to(&d.classes, &eval.classifications),
                &fm.text,
            )?;
            put(ws, row, 2, d.verdict.as_str(), &fm.verdict(d.verdict))?;
            let rules = fit(&d.rules.join(", "));
            if classes > 1 {
                ws.merge_range(row, 3, row, 2 + classes, &rules, &fm.text)?;
            } else {
                put(ws, row, 3, &rules, &fm.text)?;
            }
            fit_row(ws, row, &[(&rules, driven_width), (&o.id(), 30.0)])?;
            row += 1;
        }
    }
    Ok(row)
}

/// The legend from row `top`, then the warnings.
fn summary_legend(
    ws: &mut Worksheet,
    eval: &Evaluation,
    fm: &Formats,
    top: u32,
) -> Result<(), XlsxError> {
    let mut row = top;
    for (v, what) in super::legend(eval) {
        put(ws, row, 0, v.as_str(), &fm.verdict(v))?;
        ws.write_string(row, 1, what)?;
        row += 1;
    }
    ws.write_string(row, 0, "(waiver)")?;
    ws.write_string(row, 1, "a waived finding: see the Findings sheet")?;
    for w in &eval.warnings {
        row += 2;
        ws.write_string(row, 0, fit(&format!("warning: {}", w.report_line())))?;
    }
    Ok(())
}

fn findings(
    ws: &mut Worksheet,
    name: &str,
    eval: &Evaluation,
    fm: &Formats,
    keep: impl Fn(&Finding) -> bool,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    for (i, (h, w)) in FINDINGS_HEADER.iter().zip(FINDINGS_WIDTHS).enumerate() {
        put(ws, 0, i as u16, h, &fm.header)?;
        ws.set_column_width(i as u16, w)?;
    }
    let mut row = 0u32;
    for r in &eval.results {
        for f in r.findings.iter().filter(|f| keep(f)) {
            row += 1;
            finding_row(ws, row, r, f, fm)?;
        }
    }
    table_setup(ws, row, FINDINGS_HEADER.len() as u16 - 1)
}

fn finding_row(
    ws: &mut Worksheet,
    row: u32,
    r: &OfferingResult,
    f: &Finding,
    fm: &Formats,
) -> Result<(), XlsxError> {
    let cap = super::csv::cap;
    let values: [String; 10] = [
        cap(&format!("{}/{}", r.vendor, r.offering)),
        cap(&r.classification),
        r.verdict.as_str().to_string(),
        f.level.as_str().to_string(),
        cap(&f.rule),
        cap(&f.message),
        cap(f.action.as_deref().unwrap_or_default()),
        cap(&super::waiver_text(f).unwrap_or_default()),
        cap(&citations(f)),
        cap(&super::offering_notes(r)
            .into_iter()
            .chain(super::evidence_notes(super::deciding(f)))
            .collect::<Vec<_>>()
            .join("\n")),
    ];
    for (col, value) in values.iter().enumerate() {
        let col = col as u16;
        match FINDINGS_HEADER[col as usize] {
            "Verdict" => put(ws, row, col, value, &fm.verdict(r.verdict))?,
            "Level" => match level_verdict(f.level).filter(|_| f.waived.is_none()) {
                Some(v) => put(ws, row, col, value, &fm.verdict(v))?,
                None => put(ws, row, col, value, &fm.text)?,
            },
            _ => put(ws, row, col, value, &fm.text)?,
        }
    }
    let cells: Vec<(&str, f64)> = values
        .iter()
        .map(String::as_str)
        .zip(FINDINGS_WIDTHS)
        .collect();
    fit_row(ws, row, &cells)
}

/// "Document §section", one a line, for the claims that decide the facts a finding cites.
fn citations(f: &Finding) -> String {
    let mut lines: Vec<String> = Vec::new();
    for e in super::deciding(f) {
        let mut c = super::document(e);
        if let Some(s) = &e.section {
            c.push_str(&format!(" §{s}"));
        }
        if !lines.contains(&c) {
            lines.push(c);
        }
    }
    lines.join("\n")
}

fn evidence(ws: &mut Worksheet, eval: &Evaluation, fm: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Evidence")?;
    for (i, (h, w)) in EVIDENCE_HEADER.iter().zip(EVIDENCE_WIDTHS).enumerate() {
        put(ws, 0, i as u16, h, &fm.header)?;
        ws.set_column_width(i as u16, w)?;
    }
    let mut row = 0u32;
    for r in &eval.results {
        for f in &r.findings {
            for e in &f.evidence {
                row += 1;
                let value = super::human_value(&e.value);
                let quote = e.quote.as_deref().map(markdown_as_text).unwrap_or_default();
                let cells = [
                    r.vendor.as_str(),
                    &r.offering,
                    &r.classification,
                    &f.rule,
                    &e.fact,
                    e.role.as_str(),
                    &value,
                    e.authority.as_str(),
                    e.title.as_deref().or(e.source.as_deref()).unwrap_or(""),
                    e.section.as_deref().unwrap_or(""),
                    &quote,
                    e.url.as_deref().unwrap_or(""),
                    &e.at,
                ];
                for (col, text) in cells.iter().enumerate() {
                    put(ws, row, col as u16, text, &fm.text)?;
                }
                let sized: Vec<(&str, f64)> = cells.iter().copied().zip(EVIDENCE_WIDTHS).collect();
                fit_row(ws, row, &sized)?;
            }
        }
    }
    table_setup(ws, row, EVIDENCE_HEADER.len() as u16 - 1)
}

/// One row per framework clause of each finding's rule.
fn frameworks(ws: &mut Worksheet, eval: &Evaluation, fm: &Formats) -> Result<(), XlsxError> {
    use crate::model::vocabulary::frameworks::Reference;
    ws.set_name("Frameworks")?;
    for (i, (h, w)) in FRAMEWORKS_HEADER.iter().zip(FRAMEWORKS_WIDTHS).enumerate() {
        put(ws, 0, i as u16, h, &fm.header)?;
        ws.set_column_width(i as u16, w)?;
    }
    let mut row = 0u32;
    for r in &eval.results {
        for f in &r.findings {
            for reference in f.refs.iter() {
                row += 1;
                let parsed = Reference::parse(reference).ok();
                let (framework, clause, title) = match &parsed {
                    Some(p) => (
                        p.framework.name,
                        p.clause.as_str(),
                        p.catalogued().and_then(|c| c.title).unwrap_or(""),
                    ),
                    None => ("", reference.as_str(), ""),
                };
                let offering = format!("{}/{}", r.vendor, r.offering);
                let cells = [
                    framework,
                    clause,
                    title,
                    &offering,
                    &r.classification,
                    &f.rule,
                    f.level.as_str(),
                    &f.message,
                ];
                for (col, text) in cells.iter().enumerate() {
                    match (col, level_verdict(f.level).filter(|_| f.waived.is_none())) {
                        (6, Some(v)) => put(ws, row, col as u16, text, &fm.verdict(v))?,
                        _ => put(ws, row, col as u16, text, &fm.text)?,
                    }
                }
                let sized: Vec<(&str, f64)> =
                    cells.iter().copied().zip(FRAMEWORKS_WIDTHS).collect();
                fit_row(ws, row, &sized)?;
            }
        }
    }
    table_setup(ws, row, FRAMEWORKS_HEADER.len() as u16 - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_past_the_row_limit_is_refused_with_what_to_do() {
        assert!(check_rows("Findings", MAX_ROWS).is_ok());
        let err = check_rows("Findings", MAX_ROWS + 1).unwrap_err();
        assert!(matches!(
            err,
            Error::TooManyRows {
                sheet: "Findings",
                rows
            } if rows == MAX_ROWS + 1
        ));
        assert!(err.to_string().contains("1048577 rows"));
    }

    #[test]
    fn row_heights_count_wrapped_lines() {
        assert_eq!(lines_in("short", 20.0), 1);
        assert_eq!(lines_in("one\ntwo\nthree", 20.0), 3);
        // 30 words of 9 characters in a 21-wide column: two words a line.
        let words = vec!["abcdefghi"; 30].join(" ");
        assert_eq!(lines_in(&words, 20.0), 15);
        // A word longer than the column wraps by characters.
        assert_eq!(lines_in(&"x".repeat(100), 20.0), 5);
    }
}
