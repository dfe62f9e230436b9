//! A workbook's parts as Excel and LibreOffice read them: the XML inside the xlsx zip.
//!
//! calamine reads cell values; what a spreadsheet program does with a sheet beyond its values
//! (print setup, frozen panes, filters, protection, validation, locked cells) is only in the XML,
//! so tests read it here, without an outside program.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

/// Every part of an xlsx file, by its name in the zip.
pub struct Book {
    parts: BTreeMap<String, String>,
}

/// How a sheet is set up to be viewed and printed, as the sheet's XML and the workbook's defined
/// names state it (absent attributes read as the format's defaults).
#[derive(Debug, PartialEq)]
pub struct Setup {
    pub landscape: bool,
    /// `fitToPage` on the sheet: the fit-to-width and -height numbers below apply.
    pub fit_to_page: bool,
    /// Pages wide and high to fit on; 0 means "as many as needed".
    pub fit_to_width: u32,
    pub fit_to_height: u32,
    /// The rows repeated on every printed page (`$1:$1`), from the workbook's print titles.
    pub print_titles: Option<String>,
    /// The first cell below and right of a frozen pane.
    pub frozen_at: Option<String>,
    pub autofilter: bool,
    /// Rows (other than the header) given a height of their own, taller than the default.
    pub tall_rows: usize,
    pub protected: bool,
}

/// One data validation of a sheet.
#[derive(Debug, PartialEq)]
pub struct Validation {
    pub kind: String,
    pub operator: String,
    pub formula1: String,
    pub cells: String,
}

fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

fn element<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'i>> {
    doc.descendants().find(|n| n.tag_name().name() == name)
}

fn flag(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "true"))
}

impl Book {
    pub fn open(path: &Path) -> Book {
        let file = std::fs::File::open(path).expect("the workbook opens");
        let mut zip = zip::ZipArchive::new(file).expect("an xlsx is a zip");
        let mut parts = BTreeMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("zip entry");
            let name = entry.name().expect("a part name").to_string();
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("an XML part");
            parts.insert(name, text);
        }
        Book { parts }
    }

    pub fn part(&self, name: &str) -> &str {
        self.parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"))
    }

    /// The sheets' names, in the workbook's order.
    pub fn sheet_names(&self) -> Vec<String> {
        let doc = roxmltree::Document::parse(self.part("xl/workbook.xml")).expect("workbook.xml");
        doc.descendants()
            .filter(|n| n.tag_name().name() == "sheet")
            .filter_map(|n| attr(n, "name").map(str::to_string))
            .collect()
    }

    /// The part name of a sheet (`xl/worksheets/sheet2.xml`), through the workbook's relations.
    fn sheet_part(&self, sheet: &str) -> String {
        let doc = roxmltree::Document::parse(self.part("xl/workbook.xml")).expect("workbook.xml");
        let id = doc
            .descendants()
            .find(|n| n.tag_name().name() == "sheet" && attr(*n, "name") == Some(sheet))
            .and_then(|n| n.attributes().find(|a| a.name() == "id").map(|a| a.value()))
            .unwrap_or_else(|| panic!("no sheet {sheet}"));
        let rels = roxmltree::Document::parse(self.part("xl/_rels/workbook.xml.rels"))
            .expect("workbook relations");
        let target = rels
            .descendants()
            .find(|n| attr(*n, "Id") == Some(id))
            .and_then(|n| attr(n, "Target"))
            .expect("the sheet's relation");
        match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        }
    }

    /// The index of a sheet in the workbook (what `localSheetId` counts).
    fn sheet_index(&self, sheet: &str) -> usize {
        self.sheet_names()
            .iter()
            .position(|n| n == sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet}"))
    }

    pub fn setup(&self, sheet: &str) -> Setup {
        let xml = self.part(&self.sheet_part(sheet)).to_string();
        let doc = roxmltree::Document::parse(&xml).expect("sheet XML");
        let page = element(&doc, "pageSetup");
        let number = |name: &str| {
            page.and_then(|p| attr(p, name))
                .map_or(1, |v| v.parse().expect("a number"))
        };
        let pane = element(&doc, "pane").filter(|p| attr(*p, "state") == Some("frozen"));
        let default_height: f64 = element(&doc, "sheetFormatPr")
            .and_then(|n| attr(n, "defaultRowHeight"))
            .map_or(15.0, |h| h.parse().expect("a height"));
        let tall_rows = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "row" && attr(*n, "r") != Some("1"))
            .filter_map(|n| attr(n, "ht"))
            .filter(|h| h.parse::<f64>().expect("a height") > default_height)
            .count();
        let index = self.sheet_index(sheet).to_string();
        let book = roxmltree::Document::parse(self.part("xl/workbook.xml")).expect("workbook.xml");
        let print_titles = book
            .descendants()
            .find(|n| {
                attr(*n, "name") == Some("_xlnm.Print_Titles")
                    && attr(*n, "localSheetId") == Some(&index)
            })
            .and_then(|n| n.text())
            .map(|t| t.rsplit('!').next().unwrap_or(t).to_string());
        Setup {
            landscape: page.and_then(|p| attr(p, "orientation")) == Some("landscape"),
            fit_to_page: flag(element(&doc, "pageSetUpPr").and_then(|n| attr(n, "fitToPage"))),
            fit_to_width: number("fitToWidth"),
            fit_to_height: number("fitToHeight"),
            print_titles,
            frozen_at: pane
                .and_then(|p| attr(p, "topLeftCell"))
                .map(str::to_string),
            autofilter: element(&doc, "autoFilter").is_some(),
            tall_rows,
            protected: flag(element(&doc, "sheetProtection").and_then(|n| attr(n, "sheet"))),
        }
    }

    pub fn validations(&self, sheet: &str) -> Vec<Validation> {
        let xml = self.part(&self.sheet_part(sheet)).to_string();
        let doc = roxmltree::Document::parse(&xml).expect("sheet XML");
        doc.descendants()
            .filter(|n| n.tag_name().name() == "dataValidation")
            .map(|n| Validation {
                kind: attr(n, "type").unwrap_or("none").to_string(),
                operator: attr(n, "operator").unwrap_or("between").to_string(),
                formula1: n
                    .children()
                    .find(|c| c.tag_name().name() == "formula1")
                    .and_then(|c| c.text())
                    .unwrap_or("")
                    .to_string(),
                cells: attr(n, "sqref").unwrap_or("").to_string(),
            })
            .collect()
    }

    /// Whether a cell is locked when its sheet is protected: its style's `protection` says so,
    /// and a cell with no style (or no protection element) is locked.
    pub fn locked(&self, sheet: &str, cell: &str) -> bool {
        let xml = self.part(&self.sheet_part(sheet)).to_string();
        let doc = roxmltree::Document::parse(&xml).expect("sheet XML");
        let style: usize = doc
            .descendants()
            .find(|n| n.tag_name().name() == "c" && attr(*n, "r") == Some(cell))
            .and_then(|n| attr(n, "s"))
            .map_or(0, |s| s.parse().expect("a style index"));
        let styles = roxmltree::Document::parse(self.part("xl/styles.xml")).expect("styles.xml");
        let xf = element(&styles, "cellXfs")
            .expect("cell formats")
            .children()
            .filter(|n| n.is_element())
            .nth(style)
            .expect("the cell's format");
        xf.children()
            .find(|n| n.tag_name().name() == "protection")
            .and_then(|p| attr(p, "locked"))
            .is_none_or(|v| flag(Some(v)))
    }

    /// Writes `value` into an existing cell of `sheet` (keeping its style, so its protection and
    /// validation stay), as a spreadsheet program saves what a person typed: a number when it
    /// reads as one, else text.
    pub fn fill(&mut self, sheet: &str, cell: &str, value: &str) {
        let part = self.sheet_part(sheet);
        let xml = self.part(&part);
        let open = format!("<c r=\"{cell}\"");
        let start = xml
            .find(&(open.clone() + " "))
            .or_else(|| xml.find(&(open.clone() + ">")))
            .or_else(|| xml.find(&(open.clone() + "/")))
            .unwrap_or_else(|| panic!("no cell {cell} in {sheet}"));
        let tag_end = start + xml[start..].find('>').expect("the cell's tag ends");
        let end = if xml[..tag_end].ends_with('/') {
            tag_end + 1
        } else {
            tag_end + xml[tag_end..].find("</c>").expect("the cell ends") + 4
        };
        let doc = roxmltree::Document::parse(&xml[start..end]).expect("the cell's XML");
        let style = attr(doc.root_element(), "s")
            .map(|s| format!(" s=\"{s}\""))
            .unwrap_or_default();
        let escaped = value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let filled = if value.parse::<f64>().is_ok() {
            format!("<c r=\"{cell}\"{style}><v>{value}</v></c>")
        } else {
            format!("<c r=\"{cell}\"{style} t=\"inlineStr\"><is><t>{escaped}</t></is></c>")
        };
        let new = format!("{}{filled}{}", &xml[..start], &xml[end..]);
        self.parts.insert(part, new);
    }

    pub fn save(&self, path: &Path) {
        let file = std::fs::File::create(path).expect("create the workbook");
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        // `[Content_Types].xml` first, as Office writes it.
        let first = "[Content_Types].xml";
        let names = std::iter::once(first).chain(
            self.parts
                .keys()
                .map(String::as_str)
                .filter(|n| *n != first),
        );
        for name in names {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(self.part(name).as_bytes()).expect("write");
        }
        zip.finish().expect("finish the zip");
    }
}
