//! Output formats. Each renders the format-neutral [`Evaluation`] into bytes; the CLI decides
//! where they go (stdout, or a file written atomically).

pub mod json;
pub mod table;

use crate::evaluation::{Evaluation, Finding};

/// Options shared by the human formats.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Colour the verdicts (terminal only).
    pub color: bool,
    /// Width to fit the terminal table into.
    pub width: Option<u16>,
    /// Show `pass` findings too.
    pub verbose: bool,
}

/// "API Terms §2.3.3" for the claims that decide the facts a finding cites.
pub fn citation(f: &Finding) -> String {
    let mut cites: Vec<String> = Vec::new();
    for e in f
        .evidence
        .iter()
        .filter(|e| matches!(e.role.as_str(), "decides" | "conflicts"))
    {
        let doc = e
            .title
            .clone()
            .or_else(|| e.source.clone())
            .unwrap_or_else(|| "unsupported value".to_string());
        let cite = match &e.section {
            Some(s) => format!("{doc} §{s}"),
            None => doc,
        };
        if !cites.contains(&cite) {
            cites.push(cite);
        }
    }
    cites.join("; ")
}

/// Offerings in output order, each with its results (one per classification).
pub fn by_offering(
    eval: &Evaluation,
) -> Vec<(&str, &str, Vec<&crate::evaluation::OfferingResult>)> {
    let mut out: Vec<(&str, &str, Vec<&crate::evaluation::OfferingResult>)> = Vec::new();
    for r in &eval.results {
        match out.last_mut() {
            Some((v, o, rs)) if *v == r.vendor && *o == r.offering => rs.push(r),
            _ => out.push((&r.vendor, &r.offering, vec![r])),
        }
    }
    out
}
