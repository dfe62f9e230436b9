//! Where a review comes from, as shown in the HTML report and the decision brief: the
//! workspace folder's name and its git commit. Never the absolute path: reports leave the
//! machine, and a path like `/home/alice/...` says nothing to the reader.

use crate::git::Repo;
use std::path::Path;

/// The commit of the workspace: "83cb6d7", "83cb6d7 (uncommitted changes)" when files under
/// the workspace differ from it, or "not a git repository" (also when git is not installed).
/// The repository is read through [`crate::git`], so its configuration never runs a program.
pub fn git_commit(root: &Path) -> String {
    let Some(mut repo) = Repo::discover(root) else {
        return "not a git repository".to_string();
    };
    let Some(full) = repo.head().map(str::to_string) else {
        return "not a git repository".to_string();
    };
    let commit = match repo.run(&["rev-parse", "--short", "HEAD"]) {
        Ok(short) if !short.trim().is_empty() => short.trim().to_string(),
        _ => full[..7].to_string(),
    };
    // Only changes inside the workspace folder count.
    let here = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let pathspec = here
        .strip_prefix(repo.work_tree.canonicalize().unwrap_or_default())
        .ok()
        .and_then(|p| p.to_str())
        .map(|p| {
            if p.is_empty() {
                ".".to_string()
            } else {
                format!(":(top,literal){p}")
            }
        });
    let status = match &pathspec {
        Some(spec) => repo.run(&["status", "--porcelain", "--", spec]),
        None => Err(String::new()),
    };
    match status {
        Ok(s) if s.is_empty() => commit,
        _ => format!("{commit} (uncommitted changes)"),
    }
}

/// The workspace's folder name.
pub fn folder_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "workspace".to_string())
}

/// "my-reviews · commit 83cb6d7 (uncommitted changes)", or "my-reviews · not a git repository".
pub fn describe(root: &Path) -> String {
    let commit = git_commit(root);
    if commit.starts_with("not a git") {
        format!("{} · {commit}", folder_name(root))
    } else {
        format!("{} · commit {commit}", folder_name(root))
    }
}
