//! `--format xlsx` (rust_xlsxwriter): a workbook for legal and procurement.
//!
//! - **Summary**: the verdict matrix with verdict-coloured cells, then what drives each non-go
//!   cell, then the legend;
//! - **Findings**: one row a finding (the columns of `--format csv`, pass findings included),
//!   frozen header, autofilter, wrapped text;
//! - **Evidence**: one row per evidence entry of every finding (every claim of every fact it
//!   read, with its role: decides, conflicts, agrees, outvoted, unverified).
//!
//! Every text is written as a string cell, never as a formula: a vendor named `=HYPERLINK(...)`
//! stays text. Only http(s) urls become hyperlinks.

use super::{applies_to, cell_text, drivers, linkable, offerings, scope_line, tags};
use crate::outcome::Level;
use crate::outcome::{Evaluation, Verdict};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Url, Workbook,
    Worksheet, XlsxError,
};

/// Excel's limit for the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;

pub const FINDINGS_HEADER: [&str; 17] = [
    "Vendor",
    "Vendor name",
    "Offering",
    "Offering name",
    "Classification",
    "Tags",
    "Verdict",
    "Rule",
    "Level",
    "Message",
    "Action",
    "Waived",
    "Source",
    "Authority",
    "Section",
    "Quote",
    "URL",
];
const FINDINGS_WIDTHS: [f64; 17] = [
    12.0, 18.0, 16.0, 22.0, 13.0, 10.0, 11.0, 22.0, 10.0, 50.0, 50.0, 30.0, 30.0, 12.0, 12.0, 60.0,
    30.0,
];

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
    12.0, 16.0, 13.0, 22.0, 22.0, 11.0, 16.0, 12.0, 36.0, 14.0, 70.0, 30.0, 34.0,
];

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
    link: Format,
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
            link: text.clone().set_hyperlink(),
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

/// A url cell: a hyperlink when it is http(s) and Excel accepts it, else plain text.
fn put_url(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    url: &str,
    fm: &Formats,
) -> Result<(), XlsxError> {
    if linkable(url)
        && ws
            .write_url_with_format(row, col, Url::new(url), &fm.link)
            .is_ok()
    {
        return Ok(());
    }
    put(ws, row, col, url, &fm.text)
}

pub fn render(eval: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let mut props = DocProperties::new()
        .set_title(format!("Vendor review: policy {}", eval.policy))
        .set_company(&eval.organization);
    // The evaluation date, so that the same review gives the same workbook.
    if let Ok(date) = eval.today.parse::<jiff::civil::Date>()
        && let Ok(dt) =
            ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
    {
        props = props.set_creation_datetime(&dt);
    }
    wb.set_properties(&props);
    let fm = Formats::new();
    summary(wb.add_worksheet(), eval, &fm)?;
    findings(wb.add_worksheet(), eval, &fm)?;
    evidence(wb.add_worksheet(), eval, &fm)?;
    wb.save_to_buffer()
}

fn summary(ws: &mut Worksheet, eval: &Evaluation, fm: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    let tags = tags(eval);
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
    let mut sub = format!("Evaluated as of {} · {}", eval.today, scope_line(eval));
    if !tags.is_empty() {
        sub.push_str(&format!(" · with tags: {}", tags.join(", ")));
    }
    ws.write_string(1, 0, fit(&sub))?;

    // The matrix.
    let top = 3;
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
    let rows = offerings(eval);
    let mut row = top + 1;
    for o in &rows {
        put(ws, row, 0, &o.id(), &fm.text)?;
        put(ws, row, 1, o.vendor_name, &fm.text)?;
        put(ws, row, 2, o.offering_name, &fm.text)?;
        for (i, class) in eval.classifications.iter().enumerate() {
            match o.at(class) {
                Some(r) => put(ws, row, 3 + i as u16, &cell_text(r), &fm.verdict(r.verdict))?,
                None => put(ws, row, 3 + i as u16, "–", &fm.text)?,
            }
        }
        row += 1;
    }

    // What stands in the way.
    row += 1;
    put(ws, row, 0, "What stands in the way", &fm.bold)?;
    row += 1;
    for (i, h) in ["Offering", "At", "Verdict", "Driven by"]
        .iter()
        .enumerate()
    {
        put(ws, row, i as u16, h, &fm.header)?;
    }
    row += 1;
    for o in &rows {
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
            put(ws, row, 3, &d.rules.join(", "), &fm.text)?;
            row += 1;
        }
    }

    // Legend.
    row += 1;
    for (v, what) in super::legend(eval) {
        put(ws, row, 0, v.as_str(), &fm.verdict(v))?;
        ws.write_string(row, 1, what)?;
        row += 1;
    }
    ws.write_string(row, 0, "(waiver)")?;
    ws.write_string(row, 1, "a waived finding: see the Findings sheet")?;
    for w in &eval.warnings {
        row += 2;
        ws.write_string(row, 0, fit(&format!("warning: {w}")))?;
    }
    Ok(())
}

fn findings(ws: &mut Worksheet, eval: &Evaluation, fm: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Findings")?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    for (i, (h, w)) in FINDINGS_HEADER.iter().zip(FINDINGS_WIDTHS).enumerate() {
        put(ws, 0, i as u16, h, &fm.header)?;
        ws.set_column_width(i as u16, w)?;
    }
    let mut row = 0u32;
    for r in &eval.results {
        for f in &r.findings {
            row += 1;
            let values = super::csv::row(r, f);
            for (col, value) in values.iter().enumerate() {
                let col = col as u16;
                match FINDINGS_HEADER[col as usize] {
                    "Verdict" => put(ws, row, col, value, &fm.verdict(r.verdict))?,
                    "Level" => match level_verdict(f.level).filter(|_| f.waived.is_none()) {
                        Some(v) => put(ws, row, col, value, &fm.verdict(v))?,
                        None => put(ws, row, col, value, &fm.text)?,
                    },
                    // One link per cell: only when the finding cites one url.
                    "URL" if !value.is_empty() && !value.contains('\n') => {
                        put_url(ws, row, col, value, fm)?
                    }
                    _ => put(ws, row, col, value, &fm.text)?,
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row, FINDINGS_HEADER.len() as u16 - 1)?;
    Ok(())
}

fn evidence(ws: &mut Worksheet, eval: &Evaluation, fm: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Evidence")?;
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    for (i, (h, w)) in EVIDENCE_HEADER.iter().zip(EVIDENCE_WIDTHS).enumerate() {
        put(ws, 0, i as u16, h, &fm.header)?;
        ws.set_column_width(i as u16, w)?;
    }
    let mut row = 0u32;
    for r in &eval.results {
        for f in &r.findings {
            for e in &f.evidence {
                row += 1;
                let value = match &e.value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
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
                    e.quote.as_deref().unwrap_or(""),
                ];
                for (col, text) in cells.iter().enumerate() {
                    put(ws, row, col as u16, text, &fm.text)?;
                }
                match &e.url {
                    Some(url) => put_url(ws, row, 11, url, fm)?,
                    None => put(ws, row, 11, "", &fm.text)?,
                }
                put(ws, row, 12, &e.at, &fm.text)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.max(1), EVIDENCE_HEADER.len() as u16 - 1)?;
    Ok(())
}
