//! The reports as people read them: values and quotes as prose in the HTML and Markdown reports
//! and the workbook, and the workbook as LibreOffice prints it (print setup, no overlapping text).
//!
//! The print setup is read from the workbook's XML; printing through LibreOffice needs `soffice`
//! and `pdftotext` (skipped without them, except in CI: see `common::programs`).

use crate::common;

use calamine::{Reader, Xlsx};
use common::*;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// A workspace whose one claim has a structured value (a certification with its expiry) and a
/// quote with a Markdown link, as Open Terms Archive snapshots have them.
fn prose_workspace() -> Ws {
    let ws = Ws::new();
    ws.only_bundled_rule("certifications");
    ws.write(
        "policies/default.yaml",
        "organization: Test Org\nevidence_max_age_days: 365\nclassifications:\n  public: {}\n  \
         confidential: {require: {certifications: [SOC 2 Type II]}}\n",
    );
    ws.write(
        "vendors/acme/sources/terms.md",
        "# Acme Terms\n\n**3. Security.** Acme maintains a [SOC 2 Type II](https://acme.example/trust) \
         report, renewed each year.\n",
    );
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(
            "      certifications:
        - value: [{name: SOC 2 Type II, expires: 2027-03-31}]
          source: terms
          section: \"3\"
          quote: \"Acme maintains a [SOC 2 Type II](https://acme.example/trust) report\"
          note: Renewed each year.
",
        ),
    );
    ws
}

fn evaluate(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = diligence(dir)
        .args(["evaluate", "--today", TODAY])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn sheet(bytes: Vec<u8>, name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn html_report_and_workbook_show_values_and_quotes_as_prose() {
    let ws = prose_workspace();
    let html = String::from_utf8(evaluate(ws.path(), &["--format", "html"])).unwrap();
    assert!(
        html.contains("SOC 2 Type II, expires 2027-03-31"),
        "value as prose:\n{html}"
    );
    assert!(html.contains("Acme maintains a SOC 2 Type II report"));
    assert!(
        !html.contains("](https://acme.example/trust)"),
        "raw Markdown link"
    );
    assert!(
        !html.contains("{&quot;name&quot;") && !html.contains("[{"),
        "raw JSON"
    );
    // The claim's note names its fact as code, not between backticks.
    assert!(
        html.contains("Claim <code>certifications</code> (Acme Terms): Renewed each year."),
        "{html}"
    );

    let md = String::from_utf8(evaluate(ws.path(), &["--format", "markdown", "-v"])).unwrap();
    assert!(
        md.contains("> Acme maintains a SOC 2 Type II report"),
        "quote as prose:\n{md}"
    );

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("review.xlsx");
    evaluate(
        ws.path(),
        &["--format", "xlsx", "-o", file.to_str().unwrap()],
    );
    let evidence = sheet(std::fs::read(&file).unwrap(), "Evidence");
    let header = &evidence[0];
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = &evidence[1];
    assert_eq!(row[col("Value")], "SOC 2 Type II, expires 2027-03-31");
    assert_eq!(row[col("Quote")], "Acme maintains a SOC 2 Type II report");
}

// ---------------------------------------------------------------------------------------------
// The workbook in LibreOffice.

/// The bundled review as a workbook in `dir`.
fn bundled_xlsx(dir: &Path) -> PathBuf {
    let file = dir.join("review.xlsx");
    evaluate(
        &bundled(),
        &["--format", "xlsx", "-o", file.to_str().unwrap()],
    );
    file
}

#[test]
fn workbook_sheets_print_landscape_one_page_wide_with_a_frozen_filtered_header() {
    let tmp = tempfile::tempdir().unwrap();
    let book = xlsx::Book::open(&bundled_xlsx(tmp.path()));
    assert_eq!(
        book.sheet_names(),
        ["Summary", "Findings", "Passed", "Evidence", "Frameworks"]
    );
    // What Excel and LibreOffice read: page setup, print titles, panes, filter, and the row
    // heights that the file sets.
    for sheet in ["Findings", "Passed", "Evidence", "Frameworks"] {
        let setup = book.setup(sheet);
        assert!(setup.tall_rows > 0, "{sheet}: rows as high as their text");
        assert_eq!(
            setup,
            xlsx::Setup {
                landscape: true,
                fit_to_page: true,
                fit_to_width: 1,
                fit_to_height: 0,
                print_titles: Some("$1:$1".into()),
                frozen_at: Some("A2".into()),
                autofilter: true,
                tall_rows: setup.tall_rows,
                protected: false,
            },
            "{sheet}: landscape, one page wide, header repeated, frozen, filtered"
        );
    }
}

/// One word as pdftotext -bbox places it on a page.
struct Word {
    page: usize,
    text: String,
    x: (f64, f64),
    y: (f64, f64),
}

/// The words of a PDF with their boxes (pdftotext -bbox writes one `<word>` element a word).
fn words(pdftotext: &Path, pdf: &Path) -> Vec<Word> {
    let out = std::process::Command::new(pdftotext)
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8_lossy(&out.stdout);
    let num = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut found = Vec::new();
    for (page, text) in html.split("<page ").skip(1).enumerate() {
        for piece in text.split("<word ").skip(1) {
            let (tag, rest) = piece.split_once('>').unwrap();
            let word = rest.split("</word>").next().unwrap().to_string();
            found.push(Word {
                page: page + 1,
                text: word,
                x: (num(tag, "xMin"), num(tag, "xMax")),
                y: (num(tag, "yMin"), num(tag, "yMax")),
            });
        }
    }
    found
}

/// Two words overlap when their boxes cross: a word cut at its cell's edge and drawn under the
/// next cell's text, or wrapped lines drawn over each other. The boxes' height includes the
/// line spacing, so only their middle 40% counts vertically.
fn overlap(a: &Word, b: &Word) -> bool {
    let mid = |w: &Word| {
        let h = w.y.1 - w.y.0;
        (w.y.0 + 0.3 * h, w.y.1 - 0.3 * h)
    };
    let (ay, by) = (mid(a), mid(b));
    a.page == b.page && a.x.0 < b.x.1 - 0.2 && b.x.0 < a.x.1 - 0.2 && ay.0 < by.1 && by.0 < ay.1
}

#[test]
fn workbook_prints_in_libreoffice_with_no_overlapping_or_cut_text() {
    let Some(tools) = programs::needs(&[&programs::SOFFICE, &programs::PDFTOTEXT]) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let file = bundled_xlsx(tmp.path());
    let profile = tmp.path().join("lo-profile");
    let out = std::process::Command::new(&tools[0])
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(tmp.path())
        .arg(&file)
        .output()
        .expect("soffice runs");
    let pdf = tmp.path().join("review.pdf");
    assert!(
        pdf.exists(),
        "soffice wrote no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let words = words(&tools[1], &pdf);
    assert!(
        words
            .iter()
            .any(|w| w.text == "Findings" || w.text == "Offering")
    );
    let mut crossed = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            if overlap(a, b) {
                crossed.push(format!("page {}: {:?} over {:?}", a.page, a.text, b.text));
            }
        }
    }
    assert!(
        crossed.is_empty(),
        "{} overlapping words, e.g. {:#?}",
        crossed.len(),
        &crossed[..crossed.len().min(5)]
    );
    // Readable on paper: fitted to one page wide, the Findings sheet still prints its text at
    // about 7 pt (a word's box is about 0.9 of the font size); wider columns shrank it to 5 pt.
    let findings_pages: Vec<usize> = words
        .iter()
        .filter(|w| w.text == "Finding")
        .map(|w| w.page)
        .collect();
    let mut heights: Vec<f64> = words
        .iter()
        .filter(|w| findings_pages.contains(&w.page))
        .map(|w| w.y.1 - w.y.0)
        .collect();
    assert!(!heights.is_empty(), "no Findings page");
    heights.sort_by(f64::total_cmp);
    let median = heights[heights.len() / 2];
    assert!(median >= 6.0, "Findings text prints {median:.1} pt high");
    // Every url of the evidence is printed whole (a cell cut at its edge still has the whole
    // word in the PDF, drawn under the next cell: the overlap check above catches that).
    let json = evaluate_json(&bundled(), &[]);
    let url = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .flat_map(|f| f["evidence"].as_array().unwrap())
        .find_map(|e| e["url"].as_str())
        .expect("the bundled evidence has a url");
    let printed: String = words.iter().map(|w| w.text.as_str()).collect();
    assert!(printed.contains(url), "{url} is not printed whole");
}
