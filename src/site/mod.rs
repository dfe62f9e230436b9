//! `diligence site`: a static review site, browsed from the verdict matrix down to the
//! highlighted clause of the archived document a finding cites.
//!
//! The site is written as the one evaluation stream hands over its results: each offering's
//! page as soon as its results are in, each vendor's document pages (its snapshots with every
//! quoted passage highlighted, and the history of each document with older versions) once its
//! last offering is done. Only a small summary per offering is kept for the index (the matrix
//! and the decision register), and the search index is appended to as offerings pass, so memory
//! does not grow with the pages.
//!
//! Layout (every link relative, so the folder works from `file://` and from any web server):
//! `index.html`, `site.css`, `site.js`, `search-index.js`, `o/<vendor>/<offering>.html`,
//! `s/<vendor>/<snapshot>.html`, `h/<vendor>/<source>.html`.

mod document;
mod index;
mod pages;
mod vendor;

use crate::diag::Diagnostic;
use crate::engine::RuleSet;
use crate::evaluation::Read;
use crate::evaluation::{self, Handler, Offerings, Request, Stop};
use crate::model::profile::Profile;
use crate::outcome::{OfferingResult, Verdict};
use crate::report::writer::Error;
use crate::workspace::Workspace;
use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What every page of a run shares.
pub(crate) struct Setup<'a> {
    pub ws: &'a Workspace,
    pub request: &'a Request<'a>,
    /// The workspace's folder name and git commit, as the HTML report shows it.
    pub workspace: String,
    /// Told the problems of each batch of profiles as it is read (unverified quotes do not
    /// stop the review), so that they are said as they come rather than kept.
    pub on_read: &'a dyn Fn(Vec<Diagnostic>),
}

/// What a run found besides the pages: rules that failed (their cells show `error`) and the
/// warnings of the run (expired waivers, changed snapshots, decision registers with errors).
#[derive(Default)]
pub(crate) struct Written {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub notes: Vec<String>,
    pub pages: usize,
}

/// One offering as the index shows it.
#[derive(Default)]
pub(crate) struct Summary {
    pub vendor: String,
    pub vendor_name: String,
    pub offering: String,
    pub offering_name: String,
    /// The results reduced to what the matrix shows (no findings, no evidence).
    pub cells: Vec<OfferingResult>,
    pub rules: Vec<String>,
}

/// Writes the site into `dir` (an empty folder), evaluating `offerings` with `rules`.
pub(crate) fn write(
    setup: &Setup,
    rules: &RuleSet,
    offerings: Offerings,
    given: Vec<Arc<Profile>>,
    dir: &Path,
) -> Result<Written, Error> {
    let mut site = Site {
        setup,
        dir: dir.to_path_buf(),
        pending: given.into(),
        vendor: None,
        index: index::Index::create(dir)?,
        search: pages::SearchIndex::create(dir)?,
        written: Written::default(),
        warned: std::collections::HashSet::new(),
    };
    pages::write_assets(dir)?;
    let run = evaluation::stream(
        rules,
        std::slice::from_ref(setup.request),
        offerings,
        &mut site,
    );
    let summary = match run {
        Ok(summaries) => summaries.into_iter().next().unwrap_or_default(),
        Err(Stop::Load(errors)) => return Err(Error::Invalid(errors)),
        Err(Stop::Handler(e)) => return Err(e),
    };
    site.finish_vendor()?;
    while let Some(p) = site.pending.pop_front() {
        site.start_vendor(p)?;
        site.finish_vendor()?;
    }
    site.search.finish()?;
    let page = pages::index(
        setup,
        &site.index.kept,
        &summary.warnings,
        &setup.request.classes,
    );
    site.index
        .write(&page.into_string(), &dir.join("index.html"))?;
    let mut written = site.written;
    written.pages += 1;
    written.errors = summary.errors;
    written.warnings = summary.warnings;
    Ok(written)
}

struct Site<'a> {
    setup: &'a Setup<'a>,
    dir: PathBuf,
    /// Profiles read and not yet written, in workspace order.
    pending: VecDeque<Arc<Profile>>,
    /// The vendor whose offerings are being written.
    vendor: Option<vendor::Vendor>,
    /// The index's rows so far (on disk).
    index: index::Index,
    search: pages::SearchIndex,
    written: Written,
    warned: std::collections::HashSet<String>,
}

impl Site<'_> {
    fn start_vendor(&mut self, profile: Arc<Profile>) -> Result<(), Error> {
        self.vendor = Some(vendor::Vendor::open(self.setup, profile));
        Ok(())
    }

    /// Writes the current vendor's last offering and its documents.
    fn finish_vendor(&mut self) -> Result<(), Error> {
        if let Some(mut v) = self.vendor.take() {
            self.finish_offering(&mut v)?;
            self.written.pages += v.write_documents(self.setup, &self.dir)?;
        }
        Ok(())
    }

    fn finish_offering(&mut self, v: &mut vendor::Vendor) -> Result<(), Error> {
        let Some(done) = v.take_offering() else {
            return Ok(());
        };
        let page = v.write_offering(self.setup, &self.dir, done, &mut self.search)?;
        self.written.pages += 1;
        self.index
            .offering(&page.summary, &self.setup.request.classes)?;
        self.index.decisions(&page.decisions)?;
        for w in page.warnings {
            if self.warned.insert(w.clone()) {
                self.written.notes.push(w);
            }
        }
        Ok(())
    }
}

impl Handler for Site<'_> {
    type Error = Error;

    fn read(&mut self, read: &mut Read) -> Result<(), Error> {
        self.pending.extend(read.profiles.iter().cloned());
        // Unverified quotes do not stop the review (as with evaluate).
        (self.setup.on_read)(
            std::mem::take(&mut read.problems)
                .into_iter()
                .chain(read.unverified.drain(..).map(Diagnostic::into_warning))
                .collect(),
        );
        Ok(())
    }

    fn result(&mut self, _: usize, result: OfferingResult) -> Result<(), Error> {
        let same_vendor = self
            .vendor
            .as_ref()
            .is_some_and(|v| v.profile.id == result.vendor);
        if !same_vendor {
            self.finish_vendor()?;
            // Profiles before this one had no result (no offering selected): their documents
            // are written all the same, so that nothing read is left out.
            while let Some(p) = self.pending.pop_front() {
                if p.id == result.vendor {
                    self.start_vendor(p)?;
                    break;
                }
                self.start_vendor(p)?;
                self.finish_vendor()?;
            }
        }
        let Some(mut v) = self.vendor.take() else {
            return Err(Error::Invalid(vec![
                Diagnostic::error(format!(
                    "no profile was read for vendor `{}`",
                    result.vendor
                ))
                .hint("this is a bug in diligence: please report it with the workspace"),
            ]));
        };
        if v.offering_id() != Some(result.offering.as_str()) {
            self.finish_offering(&mut v)?;
        }
        v.push(result);
        self.vendor = Some(v);
        Ok(())
    }
}

/// The verdicts of a summary's cells, as the matrix filter reads them: `class=verdict`.
pub(crate) fn verdict_tokens(s: &Summary) -> String {
    s.cells
        .iter()
        .map(|r| format!("{}={}", r.classification, r.verdict.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The worst verdict of a summary.
pub(crate) fn worst(s: &Summary) -> Option<Verdict> {
    s.cells.iter().map(|r| r.verdict).max()
}

/// Creates a file of the site (and its folder), buffered.
pub(crate) fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(std::io::BufWriter::new(std::fs::File::create(path)?))
}

/// Flushes a file of the site.
pub(crate) fn close(mut w: std::io::BufWriter<std::fs::File>) -> Result<(), Error> {
    w.flush()?;
    Ok(())
}
