//! Claim edits: append a claim to a fact of an offering (`extract --write`).

use super::edit_error;
use super::sources::is_empty;
use super::text::{Text, last_line, line_of};
use super::value_range;
use crate::diag::Diagnostic;
use crate::model::yaml::{self, Node, span_pos};
use serde_saphyr::Spanned;

type Entries = [(Spanned<String>, Spanned<Node>)];

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
    let mut t = Text::new(text, file);
    let (okey, oval, fields) = find_offering(&root, file, offering)?;
    let field_indent = block_indent(file, fields, okey)?;
    let new_fact = |indent: usize| {
        let mut lines = vec![format!("{}{fact}:", " ".repeat(indent))];
        lines.extend(claim_item(claim, indent + 2));
        lines
    };
    match fields.iter().find(|(k, _)| k.value == "facts") {
        None => {
            let end = t.value_end(last_line(oval), t.indent(line_of(okey)));
            let mut lines = vec![format!("{}facts:", " ".repeat(field_indent))];
            lines.extend(new_fact(field_indent + 2));
            t.insert_after(end, lines);
        }
        // `facts:`, `facts: {}` or `facts: null`: the empty value goes, the fact below the key.
        Some((fkey, fval)) if is_empty(fval) => {
            let facts_line = line_of(fkey);
            let line = t.line(facts_line).to_string();
            let (a, b) = value_range(&line, fkey.referenced.column() as u32).ok_or_else(|| {
                edit_error(file, span_pos(fkey), "cannot read the `facts:` line".into())
            })?;
            t.replace(
                facts_line,
                1,
                vec![format!("{}{}", line[..a].trim_end(), &line[b..])],
            );
            t.insert_after(facts_line, new_fact(field_indent + 2));
        }
        Some((fkey, fval)) => {
            let Node::Map(facts) = &fval.value else {
                return Err(edit_error(
                    file,
                    span_pos(fval),
                    "`facts:` is not a mapping".into(),
                ));
            };
            let fact_indent = block_indent(file, facts, fkey)?;
            match facts.iter().find(|(k, _)| k.value == fact) {
                None => {
                    let end = t.value_end(last_line(fval), t.indent(line_of(fkey)));
                    t.insert_after(end, new_fact(fact_indent));
                }
                Some((k, v)) => append_to_fact(&mut t, file, offering, k, v, claim)?,
            }
        }
    }
    let new = t.finish();
    check_claim_added(&new, file, offering, fact, claim)?;
    Ok(new)
}

/// The claim as a list item whose dash is at `dash_indent`.
fn claim_item(claim: &[(&str, String)], dash_indent: usize) -> Vec<String> {
    claim
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let lead = if i == 0 { "- " } else { "  " };
            format!("{}{lead}{k}: {v}", " ".repeat(dash_indent))
        })
        .collect()
}

/// The offering's key, value and fields.
fn find_offering<'r>(
    root: &'r Spanned<Node>,
    file: &str,
    offering: &str,
) -> Result<(&'r Spanned<String>, &'r Spanned<Node>, &'r Entries), Diagnostic> {
    let offerings = root.value.get("offerings").ok_or_else(|| {
        edit_error(
            file,
            span_pos(root),
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
    Ok((okey, oval, fields))
}

/// The indentation of a block mapping's entries; an error for a flow mapping (`{...}`).
fn block_indent(file: &str, entries: &Entries, key: &Spanned<String>) -> Result<usize, Diagnostic> {
    match entries.first() {
        Some((k, _)) if line_of(k) > line_of(key) => Ok(k.referenced.column() as usize - 1),
        _ => Err(edit_error(
            file,
            span_pos(key),
            format!("`{}` is written in flow style ({{...}})", key.value),
        )),
    }
}

/// Appends the claim after the last claim of a fact written as a block list.
fn append_to_fact(
    t: &mut Text,
    file: &str,
    offering: &str,
    key: &Spanned<String>,
    value: &Spanned<Node>,
    claim: &[(&str, String)],
) -> Result<(), Diagnostic> {
    let fact = &key.value;
    let Node::Seq(items) = &value.value else {
        return Err(Diagnostic::error(format!(
            "offering `{offering}`: fact `{fact}` is a bare value; a claim cannot be added to it"
        ))
        .in_file(file.to_string())
        .at(span_pos(key))
        .hint("turn it into a list of claims, or delete it, and run the command again"));
    };
    let first = items.first().map(line_of).unwrap_or(0);
    if first <= line_of(key) {
        return Err(edit_error(
            file,
            span_pos(key),
            format!("fact `{fact}` is written in flow style ([...])"),
        ));
    }
    let dash = t.indent(first);
    let end = t.value_end(last_line(value), t.indent(line_of(key)));
    t.insert_after(end, claim_item(claim, dash));
    Ok(())
}

/// The edit must parse and end with the claim asked for: a file it would have broken is
/// never written.
fn check_claim_added(
    new: &str,
    file: &str,
    offering: &str,
    fact: &str,
    claim: &[(&str, String)],
) -> Result<(), Diagnostic> {
    let fail = || {
        Diagnostic::error(format!(
            "could not add a claim to `{fact}` in place; the file was left untouched"
        ))
        .in_file(file.to_string())
        .hint("add the claim by hand")
    };
    let check: Spanned<Node> = yaml::parse(new, file).map_err(|_| fail())?;
    let ok = check
        .value
        .get("offerings")
        .and_then(|o| o.value.get(offering))
        .and_then(|o| o.value.get("facts"))
        .and_then(|f| f.value.get(fact))
        .is_some_and(|f| matches!(&f.value, Node::Seq(items) if items.last().is_some_and(|i| i.value.get(claim[0].0).is_some())));
    if ok { Ok(()) } else { Err(fail()) }
}
