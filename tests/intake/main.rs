//! Evidence intake: snapshot, import from Open Terms Archive, refresh, answers; and the same
//! under attack.
//!
//! One test binary for the group (each links the whole library): `cargo test --test intake` runs
//! it, `cargo test --test intake MODULE::` one file of it.

#[path = "../common/mod.rs"]
mod common;

mod hostile_intake;
mod intake;
