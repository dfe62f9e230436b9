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
use super::{Asked, Question};
use crate::diag::Diagnostic;
use crate::model::vocabulary::CAIQ_VERSION;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

/// The sheet `answers` reads.
pub const SHEET: &str = "Questions";

/// The columns of the Questions sheet, in order (A, B, ...).
pub const COLUMNS: [&str; 13] = [
    "id",
    "fact",
    "offerings",
    "question",
    "answer",
    "document",
    "section",
    "answer form",
    "why we ask",
    "what it would move",
    "what we have",
    "refs",
    "vendor",
];
const WIDTHS: [f64; 13] = [
    30.0, 24.0, 18.0, 50.0, 22.0, 28.0, 14.0, 50.0, 40.0, 50.0, 50.0, 24.0, 12.0,
];
/// The answer, document and section columns (E, F, G): the only unlocked cells.
const ANSWER: u16 = 4;

/// Excel's limit for the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;

fn clip(text: &str) -> String {
    text.chars().take(MAX_CELL_CHARS).collect()
}

pub fn render(asked: &Asked) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    instructions(wb.add_worksheet(), asked)?;
    questions(wb.add_worksheet(), &asked.questions)?;
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
        "Please answer each row of the Questions sheet. Only the columns answer (E), document (F) and section (G) can be edited.".to_string(),
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

fn questions(ws: &mut Worksheet, questions: &[Question]) -> Result<(), XlsxError> {
    ws.set_name(SHEET)?;
    let header = Format::new().set_bold().set_text_wrap();
    let locked = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let open = Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(0xFFF2CC);
    for (c, (name, width)) in COLUMNS.iter().zip(WIDTHS).enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, *name, &header)?;
        ws.set_column_width(c, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    for (i, q) in questions.iter().enumerate() {
        let row = i as u32 + 1;
        let texts = [
            q.id.clone(),
            q.fact.clone(),
            q.offerings.join(", "),
            q.question.clone(),
            String::new(),
            String::new(),
            String::new(),
            q.form.describe(),
            q.why.join("\n"),
            q.moves.join("\n"),
            q.have.join("\n"),
            q.refs_text(),
            q.vendor.clone(),
        ];
        for (c, text) in texts.iter().enumerate() {
            let c = c as u16;
            let format = if (ANSWER..ANSWER + 3).contains(&c) {
                &open
            } else {
                &locked
            };
            ws.write_string_with_format(row, c, clip(text), format)?;
        }
        let cells: Vec<(&str, f64)> = texts.iter().map(String::as_str).zip(WIDTHS).collect();
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
    use calamine::{Data, Reader};
    let mut wb =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            Diagnostic::error(format!("{shown}: not a readable workbook: {e}"))
                .hint("save the file as .xlsx (or export the Questions sheet as CSV)")
        })?;
    let range = wb.worksheet_range(SHEET).map_err(|e| {
        Diagnostic::error(format!("{shown}: no sheet `{SHEET}`: {e}"))
            .hint("answer in the workbook `diligence questions --format xlsx` wrote, without renaming its sheets")
    })?;
    let (top, left) = range.start().unwrap_or((0, 0));
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
    let mut rows_iter = range.rows();
    let header: Vec<String> = rows_iter
        .next()
        .map(|r| r.iter().map(|d| text(d).to_lowercase()).collect())
        .unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    let Some(columns) = Columns::find(col, "offerings") else {
        return Err(Diagnostic::error(format!(
            "{shown}!{SHEET}!A{}: the header row needs the columns `fact` and `answer`",
            top + 1
        )));
    };
    let mut rows = Vec::new();
    for (i, r) in rows_iter.enumerate() {
        let row = i as u32 + top + 2;
        rows.push(Row::from_cells(
            |c| {
                columns
                    .index(c)
                    .and_then(|c| r.get(c))
                    .map(&text)
                    .unwrap_or_default()
            },
            |c| {
                let column = columns.index(c).unwrap_or(0) as u32 + left;
                format!("{shown}!{SHEET}!{}{row}", column_letter(column))
            },
        ));
    }
    Ok(rows)
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
}
