//! Where output goes: stdout, or a file written atomically (a temporary file in the same folder,
//! then renamed), so that a failed run never leaves a partial or emptied file.

use super::Failure;
use crate::diag::Diagnostic;
use std::io::Write;
use std::path::Path;

/// Refuses an output path that would replace one of the workspace's own input files.
pub fn refuse_input_file(output: &Path, workspace: &Path) -> Result<(), Failure> {
    let Ok(target) = output.canonicalize() else {
        return Ok(()); // does not exist yet: cannot be an input
    };
    let Ok(root) = workspace.canonicalize() else {
        return Ok(());
    };
    let is_input = ["policies", "vendors", "scripts"]
        .iter()
        .any(|d| target.starts_with(root.join(d)));
    if is_input {
        return Err(Diagnostic::error(format!(
            "--output {} would replace an input file of the workspace",
            output.display()
        ))
        .hint("write the report outside policies/, vendors/ and scripts/")
        .into());
    }
    Ok(())
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_atomically_with(path, |w| w.write_all(bytes))
}

/// Streams output to `path` (atomically) or, without a path, to stdout (a closed pipe is not an
/// error): formats that write row by row never hold the whole output in memory.
pub fn emit(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match path {
        Some(p) => write_atomically_with(p, write),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => {
                    Err(Diagnostic::error(format!("cannot write to standard output: {e}")).into())
                }
            }
        }
    }
}

pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let fail = |what: &str, e: std::io::Error| -> Failure {
        Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
            .hint("check that the folder exists and is writable")
            .into()
    };
    if path.is_dir() {
        return Err(
            Diagnostic::error(format!("--output {} is a folder", path.display()))
                .hint("give a file name, e.g. --output review.json")
                .into(),
        );
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".diligence-");
    // A report is an ordinary file: the permissions of the file it replaces, else those a new
    // file gets (0666 less the umask), not the temporary file's private 0600.
    #[cfg(unix)]
    builder.permissions(match std::fs::metadata(path) {
        Ok(m) if m.is_file() => m.permissions(),
        _ => std::os::unix::fs::PermissionsExt::from_mode(0o666),
    });
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| fail("create a temporary file next to", e))?;
    let written = {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buffered).and_then(|()| buffered.flush())
    };
    written
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| fail("write", e))?;
    tmp.persist(path).map_err(|e| fail("replace", e.error))?;
    Ok(())
}
