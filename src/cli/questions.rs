//! `diligence questions`: what to ask each vendor, deduplicated, with what each answer would
//! move. The computation is `questionnaire::ask`; this file selects and writes.

use super::args::{OutputArg, Scope, Selection};
use super::evaluate::{select_classes, select_offerings, select_tags};
use super::{Global, Outcome, output};
use crate::diag::Diagnostic;
use crate::evaluation::Context;
use crate::questionnaire::{self, markdown::footer};
use crate::report::writer::{self, Error as WriteError, Reader};
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
    Csv,
    Xlsx,
}

#[derive(Args, Debug)]
pub struct QuestionsArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub scope: Scope,
    /// Output format (xlsx is the one to send to a vendor)
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Who the xlsx or csv file is for: the vendor's copy asks; the reviewer's copy adds why
    /// we ask, what each answer would move and what the profile has (never send it)
    #[arg(long = "for", value_enum, default_value_t = questionnaire::Reader::Vendor)]
    pub reader: questionnaire::Reader,
    #[command(flatten)]
    pub output: OutputArg,
}

pub fn run(global: &Global, args: QuestionsArgs) -> Outcome {
    let today = args.scope.today()?;
    let ws = Workspace::load_clean(&global.dir)?;
    let policy = ws.policy(args.scope.policy())?;
    let offerings = select_offerings(&ws, &args.selection.targets)?;
    let classes = select_classes(policy, &args.selection.classes)?;
    let tags = select_tags(policy, &args.scope.tags)?;
    if args.format == Format::Xlsx && args.output.path.is_none() && std::io::stdout().is_terminal()
    {
        return Err(Diagnostic::error(
            "--format xlsx is a binary workbook and standard output is a terminal",
        )
        .hint("write it to a file: -o questions.xlsx")
        .into());
    }
    if let Some(path) = &args.output.path {
        output::refuse_input_file(path, &ws.root)?;
    }
    let ctx = Context::new(&ws.rules, policy, &tags, today);
    let asked = questionnaire::ask(
        &ctx,
        policy,
        &offerings,
        &classes,
        crate::evaluation::Lookup::Profiles(&ws.profiles),
    );
    // The Markdown is read by people; JSON, the CSV and the workbook by programs.
    let reader = match args.format {
        Format::Markdown => Reader::Person,
        Format::Json => Reader::Json,
        Format::Csv | Format::Xlsx => Reader::Program,
    };
    output::emit(args.output.path.as_deref(), |w| {
        writer::write_one(
            reader,
            w,
            |w, asked| render(args.format, args.reader, asked, today, w),
            &asked,
        )
    })?;
    if args.format != Format::Markdown {
        // The footer of the machine formats goes to stderr, never into the data.
        status!("{}", footer(&asked));
    }
    if let Some(warning) = several_vendors(&asked, args.format) {
        status!("{warning}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the questions in `format`.
fn render(
    format: Format,
    reader: questionnaire::Reader,
    asked: &questionnaire::Asked,
    today: jiff::civil::Date,
    out: &mut dyn std::io::Write,
) -> Result<(), WriteError> {
    match format {
        Format::Markdown => out.write_all(questionnaire::markdown::render(asked).as_bytes())?,
        Format::Json => {
            let mut b = serde_json::to_vec_pretty(&asked.questions).map_err(|e| {
                WriteError::Invalid(vec![Diagnostic::error(format!("cannot write JSON: {e}"))])
            })?;
            b.push(b'\n');
            out.write_all(&b)?;
        }
        Format::Csv => out.write_all(&questionnaire::csv::render(asked, reader))?,
        Format::Xlsx => out.write_all(
            &questionnaire::xlsx::render(asked, reader, today).map_err(|e| {
                WriteError::Invalid(vec![
                    Diagnostic::error(format!("cannot build the workbook: {e}"))
                        .hint("this is a bug in diligence: please report it with the workspace"),
                ])
            })?,
        )?,
    }
    Ok(())
}

/// A workbook or CSV is what goes to a vendor: one that lists several vendors' questions would
/// show each vendor the others (and what we ask them). Said, not refused: a reviewer may want
/// the whole list for themselves.
fn several_vendors(asked: &questionnaire::Asked, format: Format) -> Option<String> {
    if !matches!(format, Format::Xlsx | Format::Csv) {
        return None;
    }
    let mut vendors: Vec<&str> = asked.questions.iter().map(|q| q.vendor.as_str()).collect();
    vendors.dedup();
    vendors.sort_unstable();
    vendors.dedup();
    (vendors.len() > 1).then(|| {
        format!(
            "warning: this file asks {} vendors ({}): before sending it, make one per vendor (`diligence questions {} ...`)",
            vendors.len(),
            vendors.join(", "),
            vendors[0]
        )
    })
}
