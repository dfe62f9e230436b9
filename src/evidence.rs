//! Evidence: the archived snapshots a profile cites, and whether each claim's quote is really in
//! its snapshot and really supports the claim's value.
//!
//! `profile::parse` turns text into a profile without touching the disk; this module reads the
//! snapshots (regular files under the vendor's `sources/` folder, nothing else), records their
//! SHA-256, and sets each claim's [`Verification`]:
//! - a quote must occur in its snapshot, anchored on whole words and long enough
//!   (`model::quotes`);
//! - it must support the value: the clause reader (`reading`) reads the quote and must find the
//!   value stated in it (a number that measures the fact, a refusal, an opt-out tied to
//!   training), never merely the fact's words;
//! - a `not_stated` claim's `searched` words occur nowhere in the snapshot.
//!
//! A failure names the claim's `quote:` (or `searched:`) line, the closest passage with a word
//! diff, and what to do.

use crate::diag::{Code, Diagnostic, Pos};
use crate::model::profile::{self, Claim, Profile, Source, Verification};
use crate::model::quotes::{self, Mismatch, Snapshot};
use crate::model::vocabulary;
use crate::model::yaml;
use crate::reading;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Component, Path};
use std::sync::Arc;

/// How a draft claim is named (`check --fail-on-drafts` makes it an error).
const DRAFT_WARNING: &str =
    "draft claim (proposed by `diligence extract`), not counted: confirm or delete";

/// Largest archived snapshot we read.
pub const MAX_SNAPSHOT_BYTES: u64 = 8 * 1024 * 1024;

/// Loads `vendors/<dir>/profile.yaml` and verifies its evidence against the snapshots.
pub fn load(workspace: &Path, dir_name: &str) -> (Option<Profile>, Vec<Diagnostic>) {
    let file = format!("vendors/{dir_name}/profile.yaml");
    match yaml::read_confined(workspace, &file, yaml::MAX_YAML_BYTES) {
        Ok(text) => from_text(&text, workspace, dir_name),
        Err(d) => (None, vec![d]),
    }
}

/// Parses a profile's text and verifies its evidence; snapshots are read from `workspace`.
pub fn from_text(
    text: &str,
    workspace: &Path,
    dir_name: &str,
) -> (Option<Profile>, Vec<Diagnostic>) {
    let (mut profile, mut problems) = profile::parse(text, dir_name);
    if let Some(p) = &mut profile {
        let file = p.file.clone();
        problems.extend(verify(p, workspace).into_iter().map(|d| d.in_file(&file)));
    }
    (profile, problems)
}

/// Reads every snapshot of the profile and verifies every claim that cites one. Returns the
/// problems with the snapshots themselves; claims that fail carry their reason in
/// `Verification::Failed` (reported by `check`, shown by `evaluate`).
pub fn verify(profile: &mut Profile, workspace: &Path) -> Vec<Diagnostic> {
    let vendor_dir = workspace.join("vendors").join(&profile.id);
    let mut problems = Vec::new();
    let mut snapshots: HashMap<String, Result<Arc<Snapshot>, String>> = HashMap::new();
    for source in &mut profile.sources {
        let Some(rel) = source.snapshot.clone() else {
            continue;
        };
        let loaded = load_snapshot(&vendor_dir, &profile.id, &rel, source.snapshot_at);
        let loaded = match loaded {
            Ok(s) => {
                source.actual_sha256 = Some(s.sha256.clone());
                Ok(s)
            }
            Err(d) => {
                let why = d.message.clone();
                problems.push(d);
                Err(why)
            }
        };
        snapshots.insert(source.id.clone(), loaded);
    }
    let sources = profile.sources.clone();
    // Offerings are verified in parallel: every claim reads the same shared snapshot index.
    profile.offerings.par_iter_mut().for_each(|offering| {
        for fact in offering.facts.values_mut() {
            for claim in &mut fact.claims {
                let Some(source) = claim
                    .source
                    .as_deref()
                    .and_then(|id| sources.iter().find(|s| s.id == id))
                else {
                    continue;
                };
                claim.verification = match snapshots.get(&source.id) {
                    Some(Ok(snapshot)) => verify_claim(&fact.name, claim, snapshot, source),
                    Some(Err(why)) => Verification::Failed {
                        reason: why.clone(),
                        at: claim.quote_at,
                        hint: "fix the source's `snapshot:` first".into(),
                    },
                    None if claim.is_not_stated() => Verification::Failed {
                        reason: format!(
                            "`not_stated` needs a document to search, and source `{}` has no snapshot",
                            source.id
                        ),
                        at: claim.at,
                        hint: "archive the document under sources/ and add `snapshot:` to the source".into(),
                    },
                    None => Verification::Unarchived,
                };
            }
        }
    });
    problems
}

fn load_snapshot(
    vendor_dir: &Path,
    vendor: &str,
    rel: &str,
    at: Pos,
) -> Result<Arc<Snapshot>, Diagnostic> {
    read_snapshot(vendor_dir, vendor, rel, at).map(|text| Arc::new(Snapshot::new(&text)))
}

/// Reads a snapshot: a regular file under the vendor's `sources/` folder, and nothing else (not
/// the profile, a policy or a rule, not a FIFO or device, not a link that leads out), of at
/// most MAX_SNAPSHOT_BYTES. Every command that reads a snapshot reads it here.
pub fn read_snapshot(
    vendor_dir: &Path,
    vendor: &str,
    rel: &str,
    at: Pos,
) -> Result<String, Diagnostic> {
    let refuse = |why: &str| {
        Diagnostic::error(format!("snapshot `{rel}` {why}"))
            .at(at)
            .hint(format!(
                "a snapshot is an archived copy of the vendor's document, kept as a regular file under vendors/{vendor}/sources/ (e.g. `snapshot: sources/terms.2026-08-15.md`)"
            ))
    };
    let relative = Path::new(rel);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(refuse("is outside the vendor's folder"));
    }
    let mut parts = relative
        .components()
        .filter(|c| matches!(c, Component::Normal(_)));
    if parts.next().map(|c| c.as_os_str()) != Some("sources".as_ref()) || parts.next().is_none() {
        return Err(refuse("is not under the vendor's sources/ folder"));
    }
    // The results cache fingerprints sources/ this deep (a file deeper is never hashed, so an
    // edit of it would go unseen): deeper is refused, cached or not.
    if parts.count() >= crate::cache::MAX_DEPTH {
        return Err(refuse(&format!(
            "is nested more than {} levels under sources/: keep snapshots at most that deep",
            crate::cache::MAX_DEPTH
        )));
    }
    let extension = relative
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if matches!(extension.as_str(), "yaml" | "yml" | "rhai") {
        return Err(refuse(
            "is a workspace file (profile, policy, rule or test), not a document",
        ));
    }
    let path = vendor_dir.join(relative);
    // Links are followed only within sources/: compare the real paths before opening anything.
    let real = path
        .canonicalize()
        .map_err(|e| refuse(&format!("cannot be read: {e}")))?;
    let inside = vendor_dir
        .join("sources")
        .canonicalize()
        .is_ok_and(|base| real.starts_with(base));
    if !inside {
        return Err(refuse(
            "leads outside the vendor's sources/ folder (through a link)",
        ));
    }
    // The file type comes from metadata, never from opening: opening a FIFO would wait forever.
    let meta = std::fs::metadata(&real).map_err(|e| refuse(&format!("cannot be read: {e}")))?;
    if !meta.is_file() {
        let kind = file_kind(&meta);
        return Err(refuse(&format!("is {kind}, not a regular file")));
    }
    let shown = format!("vendors/{vendor}/{rel}");
    yaml::read_text(&real, &shown, MAX_SNAPSHOT_BYTES).map_err(|d| d.at(at))
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a document"
    }
}

fn verify_claim(fact: &str, claim: &Claim, snapshot: &Snapshot, source: &Source) -> Verification {
    let snap = source.snapshot.as_deref().unwrap_or("the snapshot");
    if claim.is_not_stated() {
        return verify_silence(claim, snapshot, snap);
    }
    if let Some(quote) = claim.quote.as_deref() {
        if let Err(failed) = verify_quote(snapshot, quote, snap, claim.quote_at, "quote") {
            return failed;
        }
        if let Some(why) = unsupported_at(fact, &claim.value, quote, snapshot) {
            return Verification::Failed {
                reason: format!("the quote does not support `{}`: {why}", show(&claim.value)),
                at: claim.quote_at,
                hint: "quote the sentence that states this value (extend the quote verbatim), or correct the value".into(),
            };
        }
    }
    // A carve-out is verified like the promise it qualifies: an invented exception would
    // change a verdict as surely as an invented promise.
    for exception in &claim.exceptions {
        if let Err(failed) = verify_quote(
            snapshot,
            &exception.quote,
            snap,
            exception.quote_at,
            "exception quote",
        ) {
            return failed;
        }
    }
    Verification::Verified
}

/// Whether `quote` occurs, anchored, in the snapshot; the failure to report when it does not.
fn verify_quote(
    snapshot: &Snapshot,
    quote: &str,
    snap: &str,
    at: crate::diag::Pos,
    what: &str,
) -> Result<(), Verification> {
    let failed = |reason: String, hint: &str| Verification::Failed {
        reason,
        at,
        hint: hint.to_string(),
    };
    match snapshot.verify(quote) {
        Ok(()) => Ok(()),
        Err(Mismatch::Empty) => Err(failed(
            format!("the {what} is empty"),
            "copy the sentence that states the fact, verbatim, from the source",
        )),
        Err(Mismatch::TooShort { words }) => Err(failed(
            format!(
                "the {what} has {words} word{} and proves nothing on its own: a quote needs at least {} words, unless it is a whole heading, list item or table cell of {snap}",
                if words == 1 { "" } else { "s" },
                quotes::MIN_QUOTE_WORDS
            ),
            "quote the whole sentence that states the fact, verbatim",
        )),
        Err(Mismatch::NotFound) => {
            let reason = match snapshot.closest(quote) {
                Some(p) => format!(
                    "{what} not found in {snap}; closest passage ({:.0}% of words alike): \"{}\"\n  word diff ([-quote-] {{+document+}}): {}",
                    p.similarity * 100.0,
                    shorten(&p.text, 300),
                    p.diff
                ),
                None => format!("{what} not found in {snap}; none of its words occur there"),
            };
            Err(failed(
                reason,
                "re-read the source: fix the quote (whole words, verbatim), or update the fact if the document changed; until then the claim counts for nothing",
            ))
        }
    }
}

/// A `not_stated` claim holds when none of the searched words occurs in the snapshot.
fn verify_silence(claim: &Claim, snapshot: &Snapshot, snap: &str) -> Verification {
    for word in &claim.searched {
        if let Some(passage) = snapshot.mentions(word) {
            return Verification::Failed {
                reason: format!(
                    "`not_stated`, but {snap} mentions \"{word}\": \"{}\"",
                    shorten(&passage, 300)
                ),
                at: claim.searched_at,
                hint: "read that passage: quote it as the fact's value if it states one, or drop the word from `searched:` if it is about something else".into(),
            };
        }
    }
    Verification::Verified
}

/// Why `quote` cannot support `value` for `fact`, if it cannot.
///
/// The clause reader decides: a reading that states the value supports it; one that rules it
/// out refuses it, quoting what rules it out; a silent reading refuses it too, saying what the
/// clause was read as. No word list decides on its own.
pub fn unsupported(fact: &str, value: &Value, quote: &str) -> Option<String> {
    unsupported_with(fact, value, quote, None)
}

/// As [`unsupported`], for a quote that stands in `snapshot`: a list item is also read with
/// the sentence that introduces it ("Within 30 days of termination, Acme will: ... delete all
/// Customer Data"), which the reviewer need not repeat in the quote.
pub fn unsupported_at(
    fact: &str,
    value: &Value,
    quote: &str,
    snapshot: &Snapshot,
) -> Option<String> {
    unsupported_with(fact, value, quote, Some(snapshot))
}

fn unsupported_with(
    fact: &str,
    value: &Value,
    quote: &str,
    snapshot: Option<&Snapshot>,
) -> Option<String> {
    vocabulary::fact_spec(fact)?;
    // A vendor's questionnaire answer, as `answers` records it ("dpa (copilot): online"),
    // states its value in so many words: it is the vendor's word, not a clause to read.
    let answer = crate::model::profile::value_text(value);
    if quote.starts_with(&format!("{fact} (")) && quote.ends_with(&format!("): {answer}")) {
        return None;
    }
    let reading = reading::read(quote);
    let why = match reading::judge(fact, value, &reading) {
        reading::Judgement::Supports => {
            return bare_cell_refused(fact, value, quote, &reading, snapshot);
        }
        reading::Judgement::Contradicts(why) => return Some(format!("read as: {why} ({reading})")),
        reading::Judgement::Silent(why) => format!("read as: {reading}; {why}"),
    };
    // Silent alone: the item may say it with its lead-in (a contradiction never gives way; a
    // definition stays a definition under any lead-in).
    if reading.is_definition() {
        return Some(why);
    }
    // A mechanism, a region, a certificate or an agreement (a DPA, a BAA, a list of
    // subprocessors) must be named by the quote itself: a lead-in gives an item who acts and
    // when, never the thing it names.
    if matches!(
        fact,
        "transfer_mechanism"
            | "data_residency"
            | "certifications"
            | "dpa"
            | "baa"
            | "subprocessors_list"
            | "zero_data_retention"
    ) {
        return Some(why);
    }
    let Some(lead) = snapshot.and_then(|s| lead_of(s, quote)) else {
        return Some(why);
    };
    let lead_words = quotes::normalize(lead).to_lowercase();
    if lead_words.is_empty()
        || quotes::normalize(quote)
            .to_lowercase()
            .contains(&lead_words)
    {
        return Some(why);
    }
    let whole = reading::read(&format!("{lead} {quote}"));
    match reading::judge(fact, value, &whole) {
        // A cell that states the value only with its row ("Device information | Kept for 30
        // days.") keeps what the row names.
        reading::Judgement::Supports if bare_cell(fact, &reading) && row_of_other_data(lead) => {
            Some(format!(
                "read with its row \"{}\": the row names data that is not the customer's content",
                shorten(lead, 120)
            ))
        }
        reading::Judgement::Supports => None,
        reading::Judgement::Contradicts(w) => Some(format!(
            "read with its lead-in \"{lead}\" as: {w} ({whole})"
        )),
        reading::Judgement::Silent(_) => Some(why),
    }
}

/// A table cell with no subject and no data of its own ("Retained until your account is
/// deleted.", "Kept for 30 days."), for a fact of keeping data: what it keeps is its row's.
/// (A cell that names content, "For greeting messages you send, this is retained for 1
/// month", is about that content, whatever its row.)
fn bare_cell(fact: &str, reading: &reading::Reading) -> bool {
    matches!(
        fact,
        "retention_days" | "deletion_after_termination_days" | "abuse_monitoring_retention_days"
    ) && !about_content(reading)
        && matches!(
            reading.words.first().map(String::as_str),
            Some("retained" | "kept" | "stored" | "deleted" | "until" | "for")
        )
}

fn about_content(r: &reading::Reading) -> bool {
    use crate::reading::read::Object;
    [Object::CustomerContent, Object::Inputs, Object::Outputs]
        .iter()
        .any(|o| r.about(*o))
}

/// A row whose first cell names data other than the customer's content (device data, account
/// identifiers, location, settings) and no content.
fn row_of_other_data(lead: &str) -> bool {
    let row = reading::read(lead);
    reading::names_other_data(&row) && !about_content(&row)
}

/// Why a cell with no subject, which supports the value alone, does not where it stands: it
/// is said of the data its rows name ("Location data", "Account information"), so it is
/// refused when every row it stands in names other data, or does not state the value read
/// with the cell.
fn bare_cell_refused(
    fact: &str,
    value: &Value,
    quote: &str,
    reading: &reading::Reading,
    snapshot: Option<&Snapshot>,
) -> Option<String> {
    if !bare_cell(fact, reading) {
        return None;
    }
    let snapshot = snapshot?;
    let mut rows = leads_of_exact(snapshot, quote);
    if rows.is_empty() {
        rows.extend(lead_of(snapshot, quote));
    }
    // Each row the cell stands in (a cell's text may repeat across rows): the cell is refused
    // only when every row refuses it, by naming other data and no content, or by not stating
    // the value when read with the cell.
    let mut why = None;
    for lead in rows {
        if row_of_other_data(lead) {
            why.get_or_insert_with(|| {
                format!(
                    "read as: {reading}; its row \"{}\" names data that is not the customer's content",
                    shorten(lead, 120)
                )
            });
            continue;
        }
        let whole = reading::read(&format!("{lead} {quote}"));
        match reading::judge(fact, value, &whole) {
            reading::Judgement::Supports => return None,
            reading::Judgement::Contradicts(w) | reading::Judgement::Silent(w) => {
                why.get_or_insert_with(|| {
                    format!(
                        "read with its row \"{lead}\" as: {w} ({whole}); the cell says nothing of whose data it is"
                    )
                });
            }
        }
    }
    why
}

/// The sentence that introduces the list item a quote stands in ("Within thirty days of
/// termination, Acme will:" for "delete all copies of Customer Data"): an item says what it
/// says only with its lead-in. The document is split by the clause reader once, then kept.
pub(crate) fn lead_of<'s>(snapshot: &'s Snapshot, quote: &str) -> Option<&'s str> {
    let leads = leads(snapshot);
    let q = quotes::normalize(quote).to_lowercase();
    if q.is_empty() {
        return None;
    }
    // The clause the quote is, else one that holds it, else one it holds: a short line of a
    // table cell ("Your Feedback.") must not lend its lead-in to a longer quote that happens
    // to contain its words.
    leads
        .iter()
        .find(|(item, _)| *item == q)
        .or_else(|| leads.iter().find(|(item, _)| item.contains(&q)))
        // A quote that opens with an item's first sentence ("Erase your content. Purge
        // backups.") is that item, however short; an item inside a longer quote lends its
        // lead-in only when it is long enough not to be a stray phrase.
        .or_else(|| {
            leads.iter().find(|(item, _)| {
                q.strip_prefix(item.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '.', ';', ',']))
            })
        })
        .or_else(|| {
            leads
                .iter()
                .find(|(item, _)| item.split_whitespace().count() >= 4 && q.contains(item.as_str()))
        })
        .map(|(_, lead)| lead.as_str())
}

/// Every clause of a snapshot that is read with a lead-in (list items, table cells, numbered
/// paragraphs going on in lower case), as (normalised text, lead-in). Split once, then kept.
fn leads(snapshot: &Snapshot) -> &[(String, String)] {
    snapshot.leads_with(|text| {
        // A numbered paragraph that goes on in lower case ("H.1.b. delete all copies ...")
        // after one that ends with a colon continues that lead-in as its item does.
        let mut open: Option<String> = None;
        let mut out = Vec::new();
        for c in reading::structure::split(text) {
            let lead = c
                .lead
                .clone()
                .or_else(|| open.clone().filter(|_| continues_in_lower_case(&c.text)));
            if lead.is_none() {
                open = None;
            }
            if c.text.trim_end_matches(['*', '_', ' ']).ends_with(':') {
                open = Some(c.text.clone());
            }
            if let Some(lead) = lead {
                out.push((quotes::normalize(&c.text).to_lowercase(), lead));
            }
        }
        out
    })
}

/// The lead-ins of every clause whose text is exactly the quote: a table's cell text may stand
/// in several rows.
fn leads_of_exact<'s>(snapshot: &'s Snapshot, quote: &str) -> Vec<&'s str> {
    let q = quotes::normalize(quote).to_lowercase();
    leads(snapshot)
        .iter()
        .filter(|(item, _)| *item == q)
        .map(|(_, lead)| lead.as_str())
        .collect()
}

/// Whether a paragraph, after its number ("H.1.b.", "4.2", "(c)"), opens in lower case: the
/// rest of a sentence begun before it.
fn continues_in_lower_case(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let numbered = first.len() <= 10
        && first.ends_with(['.', ')'])
        && first.chars().any(|c| c.is_ascii_digit() || c == '(')
        || first.len() <= 4 && first.ends_with(['.', ')']);
    let word = if numbered { words.next() } else { Some(first) };
    word.and_then(|w| w.chars().next())
        .is_some_and(char::is_lowercase)
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// One diagnostic per claim whose quote is not in its snapshot, and one per snapshot whose
/// content changed since the hash recorded at review (naming the facts that cite it).
pub fn diagnostics(p: &Profile) -> Vec<Diagnostic> {
    let mut out = snapshot_changes(p);
    claim_diagnostics(p, &mut out);
    out
}

/// A warning per claim that cites a superseded document: it is kept for history but no longer
/// decides, so the fact may have become unknown. For `check` (reports show the role instead).
pub fn superseded_citations(p: &Profile) -> Vec<Diagnostic> {
    use crate::model::documents::SourceStatus;
    let mut out = Vec::new();
    for o in &p.offerings {
        for f in o.facts.values() {
            for c in &f.claims {
                let Some(s) = c.source.as_deref().and_then(|id| p.source(id)) else {
                    continue;
                };
                if s.status == SourceStatus::Superseded {
                    out.push(
                        Diagnostic::warning(format!(
                            "{}/{}: fact `{}` cites `{}`, which is superseded: the claim is kept but does not decide",
                            p.id, o.id, f.name, s.id
                        ))
                        .code(Code::SupersededCitation)
                        .in_file(p.file.clone())
                        .at(c.at)
                        .hint(match c.note.as_deref() {
                            // A note on the claim says why it is kept: show it where the
                            // warning is shown, so a new reviewer knows it is deliberate.
                            Some(note) => format!(
                                "kept on purpose, its note says: {}; once the current terms are read, quote them and remove this claim",
                                first_sentence(note)
                            ),
                            None => "quote the document that replaced it, or remove the claim"
                                .to_string(),
                        }),
                    );
                }
            }
        }
    }
    out
}

/// The first sentence of a note (up to its first ". "), for a hint line.
fn first_sentence(note: &str) -> &str {
    note.split_once(". ")
        .map_or(note, |(first, _)| first)
        .trim_end_matches('.')
}

/// One diagnostic per snapshot whose content changed since the hash recorded at review, naming
/// the facts that cite it. An error for `check`; a warning in `evaluate`'s report.
pub fn snapshot_changes(p: &Profile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in &p.sources {
        let (Some(recorded), Some(actual)) = (&s.sha256, &s.actual_sha256) else {
            continue;
        };
        if recorded != actual {
            let citing: Vec<String> = p
                .offerings
                .iter()
                .flat_map(|o| {
                    o.facts
                        .values()
                        .filter(|f| {
                            f.claims
                                .iter()
                                .any(|c| c.source.as_deref() == Some(s.id.as_str()))
                        })
                        .map(move |f| format!("{}/{}", o.id, f.name))
                })
                .collect();
            out.push(
                Diagnostic::error(format!(
                    "source `{}`: snapshot {} changed since review (sha256 {actual}, profile records {recorded}); facts citing it: {}",
                    s.id,
                    s.snapshot.as_deref().unwrap_or("?"),
                    if citing.is_empty() { "none".to_string() } else { citing.join(", ") }
                ))
                .code(Code::ChangedSnapshot)
                .in_file(p.file.clone())
                .at(s.at)
                .hint(format!("re-read those facts against the new document, then record `sha256: {actual}`")),
            );
        }
    }
    out
}

/// Drafts to confirm, and claims whose quote, value support or silence did not verify.
fn claim_diagnostics(p: &Profile, out: &mut Vec<Diagnostic>) {
    for o in &p.offerings {
        for f in o.facts.values() {
            for c in &f.claims {
                if c.draft {
                    out.push(
                        Diagnostic::warning(format!(
                            "{}/{}: fact `{}`: {}",
                            p.id, o.id, f.name, DRAFT_WARNING
                        ))
                        .code(Code::DraftClaim)
                        .in_file(p.file.clone())
                        .at(c.at)
                        .hint("read the quote in its source; if it states the value, delete the `draft: true` line, else delete the claim"),
                    );
                }
                if let Verification::Failed { reason, at, hint } = &c.verification {
                    out.push(
                        Diagnostic::error(format!(
                            "{}/{}: fact `{}`: {reason}",
                            p.id, o.id, f.name
                        ))
                        .code(Code::UnverifiedQuote)
                        .in_file(p.file.clone())
                        .at(*at)
                        .hint(hint.clone()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_takes_its_own_lead_in_not_that_of_a_short_line_it_contains() {
        let doc = "Within 30 days of termination, Acme will:\n\n- Your data\n\nIf you close your account, we will:\n\n- delete your data and your files\n";
        let snapshot = Snapshot::new(doc);
        assert_eq!(
            lead_of(&snapshot, "delete your data and your files"),
            Some("If you close your account, we will:")
        );
        assert_eq!(
            lead_of(&snapshot, "Your data"),
            Some("Within 30 days of termination, Acme will:")
        );
    }

    #[test]
    fn a_cell_without_a_subject_is_said_of_the_data_its_row_names() {
        let doc = "| Data | Retention |\n| --- | --- |\n| Device information and IP addresses | Retained until your account is deleted. |\n| Your posts and messages | Kept until you delete your account. |\n";
        let snapshot = Snapshot::new(doc);
        let until = Value::String("until_deleted".into());
        let why = unsupported_at(
            "retention_days",
            &until,
            "Retained until your account is deleted.",
            &snapshot,
        )
        .expect("a row of device data is not the customer's content");
        assert!(why.contains("Device information"), "{why}");
        assert_eq!(
            unsupported_at(
                "retention_days",
                &until,
                "Kept until you delete your account.",
                &snapshot
            ),
            None
        );
        // A cell that states its value only with its row keeps what the row names.
        let doc = "| Data | How long we keep it |\n| --- | --- |\n| Device information and IP addresses | Kept for 30 days. |\n| Your posts | Kept for 60 days. |\n";
        let snapshot = Snapshot::new(doc);
        assert!(
            unsupported_at(
                "retention_days",
                &json_days(30),
                "Kept for 30 days.",
                &snapshot
            )
            .is_some()
        );
        assert_eq!(
            unsupported_at(
                "retention_days",
                &json_days(60),
                "Kept for 60 days.",
                &snapshot
            ),
            None
        );
        // The same cell text in a row of device data and in a row of posts: the posts' row
        // holds, whichever comes first; a row naming content beside an IP address is content.
        for doc in [
            "| Data | Retention |\n| --- | --- |\n| Device information and IP addresses | Retained until your account is deleted. |\n| Your posts and messages | Retained until your account is deleted. |\n",
            "| Data | Retention |\n| --- | --- |\n| Your posts and the IP address they were sent from | Retained until your account is deleted. |\n",
        ] {
            let snapshot = Snapshot::new(doc);
            assert_eq!(
                unsupported_at(
                    "retention_days",
                    &until,
                    "Retained until your account is deleted.",
                    &snapshot
                ),
                None,
                "{doc}"
            );
        }
    }

    #[test]
    fn a_quote_that_opens_with_a_short_item_takes_its_lead_in() {
        let doc = "Within 30 days after termination of your account, Acme will:\n\n- Erase your content. Purge backups.\n";
        let snapshot = Snapshot::new(doc);
        assert_eq!(
            lead_of(&snapshot, "Erase your content. Purge backups."),
            Some("Within 30 days after termination of your account, Acme will:")
        );
    }

    fn json_days(n: u64) -> Value {
        Value::from(n)
    }
}
