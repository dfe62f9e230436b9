//! The one Rhai engine: configured once with every limit, with the rule API registered.
//!
//! Rule scripts are untrusted input. Everything a script can reach is here: the scope variables
//! (`vendor`, `offering`, `classification`, `tags`, `require`, `policy`, `today`), the fact
//! functions, and the finding functions. No imports (the `no_module` feature removes them), no
//! `eval`, no file or network access, and limits on operations, depth, sizes and time.

use super::state::{self, Level};
use rhai::packages::Package;
use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext, OptimizationLevel, Position};

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
/// Wall-clock time one rule evaluation may take.
pub const DEADLINE_MS: u64 = 250;
/// Findings one rule evaluation may raise.
pub const MAX_FINDINGS: usize = 256;
/// Bytes of print/debug output one rule evaluation may produce.
pub const MAX_TRACE_BYTES: usize = 64 * 1024;

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
        if ops % 256 == 0 {
            state::stop_reason().map(Dynamic::from)
        } else {
            None
        }
    });
    engine.on_print(|text| state::trace(text.to_string()));
    engine.on_debug(|text, _source, pos| {
        state::trace(match pos.line() {
            Some(line) => format!("[line {line}] {text}"),
            None => text.to_string(),
        })
    });

    register_fact_api(&mut engine);
    register_finding_api(&mut engine);
    engine
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

fn register_fact_api(engine: &mut Engine) {
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
            state::read(name, |f| f.claims.clone())
                .map_err(|e| runtime_error(e, ctx.call_position()))
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
            "days_until",
            "licence_rank",
            "unresolved",
            "contractual",
            "first_party",
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
