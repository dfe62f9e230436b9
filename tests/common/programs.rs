//! Outside programs some tests drive (a browser, an office suite, PDF tools, a pseudo-terminal).
//!
//! A fresh clone with only the Rust toolchain (and git, which made the clone) must pass
//! `cargo test`: a test that needs one of these programs runs when it is installed and is
//! skipped, saying so on stderr, when it is not. Under `CI=true` the programs are installed by
//! `.ci/run`, so a missing one fails the test instead of hiding it.

use std::io::Write;
use std::path::PathBuf;

/// A program a test may need: the names it goes by and the Debian package that provides it.
pub struct Program {
    pub names: &'static [&'static str],
    pub package: &'static str,
}

/// Headless Chromium renders and prints the HTML report.
pub const CHROMIUM: Program = Program {
    names: &["chromium", "chromium-browser"],
    package: "chromium",
};

/// LibreOffice opens and prints the workbooks as a reviewer's spreadsheet program does.
pub const SOFFICE: Program = Program {
    names: &["soffice", "libreoffice"],
    package: "libreoffice-calc-nogui",
};

/// poppler's pdftotext reads the text (and word boxes) of a printed page.
pub const PDFTOTEXT: Program = Program {
    names: &["pdftotext"],
    package: "poppler-utils",
};

/// util-linux `script` gives a command a pseudo-terminal.
pub const SCRIPT: Program = Program {
    names: &["script"],
    package: "bsdutils",
};

/// Whether missing programs fail tests: `CI` set to anything but empty, `0` or `false`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// Where `program` is on `PATH`, if anywhere.
pub fn find(program: &Program) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    program.names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Every program the calling test needs, in the order given, or `None` after saying on stderr
/// which one is missing (`skipped: TEST needs PROGRAM (Debian package PKG)`). Under CI a missing
/// program panics: CI must have installed it.
pub fn needs(programs: &[&Program]) -> Option<Vec<PathBuf>> {
    let mut found = Vec::new();
    for program in programs {
        match find(program) {
            Some(path) => found.push(path),
            None => {
                let test = std::thread::current()
                    .name()
                    .unwrap_or("this test")
                    .to_string();
                let message = format!(
                    "{test} needs {} (Debian package {})",
                    program.names[0], program.package
                );
                assert!(!in_ci(), "CI must install it: {message}");
                // Straight to the process's stderr: `eprintln!` inside a passing test is
                // captured by the test harness, and a skip must be seen.
                let _ = writeln!(std::io::stderr(), "skipped: {message}");
                return None;
            }
        }
    }
    Some(found)
}

/// As [`needs`], for one program.
pub fn need(program: &Program) -> Option<PathBuf> {
    needs(&[program]).map(|mut found| found.remove(0))
}
