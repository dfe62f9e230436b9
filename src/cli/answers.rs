//! `diligence answers VENDOR FILE`: imports a filled questionnaire as `questionnaire` claims.
//! Every row is checked first; any problem (by cell) stops the import with nothing written.
//! The snapshot is written before the profile, and the new profile is loaded and its new quotes
//! verified before it replaces the old one (atomically), so a failure leaves the profile as it was.

use super::{Failure, Global, Outcome, write_human};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::profile::{Profile, Verification};
use crate::model::vocabulary::parse_date;
use crate::questionnaire::{answers, plan};
use crate::workspace::Workspace;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct AnswersArgs {
    /// The vendor the questionnaire is from
    #[arg(value_name = "VENDOR")]
    pub vendor: String,
    /// The filled questionnaire: .xlsx or .csv as `diligence questions` wrote it
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Import only the answers for this offering
    #[arg(long, value_name = "OFFERING")]
    pub offering: Option<String>,
    /// The day the vendor sent the file (default: today): YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub received: Option<String>,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Also import rows for facts we did not ask about (by default they are listed and
    /// skipped: a row the vendor added is a fact on the vendor's word that nobody requested)
    #[arg(long)]
    pub accept_unasked: bool,
}

pub fn run(global: &Global, args: AnswersArgs) -> Outcome {
    let received = match &args.received {
        Some(d) => parse_date(d, Default::default(), "--received")?,
        None => super::args::parse_today(None)?,
    };
    let ws = Workspace::load_clean(&global.dir)?;
    let profile = find_profile(&ws, &args)?;
    let (rows, bytes) = answers::read(&args.file)?;
    let today = super::args::parse_today(None)?;
    // Every row is checked as it will be read back, asked or not: a malformed file is refused
    // whole, before the rows the vendor added are set aside.
    answers::validate(&rows, profile, args.offering.as_deref())?;
    let (rows, unasked) = if args.accept_unasked {
        (rows, Vec::new())
    } else {
        answers::skip_unasked(rows, &asked_facts(&ws, profile, today))
    };
    let answers = answers::validate(&rows, profile, args.offering.as_deref())?;
    let file_name = args.file.file_name().map_or_else(
        || "questionnaire".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let sha = crate::intake::sha256_hex(&bytes);
    let profile_path = ws.root.join(&profile.file);
    let text = std::fs::read_to_string(&profile_path)
        .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", profile.file)))?;
    // The profile is edited line by line: a lone CR (old Mac line endings) is not a line end.
    if let Some(offset) = text
        .char_indices()
        .find(|&(i, c)| c == '\r' && !text[i + 1..].starts_with('\n'))
        .map(|(i, _)| i)
    {
        let line = text[..offset].matches('\n').count() + 1;
        return Err(Diagnostic::error(format!(
            "{}:{line}: a line ends with a lone carriage return (CR); answers edits profiles with LF or CRLF line endings",
            profile.file
        ))
        .hint("convert the profile's line endings to LF (e.g. `tr '\\r' '\\n'`), then import again")
        .into());
    }
    let snapshot = plan::snapshot_text(profile, &answers, received, &file_name, &sha);
    let plan = plan::plan(&text, profile, &answers, received, &file_name, snapshot)?;
    if plan.profile.len() as u64 > crate::model::yaml::MAX_YAML_BYTES {
        return Err(Diagnostic::error(format!(
            "{}: with these answers the profile would be larger than the {} MiB a profile may be; nothing is imported",
            profile.file,
            crate::model::yaml::MAX_YAML_BYTES / (1024 * 1024)
        ))
        .hint("import fewer answers at a time, or split the vendor's offerings")
        .into());
    }
    let vendor_dir = crate::intake::vendor_dir(&ws.root, &profile.id)?;
    let snapshot_file = vendor_dir.join(&plan.snapshot_path);
    // Both written paths are checked before anything is written: neither may be a link.
    let old_snapshot = crate::intake::read_written(&snapshot_file)?;
    crate::intake::refuse_link(&ws.root.join(&profile.file))?;
    let snapshot_same = old_snapshot.as_deref() == Some(plan.snapshot.as_str());

    let mut report = String::new();
    for skipped in &unasked {
        report.push_str(&format!(
            "skipped {skipped}: to import it, review it and re-run with --accept-unasked\n"
        ));
    }
    if answers.is_empty() {
        report.push_str("no answered rows: nothing to import\n");
    } else if plan.profile_unchanged && (snapshot_same || old_snapshot.is_none()) {
        report.push_str(&format!(
            "{}: nothing to change ({} answers already imported)\n",
            args.file.display(),
            answers.len()
        ));
    } else {
        for c in &plan.changes {
            report.push_str(c);
            report.push('\n');
        }
    }
    if args.dry_run || answers.is_empty() || (plan.profile_unchanged && snapshot_same) {
        if args.dry_run {
            report.push_str("dry run: nothing written\n");
        }
        write_human(report.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    write_import(&ws, profile, &plan, &snapshot_file, old_snapshot.as_deref())?;
    report.push_str(&format!(
        "imported {} answers into {} (snapshot vendors/{}/{})\n",
        answers.len(),
        profile.file,
        profile.id,
        plan.snapshot_path
    ));
    write_human(report.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The facts we ask this vendor about: what `questions` would ask now under any policy, class
/// and tag of the workspace, plus the facts earlier answers already cover (a re-import).
fn asked_facts(ws: &Workspace, profile: &Profile, today: jiff::civil::Date) -> Vec<String> {
    let mut asked: Vec<String> = Vec::new();
    for o in &profile.offerings {
        for (name, fact) in &o.facts {
            if fact
                .claims
                .iter()
                .any(|c| c.authority == crate::model::profile::Authority::Questionnaire)
            {
                asked.push(name.clone());
            }
        }
    }
    let offerings: Vec<(&Profile, &crate::model::profile::Offering)> =
        profile.offerings.iter().map(|o| (profile, o)).collect();
    for policy in &ws.policies {
        let tags: Vec<String> = policy.tags.iter().map(|t| t.name.clone()).collect();
        let classes: Vec<String> = policy.classes.iter().map(|c| c.name.clone()).collect();
        let ctx = crate::evaluation::Context::new(&ws.rules, policy, &tags, today);
        let providers = crate::evaluation::Lookup::Profiles(&ws.profiles);
        for q in crate::questionnaire::ask(&ctx, policy, &offerings, &classes, providers).questions
        {
            asked.push(q.fact);
        }
    }
    asked
}

/// The vendor's profile, and the offering checked when one is named.
fn find_profile<'w>(ws: &'w Workspace, args: &AnswersArgs) -> Result<&'w Profile, Diagnostic> {
    let profile = ws.profile(&args.vendor).ok_or_else(|| {
        Diagnostic::error(format!("unknown vendor `{}`", args.vendor)).maybe_hint(did_you_mean(
            &args.vendor,
            ws.profiles.iter().map(|p| p.id.as_str()),
        ))
    })?;
    if let Some(o) = &args.offering
        && profile.offering(o).is_none()
    {
        let ids: Vec<&str> = profile.offerings.iter().map(|o| o.id.as_str()).collect();
        return Err(
            Diagnostic::error(format!("vendor `{}` has no offering `{o}`", profile.id)).hint(
                did_you_mean(o, ids.iter().copied())
                    .unwrap_or_else(|| format!("offerings: {}", ids.join(", "))),
            ),
        );
    }
    Ok(profile)
}

/// Writes the snapshot, then the profile once it loads and its new quotes verify against
/// that snapshot; on any failure the snapshot goes back to `old_snapshot` and the profile
/// is untouched.
fn write_import(
    ws: &Workspace,
    profile: &Profile,
    plan: &plan::Plan,
    snapshot_file: &Path,
    old_snapshot: Option<&str>,
) -> Result<(), Failure> {
    crate::intake::write_atomically(snapshot_file, &plan.snapshot)?;
    let restore = || match old_snapshot {
        Some(old) => {
            let _ = crate::intake::write_atomically(snapshot_file, old);
        }
        None => {
            let _ = std::fs::remove_file(snapshot_file);
        }
    };
    let mut errors = unverified_answers(ws, profile, plan);
    if !errors.is_empty() {
        restore();
        errors.push(
            Diagnostic::error(format!(
                "the answers were not imported: the edited {} would not load; it is unchanged",
                profile.file
            ))
            .hint("this is a bug in diligence: please report it with the profile"),
        );
        return Err(errors.into());
    }
    if let Err(e) = crate::intake::write_atomically(&ws.root.join(&profile.file), &plan.profile) {
        restore();
        return Err(e.into());
    }
    Ok(())
}

/// The errors of the edited profile: load errors, and any imported answer that does not
/// verify against the snapshot just written.
fn unverified_answers(ws: &Workspace, profile: &Profile, plan: &plan::Plan) -> Vec<Diagnostic> {
    let (loaded, problems) = crate::evidence::from_text(&plan.profile, &ws.root, &profile.id);
    let mut errors: Vec<Diagnostic> = problems.into_iter().filter(Diagnostic::is_error).collect();
    for o in loaded.iter().flat_map(|p| &p.offerings) {
        for f in o.facts.values() {
            for c in &f.claims {
                if c.source.as_deref() == Some(plan.source_id.as_str())
                    && c.verification != Verification::Verified
                {
                    errors.push(Diagnostic::error(format!(
                        "{}/{}: the imported answer does not verify against its snapshot",
                        o.id, f.name
                    )));
                }
            }
        }
    }
    errors
}
