//! Edits the text of a `profile.yaml` at the locations the YAML parser reports, so that the
//! user's comments, key order, quoting and blank lines survive: the file is never re-serialized.
//! [`Text`] is the one edit buffer; [`set_source`] and [`add_claim`] are the edits `snapshot`,
//! `import` and `extract` make, and `answers` plans its own on the same buffer.
//!
//! Only block-style mappings are edited (the style every bundled profile and `diligence new`
//! use); anything else is an error that asks the user to make the change by hand.

mod claims;
mod sources;
pub mod text;

pub use claims::add_claim;
pub use sources::set_source;
pub use text::Text;

use crate::diag::{Diagnostic, Pos};
use crate::model::yaml::{self, Node};
use serde_saphyr::Spanned;

/// A value as it is written in YAML: plain when that cannot change its meaning, else
/// double-quoted (JSON string syntax is valid YAML).
pub fn scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "inf" | "nan"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::Value::String(s.to_string()).to_string()
    }
}

/// A value as YAML: JSON is valid YAML flow syntax, and quoting every string keeps `yes`, `no`
/// and `on` from ever being read as booleans.
pub fn yaml_value(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Where a one-line `key: value` has its value, as a byte range of the line; the value may be
/// empty (`key:`). Errors when the value is not on the key's line.
pub(crate) fn value_range(line: &str, key_column: u32) -> Option<(usize, usize)> {
    let start = line
        .char_indices()
        .nth(key_column.saturating_sub(1) as usize)
        .map(|(i, _)| i)?;
    let colon = start + line[start..].find(':')?;
    let rest = &line[colon + 1..];
    let value_start = colon + 1 + (rest.len() - rest.trim_start().len());
    let value = &line[value_start..];
    let len = match value.chars().next() {
        None | Some('#') => 0,
        Some(q @ ('"' | '\'')) => closing_quote(value, q)? + 1,
        Some(_) => {
            let end = value.find(" #").unwrap_or(value.len());
            value[..end].trim_end().len()
        }
    };
    Some((value_start, value_start + len))
}

/// The byte index of the quote that closes a quoted scalar starting at byte 0.
fn closing_quote(value: &str, q: char) -> Option<usize> {
    let bytes = value.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if q == '"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == q as u8 {
            if q == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

pub(crate) fn edit_error(file: &str, pos: Pos, what: String) -> Diagnostic {
    Diagnostic::error(what)
        .in_file(file.to_string())
        .at(pos)
        .hint("write this part of profile.yaml in block style (one `key: value` per line), or make the change by hand")
}

/// Reads one text field of a source from the profile's text (`None` when absent).
pub fn source_field(text: &str, file: &str, id: &str, field: &str) -> Option<String> {
    let root: Spanned<Node> = yaml::parse(text, file).ok()?;
    match &root
        .value
        .get("sources")?
        .value
        .get(id)?
        .value
        .get(field)?
        .value
    {
        Node::Str(s) => Some(s.clone()),
        Node::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = "# Acme: reviewed by legal
vendor: acme   # the folder name
name: \"Acme AI\"
sources:
  # The public terms
  terms:
    title: Acme Terms   # as the page says
    authority: contract
    retrieved: 2026-01-01
    snapshot: sources/terms.2026-01-01.md

  dpa:
    title: 'Acme DPA'
    authority: dpa
# Offerings follow
offerings:
  api: {name: API, tier: api}
";

    fn fields(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, scalar(v))).collect()
    }

    #[test]
    fn updating_a_source_keeps_comments_order_and_quoting() {
        let new = set_source(
            PROFILE,
            "p.yaml",
            "terms",
            &fields(&[
                ("retrieved", "2026-02-02"),
                ("snapshot", "sources/terms.2026-02-02.md"),
                ("sha256", "ab12"),
            ]),
            &[],
        )
        .unwrap();
        let want = PROFILE
            .replace("retrieved: 2026-01-01", "retrieved: 2026-02-02")
            .replace(
                "snapshot: sources/terms.2026-01-01.md",
                "snapshot: sources/terms.2026-02-02.md\n    sha256: ab12",
            );
        assert_eq!(new, want);
    }

    #[test]
    fn a_new_source_goes_after_the_last_one() {
        let new = set_source(
            PROFILE,
            "p.yaml",
            "policy",
            &fields(&[("title", "Acme: Privacy # Policy"), ("authority", "policy")]),
            &[],
        )
        .unwrap();
        assert!(new.contains(
            "    authority: dpa\n  policy:\n    title: \"Acme: Privacy # Policy\"\n    authority: policy\n# Offerings follow\n"
        ));
        assert!(new.starts_with("# Acme: reviewed by legal\nvendor: acme   # the folder name\n"));
    }

    #[test]
    fn sources_is_added_before_offerings_and_an_empty_one_is_filled() {
        let text = "vendor: acme\nname: Acme\n# the offerings\nofferings:\n  api: {name: API, tier: api}\n";
        let new = set_source(text, "p.yaml", "terms", &fields(&[("title", "T")]), &[]).unwrap();
        assert_eq!(
            new,
            "vendor: acme\nname: Acme\nsources:\n  terms:\n    title: T\n# the offerings\nofferings:\n  api: {name: API, tier: api}\n"
        );
        let text = "vendor: acme\nsources: {}   # none yet\n  # terms:\noffers: 1\n";
        let new = set_source(text, "p.yaml", "terms", &fields(&[("title", "T")]), &[]).unwrap();
        assert_eq!(
            new,
            "vendor: acme\nsources:   # none yet\n  terms:\n    title: T\n  # terms:\noffers: 1\n"
        );
    }

    #[test]
    fn fields_can_be_removed_and_flow_style_is_refused() {
        let new = set_source(PROFILE, "p.yaml", "dpa", &[], &["title"]).unwrap();
        assert!(!new.contains("Acme DPA"));
        let flow = "sources: {terms: {title: T, authority: contract}}\n";
        let err = set_source(flow, "p.yaml", "terms", &fields(&[("title", "U")]), &[]);
        assert!(err.unwrap_err().message.contains("flow style"));
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("2026-01-01"), "2026-01-01");
        assert_eq!(scalar("sources/a.md"), "sources/a.md");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("Le Chat: \"terms\""), "\"Le Chat: \\\"terms\\\"\"");
    }

    #[test]
    fn claims_are_appended_to_a_fact_or_a_new_fact() {
        let text = "vendor: acme\nofferings:\n  api:\n    name: API   # the API\n    tier: api\n    facts:\n      dpa:\n        - value: online\n          source: terms\n          quote: \"x y\"\n      # more to come\n  app:\n    name: App\n    tier: consumer\n";
        let claim = vec![
            ("value", "never".to_string()),
            ("source", "terms".to_string()),
            ("draft", "true".to_string()),
        ];
        let new = add_claim(text, "p.yaml", "api", "training_on_inputs", &claim).unwrap();
        assert!(new.contains("          quote: \"x y\"\n      training_on_inputs:\n        - value: never\n          source: terms\n          draft: true\n      # more to come\n"), "{new}");
        let new = add_claim(&new, "p.yaml", "api", "dpa", &claim).unwrap();
        assert!(new.contains("          quote: \"x y\"\n        - value: never\n          source: terms\n          draft: true\n      training_on_inputs:"), "{new}");
        let new = add_claim(&new, "p.yaml", "app", "dpa", &claim).unwrap();
        assert!(new.ends_with("    tier: consumer\n    facts:\n      dpa:\n        - value: never\n          source: terms\n          draft: true\n"), "{new}");
        assert!(new.starts_with("vendor: acme\nofferings:\n  api:\n    name: API   # the API\n"));
    }
}
