//! YAML loading: one place that sets the parser's limits and turns its errors into diagnostics.
//!
//! Files are parsed with serde-saphyr, which keeps line/column locations (`Spanned`), rejects
//! duplicate keys and enforces budgets against alias bombs and deep nesting.

pub use crate::diag::read_text;
use crate::diag::{Diagnostic, Pos, did_you_mean};
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Location, Options, Spanned};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// Largest YAML file we read (profiles, policies, rule tests).
pub const MAX_YAML_BYTES: u64 = 2 * 1024 * 1024;
/// Deepest nesting a YAML file may have. Real profiles, policies and rule tests nest about ten
/// levels. Each level is a recursive call of the deserializer, large in a debug build: at 64
/// levels a policy overflowed a 2 MiB thread stack (the default of a spawned or test thread)
/// before the budget refused it; 32 leaves that stack twice the room it needs.
pub const MAX_YAML_DEPTH: usize = 32;
/// Most aliases (`*name`) a YAML file may use.
pub const MAX_YAML_ALIASES: usize = 64;

pub fn pos(loc: &Location) -> Pos {
    Pos::new(
        u32::try_from(loc.line()).unwrap_or(u32::MAX),
        u32::try_from(loc.column()).unwrap_or(u32::MAX),
    )
}

pub fn span_pos<T>(s: &Spanned<T>) -> Pos {
    pos(&s.referenced)
}

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = MAX_YAML_DEPTH;
    budget.max_aliases = MAX_YAML_ALIASES;
    budget.max_anchors = 1_000;
    budget.max_documents = 1;
    budget.max_nodes = 200_000;
    budget.max_total_scalar_bytes = MAX_YAML_BYTES as usize;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.reject_unsupported_tags = true;
    options.with_snippet = false;
    options
}

/// Deserializes YAML text; `shown` is the file name used in diagnostics.
pub fn parse<T: DeserializeOwned>(text: &str, shown: &str) -> Result<T, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| convert_error(&e, shown))
}

/// Reads `rel`, a file of the workspace at `root`, confined to it: the path is resolved (links
/// followed) and must stay inside the workspace, so that a rule, profile or policy that is a
/// link to `/etc/passwd` or `/proc/self/environ` is refused unread. `rel` is also the name shown.
pub fn read_confined(root: &Path, rel: &str, limit: u64) -> Result<String, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read {rel}: {e}")).in_file(rel.to_string())
    };
    let base = root.canonicalize().map_err(cannot)?;
    let real = root.join(rel).canonicalize().map_err(cannot)?;
    if !real.starts_with(&base) {
        return Err(Diagnostic::error(format!(
            "{rel} leads outside the workspace (through a link): it is not read"
        ))
        .in_file(rel.to_string())
        .hint(
            "workspace files must be inside the workspace: replace the link by the file itself",
        ));
    }
    read_text(&real, rel, limit)
}

fn convert_error(e: &serde_saphyr::Error, shown: &str) -> Diagnostic {
    let raw = e.without_snippet().to_string();
    // The message ends with " at line N, column M" (and maybe a full stop): we show the location
    // in our own format instead.
    let message = raw
        .trim_end()
        .trim_end_matches('.')
        .split(" at line ")
        .next()
        .unwrap_or(&raw)
        .trim()
        .to_string();
    let (message, located) = match message.split_once(LOCATED_AT) {
        Some((m, at)) => {
            let mut parts = at.split(':').map(|n| n.trim().parse::<u32>().ok());
            let located = match (parts.next().flatten(), parts.next().flatten()) {
                (Some(l), Some(c)) => Some(Pos::new(l, c)),
                _ => None,
            };
            (m.to_string(), located)
        }
        None => (message, None),
    };
    let message = plain_duplicate_key(&message).unwrap_or(message);
    let mut d = Diagnostic::error(message.clone()).in_file(shown.to_string());
    if let Some(at) = located {
        d = d.at(at);
    } else if let Some(loc) = e.location() {
        d = d.at(pos(&loc));
    }
    if let Some(hint) = hint_for(&message) {
        d = d.hint(hint);
    }
    d
}

/// The parser's "duplicate mapping key: K, set DuplicateKeyPolicy in Options if acceptable"
/// names a setting of the library, not of diligence: said as the repeated-text refusal is.
fn plain_duplicate_key(message: &str) -> Option<String> {
    let key = message.strip_prefix("duplicate mapping key: ")?;
    let key = key
        .strip_suffix(", set DuplicateKeyPolicy in Options if acceptable")
        .unwrap_or(key);
    Some(format!("duplicate mapping key `{key}`"))
}

fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, rest) = rest.split_once('`')?;
        let expected: Vec<&str> = rest
            .split_once("expected one of ")
            .or_else(|| rest.split_once("expected "))
            .map(|(_, list)| {
                list.split(',')
                    .map(|s| s.trim().trim_matches('`'))
                    .collect()
            })
            .unwrap_or_default();
        return did_you_mean(field, expected.iter().copied())
            .or_else(|| Some(format!("allowed fields: {}", expected.join(", "))));
    }
    if message.contains("duplicate mapping key") {
        return Some(
            "each key may appear once in a mapping: remove or merge the repeated one".into(),
        );
    }
    if message.contains("budget") || message.contains("depth") || message.contains("alias") {
        return Some(format!(
            "diligence limits YAML files to {MAX_YAML_DEPTH} levels of nesting and {MAX_YAML_ALIASES} aliases"
        ));
    }
    if message.contains("tab") {
        return Some("indent YAML with spaces, not tabs".into());
    }
    None
}

/// A YAML value of any shape, with the location of every element kept. Facts and requirements
/// are parsed into this first and then checked against their typed vocabulary, so that a wrong
/// value is reported at its exact line and column.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

impl Node {
    /// A short description of the shape, for messages ("found a list").
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "nothing",
            Node::Bool(_) => "true/false",
            Node::Int(_) => "a whole number",
            Node::Float(_) => "a decimal number",
            Node::Str(_) => "text",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }

    /// The value of a mapping's key.
    pub fn get(&self, key: &str) -> Option<&Spanned<Node>> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts to JSON (used for custom facts, whose shape is free).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::from(*i),
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Node::Str(s) => Value::String(s.clone()),
            Node::Seq(items) => Value::Array(items.iter().map(|i| i.value.to_json()).collect()),
            Node::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.value.clone(), v.value.to_json()))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
                i64::try_from(v)
                    .map(Node::Int)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Str(v))
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
                Err(E::custom("binary values are not supported"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries: Vec<(Spanned<String>, Spanned<Node>)> = Vec::new();
                let mut seen = HashMap::new();
                while let Some(entry) = map.next_entry()? {
                    refuse_repeated_key(&mut seen, &entry.0)?;
                    entries.push(entry);
                }
                Ok(Node::Map(entries))
            }
        }
        d.deserialize_any(NodeVisitor)
    }
}

/// Separates a message from the location it is about, for errors raised inside visitors.
const LOCATED_AT: &str = " @@";

/// Refuses a key that, read as text, repeats an earlier one. The parser refuses repeated keys,
/// but `1:` and `"1":` are different YAML keys that become the same id once read as text: two
/// offerings, sources or classes would silently collapse into one. `seen` maps each key read so
/// far to its location (a set, so that a mapping of many keys costs linear time).
fn refuse_repeated_key<E: de::Error>(
    seen: &mut HashMap<String, Location>,
    key: &Spanned<String>,
) -> Result<(), E> {
    match seen.get(&key.value) {
        // Custom errors carry the mapping's location, not the key's: the key's location is
        // appended after LOCATED_AT for `convert_error` to use.
        Some(first) => Err(E::custom(format!(
            "duplicate mapping key `{}`: as text it is the same as the key on line {}, column {}{LOCATED_AT}{}:{}",
            key.value,
            first.line(),
            first.column(),
            key.referenced.line(),
            key.referenced.column(),
        ))),
        None => {
            seen.insert(key.value.clone(), key.referenced);
            Ok(())
        }
    }
}

/// A mapping that keeps the file's order (classifications are ordered, least sensitive first).
#[derive(Debug, Clone)]
pub struct OrderedMap<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(OrderedMap(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries: Vec<(Spanned<String>, V)> = Vec::new();
                let mut seen = HashMap::new();
                while let Some(entry) = map.next_entry()? {
                    refuse_repeated_key(&mut seen, &entry.0)?;
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        // `any`, so that a key with only comments under it (null) reads as an empty mapping.
        d.deserialize_any(MapVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A policy nested past the limit (flow sequences inside an unknown requirement, as the
    /// fuzzer wrote it) is refused at its place, on a thread with the default 2 MiB stack,
    /// instead of overflowing the stack.
    #[test]
    fn nesting_past_the_limit_is_a_located_error_on_a_small_stack() {
        let text = format!(
            "organization: Acme\nclassifications:\n  public:\n    require:\n      x: {}\n",
            "[a: ".repeat(2_000)
        );
        let outcome = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || crate::model::policy::from_text(&text, "deep").1)
            .expect("a thread")
            .join()
            .expect("no stack overflow or panic");
        let d = outcome.first().expect("an error");
        assert!(d.is_error(), "{d:?}");
        assert!(
            d.message.contains("budget") || d.message.contains("depth"),
            "{d:?}"
        );
        assert_eq!(d.line, 5, "{d:?}");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: Spanned<String>,
        #[serde(default)]
        items: OrderedMap<Spanned<Node>>,
    }

    #[test]
    fn bom_and_crlf_load_like_plain_files() {
        let plain: Doc = parse("name: x\nitems:\n  b: 1\n  a: [y]\n", "f.yaml").unwrap();
        let windows: Doc = parse(
            "\u{feff}name: x\r\nitems:\r\n  b: 1\r\n  a: [y]\r\n",
            "f.yaml",
        )
        .unwrap();
        assert_eq!(plain.name.value, windows.name.value);
        let keys = |d: &Doc| {
            d.items
                .0
                .iter()
                .map(|(k, _)| k.value.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&plain), vec!["b", "a"]);
        assert_eq!(keys(&plain), keys(&windows));
        assert_eq!(span_pos(&windows.items.0[1].1), Pos::new(4, 6));
    }

    #[test]
    fn unknown_field_is_located_with_a_suggestion() {
        let e = parse::<Doc>("nmae: x\n", "f.yaml").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.message.contains("unknown field `nmae`"), "{e:?}");
        assert_eq!(e.hint.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn duplicate_keys_and_alias_bombs_are_refused() {
        let e = parse::<Doc>("name: x\nname: y\n", "f.yaml").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.message, "duplicate mapping key `name`");
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            bomb.push_str(&format!(
                "{}: &{} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                (b'a' + i) as char,
                (b'a' + i) as char,
                p = (b'a' + i - 1) as char
            ));
        }
        assert!(parse::<serde_json::Value>(&bomb, "bomb.yaml").is_err());
    }

    #[test]
    fn keys_that_become_the_same_text_are_refused_where_they_repeat() {
        let e = parse::<Doc>("name: x\nitems:\n  1: a\n  \"1\": b\n", "f.yaml").unwrap_err();
        assert!(e.message.contains("duplicate mapping key `1`"), "{e:?}");
        assert_eq!((e.line, e.column), (4, 3), "{e:?}");
        let e = parse::<Spanned<Node>>("a:\n  1: x\n  '1': y\n", "f.yaml").unwrap_err();
        assert!(e.message.contains("on line 2, column 3"), "{e:?}");
        assert_eq!(e.line, 3, "{e:?}");
    }

    #[test]
    fn yes_is_text_not_a_boolean() {
        let n: Spanned<Node> = parse("yes", "f.yaml").unwrap();
        assert_eq!(n.value, Node::Str("yes".into()));
    }
}
