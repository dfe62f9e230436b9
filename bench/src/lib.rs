//! The benchmark's engines, as a library so that `tests/mirrors.rs` can check them against the
//! rules' own test cases on every `cargo test --workspace`: the native Rust and Rego mirrors of
//! the six shared rules must reach the same level as the Rhai scripts, case by case.

pub mod e2e;
pub mod generate;
pub mod native;
pub mod rego;
