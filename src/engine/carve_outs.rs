//! Rule helpers for what the terms say beyond a bare value: carve-outs from a promise.
//!
//! `exceptions(name)` returns the carve-outs of the claims that decide a fact, as maps
//! `{quote, section, note, source, title}` (`()` for what is not written), so that a rule that
//! would pass on the promise can report the exception instead, quoting it. `allowed_if(name)`
//! returns the condition under which data the terms forbid is allowed after all (text, or `()`).

use super::state;
use crate::model::resolved::ResolvedFact;
use rhai::{Dynamic, Engine, EvalAltResult, Map, NativeCallContext};

/// The carve-outs of the deciding claims of one fact, as a Rhai array of maps.
pub fn exceptions_of(fact: &ResolvedFact) -> Dynamic {
    let text = |s: Option<&str>| s.map_or(Dynamic::UNIT, |s| Dynamic::from(s.to_string()));
    let mut out = rhai::Array::new();
    for evidence in fact.evidence.iter().filter(|e| e.is_deciding()) {
        for exception in &evidence.exceptions {
            let mut m = Map::new();
            m.insert("quote".into(), Dynamic::from(exception.quote.clone()));
            m.insert("section".into(), text(exception.section.as_deref()));
            m.insert("note".into(), text(exception.note.as_deref()));
            m.insert("source".into(), text(evidence.source.as_deref()));
            m.insert("title".into(), text(evidence.title.as_deref()));
            out.push(Dynamic::from_map(m));
        }
    }
    Dynamic::from_array(out)
}

/// The conditions under which the deciding claims of `prohibited_data` allow the data after
/// all, joined with "; ", or `()` when none says.
pub fn allowed_if_of(fact: &ResolvedFact) -> Dynamic {
    let mut conditions: Vec<&str> = Vec::new();
    for evidence in fact.evidence.iter().filter(|e| e.is_deciding()) {
        if let Some(c) = evidence.allowed_if.as_deref()
            && !conditions.contains(&c)
        {
            conditions.push(c);
        }
    }
    if conditions.is_empty() {
        Dynamic::UNIT
    } else {
        Dynamic::from(conditions.join("; "))
    }
}

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
