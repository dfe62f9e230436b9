//! Property tests: no input makes diligence panic. Generated profiles, policies and rules, valid
//! and broken, go through the real parsers, the engine and the evaluation.

use diligence::{FACTS, REQUIREMENTS};
use diligence::{Request, evaluate};
use diligence::{RuleSet, RuleSource};
use diligence::{evidence, policy};
use proptest::prelude::*;
use std::path::Path;

fn fact_name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(FACTS.iter().map(|f| f.name.to_string()).collect::<Vec<_>>()),
        "[a-z_]{1,20}",
        Just("custom".to_string()),
    ]
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("never".to_string()),
        Just("opt_out".to_string()),
        Just("online".to_string()),
        Just("yes".to_string()),
        Just("[scc, dpf]".to_string()),
        Just("[{name: SOC 2 Type II, expires: 2027-01-31}]".to_string()),
        Just("[{name: x, expires: 2027-02-30}]".to_string()),
        (-5i64..100_000).prop_map(|n| n.to_string()),
        "[a-z ]{0,12}",
        Just("~".to_string()),
        Just("{a: 1}".to_string()),
        Just("&x [*x]".to_string()),
    ]
}

fn claim() -> impl Strategy<Value = String> {
    (
        scalar(),
        prop_oneof![Just("terms"), Just("nope"), Just("analysis")],
        "[ -~]{0,40}",
        any::<bool>(),
    )
        .prop_map(|(value, source, quote, section)| {
            let section = if section {
                "\n    section: \"1.2\""
            } else {
                ""
            };
            format!(
                "  - value: {value}\n    source: {source}{section}\n    quote: {:?}\n",
                quote
            )
        })
}

fn fact() -> impl Strategy<Value = String> {
    (
        fact_name(),
        prop_oneof![
            scalar().prop_map(|s| format!(" {s}\n")),
            proptest::collection::vec(claim(), 1..3).prop_map(|c| format!("\n{}", c.concat()))
        ],
    )
        .prop_map(|(name, body)| {
            let indented: String = body.lines().map(|l| format!("        {l}\n")).collect();
            if body.starts_with('\n') {
                format!("      {name}:\n{indented}")
            } else {
                format!("      {name}:{body}")
            }
        })
}

fn profile_text() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(fact(), 0..6),
        prop_oneof![Just("api"), Just("consumer"), Just("enterprize")],
        prop_oneof![Just("contract"), Just("third_party"), Just("contrat")],
        prop_oneof![Just("2026-01-01"), Just("2026-13-01"), Just("yesterday")],
    )
        .prop_map(|(facts, tier, authority, date)| {
            format!(
                "vendor: acme\nname: Acme\nreviewed: {date}\nsources:\n  terms:\n    title: T\n    authority: {authority}\n    retrieved: {date}\n  analysis:\n    title: A\n    authority: third_party\nofferings:\n  api:\n    name: API\n    tier: {tier}\n    facts:\n{}",
                facts.concat()
            )
        })
}

fn requirement() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            proptest::sample::select(
                REQUIREMENTS
                    .iter()
                    .map(|r| r.name.to_string())
                    .collect::<Vec<_>>()
            ),
            "[a-z_]{1,12}",
        ],
        scalar(),
    )
        .prop_map(|(k, v)| format!("{k}: {v}"))
}

fn policy_text() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(requirement(), 0..4),
        proptest::collection::vec(requirement(), 0..4),
        prop_oneof![Just("internal"), Just("confidential"), Just("nothing"), Just("public")],
    )
        .prop_map(|(a, b, parent)| {
            format!(
                "organization: X\nevidence_max_age_days: 30\nclassifications:\n  public: {{}}\n  internal:\n    require: {{{}}}\n  confidential:\n    inherits: {parent}\n    require: {{{}}}\ntags:\n  phi: {{require: {{baa: true}}}}\n",
                a.join(", "),
                b.join(", ")
            )
        })
}

fn rule_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("let t = fact(\"training_on_inputs\");".to_string()),
        Just("if t == () { hold(\"x\", \"y\"); }".to_string()),
        Just("block(\"b\", \"a\");".to_string()),
        Just("info(`${classification}`);".to_string()),
        Just("for n in fact_names() { cite(n); pass(n); }".to_string()),
        Just("let c = claims(\"dpa\"); if c.len() > 0 { warn(c[0].quote); }".to_string()),
        Just("print(require);".to_string()),
        Just("if require.no_training == true { condition(\"c\", \"a\"); }".to_string()),
        Just("days_until(\"2027-01-01\");".to_string()),
        Just("fact(\"nope\");".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("loop { break; }".to_string()),
        "[ -~]{0,10}",
    ];
    proptest::collection::vec(pieces, 0..8)
        .prop_map(|p| format!("//! Generated\n{}\n", p.join("\n")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn profiles_never_panic(text in profile_text()) {
        let _ = evidence::from_text(&text, Path::new("/nonexistent"), "acme");
    }

    #[test]
    fn arbitrary_text_as_a_profile_never_panics(text in "\\PC{0,200}") {
        let _ = evidence::from_text(&text, Path::new("/nonexistent"), "acme");
        let _ = policy::from_text(&text, "p");
    }

    #[test]
    fn policies_never_panic_and_requirements_resolve(text in policy_text()) {
        let (p, _) = policy::from_text(&text, "p");
        if let Some(p) = p {
            for c in &p.classes {
                let _ = p.requirements(&c.name, &["phi".to_string()]);
            }
        }
    }

    #[test]
    fn rules_never_panic_on_any_profile(rule in rule_text(), profile_yaml in profile_text()) {
        let (rules, _) = RuleSet::compile(&[RuleSource { id: "r".into(), file: "scripts/r.rhai".into(), text: rule }]);
        let (pol, _) = policy::from_text("organization: X\nevidence_max_age_days: 30\nclassifications:\n  public: {}\n  confidential: {require: {no_training: true, dpa: true}}\n", "p");
        let pol = pol.expect("fixed policy parses");
        let (prof, _) = evidence::from_text(&profile_yaml, Path::new("/nonexistent"), "acme");
        if let Some(prof) = prof {
            let request = Request {
                policy: &pol,
                offerings: prof.offerings.iter().map(|o| (&prof, o)).collect(),
                classes: vec!["public".into(), "confidential".into()],
                tags: vec![],
                today: "2026-11-24".parse().unwrap(),
                generated: String::new(),
                providers: diligence::Lookup::Profiles(std::slice::from_ref(&prof)),
            };
            let _ = evaluate(&rules, &request);
        }
    }
}
