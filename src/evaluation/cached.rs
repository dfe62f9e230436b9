//! What the results cache holds for one vendor, and how a stream uses it.
//!
//! An entry is one vendor folder's part of a run: the problems reading it found, what `check`
//! counts of it, and each offering's results for every request of the run. Each distinct
//! finding is stored once per vendor (an offering's classifications repeat most of the same
//! findings) and each evidence once, so that an entry is small to write and to read back. Its key covers everything those depend on: the binary,
//! every policy file (waivers, requirements, the audiences every profile is checked against),
//! every rule script, the run's requests (policy, classifications, tags, `--today`) and the
//! vendor's files (see [`crate::cache::vendor_fingerprint`]). Decisions are not part of it:
//! they are read beside each result after the stream, as without a cache.
//!
//! Each vendor folder *as read* (its profile parsed, its quotes verified: what its files alone
//! decide) is an entry of a second kind, keyed by the binary and the folder only
//! ([`CacheUse::read`]): a run after a rule, a policy or the date changed evaluates every vendor
//! again from it, without parsing a profile or reading a quote again.
//!
//! An offering that relies on providers of the workspace (`evaluation::chain`) also depends on
//! their vendor folders, which are known only once its profile is read: the entry records the
//! fingerprint of every folder its chains read, and is a miss unless each folder still has it.
//! With the key covering the rules, policies and request, that is everything a provider's
//! verdict depends on.
//!
//! A vendor with a result that has errors (a rule failed) is never stored: a failed rule is
//! stopped for the rest of the run, which no single vendor's entry can know. Nor is one whose
//! chain raised a problem (a stored result would not raise it again) or whose provider's rule
//! failed.

use super::Request;
use super::chain::Footprint;
use super::rendered::{Form, In, Notes, Out, Rendered};

use crate::cache::{Cache, Hasher, Key};
use crate::diag::Diagnostic;
use crate::model::policy::Policy;
use crate::model::profile::Profile;
use crate::model::resolved::Evidence;
use crate::outcome::{Finding, OfferingResult};
use crate::workspace::{Loaded, ProfileSummary, Workspace, checked_against};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// The cache as one run uses it: the store, and the part of every key the run shares.
pub(crate) struct CacheUse<'a> {
    cache: &'a Cache,
    base: Hasher,
    /// The part of every read entry's key the run shares: the binary alone.
    read_base: Hasher,
    /// What the run's command takes of each vendor: its entries hold that.
    pub(crate) form: Form,
    /// Results per offering of each request (its classifications), to check an entry's shape.
    classes: Vec<usize>,
    /// Provider folders' fingerprints, taken once per run as entries name them.
    prints: Mutex<HashMap<String, [u8; 32]>>,
}

/// A vendor looked up in the cache.
pub(crate) enum Looked {
    /// Read from its folder (a miss, or no cache); stored under `key` once evaluated.
    Read {
        loaded: Box<Loaded>,
        key: Option<Key>,
    },
    Stored(Box<Stored>),
    /// Read from the cache in the run's [`Form`].
    Rendered(Box<StoredRendered>),
}

/// A vendor's entry in a rendered [`Form`], read back.
pub(crate) struct StoredRendered {
    pub notes: Notes,
    /// Its counts (superseded citations are among the notes).
    pub summary: Option<ProfileSummary>,
    /// Per offering: each request's results, rendered.
    pub offerings: Vec<Vec<Arc<Rendered>>>,
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
    /// The cache for a run of `requests` over `ws`, whose command takes each vendor in `form`.
    /// None when the binary cannot be read to be fingerprinted (the run goes on without a
    /// cache).
    pub(crate) fn new(
        cache: &'a Cache,
        ws: &Workspace,
        requests: &[Request],
        form: Form,
    ) -> Option<Self> {
        let binary = crate::cache::binary_fingerprint(Some(&cache.stats))?;
        let mut read_base = Hasher::new("diligence read vendor folder, entry format 1");
        read_base.part(&binary);
        let mut base = Hasher::new("diligence results cache, entry format 6");
        base.str(form.tag());
        base.part(&binary);
        // Where the workspace and its vendors/ folder really are: the loader confines every
        // read to them, so the same files read differently once vendors/ is a link out of the
        // workspace (or no longer one). A vendor folder that is itself a link is keyed by where
        // it leads (`vendor_fingerprint`).
        let root = &ws.root;
        for place in [root.clone(), root.join("vendors")] {
            let real = place.canonicalize().unwrap_or_default();
            base.part(real.as_os_str().as_encoded_bytes());
            read_base.part(real.as_os_str().as_encoded_bytes());
        }
        // As the vendor folders: a FIFO or device is never opened (it would block or never
        // end), a link is keyed by where it leads, and only a regular file's bytes are read.
        let file = |h: &mut Hasher, rel: &str| {
            crate::cache::entry(h, &root.join(rel), rel, Some(&cache.stats))
        };
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
            read_base,
            form,
            classes: requests.iter().map(|r| r.classes.len()).collect(),
            prints: Mutex::new(HashMap::new()),
        })
    }

    /// Vendor folder `dir`: its entry when the cache has a sound one for its files as they
    /// are now, else the folder read (see [`CacheUse::read`]) and the key to store its results
    /// under.
    pub(crate) fn look(&self, root: &std::path::Path, dir: &str, policies: &[Policy]) -> Looked {
        let folder = crate::cache::folder_print_with(root, dir, Some(&self.cache.stats));
        let mut h = self.base.clone();
        h.part(&folder);
        let key = h.key();
        let found = self.cache.get(&key);
        let looked = match self.form {
            Form::Results => found
                .and_then(|bytes| serde_json::from_slice::<Entry>(&bytes).ok())
                .filter(|entry| self.providers_unchanged(root, &entry.providers))
                .and_then(|entry| entry.unpack(&self.classes))
                .map(|s| Looked::Stored(Box::new(s))),
            _ => found
                .and_then(|bytes| read_rendered(&bytes, &self.classes))
                .filter(|(_, providers)| self.providers_unchanged(root, providers))
                .map(|(s, _)| Looked::Rendered(Box::new(s))),
        };
        looked.unwrap_or_else(|| Looked::Read {
            loaded: Box::new(checked_against(self.read(root, dir, &folder), policies)),
            key: Some(key),
        })
    }

    /// Vendor folder `dir` as its files alone decide: its profile parsed and its quotes
    /// verified, and the problems found. Kept in an entry of its own, keyed by the binary and
    /// the folder's fingerprint (`folder`) only, so that a run after a rule, policy or date
    /// changed runs the rules again without parsing the profile or reading its quotes again.
    fn read(
        &self,
        root: &std::path::Path,
        dir: &str,
        folder: &[u8; 32],
    ) -> (Option<Profile>, Vec<Diagnostic>) {
        let mut h = self.read_base.clone();
        h.part(folder);
        let key = h.key();
        if let Some(read) = self
            .cache
            .get(&key)
            .and_then(|bytes| serde_json::from_slice::<ReadEntry>(&bytes).ok())
            .filter(|entry| entry.dir == dir)
        {
            return (read.profile, read.problems);
        }
        let (profile, problems) = crate::evidence::load(root, dir);
        let entry = ReadEntry {
            dir: dir.to_string(),
            profile,
            problems,
        };
        if let Ok(bytes) = serde_json::to_vec(&entry) {
            self.cache.put(&key, &bytes);
        }
        (entry.profile, entry.problems)
    }

    /// Whether every provider folder an entry recorded has the fingerprint it had then.
    fn providers_unchanged(
        &self,
        root: &std::path::Path,
        providers: &BTreeMap<String, String>,
    ) -> bool {
        providers.iter().all(|(dir, recorded)| {
            // A name that is not a vendor id never came from a chain: the entry is foreign.
            if !crate::model::profile::valid_id(dir) {
                return false;
            }
            let print = {
                let mut prints = self.prints.lock().unwrap_or_else(|e| e.into_inner());
                *prints
                    .entry(dir.clone())
                    .or_insert_with(|| crate::cache::folder_print(root, dir))
            };
            hex(&print) == *recorded
        })
    }

    /// Ends the run's use of the cache: keeps the folder under its limit.
    pub(crate) fn finish(&self) {
        self.cache.evict();
    }

    /// Stores a vendor read in this run, once all its results are in.
    pub(crate) fn store(&self, fresh: Fresh) {
        let key = fresh.key;
        let bytes = match self.form {
            Form::Results => Entry::pack(fresh),
            _ => pack_rendered(fresh),
        };
        if let Some(bytes) = bytes {
            self.cache.put(&key, &bytes);
        }
    }
}

/// A vendor folder as read and verified (see [`CacheUse::read`]); its name is kept to check
/// the entry is the folder's.
#[derive(Serialize, Deserialize)]
struct ReadEntry {
    dir: String,
    profile: Option<Profile>,
    problems: Vec<Diagnostic>,
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
    /// In a rendered form: the vendor's notes, and per offering each request's results.
    notes: Notes,
    rendered: Vec<Vec<Option<Arc<Rendered>>>>,
    /// Offerings not evaluated yet by every request.
    pub(crate) remaining: usize,
    /// The provider folders its offerings' chains read, in every request.
    providers: Footprint,
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
            notes: Notes::default(),
            rendered: Vec::new(),
            remaining: offerings,
            providers: Footprint::default(),
            failed: false,
        }
        .sized(offerings)
    }

    fn sized(mut self, offerings: usize) -> Fresh {
        self.results = (0..offerings).map(|_| Vec::new()).collect();
        self.rendered = (0..offerings).map(|_| Vec::new()).collect();
        self
    }

    /// The vendor's notes in the run's rendered form (kept with its results).
    pub(crate) fn with_notes(mut self, notes: Notes) -> Fresh {
        self.notes = notes;
        self
    }

    /// Keeps `rendered`, the rendering of `results` (offering `offering`'s results for request
    /// `request`).
    pub(crate) fn add_rendered(
        &mut self,
        offering: usize,
        request: usize,
        results: &[OfferingResult],
        rendered: &Arc<Rendered>,
    ) {
        if results.iter().any(|r| !r.errors.is_empty()) {
            self.failed = true;
        }
        if self.failed {
            return;
        }
        let Some(per_request) = self.rendered.get_mut(offering) else {
            self.failed = true;
            return;
        };
        if per_request.len() <= request {
            per_request.resize_with(request + 1, || None);
        }
        per_request[request] = Some(Arc::clone(rendered));
    }

    /// One of the vendor's offerings relies on providers whose verdicts depend on `footprint`.
    pub(crate) fn relies_on(&mut self, footprint: &Footprint) {
        self.providers.add(footprint);
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

/// The stored form of a vendor's entry. (Written by [`Entry::pack`], field by field in this
/// order, with each distinct finding rendered once.)
#[derive(Deserialize)]
struct Entry {
    problems: Vec<Diagnostic>,
    unverified: Vec<Diagnostic>,
    summary: Option<ProfileSummary>,
    /// Provider vendor folder -> its fingerprint (hex) when the results were computed.
    providers: BTreeMap<String, String>,
    /// Every distinct evidence the vendor's findings cite, once.
    evidence: Vec<Evidence>,
    /// Every distinct finding of the vendor's results, once.
    findings: Vec<StoredFinding>,
    offerings: Vec<StoredOffering>,
}

#[derive(Deserialize)]
struct StoredOffering {
    /// Per request, per classification.
    results: Vec<Vec<StoredResult>>,
}

#[derive(Serialize, Deserialize)]
struct StoredResult {
    /// The result without its findings.
    result: OfferingResult,
    /// Indexes into the entry's findings.
    findings: Vec<u32>,
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
    /// The entry's bytes (None when the vendor is not to be stored).
    fn pack(fresh: Fresh) -> Option<Vec<u8>> {
        if fresh.failed || fresh.providers.tainted || fresh.remaining != 0 {
            return None;
        }
        let mut evidence: Vec<Arc<Evidence>> = Vec::new();
        let mut evidence_index: HashMap<*const Evidence, u32> = HashMap::new();
        // Each distinct finding rendered once: its rendering is also what tells it apart.
        let mut findings: Vec<String> = Vec::new();
        let mut finding_index: HashMap<String, u32> = HashMap::new();
        let mut offerings: Vec<Vec<Vec<StoredResult>>> = Vec::new();
        for per_request in fresh.results {
            let mut results = Vec::new();
            for request in per_request {
                let mut stored = Vec::new();
                for mut result in request {
                    let taken = std::mem::take(&mut result.findings);
                    let mut ids = Vec::with_capacity(taken.len());
                    for finding in &taken {
                        let cited: Vec<u32> = finding
                            .evidence
                            .iter()
                            .map(|e| {
                                *evidence_index.entry(Arc::as_ptr(e)).or_insert_with(|| {
                                    evidence.push(Arc::clone(e));
                                    (evidence.len() - 1) as u32
                                })
                            })
                            .collect();
                        let text = serde_json::to_string(&StoredFindingRef {
                            finding: FindingFields(finding),
                            evidence: &cited,
                            about: finding.about.as_deref(),
                        })
                        .ok()?;
                        let next = findings.len() as u32;
                        let id = *finding_index.entry(text).or_insert_with_key(|text| {
                            findings.push(text.clone());
                            next
                        });
                        ids.push(id);
                    }
                    stored.push(StoredResult {
                        result,
                        findings: ids,
                    });
                }
                results.push(stored);
            }
            offerings.push(results);
        }
        let providers: BTreeMap<String, String> = fresh
            .providers
            .vendors
            .iter()
            .map(|(dir, print)| (dir.clone(), hex(print)))
            .collect();
        let mut out = Vec::new();
        out.extend_from_slice(b"{\"problems\":");
        serde_json::to_writer(&mut out, &fresh.problems).ok()?;
        out.extend_from_slice(b",\"unverified\":");
        serde_json::to_writer(&mut out, &fresh.unverified).ok()?;
        out.extend_from_slice(b",\"summary\":");
        serde_json::to_writer(&mut out, &fresh.summary).ok()?;
        out.extend_from_slice(b",\"providers\":");
        serde_json::to_writer(&mut out, &providers).ok()?;
        out.extend_from_slice(b",\"evidence\":");
        serde_json::to_writer(&mut out, &evidence).ok()?;
        out.extend_from_slice(b",\"findings\":[");
        for (i, f) in findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(f.as_bytes());
        }
        out.extend_from_slice(b"],\"offerings\":[");
        for (i, o) in offerings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"results\":");
            serde_json::to_writer(&mut out, o).ok()?;
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
        Some(out)
    }

    /// The entry as the stream uses it; None when its shape does not fit the run (never
    /// trusted: a mismatch is a miss).
    fn unpack(self, classes: &[usize]) -> Option<Stored> {
        if self.summary.as_ref().map_or(0, |s| s.offerings) != self.offerings.len() {
            return None;
        }
        let evidence: Vec<Arc<Evidence>> = self.evidence.into_iter().map(Arc::new).collect();
        let mut findings = Vec::with_capacity(self.findings.len());
        for StoredFinding {
            mut finding,
            evidence: cited,
            about,
        } in self.findings
        {
            finding.about = about;
            finding.evidence = cited
                .iter()
                .map(|i| evidence.get(*i as usize).cloned())
                .collect::<Option<Vec<_>>>()?;
            findings.push(finding);
        }
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
                    findings: ids,
                } in request
                {
                    result.findings = ids
                        .iter()
                        .map(|i| findings.get(*i as usize).cloned())
                        .collect::<Option<Vec<_>>>()?;
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

/// The bytes of a vendor's entry in a rendered form (None when it is not to be stored).
fn pack_rendered(fresh: Fresh) -> Option<Vec<u8>> {
    if fresh.failed || fresh.providers.tainted || fresh.remaining != 0 {
        return None;
    }
    let mut out = Out::default();
    out.notes(&fresh.notes.problems)
        .notes(&fresh.notes.unverified)
        .notes(&fresh.notes.superseded);
    match &fresh.summary {
        Some(s) => out.u32(1).len(s.offerings).len(s.claims).len(s.verified),
        None => out.u32(0),
    };
    out.len(fresh.providers.vendors.len());
    for (dir, print) in &fresh.providers.vendors {
        out.str(dir).str(&hex(print));
    }
    out.len(fresh.rendered.len());
    for per_request in &fresh.rendered {
        out.len(per_request.len());
        for r in per_request {
            out.rendered(r.as_deref()?);
        }
    }
    Some(out.0)
}

/// A vendor's entry in a rendered form, and the provider folders' fingerprints it recorded;
/// None when it does not read whole or its shape does not fit the run (`classes`: results per
/// offering of each request).
fn read_rendered(
    bytes: &[u8],
    classes: &[usize],
) -> Option<(StoredRendered, BTreeMap<String, String>)> {
    let mut input = In(bytes);
    let notes = Notes {
        problems: input.notes()?,
        unverified: input.notes()?,
        superseded: input.notes()?,
    };
    let summary = match input.u32()? {
        0 => None,
        1 => Some(ProfileSummary {
            offerings: input.len()?,
            claims: input.len()?,
            verified: input.len()?,
            superseded: Vec::new(),
        }),
        _ => return None,
    };
    let mut providers = BTreeMap::new();
    for _ in 0..input.count(16)? {
        providers.insert(input.string()?, input.string()?);
    }
    let n = input.count(8)?;
    if summary.as_ref().map_or(0, |s| s.offerings) != n {
        return None;
    }
    let mut offerings = Vec::with_capacity(n);
    for _ in 0..n {
        if input.len()? != classes.len() {
            return None;
        }
        let mut per_request = Vec::with_capacity(classes.len());
        for cells in classes {
            let r = input.rendered()?;
            if r.cells.len() != *cells {
                return None;
            }
            per_request.push(Arc::new(r));
        }
        offerings.push(per_request);
    }
    if !input.is_empty() {
        return None;
    }
    Some((
        StoredRendered {
            notes,
            summary,
            offerings,
        },
        providers,
    ))
}

/// Cited facts as the JSON object `Finding` reads back.
struct Facts<'a>(&'a [(String, serde_json::Value)]);

impl Serialize for Facts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

/// A finding as [`StoredFinding`] is read back, written from a borrowed finding.
#[derive(Serialize)]
struct StoredFindingRef<'a> {
    finding: FindingFields<'a>,
    evidence: &'a [u32],
    about: Option<&'a str>,
}

/// A finding's fields without its evidence (stored by index beside it).
struct FindingFields<'a>(&'a Finding);

impl Serialize for FindingFields<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let f = self.0;
        let mut st = s.serialize_struct("Finding", 8)?;
        st.serialize_field("rule", &f.rule)?;
        st.serialize_field("level", &f.level)?;
        st.serialize_field("message", &f.message)?;
        st.serialize_field("action", &f.action)?;
        st.serialize_field("waived", &f.waived)?;
        st.serialize_field("refs", &f.refs)?;
        st.serialize_field("facts", &Facts(&f.facts))?;
        st.serialize_field("evidence", &[] as &[Evidence])?;
        st.serialize_field("raised_at", &f.raised_at)?;
        st.end()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Level, Verdict};

    fn finding(rule: &str, evidence: &Arc<Evidence>) -> Finding {
        Finding {
            rule: rule.into(),
            level: Level::Hold,
            message: format!("{rule} says so"),
            action: Some("Ask the vendor.".into()),
            waived: None,
            refs: Arc::new(["GDPR Art. 28(3)(a)".to_string()]),
            facts: vec![("dpa".into(), serde_json::Value::Bool(true))],
            evidence: vec![Arc::clone(evidence)],
            raised_at: format!("scripts/{rule}.rhai:3"),
            about: None,
        }
    }

    fn result(class: &str, findings: Vec<Finding>) -> OfferingResult {
        OfferingResult {
            vendor: "example".into(),
            vendor_name: "Example".into(),
            offering: "api".into(),
            offering_name: "API".into(),
            tier: "api".into(),
            vendor_notes: None,
            offering_notes: None,
            classification: class.into(),
            tags: vec![],
            verdict: Verdict::of(&findings),
            findings,
            errors: vec![],
            decision: None,
        }
    }

    /// A vendor of one offering at two classifications that share a finding.
    fn packed() -> (Vec<u8>, Vec<OfferingResult>) {
        let evidence: Arc<Evidence> = Arc::new(
            serde_json::from_value(serde_json::json!({
                "fact": "dpa", "source": "terms", "authority": "contract",
                "title": "Terms", "url": null, "section": null,
                "quote": "We sign a DPA.", "at": "vendors/example/profile.yaml:9:11",
                "value": true, "role": "decides"
            }))
            .expect("evidence"),
        );
        let shared = finding("dpa-required", &evidence);
        let results = vec![
            result("public", vec![shared.clone()]),
            result(
                "confidential",
                vec![finding("retention-limit", &evidence), shared],
            ),
        ];
        let summary = ProfileSummary {
            offerings: 1,
            claims: 1,
            verified: 1,
            superseded: vec![],
        };
        let key = Hasher::new("test").key();
        let mut fresh = Fresh::new("example", key, vec![], vec![], Some(summary), 1);
        for r in &results {
            fresh.add(0, 0, r);
        }
        fresh.remaining = 0;
        (Entry::pack(fresh).expect("stored"), results)
    }

    fn read(bytes: &[u8]) -> Option<Stored> {
        serde_json::from_slice::<Entry>(bytes).ok()?.unpack(&[2])
    }

    #[test]
    fn an_entry_holds_each_finding_once_and_reads_back_the_same_results() {
        let (bytes, results) = packed();
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert_eq!(text.matches("dpa-required says so").count(), 1, "{text}");
        assert_eq!(text.matches("We sign a DPA.").count(), 1, "{text}");
        let stored = read(&bytes).expect("a sound entry");
        let back = &stored.offerings[0][0];
        assert_eq!(
            serde_json::to_value(back).expect("json"),
            serde_json::to_value(&results).expect("json")
        );
        // The findings read back share their evidence, as evaluated ones do.
        assert!(Arc::ptr_eq(
            &back[1].findings[0].evidence[0],
            &back[1].findings[1].evidence[0]
        ));
    }

    #[test]
    fn an_entry_whose_indexes_do_not_resolve_is_a_miss() {
        let (bytes, _) = packed();
        let text = String::from_utf8(bytes).expect("utf-8");
        // A result citing a finding the entry does not hold, a finding citing evidence it
        // does not hold, a shape that does not fit the run.
        let dangling_finding = text.replacen("\"findings\":[1,0]", "\"findings\":[7,0]", 1);
        assert_ne!(dangling_finding, text);
        assert!(read(dangling_finding.as_bytes()).is_none());
        let dangling_evidence = text.replacen("\"evidence\":[0]", "\"evidence\":[3]", 1);
        assert_ne!(dangling_evidence, text);
        assert!(read(dangling_evidence.as_bytes()).is_none());
        assert!(
            serde_json::from_slice::<Entry>(text.as_bytes())
                .expect("entry")
                .unpack(&[3])
                .is_none()
        );
        assert!(read(text.as_bytes()).is_some());
    }
}
