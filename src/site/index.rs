//! The index's rows, kept on disk as offerings pass: its matrix rows, the vendors of its filter
//! and the decision register's rows are rendered when their offering's page is written and
//! appended to unnamed temporary files in the output folder, then copied into `index.html` at
//! the end. In memory stay only what the page's header needs (counts and the rules raised), so
//! the writer's memory does not grow with the portfolio (10,000 vendors hold 80,000 matrix
//! cells).

use super::Summary;
use super::pages::{self, Kept, REGISTER, ROWS, VENDORS};
use crate::decisions::status::Row;
use crate::report::writer::Error;
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

/// What the index keeps of the offerings written so far.
pub(crate) struct Index {
    vendors: BufWriter<File>,
    rows: BufWriter<File>,
    register: BufWriter<File>,
    /// The vendor of the last row (the filter lists each vendor once, in order).
    last_vendor: Option<String>,
    /// What the page's header and filters need: counts and the rules raised.
    pub kept: Kept,
}

impl Index {
    /// Opens the temporary files in `dir` (unnamed: the system removes them however the run
    /// ends).
    pub fn create(dir: &Path) -> Result<Index, Error> {
        let spill = || -> Result<BufWriter<File>, Error> {
            Ok(BufWriter::new(tempfile::tempfile_in(dir)?))
        };
        Ok(Index {
            vendors: spill()?,
            rows: spill()?,
            register: spill()?,
            last_vendor: None,
            kept: Kept::default(),
        })
    }

    /// An offering's row of the matrix (and its vendor, the first time), rendered now.
    pub fn offering(&mut self, s: &Summary, classes: &[String]) -> Result<(), Error> {
        if self.last_vendor.as_deref() != Some(s.vendor.as_str()) {
            self.vendors
                .write_all(pages::vendor_option(&s.vendor).into_string().as_bytes())?;
            self.last_vendor = Some(s.vendor.clone());
        }
        self.rows
            .write_all(pages::matrix_row(s, classes).into_string().as_bytes())?;
        self.kept.rules.extend(s.rules.iter().cloned());
        self.kept.offerings += 1;
        Ok(())
    }

    /// An offering's decisions in force, as rows of the register.
    pub fn decisions(&mut self, rows: &[Row]) -> Result<(), Error> {
        for r in rows {
            self.register
                .write_all(pages::register_row(r, "").into_string().as_bytes())?;
        }
        self.kept.decisions += rows.len();
        Ok(())
    }

    /// Writes `page` (the index's markup with the three places marked) to `out`, each mark
    /// replaced by its part, every byte through the report writer's sanitizer.
    pub fn write(self, page: &str, out: &Path) -> Result<(), Error> {
        let parts = [
            (VENDORS, self.vendors),
            (ROWS, self.rows),
            (REGISTER, self.register),
        ];
        let mut file = super::create(out)?;
        let mut clean = crate::report::sanitize::Sanitizer::html(&mut file);
        let mut rest = page;
        for (mark, part) in parts {
            // The register's mark is absent when there is no decision.
            let Some((before, after)) = rest.split_once(mark) else {
                continue;
            };
            clean.write_all(before.as_bytes())?;
            let mut spilled = part.into_inner().map_err(|e| e.into_error())?;
            spilled.rewind()?;
            std::io::copy(&mut spilled, &mut clean)?;
            rest = after;
        }
        clean.write_all(rest.as_bytes())?;
        clean.write_all(b"\n")?;
        clean.finish()?;
        super::close(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(vendor: &str, offering: &str, rules: &[&str]) -> Summary {
        Summary {
            vendor: vendor.into(),
            vendor_name: format!("{vendor} <Inc>"),
            offering: offering.into(),
            offering_name: offering.into(),
            cells: Vec::new(),
            rules: rules.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn rows_kept_on_disk_come_back_in_order_in_their_places() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = Index::create(dir.path()).unwrap();
        let classes = ["public".to_string()];
        for (v, o, rules) in [
            ("acme", "api", &["b-rule"][..]),
            ("acme", "chat", &["a-rule", "b-rule"][..]),
            ("beta", "api", &[][..]),
        ] {
            index.offering(&summary(v, o, rules), &classes).unwrap();
            index.decisions(&[]).unwrap();
        }
        assert_eq!((index.kept.offerings, index.kept.decisions), (3, 0));
        assert_eq!(
            index
                .kept
                .rules
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["a-rule", "b-rule"]
        );
        let page = format!("<datalist>{VENDORS}</datalist><tbody>{ROWS}</tbody>\u{202e}end");
        let out = dir.path().join("index.html");
        index.write(&page, &out).unwrap();
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(
            html.starts_with(
                r#"<datalist><option value="acme"></option><option value="beta"></option></datalist><tbody><tr data-vendor="acme""#
            ),
            "{html}"
        );
        let rows: Vec<usize> = ["o/acme/api.html", "o/acme/chat.html", "o/beta/api.html"]
            .iter()
            .map(|p| html.find(p).expect(p))
            .collect();
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "{html}");
        assert!(html.contains("acme &lt;Inc&gt;"), "{html}");
        // Written through the HTML sanitizer (the bidi mark shown as escaped text, not a
        // tag), with no mark left.
        assert!(html.ends_with("</tbody>&lt;U+202E&gt;end\n"), "{html}");
        assert!(!html.contains("<!--diligence:"), "{html}");
    }
}
