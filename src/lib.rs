//! diligence: a rules engine for procurement due diligence of AI vendors.
//!
//! - [`model`]: vendor profiles, policies, the fact and requirement vocabulary, evidence
//!   resolution by authority, quote verification;
//! - [`engine`]: the hardened Rhai engine and compiled rule set;
//! - [`evaluation`]: verdicts and findings, format-neutral;
//! - [`report`]: output formats;
//! - [`intake`]: getting evidence in: document conversion, fetching, Open Terms Archive import;
//! - [`cli`]: the command line.

pub mod cli;
pub mod diag;
pub mod diff;
pub mod engine;
pub mod evaluation;
pub mod intake;
pub mod model;
pub mod outcome;
pub mod questionnaire;
pub mod report;
pub mod schema;
pub mod testing;
pub mod workspace;
