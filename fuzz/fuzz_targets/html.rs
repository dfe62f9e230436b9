//! Any bytes as an HTML page to archive: converted or refused, never a panic or a stack
//! overflow.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::document(data, "page.html");
});
