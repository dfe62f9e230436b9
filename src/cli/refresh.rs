//! `diligence refresh [VENDOR...] --repo PATH`: newer archived versions, fact by fact.

use super::args::parse_today;
use super::{Failure, Global, Outcome, output};
use crate::intake::ota::Repo;
use crate::intake::refresh;
use crate::intake::refresh::Report;
use crate::report;
use crate::report::writer::{self, Error as WriteError, Reader};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RefreshFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct RefreshArgs {
    /// Vendors to refresh (default: all)
    pub vendors: Vec<String>,
    /// The Open Terms Archive versions repository (a local clone, updated with `git pull`)
    #[arg(long, value_name = "PATH")]
    pub repo: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = RefreshFormat::Table)]
    pub format: RefreshFormat,
    /// The policy the verdicts are evaluated with
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub policy: String,
    /// Evaluate as of this date: YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Add the latest version's reading of each broken or changed fact to the profile as a
    /// `draft: true` claim citing a new source for that version (drafts never count)
    #[arg(long)]
    pub write: bool,
}

/// Writes the refresh report in `format`.
fn render(
    format: RefreshFormat,
    r: &Report,
    out: &mut dyn std::io::Write,
) -> Result<(), WriteError> {
    let text = match format {
        RefreshFormat::Json => {
            let mut s = serde_json::to_string_pretty(r).map_err(|e| {
                WriteError::Invalid(vec![crate::diag::Diagnostic::error(format!(
                    "cannot serialize the report: {e}"
                ))])
            })?;
            s.push('\n');
            s
        }
        RefreshFormat::Table => report::refresh::table(r),
        RefreshFormat::Markdown => report::refresh::markdown(r),
    };
    Ok(out.write_all(text.as_bytes())?)
}

pub fn run(global: &Global, args: RefreshArgs) -> Outcome {
    super::snapshot::check_workspace(&global.dir)?;
    let today = parse_today(args.today.as_deref())?;
    let repo = Repo::open(&args.repo)?;
    let report = refresh::refresh(&global.dir, &repo, &args.vendors, &args.policy, today)
        .map_err(Failure)?;
    let reader = match args.format {
        RefreshFormat::Json => Reader::Json,
        RefreshFormat::Table | RefreshFormat::Markdown => Reader::Person,
    };
    output::emit(None, |w| {
        writer::write_one(reader, w, |w, r| render(args.format, r, w), &report)
    })?;
    if args.write {
        let drafts = refresh::drafts(&report);
        if drafts.is_empty() {
            status!("--write: no value to propose; profiles left as they are");
        } else {
            let (written, skipped) = refresh::write_drafts(&global.dir, &report, &drafts)?;
            if !written.is_empty() {
                status!(
                    "added {} draft claim{} citing the latest versions: {}",
                    written.len(),
                    if written.len() == 1 { "" } else { "s" },
                    written.join(", ")
                );
                status!(
                    "drafts never count: read each quote, then delete its `draft: true` line or the claim (`diligence check` lists them)"
                );
            }
            if !skipped.is_empty() {
                status!(
                    "not written (the draft would not verify): {}",
                    skipped.join(", ")
                );
            }
        }
    }
    Ok(if report.needs_review() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
