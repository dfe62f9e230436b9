//! The one line-edit buffer behind every change diligence makes to a `profile.yaml`
//! (`snapshot`, `import`, `extract --write`, `answers`).
//!
//! The profile is never re-serialized: the parser gives the line of each key and item, the
//! extent of a block is read from indentation, and lines are inserted, replaced or removed
//! around them. Comments, quoting and key order everywhere else stay as written. Every edit is
//! planned against the original line numbers and applied at once by [`Text::finish`].
//!
//! Line indexes here are 0-based; the parser's positions (1-based) go through [`Text::line_of`].

use crate::diag::{Diagnostic, Pos};
use crate::model::yaml::{Node, span_pos};
use serde_saphyr::Spanned;

/// One change: remove `remove` lines at line index `at` and insert `insert` there.
#[derive(Debug, Clone)]
struct Edit {
    at: usize,
    remove: usize,
    insert: Vec<String>,
    /// The order edits were planned in: insertions at one place keep it.
    seq: usize,
}

/// A profile's text and the edits planned on it.
pub struct Text {
    lines: Vec<String>,
    newline: &'static str,
    edits: Vec<Edit>,
    file: String,
}

impl Text {
    pub fn new(text: &str, file: &str) -> Self {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let lines: Vec<String> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect();
        // A final newline leaves an empty last element: not a line.
        let lines = match lines.split_last() {
            Some((last, rest)) if last.is_empty() => rest.to_vec(),
            _ => lines,
        };
        Text {
            lines,
            newline,
            edits: Vec::new(),
            file: file.to_string(),
        }
    }

    /// The number of lines of the original text.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Line `i` of the original text ("" past the end).
    pub fn line(&self, i: usize) -> &str {
        self.lines.get(i).map_or("", String::as_str)
    }

    /// Inserts `lines` before line `at` (at the end when `at` is the number of lines).
    pub fn insert(&mut self, at: usize, lines: Vec<String>) {
        self.replace(at, 0, lines);
    }

    /// Inserts `lines` after line `i`.
    pub fn insert_after(&mut self, i: usize, lines: Vec<String>) {
        self.insert(i + 1, lines);
    }

    /// Replaces `remove` lines from line `at` by `lines` (none: the lines are deleted). The
    /// same lines replaced again: the last replacement wins.
    pub fn replace(&mut self, at: usize, remove: usize, lines: Vec<String>) {
        if remove > 0
            && let Some(e) = self
                .edits
                .iter_mut()
                .find(|e| e.at == at && e.remove == remove)
        {
            e.insert = lines;
            return;
        }
        let seq = self.edits.len();
        self.edits.push(Edit {
            at,
            remove,
            insert: lines,
            seq,
        });
    }

    pub fn is_unchanged(&self) -> bool {
        self.edits.is_empty()
    }

    /// The edited text, each line ended by the file's newline. Edits are applied from the
    /// bottom up, so that each one's line numbers are those of the original text. At one line,
    /// a replacement goes first so that lines inserted there stay before it rather than being
    /// replaced; insertions keep the order they were planned in.
    pub fn finish(&self) -> String {
        let mut lines = self.lines.clone();
        let mut edits = self.edits.clone();
        edits.sort_by(|a, b| {
            b.at.cmp(&a.at)
                .then((b.remove > 0).cmp(&(a.remove > 0)))
                .then(b.seq.cmp(&a.seq))
        });
        for e in edits {
            let at = e.at.min(lines.len());
            let end = (e.at + e.remove).min(lines.len());
            lines.splice(at..end, e.insert);
        }
        let mut out = String::new();
        for l in lines {
            out.push_str(&l);
            out.push_str(self.newline);
        }
        out
    }

    /// An error at a place in the profile.
    pub fn error(&self, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(self.file.clone())
            .at(pos)
    }

    /// The index of the line a node starts on.
    pub fn line_of<T>(&self, node: &Spanned<T>) -> usize {
        line_of(node)
    }

    /// The number of leading spaces of a line.
    pub fn indent(&self, i: usize) -> usize {
        let l = self.line(i);
        l.len() - l.trim_start_matches(' ').len()
    }

    pub fn is_blank_or_comment(&self, i: usize) -> bool {
        let t = self.line(i).trim();
        t.is_empty() || t.starts_with('#')
    }

    /// The end (exclusive line index) of the block that starts at `start` with indentation
    /// `indent`: the lines after it that are indented deeper, blank, or comments indented deeper.
    /// A list written at the same indentation as its key (`key:\n- item`) belongs to the key
    /// when `same_indent_items` is set. Trailing blank lines are left outside.
    pub fn block_end(&self, start: usize, indent: usize, same_indent_items: bool) -> usize {
        let mut end = start + 1;
        for i in start + 1..self.lines.len() {
            let trimmed = self.line(i).trim_start();
            if trimmed.is_empty() {
                continue;
            }
            let ind = self.indent(i);
            let inside =
                ind > indent || (same_indent_items && ind == indent && trimmed.starts_with("- "));
            if !inside {
                break;
            }
            end = i + 1;
        }
        end
    }

    /// The end of the entry that starts at `key` (a mapping key or a list item).
    pub fn entry_end<T>(&self, key: &Spanned<T>, value: Option<&Spanned<Node>>) -> usize {
        let line = self.line_of(key);
        let seq = matches!(value.map(|v| &v.value), Some(Node::Seq(_)));
        self.block_end(line, self.indent(line), seq)
    }

    /// The last line of a value whose last parsed line is `last`: the lines right below it
    /// indented deeper than `indent` (continuations of a long scalar) belong to it too. Unlike
    /// [`Text::block_end`] it stops at a blank line or a comment, so that what is added goes
    /// right after the value and a comment introducing the next entry stays above that entry.
    pub fn value_end(&self, last: usize, indent: usize) -> usize {
        let mut end = last;
        while end + 1 < self.lines.len() {
            let next = end + 1;
            if self.indent(next) > indent && !self.is_blank_or_comment(next) {
                end = next;
            } else {
                break;
            }
        }
        end
    }
}

/// The index of the line a node starts on.
pub fn line_of<T>(s: &Spanned<T>) -> usize {
    (span_pos(s).line as usize).saturating_sub(1)
}

/// The index of the last line the parser reports inside a node (keys and values, however deep).
pub fn last_line(node: &Spanned<Node>) -> usize {
    let own = line_of(node);
    match &node.value {
        Node::Map(entries) => entries
            .iter()
            .map(|(k, v)| line_of(k).max(last_line(v)))
            .max()
            .unwrap_or(own)
            .max(own),
        Node::Seq(items) => items.iter().map(last_line).max().unwrap_or(own).max(own),
        _ => own,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_everything_else_and_their_order() {
        let original = "a: 1 # one\nb:\n  - x\n  - y\n\nc: 3\n";
        let mut t = Text::new(original, "f.yaml");
        assert_eq!(t.block_end(1, 0, false), 4);
        t.insert(4, vec!["  - z".into()]);
        t.insert(4, vec!["  - w".into()]);
        t.replace(0, 1, vec!["a: 2 # one".into()]);
        assert_eq!(
            t.finish(),
            "a: 2 # one\nb:\n  - x\n  - y\n  - z\n  - w\n\nc: 3\n"
        );
    }

    #[test]
    fn lines_inserted_where_a_line_is_replaced_stay_before_it() {
        let original = "a: 1\nb: 2\n";
        let mut t = Text::new(original, "f.yaml");
        t.insert(1, vec!["x: 0".into()]);
        t.replace(1, 1, vec!["b: 3".into()]);
        assert_eq!(t.finish(), "a: 1\nx: 0\nb: 3\n");
    }

    #[test]
    fn a_list_at_the_key_indentation_belongs_to_the_key() {
        let t = Text::new("k:\n- a\n- b\nz: 1\n", "f.yaml");
        assert_eq!(t.block_end(0, 0, true), 3);
        assert_eq!(t.block_end(0, 0, false), 1);
    }
}
