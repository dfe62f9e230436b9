//! Any bytes as an HTML page to archive: converted or refused, never a panic or a stack
//! overflow.
//! The body is `diligence::fuzzing::html`, which tests/fuzz_corpus.rs also runs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::html(data);
});
