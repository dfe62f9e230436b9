//! The one sanitizer every human-readable output passes through (tables, Markdown, HTML, CSV,
//! JUnit, GitHub annotations, briefs, questionnaires, `explain`, `diff`, `test`, `refresh` and
//! the diagnostics on stderr), applied inside each format's writer: a profile, policy or rule must not
//! be able to send escape sequences to a terminal (clear the screen, recolour, retitle the
//! window, hide text) or reorder what a reader sees with bidirectional overrides.
//!
//! Control characters other than newline and tab become their visible Unicode pictures
//! (ESC -> ␛), other C1 controls become `?`, and bidi embedding, override and isolate marks
//! become `<U+202E>`-style text. The JSON formats (JSON, JSONL, SARIF) carry data as it is, with
//! bidi marks written as `\u202e`-style escapes ([`json_text`]; serializers escape control
//! characters); workbooks escape control characters themselves.

use crate::outcome::{Evaluation, OfferingResult};
use std::io::{self, Write};

/// Bidirectional formatting characters: embeddings, overrides and isolates (and the Arabic
/// letter mark), the "Trojan Source" characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// Whether `text` needs no cleaning.
fn is_clean(text: &str) -> bool {
    !text
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c))
}

/// `text` with control and bidi characters made visible.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    clean_marking(text, false)
}

/// [`clean`] for HTML already rendered: a bidi mark's `<U+202E>` is written `&lt;U+202E&gt;`,
/// which reads the same in text and in an attribute, where `<U+202E>` would be parsed as a tag
/// and the mark would vanish from the page.
pub fn clean_html(text: &str) -> std::borrow::Cow<'_, str> {
    clean_marking(text, true)
}

fn clean_marking(text: &str, html: bool) -> std::borrow::Cow<'_, str> {
    if is_clean(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('␡'),
            c if c.is_control() => out.push('?'),
            c if is_bidi_control(c) && html => out.push_str(&format!("&lt;U+{:04X}&gt;", c as u32)),
            c if is_bidi_control(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// JSON text with each bidi control written as its `\uXXXX` escape: the same data for any
/// JSON reader, and nothing that reorders what a terminal or an editor shows. (Serializers
/// already escape control characters.)
pub fn json_text(text: &str) -> std::borrow::Cow<'_, str> {
    // Every bidi control is encoded in UTF-8 from a lead byte 0xD8 (U+061C) or 0xE2 (the
    // others): a line without either byte has none, and is not decoded char by char.
    if memchr::memchr2(0xD8, 0xE2, text.as_bytes()).is_none() || !text.chars().any(is_bidi_control)
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The evaluation with every text cleaned, for formats that clean their content rather than
/// their output (the table adds its own colours; XML and CSV have their own escapes).
pub fn clean_evaluation(eval: &Evaluation) -> Evaluation {
    let mut e = eval.clone();
    let fix = |s: &mut String| *s = clean(s).into_owned();
    fix(&mut e.policy);
    fix(&mut e.organization);
    e.classifications.iter_mut().for_each(fix);
    for w in &mut e.warnings {
        fix(&mut w.message);
        fix_opt(&mut w.file);
    }
    e.results.iter_mut().for_each(clean_result);
    e
}

fn fix_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        *s = clean(s).into_owned();
    }
}

/// One result with every text cleaned (see [`clean_evaluation`]).
pub fn clean_result(r: &mut OfferingResult) {
    let fix = |s: &mut String| *s = clean(s).into_owned();
    for s in [
        &mut r.vendor,
        &mut r.vendor_name,
        &mut r.offering,
        &mut r.offering_name,
        &mut r.tier,
        &mut r.classification,
    ] {
        fix(s);
    }
    fix_opt(&mut r.vendor_notes);
    fix_opt(&mut r.offering_notes);
    r.tags.iter_mut().for_each(fix);
    for f in &mut r.findings {
        fix(&mut f.rule);
        fix(&mut f.message);
        fix_opt(&mut f.action);
        if f.refs.iter().any(|r| clean(r) != r.as_str()) {
            f.refs = f.refs.iter().map(|r| clean(r).into_owned()).collect();
        }
        if let Some(w) = &mut f.waived {
            fix(&mut w.reason);
            fix(&mut w.approved_by);
            fix(&mut w.expires);
        }
        for ev in &mut f.evidence {
            let ev = std::sync::Arc::make_mut(ev);
            fix_opt(&mut ev.source);
            fix_opt(&mut ev.title);
            fix_opt(&mut ev.section);
            fix_opt(&mut ev.quote);
        }
    }
    for e in &mut r.errors {
        fix(&mut e.message);
    }
}

/// A writer that cleans what passes through it. Bytes that are not UTF-8 become U+FFFD; a
/// character split across two writes is held back until it is complete.
pub struct Sanitizer<W: Write> {
    inner: W,
    pending: Vec<u8>,
    /// What is done to the text: [`clean`], or [`json_text`] for JSON written as it is
    /// rendered.
    map: fn(&str) -> std::borrow::Cow<'_, str>,
}

impl<W: Write> Sanitizer<W> {
    pub fn new(inner: W) -> Self {
        Sanitizer {
            inner,
            pending: Vec::new(),
            map: clean,
        }
    }

    /// A writer of HTML that cleans as [`clean_html`] does.
    pub fn html(inner: W) -> Self {
        Sanitizer {
            map: clean_html,
            ..Sanitizer::new(inner)
        }
    }

    /// A writer of JSON text that escapes bidi marks as [`json_text`] does, as it goes.
    pub fn json(inner: W) -> Self {
        Sanitizer {
            map: json_text,
            ..Sanitizer::new(inner)
        }
    }

    /// Flushes what is held back (an incomplete character becomes U+FFFD) and returns the
    /// inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.pending.is_empty() {
            let rest = String::from_utf8_lossy(&self.pending).into_owned();
            self.pending.clear();
            self.inner.write_all((self.map)(&rest).as_bytes())?;
        }
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for Sanitizer<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut text = String::new();
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    text.push_str(valid);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        // Invalid bytes: replace them and go on.
                        Some(n) => {
                            text.push('\u{FFFD}');
                            rest = &after[n..];
                        }
                        // An incomplete character at the end: keep it for the next write.
                        None => {
                            rest = after;
                            break;
                        }
                    }
                }
            }
        }
        let held = rest.to_vec();
        self.inner.write_all((self.map)(&text).as_bytes())?;
        self.pending = held;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `bytes` cleaned, for outputs built whole before they are written.
pub fn clean_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut s = Sanitizer::new(Vec::with_capacity(bytes.len()));
    // Writing into a Vec cannot fail.
    let _ = s.write_all(bytes);
    s.finish().unwrap_or_default()
}

/// HTML `bytes` cleaned as [`clean_html`] does, for pages built whole.
pub fn clean_html_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut s = Sanitizer::html(Vec::with_capacity(bytes.len()));
    // Writing into a Vec cannot fail.
    let _ = s.write_all(bytes);
    s.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_but_keeps_text() {
        assert_eq!(clean("plain — text\n\tok"), "plain — text\n\tok");
        assert_eq!(clean("\u{1b}[2Jboom"), "␛[2Jboom");
        assert_eq!(clean("a\u{202E}gnp.exe"), "a<U+202E>gnp.exe");
        assert_eq!(clean("bell\u{7}\u{9b}"), "bell␇?");
    }

    #[test]
    fn json_text_escapes_every_bidi_control_and_only_those() {
        // Every character up to the supplementary planes: its lead byte is not what decides.
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let out = json_text(&text);
            if is_bidi_control(c) {
                assert_eq!(out, format!("a\\u{:04x}b", c as u32), "U+{:04X}", c as u32);
            } else {
                assert_eq!(out, text, "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn in_html_a_bidi_mark_is_shown_as_escaped_text_not_a_tag() {
        assert_eq!(clean_html("a\u{202E}gnp.exe"), "a&lt;U+202E&gt;gnp.exe");
        assert_eq!(clean_html("<b>\u{1b}x</b>"), "<b>␛x</b>");
        let page = clean_html_bytes("<td title=\"\u{2066}x\">\u{202E}y</td>".as_bytes());
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<td title=\"&lt;U+2066&gt;x\">&lt;U+202E&gt;y</td>"
        );
    }

    #[test]
    fn a_character_split_across_writes_survives() {
        let mut s = Sanitizer::new(Vec::new());
        let bytes = "é\u{1b}".as_bytes();
        s.write_all(&bytes[..1]).unwrap();
        s.write_all(&bytes[1..]).unwrap();
        assert_eq!(String::from_utf8(s.finish().unwrap()).unwrap(), "é␛");
    }

    #[test]
    fn invalid_utf8_becomes_replacement() {
        assert_eq!(clean_bytes(b"a\xffb"), "a\u{FFFD}b".as_bytes());
    }
}
