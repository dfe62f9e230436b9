//! The bodies of the fuzz targets: plain functions that the cargo-fuzz targets (`fuzz/`) and
//! the mutation test (`tests/fuzz_corpus.rs`) both call, so that what CI tries and what a deep
//! local run tries is the same code. Each takes any bytes and only says whether the reader
//! accepted them: a refusal is fine; a panic, a hang, an abort or gigabytes of memory is the bug.

use crate::engine::{RuleSet, RuleSource};
use crate::evaluation::{Request, evaluate};
use crate::evidence;
use crate::model::policy;
use std::path::Path;

/// A target's body: any bytes in, whether the reader accepted them out.
pub type Target = fn(&[u8]) -> bool;

/// The targets, by name (as in `fuzz/Cargo.toml` and `fuzz/corpus/`).
pub const TARGETS: [(&str, Target); 7] = [
    ("answers_xlsx", answers_xlsx),
    ("answers_csv", answers_csv),
    ("html", html),
    ("pdf", pdf),
    ("profile", profile),
    ("policy", policy),
    ("rule", rule),
];

/// A filled questionnaire workbook, read as `answers` reads an .xlsx file.
pub fn answers_xlsx(data: &[u8]) -> bool {
    crate::questionnaire::answers::read_bytes(data, "fuzz", "xlsx").is_ok()
}

/// A filled questionnaire CSV, read as `answers` reads a .csv file.
pub fn answers_csv(data: &[u8]) -> bool {
    crate::questionnaire::answers::read_bytes(data, "fuzz", "csv").is_ok()
}

/// A page to archive, converted as `snapshot` converts an .html file.
pub fn html(data: &[u8]) -> bool {
    crate::intake::convert::convert(data, "page.html", None).is_ok()
}

/// A PDF to archive: the bytes after a PDF header (so that every input reaches the PDF reader).
pub fn pdf(data: &[u8]) -> bool {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend_from_slice(data.strip_prefix(b"%PDF-1.4\n").unwrap_or(data));
    crate::intake::convert::convert(&pdf, "document.pdf", None).is_ok()
}

/// A vendor profile (`vendors/acme/profile.yaml`, no snapshots on disk).
pub fn profile(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    evidence::from_text(text, Path::new("/nonexistent"), "acme")
        .0
        .is_some()
}

/// A policy, with every class's requirements resolved under all its tags.
pub fn policy(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let (Some(p), _) = policy::from_text(text, "fuzz") else {
        return false;
    };
    let tags: Vec<String> = p.tags.iter().map(|t| t.name.clone()).collect();
    for c in &p.classes {
        let _ = p.requirements(&c.name, &tags);
    }
    true
}

const RULE_POLICY: &str = "organization: X
evidence_max_age_days: 30
classifications:
  public: {}
  confidential: {require: {no_training: true, dpa: true, certifications: [SOC 2 Type II]}}
";

const RULE_PROFILE: &str = "vendor: acme
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

/// A rule: compiled, then evaluated against a fixed profile at two classes.
pub fn rule(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let (rules, problems) = RuleSet::compile(&[RuleSource {
        id: "fuzz".into(),
        file: "scripts/fuzz.rhai".into(),
        text: text.to_string(),
    }]);
    let (Some(pol), _) = policy::from_text(RULE_POLICY, "p") else {
        return false;
    };
    let (Some(prof), _) = evidence::from_text(RULE_PROFILE, Path::new("/nonexistent"), "acme")
    else {
        return false;
    };
    let request = Request {
        policy: &pol,
        offerings: prof.offerings.iter().map(|o| (&prof, o)).collect(),
        classes: vec!["public".into(), "confidential".into()],
        tags: vec![],
        today: jiff::civil::date(2026, 11, 24),
        generated: String::new(),
        providers: crate::evaluation::Lookup::Profiles(std::slice::from_ref(&prof)),
    };
    let (_, errors) = evaluate(&rules, &request);
    problems.iter().all(|p| !p.is_error()) && errors.is_empty()
}
