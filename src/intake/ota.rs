//! Open Terms Archive versions repositories: `<Service>/<Terms type>.md`, one commit per
//! recorded version, the commit date being the day the archive recorded it. Subjects say what a
//! commit is: "First record of ...", "Record new changes of ...", or "Apply technical or
//! declaration upgrade on ..." (a re-extraction, not a change at the source).
//!
//! Git is driven through the `git` binary (read-only commands: `log`, `ls-tree`, `show`): it is on
//! every machine that has a clone, and it reads any repository format the user's git wrote. A
//! clone is received data: [`crate::git`] runs git so that the clone's configuration never
//! chooses a program (a `gpg.program` with `log.showSignature`, a pager, a diff driver).

use crate::diag::{Diagnostic, did_you_mean};
use jiff::civil::Date;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// The source fields that record where an archived version came from.
pub const PROVENANCE_FIELDS: [&str; 4] = [
    "archive_repository",
    "archive_path",
    "archive_commit",
    "archive_recorded",
];

/// The licence notice every snapshot from the archive keeps.
pub const ATTRIBUTION: &str = "These documents are archived versions from Open Terms Archive, © Open Terms Archive contributors, licensed under the Open Data Commons Attribution License ODC-BY 1.0 (https://opendatacommons.org/licenses/by/1-0/).";

/// One recorded version of a document.
#[derive(Debug, Clone)]
pub struct Version {
    pub commit: String,
    /// The commit date as git reports it (ISO 8601 with offset).
    pub recorded_at: String,
    /// The recording day, in UTC.
    pub date: Date,
    pub subject: String,
}

impl Version {
    /// "first record", "change" or "technical upgrade" (a re-extraction by the archive).
    pub fn kind(&self) -> &'static str {
        if self.subject.starts_with("First record of") {
            "first record"
        } else if self
            .subject
            .starts_with("Apply technical or declaration upgrade")
        {
            "technical upgrade"
        } else {
            "change"
        }
    }
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(10)]
    }
}

pub struct Repo {
    pub path: PathBuf,
    git: RefCell<crate::git::Repo>,
}

fn not_a_repo(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "{} is not an Open Terms Archive versions repository: {why}",
        path.display()
    ))
    .hint("clone a versions repository first, e.g. `git clone https://github.com/OpenTermsArchive/<collection>-versions`, and pass its folder with --repo")
}

impl Repo {
    /// Opens a local clone, checking that its history records versions.
    pub fn open(path: &Path) -> Result<Repo, Diagnostic> {
        if !path.is_dir() {
            return Err(not_a_repo(path, "no such folder"));
        }
        let git = crate::git::Repo::open(path).map_err(|e| not_a_repo(path, &e))?;
        let repo = Repo {
            path: path.to_path_buf(),
            git: RefCell::new(git),
        };
        let subjects = repo
            .git(&[
                "log",
                "--no-show-signature",
                "--format=%s",
                "-n",
                "500",
                "HEAD",
            ])
            .map_err(|e| not_a_repo(path, &e))?;
        let records = subjects
            .lines()
            .any(|s| s.starts_with("First record of ") || s.starts_with("Record new changes of "));
        if !records {
            return Err(not_a_repo(
                path,
                "no commit records a version (\"First record of ...\", \"Record new changes of ...\")",
            ));
        }
        Ok(repo)
    }

    fn git(&self, args: &[&str]) -> Result<String, String> {
        self.git.borrow_mut().run(args)
    }

    /// Where the repository came from: its `origin` address, else its folder name.
    pub fn name(&self) -> String {
        match self.git.borrow_mut().config_value("remote.origin.url") {
            Some(url) if crate::intake::fetch::is_url(&url) => url,
            _ => self
                .path
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| self.path.display().to_string()),
        }
    }

    fn tree(&self, under: Option<&str>) -> Vec<String> {
        let mut args = vec!["ls-tree", "-z", "--name-only", "HEAD"];
        let prefix;
        if let Some(u) = under {
            prefix = format!("{u}/");
            args.push("--");
            args.push(&prefix);
        }
        self.git(&args)
            .map(|out| {
                out.split('\0')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The services: top-level folders.
    pub fn services(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tree(None)
            .into_iter()
            .filter(|n| !n.starts_with('.') && self.path.join(n).is_dir())
            .collect();
        names.sort();
        names
    }

    /// The documents (terms types) of a service.
    pub fn documents(&self, service: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .tree(Some(service))
            .into_iter()
            .filter_map(|p| {
                p.strip_prefix(&format!("{service}/"))?
                    .strip_suffix(".md")
                    .map(str::to_string)
            })
            .collect();
        names.sort();
        names
    }

    /// Checks that `service/document` exists; an error lists what does.
    pub fn document_path(&self, service: &str, document: &str) -> Result<String, Diagnostic> {
        let services = self.services();
        if !services.iter().any(|s| s == service) {
            return Err(Diagnostic::error(format!(
                "service `{service}` is not in {}",
                self.path.display()
            ))
            .hint(format!(
                "{}services present: {}",
                did_you_mean(service, services.iter().map(String::as_str))
                    .map(|h| format!("{h} "))
                    .unwrap_or_default(),
                services.join(", ")
            )));
        }
        let documents = self.documents(service);
        if !documents.iter().any(|d| d == document) {
            return Err(Diagnostic::error(format!(
                "service `{service}` has no document `{document}`"
            ))
            .hint(format!(
                "{}documents of {service}: {}",
                did_you_mean(document, documents.iter().map(String::as_str))
                    .map(|h| format!("{h} "))
                    .unwrap_or_default(),
                documents.join(", ")
            )));
        }
        Ok(format!("{service}/{document}.md"))
    }

    /// Every recorded version of a document, oldest first.
    pub fn versions(&self, path: &str) -> Result<Vec<Version>, Diagnostic> {
        let out = self
            .git(&[
                "log",
                "--no-show-signature",
                "--no-textconv",
                "--no-ext-diff",
                "--format=%H%x1f%cI%x1f%s",
                "HEAD",
                "--",
                path,
            ])
            .map_err(|e| {
                Diagnostic::error(format!("cannot read the history of {path}: {e}"))
                    .hint("check that --repo is a complete clone (not shallow)")
            })?;
        let mut versions = Vec::new();
        for line in out.lines() {
            let mut parts = line.splitn(3, '\x1f');
            let (Some(commit), Some(when), Some(subject)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let Ok(ts) = when.parse::<jiff::Timestamp>() else {
                continue;
            };
            versions.push(Version {
                commit: commit.to_string(),
                recorded_at: when.to_string(),
                date: ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(),
                subject: subject.to_string(),
            });
        }
        versions.reverse();
        Ok(versions)
    }

    /// The text of a document as one commit recorded it.
    pub fn read(&self, commit: &str, path: &str) -> Result<String, Diagnostic> {
        self.git(&[
            "show",
            "--no-textconv",
            "--no-ext-diff",
            &format!("{commit}:{path}"),
        ])
        .map_err(|e| Diagnostic::error(format!("cannot read {path} at {commit}: {e}")))
    }
}

/// The version in force on `date`: the last one recorded that day or before.
pub fn version_at<'v>(
    versions: &'v [Version],
    date: Date,
    path: &str,
) -> Result<&'v Version, Diagnostic> {
    versions
        .iter()
        .rev()
        .find(|v| v.date <= date)
        .ok_or_else(|| {
            let first = versions
                .first()
                .map_or("never".to_string(), |v| v.date.to_string());
            Diagnostic::error(format!(
                "--at {date} is before the first record of {path} (first recorded {first})"
            ))
            .hint(format!(
                "give a date on or after {first}, or leave --at out for the latest version"
            ))
        })
}

/// The authority a document type usually has (the user can say otherwise with --authority).
pub fn default_authority(document: &str) -> &'static str {
    let d = document.to_ascii_lowercase();
    if d.contains("data processor") || d.contains("data processing") || d.contains("dpa") {
        "dpa"
    } else if d.contains("terms") || d.contains("agreement") {
        "contract"
    } else if d.contains("policy") || d.contains("guidelines") {
        "policy"
    } else {
        "docs"
    }
}

/// Adds lines to the vendor's NOTICE.md (creating it with the archive's attribution); lines
/// already there are not repeated. Returns the new text, or None when nothing changes.
pub fn notice_text(old: Option<&str>, lines: &[String]) -> Option<String> {
    let mut text = old.map_or_else(
        || "# Notice: archived source documents\n\nDocuments under `sources/`:\n\n".to_string(),
        str::to_string,
    );
    let before = text.clone();
    let mut list = String::new();
    for l in lines {
        if !text.contains(l.as_str()) && !list.contains(l.as_str()) {
            list.push_str(l);
            list.push('\n');
        }
    }
    if !list.is_empty() {
        // New lines go after the last list item, else at the end.
        match text.rfind("\n- ") {
            Some(i) => {
                let end = text[i + 1..]
                    .find('\n')
                    .map_or(text.len(), |e| i + 1 + e + 1);
                text.insert_str(end.min(text.len()), &list);
            }
            None => {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&list);
            }
        }
    }
    if !text.contains("ODC-BY") {
        text.push_str(&format!("\n{ATTRIBUTION}\n"));
    }
    (text != before).then_some(text)
}

pub fn notice_line(rel: &str, path: &str, v: &Version, repository: &str) -> String {
    format!(
        "- `{rel}`: Open Terms Archive document \"{}\", recorded {} (commit {}) in {repository}",
        path.trim_end_matches(".md"),
        v.recorded_at,
        v.short()
    )
}

/// Archived versions with where each went, and the files newly written (for [`undo`]).
pub type Archived = (Vec<(Version, crate::intake::Stored)>, Vec<PathBuf>);

/// Archives versions of a document (oldest first) as `sources/<source>.<recorded day>.md`,
/// reusing a file that already holds the same text. Returns each version with where it went and
/// the files newly written (for [`undo`]).
pub fn archive_versions(
    repo: &Repo,
    path: &str,
    versions: &[&Version],
    vendor_dir: &Path,
    source: &str,
) -> Result<Archived, Diagnostic> {
    let mut done = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    for v in versions {
        let text = match repo.read(&v.commit, path) {
            Ok(t) => t,
            Err(e) => {
                undo(&written);
                return Err(e);
            }
        };
        let stored = crate::intake::plan_snapshot(vendor_dir, source, v.date, &text);
        if let Err(e) = crate::intake::write_snapshot(vendor_dir, &stored, &text) {
            undo(&written);
            return Err(e);
        }
        if stored.new {
            written.push(vendor_dir.join(&stored.rel));
        }
        done.push(((*v).clone(), stored));
    }
    Ok((done, written))
}

/// Removes files written by a command that then failed.
pub fn undo(written: &[PathBuf]) {
    for p in written {
        let _ = std::fs::remove_file(p);
    }
}

/// Adds the archived versions to NOTICE.md; returns the old text (to restore on failure).
pub fn write_notice(
    vendor_dir: &Path,
    lines: &[String],
) -> Result<Option<Option<String>>, Diagnostic> {
    let path = vendor_dir.join("NOTICE.md");
    let old = std::fs::read_to_string(&path).ok();
    match notice_text(old.as_deref(), lines) {
        Some(new) => {
            crate::intake::write_atomically(&path, &new)?;
            Ok(Some(old))
        }
        None => Ok(None),
    }
}

/// Puts NOTICE.md back as it was before [`write_notice`].
pub fn restore_notice(vendor_dir: &Path, old: Option<Option<String>>) {
    let path = vendor_dir.join("NOTICE.md");
    match old {
        Some(Some(text)) => {
            let _ = crate::intake::write_atomically(&path, &text);
        }
        Some(None) => {
            let _ = std::fs::remove_file(path);
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_keeps_existing_text_and_adds_the_attribution_once() {
        let new = notice_text(None, &["- `sources/a.md`: x".into()]).unwrap();
        assert!(new.contains("- `sources/a.md`: x\n"));
        assert!(new.contains("ODC-BY 1.0"));
        assert_eq!(
            notice_text(Some(&new), &["- `sources/a.md`: x".into()]),
            None
        );
        let more = notice_text(Some(&new), &["- `sources/b.md`: y".into()]).unwrap();
        assert!(
            more.contains("- `sources/a.md`: x\n- `sources/b.md`: y\n"),
            "{more}"
        );
        assert_eq!(more.matches("ODC-BY").count(), 1);
    }

    #[test]
    fn authority_follows_the_document_type() {
        assert_eq!(default_authority("Data Processor Agreement"), "dpa");
        assert_eq!(default_authority("Commercial Terms"), "contract");
        assert_eq!(default_authority("Privacy Policy"), "policy");
        assert_eq!(default_authority("Imprint"), "docs");
    }
}
