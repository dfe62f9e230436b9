//! `diligence extract VENDOR SOURCE`: candidate claims cut from a source's snapshot.

use super::{Failure, Global, Outcome};
use crate::diag::{Diagnostic, did_you_mean};
use crate::intake::extract::{self, Candidate};
use crate::model::profile::{Offering, Profile, Verification};
use crate::model::profile_edit::{self, scalar};
use crate::model::vocabulary::{self, fact_spec};
use crate::model::yaml;
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Yaml,
    Json,
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// The vendor id
    pub vendor: String,
    /// The source id whose snapshot is searched
    pub source: String,
    /// The offering the drafts go to with --write (default: the profile's only offering)
    #[arg(long, value_name = "O")]
    pub offering: Option<String>,
    /// Only these facts (default: every fact of the vocabulary)
    #[arg(long = "fact", value_name = "F")]
    pub facts: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExtractFormat::Yaml)]
    pub format: ExtractFormat,
    /// Add the best candidate of each fact with a value to the profile, marked `draft: true`
    #[arg(long)]
    pub write: bool,
}

pub fn run(global: &Global, args: ExtractArgs) -> Outcome {
    let root = &global.dir;
    super::snapshot::check_workspace(root)?;
    crate::intake::check_id("vendor", &args.vendor)?;
    let shown = format!("vendors/{}/profile.yaml", args.vendor);
    let profile = load_profile(root, &args, &shown)?;
    let text = snapshot_text(root, &profile, &args, &shown)?;
    let facts = chosen_facts(&args)?;
    let candidates = extract::find(&text, &facts);
    if args.write {
        return write(root, &profile, &shown, &args, &candidates);
    }
    print_candidates(&args, &candidates)?;
    let missing: Vec<&str> = facts
        .iter()
        .filter(|f| !candidates.iter().any(|c| c.fact == **f))
        .copied()
        .collect();
    if !missing.is_empty() {
        status!("no clause found for: {}", missing.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// The vendor's profile, loaded with its evidence.
fn load_profile(root: &Path, args: &ExtractArgs, shown: &str) -> Result<Profile, Failure> {
    if !root.join(shown).is_file() {
        return Err(Diagnostic::error(format!("vendor `{}` has no profile", args.vendor))
            .hint(format!(
                "archive its documents first: `diligence snapshot {} SOURCE FILE --authority A`",
                args.vendor
            ))
            .into());
    }
    let (profile, problems) = crate::evidence::load(root, &args.vendor);
    profile.ok_or(Failure(problems))
}

/// The text of the source's archived snapshot.
fn snapshot_text(
    root: &Path,
    profile: &Profile,
    args: &ExtractArgs,
    shown: &str,
) -> Result<String, Diagnostic> {
    let Some(source) = profile.source(&args.source) else {
        let ids: Vec<&str> = profile.sources.iter().map(|s| s.id.as_str()).collect();
        let known = if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        };
        return Err(Diagnostic::error(format!(
            "vendor `{}` has no source `{}`",
            args.vendor, args.source
        ))
        .in_file(shown.to_string())
        .hint(
            did_you_mean(&args.source, ids.iter().copied())
                .unwrap_or_else(|| format!("sources: {known}")),
        ));
    };
    let Some(snapshot) = &source.snapshot else {
        return Err(
            Diagnostic::error(format!("source `{}` has no snapshot to read", args.source))
                .in_file(shown.to_string())
                .at(source.at)
                .hint("archive the document with `diligence snapshot`"),
        );
    };
    let snap_shown = format!("vendors/{}/{snapshot}", args.vendor);
    yaml::read_confined(root, &snap_shown, crate::evidence::MAX_SNAPSHOT_BYTES)
}

/// The facts named with --fact (each checked), or every fact of the vocabulary.
fn chosen_facts(args: &ExtractArgs) -> Result<Vec<&'static str>, Diagnostic> {
    if args.facts.is_empty() {
        return Ok(extract::all_facts());
    }
    args.facts
        .iter()
        .map(|f| {
            fact_spec(f).map(|spec| spec.name).ok_or_else(|| {
                Diagnostic::error(format!("--fact `{f}` is not a fact name")).hint(
                    did_you_mean(f, vocabulary::fact_names()).unwrap_or_else(|| {
                        "see `diligence schema profile` for the fact names".into()
                    }),
                )
            })
        })
        .collect()
}

fn print_candidates(args: &ExtractArgs, candidates: &[Candidate]) -> Result<(), Failure> {
    match args.format {
        ExtractFormat::Json => {
            let mut s = serde_json::to_string_pretty(candidates)
                .map_err(|e| Diagnostic::error(format!("cannot serialize the candidates: {e}")))?;
            s.push('\n');
            super::write_json(s.as_bytes())
        }
        // Quotes come from documents: the YAML a reviewer reads goes through the sanitizer.
        ExtractFormat::Yaml => super::write_human(yaml_list(candidates, &args.source).as_bytes()),
    }
}

fn yaml_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => scalar(s),
        serde_json::Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(yaml_value).collect::<Vec<_>>().join(", ")
            )
        }
        other => other.to_string(),
    }
}

/// Candidates as YAML claims, grouped by fact, ready to review and paste.
fn yaml_list(candidates: &[Candidate], source: &str) -> String {
    let mut out = String::from(
        "# Candidate claims, best first. Confirm each against the document before use.\n",
    );
    let mut last = "";
    for c in candidates {
        if c.fact != last {
            let _ = writeln!(out, "{}:", c.fact);
            last = &c.fact;
        }
        let _ = writeln!(
            out,
            "  - value: {}   # score {}",
            yaml_value(&c.value),
            c.score
        );
        let _ = writeln!(out, "    source: {source}");
        if let Some(s) = &c.section {
            let _ = writeln!(out, "    section: {}", serde_json::Value::from(s.as_str()));
        }
        let _ = writeln!(
            out,
            "    quote: {}",
            serde_json::Value::from(c.quote.as_str())
        );
        if !c.exceptions.is_empty() {
            out.push_str("    exceptions:\n");
            for e in &c.exceptions {
                let _ = writeln!(
                    out,
                    "      - quote: {}",
                    serde_json::Value::from(e.as_str())
                );
            }
        }
        let _ = writeln!(out, "    # read as: {}", c.why.replace('\n', " "));
        if let Some(q) = &c.question {
            let _ = writeln!(out, "    # no value stated unambiguously; ask: {q}");
        }
    }
    out
}

fn write(
    root: &Path,
    profile: &Profile,
    shown: &str,
    args: &ExtractArgs,
    candidates: &[Candidate],
) -> Outcome {
    let offering = target_offering(profile, args, shown)?;
    let path = root.join(shown);
    let old = yaml::read_confined(root, shown, yaml::MAX_YAML_BYTES)?;
    let (text, added, skipped) = add_drafts(old, shown, offering, &args.source, candidates)?;
    if added.is_empty() {
        status!("nothing to add; skipped: {}", skipped.join(", "));
        return Ok(ExitCode::SUCCESS);
    }
    // The drafts must load and verify like any claim before the file is replaced.
    let (after, _) = crate::evidence::from_text(&text, root, &args.vendor);
    let failed = after.as_ref().is_none_or(|p| {
        p.offering(&offering.id).is_none_or(|o| {
            added.iter().any(|f| {
                o.facts.get(f).is_none_or(|fact| {
                    fact.claims
                        .iter()
                        .any(|c| c.draft && matches!(c.verification, Verification::Failed { .. }))
                })
            })
        })
    });
    if failed {
        return Err(Diagnostic::error(
            "the drafted claims did not load or verify; profile.yaml was left untouched",
        )
        .in_file(shown.to_string())
        .hint("run without --write and add the claims by hand")
        .into());
    }
    crate::intake::write_atomically(&path, &text)?;
    status!(
        "added {} draft claim{} to {}/{}: {}",
        added.len(),
        if added.len() == 1 { "" } else { "s" },
        args.vendor,
        offering.id,
        added.join(", ")
    );
    if !skipped.is_empty() {
        status!("skipped: {}", skipped.join(", "));
    }
    status!(
        "drafts never count: read each quote, then delete its `draft: true` line or the claim (`diligence check` lists them)"
    );
    Ok(ExitCode::SUCCESS)
}

/// The offering named with --offering, or the profile's only one.
fn target_offering<'p>(
    profile: &'p Profile,
    args: &ExtractArgs,
    shown: &str,
) -> Result<&'p Offering, Diagnostic> {
    let ids = || {
        profile
            .offerings
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &args.offering {
        Some(o) => profile.offering(o).ok_or_else(|| {
            Diagnostic::error(format!("vendor `{}` has no offering `{o}`", args.vendor))
                .in_file(shown.to_string())
                .hint(format!("offerings: {}", ids()))
        }),
        None => match profile.offerings.as_slice() {
            [only] => Ok(only),
            _ => Err(
                Diagnostic::error("say which offering the drafts are for with --offering")
                    .hint(format!("offerings: {}", ids())),
            ),
        },
    }
}

/// Adds the best candidate with a value of each fact as a `draft: true` claim, in vocabulary
/// order; a fact that already has a claim from this source (or a bare value) is skipped.
/// Returns the new text, the facts added and the facts skipped with why.
fn add_drafts(
    mut text: String,
    shown: &str,
    offering: &Offering,
    source: &str,
    candidates: &[Candidate],
) -> Result<(String, Vec<String>, Vec<String>), Diagnostic> {
    let mut added = Vec::new();
    let mut skipped = Vec::new();
    let mut facts: Vec<&str> = candidates.iter().map(|c| c.fact.as_str()).collect();
    facts.dedup();
    for fact in facts {
        let Some(best) = candidates
            .iter()
            .find(|c| c.fact == fact && !c.value.is_null())
        else {
            skipped.push(format!("{fact} (no value stated unambiguously)"));
            continue;
        };
        if let Some(existing) = offering.facts.get(fact)
            && existing
                .claims
                .iter()
                .any(|c| c.source.as_deref() == Some(source) || c.source.is_none())
        {
            skipped.push(format!(
                "{fact} (already has a claim from this source, or a bare value)"
            ));
            continue;
        }
        let mut claim = vec![
            ("value", yaml_value(&best.value)),
            ("source", scalar(source)),
        ];
        if let Some(s) = &best.section {
            claim.push(("section", serde_json::Value::from(s.as_str()).to_string()));
        }
        claim.push((
            "quote",
            serde_json::Value::from(best.quote.as_str()).to_string(),
        ));
        claim.push(("draft", "true".to_string()));
        text = profile_edit::add_claim(&text, shown, &offering.id, fact, &claim)?;
        added.push(fact.to_string());
    }
    Ok((text, added, skipped))
}
