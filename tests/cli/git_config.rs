//! A repository's own configuration never chooses a program diligence runs. The workspace (or
//! an archive clone) comes from a pull request or from someone else's machine; every key below
//! names a program that would write a marker file if git ran it.

use crate::common;

use common::{SNAPSHOT, TODAY, Ws};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A program that leaves `marker` behind when run, in a folder outside the workspace.
struct Trap {
    dir: tempfile::TempDir,
}

impl Trap {
    fn new() -> Trap {
        let trap = Trap {
            dir: tempfile::tempdir().unwrap(),
        };
        let script = trap.program();
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho ran >> '{}'\ncat >/dev/null 2>&1\nexit 0\n",
                trap.marker().display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        trap
    }
    fn program(&self) -> PathBuf {
        self.dir.path().join("evil.sh")
    }
    fn marker(&self) -> PathBuf {
        self.dir.path().join("marker")
    }
    fn sprung(&self) -> bool {
        self.marker().exists()
    }
}

/// The sample workspace, committed; returns the commit's short id.
fn committed_workspace() -> (Ws, String) {
    let ws = Ws::new();
    git(ws.path(), &["init", "-q"]);
    git(ws.path(), &["add", "-A"]);
    git(ws.path(), &["commit", "-q", "-m", "review"]);
    let commit = git(ws.path(), &["rev-parse", "--short", "HEAD"]);
    (ws, commit)
}

/// The HTML report's provenance line, after touching every tracked file so that git would
/// have to re-read (and filter) them to know whether they changed.
fn provenance(ws: &Ws) -> String {
    for rel in ["vendors/acme/profile.yaml", "vendors/acme/sources/terms.md"] {
        let path = ws.path().join(rel);
        let text = std::fs::read(&path).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, text).unwrap();
    }
    let out = ws
        .cmd()
        .args(["evaluate", "--format", "html", "--today", TODAY])
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let name = ws.path().file_name().unwrap().to_string_lossy();
    let start = html.find(&format!("{name} · ")).expect("a provenance line");
    html[start..].chars().take(80).collect()
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap_or_default();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// A planted configuration: what it is, the lines added to `.git/config`, and other files
/// (relative path, text appended).
type Plant = (&'static str, String, Vec<(&'static str, String)>);

/// Every planted configuration.
fn plants(trap: &Trap) -> Vec<Plant> {
    let p = trap.program().display().to_string();
    let hooks = trap.dir.path().join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    for hook in [
        "post-index-change",
        "pre-commit",
        "post-checkout",
        "reference-transaction",
    ] {
        std::fs::copy(trap.program(), hooks.join(hook)).unwrap();
    }
    vec![
        ("fsmonitor", format!("[core]\n\tfsmonitor = {p}\n"), vec![]),
        (
            "hooksPath",
            format!("[core]\n\thooksPath = {}\n", hooks.display()),
            vec![],
        ),
        (
            "sshCommand",
            format!(
                "[core]\n\tsshCommand = {p}\n[remote \"origin\"]\n\turl = ssh://example.invalid/x\n\tpromisor = true\n"
            ),
            vec![],
        ),
        (
            "pager",
            format!(
                "[core]\n\tpager = {p}\n[pager]\n\tstatus = {p}\n\trev-parse = {p}\n\tlog = {p}\n\tshow = {p}\n"
            ),
            vec![],
        ),
        (
            "gpg.program",
            format!(
                "[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {p}\n[gpg \"ssh\"]\n\tprogram = {p}\n"
            ),
            vec![],
        ),
        (
            "diff and textconv",
            format!(
                "[diff]\n\texternal = {p}\n[diff \"evil\"]\n\ttextconv = {p}\n\tcommand = {p}\n"
            ),
            vec![(".gitattributes", "* diff=evil\n".to_string())],
        ),
        (
            "filters",
            format!("[filter \"evil\"]\n\tclean = {p}\n\tsmudge = {p}\n\tprocess = {p}\n"),
            vec![(".gitattributes", "* filter=evil\n".to_string())],
        ),
        (
            "include",
            "[include]\n\tpath = evil.cfg\n[includeIf \"gitdir:/\"]\n\tpath = evil.cfg\n"
                .to_string(),
            vec![(".git/evil.cfg", format!("[core]\n\tfsmonitor = {p}\n"))],
        ),
    ]
}

#[test]
fn the_report_runs_no_program_a_workspace_repository_configures() {
    let cases = plants(&Trap::new()).len();
    for case in 0..cases {
        // A fresh trap per case, so that one case cannot hide another.
        let trap = Trap::new();
        let (what, config, files) = plants(&trap).swap_remove(case);
        let (ws, commit) = committed_workspace();
        append(&ws.path().join(".git/config"), &config);
        for (rel, text) in files {
            append(&ws.path().join(rel), &text);
        }
        let line = provenance(&ws);
        assert!(!trap.sprung(), "{what}: git ran the repository's program");
        assert!(line.contains(&format!("commit {commit}")), "{what}: {line}");
    }
}

#[test]
fn tracked_files_that_look_like_a_bare_repository_are_not_one() {
    // A pull request adds HEAD, config, objects/ and refs/ as plain files at the workspace
    // root: git itself would take the folder for a bare repository, run its fsmonitor and
    // report its commit.
    let trap = Trap::new();
    let outer = tempfile::tempdir().unwrap();
    git(outer.path(), &["init", "-q"]);
    std::fs::write(outer.path().join("README.md"), "reviews\n").unwrap();
    git(outer.path(), &["add", "-A"]);
    git(outer.path(), &["commit", "-q", "-m", "outer"]);
    let real = git(outer.path(), &["rev-parse", "--short", "HEAD"]);

    let fake = tempfile::tempdir().unwrap();
    git(fake.path(), &["init", "-q", "--bare"]);
    let blob = Command::new("sh")
        .current_dir(fake.path())
        .args(["-c", "echo fake | git hash-object -w --stdin"])
        .output()
        .unwrap();
    assert!(blob.status.success());
    let tree = Command::new("sh")
        .current_dir(fake.path())
        .args([
            "-c",
            &format!(
                "printf '100644 blob {}\\tf\\n' | git mktree",
                String::from_utf8_lossy(&blob.stdout).trim()
            ),
        ])
        .output()
        .unwrap();
    let tree = String::from_utf8_lossy(&tree.stdout).trim().to_string();
    let fake_commit = git(fake.path(), &["commit-tree", &tree, "-m", "fake"]);
    git(
        fake.path(),
        &["update-ref", "refs/heads/main", &fake_commit],
    );
    git(fake.path(), &["symbolic-ref", "HEAD", "refs/heads/main"]);

    let ws_dir = outer.path().join("reviews");
    let ws = Ws::new();
    common::copy_dir(ws.path(), &ws_dir);
    common::copy_dir(fake.path(), &ws_dir);
    append(
        &ws_dir.join("config"),
        &format!("[core]\n\tfsmonitor = {}\n", trap.program().display()),
    );
    let out = common::diligence(&ws_dir)
        .args(["evaluate", "--format", "html", "--today", TODAY])
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(!trap.sprung(), "git ran the planted fsmonitor");
    assert!(html.contains(&format!("commit {real}")), "{html}");
    assert!(
        !html.contains(&fake_commit[..7]),
        "the fake commit is shown"
    );
}

/// An Open Terms Archive clone whose one commit carries a signature and whose configuration
/// asks git to verify signatures with a planted program and to page and diff through it.
fn hostile_clone(trap: &Trap) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    std::fs::create_dir_all(repo.join("Acme")).unwrap();
    std::fs::write(repo.join("Acme/Terms of Service.md"), SNAPSHOT).unwrap();
    std::fs::write(repo.join(".gitattributes"), "* diff=evil filter=evil\n").unwrap();
    git(repo, &["add", "-A"]);
    let tree = git(repo, &["write-tree"]);
    // A signed commit, written by hand: git verifies it (running gpg.program) when asked to
    // show signatures.
    let commit = format!(
        "tree {tree}\nauthor t <t@example.com> 1767225600 +0000\ncommitter t <t@example.com> 1767225600 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nFirst record of Acme Terms of Service\n"
    );
    let path = repo.join("commit.txt");
    std::fs::write(&path, commit).unwrap();
    let id = git(repo, &["hash-object", "-t", "commit", "-w", "commit.txt"]);
    std::fs::remove_file(path).unwrap();
    git(repo, &["update-ref", "HEAD", &id]);
    git(repo, &["reset", "-q", "--hard"]);
    let p = trap.program().display().to_string();
    append(
        &repo.join(".git/config"),
        &format!(
            "[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {p}\n[core]\n\tpager = {p}\n\tfsmonitor = {p}\n[diff]\n\texternal = {p}\n[diff \"evil\"]\n\ttextconv = {p}\n[filter \"evil\"]\n\tsmudge = {p}\n\tclean = {p}\n"
        ),
    );
    dir
}

#[test]
fn a_received_archive_clone_runs_no_program_it_configures() {
    let trap = Trap::new();
    let clone = hostile_clone(&trap);
    // Git itself, asked the way diligence used to ask, would run the planted program.
    let plain = Command::new("git")
        .arg("-C")
        .arg(clone.path())
        .args(["log", "--format=%s", "-n", "1", "HEAD"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert!(
        trap.sprung(),
        "the planted clone does not exercise gpg.program"
    );
    std::fs::remove_file(trap.marker()).unwrap();

    let ws = Ws::new();
    let out = ws
        .cmd()
        .args(["import", "ota", "--repo"])
        .arg(clone.path())
        .args(["--service", "Acme", "--document", "Terms of Service"])
        .args(["acme", "archived"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !trap.sprung(),
        "import ota ran the clone's program: {stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(ws.read("vendors/acme/profile.yaml").contains("archived:"));
}
