//! Any bytes as vendors/acme/profile.yaml: the loader reports problems, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = diligence::evidence::from_text(text, std::path::Path::new("/nonexistent"), "acme");
    }
});
