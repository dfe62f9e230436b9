//! `--format jsonl`: one result object of the JSON contract (an element of `results` in
//! `--format json`) per line, written as each offering is evaluated.

use super::json::SchemaVersion;
use crate::outcome::OfferingResult;
use std::io::Write;

/// Writes one result as one compact JSON line.
pub fn write_result(
    w: &mut dyn Write,
    result: &OfferingResult,
    version: SchemaVersion,
) -> std::io::Result<()> {
    let line = super::json::result_line(result, version)?;
    w.write_all(super::sanitize::json_text(&line).as_bytes())?;
    w.write_all(b"\n")
}
