//! Any bytes as a rule: compiled, then evaluated against a fixed profile at two classes.
//! Errors are expected; a panic, a hang or unbounded memory is a bug.
//! The body is `diligence::fuzzing::rule`, which tests/fuzz_corpus.rs also runs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::rule(data);
});
