//! The benchmark compares diligence with the same six rules written in native Rust and in Rego.
//! Those mirrors must follow the scripts: each is run here over the scripts' own test cases
//! (`scripts/<rule>.test.yaml`), and must reach the same level as the Rhai rule on every case.
//! Cheap (a few hundred evaluations), so drift fails `cargo test --workspace` rather than the
//! next benchmark run.

use diligence::Level;
use diligence::RuleSet;
use diligence::policy;
use diligence::read_rules;
use diligence::{Case, load_cases, run_case};
use diligence_bench::{native, rego};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every test case of the shared rules, with the worst level diligence gives it.
fn cases() -> Vec<(Case, Option<Level>)> {
    let root = repo();
    let (policy, problems) = policy::load(&root, "default");
    let policy = policy.unwrap_or_else(|| panic!("default policy: {problems:?}"));
    let ids: Vec<String> = native::RULES.iter().map(|(id, _)| id.to_string()).collect();
    let (sources, problems) = read_rules(&root, &ids);
    assert!(problems.is_empty(), "{problems:?}");
    let (rules, problems) = RuleSet::compile(&sources);
    assert!(problems.iter().all(|d| !d.is_error()), "{problems:?}");
    let mut out = Vec::new();
    for id in &ids {
        let (cases, problems) = load_cases(&root, id, &policy);
        assert!(problems.is_empty(), "{id}: {problems:?}");
        assert!(!cases.is_empty(), "{id} has test cases");
        for case in cases {
            let result = run_case(&rules, &case, &policy);
            assert!(
                result.errors.is_empty(),
                "{}: {:?}",
                case.name,
                result.errors
            );
            let worst = result.findings.iter().map(|f| f.level).max();
            out.push((case, worst));
        }
    }
    out
}

fn freshness(case: &Case) -> diligence::Freshness<'static> {
    diligence::Freshness {
        oldest_fresh: case
            .evidence_max_age_days
            .and_then(|d| case.today.checked_sub(jiff::Span::new().days(d)).ok()),
        audience: None,
    }
}

#[test]
fn native_mirrors_reach_the_rules_levels_on_every_test_case() {
    let mut checked = 0;
    for (case, expected) in cases() {
        let offering = &case.profile.offerings[0];
        let facts = native::Facts::build(&case.profile, offering, freshness(&case));
        let require = native::Require::from_policy(&case.requirements);
        let ctx = native::Ctx {
            facts: &facts,
            require: &require,
            today: case.today,
        };
        let (_, rule) = native::RULES
            .iter()
            .find(|(id, _)| *id == case.rule)
            .expect("a native mirror");
        let mut findings = Vec::new();
        rule(&ctx, &mut native::Out(&mut findings));
        let got = findings.iter().map(|f| f.level).max();
        assert_eq!(
            got, expected,
            "bench/src/native.rs `{}` disagrees with scripts/{}.rhai on case `{}` ({}:{})",
            case.rule, case.rule, case.name, case.file, case.at.line
        );
        checked += 1;
    }
    assert!(checked > 30, "only {checked} cases");
}

#[test]
fn rego_mirrors_reach_the_rules_levels_on_every_test_case() {
    let mut engine = rego::engine().expect("the Rego policies compile");
    let mut checked = 0;
    for (case, expected) in cases() {
        let offering = &case.profile.offerings[0];
        let facts = rego::facts_value(&case.profile, offering, freshness(&case));
        let require = rego::require_value(&case.requirements);
        let today = regorus::Value::from(case.today.to_string());
        engine.set_input(rego::input(&facts, &require, &today));
        let (_, path, _) = rego::RULES
            .iter()
            .find(|(id, _, _)| *id == case.rule)
            .expect("a Rego mirror");
        let findings = engine
            .eval_rule(path.to_string())
            .expect("the rule evaluates");
        let got = rego::worst(&findings).expect("findings with levels");
        assert_eq!(
            got, expected,
            "bench/src/rego.rs `{}` disagrees with scripts/{}.rhai on case `{}` ({}:{})",
            case.rule, case.rule, case.name, case.file, case.at.line
        );
        checked += 1;
    }
    assert!(checked > 30, "only {checked} cases");
}
