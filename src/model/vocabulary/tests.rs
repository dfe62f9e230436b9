//! Unit tests of the vocabulary tables.

use super::clauses::CLAUSE_CUES;
use super::*;
use crate::model::yaml::parse;

fn node(yaml: &str) -> Spanned<Node> {
    parse(yaml, "t.yaml").unwrap()
}

#[test]
fn every_name_is_unique_snake_case() {
    let mut names: Vec<&str> = fact_names().chain(requirement_names()).collect();
    for n in &names {
        assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{n}");
    }
    let facts: Vec<&str> = fact_names().collect();
    let mut dedup = facts.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), facts.len());
    names.sort();
}

#[test]
fn typed_values_are_checked() {
    let ty = fact_spec("retention_days").unwrap().ty;
    assert_eq!(check_value(&node("30"), ty, "f").unwrap(), Value::from(30));
    let e = check_value(&node("thirty"), ty, "fact `retention_days`").unwrap_err();
    assert!(
        e.message.contains("expected a whole number"),
        "{}",
        e.message
    );
    let ty = fact_spec("training_on_inputs").unwrap().ty;
    let e = check_value(&node("nevr"), ty, "f").unwrap_err();
    assert_eq!(e.hint.as_deref(), Some("did you mean `never`?"));
}

#[test]
fn certifications_need_a_name_and_a_real_date() {
    let ty = ValueType::Certifications;
    let ok = check_value(
        &node("[{name: SOC 2 Type II, expires: 2027-01-31}]"),
        ty,
        "f",
    );
    assert_eq!(
        ok.unwrap(),
        serde_json::json!([{"name": "SOC 2 Type II", "expires": "2027-01-31"}])
    );
    assert!(check_value(&node("[{scope: all}]"), ty, "f").is_err());
    assert!(check_value(&node("[{name: x, expires: 2027-02-30}]"), ty, "f").is_err());
}

#[test]
fn every_fact_has_clause_cues_with_allowed_values() {
    for f in FACTS {
        let cues = clause_cues(f.name).unwrap_or_else(|| panic!("no clause cues for {}", f.name));
        assert!(
            !cues.topic.is_empty() && !cues.topic[0].is_empty(),
            "{}",
            f.name
        );
        for (value, phrases) in cues.values {
            assert!(!phrases.is_empty(), "{}: {value}", f.name);
            let allowed = match f.ty {
                ValueType::Enum(v) | ValueType::EnumList(v) | ValueType::CountOr(v) => {
                    v.contains(value)
                }
                _ => false,
            };
            assert!(allowed, "{}: `{value}` is not an allowed value", f.name);
        }
        let counted = matches!(f.ty, ValueType::Count | ValueType::CountOr(_));
        assert_eq!(cues.unit.is_some(), counted, "{}", f.name);
    }
    assert_eq!(CLAUSE_CUES.len(), FACTS.len());
}

mod governs_tests {
    use super::*;

    #[test]
    fn every_governed_name_is_a_fact_and_every_fact_is_governed() {
        for r in REQUIREMENTS {
            for f in r.governs {
                assert!(
                    fact_spec(f).is_some(),
                    "{} governs unknown fact {f}",
                    r.name
                );
            }
        }
        for f in FACTS {
            assert!(
                governing_requirements(f.name).next().is_some(),
                "no requirement governs {}",
                f.name
            );
        }
    }
}
