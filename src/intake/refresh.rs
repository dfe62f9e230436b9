//! `refresh`: for every source that came from an Open Terms Archive repository, the versions
//! recorded after the one the profile cites are archived, and each fact quoting that source is
//! checked against the latest: still verifies, broken (with the closest passage and a word
//! diff), or found in another section. Then the verdicts that change if the profile cited the
//! latest version. The profile itself is not changed: a reviewer decides.

use crate::diag::Diagnostic;
use crate::diff::{self, VerdictChange};
use crate::evaluation::{self, Request};
use crate::intake::ota::{self, Repo};
use crate::intake::{Stored, plan_profile};
use crate::model::profile_edit;
use crate::model::quotes::{Snapshot, normalize};
use crate::model::yaml::{self, Node};
use crate::outcome::Evaluation;
use crate::reading::structure::clause_number;
use crate::workspace::Workspace;
use jiff::civil::Date;
use serde::Serialize;
use serde_saphyr::Spanned;
use std::path::Path;

/// A source whose snapshot came from the archive.
#[derive(Debug, Clone)]
pub struct ArchivedSource {
    pub vendor: String,
    pub source: String,
    pub path: String,
    pub commit: String,
    pub snapshot: Option<String>,
}

/// The sources of `vendors` (all vendors when empty) that record an archive path and commit.
pub fn archived_sources(
    root: &Path,
    vendors: &[String],
) -> Result<Vec<ArchivedSource>, Diagnostic> {
    let all = crate::workspace::vendor_dirs(root);
    for v in vendors {
        if !all.contains(v) {
            return Err(Diagnostic::error(format!("no vendor `{v}` in vendors/"))
                .maybe_hint(crate::diag::did_you_mean(v, all.iter().map(String::as_str))));
        }
    }
    let mut out = Vec::new();
    for vendor in all
        .iter()
        .filter(|v| vendors.is_empty() || vendors.contains(v))
    {
        let shown = format!("vendors/{vendor}/profile.yaml");
        let text = yaml::read_confined(root, &shown, yaml::MAX_YAML_BYTES)?;
        let tree: Spanned<Node> = yaml::parse(&text, &shown)?;
        let Some(Node::Map(sources)) = tree.value.get("sources").map(|s| &s.value) else {
            continue;
        };
        for (id, _) in sources {
            let field = |f: &str| profile_edit::source_field(&text, &shown, &id.value, f);
            if let (Some(path), Some(commit)) = (field("archive_path"), field("archive_commit")) {
                out.push(ArchivedSource {
                    vendor: vendor.clone(),
                    source: id.value.clone(),
                    path,
                    commit,
                    snapshot: field("snapshot"),
                });
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize)]
pub struct NewVersion {
    pub commit: String,
    pub recorded: String,
    pub kind: String,
    pub snapshot: String,
    pub archived_now: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Verifies,
    Moved,
    /// The quote changed only in case, punctuation, joined words or articles: same reading.
    Cosmetic,
    Broken,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Verifies => "still verifies",
            Status::Moved => "found in another section",
            Status::Cosmetic => "changed cosmetically (same reading)",
            Status::Broken => "broken",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FactReport {
    pub offering: String,
    pub fact: String,
    pub value: serde_json::Value,
    pub section: Option<String>,
    pub status: Status,
    pub quote: String,
    /// Where the quote is in the cited version and in the latest (section numbers as found).
    pub was_in: Option<String>,
    pub now_in: Option<String>,
    pub closest: Option<String>,
    pub similarity: Option<f64>,
    /// Word diff from the quote to the closest passage: `[-removed-]` and `{+added+}`.
    pub diff: Option<String>,
    /// For a `not_stated` claim that breaks: the searched word the latest version mentions
    /// (`closest` is then the passage that mentions it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mentions: Option<String>,
    /// The quote that broke is one of the claim's `exceptions:` (its carve-outs), not the
    /// promise itself.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exception: bool,
    /// For a broken claim: the clause of the latest version that now speaks of the fact, as
    /// read, with the value it states (a draft for `refresh --write`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposed: Option<Proposal>,
    /// profile.yaml:line:col of the claim.
    pub at: String,
}

/// A value read from a clause of the latest version, to record as a draft claim citing it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Proposal {
    pub value: serde_json::Value,
    pub quote: String,
    pub section: Option<String>,
    /// What the clause was read as ("vendor / will / delete / customer content; 30 days ...").
    pub why: String,
}

/// The clause of `new_text` that states a value for `fact`: the candidate that overlaps the
/// passage closest to the broken quote, else the best one with a value.
fn propose(fact: &str, new_text: &str, closest: Option<&str>) -> Option<Proposal> {
    let found = crate::intake::extract::find(new_text, &[fact]);
    let with_value = || found.iter().filter(|c| !c.value.is_null());
    // The closest passage is a window of words, which may start inside a clause and run into
    // the next: a clause holding its opening words (or held by it) is that clause.
    let opening = |t: &str| t.chars().take(60).collect::<String>();
    let near = closest.map(normalize).and_then(|p| {
        with_value().find(|c| {
            let q = normalize(&c.quote);
            q.contains(&opening(&p)) || p.contains(&opening(&q))
        })
    });
    near.or_else(|| with_value().next()).map(|c| Proposal {
        value: c.value.clone(),
        quote: c.quote.clone(),
        section: c.section.clone(),
        why: c.why.clone(),
    })
}

impl FactReport {
    /// A claim of `offering`'s `fact` that still verifies, its `quote` as shown: the
    /// comparison with the latest version then says otherwise where it must.
    fn verifies(
        offering: &crate::model::profile::Offering,
        fact: &str,
        claim: &crate::model::profile::Claim,
        quote: String,
        at: String,
    ) -> FactReport {
        FactReport {
            offering: offering.id.clone(),
            fact: fact.to_string(),
            value: claim.value.clone(),
            section: claim.section.clone(),
            status: Status::Verifies,
            quote,
            was_in: None,
            now_in: None,
            closest: None,
            similarity: None,
            diff: None,
            mentions: None,
            exception: false,
            proposed: None,
            at,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub vendor: String,
    pub source: String,
    pub path: String,
    pub cited_commit: String,
    pub newer: Vec<NewVersion>,
    /// Why the newest capture is not the document (it is then not compared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_capture: Option<String>,
    pub facts: Vec<FactReport>,
    /// Facts cited from this source whose reading changed between the cited and the latest
    /// version (clauses added, removed or changed in meaning), even when every quote verifies;
    /// each new value with the clause that states it, a proposed value to review.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<crate::reading::FactChange>,
    /// The newest copy, when it is the document (what `--write` cites).
    #[serde(skip)]
    latest: Option<Stored>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub repository: String,
    pub sources: Vec<SourceReport>,
    pub verdicts: Vec<VerdictChange>,
}

impl Report {
    /// A fact needs review (or a verdict changes): exit 1.
    pub fn needs_review(&self) -> bool {
        !self.verdicts.is_empty()
            || self.sources.iter().any(|s| s.failed_capture.is_some())
            || self
                .sources
                .iter()
                .flat_map(|s| &s.facts)
                .any(|f| !matches!(f.status, Status::Verifies | Status::Cosmetic))
            || self.sources.iter().any(|s| !s.changes.is_empty())
    }
}

/// Runs the refresh: archives newer versions (and their NOTICE lines), then compares.
pub fn refresh(
    root: &Path,
    repo: &Repo,
    vendors: &[String],
    policy: &str,
    today: Date,
) -> Result<Report, Vec<Diagnostic>> {
    let sources = archived_sources(root, vendors).map_err(|d| vec![d])?;
    let repository = repo.name();
    let mut reports = Vec::new();
    // (vendor, source, latest snapshot) to cite in the "what if" workspace.
    let mut latest: Vec<(String, String, Stored)> = Vec::new();
    for s in &sources {
        let (mut report, newest) = archive_newer(root, repo, &repository, s)?;
        if let Some(st) = newest {
            // A capture that is not the document (an error page, a login wall, a text that
            // lost most of its length) is reported and never read as the new terms.
            // Both read as `check` reads them: confined to the vendor's sources/ and bounded.
            let vendor_dir = root.join("vendors").join(&s.vendor);
            let read = |rel: &str| {
                crate::evidence::read_snapshot(&vendor_dir, &s.vendor, rel, Default::default())
                    .unwrap_or_default()
            };
            let new_text = read(&st.rel);
            let old_text = s.snapshot.as_deref().map(read).unwrap_or_default();
            report.failed_capture = crate::reading::failed_capture(&old_text, &new_text);
            if report.failed_capture.is_none() {
                report.latest = Some(st.clone());
                latest.push((s.vendor.clone(), s.source.clone(), st));
            }
        }
        reports.push(report);
    }
    let current = Workspace::load(root).map_err(|d| vec![d])?;
    for report in &mut reports {
        compare_with_latest(root, &current, &sources, &latest, report);
    }
    let verdicts = if latest.is_empty() {
        Vec::new()
    } else {
        what_if(root, &current, &latest, policy, today)?
    };
    Ok(Report {
        repository,
        sources: reports,
        verdicts,
    })
}

/// A draft claim `refresh --write` adds: the latest version's reading of a fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub vendor: String,
    pub offering: String,
    pub fact: String,
    /// The source the broken or changed claim cites.
    pub cited: String,
    /// The source that cites the latest version (`<source>-<recorded day>`).
    pub source: String,
    pub proposal: Proposal,
}

/// The drafts a report proposes: for each fact cited from a refreshed source, the proposed
/// value of its broken claim, else the value its changed clauses now state (one per offering
/// and fact; a failed capture proposes nothing).
pub fn drafts(report: &Report) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    for s in &report.sources {
        let (Some(_), Some(newest)) = (&s.latest, s.newer.last()) else {
            continue;
        };
        let source = format!("{}-{}", s.source, day(&newest.recorded));
        let mut push = |offering: &str, fact: &str, proposal: Proposal| {
            if !out
                .iter()
                .any(|d| d.vendor == s.vendor && d.offering == offering && d.fact == fact)
            {
                out.push(Draft {
                    vendor: s.vendor.clone(),
                    offering: offering.to_string(),
                    fact: fact.to_string(),
                    cited: s.source.clone(),
                    source: source.clone(),
                    proposal,
                });
            }
        };
        for f in &s.facts {
            if let Some(p) = &f.proposed {
                push(&f.offering, &f.fact, p.clone());
            }
        }
        for change in &s.changes {
            let Some((value, clause)) = change.new.first() else {
                continue;
            };
            let quote = crate::intake::extract::quote_of(clause);
            let proposal = Proposal {
                value: value.clone(),
                why: crate::reading::read(&quote).to_string(),
                quote,
                section: None,
            };
            let offerings: Vec<&str> = s
                .facts
                .iter()
                .filter(|f| f.fact == change.fact)
                .map(|f| f.offering.as_str())
                .collect();
            for o in offerings {
                push(o, &change.fact, proposal.clone());
            }
        }
    }
    out
}

/// "2026-03-12" of "2026-03-12T10:00:00Z".
fn day(recorded: &str) -> &str {
    recorded.get(..10).unwrap_or(recorded)
}

/// Adds `drafts` to the profiles as `draft: true` claims citing a new source that records the
/// latest version (its title, authority and archive provenance copied from the cited source).
/// Each profile is written only when every draft loads and its quote verifies; returns the
/// drafts written and those left out, with why.
pub fn write_drafts(
    root: &Path,
    report: &Report,
    drafts: &[Draft],
) -> Result<(Vec<String>, Vec<String>), Diagnostic> {
    let mut written = Vec::new();
    let mut skipped = Vec::new();
    let mut vendors: Vec<&str> = drafts.iter().map(|d| d.vendor.as_str()).collect();
    vendors.dedup();
    for vendor in vendors {
        let shown = format!("vendors/{vendor}/profile.yaml");
        let mut text = yaml::read_confined(root, &shown, yaml::MAX_YAML_BYTES)?;
        let mut added = Vec::new();
        for d in drafts.iter().filter(|d| d.vendor == vendor) {
            let Some(s) = report
                .sources
                .iter()
                .find(|s| s.vendor == vendor && s.source == d.cited)
            else {
                continue;
            };
            let (Some(st), Some(newest)) = (&s.latest, s.newer.last()) else {
                continue;
            };
            if profile_edit::source_field(&text, &shown, &d.source, "snapshot").is_none() {
                let field = |f: &str| profile_edit::source_field(&text, &shown, &s.source, f);
                let mut fields: Vec<(&str, String)> = Vec::new();
                if let Some(t) = field("title") {
                    fields.push((
                        "title",
                        format!("{t} (version recorded {})", day(&newest.recorded)),
                    ));
                }
                if let Some(a) = field("authority") {
                    fields.push(("authority", a));
                }
                if let Some(r) = field("archive_repository") {
                    fields.push(("archive_repository", r));
                }
                fields.extend([
                    ("retrieved", day(&newest.recorded).to_string()),
                    ("snapshot", st.rel.clone()),
                    ("sha256", st.sha256.clone()),
                    ("archive_path", s.path.clone()),
                    ("archive_commit", newest.commit.clone()),
                    ("archive_recorded", day(&newest.recorded).to_string()),
                ]);
                let fields: Vec<(&str, String)> = fields
                    .into_iter()
                    .map(|(k, v)| (k, profile_edit::scalar(&v)))
                    .collect();
                text = profile_edit::set_source(&text, &shown, &d.source, &fields, &[])?;
            }
            let mut claim = vec![
                ("value", yaml_value(&d.proposal.value)),
                ("source", profile_edit::scalar(&d.source)),
            ];
            if let Some(sec) = &d.proposal.section {
                claim.push(("section", serde_json::Value::from(sec.as_str()).to_string()));
            }
            claim.push((
                "quote",
                serde_json::Value::from(d.proposal.quote.as_str()).to_string(),
            ));
            claim.push(("draft", "true".to_string()));
            text = profile_edit::add_claim(&text, &shown, &d.offering, &d.fact, &claim)?;
            added.push(d);
        }
        if added.is_empty() {
            continue;
        }
        // Like `extract --write`: the drafts must load and verify before the file is replaced.
        let (after, _) = crate::evidence::from_text(&text, root, vendor);
        let failed: Vec<&&Draft> = added
            .iter()
            .filter(|d| {
                after.as_ref().is_none_or(|p| {
                    p.offering(&d.offering).is_none_or(|o| {
                        o.facts.get(&d.fact).is_none_or(|f| {
                            f.claims.iter().any(|c| {
                                c.draft
                                    && c.source.as_deref() == Some(d.source.as_str())
                                    && matches!(
                                        c.verification,
                                        crate::model::profile::Verification::Failed { .. }
                                    )
                            })
                        })
                    })
                })
            })
            .collect();
        if !failed.is_empty() {
            for d in failed {
                skipped.push(format!("{vendor}/{} {}", d.offering, d.fact));
            }
            continue;
        }
        crate::intake::write_atomically(&root.join(&shown), &text)?;
        written.extend(
            added
                .iter()
                .map(|d| format!("{vendor}/{} {}", d.offering, d.fact)),
        );
    }
    Ok((written, skipped))
}

/// A value as YAML flow text.
fn yaml_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => profile_edit::scalar(s),
        serde_json::Value::Array(items) => format!(
            "[{}]",
            items.iter().map(yaml_value).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// Archives the versions of a source recorded after the one it cites (with their NOTICE
/// lines); returns its report (facts not yet compared) and the newest copy, if any.
fn archive_newer(
    root: &Path,
    repo: &Repo,
    repository: &str,
    s: &ArchivedSource,
) -> Result<(SourceReport, Option<Stored>), Vec<Diagnostic>> {
    let versions = repo.versions(&s.path).map_err(|d| vec![d])?;
    let Some(i) = versions.iter().position(|v| v.commit == s.commit) else {
        return Err(vec![Diagnostic::error(format!(
            "vendors/{}/profile.yaml: source `{}` cites commit {} of \"{}\", which is not in the history of {}",
            s.vendor,
            s.source,
            s.commit,
            s.path,
            repo.path.display()
        ))
        .in_file(format!("vendors/{}/profile.yaml", s.vendor))
        .hint("pass with --repo the versions repository the source was imported from (see its `archive_repository:`), updated with `git pull`")]);
    };
    let newer: Vec<&ota::Version> = versions[i + 1..].iter().collect();
    let mut report = SourceReport {
        vendor: s.vendor.clone(),
        source: s.source.clone(),
        path: s.path.clone(),
        cited_commit: s.commit.clone(),
        newer: Vec::new(),
        failed_capture: None,
        facts: Vec::new(),
        changes: Vec::new(),
        latest: None,
    };
    if newer.is_empty() {
        return Ok((report, None));
    }
    let vendor_dir = crate::intake::vendor_dir(root, &s.vendor).map_err(|d| vec![d])?;
    let (archived, written) = ota::archive_versions(repo, &s.path, &newer, &vendor_dir, &s.source)
        .map_err(|d| vec![d])?;
    let lines: Vec<String> = archived
        .iter()
        .map(|(v, st)| ota::notice_line(&st.rel, &s.path, v, repository))
        .collect();
    if let Err(d) = ota::write_notice(&vendor_dir, &lines) {
        ota::undo(&written);
        return Err(vec![d]);
    }
    for (v, st) in &archived {
        report.newer.push(NewVersion {
            commit: v.commit.clone(),
            recorded: v.recorded_at.clone(),
            kind: v.kind().to_string(),
            snapshot: st.rel.clone(),
            archived_now: st.new,
        });
    }
    let newest = archived.last().map(|(_, st)| st.clone());
    Ok((report, newest))
}

/// Fills a source's facts: each claim citing it checked against the newest copy, compared
/// with the copy it cites. A source with no newer copy is left as it is.
fn compare_with_latest(
    root: &Path,
    current: &Workspace,
    sources: &[ArchivedSource],
    latest: &[(String, String, Stored)],
    report: &mut SourceReport,
) {
    let Some((_, _, st)) = latest
        .iter()
        .find(|(v, s, _)| *v == report.vendor && *s == report.source)
    else {
        return;
    };
    let vendor_dir = root.join("vendors").join(&report.vendor);
    // Read as `check` reads them: confined to the vendor's sources/ and bounded in size (the
    // cited path comes from a profile, which may come from a pull request). A refused snapshot
    // is reported by the workspace's own load; here it compares as empty.
    let read = |rel: &str| {
        crate::evidence::read_snapshot(&vendor_dir, &report.vendor, rel, Default::default())
            .unwrap_or_default()
    };
    let new_text = read(&st.rel);
    let old_text = sources
        .iter()
        .find(|s| s.vendor == report.vendor && s.source == report.source)
        .and_then(|s| s.snapshot.as_deref())
        .map(read)
        .unwrap_or_default();
    if let Some(profile) = current.profile(&report.vendor) {
        report.facts = compare_facts(profile, &report.source, &old_text, &new_text);
        let mut cited: Vec<&str> = report.facts.iter().map(|f| f.fact.as_str()).collect();
        cited.sort();
        cited.dedup();
        if let crate::reading::VersionChange::Meaning { facts } =
            crate::reading::compare_facts(&old_text, &new_text, &cited)
        {
            report.changes = facts;
        }
    }
}

fn compare_facts(
    profile: &crate::model::profile::Profile,
    source: &str,
    old_text: &str,
    new_text: &str,
) -> Vec<FactReport> {
    let new_snap = Snapshot::new(new_text);
    let cosmetic = Cosmetic::new(old_text, new_text);
    let old_sections = Sections::new(old_text);
    let new_sections = Sections::new(new_text);
    let mut out = Vec::new();
    for offering in &profile.offerings {
        for (name, fact) in &offering.facts {
            for claim in &fact.claims {
                if claim.source.as_deref() != Some(source) {
                    continue;
                }
                let at = format!("{}:{}:{}", profile.file, claim.at.line, claim.at.column);
                if claim.is_not_stated() {
                    out.push(silence(offering, name, claim, at, &new_snap, &new_sections));
                    continue;
                }
                let Some(quote) = &claim.quote else { continue };
                let mut r = FactReport::verifies(offering, name, claim, quote.clone(), at);
                r.was_in = old_sections.locate(quote);
                if new_snap.contains(quote) {
                    r.now_in = new_sections.locate(quote);
                    if let (Some(a), Some(b)) = (&r.was_in, &r.now_in)
                        && a != b
                    {
                        r.status = Status::Moved;
                    }
                    // A carve-out is verified like the promise it qualifies (as `check` does).
                    if let Some(e) = claim
                        .exceptions
                        .iter()
                        .find(|e| !new_snap.contains(&e.quote))
                    {
                        r.exception = true;
                        r.quote = e.quote.clone();
                        r.was_in = old_sections.locate(&e.quote);
                        broken(&mut r, &new_snap, &new_sections);
                        cosmetic.apply(&mut r);
                    }
                } else {
                    broken(&mut r, &new_snap, &new_sections);
                    cosmetic.apply(&mut r);
                    // A broken promise comes with what the latest version now says.
                    if r.status == Status::Broken {
                        r.proposed = propose(name, new_text, r.closest.as_deref());
                    }
                }
                out.push(r);
            }
        }
    }
    out
}

/// Whether a quote that no longer matches changed only cosmetically: the whole clause that held
/// it in the cited version is in the latest one, up to case, punctuation, joined words and
/// articles (so its reading is the same).
struct Cosmetic {
    old: Vec<String>,
    new_keys: std::collections::HashSet<String>,
}

impl Cosmetic {
    fn new(old_text: &str, new_text: &str) -> Cosmetic {
        use crate::reading::{structure, versions::loose_key};
        Cosmetic {
            old: structure::split(old_text)
                .into_iter()
                .map(|c| c.text)
                .collect(),
            new_keys: structure::split(new_text)
                .iter()
                .map(|c| loose_key(&c.text))
                .collect(),
        }
    }

    fn apply(&self, r: &mut FactReport) {
        use crate::reading::versions::loose_key;
        let quote = normalize(&r.quote);
        let holders: Vec<&String> = self
            .old
            .iter()
            .filter(|c| normalize(c).contains(&quote))
            .collect();
        if r.status == Status::Broken
            && !holders.is_empty()
            && holders
                .iter()
                .all(|c| self.new_keys.contains(&loose_key(c)))
        {
            r.status = Status::Cosmetic;
        }
    }
}

/// Marks a fact broken: its quote (`r.quote`) is not in the latest version; finds the closest
/// passage and the word diff to it.
fn broken(r: &mut FactReport, new_snap: &Snapshot, new_sections: &Sections) {
    r.status = Status::Broken;
    r.now_in = None;
    if let Some(closest) = new_snap.closest(&r.quote) {
        let (passage, similarity) = (closest.text, closest.similarity);
        r.diff = Some(word_diff(&normalize(&r.quote), &passage));
        r.now_in = new_sections.locate(&passage);
        r.closest = Some(passage);
        r.similarity = Some((similarity * 100.0).round() / 100.0);
    }
}

/// A verified silence (`not_stated` with `searched:` words) against the latest version: it
/// still holds while none of the words occurs, as `check` verifies it.
fn silence(
    offering: &crate::model::profile::Offering,
    fact: &str,
    claim: &crate::model::profile::Claim,
    at: String,
    new_snap: &Snapshot,
    new_sections: &Sections,
) -> FactReport {
    let found = claim
        .searched
        .iter()
        .find_map(|w| new_snap.mentions(w).map(|passage| (w.clone(), passage)));
    let quote = format!("not stated (searched: {})", claim.searched.join(", "));
    let mut r = FactReport::verifies(offering, fact, claim, quote, at);
    if let Some((word, passage)) = found {
        r.status = Status::Broken;
        r.now_in = new_sections.locate_word_in(&passage, &word);
        r.closest = Some(passage);
        r.mentions = Some(word);
    }
    r
}

/// `[-removed-]` and `{+added+}` words, the rest as is.
pub fn word_diff(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_words(old, new);
    let mut out = String::new();
    let mut last: Option<ChangeTag> = None;
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let word = change.value();
        if last != Some(tag) {
            match last {
                Some(ChangeTag::Delete) => out.push_str("-]"),
                Some(ChangeTag::Insert) => out.push_str("+}"),
                _ => {}
            }
            match tag {
                ChangeTag::Delete => out.push_str("[-"),
                ChangeTag::Insert => out.push_str("{+"),
                ChangeTag::Equal => {}
            }
        }
        out.push_str(word);
        last = Some(tag);
    }
    match last {
        Some(ChangeTag::Delete) => out.push_str("-]"),
        Some(ChangeTag::Insert) => out.push_str("+}"),
        _ => {}
    }
    out
}

/// A document's normalized text with the clause number in force at each position: the last
/// number that starts a heading or a line ("4.2", "12.3.1").
struct Sections {
    text: String,
    /// (byte offset in `text`, clause number) in order.
    marks: Vec<(usize, String)>,
}

impl Sections {
    fn new(markdown: &str) -> Sections {
        let mut text = String::new();
        let mut marks = Vec::new();
        for line in markdown.lines() {
            let n = normalize(line);
            if n.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            if let Some(num) = clause_number(line) {
                marks.push((text.len(), num));
            }
            text.push_str(&n);
        }
        Sections { text, marks }
    }

    fn locate(&self, quote: &str) -> Option<String> {
        let q = normalize(quote);
        let at = self.text.find(&q)?;
        self.section_at(at)
    }

    /// The section of `word` inside `passage` (a passage shown with context before the word,
    /// cut with "…" at its ends).
    fn locate_word_in(&self, passage: &str, word: &str) -> Option<String> {
        let p = normalize(passage.trim_matches(|c: char| c == '…' || c.is_whitespace()));
        let at = self.text.find(&p)?;
        // ASCII lowercasing keeps byte offsets, so the offset found is one in `p`.
        let offset = p
            .to_ascii_lowercase()
            .find(&normalize(word).to_ascii_lowercase())
            .unwrap_or(0);
        self.section_at(at + offset)
    }

    fn section_at(&self, at: usize) -> Option<String> {
        self.marks
            .iter()
            .take_while(|(o, _)| *o <= at)
            .last()
            .map(|(_, n)| n.clone())
    }
}

/// Evaluates the vendors involved twice: as the profiles stand, and with the refreshed sources
/// citing their latest version (in a temporary copy of the workspace).
fn what_if(
    root: &Path,
    current: &Workspace,
    latest: &[(String, String, Stored)],
    policy: &str,
    today: Date,
) -> Result<Vec<VerdictChange>, Vec<Diagnostic>> {
    let tmp = tempfile::tempdir().map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot create a temporary folder to compare verdicts: {e}"
        ))]
    })?;
    for dir in ["policies", "scripts", "vendors"] {
        copy_tree(&root.join(dir), &tmp.path().join(dir)).map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot copy {dir}/ to compare verdicts: {e}"
            ))]
        })?;
    }
    for (vendor, source, st) in latest {
        let record = crate::intake::Record {
            vendor,
            source,
            fields: vec![("snapshot", st.rel.clone()), ("sha256", st.sha256.clone())],
            remove: Vec::new(),
        };
        let change = plan_profile(tmp.path(), &record, String::new).map_err(|d| vec![d])?;
        crate::intake::write_atomically(&change.path, &change.new).map_err(|d| vec![d])?;
    }
    let new = Workspace::load(tmp.path()).map_err(|d| vec![d])?;
    let vendors: Vec<&str> = latest.iter().map(|(v, _, _)| v.as_str()).collect();
    let old_eval = evaluate(current, &vendors, policy, today)?;
    let new_eval = evaluate(&new, &vendors, policy, today)?;
    Ok(diff::verdict_changes(&old_eval, &new_eval))
}

fn evaluate(
    ws: &Workspace,
    vendors: &[&str],
    policy: &str,
    today: Date,
) -> Result<Evaluation, Vec<Diagnostic>> {
    let errors = diff::errors_of(ws);
    if !errors.is_empty() {
        return Err(errors);
    }
    let policy = ws.policy(policy).map_err(|d| vec![d])?;
    let request = Request {
        policy,
        offerings: ws
            .profiles
            .iter()
            .filter(|p| vendors.contains(&p.id.as_str()))
            .flat_map(|p| p.offerings.iter().map(move |o| (p, o)))
            .collect(),
        classes: policy.classes.iter().map(|c| c.name.clone()).collect(),
        tags: Vec::new(),
        today,
        generated: String::new(),
        providers: evaluation::Lookup::Profiles(&ws.profiles),
    };
    let (eval, errors) = evaluation::evaluate(&ws.rules, &request);
    if errors.is_empty() {
        Ok(eval)
    } else {
        Err(errors)
    }
}

/// Copies regular files and folders (links and special files are left out).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let target = to.join(entry.file_name());
        if ty.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if ty.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_removed_and_added_words() {
        assert_eq!(
            word_diff(
                "within thirty days of notice",
                "within sixty days of notice"
            ),
            "within [-thirty-]{+sixty+} days of notice"
        );
    }

    #[test]
    fn sections_locate_a_quote() {
        let s = Sections::new(
            "# Terms\n\n## 4. Data\n\n4.1 Scope. Text one here.\n\n4.2 Training. Acme will not train.\n",
        );
        assert_eq!(s.locate("Acme will not train."), Some("4.2".into()));
        assert_eq!(s.locate("Text one here."), Some("4.1".into()));
    }
}
