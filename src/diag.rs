//! Diagnostics: every problem a user can cause, with the file, line, column and field it is
//! about, what is wrong, and what to do about it.

use serde::Serialize;
use std::fmt;
use std::path::Path;

mod codes;
mod read;
pub use codes::Code;
pub use read::read_text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in a file (column counted in characters).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

/// One problem found in the workspace or on the command line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the workspace where possible).
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    /// The stable code of the kind of problem (`draft-claim`): what users filter on
    /// (`--quiet-warnings`) and tests assert, never the message text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: 0,
            column: 0,
            code: None,
            message: message.into(),
            hint: None,
        }
    }

    /// The problem's kind, by its stable code.
    pub fn code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    /// Whether this is a warning of one of the `quiet` kinds (`--quiet-warnings`).
    pub fn is_quieted(&self, quiet: &[Code]) -> bool {
        !self.is_error() && self.code.is_some_and(|c| quiet.contains(&c))
    }

    /// The diagnostic as one line of a report's warnings: `file:line:col: message`.
    pub fn report_line(&self) -> String {
        format!("{}: {}", self.location(), self.message)
    }

    /// Whether `other` is the same problem at the same place (the one said while loading and
    /// again in a report's warnings), whatever its severity.
    pub fn same_problem(&self, other: &Diagnostic) -> bool {
        self.code.is_some()
            && (self.code, &self.file, self.line, self.column)
                == (other.code, &other.file, other.line, other.column)
    }

    /// The same problem as an error (it stops the command).
    pub fn into_error(self) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            ..self
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.line = pos.line;
        self.column = pos.column;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(self, hint: Option<String>) -> Self {
        match hint {
            Some(h) => self.hint(h),
            None => self,
        }
    }

    /// The same problem as a warning (it does not stop the command).
    pub fn into_warning(self) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..self
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or as much of it as is known).
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), 0) => f.clone(),
            (Some(f), l) => format!("{f}:{l}:{}", self.column.max(1)),
            (None, _) => "diligence".to_string(),
        }
    }

    /// Renders the diagnostic with a snippet of the offending line when the file can be read.
    pub fn render(&self, root: Option<&Path>) -> String {
        let mut out = self.to_string();
        if let (Some(file), Some(root), true) = (&self.file, root, self.line > 0)
            && let Some(snippet) = snippet(root, file, self.line, self.column)
        {
            out.push('\n');
            out.push_str(&snippet);
        }
        if let Some(h) = &self.hint {
            out.push_str("\n  = hint: ");
            out.push_str(h);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {kind}: {}", self.location(), self.message)
    }
}

/// Which version of a file a snippet was read from: its path, size and modification time (a
/// command that rewrites a file, e.g. `extract --write`, may report on it before and after).
type FileVersion = (std::path::PathBuf, u64, Option<std::time::SystemTime>);

thread_local! {
    /// The file the last snippet came from, as lines: the thousands of diagnostics a large file
    /// can have read it once, not once each (which took quadratic time).
    static LAST_READ: std::cell::RefCell<Option<(FileVersion, std::rc::Rc<Vec<String>>)>> =
        const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// The real path of the file the last snippet came from: a file's diagnostics come one after another, and resolving its path each
    /// time (`readlink` on every component) cost more than the rest of the snippet.
    static LAST_PATH: std::cell::RefCell<Option<((std::path::PathBuf, String), std::path::PathBuf)>> =
        const { std::cell::RefCell::new(None) };
}

/// `file`'s real path, if it is a file inside the workspace at `root`.
fn real_path(root: &Path, file: &str) -> Option<std::path::PathBuf> {
    LAST_PATH.with(|cell| {
        let mut last = cell.borrow_mut();
        if let Some(((r, f), real)) = last.as_ref()
            && r == root
            && f == file
        {
            return Some(real.clone());
        }
        let resolve = || {
            let base = root.canonicalize().ok()?;
            let real = base.join(file).canonicalize().ok()?;
            real.starts_with(&base).then_some(real)
        };
        // Only a found path is kept: a file written after its first diagnostic shows later.
        let real = resolve()?;
        *last = Some(((root.to_path_buf(), file.to_string()), real.clone()));
        Some(real)
    })
}

/// The lines of `real` (shown as `file`), read once for consecutive snippets of the same file
/// as long as it is unchanged.
fn file_lines(real: &Path, file: &str) -> Option<std::rc::Rc<Vec<String>>> {
    // The real path kept from an earlier snippet must still be a regular file, not a link
    // put in its place since.
    let meta = std::fs::symlink_metadata(real).ok()?;
    if !meta.is_file() {
        return None;
    }
    let version: FileVersion = (real.to_path_buf(), meta.len(), meta.modified().ok());
    LAST_READ.with(|cell| {
        let mut cached = cell.borrow_mut();
        if let Some((seen, lines)) = cached.as_ref()
            && *seen == version
        {
            return Some(lines.clone());
        }
        let text = read_text(real, file, 4 * 1024 * 1024).ok()?;
        let lines = std::rc::Rc::new(text.lines().map(str::to_string).collect::<Vec<_>>());
        *cached = Some((version, lines.clone()));
        Some(lines)
    })
}

/// The offending line of `file`, a file of the workspace at `root`. Only a regular file inside
/// the workspace is read: a diagnostic never shows content from outside it (a rule that links
/// to /proc/self/environ must not print the environment).
fn snippet(root: &Path, file: &str, line: u32, column: u32) -> Option<String> {
    let real = real_path(root, file)?;
    let lines = file_lines(&real, file)?;
    let src = lines.get(line.checked_sub(1)? as usize)?;
    let src: String = src.chars().take(200).collect();
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let caret_at = (column.max(1) as usize - 1).min(src.chars().count());
    let lead: String = src
        .chars()
        .take(caret_at)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Some(format!(
        "{pad} |\n{gutter} | {}\n{pad} | {lead}^",
        src.trim_end()
    ))
}

/// The closest candidate to `word` by edit distance, when it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_lc = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word_lc, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file rewritten between two diagnostics shows its new line, not the one read before.
    #[test]
    fn a_snippet_follows_a_rewritten_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.yaml"), "vendor: acme\n").unwrap();
        let before = snippet(dir.path(), "p.yaml", 1, 1).unwrap();
        assert!(before.contains("vendor: acme"), "{before}");
        std::fs::write(dir.path().join("p.yaml"), "vendor: acme-two\n").unwrap();
        let after = snippet(dir.path(), "p.yaml", 1, 1).unwrap();
        assert!(after.contains("vendor: acme-two"), "{after}");
    }

    /// A file replaced by a link to outside the workspace after its first snippet (whose
    /// real path is remembered) shows nothing from outside.
    #[cfg(unix)]
    #[test]
    fn a_file_replaced_by_a_link_outside_shows_no_snippet() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        std::fs::create_dir(&ws).unwrap();
        std::fs::write(ws.join("p.yaml"), "vendor: acme\n").unwrap();
        std::fs::write(dir.path().join("secret"), "TOKEN=hunter2\n").unwrap();
        assert!(snippet(&ws, "p.yaml", 1, 1).is_some());
        std::fs::remove_file(ws.join("p.yaml")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), ws.join("p.yaml")).unwrap();
        assert_eq!(snippet(&ws, "p.yaml", 1, 1), None);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("retention_dys", ["retention_days", "dpa"]).as_deref(),
            Some("did you mean `retention_days`?")
        );
        assert_eq!(did_you_mean("banana", ["retention_days", "dpa"]), None);
    }

    #[test]
    fn location_formats() {
        let d = Diagnostic::error("bad")
            .in_file("vendors/x/profile.yaml")
            .at(Pos::new(3, 7));
        assert_eq!(d.to_string(), "vendors/x/profile.yaml:3:7: error: bad");
    }
}
