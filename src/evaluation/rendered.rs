//! Results and notes handed over already rendered, in the form one command writes them.
//!
//! A warm run over a large portfolio reads nearly every vendor from the results cache. Decoding
//! each entry into results, and rendering them again, cost most of such a run: so a command that
//! only writes them (`evaluate --format jsonl`, `check`) asks the stream for its [`Form`], and
//! each offering then reaches it as a [`Rendered`]: its jsonl line as written, and the little
//! the command decides on besides (each cell's verdict and driving rules for `--fail-on`, the
//! waived rules for `check`'s unused waivers, what the rules wrote for the run's text budget).
//! Each vendor's notes (problems, unverified quotes) likewise reach it as [`Note`]s, rendered
//! as the command shows them. The cache stores these bytes and a hit copies them.
//!
//! Every vendor of such a run takes this path, read from its folder or from the cache, so the
//! output does not depend on which vendors were cached; a run without a cache takes the
//! results themselves, and the tests compare the two.

use super::budget::Tally;
use crate::diag::{Code, Diagnostic};
use crate::outcome::{OfferingResult, Verdict};
use std::path::Path;

/// What a command takes of each offering and vendor it is handed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Form {
    /// The results themselves (every command takes them).
    Results,
    /// `evaluate --format jsonl` in contract version 3: each offering's line as written, the
    /// notes as printed on stderr.
    JsonlV3,
    /// `check`: the notes as its spill keeps them (`drafts`: draft claims are errors).
    Check { drafts: bool },
}

impl Form {
    /// What the results cache keys the form on: entries of one form are never read by another.
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Form::Results => "results",
            Form::JsonlV3 => "jsonl, contract version 3",
            Form::Check { drafts: false } => "check",
            Form::Check { drafts: true } => "check --fail-on-drafts",
        }
    }
}

/// A note of reading a vendor (a problem, an unverified quote, a superseded citation), rendered
/// as the command shows it, with what it filters and sorts notes on.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Note {
    pub(crate) code: Option<Code>,
    pub(crate) error: bool,
    pub(crate) file: Option<String>,
    pub(crate) line: u32,
    pub(crate) column: u32,
    /// `JsonlV3`: the diagnostic as printed on stderr (cleaned), with its newline; `Check`: its
    /// JSON.
    pub(crate) bytes: Vec<u8>,
    /// `Check`: the diagnostic as printed on stderr (cleaned), with its newline.
    pub(crate) text: Vec<u8>,
}

impl Note {
    /// `d` as `form` shows it (its snippet read from the workspace at `root`).
    pub(crate) fn of(d: &Diagnostic, form: Form, root: &Path) -> Note {
        let text = printed(d, root);
        let (bytes, text) = match form {
            Form::Check { .. } => (serde_json::to_vec(d).unwrap_or_default(), text),
            _ => (text, Vec::new()),
        };
        Note {
            code: d.code,
            error: d.is_error(),
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            bytes,
            text,
        }
    }

    /// Whether `--quiet-warnings` silences it (as [`Diagnostic::is_quieted`]).
    pub(crate) fn is_quieted(&self, quiet: &[Code]) -> bool {
        !self.error && self.code.is_some_and(|c| quiet.contains(&c))
    }
}

/// `d` as printed on stderr (its snippet read from the workspace at `root`), with its newline,
/// cleaned as stderr's writer cleans it: character by character, so that diagnostics cleaned
/// one by one are the text cleaned whole, and a hit writes the bytes as they are.
pub(crate) fn printed(d: &Diagnostic, root: &Path) -> Vec<u8> {
    let text = format!("{}\n", d.render(Some(root)));
    crate::report::sanitize::clean(&text)
        .into_owned()
        .into_bytes()
}

/// The notes of vendors read, rendered, each list in workspace order.
#[derive(Default, Debug, Clone, PartialEq)]
pub struct Notes {
    pub(crate) problems: Vec<Note>,
    pub(crate) unverified: Vec<Note>,
    pub(crate) superseded: Vec<Note>,
}

impl Notes {
    /// A vendor's notes as `form` shows them: `evaluate` shows an unverified quote as a
    /// warning; `check` shows it as it is, or a draft claim as an error with `--fail-on-drafts`.
    pub(crate) fn of(
        problems: &[Diagnostic],
        unverified: &[Diagnostic],
        superseded: &[Diagnostic],
        form: Form,
        root: &Path,
    ) -> Notes {
        let note = |d: &Diagnostic| Note::of(d, form, root);
        let unverified = unverified
            .iter()
            .map(|d| match form {
                Form::Check { drafts: true } if d.code == Some(Code::DraftClaim) => {
                    note(&d.clone().into_error())
                }
                Form::Check { .. } => note(d),
                _ => note(&d.clone().into_warning()),
            })
            .collect();
        Notes {
            problems: problems.iter().map(note).collect(),
            unverified,
            superseded: superseded.iter().map(note).collect(),
        }
    }

    pub(crate) fn extend(&mut self, other: Notes) {
        self.problems.extend(other.problems);
        self.unverified.extend(other.unverified);
        self.superseded.extend(other.superseded);
    }
}

/// One offering's results of one request (one per classification), as the command takes them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rendered {
    pub(crate) vendor: String,
    pub(crate) offering: String,
    pub(crate) cells: Vec<Cell>,
    /// `JsonlV3`: the offering's line as written, with its newline.
    pub(crate) line: Option<Vec<u8>>,
    /// What the rules wrote in these results, for the run's text budget.
    pub(crate) tally: Tally,
}

/// One result's verdict and what a command decides on besides.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Cell {
    pub(crate) classification: String,
    pub(crate) verdict: Verdict,
    /// The rules of the findings that drive the verdict, each once (`--fail-on`'s line).
    pub(crate) driving: Vec<String>,
    /// The rules of its waived findings, each once (which waivers matched).
    pub(crate) waived: Vec<String>,
}

impl Rendered {
    /// An offering's results (consecutive, of one offering, at least one) in `form`; None when
    /// its line cannot be rendered (the command is then handed the results, and says why).
    pub(crate) fn of(
        results: &[OfferingResult],
        form: Form,
        rules: &crate::engine::RuleSet,
    ) -> Option<Rendered> {
        let first = results.first()?;
        let line = match form {
            Form::JsonlV3 => {
                let line = crate::report::json::offering_line(results, None).ok()?;
                // Most lines need no escape: kept as rendered, not copied.
                let mut bytes = match crate::report::sanitize::json_text(&line) {
                    std::borrow::Cow::Borrowed(_) => line,
                    std::borrow::Cow::Owned(escaped) => escaped,
                };
                bytes.push('\n');
                Some(bytes.into_bytes())
            }
            _ => None,
        };
        let mut tally = Tally::default();
        let mut cells = Vec::with_capacity(results.len());
        for r in results {
            tally.count(r, rules);
            let mut driving: Vec<String> = Vec::new();
            for f in crate::outcome::driving(r) {
                if !driving.contains(&f.rule) {
                    driving.push(f.rule.clone());
                }
            }
            let mut waived: Vec<String> = Vec::new();
            for f in r.findings.iter().filter(|f| f.waived.is_some()) {
                if !waived.contains(&f.rule) {
                    waived.push(f.rule.clone());
                }
            }
            cells.push(Cell {
                classification: r.classification.clone(),
                verdict: r.verdict,
                driving,
                waived,
            });
        }
        Some(Rendered {
            vendor: first.vendor.clone(),
            offering: first.offering.clone(),
            cells,
            line,
            tally,
        })
    }
}

/// Verdicts as stored: by their place here.
const VERDICTS: [Verdict; 5] = [
    Verdict::Go,
    Verdict::Conditional,
    Verdict::Hold,
    Verdict::NoGo,
    Verdict::Error,
];

/// Writes the stored form of rendered things: length-prefixed fields, little-endian.
#[derive(Default)]
pub(crate) struct Out(pub(crate) Vec<u8>);

impl Out {
    pub(crate) fn u32(&mut self, n: u32) -> &mut Self {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }

    pub(crate) fn u64(&mut self, n: u64) -> &mut Self {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }

    pub(crate) fn len(&mut self, n: usize) -> &mut Self {
        self.u64(n as u64)
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.len(b.len());
        self.0.extend_from_slice(b);
        self
    }

    pub(crate) fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    pub(crate) fn opt_str(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.u32(1).str(s),
            None => self.u32(0),
        }
    }

    fn strs(&mut self, items: &[String]) -> &mut Self {
        self.len(items.len());
        items.iter().for_each(|s| {
            self.str(s);
        });
        self
    }

    pub(crate) fn notes(&mut self, notes: &[Note]) -> &mut Self {
        self.len(notes.len());
        for n in notes {
            self.opt_str(n.code.map(Code::as_str))
                .u32(u32::from(n.error))
                .opt_str(n.file.as_deref())
                .u32(n.line)
                .u32(n.column)
                .bytes(&n.bytes)
                .bytes(&n.text);
        }
        self
    }

    pub(crate) fn rendered(&mut self, r: &Rendered) -> &mut Self {
        self.str(&r.vendor).str(&r.offering).len(r.cells.len());
        for c in &r.cells {
            let verdict = VERDICTS.iter().position(|v| *v == c.verdict);
            self.str(&c.classification)
                .len(verdict.unwrap_or(usize::MAX))
                .strs(&c.driving)
                .strs(&c.waived);
        }
        match &r.line {
            Some(line) => self.u32(1).bytes(line),
            None => self.u32(0),
        };
        let entries = r.tally.entries();
        self.len(entries.len());
        for (rule, file, bytes, line) in entries {
            self.str(rule).str(file).len(bytes).u32(line);
        }
        self
    }
}

/// Reads what [`Out`] wrote; None on any mismatch (never trusted: the entry is then a miss).
pub(crate) struct In<'a>(pub(crate) &'a [u8]);

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    pub(crate) fn len(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    /// A count of items each at least `min` bytes long: never more than the bytes left hold
    /// (a forged count must not make a huge allocation).
    pub(crate) fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.len()?;
        (n.saturating_mul(min.max(1)) <= self.0.len()).then_some(n)
    }

    pub(crate) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }

    pub(crate) fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    pub(crate) fn opt_string(&mut self) -> Option<Option<String>> {
        match self.u32()? {
            0 => Some(None),
            1 => Some(Some(self.string()?)),
            _ => None,
        }
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.count(8)?;
        (0..n).map(|_| self.string()).collect()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn notes(&mut self) -> Option<Vec<Note>> {
        let n = self.count(44)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let code = match self.opt_string()? {
                Some(name) => Some(*Code::ALL.iter().find(|c| c.as_str() == name)?),
                None => None,
            };
            let error = match self.u32()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            out.push(Note {
                code,
                error,
                file: self.opt_string()?,
                line: self.u32()?,
                column: self.u32()?,
                bytes: self.bytes()?.to_vec(),
                text: self.bytes()?.to_vec(),
            });
        }
        Some(out)
    }

    pub(crate) fn rendered(&mut self) -> Option<Rendered> {
        let vendor = self.string()?;
        let offering = self.string()?;
        let n = self.count(32)?;
        let mut cells = Vec::with_capacity(n);
        for _ in 0..n {
            cells.push(Cell {
                classification: self.string()?,
                verdict: *VERDICTS.get(self.len()?)?,
                driving: self.strings()?,
                waived: self.strings()?,
            });
        }
        let line = match self.u32()? {
            0 => None,
            1 => Some(self.bytes()?.to_vec()),
            _ => return None,
        };
        let n = self.count(28)?;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            entries.push((self.string()?, self.string()?, self.len()?, self.u32()?));
        }
        Some(Rendered {
            vendor,
            offering,
            cells,
            line,
            tally: Tally::from_entries(entries),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered() -> Rendered {
        let mut tally = Tally::default();
        tally.add(Tally::from_entries(vec![(
            "dpa-required".into(),
            "scripts/dpa-required.rhai".into(),
            120,
            7,
        )]));
        Rendered {
            vendor: "example".into(),
            offering: "api".into(),
            cells: vec![Cell {
                classification: "confidential".into(),
                verdict: Verdict::Hold,
                driving: vec!["dpa-required".into()],
                waived: vec![],
            }],
            line: Some(b"{\"vendor\":\"example\"}\n".to_vec()),
            tally,
        }
    }

    #[test]
    fn rendered_offerings_and_notes_read_back_as_written() {
        let note = Note {
            code: Some(Code::DraftClaim),
            error: true,
            file: Some("vendors/example/profile.yaml".into()),
            line: 3,
            column: 5,
            bytes: b"{\"message\":\"a draft\"}".to_vec(),
            text: b"error: a draft\n".to_vec(),
        };
        let mut out = Out::default();
        out.rendered(&rendered()).notes(std::slice::from_ref(&note));
        let mut input = In(&out.0);
        assert_eq!(input.rendered(), Some(rendered()));
        assert_eq!(input.notes(), Some(vec![note]));
        assert!(input.is_empty());
        // Cut anywhere, the bytes never read as a whole offering.
        for cut in 0..out.0.len() {
            let mut input = In(&out.0[..cut]);
            let whole = input.rendered().is_some() && input.notes().is_some();
            assert!(!whole, "read whole from {cut} of {} bytes", out.0.len());
        }
    }
}
