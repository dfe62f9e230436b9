//! Any bytes as a rule: compiled, then evaluated against a fixed profile at two classes.
//! Errors are expected; a panic, a hang or unbounded memory is a bug.
#![no_main]
use diligence::{RuleSet, RuleSource};
use diligence::{Request, evaluate};
use diligence::{evidence, policy};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const POLICY: &str = "organization: X
evidence_max_age_days: 30
classifications:
  public: {}
  confidential: {require: {no_training: true, dpa: true, certifications: [SOC 2 Type II]}}
";

const PROFILE: &str = "vendor: acme
name: Acme
reviewed: 2026-01-01
sources:
  analysis: {title: A, authority: third_party, retrieved: 2025-01-01}
offerings:
  api:
    name: API
    tier: api
    facts:
      training_on_inputs:
        - {value: opt_out, source: analysis, section: \"1\", quote: q}
      dpa: online
      certifications: [{name: SOC 2 Type II, expires: 2027-01-31}]
      custom: {note: [1, 2]}
";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (rules, _) = RuleSet::compile(&[RuleSource {
        id: "fuzz".into(),
        file: "scripts/fuzz.rhai".into(),
        text: text.to_string(),
    }]);
    let (Some(pol), _) = policy::from_text(POLICY, "p") else { return };
    let (Some(prof), _) = evidence::from_text(PROFILE, Path::new("/nonexistent"), "acme") else { return };
    let request = Request {
        policy: &pol,
        offerings: prof.offerings.iter().map(|o| (&prof, o)).collect(),
        classes: vec!["public".into(), "confidential".into()],
        tags: vec![],
        today: "2026-11-24".parse().expect("date"),
        generated: String::new(),
        providers: diligence::Lookup::Profiles(std::slice::from_ref(&prof)),
    };
    let _ = evaluate(&rules, &request);
});
