//! Limits: hostile rules and inputs, the run's text budget, scale and streaming, property tests.
//! Memory and CPU are measured per run (tests/common `measured`), so the tests can share a binary.
//!
//! One test binary for the group (each links the whole library): `cargo test --test limits` runs
//! it, `cargo test --test limits MODULE::` one file of it.

#[path = "../common/mod.rs"]
mod common;

mod pdf_streams;
mod properties;
mod robustness;
mod run_budget;
mod scale;
