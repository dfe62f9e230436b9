//! A workspace: `policies/`, `vendors/<id>/profile.yaml`, `scripts/<rule-id>.rhai`.
//!
//! Loading never stops at the first problem: every file is read, and every problem is kept.

use crate::diag::{Diagnostic, did_you_mean};
use crate::engine::{MAX_RULE_BYTES, RuleSet, RuleSource};
use crate::evidence;
use crate::model::policy::{self, Policy};
use crate::model::profile::{Profile, valid_id};
use crate::model::yaml;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub struct Workspace {
    pub root: PathBuf,
    pub policies: Vec<Policy>,
    pub profiles: Vec<Profile>,
    pub rules: RuleSet,
    /// Problems found while loading (errors make `check` and `evaluate` fail).
    pub problems: Vec<Diagnostic>,
    /// Quotes that do not occur in their snapshot: errors for `check`; `evaluate` still runs and
    /// treats those claims as having no authority.
    pub unverified: Vec<Diagnostic>,
    /// The vendor folders ([`vendor_dirs`]), listed once when the workspace is loaded: the
    /// stream reads them from here (a listing of a 10,000-vendor portfolio is 10,000 `stat`s,
    /// and a warm run was three of them).
    pub vendor_dirs: Vec<String>,
}

/// Names of the entries of `dir` that satisfy `keep`, sorted (so output never depends on the
/// order the file system lists them in).
fn list(dir: &Path, keep: impl Fn(&Path) -> Option<String>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| keep(&e.path()))
        .collect();
    names.sort();
    names
}

/// The stem of an entry named `<stem><ext>`, whatever kind of entry it is: reading it decides
/// whether it is a file of the workspace, and says so when it is not.
fn stem_with_ext(path: &Path, ext: &str) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(ext)?;
    (!stem.is_empty() && !name.starts_with('.')).then(|| stem.to_string())
}

pub fn policy_names(root: &Path) -> Vec<String> {
    list(&root.join("policies"), |p| stem_with_ext(p, ".yaml"))
}

pub fn vendor_dirs(root: &Path) -> Vec<String> {
    list(&root.join("vendors"), |p| {
        let name = p.file_name()?.to_str()?;
        // Any kind of entry named profile.yaml: the read refuses what is not a regular file.
        (!name.starts_with('.') && std::fs::symlink_metadata(p.join("profile.yaml")).is_ok())
            .then(|| name.to_string())
    })
}

pub fn rule_ids(root: &Path) -> Vec<String> {
    list(&root.join("scripts"), |p| stem_with_ext(p, ".rhai"))
}

/// Entries of policies/, vendors/ and scripts/ that are none of the workspace's files and so
/// are not read: each one a warning, so that a `profile.yml` or a rule named `x.rhia` is never
/// silently left out of a review. Hidden entries (`.gitkeep`) are not reported.
/// `vendor_dirs` is the workspace's [`vendor_dirs`].
pub fn skipped_entries(root: &Path, vendor_dirs: &[String]) -> Vec<Diagnostic> {
    let skipped = |file: String, what: &str, hint: String| {
        Diagnostic::warning(format!("{file} {what}: it is skipped"))
            .code(crate::diag::Code::SkippedEntry)
            .in_file(file)
            .hint(hint)
    };
    let mut out = Vec::new();
    // Names that are not UTF-8 cannot be ids: reported here, and left out of the rest.
    let mut entries = |dir: &str| -> Vec<(String, PathBuf)> {
        let Ok(read) = std::fs::read_dir(root.join(dir)) else {
            return Vec::new();
        };
        let mut names: Vec<(String, PathBuf)> = Vec::new();
        for e in read.filter_map(Result::ok) {
            let name = e.file_name();
            match name.to_str() {
                Some(n) if n.starts_with('.') => {}
                Some(n) => names.push((n.to_string(), e.path())),
                None => out.push(skipped(
                    format!("{dir}/{}", name.to_string_lossy()),
                    "has a name that is not valid UTF-8",
                    "rename it: names are ids, read as UTF-8 text".into(),
                )),
            }
        }
        names.sort();
        names
    };
    let (policies, vendors, scripts) =
        (entries("policies"), entries("vendors"), entries("scripts"));
    for (name, _) in policies {
        if name.ends_with(".yaml") {
            continue;
        }
        let hint = match name.strip_suffix(".yml") {
            Some(stem) => format!("rename it to policies/{stem}.yaml"),
            None => {
                "policies are policies/<name>.yaml: rename it, or move it out of policies/".into()
            }
        };
        out.push(skipped(format!("policies/{name}"), "is not a policy", hint));
    }
    for (name, path) in vendors {
        // A vendor folder is an entry with a profile.yaml (of any kind): listed already.
        if vendor_dirs.binary_search(&name).is_ok() {
            continue;
        }
        let (file, hint) = if !path.is_dir() {
            (
                format!("vendors/{name}"),
                "each vendor is a folder vendors/<id>/ with a profile.yaml: move it out of vendors/"
                    .to_string(),
            )
        } else if path.join("profile.yml").exists() {
            (
                format!("vendors/{name}/profile.yml"),
                format!("rename it to vendors/{name}/profile.yaml"),
            )
        } else {
            (
                format!("vendors/{name}"),
                format!(
                    "add vendors/{name}/profile.yaml (`diligence new vendor {name}`), or remove the folder"
                ),
            )
        };
        out.push(skipped(file, "is not a vendor profile", hint));
    }
    for (name, _) in scripts {
        if name.ends_with(".rhai") || name.ends_with(".test.yaml") {
            continue;
        }
        let stem = name.split('.').next().unwrap_or(&name);
        out.push(skipped(
            format!("scripts/{name}"),
            "is neither a rule (.rhai) nor a rule test (.test.yaml)",
            format!("rename it to scripts/{stem}.rhai if it is a rule, or move it out of scripts/"),
        ));
    }
    out
}

/// Reads `scripts/<id>.rhai` for each id: size-limited, UTF-8, BOM removed.
pub fn read_rules(root: &Path, ids: &[String]) -> (Vec<RuleSource>, Vec<Diagnostic>) {
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for id in ids {
        let file = format!("scripts/{id}.rhai");
        if !valid_id(id) {
            problems.push(
                Diagnostic::error(format!("rule id `{id}` is not valid"))
                    .in_file(file)
                    .hint("name rule files with lowercase letters, digits and `-`, e.g. scripts/retention-limit.rhai"),
            );
            continue;
        }
        match yaml::read_confined(root, &file, MAX_RULE_BYTES) {
            Ok(text) => sources.push(RuleSource {
                id: id.clone(),
                file,
                text: text
                    .strip_prefix('\u{feff}')
                    .map(str::to_string)
                    .unwrap_or(text),
            }),
            Err(d) => problems.push(d),
        }
    }
    (sources, problems)
}

/// Which profiles [`Workspace::load_with`] reads.
#[derive(Clone, Copy)]
enum Profiles {
    All,
    /// Only the vendors some waiver names (that exist): the rest are streamed.
    WaiverVendors,
}

/// The vendor folders the policies' waivers name, that exist (in `all`, the workspace's
/// [`vendor_dirs`]), sorted and once each.
fn waiver_vendors(all: &[String], policies: &[Policy]) -> Vec<String> {
    let mut named: Vec<String> = policies
        .iter()
        .flat_map(|p| p.waivers.iter().map(|w| w.vendor.clone()))
        .filter(|v| all.binary_search(v).is_ok())
        .collect();
    named.sort();
    named.dedup();
    named
}

/// Reads the profiles `which` names (in parallel): the profiles, and what their evidence checks
/// found; their problems go to `problems`.
fn read_profiles(
    root: &Path,
    all: &[String],
    policies: &[Policy],
    which: Profiles,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Profile>, Vec<Diagnostic>) {
    let dirs = match which {
        Profiles::All => all.to_vec(),
        Profiles::WaiverVendors => waiver_vendors(all, policies),
    };
    let loaded: Vec<(Option<Profile>, Vec<Diagnostic>)> = dirs
        .par_iter()
        .map(|dir| evidence::load(root, dir))
        .collect();
    let mut profiles = Vec::new();
    let mut unverified = Vec::new();
    for (p, diags) in loaded {
        match (p, which) {
            (Some(p), Profiles::All) => {
                problems.extend(diags);
                unverified.extend(evidence::diagnostics(&p));
                profiles.push(p);
            }
            // Read again, and reported, by the ProfileStream when it reaches them.
            (Some(p), Profiles::WaiverVendors) => profiles.push(p),
            (None, _) => problems.extend(diags),
        }
    }
    (profiles, unverified)
}

/// Reads and compiles `scripts/*.rhai`; their problems (and having none) go to `problems`.
fn read_rule_set(root: &Path, problems: &mut Vec<Diagnostic>) -> RuleSet {
    let ids = rule_ids(root);
    if ids.is_empty() {
        // With no rules every offering would be `go`: never a review to trust.
        problems.push(
            Diagnostic::error("no rules in scripts/: every offering would be `go`")
                .in_file("scripts")
                .hint("add rules with `diligence new rule ID`, or start from the bundled ones with `diligence init DIR`"),
        );
    }
    let (sources, diags) = read_rules(root, &ids);
    problems.extend(diags);
    let (rules, diags) = RuleSet::compile(&sources);
    problems.extend(diags);
    rules
}

impl Workspace {
    /// Loads the workspace at `root`. Fails only when `root` is not a workspace at all.
    pub fn load(root: &Path) -> Result<Workspace, Diagnostic> {
        Workspace::load_with(root, Profiles::All)
    }

    fn load_with(root: &Path, which: Profiles) -> Result<Workspace, Diagnostic> {
        if !root.is_dir() {
            return Err(Diagnostic::error(format!(
                "workspace `{}` is not a folder",
                root.display()
            ))
            .hint(
                "pass an existing workspace with -C DIR, or create one with `diligence init DIR`",
            ));
        }
        if !root.join("policies").is_dir() && !root.join("vendors").is_dir() {
            return Err(Diagnostic::error(format!(
                "`{}` is not a diligence workspace (no policies/ or vendors/ folder)",
                root.display()
            ))
            .hint("run inside a workspace, pass -C DIR, or create one with `diligence init DIR`"));
        }
        let mut problems = Vec::new();

        let mut policies = Vec::new();
        for name in policy_names(root) {
            let (p, diags) = policy::load(root, &name);
            problems.extend(diags);
            policies.extend(p);
        }

        let vendors = vendor_dirs(root);
        let (profiles, unverified) = read_profiles(root, &vendors, &policies, which, &mut problems);
        problems.extend(skipped_entries(root, &vendors));
        let rules = read_rule_set(root, &mut problems);

        let mut ws = Workspace {
            root: root.to_path_buf(),
            policies,
            profiles,
            rules,
            problems,
            unverified,
            vendor_dirs: vendors,
        };
        let waiver_problems = ws.check_waiver_targets();
        ws.problems.extend(waiver_problems);
        if let Profiles::All = which {
            let audience_problems = ws.check_audiences();
            ws.problems.extend(audience_problems);
        }
        Ok(ws)
    }

    /// Loads the workspace for a command that evaluates: any error in it (a profile, policy or
    /// rule that does not load) stops the command; warnings stay in `problems` to be shown.
    pub fn load_clean(root: &Path) -> Result<Workspace, Vec<Diagnostic>> {
        Workspace::clean(Workspace::load(root))
    }

    /// As [`Workspace::load`], without the profiles: a `ProfileStream` (in `evaluation`) reads them batch by
    /// batch. `profiles` holds only the vendors the policies' waivers name (to check the
    /// waivers); their problems are the stream's to report.
    pub fn load_without_profiles(root: &Path) -> Result<Workspace, Diagnostic> {
        Workspace::load_with(root, Profiles::WaiverVendors)
    }

    /// As [`Workspace::load_clean`], without the profiles (see
    /// [`Workspace::load_without_profiles`]).
    pub fn load_clean_without_profiles(root: &Path) -> Result<Workspace, Vec<Diagnostic>> {
        Workspace::clean(Workspace::load_without_profiles(root))
    }

    fn clean(loaded: Result<Workspace, Diagnostic>) -> Result<Workspace, Vec<Diagnostic>> {
        let mut ws = loaded.map_err(|d| vec![d])?;
        let (errors, warnings): (Vec<_>, Vec<_>) =
            ws.problems.drain(..).partition(Diagnostic::is_error);
        if !errors.is_empty() {
            return Err(errors);
        }
        ws.problems = warnings;
        Ok(ws)
    }

    pub fn policy(&self, name: &str) -> Result<&Policy, Diagnostic> {
        self.policies
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                let names: Vec<String> = policy_names(&self.root);
                let d = if names.iter().any(|n| n == name) {
                    Diagnostic::error(format!("policy `{name}` has errors (see above)"))
                } else {
                    Diagnostic::error(format!("no policy `{name}` in policies/"))
                };
                d.hint(
                    did_you_mean(name, names.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("policies: {}", names.join(", "))),
                )
            })
    }

    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    fn check_audiences(&self) -> Vec<Diagnostic> {
        self.profiles
            .iter()
            .flat_map(|p| audience_problems(p, &self.policies))
            .collect()
    }

    /// A policy that names the frameworks it answers to wants every rule to cite one of them:
    /// a rule that cites none (and does not say why none applies) is a warning. It is about how
    /// the rules are written, not about a vendor: `check` says it, the commands that evaluate
    /// do not repeat it on every run.
    pub(crate) fn framework_ref_problems(&self) -> Vec<Diagnostic> {
        use crate::model::vocabulary::frameworks::cites;
        let mut out = Vec::new();
        for policy in self.policies.iter().filter(|p| !p.frameworks.is_empty()) {
            let names: Vec<&str> = policy.frameworks.iter().map(|(f, _)| f.id).collect();
            for rule in &self.rules.rules {
                let cited = rule
                    .refs
                    .iter()
                    .any(|r| policy.frameworks.iter().any(|(f, _)| cites(r, f)));
                if cited || rule.refs_reason.is_some() {
                    continue;
                }
                let (first, _) = policy.frameworks[0];
                out.push(
                    Diagnostic::warning(format!(
                        "rule `{}` cites no clause of {}, which {} answers to",
                        rule.id,
                        names.join(", "),
                        policy.file
                    ))
                    .code(crate::diag::Code::RuleOutsideFrameworks)
                    .in_file(rule.file.clone())
                    .at(crate::diag::Pos::new(1, 1))
                    .hint(format!(
                        "add to the rule's header the clauses it evidences, e.g. `//! refs: {} ...` (`diligence frameworks --framework {}` lists them), or `//! refs: none, <why none applies>`",
                        first.name, first.id
                    )),
                );
            }
        }
        out
    }

    /// Waivers must name a rule, vendor and offering that exist; a script must not take the
    /// id of an evidence check the policy turns on (its findings would be indistinguishable).
    fn check_waiver_targets(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for policy in &self.policies {
            for (check, at) in &policy.evidence_checks {
                if let Some(rule) = self.rules.rule(check.id) {
                    out.push(
                        Diagnostic::error(format!(
                            "rule `{}` has the id of a built-in evidence check that {} turns on",
                            check.id, policy.file
                        ))
                        .in_file(rule.file.clone())
                        .at(crate::diag::Pos::new(1, 1))
                        .hint(format!(
                            "rename the script, or remove `{}` from evidence_checks at {}:{}",
                            check.id, policy.file, at.line
                        )),
                    );
                }
            }
            for w in &policy.waivers {
                let at = |msg: String, hint: Option<String>| {
                    Diagnostic::error(msg)
                        .in_file(policy.file.clone())
                        .at(w.at)
                        .maybe_hint(hint)
                };
                let is_check = policy.evidence_checks.iter().any(|(c, _)| c.id == w.rule);
                if self.rules.rule(&w.rule).is_none() && !is_check {
                    out.push(at(
                        format!("waiver names unknown rule `{}`", w.rule),
                        did_you_mean(&w.rule, self.rules.rules.iter().map(|r| r.id.as_str())),
                    ));
                }
                match self.profile(&w.vendor) {
                    None => out.push(at(
                        format!("waiver names unknown vendor `{}`", w.vendor),
                        did_you_mean(
                            &w.vendor,
                            vendor_dirs(&self.root).iter().map(String::as_str),
                        ),
                    )),
                    Some(p) => {
                        if let Some(o) = &w.offering
                            && p.offering(o).is_none()
                        {
                            out.push(at(
                                format!("waiver names unknown offering `{}/{o}`", w.vendor),
                                did_you_mean(o, p.offerings.iter().map(|x| x.id.as_str())),
                            ));
                        }
                    }
                }
            }
        }
        out
    }
}

/// Every audience a claim names in `applies_to:` must be one each policy defines in its
/// `audience:`: otherwise whether the claim counts would be a guess.
fn audience_problems(profile: &Profile, policies: &[Policy]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let claims = profile
        .offerings
        .iter()
        .flat_map(|o| o.facts.values())
        .flat_map(|f| f.claims.iter().map(move |c| (f, c)));
    for (fact, claim) in claims {
        for (name, at) in &claim.applies_to {
            for policy in policies {
                let problem = match &policy.audience {
                    Some(a) if a.defines(name) => continue,
                    Some(a) => Diagnostic::error(format!(
                        "fact `{}`: audience `{name}` is not defined by {}",
                        fact.name, policy.file
                    ))
                    .hint(did_you_mean(name, a.names()).unwrap_or_else(|| {
                        format!(
                            "use one of: {}; or add `{name}` to `audience: other_regions:` in {}",
                            a.names().join(", "),
                            policy.file
                        )
                    })),
                    None => Diagnostic::error(format!(
                        "fact `{}`: the claim applies to `{name}`, but {} does not say who the organization is",
                        fact.name, policy.file
                    ))
                    .hint(format!(
                        "add to {} e.g. `audience: {{kind: business, regions: [eu], other_regions: [us]}}`",
                        policy.file
                    )),
                };
                out.push(problem.in_file(profile.file.clone()).at(*at));
            }
        }
    }
    out
}

/// What `check` says of one profile besides its problems: its counts and the claims that cite
/// superseded documents.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ProfileSummary {
    pub offerings: usize,
    pub claims: usize,
    pub verified: usize,
    pub superseded: Vec<Diagnostic>,
}

impl ProfileSummary {
    pub fn of(p: &Profile) -> ProfileSummary {
        let claims = p
            .offerings
            .iter()
            .flat_map(|o| o.facts.values())
            .flat_map(|f| f.claims.iter());
        let (mut count, mut verified) = (0, 0);
        for claim in claims {
            count += 1;
            verified +=
                usize::from(claim.verification == crate::model::profile::Verification::Verified);
        }
        ProfileSummary {
            offerings: p.offerings.len(),
            claims: count,
            verified,
            superseded: evidence::superseded_citations(p),
        }
    }
}

/// What reading one vendor folder gives: the profile (None when it does not load), its
/// problems (with its audiences checked against every policy) and what its evidence checks
/// found.
pub(crate) type Loaded = (Option<Profile>, Vec<Diagnostic>, Vec<Diagnostic>);

/// Reads vendor folder `dir` as [`Workspace::load`] reads each one.
pub(crate) fn load_one(root: &Path, dir: &str, policies: &[Policy]) -> Loaded {
    checked_against(evidence::load(root, dir), policies)
}

/// A vendor folder as [`evidence::load`] reads it (what its files alone decide), checked
/// against the workspace's policies.
pub(crate) fn checked_against(
    (profile, mut problems): (Option<Profile>, Vec<Diagnostic>),
    policies: &[Policy],
) -> Loaded {
    let mut unverified = Vec::new();
    if let Some(p) = &profile {
        problems.extend(audience_problems(p, policies));
        unverified.extend(evidence::diagnostics(p));
    }
    (profile, problems, unverified)
}
