//! Helpers that let a rule read as the policy it encodes, for what scripts did by hand:
//!
//! - `join(list)` / `join(list, sep)`: a list as "a, b, c" for a message (`""` when empty);
//! - `add_days(date, n)`: the date `n` days after `date` (YYYY-MM-DD; `n` may be negative);
//! - `open_ended(value)`: whether a duration is `indefinite` or `until_deleted` (stated, with
//!   no end);
//! - `within_days(value, max)`: whether a duration is at most `max` days (an open-ended one never
//!   is).
//!
//! They are pure functions of their arguments: no fact is read through them.

use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext, Position};

type Res<T> = Result<T, Box<EvalAltResult>>;

/// The open-ended values a duration fact accepts besides a number of days.
pub(crate) const OPEN_ENDED: &[&str] = &["indefinite", "until_deleted"];

fn runtime_error(message: String, pos: Position) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(message), pos))
}

pub(crate) fn register(engine: &mut Engine) {
    engine.register_fn("join", |list: rhai::Array| join(&list, ", "));
    engine.register_fn("join", |list: rhai::Array, sep: &str| join(&list, sep));
    engine.register_fn(
        "add_days",
        |ctx: NativeCallContext, date: &str, n: i64| -> Res<String> {
            add_days(date, n).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
    engine.register_fn("open_ended", |value: Dynamic| open_ended(&value));
    engine.register_fn(
        "within_days",
        |ctx: NativeCallContext, value: Dynamic, max: i64| -> Res<bool> {
            within_days(&value, max).map_err(|e| runtime_error(e, ctx.call_position()))
        },
    );
}

/// Each element's text (a string as itself, not quoted), separated by `sep`. The engine's
/// string size limit applies to the result as to any string a rule builds.
fn join(list: &rhai::Array, sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        match item.clone().into_immutable_string() {
            Ok(s) => out.push_str(&s),
            Err(_) => out.push_str(&item.to_string()),
        }
    }
    out
}

fn add_days(date: &str, n: i64) -> Result<String, String> {
    let start: jiff::civil::Date = date
        .trim()
        .parse()
        .map_err(|_| format!("`{date}` is not a date (YYYY-MM-DD)"))?;
    start
        .checked_add(jiff::Span::new().try_days(n).map_err(|e| e.to_string())?)
        .map(|d| d.to_string())
        .map_err(|_| format!("{date} plus {n} days is outside the calendar"))
}

fn open_ended(value: &Dynamic) -> bool {
    value
        .clone()
        .into_immutable_string()
        .is_ok_and(|s| OPEN_ENDED.contains(&s.as_str()))
}

fn within_days(value: &Dynamic, max: i64) -> Result<bool, String> {
    if open_ended(value) {
        return Ok(false);
    }
    if let Some(days) = value.clone().try_cast::<i64>() {
        return Ok(days <= max);
    }
    if let Some(days) = value.clone().try_cast::<f64>() {
        return Ok(days <= max as f64);
    }
    Err(format!(
        "`{value}` is not a duration: a number of days, `indefinite` or `until_deleted`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_text_and_numbers() {
        let list: rhai::Array = vec!["eu".into(), "us".into(), Dynamic::from(3_i64)];
        assert_eq!(join(&list, ", "), "eu, us, 3");
        assert_eq!(join(&rhai::Array::new(), ", "), "");
    }

    #[test]
    fn adds_days_across_months_years_and_leap_days() {
        assert_eq!(add_days("2026-11-20", 365).unwrap(), "2027-11-20");
        assert_eq!(add_days("2028-02-28", 1).unwrap(), "2028-02-29");
        assert_eq!(add_days("2027-01-01", -1).unwrap(), "2026-12-31");
        assert!(
            add_days("2026-13-01", 1)
                .unwrap_err()
                .contains("not a date")
        );
        assert!(add_days("2026-01-01", i64::MAX).is_err());
    }

    #[test]
    fn open_ended_durations_are_within_no_maximum() {
        assert!(open_ended(&Dynamic::from("indefinite")));
        assert!(open_ended(&Dynamic::from("until_deleted")));
        assert!(!open_ended(&Dynamic::from(30_i64)));
        assert!(!within_days(&Dynamic::from("until_deleted"), 10_000).unwrap());
        assert!(within_days(&Dynamic::from(30_i64), 30).unwrap());
        assert!(!within_days(&Dynamic::from(31_i64), 30).unwrap());
        assert!(within_days(&Dynamic::from("soon"), 30).is_err());
    }
}
