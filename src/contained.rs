//! Third-party parsers that can panic on a hostile file (pdf-extract on unusual PDFs, calamine on
//! a cell reference too long for its arithmetic): a panic there is a bad document, reported as
//! one, never a crash.

use std::cell::Cell;
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`run`]: its panics are the document's, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once per process, a panic hook that stays silent on a thread inside [`run`] and
/// hands every other panic to the hook in force before. (Swapping the process-wide hook around
/// each call raced: two threads reading documents at once could leave the silent hook in place
/// for good, and a later bug's panic would then print nothing.)
fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, returning `None` if it panicked. The panic's message is not printed: the caller
/// reports the document as unreadable instead. Panics on other threads print as before.
pub(crate) fn run<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    install_hook();
    let outer = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(f);
    QUIET.with(|q| q.set(outer));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_a_none_and_the_thread_is_loud_again_after() {
        assert_eq!(run(|| 7), Some(7));
        assert_eq!(run(|| -> u8 { panic!("a hostile document") }), None);
        assert!(!QUIET.with(Cell::get));
    }

    #[test]
    fn runs_on_many_threads_at_once_leave_other_threads_loud() {
        let threads: Vec<_> = (0..8)
            .map(|i| {
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let got = run(move || -> u32 {
                            if i % 2 == 0 {
                                panic!("a hostile document")
                            }
                            i
                        });
                        assert_eq!(got, if i % 2 == 0 { None } else { Some(i) });
                    }
                    QUIET.with(Cell::get)
                })
            })
            .collect();
        for t in threads {
            assert_eq!(
                t.join().ok(),
                Some(false),
                "a thread stayed quiet after run"
            );
        }
    }
}
