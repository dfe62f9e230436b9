//! Reading git repositories that came from someone else (a pull request, a received clone)
//! without letting them choose a program to run.
//!
//! A repository's own configuration can name programs git runs on its own: `core.fsmonitor` on
//! `git status`, `gpg.program` when `log.showSignature` is set, filter and diff drivers picked by
//! `.gitattributes`, pagers, hooks, and `include.path` can pull any of them in from another
//! file. Filter and diff driver names are free text, so no list of `-c` overrides can cover them
//! all. Git therefore never reads the repository's configuration here:
//!
//! - the repository is found by looking for a `.git` folder or file, never a bare repository
//!   (plain tracked files `HEAD`, `objects/`, `refs/` at a workspace root are not a repository);
//! - `HEAD` and the ref it names are read from the files, without git;
//! - git runs with a private `GIT_DIR` (a temporary folder holding only that commit id and a
//!   configuration written here) over the repository's objects and index, with the system and
//!   global configuration off, every inherited `GIT_*` variable removed, and the keys that run
//!   programs overridden on the command line as well.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The configuration keys that run a program, pinned on every git command line in case a
/// future git reads a configuration this module did not write.
const PINNED: &[&str] = &[
    "safe.bareRepository=explicit",
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.sshCommand=false",
    "core.askPass=false",
    "core.pager=cat",
    "core.editor=false",
    "core.quotepath=off",
    "credential.helper=",
    "protocol.allow=never",
    "log.showSignature=false",
    "gpg.program=false",
    "gpg.ssh.program=false",
    "gpg.x509.program=false",
    "diff.external=",
    "log.mailmap=false",
];

/// Most a git command may print: a document in the archive is archived only up to the
/// snapshot limit (8 MiB), and histories of a few thousand versions print a few MiB.
pub(crate) const MAX_GIT_OUTPUT_BYTES: u64 = 64 * 1024 * 1024;

/// A git repository with a work tree, found through its `.git`.
pub(crate) struct Repo {
    /// The folder holding `.git`.
    pub(crate) work_tree: PathBuf,
    /// The repository's own git folder (HEAD, index) and the folder shared by its worktrees
    /// (objects, refs); the same folder unless the work tree is a linked worktree.
    git_dir: PathBuf,
    common_dir: PathBuf,
    /// The commit HEAD names, read from the files.
    head: Option<String>,
    /// The private GIT_DIR git runs with.
    private: Option<tempfile::TempDir>,
}

impl Repo {
    /// The repository whose work tree is `dir` itself.
    pub(crate) fn open(dir: &Path) -> Result<Repo, String> {
        let dot_git = dir.join(".git");
        let git_dir = if dot_git.is_dir() {
            dot_git
        } else if dot_git.is_file() {
            // A linked worktree or a submodule: `.git` is a file `gitdir: PATH`.
            let text = read_small(&dot_git).ok_or("its .git file cannot be read")?;
            let target = text
                .trim()
                .strip_prefix("gitdir:")
                .ok_or("its .git file does not name a git folder")?
                .trim();
            dir.join(target)
        } else {
            return Err("it has no .git folder (clone the repository with `git clone`)".into());
        };
        let common_dir = match read_small(&git_dir.join("commondir")) {
            Some(rel) => git_dir.join(rel.trim()),
            None => git_dir.clone(),
        };
        let mut repo = Repo {
            work_tree: dir.to_path_buf(),
            git_dir,
            common_dir,
            head: None,
            private: None,
        };
        repo.head = repo.resolve("HEAD", 0);
        Ok(repo)
    }

    /// The repository `start` is in: the nearest folder at or above it that holds `.git`.
    pub(crate) fn discover(start: &Path) -> Option<Repo> {
        let start = start.canonicalize().ok()?;
        start
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .and_then(|dir| Repo::open(dir).ok())
    }

    /// The full id of the commit HEAD names, if there is one.
    pub(crate) fn head(&self) -> Option<&str> {
        self.head.as_deref()
    }

    /// Follows a ref (`HEAD`, `refs/heads/main`) to a commit id through loose refs and
    /// `packed-refs`. Anything unexpected (a reftable repository, a malformed ref) is None.
    fn resolve(&self, name: &str, depth: usize) -> Option<String> {
        if depth > 5 || !valid_ref_name(name) {
            return None;
        }
        let loose = [&self.git_dir, &self.common_dir]
            .iter()
            .find_map(|dir| read_small(&dir.join(name)));
        if let Some(text) = loose {
            let text = text.trim();
            return match text.strip_prefix("ref:") {
                Some(target) => self.resolve(target.trim(), depth + 1),
                None => is_object_id(text).then(|| text.to_ascii_lowercase()),
            };
        }
        let packed = read_small(&self.common_dir.join("packed-refs"))?;
        packed.lines().find_map(|line| {
            let (id, ref_name) = line.split_once(' ')?;
            (ref_name.trim() == name && is_object_id(id)).then(|| id.to_ascii_lowercase())
        })
    }

    /// The value of one key in the repository's own `config` file, read as data (includes are
    /// not followed), e.g. `remote.origin.url`.
    pub(crate) fn config_value(&mut self, key: &str) -> Option<String> {
        let file = self.common_dir.join("config");
        let file = file.to_str()?.to_string();
        self.run(&["config", "--file", &file, "--get", key])
            .ok()
            .map(|v| v.trim().to_string())
    }

    /// Runs a read-only git command in the work tree with the private GIT_DIR; its standard
    /// output, or git's first line of complaint.
    pub(crate) fn run(&mut self, args: &[&str]) -> Result<String, String> {
        let private = self.private_dir()?.to_path_buf();
        let mut cmd = Command::new("git");
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("GIT_") {
                cmd.env_remove(key);
            }
        }
        let ceiling = self.work_tree.parent().unwrap_or(&self.work_tree);
        cmd.current_dir(&self.work_tree)
            .env("GIT_DIR", &private)
            .env("GIT_WORK_TREE", &self.work_tree)
            .env("GIT_OBJECT_DIRECTORY", self.common_dir.join("objects"))
            .env("GIT_INDEX_FILE", self.git_dir.join("index"))
            .env("GIT_CEILING_DIRECTORIES", ceiling)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_ATTR_NOSYSTEM", "1")
            .env("GIT_NO_REPLACE_OBJECTS", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_PAGER", "cat")
            .env("PAGER", "cat")
            .arg("--no-pager");
        for pin in PINNED {
            cmd.args(["-c", pin]);
        }
        // Untracked files the repository ignores locally stay ignored.
        let exclude = self.git_dir.join("info/exclude");
        if let Some(exclude) = exclude.to_str().filter(|_| exclude.is_file()) {
            cmd.arg("-c").arg(format!("core.excludesFile={exclude}"));
        }
        let mut child = cmd
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run git: {e} (is git installed?)"))?;
        // What git prints is read up to a limit: a received clone can hold a blob of GBs.
        let stderr = child.stderr.take().map(|e| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = std::io::Read::read_to_string(
                    &mut std::io::Read::take(e, 64 * 1024),
                    &mut text,
                );
                text
            })
        });
        let mut stdout = Vec::new();
        if let Some(out) = child.stdout.take() {
            let _ = std::io::Read::read_to_end(
                &mut std::io::Read::take(out, MAX_GIT_OUTPUT_BYTES + 1),
                &mut stdout,
            );
        }
        if stdout.len() as u64 > MAX_GIT_OUTPUT_BYTES {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "git printed more than {} MiB (a document or history far larger than a snapshot may be)",
                MAX_GIT_OUTPUT_BYTES / (1024 * 1024)
            ));
        }
        let status = child.wait().map_err(|e| format!("cannot run git: {e}"))?;
        let err = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
        if !status.success() {
            let first = err.lines().next().unwrap_or("git failed").trim();
            return Err(first.trim_start_matches("fatal: ").to_string());
        }
        String::from_utf8(stdout).map_err(|_| "git printed text that is not UTF-8".to_string())
    }

    /// The private GIT_DIR: HEAD (the commit read above, detached), a configuration written
    /// here, and the repository's `shallow` list so that a shallow clone's history ends where
    /// it should.
    fn private_dir(&mut self) -> Result<&Path, String> {
        if self.private.is_none() {
            let head = self.head.clone().ok_or("its HEAD names no commit")?;
            let dir = tempfile::Builder::new()
                .prefix("diligence-git-")
                .tempdir()
                .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
            let format = if head.len() == 64 {
                "[core]\n\trepositoryformatversion = 1\n[extensions]\n\tobjectformat = sha256\n"
            } else {
                "[core]\n\trepositoryformatversion = 0\n"
            };
            let write = |name: &str, text: &str| {
                std::fs::write(dir.path().join(name), text)
                    .map_err(|e| format!("cannot write a temporary file: {e}"))
            };
            write("HEAD", &format!("{head}\n"))?;
            write("config", &format!("{format}\tbare = false\n"))?;
            std::fs::create_dir_all(dir.path().join("refs"))
                .map_err(|e| format!("cannot write a temporary folder: {e}"))?;
            if let Some(shallow) = read_small(&self.common_dir.join("shallow")) {
                write("shallow", &shallow)?;
            }
            self.private = Some(dir);
        }
        Ok(self.private.as_ref().map_or(Path::new(""), |d| d.path()))
    }
}

/// A commit id: 40 (SHA-1) or 64 (SHA-256) hex digits.
fn is_object_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `HEAD` or `refs/...` with no way out of the git folder.
fn valid_ref_name(name: &str) -> bool {
    (name == "HEAD" || name.starts_with("refs/"))
        && !name
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        && !name.contains('\\')
}

/// A small text file (refs, HEAD, `.git` files); anything larger than a ref list should be is
/// not read.
fn read_small(path: &Path) -> Option<String> {
    use std::io::Read;
    const LIMIT: u64 = 16 * 1024 * 1024;
    let file = std::fs::File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    file.take(LIMIT).read_to_string(&mut text).ok()?;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_names_cannot_leave_the_git_folder() {
        assert!(valid_ref_name("HEAD"));
        assert!(valid_ref_name("refs/heads/main"));
        assert!(!valid_ref_name("refs/../../etc/passwd"));
        assert!(!valid_ref_name("/etc/passwd"));
        assert!(!valid_ref_name("config"));
    }
}
