//! `--format jsonl`: one result object of the JSON contract (an element of `results` in
//! `--format json`) per line, written as each offering is evaluated.

use crate::outcome::OfferingResult;
use std::io::Write;

/// Writes one result as one compact JSON line.
pub fn write_result(w: &mut dyn Write, result: &OfferingResult) -> std::io::Result<()> {
    let line = serde_json::to_string(result)?;
    w.write_all(super::sanitize::json_text(&line).as_bytes())?;
    w.write_all(b"\n")
}
