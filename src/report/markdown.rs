//! `--format markdown`: GitHub-flavoured Markdown for a ticket or a wiki page. The matrix, the
//! rules that drive each non-go cell, then per vendor/offering the findings with their action
//! and citations (document title, section, the quote as a blockquote, a link when the source
//! has a url).
//!
//! Everything that comes from profiles, policies and rules is escaped: it cannot break a table
//! (`|`, newlines), start a block (`#`, `-`, `>`), format (`*`, `_`, `` ` ``, `~`, `$`), link
//! (`[`, `]`) or inject HTML (`<`, `>`, `&` become entities).

use super::{
    OfferingRow, Style, applies_to, cell_text, deciding, document, drivers, linkable, merged,
    offerings, scope_line, tags, waiver_text,
};
use crate::model::resolved::Evidence;
use crate::outcome::{Evaluation, Finding, Verdict};
use std::fmt::Write;

/// Escapes text for an inline position: newlines collapse to spaces, Markdown punctuation is
/// backslash-escaped, `<`, `>` and `&` become entities, and a leading block marker is escaped.
pub fn escape(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let leading_digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            // A block marker at the start of a line: heading, list, setext underline.
            '#' | '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            // "1. " or "1) " at the start: an ordered list.
            '.' | ')'
                if i == leading_digits && i > 0 && chars.get(i + 1).is_none_or(|n| *n == ' ') =>
            {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A url as a link destination: only http(s), with the characters that could end or break the
/// destination percent-encoded.
pub fn destination(url: &str) -> Option<String> {
    if !linkable(url) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            '(' | ')' | '<' | '>' | '"' | '\'' | '\\' | '`' | '|' | '[' | ']' | '{' | '}' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

fn verdict_md(v: Verdict, text: &str) -> String {
    match v {
        Verdict::Go => escape(text),
        _ => format!("**{}**", escape(text)),
    }
}

pub fn render(eval: &Evaluation, style: &Style) -> Vec<u8> {
    let rows = offerings(eval);
    let mut out = title(eval);
    matrix(&mut out, eval, &rows);
    stands_in_the_way(&mut out, eval, &rows);
    if !style.summary {
        for row in &rows {
            offering_section(&mut out, eval, row, style);
        }
    }
    if !eval.warnings.is_empty() {
        out.push_str("## Warnings\n\n");
        for w in &eval.warnings {
            let _ = writeln!(out, "- {}", escape(&w.report_line()));
        }
        out.push('\n');
    }
    let mut bytes = out.trim_end().to_string().into_bytes();
    bytes.push(b'\n');
    bytes
}

/// The tags, escaped, for the title and the matrix's first column.
fn escaped_tags(eval: &Evaluation) -> Vec<String> {
    tags(eval).iter().map(|t| escape(t)).collect()
}

/// The heading and the scope line.
fn title(eval: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Vendor review: policy {} ({})\n",
        escape(&eval.policy),
        escape(&eval.organization)
    );
    let _ = write!(
        out,
        "Evaluated as of {} · {}",
        escape(&eval.today),
        scope_line(eval)
    );
    let tags = escaped_tags(eval);
    if !tags.is_empty() {
        let _ = write!(out, " · with tags: {}", tags.join(", "));
    }
    out.push_str("\n\n");
    out
}

/// The verdict matrix, one row an offering, and its legend.
fn matrix(out: &mut String, eval: &Evaluation, rows: &[OfferingRow]) {
    let tags = escaped_tags(eval);
    let first = if tags.is_empty() {
        "Vendor / offering".to_string()
    } else {
        format!("Vendor / offering (+ {})", tags.join(", "))
    };
    let _ = write!(out, "| {first} |");
    for c in &eval.classifications {
        let _ = write!(out, " {} |", escape(c));
    }
    out.push_str("\n| :-- |");
    for _ in &eval.classifications {
        out.push_str(" :-- |");
    }
    out.push('\n');
    for row in rows {
        let _ = write!(out, "| {} |", escape(&row.id()));
        for class in &eval.classifications {
            match row.at(class) {
                Some(r) => {
                    let _ = write!(out, " {} |", verdict_md(r.verdict, &cell_text(r)));
                }
                None => out.push_str(" – |"),
            }
        }
        out.push('\n');
    }
    out.push('\n');
    let legend: Vec<String> = super::legend(eval)
        .map(|(v, what)| format!("**{}**: {what}", v.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "{} · *(waiver)*: a waived finding\n",
        legend.join(" · ")
    );
}

/// The rules behind each non-go cell; nothing when every cell is go.
fn stands_in_the_way(out: &mut String, eval: &Evaluation, rows: &[OfferingRow]) {
    let mut why = String::new();
    for row in rows {
        for d in drivers(row) {
            let rules: Vec<String> = d.rules.iter().map(|r| escape(r)).collect();
            let _ = writeln!(
                why,
                "| {} | {} | {} | {} |",
                escape(&row.id()),
                escape(&applies_to(&d.classes, &eval.classifications)),
                verdict_md(d.verdict, d.verdict.as_str()),
                rules.join(", ")
            );
        }
    }
    if !why.is_empty() {
        out.push_str("## What stands in the way\n\n");
        out.push_str("| Offering | At | Verdict | Driven by |\n| :-- | :-- | :-- | :-- |\n");
        out.push_str(&why);
        out.push('\n');
    }
}

/// One offering: its heading, its verdicts, and its findings.
fn offering_section(out: &mut String, eval: &Evaluation, row: &OfferingRow, style: &Style) {
    let _ = writeln!(
        out,
        "## {} — {}\n",
        escape(&row.id()),
        escape(row.offering_name)
    );
    let verdicts: Vec<String> = row
        .results
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                escape(&r.classification),
                verdict_md(r.verdict, &cell_text(r))
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "{} · {} · {}\n",
        escape(row.vendor_name),
        escape(row.tier),
        verdicts.join(" · ")
    );
    let notes = super::notes(&row.results);
    if !notes.is_empty() {
        out.push_str("Notes:\n\n");
        for n in &notes {
            let _ = writeln!(out, "- {}", escape(n));
        }
        out.push('\n');
    }
    let findings = merged(&row.results, style.verbose);
    if findings.is_empty() {
        out.push_str("No findings.\n\n");
        return;
    }
    for m in findings {
        finding(
            out,
            m.finding,
            &applies_to(&m.classes, &eval.classifications),
        );
    }
}

fn finding(out: &mut String, f: &Finding, at: &str) {
    let _ = writeln!(
        out,
        "- **{}**{} · {} · *{}*  ",
        f.level.as_str(),
        if f.waived.is_some() { " (waived)" } else { "" },
        escape(&f.rule),
        escape(at)
    );
    let _ = write!(out, "  {}", escape(&f.message));
    if let Some(action) = f.action.as_deref().filter(|a| !a.is_empty()) {
        let _ = write!(out, "  \n  → {}", escape(action));
    }
    if let Some(w) = waiver_text(f) {
        let _ = write!(out, "  \n  **Waived** {}", escape(&w));
    }
    out.push('\n');
    let mut seen: Vec<(&Option<String>, &Option<String>, &Option<String>)> = Vec::new();
    for e in deciding(f) {
        let key = (&e.source, &e.section, &e.quote);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push('\n');
        evidence(out, e);
    }
    out.push('\n');
}

/// A quote as a blockquote inside the list item, then its citation; an unsupported value (no
/// source) as a line saying so, with where it is in the profile.
fn evidence(out: &mut String, e: &Evidence) {
    if e.source.is_none() {
        let _ = writeln!(
            out,
            "  *Unsupported value: no source cited ({}).*",
            escape(&e.at)
        );
        return;
    }
    if let Some(q) = &e.quote {
        // Markdown links of the snapshot read as their text, as in the HTML report and brief.
        let _ = writeln!(out, "  > {}", escape(&super::markdown_as_text(q)));
        out.push_str("  >\n");
    }
    let doc = escape(&document(e));
    let doc = match e.url.as_deref().and_then(destination) {
        Some(url) => format!("[{doc}]({url})"),
        None => doc,
    };
    let _ = write!(out, "  > — {doc}");
    if let Some(s) = &e.section {
        let _ = write!(out, " §{}", escape(s));
    }
    let _ = write!(
        out,
        " · {}",
        escape(&e.authority.as_str().replace('_', " "))
    );
    if e.role == crate::model::resolve::Role::Conflicts {
        out.push_str(" · *conflicting*");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_could_break_a_table_or_inject_html() {
        assert_eq!(
            escape("<script>alert(1)</script> & Co"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
        );
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(
            escape("`code` *b* _i_ [l](u)"),
            "\\`code\\` \\*b\\* \\_i\\_ \\[l\\](u)"
        );
        assert_eq!(escape("# title"), "\\# title");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("third-party"), "third-party");
        assert_eq!(escape("1. first"), "1\\. first");
        assert_eq!(escape("2.3.3"), "2.3.3");
        assert_eq!(escape("line\nbreak"), "line break");
        assert_eq!(escape("$x$ ~y~"), "\\$x\\$ \\~y\\~");
        // Escape sequences are cleaned by the sanitizer every human output passes through.
        assert_eq!(
            crate::report::sanitize::clean(&escape("\u{1b}[2J")),
            "␛\\[2J"
        );
    }

    #[test]
    fn link_destinations_are_http_and_cannot_escape() {
        assert_eq!(destination("javascript:alert(1)"), None);
        assert_eq!(
            destination("https://x.test/a(b)<c>").as_deref(),
            Some("https://x.test/a%28b%29%3Cc%3E")
        );
    }
}
