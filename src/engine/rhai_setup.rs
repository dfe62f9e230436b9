//! The one Rhai engine: configured once with every limit, with the rule API registered.
//!
//! Rule scripts are untrusted input. Everything a script can reach is here: the scope variables
//! (`vendor`, `offering`, `classification`, `tags`, `require`, `policy`, `today`), the fact
//! functions, and the finding functions. No imports (the `no_module` feature removes them), no
//! `eval`, no file or network access, no clock (the `no_time` feature removes `timestamp()`: time
//! comes from `--today` only), and limits on operations, depth, sizes, text and time per
//! evaluation (the run's total of finding text is kept by `evaluation::budget`).

use super::state::{self, Level};
use rhai::packages::Package;
use rhai::{
    Dynamic, Engine, EvalAltResult, ImmutableString, NativeCallContext, OptimizationLevel, Position,
};
use std::collections::BTreeMap;

/// Script operations one rule evaluation may perform.
pub const MAX_OPERATIONS: u64 = 1_000_000;
/// Function call nesting (recursion) depth.
pub const MAX_CALL_LEVELS: usize = 32;
/// Expression nesting depth (statements, functions). Never 0, which would mean unlimited.
pub const MAX_EXPR_DEPTH: usize = 64;
pub const MAX_FN_EXPR_DEPTH: usize = 32;
/// Largest string, array and map a rule may build.
pub const MAX_STRING_SIZE: usize = 16 * 1024;
pub const MAX_ARRAY_SIZE: usize = 4 * 1024;
pub const MAX_MAP_SIZE: usize = 1024;
pub const MAX_VARIABLES: usize = 256;
pub const MAX_FUNCTIONS: usize = 64;
/// Closures nested in closures (a closure capturing a closure, or a function pointer curried
/// with one): each level is a level of recursion when the chain is called or dropped, and
/// 50,000 levels overflow the stack.
pub const MAX_CLOSURE_DEPTH: usize = 16;
/// Values a closure's captured variables or a function pointer's curried arguments may hold
/// in all (Rhai's size limits do not look inside function pointers: `f = f.curry(f)` doubles
/// unseen). Larger than any array (MAX_ARRAY_SIZE) or map a rule may build.
pub const MAX_CAPTURED_VALUES: usize = 16 * 1024;
pub fn build_engine() -> Engine {
    let mut engine = Engine::new_raw();
    // The standard library (strings, arrays, maps, maths), but nothing that reaches outside.
    engine.register_global_module(rhai::packages::StandardPackage::new().as_shared_module());

    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_FN_EXPR_DEPTH)
        .set_max_string_size(MAX_STRING_SIZE)
        .set_max_array_size(MAX_ARRAY_SIZE)
        .set_max_map_size(MAX_MAP_SIZE)
        .set_max_variables(MAX_VARIABLES)
        .set_max_functions(MAX_FUNCTIONS)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true)
        .set_optimization_level(OptimizationLevel::Simple);
    engine.disable_symbol("eval");

    engine.on_progress(|ops| {
        if ops % 256 != 0 {
            None
        } else {
            state::stop_reason().map(Dynamic::from)
        }
    });
    engine.on_print(|text| state::trace(text.to_string()));
    engine.on_debug(|text, _source, pos| {
        state::trace(match pos.line() {
            Some(line) => format!("[line {line}] {text}"),
            None => text.to_string(),
        })
    });

    // `on_var` is marked volatile (it may change in a later Rhai), not deprecated.
    #[allow(deprecated)]
    engine.on_var(|name, _index, context| match context.scope().get(name) {
        Some(value) => check_captured(value).map(|()| None),
        None => Ok(None),
    });

    register_require(&mut engine);
    register_fact_api(&mut engine);
    super::carve_outs::register(&mut engine);
    super::helpers::register(&mut engine);
    register_finding_api(&mut engine);
    register_checked_string_ops(&mut engine);
    engine
}

/// Refuses a value that holds closures nested deeper than MAX_CLOSURE_DEPTH or more than
/// MAX_CAPTURED_VALUES values inside function pointers. Run on every read of a variable that
/// is a function pointer or captured by a closure, so a chain is stopped while it is built,
/// a level at a time, long before it costs memory or stack.
fn check_captured(value: &Dynamic) -> Result<(), Box<EvalAltResult>> {
    if !value.is_shared() && !value.is_fnptr() {
        return Ok(());
    }
    let mut seen = 0;
    walk_captured(value, 0, 0, &mut seen).map_err(|what| {
        Box::new(EvalAltResult::ErrorRuntime(
            Dynamic::from(what),
            Position::NONE,
        ))
    })
}

fn walk_captured(
    value: &Dynamic,
    closures: usize,
    nesting: usize,
    seen: &mut usize,
) -> Result<(), String> {
    *seen += 1;
    if *seen > MAX_CAPTURED_VALUES {
        return Err(format!(
            "closures and curried functions hold more than {MAX_CAPTURED_VALUES} values: a rule needs far fewer"
        ));
    }
    // Nesting of arrays and maps is bounded too, so that this walk itself stays shallow.
    if closures > MAX_CLOSURE_DEPTH || nesting > 4 * MAX_CLOSURE_DEPTH {
        return Err(format!(
            "closures are nested more than {MAX_CLOSURE_DEPTH} deep (a closure capturing a closure capturing ...): a rule needs a few levels at most"
        ));
    }
    if value.is_shared() {
        // A value another closure is writing right now cannot be read; it was checked when
        // it was captured.
        return match value.read_lock::<Dynamic>() {
            Some(inner) => walk_captured(&inner, closures, nesting + 1, seen),
            None => Ok(()),
        };
    }
    if let Some(f) = value.read_lock::<rhai::FnPtr>() {
        for v in f.iter_curry() {
            walk_captured(v, closures + 1, nesting + 1, seen)?;
        }
    } else if let Some(a) = value.read_lock::<rhai::Array>() {
        for v in a.iter() {
            walk_captured(v, closures, nesting + 1, seen)?;
        }
    } else if let Some(m) = value.read_lock::<rhai::Map>() {
        for v in m.values() {
            walk_captured(v, closures, nesting + 1, seen)?;
        }
    }
    Ok(())
}

/// Rhai's `replace` builds its result before the string size limit is checked: replacing each
/// character of a 16 KiB string by a 16 KiB string allocates 256 MiB first. These versions
/// (registered over the standard ones) compute the result's size before building it.
fn register_checked_string_ops(engine: &mut Engine) {
    fn checked(
        ctx: &NativeCallContext,
        string: &mut ImmutableString,
        find: &str,
        substitute: &str,
    ) -> Res<()> {
        if string.is_empty() {
            return Ok(());
        }
        let count = if find.is_empty() {
            string.chars().count() + 1
        } else {
            string.matches(find).count()
        };
        let size = (string.len() - count * find.len())
            .saturating_add(count.saturating_mul(substitute.len()));
        let limit = ctx.engine().max_string_size();
        if limit > 0 && size > limit {
            return Err(Box::new(EvalAltResult::ErrorDataTooLarge(
                "Length of string".to_string(),
                ctx.call_position(),
            )));
        }
        *string = string.replace(find, substitute).into();
        Ok(())
    }
    engine.register_fn(
        "replace",
        |ctx: NativeCallContext, s: &mut ImmutableString, find: &str, sub: &str| {
            checked(&ctx, s, find, sub)
        },
    );
    engine.register_fn(
        "replace",
        |ctx: NativeCallContext, s: &mut ImmutableString, find: &str, sub: char| {
            checked(&ctx, s, find, sub.encode_utf8(&mut [0; 4]))
        },
    );
    engine.register_fn(
        "replace",
        |ctx: NativeCallContext, s: &mut ImmutableString, find: char, sub: &str| {
            checked(&ctx, s, find.encode_utf8(&mut [0; 4]), sub)
        },
    );
}

/// The names of the functions diligence gives rules (not Rhai's standard library), read from
/// the engine itself so that hints never drift from what is registered.
pub fn api_functions(engine: &Engine) -> Vec<String> {
    let mut names: Vec<String> = engine
        .gen_fn_signatures(false)
        .iter()
        .filter_map(|sig| sig.split('(').next())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

type Res<T> = Result<T, Box<EvalAltResult>>;

fn runtime_error(message: String, pos: Position) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(message), pos))
}

/// `require`: the requirements of the classification under review, read through an indexer so
/// that the engine knows which ones a rule read (see [`state::Depends`]). `require.KEY` falls
/// back to the indexer; a key outside the vocabulary is an error, as a misspelt map property
/// was when `require` was a map.
#[derive(Clone)]
pub struct Require(pub std::sync::Arc<BTreeMap<&'static str, Dynamic>>);

fn register_require(engine: &mut Engine) {
    engine.register_type_with_name::<Require>("Requirements");
    engine.register_indexer_get(|r: &mut Require, key: &str| -> Res<Dynamic> {
        match r.0.get_key_value(key) {
            Some((name, value)) => {
                state::read_requirement(name);
                Ok(value.clone())
            }
            None => Err(Box::new(EvalAltResult::ErrorPropertyNotFound(
                key.to_string(),
                Position::NONE,
            ))),
        }
    });
    let show = |r: &mut Require| -> String {
        let map: rhai::Map = r.0.iter().map(|(k, v)| ((*k).into(), v.clone())).collect();
        Dynamic::from_map(map).to_string()
    };
    engine.register_fn("to_string", show);
    engine.register_fn("to_debug", show);
}

fn register_fact_api(engine: &mut Engine) {
    register_fact_reads(engine);
    register_fact_helpers(engine);
}

/// The functions that read a fact's resolved value and state (each read is recorded).
fn register_fact_reads(engine: &mut Engine) {
    engine.register_fn(
        "fact",
        |ctx: NativeCallContext, name: &str| -> Res<Dynamic> {
            state::read(name, |f| f.value.clone())
                .map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn("known", |ctx: NativeCallContext, name: &str| -> Res<bool> {
        state::read(name, |f| !f.value.is_unit()).map_err(|e| runtime_error(e, ctx.call_position()))
    });
    engine.register_fn(
        "claims",
        |ctx: NativeCallContext, name: &str| -> Res<Dynamic> {
            state::read_claims(name).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "conflicting",
        |ctx: NativeCallContext, name: &str| -> Res<bool> {
            state::read(name, |f| f.conflicting).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "not_stated",
        |ctx: NativeCallContext, name: &str| -> Res<bool> {
            state::read(name, |f| f.not_stated).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn("stale", |ctx: NativeCallContext, name: &str| -> Res<bool> {
        state::read(name, |f| f.stale).map_err(|e| runtime_error(e, ctx.call_position()))
    });
    engine.register_fn(
        "authority",
        |ctx: NativeCallContext, name: &str| -> Res<Dynamic> {
            state::read(name, |f| f.authority.clone())
                .map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "contractual",
        |ctx: NativeCallContext, name: &str| -> Res<bool> {
            state::read(name, |f| f.contractual).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "first_party",
        |ctx: NativeCallContext, name: &str| -> Res<bool> {
            state::read(name, |f| f.first_party).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
}

/// Questions, decisiveness, citing, unresolved facts, dates and licence ranks.
fn register_fact_helpers(engine: &mut Engine) {
    engine.register_fn(
        "question",
        |ctx: NativeCallContext, name: &str| -> Res<String> {
            crate::model::vocabulary::fact_spec(name)
                .map(|f| f.question.to_string())
                .ok_or_else(|| runtime_error(format!("unknown fact `{name}`"), ctx.call_position()))
        },
    );
    engine.register_fn(
        "decisive",
        |ctx: NativeCallContext, name: &str| -> Res<bool> {
            state::decisive(name).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn("cite", |ctx: NativeCallContext, name: &str| -> Res<()> {
        state::cite(name).map_err(|e| runtime_error(e, ctx.call_position()))
    });
    engine.register_fn("fact_names", || -> rhai::Array { state::fact_names() });
    // A list fact may hold more than a rule may build: these look into it natively.
    engine.register_fn(
        "listed",
        |ctx: NativeCallContext, name: &str| -> Res<String> {
            state::read(name, |f| super::helpers::listed(&f.value))
                .map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "certificate",
        |ctx: NativeCallContext, wanted: &str| -> Res<Dynamic> {
            state::read("certifications", |f| {
                super::helpers::certificate(&f.value, wanted)
            })
            .map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "unresolved",
        |ctx: NativeCallContext, name: &str, topic: &str| -> Res<bool> {
            state::unresolved(name, topic, None, ctx.call_position())
                .map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "unresolved",
        |ctx: NativeCallContext, name: &str, topic: &str, context: &str| -> Res<bool> {
            state::unresolved(name, topic, Some(context), ctx.call_position())
                .map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "days_until",
        |ctx: NativeCallContext, date: &str| -> Res<i64> {
            state::days_until(date).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn(
        "licence_rank",
        |ctx: NativeCallContext, scope: &str| -> Res<i64> {
            crate::model::vocabulary::LICENCE_SCOPE
                .iter()
                .position(|s| *s == scope)
                .map(|i| i as i64)
                .ok_or_else(|| {
                    runtime_error(
                        format!("`{scope}` is not a licence scope"),
                        ctx.call_position(),
                    )
                })
        },
    );
}

fn register_finding_api(engine: &mut Engine) {
    macro_rules! with_action {
        ($name:literal, $level:expr) => {
            engine.register_fn(
                $name,
                |ctx: NativeCallContext, message: &str, action: &str| -> Res<()> {
                    state::raise($level, message, Some(action), ctx.call_position())
                        .map_err(|e| runtime_error(e, ctx.call_position()))
                },
            );
        };
    }
    macro_rules! without_action {
        ($name:literal, $level:expr) => {
            engine.register_fn($name, |ctx: NativeCallContext, message: &str| -> Res<()> {
                state::raise($level, message, None, ctx.call_position())
                    .map_err(|e| runtime_error(e, ctx.call_position()))
            });
        };
    }
    with_action!("block", Level::Block);
    with_action!("hold", Level::Hold);
    with_action!("condition", Level::Condition);
    with_action!("warn", Level::Warn);
    with_action!("info", Level::Info);
    without_action!("warn", Level::Warn);
    without_action!("info", Level::Info);
    without_action!("pass", Level::Pass);
    // block/hold/condition without an action are a mistake the rule author should hear about.
    for name in ["block", "hold", "condition"] {
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, _message: &str| -> Res<()> {
                Err(runtime_error(
                    format!(
                        "{name}(message, action) needs an action: say what the reviewer should do"
                    ),
                    ctx.call_position(),
                ))
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_list_is_what_is_registered_and_nothing_of_the_standard_library() {
        let names = api_functions(&build_engine());
        for expected in [
            "fact",
            "known",
            "claims",
            "conflicting",
            "stale",
            "authority",
            "question",
            "decisive",
            "cite",
            "fact_names",
            "listed",
            "certificate",
            "days_until",
            "add_days",
            "join",
            "open_ended",
            "within_days",
            "licence_rank",
            "unresolved",
            "contractual",
            "first_party",
            "exceptions",
            "block",
            "hold",
            "condition",
            "warn",
            "info",
            "pass",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
        assert!(
            !names.iter().any(|n| n == "to_upper" || n == "len"),
            "{names:?}"
        );
    }
}
