//! A filled questionnaire as its rows, whatever the file format: the columns it is read by and
//! each row's cells, with the cell names that messages cite. The CSV and workbook readers
//! produce these; `answers` checks them.

/// One row of a filled questionnaire, as written, with the cells to cite in messages.
#[derive(Debug, Clone)]
pub struct Row {
    pub vendor: String,
    pub offerings: Vec<String>,
    pub fact: String,
    pub answer: String,
    pub document: String,
    pub section: String,
    pub at_answer: String,
    pub at_fact: String,
    pub at_offering: String,
    pub at_vendor: String,
}

/// The columns a filled questionnaire is read by, in either format.
#[derive(Debug, Clone, Copy)]
pub enum Column {
    Vendor,
    Offerings,
    Fact,
    Answer,
    Document,
    Section,
}

/// Where each column is in a file's header row; `fact` and `answer` are required.
pub struct Columns {
    vendor: Option<usize>,
    offerings: Option<usize>,
    fact: usize,
    answer: usize,
    document: Option<usize>,
    section: Option<usize>,
}

impl Columns {
    /// Finds the columns with `position` (a header's index by name); the offerings column is
    /// named `offerings_name` (`offering` in CSV, one row per offering). `None` without a
    /// `fact` or an `answer` column.
    pub fn find(position: impl Fn(&str) -> Option<usize>, offerings_name: &str) -> Option<Self> {
        Some(Columns {
            vendor: position("vendor"),
            offerings: position(offerings_name),
            fact: position("fact")?,
            answer: position("answer")?,
            document: position("document"),
            section: position("section"),
        })
    }

    pub fn index(&self, c: Column) -> Option<usize> {
        match c {
            Column::Vendor => self.vendor,
            Column::Offerings => self.offerings,
            Column::Fact => Some(self.fact),
            Column::Answer => Some(self.answer),
            Column::Document => self.document,
            Column::Section => self.section,
        }
    }
}

impl Row {
    /// A row of a filled file: `get` reads a column's text (empty when the file lacks it), `at`
    /// names its cell for messages.
    pub fn from_cells(get: impl Fn(Column) -> String, at: impl Fn(Column) -> String) -> Row {
        Row {
            vendor: get(Column::Vendor),
            offerings: get(Column::Offerings)
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            fact: get(Column::Fact),
            answer: get(Column::Answer),
            document: get(Column::Document),
            section: get(Column::Section),
            at_answer: at(Column::Answer),
            at_fact: at(Column::Fact),
            at_offering: at(Column::Offerings),
            at_vendor: at(Column::Vendor),
        }
    }
}
