//! `diligence brief VENDOR/OFFERING --class C`: the decision brief for one offering.

use super::args::{OutputArg, Scope};
use super::evaluate::{select_classes, select_offerings, select_tags};
use super::{Failure, Global, Outcome, output, provenance};
use crate::decisions;
use crate::diag::Diagnostic;
use crate::evaluation::{self, Request};
use crate::report::brief::{self, Context};
use crate::report::writer::{self, Reader};
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BriefFormat {
    /// One page to print (A4 or Letter), the verdict on page 1
    Html,
    /// For a ticket or a wiki page
    Markdown,
}

#[derive(Args, Debug)]
pub struct BriefArgs {
    /// The offering: VENDOR/OFFERING
    #[arg(value_name = "VENDOR/OFFERING")]
    pub target: String,
    /// The classification of the data the offering would receive
    #[arg(long = "class", value_name = "LEVEL")]
    pub class: String,
    #[command(flatten)]
    pub scope: Scope,
    /// Output format
    #[arg(long, value_enum, default_value_t = BriefFormat::Html)]
    pub format: BriefFormat,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(global: &Global, args: BriefArgs) -> Outcome {
    let today = args.scope.today()?;
    let (_, offering_id) = super::args::one_offering(&args.target, "brief")?;
    let ws = Workspace::load_clean(&global.dir)?;
    let policy = ws.policy(args.scope.policy())?;
    let offerings = select_offerings(&ws, std::slice::from_ref(&args.target))?;
    let classes = select_classes(policy, std::slice::from_ref(&args.class))?;
    let tags = select_tags(policy, &args.scope.tags)?;
    let Some((profile, _)) = offerings.first().copied() else {
        return Err(Diagnostic::error(format!("no offering `{}`", args.target)).into());
    };
    if let Some(path) = &args.output.path {
        output::refuse_input_file(path, &ws.root)?;
    }
    let request = Request {
        policy,
        offerings,
        classes,
        tags,
        today,
        generated: format!("{today}T00:00:00Z"),
        providers: evaluation::Lookup::Profiles(&ws.profiles),
    };
    let (mut eval, rule_errors) = evaluation::evaluate(&ws.rules, &request);
    let checks = decisions::Checks {
        policies: &ws.policies,
        today,
    };
    for w in decisions::annotate(&ws.root, &checks, &mut eval.results) {
        status!("warning: {w}");
    }
    let history = match decisions::load(&ws.root, &profile.id, offering_id, &checks) {
        Ok(Some((register, _))) => decisions::history(&register, &args.class, &request.tags),
        _ => Vec::new(),
    };
    for w in &eval.warnings {
        status!("warning: {}", w.report_line());
    }
    let Some(result) = eval.results.first() else {
        return Err(Diagnostic::error("the evaluation gave no result").into());
    };
    // The profile was read from this file when the workspace loaded; reviewers are read apart
    // (see `profile::reviewers`).
    let reviewers = std::fs::read_to_string(ws.root.join(&profile.file))
        .map(|text| crate::model::profile::reviewers(&text))
        .unwrap_or_default();
    let ctx = Context {
        policy: eval.policy.clone(),
        organization: eval.organization.clone(),
        today: eval.today.clone(),
        reviewed: profile.reviewed.map(|d| d.to_string()),
        reviewers,
        workspace: provenance::describe(&ws.root),
        history,
    };
    // A brief is read by people: the writer cleans it.
    output::emit(args.output.path.as_deref(), |w| {
        let reader = match args.format {
            BriefFormat::Html => Reader::Page,
            BriefFormat::Markdown => Reader::Person,
        };
        writer::write_one(
            reader,
            w,
            |w, r| {
                match args.format {
                    BriefFormat::Html => brief::render_html(r, &ctx, w)?,
                    BriefFormat::Markdown => brief::render_markdown(r, &ctx, w)?,
                }
                Ok(())
            },
            result,
        )
    })?;
    if !rule_errors.is_empty() {
        // The brief is written (its verdict shows `error`); the failed rules are listed.
        return Err(Failure(rule_errors));
    }
    Ok(ExitCode::SUCCESS)
}
