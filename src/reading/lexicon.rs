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

/// Positions where any of `patterns` occurs.
pub(crate) fn find_all(words: &[String], patterns: &[&str]) -> Vec<usize> {
    (0..words.len())
        .filter(|&i| patterns.iter().any(|p| matches_at(words, i, p).is_some()))
        .collect()
}

pub(crate) fn any(words: &[String], patterns: &[&str]) -> bool {
    (0..words.len()).any(|i| patterns.iter().any(|p| matches_at(words, i, p).is_some()))
}
