//! How terms write actors, actions, objects, qualifiers and events, in general. A pattern is a
//! phrase of lowercase words; a word ending in `*` matches any word it starts (`delet*` matches
//! "delete", "deleted", "deletion").

use super::terms::{Action, Actor, Event, Object};

/// Who a subject word names.
pub(crate) const ACTORS: &[(Actor, &[&str])] = &[
    (
        Actor::Customer,
        &[
            "you",
            "customer",
            "customers",
            "user",
            "users",
            "licensee",
            "client",
            "clients",
            "subscriber",
            "controller",
            "member",
            "members",
        ],
    ),
    (
        Actor::Vendor,
        &[
            "we",
            "us",
            "company",
            "provider",
            "processor",
            "licensor",
            "service",
            "services",
        ],
    ),
    (
        Actor::ThirdParty,
        &[
            "third",
            "parties",
            "partner",
            "partners",
            "subprocessor",
            "subprocessors",
            "sub-processor",
            "sub-processors",
            "affiliates",
            "advertisers",
            "vendors",
            "recipients",
            "moderators",
        ],
    ),
];

/// Modal and auxiliary words that open the predicate of a clause.
pub(crate) const MODALS: &[&str] = &[
    "will", "shall", "may", "must", "can", "cannot", "might", "should", "won't", "wont", "agree",
    "agrees", "does", "do", "did", "doesn't", "don't", "is", "are", "was", "were", "has", "have",
    "need", "needs",
];

/// Actions: what a clause says someone does.
pub(crate) const ACTIONS: &[(Action, &[&str])] = &[
    (
        Action::Train,
        &[
            "train*",
            "fine tun*",
            "finetun*",
            "machine learning",
            "model improvement",
            "improve our models",
            "improve its models",
            "improve the models",
            "improve models",
            "improving models",
            "develop models",
            "improve our ai",
            "improve and develop",
            "develop and improve",
            "develop or improve",
            "develop our models",
            "develop new models",
            "ai models",
            "language models",
            "artificial intelligence",
        ],
    ),
    (
        Action::Retain,
        &[
            "retain*",
            "retention",
            "keep",
            "keeps",
            "kept",
            "hold",
            "holds",
            "stor*",
            "preserv*",
            "persist*",
            "maintain",
            "maintains",
        ],
    ),
    (
        Action::Delete,
        &[
            "delet*",
            "eras*",
            "destroy*",
            "destruction",
            "purg*",
            "anonymi*",
            "de identif*",
            "remov*",
        ],
    ),
    (
        Action::Retrieve,
        &[
            "export*",
            "retriev*",
            "download*",
            "copy of",
            "copies of",
            "return of",
            "return your",
            "return the",
            "portab*",
        ],
    ),
    (Action::Request, &["request*", "ask us", "contact us"]),
    (
        Action::Notify,
        // "inform", not "information".
        &[
            "notif*",
            "notice",
            "inform",
            "informs",
            "informed",
            "informing",
            "alert*",
            "advance notice",
        ],
    ),
    (
        Action::Share,
        &["shar*", "disclos*", "sell", "sells", "sold", "rent"],
    ),
    (
        Action::License,
        &[
            "licen*",
            "sublicens*",
            "royalty free",
            "grant us",
            "grants us",
            "grant to us",
            "right to use",
            "permission to use",
            "rights to use",
        ],
    ),
    (
        Action::Review,
        &[
            "review*",
            "human review*",
            "look at",
            "read your",
            "moderat*",
            "access your content",
            "view your",
        ],
    ),
    (
        Action::Store,
        &[
            "stored in",
            "store it in",
            "hosted in",
            "located in",
            "processed in",
            "data center*",
            "data centre*",
            "datacenter*",
            "servers in",
            "region*",
        ],
    ),
    (
        Action::Own,
        &[
            "own",
            "owns",
            "owned",
            "ownership",
            "title",
            "belong*",
            "assign*",
            "proprietary",
        ],
    ),
    (
        Action::Indemnify,
        &["indemnif*", "defend", "defends", "hold harmless"],
    ),
    (
        Action::Change,
        &["chang*", "modif*", "updat*", "amend*", "revis*"],
    ),
    (
        Action::Submit,
        &[
            "submit*",
            "upload*",
            "input",
            "send",
            "provide us",
            "enter",
            "process any",
            "include",
        ],
    ),
    (
        Action::Offer,
        &[
            "offer*",
            "available",
            "make available",
            "enter into",
            "sign",
            "signed",
            "execut*",
            "countersign*",
            "provide a",
        ],
    ),
    (Action::Transfer, &["transfer*"]),
    (
        Action::Apply,
        &[
            "appl*",
            "govern*",
            "intended for",
            "designed for",
            "for use by",
            "incorporat*",
            "supplement*",
            "form part",
            "forms part",
            "are for",
            "is for",
        ],
    ),
    (Action::Use, &["use", "uses", "used", "using", "process*"]),
];

/// Exchanges with an AI service, named as a whole: its inputs and its outputs.
const AI_INTERACTIONS: &[&str] = &[
    "interactions with ai*",
    "interactions with our ai*",
    "interactions with the model*",
    "interactions with our model*",
    "interactions with the assistant",
    "interactions with our assistant",
];

/// What an action is done to.
pub(crate) const OBJECTS: &[(Object, &[&str])] = &[
    (
        Object::Outputs,
        &[
            "output*",
            "completion*",
            "generated",
            "responses",
            "response",
        ],
    ),
    (
        Object::Inputs,
        &[
            "input*",
            "prompt*",
            "queries",
            "query",
            "conversations",
            "conversation history",
            "chat history",
            "chat records",
            "chats",
            "messages",
        ],
    ),
    (
        Object::CustomerContent,
        &[
            "customer content",
            "customer data",
            "your content",
            "your data",
            "user content",
            "content",
            "api data",
            "materials",
            "files",
            "posts",
            "photos",
            "videos",
            "images",
            "recordings",
            "uploads",
            "your submissions",
            "user submissions",
        ],
    ),
    (
        Object::PersonalData,
        &[
            "personal data",
            "personal information",
            "personally identifiable",
            "your information",
            "information we collect",
            "information you provide",
            // A privacy notice's own words for what it covers.
            "information",
            "data",
        ],
    ),
    (
        Object::UsageData,
        &[
            "usage data",
            "usage information",
            "telemetry",
            "log data",
            "logs",
            "metadata",
            "technical data",
            "device information",
        ],
    ),
    (Object::Feedback, &["feedback", "suggestions"]),
    (
        Object::AccountData,
        &["account information", "account data", "account details"],
    ),
    // "your interactions with AI models": what the user sent and what came back.
    (Object::Inputs, AI_INTERACTIONS),
    (Object::Outputs, AI_INTERACTIONS),
];

/// Words that open an exception or a condition; the qualifier runs to the next comma.
pub(crate) const EXCEPTIONS: &[&str] = &[
    "except",
    "unless",
    "subject to",
    "provided that",
    "provided however",
    "to the extent",
    "other than",
    "excluding",
    "save that",
    "save as",
    "notwithstanding",
    "but not",
];

/// Words that open a condition, at the start of a sentence or after a comma.
/// "While we are not required to do so, we may review ...": a concession that opens a
/// sentence sets its own negation apart from the main clause, as a condition does.
pub(crate) const CONDITIONS: &[&str] = &[
    "if",
    "where",
    "when",
    "in the event",
    "while",
    "whilst",
    "although",
    "though",
];

/// Who a clause is addressed to ("if you are in the EU", "for enterprise customers").
pub(crate) const AUDIENCES: &[&str] = &[
    "eu",
    "eea",
    "uk",
    "european",
    "switzerland",
    "united states",
    "california",
    "enterprise",
    "business",
    "businesses",
    "commercial",
    "professional",
    "team",
    "api",
    "consumer",
    "consumers",
    "individual",
    "individuals",
    "personal use",
    "developers",
    "organizations",
    "organisations",
];

/// What a duration runs from ("30 days after termination").
pub(crate) const EVENTS: &[(Event, &[&str])] = &[
    (
        Event::Termination,
        &[
            "terminat*",
            "expir*",
            "end of the",
            "end of your",
            "cancel*",
            "closure",
            "close your",
            "closing",
            "deactivat*",
            "deletion of your account",
            "end of the provision",
            "agreement ends",
            "contract ends",
            "subscription ends",
        ],
    ),
    (Event::Request, &["request*", "receipt of"]),
    (Event::Posting, &["post*", "publish*"]),
    (
        Event::Awareness,
        &["aware*", "discover*", "learn*", "confirm*", "detect*"],
    ),
    (Event::Notice, &["notice", "notif*"]),
    (
        Event::Collection,
        &[
            "collect*",
            "creat*",
            "submi*",
            "receiv*",
            "process",
            "processed",
            "processing",
            "generat*",
            "last",
            "inactiv*",
        ],
    ),
];

/// Phrases with a negative word that do not negate ("no later than", "including but not
/// limited to").
pub(crate) const NOT_NEGATIONS: &[&str] = &[
    "no later than",
    "not later than",
    "no less than",
    "not less than",
    "no more than",
    "not more than",
    "not limited to",
    "whether or not",
    "not only",
    "no event",
    "no case",
    "no matter",
    "not exceed",
    "no longer than",
    "not to exceed",
];

/// Zero written in words: a change or deletion that takes effect at once.
pub(crate) const AT_ONCE: &[&str] = &[
    "immediately",
    "immediate effect",
    "effective immediately",
    "upon posting",
    "when posted",
    "when we post",
    "once posted",
    "as of the time of posting",
    "at the time of posting",
    "time we post",
    "the date of posting",
    "on posting",
    "effective upon posting",
    "effective when",
    "become effective upon",
    "becoming effective upon",
    "effective upon notice",
    "effective on notice",
    "effective as of the date",
    // the posted text in force as soon as it can be read, or from the date it shows
    "as soon as it is accessible",
    "as soon as it is posted",
    "as soon as we post",
    "as soon as we publish",
    "as soon as they are posted",
    "as soon as it is published",
    "effective on the last updated date",
    "effective as of the last updated date",
    "effective on the effective date",
];

/// Whether a pattern occurs in `words` starting at `i`; the number of words it spans.
pub(crate) fn matches_at(words: &[String], i: usize, pattern: &str) -> Option<usize> {
    // Every word position is tried against every pattern, and almost every try fails on the
    // first letter: compare it before splitting the pattern (a third of a debug `evaluate`
    // was spent here, in every test that runs one).
    if let Some(&first) = pattern.as_bytes().first()
        && first != b'*'
        && first != b' '
        && words.get(i)?.as_bytes().first() != Some(&first)
    {
        return None;
    }
    let mut k = 0;
    for p in pattern.split(' ') {
        let w = words.get(i + k)?.as_str();
        let ok = match p.strip_suffix('*') {
            Some(stem) => w.starts_with(stem),
            None => w == p,
        };
        if !ok {
            return None;
        }
        k += 1;
    }
    Some(k)
}

/// A list of labelled pattern lists (actions, objects) indexed by each pattern's first letter:
/// at each word of a clause only the patterns that begin with its letter are tried. Every quote
/// of every profile is read by `check` and `evaluate`, and trying every action and object
/// pattern at every word was a third of a cold `evaluate`.
pub(crate) struct Index<T: 'static> {
    entries: &'static [(T, &'static [&'static str])],
    /// For each first byte, the (entry, pattern) pairs whose pattern begins with it, in the
    /// list's order.
    by_initial: Vec<Vec<(usize, &'static str)>>,
}

impl<T> Index<T> {
    pub(crate) fn new(entries: &'static [(T, &'static [&'static str])]) -> Index<T> {
        let mut by_initial: Vec<Vec<(usize, &'static str)>> = vec![Vec::new(); 256];
        for (e, (_, patterns)) in entries.iter().enumerate() {
            for &p in patterns.iter() {
                match p.as_bytes().first() {
                    Some(&b) if b != b'*' && b != b' ' => by_initial[usize::from(b)].push((e, p)),
                    // A pattern that may begin with any letter is tried at every word.
                    _ => by_initial.iter_mut().for_each(|bucket| bucket.push((e, p))),
                }
            }
        }
        Index {
            entries,
            by_initial,
        }
    }

    /// The label and length of each pattern that occurs at position `i`, in the list's order.
    pub(crate) fn at<'a>(
        &'a self,
        words: &'a [String],
        i: usize,
    ) -> impl Iterator<Item = (&'static T, usize)> + 'a {
        let bucket = words
            .get(i)
            .and_then(|w| w.as_bytes().first())
            .map_or(&[][..], |&b| &self.by_initial[usize::from(b)][..]);
        bucket
            .iter()
            .filter_map(move |&(e, p)| matches_at(words, i, p).map(|len| (&self.entries[e].0, len)))
    }

    /// For each entry (label and patterns), in the list's order, the positions where one of
    /// its patterns occurs, ascending.
    pub(crate) fn positions(&self, words: &[String]) -> Vec<(&'static T, Vec<usize>)> {
        let mut out: Vec<(&'static T, Vec<usize>)> =
            self.entries.iter().map(|(t, _)| (t, Vec::new())).collect();
        for (i, w) in words.iter().enumerate() {
            let Some(&b) = w.as_bytes().first() else {
                continue;
            };
            for &(e, p) in &self.by_initial[usize::from(b)] {
                let found = &mut out[e].1;
                if found.last() != Some(&i) && matches_at(words, i, p).is_some() {
                    found.push(i);
                }
            }
        }
        out
    }
}

/// The first letters of some words, as a set of bytes: a pattern whose first letter is not among
/// them matches nowhere in those words, which most patterns of a list are not. Checking that
/// once per list, rather than at every word, is what keeps reading a clause cheap: `check` and
/// `evaluate` read every quote of every profile, and half of a cold `evaluate` went to trying
/// each pattern at each word.
pub(crate) struct Initials([u64; 4]);

impl Initials {
    pub(crate) fn of(words: &[String]) -> Initials {
        let mut set = [0u64; 4];
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                set[usize::from(b >> 6)] |= 1 << (b & 63);
            }
        }
        Initials(set)
    }

    /// Whether `pattern` may match somewhere in the words (its first letter is among theirs).
    pub(crate) fn admit(&self, pattern: &str) -> bool {
        match pattern.as_bytes().first() {
            None | Some(b'*') | Some(b' ') => true,
            Some(&b) => self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0,
        }
    }

    /// The patterns of `patterns` that may match somewhere in the words.
    pub(crate) fn admitted<'p>(&self, patterns: &[&'p str]) -> Vec<&'p str> {
        patterns.iter().copied().filter(|p| self.admit(p)).collect()
    }

    /// [`find_all`], for the words these initials are of.
    pub(crate) fn find_all(&self, words: &[String], patterns: &[&str]) -> Vec<usize> {
        let patterns = self.admitted(patterns);
        if patterns.is_empty() {
            return Vec::new();
        }
        (0..words.len())
            .filter(|&i| patterns.iter().any(|p| matches_at(words, i, p).is_some()))
            .collect()
    }

    /// The first position where any of `patterns` occurs in the words these initials are of.
    pub(crate) fn first(&self, words: &[String], patterns: &[&str]) -> Option<usize> {
        let patterns = self.admitted(patterns);
        if patterns.is_empty() {
            return None;
        }
        (0..words.len()).find(|&i| patterns.iter().any(|p| matches_at(words, i, p).is_some()))
    }
}

/// Positions where any of `patterns` occurs.
pub(crate) fn find_all(words: &[String], patterns: &[&str]) -> Vec<usize> {
    Initials::of(words).find_all(words, patterns)
}

pub(crate) fn any(words: &[String], patterns: &[&str]) -> bool {
    let initials = Initials::of(words);
    patterns
        .iter()
        .filter(|p| initials.admit(p))
        .any(|p| (0..words.len()).any(|i| matches_at(words, i, p).is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every word of every list's patterns, cut at a `*`, plus words no pattern starts with:
    /// clauses made of them hit many patterns, partly and whole.
    fn vocabulary() -> Vec<String> {
        let lists = ACTIONS
            .iter()
            .map(|(_, ps)| *ps)
            .chain(OBJECTS.iter().map(|(_, ps)| *ps))
            .chain([NOT_NEGATIONS, EXCEPTIONS, CONDITIONS, AT_ONCE, AUDIENCES]);
        let mut words: Vec<String> = lists
            .flat_map(|ps| ps.iter().flat_map(|p| p.split(' ')))
            .map(|w| w.trim_end_matches('*').to_string())
            .chain(["deleted", "trainings", "zebra", ",", "", "qq"].map(String::from))
            .collect();
        words.sort();
        words.dedup();
        words
    }

    fn clause() -> impl Strategy<Value = Vec<String>> {
        let words = vocabulary();
        prop::collection::vec(prop::sample::select(words), 0..40)
    }

    fn naive_positions(words: &[String], patterns: &[&str]) -> Vec<usize> {
        (0..words.len())
            .filter(|&i| patterns.iter().any(|p| matches_at(words, i, p).is_some()))
            .collect()
    }

    proptest! {
        /// The indexed and pre-filtered searches find what trying every pattern at every word
        /// finds: they only skip tries that cannot match.
        #[test]
        fn indexed_matching_finds_what_every_try_finds(words in clause()) {
            let index = Index::new(ACTIONS);
            for ((label, found), (expected_label, patterns)) in
                index.positions(&words).into_iter().zip(ACTIONS)
            {
                prop_assert_eq!(label, expected_label);
                prop_assert_eq!(found, naive_positions(&words, patterns));
            }
            let initials = Initials::of(&words);
            for list in [NOT_NEGATIONS, EXCEPTIONS, AT_ONCE, AUDIENCES] {
                let naive = naive_positions(&words, list);
                prop_assert_eq!(super::find_all(&words, list), naive.clone());
                prop_assert_eq!(initials.first(&words, list), naive.first().copied());
                prop_assert_eq!(super::any(&words, list), !naive.is_empty());
                let index = Index::new(&[((), NOT_NEGATIONS)]);
                for i in 0..words.len() {
                    let lens: Vec<usize> = index.at(&words, i).map(|(_, len)| len).collect();
                    let expected: Vec<usize> = NOT_NEGATIONS
                        .iter()
                        .filter_map(|p| matches_at(&words, i, p))
                        .collect();
                    prop_assert_eq!(lens, expected);
                }
            }
        }
    }
}
