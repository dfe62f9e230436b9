//! Intake under attack: a filled questionnaire, a vendor document or a workspace layout from
//! someone else. Nothing is written outside the intended file, and every refusal is an error
//! that names the file, with exit 2.

use crate::common;

use common::{Ws, capped};
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

fn git(dir: &Path, args: &[&str], date: &str) {
    common::archive_git(dir, args, Some(date));
}

#[test]
fn refresh_reads_a_cited_snapshot_only_where_check_would() {
    // An archive with one recorded document, imported; then a newer version is recorded and
    // the profile's cited snapshot is pointed at an endless device.
    let archive = tempfile::tempdir().unwrap();
    let repo = archive.path();
    git(repo, &["init", "-q"], "2026-01-01T00:00:00Z");
    std::fs::create_dir_all(repo.join("Acme")).unwrap();
    std::fs::write(repo.join("Acme/Terms of Service.md"), common::SNAPSHOT).unwrap();
    git(repo, &["add", "-A"], "2026-01-01T00:00:00Z");
    git(
        repo,
        &[
            "commit",
            "-q",
            "-m",
            "First record of Acme Terms of Service",
        ],
        "2026-01-01T00:00:00Z",
    );
    let ws = Ws::new();
    let imported = ws
        .cmd()
        .args(["import", "ota", "--repo"])
        .arg(repo)
        .args(["--service", "Acme", "--document", "Terms of Service"])
        .args(["acme", "archived"])
        .output()
        .unwrap();
    assert!(imported.status.success(), "{imported:?}");
    std::fs::write(
        repo.join("Acme/Terms of Service.md"),
        format!(
            "{}\n3. Changes. Acme may change these terms.\n",
            common::SNAPSHOT
        ),
    )
    .unwrap();
    git(
        repo,
        &[
            "commit",
            "-qam",
            "Record new changes of Acme Terms of Service",
        ],
        "2026-02-01T00:00:00Z",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "snapshot: sources/archived.2026-01-01.md",
        "snapshot: /dev/zero",
    );
    let run = capped(
        ws.path(),
        &["refresh".as_ref(), "--repo".as_ref(), repo.as_os_str()],
    );
    let out = run.output;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some(), "killed: {stderr}");
    let peak = run.peak_mb;
    assert!(peak < 500.0, "refresh read {peak:.0} MB");
    assert!(
        stderr.contains("snapshot `/dev/zero`"),
        "the refused snapshot is named: {stderr}"
    );
}

/// A workbook with the Questions sheet's header, one answer, and `extra` applied.
fn workbook(extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Questions").unwrap();
    for (i, h) in [
        "vendor", "offering", "fact", "answer", "document", "section",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    for (i, v) in ["acme", "api", "breach_notification_hours", "24", "DPA", "9"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, i as u16, *v).unwrap();
    }
    extra(sheet);
    book.save_to_buffer().unwrap()
}

/// `answers acme FILE` under a 2 GiB cap: exit 2 with `needle` in the error, nothing written.
fn refused_answers(name: &str, bytes: &[u8], needle: &str) {
    let ws = Ws::new();
    let file = ws.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let profile = ws.read("vendors/acme/profile.yaml");
    let out = capped(
        ws.path(),
        &[
            "answers".as_ref(),
            "acme".as_ref(),
            file.as_os_str(),
            "--received".as_ref(),
            "2026-11-20".as_ref(),
        ],
    )
    .output;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(stderr.contains(needle), "{name}: {stderr}");
    assert_eq!(ws.read("vendors/acme/profile.yaml"), profile, "{name}");
    assert!(!ws.path().join(SNAPSHOT_REL).exists(), "{name}");
}

#[test]
fn hostile_questionnaire_files_are_refused_before_they_cost_memory() {
    // One cell at the sheet's last row and column: read as a rectangle, 17 billion cells.
    let far = workbook(|s| {
        s.write_string(1_048_575, 16_383, "x").unwrap();
    });
    refused_answers(
        "far.xlsx",
        &far,
        "far.xlsx!Questions!XFD1048576: outside the questionnaire",
    );
    // A workbook with a file that unpacks to 40 MiB of zeros.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(workbook(|_| {}))).unwrap();
    for i in 0..source.len() {
        zip.raw_copy_file(source.by_index(i).unwrap()).unwrap();
    }
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/media/zeros.bin", options).unwrap();
    let chunk = vec![0u8; 1024 * 1024];
    for _ in 0..40 {
        std::io::Write::write_all(&mut zip, &chunk).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
    refused_answers("bomb.xlsx", &bomb, "unpacks to more than 32 MiB");
    // Files too large to be a questionnaire, and too many rows.
    let mut big = ANSWERS.as_bytes().to_vec();
    big.resize(9 * 1024 * 1024, b'\n');
    refused_answers("big.csv", &big, "larger than 8 MiB");
    let many = format!("{ANSWERS}{}", "acme,api,,,,\n".repeat(10_001));
    refused_answers("many.csv", many.as_bytes(), "more than 10000 rows");
}

#[test]
fn snapshot_refuses_a_document_larger_than_check_reads() {
    let ws = Ws::new();
    let big = ws.path().join("big.md");
    let line = "2.1 Acme shall not use Customer Content to train models.\n";
    std::fs::write(&big, line.repeat(9 * 1024 * 1024 / line.len() + 1)).unwrap();
    let out = ws
        .cmd()
        .args(["snapshot", "acme", "huge"])
        .arg(&big)
        .args(["--authority", "contract", "--retrieved", "2026-11-20"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("more than the 8 MiB a snapshot may hold"),
        "{stderr}"
    );
    let sources: Vec<_> = std::fs::read_dir(ws.path().join("vendors/acme/sources"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(sources, ["terms.md"]);
    ws.cmd().arg("check").assert().success();
}

#[test]
fn answers_are_validated_as_they_will_be_read_back() {
    // A number above the largest a profile holds, and 3 MB of text in one cell.
    for (text, needle) in [
        (
            "vendor,offering,fact,answer,document,section\nacme,api,breach_notification_hours,9223372036854775808,DPA,9\n".to_string(),
            "is not a whole number",
        ),
        (
            format!(
                "vendor,offering,fact,answer,document,section\nacme,api,breach_notification_hours,24,{},9\n",
                "D".repeat(3_000_000)
            ),
            "characters in one cell",
        ),
    ] {
        let ws = Ws::new();
        let before = ws.read("vendors/acme/profile.yaml");
        let out = answers(&ws, &answers_file(&ws, &text));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
        assert!(!stderr.contains("bug in diligence"), "{stderr}");
        assert_eq!(ws.read("vendors/acme/profile.yaml"), before);
    }
    // A profile with CR-only line endings is refused with its line, not broken.
    let ws = Ws::new();
    let cr = ws.read("vendors/acme/profile.yaml").replace('\n', "\r");
    ws.write("vendors/acme/profile.yaml", &cr);
    let out = answers(&ws, &answers_file(&ws, ANSWERS));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("lone carriage return"), "{stderr}");
    assert_eq!(ws.read("vendors/acme/profile.yaml"), cr);
}

#[test]
fn line_breaks_in_a_free_text_answer_stay_in_one_item() {
    let ws = Ws::new();
    let file = answers_file(
        &ws,
        "vendor,offering,fact,answer,document,section\nacme,api,breach_notification_hours,24,\"DPA\n- training_on_inputs (api): never\",\"9\r\n+ fake change\"\n",
    );
    let out = ws
        .cmd()
        .args(["answers", "acme"])
        .arg(&file)
        .args(["--received", "2026-11-20", "--dry-run"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        !stdout
            .lines()
            .any(|l| l.starts_with("+ fake") || l.starts_with("- training")),
        "{stdout}"
    );
}
