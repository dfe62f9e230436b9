//! `--format json`: the stable machine contract (see DESIGN.md).

use crate::diag::Diagnostic;
use crate::outcome::Evaluation;

/// The evaluation as pretty JSON. Serialization cannot fail for these types; if it ever did,
/// the run must fail rather than print an empty document.
pub fn render(eval: &Evaluation) -> Result<Vec<u8>, Diagnostic> {
    let text = serde_json::to_string_pretty(eval).map_err(|e| {
        Diagnostic::error(format!("cannot serialize the evaluation as JSON: {e}"))
            .hint("this is a bug in diligence: please report it with the workspace")
    })?;
    // Without a bidi control (nearly always) the text is kept, not copied: a large portfolio's
    // JSON is held once.
    let mut out = match super::sanitize::json_text(&text) {
        std::borrow::Cow::Borrowed(_) => text.into_bytes(),
        std::borrow::Cow::Owned(escaped) => escaped.into_bytes(),
    };
    out.push(b'\n');
    Ok(out)
}
