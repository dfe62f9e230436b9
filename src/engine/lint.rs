//! Static checks of a rule, run when it is compiled: what a governance analyst gets wrong and a
//! test would only catch on the one vendor that reaches the line.
//!
//! Every node of the rule's syntax tree is visited, branches no vendor reaches included:
//! - fact names given as text to the fact functions (`fact("retention_dys")`);
//! - requirement keys read from `require` (`require.no_trainng`);
//! - called functions (`condtion(...)`), checked against the functions the engine actually has
//!   and the functions the script defines;
//! - text compared with a fact's value (`==`, `!=`, `in`, `switch` cases), directly or through a
//!   variable assigned from `fact(...)`, against the fact's allowed values (`t == "nevr"`).
//!
//! Coverage (`diligence test --coverage`) counts the finding calls written in the rule, so a
//! finding raised through a function pointer would be invisible to it: `Fn(...)` must name a
//! function of the script in literal text, and finding functions are called directly (never
//! through `Fn`, nor as methods: `"m".block(...)`).
//!
//! The tree is compiled without optimization here: the optimizer removes branches it can prove
//! dead (`if false { ... }`) and folds `Fn("blo" + "ck")` into a constant, hiding both.

use super::state::Level;
use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::model::vocabulary::{self, ValueType};
use rhai::{AST, ASTNode, Engine, Expr, OptimizationLevel, Position, Scope, Stmt, Token};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Functions whose first argument is a fact name.
pub const FACT_FUNCTIONS: &[&str] = &[
    "fact",
    "known",
    "claims",
    "conflicting",
    "stale",
    "authority",
    "decisive",
    "cite",
    "question",
    "unresolved",
    "contractual",
    "first_party",
    "not_stated",
    "listed",
];

/// Functions of the language itself (handled by Rhai, not registered as native functions).
const LANGUAGE_FUNCTIONS: &[&str] = &[
    "Fn",
    "call",
    "curry",
    "type_of",
    "print",
    "debug",
    "is_def_var",
    "is_def_fn",
    "is_shared",
];

/// The rule engine, compiling without optimization (see the module comment).
fn lint_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut engine = super::rhai_setup::build_engine();
        engine.set_optimization_level(OptimizationLevel::None);
        engine
    })
}

/// Every function the engine knows by name (native, standard library), read from the engine.
fn native_functions() -> &'static HashSet<String> {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        lint_engine()
            .collect_fn_metadata(None, |f| Some(f.metadata.name.to_string()), true)
            .into_iter()
            .filter(|n| !n.contains('$')) // property getters and setters (`get$len`)
            .chain(LANGUAGE_FUNCTIONS.iter().map(|s| s.to_string()))
            .collect()
    })
}

/// Checks the rule `text` (which compiles) of `file`; `declared` holds the names in scope.
pub fn check(file: &str, text: &str, declared: &Scope) -> Vec<Diagnostic> {
    let Ok(ast) = lint_engine().compile_with_scope(declared, text) else {
        return Vec::new(); // compile errors are reported by the caller
    };
    let mut lint = Lint {
        file,
        text,
        script_functions: ast.iter_functions().map(|f| f.name.to_string()).collect(),
        variables: HashSet::new(),
        texts: HashMap::new(),
        facts: HashMap::new(),
        problems: Vec::new(),
    };
    lint.walk(&ast);
    lint.problems.sort_by_key(|d| (d.line, d.column));
    lint.problems.dedup();
    lint.problems
}

/// The calls of a rule that raise a finding (`block`, `hold`, ..., and `unresolved`, which
/// holds on its line when the fact is unknown or conflicting), as (level, line), read from
/// the compiled rule: comments, strings and method calls (`x.pass()`) are not calls of the
/// rule's own. For coverage: which of them some test case reached.
pub fn finding_calls(text: &str, declared: &Scope) -> Vec<(Level, u32)> {
    let Ok(ast) = lint_engine().compile_with_scope(declared, text) else {
        return Vec::new();
    };
    // In the order the levels are declared, `unresolved` last, within a line.
    let rank = |name: &str| -> Option<(usize, Level)> {
        Level::ALL
            .iter()
            .position(|l| l.as_str() == name)
            .map(|i| (i, Level::ALL[i]))
            .or((name == "unresolved").then_some((Level::ALL.len(), Level::Hold)))
    };
    let mut calls: Vec<(u32, usize, Level)> = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, at))) => Some((call, at)),
            Some(ASTNode::Stmt(Stmt::FnCall(call, at))) => Some((call, at)),
            _ => None,
        };
        if let Some((call, at)) = call
            && call.op_token.is_none()
            && let Some((order, level)) = rank(call.name.as_str())
        {
            calls.push((pos(*at).line, order, level));
        }
        true
    });
    calls.sort_by_key(|(line, order, _)| (*line, *order));
    calls
        .into_iter()
        .map(|(line, _, level)| (level, line))
        .collect()
}

/// Whether the compiled rule reads the variable `name` anywhere (interpolations included).
pub fn reads_variable(ast: &AST, name: &str) -> bool {
    let mut found = false;
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(e)) = path.last() {
            found |= variable_name(e) == Some(name);
        }
        !found
    });
    found
}

struct Lint<'a> {
    file: &'a str,
    /// The rule's source: `switch` cases are read from it (the syntax tree keeps only their
    /// hashes).
    text: &'a str,
    script_functions: HashSet<String>,
    /// Every variable the script declares (a call through a variable is not a function name).
    variables: HashSet<String>,
    /// Variables holding literal text (`let name = "retention_days";`).
    texts: HashMap<String, String>,
    /// Variables holding a fact's value (`let t = fact("training_on_inputs");`).
    facts: HashMap<String, String>,
    problems: Vec<Diagnostic>,
}

fn pos(p: Position) -> Pos {
    Pos::new(
        p.line().unwrap_or(0) as u32,
        p.position().unwrap_or(1) as u32,
    )
}

fn variable_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Variable(x, ..) => Some(x.1.as_str()),
        _ => None,
    }
}

impl Lint<'_> {
    fn error(&mut self, at: Position, message: String, hint: Option<String>) {
        self.problems.push(
            Diagnostic::error(message)
                .in_file(self.file.to_string())
                .at(pos(at))
                .maybe_hint(hint),
        );
    }

    fn walk(&mut self, ast: &AST) {
        ast.walk(&mut |path: &[ASTNode]| {
            match path.last() {
                Some(ASTNode::Stmt(stmt)) => self.statement(stmt),
                Some(ASTNode::Expr(expr)) => self.expression(expr),
                _ => {}
            }
            true
        });
    }

    /// Literal text an expression stands for: a string, or a variable assigned one.
    fn text_of(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::StringConstant(s, _) => Some(s.to_string()),
            other => variable_name(other).and_then(|v| self.texts.get(v).cloned()),
        }
    }

    /// The fact whose value an expression is: `fact("x")`, or a variable assigned from it.
    fn fact_of(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::FnCall(call, _) if call.name == "fact" && call.args.len() == 1 => {
                self.text_of(&call.args[0])
            }
            other => variable_name(other).and_then(|v| self.facts.get(v).cloned()),
        }
    }

    fn statement(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Var(x, ..) => {
                let (ident, init, _) = x.as_ref();
                let name = ident.name.to_string();
                self.variables.insert(name.clone());
                self.track(name, init);
            }
            Stmt::Assignment(x) => {
                if let Some(name) = variable_name(&x.1.lhs) {
                    self.track(name.to_string(), &x.1.rhs);
                }
            }
            Stmt::Switch(x, at) => {
                if let Some(fact) = self.fact_of(&x.0) {
                    self.switch_cases(&fact, *at);
                }
            }
            Stmt::For(x, ..) => {
                // `for (item, i) in ...`: loop variables are variables too.
                let (var, counter, ..) = x.as_ref();
                self.variables.insert(var.name.to_string());
                if let Some(counter) = counter {
                    self.variables.insert(counter.name.to_string());
                }
            }
            _ => {}
        }
    }

    fn track(&mut self, name: String, value: &Expr) {
        let text = self.text_of(value);
        let fact = self.fact_of(value);
        match text {
            Some(t) => self.texts.insert(name.clone(), t),
            None => self.texts.remove(&name),
        };
        match fact {
            Some(f) => self.facts.insert(name, f),
            None => self.facts.remove(&name),
        };
    }

    fn expression(&mut self, expr: &Expr) {
        match expr {
            Expr::FnCall(call, at) => {
                let name = call.name.as_str();
                if call.op_token.is_some() {
                    if (name == "==" || name == "!=") && call.args.len() == 2 {
                        self.compared(&call.args[0], &call.args[1]);
                        self.compared(&call.args[1], &call.args[0]);
                    }
                    return;
                }
                self.function(name, *at, false);
                if FACT_FUNCTIONS.contains(&name)
                    && let Some(arg) = call.args.first()
                {
                    self.fact_name(arg);
                }
                if name == "contains" && call.args.len() == 2 {
                    self.contained(&call.args[0], &call.args[1]);
                }
                if name == "Fn" {
                    self.function_pointer(call.args.first(), *at);
                }
            }
            Expr::MethodCall(call, at) => {
                let name = call.name.as_str();
                if Level::ALL.iter().any(|l| l.as_str() == name) {
                    self.error(
                        *at,
                        format!("`{name}` is called as a method"),
                        Some(format!(
                            "call it as a function, `{name}(message, ...)`: test coverage counts direct calls"
                        )),
                    );
                } else {
                    self.function(name, *at, true);
                }
            }
            Expr::Dot(x, _, _) => {
                if variable_name(&x.lhs) == Some("require") {
                    let key = match &x.rhs {
                        Expr::Property(p, at) => Some((p.2.to_string(), *at)),
                        Expr::Dot(inner, ..) | Expr::Index(inner, ..) => match &inner.lhs {
                            Expr::Property(p, at) => Some((p.2.to_string(), *at)),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some((key, at)) = key {
                        self.requirement(&key, at);
                    }
                }
                // `t.contains("x")`
                if let Expr::MethodCall(call, _) = &x.rhs
                    && call.name == "contains"
                    && call.args.len() == 1
                {
                    self.contained(&x.lhs, &call.args[0]);
                }
            }
            Expr::Index(x, ..) => {
                if variable_name(&x.lhs) == Some("require")
                    && let Expr::StringConstant(key, at) = &x.rhs
                {
                    self.requirement(key, *at);
                }
            }
            _ => {}
        }
    }

    fn function(&mut self, name: &str, at: Position, method: bool) {
        if native_functions().contains(name)
            || self.script_functions.contains(name)
            || (!method && self.variables.contains(name))
        {
            return;
        }
        let candidates: Vec<&str> = native_functions()
            .iter()
            .map(String::as_str)
            .chain(self.script_functions.iter().map(String::as_str))
            .filter(|n| n.chars().next().is_some_and(char::is_alphabetic))
            .collect();
        self.error(
            at,
            format!("unknown function `{name}`"),
            Some(did_you_mean(name, candidates).unwrap_or_else(|| {
                format!(
                    "rules can call Rhai's standard library, the functions they define, and: {}",
                    super::rhai_setup::api_functions(lint_engine()).join(", ")
                )
            })),
        );
    }

    fn fact_name(&mut self, arg: &Expr) {
        let Some(name) = self.text_of(arg) else {
            return; // computed names are checked when the rule runs
        };
        if name.starts_with("custom.") || vocabulary::fact_spec(&name).is_some() {
            return;
        }
        self.error(
            arg.position(),
            format!("unknown fact `{name}`"),
            Some(
                did_you_mean(&name, vocabulary::fact_names()).unwrap_or_else(|| {
                    "see `diligence schema` for the fact names; custom facts are read as `custom.NAME`".into()
                }),
            ),
        );
    }

    fn requirement(&mut self, key: &str, at: Position) {
        if vocabulary::requirement_spec(key).is_some() {
            return;
        }
        self.error(
            at,
            format!("unknown requirement `require.{key}`"),
            Some(
                did_you_mean(key, vocabulary::requirement_names())
                    .unwrap_or_else(|| "see `diligence schema policy` for the requirements".into()),
            ),
        );
    }

    /// The words a fact's value can be, for facts with a closed set of words.
    fn words(fact: &str) -> Option<&'static [&'static str]> {
        match vocabulary::fact_spec(fact)?.ty {
            ValueType::Enum(words) | ValueType::EnumList(words) | ValueType::CountOr(words) => {
                Some(words)
            }
            _ => None,
        }
    }

    fn check_word(&mut self, fact: &str, word: &str, at: Position) {
        let Some(words) = Self::words(fact) else {
            return;
        };
        if !words.contains(&word) {
            self.error(
                at,
                format!(
                    "`{word}` is never a value of fact `{fact}` (its values: {})",
                    words.join(", ")
                ),
                did_you_mean(word, words.iter().copied()),
            );
        }
    }

    /// `value == "text"` where `value` is a fact's value.
    fn compared(&mut self, value: &Expr, text: &Expr) {
        if let (Some(fact), Expr::StringConstant(word, at)) = (self.fact_of(value), text) {
            self.check_word(&fact, word, *at);
        }
    }

    /// `item in container`: a word in a fact's list, or a fact's value in a list of words.
    fn contained(&mut self, container: &Expr, item: &Expr) {
        if let (Some(fact), Expr::StringConstant(word, at)) = (self.fact_of(container), item) {
            self.check_word(&fact, word, *at);
        }
        if let (Some(fact), Expr::Array(items, _)) = (self.fact_of(item), container) {
            for i in items.iter() {
                if let Expr::StringConstant(word, at) = i {
                    self.check_word(&fact, word, *at);
                }
            }
        }
    }

    /// `switch value { "word" | "other" => ..., }` where `value` is a fact's value: each text
    /// case is checked. Rhai keeps only a hash of each case, so the cases are read from the
    /// source, token by token from the `switch` keyword at `at`, up to the end of its block.
    /// Only text in a case's pattern is checked (not in guards or actions); a template string
    /// stops the check, since lexing it apart from the parser could misread what follows.
    fn switch_cases(&mut self, fact: &str, at: Position) {
        let Some((source, line, column)) = source_from(self.text, at) else {
            return;
        };
        // Positions of the lexer are relative to `source`: back to the rule's lines and columns.
        let place = |p: Position| -> Option<Position> {
            let (l, c) = (p.line()?, p.position()?);
            let (l, c) = if l == 1 {
                (line, column + c - 1)
            } else {
                (line + l - 1, c)
            };
            Some(Position::new(
                u16::try_from(l).ok()?,
                u16::try_from(c).ok()?,
            ))
        };
        let (mut tokens, _) = lint_engine().lex([&source]);
        // The value switched on (`fact("x")` or a variable) holds no braces: the first `{`
        // opens the cases.
        if !tokens.any(|(t, _)| t == Token::LeftBrace) {
            return;
        }
        let mut depth = 1usize;
        let (mut pattern, mut guard) = (true, false);
        let mut pending: Vec<(String, Position)> = Vec::new();
        for (token, p) in tokens {
            match token {
                Token::LeftBrace | Token::LeftParen | Token::LeftBracket | Token::MapStart => {
                    depth += 1;
                    continue;
                }
                Token::RightBrace | Token::RightParen | Token::RightBracket => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    // A block action needs no comma: the next case starts after it.
                    if depth == 1 {
                        pattern = true;
                    }
                    continue;
                }
                Token::InterpolatedString(_) | Token::LexError(_) | Token::EOF => return,
                _ => {}
            }
            if depth != 1 {
                continue;
            }
            match token {
                Token::StringConstant(word) if pattern && !guard => {
                    if let Some(p) = place(p) {
                        pending.push((word.to_string(), p));
                    }
                }
                Token::If if pattern => guard = true,
                Token::DoubleArrow => {
                    for (word, p) in pending.drain(..) {
                        self.check_word(fact, &word, p);
                    }
                    (pattern, guard) = (false, false);
                }
                Token::Comma => (pattern, guard) = (true, false),
                _ => {}
            }
        }
    }

    /// `Fn(name)`: only a function of the script, named in literal text.
    fn function_pointer(&mut self, arg: Option<&Expr>, at: Position) {
        let name = arg.and_then(|a| self.text_of(a));
        match name {
            Some(name) if self.script_functions.contains(&name) => {}
            Some(name) => self.error(
                at,
                format!("`Fn(\"{name}\")` points to a function the script does not define"),
                Some(
                    "call built-in and finding functions directly; `Fn` may only name a function defined in the rule (test coverage counts direct calls)"
                        .into(),
                ),
            ),
            None => self.error(
                at,
                "`Fn(...)` with a computed name".into(),
                Some(
                    "name the function in literal text, e.g. `Fn(\"my_check\")`, or call it directly: a computed name could raise findings that test coverage cannot see"
                        .into(),
                ),
            ),
        }
    }
}

/// `text` (a rule's source) from `at` to its end, with `at`'s line and column.
fn source_from(text: &str, at: Position) -> Option<(&str, usize, usize)> {
    let (line, column) = (at.line()?, at.position()?);
    let offset: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let start = text
        .get(offset..)?
        .char_indices()
        .nth(column - 1)
        .map(|(i, _)| offset + i)?;
    Some((&text[start..], line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(text: &str) -> Vec<String> {
        let mut scope = Scope::new();
        for name in [
            "vendor",
            "offering",
            "classification",
            "tags",
            "require",
            "policy",
            "today",
        ] {
            scope.push(name, rhai::Dynamic::UNIT);
        }
        check("scripts/r.rhai", text, &scope)
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} | {}",
                    d.line,
                    d.column,
                    d.message,
                    d.hint.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn misspellings_in_unreached_branches_are_found_with_hints() {
        let found = lint(
            "let name = \"training_on_inputs\";\nlet t = fact(name);\nif false {\n  condtion(\"m\", \"a\");\n  let r = fact(\"retention_dys\");\n  if require.no_trainng { }\n  if t == \"nevr\" || \"nevr\" in [t] { }\n  if t in [\"never\", \"opt_ot\"] { }\n}\n",
        );
        let expect = [
            "4:3 unknown function `condtion` | did you mean `condition`?",
            "5:16 unknown fact `retention_dys` | did you mean `retention_days`?",
            "6:14 unknown requirement `require.no_trainng` | did you mean `no_training`?",
            "7:11 `nevr` is never a value of fact `training_on_inputs`",
            "8:21 `opt_ot` is never a value of fact `training_on_inputs`",
        ];
        for e in expect {
            assert!(
                found.iter().any(|f| f.starts_with(e)),
                "{e} not in {found:#?}"
            );
        }
    }

    #[test]
    fn correct_rules_and_script_functions_pass() {
        let found = lint(
            "fn helper(x) { x + 1 }\nlet t = fact(\"training_on_inputs\");\nlet f = Fn(\"helper\");\nlet n = f.call(1);\nif t == \"never\" && \"scc\" in fact(\"transfer_mechanism\") { pass(\"ok\"); }\nlet s = \"abc\"; s.replace(\"a\", \"b\");\nfor (x, i) in [1] { print(x); }\nlet c = fact(\"custom.anything\");\nif require.no_training == true { hold(\"m\", \"a\"); }\n",
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn switch_cases_on_a_fact_are_checked_and_nothing_else_is() {
        let found = lint(
            "let t = fact(\"training_on_inputs\");\nlet x = \"s\";\nswitch t {\n  \"never\" | \"nevr\" => pass(\"opt_ot\"),\n  \"opt_in\" if x == \"zzz\" => { hold(\"m\", \"a\"); }\n  \"opt_ot\" => if x == \"q\" { 1 } else { 2 },\n  _ => ()\n}\nswitch fact(\"training_on_outputs\") { \"never\" => (), \"defalt_on\" => () }\nswitch x { \"anything\" => () }\n",
        );
        let expect = [
            "4:13 `nevr` is never a value of fact `training_on_inputs`",
            "6:3 `opt_ot` is never a value of fact `training_on_inputs`",
            "9:53 `defalt_on` is never a value of fact `training_on_outputs`",
        ];
        for e in expect {
            assert!(
                found.iter().any(|f| f.starts_with(e)),
                "{e} not in {found:#?}"
            );
        }
        assert_eq!(found.len(), expect.len(), "{found:#?}");
        // A correct switch, a template string in an action and a switch as an expression.
        let found = lint(
            "let t = fact(\"training_on_inputs\");\nlet v = switch t { \"never\" => `${t} x`, \"opt_in\" | \"opt_out\" => \"y\", _ => \"z\" };\nswitch t { \"never\" => { if t == \"never\" { pass(\"ok\"); } } _ => () }\n",
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn findings_through_function_pointers_are_refused() {
        let found = lint(
            "let f = Fn(\"blo\" + \"ck\");\nf.call(\"m\", \"a\");\nFn(\"block\").call(\"m\", \"a\");\n\"m\".block(\"a\");\n",
        );
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("1:9 `Fn(...)` with a computed name")),
            "{found:#?}"
        );
        assert!(
            found.iter().any(|f| f.starts_with(
                "3:1 `Fn(\"block\")` points to a function the script does not define"
            )),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("4:5 `block` is called as a method")),
            "{found:#?}"
        );
    }
}
