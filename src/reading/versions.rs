//! Two versions of one document compared clause by clause: a capture that is not the document
//! (an error page, a login wall, a text that lost most of its length) is a failed capture and
//! never the new terms; otherwise clauses are paired by a loose key (case, punctuation, joined
//! words and articles folded), and the clauses added or removed are read for every fact: a
//! fact whose stated values differ changed in meaning; a change that keeps every reading is
//! cosmetic.

use super::structure;
use super::{read, stated};
use crate::model::vocabulary::FACTS;
use serde::Serialize;
use serde_json::Value;

/// What changed between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VersionChange {
    /// The new capture is not the document: why.
    FailedCapture { why: String },
    /// The text changed, but no clause's reading did (or nothing changed at all).
    Cosmetic,
    /// Facts whose reading changed.
    Meaning { facts: Vec<FactChange> },
}

/// One fact's reading in the clauses removed and in the clauses added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactChange {
    pub fact: String,
    /// Values the removed clauses stated (empty: none).
    pub old: Vec<Value>,
    /// Values the added clauses state, with the clause (verbatim) that states each.
    pub new: Vec<(Value, String)>,
}

/// Words an error page or a login wall shows in place of a document.
const NOT_A_DOCUMENT: &[&str] = &[
    "page isn't available",
    "page is not available",
    "page not found",
    "this page doesn't exist",
    "404",
    "access denied",
    "log in to continue",
    "sign in to continue",
    "log in or sign up",
    "enable javascript",
    "something went wrong",
    "captcha",
    "are you a robot",
    "verify you are human",
    "too many requests",
    "temporarily unavailable",
];

/// Whether `new` is a failed capture of a document whose previous version is `old`.
pub fn failed_capture(old: &str, new: &str) -> Option<String> {
    let (o, n) = (words(old), words(new));
    if o >= 200 && n * 10 < o * 4 {
        let lower = new.to_lowercase();
        let marker = NOT_A_DOCUMENT.iter().find(|m| lower.contains(*m));
        return Some(match marker {
            Some(m) => format!(
                "the new capture reads \"{m}\" and has {n} words where the document had {o}"
            ),
            None => format!(
                "the new capture has {n} words where the document had {o}: most of the text is missing"
            ),
        });
    }
    let lower = new.to_lowercase();
    if n < 300
        && let Some(m) = NOT_A_DOCUMENT.iter().find(|m| lower.contains(*m))
    {
        return Some(format!(
            "the new capture reads \"{m}\" ({n} words): an error page or a login wall"
        ));
    }
    None
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A clause's loose key: lowercase letters and digits only, articles dropped, so case,
/// punctuation, joined words ("e-mail", "email") and an added article do not count.
pub fn loose_key(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !matches!(w.as_str(), "a" | "an" | "the"))
        .collect::<Vec<_>>()
        .concat()
}

/// Compares two versions of a document for every fact of the vocabulary.
pub fn compare(old: &str, new: &str) -> VersionChange {
    let facts: Vec<&str> = FACTS.iter().map(|f| f.name).collect();
    compare_facts(old, new, &facts)
}

/// Compares two versions for the given facts.
pub fn compare_facts(old: &str, new: &str, facts: &[&str]) -> VersionChange {
    if let Some(why) = failed_capture(old, new) {
        return VersionChange::FailedCapture { why };
    }
    let old_clauses = structure::split(old);
    let new_clauses = structure::split(new);
    let old_keys: std::collections::HashSet<String> =
        old_clauses.iter().map(|c| loose_key(&c.text)).collect();
    let new_keys: std::collections::HashSet<String> =
        new_clauses.iter().map(|c| loose_key(&c.text)).collect();
    let removed: Vec<&str> = old_clauses
        .iter()
        .filter(|c| !new_keys.contains(&loose_key(&c.text)))
        .map(|c| c.text.as_str())
        .collect();
    let added: Vec<&str> = new_clauses
        .iter()
        .filter(|c| !old_keys.contains(&loose_key(&c.text)))
        .map(|c| c.text.as_str())
        .collect();
    let removed_readings: Vec<_> = removed.iter().map(|t| read(t)).collect();
    let added_readings: Vec<_> = added.iter().map(|t| read(t)).collect();
    let mut changes = Vec::new();
    for fact in facts {
        let mut old_values: Vec<Value> = removed_readings
            .iter()
            .filter_map(|r| stated(fact, r))
            .collect();
        let mut new_values: Vec<(Value, String)> = added_readings
            .iter()
            .zip(&added)
            .enumerate()
            .filter_map(|(i, (r, t))| {
                let v = stated(fact, r)?;
                // "We use your data to train ... You can opt out any time": the choice is in
                // the next sentence added with it, which completes the reading.
                let completed = (v == "default_on")
                    .then(|| added.get(i + 1))
                    .flatten()
                    .and_then(|next| stated(fact, &read(&format!("{t} {next}"))));
                Some((completed.unwrap_or(v), t.to_string()))
            })
            .collect();
        old_values.dedup();
        new_values.dedup_by(|a, b| a.0 == b.0);
        let mut old_sorted: Vec<String> = old_values.iter().map(Value::to_string).collect();
        let mut new_sorted: Vec<String> = new_values.iter().map(|(v, _)| v.to_string()).collect();
        old_sorted.sort();
        old_sorted.dedup();
        new_sorted.sort();
        new_sorted.dedup();
        if old_sorted != new_sorted {
            changes.push(FactChange {
                fact: fact.to_string(),
                old: old_values,
                new: new_values,
            });
        }
    }
    if changes.is_empty() {
        VersionChange::Cosmetic
    } else {
        VersionChange::Meaning { facts: changes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_words_case_and_articles_are_cosmetic() {
        assert_eq!(
            loose_key("We use e-mail to send THE notice."),
            loose_key("We use email to send notice")
        );
    }
}
