//! One vendor's part of the site: its offerings' pages as their results come, then its
//! documents (each archived snapshot with its quoted passages highlighted) and their histories.

use super::document::{Document, Highlight};
use super::pages::{
    self, Cite, Claimed, DocPage, History, OfferingPage, Quoted, SearchIndex, Version,
    offering_page,
};
use super::{Setup, Summary};
use crate::decisions::status::{self, Row};
use crate::model::profile::{Offering, Profile, Source};
use crate::model::resolved::ResolvedOffering;
use crate::outcome::{Finding, Level, OfferingResult};
use crate::report::writer::Error;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The site's path of a snapshot's page: its file name under sources/ (without `.md`), made
/// safe for a URL.
pub(crate) fn snapshot_page(vendor: &str, rel: &str) -> String {
    let name = rel.strip_prefix("sources/").unwrap_or(rel);
    let stem = name
        .strip_suffix(".md")
        .unwrap_or(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>();
    format!("s/{vendor}/{stem}.html")
}

/// The site's path of a document's history.
pub(crate) fn history_page(vendor: &str, source: &str) -> String {
    format!("h/{vendor}/{source}.html")
}

/// `LINE-COL` of a claim from its `file:LINE:COL`.
pub(crate) fn claim_key(at: &str) -> String {
    let mut parts = at.rsplitn(3, ':');
    let col = parts.next().unwrap_or("0");
    let line = parts.next().unwrap_or("0");
    format!("{line}-{col}")
}

/// An archived file of one of the vendor's sources.
struct Doc {
    source: String,
    rel: String,
    page: String,
    /// The version the profile cites (the others are older or newer versions).
    cited: bool,
    document: Document,
    sha256: String,
    /// Why the file could not be read, if it could not.
    unreadable: Option<String>,
    highlights: Vec<Highlight>,
}

pub(crate) struct Vendor {
    pub profile: Arc<Profile>,
    offering: Option<(String, Vec<OfferingResult>)>,
    docs: Vec<Doc>,
    /// Claim key (`LINE-COL`) to the document and anchor of its highlighted quote.
    located: HashMap<String, (usize, String)>,
}

/// An offering's results, complete.
pub(crate) struct Done(String, Vec<OfferingResult>);

impl Vendor {
    /// Reads the vendor's snapshots and locates every quote in them.
    pub fn open(setup: &Setup, profile: Arc<Profile>) -> Vendor {
        let mut v = Vendor {
            profile,
            offering: None,
            docs: Vec::new(),
            located: HashMap::new(),
        };
        let root = &setup.ws.root;
        let vendor_dir = root.join("vendors").join(&v.profile.id);
        let profile = Arc::clone(&v.profile);
        for source in &profile.sources {
            let Some(rel) = &source.snapshot else {
                continue;
            };
            let mut files = crate::intake::archived_files(&vendor_dir, &source.id)
                .into_iter()
                .map(|name| format!("sources/{name}"))
                .collect::<Vec<_>>();
            if !files.contains(rel) {
                files.push(rel.clone());
            }
            for file in files {
                if v.docs.iter().any(|d| d.rel == file) {
                    continue;
                }
                let cited = file == *rel;
                let doc = read_doc(&vendor_dir, &profile.id, &source.id, &file, cited);
                v.docs.push(doc);
                let i = v.docs.len() - 1;
                v.locate(i, source);
            }
        }
        v
    }

    /// Highlights in document `i` every quote (and carve-out) that cites `source`.
    fn locate(&mut self, i: usize, source: &Source) {
        let index = self.docs[i].document.index();
        let profile = Arc::clone(&self.profile);
        let mut spans: HashMap<(usize, usize, bool), usize> = HashMap::new();
        for offering in &profile.offerings {
            let page = format!("../../{}", offering_page(&profile.id, &offering.id));
            for (name, fact) in &offering.facts {
                for claim in fact.claims.iter() {
                    if claim.source.as_deref() != Some(source.id.as_str()) {
                        continue;
                    }
                    let key = format!("{}-{}", claim.at.line, claim.at.column);
                    let back = (
                        with_offering(name, &profile, offering),
                        format!("{page}#c-{key}"),
                    );
                    let quotes = claim
                        .quote
                        .iter()
                        .map(|q| (q.as_str(), false, format!("q-{key}")))
                        .chain(claim.exceptions.iter().map(|e| {
                            (
                                e.quote.as_str(),
                                true,
                                format!("x-{}-{}", e.quote_at.line, e.quote_at.column),
                            )
                        }));
                    for (quote, carve_out, id) in quotes {
                        let Some((start, end)) = index.locate(quote) else {
                            continue;
                        };
                        let doc = &mut self.docs[i];
                        let h = *spans.entry((start, end, carve_out)).or_insert_with(|| {
                            doc.highlights.push(Highlight {
                                id: id.clone(),
                                aliases: Vec::new(),
                                start,
                                end,
                                carve_out,
                                back: Vec::new(),
                            });
                            doc.highlights.len() - 1
                        });
                        let highlight = &mut doc.highlights[h];
                        // Every claim's quote has its own anchor, on the passage it shares.
                        if highlight.id != id && !highlight.aliases.contains(&id) {
                            highlight.aliases.push(id);
                        }
                        if !highlight.back.contains(&back) {
                            highlight.back.push(back.clone());
                        }
                        if doc.cited && !carve_out {
                            self.located
                                .entry(key.clone())
                                .or_insert((i, highlight.id.clone()));
                        }
                    }
                }
            }
        }
    }

    pub fn offering_id(&self) -> Option<&str> {
        self.offering.as_ref().map(|(id, _)| id.as_str())
    }

    /// One more result of the current offering (or the first of the next one).
    pub fn push(&mut self, result: OfferingResult) {
        match &mut self.offering {
            Some((id, results)) if *id == result.offering => results.push(result),
            _ => self.offering = Some((result.offering.clone(), vec![result])),
        }
    }

    pub fn take_offering(&mut self) -> Option<Done> {
        self.offering.take().map(|(id, r)| Done(id, r))
    }

    /// Writes an offering's page; returns what the index keeps of it.
    pub fn write_offering(
        &mut self,
        setup: &Setup,
        dir: &Path,
        Done(id, mut results): Done,
        search: &mut SearchIndex,
    ) -> Result<Written, Error> {
        let profile = Arc::clone(&self.profile);
        let Some(offering) = profile.offering(&id) else {
            return Ok(Written::default());
        };
        let root = &setup.ws.root;
        let policy = setup.request.policy;
        let checks = crate::decisions::Checks {
            policies: &setup.ws.policies,
            today: setup.request.today,
        };
        let warnings = crate::decisions::annotate(root, &checks, &mut results);
        let decisions = decision_rows(setup, &profile, offering, &checks);
        let freshness = crate::evaluation::freshness(policy, setup.request.today);
        let resolved = ResolvedOffering::build(&profile, offering, freshness);
        let page_path = offering_page(&profile.id, &id);
        let refs: Vec<&OfferingResult> = results.iter().collect();
        let merged = crate::report::merged(&refs, true);
        // Each card's citations, and the link back from each highlighted quote to the card.
        let mut cards: Vec<(String, Vec<Cite>)> = Vec::new();
        for (n, m) in merged.iter().enumerate() {
            let card = format!("f-{}", n + 1);
            let cites = self.citations(m.finding);
            for e in &m.finding.evidence {
                if let Some((d, anchor)) = self.located.get(&claim_key(&e.at)) {
                    let back = (
                        with_offering(
                            &format!("{} ({})", m.finding.rule, m.finding.level.as_str()),
                            &profile,
                            offering,
                        ),
                        format!("../../{page_path}#{card}"),
                    );
                    if let Some(h) = self.docs[*d]
                        .highlights
                        .iter_mut()
                        .find(|h| h.id == *anchor)
                        && !h.back.contains(&back)
                    {
                        h.back.push(back);
                    }
                }
            }
            cards.push((card, cites));
        }
        let claims = self.claims(offering);
        let documents: Vec<(String, String)> = self
            .docs
            .iter()
            .filter(|d| d.cited)
            .map(|d| (d.source.clone(), format!("../../{}", d.page)))
            .collect();
        let page = OfferingPage {
            setup,
            profile: &profile,
            offering,
            results: &refs,
            merged: &merged,
            cards: &cards,
            resolved: &resolved,
            claims: &claims,
            documents: &documents,
            decisions: &decisions,
        };
        pages::write_page(&dir.join(&page_path), pages::offering(&page))?;
        search.offering(&profile, offering, &resolved, &page_path)?;
        Ok(Written {
            summary: Summary {
                vendor: profile.id.clone(),
                vendor_name: profile.name.clone(),
                offering: offering.id.clone(),
                offering_name: offering.name.clone(),
                rules: rules_raised(&results),
                cells: results.into_iter().map(reduce).collect(),
            },
            decisions,
            warnings,
        })
    }

    /// Where a finding's citations link: the highlighted quote when it was located in the
    /// cited snapshot, else the claim on the offering's page.
    fn citations(&self, f: &Finding) -> Vec<Cite> {
        let mut out: Vec<Cite> = Vec::new();
        let deciding = f.evidence.iter().filter(|e| e.is_deciding());
        let others = f.evidence.iter().filter(|e| !e.is_deciding());
        for e in deciding.chain(others) {
            let key = claim_key(&e.at);
            let mut text = format!("{} · {}", e.fact, crate::report::document(e));
            if let Some(s) = &e.section {
                text.push_str(&format!(" §{s}"));
            }
            if !e.is_deciding() {
                text.push_str(&format!(" ({})", e.role.as_str()));
            }
            let (href, label) = match self.located.get(&key) {
                Some((d, anchor)) => (
                    format!("../../{}#{anchor}", self.docs[*d].page),
                    "clause".to_string(),
                ),
                None => (format!("#c-{key}"), "claim".to_string()),
            };
            if !out.iter().any(|c| c.href == href && c.text == text) {
                out.push(Cite { text, href, label });
            }
        }
        out
    }

    /// Every claim of the offering with where its quote is highlighted.
    fn claims(&self, offering: &Offering) -> HashMap<String, Claimed> {
        let mut out = HashMap::new();
        for fact in offering.facts.values() {
            for claim in &fact.claims {
                let key = format!("{}-{}", claim.at.line, claim.at.column);
                let highlight = self
                    .located
                    .get(&key)
                    .map(|(d, anchor)| format!("../../{}#{anchor}", self.docs[*d].page));
                let page = claim.source.as_deref().and_then(|s| {
                    self.docs
                        .iter()
                        .find(|d| d.cited && d.source == s)
                        .map(|d| format!("../../{}", d.page))
                });
                let carve_outs = claim
                    .exceptions
                    .iter()
                    .map(|e| {
                        let id = format!("x-{}-{}", e.quote_at.line, e.quote_at.column);
                        self.docs
                            .iter()
                            .find(|d| d.cited && d.highlights.iter().any(|h| h.id == id))
                            .map(|d| format!("../../{}#{id}", d.page))
                    })
                    .collect();
                out.insert(
                    key,
                    Claimed {
                        highlight,
                        page,
                        carve_outs,
                    },
                );
            }
        }
        out
    }

    /// Writes the vendor's document pages and histories; returns how many pages.
    pub fn write_documents(&mut self, setup: &Setup, dir: &Path) -> Result<usize, Error> {
        let profile = Arc::clone(&self.profile);
        let notice = read_notice(&setup.ws.root, &profile.id);
        let archive = archive_fields(setup, &profile);
        let mut pages_written = 0;
        for doc in &self.docs {
            let Some(source) = profile.source(&doc.source) else {
                continue;
            };
            let versions = self.docs.iter().filter(|d| d.source == doc.source).count();
            let page = DocPage {
                setup,
                profile: &profile,
                source,
                rel: &doc.rel,
                cited: doc.cited,
                sha256: &doc.sha256,
                unreadable: doc.unreadable.as_deref(),
                document: &doc.document,
                highlights: &doc.highlights,
                notice: notice
                    .iter()
                    .find(|l| l.contains(&format!("`{}`", doc.rel)))
                    .map(String::as_str),
                archive: archive.get(&doc.source),
                history: (versions > 1)
                    .then(|| format!("../../{}", history_page(&profile.id, &doc.source))),
            };
            pages::write_page(&dir.join(&doc.page), pages::document_page(&page))?;
            pages_written += 1;
        }
        for source in &profile.sources {
            let versions: Vec<&Doc> = self.docs.iter().filter(|d| d.source == source.id).collect();
            if versions.len() < 2 {
                continue;
            }
            let history = self.history(&profile, source, &versions, setup);
            pages::write_page(
                &dir.join(history_page(&profile.id, &source.id)),
                pages::history(&history),
            )?;
            pages_written += 1;
        }
        Ok(pages_written)
    }

    /// A source's versions, oldest first, and what changed between consecutive ones.
    fn history<'a>(
        &self,
        profile: &'a Profile,
        source: &'a Source,
        versions: &[&Doc],
        setup: &'a Setup,
    ) -> History<'a> {
        let mut sorted: Vec<&Doc> = versions.to_vec();
        sorted.sort_by_key(|d| (version_date(d, source), d.rel.clone()));
        let root = &setup.ws.root;
        let vendor_dir = root.join("vendors").join(&profile.id);
        let read = |rel: &str| {
            crate::evidence::read_snapshot(&vendor_dir, &profile.id, rel, Default::default())
                .unwrap_or_default()
        };
        let claims: Vec<(String, String, String, String)> = profile
            .offerings
            .iter()
            .flat_map(|o| {
                o.facts.iter().flat_map(move |(name, fact)| {
                    fact.claims
                        .iter()
                        .filter(|c| c.source.as_deref() == Some(source.id.as_str()))
                        .filter_map(move |c| {
                            c.quote.clone().map(|q| {
                                (
                                    name.clone(),
                                    o.id.clone(),
                                    format!("{}-{}", c.at.line, c.at.column),
                                    q,
                                )
                            })
                        })
                })
            })
            .collect();
        let mut facts: Vec<&str> = claims.iter().map(|c| c.0.as_str()).collect();
        facts.sort();
        facts.dedup();
        let mut out: Vec<Version> = Vec::new();
        let mut previous: Option<String> = None;
        for doc in sorted {
            let text = read(&doc.rel);
            let snapshot = crate::model::quotes::Snapshot::new(&text);
            let quotes: Vec<Quoted> = claims
                .iter()
                .map(|(fact, offering, key, q)| Quoted {
                    fact: fact.clone(),
                    link: format!("../../{}#c-{key}", offering_page(&profile.id, offering)),
                    found: snapshot.contains(q),
                })
                .collect();
            let (diff, changes) = match &previous {
                Some(old) => (
                    Some(pages::word_diff(old, &text)),
                    match crate::reading::compare_facts(old, &text, &facts) {
                        crate::reading::VersionChange::Meaning { facts } => facts,
                        _ => Vec::new(),
                    },
                ),
                None => (None, Vec::new()),
            };
            out.push(Version {
                rel: doc.rel.clone(),
                page: format!("../../{}", doc.page),
                cited: doc.cited,
                sha256: doc.sha256.clone(),
                quotes,
                diff,
                changes,
            });
            previous = Some(text);
        }
        History {
            setup,
            profile,
            source,
            versions: out,
        }
    }
}

/// What the index keeps of an offering's page.
#[derive(Default)]
pub(crate) struct Written {
    pub summary: Summary,
    pub decisions: Vec<Row>,
    pub warnings: Vec<String>,
}

/// A result reduced to its matrix cell: the findings that drive it and whether one is waived,
/// without their evidence.
fn reduce(mut r: OfferingResult) -> OfferingResult {
    let driving: Vec<usize> = r
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| crate::report::driving(&r).any(|d| std::ptr::eq(d, *f)))
        .map(|(i, _)| i)
        .collect();
    let waived = r.findings.iter().position(|f| f.waived.is_some());
    let keep: Vec<Finding> = r
        .findings
        .drain(..)
        .enumerate()
        .filter(|(i, _)| driving.contains(i) || Some(*i) == waived)
        .map(|(_, mut f)| {
            f.evidence.clear();
            f.facts.clear();
            f.message.clear();
            f.action = None;
            f
        })
        .collect();
    r.findings = keep;
    r.vendor_notes = None;
    r.offering_notes = None;
    r
}

/// The rules that raised something other than a pass or info, in order.
fn rules_raised(results: &[OfferingResult]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in results.iter().flat_map(|r| &r.findings) {
        if f.level > Level::Info && !out.contains(&f.rule) {
            out.push(f.rule.clone());
        }
    }
    out
}

/// The offering's decisions in force, each against today (as `status` shows them).
fn decision_rows(
    setup: &Setup,
    profile: &Profile,
    offering: &Offering,
    checks: &crate::decisions::Checks,
) -> Vec<Row> {
    let root = &setup.ws.root;
    let Ok(Some((register, _))) = crate::decisions::load(root, &profile.id, &offering.id, checks)
    else {
        return Vec::new();
    };
    let scope = status::Scope {
        root,
        rules: &setup.ws.rules,
        rule_hashes: crate::decisions::fingerprint::rule_hashes(root, &setup.ws.rules),
        today: setup.request.today,
    };
    register
        .current()
        .into_iter()
        .filter_map(|d| {
            let policy = setup.ws.policy(&d.policy).ok()?;
            Some(status::row(
                &scope,
                policy,
                profile,
                offering,
                &register,
                d,
                &[],
            ))
        })
        .collect()
}

fn read_doc(vendor_dir: &Path, vendor: &str, source: &str, rel: &str, cited: bool) -> Doc {
    let read = crate::evidence::read_snapshot(vendor_dir, vendor, rel, Default::default());
    let (text, unreadable) = match read {
        Ok(t) => (t, None),
        Err(d) => (String::new(), Some(d.message)),
    };
    Doc {
        source: source.to_string(),
        rel: rel.to_string(),
        page: snapshot_page(vendor, rel),
        cited,
        sha256: crate::intake::sha256_hex(&text),
        document: Document::parse(&text),
        unreadable,
        highlights: Vec::new(),
    }
}

/// The lines of the vendor's NOTICE.md (where archived documents and their attribution are
/// recorded).
fn read_notice(root: &Path, vendor: &str) -> Vec<String> {
    let shown = format!("vendors/{vendor}/NOTICE.md");
    crate::model::yaml::read_confined(root, &shown, crate::model::yaml::MAX_YAML_BYTES)
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Per source: the archive it came from (`archive_repository`, `archive_path`,
/// `archive_commit`), as the profile records it.
fn archive_fields(
    setup: &Setup,
    profile: &Profile,
) -> HashMap<String, Vec<(&'static str, String)>> {
    let mut out = HashMap::new();
    let Ok(text) = crate::model::yaml::read_confined(
        &setup.ws.root,
        &profile.file,
        crate::model::yaml::MAX_YAML_BYTES,
    ) else {
        return out;
    };
    if !text.contains("archive_") {
        return out;
    }
    for s in &profile.sources {
        let fields: Vec<(&'static str, String)> =
            ["archive_repository", "archive_path", "archive_commit"]
                .into_iter()
                .filter_map(|f| {
                    crate::model::profile_edit::source_field(&text, &profile.file, &s.id, f)
                        .map(|v| (f, v))
                })
                .collect();
        if !fields.is_empty() {
            out.insert(s.id.clone(), fields);
        }
    }
    out
}

/// The day a version was archived: the date in its file name (`<source>.<date>.md`), else, for
/// the version the profile cites, the day the source was retrieved.
fn version_date(doc: &Doc, source: &Source) -> Option<jiff::civil::Date> {
    let name = doc.rel.strip_prefix("sources/").unwrap_or(&doc.rel);
    name.strip_prefix(&format!("{}.", source.id))
        .and_then(|rest| rest.get(..10))
        .and_then(|d| d.parse().ok())
        .or(if doc.cited { source.retrieved } else { None })
}

/// A link's label, with the offering named when the vendor has more than one.
fn with_offering(label: &str, profile: &Profile, offering: &Offering) -> String {
    if profile.offerings.len() > 1 {
        format!("{label} · {}", offering.name)
    } else {
        label.to_string()
    }
}
