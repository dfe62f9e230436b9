//! Where output goes: stdout, or `--output FILE`.
//!
//! A regular file is written atomically: a temporary `.diligence-XXXX` file next to it, renamed
//! over it once complete, so that a failed run never leaves a partial or emptied file. The
//! temporary file is created before the evaluation starts (an unwritable folder fails at once)
//! and removed when the run fails or is interrupted (SIGINT, SIGTERM).
//!
//! What is already at the path is respected: a device or FIFO (`/dev/null`, `/dev/stdout`, a
//! pipe) is written through, never replaced; a link keeps being a link (the file it points to
//! is replaced atomically); a dangling link or a folder is refused. A path inside the
//! workspace's own folders (policies/, vendors/, scripts/) is refused: it would become an input
//! of every later command.

use super::Failure;
use crate::diag::Diagnostic;
use crate::report::writer::Error as WriteError;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// How much output is gathered before each write: a jsonl line is tens of kilobytes, which a
/// default buffer (8 KiB) passes through as a system call each (20,000 for a 10,000-vendor
/// report, read back from the cache in about a second).
const WRITE_BUFFER: usize = 1 << 20;

/// The destination of `--output`, opened before the work starts.
pub struct Output {
    /// The path as the user gave it (for messages).
    shown: PathBuf,
    target: Target,
    /// Whether the file is forced to disk before it replaces the destination. A report is
    /// derived from the workspace and written again by the next run: it is replaced
    /// atomically (a reader sees the old file or the new one, never a part), and the kernel
    /// writes it back as it does any file; waiting for the disk was half of a warm `evaluate
    /// -o`. What a command writes into the workspace (a decision) is forced to disk first.
    durable: bool,
}

enum Target {
    /// A device or FIFO: written through in place.
    Stream(PathBuf),
    /// A regular file (new, or the one a link points to) replaced atomically.
    File { dest: PathBuf, tmp: Pending },
}

/// A temporary file in progress: known to the signal handler until committed or dropped
/// (a failed run: NamedTempFile then deletes it).
struct Pending(Option<tempfile::NamedTempFile>);

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(tmp) = &self.0 {
            forget_pending(tmp.path());
        }
    }
}

/// Temporary files in progress, removed by the signal handler.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// On SIGINT or SIGTERM, remove the temporary files in progress, then exit as interrupted
/// (130). Without this, a killed run leaves its `.diligence-XXXX` file (150 MB for a big
/// report) behind.
fn clean_up_on_signals() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let pending = match PENDING.lock() {
                Ok(p) => p.clone(),
                Err(poisoned) => poisoned.into_inner().clone(),
            };
            for path in pending {
                remove_pending(&path);
            }
            std::process::exit(130);
        });
    });
}

/// Removes a temporary file, or a site's temporary folder. The run goes on writing into the
/// folder while this runs (and may create a folder again): removed until it stays gone.
fn remove_pending(path: &Path) {
    for _ in 0..10 {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => {
                let _ = std::fs::remove_dir_all(path);
            }
            Ok(_) => {
                let _ = std::fs::remove_file(path);
            }
            Err(_) => return,
        }
    }
}

fn forget_pending(path: &Path) {
    if let Ok(mut p) = PENDING.lock() {
        p.retain(|x| x != path);
    }
}

fn refuse(message: String, hint: &str) -> Failure {
    Diagnostic::error(message).hint(hint).into()
}

/// The real path `path` will write to: links resolved; for a path that does not exist yet,
/// its folder resolved.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = path.canonicalize() {
        return Some(real);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(path.file_name()?))
}

/// Refuses an output path inside the workspace's own folders: a report written there would
/// replace an input, or become one (`-o scripts/new.rhai` would be read as a rule).
fn refuse_workspace_folders(path: &Path, workspace: &Path) -> Result<(), Failure> {
    let (Some(target), Ok(root)) = (resolved(path), workspace.canonicalize()) else {
        return Ok(());
    };
    if let Some(folder) = ["policies", "vendors", "scripts"]
        .iter()
        .find(|d| target.starts_with(root.join(d)))
    {
        return Err(refuse(
            format!(
                "--output {} is inside the workspace's {folder}/ folder: it would replace an input file or become one, for every later command",
                path.display()
            ),
            "write the report outside policies/, vendors/ and scripts/, e.g. --output review.json",
        ));
    }
    Ok(())
}

impl Output {
    /// Checks the destination and prepares it: for a regular file, the temporary file is
    /// created now, next to the file that will be replaced.
    pub fn open(path: &Path, workspace: &Path) -> Result<Output, Failure> {
        refuse_workspace_folders(path, workspace)?;
        Output::at(path, false)
    }

    /// As [`Output::open`], without the workspace check; `durable`: see [`Output::durable`].
    fn at(path: &Path, durable: bool) -> Result<Output, Failure> {
        let shown = path.to_path_buf();
        let target = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(refuse(
                    format!("--output {} is a folder", path.display()),
                    "give a file name, e.g. --output review.json",
                ));
            }
            Ok(m) if !m.is_file() => Target::Stream(path.to_path_buf()),
            Ok(m) => {
                let dest = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
                Target::File {
                    tmp: temporary_next_to(&dest, path, Some(m.permissions()))?,
                    dest,
                }
            }
            Err(_) if std::fs::symlink_metadata(path).is_ok() => {
                return Err(refuse(
                    format!(
                        "--output {} is a link to a file that does not exist",
                        path.display()
                    ),
                    "remove the link, or point it at an existing file",
                ));
            }
            Err(_) => Target::File {
                tmp: temporary_next_to(path, path, None)?,
                dest: path.to_path_buf(),
            },
        };
        Ok(Output {
            shown,
            target,
            durable,
        })
    }

    /// Writes the output: through to a device or FIFO, or atomically to a file.
    pub fn commit(self, bytes: &[u8]) -> Result<(), Failure> {
        self.commit_with(|w| w.write_all(bytes))
    }

    /// Streams the output (formats that write row by row never hold it all in memory): through
    /// to a device or FIFO, or into the temporary file, which then replaces the destination.
    pub fn commit_with<E: Into<WriteError>>(
        self,
        write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
    ) -> Result<(), Failure> {
        let shown = self.shown.clone();
        let fail = |what: &str, e: WriteError| -> Failure {
            match e {
                WriteError::Io(e) => {
                    Diagnostic::error(format!("cannot {what} {}: {e}", shown.display()))
                        .hint("check that the destination is writable and has room")
                        .into()
                }
                WriteError::Invalid(diags) => Failure(diags),
            }
        };
        let write = |w: &mut dyn Write| write(w).map_err(Into::into);
        match self.target {
            Target::Stream(path) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .map_err(|e| fail("open", e.into()))?;
                let mut buffered = std::io::BufWriter::with_capacity(WRITE_BUFFER, file);
                write(&mut buffered)
                    .and_then(|()| Ok(buffered.flush()?))
                    .map_err(|e| fail("write to", e))
            }
            Target::File { dest, mut tmp } => {
                let Some(mut tmp) = tmp.0.take() else {
                    return Ok(());
                };
                let tmp_path = tmp.path().to_path_buf();
                let written = {
                    let mut buffered =
                        std::io::BufWriter::with_capacity(WRITE_BUFFER, tmp.as_file_mut());
                    write(&mut buffered).and_then(|()| Ok(buffered.flush()?))
                };
                let durable = self.durable;
                let result = written
                    .and_then(|()| {
                        if durable {
                            tmp.as_file().sync_all()?;
                        }
                        Ok(())
                    })
                    .map_err(|e| fail("write", e))
                    .and_then(|()| {
                        tmp.persist(&dest)
                            .map_err(|e| fail("replace", e.error.into()))
                    });
                forget_pending(&tmp_path);
                result.map(|_| ())
            }
        }
    }
}

/// Refuses an output path inside the workspace's own folders (see [`Output::open`]).
pub fn refuse_input_file(output: &Path, workspace: &Path) -> Result<(), Failure> {
    refuse_workspace_folders(output, workspace)
}

/// Writes `bytes` to `path` as `--output` does (atomically, or through to a device or FIFO),
/// without the workspace check: for commands whose job is to write into the workspace.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    Output::at(path, true)?.commit(bytes)
}

/// Streams output to `path` (see [`write_atomically`]) or, without a path, to stdout (a closed
/// pipe is not an error): formats that write row by row never hold the whole output in memory.
pub fn emit<E: Into<WriteError>>(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Failure> {
    match path {
        Some(p) => Output::at(p, false)?.commit_with(write),
        None => to_stdout(write),
    }
}

/// Like [`emit`], to a destination opened beforehand with [`Output::open`].
pub fn emit_to<E: Into<WriteError>>(
    destination: Option<Output>,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Failure> {
    match destination {
        Some(out) => out.commit_with(write),
        None => to_stdout(write),
    }
}

fn to_stdout<E: Into<WriteError>>(
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Failure> {
    // A terminal sees each line as it comes; a pipe or a file, in large writes.
    let stdout = std::io::stdout().lock();
    let capacity = if std::io::IsTerminal::is_terminal(&stdout) {
        8 * 1024
    } else {
        WRITE_BUFFER
    };
    let mut out = std::io::BufWriter::with_capacity(capacity, stdout);
    match write(&mut out)
        .map_err(Into::into)
        .and_then(|()| Ok(out.flush()?))
    {
        Ok(()) => Ok(()),
        Err(WriteError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(WriteError::Io(e)) => {
            Err(Diagnostic::error(format!("cannot write to standard output: {e}")).into())
        }
        Err(WriteError::Invalid(diags)) => Err(Failure(diags)),
    }
}

fn temporary_next_to(
    dest: &Path,
    shown: &Path,
    permissions: Option<std::fs::Permissions>,
) -> Result<Pending, Failure> {
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".diligence-");
    // A report is an ordinary file: the permissions of the file it replaces, else those a new
    // file gets (0666 less the umask), not the temporary file's private 0600.
    #[cfg(unix)]
    builder.permissions(
        permissions.unwrap_or_else(|| std::os::unix::fs::PermissionsExt::from_mode(0o666)),
    );
    #[cfg(not(unix))]
    let _ = permissions;
    clean_up_on_signals();
    // Registered while the lock is held, so a signal cannot fall between creation and record.
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    let tmp = builder.tempfile_in(dir).map_err(|e| -> Failure {
        Diagnostic::error(format!(
            "cannot create a temporary file next to {}: {e}",
            shown.display()
        ))
        .hint("check that the folder exists and is writable")
        .into()
    })?;
    pending.push(tmp.path().to_path_buf());
    Ok(Pending(Some(tmp)))
}

/// A folder of output (`site -o DIR`), written as a whole: into a temporary folder next to it,
/// which replaces it once complete, so that a failed run leaves the previous folder as it was.
/// The folder is refused inside the workspace's own folders, when it is a link (a link could
/// lead anywhere: give the real folder), and when it exists and holds something other than what
/// this command wrote before (it would be deleted).
pub struct OutputDir {
    shown: PathBuf,
    dest: PathBuf,
    tmp: tempfile::TempDir,
    /// Known to the signal handler until the folder is renamed into place or dropped (a failed
    /// run: TempDir then deletes it), so that an interrupted run leaves no `.diligence-XXXX`.
    _pending: PendingDir,
}

struct PendingDir(PathBuf);

impl Drop for PendingDir {
    fn drop(&mut self) {
        forget_pending(&self.0);
    }
}

/// The file that marks a folder as written by diligence (and so safe to replace).
const MARK: &str = ".diligence-site";

impl OutputDir {
    pub fn open(path: &Path, workspace: &Path) -> Result<OutputDir, Failure> {
        refuse_workspace_folders(path, workspace)?;
        let shown = path.to_path_buf();
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse(
                format!("--output {} is a link", path.display()),
                "give the real folder (a site is written into a folder it owns, never through a link)",
            ));
        }
        match std::fs::metadata(path) {
            Ok(m) if !m.is_dir() => {
                return Err(refuse(
                    format!("--output {} is a file, not a folder", path.display()),
                    "give a folder name, e.g. --output site",
                ));
            }
            Ok(_) => {
                let empty = std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none());
                if !empty && !path.join(MARK).is_file() {
                    return Err(refuse(
                        format!(
                            "--output {} is a folder that diligence did not write: it would be replaced",
                            path.display()
                        ),
                        "give a new or empty folder, or one a previous `diligence site` wrote",
                    ));
                }
            }
            Err(_) => {}
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path.file_name().ok_or_else(|| {
            refuse(
                format!("--output {} has no folder name", path.display()),
                "give a folder name, e.g. --output site",
            )
        })?;
        clean_up_on_signals();
        // Registered while the lock is held, so a signal cannot fall between creation and record.
        let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
        let tmp = tempfile::Builder::new()
            .prefix(".diligence-")
            .tempdir_in(&parent)
            .map_err(|e| {
                refuse(
                    format!(
                        "cannot create a temporary folder next to {}: {e}",
                        path.display()
                    ),
                    "check that the folder exists and is writable",
                )
            })?;
        pending.push(tmp.path().to_path_buf());
        let registered = PendingDir(tmp.path().to_path_buf());
        Ok(OutputDir {
            shown,
            dest: parent.join(name),
            tmp,
            _pending: registered,
        })
    }

    /// Where to write the files (a temporary folder until [`OutputDir::commit`]).
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Replaces the destination with what was written.
    pub fn commit(self) -> Result<(), Failure> {
        let fail = |what: &str, e: std::io::Error| -> Failure {
            Diagnostic::error(format!("cannot {what} {}: {e}", self.shown.display()))
                .hint("check that the destination is writable and has room")
                .into()
        };
        std::fs::write(self.tmp.path().join(MARK), "written by `diligence site`\n")
            .map_err(|e| fail("write", e))?;
        // A site is read by others: ordinary folder permissions, not the temporary folder's 0700.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ =
                std::fs::set_permissions(self.tmp.path(), std::fs::Permissions::from_mode(0o755));
        }
        let tmp = self.tmp.keep();
        let old = if self.dest.exists() {
            let aside = tmp.with_extension("old");
            std::fs::rename(&self.dest, &aside).map_err(|e| fail("replace", e))?;
            Some(aside)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&tmp, &self.dest) {
            if let Some(aside) = &old {
                let _ = std::fs::rename(aside, &self.dest);
            }
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(fail("write", e));
        }
        if let Some(aside) = old {
            let _ = std::fs::remove_dir_all(aside);
        }
        Ok(())
    }
}
