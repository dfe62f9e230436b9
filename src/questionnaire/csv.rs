//! `questions --format csv`: one row per question and offering, with empty `answer`, `document`
//! and `section` columns for the vendor; and reading a filled file back. Cells are kept on one
//! line (lists joined with ` | `), so that a record's line in the file is its row in a
//! spreadsheet, and `answers.csv:12` names both.

use super::sheet::{Columns, Row};
use super::{Asked, Reader};
use crate::diag::Diagnostic;

/// The columns of the vendor's copy; the reviewer's copy adds `why`, `moves` and `have`
/// (never sent to a vendor: they say which answer gets approval).
pub const HEADER: [&str; 11] = [
    "id", "vendor", "offering", "fact", "question", "allowed", "unit", "refs", "answer",
    "document", "section",
];
const REVIEWER_ONLY: [&str; 3] = ["why", "moves", "have"];

/// A cell as the vendor's spreadsheet will show it: control characters, escape sequences and
/// bidi overrides made visible, and never a formula (the same cleaning as the review's CSV).
fn cell(text: &str) -> String {
    crate::report::csv::neutralise(&crate::report::sanitize::clean(text)).into_owned()
}

pub fn render(asked: &Asked, reader: Reader) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header: Vec<&str> = HEADER.to_vec();
    if reader == Reader::Reviewer {
        header.extend(REVIEWER_ONLY);
    }
    let _ = w.write_record(&header);
    for q in &asked.questions {
        for o in &q.offerings {
            let have: Vec<&str> = q
                .have
                .iter()
                .filter(|h| h.starts_with(&format!("{o}: ")))
                .map(String::as_str)
                .collect();
            let row: Vec<String> = header
                .iter()
                .map(|name| match *name {
                    "id" => q.id.clone(),
                    "vendor" => q.vendor.clone(),
                    "offering" => o.clone(),
                    "fact" => q.fact.clone(),
                    "question" => q.question.clone(),
                    "allowed" => q.form.describe(),
                    "unit" => q.form.unit.unwrap_or("").to_string(),
                    "refs" => q.refs_text(),
                    "why" => q.why.join(" | "),
                    "moves" => q.moves.join(" | "),
                    "have" => have.join(" | "),
                    _ => String::new(),
                })
                .collect();
            let _ = w.write_record(row.iter().map(|c| cell(c)));
        }
    }
    w.into_inner().unwrap_or_default()
}

/// The line (from 1) of the record that starts at byte `start`. The reader's own line count
/// is one short after a CRLF line end (the files `questions` writes, and most spreadsheets'):
/// it counts the `\n` as the start of the next record. Counted here from the bytes instead.
fn line_of(bytes: &[u8], start: u64) -> u64 {
    let mut at = usize::try_from(start)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64
}

/// Reads a filled CSV questionnaire. `shown` names the file in messages (`answers.csv:12`).
pub fn read(bytes: &[u8], shown: &str) -> Result<Vec<Row>, Diagnostic> {
    let mut r = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes);
    let headers = r
        .headers()
        .map_err(|e| Diagnostic::error(format!("{shown}:1: cannot read the header row: {e}")))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let Some(columns) = Columns::find(col, "offering") else {
        return Err(Diagnostic::error(format!(
            "{shown}:1: the header row needs the columns `fact` and `answer`"
        ))
        .hint("start from the file `diligence questions --format csv` writes"));
    };
    let mut rows = Vec::new();
    for record in r.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Diagnostic::error(format!("{shown}:{line}: not valid CSV: {e}"))
        })?;
        let line = record.position().map_or(0, |p| line_of(bytes, p.byte()));
        if rows.len() >= super::xlsx::MAX_ROWS as usize {
            return Err(Diagnostic::error(format!(
                "{shown}:{line}: more than {} rows; a questionnaire has a few hundred",
                super::xlsx::MAX_ROWS
            ))
            .hint("start from the file `diligence questions --format csv` writes"));
        }
        let at = format!("{shown}:{line}");
        rows.push(Row::from_cells(
            |c| {
                columns
                    .index(c)
                    .and_then(|i| record.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            },
            |_| at.clone(),
        ));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::read;

    /// Each row is named by its own line, whatever the line ends and however many blank
    /// lines or multi-line cells come before it.
    #[test]
    fn each_row_is_named_by_its_own_line() {
        for end in ["\r\n", "\n"] {
            let text = [
                "vendor,offerings,fact,answer",
                "acme,api,dpa,signed",
                "",
                "acme,api,baa,\"two",
                "lines\"",
                "acme,api,retention_days,30",
            ]
            .join(end);
            let rows = read(text.as_bytes(), "f.csv").expect("a valid questionnaire");
            let lines: Vec<&str> = rows.iter().map(|r| r.at_fact.as_str()).collect();
            assert_eq!(
                lines,
                ["f.csv:2", "f.csv:4", "f.csv:6"],
                "line ends {end:?}"
            );
        }
    }
}
