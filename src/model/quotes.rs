//! Quote verification: a claim's quote must occur in its source's archived snapshot.
//!
//! Both sides are normalized first so that harmless differences do not count: whitespace and line
//! breaks, markdown emphasis and links, backslash escapes, typographic quotes and dashes.

use std::collections::HashMap;

/// Normalizes text for comparison.
pub fn normalize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut pending_space = false;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let mapped: Option<char> = match c {
            '\\' if next.is_ascii_punctuation() => None,
            '*' => None,
            '_' if !(prev.is_alphanumeric() && next.is_alphanumeric()) => None,
            // A markdown link `[text](target)` compares as its text.
            '[' => None,
            ']' if next == '(' => {
                if let Some(close) = chars[i + 1..].iter().position(|&c| c == ')') {
                    i += close + 2;
                    continue;
                }
                None
            }
            ']' => None,
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' => Some('\''),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => Some('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
            '\u{2026}' => {
                push(&mut out, &mut pending_space, '.');
                push(&mut out, &mut pending_space, '.');
                Some('.')
            }
            c if c.is_whitespace() || c == '\u{200b}' => {
                pending_space = !out.is_empty();
                None
            }
            c => Some(c),
        };
        if let Some(m) = mapped {
            push(&mut out, &mut pending_space, m);
        }
        i += 1;
    }
    out
}

fn push(out: &mut String, pending_space: &mut bool, c: char) {
    if *pending_space {
        out.push(' ');
        *pending_space = false;
    }
    out.push(c);
}

/// An archived document, normalized once and searched many times.
#[derive(Debug)]
pub struct Snapshot {
    pub normalized: String,
    /// Hex SHA-256 of the file as read (to detect a document changed since review).
    pub sha256: String,
}

impl Snapshot {
    pub fn new(text: &str) -> Self {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(text.as_bytes());
        Snapshot {
            normalized: normalize(text),
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }

    pub fn contains(&self, quote: &str) -> bool {
        let q = normalize(quote);
        !q.is_empty() && self.normalized.contains(&q)
    }

    /// The passage of the snapshot most like `quote`, with its similarity (0.0 to 1.0).
    ///
    /// Windows of the quote's length in words are scored by how many of the quote's words they
    /// share (linear in the document); the best window is then compared character by character.
    pub fn closest(&self, quote: &str) -> Option<(String, f64)> {
        let q = normalize(quote);
        let q_words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
        let doc: Vec<&str> = self.normalized.split(' ').collect();
        if q_words.is_empty() || doc.is_empty() {
            return None;
        }
        let width = q_words.len().min(doc.len());
        let mut wanted: HashMap<&str, i32> = HashMap::new();
        for w in &q_words {
            *wanted.entry(w).or_default() += 1;
        }
        // Sliding window: `have` counts the window's words that match a still-wanted quote word.
        let mut counts: HashMap<&str, i32> = HashMap::new();
        let mut have = 0i32;
        fn add<'a>(
            w: &'a str,
            wanted: &HashMap<&str, i32>,
            counts: &mut HashMap<&'a str, i32>,
            have: &mut i32,
        ) {
            if let Some(&need) = wanted.get(w) {
                let c = counts.entry(w).or_insert(0);
                *c += 1;
                if *c <= need {
                    *have += 1;
                }
            }
        }
        for w in &doc[..width] {
            add(w, &wanted, &mut counts, &mut have);
        }
        let (mut best, mut best_start) = (have, 0usize);
        for start in 1..=doc.len() - width {
            let out_w = doc[start - 1];
            if let Some(&need) = wanted.get(out_w) {
                let c = counts.entry(out_w).or_insert(0);
                if *c <= need {
                    have -= 1;
                }
                *c -= 1;
            }
            add(doc[start + width - 1], &wanted, &mut counts, &mut have);
            if have > best {
                best = have;
                best_start = start;
            }
        }
        let passage = doc[best_start..best_start + width].join(" ");
        let similarity = strsim::normalized_levenshtein(&q, &passage);
        Some((passage, similarity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_typography_do_not_matter() {
        let doc = Snapshot::new(
            "2.3.3 **Model Training.** Perplexity shall not use (or authorize\n third parties \
             to use) Customer Content\\. See [the DPA](https://x.test/dpa) \u{201c}now\u{201d} \u{2014} ok",
        );
        assert!(doc.contains("Model Training. Perplexity shall not use (or authorize third parties to use) Customer Content."));
        assert!(doc.contains("See the DPA \"now\" - ok"));
        assert!(!doc.contains("Perplexity shall use Customer Content"));
        assert!(!doc.contains("   "));
    }

    #[test]
    fn snake_case_words_keep_their_underscores() {
        assert_eq!(normalize("a_b _em_ c"), "a_b em c");
    }

    #[test]
    fn closest_passage_is_found_with_its_similarity() {
        let doc = Snapshot::new(
            "Intro text here. Customer may terminate this Agreement upon thirty days notice. Other text follows.",
        );
        let (passage, sim) = doc
            .closest("Customer may terminate this Agreement upon sixty days notice.")
            .unwrap();
        assert_eq!(
            passage,
            "Customer may terminate this Agreement upon thirty days notice."
        );
        assert!(sim > 0.8 && sim < 1.0, "{sim}");
    }
}
