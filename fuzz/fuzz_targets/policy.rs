//! Any bytes as a policy: the loader reports problems, never panics; requirements resolve.
//! The body is `diligence::fuzzing::policy`, which tests/fuzz_corpus.rs also runs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::policy(data);
});
