//! The profiles of a workspace read a few at a time, in workspace order, or taken from the
//! results cache: what the one evaluation stream (`stream`) evaluates batch by batch.

use crate::diag::Diagnostic;
use crate::model::profile::{Offering, Profile};
use crate::workspace::{ProfileSummary, Workspace, load_one};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::sync::Arc;

/// Vendor folders read together (in parallel) when a [`ProfileStream`] needs more offerings.
/// Fixed, so that which problems a broken workspace reports never depends on the machine.
const READ_AHEAD: usize = 32;

/// The profiles of a workspace read a few at a time, in workspace order, for a run that must
/// not hold the whole portfolio in memory (`evaluate --format jsonl|csv|sarif`, `check`): each batch
/// of offerings is read, evaluated, written and dropped. Each profile gets the checks
/// [`Workspace::load`] gives it (its evidence, its audiences against every policy). With a
/// results cache, a vendor whose files and run are unchanged is not read at all: its problems
/// and results come from the cache.
pub struct ProfileStream<'w> {
    ws: &'w Workspace,
    dirs: std::vec::IntoIter<String>,
    /// Offerings read and not yet handed out.
    pending: VecDeque<StreamCell>,
    /// What was read since the last batch was handed out.
    read: Read,
    cache: Option<&'w crate::evaluation::cached::CacheUse<'w>>,
    /// Vendors read (not from the cache) since the last batch, to be stored once evaluated.
    fresh: Vec<crate::evaluation::cached::Fresh>,
}

/// Profiles read, and what reading them found.
#[derive(Default)]
pub struct Read {
    /// The profiles read from their files (not those whose results came from the cache), in
    /// workspace order.
    pub profiles: Vec<Arc<Profile>>,
    /// What each profile read holds, in workspace order.
    pub summaries: Vec<ProfileSummary>,
    /// Problems of the profiles (errors and warnings), as [`Workspace::problems`] has them.
    pub problems: Vec<Diagnostic>,
    /// What their evidence checks found, as [`Workspace::unverified`] has it.
    pub unverified: Vec<Diagnostic>,
    /// In a run whose command takes vendors rendered (`evaluation::rendered`), every vendor's
    /// problems, unverified quotes and superseded citations are here instead, rendered (its
    /// summaries then hold no superseded citations). The problems of chains are still among
    /// `problems`, after the vendors' own.
    pub notes: crate::evaluation::rendered::Notes,
}

/// One offering of a stream: read with its profile, or its results read from the cache.
pub(crate) enum StreamCell {
    Read(Arc<Profile>, usize),
    /// Each request's results of the offering (one per classification), and the vendor
    /// folder to read should the run need the profile after all.
    Stored {
        dir: Arc<str>,
        offering: usize,
        results: Vec<Vec<crate::outcome::OfferingResult>>,
    },
    /// Each request's results of the offering read from the cache, rendered.
    Rendered {
        dir: Arc<str>,
        offering: usize,
        results: Vec<Arc<crate::evaluation::rendered::Rendered>>,
    },
}

/// Offerings handed out by a [`ProfileStream`], with the profiles read for them.
pub struct StreamBatch {
    pub(crate) cells: Vec<StreamCell>,
    pub read: Read,
    /// Vendors read for this batch (not from the cache), to be stored once evaluated.
    pub(crate) fresh: Vec<crate::evaluation::cached::Fresh>,
}

impl StreamBatch {
    /// The batch's (profile, offering) pairs read with their profiles, in workspace order.
    pub fn offerings(&self) -> Vec<(&Profile, &Offering)> {
        self.cells
            .iter()
            .filter_map(|c| match c {
                StreamCell::Read(p, i) => Some((p.as_ref(), &p.offerings[*i])),
                StreamCell::Stored { .. } | StreamCell::Rendered { .. } => None,
            })
            .collect()
    }
}

impl<'w> ProfileStream<'w> {
    /// The profiles of `ws`'s vendor folders that `keep` accepts (by vendor id).
    pub fn new(ws: &'w Workspace, keep: impl Fn(&str) -> bool) -> ProfileStream<'w> {
        let dirs: Vec<String> = ws.vendor_dirs.iter().filter(|d| keep(d)).cloned().collect();
        ProfileStream {
            ws,
            dirs: dirs.into_iter(),
            pending: VecDeque::new(),
            read: Read::default(),
            cache: None,
            fresh: Vec::new(),
        }
    }

    /// Reads through `cache`: a vendor whose entry is there is not read.
    pub(crate) fn with_cache(
        mut self,
        cache: Option<&'w crate::evaluation::cached::CacheUse<'w>>,
    ) -> ProfileStream<'w> {
        self.cache = cache;
        self
    }

    /// Reads every vendor from now on (the run stopped a rule, which the cached results did
    /// not know).
    pub(crate) fn stop_using_cache(&mut self) {
        self.cache = None;
    }

    /// The workspace the stream reads.
    pub(crate) fn workspace(&self) -> &'w Workspace {
        self.ws
    }

    /// The next `size` offerings (fewer at the end), with what was read for them; None once
    /// every profile was read and handed out. A profile that does not load has no offerings,
    /// only its problems.
    pub fn next_batch(&mut self, size: usize) -> Option<StreamBatch> {
        while self.pending.len() < size {
            let group: Vec<String> = self.dirs.by_ref().take(READ_AHEAD).collect();
            if group.is_empty() {
                break;
            }
            self.read_group(&group);
        }
        let read = std::mem::take(&mut self.read);
        let fresh = std::mem::take(&mut self.fresh);
        if self.pending.is_empty()
            && read.summaries.is_empty()
            && read.problems.is_empty()
            && read.notes.problems.is_empty()
            && fresh.is_empty()
        {
            return None;
        }
        let take = size.min(self.pending.len());
        Some(StreamBatch {
            cells: self.pending.drain(..take).collect(),
            read,
            fresh,
        })
    }

    fn read_group(&mut self, group: &[String]) {
        use crate::evaluation::cached::{Fresh, Looked};
        use crate::evaluation::rendered::{Form, Notes};
        let root = &self.ws.root;
        let cache = self.cache;
        let form = cache.map_or(Form::Results, |c| c.form);
        let looked: Vec<(Looked, Option<Notes>)> = group
            .par_iter()
            .map(|dir| {
                let looked = match cache {
                    Some(c) => c.look(root, dir, &self.ws.policies),
                    None => Looked::Read {
                        loaded: Box::new(load_one(root, dir, &self.ws.policies)),
                        key: None,
                    },
                };
                // Rendered here, in parallel, for the command and the cache alike.
                let notes = match (&looked, form) {
                    (_, Form::Results) => None,
                    (Looked::Read { loaded, .. }, _) => {
                        let (profile, problems, unverified) = loaded.as_ref();
                        // A profile that does not load stops `evaluate`, which then says its
                        // errors as they are: such a vendor is not rendered, nor stored.
                        let stops = form == Form::JsonlV3 && problems.iter().any(|d| d.is_error());
                        let superseded = profile
                            .as_ref()
                            .map(|p| ProfileSummary::of(p).superseded)
                            .unwrap_or_default();
                        (!stops).then(|| Notes::of(problems, unverified, &superseded, form, root))
                    }
                    _ => None,
                };
                (looked, notes)
            })
            .collect();
        for (dir, (looked, notes)) in group.iter().zip(looked) {
            match looked {
                Looked::Read { loaded, key } => {
                    let (profile, problems, unverified) = *loaded;
                    let mut summary = profile.as_ref().map(ProfileSummary::of);
                    let key = match &notes {
                        Some(notes) => {
                            // Said rendered; the summary's citations are among the notes.
                            self.read.notes.extend(notes.clone());
                            if let Some(s) = &mut summary {
                                s.superseded.clear();
                            }
                            key
                        }
                        None => {
                            self.read.problems.extend(problems.iter().cloned());
                            self.read.unverified.extend(unverified.iter().cloned());
                            // Not rendered in a rendered form: not stored.
                            key.filter(|_| form == Form::Results)
                        }
                    };
                    if let Some(s) = &summary {
                        self.read.summaries.push(s.clone());
                    }
                    if let Some(key) = key {
                        self.fresh.push(
                            Fresh::new(
                                dir,
                                key,
                                problems,
                                unverified,
                                summary,
                                profile.as_ref().map_or(0, |p| p.offerings.len()),
                            )
                            .with_notes(notes.unwrap_or_default()),
                        );
                    }
                    let Some(p) = profile else { continue };
                    let p = Arc::new(p);
                    self.read.profiles.push(Arc::clone(&p));
                    self.pending.extend(
                        (0..p.offerings.len()).map(|i| StreamCell::Read(Arc::clone(&p), i)),
                    );
                }
                Looked::Stored(stored) => {
                    let dir: Arc<str> = Arc::from(dir.as_str());
                    let stored = *stored;
                    self.read.problems.extend(stored.problems);
                    self.read.unverified.extend(stored.unverified);
                    if let Some(s) = stored.summary {
                        self.read.summaries.push(s);
                    }
                    for (offering, results) in stored.offerings.into_iter().enumerate() {
                        self.pending.push_back(StreamCell::Stored {
                            dir: Arc::clone(&dir),
                            offering,
                            results,
                        });
                    }
                }
                Looked::Rendered(stored) => {
                    let dir: Arc<str> = Arc::from(dir.as_str());
                    let stored = *stored;
                    self.read.notes.extend(stored.notes);
                    if let Some(s) = stored.summary {
                        self.read.summaries.push(s);
                    }
                    for (offering, results) in stored.offerings.into_iter().enumerate() {
                        self.pending.push_back(StreamCell::Rendered {
                            dir: Arc::clone(&dir),
                            offering,
                            results,
                        });
                    }
                }
            }
        }
    }
}
