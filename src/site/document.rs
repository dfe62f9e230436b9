//! An archived document as a page shows it: headings, paragraphs, list items, table rows and
//! numbered clauses (as the clause reader splits them), its words kept in order so that quotes
//! can be located among them and highlighted where they stand.

use crate::model::quotes::WordIndex;
use crate::reading::structure::{clause_number, heading_text, strip_list_marker};
use maud::{Markup, html};

/// What a block of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A heading of level 1 to 6.
    Heading(u8),
    Paragraph,
    Item,
    /// A table row; its cells are its word ranges.
    Row {
        header: bool,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub kind: Kind,
    /// Word ranges (start, end exclusive) into [`Document::words`]: one per table cell, else one.
    pub cells: Vec<(usize, usize)>,
    /// The clause number the block starts ("4.2"), anchored as `sec-4.2`.
    pub section: Option<String>,
}

/// A document split into blocks of words.
#[derive(Debug, Default)]
pub(crate) struct Document {
    pub words: Vec<String>,
    pub blocks: Vec<Block>,
}

/// A passage to highlight: words `start..=end`, anchored as `id`, with the links back to what
/// cites it.
pub(crate) struct Highlight {
    pub id: String,
    /// The anchors of other claims that quote the same passage.
    pub aliases: Vec<String>,
    pub start: usize,
    pub end: usize,
    /// A carve-out (an exception to a promise), marked as such.
    pub carve_out: bool,
    /// (text, href) of each fact and finding that cites the passage.
    pub back: Vec<(String, String)>,
}

impl Document {
    /// Reads a Markdown (or plain-text) snapshot.
    pub fn parse(text: &str) -> Document {
        let mut doc = Document::default();
        let mut paragraph: Vec<&str> = Vec::new();
        let mut kind = Kind::Paragraph;
        let mut header_row = true;
        for line in text.lines() {
            let t = line.trim();
            let t = t.strip_prefix('>').map_or(t, str::trim);
            // A setext heading: the paragraph's last line underlined with `===` or `---`.
            if let Some(level) = setext(t)
                && kind == Kind::Paragraph
                && let Some(last) = paragraph.pop()
            {
                doc.flush(&mut paragraph, kind);
                doc.push_block(Kind::Heading(level), &[last], clause_number(last));
                continue;
            }
            if t.is_empty() || t.starts_with("```") || is_rule(t) {
                doc.flush(&mut paragraph, kind);
                header_row = true;
                continue;
            }
            if let Some(h) = heading_text(t) {
                doc.flush(&mut paragraph, kind);
                let level = t.chars().take_while(|c| *c == '#').count().clamp(1, 6) as u8;
                doc.push_block(Kind::Heading(level), &[&h], clause_number(t));
                continue;
            }
            if t.starts_with('|') {
                doc.flush(&mut paragraph, kind);
                let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
                if cells
                    .iter()
                    .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
                {
                    continue; // the line under the header
                }
                doc.push_block(Kind::Row { header: header_row }, &cells, None);
                header_row = false;
                continue;
            }
            header_row = true;
            let item = strip_list_marker(t);
            if item.len() != t.len() || starts_numbered_item(t) {
                doc.flush(&mut paragraph, kind);
                kind = Kind::Item;
            } else if paragraph.is_empty() {
                kind = Kind::Paragraph;
            }
            paragraph.push(item);
        }
        doc.flush(&mut paragraph, kind);
        doc
    }

    fn flush(&mut self, lines: &mut Vec<&str>, kind: Kind) {
        if lines.is_empty() {
            return;
        }
        let mut text = String::new();
        for line in lines.drain(..) {
            if text.is_empty() {
                text.push_str(line);
            } else if let Some(word) = broken_word(&text)
                && line.starts_with(char::is_lowercase)
            {
                // A word broken at the end of a line ("reten-" / "tion") is one word, as the
                // quote matcher reads it: the quote "retention" is then found and highlighted.
                text.truncate(word);
                text.push_str(line);
            } else {
                text.push(' ');
                text.push_str(line);
            }
        }
        let section = clause_number(&text);
        self.push_block(kind, &[&text], section);
    }

    fn push_block(&mut self, kind: Kind, cells: &[&str], section: Option<String>) {
        let mut ranges = Vec::with_capacity(cells.len());
        for cell in cells {
            let start = self.words.len();
            self.words
                .extend(shown_text(cell).split_whitespace().map(str::to_string));
            ranges.push((start, self.words.len()));
        }
        self.blocks.push(Block {
            kind,
            cells: ranges,
            section,
        });
    }

    /// The first words of a passage, for a list of passages.
    pub fn preview(&self, start: usize, end: usize) -> String {
        const WORDS: usize = 14;
        let last = end
            .min(start + WORDS - 1)
            .min(self.words.len().saturating_sub(1));
        let mut text = self
            .words
            .get(start..=last)
            .map(|w| w.join(" "))
            .unwrap_or_default();
        if last < end {
            text.push('…');
        }
        text
    }

    /// The clause number in force at word `at`.
    pub fn section_at(&self, at: usize) -> Option<&str> {
        self.blocks
            .iter()
            .take_while(|b| b.cells.first().is_some_and(|c| c.0 <= at))
            .filter_map(|b| b.section.as_deref())
            .last()
    }

    /// The index of the words, to locate quotes in.
    pub fn index(&self) -> WordIndex {
        WordIndex::new(self.words.iter().map(String::as_str))
    }

    /// The document as HTML, with the highlights marked and anchored.
    pub fn render(&self, highlights: &[Highlight]) -> Markup {
        let marks = Marks::new(self.words.len(), highlights);
        let mut sections = std::collections::HashSet::new();
        html! {
            div.document {
                @for block in &self.blocks {
                    @let id = block
                        .section
                        .as_ref()
                        .filter(|s| sections.insert((*s).clone()))
                        .map(|s| format!("sec-{s}"));
                    @match block.kind {
                        Kind::Heading(1) => h2.doc-h id=[id] { (marks.cell(self, block.cells[0])) },
                        Kind::Heading(2) => h3.doc-h id=[id] { (marks.cell(self, block.cells[0])) },
                        Kind::Heading(_) => h4.doc-h id=[id] { (marks.cell(self, block.cells[0])) },
                        Kind::Paragraph => p.clause[block.section.is_some()] id=[id] {
                            (marks.cell(self, block.cells[0]))
                        },
                        Kind::Item => div.item.clause[block.section.is_some()] id=[id] {
                            (marks.cell(self, block.cells[0]))
                        },
                        Kind::Row { header } => div.row.header[header] {
                            @for cell in &block.cells { span.cell { (marks.cell(self, *cell)) } }
                        },
                    }
                }
            }
        }
    }
}

/// Where the hyphen of a word broken at the end of `text` starts: a letter, then `-` (or a
/// Unicode hyphen) ending the line.
fn broken_word(text: &str) -> Option<usize> {
    let mut end = text.char_indices().rev();
    let (at, hyphen) = end.next()?;
    let (_, before) = end.next()?;
    (matches!(hyphen, '-' | '\u{2010}' | '\u{2011}') && before.is_alphabetic()).then_some(at)
}

/// The heading level a setext underline (`===`, `---`) gives the line above it.
fn setext(t: &str) -> Option<u8> {
    if t.len() < 3 {
        return None;
    }
    if t.chars().all(|c| c == '=') {
        Some(1)
    } else if t.chars().all(|c| c == '-') {
        Some(2)
    } else {
        None
    }
}

/// A thematic break (`---`, `***`).
fn is_rule(t: &str) -> bool {
    t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*'))
}

/// `1. ` or `1) ` or `(a) ` opening a line.
fn starts_numbered_item(t: &str) -> bool {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")))
        || (t.starts_with('(') && t[1..].find(") ").is_some_and(|i| i <= 4))
}

/// Markdown inline syntax read as text: links as their text, emphasis markers and escapes
/// dropped, entities decoded.
fn shown_text(cell: &str) -> String {
    let text = crate::report::markdown_as_text(cell);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_punctuation) => {}
            '*' => {}
            c => out.push(c),
        }
    }
    html_escape::decode_html_entities(&out).into_owned()
}

/// Which highlights cover each word, where each starts and ends.
struct Marks<'h> {
    highlights: &'h [Highlight],
    /// Per word: the highlights that cover it (most words: none).
    covering: Vec<Vec<u32>>,
    starts: Vec<Vec<u32>>,
    ends: Vec<Vec<u32>>,
}

impl<'h> Marks<'h> {
    fn new(words: usize, highlights: &'h [Highlight]) -> Marks<'h> {
        let mut m = Marks {
            highlights,
            covering: vec![Vec::new(); words],
            starts: vec![Vec::new(); words],
            ends: vec![Vec::new(); words],
        };
        for (i, h) in highlights.iter().enumerate() {
            if h.start > h.end || h.end >= words {
                continue;
            }
            for w in h.start..=h.end {
                m.covering[w].push(i as u32);
            }
            m.starts[h.start].push(i as u32);
            m.ends[h.end].push(i as u32);
        }
        m
    }

    /// One cell's words: plain runs, and marked runs split where a highlight starts or ends.
    fn cell(&self, doc: &Document, (start, end): (usize, usize)) -> Markup {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut run_start = start;
        for w in start..end {
            let boundary_after = w + 1 == end
                || !self.ends[w].is_empty()
                || !self.starts[w + 1].is_empty()
                || self.covering[w] != self.covering[w + 1];
            if boundary_after {
                runs.push((run_start, w + 1));
                run_start = w + 1;
            }
        }
        html! {
            @for (i, (a, b)) in runs.iter().enumerate() {
                @if i > 0 { " " }
                @let text = doc.words[*a..*b].join(" ");
                @let covering = &self.covering[*a];
                @if covering.is_empty() {
                    (text)
                } @else {
                    @let starting: Vec<&Highlight> =
                        self.starts[*a].iter().map(|h| &self.highlights[*h as usize]).collect();
                    @for extra in starting.iter().skip(1) { span.anchor id=(extra.id) {} }
                    @for h in &starting { @for alias in &h.aliases { span.anchor id=(alias) {} } }
                    @let carve = covering.iter().any(|h| self.highlights[*h as usize].carve_out);
                    @let keys: Vec<&str> = covering
                        .iter()
                        .map(|h| self.highlights[*h as usize].id.as_str())
                        .collect();
                    mark.q.carve-out[carve] id=[starting.first().map(|h| h.id.as_str())]
                        data-q=(keys.join(" ")) { (text) }
                    @for h in self.ends[*b - 1].iter().map(|h| &self.highlights[*h as usize]) {
                        @if h.carve_out { " " span.carve-label { "carve-out" } }
                        @if !h.back.is_empty() {
                            sup.back {
                                @for (k, (label, href)) in h.back.iter().enumerate() {
                                    @if k > 0 { " · " }
                                    a href=(href) { (label) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(doc: &Document, block: usize) -> String {
        let (a, b) = doc.blocks[block].cells[0];
        doc.words[a..b].join(" ")
    }

    #[test]
    fn markdown_reads_as_headings_clauses_items_and_rows() {
        let doc = Document::parse(
            "# Terms\n\n## 4\\. Data\n\n4.1 **Scope.** We keep\nlogs for [30 days](https://x.example).\n\n- Item one.\n- Item two\n  goes on.\n\n| Data | Days |\n|---|---|\n| Logs | 30 |\n",
        );
        let kinds: Vec<Kind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Heading(1),
                Kind::Heading(2),
                Kind::Paragraph,
                Kind::Item,
                Kind::Item,
                Kind::Row { header: true },
                Kind::Row { header: false },
            ]
        );
        assert_eq!(words(&doc, 1), "4. Data");
        assert_eq!(doc.blocks[1].section.as_deref(), Some("4"));
        assert_eq!(words(&doc, 2), "4.1 Scope. We keep logs for 30 days.");
        assert_eq!(doc.blocks[2].section.as_deref(), Some("4.1"));
        assert_eq!(words(&doc, 4), "Item two goes on.");
        assert_eq!(doc.blocks[6].cells.len(), 2);
        let setext = Document::parse("Terms of Service\n================\n\nText here.\n");
        assert_eq!(setext.blocks[0].kind, Kind::Heading(1));
        assert_eq!(words(&setext, 0), "Terms of Service");
    }

    #[test]
    fn a_highlight_is_marked_anchored_and_links_back() {
        let doc = Document::parse("Intro.\n\nAcme will not train on Customer Data. Other text.\n");
        let (start, end) = doc
            .index()
            .locate("Acme will not train on customer data")
            .unwrap();
        let page = doc
            .render(&[Highlight {
                id: "q-1-2".into(),
                aliases: vec!["q-3-4".into()],
                start,
                end,
                carve_out: false,
                back: vec![("training".into(), "../o.html#fact-x".into())],
            }])
            .into_string();
        assert!(
            page.contains(r#"<mark class="q" id="q-1-2" data-q="q-1-2">Acme will not train on Customer Data.</mark>"#),
            "{page}"
        );
        assert!(
            page.contains(r#"<a href="../o.html#fact-x">training</a>"#),
            "{page}"
        );
        assert!(page.contains("</sup> Other text."), "{page}");
    }

    #[test]
    fn a_quote_across_a_word_broken_at_a_line_end_is_highlighted() {
        let doc = Document::parse(
            "Acme keeps the logs for a reten-\ntion period of thirty days. A well-\nKnown term.\n",
        );
        assert_eq!(
            words(&doc, 0),
            "Acme keeps the logs for a retention period of thirty days. A well- Known term."
        );
        let (start, end) = doc
            .index()
            .locate("keeps the logs for a retention period of thirty days")
            .expect("the quote is located across the broken word");
        let page = doc
            .render(&[Highlight {
                id: "q-1-2".into(),
                aliases: Vec::new(),
                start,
                end,
                carve_out: false,
                back: Vec::new(),
            }])
            .into_string();
        assert!(
            page.contains(r#"id="q-1-2" data-q="q-1-2">keeps the logs for a retention period of thirty days.</mark>"#),
            "{page}"
        );
    }

    #[test]
    fn hostile_text_stays_text() {
        let doc = Document::parse("<script>alert(1)</script> \"quoted\" & <b>bold</b>\n");
        let page = doc.render(&[]).into_string();
        assert!(
            !page.contains("<script>") && !page.contains("<b>"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;"), "{page}");
    }
}
