//! The word-level diff shown when a quote does not match its closest passage.

/// Most words a diff shows of a long changed stretch before shortening it.
const DIFF_SPAN: usize = 400;

/// A word-level diff of the quote against the passage (`[-quote-]{+document+}`), with long
/// equal stretches shortened to their first and last few words.
pub fn word_diff(quote: &[&str], passage: &[&str]) -> String {
    use similar::{Algorithm, DiffTag, capture_diff_slices};
    // Equal ends are cheap to find; only the middle goes through the diff algorithm, and only
    // a bounded part of it, so a huge quote costs no more than a small one.
    let prefix = quote
        .iter()
        .zip(passage)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = quote[prefix..]
        .iter()
        .rev()
        .zip(passage[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (q_mid, p_mid) = (
        &quote[prefix..quote.len() - suffix],
        &passage[prefix..passage.len() - suffix],
    );
    let shortened = q_mid.len() > DIFF_SPAN || p_mid.len() > DIFF_SPAN;
    let (q_mid, p_mid) = (
        &q_mid[..q_mid.len().min(DIFF_SPAN)],
        &p_mid[..p_mid.len().min(DIFF_SPAN)],
    );
    let mut parts: Vec<String> = Vec::new();
    let equal = |words: &[&str], parts: &mut Vec<String>, lead: bool, trail: bool| {
        const KEEP: usize = 4;
        if words.len() <= 2 * KEEP {
            parts.extend(words.iter().map(|w| w.to_string()));
        } else {
            if lead {
                parts.extend(words[..KEEP].iter().map(|w| w.to_string()));
            }
            parts.push("…".into());
            if trail {
                parts.extend(words[words.len() - KEEP..].iter().map(|w| w.to_string()));
            }
        }
    };
    equal(&quote[..prefix], &mut parts, false, true);
    for op in capture_diff_slices(Algorithm::Myers, q_mid, p_mid) {
        let (q_range, p_range) = (op.old_range(), op.new_range());
        match op.tag() {
            DiffTag::Equal => equal(&q_mid[q_range], &mut parts, true, true),
            DiffTag::Delete => parts.push(format!("[-{}-]", q_mid[q_range].join(" "))),
            DiffTag::Insert => parts.push(format!("{{+{}+}}", p_mid[p_range].join(" "))),
            DiffTag::Replace => {
                parts.push(format!("[-{}-]", q_mid[q_range].join(" ")));
                parts.push(format!("{{+{}+}}", p_mid[p_range].join(" ")));
            }
        }
    }
    if shortened {
        parts.push("… (diff shortened)".into());
    }
    equal(&quote[quote.len() - suffix..], &mut parts, true, false);
    let text = parts.join(" ");
    if text.chars().count() > 600 {
        let cut: String = text.chars().take(600).collect();
        format!("{cut} …")
    } else {
        text
    }
}
