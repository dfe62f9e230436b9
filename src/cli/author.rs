//! Authoring commands: `init`, `new vendor|rule`, `schema`, `completions`.

use super::{Cli, Failure, Global, Outcome, write_stdout};
use crate::diag::Diagnostic;
use crate::model::profile::valid_id;
use crate::model::vocabulary::{FACTS, expected};
use clap::{Args, CommandFactory, Subcommand, ValueEnum};
use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The bundled default workspace, embedded so that an installed binary works anywhere.
static POLICIES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/policies");
static VENDORS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/vendors");
static SCRIPTS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/scripts");

const WORKSPACE_README: &str = "# diligence workspace

- `policies/<name>.yaml`: what the organization requires per data classification and tag;
- `vendors/<id>/profile.yaml`: facts per offering, each quoting an archived document in
  `vendors/<id>/sources/`;
- `scripts/<rule>.rhai`: the rules, with their tests in `scripts/<rule>.test.yaml`.

```sh
diligence check                       # validate everything, verify every quote
diligence test                        # run the rule tests
diligence evaluate                    # verdicts for every vendor at every classification
diligence explain VENDOR/OFFERING     # why
```

The archived vendor documents under `vendors/*/sources/` come from the Open Terms Archive
(ODC-BY 1.0): see each vendor's NOTICE.md.
";

const WORKSPACE_GITIGNORE: &str =
    "# diligence reports\n*.xlsx\n*.html\nreview.*\n# the results cache\n.diligence/\n";

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to create the workspace in
    pub dir: PathBuf,
    /// Write into a non-empty folder (existing files are kept, never overwritten)
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewWhat,
}

#[derive(Subcommand, Debug)]
pub enum NewWhat {
    /// A vendor profile skeleton: vendors/ID/profile.yaml listing every fact as unknown
    Vendor {
        /// The vendor id (lowercase, digits, `-`), also its folder name
        id: String,
    },
    /// A rule skeleton: scripts/ID.rhai with its header and scripts/ID.test.yaml
    Rule {
        /// The rule id (lowercase, digits, `-`), also its file name
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Profile,
    Policy,
    Tests,
    /// A register of decisions: decisions/<vendor>/<offering>.yaml
    Decision,
    /// What `evaluate --format json` writes, and each line of `--format jsonl`
    Results,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Which file kind
    #[arg(value_enum, default_value_t = SchemaKind::Profile)]
    pub kind: SchemaKind,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Failure {
    Diagnostic::error(format!("cannot {what} {}: {e}", path.display())).into()
}

/// The files of an embedded folder, as (path under `under`, contents).
fn files_of(dir: &Dir<'_>, under: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for file in dir.files() {
        out.push((under.join(file.path()), file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        files_of(sub, under, out);
    }
}

/// Refuses to write `path` (a file under `base`) through a link: a folder between `base` and
/// the file that is a link (to a folder elsewhere, or dangling) would send the write outside
/// the target folder. The file itself is never opened through a link either (see `write_new`).
fn refuse_links(base: &Path, path: &Path) -> Result<(), Failure> {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let mut at = base.to_path_buf();
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        at.push(part);
        if parts.peek().is_none() {
            break; // the file itself: an existing entry of any kind is kept, never followed
        }
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Diagnostic::error(format!(
                "{} is a link: diligence does not write through links",
                at.display()
            ))
            .hint("replace the link by a real folder, or choose another target folder")
            .into());
        }
    }
    Ok(())
}

/// Writes a file that does not exist yet (under `base`), never replacing or following what is
/// there: an existing entry, even a dangling link, is kept.
fn write_new(
    base: &Path,
    path: &Path,
    contents: &[u8],
    written: &mut Vec<PathBuf>,
    kept: &mut Vec<PathBuf>,
) -> Result<(), Failure> {
    refuse_links(base, path)?;
    if std::fs::symlink_metadata(path).is_ok() {
        kept.push(path.to_path_buf());
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
    }
    // create_new: O_EXCL, which fails on any existing entry and never follows a link.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| io_error("write", path, e))?;
    std::io::Write::write_all(&mut file, contents).map_err(|e| io_error("write", path, e))?;
    written.push(path.to_path_buf());
    Ok(())
}

pub fn init(args: InitArgs) -> Outcome {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(
            Diagnostic::error(format!("{} exists and is not a folder", dir.display())).into(),
        );
    }
    let non_empty = dir
        .read_dir()
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    if non_empty && !args.force {
        return Err(Diagnostic::error(format!("{} is not empty", dir.display()))
            .hint("choose a new folder, or pass --force to add the missing files (existing files are never overwritten)")
            .into());
    }
    let mut files = Vec::new();
    files_of(&POLICIES, &dir.join("policies"), &mut files);
    files_of(&VENDORS, &dir.join("vendors"), &mut files);
    files_of(&SCRIPTS, &dir.join("scripts"), &mut files);
    files.push((dir.join("README.md"), WORKSPACE_README.as_bytes().to_vec()));
    files.push((
        dir.join(".gitignore"),
        WORKSPACE_GITIGNORE.as_bytes().to_vec(),
    ));
    // Every path is checked before anything is written: a refused init writes nothing.
    for (path, _) in &files {
        refuse_links(dir, path)?;
    }
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for (path, contents) in &files {
        write_new(dir, path, contents, &mut written, &mut kept)?;
    }
    for k in &kept {
        status!("kept existing {}", k.display());
    }
    status!(
        "created a diligence workspace in {} ({} files). Next: cd {} && diligence check && diligence evaluate",
        dir.display(),
        written.len(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn check_id(kind: &str, id: &str) -> Result<(), Failure> {
    if valid_id(id) {
        Ok(())
    } else {
        Err(Diagnostic::error(format!("{kind} id `{id}` is not valid"))
            .hint("use lowercase letters, digits, `-` and `_`, e.g. `acme-ai`")
            .into())
    }
}

pub fn new(global: &Global, args: NewArgs) -> Outcome {
    let root = &global.dir;
    if !root.join("vendors").is_dir()
        && !root.join("scripts").is_dir()
        && !root.join("policies").is_dir()
    {
        return Err(Diagnostic::error(format!(
            "`{}` is not a diligence workspace",
            root.display()
        ))
        .hint("run inside a workspace, pass -C DIR, or create one with `diligence init DIR`")
        .into());
    }
    let files: Vec<(PathBuf, String)> = match &args.what {
        NewWhat::Vendor { id } => {
            check_id("vendor", id)?;
            vec![(
                root.join("vendors").join(id).join("profile.yaml"),
                vendor_skeleton(id),
            )]
        }
        NewWhat::Rule { id } => {
            check_id("rule", id)?;
            vec![
                (
                    root.join("scripts").join(format!("{id}.rhai")),
                    rule_skeleton(id),
                ),
                (
                    root.join("scripts").join(format!("{id}.test.yaml")),
                    rule_test_skeleton(id),
                ),
            ]
        }
    };
    for (path, _) in &files {
        refuse_links(root, path)?;
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(
                Diagnostic::error(format!("{} already exists", path.display()))
                    .hint("choose another id, or edit the existing file")
                    .into(),
            );
        }
    }
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for (path, text) in &files {
        write_new(root, path, text.as_bytes(), &mut written, &mut kept)?;
    }
    if let NewWhat::Vendor { id } = &args.what {
        let sources = root.join("vendors").join(id).join("sources");
        std::fs::create_dir_all(&sources).map_err(|e| io_error("create", &sources, e))?;
    }
    for w in &written {
        status!("created {}", w.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn vendor_skeleton(id: &str) -> String {
    let mut out = format!(
        "# Editors: run `diligence schema profile > profile.schema.json` in the workspace and put
# `# yaml-language-server: $schema=../../profile.schema.json` on the first line of this file.
vendor: {id}
name: \"{id} (legal name as the documents state it)\"
reviewed: null                 # YYYY-MM-DD: when you last checked these facts
sources:
  # terms:
  #   title: Terms of Service
  #   url: https://...
  #   authority: contract        # signed | contract | dpa | policy | docs | trust_center | questionnaire | third_party
  #   last_updated: 2026-01-01   # the date the document states
  #   retrieved: 2026-01-02      # the day you archived it
  #   snapshot: sources/terms.2026-01-02.md
offerings:
  api:
    name: API
    tier: unknown              # consumer | api | enterprise: set it from what the terms say (unknown holds the review)
    facts:
      # Every fact starts unknown. Fill one in as a list of claims quoting a source:
      #   training_on_inputs:
      #     - value: never
      #       source: terms
      #       section: \"2.3\"
      #       quote: \"...the sentence, verbatim...\"
"
    );
    for f in FACTS {
        out.push_str(&format!(
            "      # {}: {}   # {}\n",
            f.name,
            expected(f.ty),
            f.description
        ));
    }
    out
}

pub fn rule_skeleton(id: &str) -> String {
    format!(
        "//! {id}: one-line title
//! Why the organization cares, in a sentence or two: this is shown in `explain`.
//! refs: GDPR Art. 28(3)(a), ISO/IEC 42001 A.10.3

// In scope: vendor, offering, classification, tags, require, policy, today.
// Read facts with fact(name), known(name), claims(name), conflicting(name), not_stated(name),
// stale(name).
// Raise findings with block/hold/condition(message, action), warn/info(message), pass(message).

if require.no_training != true {{
    return; // the requirement does not apply at this classification
}}
let t = fact(\"training_on_inputs\");
if t == () {{
    hold(\"Unknown whether the vendor trains on inputs.\", \"Ask the vendor: \" + question(\"training_on_inputs\"));
}} else if t == \"never\" {{
    pass(\"The vendor does not train on inputs.\");
}} else {{
    block(`The vendor trains on inputs (${{t}}).`, \"Negotiate a signed no-training clause.\");
}}
"
    )
}

pub fn rule_test_skeleton(id: &str) -> String {
    format!(
        "# Test cases for scripts/{id}.rhai: `diligence test {id}`
- name: passes when the contract says never
  classification: confidential
  facts:
    training_on_inputs: never
  expect:
    verdict: go
    findings:
      - {{level: pass, message: does not train}}

- name: holds when unknown
  classification: confidential
  facts: {{}}
  expect:
    verdict: hold
    findings:
      - {{level: hold, message: Unknown}}

- name: blocks default-on training
  classification: confidential
  facts:
    training_on_inputs: default_on
  expect:
    verdict: no-go
    findings:
      - {{level: block, message: trains on inputs}}
"
    )
}

pub fn schema(args: SchemaArgs) -> Outcome {
    let value = match args.kind {
        SchemaKind::Profile => crate::schema::profile(),
        SchemaKind::Policy => crate::schema::policy(),
        SchemaKind::Tests => crate::schema::tests(),
        SchemaKind::Decision => crate::schema::decision(),
        SchemaKind::Results => crate::schema::results(),
    };
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| crate::diag::Diagnostic::error(format!("cannot serialize the schema: {e}")))?;
    text.push('\n');
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

pub fn completions(args: CompletionsArgs) -> Outcome {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "diligence", &mut out);
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
