//! The case file format: `scripts/<rule>.test.yaml`, a list of cases (see the module docs).
//!
//! The file is parsed once into a located tree; each case is then deserialized on its own into
//! the serde structs below (`deny_unknown_fields`), and each field that can be wrong alone is a
//! [`Checked`] one, so a file with three bad cases (or a case with three bad fields) reports all
//! three. Values are read with the model's own types: `Authority`, `Level`, `Verdict`, dates
//! with `parse_date`, requirements with the policy's parser, facts with the profile's.

use super::evidence::{builtin_sources, extra_sources, settle_claims};
use super::expect::{Expect, expect};
use super::setting::{RawCase, setting};
use super::test_file;
use super::tree::{Checked, from_tree, prefixed};
use crate::diag::{Diagnostic, Pos};
use crate::model::policy::{Policy, Requirements};
use crate::model::profile::{self, Offering, Profile};
use crate::model::yaml::{self, Node, span_pos};
use jiff::civil::Date;
use serde_saphyr::Spanned;
use std::path::Path;

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
    /// The given verdicts of the providers the offering names (`vendor/offering` -> verdict at
    /// the case's classification).
    pub providers: std::collections::BTreeMap<String, crate::outcome::Verdict>,
    pub expect: Expect,
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
    let ctx = FileContext { rule, file, policy };
    for item in case_items(&root, &mut problems) {
        let Some(case) = parse_case(item, &ctx, &mut problems) else {
            continue;
        };
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
    for d in &mut problems {
        if d.file.is_none() {
            d.file = Some(file.to_string());
        }
    }
    // In the file's order, whatever order the fields were checked in.
    problems.sort_by_key(|d| (d.line, d.column));
    (cases, problems)
}

/// The cases of a file: a non-empty list.
fn case_items<'n>(root: &'n Spanned<Node>, problems: &mut Vec<Diagnostic>) -> &'n [Spanned<Node>] {
    match &root.value {
        Node::Seq(items) if !items.is_empty() => items,
        Node::Seq(_) | Node::Null => {
            problems.push(
                Diagnostic::error("the test file has no cases")
                    .at(Pos::new(1, 1))
                    .hint("write a list of cases: `- name: ...`, `facts: {...}`, `expect: {...}`"),
            );
            &[]
        }
        other => {
            problems.push(
                Diagnostic::error(format!(
                    "a test file is a list of cases, found {}",
                    other.kind()
                ))
                .at(span_pos(root))
                .hint("start each case with `- name: ...`"),
            );
            &[]
        }
    }
}

struct FileContext<'a> {
    rule: &'a str,
    file: &'a str,
    policy: &'a Policy,
}

/// The case's name as written, for messages ("test case `x`"), read before the case is checked
/// so that even a case that fails as a whole is named.
fn label(item: &Spanned<Node>) -> String {
    match item.value.get("name").map(|n| &n.value) {
        Some(Node::Str(s)) if !s.trim().is_empty() => format!("test case `{}`", s.trim()),
        _ => "test case".to_string(),
    }
}

fn parse_case(
    item: &Spanned<Node>,
    ctx: &FileContext,
    problems: &mut Vec<Diagnostic>,
) -> Option<Case> {
    let label = label(item);
    if !matches!(item.value, Node::Map(_)) {
        problems.push(
            Diagnostic::error(format!(
                "each test case is a mapping (name, facts, expect, ...), found {}",
                item.value.kind()
            ))
            .at(span_pos(item))
            .hint("start each case with `- name: ...`"),
        );
        return None;
    }
    match from_tree::<RawCase>(item) {
        Ok(raw) => build(raw, ctx, &label, span_pos(item), problems),
        Err(d) => {
            problems.push(prefixed(d, &label));
            None
        }
    }
}

/// Checks a case field by field, reporting every problem, and builds the case.
fn build(
    raw: RawCase,
    ctx: &FileContext,
    label: &str,
    at: Pos,
    problems: &mut Vec<Diagnostic>,
) -> Option<Case> {
    let before = problems.len();
    let name = case_name(raw.name.as_ref(), label, at, problems);
    let setting = setting(&raw, ctx.policy, label, problems);
    let mut sources = builtin_sources();
    if let Some(list) = raw
        .sources
        .and_then(|s| s.take(&format!("{label}: sources"), problems))
    {
        for s in extra_sources(list, label, problems) {
            sources.retain(|x| x.id != s.id);
            sources.push(s);
        }
    }
    let facts = raw
        .facts
        .map(|n| profile::parse_facts(&n, &sources, problems))
        .unwrap_or_default();
    let providers = raw
        .providers
        .and_then(|p| p.take(&format!("{label}: providers"), problems))
        .unwrap_or_default();
    let expect = match raw.expect {
        Some(e) => expect(e, label, problems),
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
    let (name, setting, expect) = (name?, setting?, expect?);
    let facts = settle_claims(facts, setting.bare_authority);
    let profile = Profile {
        id: "test-vendor".to_string(),
        name: "Test vendor".to_string(),
        reviewed: setting.reviewed,
        file: ctx.file.to_string(),
        sources,
        offerings: vec![Offering {
            id: "test-offering".to_string(),
            name: name.clone(),
            tier: setting.tier,
            facts,
            at,
            notes: None,
        }],
        notes: None,
        precedence: Vec::new(),
    };
    Some(Case {
        rule: ctx.rule.to_string(),
        file: ctx.file.to_string(),
        at,
        classification: setting.classification,
        tags: setting.tags,
        requirements: setting.requirements,
        today: setting.today,
        evidence_max_age_days: setting.evidence_max_age_days,
        review_interval_days: setting.review_interval_days,
        profile,
        providers,
        name,
        expect,
    })
}

fn case_name(
    name: Option<&Checked<String>>,
    label: &str,
    at: Pos,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let Some(name) = name else {
        problems.push(
            Diagnostic::error("test case has no `name`")
                .at(at)
                .hint("start each case with `- name: what it checks`"),
        );
        return None;
    };
    let name_at = name.at;
    let name = name.get(&format!("{label}: name"), problems)?;
    if name.trim().is_empty() {
        problems.push(Diagnostic::error(format!("{label}: name: is empty")).at(name_at));
        return None;
    }
    Some(name.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::{Authority, Verification};
    use crate::outcome::Level;
    use crate::ruletest::DEFAULT_TODAY;

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

    #[test]
    fn sources_and_policy_overrides_shape_the_synthetic_vendor() {
        let (cases, problems) = parse_cases(
            "- name: a\n  tier: consumer\n  reviewed: 2026-01-02\n  authority: unsupported\n  policy: {evidence_max_age_days: null, review_interval_days: 90}\n  sources:\n    contract: {authority: third_party, title: Old terms}\n    old: {authority: dpa, retrieved: 2024-01-01}\n  facts:\n    retention_days: 30\n    training_on_inputs: [{value: never, source: old}]\n  expect: {absent: [block]}\n",
            "scripts/r.test.yaml",
            "r",
            &policy(),
        );
        assert!(problems.is_empty(), "{problems:?}");
        let c = &cases[0];
        assert_eq!(c.evidence_max_age_days, None);
        assert_eq!(c.review_interval_days, Some(90));
        assert_eq!(c.profile.offerings[0].tier, "consumer");
        assert_eq!(
            c.profile.reviewed.map(|d| d.to_string()).as_deref(),
            Some("2026-01-02")
        );
        // An extra source replaces the built-in one of the same name.
        let contract = c.profile.source("contract").unwrap();
        assert_eq!(
            (contract.authority, contract.title.as_str()),
            (Authority::ThirdParty, "Old terms")
        );
        let old = c.profile.source("old").unwrap();
        assert_eq!(
            old.retrieved.map(|d| d.to_string()).as_deref(),
            Some("2024-01-01")
        );
        assert_eq!(old.at, Pos::new(8, 5));
        let facts = &c.profile.offerings[0].facts;
        // `authority: unsupported`: bare values stay unsupported.
        assert_eq!(
            facts["retention_days"].claims[0].verification,
            Verification::Bare
        );
        let claim = &facts["training_on_inputs"].claims[0];
        assert_eq!(
            (claim.authority, &claim.verification),
            (Authority::Dpa, &Verification::Verified)
        );
        assert_eq!(c.expect.absent, vec![Level::Block]);
    }
}
