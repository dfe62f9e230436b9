//! Normalisation and the word-level reading of text shared by quotes, cues and numbers (see
//! the parent module's documentation for what is folded and why).

use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Words that negate what follows; a quote that has one must match a passage that has it.
pub const NEGATIONS: &[&str] = &[
    "not", "no", "never", "without", "nor", "none", "neither", "cannot", "nothing", "nobody",
];

/// Normalises text for comparison (see the module documentation for what is folded).
pub fn normalize(text: &str) -> String {
    let text = html_escape::decode_html_entities(text);
    let text = fold_links(&text);
    let text = nfkc_keeping_numerals(&text);
    fold_chars(&text)
}

/// A link target that reads as an address, not as words: only such links are folded, so a
/// bracket pair around words (`](not)`) is never taken for a link.
fn is_link_target(target: &str) -> bool {
    !target.is_empty()
        && !target.chars().any(char::is_whitespace)
        && (target.contains("://")
            || target.starts_with("mailto:")
            || target.starts_with('/')
            || target.starts_with('#')
            || target.starts_with("./")
            || target.starts_with("../")
            || target.starts_with("www."))
}

/// `[text](target)` -> `text`, only where that whole form occurs on one line.
fn fold_links(text: &str) -> Cow<'_, str> {
    if !text.contains("](") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // The link text ends at the first `]` on the same line with no nested `[`.
        let folded = after
            .find([']', '[', '\n'])
            .filter(|&close| after[close..].starts_with("]("))
            .and_then(|close| {
                let target_start = close + 2;
                let target_len = after[target_start..].find([')', '\n'])?;
                let target = &after[target_start..target_start + target_len];
                (after[target_start + target_len..].starts_with(')') && is_link_target(target))
                    .then_some((close, target_start + target_len + 1))
            });
        match folded {
            Some((close, end)) => {
                out.push_str(&after[..close]);
                rest = &after[end..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// NFKC, except for numerals other than ASCII and full-width digits: "10²" must not read as
/// "102", nor "①" as "1".
fn nfkc_keeping_numerals(text: &str) -> String {
    let keep = |c: char| c.is_numeric() && !c.is_ascii_digit() && !('０'..='９').contains(&c);
    if text.is_ascii() {
        return text.to_string();
    }
    // Most lines are already in NFKC (curly quotes and dashes are): the quick check says so
    // without decomposing and recomposing every character. Line by line, since one no-break
    // space would otherwise send the whole document through; a line feed composes with
    // nothing and no mark reorders across it, so lines normalise on their own.
    let push_nfkc = |out: &mut String, run: &str| {
        for line in run.split_inclusive('\n') {
            if unicode_normalization::is_nfkc_quick(line.chars()) == IsNormalized::Yes {
                out.push_str(line);
            } else {
                out.extend(line.nfkc());
            }
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if keep(c) {
            push_nfkc(&mut out, &run);
            run.clear();
            out.push(c);
        } else {
            run.push(c);
        }
    }
    push_nfkc(&mut out, &run);
    out
}

fn fold_chars(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let mapped = match c {
            '\\' if next.is_ascii_punctuation() => None,
            '*' => None,
            '_' if !(prev.is_alphanumeric() && next.is_alphanumeric()) => None,
            '-' | '\u{2010}' | '\u{2011}' if prev.is_alphabetic() => {
                // A word broken at the end of a line ("infor-\nmation") is one word.
                let mut j = i + 1;
                while chars.get(j).is_some_and(|c| *c == ' ' || *c == '\t') {
                    j += 1;
                }
                if chars.get(j) == Some(&'\n') || chars.get(j) == Some(&'\r') {
                    while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                        j += 1;
                    }
                    if chars.get(j).is_some_and(|c| c.is_lowercase()) {
                        i = j;
                        continue;
                    }
                }
                Some('-')
            }
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' => Some('\''),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
            | '\u{00bb}' => Some('"'),
            '\u{2012}'..='\u{2015}' | '\u{2212}' => Some('-'),
            '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => None,
            c if c.is_whitespace() => {
                pending_space = !out.is_empty();
                None
            }
            c => Some(c),
        };
        if let Some(m) = mapped {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(m);
        }
        i += 1;
    }
    out
}

/// The form of a word used to index and compare words loosely: lowercase, without the
/// punctuation around it ("Data.)" -> "data").
pub fn word_key(token: &str) -> String {
    token
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Words of normalised text, for counting: tokens with at least one letter or digit.
pub fn word_count(normalized: &str) -> usize {
    normalized
        .split(' ')
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .count()
}

/// Lowercase words for cue matching: split on everything but letters, digits and apostrophes,
/// so "opt-out" reads as "opt out" and "won't" stays one word.
pub fn cue_words(text: &str) -> Vec<String> {
    normalize(text)
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `words` (from [`cue_words`]) contain `phrase` as consecutive whole words.
pub fn has_phrase(words: &[String], phrase: &str) -> bool {
    let wanted = cue_words(phrase);
    !wanted.is_empty() && words.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

/// Whether `words` contain a negation ("not", "never", "won't", ...).
pub fn has_negation(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't"))
}

/// The numbers a text states, as digits ("30", "1,000") or words ("thirty", "seventy-two").
/// Digits are whole runs: "730" is 730, never 30.
pub fn numbers(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let words = cue_words(text);
    let mut spelled: Option<u64> = None;
    let mut current: u64 = 0;
    let flush = |spelled: &mut Option<u64>, current: &mut u64, out: &mut Vec<u64>| {
        if let Some(total) = spelled.take() {
            out.push(total + *current);
        }
        *current = 0;
    };
    for w in &words {
        if let Some(v) = number_word(w) {
            let total = spelled.get_or_insert(0);
            match v {
                100 => current = current.max(1) * 100,
                1000 | 1_000_000 => {
                    *total += current.max(1) * v;
                    current = 0;
                }
                _ => current += v,
            }
        } else if w == "and" && spelled.is_some() {
            continue;
        } else {
            flush(&mut spelled, &mut current, &mut out);
        }
    }
    flush(&mut spelled, &mut current, &mut out);
    // Digit runs, with thousands separators ("1,000").
    let normalized = normalize(text);
    let mut run = String::new();
    let mut chars = normalized.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            run.push(c);
        } else if c == ',' && !run.is_empty() && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            continue;
        } else if !run.is_empty() {
            out.extend(run.parse::<u64>().ok());
            run.clear();
        }
    }
    out.extend(run.parse::<u64>().ok());
    out
}

/// The value of a number word ("zero" ... "ninety", "hundred", "thousand", "million").
pub(crate) fn number_word(w: &str) -> Option<u64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as u64);
    }
    if let Some(i) = TENS.iter().position(|t| *t == w) {
        return Some(20 + 10 * i as u64);
    }
    match w {
        "hundred" => Some(100),
        "thousand" => Some(1000),
        "million" => Some(1_000_000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the line-by-line quick check must equal: NFKC of each run between kept numerals.
    fn whole_runs(text: &str) -> String {
        let keep = |c: char| c.is_numeric() && !c.is_ascii_digit() && !('０'..='９').contains(&c);
        let mut out = String::new();
        let mut run = String::new();
        for c in text.chars() {
            if keep(c) {
                out.extend(run.nfkc());
                run.clear();
                out.push(c);
            } else {
                run.push(c);
            }
        }
        out.extend(run.nfkc());
        out
    }

    #[test]
    fn line_by_line_normalisation_equals_the_whole_text_normalised() {
        // Marks after a line feed, composable pairs split by one, compatibility forms,
        // no-break spaces, Hangul jamo, kept numerals: every pair and triple of these.
        let pieces = [
            "\n", "e", "\u{301}", "\u{327}", "\u{a0}", "ﬁ", "²", "①", "\u{1100}", "\u{1161}",
            "\u{11a8}", "Å", "A\u{30a}", "’", "x", "１", "\u{2126}",
        ];
        let mut tried = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(nfkc_keeping_numerals(&text), whole_runs(&text), "{text:?}");
                    tried += 1;
                }
            }
        }
        assert_eq!(tried, pieces.len().pow(3));
        assert_eq!(
            nfkc_keeping_numerals("ﬁle\ne\u{301}\u{a0}10²"),
            "file\né 10²"
        );
    }
}
