//! Framework references: which clauses of which frameworks each fact question evidences, and
//! the catalogue of clauses the bundled rules, facts and evidence checks cite.
//!
//! One source of truth per thing: a fact's references are here ([`FACT_REFS`]), a rule's in
//! its own `//! refs:` header line, a built-in evidence check's beside its rationale
//! (`model::checks`). A reference is written as a reader would cite it, the framework's name
//! then the clause: `GDPR Art. 28(3)(g)`, `ISO/IEC 42001 A.10.3`, `CSA CAIQ v4.0 DSP-16.1`.
//!
//! Clause numbers and titles are the frameworks' own; a title is given only where it is the
//! framework's own heading. Where a clause number was not certain it was left out rather than
//! guessed: a wrong reference misleads an auditor more than a missing one.

use crate::diag::{Diagnostic, did_you_mean};

/// A framework that references may cite.
#[derive(Debug, PartialEq, Eq)]
pub struct Framework {
    /// What users type (`--framework gdpr`, `frameworks: [gdpr]` in a policy).
    pub id: &'static str,
    /// How references to it begin (`GDPR Art. 28(3)(g)`).
    pub name: &'static str,
    /// Other ways a reference may begin (read, never written).
    pub aliases: &'static [&'static str],
    pub title: &'static str,
}

pub const FRAMEWORKS: &[Framework] = &[
    Framework {
        id: "gdpr",
        name: "GDPR",
        aliases: &[],
        title: "Regulation (EU) 2016/679 (General Data Protection Regulation)",
    },
    Framework {
        id: "eu-ai-act",
        name: "EU AI Act",
        aliases: &[],
        title: "Regulation (EU) 2024/1689 (Artificial Intelligence Act)",
    },
    Framework {
        id: "iso-42001",
        name: "ISO/IEC 42001",
        aliases: &["ISO/IEC 42001:2023", "ISO 42001"],
        title: "ISO/IEC 42001:2023, AI management system (Annex A controls)",
    },
    Framework {
        id: "nist-ai-rmf",
        name: "NIST AI RMF",
        aliases: &["NIST AI RMF 1.0"],
        title: "NIST AI Risk Management Framework 1.0 (NIST AI 100-1)",
    },
    Framework {
        id: "caiq",
        name: CAIQ_VERSION,
        aliases: &["CSA CAIQ v4", "CAIQ v4.0", "CAIQ"],
        title: "CSA Consensus Assessments Initiative Questionnaire v4.0 (question ids of the Cloud Controls Matrix v4.0)",
    },
];

/// The CAIQ's name in references: its question ids change between versions, so the version is
/// part of every reference (`CSA CAIQ v4.0 SEF-07.2`).
pub const CAIQ_VERSION: &str = "CSA CAIQ v4.0";

/// A clause of the catalogue.
#[derive(Debug)]
pub struct Clause {
    /// The framework's id.
    pub framework: &'static str,
    /// The clause as cited after the framework's name (`Art. 28(3)(g)`).
    pub clause: &'static str,
    /// The framework's own heading of the clause (or of the article it is part of).
    pub title: Option<&'static str>,
}

const fn clause(framework: &'static str, clause: &'static str, title: &'static str) -> Clause {
    Clause {
        framework,
        clause,
        title: if title.is_empty() { None } else { Some(title) },
    }
}

const PROCESSOR: &str = "Processor";

/// The clauses cited by the bundled facts, rules and checks, and those the model supply chain
/// will cite, in each framework's own order. A rule may cite a clause outside it (it is then
/// listed without a title); a bundled reference outside it is a test failure (a typo).
pub const CLAUSES: &[Clause] = &[
    clause(
        "gdpr",
        "Art. 5(1)(e)",
        "Principles relating to processing of personal data",
    ),
    clause("gdpr", "Art. 28(1)", PROCESSOR),
    clause("gdpr", "Art. 28(2)", PROCESSOR),
    clause("gdpr", "Art. 28(3)", PROCESSOR),
    clause("gdpr", "Art. 28(3)(a)", PROCESSOR),
    clause("gdpr", "Art. 28(3)(b)", PROCESSOR),
    clause("gdpr", "Art. 28(3)(g)", PROCESSOR),
    clause("gdpr", "Art. 28(4)", PROCESSOR),
    clause(
        "gdpr",
        "Art. 33(2)",
        "Notification of a personal data breach to the supervisory authority",
    ),
    clause(
        "gdpr",
        "Chapter V",
        "Transfers of personal data to third countries or international organisations",
    ),
    clause(
        "gdpr",
        "Art. 46",
        "Transfers subject to appropriate safeguards",
    ),
    clause(
        "eu-ai-act",
        "Art. 25",
        "Responsibilities along the AI value chain",
    ),
    clause(
        "eu-ai-act",
        "Art. 26(6)",
        "Obligations of deployers of high-risk AI systems",
    ),
    clause(
        "eu-ai-act",
        "Art. 53",
        "Obligations for providers of general-purpose AI models",
    ),
    clause("iso-42001", "A.10.2", "Allocating responsibilities"),
    clause("iso-42001", "A.10.3", "Suppliers"),
    clause("nist-ai-rmf", "GOVERN 6.1", ""),
    clause("nist-ai-rmf", "GOVERN 6.2", ""),
    clause("nist-ai-rmf", "MANAGE 3.1", ""),
    clause("caiq", "DSP-14.1", ""),
    clause("caiq", "DSP-16.1", ""),
    clause("caiq", "DSP-19.1", ""),
    clause("caiq", "SEF-07.2", ""),
    clause("caiq", "STA-09.1", ""),
];

/// The clauses each fact question evidences: what the answer tells an auditor about them.
/// Adding a fact's references is one line here. Only clauses that truly ask about the same
/// thing are listed (CAIQ: questions that ask the same thing, cited by question id, not
/// control id).
#[rustfmt::skip]
pub const FACT_REFS: &[(&str, &[&str])] = &[
    // Using customer data for the vendor's own purposes goes beyond the controller's
    // documented instructions.
    ("training_on_inputs", &["GDPR Art. 28(3)(a)", "ISO/IEC 42001 A.10.3", "NIST AI RMF GOVERN 6.1"]),
    ("training_on_outputs", &["GDPR Art. 28(3)(a)", "ISO/IEC 42001 A.10.3", "NIST AI RMF GOVERN 6.1"]),
    ("licence_scope", &["GDPR Art. 28(3)(a)", "ISO/IEC 42001 A.10.2", "NIST AI RMF GOVERN 6.1"]),
    // Where the logs of prompts and outputs are kept, and how long: storage limitation, and
    // whether a deployer's logs are under its own control.
    ("retention_days", &["GDPR Art. 5(1)(e)", "EU AI Act Art. 26(6)", "CSA CAIQ v4.0 DSP-16.1"]),
    ("deletion_after_termination_days", &["GDPR Art. 28(3)(g)", "CSA CAIQ v4.0 DSP-16.1"]),
    ("abuse_monitoring_retention_days", &["GDPR Art. 5(1)(e)", "EU AI Act Art. 26(6)"]),
    ("zero_data_retention", &["GDPR Art. 5(1)(e)", "EU AI Act Art. 26(6)"]),
    // Persons authorised to process the data are bound to confidentiality.
    ("human_review", &["GDPR Art. 28(3)(b)"]),
    ("dpa", &["GDPR Art. 28(3)", "ISO/IEC 42001 A.10.2"]),
    ("baa", &["ISO/IEC 42001 A.10.2"]),
    // Sufficient guarantees of appropriate technical and organisational measures.
    ("certifications", &["GDPR Art. 28(1)", "ISO/IEC 42001 A.10.3"]),
    ("subprocessors_list", &["GDPR Art. 28(2)", "GDPR Art. 28(4)", "CSA CAIQ v4.0 DSP-14.1"]),
    ("data_residency", &["GDPR Chapter V", "CSA CAIQ v4.0 DSP-19.1"]),
    ("transfer_mechanism", &["GDPR Chapter V", "GDPR Art. 46"]),
    ("output_ownership", &["ISO/IEC 42001 A.10.2", "NIST AI RMF GOVERN 6.1"]),
    ("ip_indemnity", &["ISO/IEC 42001 A.10.2", "NIST AI RMF GOVERN 6.1"]),
    // STA-09.1: do service agreements include the mutually agreed provisions, among them the
    // change management process.
    ("terms_change_notice_days", &["NIST AI RMF MANAGE 3.1", "CSA CAIQ v4.0 STA-09.1"]),
    ("terms_change_notice_scope", &["NIST AI RMF MANAGE 3.1", "CSA CAIQ v4.0 STA-09.1"]),
    // General written authorisation: the processor informs of changes, the controller may object.
    ("subprocessor_objection_days", &["GDPR Art. 28(2)"]),
    ("breach_notification_hours", &["GDPR Art. 33(2)", "NIST AI RMF GOVERN 6.2", "CSA CAIQ v4.0 SEF-07.2"]),
    // Which terms govern the use: third-party risks the organization's policies address.
    ("consumer_account_linked", &["NIST AI RMF GOVERN 6.1"]),
    ("rests_on_consumer_terms", &["NIST AI RMF GOVERN 6.1"]),
    ("permitted_use", &["NIST AI RMF GOVERN 6.1", "ISO/IEC 42001 A.10.3"]),
    ("organizational_accounts", &["NIST AI RMF GOVERN 6.1"]),
    ("prohibited_data", &["NIST AI RMF GOVERN 6.1", "ISO/IEC 42001 A.10.3"]),
    // The model behind the offering: the AI value chain, and the providers among the suppliers.
    ("providers", &["EU AI Act Art. 25", "GDPR Art. 28(2)", "ISO/IEC 42001 A.10.3", "NIST AI RMF GOVERN 6.1"]),
    // The same obligations imposed on the other processor by contract.
    ("provider_pass_down", &["GDPR Art. 28(4)", "EU AI Act Art. 25", "ISO/IEC 42001 A.10.2"]),
];

/// Facts whose question evidences no clause of the frameworks, with the reason (a fact is in
/// exactly one of [`FACT_REFS`] and this table; a test holds it).
pub const FACTS_WITHOUT_REFS: &[(&str, &str)] = &[];

/// The longest reference read: a clause number, not a paragraph.
const MAX_REFERENCE_CHARS: usize = 80;

/// A parsed reference: a known framework and the clause cited in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub framework: &'static Framework,
    pub clause: String,
}

impl Reference {
    /// Reads `GDPR Art. 28(3)(g)` (the framework's name, id or an alias, any case, then the
    /// clause). The error says what is wrong, for a diagnostic.
    pub fn parse(text: &str) -> Result<Reference, String> {
        // A reference is shown in every report: plain printable text of a modest length.
        let hidden = |c: char| {
            c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{061c}' | '\u{feff}')
        };
        if text.chars().any(hidden) {
            return Err("contains a control or invisible character".to_string());
        }
        if text.chars().count() > MAX_REFERENCE_CHARS {
            return Err(format!("is longer than {MAX_REFERENCE_CHARS} characters"));
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // The longest name that begins the text, so `CSA CAIQ v4.0` wins over `CAIQ`.
        let mut best: Option<(&'static Framework, usize)> = None;
        for f in FRAMEWORKS {
            for prefix in std::iter::once(f.name)
                .chain(std::iter::once(f.id))
                .chain(f.aliases.iter().copied())
            {
                let starts = text
                    .get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                    && text[prefix.len()..].starts_with(' ');
                if starts && best.is_none_or(|(_, n)| prefix.len() > n) {
                    best = Some((f, prefix.len()));
                }
            }
        }
        match best {
            Some((framework, n)) => Ok(Reference {
                framework,
                clause: text[n..].trim().to_string(),
            }),
            None => Err(format!(
                "`{text}` does not begin with a known framework ({})",
                FRAMEWORKS
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The reference as written in reports: `GDPR Art. 28(3)(g)`.
    pub fn text(&self) -> String {
        format!("{} {}", self.framework.name, self.clause)
    }

    /// The catalogue's entry for this clause, if it has one.
    pub fn catalogued(&self) -> Option<&'static Clause> {
        CLAUSES
            .iter()
            .find(|c| c.framework == self.framework.id && c.clause == self.clause)
    }
}

/// The framework of this id (or name, any case).
pub fn framework(name: &str) -> Option<&'static Framework> {
    FRAMEWORKS
        .iter()
        .find(|f| f.id.eq_ignore_ascii_case(name) || f.name.eq_ignore_ascii_case(name))
}

/// The framework a user names (`--framework`, a policy's `frameworks:`), by id or name.
pub fn named(name: &str) -> Result<&'static Framework, Diagnostic> {
    framework(name).ok_or_else(|| {
        Diagnostic::error(format!("unknown framework `{name}`")).hint(
            did_you_mean(name, FRAMEWORKS.iter().map(|f| f.id)).unwrap_or_else(|| {
                format!(
                    "the frameworks are: {}",
                    FRAMEWORKS
                        .iter()
                        .map(|f| f.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
        )
    })
}
/// Whether a reference (as written in reports) cites `framework`.
pub fn cites(reference: &str, framework: &Framework) -> bool {
    Reference::parse(reference).is_ok_and(|r| r.framework == framework)
}

/// A fact's references (empty when it has none).
pub fn fact_refs(fact: &str) -> &'static [&'static str] {
    FACT_REFS
        .iter()
        .find(|(f, _)| *f == fact)
        .map_or(&[], |(_, refs)| refs)
}

/// The CAIQ question ids of a fact (the questionnaire's `refs` column).
pub fn caiq_refs(fact: &str) -> Vec<String> {
    let caiq = framework("caiq");
    fact_refs(fact)
        .iter()
        .filter_map(|r| Reference::parse(r).ok())
        .filter(|r| Some(r.framework) == caiq)
        .map(|r| r.clause)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vocabulary::{FACTS, fact_spec};

    #[test]
    fn every_fact_has_references_or_a_reason_and_only_one_entry() {
        for f in FACTS {
            let mapped = FACT_REFS.iter().filter(|(n, _)| *n == f.name).count();
            let reasoned = FACTS_WITHOUT_REFS
                .iter()
                .filter(|(n, _)| *n == f.name)
                .count();
            assert_eq!(
                mapped + reasoned,
                1,
                "fact `{}` needs one line in FACT_REFS (src/model/vocabulary/frameworks.rs): \
                 its references, or in FACTS_WITHOUT_REFS the reason none applies",
                f.name
            );
        }
        for (fact, refs) in FACT_REFS {
            assert!(
                fact_spec(fact).is_some(),
                "FACT_REFS names unknown fact {fact}"
            );
            assert!(
                !refs.is_empty(),
                "{fact}: an empty list; give a reason instead"
            );
        }
        for (fact, reason) in FACTS_WITHOUT_REFS {
            assert!(fact_spec(fact).is_some(), "unknown fact {fact}");
            assert!(reason.len() > 10, "{fact}: say why no clause applies");
        }
    }

    #[test]
    fn every_bundled_fact_reference_is_a_catalogued_clause() {
        for (fact, refs) in FACT_REFS {
            for r in *refs {
                let parsed = Reference::parse(r).unwrap_or_else(|e| panic!("{fact}: {e}"));
                assert_eq!(parsed.text(), *r, "{fact}: write references canonically");
                assert!(
                    parsed.catalogued().is_some(),
                    "{fact}: `{r}` is not in CLAUSES"
                );
            }
        }
    }

    #[test]
    fn references_are_read_by_name_id_or_alias_and_the_longest_name_wins() {
        let r = Reference::parse("gdpr   Art. 28(3)(g)").unwrap();
        assert_eq!(r.text(), "GDPR Art. 28(3)(g)");
        let r = Reference::parse("ISO/IEC 42001:2023 A.10.3").unwrap();
        assert_eq!(r.text(), "ISO/IEC 42001 A.10.3");
        let r = Reference::parse("CSA CAIQ v4.0 DSP-16.1").unwrap();
        assert_eq!((r.framework.id, r.clause.as_str()), ("caiq", "DSP-16.1"));
        assert!(Reference::parse("HIPAA 164.504(e)").is_err());
        // A name must be followed by a clause, not run into it.
        assert!(Reference::parse("GDPRArt. 28").is_err());
        assert!(Reference::parse("GDPR").is_err());
        assert!(Reference::parse("GDPR Art. 28\u{202e}(3)").is_err());
        assert!(Reference::parse(&format!("GDPR {}", "x".repeat(100))).is_err());
    }

    #[test]
    fn caiq_ids_are_question_ids_and_kept_for_the_questionnaire() {
        assert_eq!(caiq_refs("breach_notification_hours"), ["SEF-07.2"]);
        assert!(caiq_refs("training_on_inputs").is_empty());
        for c in CLAUSES.iter().filter(|c| c.framework == "caiq") {
            // CAIQ cites questions (`DSP-16.1`), not controls (`DSP-16`).
            let (control, question) = c.clause.split_once('.').unwrap_or((c.clause, ""));
            assert!(
                control.len() == 6
                    && control.as_bytes()[3] == b'-'
                    && !question.is_empty()
                    && question.bytes().all(|b| b.is_ascii_digit()),
                "`{}` is not a CAIQ question id like DSP-16.1",
                c.clause
            );
        }
    }

    #[test]
    fn catalogue_names_known_frameworks_once_each() {
        for (i, c) in CLAUSES.iter().enumerate() {
            assert!(framework(c.framework).is_some(), "{}", c.framework);
            assert!(
                CLAUSES[i + 1..]
                    .iter()
                    .all(|d| (d.framework, d.clause) != (c.framework, c.clause)),
                "{} {} listed twice",
                c.framework,
                c.clause
            );
        }
    }
}
