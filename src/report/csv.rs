//! `--format csv`: one row per finding (pass findings included, like the JSON), RFC 4180 via
//! the csv crate, for a spreadsheet or a script.
//!
//! A finding may cite several claims (one per fact it read, or several documents that agree).
//! The citation columns (source, authority, section, quote, url) hold the claims that *decide*
//! (or conflict on) the facts the finding cites, joined with a line break in the same order in
//! every column, so that line N of `source` belongs to line N of `quote`. `source` is the
//! document's title (its id when untitled, "unsupported value" for a bare value). Outvoted and
//! unverified claims are in the JSON and the xlsx Evidence sheet. Text is written as it is:
//! escaping belongs to whatever displays it.

use super::{deciding, document, waiver_text};
use crate::model::resolved::Evidence;
use crate::outcome::{Evaluation, Finding, OfferingResult};

pub const HEADER: [&str; 17] = [
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
];

/// The values of one finding's row, in [`HEADER`] order.
pub fn row(r: &OfferingResult, f: &Finding) -> [String; 17] {
    let cites: Vec<&Evidence> = deciding(f).collect();
    let join = |get: &dyn Fn(&Evidence) -> String| -> String {
        cites.iter().map(|e| get(e)).collect::<Vec<_>>().join("\n")
    };
    [
        r.vendor.clone(),
        r.vendor_name.clone(),
        r.offering.clone(),
        r.offering_name.clone(),
        r.classification.clone(),
        r.tags.join(", "),
        r.verdict.as_str().to_string(),
        f.rule.clone(),
        f.level.as_str().to_string(),
        f.message.clone(),
        f.action.clone().unwrap_or_default(),
        waiver_text(f).unwrap_or_default(),
        join(&document),
        join(&|e| e.authority.as_str().to_string()),
        join(&|e| e.section.clone().unwrap_or_default()),
        join(&|e| e.quote.clone().unwrap_or_default()),
        join(&|e| e.url.clone().unwrap_or_default()),
    ]
}

pub fn render(eval: &Evaluation) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = w.write_record(HEADER);
    for r in &eval.results {
        for f in &r.findings {
            let _ = w.write_record(row(r, f));
        }
    }
    w.into_inner().unwrap_or_default()
}
