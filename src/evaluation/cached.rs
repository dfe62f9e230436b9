//! What the results cache holds for one vendor, and how a stream uses it.
//!
//! An entry is one vendor folder's part of a run: the problems reading it found, what `check`
//! counts of it, and each offering's results for every request of the run (each finding's
//! evidence stored once per vendor). Its key covers everything those depend on: the binary,
//! every policy file (waivers, requirements, the audiences every profile is checked against),
//! every rule script, the run's requests (policy, classifications, tags, `--today`) and the
//! vendor's files (see [`crate::cache::vendor_fingerprint`]). Decisions are not part of it:
//! they are read beside each result after the stream, as without a cache.
//!
//! A vendor with a result that has errors (a rule failed) is never stored: a failed rule is
//! stopped for the rest of the run, which no single vendor's entry can know.

use super::Request;
use crate::cache::{Cache, Hasher, Key, vendor_fingerprint};
use crate::diag::Diagnostic;
use crate::model::resolved::Evidence;
use crate::outcome::{Finding, OfferingResult};
use crate::workspace::{Loaded, ProfileSummary, Workspace};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// The cache as one run uses it: the store, and the part of every key the run shares.
pub(crate) struct CacheUse<'a> {
    cache: &'a Cache,
    base: Hasher,
    /// Results per offering of each request (its classifications), to check an entry's shape.
    classes: Vec<usize>,
}

/// A vendor looked up in the cache.
pub(crate) enum Looked {
    /// Read from its folder (a miss, or no cache); stored under `key` once evaluated.
    Read {
        loaded: Box<Loaded>,
        key: Option<Key>,
    },
    Stored(Box<Stored>),
}

/// A vendor's entry, read back.
pub(crate) struct Stored {
    pub problems: Vec<Diagnostic>,
    pub unverified: Vec<Diagnostic>,
    pub summary: Option<ProfileSummary>,
    /// Per offering: each request's results (the run's text budget counts their findings as
    /// it counts those of the evaluations they stand for).
    pub offerings: Vec<Vec<Vec<OfferingResult>>>,
}

impl<'a> CacheUse<'a> {
    /// The cache for a run of `requests` over `ws`. None when the binary cannot be read to be
    /// fingerprinted (the run goes on without a cache).
    pub(crate) fn new(cache: &'a Cache, ws: &Workspace, requests: &[Request]) -> Option<Self> {
        let mut base = Hasher::new("diligence results cache, entry format 2");
        base.part(&crate::cache::binary_fingerprint()?);
        let root = &ws.root;
        // As the vendor folders: a FIFO or device is never opened (it would block or never
        // end), a link is keyed by where it leads, and only a regular file's bytes are read.
        let file = |h: &mut Hasher, rel: &str| crate::cache::entry(h, &root.join(rel), rel);
        for name in crate::workspace::policy_names(root) {
            file(&mut base, &format!("policies/{name}.yaml"));
        }
        base.str("rules");
        for id in crate::workspace::rule_ids(root) {
            file(&mut base, &format!("scripts/{id}.rhai"));
        }
        base.str("requests");
        for r in requests {
            base.str(&r.policy.name).str(&r.today.to_string());
            base.str(&r.classes.join("\n")).str(&r.tags.join("\n"));
        }
        Some(CacheUse {
            cache,
            base,
            classes: requests.iter().map(|r| r.classes.len()).collect(),
        })
    }

    /// Vendor folder `dir`: its entry when the cache has a sound one for its files as they
    /// are now, else `load()` and the key to store it under.
    pub(crate) fn look(
        &self,
        root: &std::path::Path,
        dir: &str,
        load: impl FnOnce() -> Loaded,
    ) -> Looked {
        let mut h = self.base.clone();
        vendor_fingerprint(&mut h, root, dir);
        let key = h.key();
        let stored = self
            .cache
            .get(&key)
            .and_then(|bytes| serde_json::from_slice::<Entry>(&bytes).ok())
            .and_then(|entry| entry.unpack(&self.classes));
        match stored {
            Some(s) => Looked::Stored(Box::new(s)),
            None => Looked::Read {
                loaded: Box::new(load()),
                key: Some(key),
            },
        }
    }

    /// Ends the run's use of the cache: keeps the folder under its limit.
    pub(crate) fn finish(&self) {
        self.cache.evict();
    }

    /// Stores a vendor read in this run, once all its results are in.
    pub(crate) fn store(&self, fresh: Fresh) {
        let key = fresh.key;
        if let Some(entry) = Entry::pack(fresh)
            && let Ok(bytes) = serde_json::to_vec(&entry)
        {
            self.cache.put(&key, &bytes);
        }
    }
}

/// A vendor read in this run, its results gathered as the stream evaluates its offerings.
pub(crate) struct Fresh {
    pub(crate) dir: String,
    key: Key,
    problems: Vec<Diagnostic>,
    unverified: Vec<Diagnostic>,
    summary: Option<ProfileSummary>,
    /// Per offering: each request's results so far.
    results: Vec<Vec<Vec<OfferingResult>>>,
    /// Offerings not evaluated yet by every request.
    pub(crate) remaining: usize,
    /// Set when a result had errors: the vendor is not stored.
    failed: bool,
}

impl Fresh {
    pub(crate) fn new(
        dir: &str,
        key: Key,
        problems: Vec<Diagnostic>,
        unverified: Vec<Diagnostic>,
        summary: Option<ProfileSummary>,
        offerings: usize,
    ) -> Fresh {
        Fresh {
            dir: dir.to_string(),
            key,
            problems,
            unverified,
            summary,
            results: Vec::new(),
            remaining: offerings,
            failed: false,
        }
        .sized(offerings)
    }

    fn sized(mut self, offerings: usize) -> Fresh {
        self.results = (0..offerings).map(|_| Vec::new()).collect();
        self
    }

    /// The vendor's results depend on other vendors' (its providers'): it is not stored.
    pub(crate) fn relies_on_providers(&mut self) {
        self.failed = true;
    }

    /// Keeps a copy of result `result` of offering `offering` for request `request`.
    pub(crate) fn add(&mut self, offering: usize, request: usize, result: &OfferingResult) {
        if !result.errors.is_empty() {
            self.failed = true;
        }
        if self.failed {
            return;
        }
        let Some(per_request) = self.results.get_mut(offering) else {
            self.failed = true;
            return;
        };
        if per_request.len() <= request {
            per_request.resize_with(request + 1, Vec::new);
        }
        per_request[request].push(result.clone());
    }
}

/// The stored form of a vendor's entry.
#[derive(Serialize, Deserialize)]
struct Entry {
    problems: Vec<Diagnostic>,
    unverified: Vec<Diagnostic>,
    summary: Option<ProfileSummary>,
    /// Every distinct evidence the vendor's findings cite, once.
    evidence: Vec<Evidence>,
    offerings: Vec<StoredOffering>,
}

#[derive(Serialize, Deserialize)]
struct StoredOffering {
    /// Per request, per classification.
    results: Vec<Vec<StoredResult>>,
}

#[derive(Serialize, Deserialize)]
struct StoredResult {
    /// The result without its findings.
    result: OfferingResult,
    findings: Vec<StoredFinding>,
}

#[derive(Serialize, Deserialize)]
struct StoredFinding {
    /// The finding without its evidence.
    finding: Finding,
    /// Indexes into the entry's evidence.
    evidence: Vec<u32>,
    /// The place the finding is about (`Finding::about`, which the JSON contract leaves out).
    #[serde(default)]
    about: Option<String>,
}

impl Entry {
    fn pack(fresh: Fresh) -> Option<Entry> {
        if fresh.failed || fresh.remaining != 0 {
            return None;
        }
        let mut evidence: Vec<Evidence> = Vec::new();
        let mut index: HashMap<*const Evidence, u32> = HashMap::new();
        let mut offerings = Vec::new();
        for per_request in fresh.results {
            let mut results = Vec::new();
            for request in per_request {
                let mut stored = Vec::new();
                for mut result in request {
                    let findings = std::mem::take(&mut result.findings)
                        .into_iter()
                        .map(|mut finding| {
                            let cited = std::mem::take(&mut finding.evidence)
                                .into_iter()
                                .map(|e| {
                                    *index.entry(Arc::as_ptr(&e)).or_insert_with(|| {
                                        evidence.push(e.as_ref().clone());
                                        (evidence.len() - 1) as u32
                                    })
                                })
                                .collect();
                            StoredFinding {
                                about: finding.about.clone(),
                                finding,
                                evidence: cited,
                            }
                        })
                        .collect();
                    stored.push(StoredResult { result, findings });
                }
                results.push(stored);
            }
            offerings.push(StoredOffering { results });
        }
        Some(Entry {
            problems: fresh.problems,
            unverified: fresh.unverified,
            summary: fresh.summary,
            evidence,
            offerings,
        })
    }

    /// The entry as the stream uses it; None when its shape does not fit the run (never
    /// trusted: a mismatch is a miss).
    fn unpack(self, classes: &[usize]) -> Option<Stored> {
        if self.summary.as_ref().map_or(0, |s| s.offerings) != self.offerings.len() {
            return None;
        }
        let evidence: Vec<Arc<Evidence>> = self.evidence.into_iter().map(Arc::new).collect();
        let mut offerings = Vec::new();
        for o in self.offerings {
            if o.results.len() != classes.len()
                || o.results.iter().zip(classes).any(|(r, n)| r.len() != *n)
            {
                return None;
            }
            let mut per_request = Vec::new();
            for request in o.results {
                let mut results = Vec::new();
                for StoredResult {
                    mut result,
                    findings,
                } in request
                {
                    for StoredFinding {
                        mut finding,
                        evidence: cited,
                        about,
                    } in findings
                    {
                        finding.about = about;
                        finding.evidence = cited
                            .iter()
                            .map(|i| evidence.get(*i as usize).cloned())
                            .collect::<Option<Vec<_>>>()?;
                        result.findings.push(finding);
                    }
                    results.push(result);
                }
                per_request.push(results);
            }
            offerings.push(per_request);
        }
        Some(Stored {
            problems: self.problems,
            unverified: self.unverified,
            summary: self.summary,
            offerings,
        })
    }
}
