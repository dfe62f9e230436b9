//! Any bytes as a filled questionnaire CSV: refused or read, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::answers(data, "csv");
});
