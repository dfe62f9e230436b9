//! `--format json`: the stable machine contract (see DESIGN.md).

use crate::evaluation::Evaluation;

pub fn render(eval: &Evaluation) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(eval).unwrap_or_default();
    out.push(b'\n');
    out
}
