//! Rules: compiled once to Rhai ASTs, run against an offering's facts at a classification.

mod carve_outs;
pub mod facts;
mod helpers;
mod lint;
mod rhai_setup;
pub mod state;

use rhai_setup::{MAX_CALL_LEVELS, MAX_OPERATIONS};
pub use state::{Depends, RawFinding, RunRecord};

use crate::outcome::Level;

use crate::diag::{Diagnostic, Pos};
use crate::model::policy::{Policy, Requirements};
use crate::model::profile::{Offering, Profile};
use crate::model::vocabulary::REQUIREMENTS;
use crate::model::vocabulary::frameworks::Reference;
use facts::FactTable;
use rhai::{AST, Dynamic, Engine, EvalAltResult, Map, Position, Scope};
use std::sync::Arc;

/// Largest rule file we read.
pub const MAX_RULE_BYTES: u64 = 256 * 1024;

/// A rule's source as found in the workspace.
#[derive(Debug, Clone)]
pub struct RuleSource {
    pub id: String,
    /// e.g. `scripts/retention-limit.rhai`
    pub file: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub file: String,
    /// First line of the leading `//!` comment.
    pub title: String,
    /// The rest of the leading `//!` comment.
    pub rationale: String,
    /// The framework clauses the rule evidences (its `//! refs:` lines), as reports write
    /// them; shared with every finding the rule raises.
    pub refs: Arc<[String]>,
    /// Why no clause applies (`//! refs: none, <reason>`), when the rule says so.
    pub refs_reason: Option<String>,
    /// Every call to a finding function in the script: (level, line), for test coverage.
    pub finding_calls: Vec<(Level, u32)>,
    /// Whether the rule reads `classification` itself: it then cannot be assumed to do the
    /// same at two classifications whose requirements it reads alike.
    pub reads_classification: bool,
    ast: AST,
}

/// The compiled rules and the engine that runs them.
pub struct RuleSet {
    engine: Engine,
    pub rules: Vec<Rule>,
    /// The functions rules may call (read from the engine), for hints.
    api: Vec<String>,
}

/// The keys of the maps rules see as `vendor`, `offering` and `policy` (a test ties them to
/// [`Bindings::scope`]); a misspelt property is answered with the closest of these.
const VENDOR_KEYS: [&str; 3] = ["id", "name", "reviewed"];
const OFFERING_KEYS: [&str; 3] = ["id", "name", "tier"];
const POLICY_KEYS: [&str; 4] = [
    "name",
    "organization",
    "evidence_max_age_days",
    "review_interval_days",
];

/// The names rules find in scope. Compiling with them declared lets strict-variables mode
/// reject any other undeclared name at compile time.
const SCOPE_NAMES: [&str; 7] = [
    "vendor",
    "offering",
    "classification",
    "tags",
    "require",
    "policy",
    "today",
];

impl RuleSet {
    /// Compiles every rule; a rule that does not compile is reported and left out.
    pub fn compile(sources: &[RuleSource]) -> (RuleSet, Vec<Diagnostic>) {
        let engine = rhai_setup::build_engine();
        let mut declared = Scope::new();
        for name in SCOPE_NAMES {
            // `push`, not `push_constant`: the optimizer would fold a constant () into the AST.
            declared.push(name, Dynamic::UNIT);
        }
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        for src in sources {
            match engine.compile_with_scope(&declared, &src.text) {
                Ok(ast) => {
                    problems.extend(lint::check(&src.file, &src.text, &declared));
                    let Header {
                        title,
                        rationale,
                        refs,
                        refs_reason,
                    } = header(&src.text);
                    let refs = refs
                        .into_iter()
                        .filter_map(|(text, line)| match Reference::parse(&text) {
                            Ok(r) => Some(r.text()),
                            Err(message) => {
                                problems.push(unknown_framework(&src.file, line, message));
                                None
                            }
                        })
                        .collect();
                    if title.is_empty() {
                        problems.push(
                            Diagnostic::warning("rule has no `//!` title")
                                .code(crate::diag::Code::UntitledRule)
                                .in_file(src.file.clone())
                                .at(Pos::new(1, 1))
                                .hint("start the rule with `//! Title` and a line or two of rationale"),
                        );
                    }
                    rules.push(Rule {
                        id: src.id.clone(),
                        file: src.file.clone(),
                        title,
                        rationale,
                        refs,
                        refs_reason,
                        finding_calls: lint::finding_calls(&src.text, &declared),
                        reads_classification: lint::reads_variable(&ast, "classification"),
                        ast,
                    });
                }
                Err(e) => {
                    let message = strip_position(&e.0.to_string());
                    problems.push(
                        Diagnostic::error(format!("rule does not compile: {message}"))
                            .in_file(src.file.clone())
                            .at(pos_of(e.1))
                            .maybe_hint(compile_hint(&message)),
                    );
                }
            }
        }
        let api = rhai_setup::api_functions(&engine);
        (RuleSet { engine, rules, api }, problems)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Runs one rule with the scope prepared by [`Bindings::scope`]. Variables the rule declares
    /// are removed afterwards so the scope can be reused for the next rule.
    pub fn run(
        &self,
        rule: &Rule,
        table: &Arc<FactTable>,
        scope: &mut Scope<'static>,
        decisive: &Arc<[&'static str]>,
        today: jiff::civil::Date,
    ) -> Result<RunRecord, Diagnostic> {
        let base = scope.len();
        state::begin(Arc::clone(table), Arc::clone(decisive), today);
        let outcome = self.engine.run_ast_with_scope(scope, &rule.ast);
        let record = state::finish();
        scope.rewind(base);
        let fail = |message: String, pos: Position| {
            Diagnostic::error(message)
                .in_file(rule.file.clone())
                .at(pos_of(pos))
        };
        match (outcome, record) {
            (Err(e), _) => {
                let (message, pos) = describe(&e);
                Err(fail(message, pos).maybe_hint(runtime_hint(&e, &self.api)))
            }
            (Ok(()), Err(message)) => Err(fail(message, Position::NONE)),
            (Ok(()), Ok(record)) => Ok(record),
        }
    }
}

/// The variables a rule sees for one offering at one classification.
pub struct Bindings<'a> {
    pub profile: &'a Profile,
    pub offering: &'a Offering,
    pub policy: &'a Policy,
    pub classification: &'a str,
    pub tags: &'a [String],
    pub requirements: &'a Requirements,
    pub today: jiff::civil::Date,
}

impl Bindings<'_> {
    pub fn scope(&self) -> Scope<'static> {
        let text = |s: &str| Dynamic::from(s.to_string());
        let mut vendor = Map::new();
        vendor.insert("id".into(), text(&self.profile.id));
        vendor.insert("name".into(), text(&self.profile.name));
        vendor.insert(
            "reviewed".into(),
            self.profile
                .reviewed
                .map_or(Dynamic::UNIT, |d| text(&d.to_string())),
        );
        let mut offering = Map::new();
        offering.insert("id".into(), text(&self.offering.id));
        offering.insert("name".into(), text(&self.offering.name));
        offering.insert("tier".into(), text(&self.offering.tier));
        let require = requirement_view(self.requirements).0;
        let mut policy = Map::new();
        policy.insert("name".into(), text(&self.policy.name));
        policy.insert("organization".into(), text(&self.policy.organization));
        let opt_int = |v: Option<i64>| v.map_or(Dynamic::UNIT, Dynamic::from_int);
        policy.insert(
            "evidence_max_age_days".into(),
            opt_int(self.policy.evidence_max_age_days),
        );
        policy.insert(
            "review_interval_days".into(),
            opt_int(self.policy.review_interval_days),
        );

        let mut scope = Scope::new();
        scope.push_constant("vendor", vendor);
        scope.push_constant("offering", offering);
        scope.push_constant("classification", self.classification.to_string());
        scope.push_constant(
            "tags",
            self.tags.iter().map(|t| text(t)).collect::<rhai::Array>(),
        );
        scope.push_constant("require", require);
        scope.push_constant("policy", policy);
        scope.push_constant("today", self.today.to_string());
        scope
    }
}

/// What rules see of a set of requirements: the `require` values and the facts a requirement
/// in force depends on (`decisive`).
type RequirementView = (rhai_setup::Require, Arc<[&'static str]>);

thread_local! {
    /// The views of the requirement sets this thread evaluated lately. Every offering at a
    /// classification has the same requirements: converting them to Rhai values once per cell
    /// was a twelfth of an evaluation. Found by equality, so never a stale view.
    static REQUIREMENT_VIEWS: std::cell::RefCell<Vec<(Requirements, RequirementView)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Requirement sets remembered per thread: a run has one per classification.
const REQUIREMENT_VIEWS_KEPT: usize = 16;

fn requirement_view(requirements: &Requirements) -> RequirementView {
    REQUIREMENT_VIEWS.with(|views| {
        let mut views = views.borrow_mut();
        if let Some((_, view)) = views.iter().find(|(r, _)| r == requirements) {
            return view.clone();
        }
        let require = rhai_setup::Require(Arc::new(
            REQUIREMENTS
                .iter()
                .map(|spec| {
                    let value = requirements.get(spec.name).map_or(Dynamic::UNIT, |v| {
                        rhai::serde::to_dynamic(v).unwrap_or(Dynamic::UNIT)
                    });
                    (spec.name, value)
                })
                .collect(),
        ));
        let view = (require, requirements.decisive_facts());
        if views.len() >= REQUIREMENT_VIEWS_KEPT {
            views.remove(0);
        }
        views.push((requirements.clone(), view.clone()));
        view
    })
}

/// The facts a requirement in force depends on (see [`Requirements::decisive_facts`]),
/// remembered per thread like the `require` values.
pub fn decisive_facts(requirements: &Requirements) -> Arc<[&'static str]> {
    requirement_view(requirements).1
}

fn pos_of(p: Position) -> Pos {
    Pos::new(
        p.line().unwrap_or(0) as u32,
        p.position().unwrap_or(1) as u32,
    )
}

/// Rhai appends " (line N, position M)" to messages; we show the location our own way.
fn strip_position(message: &str) -> String {
    match message.rfind(" (line ") {
        Some(i) if message.ends_with(')') => message[..i].to_string(),
        _ => message.to_string(),
    }
}

fn describe(e: &EvalAltResult) -> (String, Position) {
    match e {
        EvalAltResult::ErrorInFunctionCall(name, _, inner, pos) => {
            let (message, inner_pos) = describe(inner);
            let message = if name.starts_with("anon$") || message.contains(name.as_str()) {
                message
            } else {
                format!("in function `{name}`: {message}")
            };
            (message, if inner_pos.is_none() { *pos } else { inner_pos })
        }
        EvalAltResult::ErrorRuntime(value, pos) | EvalAltResult::ErrorTerminated(value, pos) => {
            (value.to_string(), *pos)
        }
        EvalAltResult::ErrorTooManyOperations(pos) => (
            format!("rule stopped after {MAX_OPERATIONS} operations (an endless loop?)"),
            *pos,
        ),
        EvalAltResult::ErrorStackOverflow(pos) => (
            format!(
                "rule stopped: calls nested deeper than {MAX_CALL_LEVELS} (endless recursion?)"
            ),
            *pos,
        ),
        EvalAltResult::ErrorDataTooLarge(what, pos) => {
            (format!("rule stopped: {what} grew past its limit"), *pos)
        }
        EvalAltResult::ErrorPropertyNotFound(name, pos) => {
            (format!("unknown map property `{name}`"), *pos)
        }
        other => (strip_position(&other.to_string()), other.position()),
    }
}

fn runtime_hint(e: &EvalAltResult, api: &[String]) -> Option<String> {
    let inner = match e {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => inner.as_ref(),
        other => other,
    };
    match inner {
        EvalAltResult::ErrorPropertyNotFound(name, _) => {
            let known = REQUIREMENTS
                .iter()
                .map(|r| r.name)
                .chain(VENDOR_KEYS)
                .chain(OFFERING_KEYS)
                .chain(POLICY_KEYS)
                .chain(facts::CLAIM_KEYS);
            crate::diag::did_you_mean(name, known).or_else(|| {
                Some(
                    "check the property name; `require` lists every requirement, unset ones as ()"
                        .into(),
                )
            })
        }
        EvalAltResult::ErrorFunctionNotFound(sig, _) => {
            let name = sig.split(['(', ' ']).next().unwrap_or(sig);
            Some(
                crate::diag::did_you_mean(name, api.iter().map(String::as_str)).unwrap_or_else(
                    || {
                        format!(
                            "no function `{sig}`; rules can call: {} (and Rhai's string, array and map functions)",
                            api.join(", ")
                        )
                    },
                ),
            )
        }
        EvalAltResult::ErrorAssignmentToConstant(..) => {
            Some(format!("{} are read-only", SCOPE_NAMES.join(", ")))
        }
        _ => None,
    }
}

fn compile_hint(message: &str) -> Option<String> {
    if message.contains("Unknown variable") || message.contains("Variable not found") {
        Some(format!(
            "rules see: {}; declare other variables with `let`",
            SCOPE_NAMES.join(", ")
        ))
    } else if message.contains("eval") {
        Some("`eval` is disabled in rules".into())
    } else if message.contains("import") {
        Some("rules cannot import modules or files".into())
    } else {
        None
    }
}

/// What a rule's leading `//!` lines say.
#[derive(Debug, Default, PartialEq)]
pub struct Header {
    /// The first line.
    pub title: String,
    /// The other lines but `refs:`, joined.
    pub rationale: String,
    /// Each reference of the `//! refs:` lines (comma-separated), with its line.
    pub refs: Vec<(String, u32)>,
    /// `//! refs: none, <reason>`: why no framework clause applies.
    pub refs_reason: Option<String>,
}

/// The title, rationale and references from a rule's leading `//!` lines.
pub fn header(text: &str) -> Header {
    let mut out = Header::default();
    let mut prose: Vec<&str> = Vec::new();
    let lines = text
        .lines()
        .map(str::trim)
        .zip(1u32..)
        .take_while(|(l, _)| l.starts_with("//!") || l.is_empty());
    for (line, number) in lines {
        let Some(line) = line.strip_prefix("//!").map(str::trim) else {
            continue;
        };
        // The title is the first line, whatever it says.
        let refs = (!prose.is_empty())
            .then(|| line.strip_prefix("refs:"))
            .flatten();
        match refs.map(str::trim) {
            Some(list) if list.starts_with("none") => {
                let reason = list["none".len()..].trim_start_matches([',', ':', ' ']);
                out.refs_reason = Some(reason.trim().to_string());
            }
            Some(list) => out.refs.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(|r| (r.to_string(), number)),
            ),
            None => prose.push(line),
        }
    }
    out.title = prose.first().copied().unwrap_or("").to_string();
    out.rationale = prose.get(1..).unwrap_or(&[]).join(" ").trim().to_string();
    out
}

fn unknown_framework(file: &str, line: u32, message: String) -> Diagnostic {
    Diagnostic::warning(format!("rule reference {message}; it is left out"))
        .code(crate::diag::Code::UnknownFramework)
        .in_file(file.to_string())
        .at(Pos::new(line, 1))
        .hint("write `//! refs: GDPR Art. 28(3)(g), ISO/IEC 42001 A.10.3` (`diligence frameworks` lists the frameworks and their clauses)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_maps_have_exactly_the_keys_hints_name() {
        let profile: crate::model::profile::Profile = crate::evidence::from_text(
            "vendor: v\nname: V\nofferings:\n  o: {name: O, tier: api}\n",
            std::path::Path::new("."),
            "v",
        )
        .0
        .expect("a profile");
        let policy = crate::model::policy::from_text(
            "organization: X\nclassifications: {public: {}}\n",
            "default",
        )
        .0
        .expect("a policy");
        let requirements = policy.requirements("public", &[]);
        let bindings = Bindings {
            profile: &profile,
            offering: &profile.offerings[0],
            policy: &policy,
            classification: "public",
            tags: &[],
            requirements: &requirements,
            today: "2026-11-24".parse().unwrap(),
        };
        let scope = bindings.scope();
        let keys = |name: &str| -> Vec<String> {
            let map = scope.get_value::<Map>(name).expect(name);
            let mut k: Vec<String> = map.keys().map(|k| k.to_string()).collect();
            k.sort();
            k
        };
        let sorted = |a: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(keys("vendor"), sorted(&VENDOR_KEYS));
        assert_eq!(keys("offering"), sorted(&OFFERING_KEYS));
        assert_eq!(keys("policy"), sorted(&POLICY_KEYS));
    }

    #[test]
    fn header_reads_title_and_rationale() {
        let h = header(
            "//! Training on inputs\n//! Vendors must not train.\n//! refs: GDPR Art. 28(3)(a),  NIST AI RMF GOVERN 6.1\n//! Really.\nlet x = 1;",
        );
        assert_eq!(h.title, "Training on inputs");
        assert_eq!(h.rationale, "Vendors must not train. Really.");
        assert_eq!(
            h.refs,
            [
                ("GDPR Art. 28(3)(a)".to_string(), 3),
                ("NIST AI RMF GOVERN 6.1".to_string(), 3)
            ]
        );
        let h = header("//! Review date\n//! refs: none, housekeeping of the workspace\n");
        assert_eq!(
            h.refs_reason.as_deref(),
            Some("housekeeping of the workspace")
        );
        assert!(h.refs.is_empty() && h.rationale.is_empty());
    }

    #[test]
    fn finding_calls_skip_comments_strings_and_method_calls() {
        let calls = lint::finding_calls(
            "let x = true;\nfn my_pass(n) { n }\nfn helper() { hold(\"h\", \"a\") }\nif x { block(\"a\", \"b\"); }\n// hold(\"no\")\ninfo(\"pass(\"); warn (\"w\"); unresolved(\"dpa\", \"t\"); info(\"again\");\nmy_pass(1); `${pass(\"i\")}`;\n",
            &rhai::Scope::new(),
        );
        assert_eq!(
            calls,
            vec![
                (Level::Hold, 3),
                (Level::Block, 4),
                (Level::Info, 6),
                (Level::Info, 6),
                (Level::Warn, 6),
                (Level::Hold, 6),
                (Level::Pass, 7),
            ]
        );
    }
}
