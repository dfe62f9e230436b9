//! Third-party parsers that can panic on a hostile file (pdf-extract on unusual PDFs, calamine on
//! a cell reference too long for its arithmetic): a panic there is a bad document, reported as
//! one, never a crash.

/// Runs `f`, returning `None` if it panicked. The panic's message is not printed: the caller
/// reports the document as unreadable instead. (The panic hook is process-wide: while `f`
/// runs, a panic on another thread is not printed either; the commands that read these files
/// read them on one thread.)
pub(crate) fn run<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(f);
    std::panic::set_hook(previous);
    result.ok()
}
