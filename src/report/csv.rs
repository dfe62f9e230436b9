//! `--format csv`: one row per finding (pass findings included, like the JSON), RFC 4180 via
//! the csv crate, for a spreadsheet or a script.
//!
//! A finding may cite several claims (one per fact it read, or several documents that agree).
//! The citation columns (source, authority, section, quote, url) hold the claims that *decide*
//! (or conflict on) the facts the finding cites, joined with a line break in the same order in
//! every column, so that line N of `source` belongs to line N of `quote`. `source` is the
//! document's title (its id when untitled, "unsupported value" for a bare value). Outvoted and
//! unverified claims are in the JSON and the xlsx Evidence sheet. The last column, `refs`,
//! holds the framework clauses the finding's rule evidences, separated by `; `.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR before one) as
//! a formula: such a cell is written with a leading `'`, as OWASP recommends for CSV injection,
//! so that `=HYPERLINK(...)` in a profile stays text. A cell is cut at 32,767 characters
//! (Excel's limit) with an ellipsis, and rows are written one at a time to the output: a huge
//! vendor name is not copied into every row in memory. `--bom` starts the file with a UTF-8
//! byte order mark, for spreadsheet programs that otherwise guess another encoding.

use super::{deciding, document, waiver_text};
use crate::model::resolved::Evidence;
use crate::outcome::{Evaluation, Finding, OfferingResult};
use std::borrow::Cow;
use std::io::{self, Write};

/// The most characters a cell holds (Excel's limit); longer text ends with "…".
pub const MAX_CELL_CHARS: usize = 32_767;

/// Text cut to [`MAX_CELL_CHARS`], with an ellipsis when cut.
pub fn cap(text: &str) -> String {
    match text.char_indices().nth(MAX_CELL_CHARS - 1) {
        None => text.to_string(),
        Some((end, _)) if text[end..].chars().nth(1).is_none() => text.to_string(),
        Some((end, _)) => {
            let mut t = text[..end].to_string();
            t.push('…');
            t
        }
    }
}

/// A cell a spreadsheet would read as a formula, prefixed with `'` (OWASP, CSV injection).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

pub const HEADER: [&str; 19] = [
    "vendor",
    "vendor_name",
    "offering",
    "offering_name",
    "classification",
    "tags",
    "verdict",
    "rule",
    "level",
    "message",
    "action",
    "waived",
    "source",
    "authority",
    "section",
    "quote",
    "url",
    "notes",
    "refs",
];

/// The values of one finding's row, in [`HEADER`] order, each cut to [`MAX_CELL_CHARS`].
pub fn row(r: &OfferingResult, f: &Finding) -> [String; 19] {
    let cites: Vec<&Evidence> = deciding(f).collect();
    let join = |get: &dyn Fn(&Evidence) -> String| -> String {
        cap(&cites.iter().map(|e| get(e)).collect::<Vec<_>>().join("\n"))
    };
    [
        cap(&r.vendor),
        cap(&r.vendor_name),
        cap(&r.offering),
        cap(&r.offering_name),
        cap(&r.classification),
        cap(&r.tags.join(", ")),
        r.verdict.as_str().to_string(),
        cap(&f.rule),
        f.level.as_str().to_string(),
        cap(&f.message),
        cap(f.action.as_deref().unwrap_or_default()),
        cap(&waiver_text(f).unwrap_or_default()),
        join(&document),
        join(&|e| e.authority.as_str().to_string()),
        join(&|e| e.section.clone().unwrap_or_default()),
        join(&|e| e.quote.clone().unwrap_or_default()),
        join(&|e| e.url.clone().unwrap_or_default()),
        cap(&super::offering_notes(r)
            .into_iter()
            .chain(super::evidence_notes(deciding(f)))
            .collect::<Vec<_>>()
            .join("\n")),
        cap(&f.refs.join("; ")),
    ]
}

/// A CSV being written: the header first, then each result's rows as the result comes, so
/// that `evaluate` can stream it (nothing in a row depends on the results after it).
pub struct Writer<'w> {
    csv: ::csv::Writer<&'w mut dyn Write>,
}

impl<'w> Writer<'w> {
    /// Starts the file: the byte order mark if asked for, then the header.
    pub fn start(out: &'w mut dyn Write, bom: bool) -> io::Result<Writer<'w>> {
        if bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut csv = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(out);
        csv.write_record(HEADER)?;
        Ok(Writer { csv })
    }

    /// Writes one row per finding of the result.
    pub fn write_result(&mut self, r: &OfferingResult) -> io::Result<()> {
        for f in &r.findings {
            let cells = row(r, f);
            self.csv
                .write_record(cells.iter().map(|c| neutralise(c).into_owned()))?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.csv.flush()
    }
}

/// Writes the CSV of a whole evaluation to `out`, one row at a time.
pub fn render(eval: &Evaluation, bom: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Writer::start(out, bom)?;
    for r in &eval.results {
        w.write_result(r)?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        assert_eq!(neutralise("a=1"), "a=1");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn long_cells_are_cut() {
        let exact = "x".repeat(MAX_CELL_CHARS);
        assert_eq!(cap(&exact), exact);
        let long = "é".repeat(MAX_CELL_CHARS + 5);
        let cut = cap(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
    }
}
