//! `diligence site -o DIR`: the static review site (see `crate::site`).

use super::args::{QuietWarnings, Scope, Selection};
use super::evaluate::{select_classes, select_offerings, select_tags};
use super::{Failure, Global, Outcome, output, print_diagnostics};
use crate::diag::Diagnostic;
use crate::evaluation::ProfileStream;
use crate::evaluation::{self, Request};
use crate::report::writer::Error as WriteError;
use crate::workspace::Workspace;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct SiteArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub scope: Scope,
    /// The folder to write the site into (replaced as a whole once written)
    #[arg(long = "output", short = 'o', value_name = "DIR")]
    pub output: PathBuf,
    #[command(flatten)]
    pub quiet: QuietWarnings,
}

pub fn run(global: &Global, args: SiteArgs) -> Outcome {
    let today = args.scope.today()?;
    // The whole portfolio is read batch by batch as the pages are written; a selection is read
    // whole (to check its names).
    let whole = !args.selection.targets.is_empty();
    let ws = if whole {
        Workspace::load_clean(&global.dir)?
    } else {
        Workspace::load_clean_without_profiles(&global.dir)?
    };
    let policy = ws.policy(args.scope.policy())?;
    let offerings = if whole {
        select_offerings(&ws, &args.selection.targets)?
    } else {
        Vec::new()
    };
    let request = Request {
        policy,
        offerings,
        classes: select_classes(policy, &args.selection.classes)?,
        tags: select_tags(policy, &args.scope.tags)?,
        today,
        generated: match &args.scope.today.today {
            Some(_) => format!("{today}T00:00:00Z"),
            None => jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        },
        // The providers an offering relies on are read from the loaded profiles when the
        // selection was read whole, else from their folders as the chain asks for them.
        providers: if whole {
            crate::evaluation::Lookup::Profiles(&ws.profiles)
        } else {
            crate::evaluation::Lookup::Folder(&ws.root)
        },
    };
    let mut notes: Vec<Diagnostic> = ws.problems.clone();
    notes.extend(ws.unverified.iter().cloned().map(Diagnostic::into_warning));
    print_warnings(&notes, &args.quiet, &ws);
    // Opened before the evaluation: a bad destination fails at once, not after the work.
    let dir = output::OutputDir::open(&args.output, &ws.root)?;
    let given: Vec<Arc<crate::model::profile::Profile>> = {
        let mut ids: Vec<&str> = request
            .offerings
            .iter()
            .map(|(p, _)| p.id.as_str())
            .collect();
        ids.dedup();
        ids.iter()
            .filter_map(|id| ws.profile(id).map(|p| Arc::new(p.clone())))
            .collect()
    };
    let stream = if whole {
        evaluation::Offerings::Given
    } else {
        evaluation::Offerings::Read {
            profiles: ProfileStream::new(&ws, |_| true),
            stop_on_load_errors: true,
            // Pages need every profile, which a cached result does not carry.
            cache: None,
            form: evaluation::rendered::Form::Results,
        }
    };
    let on_read = |read: Vec<Diagnostic>| print_warnings(&read, &args.quiet, &ws);
    let setup = crate::site::Setup {
        ws: &ws,
        request: &request,
        workspace: super::provenance::describe(&ws.root),
        on_read: &on_read,
    };
    let written = crate::site::write(&setup, &ws.rules, stream, given, dir.path()).map_err(
        |e| -> Failure {
            match e {
                WriteError::Invalid(ds) => Failure(ds),
                WriteError::Io(e) => Diagnostic::error(format!(
                    "cannot write the site into {}: {e}",
                    args.output.display()
                ))
                .hint("check that the destination is writable and has room")
                .into(),
            }
        },
    )?;
    dir.commit()?;
    let fresh: Vec<Diagnostic> = written
        .warnings
        .into_iter()
        .filter(|w| !notes.iter().any(|n| n.same_problem(w)))
        .collect();
    print_warnings(&fresh, &args.quiet, &ws);
    for n in &written.notes {
        status!("warning: {n}");
    }
    status!(
        "wrote {} pages to {} (open {}/index.html)",
        written.pages,
        args.output.display(),
        args.output.display()
    );
    if !written.errors.is_empty() {
        return Err(Failure(written.errors));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_warnings(warnings: &[Diagnostic], quiet: &QuietWarnings, ws: &Workspace) {
    let shown: Vec<Diagnostic> = warnings
        .iter()
        .filter(|w| !w.is_quieted(&quiet.codes))
        .cloned()
        .collect();
    print_diagnostics(&shown, &ws.root);
}
