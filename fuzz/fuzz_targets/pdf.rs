//! Any bytes after a PDF header as a PDF to archive: converted or refused, never an abort or an
//! unbounded inflate.
//! The body is `diligence::fuzzing::pdf`, which tests/fuzz_corpus.rs also runs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::pdf(data);
});
