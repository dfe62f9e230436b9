//! Quote matching: a claim's quote must occur in its source's archived snapshot, anchored on
//! whole words, long enough to say something, and compared after folding only what cannot
//! change meaning.
//!
//! Normalisation (the same for quotes and documents) folds: whitespace and line breaks,
//! typographic quotes and dashes, markdown emphasis (`*`, `_` outside words) and backslash
//! escapes, markdown links whose target is a URL or path (`[text](https://…)` reads as `text`),
//! HTML entities (`&amp;`), Unicode compatibility forms (NFKC: ligatures such as "ﬁ", full-width
//! letters, non-breaking spaces), soft hyphens and zero-width characters, and a hyphen that
//! breaks a word at the end of a line (PDF text). It never removes a word or a digit: negations
//! and numbers match exactly, and a bracket that is not part of a whole link stays as written.
//!
//! A snapshot is indexed once by word (lowercased, punctuation trimmed): exact matches are found
//! from the quote's rarest inner word, and the closest passage of a quote that does not match is
//! found by voting from rare-word anchors, so both stay near-linear in the size of the texts.

// foldhash: every snapshot indexes its words in these maps; SipHash cost a cold run 6%.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

mod diff;
mod normalize;
pub use diff::word_diff;
pub(crate) use normalize::number_word;
pub use normalize::{
    NEGATIONS, cue_words, has_negation, has_phrase, normalize, numbers, word_count, word_key,
};

/// Fewest words a quote may have, unless it is a whole heading, list item or table cell.
pub const MIN_QUOTE_WORDS: usize = 6;

/// A document's words as a page shows them, searched for quotes: where a quote sits, so that it
/// can be highlighted. Words are compared as the matcher compares them (normalised, then by
/// [`word_key`]); a word that is only punctuation has no key and is skipped on both sides.
#[derive(Debug, Default)]
pub struct WordIndex {
    /// The position (among the words given) of each word that has a key.
    keyed: Vec<u32>,
    keys: Vec<String>,
    postings: HashMap<String, Vec<u32>>,
}

impl WordIndex {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> WordIndex {
        let mut index = WordIndex::default();
        for (i, w) in words.into_iter().enumerate() {
            let key = word_key(&normalize(w));
            if key.is_empty() {
                continue;
            }
            index
                .postings
                .entry(key.clone())
                .or_default()
                .push(index.keys.len() as u32);
            index.keyed.push(i as u32);
            index.keys.push(key);
        }
        index
    }

    /// The first and last word (positions among the words given) of the first occurrence of
    /// `quote`; None when it does not occur or has no word.
    pub fn locate(&self, quote: &str) -> Option<(usize, usize)> {
        let normalized = normalize(quote);
        let q: Vec<String> = normalized
            .split(' ')
            .map(word_key)
            .filter(|k| !k.is_empty())
            .collect();
        // Anchored on the quote's rarest word: near-linear in the document.
        let (offset, rarest) = q
            .iter()
            .enumerate()
            .min_by_key(|(_, k)| self.postings.get(*k).map_or(0, Vec::len))?;
        let starts = self.postings.get(rarest)?;
        starts.iter().find_map(|&p| {
            let start = (p as usize).checked_sub(offset)?;
            let end = start + q.len();
            (end <= self.keys.len() && self.keys[start..end] == q[..])
                .then(|| (self.keyed[start] as usize, self.keyed[end - 1] as usize))
        })
    }
}

/// Why a quote does not verify.
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    /// The quote is empty once normalised.
    Empty,
    /// Too few words to prove anything, and not a whole heading, list item or table cell.
    TooShort { words: usize },
    /// The text is not in the snapshot on word boundaries.
    NotFound,
}

/// The passage of a snapshot most like a quote that did not match.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub text: String,
    /// Share of words the quote and the passage have in common (0.0 to 1.0).
    pub similarity: f64,
    /// A word diff: `[-quote word-]` where the quote differs, `{+document word+}` where the
    /// document has something else; long equal stretches shortened to `…`.
    pub diff: String,
}

/// An archived document, normalised and indexed once, searched by every quote that cites it.
#[derive(Debug)]
pub struct Snapshot {
    pub normalized: String,
    /// Hex SHA-256 of the file as read (to detect a document changed since review).
    pub sha256: String,
    /// Byte range of each word of `normalized` (words are separated by single spaces).
    words: Vec<(u32, u32)>,
    /// The key id of each word.
    word_keys: Vec<u32>,
    keys: HashMap<String, u32>,
    /// Word positions of each key id.
    postings: Vec<Vec<u32>>,
    /// Whole headings, list items and table cells, normalised (short quotes may be one).
    units: HashSet<String>,
    /// The document as read, for the lead-ins of its list items (split only when asked).
    text: String,
    /// Each list item that has a lead-in, normalised and lowercased, with its lead-in.
    leads: std::sync::OnceLock<Vec<(String, String)>>,
}

impl Snapshot {
    pub fn new(text: &str) -> Self {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(text.as_bytes());
        let normalized = normalize(text);
        let mut words = Vec::new();
        let mut word_keys = Vec::new();
        let mut keys: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut start = 0usize;
        for token in normalized.split(' ') {
            let end = start + token.len();
            let key = word_key(token);
            let next_id = keys.len() as u32;
            let id = *keys.entry(key).or_insert(next_id);
            if id == next_id {
                postings.push(Vec::new());
            }
            postings[id as usize].push(words.len() as u32);
            words.push((start as u32, end as u32));
            word_keys.push(id);
            start = end + 1;
        }
        Snapshot {
            units: units(text),
            text: text.to_string(),
            leads: std::sync::OnceLock::new(),
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
            normalized,
            words,
            word_keys,
            keys,
            postings,
        }
    }

    /// Each list item that has a lead-in (normalised, lowercased) with its lead-in, found by
    /// `find` on the document's text the first time they are asked for, then kept with it.
    pub fn leads_with(
        &self,
        find: impl FnOnce(&str) -> Vec<(String, String)>,
    ) -> &[(String, String)] {
        self.leads.get_or_init(|| find(&self.text))
    }

    fn postings_of(&self, key: &str) -> &[u32] {
        self.keys
            .get(key)
            .map_or(&[], |id| self.postings[*id as usize].as_slice())
    }

    /// Checks that the quote is in the document, anchored and long enough.
    pub fn verify(&self, quote: &str) -> Result<(), Mismatch> {
        let q = normalize(quote);
        if q.is_empty() {
            return Err(Mismatch::Empty);
        }
        let words = word_count(&q);
        if words < MIN_QUOTE_WORDS && !self.is_unit(&q) {
            return Err(Mismatch::TooShort { words });
        }
        if self.find(&q).is_some() {
            Ok(())
        } else {
            Err(Mismatch::NotFound)
        }
    }

    /// Whether the quote occurs on word boundaries (whatever its length).
    pub fn contains(&self, quote: &str) -> bool {
        let q = normalize(quote);
        !q.is_empty() && self.find(&q).is_some()
    }

    fn is_unit(&self, q: &str) -> bool {
        self.units.contains(trim_unit(q))
    }

    /// Byte offset in `normalized` of an anchored occurrence of the normalised quote `q`.
    fn find(&self, q: &str) -> Option<usize> {
        let tokens: Vec<&str> = q.split(' ').collect();
        let doc = self.normalized.as_str();
        let anchored = |start: usize| -> bool {
            let end = start + q.len();
            doc.get(start..end) == Some(q)
                && boundary(doc[..start].chars().next_back(), q.chars().next())
                && boundary(doc[end..].chars().next(), q.chars().next_back())
        };
        // An inner word is a whole word of the document too: look it up instead of scanning.
        let mut offset = 0usize;
        let mut best: Option<(usize, usize, &str)> = None;
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 && i + 1 < tokens.len() && !word_key(t).is_empty() {
                let n = self.postings_of(&word_key(t)).len();
                if best.is_none_or(|(b, _, _)| n < b) {
                    best = Some((n, offset, t));
                }
            }
            offset += t.len() + 1;
        }
        if let Some((_, q_offset, token)) = best {
            return self.postings_of(&word_key(token)).iter().find_map(|&p| {
                let (start, end) = self.words[p as usize];
                let start = start as usize;
                (doc.get(start..end as usize) == Some(token))
                    .then(|| start.checked_sub(q_offset))
                    .flatten()
                    .filter(|&s| anchored(s))
            });
        }
        doc.match_indices(q).map(|(i, _)| i).find(|&i| anchored(i))
    }

    /// The passage most like `quote`, with its similarity and a word diff; `None` when no word
    /// of the quote occurs in the document.
    pub fn closest(&self, quote: &str) -> Option<Passage> {
        let q = normalize(quote);
        let q_tokens: Vec<&str> = q.split(' ').filter(|t| !t.is_empty()).collect();
        let q_keys: Vec<String> = q_tokens.iter().map(|t| word_key(t)).collect();
        let n = q_tokens.len();
        if n == 0 || self.words.is_empty() {
            return None;
        }
        // Rare words of the quote vote for where the quote would start in the document.
        let mut anchors: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, k) in q_keys.iter().enumerate() {
            if !k.is_empty() {
                anchors.entry(k.as_str()).or_default().push(i);
            }
        }
        let mut anchors: Vec<(&[u32], Vec<usize>)> = anchors
            .into_iter()
            .map(|(k, at)| (self.postings_of(k), at))
            .filter(|(p, _)| !p.is_empty())
            .collect();
        if anchors.is_empty() {
            return None;
        }
        anchors.sort_by_key(|(p, at)| (p.len(), at[0]));
        // A few rare words place a quote as well as many common ones, at a fraction of the cost:
        // the votes are bounded per quote, whatever the size of the document.
        const MAX_ANCHORS: usize = 24;
        const MAX_VOTES: usize = 8_000;
        let mut votes: Vec<i64> = Vec::new();
        for (postings, at) in anchors.iter().take(MAX_ANCHORS) {
            if !votes.is_empty() && votes.len() + postings.len() * at.len().min(4) > MAX_VOTES {
                break;
            }
            for &p in postings.iter() {
                for &i in at.iter().take(4) {
                    votes.push(p as i64 - i as i64);
                }
            }
        }
        votes.sort_unstable();
        // The densest clusters of votes (starts within a tolerance) are the candidates.
        let tolerance = (n as i64 / 8).max(2);
        let mut clusters: Vec<(usize, i64)> = Vec::new();
        let mut lo = 0;
        for hi in 0..votes.len() {
            while votes[hi] - votes[lo] > tolerance {
                lo += 1;
            }
            clusters.push((hi - lo + 1, votes[(lo + hi) / 2]));
        }
        // Only the densest few matter: select them rather than sort every vote's cluster.
        const CANDIDATES: usize = 24;
        let by_density = |a: &(usize, i64), b: &(usize, i64)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if clusters.len() > CANDIDATES {
            clusters.select_nth_unstable_by(CANDIDATES, by_density);
            clusters.truncate(CANDIDATES);
        }
        clusters.sort_unstable_by(by_density);
        let q_counts = counts(q_keys.iter().map(String::as_str));
        let mut best: Option<(f64, usize, usize)> = None;
        let mut tried = HashSet::new();
        for &(_, start) in &clusters {
            let start = start.clamp(0, self.words.len() as i64 - 1) as usize;
            if !tried.insert(start) {
                continue;
            }
            let end = (start + n).min(self.words.len());
            let sim = self.dice(&q_counts, n, start, end);
            if best.is_none_or(|(b, _, _)| sim > b) {
                best = Some((sim, start, end));
            }
            if tried.len() >= 5 {
                break;
            }
        }
        let (_, start, _) = best?;
        // Votes place the window roughly; slide it to where the most words are shared.
        let (similarity, start, end) = self.refine(&q_counts, n, start);
        let text = self.normalized[self.words[start].0 as usize..self.words[end - 1].1 as usize]
            .to_string();
        let p_tokens: Vec<&str> = text.split(' ').collect();
        Some(Passage {
            diff: word_diff(&q_tokens, &p_tokens),
            text,
            similarity,
        })
    }

    /// The window of `n` words within `n / 2` of `around` that shares the most words with the
    /// quote (of equals, the nearest to `around`): `(similarity, start, end)`. Linear: the shared count is
    /// updated as the window slides.
    fn refine(
        &self,
        q_counts: &HashMap<&str, usize>,
        n: usize,
        around: usize,
    ) -> (f64, usize, usize) {
        let len = self.words.len();
        let width = n.min(len);
        let wanted: HashMap<u32, usize> = q_counts
            .iter()
            .filter_map(|(k, &c)| self.keys.get(*k).map(|id| (*id, c)))
            .collect();
        let lo = around.saturating_sub(n / 2).min(len - width);
        let hi = (around + n / 2).min(len - width);
        let mut window: HashMap<u32, usize> = HashMap::new();
        let mut have = 0usize;
        let add = |k: u32, window: &mut HashMap<u32, usize>, have: &mut usize| {
            if let Some(&need) = wanted.get(&k) {
                let c = window.entry(k).or_default();
                *c += 1;
                if *c <= need {
                    *have += 1;
                }
            }
        };
        for &k in &self.word_keys[lo..lo + width] {
            add(k, &mut window, &mut have);
        }
        let (mut best, mut best_start) = (have, lo);
        for start in lo + 1..=hi {
            let out = self.word_keys[start - 1];
            if let Some(&need) = wanted.get(&out) {
                let c = window.entry(out).or_default();
                if *c <= need {
                    have -= 1;
                }
                *c -= 1;
            }
            add(self.word_keys[start + width - 1], &mut window, &mut have);
            if have > best || (have == best && start.abs_diff(around) < best_start.abs_diff(around))
            {
                best = have;
                best_start = start;
            }
        }
        let similarity = 2.0 * best as f64 / (n + width) as f64;
        (similarity, best_start, best_start + width)
    }

    /// Share of words in common between the quote and the document's words `start..end`.
    fn dice(&self, q_counts: &HashMap<&str, usize>, n: usize, start: usize, end: usize) -> f64 {
        let mut window: HashMap<u32, usize> = HashMap::new();
        for &k in &self.word_keys[start..end] {
            *window.entry(k).or_default() += 1;
        }
        let common: usize = q_counts
            .iter()
            .map(|(k, &c)| {
                self.keys
                    .get(*k)
                    .and_then(|id| window.get(id))
                    .map_or(0, |&w| w.min(c))
            })
            .sum();
        2.0 * common as f64 / (n + end - start) as f64
    }

    /// The first passage where one of `words` (or phrases) occurs as whole words, ignoring
    /// case and punctuation: `(the word, the passage around it)`.
    pub fn mentions(&self, phrase: &str) -> Option<String> {
        let keys: Vec<String> = normalize(phrase)
            .split(' ')
            .map(word_key)
            .filter(|k| !k.is_empty())
            .collect();
        let first = keys.first()?;
        let ids: Option<Vec<u32>> = keys.iter().map(|k| self.keys.get(k).copied()).collect();
        let ids = ids?;
        let len = ids.len();
        self.postings_of(first).iter().find_map(|&p| {
            let p = p as usize;
            let at = self.word_keys.get(p..p + len)?;
            (at == ids.as_slice()).then(|| self.context(p, p + len, 12))
        })
    }

    /// Words `start..end` with `around` words of context each side.
    fn context(&self, start: usize, end: usize, around: usize) -> String {
        let from = start.saturating_sub(around);
        let to = (end + around).min(self.words.len());
        let mut text =
            self.normalized[self.words[from].0 as usize..self.words[to - 1].1 as usize].to_string();
        if from > 0 {
            text.insert(0, '…');
        }
        if to < self.words.len() {
            text.push('…');
        }
        text
    }
}

fn counts<'a>(keys: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut out = HashMap::new();
    for k in keys.filter(|k| !k.is_empty()) {
        *out.entry(k).or_default() += 1;
    }
    out
}

/// Word boundary between a neighbouring character and the quote's edge character.
fn boundary(outside: Option<char>, edge: Option<char>) -> bool {
    !(outside.is_some_and(char::is_alphanumeric) && edge.is_some_and(char::is_alphanumeric))
}

/// A unit as compared with short quotes: without trailing punctuation.
fn trim_unit(text: &str) -> &str {
    text.trim()
        .trim_end_matches(['.', ':', ';', ','])
        .trim_end()
}

/// Whole headings, list items and table cells of a markdown or text document, normalised, each
/// also without its leading number ("4.1", "(a)") so a short quote may be the bare title.
fn units(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut add = |raw: &str| {
        let n = normalize(raw);
        let t = trim_unit(&n);
        if t.is_empty() {
            return;
        }
        out.insert(t.to_string());
        if let Some((first, rest)) = t.split_once(' ')
            && first
                .trim_matches(|c: char| c == '(' || c == ')' || c == '.')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c.is_ascii_lowercase())
            && first.chars().any(|c| c.is_ascii_digit() || c == '(')
        {
            out.insert(trim_unit(rest).to_string());
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix('#') {
            add(h.trim_start_matches('#').trim_end_matches('#'));
        } else if t.starts_with('|') {
            for cell in t.trim_matches('|').split('|') {
                if !cell.trim().chars().all(|c| matches!(c, '-' | ':' | ' ')) {
                    add(cell);
                }
            }
        } else if let Some(item) = list_item(t) {
            add(item);
        } else if t.len() > 4 && t.starts_with("**") && t.ends_with("**") {
            add(t);
        }
    }
    out
}

fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest);
        }
    }
    let digits = line.find(|c: char| !c.is_ascii_digit())?;
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then(|| &rest[2..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACME: &str = "# Acme Terms\n\n## Data Processing\n\nAcme does not offer a data processing agreement.\n\n\
        Acme retains Customer Data for 730 days.\n\nAcme will use Customer Data to improve and train its models.\n\n\
        - SOC 2 Type II\n\n| Region | Mechanism |\n|---|---|\n| EU | Standard Contractual Clauses |\n";

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
    fn entities_ligatures_soft_hyphens_and_line_end_hyphens_fold() {
        let doc = Snapshot::new(
            "Terms &amp; Conditions: the con\u{fb01}dential infor-\nmation is pro\u{ad}tected by Acme at all times.",
        );
        assert!(
            doc.contains("Terms & Conditions: the confidential information is protected by Acme")
        );
        assert!(doc.contains("Terms &amp; Conditions"));
    }

    #[test]
    fn snake_case_words_keep_their_underscores() {
        assert_eq!(normalize("a_b _em_ c"), "a_b em c");
    }

    #[test]
    fn short_or_partial_quotes_do_not_verify() {
        let doc = Snapshot::new(ACME);
        assert_eq!(doc.verify("."), Err(Mismatch::TooShort { words: 0 }));
        assert_eq!(doc.verify("e"), Err(Mismatch::TooShort { words: 1 }));
        assert_eq!(doc.verify("30 days"), Err(Mismatch::TooShort { words: 2 }));
        assert!(!doc.contains("30 days"), "30 must not match inside 730");
        assert_eq!(
            doc.verify("Acme retains Customer Data for 30 days."),
            Err(Mismatch::NotFound)
        );
        assert_eq!(
            doc.verify("etains Customer Data for 730 days"),
            Err(Mismatch::NotFound)
        );
        assert_eq!(
            doc.verify("Acme retains Customer Data for 730 days."),
            Ok(())
        );
    }

    #[test]
    fn whole_headings_list_items_and_cells_may_be_short() {
        let doc = Snapshot::new(ACME);
        assert_eq!(doc.verify("Data Processing"), Ok(()));
        assert_eq!(doc.verify("SOC 2 Type II"), Ok(()));
        assert_eq!(doc.verify("Standard Contractual Clauses"), Ok(()));
        assert_eq!(
            doc.verify("Contractual Clauses"),
            Err(Mismatch::TooShort { words: 2 })
        );
    }

    #[test]
    fn only_whole_links_fold_and_never_delete_the_quotes_words() {
        let doc = Snapshot::new(ACME);
        assert_eq!(
            doc.verify("Acme will ](not) use Customer Data to improve and train its models."),
            Err(Mismatch::NotFound)
        );
        assert_eq!(
            doc.verify("[Acme will ](not) use Customer Data to improve and train its models."),
            Err(Mismatch::NotFound)
        );
        assert_eq!(
            normalize("see [the DPA](https://x.test) now"),
            "see the DPA now"
        );
        assert_eq!(normalize("a [b](not) c"), "a [b](not) c");
    }

    #[test]
    fn numbers_are_whole_and_spelled_numbers_count() {
        assert_eq!(numbers("within thirty (30) days"), vec![30, 30]);
        assert_eq!(numbers("for 730 days"), vec![730]);
        assert_eq!(numbers("seventy-two hours"), vec![72]);
        assert_eq!(
            numbers("one hundred and twenty days, 1,000 users"),
            vec![120, 1000]
        );
    }

    #[test]
    fn negations_are_words() {
        assert!(has_negation(&cue_words("Acme won't train")));
        assert!(has_negation(&cue_words("Acme shall not train")));
        assert!(!has_negation(&cue_words("Acme notes that it trains")));
        assert!(has_phrase(&cue_words("unless you opt-out."), "opt out"));
    }

    #[test]
    fn closest_passage_is_found_with_its_similarity_and_diff() {
        let doc = Snapshot::new(
            "Intro text here. Customer may terminate this Agreement upon thirty days notice. Other text follows.",
        );
        let p = doc
            .closest("Customer may terminate this Agreement upon sixty days notice.")
            .unwrap();
        assert_eq!(
            p.text,
            "Customer may terminate this Agreement upon thirty days notice."
        );
        assert!(p.similarity > 0.8 && p.similarity < 1.0, "{}", p.similarity);
        assert!(p.diff.contains("[-sixty-] {+thirty+}"), "{}", p.diff);
    }

    #[test]
    fn a_quote_is_located_among_the_words_shown() {
        let shown = [
            "**4.2",
            "Training.**",
            "Acme",
            "will",
            "\u{2014}",
            "not",
            "train",
            "on",
            "Customer",
            "Data.",
        ];
        let index = WordIndex::new(shown);
        assert_eq!(
            index.locate("Acme will not train on customer data"),
            Some((2, 9))
        );
        assert_eq!(index.locate("Training. Acme"), Some((1, 2)));
        assert_eq!(index.locate("Acme will train"), None);
        assert_eq!(index.locate("..."), None);
    }

    #[test]
    fn mentions_are_whole_words_in_any_case() {
        let doc = Snapshot::new(ACME);
        assert!(doc.mentions("retains").is_some());
        assert!(doc.mentions("RETAINS customer data").is_some());
        assert!(doc.mentions("retain").is_none());
        assert!(doc.mentions("breach").is_none());
    }
}
