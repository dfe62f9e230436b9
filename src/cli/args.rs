//! Arguments shared by the commands that evaluate: declared once, flattened into each.

use super::Failure;
use crate::diag::Diagnostic;
use clap::Args;
use std::path::PathBuf;

/// `--policy NAME`: policies/NAME.yaml.
#[derive(Args, Debug, Clone)]
pub struct PolicyArg {
    /// The policy: policies/NAME.yaml
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub policy: String,
}

/// `--today YYYY-MM-DD`: the date a review is made as of.
#[derive(Args, Debug, Clone)]
pub struct TodayArg {
    /// Evaluate as of this date (evidence age, expiries, waivers): YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

impl TodayArg {
    /// `--today`, or the current date.
    pub fn date(&self) -> Result<jiff::civil::Date, Failure> {
        parse_today(self.today.as_deref())
    }
}

/// What a review is judged against: the policy, the data tags and the date.
#[derive(Args, Debug, Clone)]
pub struct Scope {
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Data tags that add requirements, e.g. phi, eu_personal_data (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    #[command(flatten)]
    pub today: TodayArg,
}

impl Scope {
    /// `--today`, or the current date.
    pub fn today(&self) -> Result<jiff::civil::Date, Failure> {
        self.today.date()
    }

    pub fn policy(&self) -> &str {
        &self.policy.policy
    }
}

pub fn parse_today(text: Option<&str>) -> Result<jiff::civil::Date, Failure> {
    match text {
        None => Ok(jiff::ZonedDateTime::now().date()),
        Some(t) => t.parse().map_err(|_| {
            Diagnostic::error(format!("--today `{t}` is not a date"))
                .hint("write it as YYYY-MM-DD, e.g. --today 2026-11-24")
                .into()
        }),
    }
}

/// Which offerings at which classifications: positional `VENDOR[/OFFERING]...` and `--class`.
#[derive(Args, Debug, Clone)]
pub struct Selection {
    /// Vendors or offerings: VENDOR or VENDOR/OFFERING (default: all)
    #[arg(value_name = "VENDOR[/OFFERING]")]
    pub targets: Vec<String>,
    /// Classifications (repeatable; default: every one in the policy)
    #[arg(long = "class", value_name = "LEVEL")]
    pub classes: Vec<String>,
}

/// `-o FILE`: where a report goes instead of standard output.
#[derive(Args, Debug, Clone)]
pub struct OutputArg {
    /// Write to FILE (atomically) instead of standard output
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub path: Option<PathBuf>,
}
