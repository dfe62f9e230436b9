//! `diligence answers`: a filled questionnaire (XLSX or CSV) back into the profile.
//!
//! - [`read`] the rows;
//! - [`validate`] every answer (all problems, by cell, before anything is written);
//! - then [`super::plan`] the new profile text and the snapshot: the answers converted to text,
//!   one list item per answer, which each claim quotes, so that `check` verifies it.
//!
//! Answers are claims of authority `questionnaire`: they never override stronger evidence, which
//! resolution already guarantees. A newer questionnaire supersedes the claims of older ones for
//! the facts it answers (their claims are removed; the older snapshot stays archived).
//! Re-importing the same file plans no change.

use super::sheet::Row;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::profile::Profile;
use crate::model::profile::value_text;
use crate::model::vocabulary::{ValueType, fact_names, fact_spec};
use jiff::civil::Date;
use serde_json::{Value, json};
use std::path::Path;

/// A valid answer for one offering.
#[derive(Debug, Clone)]
pub struct Answer {
    pub offering: String,
    pub fact: String,
    pub value: Value,
    pub document: String,
    pub section: String,
    pub at: String,
}

impl Answer {
    /// The list item of the snapshot that the claim quotes.
    pub fn quote(&self) -> String {
        format!(
            "{} ({}): {}",
            self.fact,
            self.offering,
            value_text(&self.value)
        )
    }

    pub(super) fn cites(&self) -> Option<String> {
        match (self.document.as_str(), self.section.as_str()) {
            ("", "") => None,
            (d, "") => Some(d.to_string()),
            ("", s) => Some(format!("section {s}")),
            (d, s) => Some(format!("{d}, section {s}")),
        }
    }
}

/// Reads a filled questionnaire: `.xlsx` or `.csv`, by extension.
pub fn read(path: &Path) -> Result<(Vec<Row>, Vec<u8>), Diagnostic> {
    let shown = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = read_bounded(path)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let rows = read_bytes(&bytes, &shown, &ext)?;
    Ok((rows, bytes))
}

/// Reads the rows of a questionnaire's bytes, by file extension (`xlsx`, `xlsm` or `csv`).
pub fn read_bytes(bytes: &[u8], shown: &str, ext: &str) -> Result<Vec<Row>, Diagnostic> {
    let rows = match ext {
        "xlsx" | "xlsm" => super::xlsx::read(bytes, shown)?,
        "csv" => super::csv::read(bytes, shown)?,
        _ => {
            return Err(Diagnostic::error(format!(
                "{shown}: not a questionnaire file (expected .xlsx or .csv)"
            ))
            .hint("write one with `diligence questions --format xlsx` or `--format csv`"));
        }
    };
    Ok(rows)
}

/// Largest questionnaire file read: a filled one is tens of KB.
pub const MAX_ANSWERS_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a regular file of at most MAX_ANSWERS_FILE_BYTES, checked before anything is parsed.
fn read_bounded(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read {}: {e}", path.display()))
            .hint("give the path of the filled questionnaire (.xlsx or .csv)")
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(
            Diagnostic::error(format!("{} is not a regular file", path.display()))
                .hint("give the path of the filled questionnaire (.xlsx or .csv)"),
        );
    }
    let too_big = || {
        Diagnostic::error(format!(
            "{} is larger than {} MiB: a filled questionnaire is far smaller",
            path.display(),
            MAX_ANSWERS_FILE_BYTES / (1024 * 1024)
        ))
        .hint("check that this is the questionnaire `diligence questions` wrote, filled in")
    };
    if meta.len() > MAX_ANSWERS_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(MAX_ANSWERS_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_ANSWERS_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

fn at(cell: &str, message: String) -> Diagnostic {
    Diagnostic::error(message).in_file(cell.to_string())
}

/// Characters one answer, document or section cell may hold.
pub const MAX_CELL_CHARS: usize = 2_000;

/// Checks every answered row; all problems are returned, each naming its cell.
pub fn validate(
    rows: &[Row],
    profile: &Profile,
    only: Option<&str>,
) -> Result<Vec<Answer>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut answers: Vec<Answer> = Vec::new();
    for row in rows {
        if row.answer.is_empty() {
            continue; // not answered
        }
        // Written into the profile (at most 2 MiB, as it is read back) and the archived
        // questionnaire: a cell of a few KB is already far more than an answer needs.
        if let Some(long) = [&row.answer, &row.document, &row.section]
            .into_iter()
            .find(|t| t.chars().count() > MAX_CELL_CHARS)
        {
            problems.push(
                at(
                    &row.at_answer,
                    format!(
                        "this row holds {} characters in one cell; an answer, document or section holds at most {MAX_CELL_CHARS}",
                        long.chars().count()
                    ),
                )
                .hint("answer briefly and cite the document and section where the full text stands"),
            );
            continue;
        }
        if !row.vendor.is_empty() && row.vendor != profile.id {
            problems.push(
                at(
                    &row.at_vendor,
                    format!("this row is for vendor `{}`, not `{}`", row.vendor, profile.id),
                )
                .hint("import each vendor's questionnaire with its own `diligence answers VENDOR FILE`"),
            );
            continue;
        }
        let Some(spec) = fact_spec(&row.fact) else {
            problems.push(
                at(&row.at_fact, format!("unknown fact `{}`", row.fact)).hint(
                    did_you_mean(&row.fact, fact_names()).unwrap_or_else(|| {
                        "keep the fact column as `diligence questions` wrote it".into()
                    }),
                ),
            );
            continue;
        };
        let offerings = row_offerings(row, profile, &mut problems);
        let value = match parse_value(&row.answer, spec.ty, &row.fact) {
            Ok(v) => Some(v),
            Err(d) => {
                problems.push(at(&row.at_answer, d.message).maybe_hint(d.hint));
                None
            }
        };
        let (Some(offerings), Some(value)) = (offerings, value) else {
            continue;
        };
        for o in offerings {
            if only.is_some_and(|only| only != o) {
                continue;
            }
            if let Some(first) = answers
                .iter()
                .find(|a| a.offering == o && a.fact == row.fact)
            {
                problems.push(at(
                    &row.at_answer,
                    format!(
                        "`{}` of `{o}` is answered twice (also at {})",
                        row.fact, first.at
                    ),
                ));
                continue;
            }
            answers.push(Answer {
                offering: o,
                fact: row.fact.clone(),
                value: value.clone(),
                document: one_line(&row.document),
                section: one_line(&row.section),
                at: row.at_answer.clone(),
            });
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// The offerings a row answers for: those it names (each checked), or the profile's only one.
/// `None` (with the problems added) when one is wrong or none can be chosen.
fn row_offerings(
    row: &Row,
    profile: &Profile,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<String>> {
    let offering_ids: Vec<&str> = profile.offerings.iter().map(|o| o.id.as_str()).collect();
    if row.offerings.is_empty() {
        return match offering_ids.as_slice() {
            [one] => Some(vec![one.to_string()]),
            _ => {
                problems.push(
                    at(&row.at_offering, "the row names no offering".into())
                        .hint(format!("one of: {}", offering_ids.join(", "))),
                );
                None
            }
        };
    }
    let mut ok = true;
    for o in &row.offerings {
        if profile.offering(o).is_none() {
            problems.push(
                at(
                    &row.at_offering,
                    format!("vendor `{}` has no offering `{o}`", profile.id),
                )
                .hint(
                    did_you_mean(o, offering_ids.iter().copied())
                        .unwrap_or_else(|| format!("offerings: {}", offering_ids.join(", "))),
                ),
            );
            ok = false;
        }
    }
    ok.then(|| row.offerings.clone())
}

/// The vendor's text on one line: it goes into one list item of the snapshot, where a line break
/// could otherwise start an item of its own.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses an answer as written in a cell into the fact's typed value: a value of the form, or
/// a sentence the clause reader reads as one ("We do not use customer prompts to train our
/// models" is `never`), as it reads a clause of the terms.
pub fn parse_value(text: &str, ty: ValueType, fact: &str) -> Result<Value, Diagnostic> {
    parse_form_value(text, ty, fact).or_else(|refused| {
        let sentence = one_line(text);
        if sentence.split_whitespace().count() < 3 {
            return Err(refused);
        }
        let reading = crate::reading::read(&sentence);
        match crate::reading::stated(fact, &reading) {
            // The value read must be one the form accepts for this fact.
            Some(v) if parse_form_value(&value_text(&v), ty, fact).ok().as_ref() == Some(&v) => {
                Ok(v)
            }
            _ => Err(refused.hint(format!(
                "the answer was read as: {reading}; that states no value of `{fact}`: write one of the form's values"
            ))),
        }
    })
}

/// An answer written as one of the form's values.
fn parse_form_value(text: &str, ty: ValueType, fact: &str) -> Result<Value, Diagnostic> {
    // Line breaks and other control characters would start new lines in the change list and
    // new items in the archived questionnaire.
    let text = one_line(text);
    let text = text.trim().trim_start_matches('\'');
    let word = |w: &str| w.trim().to_lowercase().replace([' ', '-'], "_");
    let one_of = |w: &str, values: &[&str]| -> Result<Value, Diagnostic> {
        let v = word(w);
        if values.contains(&v.as_str()) {
            Ok(json!(v))
        } else if let Some(named) = crate::model::vocabulary::names::value_named(fact, w) {
            // "Standard Contractual Clauses", "EU-U.S. DPF": the value as vendors write it.
            Ok(json!(named))
        } else {
            Err(Diagnostic::error(format!(
                "{fact}: `{}` is not one of: {}",
                w.trim(),
                values.join(", ")
            ))
            .maybe_hint(did_you_mean(&v, values.iter().copied())))
        }
    };
    let items = |sep: char| text.split(sep).map(str::trim).filter(|s| !s.is_empty());
    match ty {
        ValueType::Enum(values) => one_of(text, values),
        ValueType::EnumList(values) => items(',')
            .map(|w| one_of(w, values))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        ValueType::CountOr(words) if words.contains(&word(text).as_str()) => Ok(json!(word(text))),
        // Read back as a signed 64-bit number, so no larger than that.
        ValueType::Count | ValueType::CountOr(_) => match text.parse::<i64>() {
            Ok(n) if n >= 0 && text.chars().all(|c| c.is_ascii_digit()) => Ok(json!(n)),
            _ => Err(Diagnostic::error(format!(
                "{fact}: `{text}` is not a whole number of {}",
                super::unit(fact)
            ))
            .hint(format!(
                "write digits only, e.g. {}; explain any condition in the section column",
                if super::unit(fact) == "hours" { 72 } else { 30 }
            ))),
        },
        ValueType::Bool => match word(text).as_str() {
            "true" | "yes" => Ok(json!(true)),
            "false" | "no" => Ok(json!(false)),
            _ => Err(Diagnostic::error(format!(
                "{fact}: `{text}` is not yes or no"
            ))),
        },
        ValueType::TextList => Ok(Value::Array(
            items(',').map(|s| json!(s.to_lowercase())).collect(),
        )),
        ValueType::Certifications => items(';')
            .map(|item| match item.split_once(" until ") {
                None => Ok(json!({"name": item})),
                Some((name, date)) => date
                    .trim()
                    .parse::<Date>()
                    .map(|d| json!({"name": name.trim(), "expires": d.to_string()}))
                    .map_err(|_| {
                        Diagnostic::error(format!("{fact}: `{}` is not a date", date.trim()))
                            .hint("write e.g. SOC 2 Type II until 2027-06-30")
                    }),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
    }
}

/// The rows to import, and one line per row skipped because it answers a fact we did not ask
/// (a row the vendor added: a fact on the vendor's word that nobody requested). Empty answers
/// and facts outside the vocabulary pass through: validation says what is wrong with those.
pub fn skip_unasked(rows: Vec<Row>, asked: &[String]) -> (Vec<Row>, Vec<String>) {
    let (keep, skip): (Vec<Row>, Vec<Row>) = rows.into_iter().partition(|r| {
        let fact = r.fact.trim();
        r.answer.trim().is_empty() || fact_spec(fact).is_none() || asked.iter().any(|f| f == fact)
    });
    let skipped = skip
        .iter()
        .map(|r| {
            format!(
                "{}: `{}` was not asked (a row the vendor added)",
                r.at_fact,
                r.fact.trim()
            )
        })
        .collect();
    (keep, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vocabulary::fact_spec;

    fn parse(fact: &str, text: &str) -> Result<Value, String> {
        let ty = fact_spec(fact).expect("fact").ty;
        parse_value(text, ty, fact).map_err(|d| d.message)
    }

    #[test]
    fn answers_are_read_as_a_vendor_writes_them() {
        assert_eq!(parse("breach_notification_hours", " 72 "), Ok(json!(72)));
        assert_eq!(parse("training_on_inputs", "Opt out"), Ok(json!("opt_out")));
        assert_eq!(
            parse("transfer_mechanism", "SCC, dpf"),
            Ok(json!(["scc", "dpf"]))
        );
        assert_eq!(parse("data_residency", "EU, us"), Ok(json!(["eu", "us"])));
        assert_eq!(
            parse(
                "certifications",
                "SOC 2 Type II until 2027-06-30; ISO 27001"
            ),
            Ok(json!([{"name": "SOC 2 Type II", "expires": "2027-06-30"}, {"name": "ISO 27001"}]))
        );
    }

    #[test]
    fn an_answer_written_as_a_sentence_is_read_like_a_clause() {
        assert_eq!(
            parse(
                "training_on_inputs",
                "We do not use customer prompts or files to train our models."
            ),
            Ok(json!("never"))
        );
        assert_eq!(
            parse(
                "breach_notification_hours",
                "We will notify you of a security breach within 48 hours."
            ),
            Ok(json!(48))
        );
        // A sentence that states no value of the fact is refused, saying how it was read.
        let ty = fact_spec("training_on_inputs").expect("fact").ty;
        let d = parse_value(
            "Please see our security whitepaper for details.",
            ty,
            "training_on_inputs",
        )
        .expect_err("no value stated");
        assert!(d.message.contains("is not one of"), "{}", d.message);
        assert!(
            d.hint.as_deref().is_some_and(|h| h.contains("read as")),
            "{:?}",
            d.hint
        );
    }

    #[test]
    fn answers_outside_the_form_are_refused() {
        let e = parse("breach_notification_hours", "about 48").unwrap_err();
        assert!(
            e.contains("`about 48` is not a whole number of hours"),
            "{e}"
        );
        assert!(parse("retention_days", "-1").is_err());
        assert!(parse("retention_days", "30.5").is_err());
        let e = parse("dpa", "maybe").unwrap_err();
        assert!(
            e.contains("is not one of: none, online, signed, negotiable"),
            "{e}"
        );
        assert!(parse("certifications", "SOC 2 until soon").is_err());
    }

    #[test]
    fn the_vendor_text_stays_on_one_line() {
        assert_eq!(
            one_line("DPA\n- training_on_inputs (api): never"),
            "DPA - training_on_inputs (api): never"
        );
    }
}
