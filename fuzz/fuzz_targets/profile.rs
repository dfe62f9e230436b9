//! Any bytes as vendors/acme/profile.yaml: the loader reports problems, never panics.
//! The body is `diligence::fuzzing::profile`, which tests/fuzz_corpus.rs also runs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::profile(data);
});
