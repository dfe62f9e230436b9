//! Reading a workspace text file: the one reader that refuses what is not a regular file, a
//! file past its size limit and text that is not UTF-8, each as a diagnostic. Here, below
//! every loader, because a diagnostic's snippet reads its file too.

use super::{Diagnostic, Pos};
use std::path::Path;

/// Reads a UTF-8 text file no larger than `limit` bytes. Only a regular file is read: a FIFO
/// or device would block or never end, and a folder is not a document.
pub fn read_text(path: &Path, shown: &str, limit: u64) -> Result<String, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read {shown}: {e}")).in_file(shown.to_string())
    };
    // Checked on the opened file (not the path), so the check and the read see the same file.
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(
            Diagnostic::error(format!("{shown} is {what}: it is not read"))
                .in_file(shown.to_string())
                .hint("replace it by a regular file, or remove it"),
        );
    }
    if meta.len() > limit {
        return Err(Diagnostic::error(format!(
            "file is {} bytes, more than the {limit}-byte limit",
            meta.len()
        ))
        .in_file(shown.to_string())
        .hint("split the file or remove what is not needed"));
    }
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes).map_err(cannot)?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col_of_byte(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        Diagnostic::error("file is not valid UTF-8")
            .in_file(shown.to_string())
            .at(Pos::new(line, column))
            .hint("save the file as UTF-8")
    })
}

fn line_col_of_byte(prefix: &[u8]) -> (u32, u32) {
    let text = String::from_utf8_lossy(prefix);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line as u32, column as u32)
}
