//! Where a review comes from, as shown in the HTML report and the decision brief: the
//! workspace folder's name and its git commit. Never the absolute path: reports leave the
//! machine, and a path like `/home/alice/...` says nothing to the reader.

use std::path::Path;
use std::process::{Command, Stdio};

/// The commit of the workspace: "83cb6d7", "83cb6d7 (uncommitted changes)" when files under
/// the workspace differ from it, or "not a git repository" (also when git is not installed).
pub fn git_commit(root: &Path) -> String {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let Some(commit) = git(&["rev-parse", "--short", "HEAD"]).filter(|c| !c.is_empty()) else {
        return "not a git repository".to_string();
    };
    // Only changes inside the workspace folder count.
    match git(&["status", "--porcelain", "--", "."]) {
        Some(s) if s.is_empty() => commit,
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
