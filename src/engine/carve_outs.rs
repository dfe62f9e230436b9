//! Rule helpers for what the terms say beyond a bare value: carve-outs from a promise.
//!
//! `exceptions(name)` returns the carve-outs of the claims that decide a fact, as maps
//! `{quote, section, note, source, title}` (`()` for what is not written), so that a rule that
//! would pass on the promise can report the exception instead, quoting it. `allowed_if(name)`
//! returns the condition under which data the terms forbid is allowed after all (text, or `()`).

use super::state;
use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext};

pub fn register(engine: &mut Engine) {
    engine.register_fn(
        "exceptions",
        |ctx: NativeCallContext, name: &str| -> Result<Dynamic, Box<EvalAltResult>> {
            state::read_carve_outs(name).map_err(|e| {
                Box::new(EvalAltResult::ErrorRuntime(
                    Dynamic::from(e),
                    ctx.call_position(),
                ))
            })
        },
    );
    engine.register_fn(
        "allowed_if",
        |ctx: NativeCallContext, name: &str| -> Result<Dynamic, Box<EvalAltResult>> {
            state::read(name, |f| f.allowed_if.clone()).map_err(|e| {
                Box::new(EvalAltResult::ErrorRuntime(
                    Dynamic::from(e),
                    ctx.call_position(),
                ))
            })
        },
    );
}
