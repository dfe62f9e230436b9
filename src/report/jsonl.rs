//! `--format jsonl`: written as each offering is evaluated. Version 3 of the contract writes one
//! line per offering (all its classifications, each finding and evidence once: an element of
//! `offerings` in `--format json`, with its `schema_version` and `rule_refs`, so that a line
//! stands alone); versions 1 and 2 one line per result.

use super::json::SchemaVersion;
use crate::outcome::OfferingResult;
use std::io::Write;

/// Writes one result as one compact JSON line (versions 1 and 2).
pub fn write_result(
    w: &mut dyn Write,
    result: &OfferingResult,
    version: SchemaVersion,
) -> std::io::Result<()> {
    let line = super::json::result_line(result, version)?;
    write_line(w, &line)
}

/// Writes one offering's results (consecutive, of one offering) as one line (version 3).
pub fn write_offering(w: &mut dyn Write, results: &[OfferingResult]) -> std::io::Result<()> {
    if results.is_empty() {
        return Ok(());
    }
    let line = super::json::offering_line(results, None)?;
    write_line(w, &line)
}

/// Writes `results` in `version`: a line per offering or per result.
pub fn write_all(
    w: &mut dyn Write,
    results: &[OfferingResult],
    version: SchemaVersion,
) -> std::io::Result<()> {
    if version == SchemaVersion::V3 {
        for offering in super::json::by_offering(results) {
            write_offering(w, offering)?;
        }
        return Ok(());
    }
    for r in results {
        write_result(w, r, version)?;
    }
    Ok(())
}

fn write_line(w: &mut dyn Write, line: &str) -> std::io::Result<()> {
    w.write_all(super::sanitize::json_text(line).as_bytes())?;
    w.write_all(b"\n")
}
