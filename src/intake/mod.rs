//! Getting evidence in: documents converted to Markdown (`convert`), fetched over HTTP
//! (`fetch`) or taken from an Open Terms Archive versions repository (`ota`), archived under
//! `vendors/<id>/sources/` and recorded in the vendor's `profile.yaml`.
//!
//! Archived files are never overwritten: the same content again is found by its SHA-256 and
//! reused; a changed document is a new dated file. The profile is edited in place (comments and
//! formatting kept) and written atomically, after the snapshot, so a failure leaves it as it was.

pub mod convert;
pub mod extract;
pub mod fetch;
pub mod ota;
mod pdf_streams;
pub mod refresh;

use crate::diag::Diagnostic;
use crate::model::profile::valid_id;
use crate::model::profile_edit;
use jiff::civil::Date;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes.as_ref())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn check_id(kind: &str, id: &str) -> Result<(), Diagnostic> {
    if valid_id(id) {
        Ok(())
    } else {
        Err(Diagnostic::error(format!("{kind} id `{id}` is not valid")).hint(
            "use lowercase letters, digits, `-` and `_` (e.g. `api-terms`), at most 64 characters",
        ))
    }
}

/// Where a snapshot went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Relative to the vendor folder, as `snapshot:` records it (`sources/terms.2026-08-07.md`).
    pub rel: String,
    /// False when a file with the same content was already archived (and is reused).
    pub new: bool,
    pub sha256: String,
}

/// The archived files of one source: `sources/<source>.<date>[-n].md`, oldest name first.
pub fn archived_files(vendor_dir: &Path, source: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(vendor_dir.join("sources")) else {
        return Vec::new();
    };
    let prefix = format!("{source}.");
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| {
            n.strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".md"))
                .is_some_and(|d| d.len() >= 10 && d[..10].parse::<Date>().is_ok())
        })
        .collect();
    names.sort();
    names
}

/// Chooses the file a snapshot goes to: the already archived file with the same content, else a
/// new name that exists nowhere yet. Nothing is written.
pub fn plan_snapshot(vendor_dir: &Path, source: &str, date: Date, text: &str) -> Stored {
    let sha256 = sha256_hex(text);
    for name in archived_files(vendor_dir, source) {
        let path = vendor_dir.join("sources").join(&name);
        if std::fs::read_to_string(&path).is_ok_and(|t| sha256_hex(&t) == sha256) {
            return Stored {
                rel: format!("sources/{name}"),
                new: false,
                sha256,
            };
        }
    }
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{source}.{date}.md")
        } else {
            format!("{source}.{date}-{n}.md")
        };
        if !vendor_dir.join("sources").join(&name).exists() {
            return Stored {
                rel: format!("sources/{name}"),
                new: true,
                sha256,
            };
        }
        n += 1;
    }
}

/// `vendors/<vendor>` of the workspace at `root`, where intake writes (snapshots, the profile,
/// NOTICE.md): refused when `vendors/`, the vendor's folder or its `sources/` is a link that
/// leads out of the workspace, so that no command writes outside it (reads are confined the
/// same way, by `yaml::read_confined`).
pub fn vendor_dir(root: &Path, vendor: &str) -> Result<PathBuf, Diagnostic> {
    let dir = root.join("vendors").join(vendor);
    let base = root.canonicalize().map_err(|e| {
        Diagnostic::error(format!("cannot read the workspace {}: {e}", root.display()))
    })?;
    for rel in [
        "vendors".to_string(),
        format!("vendors/{vendor}"),
        format!("vendors/{vendor}/sources"),
    ] {
        // A folder that does not exist yet is created inside the workspace.
        let Ok(real) = root.join(&rel).canonicalize() else {
            continue;
        };
        if !real.starts_with(&base) {
            return Err(Diagnostic::error(format!(
                "{rel} leads outside the workspace (through a link): nothing is written there"
            ))
            .in_file(rel)
            .hint("replace the link by a folder inside the workspace"));
        }
    }
    Ok(dir)
}

/// Writes a planned new snapshot; refuses to replace any file, and refuses a text larger than
/// `check` reads (MAX_SNAPSHOT_BYTES), so that no command archives what every later command
/// would refuse.
pub fn write_snapshot(vendor_dir: &Path, stored: &Stored, text: &str) -> Result<(), Diagnostic> {
    if !stored.new {
        return Ok(());
    }
    let path = vendor_dir.join(&stored.rel);
    let limit = crate::evidence::MAX_SNAPSHOT_BYTES;
    if text.len() as u64 > limit {
        return Err(Diagnostic::error(format!(
            "{}: the document's text is {} MiB, more than the {} MiB a snapshot may hold: nothing is archived",
            stored.rel,
            text.len() / (1024 * 1024),
            limit / (1024 * 1024)
        ))
        .hint("archive the part of the document the review needs (save it as Markdown or text), or split it into several sources"));
    }
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("cannot write {}: {e}", path.display()))
            .hint("check that the vendor's sources/ folder is writable")
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(fail)?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(fail)
}

/// Refuses a path where something other than a regular file (a link, a folder, a device)
/// already stands: intake never writes through a link, which could lead out of the workspace
/// or onto another archived document.
pub fn refuse_link(path: &Path) -> Result<(), Diagnostic> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => Err(Diagnostic::error(format!(
            "{} is {}: nothing is written through it",
            path.display(),
            if m.file_type().is_symlink() {
                "a link"
            } else {
                "not a regular file"
            }
        ))
        .hint("remove it (or replace it by a regular file) and run the command again")),
        _ => Ok(()),
    }
}

/// Reads a regular file written by intake, never through a link; None when there is none.
pub fn read_written(path: &Path) -> Result<Option<String>, Diagnostic> {
    refuse_link(path)?;
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Replaces a file atomically: a temporary file in the same folder (one checked by
/// [`vendor_dir`]), then a rename, which replaces the name itself and never follows a link.
/// A link already at the path is refused rather than replaced.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let fail = |what: &str, e: std::io::Error| {
        Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
            .hint("check that the folder exists and is writable")
    };
    refuse_link(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".diligence-");
    #[cfg(unix)]
    builder.permissions(match std::fs::metadata(path) {
        Ok(m) if m.is_file() => m.permissions(),
        _ => std::os::unix::fs::PermissionsExt::from_mode(0o644),
    });
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| fail("create a temporary file next to", e))?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| fail("write", e))?;
    tmp.persist(path).map_err(|e| fail("replace", e.error))?;
    Ok(())
}

/// One source entry to record in a profile.
pub struct Record<'a> {
    pub vendor: &'a str,
    pub source: &'a str,
    /// `(key, value)`, values as plain text (quoted as needed when written).
    pub fields: Vec<(&'static str, String)>,
    pub remove: Vec<&'static str>,
}

/// The profile's path, its current text (or `skeleton` for a vendor without one), and the text
/// after recording the source.
pub struct ProfileChange {
    pub path: PathBuf,
    pub shown: String,
    pub old: Option<String>,
    pub new: String,
}

pub fn plan_profile(
    root: &Path,
    record: &Record,
    skeleton: impl FnOnce() -> String,
) -> Result<ProfileChange, Diagnostic> {
    let shown = format!("vendors/{}/profile.yaml", record.vendor);
    let path = root.join(&shown);
    let old = if path.exists() {
        Some(crate::model::yaml::read_confined(
            root,
            &shown,
            crate::model::yaml::MAX_YAML_BYTES,
        )?)
    } else {
        None
    };
    let base = old.clone().unwrap_or_else(skeleton);
    let fields: Vec<(&str, String)> = record
        .fields
        .iter()
        .map(|(k, v)| (*k, profile_edit::scalar(v)))
        .collect();
    let new = profile_edit::set_source(&base, &shown, record.source, &fields, &record.remove)?;
    Ok(ProfileChange {
        path,
        shown,
        old,
        new,
    })
}

/// Writes planned snapshots, then the profile. If the profile cannot be written, the snapshots
/// just written are removed again: either both change or neither.
pub fn commit(
    vendor_dir: &Path,
    snapshots: &[(Stored, String)],
    profile: Option<&ProfileChange>,
) -> Result<(), Diagnostic> {
    let mut written: Vec<PathBuf> = Vec::new();
    let undo = |written: &[PathBuf]| {
        for p in written {
            let _ = std::fs::remove_file(p);
        }
    };
    for (stored, text) in snapshots {
        if let Err(e) = write_snapshot(vendor_dir, stored, text) {
            undo(&written);
            return Err(e);
        }
        if stored.new {
            written.push(vendor_dir.join(&stored.rel));
        }
    }
    if let Some(p) = profile
        && p.old.as_deref() != Some(p.new.as_str())
        && let Err(e) = write_atomically(&p.path, &p.new)
    {
        undo(&written);
        return Err(e);
    }
    Ok(())
}

/// Today's date in the local time zone (the day a snapshot is taken).
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

pub fn parse_date_arg(flag: &str, text: &str) -> Result<Date, Diagnostic> {
    text.trim().parse::<Date>().map_err(|_| {
        Diagnostic::error(format!("{flag} `{text}` is not a date"))
            .hint("write dates as YYYY-MM-DD, e.g. 2026-11-24")
    })
}
