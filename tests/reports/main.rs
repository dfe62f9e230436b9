//! What the outputs say and how they look: report formats (HTML printed by Chromium, workbooks
//! opened by LibreOffice where installed), CI formats, the questionnaire, the sanitizer.
//!
//! One test binary for the group (each links the whole library): `cargo test --test reports` runs
//! it, `cargo test --test reports MODULE::` one file of it.

#[path = "../common/mod.rs"]
mod common;

mod outputs;
mod questionnaire;
mod reports;
mod reports_print;
mod sanitize;
