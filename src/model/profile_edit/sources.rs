//! `sources:` edits: add a source, or set and remove fields of one (`snapshot`, `import ota`).

use super::text::{Text, last_line, line_of};
use super::{edit_error, value_range};
use crate::diag::Diagnostic;
use crate::model::yaml::{self, Node, span_pos};
use serde_saphyr::Spanned;

/// Sets fields of the source `id` under `sources:` (adding the source, and `sources:` itself,
/// when missing) and removes the fields named in `remove`. `fields` are `(key, YAML text)`;
/// build the text with [`super::scalar`]. Returns the new text of the file.
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
    let mut t = Text::new(text, file);
    let entry = Entry { id, fields };
    match top.iter().find(|(k, _)| k.value == "sources") {
        None => add_sources_key(&mut t, top, &entry),
        Some((key, value)) if is_empty(value) => fill_empty_sources(&mut t, file, key, &entry)?,
        Some((key, value)) => {
            let Node::Map(entries) = &value.value else {
                return Err(edit_error(
                    file,
                    span_pos(value),
                    format!("sources: expected a mapping, found {}", value.value.kind()),
                ));
            };
            if line_of(&entries[0].0) <= line_of(key) {
                return Err(edit_error(
                    file,
                    span_pos(key),
                    "`sources:` is written in flow style ({...})".into(),
                ));
            }
            match entries.iter().find(|(k, _)| k.value == id) {
                Some((ek, ev)) => edit_entry(&mut t, file, ek, ev, fields, remove)?,
                None => add_source(&mut t, key, value, entries, &entry),
            }
        }
    }
    let new = t.finish();
    verify(&new, file, id, fields, remove)?;
    Ok(new)
}

/// A source to write: its id and its `(key, YAML text)` fields.
struct Entry<'a> {
    id: &'a str,
    fields: &'a [(&'a str, String)],
}

impl Entry<'_> {
    fn lines(&self, indent: usize, field_indent: usize) -> Vec<String> {
        let mut out = vec![format!("{}{}:", " ".repeat(indent), self.id)];
        for (k, v) in self.fields {
            out.push(format!("{}{k}: {v}", " ".repeat(field_indent)));
        }
        out
    }
}

/// `key:`, `key: {}` or `key: null`.
pub(super) fn is_empty(value: &Spanned<Node>) -> bool {
    match &value.value {
        Node::Null => true,
        Node::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

/// No `sources:` yet: one goes before `offerings:` and the comment lines right above it, or
/// at the end.
fn add_sources_key(t: &mut Text, top: &[(Spanned<String>, Spanned<Node>)], entry: &Entry) {
    let mut block = vec!["sources:".to_string()];
    block.extend(entry.lines(2, 4));
    match top.iter().find(|(k, _)| k.value == "offerings") {
        Some((k, _)) => {
            let mut at = line_of(k);
            while at > 0 && t.is_blank_or_comment(at - 1) && !t.line(at - 1).trim().is_empty() {
                at -= 1;
            }
            t.insert(at, block);
        }
        None => t.insert(t.len(), block),
    }
}

/// `sources:`, `sources: {}` or `sources: null`: the empty value goes, the entry below the key.
fn fill_empty_sources(
    t: &mut Text,
    file: &str,
    key: &Spanned<String>,
    entry: &Entry,
) -> Result<(), Diagnostic> {
    let key_line = line_of(key);
    let key_indent = t.indent(key_line);
    let line = t.line(key_line).to_string();
    let (a, b) = value_range(&line, key.referenced.column() as u32).ok_or_else(|| {
        edit_error(
            file,
            span_pos(key),
            "cannot read the `sources:` line".into(),
        )
    })?;
    let kept = format!("{}{}", line[..a].trim_end(), &line[b..]);
    t.replace(key_line, 1, vec![kept]);
    t.insert_after(key_line, entry.lines(key_indent + 2, key_indent + 4));
    Ok(())
}

/// A new source after the last one (`entries`, in block style), indented as the others are.
fn add_source(
    t: &mut Text,
    key: &Spanned<String>,
    value: &Spanned<Node>,
    entries: &[(Spanned<String>, Spanned<Node>)],
    entry: &Entry,
) {
    let key_line = line_of(key);
    let first = &entries[0].0;
    let child_indent = first.referenced.column() as usize - 1;
    let field_indent = entries
        .iter()
        .find_map(|(_, v)| match &v.value {
            Node::Map(f) if !f.is_empty() => Some(f[0].0.referenced.column() as usize - 1),
            _ => None,
        })
        .unwrap_or(child_indent + 2);
    let end = t.value_end(last_line(value), t.indent(key_line));
    t.insert_after(end, entry.lines(child_indent, field_indent));
}

/// Sets and removes fields of an existing source, each a one-line value.
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
    // The line of a field whose value is on that one line: only such a value is edited.
    let one_line = |ek: &Spanned<String>, ev: &Spanned<Node>| {
        let n = line_of(ek);
        (last_line(ev) == n && t.value_end(n, field_indent) == n).then_some(n)
    };
    let not_one_line = |ek: &Spanned<String>, k: &str, what: &str| {
        edit_error(
            file,
            span_pos(ek),
            format!(
                "source `{}`: `{k}` is not a one-line value; cannot {what} it",
                key.value
            ),
        )
    };
    let mut missing = Vec::new();
    let mut replaced = Vec::new();
    for (k, v) in fields {
        match existing.iter().find(|(ek, _)| ek.value == *k) {
            Some((ek, ev)) => {
                let column = ek.referenced.column() as u32;
                let Some((n, (a, b))) = one_line(ek, ev)
                    .and_then(|n| value_range(t.line(n), column).map(|range| (n, range)))
                else {
                    return Err(not_one_line(ek, k, "update"));
                };
                let line = t.line(n);
                let sep = if a == b { " " } else { "" };
                replaced.push((n, format!("{}{sep}{v}{}", &line[..a], &line[b..])));
            }
            None => missing.push(format!("{}{k}: {v}", " ".repeat(field_indent))),
        }
    }
    let mut removed = Vec::new();
    for k in remove {
        if let Some((ek, ev)) = existing.iter().find(|(ek, _)| ek.value == *k) {
            removed.push(one_line(ek, ev).ok_or_else(|| not_one_line(ek, k, "remove"))?);
        }
    }
    for (n, new) in replaced {
        t.replace(n, 1, vec![new]);
    }
    for n in removed {
        t.replace(n, 1, Vec::new());
    }
    let end = t.value_end(last_line(value), t.indent(line_of(key)));
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
