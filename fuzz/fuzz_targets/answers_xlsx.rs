//! Any bytes as a filled questionnaire workbook: refused or read, never a panic, an abort or
//! gigabytes of memory (libFuzzer's -rss_limit_mb catches the last).
//! The body is `diligence::fuzzing::answers_xlsx`, which tests/fuzz_corpus.rs also runs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diligence::fuzzing::answers_xlsx(data);
});
