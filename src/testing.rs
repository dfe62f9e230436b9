//! Rule tests: `scripts/<rule>.test.yaml`, run by `diligence test`.
//!
//! A test file is a YAML list of cases. Each case describes one synthetic offering and what the
//! rule alone must conclude about it; it runs through the real engine (the compiled rule, the
//! fact table, the requirement set of the policy), exactly as `evaluate` would run it.
//!
//! ```yaml
//! - name: contract says never               # required, unique in the file
//!   classification: confidential            # default: the policy's most sensitive class
//!   tags: [phi]                             # policy tags whose requirements are merged in
//!   require: {no_training: true}            # overrides on top of the class + tag requirements;
//!                                           #   `name: null` unsets a requirement
//!   tier: api                               # consumer | api | enterprise (default api)
//!   today: 2026-11-24                       # default 2026-11-24, so results never drift
//!   reviewed: 2026-06-01                    # vendor.reviewed (default: not recorded)
//!   policy: {evidence_max_age_days: 365}    # override the policy's evidence_max_age_days /
//!                                           #   review_interval_days (null unsets)
//!   authority: contract                     # the authority of bare values (default contract)
//!   sources:                                # extra sources, same shape as a profile's
//!     old-terms: {authority: contract, retrieved: 2024-01-01}
//!   facts:                                  # exactly a profile's `facts:` syntax
//!     training_on_inputs: never             # a bare value
//!     retention_days:                       # or a list of claims
//!       - {value: 30, source: contract}
//!       - {value: 90, source: third_party}
//!   expect:                                 # at least one of:
//!     verdict: go                           #   the verdict of this rule's findings alone
//!     findings:                             #   each must match some finding (extra ones are fine)
//!       - {level: pass, message: "does not train"}   # message/action: substrings
//!     absent: [block, hold]                 #   levels that must not appear
//! ```
//!
//! Decisions:
//! - **Evidence.** Test cases have no snapshots: every claim's quote is taken as verified, and
//!   `quote:` may be left out. Every case can cite one built-in source per authority, named
//!   after it (`signed`, `contract`, `dpa`, `policy`, `docs`, `trust_center`, `questionnaire`,
//!   `third_party`, never stale); `sources:` adds more (e.g. with a `retrieved:` date for stale
//!   evidence) or replaces a built-in one.
//! - **Bare values** count as `contract` evidence in tests, not as unsupported values as in a
//!   profile: most cases test a rule's logic, and the engine would otherwise turn every `block`
//!   resting on a bare value into a `hold`. Write `authority: unsupported` (or `third_party`,
//!   ...) on the case to test how a rule treats weak evidence.
//! - **Matching.** Levels match exactly; `message` and `action` are case-sensitive substrings.
//!   An expected finding may match any actual finding, and extra findings are allowed unless
//!   their level is listed in `absent`.
//! - **Coverage** is by line: a finding call counts as reached when a case raised a finding on
//!   its line (whatever the level after the engine's downgrades), so two calls on one line are
//!   reached together.

use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::engine::{Rule, RuleSet};
use crate::evaluation::{Context, Prepared, Stopped, evaluate_cell};
use crate::model::policy::{Origin, Policy, Requirements, parse_requirements};
use crate::model::profile::{self, Authority, Offering, Profile, Source, Verification, valid_id};
use crate::model::vocabulary::{TIERS, parse_date, requirement_spec};
use crate::model::yaml::{self, Node, span_pos};
use crate::outcome::{Finding, Level, Verdict};
use jiff::civil::Date;
use serde_saphyr::Spanned;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

/// The date cases run at unless they say otherwise.
pub const DEFAULT_TODAY: &str = "2026-11-24";
/// The tier of a case's offering unless it says otherwise.
pub const DEFAULT_TIER: &str = "api";
/// The authority of a bare value in a test case unless the case says otherwise.
pub const DEFAULT_AUTHORITY: Authority = Authority::Contract;

const CASE_FIELDS: &[&str] = &[
    "name",
    "classification",
    "tags",
    "require",
    "tier",
    "today",
    "reviewed",
    "policy",
    "authority",
    "sources",
    "facts",
    "expect",
];
const SOURCE_FIELDS: &[&str] = &["title", "url", "authority", "last_updated", "retrieved"];
const POLICY_FIELDS: &[&str] = &["evidence_max_age_days", "review_interval_days"];
const EXPECT_FIELDS: &[&str] = &["verdict", "findings", "absent"];
const FINDING_FIELDS: &[&str] = &["level", "message", "action"];
const VERDICTS: &[&str] = &["go", "conditional", "hold", "no-go"];

/// `scripts/<rule>.test.yaml`, relative to the workspace.
pub fn test_file(rule: &str) -> String {
    format!("scripts/{rule}.test.yaml")
}

/// A finding a case expects.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedFinding {
    pub level: Level,
    /// A substring of the message.
    pub message: Option<String>,
    /// A substring of the action.
    pub action: Option<String>,
    pub at: Pos,
}

impl fmt::Display for ExpectedFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} finding", self.level.as_str())?;
        if let Some(m) = &self.message {
            write!(f, " with message containing {m:?}")?;
        }
        if let Some(a) = &self.action {
            let and = if self.message.is_some() {
                " and"
            } else {
                " with"
            };
            write!(f, "{and} action containing {a:?}")?;
        }
        Ok(())
    }
}

/// What a case expects; every part given must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expect {
    pub verdict: Option<Verdict>,
    pub findings: Vec<ExpectedFinding>,
    pub absent: Vec<Level>,
}

/// One test case, validated and ready to run.
#[derive(Debug, Clone)]
pub struct Case {
    pub rule: String,
    pub name: String,
    /// The test file, relative to the workspace.
    pub file: String,
    pub at: Pos,
    pub classification: String,
    pub tags: Vec<String>,
    pub requirements: Requirements,
    pub today: Date,
    pub evidence_max_age_days: Option<i64>,
    pub review_interval_days: Option<i64>,
    /// A synthetic vendor with one offering, the case's.
    pub profile: Profile,
    pub expect: Expect,
}

/// Why a case failed (besides a rule error).
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    Verdict { expected: Verdict, actual: Verdict },
    Missing(ExpectedFinding),
    Unwanted { level: Level, message: String },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Verdict { expected, actual } => write!(
                f,
                "expected verdict {}, got {}",
                expected.as_str(),
                actual.as_str()
            ),
            Mismatch::Missing(e) => write!(f, "expected {e}, found none"),
            Mismatch::Unwanted { level, message } => {
                write!(f, "expected no {} finding, got: {message}", level.as_str())
            }
        }
    }
}

/// What running a case produced.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// The rule failed (a runtime error or a limit): the case fails.
    pub errors: Vec<Diagnostic>,
    pub mismatches: Vec<Mismatch>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.errors.is_empty() && self.mismatches.is_empty()
    }
}

/// Compares a rule's findings with a case's expectations.
pub fn check(expect: &Expect, verdict: Verdict, findings: &[Finding]) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if let Some(expected) = expect.verdict
        && expected != verdict
    {
        out.push(Mismatch::Verdict {
            expected,
            actual: verdict,
        });
    }
    for e in &expect.findings {
        if !findings.iter().any(|f| matches(e, f)) {
            out.push(Mismatch::Missing(e.clone()));
        }
    }
    for level in &expect.absent {
        for f in findings.iter().filter(|f| f.level == *level) {
            out.push(Mismatch::Unwanted {
                level: *level,
                message: f.message.clone(),
            });
        }
    }
    out
}

/// Whether a finding is the one expected: same level, and the message and action contain the
/// expected substrings.
pub fn matches(expected: &ExpectedFinding, finding: &Finding) -> bool {
    expected.level == finding.level
        && expected
            .message
            .as_deref()
            .is_none_or(|m| finding.message.contains(m))
        && expected
            .action
            .as_deref()
            .is_none_or(|a| finding.action.as_deref().unwrap_or("").contains(a))
}

/// Runs one case: its rule only, against its synthetic offering, through the same evaluation
/// function as `evaluate`.
pub fn run_case(rules: &RuleSet, case: &Case, policy: &Policy) -> CaseResult {
    let mut policy = policy.clone();
    policy.evidence_max_age_days = case.evidence_max_age_days;
    policy.review_interval_days = case.review_interval_days;
    let ctx = Context::new(rules, &policy, &case.tags, case.today);
    let prepared = Prepared::new(&ctx, &case.profile, &case.profile.offerings[0]);
    let stopped = Stopped::default();
    let cell = evaluate_cell(
        &ctx,
        &prepared,
        &case.classification,
        &case.requirements,
        Some(&case.rule),
        &stopped,
    );
    let errors: Vec<Diagnostic> = cell.rules.into_iter().filter_map(|o| o.error).collect();
    let (verdict, findings) = (Verdict::of(&cell.result.findings), cell.result.findings);
    let mismatches = if errors.is_empty() {
        check(&case.expect, verdict, &findings)
    } else {
        Vec::new()
    };
    CaseResult {
        verdict,
        findings,
        errors,
        mismatches,
    }
}

/// Which finding calls of a rule the cases reached.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleCoverage {
    pub rule: String,
    /// Whether the rule has a test file.
    pub tested: bool,
    /// Every finding call in the script: (level, line).
    pub calls: Vec<(Level, u32)>,
    /// The calls no case reached.
    pub missed: Vec<(Level, u32)>,
}

impl RuleCoverage {
    pub fn reached(&self) -> usize {
        self.calls.len() - self.missed.len()
    }
}

/// The line of `scripts/<rule>.rhai:LINE`.
fn raised_line(raised_at: &str) -> Option<u32> {
    raised_at.rsplit_once(':')?.1.parse().ok()
}

/// Coverage of `rule` by the findings its cases produced.
pub fn coverage<'a>(
    rule: &Rule,
    tested: bool,
    findings: impl IntoIterator<Item = &'a Finding>,
) -> RuleCoverage {
    let lines: BTreeSet<u32> = findings
        .into_iter()
        .filter(|f| f.rule == rule.id)
        .filter_map(|f| raised_line(&f.raised_at))
        .collect();
    RuleCoverage {
        rule: rule.id.clone(),
        tested,
        calls: rule.finding_calls.clone(),
        missed: rule
            .finding_calls
            .iter()
            .filter(|(_, line)| !lines.contains(line))
            .copied()
            .collect(),
    }
}

/// (reached, total, percent) over several rules; no calls at all is 100%.
pub fn total_coverage(rules: &[RuleCoverage]) -> (usize, usize, f64) {
    let total: usize = rules.iter().map(|r| r.calls.len()).sum();
    let reached: usize = rules.iter().map(RuleCoverage::reached).sum();
    let percent = if total == 0 {
        100.0
    } else {
        reached as f64 * 100.0 / total as f64
    };
    (reached, total, percent)
}

/// Loads `scripts/<rule>.test.yaml`, checking every case against the policy. Returns the valid
/// cases and every problem found (a problem in one case does not hide those of the others).
pub fn load_cases(root: &Path, rule: &str, policy: &Policy) -> (Vec<Case>, Vec<Diagnostic>) {
    let file = test_file(rule);
    match yaml::read_confined(root, &file, yaml::MAX_YAML_BYTES) {
        Ok(text) => parse_cases(&text, &file, rule, policy),
        Err(d) => (Vec::new(), vec![d]),
    }
}

/// Parses the text of a test file (see [`load_cases`]).
pub fn parse_cases(
    text: &str,
    file: &str,
    rule: &str,
    policy: &Policy,
) -> (Vec<Case>, Vec<Diagnostic>) {
    let root: Spanned<Node> = match yaml::parse(text, file) {
        Ok(n) => n,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let mut problems = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    match &root.value {
        Node::Seq(items) if !items.is_empty() => {
            let ctx = FileContext { rule, file, policy };
            for item in items {
                if let Some(case) = parse_case(item, &ctx, &mut problems) {
                    if let Some(first) = cases.iter().find(|c| c.name == case.name) {
                        problems.push(
                            Diagnostic::error(format!(
                                "test case `{}` is defined twice (first at line {})",
                                case.name, first.at.line
                            ))
                            .at(case.at)
                            .hint("give every case of a file its own name"),
                        );
                        continue;
                    }
                    cases.push(case);
                }
            }
        }
        Node::Seq(_) | Node::Null => problems.push(
            Diagnostic::error("the test file has no cases")
                .at(Pos::new(1, 1))
                .hint("write a list of cases: `- name: ...`, `facts: {...}`, `expect: {...}`"),
        ),
        other => problems.push(
            Diagnostic::error(format!(
                "a test file is a list of cases, found {}",
                other.kind()
            ))
            .at(span_pos(&root))
            .hint("start each case with `- name: ...`"),
        ),
    }
    for d in &mut problems {
        if d.file.is_none() {
            d.file = Some(file.to_string());
        }
    }
    (cases, problems)
}

struct FileContext<'a> {
    rule: &'a str,
    file: &'a str,
    policy: &'a Policy,
}

fn error_at(node: &Spanned<Node>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(message).at(span_pos(node))
}

fn text<'n>(node: &'n Spanned<Node>, what: &str) -> Result<&'n str, Diagnostic> {
    match &node.value {
        Node::Str(s) if !s.trim().is_empty() => Ok(s.trim()),
        Node::Str(_) => Err(error_at(node, format!("{what}: is empty"))),
        other => Err(error_at(
            node,
            format!("{what}: expected text, found {}", other.kind()),
        )),
    }
}

fn one_of(node: &Spanned<Node>, what: &str, allowed: &[&str]) -> Result<String, Diagnostic> {
    let s = text(node, what)?;
    if allowed.contains(&s) {
        Ok(s.to_string())
    } else {
        Err(error_at(
            node,
            format!("{what}: `{s}` is not one of: {}", allowed.join(", ")),
        )
        .maybe_hint(did_you_mean(s, allowed.iter().copied())))
    }
}

fn date(node: &Spanned<Node>, what: &str) -> Result<Date, Diagnostic> {
    parse_date(text(node, what)?, span_pos(node), what)
}

/// The entries of a mapping, after reporting the fields not in `allowed`.
fn fields<'n>(
    node: &'n Spanned<Node>,
    what: &str,
    allowed: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Option<&'n [(Spanned<String>, Spanned<Node>)]> {
    let Node::Map(entries) = &node.value else {
        problems.push(error_at(
            node,
            format!(
                "{what}: expected a mapping ({}), found {}",
                allowed.join(", "),
                node.value.kind()
            ),
        ));
        return None;
    };
    unknown_fields(entries, what, allowed, problems);
    Some(entries)
}

/// Reports the keys of a mapping that are not in `allowed`, with a suggestion.
fn unknown_fields(
    entries: &[(Spanned<String>, Spanned<Node>)],
    what: &str,
    allowed: &[&str],
    problems: &mut Vec<Diagnostic>,
) {
    for (key, _) in entries {
        if !allowed.contains(&key.value.as_str()) {
            problems.push(
                Diagnostic::error(format!("{what}: unknown field `{}`", key.value))
                    .at(span_pos(key))
                    .hint(
                        did_you_mean(&key.value, allowed.iter().copied())
                            .unwrap_or_else(|| format!("allowed fields: {}", allowed.join(", "))),
                    ),
            );
        }
    }
}

fn get<'n>(
    entries: &'n [(Spanned<String>, Spanned<Node>)],
    key: &str,
) -> Option<&'n Spanned<Node>> {
    entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
}

/// Keeps `Ok` values; pushes errors to `problems`.
fn keep<T>(r: Result<T, Diagnostic>, problems: &mut Vec<Diagnostic>) -> Option<T> {
    r.map_err(|d| problems.push(d)).ok()
}

fn authority_names() -> Vec<&'static str> {
    Authority::NAMED
        .iter()
        .map(|a| a.as_str())
        .chain([Authority::Unsupported.as_str()])
        .collect()
}

fn parse_authority(
    node: &Spanned<Node>,
    what: &str,
    allow_unsupported: bool,
) -> Result<Authority, Diagnostic> {
    let mut names = authority_names();
    if !allow_unsupported {
        names.pop();
    }
    let s = one_of(node, what, &names)?;
    Ok(Authority::NAMED
        .into_iter()
        .find(|a| a.as_str() == s)
        .unwrap_or(Authority::Unsupported))
}

fn parse_level(node: &Spanned<Node>, what: &str) -> Result<Level, Diagnostic> {
    let names: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
    let s = one_of(node, what, &names)?;
    Ok(Level::ALL
        .into_iter()
        .find(|l| l.as_str() == s)
        .unwrap_or(Level::Pass))
}

/// One built-in source per named authority, named after it.
fn builtin_sources() -> Vec<Source> {
    Authority::NAMED
        .iter()
        .map(|a| Source {
            id: a.as_str().to_string(),
            title: format!("{} source (test)", a.as_str()),
            url: None,
            authority: *a,
            last_updated: None,
            retrieved: None,
            snapshot: None,
            snapshot_at: Pos::default(),
            sha256: None,
            actual_sha256: None,
            at: Pos::default(),
            status: Default::default(),
            notes: None,
        })
        .collect()
}

fn parse_case(
    item: &Spanned<Node>,
    ctx: &FileContext,
    problems: &mut Vec<Diagnostic>,
) -> Option<Case> {
    let before = problems.len();
    let at = span_pos(item);
    let Node::Map(entries) = &item.value else {
        problems.push(
            error_at(
                item,
                format!(
                    "each test case is a mapping (name, facts, expect, ...), found {}",
                    item.value.kind()
                ),
            )
            .hint("start each case with `- name: ...`"),
        );
        return None;
    };
    let name = match get(entries, "name") {
        Some(n) => keep(text(n, "test case: name"), problems).map(str::to_string),
        None => {
            problems.push(
                Diagnostic::error("test case has no `name`")
                    .at(at)
                    .hint("start each case with `- name: what it checks`"),
            );
            None
        }
    };
    let label = match &name {
        Some(n) => format!("test case `{n}`"),
        None => "test case".to_string(),
    };
    unknown_fields(entries, &label, CASE_FIELDS, problems);
    let policy = ctx.policy;

    let class_names: Vec<&str> = policy.classes.iter().map(|c| c.name.as_str()).collect();
    let classification = match get(entries, "classification") {
        Some(n) => keep(
            one_of(n, &format!("{label}: classification"), &class_names).map_err(|d| {
                d.hint(format!(
                    "classifications of policy `{}`: {}",
                    policy.name,
                    class_names.join(", ")
                ))
            }),
            problems,
        ),
        None => class_names.last().map(|s| s.to_string()),
    };

    let tag_names: Vec<&str> = policy.tags.iter().map(|t| t.name.as_str()).collect();
    let mut tags: Vec<String> = Vec::new();
    if let Some(n) = get(entries, "tags") {
        match &n.value {
            Node::Seq(items) => {
                for t in items {
                    if let Some(t) = keep(one_of(t, &format!("{label}: tag"), &tag_names), problems)
                        && !tags.contains(&t)
                    {
                        tags.push(t);
                    }
                }
            }
            other => problems.push(
                error_at(
                    n,
                    format!("{label}: tags: expected a list, found {}", other.kind()),
                )
                .hint("e.g. `tags: [phi]`"),
            ),
        }
    }

    let mut overrides = Vec::new();
    let mut unset = Vec::new();
    if let Some(n) = get(entries, "require") {
        overrides.extend(parse_requirements(n, &label, problems));
        if let Node::Map(reqs) = &n.value {
            for (k, v) in reqs {
                if v.value == Node::Null
                    && let Some(spec) = requirement_spec(&k.value)
                {
                    unset.push(spec.name);
                }
            }
        }
    }

    let tier = match get(entries, "tier") {
        Some(n) => keep(one_of(n, &format!("{label}: tier"), TIERS), problems),
        None => Some(DEFAULT_TIER.to_string()),
    };
    let today = match get(entries, "today") {
        Some(n) => keep(date(n, &format!("{label}: today")), problems),
        None => DEFAULT_TODAY.parse().ok(),
    };
    let reviewed = get(entries, "reviewed")
        .and_then(|n| keep(date(n, &format!("{label}: reviewed")), problems));
    let bare_authority = match get(entries, "authority") {
        Some(n) => keep(
            parse_authority(n, &format!("{label}: authority"), true),
            problems,
        ),
        None => Some(DEFAULT_AUTHORITY),
    };

    let mut evidence_max_age_days = policy.evidence_max_age_days;
    let mut review_interval_days = policy.review_interval_days;
    if let Some(n) = get(entries, "policy") {
        let what = format!("{label}: policy");
        for (key, value) in fields(n, &what, POLICY_FIELDS, problems).unwrap_or_default() {
            let parsed = match value.value {
                Node::Null => Some(None),
                Node::Int(i) if i > 0 => Some(Some(i)),
                _ => {
                    problems.push(error_at(
                        value,
                        format!(
                            "{what}: {}: expected a positive whole number of days (or null), found {}",
                            key.value,
                            value.value.kind()
                        ),
                    ));
                    None
                }
            };
            match (key.value.as_str(), parsed) {
                ("evidence_max_age_days", Some(v)) => evidence_max_age_days = v,
                ("review_interval_days", Some(v)) => review_interval_days = v,
                _ => {}
            }
        }
    }

    let mut sources = builtin_sources();
    if let Some(n) = get(entries, "sources") {
        let what = format!("{label}: sources");
        match &n.value {
            Node::Map(list) => {
                for (id, src) in list {
                    if let Some(s) = parse_source(id, src, &what, problems) {
                        sources.retain(|x| x.id != s.id);
                        sources.push(s);
                    }
                }
            }
            Node::Null => {}
            other => problems.push(error_at(
                n,
                format!(
                    "{what}: expected a mapping of source ids, found {}",
                    other.kind()
                ),
            )),
        }
    }

    let mut facts = Default::default();
    if let Some(n) = get(entries, "facts") {
        facts = profile::parse_facts(n, &sources, problems);
    }

    let expect = match get(entries, "expect") {
        Some(n) => parse_expect(n, &label, problems),
        None => {
            problems.push(
                Diagnostic::error(format!("{label} has no `expect`"))
                    .at(at)
                    .hint("say what the rule must conclude, e.g. `expect: {verdict: go}`"),
            );
            None
        }
    };

    if problems.len() > before {
        return None;
    }
    let (name, classification, tier, today, bare_authority, expect) = (
        name?,
        classification?,
        tier?,
        today?,
        bare_authority?,
        expect?,
    );

    for fact in facts.values_mut() {
        for claim in &mut fact.claims {
            match claim.verification {
                Verification::Bare if bare_authority != Authority::Unsupported => {
                    claim.authority = bare_authority;
                    claim.verification = Verification::Verified;
                }
                Verification::Unarchived => claim.verification = Verification::Verified,
                _ => {}
            }
        }
    }

    let mut requirements = policy.requirements(&classification, &tags);
    for (key, value) in overrides {
        requirements
            .0
            .insert(key, (value, Origin::Class("test case".to_string())));
    }
    for key in unset {
        requirements.0.remove(key);
    }

    Some(Case {
        rule: ctx.rule.to_string(),
        file: ctx.file.to_string(),
        at,
        classification,
        tags,
        requirements,
        today,
        evidence_max_age_days,
        review_interval_days,
        profile: Profile {
            id: "test-vendor".to_string(),
            name: "Test vendor".to_string(),
            reviewed,
            file: ctx.file.to_string(),
            sources,
            offerings: vec![Offering {
                id: "test-offering".to_string(),
                name: name.clone(),
                tier,
                facts,
                at,
                notes: None,
            }],
            notes: None,
            precedence: Vec::new(),
        },
        name,
        expect,
    })
}

fn parse_source(
    id: &Spanned<String>,
    node: &Spanned<Node>,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Source> {
    let before = problems.len();
    if !valid_id(&id.value) {
        problems.push(
            Diagnostic::error(format!("{what}: source id `{}` is not valid", id.value))
                .at(span_pos(id))
                .hint("use lowercase letters, digits, `-` and `_`"),
        );
    }
    let what = format!("{what}: `{}`", id.value);
    let entries = fields(node, &what, SOURCE_FIELDS, problems)?;
    let authority = match get(entries, "authority") {
        Some(n) => keep(
            parse_authority(n, &format!("{what}: authority"), false),
            problems,
        ),
        None => {
            problems.push(
                error_at(node, format!("{what}: a source needs an `authority`"))
                    .hint("e.g. `{authority: contract, retrieved: 2024-01-01}`"),
            );
            None
        }
    };
    let title = get(entries, "title")
        .and_then(|n| keep(text(n, &format!("{what}: title")), problems))
        .unwrap_or(&id.value)
        .to_string();
    let url = get(entries, "url")
        .and_then(|n| keep(text(n, &format!("{what}: url")), problems))
        .map(str::to_string);
    let last_updated = get(entries, "last_updated")
        .and_then(|n| keep(date(n, &format!("{what}: last_updated")), problems));
    let retrieved = get(entries, "retrieved")
        .and_then(|n| keep(date(n, &format!("{what}: retrieved")), problems));
    if problems.len() > before {
        return None;
    }
    Some(Source {
        id: id.value.clone(),
        title,
        url,
        authority: authority?,
        last_updated,
        retrieved,
        snapshot: None,
        snapshot_at: span_pos(id),
        sha256: None,
        actual_sha256: None,
        at: span_pos(id),
        status: Default::default(),
        notes: None,
    })
}

fn parse_expect(
    node: &Spanned<Node>,
    label: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Expect> {
    let before = problems.len();
    let what = format!("{label}: expect");
    let entries = fields(node, &what, EXPECT_FIELDS, problems)?;
    let mut expect = Expect::default();
    if let Some(n) = get(entries, "verdict") {
        expect.verdict =
            keep(one_of(n, &format!("{what}: verdict"), VERDICTS), problems).map(|v| {
                match v.as_str() {
                    "go" => Verdict::Go,
                    "conditional" => Verdict::Conditional,
                    "hold" => Verdict::Hold,
                    _ => Verdict::NoGo,
                }
            });
    }
    if let Some(n) = get(entries, "findings") {
        match &n.value {
            Node::Seq(items) => {
                for item in items {
                    let w = format!("{what}: finding");
                    let Some(f) = fields(item, &w, FINDING_FIELDS, problems) else {
                        continue;
                    };
                    let level = match get(f, "level") {
                        Some(l) => keep(parse_level(l, &format!("{w}: level")), problems),
                        None => {
                            problems.push(
                                error_at(item, format!("{w}: needs a `level`"))
                                    .hint("e.g. `{level: hold, message: \"not known\"}`"),
                            );
                            None
                        }
                    };
                    let message = get(f, "message")
                        .and_then(|m| keep(text(m, &format!("{w}: message")), problems))
                        .map(str::to_string);
                    let action = get(f, "action")
                        .and_then(|m| keep(text(m, &format!("{w}: action")), problems))
                        .map(str::to_string);
                    if let Some(level) = level {
                        expect.findings.push(ExpectedFinding {
                            level,
                            message,
                            action,
                            at: span_pos(item),
                        });
                    }
                }
            }
            other => problems.push(error_at(
                n,
                format!("{what}: findings: expected a list, found {}", other.kind()),
            )),
        }
    }
    if let Some(n) = get(entries, "absent") {
        match &n.value {
            Node::Seq(items) => {
                for item in items {
                    if let Some(l) = keep(parse_level(item, &format!("{what}: absent")), problems) {
                        expect.absent.push(l);
                    }
                }
            }
            other => problems.push(
                error_at(
                    n,
                    format!(
                        "{what}: absent: expected a list of levels, found {}",
                        other.kind()
                    ),
                )
                .hint("e.g. `absent: [block, hold]`"),
            ),
        }
    }
    if problems.len() > before {
        return None;
    }
    if expect == Expect::default() {
        problems.push(
            error_at(node, format!("{what}: nothing to check"))
                .hint("give a `verdict`, `findings` or `absent` levels"),
        );
        return None;
    }
    Some(expect)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(level: Level, message: &str, action: Option<&str>, line: u32) -> Finding {
        Finding {
            rule: "r".into(),
            level,
            message: message.into(),
            action: action.map(str::to_string),
            waived: None,
            facts: Vec::new(),
            evidence: vec![],
            raised_at: format!("scripts/r.rhai:{line}"),
        }
    }

    fn expected(level: Level, message: Option<&str>, action: Option<&str>) -> ExpectedFinding {
        ExpectedFinding {
            level,
            message: message.map(str::to_string),
            action: action.map(str::to_string),
            at: Pos::default(),
        }
    }

    #[test]
    fn a_finding_matches_on_level_and_substrings() {
        let f = finding(
            Level::Hold,
            "Unknown whether the vendor trains on inputs.",
            Some("Ask the vendor: Do you train?"),
            3,
        );
        assert!(matches(&expected(Level::Hold, None, None), &f));
        assert!(matches(&expected(Level::Hold, Some("trains on"), None), &f));
        assert!(matches(
            &expected(Level::Hold, Some("Unknown"), Some("Ask the vendor")),
            &f
        ));
        assert!(!matches(
            &expected(Level::Block, Some("trains on"), None),
            &f
        ));
        assert!(!matches(&expected(Level::Hold, Some("unknown"), None), &f));
        assert!(!matches(&expected(Level::Hold, None, Some("Sign")), &f));
        let no_action = finding(Level::Info, "x", None, 4);
        assert!(!matches(
            &expected(Level::Info, None, Some("a")),
            &no_action
        ));
    }

    #[test]
    fn check_reports_every_mismatch() {
        let findings = vec![
            finding(Level::Block, "Trains by default.", Some("Do not send"), 9),
            finding(Level::Info, "note", None, 12),
        ];
        let verdict = Verdict::of(&findings);
        assert_eq!(verdict, Verdict::NoGo);
        let ok = Expect {
            verdict: Some(Verdict::NoGo),
            findings: vec![expected(Level::Block, Some("by default"), None)],
            absent: vec![Level::Hold, Level::Pass],
        };
        assert!(check(&ok, verdict, &findings).is_empty());

        let bad = Expect {
            verdict: Some(Verdict::Go),
            findings: vec![expected(Level::Pass, None, None)],
            absent: vec![Level::Block],
        };
        let got = check(&bad, verdict, &findings);
        assert_eq!(
            got,
            vec![
                Mismatch::Verdict {
                    expected: Verdict::Go,
                    actual: Verdict::NoGo
                },
                Mismatch::Missing(expected(Level::Pass, None, None)),
                Mismatch::Unwanted {
                    level: Level::Block,
                    message: "Trains by default.".into()
                },
            ]
        );
        assert_eq!(got[0].to_string(), "expected verdict go, got no-go");
        assert_eq!(got[1].to_string(), "expected a pass finding, found none");
        assert_eq!(
            got[2].to_string(),
            "expected no block finding, got: Trains by default."
        );
    }

    #[test]
    fn coverage_counts_lines_reached() {
        let calls = vec![(Level::Hold, 3), (Level::Pass, 5), (Level::Block, 7)];
        let rule = RuleSet::compile(&[crate::engine::RuleSource {
            id: "r".into(),
            file: "scripts/r.rhai".into(),
            text:
                "//! R\nlet x = 1;\nhold(\"a\", \"b\");\n\npass(\"c\");\n\nblock(\"d\", \"e\");\n"
                    .into(),
        }])
        .0
        .rules
        .remove(0);
        assert_eq!(rule.finding_calls, calls);
        // A block downgraded to a hold by the engine still reached line 7.
        let findings = [
            finding(Level::Pass, "c", None, 5),
            finding(Level::Hold, "d", None, 7),
        ];
        let cov = coverage(&rule, true, findings.iter());
        assert_eq!(cov.missed, vec![(Level::Hold, 3)]);
        assert_eq!(cov.reached(), 2);
        let (reached, total, pct) = total_coverage(&[cov]);
        assert_eq!((reached, total), (2, 3));
        assert!((pct - 66.666).abs() < 0.01);
        assert_eq!(total_coverage(&[]).2, 100.0);
    }

    fn policy() -> Policy {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("policies")).unwrap();
        std::fs::write(
            dir.path().join("policies/p.yaml"),
            "organization: X\nevidence_max_age_days: 365\nclassifications:\n  public: {}\n  confidential: {require: {no_training: true, max_retention_days: 30}}\ntags:\n  phi: {require: {baa: true}}\n",
        )
        .unwrap();
        let (p, problems) = crate::model::policy::load(dir.path(), "p");
        assert!(problems.is_empty(), "{problems:?}");
        p.unwrap()
    }

    #[test]
    fn cases_default_to_the_most_sensitive_class_and_contract_evidence() {
        let (cases, problems) = parse_cases(
            "- name: a\n  tags: [phi]\n  require: {max_retention_days: 7, no_training: null}\n  facts:\n    retention_days: 10\n    training_on_inputs:\n      - {value: never, source: dpa}\n  expect: {verdict: go}\n",
            "scripts/r.test.yaml",
            "r",
            &policy(),
        );
        assert!(problems.is_empty(), "{problems:?}");
        let c = &cases[0];
        assert_eq!(c.classification, "confidential");
        assert_eq!(c.today.to_string(), DEFAULT_TODAY);
        assert_eq!(c.requirements.get("max_retention_days"), Some(&7.into()));
        assert_eq!(c.requirements.get("baa"), Some(&true.into()));
        assert_eq!(c.requirements.get("no_training"), None);
        let facts = &c.profile.offerings[0].facts;
        let bare = &facts["retention_days"].claims[0];
        assert_eq!(bare.authority, Authority::Contract);
        let claim = &facts["training_on_inputs"].claims[0];
        assert_eq!(claim.authority, Authority::Dpa);
        assert_eq!(claim.verification, Verification::Verified);
    }

    #[test]
    fn every_problem_of_a_file_is_reported_with_its_place() {
        let (cases, problems) = parse_cases(
            "- name: a\n  clasification: public\n  expect: {verdict: go}\n- name: b\n  classification: secret\n  facts: {retention_dys: 3}\n  expect: {verdict: maybe}\n- name: c\n  expect: {}\n- name: d\n  expect: {verdict: go}\n- name: d\n  expect: {verdict: go}\n",
            "scripts/r.test.yaml",
            "r",
            &policy(),
        );
        assert_eq!(cases.len(), 1);
        let got: Vec<(u32, u32, &str, Option<&str>)> = problems
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str(), d.hint.as_deref()))
            .collect();
        assert_eq!((got[0].0, got[0].1), (2, 3), "{got:?}");
        assert!(got[0].2.contains("unknown field `clasification`"));
        assert_eq!(got[0].3, Some("did you mean `classification`?"));
        assert!(
            got.iter().any(|g| g.0 == 5 && g.2.contains("`secret`")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g.0 == 6 && g.2.contains("unknown fact `retention_dys`"))
        );
        assert!(got.iter().any(|g| g.0 == 7 && g.2.contains("`maybe`")));
        assert!(
            got.iter()
                .any(|g| g.0 == 9 && g.2.contains("nothing to check"))
        );
        assert!(
            got.iter()
                .any(|g| g.0 == 12 && g.2.contains("defined twice"))
        );
        assert!(
            problems
                .iter()
                .all(|d| d.file.as_deref() == Some("scripts/r.test.yaml"))
        );
    }
}
