//! The bundled knowledge and the clause reader: pinned facts and verdicts, the clause corpus and
//! the reader measured on it, fidelity to real terms, the bundled rules' own tests.
//!
//! One test binary for the group (each links the whole library): `cargo test --test knowledge` runs
//! it, `cargo test --test knowledge MODULE::` one file of it.

#[path = "../common/mod.rs"]
mod common;

mod bundled_knowledge;
mod clause_corpus_data;
mod clause_reader;
mod clause_reader_cases;
mod fidelity;
mod rule_tests;
mod terms_fidelity;
