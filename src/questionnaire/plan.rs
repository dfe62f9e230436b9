//! What importing answers would write: the snapshot (the answers as text) and the profile's
//! new text, planned as line edits on [`Text`] so that everything else in the file stays as
//! written.
//!
//! Answers are claims of authority `questionnaire`: they never override stronger evidence, which
//! resolution already guarantees. A newer questionnaire supersedes the claims of older ones for
//! the facts it answers (their claims are removed; the older snapshot stays archived).
//! Re-importing the same file plans no change.

use super::answers::Answer;
use crate::diag::Diagnostic;
use crate::model::profile::value_text;
use crate::model::profile::{Authority, Profile};
use crate::model::profile_edit::{Text, yaml_value};
use crate::model::yaml::{self, Node};
use jiff::civil::Date;
use serde_json::json;
use serde_saphyr::Spanned;
use std::fmt::Write;

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
    let import = Import::new(profile, received);
    let snapshot_path = format!("sources/{}.md", import.source_id);
    let mut changes = Vec::new();
    let offerings = root.value.get("offerings");
    for offering in &profile.offerings {
        let Some(Node::Map(entries)) = offerings.map(|o| &o.value) else {
            continue;
        };
        let Some((okey, onode)) = entries.iter().find(|(k, _)| k.value == offering.id) else {
            continue;
        };
        let here: Vec<&Answer> = answers
            .iter()
            .filter(|a| a.offering == offering.id)
            .collect();
        import.plan_offering(&mut t, &mut changes, okey, onode, &here)?;
    }
    let source_id = import.source_id;
    if profile.source(&source_id).is_none() && !t.is_unchanged() {
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
        profile: t.finish(),
        changes,
    })
}

/// One import: its source, the day it was received, and the questionnaire sources `answers`
/// wrote before, with the day each was received.
struct Import<'a> {
    source_id: String,
    received: Date,
    earlier: Vec<(&'a str, Option<Date>)>,
}

impl<'a> Import<'a> {
    fn new(profile: &'a Profile, received: Date) -> Self {
        let earlier = profile
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
        Import {
            source_id: format!("questionnaire-{received}"),
            received,
            earlier,
        }
    }

    /// Whether this import replaces the claims of source `id`: its own, or an older
    /// questionnaire's.
    fn supersedes(&self, id: &str) -> bool {
        id == self.source_id
            || self
                .earlier
                .iter()
                .any(|(s, d)| *s == id && d.is_none_or(|d| d <= self.received))
    }

    /// The day source `id` was received, when it is a questionnaire newer than this one.
    fn newer(&self, id: &str) -> Option<Date> {
        self.earlier
            .iter()
            .find(|(s, d)| *s == id && d.is_some_and(|d| d > self.received))
            .and_then(|(_, d)| *d)
    }

    /// Plans the answers `here` for one offering (`okey`: `onode` in the profile).
    fn plan_offering(
        &self,
        t: &mut Text,
        changes: &mut Vec<String>,
        okey: &Spanned<String>,
        onode: &Spanned<Node>,
        here: &[&Answer],
    ) -> Result<(), Diagnostic> {
        let offering = &okey.value;
        let facts = match &onode.value {
            Node::Map(entries) => entries.iter().find(|(k, _)| k.value == "facts"),
            _ => None,
        };
        let fact_entries: &[(Spanned<String>, Spanned<Node>)] = match facts.map(|(_, v)| &v.value) {
            Some(Node::Map(entries)) => entries,
            _ => &[],
        };
        // Claims of this questionnaire's own source for facts it no longer answers go too: its
        // snapshot is rewritten.
        for (key, value) in fact_entries {
            if here.iter().any(|a| a.fact == key.value) {
                continue;
            }
            for item in claim_items(value) {
                if item_source(item) == Some(self.source_id.as_str()) {
                    remove_item(t, item);
                    changes.push(format!(
                        "- {offering}/{}: removed the answer of {} (not in this file)",
                        key.value, self.source_id
                    ));
                }
            }
        }
        let mut new_facts: Vec<&Answer> = Vec::new();
        for a in here {
            match fact_entries.iter().find(|(k, _)| k.value == a.fact) {
                Some((key, value)) => self.plan_answer(t, changes, offering, a, key, value)?,
                None => {
                    changes.push(self.added(offering, a));
                    new_facts.push(a);
                }
            }
        }
        if !new_facts.is_empty() {
            add_facts(t, okey, onode, facts, &new_facts, &self.source_id)?;
        }
        Ok(())
    }

    /// Plans an answer to a fact the offering states: kept when a newer questionnaire answered
    /// it or it is already imported; else the superseded claims go and the answer is added.
    fn plan_answer(
        &self,
        t: &mut Text,
        changes: &mut Vec<String>,
        offering: &str,
        a: &Answer,
        key: &Spanned<String>,
        value: &Spanned<Node>,
    ) -> Result<(), Diagnostic> {
        let quote = a.quote();
        let note = a.cites().map(|c| format!("The vendor cites: {c}."));
        let items = claim_items(value);
        if let Some(date) = items
            .iter()
            .filter_map(|i| item_source(i))
            .find_map(|id| self.newer(id))
        {
            changes.push(format!(
                "= {offering}/{}: kept the newer answer of {date}",
                a.fact
            ));
            return Ok(());
        }
        let same = items.iter().any(|i| {
            item_source(i) == Some(self.source_id.as_str())
                && item_str(i, "quote") == Some(quote.as_str())
                && item_str(i, "note") == note.as_deref()
        });
        if same {
            changes.push(format!(
                "= {offering}/{}: {} (already imported)",
                a.fact,
                value_text(&a.value)
            ));
            return Ok(());
        }
        for item in &items {
            if let Some(s) = item_source(item)
                && self.supersedes(s)
            {
                remove_item(t, item);
                changes.push(format!(
                    "- {offering}/{}: removed the superseded answer of {s}",
                    a.fact
                ));
            }
        }
        changes.push(self.added(offering, a));
        add_to_fact(t, key, value, a, &self.source_id, &quote, note.as_deref())
    }

    /// The change line of an added answer.
    fn added(&self, offering: &str, a: &Answer) -> String {
        format!(
            "+ {offering}/{}: {} (questionnaire {}{})",
            a.fact,
            value_text(&a.value),
            self.received,
            a.cites()
                .map(|c| format!("; the vendor cites {c}"))
                .unwrap_or_default()
        )
    }
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
        if !t.line(first_line).trim_start().starts_with('-') || first_line == key_line {
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
    let line = t.line(key_line);
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

/// The facts of `added` with their claims, keys at `indent`.
fn new_fact_lines(added: &[&Answer], source_id: &str, indent: usize) -> Vec<String> {
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
    let body = |_: &Text, indent: usize| new_fact_lines(added, source_id, indent);
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
                let text = t.line(line);
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
