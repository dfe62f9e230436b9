//! Line edits of a profile's text, at the places the YAML parser reports.
//!
//! The profile is never re-serialized: the parser gives the line of each key and item, the
//! extent of a block is read from indentation, and new lines are inserted (or old claim items
//! removed) around them. Comments, quoting and key order everywhere else stay as written.
//! Only block style is edited; a flow-style mapping or list that would need to change is
//! reported, so that the reviewer can rewrite it in block style.

use crate::diag::{Diagnostic, Pos};
use crate::model::yaml::{Node, span_pos};
use serde_saphyr::Spanned;

/// One change: remove `remove` lines at line index `at` (0-based) and insert `insert` there.
#[derive(Debug, Clone)]
struct Edit {
    at: usize,
    remove: usize,
    insert: Vec<String>,
    seq: usize,
}

/// A profile's text and the edits planned on it.
pub struct Text<'a> {
    pub lines: Vec<&'a str>,
    edits: Vec<Edit>,
    file: String,
}

impl<'a> Text<'a> {
    pub fn new(text: &'a str, file: &str) -> Self {
        Text {
            lines: text.lines().collect(),
            edits: Vec::new(),
            file: file.to_string(),
        }
    }

    pub fn insert(&mut self, at: usize, lines: Vec<String>) {
        let seq = self.edits.len();
        self.edits.push(Edit {
            at,
            remove: 0,
            insert: lines,
            seq,
        });
    }

    pub fn replace(&mut self, at: usize, remove: usize, lines: Vec<String>) {
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

    /// The edited text. Edits are applied from the bottom up, so that each one's line numbers
    /// are those of the original text; insertions at one place keep the order they were planned.
    pub fn finish(&self, original: &str) -> String {
        let mut lines: Vec<String> = self.lines.iter().map(|l| l.to_string()).collect();
        let mut edits = self.edits.clone();
        edits.sort_by(|a, b| b.at.cmp(&a.at).then(b.seq.cmp(&a.seq)));
        for e in edits {
            let end = (e.at + e.remove).min(lines.len());
            lines.splice(e.at.min(lines.len())..end, e.insert);
        }
        let mut out = lines.join(if original.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        });
        if original.ends_with('\n') || original.is_empty() {
            out.push_str(if original.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            });
        }
        out
    }

    /// An error at a line of the profile.
    pub fn error(&self, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(self.file.clone())
            .at(pos)
    }

    /// The 0-based index of the line a node starts on.
    pub fn line_of<T>(&self, node: &Spanned<T>) -> usize {
        (span_pos(node).line as usize).saturating_sub(1)
    }

    /// The number of leading spaces of a line.
    pub fn indent(&self, line: usize) -> usize {
        self.lines
            .get(line)
            .map_or(0, |l| l.len() - l.trim_start_matches(' ').len())
    }

    /// The end (exclusive line index) of the block that starts at `start` with indentation
    /// `indent`: the lines after it that are indented deeper, blank, or comments indented deeper.
    /// A list written at the same indentation as its key (`key:\n- item`) belongs to the key
    /// when `same_indent_items` is set. Trailing blank lines are left outside.
    pub fn block_end(&self, start: usize, indent: usize, same_indent_items: bool) -> usize {
        let mut end = start + 1;
        for i in start + 1..self.lines.len() {
            let line = self.lines[i];
            let trimmed = line.trim_start();
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
}

/// A value as YAML: JSON is valid YAML flow syntax, and quoting every string keeps `yes`, `no`
/// and `on` from ever being read as booleans.
pub fn yaml_value(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
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
            t.finish(original),
            "a: 2 # one\nb:\n  - x\n  - y\n  - z\n  - w\n\nc: 3\n"
        );
    }

    #[test]
    fn a_list_at_the_key_indentation_belongs_to_the_key() {
        let t = Text::new("k:\n- a\n- b\nz: 1\n", "f.yaml");
        assert_eq!(t.block_end(0, 0, true), 3);
        assert_eq!(t.block_end(0, 0, false), 1);
    }
}
