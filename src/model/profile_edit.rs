//! Edits the text of a `profile.yaml` at the locations the YAML parser reports, so that the
//! user's comments, key order, quoting and blank lines survive: the file is never re-serialized.
//!
//! Only block-style mappings are edited (the style every bundled profile and `diligence new`
//! use); anything else is an error that asks the user to make the change by hand.

use crate::diag::{Diagnostic, Pos};
use crate::model::yaml::{self, Node, span_pos};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

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

/// The profile's text split in lines, with the edits to make, applied all at once at the end
/// (so that every location keeps pointing at the original text).
struct Text {
    lines: Vec<String>,
    newline: &'static str,
    /// Replacement text for whole lines (None: delete the line).
    replaced: BTreeMap<usize, Option<String>>,
    /// Lines to insert after line N (0: at the top).
    inserted: BTreeMap<usize, Vec<String>>,
}

impl Text {
    fn new(text: &str) -> Text {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let lines = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect::<Vec<_>>();
        // A final newline leaves an empty last element: not a line.
        let lines = match lines.split_last() {
            Some((last, rest)) if last.is_empty() => rest.to_vec(),
            _ => lines,
        };
        Text {
            lines,
            newline,
            replaced: BTreeMap::new(),
            inserted: BTreeMap::new(),
        }
    }

    /// Line `n` (1-based), as in the original text.
    fn line(&self, n: usize) -> &str {
        self.lines.get(n.wrapping_sub(1)).map_or("", String::as_str)
    }

    fn indent(&self, n: usize) -> usize {
        let l = self.line(n);
        l.len() - l.trim_start_matches(' ').len()
    }

    fn blank_or_comment(&self, n: usize) -> bool {
        let t = self.line(n).trim();
        t.is_empty() || t.starts_with('#')
    }

    /// The last line of a block that starts at `from` (the last line the parser reported in it):
    /// lines below it that are indented deeper than `indent` (continuations of a long value)
    /// belong to it too.
    fn block_end(&self, from: usize, indent: usize) -> usize {
        let mut end = from;
        while end < self.lines.len() {
            let next = end + 1;
            if !self.line(next).trim().is_empty()
                && self.indent(next) > indent
                && !self.blank_or_comment(next)
            {
                end = next;
            } else {
                break;
            }
        }
        end
    }

    fn insert_after(&mut self, line: usize, new: Vec<String>) {
        self.inserted.entry(line).or_default().extend(new);
    }

    fn finish(self) -> String {
        let mut out = String::new();
        let nl = self.newline;
        for l in self.inserted.get(&0).into_iter().flatten() {
            out.push_str(l);
            out.push_str(nl);
        }
        for (i, line) in self.lines.iter().enumerate() {
            let n = i + 1;
            match self.replaced.get(&n) {
                Some(Some(r)) => {
                    out.push_str(r);
                    out.push_str(nl);
                }
                Some(None) => {}
                None => {
                    out.push_str(line);
                    out.push_str(nl);
                }
            }
            for l in self.inserted.get(&n).into_iter().flatten() {
                out.push_str(l);
                out.push_str(nl);
            }
        }
        out
    }
}

fn line_of<T>(s: &Spanned<T>) -> usize {
    span_pos(s).line as usize
}

/// The last line the parser reports inside a node (keys and values, however deep).
fn last_line(node: &Spanned<Node>) -> usize {
    let own = line_of(node);
    match &node.value {
        Node::Map(entries) => entries
            .iter()
            .map(|(k, v)| line_of(k).max(last_line(v)))
            .max()
            .unwrap_or(own)
            .max(own),
        Node::Seq(items) => items.iter().map(last_line).max().unwrap_or(own).max(own),
        _ => own,
    }
}

/// Where a one-line `key: value` has its value, as a byte range of the line; the value may be
/// empty (`key:`). Errors when the value is not on the key's line.
fn value_range(line: &str, key_column: u32) -> Option<(usize, usize)> {
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

fn edit_error(file: &str, pos: Pos, what: String) -> Diagnostic {
    Diagnostic::error(what)
        .in_file(file.to_string())
        .at(pos)
        .hint("write this part of profile.yaml in block style (one `key: value` per line), or make the change by hand")
}

/// Sets fields of the source `id` under `sources:` (adding the source, and `sources:` itself,
/// when missing) and removes the fields named in `remove`. `fields` are `(key, YAML text)`;
/// build the text with [`scalar`]. Returns the new text of the file.
pub fn set_source(
    text: &str,
    file: &str,
    id: &str,
    fields: &[(&str, String)],
    remove: &[&str],
) -> Result<String, Diagnostic> {
    let root: Spanned<Node> = yaml::parse(text, file)?;
    let Node::Map(top) = &root.value else {
        return Err(edit_error(
            file,
            span_pos(&root),
            "profile.yaml is not a mapping".into(),
        ));
    };
    let mut t = Text::new(text);
    let entry_lines = |indent: usize, field_indent: usize| -> Vec<String> {
        let mut out = vec![format!("{}{id}:", " ".repeat(indent))];
        for (k, v) in fields {
            out.push(format!("{}{k}: {v}", " ".repeat(field_indent)));
        }
        out
    };
    match top.iter().find(|(k, _)| k.value == "sources") {
        None => {
            let mut block = vec!["sources:".to_string()];
            block.extend(entry_lines(2, 4));
            match top.iter().find(|(k, _)| k.value == "offerings") {
                Some((k, _)) => {
                    // Before `offerings:` and the comment lines right above it.
                    let mut at = line_of(k) - 1;
                    while at > 0 && t.blank_or_comment(at) && !t.line(at).trim().is_empty() {
                        at -= 1;
                    }
                    t.insert_after(at, block);
                }
                None => t.insert_after(t.lines.len(), block),
            }
        }
        Some((key, value)) => {
            let key_line = line_of(key);
            let key_indent = t.indent(key_line);
            let empty = match &value.value {
                Node::Null => true,
                Node::Map(entries) => entries.is_empty(),
                _ => false,
            };
            if empty {
                // `sources:`, `sources: {}` or `sources: null`: children go below the key.
                let line = t.line(key_line).to_string();
                let (a, b) =
                    value_range(&line, key.referenced.column() as u32).ok_or_else(|| {
                        edit_error(
                            file,
                            span_pos(key),
                            "cannot read the `sources:` line".into(),
                        )
                    })?;
                let kept = format!("{}{}", line[..a].trim_end(), &line[b..]);
                t.replaced.insert(key_line, Some(kept));
                t.insert_after(key_line, entry_lines(key_indent + 2, key_indent + 4));
            } else {
                let Node::Map(entries) = &value.value else {
                    return Err(edit_error(
                        file,
                        span_pos(value),
                        format!("sources: expected a mapping, found {}", value.value.kind()),
                    ));
                };
                let first = &entries[0].0;
                if line_of(first) <= key_line {
                    return Err(edit_error(
                        file,
                        span_pos(key),
                        "`sources:` is written in flow style ({...})".into(),
                    ));
                }
                let child_indent = first.referenced.column() as usize - 1;
                match entries.iter().find(|(k, _)| k.value == id) {
                    Some((ek, ev)) => edit_entry(&mut t, file, ek, ev, fields, remove)?,
                    None => {
                        let field_indent = entries
                            .iter()
                            .find_map(|(_, v)| match &v.value {
                                Node::Map(f) if !f.is_empty() => {
                                    Some(f[0].0.referenced.column() as usize - 1)
                                }
                                _ => None,
                            })
                            .unwrap_or(child_indent + 2);
                        let end = t.block_end(last_line(value), key_indent);
                        t.insert_after(end, entry_lines(child_indent, field_indent));
                    }
                }
            }
        }
    }
    let new = t.finish();
    verify(&new, file, id, fields, remove)?;
    Ok(new)
}

fn edit_entry(
    t: &mut Text,
    file: &str,
    key: &Spanned<String>,
    value: &Spanned<Node>,
    fields: &[(&str, String)],
    remove: &[&str],
) -> Result<(), Diagnostic> {
    let Node::Map(existing) = &value.value else {
        return Err(edit_error(
            file,
            span_pos(value),
            format!("source `{}` is not a mapping", key.value),
        ));
    };
    let Some(first) = existing.first() else {
        return Err(edit_error(
            file,
            span_pos(key),
            format!("source `{}` is empty", key.value),
        ));
    };
    if line_of(&first.0) <= line_of(key) {
        return Err(edit_error(
            file,
            span_pos(key),
            format!("source `{}` is written in flow style ({{...}})", key.value),
        ));
    }
    let field_indent = first.0.referenced.column() as usize - 1;
    let mut missing = Vec::new();
    for (k, v) in fields {
        match existing.iter().find(|(ek, _)| ek.value == *k) {
            Some((ek, ev)) => {
                let n = line_of(ek);
                let line = t.line(n).to_string();
                let range = value_range(&line, ek.referenced.column() as u32)
                    .filter(|_| last_line(ev) == n && t.block_end(n, field_indent) == n);
                let Some((a, b)) = range else {
                    return Err(edit_error(
                        file,
                        span_pos(ek),
                        format!(
                            "source `{}`: `{k}` is not a one-line value; cannot update it",
                            key.value
                        ),
                    ));
                };
                let sep = if a == b { " " } else { "" };
                let new = format!("{}{sep}{v}{}", &line[..a], &line[b..]);
                t.replaced.insert(n, Some(new));
            }
            None => missing.push(format!("{}{k}: {v}", " ".repeat(field_indent))),
        }
    }
    for k in remove {
        if let Some((ek, ev)) = existing.iter().find(|(ek, _)| ek.value == *k) {
            let n = line_of(ek);
            if last_line(ev) != n || t.block_end(n, field_indent) != n {
                return Err(edit_error(
                    file,
                    span_pos(ek),
                    format!(
                        "source `{}`: `{k}` is not a one-line value; cannot remove it",
                        key.value
                    ),
                ));
            }
            t.replaced.insert(n, None);
        }
    }
    let indent = t.indent(line_of(key));
    let end = t.block_end(last_line(value), indent);
    t.insert_after(end, missing);
    Ok(())
}

/// Parses the edited text again and checks that the source now has exactly the values asked
/// for: a file the edit would have broken is never written.
fn verify(
    new: &str,
    file: &str,
    id: &str,
    fields: &[(&str, String)],
    remove: &[&str],
) -> Result<(), Diagnostic> {
    let fail = || {
        Diagnostic::error(format!(
            "could not update source `{id}` in place; the file was left untouched"
        ))
        .in_file(file.to_string())
        .hint("add or update the source by hand (see `diligence schema profile`)")
    };
    let root: Spanned<Node> = yaml::parse(new, file).map_err(|_| fail())?;
    let entry = root
        .value
        .get("sources")
        .and_then(|s| s.value.get(id))
        .ok_or_else(fail)?;
    for (k, v) in fields {
        let want: Spanned<Node> = yaml::parse(&format!("x: {v}"), file).map_err(|_| fail())?;
        let want = want.value.get("x").map(|n| n.value.to_json());
        let got = entry.value.get(k).map(|n| n.value.to_json());
        if want != got {
            return Err(fail());
        }
    }
    if remove.iter().any(|k| entry.value.get(k).is_some()) {
        return Err(fail());
    }
    Ok(())
}

/// Appends a claim to `offerings.<offering>.facts.<fact>` (adding the fact, and `facts:`, when
/// missing). `claim` is `(key, YAML text)`, written in that order. A fact written as a bare value
/// is left alone (an error: the user decides between the two).
pub fn add_claim(
    text: &str,
    file: &str,
    offering: &str,
    fact: &str,
    claim: &[(&str, String)],
) -> Result<String, Diagnostic> {
    let root: Spanned<Node> = yaml::parse(text, file)?;
    let mut t = Text::new(text);
    let item = |dash_indent: usize| -> Vec<String> {
        claim
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                let lead = if i == 0 { "- " } else { "  " };
                format!("{}{lead}{k}: {v}", " ".repeat(dash_indent))
            })
            .collect()
    };
    let offerings = root.value.get("offerings").ok_or_else(|| {
        edit_error(
            file,
            span_pos(&root),
            "the profile has no `offerings:`".into(),
        )
    })?;
    let Node::Map(entries) = &offerings.value else {
        return Err(edit_error(
            file,
            span_pos(offerings),
            "`offerings:` is not a mapping".into(),
        ));
    };
    let Some((okey, oval)) = entries.iter().find(|(k, _)| k.value == offering) else {
        return Err(edit_error(
            file,
            span_pos(offerings),
            format!("no offering `{offering}`"),
        ));
    };
    let Node::Map(fields) = &oval.value else {
        return Err(edit_error(
            file,
            span_pos(okey),
            format!("offering `{offering}` is not a mapping"),
        ));
    };
    let block = |f: &[(Spanned<String>, Spanned<Node>)],
                 key: &Spanned<String>|
     -> Result<usize, Diagnostic> {
        match f.first() {
            Some((k, _)) if line_of(k) > line_of(key) => Ok(k.referenced.column() as usize - 1),
            _ => Err(edit_error(
                file,
                span_pos(key),
                format!("`{}` is written in flow style ({{...}})", key.value),
            )),
        }
    };
    let field_indent = block(fields, okey)?;
    let offering_indent = t.indent(line_of(okey));
    match fields.iter().find(|(k, _)| k.value == "facts") {
        None => {
            let end = t.block_end(last_line(oval), offering_indent);
            let mut lines = vec![format!("{}facts:", " ".repeat(field_indent))];
            lines.push(format!("{}{fact}:", " ".repeat(field_indent + 2)));
            lines.extend(item(field_indent + 4));
            t.insert_after(end, lines);
        }
        Some((fkey, fval)) => {
            let empty = match &fval.value {
                Node::Null => true,
                Node::Map(e) => e.is_empty(),
                _ => false,
            };
            let facts_line = line_of(fkey);
            if empty {
                let line = t.line(facts_line).to_string();
                let (a, b) =
                    value_range(&line, fkey.referenced.column() as u32).ok_or_else(|| {
                        edit_error(file, span_pos(fkey), "cannot read the `facts:` line".into())
                    })?;
                t.replaced.insert(
                    facts_line,
                    Some(format!("{}{}", line[..a].trim_end(), &line[b..])),
                );
                let mut lines = vec![format!("{}{fact}:", " ".repeat(field_indent + 2))];
                lines.extend(item(field_indent + 4));
                t.insert_after(facts_line, lines);
            } else {
                let Node::Map(facts) = &fval.value else {
                    return Err(edit_error(
                        file,
                        span_pos(fval),
                        "`facts:` is not a mapping".into(),
                    ));
                };
                let fact_indent = block(facts, fkey)?;
                match facts.iter().find(|(k, _)| k.value == fact) {
                    None => {
                        let end = t.block_end(last_line(fval), t.indent(facts_line));
                        let mut lines = vec![format!("{}{fact}:", " ".repeat(fact_indent))];
                        lines.extend(item(fact_indent + 2));
                        t.insert_after(end, lines);
                    }
                    Some((k, v)) => {
                        let Node::Seq(items) = &v.value else {
                            return Err(Diagnostic::error(format!(
                                "offering `{offering}`: fact `{fact}` is a bare value; a claim cannot be added to it"
                            ))
                            .in_file(file.to_string())
                            .at(span_pos(k))
                            .hint("turn it into a list of claims, or delete it, and run the command again"));
                        };
                        let first = items.first().map(line_of).unwrap_or(0);
                        if first <= line_of(k) {
                            return Err(edit_error(
                                file,
                                span_pos(k),
                                format!("fact `{fact}` is written in flow style ([...])"),
                            ));
                        }
                        let dash = t.indent(first);
                        let end = t.block_end(last_line(v), t.indent(line_of(k)));
                        t.insert_after(end, item(dash));
                    }
                }
            }
        }
    }
    let new = t.finish();
    // The edit must parse and end with the claim asked for.
    let check: Spanned<Node> = yaml::parse(&new, file).map_err(|_| {
        Diagnostic::error(format!(
            "could not add a claim to `{fact}` in place; the file was left untouched"
        ))
        .in_file(file.to_string())
        .hint("add the claim by hand")
    })?;
    let ok = check
        .value
        .get("offerings")
        .and_then(|o| o.value.get(offering))
        .and_then(|o| o.value.get("facts"))
        .and_then(|f| f.value.get(fact))
        .is_some_and(|f| matches!(&f.value, Node::Seq(items) if items.last().is_some_and(|i| i.value.get(claim[0].0).is_some())));
    if !ok {
        return Err(Diagnostic::error(format!(
            "could not add a claim to `{fact}` in place; the file was left untouched"
        ))
        .in_file(file.to_string())
        .hint("add the claim by hand"));
    }
    Ok(new)
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
