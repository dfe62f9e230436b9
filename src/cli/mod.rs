//! The command line: argument parsing, dispatch, and the mapping of outcomes to exit codes
//! (0 done, 1 a verdict at or above `--fail-on`, 2 invalid input or usage).

mod check;
mod evaluate;
mod output;

use crate::diag::Diagnostic;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
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
    };
    match outcome {
        Ok(code) => code,
        Err(Failure(problems)) => {
            print_diagnostics(&problems, &root);
            let errors = problems.iter().filter(|d| d.is_error()).count();
            if errors > 1 {
                eprintln!("error: {errors} problems; nothing was written");
            }
            ExitCode::from(2)
        }
    }
}

pub fn print_diagnostics(diags: &[Diagnostic], root: &Path) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in diags {
        let _ = writeln!(err, "{}", d.render(Some(root)));
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Diagnostic::error(format!("cannot write to standard output: {e}")).into()),
    }
}
