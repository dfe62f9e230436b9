//! Intake under attack: a filled questionnaire, a vendor document or a workspace layout from
//! someone else. Nothing is written outside the intended file, and every refusal is an error
//! that names the file, with exit 2.

mod common;

use common::Ws;
use std::path::Path;

const ANSWERS: &str =
    "vendor,offering,fact,answer,document,section\nacme,api,breach_notification_hours,24,DPA,9\n";
const SNAPSHOT_REL: &str = "vendors/acme/sources/questionnaire-2026-11-20.md";

fn answers(ws: &Ws, file: &Path) -> std::process::Output {
    ws.cmd()
        .args(["answers", "acme"])
        .arg(file)
        .args(["--received", "2026-11-20"])
        .output()
        .expect("runs")
}

fn answers_file(ws: &Ws, text: &str) -> std::path::PathBuf {
    let file = ws.path().join("answers.csv");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn answers_never_write_through_a_link_at_the_snapshot() {
    // A link out of the workspace, and a link onto the contract's own snapshot.
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    for target in [victim.clone(), Path::new("terms.md").to_path_buf()] {
        let ws = Ws::new();
        std::fs::write(&victim, "precious\n").unwrap();
        std::os::unix::fs::symlink(&target, ws.path().join(SNAPSHOT_REL)).unwrap();
        let profile = ws.read("vendors/acme/profile.yaml");
        let terms = ws.read("vendors/acme/sources/terms.md");
        let out = answers(&ws, &answers_file(&ws, ANSWERS));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{target:?}: {stderr}");
        assert!(
            stderr.contains("questionnaire-2026-11-20.md is a link"),
            "{stderr}"
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        assert_eq!(ws.read("vendors/acme/sources/terms.md"), terms);
        assert_eq!(ws.read("vendors/acme/profile.yaml"), profile);
        assert!(
            std::fs::symlink_metadata(ws.path().join(SNAPSHOT_REL))
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link was replaced or deleted"
        );
    }
}

#[test]
fn answers_never_write_through_a_link_at_the_profile() {
    let ws = Ws::new();
    let real = ws.path().join("vendors/acme/profile.real.yaml");
    std::fs::rename(ws.path().join("vendors/acme/profile.yaml"), &real).unwrap();
    std::os::unix::fs::symlink(
        "profile.real.yaml",
        ws.path().join("vendors/acme/profile.yaml"),
    )
    .unwrap();
    let before = std::fs::read_to_string(&real).unwrap();
    let out = answers(&ws, &answers_file(&ws, ANSWERS));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("profile.yaml is a link"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&real).unwrap(), before);
    assert!(!ws.path().join(SNAPSHOT_REL).exists());
}
