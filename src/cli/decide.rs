//! `diligence decide VENDOR/OFFERING --class C --approve|--approve-with-conditions|--reject`:
//! records a decision in `decisions/<vendor>/<offering>.yaml` (appended: comments and history
//! stay), or with `--condition N --met EVIDENCE` closes a condition of the decision in force.

use super::args::Scope;
use super::evaluate::{select_classes, select_offerings, select_tags};
use super::{Global, Outcome, output};
use crate::decisions::fingerprint::{self, Inputs};
use crate::decisions::{
    self, Checks, Condition, ConditionStatus, Decision, PastFinding, Person, Register, write,
};
use crate::diag::Diagnostic;
use crate::evaluation::{Context, Prepared, Stopped, evaluate_cell};
use crate::outcome::{Level, Verdict};
use crate::workspace::Workspace;
use clap::{ArgGroup, Args};
use std::process::ExitCode;

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("outcome").args(["approve", "approve_with_conditions", "reject", "condition"]).required(true)))]
pub struct DecideArgs {
    /// The offering: VENDOR/OFFERING
    #[arg(value_name = "VENDOR/OFFERING")]
    pub target: String,
    /// The classification of the data the decision covers
    #[arg(long = "class", value_name = "LEVEL")]
    pub class: String,
    #[command(flatten)]
    pub scope: Scope,
    /// Approve: the verdict must be go
    #[arg(long)]
    pub approve: bool,
    /// Approve under the verdict's conditions (each becomes a condition with --owner and --due)
    #[arg(long)]
    pub approve_with_conditions: bool,
    /// Reject
    #[arg(long)]
    pub reject: bool,
    /// Who decides: "Name (role)" (repeatable)
    #[arg(
        long = "by",
        value_name = "NAME (ROLE)",
        required_unless_present = "condition"
    )]
    pub by: Vec<String>,
    /// A reference: ticket, contract id
    #[arg(long = "ref", value_name = "X")]
    pub reference: Option<String>,
    /// A note kept with the decision
    #[arg(long)]
    pub note: Option<String>,
    /// Approve although the verdict is hold or no-go, for this reason (recorded)
    #[arg(long = "override", value_name = "REASON")]
    pub override_reason: Option<String>,
    /// Who sees that the conditions are met
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// When the conditions must be met: YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub due: Option<String>,
    /// The condition (numbered from 1, as `status` shows) that --met closes
    #[arg(long, value_name = "N", requires = "met")]
    pub condition: Option<usize>,
    /// The evidence that the condition is met
    #[arg(long, value_name = "EVIDENCE", requires = "condition")]
    pub met: Option<String>,
}

pub fn run(global: &Global, args: DecideArgs) -> Outcome {
    let today = args.scope.today()?;
    let (vendor, offering_id) = super::args::one_offering(&args.target, "decide")?;
    let ws = Workspace::load_clean(&global.dir)?;
    let policy = ws.policy(args.scope.policy())?;
    let offerings = select_offerings(&ws, std::slice::from_ref(&args.target))?;
    select_classes(policy, std::slice::from_ref(&args.class))?;
    let mut tags = select_tags(policy, &args.scope.tags)?;
    tags.sort();
    let Some((profile, offering)) = offerings.first().copied() else {
        return Err(Diagnostic::error(format!("no offering `{}`", args.target)).into());
    };
    let checks = Checks {
        policies: &ws.policies,
        today,
    };
    let file = decisions::file_of(vendor, offering_id);
    let existing = decisions::load(&ws.root, vendor, offering_id, &checks)?;
    if let (Some(n), Some(evidence)) = (args.condition, &args.met) {
        let Some((register, text)) = existing else {
            return Err(Diagnostic::error(format!("no decision on {} yet", args.target))
                .in_file(file)
                .hint("decide first: diligence decide VENDOR/OFFERING --class C --approve-with-conditions --by \"Name (role)\"")
                .into());
        };
        return meet(&ws, &register, &text, &args, &tags, n, evidence, today);
    }
    let outcome = if args.approve {
        decisions::Outcome::Approved
    } else if args.approve_with_conditions {
        decisions::Outcome::ApprovedWithConditions
    } else {
        decisions::Outcome::Rejected
    };
    let mut by = Vec::new();
    for b in &args.by {
        match Person::parse(b) {
            Some(p) => by.push(p),
            None => {
                return Err(Diagnostic::error(format!("--by `{b}` names nobody"))
                    .hint("write --by \"Name (role)\", e.g. --by \"Jane Doe (CISO)\"")
                    .into());
            }
        }
    }

    let ctx = Context::new(&ws.rules, policy, &tags, today);
    let requirements = policy.requirements(&args.class, &tags);
    let (providers, problems) = crate::evaluation::chain::of_one(
        crate::evaluation::Lookup::Profiles(&ws.profiles),
        &ctx,
        &args.class,
        &requirements,
        profile,
        offering,
    );
    if !problems.is_empty() {
        return Err(super::Failure(problems));
    }
    let prepared = Prepared::new(&ctx, profile, offering, providers);
    let cell = evaluate_cell(
        &ctx,
        &prepared,
        &args.class,
        &requirements,
        None,
        &Stopped::default(),
    );
    let verdict = cell.result.verdict;
    let cov = decisions::coverage(&args.class, &tags);
    if verdict == Verdict::Error {
        return Err(Diagnostic::error(format!(
            "a rule failed on {} at {cov}: the verdict cannot be trusted, so no decision is recorded",
            args.target
        ))
        .hint(format!("see `diligence evaluate {} --class {}`", args.target, args.class))
        .into());
    }
    if outcome.approves() && verdict >= Verdict::Hold && args.override_reason.is_none() {
        return Err(Diagnostic::error(format!(
            "{} is {} at {cov}: it cannot be approved",
            args.target,
            verdict.as_str()
        ))
        .hint("reject it, or approve with --override \"reason\" (the reason is recorded)")
        .into());
    }
    let open: Vec<&crate::outcome::Finding> = cell
        .result
        .findings
        .iter()
        .filter(|f| f.waived.is_none() && f.level == Level::Condition)
        .collect();
    if outcome == decisions::Outcome::Approved && !open.is_empty() {
        return Err(Diagnostic::error(format!(
            "{} is conditional at {cov} ({} condition(s)): a plain approval would lose them",
            args.target,
            open.len()
        ))
        .hint("use --approve-with-conditions --owner NAME --due YYYY-MM-DD")
        .into());
    }
    let mut conditions = Vec::new();
    if outcome == decisions::Outcome::ApprovedWithConditions && !open.is_empty() {
        let owner = args.owner.as_deref().map(str::trim).unwrap_or("");
        let Some(due) = &args.due else {
            return Err(Diagnostic::error("a condition needs a due date")
                .hint("add --due YYYY-MM-DD (when the conditions must be met)")
                .into());
        };
        if owner.is_empty() {
            return Err(Diagnostic::error("a condition needs an owner")
                .hint("add --owner NAME (who sees that the conditions are met)")
                .into());
        }
        let due: jiff::civil::Date = due.parse().map_err(|_| {
            Diagnostic::error(format!("--due `{due}` is not a date"))
                .hint("write it as YYYY-MM-DD, e.g. --due 2027-03-31")
        })?;
        for f in &open {
            conditions.push(Condition {
                text: f.action.clone().unwrap_or_else(|| f.message.clone()),
                rule: Some(f.rule.clone()),
                owner: owner.to_string(),
                due,
                status: ConditionStatus::Open,
                evidence: None,
                met: None,
                status_at: Default::default(),
            });
        }
    }
    let previous = existing
        .as_ref()
        .and_then(|(r, _)| r.current_for(&args.class, &tags));
    if let Some(p) = previous
        && p.date >= today
    {
        return Err(Diagnostic::error(format!(
            "{} already has a decision on {cov} dated {}",
            args.target, p.date
        ))
        .in_file(file.clone())
        .at(p.at)
        .hint("two decisions on one coverage the same day cannot be told apart: decide again on a later day (or with --today)")
        .into());
    }
    let months = policy.review_months(&args.class, &tags);
    let review_by = today
        .checked_add(jiff::Span::new().months(months))
        .map_err(|e| Diagnostic::error(format!("cannot compute the review date: {e}")))?;
    let fingerprint = fingerprint::compute(&Inputs {
        root: &ws.root,
        profile,
        offering,
        resolved: &prepared.resolved,
        policy,
        class: &args.class,
        tags: &tags,
        rules: &fingerprint::rule_hashes(&ws.root, &ws.rules),
        providers: &prepared.providers,
    });
    let mut decision = Decision {
        date: today,
        outcome,
        classification: args.class.clone(),
        tags: tags.clone(),
        policy: policy.name.clone(),
        by,
        reference: args.reference.clone(),
        note: args.note.clone(),
        override_reason: args.override_reason.clone(),
        supersedes: previous.map(|p| p.date),
        verdict,
        findings: cell
            .result
            .findings
            .iter()
            .filter(|f| f.level > Level::Info)
            .map(|f| PastFinding {
                rule: f.rule.clone(),
                level: if f.waived.is_some() {
                    format!("{} (waived)", f.level.as_str())
                } else {
                    f.level.as_str().to_string()
                },
                message: f.message.clone(),
            })
            .collect(),
        conditions,
        review_by,
        fingerprint,
        digest: String::new(),
        at: Default::default(),
    };
    decision.digest = fingerprint::digest(&decision);
    let text = match &existing {
        Some((_, text)) => text.clone(),
        None => write::header(vendor, offering_id),
    };
    let new_text = write::append(&text, &decision);
    let register = verify(&new_text, &file, vendor, offering_id, &checks)?;
    if register.decisions.len() != existing.as_ref().map_or(0, |(r, _)| r.decisions.len()) + 1 {
        return Err(Diagnostic::error(
            "cannot append the decision: `decisions:` is not the last key of the file",
        )
        .in_file(file)
        .hint("move `decisions:` and its list to the end of the file")
        .into());
    }
    store(&ws.root, &file, &new_text)?;
    status!(
        "{file}: {} {} at {cov} (verdict {}), {} condition(s), review by {}{}",
        decision.outcome.as_str(),
        args.target,
        verdict.as_str(),
        decision.conditions.len(),
        review_by,
        previous.map_or(String::new(), |p| format!(
            "; supersedes the decision of {}",
            p.date
        ))
    );
    Ok(ExitCode::SUCCESS)
}

/// The new text parses and checks as a register: never write one `status` would refuse.
fn verify(
    text: &str,
    file: &str,
    vendor: &str,
    offering: &str,
    checks: &Checks,
) -> Result<Register, super::Failure> {
    decisions::parse(text, file, vendor, offering, checks).map_err(super::Failure)
}

fn store(root: &std::path::Path, file: &str, text: &str) -> Result<(), super::Failure> {
    let path = root.join(file);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", dir.display()))
                .hint("check that the workspace is writable")
        })?;
    }
    output::write_atomically(&path, text.as_bytes())
}

#[allow(clippy::too_many_arguments)]
fn meet(
    ws: &Workspace,
    register: &Register,
    text: &str,
    args: &DecideArgs,
    tags: &[String],
    n: usize,
    evidence: &str,
    today: jiff::civil::Date,
) -> Outcome {
    let cov = decisions::coverage(&args.class, tags);
    let file = &register.file;
    let Some(d) = register.current_for(&args.class, tags) else {
        return Err(
            Diagnostic::error(format!("no decision on {} at {cov}", args.target))
                .in_file(file.clone())
                .hint("pass the --class and --tag of the decision whose condition is met")
                .into(),
        );
    };
    let Some(c) = n.checked_sub(1).and_then(|i| d.conditions.get(i)) else {
        return Err(Diagnostic::error(format!(
            "the decision of {} on {cov} has no condition {n} (it has {})",
            d.date,
            d.conditions.len()
        ))
        .in_file(file.clone())
        .at(d.at)
        .hint("conditions are numbered from 1, as `diligence status` shows them")
        .into());
    };
    if c.status != ConditionStatus::Open {
        return Err(
            Diagnostic::error(format!("condition {n} is already {}", c.status.as_str()))
                .in_file(file.clone())
                .at(c.status_at)
                .into(),
        );
    }
    if evidence.trim().is_empty() {
        return Err(
            Diagnostic::error("--met needs the evidence that the condition is met")
                .hint("e.g. --met \"DPA signed 2026-12-01, contract C-123\"")
                .into(),
        );
    }
    let new_text =
        write::mark_met(text, c, evidence, today).map_err(|e| e.in_file(file.clone()))?;
    let checks = Checks {
        policies: &ws.policies,
        today,
    };
    verify(
        &new_text,
        file,
        &register.vendor,
        &register.offering,
        &checks,
    )?;
    store(&ws.root, file, &new_text)?;
    status!(
        "{file}: condition {n} of the decision of {} met: {}",
        d.date,
        c.text
    );
    Ok(ExitCode::SUCCESS)
}
