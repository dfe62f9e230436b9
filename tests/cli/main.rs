//! The commands as a user runs them on small workspaces: authoring, bad input, the evaluation
//! path, evidence and quotes, decisions, the provider chain, git configuration, a first review.
//!
//! One test binary for the group (each links the whole library): `cargo test --test cli` runs
//! it, `cargo test --test cli MODULE::` one file of it.

#[path = "../common/mod.rs"]
mod common;

mod authoring;
mod bad_input;
mod chain;
mod decisions;
mod evidence;
mod foundation;
mod git_config;
mod one_path;
mod quotes;
mod review;
