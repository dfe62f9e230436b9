//! Helpers that let a rule read as the policy it encodes, for what scripts did by hand:
//!
//! - `join(list)` / `join(list, sep)`: a list as "a, b, c" for a message (`""` when empty);
//! - `add_days(date, n)`: the date `n` days after `date` (YYYY-MM-DD; `n` may be negative);
//! - `open_ended(value)`: whether a duration is `indefinite` or `until_deleted` (stated, with
//!   no end);
//! - `within_days(value, max)`: whether a duration is at most `max` days (an open-ended one never
//!   is).
//!
//! They are pure functions of their arguments: no fact is read through them. The fact helpers
//! of `rhai_setup` (`certificate`, `listed`) read a fact and hand its value to [`certificate`]
//! and [`listed`] here: a list fact may be longer than any list a rule may build (the size
//! limits count every item, key and character inside), so rules look into long lists through
//! these rather than through `fact`.

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

/// Items [`listed`] names before "and N more".
pub(crate) const LISTED_ITEMS: usize = 12;

/// A list fact's items for a message: each item's text (a certification by its name), at most
/// [`LISTED_ITEMS`] of them then "and N more"; "none" for an empty or unknown list.
pub(crate) fn listed(value: &Dynamic) -> String {
    let Some(items) = value.read_lock::<rhai::Array>() else {
        return "none".into();
    };
    if items.is_empty() {
        return "none".into();
    }
    let shown: rhai::Array = items
        .iter()
        .take(LISTED_ITEMS)
        .map(|item| match item.read_lock::<rhai::Map>() {
            Some(map) => map.get("name").cloned().unwrap_or_else(|| item.clone()),
            None => item.clone(),
        })
        .collect();
    let mut text = join(&shown, ", ");
    if items.len() > LISTED_ITEMS {
        text.push_str(&format!(" and {} more", items.len() - LISTED_ITEMS));
    }
    text
}

/// Of a list of certifications (`{name, scope?, expires?}` maps), the one named `wanted`
/// (ignoring case, spaces and hyphens) that lasts longest: one with no expiry date first, else
/// the latest expiry; the first listed of equals. `()` when none is named so.
pub(crate) fn certificate(list: &Dynamic, wanted: &str) -> Dynamic {
    fn norm(name: &str) -> String {
        name.to_lowercase().replace([' ', '-'], "")
    }
    /// None for no expiry date: lasts longest.
    fn expiry(cert: &rhai::Map) -> Option<Option<jiff::civil::Date>> {
        cert.get("expires").map(|d| {
            d.clone()
                .into_string()
                .ok()
                .and_then(|d| d.trim().parse().ok())
        })
    }
    let Some(items) = list.read_lock::<rhai::Array>() else {
        return Dynamic::UNIT;
    };
    let wanted = norm(wanted);
    let mut best: Option<(rhai::Map, Option<Option<jiff::civil::Date>>)> = None;
    for item in items.iter() {
        let Some(cert) = item.read_lock::<rhai::Map>() else {
            continue;
        };
        let named = cert
            .get("name")
            .and_then(|n| n.clone().into_string().ok())
            .is_some_and(|n| norm(&n) == wanted);
        if !named {
            continue;
        }
        let lasts = expiry(&cert);
        let better = match &best {
            None => true,
            Some((_, kept)) => match (kept, &lasts) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(kept), Some(this)) => this > kept,
            },
        };
        if better {
            best = Some((cert.clone(), lasts));
        }
    }
    best.map_or(Dynamic::UNIT, |(cert, _)| Dynamic::from_map(cert))
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

    fn cert(name: &str, expires: Option<&str>) -> Dynamic {
        let mut m = rhai::Map::new();
        m.insert("name".into(), name.into());
        if let Some(e) = expires {
            m.insert("expires".into(), e.into());
        }
        Dynamic::from_map(m)
    }

    fn expires_of(found: &Dynamic) -> Option<String> {
        let map = found.read_lock::<rhai::Map>().expect("a certificate");
        map.get("expires").map(|e| e.to_string())
    }

    #[test]
    fn the_certificate_that_lasts_longest_is_found_by_its_name() {
        let list = Dynamic::from_array(vec![
            cert("ISO 27001", Some("2026-10-31")),
            cert("iso-27001", Some("2029-10-31")),
            cert("ISO 27001", Some("2027-01-01")),
            cert("SOC 2 Type II", None),
        ]);
        assert_eq!(
            expires_of(&certificate(&list, "ISO 27001")).as_deref(),
            Some("2029-10-31")
        );
        assert_eq!(expires_of(&certificate(&list, "soc2 type ii")), None);
        assert!(certificate(&list, "PCI DSS").is_unit());
        assert!(certificate(&Dynamic::UNIT, "PCI DSS").is_unit());
        let with_open = Dynamic::from_array(vec![
            cert("ISO 27001", Some("2029-10-31")),
            cert("ISO 27001", None),
        ]);
        assert_eq!(expires_of(&certificate(&with_open, "ISO 27001")), None);
    }

    #[test]
    fn a_long_list_is_named_in_part() {
        let list: rhai::Array = (0..5_000).map(|i| cert(&format!("C{i}"), None)).collect();
        let text = listed(&Dynamic::from_array(list));
        assert!(text.starts_with("C0, C1, C2"), "{text}");
        assert!(text.ends_with("C11 and 4988 more"), "{text}");
        let regions = Dynamic::from_array(vec!["eu".into(), "us".into()]);
        assert_eq!(listed(&regions), "eu, us");
        assert_eq!(listed(&Dynamic::from_array(Vec::new())), "none");
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
