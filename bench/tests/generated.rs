//! The generated workspace looks like a reviewed one: every quote states its claim's value in a
//! sentence the clause reader reads, so `check` fails only the quotes the generator breaks on
//! purpose (a document rewritten since the review). A workspace whose quotes did not support
//! their values would have its claims refused and count for nothing, and the benchmark would
//! time a workspace no reviewer keeps.

use std::path::Path;
use std::process::Command;

#[test]
fn the_generated_workspace_fails_check_only_where_a_quote_was_broken_on_purpose() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (counts, _) =
        diligence_bench::generate::write_workspace(dir.path(), &repo, 60, 7).expect("workspace");
    assert!(counts.broken_quotes > 0, "the generator breaks some quotes");
    let out = Command::new(env!("CARGO_BIN_EXE_diligence-bench"))
        .env("DILIGENCE_BENCH_AS_CLI", "1")
        .args(["-C"])
        .arg(dir.path())
        .args(["check", "--no-cache"])
        .output()
        .expect("run check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let refused: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("does not support"))
        .collect();
    assert!(
        refused.is_empty(),
        "{} quotes do not support their values, e.g.:\n{}",
        refused.len(),
        refused
            .iter()
            .take(40)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let not_found = stderr.matches("quote not found").count();
    assert_eq!(not_found, counts.broken_quotes, "{stderr}");
}
