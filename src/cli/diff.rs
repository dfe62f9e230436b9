//! `diligence diff OLD [NEW]`: fact and verdict changes between two workspaces.

use super::{Failure, Outcome, output, print_diagnostics};
use crate::diag::Diagnostic;
use crate::diff::{self, Diff};
use crate::evaluation::{self, Request};
use crate::outcome::Evaluation;
use crate::report::writer::{self, Error as WriteError, Reader};
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Table,
    Markdown,
    Json,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old workspace (e.g. a `git worktree` of an earlier revision)
    pub old: PathBuf,
    /// The new workspace (default: the current one, -C)
    pub new: Option<PathBuf>,
    /// The policy (each workspace's own policies/NAME.yaml), data tags and date to evaluate
    /// both with
    #[command(flatten)]
    pub scope: super::args::Scope,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
}

fn load(
    path: &std::path::Path,
    scope: &super::args::Scope,
    today: jiff::civil::Date,
) -> Result<(Workspace, Evaluation), Failure> {
    let ws = Workspace::load(path)?;
    let errors = diff::errors_of(&ws);
    if !errors.is_empty() {
        return Err(Failure(errors));
    }
    let eval = {
        let policy = ws.policy(scope.policy())?;
        let tags = super::evaluate::select_tags(policy, &scope.tags)?;
        let request = Request {
            policy,
            offerings: ws
                .profiles
                .iter()
                .flat_map(|p| p.offerings.iter().map(move |o| (p, o)))
                .collect(),
            classes: policy.classes.iter().map(|c| c.name.clone()).collect(),
            tags,
            today,
            generated: String::new(),
            providers: evaluation::Lookup::Profiles(&ws.profiles),
        };
        let (eval, errors) = evaluation::evaluate(&ws.rules, &request);
        if !errors.is_empty() {
            return Err(Failure(errors));
        }
        eval
    };
    Ok((ws, eval))
}

/// Writes the diff in `format`.
fn render(format: DiffFormat, d: &Diff, out: &mut dyn std::io::Write) -> Result<(), WriteError> {
    let text = match format {
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(d).map_err(|e| {
                WriteError::Invalid(vec![Diagnostic::error(format!(
                    "cannot serialize the diff as JSON: {e}"
                ))])
            })?;
            s.push('\n');
            s
        }
        DiffFormat::Table => crate::report::diff::render(d, false),
        DiffFormat::Markdown => crate::report::diff::render(d, true),
    };
    Ok(out.write_all(text.as_bytes())?)
}

pub fn run(global: &super::Global, args: DiffArgs) -> Outcome {
    let today = args.scope.today()?;
    let new_path = args.new.clone().unwrap_or_else(|| global.dir.clone());
    let (old_ws, old_eval) = load(&args.old, &args.scope, today)?;
    let (new_ws, new_eval) = load(&new_path, &args.scope, today)?;
    let d = Diff {
        old: args.old.display().to_string(),
        new: new_path.display().to_string(),
        facts: diff::fact_changes(&old_ws, &new_ws),
        broken_quotes: diff::broken_quotes(&new_ws),
        verdicts: diff::verdict_changes(&old_eval, &new_eval),
    };
    if !d.broken_quotes.is_empty() && args.format != DiffFormat::Json {
        let warn: Vec<Diagnostic> = new_ws
            .unverified
            .iter()
            .cloned()
            .map(Diagnostic::into_warning)
            .collect();
        print_diagnostics(&warn, &new_ws.root);
    }
    let reader = match args.format {
        DiffFormat::Json => Reader::Json,
        DiffFormat::Table | DiffFormat::Markdown => Reader::Person,
    };
    output::emit(None, |w| {
        writer::write_one(reader, w, |w, d| render(args.format, d, w), &d)
    })?;
    Ok(if d.got_worse() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
