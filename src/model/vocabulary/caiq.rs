//! Standard questionnaire references per fact (CSA CAIQ v4.0).

#[cfg(test)]
use super::fact_spec;

/// Standard questionnaire references per fact: the CSA Consensus Assessments Initiative
/// Questionnaire (CAIQ) **version 4.0** (question ids of the Cloud Controls Matrix v4.0).
///
/// Kept apart from [`super::FACTS`] so that each table can change on its own. Only questions that truly
/// ask the same thing are listed; a fact with no CAIQ question that matches has no entry (a
/// wrong reference misleads a vendor more than a missing one).
pub const CAIQ_VERSION: &str = "CSA CAIQ v4.0";

pub const CAIQ_REFS: &[(&str, &[&str])] = &[
    // DSP-16: data retention and deletion.
    ("retention_days", &["DSP-16.1"]),
    ("deletion_after_termination_days", &["DSP-16.1"]),
    // DSP-14: disclosure of data sub-processors.
    ("subprocessors_list", &["DSP-14.1"]),
    // DSP-19: data location.
    ("data_residency", &["DSP-19.1"]),
    // SEF-07: security breach notification.
    ("breach_notification_hours", &["SEF-07.2"]),
    // STA-09.1 (the only question of control STA-09, primary service and contractual
    // agreement): do service agreements include the mutually agreed provisions, among them the
    // change management process. A question id, not the control id.
    ("terms_change_notice_days", &["STA-09.1"]),
    ("terms_change_notice_scope", &["STA-09.1"]),
];

/// The CAIQ references of a fact (empty when none matches).
pub fn caiq_refs(fact: &str) -> &'static [&'static str] {
    CAIQ_REFS
        .iter()
        .find(|(f, _)| *f == fact)
        .map_or(&[], |(_, refs)| refs)
}

#[cfg(test)]
mod caiq_tests {
    use super::*;

    #[test]
    fn every_caiq_key_is_a_fact_and_listed_once() {
        for (i, (fact, refs)) in CAIQ_REFS.iter().enumerate() {
            assert!(
                fact_spec(fact).is_some(),
                "CAIQ_REFS names unknown fact {fact}"
            );
            assert!(!refs.is_empty(), "{fact} has an empty reference list");
            // CAIQ cites questions (`DSP-16.1`), not controls (`DSP-16`).
            for r in *refs {
                let (control, question) = r.split_once('.').unwrap_or((r, ""));
                assert!(
                    control.len() == 6
                        && control.as_bytes()[3] == b'-'
                        && !question.is_empty()
                        && question.bytes().all(|b| b.is_ascii_digit()),
                    "{fact}: `{r}` is not a CAIQ question id like DSP-16.1"
                );
            }
            assert!(
                CAIQ_REFS[i + 1..].iter().all(|(f, _)| f != fact),
                "{fact} is listed twice"
            );
        }
    }
}
