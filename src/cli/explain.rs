//! `diligence explain VENDOR/OFFERING [RULE]`: why a verdict is what it is. The cell is
//! evaluated by the same function as `evaluate`; `report::explain` renders it.

use super::args::Scope;
use super::evaluate::{select_offerings, select_tags};
use super::{Failure, Global, Outcome, output};
use crate::diag::{Diagnostic, did_you_mean};
use crate::evaluation::{Context, Prepared, Stopped, evaluate_cell};
use crate::report::explain::{Explained, render};
use crate::report::writer::{self, Reader};
use crate::workspace::Workspace;
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The offering: VENDOR/OFFERING (or VENDOR when it has one offering)
    #[arg(value_name = "VENDOR/OFFERING")]
    pub target: String,
    /// One rule to explain (default: every rule's outcome)
    #[arg(value_name = "RULE")]
    pub rule: Option<String>,
    /// The classification (default: the policy's most sensitive)
    #[arg(long = "class", value_name = "LEVEL")]
    pub class: Option<String>,
    #[command(flatten)]
    pub scope: Scope,
}

pub fn run(global: &Global, args: ExplainArgs) -> Outcome {
    let today = args.scope.today()?;
    let ws = Workspace::load_clean(&global.dir)?;
    let policy = ws.policy(args.scope.policy())?;
    let selected = select_offerings(&ws, std::slice::from_ref(&args.target))?;
    let [(profile, offering)] = selected.as_slice() else {
        let ids: Vec<String> = selected
            .iter()
            .map(|(p, o)| format!("{}/{}", p.id, o.id))
            .collect();
        return Err(Diagnostic::error(format!(
            "`{}` has {} offerings; explain one at a time",
            args.target,
            ids.len()
        ))
        .hint(format!("one of: {}", ids.join(", ")))
        .into());
    };
    let class = match &args.class {
        Some(c) => super::evaluate::select_classes(policy, std::slice::from_ref(c))?.remove(0),
        None => policy
            .classes
            .last()
            .map(|c| c.name.clone())
            .ok_or_else(|| Diagnostic::error("the policy has no classifications"))?,
    };
    let tags = select_tags(policy, &args.scope.tags)?;
    let ctx = Context::new(&ws.rules, policy, &tags, today);
    if let Some(id) = &args.rule
        && !ctx.has_rule(id)
    {
        let ids = ctx.rule_ids();
        return Err(Diagnostic::error(format!(
            "no rule `{id}` in scripts/ or the policy's evidence_checks"
        ))
        .hint(
            did_you_mean(id, ids.iter().map(String::as_str))
                .unwrap_or_else(|| format!("rules: {}", ids.join(", "))),
        )
        .into());
    }
    let requirements = policy.requirements(&class, &tags);
    let (providers, problems) = crate::evaluation::chain::of_one(
        crate::evaluation::Lookup::Profiles(&ws.profiles),
        &ctx,
        &class,
        &requirements,
        profile,
        offering,
    );
    if !problems.is_empty() {
        return Err(Failure(problems));
    }
    let prepared = Prepared::new(&ctx, profile, offering, providers);
    let stopped = Stopped::default();
    let cell = evaluate_cell(
        &ctx,
        &prepared,
        &class,
        &requirements,
        args.rule.as_deref(),
        &stopped,
    );
    let rule_text = |id: &str| ctx.rule_text(id);
    let explained = Explained {
        cell: &cell,
        resolved: &prepared.resolved,
        requirements: &requirements,
        policy: &policy.name,
        class_defaulted: args.class.is_none(),
        one_rule: args.rule.is_some(),
        today,
        rule_text: &rule_text,
    };
    output::emit(None, |w| {
        writer::write_one(Reader::Person, w, |w, e| Ok(render(w, e)?), &explained)
    })?;
    let errors = stopped.errors();
    if errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Failure(errors))
    }
}
