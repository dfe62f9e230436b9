//! Any bytes after a PDF header as a PDF to archive: converted or refused, never an abort or an
//! unbounded inflate.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend_from_slice(data.strip_prefix(b"%PDF-1.4\n").unwrap_or(data));
    let _ = diligence::fuzzing::document(&pdf, "document.pdf");
});
