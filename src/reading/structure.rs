//! A Markdown document split into clauses: sentences of paragraphs, list items and table cells,
//! each with the clause number and heading in force where it stands.
//!
//! Numbers come from headings ("## 4. Data"), numbered paragraphs ("4.2 Training."), sentences
//! that open with a number inside a paragraph ("... ends. 4.4 Acme will ...", "Section 13.10
//! ..."), which is how a document captured as one long line keeps its sections, and lettered
//! sub-items ("(c) ...", "b. ...") joined to their paragraph ("16.13.c"). The numbers are this
//! document's own: nothing is carried over from one document to the next.

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
    /// For a list item or lettered sub-item: the sentence that introduces the list ("Customer
    /// will not:"), which a list item needs to be read whole.
    pub lead: Option<String>,
}

impl Clause {
    /// The clause as it reads with its lead-in ("Customer will not: (c) include ...").
    pub fn in_full(&self) -> String {
        match &self.lead {
            Some(lead) => format!("{lead} {}", self.text),
            None => self.text.clone(),
        }
    }
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

/// The clause number a sentence opens with inside a paragraph: "4.4 Acme ...", "**13.10.**
/// ...", "Section 13.10 ...", "Article 5 ..." (a number alone must have a dot unless a word
/// such as "Section" names it).
pub fn inline_number(sentence: &str) -> Option<String> {
    let t = sentence.trim_start_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    for word in [
        "Section ", "SECTION ", "Article ", "ARTICLE ", "Clause ", "CLAUSE ",
    ] {
        if let Some(rest) = t.strip_prefix(word) {
            let end = rest
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
                .map_or(rest.len(), |(i, _)| i);
            let num = rest[..end].trim_end_matches('.');
            let valid = !num.is_empty()
                && num.split('.').all(|p| !p.is_empty() && p.len() <= 3)
                && rest[end..].starts_with([' ', '*', ':']);
            return valid.then(|| num.to_string());
        }
    }
    // "**5\\. Prohibitions**": a bold paragraph number, a single number with its dot.
    if sentence.trim_start().starts_with("**") {
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let rest = t[digits..].trim_start_matches('\\');
        let after = rest.strip_prefix('.');
        if (1..=2).contains(&digits)
            && after.is_some_and(|a| a.is_empty() || a.starts_with([' ', '*']))
        {
            return Some(t[..digits].to_string());
        }
    }
    clause_number(t)
}

/// The letter or roman numeral a sub-item opens with: "(c) ", "c. ", "c) ", "(iv) ".
pub fn sub_item(text: &str) -> Option<String> {
    let t = text.trim_start_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let (inner, rest) = if let Some(r) = t.strip_prefix('(') {
        let close = r.find(')')?;
        (&r[..close], &r[close + 1..])
    } else {
        let end = t.find(['.', ')'])?;
        (&t[..end], &t[end + 1..])
    };
    let letters = !inner.is_empty()
        && inner.len() <= 4
        && inner.chars().all(|c| c.is_ascii_lowercase())
        && (inner.len() == 1 || inner.chars().all(|c| matches!(c, 'i' | 'v' | 'x')));
    (letters && rest.starts_with(' ')).then(|| inner.to_string())
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
        // A lettered item ("b. If ...") opens a sentence too: in a document captured as one
        // line, list items follow each other in running text.
        let opens = next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '*' | '"' | '\u{201c}' | '(' | '[' | '_')
            || sub_item(&text[chars[n].0..]).is_some();
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
        // "Section 6. b. If ...": a one-digit reference may end a sentence before an item.
        let item_follows =
            word.chars().all(|ch| ch.is_ascii_digit()) && sub_item(&text[chars[n].0..]).is_some();
        if c == '.'
            && (ABBREVIATIONS.contains(&word.as_str())
                || is_number
                || (word.len() == 1 && !item_follows))
        {
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

/// The numbering in force while a document is read.
#[derive(Default)]
struct Numbering {
    /// The last clause number ("4.2").
    base: Option<String>,
    /// The lettered sub-item under it ("c"), until the next number.
    sub: Option<String>,
}

impl Numbering {
    fn set(&mut self, n: String) {
        self.base = Some(n);
        self.sub = None;
    }
    fn current(&self) -> Option<String> {
        match (&self.base, &self.sub) {
            (Some(b), Some(s)) => Some(format!("{b}.{s}")),
            (b, _) => b.clone(),
        }
    }
}

/// The paragraph being read and the list it may belong to.
struct Reader {
    clauses: Vec<Clause>,
    numbering: Numbering,
    heading: Option<String>,
    paragraph: Vec<String>,
    /// The paragraph is a list item (a marker or a letter opened it).
    item: bool,
    /// The sentence introducing the current list, if the paragraph before ended with ':'.
    lead: Option<String>,
}

impl Reader {
    fn push(&mut self, text: String, lead: Option<String>) {
        self.clauses.push(Clause {
            index: self.clauses.len(),
            text,
            section: self.numbering.current(),
            heading: self.heading.clone(),
            lead,
        });
    }

    /// A table cell is one clause, read with the cell's lead-in; but a line of it that is a
    /// list item (the archive writes a cell's line breaks as `<br>`: "For example: <br>\\-
    /// Location data shared via chat is deleted after 72 hours") is a clause of its own, read
    /// with the cell's lead-in and the line before it when that one ends with a colon.
    fn push_cell(&mut self, cell: &str, lead: Option<String>) {
        let lines = cell_lines(cell);
        if lines.iter().all(|l| l.item.is_none()) {
            self.push(cell.to_string(), lead);
            return;
        }
        // Lines that are not list items stay together, as written (their `<br>`s kept), so
        // that the clause is the document's own text and verifies as a quote.
        let mut run: Option<(usize, usize)> = None;
        let mut colon_lead: Option<String> = None;
        for line in &lines {
            let Some(item) = line.item else {
                run = Some(run.map_or((line.start, line.end), |(s, _)| (s, line.end)));
                let text = &cell[line.start..line.end];
                colon_lead = text
                    .trim_end_matches(['*', '_', ' '])
                    .ends_with(':')
                    .then(|| text.to_string());
                continue;
            };
            if let Some((s, e)) = run.take() {
                self.push(cell[s..e].to_string(), lead.clone());
            }
            // The row and header stay in the lead-in: they name the data the item is about.
            let item_lead = match (&lead, &colon_lead) {
                (Some(l), Some(c)) => Some(format!("{l} {c}")),
                (l, c) => c.clone().or_else(|| l.clone()),
            };
            self.push(cell[item..line.end].to_string(), item_lead);
        }
        if let Some((s, e)) = run {
            self.push(cell[s..e].to_string(), lead);
        }
    }

    fn flush(&mut self) {
        if self.paragraph.is_empty() {
            return;
        }
        let text = self.paragraph.join(" ");
        self.paragraph.clear();
        let item = std::mem::take(&mut self.item) || sub_item(&text).is_some();
        if !item {
            self.lead = None;
        }
        let lead = self.lead.clone();
        let mut last = String::new();
        // "Customer will not: (a) ...; (b) ...": the words before the colon lead each item.
        let mut inline_lead: Option<String> = None;
        for (k, s) in sentences(&text).into_iter().enumerate() {
            let letter = sub_item(&s);
            if let Some(n) = inline_number(&s) {
                self.numbering.set(n);
            } else if let Some(l) = letter.clone().filter(|_| k == 0 || !item) {
                self.numbering.sub = Some(l);
            }
            last.clone_from(&s);
            // Only the item's own sentences need the lead-in; a sentence after it stands alone.
            let l = if k == 0 {
                lead.clone()
            } else if letter.is_some() {
                inline_lead.clone()
            } else {
                inline_lead = None;
                None
            };
            if let Some(colon) = s.find(": ").filter(|&c| sub_item(&s[c + 1..]).is_some()) {
                inline_lead = Some(s[..=colon].to_string());
            }
            self.push(s, l);
        }
        // A paragraph ending with ':' introduces the list that follows.
        if last.trim_end_matches(['*', '_', ' ']).ends_with(':') {
            self.lead = Some(last);
        }
    }
}

/// Splits a Markdown document into clauses.
pub fn split(markdown: &str) -> Vec<Clause> {
    let mut r = Reader {
        clauses: Vec::new(),
        numbering: Numbering::default(),
        heading: None,
        paragraph: Vec::new(),
        item: false,
        lead: None,
    };
    // The table being read: its first row, and whether a separator row made it the header.
    let mut first_row: Option<Vec<String>> = None;
    let mut header: Option<Vec<String>> = None;
    for line in markdown.lines() {
        let t = line.trim();
        if !t.starts_with('|') {
            first_row = None;
            header = None;
        }
        if t.is_empty() {
            r.flush();
            continue;
        }
        if let Some(h) = heading_text(t) {
            r.flush();
            r.lead = None;
            if let Some(n) = clause_number(t) {
                r.numbering.set(n);
            }
            r.heading = Some(h);
            continue;
        }
        if t.starts_with('|') {
            r.flush();
            r.lead = None;
            // The cells of a row are one statement the table splits: each later cell is read
            // with the row's first cell ("To train our models" | "Your Input, subject to your
            // opt-out"), as a list item is with its lead-in.
            // A cell under a header that names what its column measures ("Data | Retention
            // period", "How long we keep it") is read with that header too: "Chat history" |
            // "30 days" is read as "Chat history. Retention period: 30 days".
            let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
            let separator = cells
                .iter()
                .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
            if separator {
                header = first_row.take();
                continue;
            }
            if first_row.is_none() && header.is_none() {
                first_row = Some(cells.iter().map(|c| plain_cell(c)).collect());
            } else {
                first_row = None;
            }
            let mut row_lead: Option<String> = None;
            for (k, cell) in cells.iter().enumerate() {
                if cell.chars().all(|c| matches!(c, '-' | ':' | ' ')) {
                    continue;
                }
                let measure = header
                    .as_ref()
                    .and_then(|h| h.get(k))
                    .filter(|h| k > 0 && names_a_measure(h));
                let lead = match (&row_lead, measure) {
                    // The header opens a sentence of its own after the row's first cell.
                    (Some(row), Some(h)) => {
                        let row = row.trim_end();
                        let stop = if row.ends_with(['.', '!', '?']) {
                            ""
                        } else {
                            "."
                        };
                        Some(format!("{row}{stop} {h}:"))
                    }
                    (None, Some(h)) => Some(format!("{h}:")),
                    (row, None) => row.clone(),
                };
                r.push_cell(cell, lead);
                if k == 0 {
                    row_lead = Some(cell_pieces(cell).join(" "));
                }
            }
            continue;
        }
        let item = strip_list_marker(t);
        if item.len() != t.len() || sub_item(t).is_some() || numbered_item(t) {
            // A new list item starts a new paragraph.
            r.flush();
            r.item = true;
        }
        r.paragraph.push(item.to_string());
    }
    r.flush();
    r.clauses
}

/// A line of a table cell: where it stands in the cell (trimmed), and where its text starts
/// when it is a list item ("\\- Location data ...": after the escaped marker).
struct CellLine {
    start: usize,
    end: usize,
    item: Option<usize>,
}

/// The lines of a table cell, split at the archive's `<br>` line breaks.
fn cell_lines(cell: &str) -> Vec<CellLine> {
    let lower = cell.to_ascii_lowercase();
    let mut lines = Vec::new();
    let mut from = 0;
    loop {
        let next = ["<br>", "<br/>", "<br />"]
            .iter()
            .filter_map(|b| lower[from..].find(b).map(|i| (from + i, b.len())))
            .min();
        let to = next.map_or(cell.len(), |(i, _)| i);
        let raw = &cell[from..to];
        let start = from + (raw.len() - raw.trim_start().len());
        let end = from + raw.trim_end().len();
        if start < end {
            let text = &cell[start..end];
            let unescaped = text.strip_prefix('\\').unwrap_or(text);
            let marker = unescaped.len() - strip_list_marker(unescaped).len();
            let item = (marker > 0).then(|| end - strip_list_marker(unescaped).len());
            lines.push(CellLine { start, end, item });
        }
        match next {
            Some((i, len)) => from = i + len,
            None => break,
        }
    }
    lines
}

/// The lines of a table cell as text (list markers dropped), to read a row's first cell by.
fn cell_pieces(cell: &str) -> Vec<String> {
    cell_lines(cell)
        .iter()
        .map(|l| cell[l.item.unwrap_or(l.start)..l.end].to_string())
        .collect()
}

/// A header cell without its emphasis ("**Retention Period**" is "Retention Period").
fn plain_cell(cell: &str) -> String {
    cell.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace())
        .to_string()
}

/// Whether a table's header cell names what its column measures: how long data is kept or
/// when it is deleted ("Retention period", "How long we keep it", "Storage period", "Deleted
/// after"), so that a cell under it with no verb ("30 days") states that measure.
fn names_a_measure(header: &str) -> bool {
    let h = header.to_lowercase();
    [
        "retention",
        "retained for",
        "retained until",
        "how long",
        "kept for",
        "storage period",
        "stored for",
        "deleted after",
        "deletion period",
        "deletion timeline",
    ]
    .iter()
    .any(|w| h.contains(w))
}

/// A list item numbered "1. " (not a clause number: no dot inside, no heading).
fn numbered_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && digits <= 2 && line[digits..].starts_with(". ")
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

    /// The section of the clause that starts with `start`.
    fn section_of(clauses: &[Clause], start: &str) -> Option<String> {
        clauses
            .iter()
            .find(|c| c.text.starts_with(start))
            .map(|c| c.section.clone())
            .unwrap_or_else(|| panic!("no clause starts with {start:?}"))
    }

    /// A commercial agreement of the development part numbers its clauses in bold
    /// ("**4.2. Training.** Mistral AI will not ..."), with no Markdown heading or list: the
    /// sections come from that numbering, in the document as archived and in the same text
    /// captured as one line. (A document of the corpus's development part: the test part is
    /// never read to write the reader.)
    #[test]
    fn a_document_numbered_inline_keeps_its_sections_even_on_one_line() {
        let doc = include_str!("../../tests/data/clauses/documents/mistral-commercial-terms.md");
        let one_line = doc.split_whitespace().collect::<Vec<_>>().join(" ");
        for text in [doc, one_line.as_str()] {
            let c = split(text);
            let section = |start: &str| section_of(&c, start);
            assert_eq!(
                section("Mistral AI will not use Customer Data or Outputs to train"),
                Some("4.2".into())
            );
            assert_eq!(
                section("Material updates to the Terms become effective thirty (30) day"),
                Some("13.3".into())
            );
            assert_eq!(
                section("Customer may not assign or transfer its rights"),
                Some("14.2".into())
            );
        }
    }

    /// Bold single numbers ("**5\\. Prohibitions**") and lettered sub-items on lines of their
    /// own ("b. If the Provider ..."), as processing agreements write them: the items join their
    /// section ("6.b"), on lines and on one line, and an item keeps the sentence that
    /// introduces it. (Sentences written for this test.)
    #[test]
    fn lettered_items_join_a_bold_numbered_section() {
        let doc = "**5\\. Prohibitions**. The Provider will not sell Personal Data.\n\n\
                   **6\\. Subprocessors**. The Provider may engage subprocessors.\n\n\
                   a. The Provider shall keep a list of its subprocessors.\n\n\
                   b. If the Provider appoints a new subprocessor, it shall notify the Customer.\n\n\
                   **7\\. Duties**. The Provider shall:\n\n\
                   a. only process Personal Data on the Customer's instructions;\n\n\
                   b. keep Personal Data confidential.\n";
        let one_line = doc.split_whitespace().collect::<Vec<_>>().join(" ");
        for text in [doc, one_line.as_str()] {
            let c = split(text);
            let section = |start: &str| section_of(&c, start);
            assert_eq!(section("The Provider will not sell"), Some("5".into()));
            assert_eq!(
                section("b. If the Provider appoints a new subprocessor"),
                Some("6.b".into())
            );
        }
        let c = split(doc);
        let item = c
            .iter()
            .find(|c| c.text.starts_with("a. only process Personal Data"))
            .expect("the first duty of section 7");
        assert!(
            item.lead
                .as_deref()
                .is_some_and(|l| l.ends_with("The Provider shall:")),
            "{item:?}"
        );
    }
}

#[cfg(test)]
mod table_rows {
    use super::*;

    #[test]
    fn list_items_inside_a_cell_are_clauses_read_with_the_line_before() {
        let doc = "| Data | How long |\n| --- | --- |\n| Location data | Kept only as long as needed. For example: <br>\\- Shared locations are deleted after 72 hours. <br>\\- Places you save are kept until you delete them. |\n| Posts | Until you delete them.<br><br>Copies may stay in backups. |\n";
        let clauses = split(doc);
        let item = clauses
            .iter()
            .find(|c| c.text.starts_with("Shared locations"))
            .expect("the item is a clause of its own");
        assert_eq!(item.text, "Shared locations are deleted after 72 hours.");
        assert_eq!(
            item.lead.as_deref(),
            Some("Location data. How long: Kept only as long as needed. For example:")
        );
        assert!(
            clauses
                .iter()
                .any(|c| c.text.starts_with("Places you save"))
        );
        // Lines that are not items stay one clause, as written (their `<br>` kept), so that
        // the clause is the document's own text.
        let kept = "| Data | How long |\n| --- | --- |\n| Prompts | We keep your prompts for 30 days. <br> After that we delete them. <br>\\- Backups are kept 90 days. |\n";
        let lines = split(kept);
        assert!(
            lines
                .iter()
                .any(|c| c.text
                    == "We keep your prompts for 30 days. <br> After that we delete them."),
            "{lines:?}"
        );
        assert!(lines.iter().any(|c| c.text == "Backups are kept 90 days."));
        // A cell with line breaks but no list item stays one clause, as written.
        assert!(
            clauses
                .iter()
                .any(|c| c.text == "Until you delete them.<br><br>Copies may stay in backups."),
            "{clauses:?}"
        );
    }

    #[test]
    fn a_cell_is_read_with_the_first_cell_of_its_row() {
        let doc = "| Purpose | Data |\n| --- | --- |\n| To train our models | Your prompts, unless you opt out |\n";
        let clauses = split(doc);
        let cell = clauses
            .iter()
            .find(|c| c.text.starts_with("Your prompts"))
            .expect("the cell is a clause");
        assert_eq!(cell.lead.as_deref(), Some("To train our models"));
        assert_eq!(
            cell.in_full(),
            "To train our models Your prompts, unless you opt out"
        );
        let first = clauses
            .iter()
            .find(|c| c.text == "To train our models")
            .expect("the first cell is a clause");
        assert_eq!(first.lead, None);
    }

    #[test]
    fn a_cell_under_a_header_that_names_a_measure_is_read_with_it() {
        let doc = "| Data | Purpose | Retention period |\n| --- | --- | --- |\n| Chat history | To provide the service | 30 days |\n";
        let clauses = split(doc);
        let cell = clauses
            .iter()
            .find(|c| c.text == "30 days")
            .expect("the cell is a clause");
        assert_eq!(cell.in_full(), "Chat history. Retention period: 30 days");
        // A header that names no measure adds nothing.
        let purpose = clauses
            .iter()
            .find(|c| c.text == "To provide the service")
            .expect("the cell is a clause");
        assert_eq!(purpose.lead.as_deref(), Some("Chat history"));
        // The header row itself, and a table with no separator row, have no header.
        let header = clauses
            .iter()
            .find(|c| c.text == "Retention period")
            .expect("the header cell is a clause");
        assert_eq!(header.lead.as_deref(), Some("Data"));
        let doc = "| Data | Retention period |\n| Chat history | 30 days |\n";
        let cell = split(doc)
            .into_iter()
            .find(|c| c.text == "30 days")
            .expect("the cell is a clause");
        assert_eq!(cell.lead.as_deref(), Some("Chat history"));
        // Emphasis in the header is dropped; a table ends at the first line that is not a row.
        let doc = "| **Information** | **Retention Period** |\n| --- | --- |\n| Account data | Until your account is deleted. |\n\n| Cookie | Lifetime |\n| --- | --- |\n| session | 30 days |\n";
        let clauses = split(doc);
        let cell = clauses
            .iter()
            .find(|c| c.text == "Until your account is deleted.")
            .expect("the cell is a clause");
        assert_eq!(
            cell.in_full(),
            "Account data. Retention Period: Until your account is deleted."
        );
        let cookie = clauses
            .iter()
            .find(|c| c.text == "30 days")
            .expect("the cell is a clause");
        assert_eq!(cookie.lead.as_deref(), Some("session"));
    }
}
