//! `diligence answers`: a filled questionnaire (XLSX or CSV) back into the profile.
//!
//! - [`read`] the rows;
//! - [`validate`] every answer (all problems, by cell, before anything is written);
//! - [`plan`] the new profile text and the snapshot: the answers converted to text, one list item
//!   per answer, which each claim quotes, so that `check` verifies it.
//!
//! Answers are claims of authority `questionnaire`: they never override stronger evidence, which
//! resolution already guarantees. A newer questionnaire supersedes the claims of older ones for
//! the facts it answers (their claims are removed; the older snapshot stays archived).
//! Re-importing the same file plans no change.

use super::ask::value_text;
use super::edit::{Text, yaml_value};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::profile::{Authority, Profile};
use crate::model::vocabulary::{ValueType, fact_names, fact_spec};
use crate::model::yaml::{self, Node};
use jiff::civil::Date;
use serde_json::{Value, json};
use serde_saphyr::Spanned;
use std::fmt::Write;
use std::path::Path;

/// One row of a filled questionnaire, as written, with the cells to cite in messages.
#[derive(Debug, Clone)]
pub struct Row {
    pub vendor: String,
    pub offerings: Vec<String>,
    pub fact: String,
    pub answer: String,
    pub document: String,
    pub section: String,
    pub at_answer: String,
    pub at_fact: String,
    pub at_offering: String,
    pub at_vendor: String,
}

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

    fn cites(&self) -> Option<String> {
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
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("cannot read {}: {e}", path.display()))
            .hint("give the path of the filled questionnaire (.xlsx or .csv)")
    })?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let rows = match ext.as_str() {
        "xlsx" | "xlsm" => super::xlsx::read(&bytes, &shown)?,
        "csv" => super::csv::read(&bytes, &shown)?,
        _ => {
            return Err(Diagnostic::error(format!(
                "{shown}: not a questionnaire file (expected .xlsx or .csv)"
            ))
            .hint("write one with `diligence questions --format xlsx` or `--format csv`"));
        }
    };
    Ok((rows, bytes))
}

fn at(cell: &str, message: String) -> Diagnostic {
    Diagnostic::error(message).in_file(cell.to_string())
}

/// Checks every answered row; all problems are returned, each naming its cell.
pub fn validate(
    rows: &[Row],
    profile: &Profile,
    only: Option<&str>,
) -> Result<Vec<Answer>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut answers: Vec<Answer> = Vec::new();
    let offering_ids: Vec<&str> = profile.offerings.iter().map(|o| o.id.as_str()).collect();
    for row in rows {
        if row.answer.is_empty() {
            continue; // not answered
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
        let mut offerings = row.offerings.clone();
        if offerings.is_empty() {
            match offering_ids.as_slice() {
                [one] => offerings.push(one.to_string()),
                _ => {
                    problems.push(
                        at(&row.at_offering, "the row names no offering".into())
                            .hint(format!("one of: {}", offering_ids.join(", "))),
                    );
                    continue;
                }
            }
        }
        let mut ok = true;
        for o in &offerings {
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
        let value = match parse_value(&row.answer, spec.ty, &row.fact) {
            Ok(v) => Some(v),
            Err(d) => {
                problems.push(at(&row.at_answer, d.message).maybe_hint(d.hint));
                None
            }
        };
        let (true, Some(value)) = (ok, value) else {
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

/// The vendor's text on one line: it goes into one list item of the snapshot, where a line break
/// could otherwise start an item of its own.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses an answer as written in a cell into the fact's typed value.
pub fn parse_value(text: &str, ty: ValueType, fact: &str) -> Result<Value, Diagnostic> {
    let text = text.trim().trim_start_matches('\'');
    let word = |w: &str| w.trim().to_lowercase().replace([' ', '-'], "_");
    let one_of = |w: &str, values: &[&str]| -> Result<Value, Diagnostic> {
        let v = word(w);
        if values.contains(&v.as_str()) {
            Ok(json!(v))
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
        ValueType::Count | ValueType::CountOr(_) => match text.parse::<u64>() {
            Ok(n) if text.chars().all(|c| c.is_ascii_digit()) => Ok(json!(n)),
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

/// What importing would write: the profile's new text, the snapshot, and what changes.
pub struct Plan {
    pub source_id: String,
    /// The snapshot's path relative to the vendor's folder (`sources/questionnaire-D.md`).
    pub snapshot_path: String,
    pub snapshot: String,
    pub profile: String,
    /// One line per change, for `--dry-run` and the summary.
    pub changes: Vec<String>,
    /// Nothing in the profile changes.
    pub profile_unchanged: bool,
}

/// The snapshot: the filled questionnaire as text, one list item per answer.
pub fn snapshot_text(
    profile: &Profile,
    answers: &[Answer],
    received: Date,
    file_name: &str,
    sha256: &str,
) -> String {
    let mut out = format!(
        "# Questionnaire answers from {}\n\nReceived {received} as `{file_name}` (SHA-256 {sha256}), converted to text by `diligence answers`.\nEach answer is one list item: fact (offering): answer.\n\n## Answers\n\n",
        profile.name
    );
    for a in answers {
        let _ = writeln!(out, "- {}", a.quote());
    }
    let cited: Vec<String> = answers
        .iter()
        .filter_map(|a| {
            a.cites()
                .map(|c| format!("- Reference for {} ({}): {c}", a.fact, a.offering))
        })
        .collect();
    if !cited.is_empty() {
        out.push_str("\n## Documents the vendor cites\n\n");
        for c in cited {
            let _ = writeln!(out, "{c}");
        }
    }
    out
}

/// Plans the import into the profile text `text` (of `profile`).
pub fn plan(
    text: &str,
    profile: &Profile,
    answers: &[Answer],
    received: Date,
    file_name: &str,
    snapshot: String,
) -> Result<Plan, Diagnostic> {
    let file = profile.file.clone();
    let root: Spanned<Node> = yaml::parse(text, &file)?;
    let mut t = Text::new(text, &file);
    let source_id = format!("questionnaire-{received}");
    let snapshot_path = format!("sources/{source_id}.md");
    let mut changes = Vec::new();
    // The questionnaire sources `answers` wrote, with the date each was received.
    let earlier: Vec<(&str, Option<Date>)> = profile
        .sources
        .iter()
        .filter(|s| {
            s.authority == Authority::Questionnaire
                && s.snapshot
                    .as_deref()
                    .is_some_and(|p| p.starts_with("sources/questionnaire-"))
        })
        .map(|s| (s.id.as_str(), s.retrieved))
        .collect();
    let superseded = |id: &str| {
        id == source_id
            || earlier
                .iter()
                .any(|(s, d)| *s == id && d.is_none_or(|d| d <= received))
    };
    let newer = |id: &str| {
        earlier
            .iter()
            .find(|(s, d)| *s == id && d.is_some_and(|d| d > received))
            .and_then(|(_, d)| *d)
    };

    let offerings = root.value.get("offerings");
    for offering in &profile.offerings {
        let here: Vec<&Answer> = answers
            .iter()
            .filter(|a| a.offering == offering.id)
            .collect();
        let (okey, onode) = match offerings.map(|o| &o.value) {
            Some(Node::Map(entries)) => {
                match entries.iter().find(|(k, _)| k.value == offering.id) {
                    Some((k, v)) => (k, v),
                    None => continue,
                }
            }
            _ => continue,
        };
        let facts = match &onode.value {
            Node::Map(entries) => entries.iter().find(|(k, _)| k.value == "facts"),
            _ => None,
        };
        let fact_entries: &[(Spanned<String>, Spanned<Node>)] = match facts.map(|(_, v)| &v.value) {
            Some(Node::Map(entries)) => entries,
            _ => &[],
        };
        let mut new_facts: Vec<String> = Vec::new();
        // Claims of this questionnaire's own source for facts it no longer answers go too: its
        // snapshot is rewritten.
        for (key, value) in fact_entries {
            let answered = here.iter().any(|a| a.fact == key.value);
            if answered {
                continue;
            }
            for item in claim_items(value) {
                if item_source(item) == Some(source_id.as_str()) {
                    remove_item(&mut t, item);
                    changes.push(format!(
                        "- {}/{}: removed the answer of {source_id} (not in this file)",
                        offering.id, key.value
                    ));
                }
            }
        }
        for a in &here {
            let existing = fact_entries.iter().find(|(k, _)| k.value == a.fact);
            let quote = a.quote();
            let note = a.cites().map(|c| format!("The vendor cites: {c}."));
            if let Some((_, value)) = existing {
                let items = claim_items(value);
                if let Some(date) = items.iter().filter_map(|i| item_source(i)).find_map(newer) {
                    changes.push(format!(
                        "= {}/{}: kept the newer answer of {date}",
                        offering.id, a.fact
                    ));
                    continue;
                }
                let same = items.iter().any(|i| {
                    item_source(i) == Some(source_id.as_str())
                        && item_str(i, "quote") == Some(quote.as_str())
                        && item_str(i, "note") == note.as_deref()
                });
                if same {
                    changes.push(format!(
                        "= {}/{}: {} (already imported)",
                        offering.id,
                        a.fact,
                        value_text(&a.value)
                    ));
                    continue;
                }
                for item in &items {
                    if let Some(s) = item_source(item)
                        && superseded(s)
                    {
                        remove_item(&mut t, item);
                        changes.push(format!(
                            "- {}/{}: removed the superseded answer of {s}",
                            offering.id, a.fact
                        ));
                    }
                }
            }
            changes.push(format!(
                "+ {}/{}: {} (questionnaire {received}{})",
                offering.id,
                a.fact,
                value_text(&a.value),
                a.cites()
                    .map(|c| format!("; the vendor cites {c}"))
                    .unwrap_or_default()
            ));
            match existing {
                Some((key, value)) => {
                    add_to_fact(&mut t, key, value, a, &source_id, &quote, note.as_deref())?
                }
                None => new_facts.push(a.fact.clone()),
            }
        }
        if !new_facts.is_empty() {
            let added: Vec<&Answer> = here
                .iter()
                .filter(|a| new_facts.contains(&a.fact))
                .copied()
                .collect();
            add_facts(&mut t, okey, onode, facts, &added, &source_id)?;
        }
    }

    let has_source = profile.source(&source_id).is_some();
    if !has_source && !t.is_unchanged() {
        add_source(
            &mut t,
            &root,
            &source_id,
            &snapshot_path,
            received,
            file_name,
            profile,
        )?;
        changes.insert(
            0,
            format!(
                "+ source {source_id}: vendors/{}/{snapshot_path}",
                profile.id
            ),
        );
    }
    Ok(Plan {
        source_id,
        snapshot_path,
        snapshot,
        profile_unchanged: t.is_unchanged(),
        profile: t.finish(text),
        changes,
    })
}

/// The claim items of a fact's value (empty for a bare value).
fn claim_items(value: &Spanned<Node>) -> Vec<&Spanned<Node>> {
    match &value.value {
        Node::Seq(items) => items
            .iter()
            .filter(|i| matches!(i.value, Node::Map(_)) && i.value.get("value").is_some())
            .collect(),
        _ => Vec::new(),
    }
}

fn item_str<'a>(item: &'a Spanned<Node>, key: &str) -> Option<&'a str> {
    match item.value.get(key).map(|v| &v.value) {
        Some(Node::Str(s)) => Some(s),
        _ => None,
    }
}

fn item_source(item: &Spanned<Node>) -> Option<&str> {
    item_str(item, "source")
}

fn remove_item(t: &mut Text, item: &Spanned<Node>) {
    let line = t.line_of(item);
    let end = t.block_end(line, t.indent(line), false);
    t.replace(line, end - line, Vec::new());
}

fn claim_lines(
    dash: usize,
    a: &Answer,
    source_id: &str,
    quote: &str,
    note: Option<&str>,
) -> Vec<String> {
    let pad = " ".repeat(dash);
    let mut lines = vec![
        format!("{pad}- value: {}", yaml_value(&a.value)),
        format!("{pad}  source: {source_id}"),
        format!("{pad}  section: {}", yaml_value(&json!(a.fact))),
        format!("{pad}  quote: {}", yaml_value(&json!(quote))),
    ];
    if let Some(n) = note {
        lines.push(format!("{pad}  note: {}", yaml_value(&json!(n))));
    }
    lines
}

/// Adds a claim to a fact that is already in the profile.
fn add_to_fact(
    t: &mut Text,
    key: &Spanned<String>,
    value: &Spanned<Node>,
    a: &Answer,
    source_id: &str,
    quote: &str,
    note: Option<&str>,
) -> Result<(), crate::diag::Diagnostic> {
    let key_line = t.line_of(key);
    let key_indent = t.indent(key_line);
    let items = claim_items(value);
    if let Some(first) = items.first() {
        let first_line = t.line_of(*first);
        if !t.lines[first_line].trim_start().starts_with('-') || first_line == key_line {
            return Err(t.error(
                crate::model::yaml::span_pos(key),
                format!("`{}` is written in flow style; write its claims as a block list to import answers", a.fact),
            ));
        }
        let dash = t.indent(first_line);
        let end = t.entry_end(key, Some(value));
        t.insert(end, claim_lines(dash, a, source_id, quote, note));
        return Ok(());
    }
    // A bare value (or nothing): the key line becomes a claim list, the old value a comment.
    let value_line = t.line_of(value);
    let end = t.entry_end(key, Some(value));
    if !matches!(value.value, Node::Null) && (value_line != key_line || end != key_line + 1) {
        return Err(t.error(
            crate::model::yaml::span_pos(key),
            format!(
                "`{}` spans several lines; write it as a claim list to import answers",
                a.fact
            ),
        ));
    }
    let line = t.lines[key_line];
    let old = line
        .split_once(':')
        .map(|(_, rest)| rest.trim())
        .unwrap_or_default()
        .to_string();
    let pad = " ".repeat(key_indent);
    let mut lines = vec![format!("{pad}{}:", a.fact)];
    if !old.is_empty() {
        lines.push(format!("{pad}  # was the bare value (no evidence): {old}"));
    }
    lines.extend(claim_lines(key_indent + 2, a, source_id, quote, note));
    t.replace(key_line, 1, lines);
    Ok(())
}

/// Adds facts the offering does not state yet.
fn add_facts(
    t: &mut Text,
    okey: &Spanned<String>,
    onode: &Spanned<Node>,
    facts: Option<&(Spanned<String>, Spanned<Node>)>,
    added: &[&Answer],
    source_id: &str,
) -> Result<(), Diagnostic> {
    let body = |t: &Text, indent: usize| -> Vec<String> {
        let _ = t;
        let pad = " ".repeat(indent);
        let mut lines = Vec::new();
        for a in added {
            lines.push(format!("{pad}{}:", a.fact));
            let note = a.cites().map(|c| format!("The vendor cites: {c}."));
            lines.extend(claim_lines(
                indent + 2,
                a,
                source_id,
                &a.quote(),
                note.as_deref(),
            ));
        }
        lines
    };
    match facts {
        Some((fkey, fvalue)) => match &fvalue.value {
            Node::Map(entries) if !entries.is_empty() => {
                let first = t.line_of(&entries[0].0);
                if first == t.line_of(fkey) {
                    return Err(t.error(
                        crate::model::yaml::span_pos(fkey),
                        "`facts` is written in flow style; write it as a block mapping to import answers",
                    ));
                }
                let indent = t.indent(first);
                let end = t.entry_end(fkey, Some(fvalue));
                let lines = body(t, indent);
                t.insert(end, lines);
            }
            Node::Map(_) | Node::Null => {
                let line = t.line_of(fkey);
                let indent = t.indent(line);
                let text = t.lines[line];
                let (head, rest) = text.split_once(':').unwrap_or((text, ""));
                let rest = rest.trim_start();
                let rest = rest.strip_prefix("{}").unwrap_or(rest).trim();
                let new_head = if rest.is_empty() {
                    format!("{head}:")
                } else {
                    format!("{head}: {rest}")
                };
                let mut lines = vec![new_head];
                lines.extend(body(t, indent + 2));
                t.replace(line, 1, lines);
            }
            _ => {
                return Err(t.error(
                    crate::model::yaml::span_pos(fkey),
                    "`facts` is not a mapping",
                ));
            }
        },
        None => {
            let Node::Map(entries) = &onode.value else {
                return Err(t.error(
                    crate::model::yaml::span_pos(okey),
                    "the offering is not a mapping",
                ));
            };
            let Some((first, _)) = entries.first() else {
                return Err(t.error(crate::model::yaml::span_pos(okey), "the offering is empty"));
            };
            let indent = t.indent(t.line_of(first));
            let end = t.entry_end(okey, Some(onode));
            let mut lines = vec![format!("{}facts:", " ".repeat(indent))];
            lines.extend(body(t, indent + 2));
            t.insert(end, lines);
        }
    }
    Ok(())
}

/// Adds the questionnaire's source to `sources:`.
fn add_source(
    t: &mut Text,
    root: &Spanned<Node>,
    source_id: &str,
    snapshot_path: &str,
    received: Date,
    file_name: &str,
    profile: &Profile,
) -> Result<(), Diagnostic> {
    let entry = |indent: usize| -> Vec<String> {
        let pad = " ".repeat(indent);
        vec![
            format!("{pad}{source_id}:"),
            format!(
                "{pad}  title: {}",
                yaml_value(&json!(format!(
                    "Vendor questionnaire answers ({file_name}), received {received}"
                )))
            ),
            format!("{pad}  authority: questionnaire"),
            format!("{pad}  last_updated: {received}"),
            format!("{pad}  retrieved: {received}"),
            format!("{pad}  snapshot: {snapshot_path}"),
        ]
    };
    let Node::Map(top) = &root.value else {
        return Err(t.error(crate::diag::Pos::new(1, 1), "the profile is not a mapping"));
    };
    match top.iter().find(|(k, _)| k.value == "sources") {
        Some((key, value)) => match &value.value {
            Node::Map(entries) if !entries.is_empty() => {
                let first = t.line_of(&entries[0].0);
                if first == t.line_of(key) {
                    return Err(t.error(
                        crate::model::yaml::span_pos(key),
                        "`sources` is written in flow style; write it as a block mapping to import answers",
                    ));
                }
                let indent = t.indent(first);
                let end = t.entry_end(key, Some(value));
                t.insert(end, entry(indent));
            }
            _ => {
                let line = t.line_of(key);
                let mut lines = vec![format!("{}sources:", " ".repeat(t.indent(line)))];
                lines.extend(entry(t.indent(line) + 2));
                t.replace(line, 1, lines);
            }
        },
        None => {
            let Some((okey, _)) = top.iter().find(|(k, _)| k.value == "offerings") else {
                return Err(t.error(
                    crate::diag::Pos::new(1, 1),
                    format!("the profile of {} has no `offerings:`", profile.id),
                ));
            };
            let line = t.line_of(okey);
            let mut lines = vec!["sources:".to_string()];
            lines.extend(entry(2));
            t.insert(line, lines);
        }
    }
    Ok(())
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
