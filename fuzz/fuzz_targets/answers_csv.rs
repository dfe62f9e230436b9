//! Any bytes as a filled questionnaire CSV: refused or read, never a panic.
//! The body is `diligence::fuzzing::answers_csv`, which tests/fuzz_corpus.rs also runs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::answers_csv(data);
});
