//! Any bytes as a policy: the loader reports problems, never panics; requirements resolve.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (policy, _) = diligence::policy::from_text(text, "fuzz");
        if let Some(p) = policy {
            let tags: Vec<String> = p.tags.iter().map(|t| t.name.clone()).collect();
            for c in &p.classes {
                let _ = p.requirements(&c.name, &tags);
            }
        }
    }
});
