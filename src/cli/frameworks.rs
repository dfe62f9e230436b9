//! `diligence frameworks`: which framework clauses the rules, checks and fact questions
//! evidence, and, for a vendor or offering, where each clause stands. The mapping and the
//! states are `crate::frameworks`; the evaluation is `evaluate`'s; this file selects and writes.

use super::args::{OutputArg, Scope, Selection};
use super::evaluate::{select_classes, select_offerings, select_tags};
use super::{Failure, Global, Outcome, output};
use crate::evaluation::{self, Context, Request};
use crate::frameworks::{Mapping, states};
use crate::model::resolved::ResolvedOffering;
use crate::report::frameworks::{
    FrameworkInfo, Render, Report, render_json, render_markdown, render_table,
};
use crate::report::writer::{self, Reader};
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct FrameworksArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub scope: Scope,
    /// Only this framework's clauses (gdpr, eu-ai-act, iso-42001, nist-ai-rmf, caiq)
    #[arg(long, value_name = "NAME")]
    pub framework: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(global: &Global, args: FrameworksArgs) -> Outcome {
    let today = args.scope.today()?;
    let only = args
        .framework
        .as_deref()
        .map(crate::model::vocabulary::frameworks::named)
        .transpose()?;
    let ws = Workspace::load_clean(&global.dir)?;
    let policy = ws.policy(args.scope.policy())?;
    let tags = select_tags(policy, &args.scope.tags)?;
    let classes = select_classes(policy, &args.selection.classes)?;
    if let Some(path) = &args.output.path {
        output::refuse_input_file(path, &ws.root)?;
    }
    let ctx = Context::new(&ws.rules, policy, &tags, today);
    let mapping = Mapping::build(&ctx, only);

    // With offerings: the same evaluation as `evaluate`, read clause by clause.
    let mut results = Vec::new();
    let mut rule_errors = Vec::new();
    if !args.selection.targets.is_empty() {
        let offerings = select_offerings(&ws, &args.selection.targets)?;
        let request = Request {
            policy,
            offerings: offerings.clone(),
            classes,
            tags: tags.clone(),
            today,
            generated: format!("{today}T00:00:00Z"),
            providers: evaluation::Lookup::Profiles(&ws.profiles),
        };
        let (eval, errors) = evaluation::evaluate(&ws.rules, &request);
        rule_errors = errors;
        let freshness = evaluation::freshness(policy, today);
        let resolved: Vec<ResolvedOffering> = offerings
            .iter()
            .map(|(p, o)| ResolvedOffering::build(p, o, freshness))
            .collect();
        for r in &eval.results {
            let at = offerings
                .iter()
                .position(|(p, o)| p.id == r.vendor && o.id == r.offering);
            if let Some(i) = at {
                results.push(states(&mapping, r, &resolved[i]));
            }
        }
    }
    let report = Report {
        policy: policy.name.clone(),
        frameworks: FrameworkInfo::list(only),
        mapping: &mapping,
        results,
    };
    let (reader, render): (Reader, Render) = match args.format {
        Format::Table => (Reader::Person, render_table),
        Format::Markdown => (Reader::Person, render_markdown),
        Format::Json => (Reader::Json, render_json),
    };
    output::emit(args.output.path.as_deref(), |w| {
        writer::write_one(reader, w, |w, r: &Report| Ok(render(w, r)?), &report)
    })?;
    if !rule_errors.is_empty() {
        // The states of the cells a failed rule left are still written; the run is an error.
        return Err(Failure(rule_errors));
    }
    Ok(ExitCode::SUCCESS)
}
