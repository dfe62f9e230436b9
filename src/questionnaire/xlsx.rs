//! `questions --format xlsx`: a workbook to send to the vendor, and reading it back.
//!
//! - **Instructions**: what the file is, how to answer, what happens to the answers;
//! - **Questions**: one row per question. The answer column (E) has a dropdown (data validation
//!   list) for enumerated facts and a whole-number constraint for numbers; the document and
//!   section columns (F, G) say what backs the answer. The sheet is protected: every cell is
//!   locked except the answer, document and section cells, so the ids `answers` reads back stay
//!   as written.
//!
//! Every text is written as a string cell, never as a formula.

use super::markdown::footer;
use super::sheet::{Columns, Row};
use super::{Asked, Question, Reader};
use crate::diag::Diagnostic;
use crate::model::vocabulary::CAIQ_VERSION;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

/// The sheet `answers` reads.
pub const SHEET: &str = "Questions";

/// The columns of the Questions sheet, in order (A, B, ...), with their widths: the vendor's
/// copy asks (question, reference, allowed answers, answer columns); the reviewer's copy also
/// says why we ask, what each answer would move and what the profile already has, which must
/// never reach the vendor (it tells them which answer gets approval).
fn columns(reader: Reader) -> Vec<(&'static str, f64)> {
    let mut cols = vec![
        ("id", 22.0),
        ("question", 48.0),
        ("answer", 20.0),
        ("document", 22.0),
        ("section", 12.0),
        ("answer form", 36.0),
        ("refs", 14.0),
        ("fact", 18.0),
        ("offerings", 14.0),
    ];
    if reader == Reader::Reviewer {
        cols.extend([
            ("why we ask", 40.0),
            ("what it would move", 50.0),
            ("what we have", 50.0),
            ("vendor", 12.0),
        ]);
    }
    cols
}
/// The answer, document and section columns (C, D, E): the only unlocked cells.
const ANSWER: u16 = 2;

/// Excel's limit for the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;

fn clip(text: &str) -> String {
    text.chars().take(MAX_CELL_CHARS).collect()
}

/// The workbook of `asked` for `reader`, created on `today` (the run's date, not the clock's:
/// the same questions give the same bytes).
pub fn render(
    asked: &Asked,
    reader: Reader,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&crate::report::xlsx::dated(
        rust_xlsxwriter::DocProperties::new(),
        &today.to_string(),
    ));
    instructions(wb.add_worksheet(), asked)?;
    questions(wb.add_worksheet(), &asked.questions, reader)?;
    wb.save_to_buffer()
}

fn instructions(ws: &mut Worksheet, asked: &Asked) -> Result<(), XlsxError> {
    ws.set_name("Instructions")?;
    ws.set_column_width(0, INSTRUCTIONS_WIDTH)?;
    ws.set_print_fit_to_pages(1, 0);
    let bold = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let vendors: Vec<&str> = {
        let mut v: Vec<&str> = asked
            .questions
            .iter()
            .map(|q| q.vendor_name.as_str())
            .collect();
        v.dedup();
        v
    };
    ws.write_string_with_format(0, 0, "Vendor questionnaire", &bold)?;
    let lines = [
        format!("For: {}", vendors.join(", ")),
        "Please answer each row of the Questions sheet. Only the columns answer (C), document (D) and section (E) can be edited.".to_string(),
        "answer: pick a value from the dropdown, or type a whole number where a number is asked (digits only, e.g. 72). Lists: separate values with commas; certifications with `;`. The column `answer form` says what each row accepts.".to_string(),
        "document and section: the contract, DPA or other document that commits you to the answer, and its section, so that we can check it.".to_string(),
        "The offerings column says which of your offerings the question concerns; one answer applies to all of them. If they differ, answer for the strictest and tell us in the section column.".to_string(),
        "Leave a row empty if you cannot answer it. Do not add, remove or reorder rows: the id column identifies each question.".to_string(),
        format!("References: {CAIQ_VERSION} question ids, where a question matches one."),
        "Your answers are recorded as your own statements (authority: questionnaire). Terms in a signed agreement, the contract or the DPA take precedence over them.".to_string(),
        footer(asked),
    ];
    for (i, line) in lines.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 2, 0, clip(line), &wrap)?;
        ws.set_row_height(i as u32 + 2, row_height(&[(line, INSTRUCTIONS_WIDTH)]))?;
    }
    ws.protect();
    Ok(())
}

fn questions(ws: &mut Worksheet, questions: &[Question], reader: Reader) -> Result<(), XlsxError> {
    ws.set_name(SHEET)?;
    let header = Format::new().set_bold().set_text_wrap();
    let locked = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let open = Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(0xFFF2CC);
    let columns = columns(reader);
    for (c, (name, width)) in columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, *name, &header)?;
        ws.set_column_width(c, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    // Printed: landscape A4, narrow margins, one page wide and as many pages down as needed,
    // the header on each page (checked in LibreOffice: the vendor's nine columns print at a
    // readable size).
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_print_gridlines(true);
    for (i, q) in questions.iter().enumerate() {
        let row = i as u32 + 1;
        let texts: Vec<String> = columns
            .iter()
            .map(|(name, _)| match *name {
                "id" => q.id.clone(),
                "question" => q.question.clone(),
                "answer form" => q.form.describe(),
                "refs" => q.refs_text(),
                "fact" => q.fact.clone(),
                "offerings" => q.offerings.join(", "),
                "why we ask" => q.why.join("\n"),
                "what it would move" => q.moves.join("\n"),
                "what we have" => q.have.join("\n"),
                "vendor" => q.vendor.clone(),
                _ => String::new(),
            })
            .collect();
        for (c, text) in texts.iter().enumerate() {
            let c = c as u16;
            let format = if (ANSWER..ANSWER + 3).contains(&c) {
                &open
            } else {
                &locked
            };
            ws.write_string_with_format(row, c, clip(text), format)?;
        }
        let cells: Vec<(&str, f64)> = texts
            .iter()
            .map(String::as_str)
            .zip(columns.iter().map(|(_, w)| *w))
            .collect();
        ws.set_row_height(row, row_height(&cells))?;
        let validation = match q.form.kind {
            "choice" => Some(
                DataValidation::new()
                    .allow_list_strings(&q.form.values())?
                    .set_error_message(format!("Pick one of: {}", q.form.values().join(", ")))?,
            ),
            "number" => Some(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                    .set_error_message(format!(
                        "Type a whole number of {} (digits only).",
                        q.form.unit.unwrap_or("units")
                    ))?,
            ),
            _ => None,
        };
        if let Some(v) = validation {
            let v = v.set_input_message(q.form.describe().chars().take(250).collect::<String>())?;
            ws.add_data_validation(row, ANSWER, row, ANSWER, &v)?;
        }
    }
    ws.protect();
    Ok(())
}

const INSTRUCTIONS_WIDTH: f64 = 75.0;

/// A row height (points) that shows every wrapped cell whole: spreadsheets do not grow rows to
/// fit wrapped text written by a library, so the lines are estimated from the column widths
/// (about one character per width unit).
fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            let per_line = (width * 0.95).max(1.0) as usize;
            text.split('\n')
                .map(|l| l.chars().count().div_ceil(per_line).max(1))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1);
    (lines.min(400) as f64) * 15.0
}

/// Reads the Questions sheet of a filled workbook. `shown` names the file in messages
/// (`answers.xlsx!Questions!E12`).
pub fn read(bytes: &[u8], shown: &str) -> Result<Vec<Row>, Diagnostic> {
    check_unpacked_size(bytes, shown)?;
    // calamine panics on some hostile sheets (a cell reference of many letters overflows its
    // arithmetic): such a file is not a readable workbook, never a crash.
    let cells = crate::contained::run(|| sheet_cells(bytes, shown)).unwrap_or_else(|| {
        Err(Diagnostic::error(format!(
            "{shown}!{SHEET}: not a readable sheet (the workbook reader failed on it)"
        ))
        .hint("save the file again from your spreadsheet program as .xlsx"))
    })?;
    rows_of(cells, shown)
}

/// The filled cells of the questionnaire sheet, by row and column.
fn sheet_cells(bytes: &[u8], shown: &str) -> Result<SheetCells, Diagnostic> {
    use calamine::{Data, Reader};
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
        Diagnostic::error(format!("{shown}: not a readable workbook: {e}"))
            .hint("save the file as .xlsx (or export the Questions sheet as CSV)")
    })?;
    let no_sheet = |e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("{shown}: no sheet `{SHEET}`: {e}"))
            .hint("answer in the workbook `diligence questions --format xlsx` wrote, without renaming its sheets")
    };
    // Cell by cell, never as one rectangle: a single cell at XFD1048576 would make the
    // rectangle 17 billion cells.
    let mut reader = wb.worksheet_cells_reader(SHEET).map_err(|e| no_sheet(&e))?;
    let mut cells: SheetCells = Default::default();
    let mut count = 0usize;
    while let Some(cell) = reader.next_cell().map_err(|e| {
        Diagnostic::error(format!("{shown}!{SHEET}: not a readable sheet: {e}"))
            .hint("save the file again from your spreadsheet program as .xlsx")
    })? {
        let (row, col) = cell.get_position();
        let value = Data::from(cell.get_value().clone());
        if value == Data::Empty {
            continue;
        }
        count += 1;
        if row >= MAX_ROWS || col >= MAX_COLUMNS || count > MAX_CELLS {
            return Err(Diagnostic::error(format!(
                "{shown}!{SHEET}!{}{}: outside the questionnaire (at most {MAX_ROWS} rows, {MAX_COLUMNS} columns and {MAX_CELLS} filled cells are read)",
                column_letter(col),
                row + 1
            ))
            .hint("answer in the rows and columns the questionnaire has; delete anything far below or to the right"));
        }
        cells.entry(row).or_default().insert(col, value);
    }
    Ok(cells)
}

/// Filled cells by row, then column.
type SheetCells = std::collections::BTreeMap<u32, std::collections::BTreeMap<u32, calamine::Data>>;

/// The questionnaire's rows, read under its header row (the first filled row).
fn rows_of(cells: SheetCells, shown: &str) -> Result<Vec<Row>, Diagnostic> {
    use calamine::Data;
    let top = cells.keys().next().copied().unwrap_or(0);
    let left = cells
        .values()
        .filter_map(|r| r.keys().next().copied())
        .min()
        .unwrap_or(0);
    let bottom = cells.keys().next_back().copied().unwrap_or(0);
    let text = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            // A typed number arrives as a float: 72 is 72, 72.5 stays 72.5 (and is refused).
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            other => other.to_string(),
        }
    };
    let empty = std::collections::BTreeMap::new();
    let row_cells = |row: u32| cells.get(&row).unwrap_or(&empty);
    let header_cells = row_cells(top);
    let width = header_cells.keys().next_back().map_or(0, |c| c + 1 - left);
    let header: Vec<String> = (left..left + width)
        .map(|c| {
            header_cells
                .get(&c)
                .map(&text)
                .unwrap_or_default()
                .to_lowercase()
        })
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let Some(columns) = Columns::find(col, "offerings") else {
        return Err(Diagnostic::error(format!(
            "{shown}!{SHEET}!A{}: the header row needs the columns `fact` and `answer`",
            top + 1
        )));
    };
    let mut rows = Vec::new();
    for r in top + 1..=bottom {
        let data = row_cells(r);
        rows.push(Row::from_cells(
            |c| {
                columns
                    .index(c)
                    .and_then(|c| data.get(&(c as u32 + left)))
                    .map(&text)
                    .unwrap_or_default()
            },
            |c| {
                let column = columns.index(c).unwrap_or(0) as u32 + left;
                format!("{shown}!{SHEET}!{}{}", column_letter(column), r + 1)
            },
        ));
    }
    Ok(rows)
}

/// Rows, columns and filled cells of the Questions sheet that are read: a questionnaire has a
/// few hundred rows and 13 columns.
pub const MAX_ROWS: u32 = 10_000;
pub const MAX_COLUMNS: u32 = 64;
pub const MAX_CELLS: usize = 200_000;
/// What the workbook's files may unpack to, in all: a filled questionnaire unpacks to well
/// under 1 MiB; a zip bomb of a few KB unpacks to GBs.
pub const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;
/// Files in the workbook.
pub const MAX_ZIP_ENTRIES: usize = 1_000;

/// Refuses a workbook whose files unpack to more than MAX_UNPACKED_BYTES, measured by
/// unpacking (the sizes a zip declares can lie), before the spreadsheet reader sees it.
fn check_unpacked_size(bytes: &[u8], shown: &str) -> Result<(), Diagnostic> {
    use std::io::Read;
    let refuse = |why: String| {
        Diagnostic::error(format!("{shown}: {why}"))
            .hint("save the questionnaire again from your spreadsheet program as .xlsx, or export the Questions sheet as CSV")
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| refuse(format!("not a readable workbook: {e}")))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(refuse(format!(
            "holds {} files; a workbook holds a few dozen (at most {MAX_ZIP_ENTRIES} are read)",
            zip.len()
        )));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| refuse(format!("not a readable workbook: {e}")))?;
        let left = MAX_UNPACKED_BYTES - total;
        let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| refuse(format!("not a readable workbook: {e}")))?;
        total += read;
        if total > MAX_UNPACKED_BYTES {
            return Err(refuse(format!(
                "unpacks to more than {} MiB; a filled questionnaire is far smaller",
                MAX_UNPACKED_BYTES / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

/// 0 -> A, 25 -> Z, 26 -> AA.
fn column_letter(mut c: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_letters() {
        assert_eq!(super::column_letter(0), "A");
        assert_eq!(super::column_letter(4), "E");
        assert_eq!(super::column_letter(26), "AA");
    }

    /// A workbook the fuzzer made, whose sheet names a cell with more letters than a column
    /// can have: the workbook reader (calamine 0.38) overflows on it. It is refused as an
    /// unreadable sheet, not a crash.
    #[test]
    fn a_cell_reference_that_overflows_the_reader_is_an_unreadable_sheet() {
        let bytes = include_bytes!("../../fuzz/corpus/answers_xlsx/cell-reference-overflow.xlsx");
        let refused = super::read(bytes, "answers.xlsx").expect_err("refused");
        assert!(
            refused.message.contains("answers.xlsx!") && refused.message.contains("not a readable"),
            "{}",
            refused.message
        );
    }
}
