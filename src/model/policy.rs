//! Policies: what the organization requires for each data classification and data tag.

use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::model::checks::{CHECKS, Check, check};
use crate::model::vocabulary::frameworks::Framework;
use crate::model::vocabulary::{
    FACTS, LICENCE_SCOPE, Merge, REQUIREMENTS, check_value, governing_requirements,
    requirement_names, requirement_spec,
};
use crate::model::yaml::{self, Node, OrderedMap, span_pos};
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub mod audience;
pub mod cadence;
mod classes;
mod waivers;

pub use audience::Audience;
use waivers::RawWaiver;
pub use waivers::Waiver;

/// Where a requirement in force comes from, for `explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Class(String),
    Inherited(String),
    Tag(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Class(c) => write!(f, "class {c}"),
            Origin::Inherited(c) => write!(f, "inherited from class {c}"),
            Origin::Tag(t) => write!(f, "tag {t}"),
        }
    }
}

/// The requirements in force for one classification and set of tags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requirements(pub BTreeMap<&'static str, (Value, Origin)>);

impl Requirements {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).map(|(v, _)| v)
    }

    /// The facts that decide something under these requirements (see
    /// [`governing_requirements`]): a requirement that governs them is set and not `false`.
    pub fn decisive_facts(&self) -> std::sync::Arc<[&'static str]> {
        FACTS
            .iter()
            .map(|f| f.name)
            .filter(|f| {
                governing_requirements(f)
                    .any(|r| self.get(r).is_some_and(|v| *v != Value::Bool(false)))
            })
            .collect()
    }

    /// Combines `value` into the set, keeping the stricter of the two (tags add requirements,
    /// they never relax one).
    fn merge_stricter(&mut self, name: &'static str, value: Value, origin: Origin) {
        let Some(spec) = requirement_spec(name) else {
            return;
        };
        let merged = match self.0.get(name) {
            None => Some(value),
            Some((old, _)) => stricter(spec.merge, old, &value),
        };
        if let Some(v) = merged {
            self.0.insert(name, (v, origin));
        }
    }
}

/// The stricter of two values, or None to keep the old one.
fn stricter(merge: Merge, old: &Value, new: &Value) -> Option<Value> {
    let rank = |v: &Value| {
        v.as_str()
            .and_then(|s| LICENCE_SCOPE.iter().position(|x| *x == s))
            .unwrap_or(usize::MAX)
    };
    match merge {
        Merge::Any => {
            (new.as_bool() == Some(true) && old.as_bool() != Some(true)).then(|| new.clone())
        }
        Merge::Min => (new.as_i64() < old.as_i64()).then(|| new.clone()),
        Merge::Max => (new.as_i64() > old.as_i64()).then(|| new.clone()),
        Merge::Narrowest => (rank(new) < rank(old)).then(|| new.clone()),
        Merge::Union | Merge::Intersect => {
            let (a, b) = (old.as_array()?, new.as_array()?);
            let list: Vec<Value> = if merge == Merge::Union {
                a.iter()
                    .chain(b.iter().filter(|x| !a.contains(x)))
                    .cloned()
                    .collect()
            } else {
                a.iter().filter(|x| b.contains(x)).cloned().collect()
            };
            Some(Value::Array(list))
        }
    }
}

#[derive(Debug, Clone)]
pub struct Class {
    pub name: String,
    pub description: Option<String>,
    pub inherits: Option<String>,
    pub own: BTreeMap<&'static str, Value>,
    pub at: Pos,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
    pub own: BTreeMap<&'static str, Value>,
    pub at: Pos,
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    /// The policy file, relative to the workspace.
    pub file: String,
    pub organization: String,
    /// Who the organization is (`audience:`), for claims that apply to part of a vendor's
    /// customers; None when the policy does not say.
    pub audience: Option<Audience>,
    pub evidence_max_age_days: Option<i64>,
    pub review_interval_days: Option<i64>,
    /// How long a decision holds before its review (`review_cadence:`).
    pub cadence: cadence::Cadence,
    /// Ordered, least sensitive first.
    pub classes: Vec<Class>,
    pub tags: Vec<Tag>,
    pub waivers: Vec<Waiver>,
    /// The built-in evidence checks turned on (see `model::checks`), with where each is named.
    pub evidence_checks: Vec<(&'static Check, Pos)>,
    /// The frameworks the organization answers to (`frameworks:`), with where each is named:
    /// `check` warns of a rule that cites none of them.
    pub frameworks: Vec<(&'static Framework, Pos)>,
    /// Class name -> index in `classes`.
    index: HashMap<String, usize>,
    /// Per class (same order as `classes`): its own requirements over everything it inherits,
    /// computed once at load so that a long inheritance chain costs linear time, not cubic.
    inherited: Vec<BTreeMap<&'static str, (Value, Origin)>>,
}

impl Policy {
    pub fn class(&self, name: &str) -> Option<&Class> {
        self.index.get(name).map(|&i| &self.classes[i])
    }

    /// Months a decision at `class` with `tags` holds before its review.
    pub fn review_months(&self, class: &str, tags: &[String]) -> i64 {
        self.cadence.months(&self.classes, class, tags)
    }

    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// The requirement set for a classification (with everything it inherits) plus tags.
    /// Names must have been checked to exist.
    pub fn requirements(&self, class: &str, tags: &[String]) -> Requirements {
        let mut req = Requirements(
            self.index
                .get(class)
                .map(|&i| self.inherited[i].clone())
                .unwrap_or_default(),
        );
        for tag in tags {
            if let Some(t) = self.tag(tag) {
                for (name, value) in &t.own {
                    req.merge_stricter(name, value.clone(), Origin::Tag(t.name.clone()));
                }
            }
        }
        req
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    organization: Spanned<String>,
    #[serde(default)]
    audience: Option<audience::RawAudience>,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    evidence_max_age_days: Option<Spanned<Node>>,
    #[serde(default)]
    review_interval_days: Option<Spanned<Node>>,
    #[serde(default)]
    review_cadence: Option<Spanned<cadence::RawCadence>>,
    classifications: OrderedMap<Spanned<RawClass>>,
    #[serde(default)]
    tags: OrderedMap<Spanned<RawTag>>,
    #[serde(default)]
    waivers: Vec<Spanned<RawWaiver>>,
    #[serde(default)]
    evidence_checks: Vec<Spanned<String>>,
    #[serde(default)]
    frameworks: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClass {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    inherits: Option<Spanned<String>>,
    #[serde(default)]
    require: Option<Spanned<Node>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTag {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    require: Option<Spanned<Node>>,
}

/// Parses a `require:` mapping against the requirement vocabulary.
pub fn parse_requirements(
    node: &Spanned<Node>,
    owner: &str,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<&'static str, Value> {
    let mut out = BTreeMap::new();
    let entries = match &node.value {
        Node::Map(e) => e,
        Node::Null => return out,
        other => {
            problems.push(
                Diagnostic::error(format!(
                    "{owner}: `require` must be a mapping, found {}",
                    other.kind()
                ))
                .at(span_pos(node)),
            );
            return out;
        }
    };
    for (key, value) in entries {
        let Some(spec) = requirement_spec(&key.value) else {
            problems.push(
                Diagnostic::error(format!("{owner}: unknown requirement `{}`", key.value))
                    .at(span_pos(key))
                    .hint(
                        did_you_mean(&key.value, requirement_names()).unwrap_or_else(|| {
                            format!(
                                "requirements are: {}",
                                REQUIREMENTS
                                    .iter()
                                    .map(|r| r.name)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        }),
                    ),
            );
            continue;
        };
        if value.value == Node::Null {
            continue;
        }
        match check_value(
            value,
            spec.ty,
            &format!("{owner}: requirement `{}`", spec.name),
        ) {
            Ok(v) => {
                out.insert(spec.name, v);
            }
            Err(d) => problems.push(d),
        }
    }
    out
}

fn count(node: &Option<Spanned<Node>>, field: &str, problems: &mut Vec<Diagnostic>) -> Option<i64> {
    let n = node.as_ref()?;
    match n.value {
        Node::Int(i) if i > 0 => Some(i),
        _ => {
            problems.push(
                Diagnostic::error(format!(
                    "{field}: expected a positive whole number of days, found {}",
                    n.value.kind()
                ))
                .at(span_pos(n))
                .hint(format!("e.g. `{field}: 365`")),
            );
            None
        }
    }
}

/// Loads `policies/<name>.yaml`: the policy as far as it could be read, and every problem found.
pub fn load(workspace: &Path, name: &str) -> (Option<Policy>, Vec<Diagnostic>) {
    let file = format!("policies/{name}.yaml");
    match yaml::read_confined(workspace, &file, yaml::MAX_YAML_BYTES) {
        Ok(text) => from_text(&text, name),
        Err(d) => (None, vec![d]),
    }
}

/// Parses the text of `policies/<name>.yaml`.
pub fn from_text(text: &str, name: &str) -> (Option<Policy>, Vec<Diagnostic>) {
    let file = format!("policies/{name}.yaml");
    let raw: RawPolicy = match yaml::parse(text, &file) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let mut problems = Vec::new();
    let policy = build(raw, name, &file, &mut problems);
    for d in &mut problems {
        if d.file.is_none() {
            d.file = Some(file.clone());
        }
    }
    // Returned even with problems, so that the rest (waivers) can still be checked; commands
    // refuse to evaluate while any error remains.
    (Some(policy), problems)
}

fn build(raw: RawPolicy, name: &str, file: &str, problems: &mut Vec<Diagnostic>) -> Policy {
    let (classes, index) = classes::build(&raw.classifications, problems);
    if classes.is_empty() {
        problems.push(
            Diagnostic::error("classifications: a policy needs at least one classification")
                .at(span_pos(&raw.organization))
                .hint("e.g. `classifications: {public: {}, internal: {require: {dpa: true}}}`"),
        );
    }
    let inherited = classes::inherit_all(&raw.classifications, &classes, &index, problems);
    let tags: Vec<Tag> = raw
        .tags
        .0
        .iter()
        .map(|(tname, t)| Tag {
            name: tname.value.clone(),
            description: t.value.description.clone(),
            own: t
                .value
                .require
                .as_ref()
                .map(|r| parse_requirements(r, &format!("tag `{}`", tname.value), problems))
                .unwrap_or_default(),
            at: span_pos(tname),
        })
        .collect();
    let waivers = waivers::build(&raw.waivers, &classes, problems);
    let cadence = match &raw.review_cadence {
        Some(c) => cadence::build(c, &classes, &tags, problems),
        None => cadence::Cadence {
            warn_days: cadence::DEFAULT_WARN_DAYS,
            ..Default::default()
        },
    };
    Policy {
        name: name.to_string(),
        file: file.to_string(),
        organization: raw.organization.value.clone(),
        audience: raw.audience.as_ref().map(|a| audience::build(a, problems)),
        evidence_max_age_days: count(
            &raw.evidence_max_age_days,
            "evidence_max_age_days",
            problems,
        ),
        review_interval_days: count(&raw.review_interval_days, "review_interval_days", problems),
        cadence,
        classes,
        tags,
        waivers,
        evidence_checks: evidence_checks(&raw.evidence_checks, problems),
        frameworks: frameworks(&raw.frameworks, problems),
        index,
        inherited,
    }
}

/// The `frameworks:` list: each a known framework, once.
fn frameworks(
    names: &[Spanned<String>],
    problems: &mut Vec<Diagnostic>,
) -> Vec<(&'static Framework, Pos)> {
    let mut out: Vec<(&'static Framework, Pos)> = Vec::new();
    for name in names {
        match crate::model::vocabulary::frameworks::named(&name.value) {
            Ok(f) if out.iter().any(|(x, _)| *x == f) => problems.push(
                Diagnostic::error(format!("frameworks: `{}` is listed twice", name.value))
                    .at(span_pos(name))
                    .hint("list each framework once"),
            ),
            Ok(f) => out.push((f, span_pos(name))),
            Err(d) => problems.push(Diagnostic {
                message: format!("frameworks: {}", d.message),
                ..d.at(span_pos(name))
            }),
        }
    }
    out
}

/// The `evidence_checks:` list: each a known check, once.
fn evidence_checks(
    ids: &[Spanned<String>],
    problems: &mut Vec<Diagnostic>,
) -> Vec<(&'static Check, Pos)> {
    let mut out: Vec<(&'static Check, Pos)> = Vec::new();
    for id in ids {
        match check(&id.value) {
            Some(c) if out.iter().any(|(x, _)| x.id == c.id) => problems.push(
                Diagnostic::error(format!("evidence check `{}` is listed twice", c.id))
                    .at(span_pos(id))
                    .hint("list each check once"),
            ),
            Some(c) => out.push((c, span_pos(id))),
            None => problems.push(
                Diagnostic::error(format!("unknown evidence check `{}`", id.value))
                    .at(span_pos(id))
                    .hint(
                        did_you_mean(&id.value, CHECKS.iter().map(|c| c.id)).unwrap_or_else(|| {
                            let ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
                            format!("the checks are: {}", ids.join(", "))
                        }),
                    ),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(yaml_text: &str) -> (Policy, Vec<Diagnostic>) {
        let raw: RawPolicy = yaml::parse(yaml_text, "p.yaml").unwrap();
        let mut problems = Vec::new();
        let p = build(raw, "p", "policies/p.yaml", &mut problems);
        (p, problems)
    }

    const BASE: &str = "organization: X
classifications:
  public: {}
  internal: {require: {dpa: true, max_retention_days: 90}}
  confidential: {inherits: internal, require: {no_training: true, max_retention_days: 30}}
tags:
  phi: {require: {baa: true, max_retention_days: 60, transfer_mechanism: [scc]}}
  eu: {require: {transfer_mechanism: [scc, dpf]}}
";

    #[test]
    fn classes_inherit_and_override_and_tags_only_tighten() {
        let (p, problems) = policy(BASE);
        assert!(problems.is_empty(), "{problems:?}");
        let r = p.requirements("confidential", &[]);
        assert_eq!(r.get("dpa"), Some(&Value::Bool(true)));
        assert_eq!(r.get("max_retention_days"), Some(&Value::from(30)));
        assert_eq!(r.0["dpa"].1, Origin::Inherited("internal".into()));
        let tagged = p.requirements("confidential", &["phi".into(), "eu".into()]);
        assert_eq!(tagged.get("max_retention_days"), Some(&Value::from(30)));
        assert_eq!(tagged.get("baa"), Some(&Value::Bool(true)));
        assert_eq!(
            tagged.get("transfer_mechanism"),
            Some(&serde_json::json!(["scc"]))
        );
        assert_eq!(p.requirements("public", &[]).0.len(), 0);
    }

    #[test]
    fn inheritance_must_name_a_real_class_and_never_loop() {
        let (_, problems) = policy(
            "organization: X\nclassifications:\n  a: {inherits: b}\n  b: {inherits: a}\n  c: {inherits: c}\n  d: {inherits: confidental}\n",
        );
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`a` inherits from itself")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`c` inherits from itself")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("unknown classification `confidental`"))
        );
    }

    #[test]
    fn ids_that_are_the_same_as_text_are_refused_at_their_line() {
        let e = yaml::parse::<RawPolicy>(
            "organization: X\nclassifications:\n  1: {}\n  \"1\": {require: {dpa: true}}\n",
            "policies/p.yaml",
        )
        .err()
        .expect("refused");
        assert_eq!((e.line, e.column), (4, 3), "{e:?}");
        assert!(e.message.contains("duplicate mapping key `1`"), "{e:?}");
        let (_, problems) = policy(
            "organization: X\nclassifications:\n  a: {}\nwaivers:\n  - {rule: r, vendor: v, offering: 1, reason: x, approved_by: y, expires: 2027-01-01}\n  - {rule: r, vendor: v, offering: \"1\", reason: x, approved_by: y, expires: 2027-01-01}\n",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 6);
        assert!(problems[0].message.contains("repeats the waiver on line 5"));
    }

    #[test]
    fn a_long_inheritance_chain_resolves_every_link() {
        let mut text =
            String::from("organization: X\nclassifications:\n  c0: {require: {dpa: true}}\n");
        for i in 1..3000 {
            text.push_str(&format!("  c{i}: {{inherits: c{}}}\n", i - 1));
        }
        let (p, problems) = policy(&text);
        assert!(problems.is_empty(), "{problems:?}");
        let r = p.requirements("c2999", &[]);
        assert_eq!(r.get("dpa"), Some(&Value::Bool(true)));
        assert_eq!(r.0["dpa"].1, Origin::Inherited("c0".into()));
    }

    #[test]
    fn misspelt_requirement_is_located_with_a_suggestion() {
        let (_, problems) = policy(
            "organization: X\nclassifications:\n  a:\n    require: {max_retention_dys: 3}\n",
        );
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (4, 15));
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `max_retention_days`?")
        );
    }
}
