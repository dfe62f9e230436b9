//! The command line: argument parsing, dispatch, and the mapping of outcomes to exit codes
//! (0 done, 1 a verdict at or above `--fail-on`, 2 invalid input or usage).

/// A status line on stderr, through the sanitizer: it may name user files, titles and ids.
macro_rules! status {
    ($($arg:tt)*) => {
        $crate::cli::print_status(&format!($($arg)*))
    };
}

mod answers;
mod args;
mod author;
mod brief;
mod check;
mod decide;
mod diff;
mod evaluate;
mod explain;
mod extract;
mod frameworks;
mod import;
mod output;
mod provenance;
mod questions;
mod refresh;
mod site;
mod snapshot;
mod status;
mod test;

use crate::diag::Diagnostic;
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "diligence",
    version,
    about = "Procurement due diligence for AI vendors: quoted evidence in, go / no-go verdicts out",
    long_about = None,
    after_help = "Exit codes: 0 done, 1 a verdict at or above --fail-on, 2 invalid input or usage.\nDocs: README.md in the workspace repository."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// The workspace folder (policies/, vendors/, scripts/)
    #[arg(
        short = 'C',
        long = "dir",
        env = "DILIGENCE_DIR",
        default_value = ".",
        global = true,
        value_name = "DIR"
    )]
    pub dir: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Judge vendor offerings against the policy: verdicts and findings
    #[command(after_help = "Examples:
  diligence evaluate
  diligence evaluate perplexity/sonar-api --class confidential
  diligence evaluate --policy healthcare --tag phi --format json --output review.json
  diligence evaluate --fail-on no-go        # for CI: exit 1 on any no-go")]
    Evaluate(evaluate::EvaluateArgs),
    /// Validate profiles, policies, rules and quotes; report every problem
    #[command(after_help = "Examples:
  diligence check
  diligence -C path/to/workspace check")]
    Check(check::CheckArgs),
    /// Run the rule test cases (scripts/<rule>.test.yaml)
    #[command(after_help = "Examples:
  diligence test
  diligence test training-on-inputs retention-limit
  diligence test --coverage
  diligence test --min-coverage 100        # for CI: exit 1 below 100% or on an untested rule
In test cases, bare fact values count as contract evidence (write `authority: unsupported` on a
case to test weak evidence), quotes are not checked, and `today` is 2026-11-24 unless set.
Exit codes: 0 all cases pass, 1 a case fails (or coverage is too low), 2 invalid test file or unknown rule.
The last line of output is `N passed, N failed`.")]
    Test(test::TestArgs),
    /// What changed between two workspaces: facts, broken quotes, verdicts
    #[command(after_help = "Examples:
  git worktree add /tmp/before HEAD~1 && diligence diff /tmp/before
  diligence diff old-workspace new-workspace --format markdown
Exit code 1 when any verdict got worse.")]
    Diff(diff::DiffArgs),
    /// Why a verdict is what it is: requirements, facts, claims, findings
    #[command(after_help = "Examples:
  diligence explain perplexity/sonar-api training-on-inputs --class confidential
  diligence explain openai/api --class restricted --tag phi")]
    Explain(explain::ExplainArgs),
    /// What to ask each vendor: one deduplicated questionnaire of what holds the review
    #[command(after_help = "Examples:
  diligence questions perplexity --class confidential
  diligence questions perplexity --format xlsx -o perplexity-questions.xlsx
  diligence questions --format json
Questions no answer could move are left out; the footer says how many.")]
    Questions(questions::QuestionsArgs),
    /// Import a filled questionnaire (xlsx or csv) as `questionnaire` claims
    #[command(after_help = "Examples:
  diligence answers perplexity perplexity-questions.xlsx --received 2026-12-01 --dry-run
  diligence answers perplexity answers.csv --offering sonar-api
Any invalid answer is reported by cell and nothing is imported (exit 2).")]
    Answers(answers::AnswersArgs),
    /// Archive a document (HTML, PDF, Markdown, text; file or URL) as a vendor source
    #[command(after_help = "Examples:
  diligence snapshot acme terms ~/Downloads/terms.html --authority contract
  diligence snapshot acme dpa https://acme.example/dpa.pdf --authority dpa --retrieved 2026-11-24
The same content again changes nothing; a changed document is a new dated file.")]
    Snapshot(snapshot::SnapshotArgs),
    /// Import document versions from an Open Terms Archive clone
    Import(import::ImportArgs),
    /// Newer archived versions of the sources: which facts and verdicts they break
    #[command(after_help = "Examples:
  git -C /tmp/ota pull && diligence refresh --repo /tmp/ota
  diligence refresh mistral --repo /tmp/ota --format markdown
Exit codes: 0 nothing changed, 1 a fact needs review (or a verdict changes), 2 invalid input.")]
    Refresh(refresh::RefreshArgs),
    /// Candidate claims from a source's snapshot (quotes cut from it); --write adds drafts
    #[command(after_help = "Examples:
  diligence extract acme terms
  diligence extract acme terms --fact training_on_inputs --format json
  diligence extract acme terms --offering api --write   # claims marked `draft: true`")]
    Extract(extract::ExtractArgs),
    /// A one-offering decision brief: verdict, blockers, conditions, questions, sign-off
    #[command(after_help = "Examples:
  diligence brief perplexity/sonar-api --class confidential -o brief.html
  diligence brief openai/api --class restricted --tag phi --format markdown")]
    Brief(brief::BriefArgs),
    /// Which framework clauses the rules and facts evidence, and where each stands for a vendor
    #[command(after_help = "Examples:
  diligence frameworks
  diligence frameworks --framework gdpr --format markdown
  diligence frameworks perplexity/sonar-api --class confidential
  diligence frameworks openai --framework iso-42001 --format json
States: evidenced (quoted claims or passed rules), open (a question is outstanding), failing
(a rule blocks or sets a condition), not-assessed (nothing evaluated says anything about it).
Exit codes: 0 done, 2 invalid input or a rule that failed.")]
    Frameworks(frameworks::FrameworksArgs),
    /// Record a decision on an offering (the register in decisions/), or meet a condition
    #[command(after_help = "Examples:
  diligence decide perplexity/sonar-api --class confidential --approve-with-conditions \\
      --by \"Jane Doe (CISO)\" --ref PROC-42 --owner \"Legal\" --due 2027-01-31
  diligence decide perplexity/sonar-api --class confidential --condition 1 --met \"DPA signed, C-17\"
  diligence decide acme/api --class restricted --reject --by \"Sam Lee (DPO)\"
Approving a hold or no-go verdict needs --override \"reason\" (recorded).")]
    Decide(decide::DecideArgs),
    /// The register against today: decisions, conditions, reviews, waivers, drift
    #[command(after_help = "Examples:
  diligence status
  diligence status perplexity --format markdown
  diligence status --fail-on drift --fail-on overdue      # for a scheduled CI job
  diligence status --repo /tmp/ota --today 2027-06-01
Exit codes: 0 done, 1 something at --fail-on, 2 invalid input (a bad register, a tampered fingerprint).")]
    Status(status::StatusArgs),
    /// Write a static review site: verdict matrix -> offering -> the highlighted clause
    #[command(after_help = "Examples:
  diligence site -o site
  diligence site -o site --class confidential --today 2026-11-24
  diligence site perplexity -o site-perplexity
Open site/index.html in a browser (it works from the file system), or publish the folder as is.
Exit codes: 0 written, 2 invalid input, or a rule that failed (the site is written; its cells show error).")]
    Site(site::SiteArgs),
    /// Create a workspace with the bundled policies, vendors and rules
    #[command(after_help = "Examples:
  diligence init my-reviews
  diligence init . --force      # add missing files, never overwrite")]
    Init(author::InitArgs),
    /// Create a vendor profile or a rule (with its tests) from a skeleton
    #[command(after_help = "Examples:
  diligence new vendor acme
  diligence new rule max-retention")]
    New(author::NewArgs),
    /// Print the JSON Schema of profiles, policies or rule tests (for editors)
    #[command(after_help = "Examples:
  diligence schema profile > profile.schema.json
  # then, first line of a profile: # yaml-language-server: $schema=profile.schema.json")]
    Schema(author::SchemaArgs),
    /// Print shell completions
    #[command(after_help = "Examples:
  diligence completions bash > ~/.local/share/bash-completion/completions/diligence
  diligence completions zsh > ~/.zfunc/_diligence")]
    Completions(author::CompletionsArgs),
}

/// A command's result: the exit code, or problems that make it exit 2.
pub type Outcome = Result<ExitCode, Failure>;

/// Problems that stop a command (exit 2). They are printed to stderr.
#[derive(Debug)]
pub struct Failure(pub Vec<Diagnostic>);

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(ds: Vec<Diagnostic>) -> Self {
        Failure(ds)
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    run(cli)
}

pub fn run(cli: Cli) -> ExitCode {
    let root = cli.global.dir.clone();
    let outcome = match cli.command {
        Command::Evaluate(args) => evaluate::run(&cli.global, args),
        Command::Check(args) => check::run(&cli.global, args),
        Command::Test(args) => test::run(&cli.global, args),
        Command::Diff(args) => diff::run(&cli.global, args),
        Command::Explain(args) => explain::run(&cli.global, args),
        Command::Questions(args) => questions::run(&cli.global, args),
        Command::Answers(args) => answers::run(&cli.global, args),
        Command::Snapshot(args) => snapshot::run(&cli.global, args),
        Command::Import(args) => import::run(&cli.global, args),
        Command::Refresh(args) => refresh::run(&cli.global, args),
        Command::Extract(args) => extract::run(&cli.global, args),
        Command::Brief(args) => brief::run(&cli.global, args),
        Command::Frameworks(args) => frameworks::run(&cli.global, args),
        Command::Decide(args) => decide::run(&cli.global, args),
        Command::Status(args) => status::run(&cli.global, args),
        Command::Site(args) => site::run(&cli.global, args),
        Command::Init(args) => author::init(args),
        Command::New(args) => author::new(&cli.global, args),
        Command::Schema(args) => author::schema(args),
        Command::Completions(args) => author::completions(args),
    };
    match outcome {
        Ok(code) => code,
        Err(Failure(problems)) => {
            print_diagnostics(&problems, &root);
            let errors = problems.iter().filter(|d| d.is_error()).count();
            if errors > 1 {
                status!("error: {errors} problems");
            }
            ExitCode::from(2)
        }
    }
}

/// Diagnostics to stderr, through the sanitizer: a message may quote a profile or rule.
pub fn print_diagnostics(diags: &[Diagnostic], root: &Path) {
    let text: String = diags
        .iter()
        .map(|d| format!("{}\n", d.render(Some(root))))
        .collect();
    to_stderr(&text);
}

/// Prints text already rendered and cleaned as [`print_diagnostics`] cleans it (diagnostics
/// read from the results cache, `evaluation::rendered`) to stderr as it is. A closed stderr
/// is not worth failing for.
pub(crate) fn print_clean(text: &[u8]) {
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), text);
}

/// Prints one line to stderr through the sanitizer (see `status!`).
pub(crate) fn print_status(text: &str) {
    to_stderr(&format!("{text}\n"));
}

/// Text a person reads, to stderr through the report writer (which cleans it). A closed
/// stderr is not worth failing for.
fn to_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = crate::report::writer::write_one(
        crate::report::writer::Reader::Person,
        &mut err,
        |w, t: &str| Ok(w.write_all(t.as_bytes())?),
        text,
    );
}

/// Writes text a person reads to stdout, through the report writer (which cleans it).
pub fn write_human(bytes: &[u8]) -> Result<(), Failure> {
    write_text(crate::report::writer::Reader::Person, bytes)
}

/// Writes data a program reads (JSON, YAML to paste) to stdout, through the report writer;
/// a closed pipe (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    write_text(crate::report::writer::Reader::Program, bytes)
}

/// Writes a JSON document to stdout, through the report writer (bidi marks escaped).
pub fn write_json(bytes: &[u8]) -> Result<(), Failure> {
    write_text(crate::report::writer::Reader::Json, bytes)
}

fn write_text(reader: crate::report::writer::Reader, bytes: &[u8]) -> Result<(), Failure> {
    output::emit(None, |w| {
        crate::report::writer::write_one(reader, w, |w, b: &[u8]| Ok(w.write_all(b)?), bytes)
    })
}
