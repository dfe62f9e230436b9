//! `--format github`: GitHub Actions workflow commands, one annotation per finding that is not a
//! pass (each once per offering, naming the classifications it applies to), placed on the claim
//! that decides it in `profile.yaml`, or on the rule's line when no claim does.
//!
//! `::error` for a block, `::warning` for hold, condition and warn, `::notice` for info and for
//! waived findings. Values are escaped as the Actions runner expects: `%`, CR and LF in the
//! message; also `:` and `,` in properties.

use super::sarif::{parse_place as place_of, place};
use super::{applies_to, merged, offerings};
use crate::outcome::Level;
use crate::outcome::{Evaluation, Finding};
use std::io::{self, Write};

/// Escapes a message (the text after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(f: &Finding) -> &'static str {
    if f.waived.is_some() {
        return "notice";
    }
    match f.level {
        Level::Block => "error",
        Level::Hold | Level::Condition | Level::Warn => "warning",
        Level::Info | Level::Pass => "notice",
    }
}

pub fn render(eval: &Evaluation, out: &mut dyn Write) -> io::Result<()> {
    for r in &eval.results {
        for e in &r.errors {
            let mut props = Vec::new();
            match place_of(&e.at) {
                Some(p) => {
                    props.push(format!("file={}", escape_property(&p.file)));
                    props.push(format!("line={}", p.line));
                    if let Some(c) = p.column {
                        props.push(format!("col={c}"));
                    }
                }
                None => props.push(format!("file={}", escape_property(&e.at))),
            }
            props.push(format!(
                "title={}",
                escape_property(&format!(
                    "rule {} failed ({}/{}, {})",
                    e.rule, r.vendor, r.offering, r.classification
                ))
            ));
            writeln!(
                out,
                "::error {}::{}",
                props.join(","),
                escape_data(&super::sanitize::clean(&e.message))
            )?;
        }
    }
    for o in offerings(eval) {
        for m in merged(&o.results, false) {
            let f = m.finding;
            let mut props = Vec::new();
            if let Some(p) = place(f) {
                props.push(format!("file={}", escape_property(&p.file)));
                props.push(format!("line={}", p.line));
                if let Some(c) = p.column {
                    props.push(format!("col={c}"));
                }
            }
            let at = applies_to(&m.classes, &eval.classifications);
            props.push(format!(
                "title={}",
                escape_property(&format!(
                    "{} {} ({}, {at})",
                    f.level.as_str(),
                    f.rule,
                    o.id()
                ))
            ));
            let mut message = super::sanitize::clean(&f.message).into_owned();
            if let Some(a) = f.action.as_deref().filter(|a| !a.is_empty()) {
                message.push_str("\n→ ");
                message.push_str(&super::sanitize::clean(a));
            }
            if let Some(w) = super::waiver_text(f) {
                message.push_str("\nWaived ");
                message.push_str(&super::sanitize::clean(&w));
            }
            writeln!(
                out,
                "::{} {}::{}",
                command(f),
                props.join(","),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50% of\r\nx"), "50%25 of%0D%0Ax");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
