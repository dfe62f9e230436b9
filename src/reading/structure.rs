//! A Markdown document split into clauses: sentences of paragraphs, list items and table cells,
//! each with the clause number and heading in force where it stands.

/// One clause, its text as it stands in the document (so that it verifies as a quote).
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub text: String,
    /// The clause number in force ("4.2"), from the clause itself or the last one above it.
    pub section: Option<String>,
    /// The last heading above it, without `#` marks.
    pub heading: Option<String>,
    /// Position in the document (for ties: earlier first).
    pub index: usize,
}

/// The clause number a line starts with, after heading marks and emphasis: "4.2", "12", "3.1.4".
pub fn clause_number(line: &str) -> Option<String> {
    let t =
        line.trim_start_matches(|c: char| c == '#' || c == '*' || c == '_' || c.is_whitespace());
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '\\'))
        .map_or(t.len(), |(i, _)| i);
    let num: String = t[..end].chars().filter(|c| *c != '\\').collect();
    let num = num.trim_end_matches('.');
    let rest = &t[end..];
    // "2026" alone or "30 days" are not clause numbers: a number has a dot (or stands in a
    // heading), short parts, and is followed by a space or emphasis.
    let ok = !num.is_empty()
        && num.len() <= 12
        && num.split('.').all(|p| !p.is_empty() && p.len() <= 3)
        && (num.contains('.') || line.trim_start().starts_with('#'))
        && rest.starts_with([' ', '*']);
    ok.then(|| num.to_string())
}

pub(crate) fn heading_text(line: &str) -> Option<String> {
    let t = line.trim_start();
    let rest = t.trim_start_matches('#');
    (t.starts_with('#') && (rest.starts_with(' ') || rest.is_empty()))
        .then(|| rest.replace(['*', '\\'], "").trim().to_string())
}

/// List markers (`- `, `* `, `1. `, `(a) `) are not part of a list item's text.
pub(crate) fn strip_list_marker(line: &str) -> &str {
    let t = line.trim_start();
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return rest.trim_start();
        }
    }
    t
}

const ABBREVIATIONS: [&str; 16] = [
    "e.g", "i.e", "etc", "inc", "ltd", "no", "sec", "vs", "u.s", "art", "para", "co", "corp", "cf",
    "approx", "st",
];

/// Splits a paragraph into sentences: after `.`, `?`, `!` or `;` followed by a space and a
/// capital letter, a digit, a quote or a bracket, unless the word before is an abbreviation or
/// a clause number.
pub fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '?' | '!' | ';') {
            continue;
        }
        // Closing emphasis or quotes right after the stop belong to this sentence.
        let mut j = k + 1;
        while j < chars.len() && matches!(chars[j].1, '*' | '_' | '"' | '\u{201d}' | ')') {
            j += 1;
        }
        if j >= chars.len() || !chars[j].1.is_whitespace() {
            continue;
        }
        let mut n = j;
        while n < chars.len() && chars[n].1.is_whitespace() {
            n += 1;
        }
        let Some(&(_, next)) = chars.get(n) else {
            continue;
        };
        let opens = next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '*' | '"' | '\u{201c}' | '(' | '[' | '_');
        if !opens {
            continue;
        }
        let word: String = text[start..i]
            .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
            .next()
            .unwrap_or("")
            .trim_matches(|ch: char| ch == '*' || ch == '_')
            .to_ascii_lowercase();
        // A clause number opening the sentence ("12.3. If ...") stays with it; a number that
        // ends one ("... see Section 4.3. It ...") does not.
        let is_number = !word.is_empty()
            && word.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
            && text[start..i].trim_matches(|ch: char| ch == '*' || ch.is_whitespace()) == word;
        if c == '.' && (ABBREVIATIONS.contains(&word.as_str()) || is_number || word.len() == 1) {
            continue;
        }
        let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
        let s = text[start..end].trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
        start = chars[n].0;
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
    out
}

/// Splits a Markdown document into clauses.
pub fn split(markdown: &str) -> Vec<Clause> {
    let mut clauses = Vec::new();
    let mut section: Option<String> = None;
    let mut heading: Option<String> = None;
    let mut paragraph: Vec<String> = Vec::new();
    let flush = |paragraph: &mut Vec<String>,
                 section: &mut Option<String>,
                 heading: &Option<String>,
                 clauses: &mut Vec<Clause>| {
        if paragraph.is_empty() {
            return;
        }
        let text = paragraph.join(" ");
        paragraph.clear();
        if let Some(n) = clause_number(&text) {
            *section = Some(n);
        }
        for s in sentences(&text) {
            clauses.push(Clause {
                index: clauses.len(),
                text: s,
                section: section.clone(),
                heading: heading.clone(),
            });
        }
    };
    for line in markdown.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut paragraph, &mut section, &heading, &mut clauses);
            continue;
        }
        if let Some(h) = heading_text(t) {
            flush(&mut paragraph, &mut section, &heading, &mut clauses);
            if let Some(n) = clause_number(t) {
                section = Some(n);
            }
            heading = Some(h);
            continue;
        }
        if t.starts_with('|') {
            flush(&mut paragraph, &mut section, &heading, &mut clauses);
            for cell in t.trim_matches('|').split('|') {
                let cell = cell.trim();
                if cell.chars().all(|c| matches!(c, '-' | ':' | ' ')) {
                    continue;
                }
                clauses.push(Clause {
                    index: clauses.len(),
                    text: cell.to_string(),
                    section: section.clone(),
                    heading: heading.clone(),
                });
            }
            continue;
        }
        let item = strip_list_marker(t);
        if item.len() != t.len() {
            // A new list item starts a new paragraph.
            flush(&mut paragraph, &mut section, &heading, &mut clauses);
        }
        paragraph.push(item.to_string());
    }
    flush(&mut paragraph, &mut section, &heading, &mut clauses);
    clauses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_numbers_are_read_from_headings_and_lines() {
        assert_eq!(clause_number("## 4\\. Data"), Some("4".into()));
        assert_eq!(clause_number("**4.2 Training.** Acme"), Some("4.2".into()));
        assert_eq!(clause_number("12.3. If Customer"), Some("12.3".into()));
        assert_eq!(clause_number("30 days after notice"), None);
        assert_eq!(clause_number("2026 terms"), None);
    }

    #[test]
    fn sentences_split_at_stops_but_not_abbreviations_or_numbers() {
        assert_eq!(
            sentences(
                "**4.2 Training.** Acme will not, e.g. by default, train. See Section 4.3. It ends"
            ),
            [
                "**4.2 Training.**",
                "Acme will not, e.g. by default, train.",
                "See Section 4.3.",
                "It ends"
            ]
        );
    }

    #[test]
    fn documents_split_into_clauses_with_their_sections() {
        let doc = "# Terms\n\n## 4. Data\n\n4.1 Scope. We keep\nlogs for 30 days.\n\n- Item one is here.\n- Item two.\n\n| Data | Days |\n|---|---|\n| Logs | 30 |\n";
        let c = split(doc);
        let texts: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "4.1 Scope.",
                "We keep logs for 30 days.",
                "Item one is here.",
                "Item two.",
                "Data",
                "Days",
                "Logs",
                "30"
            ]
        );
        assert_eq!(c[1].section.as_deref(), Some("4.1"));
        assert_eq!(c[1].heading.as_deref(), Some("4. Data"));
    }
}
