//! `diligence diff OLD [NEW]`: fact and verdict changes between two workspaces.

use super::evaluate::parse_today;
use super::{Failure, Outcome, print_diagnostics, write_stdout};
use crate::diag::Diagnostic;
use crate::diff::{self, Diff};
use crate::evaluation::{self, Evaluation, Request};
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
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
    /// The policy to evaluate both with (each workspace's own policies/NAME.yaml)
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub policy: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Evaluate both as of this date: YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

fn load(
    path: &std::path::Path,
    policy: &str,
    today: jiff::civil::Date,
) -> Result<(Workspace, Evaluation), Failure> {
    let ws = Workspace::load(path)?;
    let errors = diff::errors_of(&ws);
    if !errors.is_empty() {
        return Err(Failure(errors));
    }
    let eval = {
        let policy = ws.policy(policy)?;
        let request = Request {
            policy,
            offerings: ws
                .profiles
                .iter()
                .flat_map(|p| p.offerings.iter().map(move |o| (p, o)))
                .collect(),
            classes: policy.classes.iter().map(|c| c.name.clone()).collect(),
            tags: Vec::new(),
            today,
            generated: String::new(),
        };
        evaluation::evaluate(&ws.rules, &request).map_err(Failure)?
    };
    Ok((ws, eval))
}

pub fn run(global: &super::Global, args: DiffArgs) -> Outcome {
    let today = parse_today(args.today.as_deref())?;
    let new_path = args.new.clone().unwrap_or_else(|| global.dir.clone());
    let (old_ws, old_eval) = load(&args.old, &args.policy, today)?;
    let (new_ws, new_eval) = load(&new_path, &args.policy, today)?;
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
            .map(|x| Diagnostic {
                severity: crate::diag::Severity::Warning,
                ..x.clone()
            })
            .collect();
        print_diagnostics(&warn, &new_ws.root);
    }
    let text = match args.format {
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&d).unwrap_or_default();
            s.push('\n');
            s
        }
        DiffFormat::Table => render_text(&d, false),
        DiffFormat::Markdown => render_text(&d, true),
    };
    write_stdout(text.as_bytes())?;
    Ok(if d.got_worse() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn show(v: &Option<serde_json::Value>) -> String {
    v.as_ref().map_or("(unknown)".into(), |v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn verdict(v: Option<crate::evaluation::Verdict>) -> &'static str {
    v.map_or("(none)", |v| v.as_str())
}

/// Plain text, or GitHub Markdown (tables) for a pull-request comment.
fn render_text(d: &Diff, markdown: bool) -> String {
    let mut out = String::new();
    let h = |out: &mut String, title: &str| {
        if markdown {
            let _ = writeln!(out, "\n### {title}\n");
        } else {
            let _ = writeln!(out, "\n{title}");
        }
    };
    let esc = |s: &str| {
        if markdown {
            s.replace('|', "\\|")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        } else {
            s.to_string()
        }
    };
    if markdown {
        let _ = writeln!(out, "## diligence diff: `{}` → `{}`", d.old, d.new);
    } else {
        let _ = writeln!(out, "diligence diff: {} -> {}", d.old, d.new);
    }
    h(
        &mut out,
        &format!("Verdicts changed ({})", d.verdicts.len()),
    );
    if markdown && !d.verdicts.is_empty() {
        let _ = writeln!(
            out,
            "| vendor/offering | classification | old | new | |\n|---|---|---|---|---|"
        );
    }
    for v in &d.verdicts {
        let mark = if v.worse { "WORSE" } else { "better" };
        if markdown {
            let _ = writeln!(
                out,
                "| {}/{} | {} | {} | {} | {} |",
                esc(&v.vendor),
                esc(&v.offering),
                esc(&v.classification),
                verdict(v.old),
                verdict(v.new),
                mark
            );
        } else {
            let _ = writeln!(
                out,
                "  {:<36} {:<13} {:>11} -> {:<11} {}",
                format!("{}/{}", v.vendor, v.offering),
                v.classification,
                verdict(v.old),
                verdict(v.new),
                mark
            );
        }
    }
    if d.verdicts.is_empty() {
        let _ = writeln!(out, "  none");
    }
    h(&mut out, &format!("Facts changed ({})", d.facts.len()));
    for f in &d.facts {
        let line = format!(
            "{}/{} {}: {} {} -> {}",
            f.vendor,
            f.offering,
            f.fact,
            f.change,
            show(&f.old),
            show(&f.new)
        );
        let from = if f.new_sources.is_empty() {
            &f.old_sources
        } else {
            &f.new_sources
        };
        let sources = if from.is_empty() {
            String::new()
        } else {
            format!(" [{}]", from.join("; "))
        };
        if markdown {
            let _ = writeln!(out, "- {}{}", esc(&line), esc(&sources));
        } else {
            let _ = writeln!(out, "  {line}{sources}");
        }
    }
    if d.facts.is_empty() {
        let _ = writeln!(out, "  none");
    }
    h(
        &mut out,
        &format!("Quotes that no longer verify ({})", d.broken_quotes.len()),
    );
    for q in &d.broken_quotes {
        let line = format!(
            "{} {}/{} {}: {}",
            q.at, q.vendor, q.offering, q.fact, q.reason
        );
        if markdown {
            let _ = writeln!(out, "- {}", esc(&line));
        } else {
            let _ = writeln!(out, "  {line}");
        }
    }
    if d.broken_quotes.is_empty() {
        let _ = writeln!(out, "  none");
    }
    out
}
