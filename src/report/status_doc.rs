//! `status` formats written once every row is known: HTML (one page), XLSX (one sheet) and
//! SARIF 2.1.0 (one result per thing that needs attention, on the decision's line).

use super::status_rows::{COLUMNS, Header, cells, details};
use crate::decisions::drift::Kind;
use crate::decisions::status::Row;
use html_escape::encode_text as h;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub fn html(rows: &[Row], head: &Header) -> Vec<u8> {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Decisions: status on {t}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}\
         .ok{{background:#e6f4ea}}.due{{background:#fff4ce}}.overdue,.drift{{background:#fde7e9}}</style></head><body>\
         <h1>Decisions: status on {t}</h1>\n<table><thead><tr>",
        t = h(&head.today)
    );
    for c in [
        "Offering",
        "Coverage",
        "Decision",
        "By",
        "Verdict then",
        "Verdict now",
        "Review by",
        "Status",
        "Details",
    ] {
        let _ = write!(s, "<th>{c}</th>");
    }
    s.push_str("</tr></thead><tbody>\n");
    for r in rows {
        let c = cells(r);
        let class = if r.has_drift() {
            "drift"
        } else {
            r.due().as_str()
        };
        let decided = if c[3].is_empty() {
            "undecided".to_string()
        } else {
            format!("{} ({})", c[3], c[4])
        };
        let _ = write!(
            s,
            "<tr class=\"{class}\"><td>{}/{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><strong>{}</strong></td><td><ul>",
            h(&c[0]),
            h(&c[1]),
            h(&c[2]),
            h(&decided),
            h(&c[5]),
            h(&c[7]),
            h(&c[8]),
            h(&c[9]),
            h(&c[15])
        );
        for l in details(r) {
            let _ = write!(s, "<li>{}</li>", h(&l));
        }
        s.push_str("</ul></td></tr>\n");
    }
    s.push_str("</tbody></table></body></html>\n");
    s.into_bytes()
}

pub fn xlsx(rows: &[Row], head: &Header) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.set_properties(&super::xlsx::dated(
        rust_xlsxwriter::DocProperties::new(),
        &head.today,
    ));
    let sheet = book.add_worksheet();
    sheet.set_name("Status")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (i, c) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *c, &bold)?;
    }
    for (n, r) in rows.iter().enumerate() {
        let row = u32::try_from(n + 1).unwrap_or(u32::MAX);
        for (i, c) in cells(r).iter().enumerate() {
            // Strings, never formulas: a vendor named `=HYPERLINK(...)` stays text.
            sheet.write_string(row, i as u16, c)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, (COLUMNS.len() - 1) as u16)?;
    book.save_to_buffer()
}

const RULES: [(&str, &str); 4] = [
    (
        "decision-drift",
        "The verdict or the evidence changed since the decision",
    ),
    (
        "decision-overdue",
        "A condition, review or waiver of the decision is overdue",
    ),
    (
        "decision-due",
        "A condition, review or waiver of the decision is due soon",
    ),
    (
        "decision-newer-version",
        "A newer version of a document the decision rests on is archived",
    ),
];

pub fn sarif(rows: &[Row], head: &Header) -> Vec<u8> {
    let mut results = Vec::new();
    for r in rows {
        let Some(at) = &r.at else { continue };
        let mut parts = at.rsplitn(3, ':');
        let (col, line, file) = (parts.next(), parts.next(), parts.next());
        let region = match (
            line.and_then(|l| l.parse::<u64>().ok()),
            col.and_then(|c| c.parse::<u64>().ok()),
        ) {
            (Some(l), Some(c)) => json!({"startLine": l.max(1), "startColumn": c.max(1)}),
            _ => json!({"startLine": 1}),
        };
        let location = json!([{"physicalLocation": {
            "artifactLocation": {"uri": file.unwrap_or(at)},
            "region": region
        }}]);
        let subject = format!("{}/{} {}", r.vendor, r.offering, r.coverage());
        let mut push = |rule: &str, level: &str, text: String| {
            results.push(json!({
                "ruleId": rule,
                "level": level,
                "message": {"text": format!("{subject}: {text}")},
                "locations": location.clone()
            }));
        };
        for c in &r.drift {
            let rule = if c.kind == Kind::NewerVersion {
                "decision-newer-version"
            } else {
                "decision-drift"
            };
            push(rule, "error", c.message.clone());
        }
        for l in details(r).into_iter().filter(|l| !l.starts_with("drift")) {
            let (rule, level) = if l.contains("OVERDUE") || l.contains("expired") {
                ("decision-overdue", "error")
            } else if l.starts_with("approved over") {
                continue;
            } else {
                ("decision-due", "warning")
            };
            push(rule, level, l);
        }
    }
    let rules: Vec<Value> = RULES
        .iter()
        .map(|(id, text)| json!({"id": id, "shortDescription": {"text": text}}))
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "diligence", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "properties": {"today": head.today},
            "results": results
        }]
    });
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
