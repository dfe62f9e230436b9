//! `diligence snapshot VENDOR SOURCE FILE|URL`: archive a document and record it as a source.

use super::{Global, Outcome};
use crate::diag::{Diagnostic, did_you_mean};
use crate::intake::convert::Converted;
use crate::intake::{self, ProfileChange, Record, Stored, convert, fetch};
use crate::model::profile::Authority;
use crate::model::profile_edit;
use clap::Args;
use jiff::civil::Date;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct SnapshotArgs {
    /// The vendor id (its profile is created when it has none)
    pub vendor: String,
    /// The source id in the profile's `sources:` (e.g. `terms`, `dpa`)
    pub source: String,
    /// The document: a file (HTML, PDF, Markdown, text) or an http(s) URL
    pub document: String,
    /// The source's authority (needed for a new source): signed, contract, dpa, policy, docs, trust_center, questionnaire, third_party
    #[arg(long, value_name = "A")]
    pub authority: Option<String>,
    /// The source's title (default for a new source: the document's own title)
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// The document's public address (default: the URL fetched)
    #[arg(long, value_name = "U")]
    pub url: Option<String>,
    /// The day the copy was taken: YYYY-MM-DD (default: today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub retrieved: Option<String>,
    /// Seconds to wait for a URL before giving up
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
}

pub fn check_workspace(root: &Path) -> Result<(), Diagnostic> {
    if root.join("vendors").is_dir() || root.join("policies").is_dir() {
        Ok(())
    } else {
        Err(
            Diagnostic::error(format!("`{}` is not a diligence workspace", root.display())).hint(
                "run inside a workspace, pass -C DIR, or create one with `diligence init DIR`",
            ),
        )
    }
}

pub fn check_authority(a: &str) -> Result<(), Diagnostic> {
    let names: Vec<&str> = Authority::NAMED.iter().map(|a| a.as_str()).collect();
    if names.contains(&a) {
        return Ok(());
    }
    Err(Diagnostic::error(format!(
        "--authority `{a}` is not one of: {}",
        names.join(", ")
    ))
    .maybe_hint(did_you_mean(a, names.iter().copied())))
}

fn read_document(args: &SnapshotArgs) -> Result<(Vec<u8>, Option<String>), Diagnostic> {
    if fetch::is_url(&args.document) {
        if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
            return Err(Diagnostic::error(format!(
                "--timeout {} is not a number of seconds between 0 and 3600",
                args.timeout
            )));
        }
        let f = fetch::fetch(&args.document, Duration::from_secs_f64(args.timeout))?;
        return Ok((f.bytes, f.content_type));
    }
    let path = Path::new(&args.document);
    let fail = |why: String| {
        Diagnostic::error(why)
            .in_file(args.document.clone())
            .hint("give a readable file, or an http(s):// URL")
    };
    let meta =
        std::fs::metadata(path).map_err(|e| fail(format!("cannot read the document: {e}")))?;
    if !meta.is_file() {
        return Err(fail("the document is not a regular file".into()));
    }
    if meta.len() > fetch::MAX_DOCUMENT_BYTES {
        return Err(fail(format!(
            "the document is {} bytes, more than the {}-byte limit",
            meta.len(),
            fetch::MAX_DOCUMENT_BYTES
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the document: {e}")))?;
    Ok((bytes, None))
}

pub fn run(global: &Global, args: SnapshotArgs) -> Outcome {
    let root = &global.dir;
    let (date, doc) = checked_document(root, &args)?;

    let vendor_dir = intake::vendor_dir(root, &args.vendor)?;
    let shown = format!("vendors/{}/profile.yaml", args.vendor);
    let existing = std::fs::read_to_string(vendor_dir.join("profile.yaml")).ok();
    let field = |name: &str| {
        existing
            .as_deref()
            .and_then(|t| profile_edit::source_field(t, &shown, &args.source, name))
    };
    let is_new_source = field("authority").is_none() && field("title").is_none();
    if is_new_source && args.authority.is_none() {
        return Err(Diagnostic::error(format!(
            "source `{}` is new: say how much it can be trusted with --authority",
            args.source
        ))
        .hint("e.g. --authority contract (published terms), dpa, policy (privacy policy), docs, trust_center, questionnaire, third_party")
        .into());
    }

    let stored = intake::plan_snapshot(&vendor_dir, &args.source, date, &doc.markdown);
    let unchanged = !stored.new
        && field("snapshot").as_deref() == Some(stored.rel.as_str())
        && field("sha256").as_deref() == Some(stored.sha256.as_str())
        && args.title.is_none()
        && args.url.is_none()
        && args.authority.is_none();
    if unchanged {
        status!(
            "unchanged: vendors/{}/{} already holds this content (sha256 {}); nothing written",
            args.vendor,
            stored.rel,
            &stored.sha256[..12]
        );
        return Ok(ExitCode::SUCCESS);
    }
    let record = Record {
        vendor: &args.vendor,
        source: &args.source,
        fields: source_fields(&args, is_new_source, &doc, &stored, date),
        // A copy taken by hand is no longer the archive's version.
        remove: if stored.new {
            crate::intake::ota::PROVENANCE_FIELDS.to_vec()
        } else {
            Vec::new()
        },
    };
    let profile = intake::plan_profile(root, &record, || {
        super::author::vendor_skeleton(&args.vendor)
    })?;
    intake::commit(
        &vendor_dir,
        &[(stored.clone(), doc.markdown.clone())],
        Some(&profile),
    )?;
    report(&args, &stored, &doc, &profile, is_new_source);
    Ok(ExitCode::SUCCESS)
}

/// Checks the arguments, then reads the document and converts it to Markdown; returns the
/// day of the copy and the document, which has some text.
fn checked_document(root: &Path, args: &SnapshotArgs) -> Result<(Date, Converted), Diagnostic> {
    check_workspace(root)?;
    intake::check_id("vendor", &args.vendor)?;
    intake::check_id("source", &args.source)?;
    if let Some(a) = &args.authority {
        check_authority(a)?;
    }
    let date = match &args.retrieved {
        Some(d) => intake::parse_date_arg("--retrieved", d)?,
        None => intake::today(),
    };
    let (bytes, content_type) = read_document(args)?;
    let doc = convert::convert(&bytes, &args.document, content_type.as_deref())?;
    if doc.markdown.split_whitespace().next().is_none() {
        return Err(Diagnostic::error("the document has no text")
            .in_file(args.document.clone())
            .hint("check that this is the right file; a page that needs JavaScript must be saved from a browser"));
    }
    Ok((date, doc))
}

/// What was archived and recorded, and what to run next.
fn report(
    args: &SnapshotArgs,
    stored: &Stored,
    doc: &Converted,
    profile: &ProfileChange,
    is_new_source: bool,
) {
    if stored.new {
        status!(
            "archived vendors/{}/{} ({}, {} words)",
            args.vendor,
            stored.rel,
            doc.kind.as_str(),
            doc.markdown.split_whitespace().count()
        );
    } else {
        status!(
            "vendors/{}/{} already holds this content: reused",
            args.vendor,
            stored.rel
        );
    }
    status!(
        "{} source `{}` in {}",
        if profile.old.is_none() {
            "created the profile with"
        } else if is_new_source {
            "added"
        } else {
            "updated"
        },
        args.source,
        profile.shown
    );
    status!(
        "next: `diligence check` shows which quotes still verify; `diligence diff` compares with the previous version"
    );
}

/// The source's fields to write: what the options give, the document's own title for a new
/// source, the URL fetched, and the snapshot with its digest (`retrieved` only for a new copy).
fn source_fields(
    args: &SnapshotArgs,
    is_new_source: bool,
    doc: &Converted,
    stored: &Stored,
    date: Date,
) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    let title = args.title.clone().or_else(|| {
        is_new_source.then(|| doc.title.clone().unwrap_or_else(|| args.source.clone()))
    });
    if let Some(t) = title {
        fields.push(("title", t));
    }
    let url = args
        .url
        .clone()
        .or_else(|| fetch::is_url(&args.document).then(|| args.document.clone()));
    if let Some(u) = url {
        fields.push(("url", u));
    }
    if let Some(a) = &args.authority {
        fields.push(("authority", a.clone()));
    }
    if stored.new {
        fields.push(("retrieved", date.to_string()));
    }
    fields.push(("snapshot", stored.rel.clone()));
    fields.push(("sha256", stored.sha256.clone()));
    fields
}
