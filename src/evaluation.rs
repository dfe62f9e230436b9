//! `evaluate`: every selected offering at every selected classification, against every rule.
//! The result is format-neutral and serializes to the JSON contract of DESIGN.md.

use crate::diag::Diagnostic;
use crate::engine::facts::{FactTable, role_str};
use crate::engine::{Bindings, Level, RawFinding, RuleSet};
use crate::model::policy::{Policy, Waiver};
use crate::model::profile::{Authority, Offering, Profile};
use crate::model::resolve::Freshness;
use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Verdict {
    #[serde(rename = "go")]
    Go,
    #[serde(rename = "conditional")]
    Conditional,
    #[serde(rename = "hold")]
    Hold,
    #[serde(rename = "no-go")]
    NoGo,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Go => "go",
            Verdict::Conditional => "conditional",
            Verdict::Hold => "hold",
            Verdict::NoGo => "no-go",
        }
    }

    /// The verdict a finding level drives (warn, info and pass never change it).
    pub fn from_level(level: Level) -> Verdict {
        match level {
            Level::Block => Verdict::NoGo,
            Level::Hold => Verdict::Hold,
            Level::Condition => Verdict::Conditional,
            Level::Warn | Level::Info | Level::Pass => Verdict::Go,
        }
    }

    /// The verdict of a set of findings: the worst that is not waived.
    pub fn of(findings: &[Finding]) -> Verdict {
        findings
            .iter()
            .filter(|f| f.waived.is_none())
            .map(|f| Verdict::from_level(f.level))
            .max()
            .unwrap_or(Verdict::Go)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub fact: String,
    /// The source id; None for a bare value.
    pub source: Option<String>,
    pub authority: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub section: Option<String>,
    pub quote: Option<String>,
    /// `vendors/<id>/profile.yaml:LINE:COL` of the claim.
    pub at: String,
    /// What this claim says.
    pub value: Value,
    /// decides | conflicts | agrees | outvoted | unverified | silent
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For a `not_stated` claim: the words searched for and not found in the source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub searched: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverInfo {
    pub reason: String,
    pub approved_by: String,
    pub expires: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub level: Level,
    pub message: String,
    pub action: Option<String>,
    pub waived: Option<WaiverInfo>,
    /// The resolved value of each fact cited (null when unknown or conflicting), sorted by fact
    /// name, serialized as a JSON object. A list rather than a map: a finding cites one or two
    /// facts, and a BTreeMap node costs about 600 bytes in every one of them.
    #[serde(serialize_with = "cited_facts_as_map")]
    pub facts: Vec<(String, Value)>,
    /// Shared with every other finding that cites the same facts of the same offering.
    pub evidence: Vec<Arc<Evidence>>,
    /// `scripts/<rule>.rhai:LINE` of the call that raised it.
    pub raised_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferingResult {
    pub vendor: String,
    pub vendor_name: String,
    pub offering: String,
    pub offering_name: String,
    pub tier: String,
    pub classification: String,
    pub tags: Vec<String>,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub policy: String,
    pub organization: String,
    pub generated: String,
    pub today: String,
    pub classifications: Vec<String>,
    pub rules: Vec<String>,
    pub results: Vec<OfferingResult>,
    /// Problems that did not stop the evaluation (expired waivers, unverified quotes).
    pub warnings: Vec<String>,
}

impl Evaluation {
    pub fn worst(&self) -> Option<Verdict> {
        self.results.iter().map(|r| r.verdict).max()
    }
}

/// What to evaluate.
pub struct Request<'a> {
    pub policy: &'a Policy,
    /// (profile, offering) pairs, in output order.
    pub offerings: Vec<(&'a Profile, &'a Offering)>,
    pub classes: Vec<String>,
    pub tags: Vec<String>,
    pub today: Date,
    /// The timestamp written into the output.
    pub generated: String,
}

/// The date before which evidence is stale under the policy.
pub fn freshness(policy: &Policy, today: Date) -> Freshness {
    Freshness {
        oldest_fresh: policy
            .evidence_max_age_days
            .and_then(|days| today.checked_sub(jiff::Span::new().days(days)).ok()),
    }
}

/// Runs the evaluation. Rule errors (a script that fails or runs past its limits) are returned
/// as diagnostics: the evaluation is then not trustworthy and no result is produced.
pub fn evaluate(rules: &RuleSet, req: &Request) -> Result<Evaluation, Vec<Diagnostic>> {
    let freshness = freshness(req.policy, req.today);
    let requirements: Vec<_> = req
        .classes
        .iter()
        .map(|c| (c, req.policy.requirements(c, &req.tags)))
        .collect();

    let per_offering: Vec<Result<Vec<OfferingResult>, Vec<Diagnostic>>> = req
        .offerings
        .par_iter()
        .map(|(profile, offering)| {
            let table = Arc::new(FactTable::build(profile, offering, freshness));
            let mut results = Vec::new();
            let mut errors = Vec::new();
            for (class, reqs) in &requirements {
                let bindings = Bindings {
                    profile,
                    offering,
                    policy: req.policy,
                    classification: class,
                    tags: &req.tags,
                    requirements: reqs,
                    today: req.today,
                };
                let (mut findings, errs) = run_rules(rules, rules.rules.iter(), &bindings, &table);
                errors.extend(errs);
                apply_waivers(
                    &mut findings,
                    &req.policy.waivers,
                    profile,
                    offering,
                    class,
                    req.today,
                );
                results.push(OfferingResult {
                    vendor: profile.id.clone(),
                    vendor_name: profile.name.clone(),
                    offering: offering.id.clone(),
                    offering_name: offering.name.clone(),
                    tier: offering.tier.clone(),
                    classification: class.to_string(),
                    tags: req.tags.clone(),
                    verdict: Verdict::of(&findings),
                    findings,
                });
            }
            if errors.is_empty() {
                Ok(results)
            } else {
                Err(errors)
            }
        })
        .collect();

    let mut results = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    for r in per_offering {
        match r {
            Ok(rs) => results.extend(rs),
            Err(es) => {
                for e in es {
                    // The same broken line fails for every offering: say it once.
                    if !errors
                        .iter()
                        .any(|x| x.file == e.file && x.line == e.line && x.column == e.column)
                    {
                        errors.push(e);
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Evaluation {
        policy: req.policy.name.clone(),
        organization: req.policy.organization.clone(),
        generated: req.generated.clone(),
        today: req.today.to_string(),
        classifications: req.classes.clone(),
        rules: rules.rules.iter().map(|r| r.id.clone()).collect(),
        results,
        warnings: expired_waivers(req.policy, req.today),
    })
}

/// Runs `selected` rules for one offering at one classification and returns their findings
/// (with evidence attached, before waivers) and the errors of rules that failed.
pub fn run_rules<'r>(
    rules: &RuleSet,
    selected: impl Iterator<Item = &'r crate::engine::Rule>,
    bindings: &Bindings,
    table: &Arc<FactTable>,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut scope = bindings.scope();
    let decisive = bindings.requirements.decisive_facts();
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let (profile, offering) = (bindings.profile, bindings.offering);
    for rule in selected {
        match rules.run(rule, table, &mut scope, &decisive, bindings.today) {
            Ok(record) => findings.extend(
                record
                    .findings
                    .into_iter()
                    .map(|raw| finding(&rule.id, &rule.file, raw, table)),
            ),
            Err(d) => errors.push(Diagnostic {
                message: format!(
                    "{} (evaluating {}/{} at {})",
                    d.message, profile.id, offering.id, bindings.classification
                ),
                ..d
            }),
        }
    }
    (findings, errors)
}

fn cited_facts_as_map<S: serde::Serializer>(
    facts: &[(String, Value)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(facts.iter().map(|(name, value)| (name, value)))
}

pub fn finding(rule: &str, file: &str, raw: RawFinding, table: &FactTable) -> Finding {
    let mut facts = Vec::with_capacity(raw.facts.len());
    // Exactly as many entries as the cited facts have claims: findings are kept until the report
    // is written, and a growing Vec would leave unused slots in each.
    let claims = raw
        .facts
        .iter()
        .filter_map(|name| table.evidence.get(name))
        .map(Vec::len)
        .sum();
    let mut evidence = Vec::with_capacity(claims);
    for name in &raw.facts {
        let resolved = table.resolved.get(name);
        facts.push((
            name.clone(),
            resolved
                .and_then(|r| r.value.clone())
                .unwrap_or(Value::Null),
        ));
        if let Some(cited) = table.evidence.get(name) {
            evidence.extend(cited.iter().cloned());
        }
    }
    facts.sort_by(|a, b| a.0.cmp(&b.0));
    facts.dedup_by(|a, b| a.0 == b.0);
    let (level, message, action) = if raw.level == Level::Block && rests_on_leads(&raw.facts, table)
    {
        (
            Level::Hold,
            format!(
                "{} (only a third-party analysis or an unsupported value says so: a lead, not a decision)",
                raw.message
            ),
            Some(format!(
                "Confirm it in the vendor's own terms, DPA or documentation before deciding. {}",
                raw.action.unwrap_or_default()
            )
            .trim_end()
            .to_string()),
        )
    } else {
        (raw.level, raw.message, raw.action)
    };
    Finding {
        rule: rule.to_string(),
        level,
        message,
        action,
        waived: None,
        facts,
        evidence,
        raised_at: format!("{file}:{}", raw.line),
    }
}

/// The evidence entries of one fact: every claim with its role. Built once per offering.
pub fn evidence_of(
    profile: &Profile,
    fact: &crate::model::profile::Fact,
    resolved: &crate::model::resolve::Resolved,
) -> Vec<Arc<Evidence>> {
    fact.claims
        .iter()
        .zip(&resolved.roles)
        .map(|(claim, role)| {
            let source = claim.source.as_deref().and_then(|s| profile.source(s));
            Arc::new(Evidence {
                fact: fact.name.clone(),
                source: claim.source.clone(),
                authority: claim.authority.as_str().to_string(),
                title: source.map(|s| s.title.clone()),
                url: source.and_then(|s| s.url.clone()),
                section: claim.section.clone(),
                quote: claim.quote.clone(),
                at: format!("{}:{}:{}", profile.file, claim.at.line, claim.at.column),
                value: claim.value.clone(),
                role: role_str(*role).to_string(),
                note: claim.note.clone(),
                searched: claim.searched.clone(),
            })
        })
        .collect()
}

/// Whether every cited fact that has a value rests only on third-party or unsupported claims.
/// Such evidence is a lead: a block on it alone is reported as a hold.
fn rests_on_leads(facts: &[String], table: &FactTable) -> bool {
    let mut authorities = facts
        .iter()
        .filter_map(|f| table.resolved.get(f))
        .filter(|r| r.value.is_some())
        .filter_map(|r| r.authority)
        .peekable();
    authorities.peek().is_some()
        && authorities.all(|a| matches!(a, Authority::ThirdParty | Authority::Unsupported))
}

fn apply_waivers(
    findings: &mut [Finding],
    waivers: &[Waiver],
    profile: &Profile,
    offering: &Offering,
    class: &str,
    today: Date,
) {
    for f in findings.iter_mut() {
        if f.level < Level::Condition {
            continue; // nothing to waive
        }
        if let Some(w) = waivers
            .iter()
            .find(|w| w.live(today) && w.matches(&f.rule, &profile.id, &offering.id, class))
        {
            f.waived = Some(WaiverInfo {
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
                expires: w.expires.to_string(),
            });
        }
    }
}

fn expired_waivers(policy: &Policy, today: Date) -> Vec<String> {
    policy
        .waivers
        .iter()
        .filter(|w| !w.live(today))
        .map(|w| {
            format!(
                "{}:{}:{}: waiver of rule `{}` for {}{} expired on {} and is ignored",
                policy.file,
                w.at.line,
                w.at.column,
                w.rule,
                w.vendor,
                w.offering
                    .as_deref()
                    .map(|o| format!("/{o}"))
                    .unwrap_or_default(),
                w.expires
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(level: Level, waived: bool) -> Finding {
        Finding {
            rule: "r".into(),
            level,
            message: String::new(),
            action: None,
            waived: waived.then(|| WaiverInfo {
                reason: "r".into(),
                approved_by: "a".into(),
                expires: "2027-01-01".into(),
            }),
            facts: Vec::new(),
            evidence: vec![],
            raised_at: String::new(),
        }
    }

    #[test]
    fn verdict_is_the_worst_unwaived_finding() {
        assert_eq!(Verdict::of(&[]), Verdict::Go);
        assert_eq!(
            Verdict::of(&[f(Level::Warn, false), f(Level::Info, false)]),
            Verdict::Go
        );
        assert_eq!(
            Verdict::of(&[f(Level::Condition, false), f(Level::Pass, false)]),
            Verdict::Conditional
        );
        assert_eq!(
            Verdict::of(&[f(Level::Condition, false), f(Level::Hold, false)]),
            Verdict::Hold
        );
        assert_eq!(
            Verdict::of(&[f(Level::Block, false), f(Level::Hold, false)]),
            Verdict::NoGo
        );
        assert_eq!(
            Verdict::of(&[f(Level::Block, true), f(Level::Condition, false)]),
            Verdict::Conditional
        );
    }
}
