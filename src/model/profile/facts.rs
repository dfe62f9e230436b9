//! The `facts:` of an offering: fact names, value types and claim lists with their quotes,
//! sources, carve-outs, audiences and verified silences. Shared by profiles and rule test cases.

use super::*;
/// Parses an offering's `facts:` mapping exactly as a profile's (fact names, value types,
/// claim lists, `custom:`), for offerings built outside a profile file (rule test cases).
/// Claims must cite one of `sources`; there are no snapshots, so their quotes are left
/// `Unarchived` (the caller decides what that means). Problems have no file set.
pub fn parse_facts(
    node: &Spanned<Node>,
    sources: &[Source],
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Fact> {
    let ctx = FactContext {
        sources,
        quotes_required: false,
    };
    let mut facts = BTreeMap::new();
    build_facts(node, &ctx, "", &mut facts, problems);
    facts
}

pub(super) struct FactContext<'a> {
    pub(super) sources: &'a [Source],
    /// Profiles quote their sources; rule test cases have no snapshots and need not.
    pub(super) quotes_required: bool,
}

pub(super) fn build_facts(
    node: &Spanned<Node>,
    ctx: &FactContext,
    prefix: &str,
    facts: &mut BTreeMap<String, Fact>,
    problems: &mut Vec<Diagnostic>,
) {
    let entries = match &node.value {
        Node::Map(entries) => entries,
        Node::Null => return,
        other => {
            problems.push(
                Diagnostic::error(format!(
                    "facts: expected a mapping of fact names, found {}",
                    other.kind()
                ))
                .at(span_pos(node)),
            );
            return;
        }
    };
    for (key, value) in entries {
        let name = key.value.as_str();
        if prefix.is_empty() && name == "custom" {
            build_facts(value, ctx, "custom.", facts, problems);
            continue;
        }
        let full = format!("{prefix}{name}");
        let ty = if prefix.is_empty() {
            match fact_spec(name) {
                Some(spec) => Some(spec.ty),
                None => {
                    problems.push(
                        Diagnostic::error(format!("unknown fact `{name}`"))
                            .at(span_pos(key))
                            .hint(
                                did_you_mean(name, vocabulary::fact_names()).unwrap_or_else(|| {
                                    "see `diligence schema` for the fact names; put your own facts under `custom:`".to_string()
                                }),
                            ),
                    );
                    continue;
                }
            }
        } else {
            None
        };
        let claims = build_claims(&full, value, ty, ctx, problems);
        facts.insert(
            full.clone(),
            Fact {
                name: full,
                claims,
                at: span_pos(key),
            },
        );
    }
}

const CLAIM_FIELDS: [&str; 10] = [
    "value",
    "source",
    "section",
    "quote",
    "searched",
    "note",
    "draft",
    "exceptions",
    "applies_to",
    "allowed_if",
];

fn is_claim_list(node: &Node) -> bool {
    match node {
        Node::Seq(items) => items
            .iter()
            .any(|i| matches!(&i.value, Node::Map(_)) && i.value.get("value").is_some()),
        _ => false,
    }
}

fn build_claims(
    name: &str,
    node: &Spanned<Node>,
    ty: Option<vocabulary::ValueType>,
    ctx: &FactContext,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Claim> {
    let what = format!("fact `{name}`");
    let check = |value: &Spanned<Node>| -> Result<Value, Diagnostic> {
        match ty {
            Some(ty) => check_value(value, ty, &what),
            None => Ok(value.value.to_json()),
        }
    };
    if !is_claim_list(&node.value) {
        if node.value == Node::Null {
            return Vec::new();
        }
        if node.value == Node::Str(NOT_STATED.into()) {
            problems.push(
                Diagnostic::error(format!(
                    "{what}: `not_stated` records that a source was read and is silent, so it needs the source and the words searched"
                ))
                .at(span_pos(node))
                .hint(format!(
                    "write it as a claim:\n  {name}:\n    - value: not_stated\n      source: <source id>\n      searched: [word, other words]"
                )),
            );
            return Vec::new();
        }
        return match check(node) {
            Ok(value) => vec![Claim {
                value,
                source: None,
                authority: Authority::Unsupported,
                section: None,
                quote: None,
                note: None,
                searched: Vec::new(),
                at: span_pos(node),
                quote_at: span_pos(node),
                searched_at: span_pos(node),
                verification: Verification::Bare,
                draft: false,
                exceptions: Vec::new(),
                applies_to: Vec::new(),
                allowed_if: None,
            }],
            Err(d) => {
                problems.push(d);
                Vec::new()
            }
        };
    }
    let Node::Seq(items) = &node.value else {
        return Vec::new();
    };
    let mut claims = Vec::new();
    for item in items {
        match build_claim(name, &what, item, &check, ctx) {
            Ok(c) => claims.push(c),
            Err(d) => problems.push(d),
        }
    }
    claims
}

fn text_field(field: &str, node: &Spanned<Node>, what: &str) -> Result<String, Diagnostic> {
    match &node.value {
        Node::Str(s) => Ok(s.clone()),
        Node::Int(i) => Ok(i.to_string()),
        Node::Float(f) => Ok(f.to_string()),
        other => Err(Diagnostic::error(format!(
            "{what}: `{field}` must be text, found {}",
            other.kind()
        ))
        .at(span_pos(node))),
    }
}

fn build_claim(
    fact: &str,
    what: &str,
    item: &Spanned<Node>,
    check: &dyn Fn(&Spanned<Node>) -> Result<Value, Diagnostic>,
    ctx: &FactContext,
) -> Result<Claim, Diagnostic> {
    let at = span_pos(item);
    check_claim_fields(what, item)?;
    let value_node = item
        .value
        .get("value")
        .ok_or_else(|| Diagnostic::error(format!("{what}: claim has no `value`")).at(at))?;
    let not_stated = value_node.value == Node::Str(NOT_STATED.into());
    let value = if not_stated {
        Value::String(NOT_STATED.into())
    } else {
        check(value_node)?
    };
    let source = claim_source(what, item, ctx)?;
    let quote_node = item.value.get("quote");
    let quote = match quote_node {
        Some(q) => Some(text_field("quote", q, what)?),
        None if not_stated || !ctx.quotes_required => None,
        None => {
            return Err(Diagnostic::error(format!("{what}: claim has no `quote`"))
                .at(at)
                .hint("copy the sentence that states the fact, verbatim, from the source"));
        }
    };
    let searched_node = item.value.get("searched");
    let searched = claim_searched(what, searched_node, value_node, not_stated)?;
    let optional_text = |field: &str| {
        item.value
            .get(field)
            .map(|s| text_field(field, s, what))
            .transpose()
    };
    Ok(Claim {
        value,
        source: Some(source.id.clone()),
        authority: source.authority,
        section: optional_text("section")?,
        quote,
        note: optional_text("note")?,
        searched,
        at,
        quote_at: quote_node.map_or(at, span_pos),
        searched_at: searched_node.map_or(at, span_pos),
        verification: Verification::Unarchived,
        draft: claim_draft(what, item)?,
        exceptions: item
            .value
            .get("exceptions")
            .map(|n| exceptions(n, what))
            .transpose()?
            .unwrap_or_default(),
        applies_to: item
            .value
            .get("applies_to")
            .map(|n| applies_to(n, what))
            .transpose()?
            .unwrap_or_default(),
        allowed_if: claim_allowed_if(fact, what, item)?,
    })
}

/// `applies_to:`: a non-empty list of audience names (`business`, `consumer`, regions). Whether
/// the policy defines them is checked once both are loaded (`Workspace::load`).
fn applies_to(node: &Spanned<Node>, what: &str) -> Result<Vec<(String, Pos)>, Diagnostic> {
    let wrong = |at| {
        Diagnostic::error(format!(
            "{what}: `applies_to:` must be a list of audiences, e.g. [business, eu] or [consumer]"
        ))
        .at(at)
        .hint("name a kind of customer (business, consumer) and/or regions the policy's `audience:` lists")
    };
    let Node::Seq(items) = &node.value else {
        return Err(wrong(span_pos(node)));
    };
    let mut out = Vec::new();
    for item in items {
        match &item.value {
            Node::Str(s) if valid_id(s) => out.push((s.clone(), span_pos(item))),
            _ => return Err(wrong(span_pos(item))),
        }
    }
    if out.is_empty() {
        return Err(wrong(span_pos(node)));
    }
    Ok(out)
}

/// The fact whose claims may say under what condition the data is allowed.
const ALLOWED_IF_FACT: &str = "prohibited_data";

fn claim_allowed_if(
    fact: &str,
    what: &str,
    item: &Spanned<Node>,
) -> Result<Option<String>, Diagnostic> {
    let Some(node) = item.value.get("allowed_if") else {
        return Ok(None);
    };
    if fact != ALLOWED_IF_FACT {
        return Err(Diagnostic::error(format!(
            "{what}: `allowed_if:` only goes with `{ALLOWED_IF_FACT}`"
        ))
        .at(span_pos(node))
        .hint("to record a carve-out from a promise, use `exceptions:` with a quote"));
    }
    text_field("allowed_if", node, what).map(Some)
}

fn check_claim_fields(what: &str, item: &Spanned<Node>) -> Result<(), Diagnostic> {
    let Node::Map(entries) = &item.value else {
        return Err(Diagnostic::error(format!(
            "{what}: each claim is a mapping with value, source, section and quote; found {}",
            item.value.kind()
        ))
        .at(span_pos(item)));
    };
    for (key, _) in entries {
        if !CLAIM_FIELDS.contains(&key.value.as_str()) {
            return Err(
                Diagnostic::error(format!("{what}: unknown claim field `{}`", key.value))
                    .at(span_pos(key))
                    .hint(
                        did_you_mean(&key.value, CLAIM_FIELDS).unwrap_or_else(|| {
                            format!("allowed fields: {}", CLAIM_FIELDS.join(", "))
                        }),
                    ),
            );
        }
    }
    Ok(())
}

/// The source a claim cites, which must be one of the profile's `sources:`.
fn claim_source<'a>(
    what: &str,
    item: &Spanned<Node>,
    ctx: &FactContext<'a>,
) -> Result<&'a Source, Diagnostic> {
    let source_node = item.value.get("source").ok_or_else(|| {
        Diagnostic::error(format!("{what}: claim has no `source`"))
            .at(span_pos(item))
            .hint("name one of the profile's `sources:`, or write the fact as a bare value if you have no evidence")
    })?;
    let source_id = text_field("source", source_node, what)?;
    let found = ctx.sources.iter().find(|s| s.id == source_id);
    if let Some(s) = found.filter(|s| s.status == SourceStatus::Missing) {
        return Err(documents::cites_missing(what, s).at(span_pos(source_node)));
    }
    found.ok_or_else(|| {
        Diagnostic::error(format!(
            "{what}: source `{source_id}` is not defined in `sources:`"
        ))
        .at(span_pos(source_node))
        .hint(
            did_you_mean(&source_id, ctx.sources.iter().map(|s| s.id.as_str())).unwrap_or_else(
                || "add it under `sources:` with its title, authority and snapshot".into(),
            ),
        )
    })
}

/// `searched:` goes with `value: not_stated`, and only with it.
fn claim_searched(
    what: &str,
    searched_node: Option<&Spanned<Node>>,
    value_node: &Spanned<Node>,
    not_stated: bool,
) -> Result<Vec<String>, Diagnostic> {
    match (searched_node, not_stated) {
        (Some(node), true) => searched_words(node, what),
        (None, true) => Err(Diagnostic::error(format!(
            "{what}: a `not_stated` claim needs `searched:`, the words you looked for in the source and did not find"
        ))
        .at(span_pos(value_node))
        .hint("add e.g. `searched: [breach, incident, notify]`: check verifies that the snapshot contains none of them")),
        (Some(node), false) => Err(Diagnostic::error(format!(
            "{what}: `searched:` only goes with `value: not_stated`"
        ))
        .at(span_pos(node))
        .hint("remove `searched:`, or write `value: not_stated` if the source says nothing of this fact")),
        (None, false) => Ok(Vec::new()),
    }
}

fn claim_draft(what: &str, item: &Spanned<Node>) -> Result<bool, Diagnostic> {
    match item.value.get("draft") {
        None => Ok(false),
        Some(d) => match &d.value {
            Node::Bool(b) => Ok(*b),
            other => Err(Diagnostic::error(format!(
                "{what}: `draft` must be true or false, found {}",
                other.kind()
            ))
            .at(span_pos(d))
            .hint("`draft: true` marks a claim proposed by `diligence extract`; delete the line once you have confirmed the claim")),
        },
    }
}

const EXCEPTION_FIELDS: [&str; 3] = ["quote", "section", "note"];

/// `exceptions:`: a list of carve-outs, each `{quote, section?, note?}`. A carve-out must be
/// quoted: an unquoted one could not be verified, and rules quote it to the reviewer.
fn exceptions(node: &Spanned<Node>, what: &str) -> Result<Vec<Exception>, Diagnostic> {
    let example = "e.g. `exceptions: [{quote: \"...except to improve safety systems...\", section: \"4.2\"}]`";
    let Node::Seq(items) = &node.value else {
        return Err(Diagnostic::error(format!(
            "{what}: `exceptions:` must be a list of quoted carve-outs, found {}",
            node.value.kind()
        ))
        .at(span_pos(node))
        .hint(example));
    };
    let mut out = Vec::new();
    for item in items {
        let Node::Map(entries) = &item.value else {
            return Err(Diagnostic::error(format!(
                "{what}: each exception is a mapping with `quote:` (and optional `section:`, `note:`), found {}",
                item.value.kind()
            ))
            .at(span_pos(item))
            .hint(example));
        };
        for (key, _) in entries {
            if !EXCEPTION_FIELDS.contains(&key.value.as_str()) {
                return Err(Diagnostic::error(format!(
                    "{what}: unknown exception field `{}`",
                    key.value
                ))
                .at(span_pos(key))
                .hint(
                    did_you_mean(&key.value, EXCEPTION_FIELDS).unwrap_or_else(|| {
                        format!("allowed fields: {}", EXCEPTION_FIELDS.join(", "))
                    }),
                ));
            }
        }
        let Some(quote_node) = item.value.get("quote") else {
            return Err(Diagnostic::error(format!(
                "{what}: an exception has no `quote`"
            ))
            .at(span_pos(item))
            .hint("copy the carve-out verbatim from the claim's source (e.g. \"except to improve safety systems\"): check verifies it like any quote"));
        };
        let optional = |field: &str| {
            item.value
                .get(field)
                .map(|n| text_field(field, n, what))
                .transpose()
        };
        out.push(Exception {
            quote: text_field("quote", quote_node, what)?,
            section: optional("section")?,
            note: optional("note")?,
            quote_at: span_pos(quote_node),
        });
    }
    Ok(out)
}

/// The words of `searched:`: a non-empty list of non-empty words or phrases.
fn searched_words(node: &Spanned<Node>, what: &str) -> Result<Vec<String>, Diagnostic> {
    let wrong = |at| {
        Diagnostic::error(format!(
            "{what}: `searched:` must be a list of the words you looked for, e.g. [breach, notify]"
        ))
        .at(at)
    };
    let Node::Seq(items) = &node.value else {
        return Err(wrong(span_pos(node)));
    };
    let mut words = Vec::new();
    for item in items {
        match &item.value {
            Node::Str(s) if s.chars().any(char::is_alphanumeric) => {
                words.push(s.trim().to_string())
            }
            _ => return Err(wrong(span_pos(item))),
        }
    }
    if words.is_empty() {
        return Err(wrong(span_pos(node)));
    }
    Ok(words)
}

/// A value as a vendor reads it: `72`, `never`, `eu, us`, `SOC 2 Type II`.
pub fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| match i {
                serde_json::Value::Object(m) => {
                    let name = m
                        .get("name")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("?");
                    match m.get("expires").and_then(serde_json::Value::as_str) {
                        Some(d) => format!("{name} until {d}"),
                        None => name.to_string(),
                    }
                }
                other => value_text(other),
            })
            .collect::<Vec<_>>()
            .join(if items.iter().any(serde_json::Value::is_object) {
                "; "
            } else {
                ", "
            }),
        serde_json::Value::Null => "unknown".into(),
        other => other.to_string(),
    }
}
