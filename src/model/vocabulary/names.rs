//! Values as documents and vendors write them: "Standard Contractual Clauses", "EU-U.S. DPF",
//! "Data Privacy Frameworks" name the vocabulary's `scc` and `dpf`. Read where a person or a
//! document, not the schema, wrote the value (questionnaire answers).

/// (fact, value, names as written, lowercase, words separated by single spaces)
const NAMES: &[(&str, &str, &[&str])] = &[
    (
        "transfer_mechanism",
        "scc",
        &[
            "standard contractual clauses",
            "standard contractual clause",
            "sccs",
            "eu sccs",
            "model clauses",
        ],
    ),
    (
        "transfer_mechanism",
        "dpf",
        &[
            "data privacy framework",
            "data privacy frameworks",
            "eu u s dpf",
            "eu us dpf",
            "eu u s data privacy framework",
            "eu us data privacy framework",
            "privacy framework",
        ],
    ),
    (
        "transfer_mechanism",
        "adequacy",
        &["adequacy decision", "adequacy decisions", "adequate"],
    ),
    (
        "transfer_mechanism",
        "bcr",
        &["binding corporate rules", "bcrs"],
    ),
];

/// The vocabulary value a name as written stands for, if it names one.
pub fn value_named(fact: &str, written: &str) -> Option<&'static str> {
    let words: Vec<String> = written
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let text = words.join(" ");
    let text = text.strip_prefix("the ").unwrap_or(&text);
    NAMES
        .iter()
        .find(|(f, _, names)| *f == fact && names.contains(&text))
        .map(|(_, value, _)| *value)
}

#[cfg(test)]
mod tests {
    use super::value_named;

    #[test]
    fn names_as_documents_write_them_map_to_values() {
        assert_eq!(
            value_named("transfer_mechanism", "Data Privacy Frameworks"),
            Some("dpf")
        );
        assert_eq!(
            value_named("transfer_mechanism", "EU-U.S. DPF"),
            Some("dpf")
        );
        assert_eq!(
            value_named("transfer_mechanism", "Standard Contractual Clauses"),
            Some("scc")
        );
        assert_eq!(value_named("transfer_mechanism", "a promise"), None);
        assert_eq!(value_named("dpa", "standard contractual clauses"), None);
    }
}
