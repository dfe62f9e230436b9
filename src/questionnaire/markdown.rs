//! `questions --format markdown`: one section per vendor, one entry per question, for a reviewer
//! to read or paste into an email.

use super::Asked;
use crate::report::markdown::escape;
use std::fmt::Write;

/// The questions as Markdown, cleaned by the sanitizer: vendor names, notes and quotes come
/// from profiles, and the text goes to a terminal or to a file that one will show.
pub fn render(asked: &Asked) -> String {
    let mut out = String::from("# Questions for vendors\n");
    let mut vendor = "";
    for (n, q) in asked.questions.iter().enumerate() {
        if q.vendor != vendor {
            vendor = &q.vendor;
            let _ = write!(
                out,
                "\n## {} ({})\n",
                escape(&q.vendor_name),
                escape(&q.vendor)
            );
        }
        let _ = write!(
            out,
            "\n### {}. {}\n\n`{}` · offerings: {}\n\n",
            n + 1,
            escape(&q.question),
            q.id,
            escape(&q.offerings.join(", "))
        );
        let _ = writeln!(out, "- Answer: {}", escape(&q.form.describe()));
        for w in &q.why {
            let _ = writeln!(out, "- Why: {}", escape(w));
        }
        for m in &q.moves {
            let _ = writeln!(out, "- Would move: {}", escape(m));
        }
        for h in &q.have {
            let _ = writeln!(out, "- We have: {}", escape(h));
        }
        if !q.refs.is_empty() {
            let _ = writeln!(out, "- {}", q.refs_text());
        }
    }
    if asked.questions.is_empty() {
        out.push_str("\nNo question would move a verdict.\n");
    }
    let _ = write!(out, "\n{}\n", footer(asked));
    crate::report::sanitize::clean(&out).into_owned()
}

/// The line saying how many questions were left out, and why.
pub fn footer(asked: &Asked) -> String {
    let count = match asked.questions.len() {
        1 => "1 question".to_string(),
        n => format!("{n} questions"),
    };
    match asked.left_out.len() {
        0 => format!("{count}; none left out."),
        n => format!(
            "{count}; {n} left out because no answer could move a verdict under the selected classes (settled by stronger evidence, or other requirements decide): {}.",
            asked.left_out.join(", ")
        ),
    }
}
