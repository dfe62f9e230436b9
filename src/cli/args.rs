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

/// `--quiet-warnings CODE`: warnings of these kinds are not shown or counted.
#[derive(Args, Debug, Clone, Default)]
pub struct QuietWarnings {
    /// Do not show warnings of this kind, e.g. draft-claim (repeatable; errors are always shown)
    #[arg(long = "quiet-warnings", value_name = "CODE", value_enum)]
    pub codes: Vec<crate::diag::Code>,
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

/// The vendor and offering ids of a `VENDOR/OFFERING` argument, for a command about one
/// offering (`decide`, `brief`): a bare vendor, or a part left empty, is refused with one
/// message whichever command it is.
pub fn one_offering<'a>(target: &'a str, command: &str) -> Result<(&'a str, &'a str), Failure> {
    match target.split_once('/') {
        Some((vendor, offering)) if !vendor.is_empty() && !offering.is_empty() => {
            Ok((vendor, offering))
        }
        _ => Err(Diagnostic::error(format!(
            "`{target}` is not VENDOR/OFFERING: `{command}` is about one offering"
        ))
        .hint("write VENDOR/OFFERING, e.g. perplexity/sonar-api")
        .into()),
    }
}

/// `-o FILE`: where a report goes instead of standard output.
#[derive(Args, Debug, Clone)]
pub struct OutputArg {
    /// Write to FILE (atomically) instead of standard output
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub path: Option<PathBuf>,
}

/// `--cache DIR`, `--no-cache`, `--cache-max-mb MB`: the results cache (see `crate::cache`).
#[derive(Args, Debug, Clone)]
pub struct CacheArgs {
    /// Keep and reuse results in DIR [default: .diligence/cache in the workspace]
    #[arg(long = "cache", value_name = "DIR", env = "DILIGENCE_CACHE")]
    pub cache_dir: Option<PathBuf>,
    /// Read no cached result and write none: evaluate everything again
    #[arg(
        long,
        env = "DILIGENCE_NO_CACHE",
        value_parser = clap::builder::BoolishValueParser::new(),
        conflicts_with = "cache_dir"
    )]
    pub no_cache: bool,
    /// Remove the oldest cached results when the cache folder passes this size
    #[arg(long, value_name = "MB", default_value_t = crate::cache::DEFAULT_MAX_BYTES / (1024 * 1024))]
    pub cache_max_mb: u64,
}

impl CacheArgs {
    /// The cache of a run over the workspace at `root`; None with `--no-cache`, or when the
    /// folder cannot be made (the run is then only slower).
    pub(crate) fn open(&self, root: &std::path::Path) -> Option<crate::cache::Cache> {
        if self.no_cache {
            return None;
        }
        let dir = match &self.cache_dir {
            Some(dir) => dir.clone(),
            None => {
                // The workspace's own folder, never through a link: a link committed to a
                // repository would have the run write wherever it leads.
                let own = root.join(".diligence");
                if std::fs::symlink_metadata(&own).is_ok_and(|m| m.file_type().is_symlink()) {
                    return None;
                }
                // Nor when the repository tracks it: a cache committed to it came with the
                // checkout, not from a run, and its entries could say anything (a pull
                // request could bring results that pass).
                if own.exists() && !untracked(root, &own) {
                    return None;
                }
                root.join(crate::cache::WORKSPACE_DIR)
            }
        };
        crate::cache::Cache::open(dir, self.cache_max_mb.saturating_mul(1024 * 1024))
    }
}

/// Whether git tracks nothing under `folder` of the workspace at `root`: true outside a
/// repository; false when the repository tracks a file there, or cannot say (git missing or
/// failing): the cache is then not used, which only makes the run slower.
fn untracked(root: &std::path::Path, folder: &std::path::Path) -> bool {
    let Some(mut repo) = crate::git::Repo::discover(root) else {
        return true;
    };
    let inside = folder.canonicalize().ok().and_then(|f| {
        let top = repo.work_tree.canonicalize().ok()?;
        f.strip_prefix(top).ok()?.to_str().map(str::to_string)
    });
    let Some(inside) = inside else {
        return false;
    };
    let spec = format!(":(top,literal){inside}");
    repo.run(&["ls-files", "-z", "--", &spec])
        .is_ok_and(|listed| listed.is_empty())
}

/// `--partition K/N`: the vendors whose stable hash falls in part K (1-based) of N. A vendor
/// is never split across partitions, and its partition depends only on its id (the first 8
/// bytes of the SHA-256 of the id, modulo N), so it is the same on every machine and run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub k: u64,
    pub n: u64,
}

impl Partition {
    pub fn contains(&self, vendor: &str) -> bool {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(vendor.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.n == self.k - 1
    }
}

impl std::str::FromStr for Partition {
    type Err = String;

    fn from_str(text: &str) -> Result<Partition, String> {
        let usage = || {
            format!(
                "`{text}` is not K/N with 1 <= K <= N, e.g. --partition 1/4 (the first of four)"
            )
        };
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let (k, n) = (
            k.trim().parse::<u64>().map_err(|_| usage())?,
            n.trim().parse::<u64>().map_err(|_| usage())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(usage());
        }
        Ok(Partition { k, n })
    }
}

#[cfg(test)]
mod tests {
    use super::Partition;

    #[test]
    fn partition_parses_k_of_n_and_refuses_the_rest() {
        assert_eq!("2/3".parse(), Ok(Partition { k: 2, n: 3 }));
        for bad in ["0/3", "4/3", "1/0", "1", "a/b", "1/2/3"] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_vendor_is_in_exactly_one_partition() {
        for id in ["openai", "anthropic", "perplexity", "v00042", ""] {
            let parts = (1..=5)
                .filter(|k| Partition { k: *k, n: 5 }.contains(id))
                .count();
            assert_eq!(parts, 1, "{id}");
        }
    }
}
