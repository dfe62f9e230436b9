//! `diligence import ota`: archive versions of a document from an Open Terms Archive clone.

use super::snapshot::{check_authority, check_workspace};
use super::{Global, Outcome};
use crate::diag::Diagnostic;
use crate::intake::ota::{self, Repo};
use crate::intake::{self, ProfileChange, Record, Stored};
use crate::model::profile_edit;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub from: ImportFrom,
}

#[derive(Subcommand, Debug)]
pub enum ImportFrom {
    /// From a local clone of an Open Terms Archive versions repository
    #[command(after_help = "Examples:
  git clone https://github.com/OpenTermsArchive/genai-eu-versions /tmp/ota
  diligence import ota --repo /tmp/ota --service 'Le Chat' --document 'Commercial Terms' mistral commercial-terms
  diligence import ota --repo /tmp/ota --service 'Le Chat' --document 'Commercial Terms' mistral commercial-terms --at 2026-01-05
  diligence import ota --repo /tmp/ota --service Perplexity --document 'Terms of Service' perplexity terms --all")]
    Ota(OtaArgs),
}

#[derive(Args, Debug)]
pub struct OtaArgs {
    /// The versions repository (a local git clone)
    #[arg(long, value_name = "PATH")]
    pub repo: PathBuf,
    /// The service: a top-level folder of the repository (e.g. "Le Chat")
    #[arg(long, value_name = "NAME")]
    pub service: String,
    /// The terms type: a file of that folder without `.md` (e.g. "Commercial Terms")
    #[arg(long, value_name = "TYPE")]
    pub document: String,
    /// The vendor id (its profile is created when it has none)
    pub vendor: String,
    /// The source id in the profile's `sources:`
    pub source: String,
    /// Archive the version in force on this day: YYYY-MM-DD (default: the latest)
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "all")]
    pub at: Option<String>,
    /// Archive every recorded version (for history and `diff`); the profile cites the latest
    #[arg(long)]
    pub all: bool,
    /// The source's authority (default: from the terms type, e.g. contract for terms)
    #[arg(long, value_name = "A")]
    pub authority: Option<String>,
    /// The source's title (default for a new source: "<service> <terms type>")
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
}

pub fn run(global: &Global, args: ImportArgs) -> Outcome {
    match args.from {
        ImportFrom::Ota(a) => ota_import(global, a),
    }
}

fn ota_import(global: &Global, args: OtaArgs) -> Outcome {
    let root = &global.dir;
    check_workspace(root)?;
    intake::check_id("vendor", &args.vendor)?;
    intake::check_id("source", &args.source)?;
    if let Some(a) = &args.authority {
        check_authority(a)?;
    }
    let at = args
        .at
        .as_deref()
        .map(|d| intake::parse_date_arg("--at", d))
        .transpose()?;
    let repo = Repo::open(&args.repo)?;
    let path = repo.document_path(&args.service, &args.document)?;
    let versions = repo.versions(&path)?;
    let cited = match at {
        Some(date) => ota::version_at(&versions, date, &path)?,
        None => versions.last().ok_or_else(|| {
            Diagnostic::error(format!("{path} has no recorded version in the history"))
        })?,
    };
    let chosen: Vec<&ota::Version> = if args.all {
        versions.iter().collect()
    } else {
        vec![cited]
    };

    let vendor_dir = intake::vendor_dir(root, &args.vendor)?;
    let shown = format!("vendors/{}/profile.yaml", args.vendor);
    let existing = std::fs::read_to_string(vendor_dir.join("profile.yaml")).ok();
    let is_new_source = existing
        .as_deref()
        .and_then(|t| profile_edit::source_field(t, &shown, &args.source, "authority"))
        .is_none();
    let repository = repo.name();

    let (archived, written) =
        ota::archive_versions(&repo, &path, &chosen, &vendor_dir, &args.source)?;
    let Some((_, stored)) = archived.iter().find(|(v, _)| v.commit == cited.commit) else {
        ota::undo(&written);
        return Err(Diagnostic::error("internal: the cited version was not archived").into());
    };
    let provenance = Provenance {
        repository: &repository,
        path: &path,
        cited,
        stored,
    };
    let record = Record {
        vendor: &args.vendor,
        source: &args.source,
        fields: source_fields(&args, is_new_source, &provenance),
        remove: Vec::new(),
    };
    // The snapshots are written: undo them if the profile or the notice cannot be.
    let profile = record_source(root, &vendor_dir, &record, &archived, &provenance)
        .inspect_err(|_| ota::undo(&written))?;

    report(&args, &archived, &profile, &provenance);
    if is_new_source {
        let text = std::fs::read_to_string(vendor_dir.join(&stored.rel)).unwrap_or_default();
        status!("{}", authority_note(&args, &text));
    }
    Ok(ExitCode::SUCCESS)
}

/// Each version archived (or found already archived), and the version the source now cites.
fn report(
    args: &OtaArgs,
    archived: &[(ota::Version, Stored)],
    profile: &ProfileChange,
    p: &Provenance,
) {
    for (v, s) in archived {
        status!(
            "{} vendors/{}/{}  ({}, recorded {}, commit {})",
            if s.new {
                "archived"
            } else {
                "already archived"
            },
            args.vendor,
            s.rel,
            v.kind(),
            v.date,
            v.short()
        );
    }
    status!(
        "source `{}` in {} cites {} (recorded {}); attribution in vendors/{}/NOTICE.md",
        args.source,
        profile.shown,
        p.stored.rel,
        p.cited.date,
        args.vendor
    );
}

/// Which authority the new source got and why, and how to change it. The archive's document
/// type is a label someone gave the page: when the text calls itself an agreement or terms
/// while the type says policy, the reviewer is told to look.
fn authority_note(args: &OtaArgs, text: &str) -> String {
    let Some(default) = (args.authority.is_none()).then(|| ota::default_authority(&args.document))
    else {
        return format!(
            "authority: {} (as given with --authority)",
            args.authority.as_deref().unwrap_or("")
        );
    };
    let mut note = format!(
        "authority: {default}, chosen from the archive's document type \"{}\"; if the document is something else, change `authority:` of source `{}` in vendors/{}/profile.yaml (signed | contract | dpa | policy | docs | trust_center | questionnaire | third_party), or re-import with --authority",
        args.document, args.source, args.vendor
    );
    if matches!(default, "policy" | "docs")
        && let Some(line) = names_itself_terms(text)
    {
        note.push_str(&format!(
            "\nwarning: the document calls itself \"{line}\": if it is the provider's terms, its authority is contract (re-import with --authority contract, or edit the profile)"
        ));
    }
    note
}

/// The first heading-like line near the top that names an agreement or terms of service.
fn names_itself_terms(text: &str) -> Option<String> {
    text.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches('#')
                .trim()
                .trim_matches('*')
                .trim()
        })
        .filter(|l| !l.is_empty() && l.chars().count() <= 120)
        .take(15)
        .find(|l| {
            let l = l.to_lowercase();
            l.contains("agreement") || l.contains("terms of service") || l.contains("terms of use")
        })
        .map(str::to_string)
}

/// Where the cited version comes from: the archive, the document's path in it, the version,
/// and its archived copy.
struct Provenance<'a> {
    repository: &'a str,
    path: &'a str,
    cited: &'a ota::Version,
    stored: &'a Stored,
}

/// The source's fields: title and authority (from the options, or defaults for a new source),
/// the cited copy, and its provenance in the archive.
fn source_fields(
    args: &OtaArgs,
    is_new_source: bool,
    p: &Provenance,
) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    if let Some(t) = args.title.clone().or_else(|| {
        is_new_source.then(|| format!("{} {} (Open Terms Archive)", args.service, args.document))
    }) {
        fields.push(("title", t));
    }
    if let Some(a) = args
        .authority
        .clone()
        .or_else(|| is_new_source.then(|| ota::default_authority(&args.document).to_string()))
    {
        fields.push(("authority", a));
    }
    fields.extend([
        ("retrieved", p.cited.date.to_string()),
        ("snapshot", p.stored.rel.clone()),
        ("sha256", p.stored.sha256.clone()),
        ("archive_repository", p.repository.to_string()),
        ("archive_path", p.path.to_string()),
        ("archive_commit", p.cited.commit.clone()),
        ("archive_recorded", p.cited.date.to_string()),
    ]);
    fields
}

/// Writes the attribution notice, then the profile; the notice is restored if the profile
/// cannot be written.
fn record_source(
    root: &Path,
    vendor_dir: &Path,
    record: &Record,
    archived: &[(ota::Version, Stored)],
    p: &Provenance,
) -> Result<ProfileChange, Diagnostic> {
    let profile = intake::plan_profile(root, record, || {
        super::author::vendor_skeleton(record.vendor)
    })?;
    let lines: Vec<String> = archived
        .iter()
        .map(|(v, s)| ota::notice_line(&s.rel, p.path, v, p.repository))
        .collect();
    let notice = ota::write_notice(vendor_dir, &lines)?;
    if let Err(e) = intake::commit(vendor_dir, &[], Some(&profile)) {
        ota::restore_notice(vendor_dir, notice);
        return Err(e);
    }
    Ok(profile)
}
