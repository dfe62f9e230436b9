//! diligence: a rules engine for procurement due diligence of AI vendors.
//!
//! Data flows one way: load (`workspace`, `model`) -> resolve evidence (`model::resolved`) ->
//! evaluate (`evaluation`, running the `engine`) -> report (`outcome`, rendered by `report`);
//! `intake` and `questionnaire` bring evidence in, `cli` is the command line.
//!
//! The modules are private to the crate. This facade exports only what the binary, the tests,
//! the benchmark and the fuzz targets use, so that the compiler sees (and refuses) dead code.

mod cache;
mod cli;
mod contained;
mod decisions;
mod diag;
mod diff;
mod engine;
mod evaluation;
pub mod evidence;
mod frameworks;
mod git;
mod intake;
mod model;
mod outcome;
mod questionnaire;
mod reading;
mod report;
mod ruletest;
mod schema;
mod site;
mod workspace;

/// The command line (the binary is only this call).
pub use cli::main;
/// Compiling rules and evaluating offerings (benchmark, property tests, fuzzing).
pub use engine::{RuleSet, RuleSource};
pub use evaluation::{Lookup, Request, evaluate, freshness};
/// The clause finder's measurement over the bundled profiles (a test asserts its floor).
pub use intake::extract::{Candidate, Measure, find as extract_candidates, measure};
/// Facts, claims and their resolution by authority (the benchmark's native and Rego mirrors).
pub use model::profile::{Authority, Offering, Profile, Verification};
pub use model::resolve::{Freshness, Status, resolve};
pub use model::vocabulary::{FACTS, REQUIREMENTS};
/// Loading profiles (with their evidence) and policies, and the quote matcher.
pub use model::{policy, quotes};
/// The JSON contract.
pub use outcome::{Evaluation, Finding, Level, Verdict};
/// The clause reader, measured on the labelled clause corpus.
pub use reading::{
    VersionChange, compare as compare_versions, read as read_clause, stated as stated_value,
};
/// What report tests compare against.
pub use report::markdown::escape as markdown_escape;
pub use report::xlsx::{EVIDENCE_HEADER, FINDINGS_HEADER, FRAMEWORKS_HEADER};
/// Rule tests, for the mirrors that follow the rules' own cases.
pub use ruletest::{Case, load_cases, run_case};
pub use workspace::{Workspace, read_rules};

/// The fuzz targets' bodies, called by `fuzz/` and by the mutation test.
pub mod fuzzing;
