//! Typed reading of a located YAML tree, one part at a time.
//!
//! A test file is parsed once into a [`Node`] tree (every element keeps its line and column).
//! Each case, and each field of a case that can be wrong on its own, is then deserialized from
//! its subtree into serde structs (`deny_unknown_fields`, the model's own enums). Deserializing
//! from the tree rather than from the text is what lets one bad case (or one bad field) fail
//! alone: a streaming parser cannot resume after an error, a tree can.
//!
//! [`TreeDe`] is a serde `Deserializer` over one `Spanned<Node>`; its errors carry the location
//! of the innermost element they are about. [`Checked`] is a field that keeps its own error
//! instead of failing the struct around it.

use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::model::vocabulary::parse_date;
use crate::model::yaml::{Node, span_pos};
use jiff::civil::Date;
use serde::de::value::{MapDeserializer, StrDeserializer};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// The newtype name and first key through which `serde_saphyr::Spanned<T>` asks a deserializer
/// for the location of a value (serde-saphyr 2.1 `spanned.rs`). A deserializer that does not
/// answer them yields spans at 0:0; the unit tests below fail if a new version changes them.
const SPANNED_NEWTYPE: &str = "__yaml_spanned";
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// A problem found while deserializing a subtree: a diagnostic whose location is the innermost
/// element it is about.
#[derive(Debug)]
pub struct TreeError(pub Diagnostic);

impl TreeError {
    /// Places the error at `at` unless an inner element already placed it.
    fn or_at(mut self, at: Pos) -> TreeError {
        if self.0.line == 0 {
            self.0 = self.0.at(at);
        }
        self
    }
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for TreeError {}

/// serde's messages, reworded as the rest of diligence words them, with a "did you mean".
impl de::Error for TreeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TreeError(Diagnostic::error(msg.to_string()))
    }

    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Self::custom(format!(
            "expected {}, found {}",
            expected_words(&exp.to_string()),
            found_words(&unexp)
        ))
    }

    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Self::invalid_type(unexp, exp)
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        TreeError(
            Diagnostic::error(format!(
                "`{variant}` is not one of: {}",
                expected.join(", ")
            ))
            .maybe_hint(did_you_mean(variant, expected.iter().copied())),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        TreeError(
            Diagnostic::error(format!("unknown field `{field}`")).hint(
                did_you_mean(field, expected.iter().copied())
                    .unwrap_or_else(|| format!("allowed fields: {}", expected.join(", "))),
            ),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        Self::custom(format!("missing field `{field}`"))
    }
}

/// serde's name for an expected shape, in the words of the rest of diligence's messages.
fn expected_words(serde_name: &str) -> &str {
    match serde_name {
        "a sequence" => "a list",
        "a string" => "text",
        "a boolean" => "true or false",
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" => "a whole number",
        s if s.starts_with("struct ") || s == "a map" => "a mapping",
        s => s,
    }
}

/// What was found instead, as `Node::kind` words it.
fn found_words(unexp: &de::Unexpected) -> String {
    use de::Unexpected as U;
    match unexp {
        U::Str(s) => format!("the text `{s}`"),
        U::Signed(n) => format!("the number {n}"),
        U::Unsigned(n) => format!("the number {n}"),
        U::Float(n) => format!("the number {n}"),
        U::Bool(b) => format!("`{b}`"),
        U::Seq => "a list".into(),
        U::Map => "a mapping".into(),
        U::Unit | U::Option => "nothing".into(),
        other => other.to_string(),
    }
}

/// Deserializes a `T` from one element of the tree.
pub fn from_tree<'n, T: Deserialize<'n>>(node: &'n Spanned<Node>) -> Result<T, Diagnostic> {
    T::deserialize(TreeDe::Node(node)).map_err(|e| e.0)
}

/// A field that failed alone: the struct around it still loads, and its error is reported
/// with the others.
#[derive(Debug)]
pub struct Checked<T> {
    pub at: Pos,
    pub value: Result<T, Diagnostic>,
}

impl<'de, T: for<'n> Deserialize<'n>> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let node = Spanned::<Node>::deserialize(d)?;
        Ok(Checked {
            at: span_pos(&node),
            value: from_tree(&node),
        })
    }
}

impl<T> Checked<T> {
    /// The value, or None after adding its error (prefixed with `what`) to `problems`.
    pub fn take(self, what: &str, problems: &mut Vec<Diagnostic>) -> Option<T> {
        self.value
            .map_err(|d| problems.push(prefixed(d, what)))
            .ok()
    }

    /// [`Checked::take`] by reference.
    pub fn get(&self, what: &str, problems: &mut Vec<Diagnostic>) -> Option<&T> {
        self.value
            .as_ref()
            .map_err(|d| problems.push(prefixed(d.clone(), what)))
            .ok()
    }
}

/// Names the field an error is about ("test case `x`: expect: verdict: ...").
pub fn prefixed(mut d: Diagnostic, what: &str) -> Diagnostic {
    d.message = format!("{what}: {}", d.message);
    d
}

/// A serde `Deserializer` over one located element: a value, or a mapping's key (so that a
/// key can be read as a `Spanned<String>`, e.g. a source id).
#[derive(Clone, Copy)]
enum TreeDe<'n> {
    Node(&'n Spanned<Node>),
    Key(&'n Spanned<String>),
}

impl<'n> TreeDe<'n> {
    fn pos(&self) -> Pos {
        match self {
            TreeDe::Node(n) => span_pos(n),
            TreeDe::Key(k) => span_pos(k),
        }
    }

    fn node(&self) -> Option<&'n Node> {
        match self {
            TreeDe::Node(n) => Some(&n.value),
            TreeDe::Key(_) => None,
        }
    }
}

impl<'de> Deserializer<'de> for TreeDe<'de> {
    type Error = TreeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        let at = self.pos();
        let node = match self {
            TreeDe::Node(n) => &n.value,
            TreeDe::Key(k) => {
                return visitor
                    .visit_borrowed_str(&k.value)
                    .map_err(|e: TreeError| e.or_at(at));
            }
        };
        let result = match node {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Int(i) => visitor.visit_i64(*i),
            Node::Float(f) => visitor.visit_f64(*f),
            Node::Str(s) => visitor.visit_borrowed_str(s),
            Node::Seq(items) => visitor.visit_seq(de::value::SeqDeserializer::new(
                items.iter().map(TreeDe::Node),
            )),
            Node::Map(entries) => visitor.visit_map(TreeMap {
                entries: entries.iter(),
                value: None,
            }),
        };
        result.map_err(|e| e.or_at(at))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        let at = self.pos();
        match self.node() {
            Some(Node::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.or_at(at))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        let at = self.pos();
        if name == SPANNED_NEWTYPE {
            visitor.visit_newtype_struct(SpannedDe(self))
        } else {
            visitor.visit_newtype_struct(self)
        }
        .map_err(|e| e.or_at(at))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        let at = self.pos();
        match self.node() {
            Some(Node::Str(s)) => {
                let variant: StrDeserializer<TreeError> = s.as_str().into_deserializer();
                visitor.visit_enum(variant)
            }
            _ => self.deserialize_any(visitor),
        }
        .map_err(|e| e.or_at(at))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, TreeError> for TreeDe<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// The entries of a mapping; keys are located like values.
struct TreeMap<'n, I> {
    entries: I,
    value: Option<&'n Spanned<Node>>,
}

impl<'de, I> de::MapAccess<'de> for TreeMap<'de, I>
where
    I: Iterator<Item = &'de (Spanned<String>, Spanned<Node>)>,
{
    type Error = TreeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TreeError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(TreeDe::Key(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TreeError> {
        match self.value.take() {
            Some(v) => seed.deserialize(TreeDe::Node(v)),
            None => Err(de::Error::custom("a mapping value was read before its key")),
        }
    }
}

/// What `Spanned<T>` reads: `{marker, value, referenced, defined}`, the locations as
/// `{line, column}` (all a `serde_saphyr::Location` needs).
struct SpannedDe<'n>(TreeDe<'n>);

impl<'de> Deserializer<'de> for SpannedDe<'de> {
    type Error = TreeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        visitor.visit_map(SpannedMap {
            elem: self.0,
            step: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct
        map struct enum identifier ignored_any
    }
}

struct SpannedMap<'n> {
    elem: TreeDe<'n>,
    step: usize,
}

const SPANNED_KEYS: [&str; 4] = [SPANNED_MARKER, "value", "referenced", "defined"];

impl<'de> de::MapAccess<'de> for SpannedMap<'de> {
    type Error = TreeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TreeError> {
        let Some(key) = SPANNED_KEYS.get(self.step) else {
            return Ok(None);
        };
        let key: StrDeserializer<TreeError> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TreeError> {
        let step = self.step;
        self.step += 1;
        let at = self.elem.pos();
        match step {
            0 => seed.deserialize(true.into_deserializer()),
            1 => seed.deserialize(self.elem),
            _ => seed.deserialize(MapDeserializer::new(
                [("line", at.line), ("column", at.column)].into_iter(),
            )),
        }
    }
}

/// A date field of a case (YYYY-MM-DD), or its problem.
pub(super) fn date(
    value: &Spanned<String>,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Date> {
    parse_date(&value.value, span_pos(value), what)
        .map_err(|d| problems.push(d))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::yaml::parse;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: Spanned<String>,
        #[serde(default)]
        level: Option<Checked<crate::outcome::Level>>,
        #[serde(default)]
        items: Vec<Spanned<Node>>,
    }

    fn tree(text: &str) -> Spanned<Node> {
        parse(text, "f.yaml").unwrap()
    }

    #[test]
    fn spans_survive_the_tree() {
        let t = tree("name: x\nitems:\n  - 1\n  - {a: b}\n");
        let doc: Doc = from_tree(&t).unwrap();
        assert_eq!(span_pos(&doc.name), Pos::new(1, 7));
        assert_eq!(span_pos(&doc.items[1]), Pos::new(4, 5));
        assert_eq!(
            doc.items[1].value.get("a").map(span_pos),
            Some(Pos::new(4, 9))
        );
        // Keys are located too (source ids are read as `Spanned<String>` keys).
        let map: crate::model::yaml::OrderedMap<u32> = from_tree(&tree("a: 1\nb: 2\n")).unwrap();
        assert_eq!(span_pos(&map.0[1].0), Pos::new(2, 1));
    }

    #[test]
    fn errors_are_placed_on_the_innermost_element() {
        let e = from_tree::<Doc>(&tree("name: x\nnmae: y\n")).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(e.message, "unknown field `nmae`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `name`?"));

        let e = from_tree::<Doc>(&tree("name: [x]\n")).unwrap_err();
        assert_eq!((e.line, e.column), (1, 7));
        assert_eq!(e.message, "expected text, found a list");

        let e = from_tree::<Doc>(&tree("items: []\n")).unwrap_err();
        assert_eq!(e.message, "missing field `name`");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn a_checked_field_fails_alone() {
        let doc: Doc = from_tree(&tree("name: x\nlevel: blok\n")).unwrap();
        let level = doc.level.unwrap();
        assert_eq!(level.at, Pos::new(2, 8));
        let mut problems = Vec::new();
        assert_eq!(level.take("level", &mut problems), None);
        assert_eq!(
            problems[0].message,
            "level: `blok` is not one of: pass, info, warn, condition, hold, block"
        );
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean `block`?"));
        assert_eq!((problems[0].line, problems[0].column), (2, 8));
    }
}
