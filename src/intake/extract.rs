//! The clause finder behind `diligence extract`: each clause of a snapshot is read by the clause
//! reader (`crate::reading`) and scored for each fact: the topic words of the vocabulary's
//! `CLAUSE_CUES` table find the clauses that speak of a fact, and the reading ranks them (a
//! clause whose meaning states a value comes first; a duty of the customer or a number that
//! measures something else goes down). The value proposed is the reading's; the cues' value
//! phrases only fill in where the reading says nothing. Quotes are cut from the snapshot and
//! re-checked by the same code as `check`.

use crate::evidence::{lead_of, unsupported_at};
use crate::model::profile::Authority;
use crate::model::quotes::{Snapshot, normalize};
use crate::model::vocabulary::{ClauseCues, FACTS, ValueType, clause_cues, fact_spec};
use crate::reading::read::UNIT_ADJECTIVES;
use crate::reading::structure::{self as clauses, Clause};
use crate::reading::{self, Reading};
use crate::workspace::Workspace;
use serde::Serialize;
use serde_json::Value;

/// Most candidates shown per fact.
pub const PER_FACT: usize = 3;
/// Below this a clause is not a candidate (the required topic in the clause scores 2).
const MIN_SCORE: f64 = 2.0;
/// Quotes are anchored sentences: at least this many words.
const MIN_WORDS: usize = 6;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Candidate {
    pub fact: String,
    /// The value the wording states, or null when it does not settle it.
    pub value: Value,
    pub section: Option<String>,
    pub quote: String,
    pub score: f64,
    /// What the clause was read as: "vendor / will not / train / customer content; except: ...".
    pub why: String,
    /// The clause's own carve-outs, verbatim ("unless ... "), to record as the claim's
    /// `exceptions:` with the promise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<String>,
    /// The question to ask when no value is proposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
}

/// Whether `phrase` occurs in `hay` starting at a word boundary (so "train" matches
/// "training" but "rain" does not match "train").
fn has(hay: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(phrase) {
        let at = from + i;
        let before = hay[..at].chars().next_back();
        if before.is_none_or(|c| !c.is_alphanumeric()) {
            return true;
        }
        from = at + phrase.len().max(1);
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// A number word from one to ninety-nine ("thirty"), read by the quote checker's table.
fn word_value(w: &str) -> Option<u64> {
    crate::model::quotes::number_word(w).filter(|n| (1..100).contains(n))
}

/// The numbers written right before a unit: "thirty (30) days", "72 hours", "a 30-day period",
/// "seventy-two hours".
pub fn durations(text: &str, units: &[&str]) -> Vec<u64> {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let mut found = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !units.contains(t) {
            continue;
        }
        let mut j = i;
        while j > 0 && UNIT_ADJECTIVES.contains(&tokens[j - 1]) {
            j -= 1;
        }
        if j == 0 {
            continue;
        }
        let prev = tokens[j - 1];
        let n = if let Ok(n) = prev.parse::<u64>() {
            Some(n)
        } else if let Some(ones) = word_value(prev).filter(|n| *n < 20) {
            match j.checked_sub(2).and_then(|k| word_value(tokens[k])) {
                Some(tens) if tens >= 20 && ones < 10 => Some(tens + ones),
                _ => Some(ones),
            }
        } else {
            word_value(prev)
        };
        if let Some(n) = n
            && !found.contains(&n)
        {
            found.push(n);
        }
    }
    found
}

/// The value a clause states for a fact, if its wording settles it.
fn value_of(cues: &ClauseCues, ty: ValueType, lower: &str, text: &str) -> Value {
    if let Some(units) = cues.unit {
        let numbers = durations(text, units);
        return match numbers.as_slice() {
            [n] => Value::from(*n),
            _ => Value::Null,
        };
    }
    let matched: Vec<&str> = cues
        .values
        .iter()
        .filter(|(_, phrases)| phrases.iter().any(|p| has(lower, p)))
        .map(|(v, _)| *v)
        .collect();
    match ty {
        ValueType::EnumList(_) if !matched.is_empty() => {
            Value::Array(matched.iter().map(|v| Value::from(*v)).collect())
        }
        ValueType::Enum(_) => match (matched.as_slice(), cues.first_wins) {
            ([one], _) => Value::from(*one),
            ([first, ..], true) => Value::from(*first),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

/// How the reading moves a clause's score for `fact`: up when its meaning states a value, down
/// when it is a duty of the customer (for a vendor's promise) or its number measures something
/// else.
fn reading_score(fact: &str, reading: &Reading) -> f64 {
    let mut score = 0.0;
    if reading::stated(fact, reading).is_some() {
        score += 2.0;
    }
    let vendor_promise = !matches!(
        fact,
        "prohibited_data" | "rests_on_consumer_terms" | "consumer_account_linked"
    );
    if vendor_promise && reading.customer_duty() {
        score -= 2.0;
    } else if vendor_promise
        && reading.actor == crate::reading::read::Actor::Customer
        && reading.modality == crate::reading::read::Modality::May
    {
        // What the customer may do (object, export, opt in) is not the vendor's promise.
        score -= 1.0;
    }
    if fact == "prohibited_data" && !reading.customer_duty() && reading.negated {
        score -= 0.5;
    }
    // How long the vendor keeps what it collects about devices or usage is not how long it
    // keeps the customer's content.
    if matches!(fact, "retention_days" | "deletion_after_termination_days")
        && reading.about(crate::reading::read::Object::UsageData)
        && !reading.about(crate::reading::read::Object::CustomerContent)
        && !reading.about(crate::reading::read::Object::Inputs)
    {
        score -= 1.5;
    }
    score
}

fn score(cues: &ClauseCues, clause: &Clause, lower: &str) -> f64 {
    let heading = clause.heading.as_deref().unwrap_or("").to_lowercase();
    let mut score = 0.0;
    for (i, group) in cues.topic.iter().enumerate() {
        let in_clause = group.iter().filter(|p| has(lower, p)).count();
        let in_heading = group.iter().any(|p| has(&heading, p));
        if in_clause > 0 {
            score += 2.0 + 0.5 * (in_clause - 1).min(2) as f64;
        } else if i == 0 {
            // The fact's main concept must be in the clause itself.
            return 0.0;
        } else if in_heading {
            score += 1.0;
        } else {
            // A concept missing: other cues (a value's wording, a duration) must make up for it.
            score -= 1.0;
        }
    }
    // Wording that is about something else (e.g. the customer's own indemnity).
    if cues.against.iter().any(|p| has(lower, p)) {
        return 0.0;
    }
    let value_cues = cues
        .values
        .iter()
        .flat_map(|(_, phrases)| phrases.iter())
        .filter(|p| has(lower, p))
        .count();
    score += value_cues.min(3) as f64;
    if let Some(units) = cues.unit
        && !durations(&clause.text, units).is_empty()
    {
        score += 2.0;
    }
    if [" will ", " shall ", " must ", " may ", " agree", " not "]
        .iter()
        .any(|m| lower.contains(m))
    {
        score += 0.5;
    }
    // A definition names a term; the commitment is stated elsewhere.
    if lower.contains(" means ") || lower.contains(" shall mean ") {
        score -= 3.0;
    }
    // A long passage speaks of many things: its words match many cues by chance.
    let words = clause.text.split_whitespace().count();
    if words > 90 {
        score -= 2.0;
    } else if words > 55 {
        score -= 1.0;
    }
    score
}

/// A clause as a quote: without a leading clause number, trimmed of unbalanced emphasis.
pub(crate) fn quote_of(text: &str) -> String {
    let mut q = text.trim();
    if let Some(n) = clauses::clause_number(q) {
        let t = q.trim_start_matches(['#', '*', '_', ' ']);
        if let Some(rest) = t.strip_prefix(n.as_str()) {
            q = rest.trim_start_matches(['.', ' ']);
        }
    }
    let q = q.trim();
    // `**` left open or closed alone by the sentence split.
    if q.matches("**").count() % 2 == 1 {
        return q.replacen("**", "", 1).trim().to_string();
    }
    q.to_string()
}

/// The carve-outs of a clause, verbatim: from an exception's opening word ("unless",
/// "except", "subject to", ...) to the end of the clause, when long enough to quote.
fn exception_quotes(quote: &str) -> Vec<String> {
    // ASCII lowercasing keeps byte offsets, so a match in `lower` cuts `quote` at the same place.
    let lower = quote.to_ascii_lowercase();
    let mut out: Vec<String> = Vec::new();
    for marker in crate::reading::lexicon::EXCEPTIONS {
        let mut from = 0;
        while let Some(i) = lower[from..].find(marker) {
            let at = from + i;
            from = at + marker.len();
            let before = lower[..at].chars().next_back();
            let after = lower[from..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let text = quote[at..].trim().to_string();
            if text.split_whitespace().count() >= MIN_WORDS
                && !out
                    .iter()
                    .any(|o| o.contains(&text) || text.contains(o.as_str()))
            {
                out.push(text);
            }
        }
    }
    out
}

/// How terms write a fact that the topic words of the cues miss: each frame is a set of
/// concepts (any pattern of each, in the reader's word patterns) that a clause stating the fact
/// holds all of. A negation or absence ("no DPA is offered"), a licence granted without the word
/// licence ("only use Customer Content as necessary to provide"), an account the service runs
/// on, a place data is stored, a disclaimer of ownership, a duty of the customer that forbids
/// some data: all general wording, never one vendor's sentence.
const FRAMES: &[(&str, &[&[&str]])] = &[
    (
        "licence_scope",
        &[
            &[
                "only use",
                "only process",
                "use * only",
                "limited rights",
                "solely to provide",
                "only to provide",
                "other than as necessary",
                "purposes of delivering",
                "necessary to provide",
                "grant us",
                "grants us",
                "grant to",
                "right to use",
                "rights to use",
                "permission to use",
                "sublicensable",
                "royalty free",
            ],
            &[
                "content",
                "data",
                "input*",
                "information",
                "materials",
                "posts",
            ],
        ],
    ),
    (
        "retention_days",
        &[
            &[
                "retain*",
                "keep",
                "keeps",
                "kept",
                "store",
                "stores",
                "stored",
                "retention",
                "delete*",
                "deletion",
            ],
            &[
                "as long as",
                "for the duration",
                "duration of",
                "until you",
                "until such",
                "until it",
                "account open",
                "no longer",
                "period",
                "necessary for",
                "needed",
                "need it",
            ],
        ],
    ),
    (
        "deletion_after_termination_days",
        &[
            &["delet*", "eras*", "destroy*", "keep", "retain*", "return"],
            &[
                "terminat*",
                "expir*",
                "account has been deleted",
                "account is deleted",
                "account deletion",
                "delete your account",
                "deleted your account",
                "delete their account",
                "close your account",
                "closed",
                "deactivat*",
                "end of the",
                "after the end",
            ],
        ],
    ),
    (
        "abuse_monitoring_retention_days",
        &[
            &["retain*", "keep", "kept", "store*", "delet*"],
            &[
                "abuse",
                "misuse",
                "harmful",
                "illegal",
                "violat*",
                "suspend*",
                "safety",
                "trust and safety",
                "flagged",
                "inappropriate",
            ],
        ],
    ),
    (
        "consumer_account_linked",
        &[
            &["account", "accounts"],
            &[
                "sign in",
                "signs in",
                "signed in",
                "log in",
                "logged in",
                "login",
                "sign up",
                "need",
                "must have",
                "required to",
                "employer",
                "organization*",
                "organisation*",
                "work",
                "school",
                "administrator*",
                "purchased",
                "personal",
            ],
        ],
    ),
    (
        "rests_on_consumer_terms",
        &[
            &[
                "consumer*",
                "business*",
                "on behalf of",
                "legal entity",
                "organization",
                "organisation",
                "company",
                "commercial",
                "personal use",
                "professional",
                "individual*",
                "enterprise",
            ],
            &[
                "these terms",
                "this agreement",
                "the terms",
                "apply",
                "applies",
                "accept*",
                "bind",
            ],
        ],
    ),
    (
        "human_review",
        &[
            &[
                "review*",
                "monitor*",
                "moderat*",
                "human*",
                "manual*",
                "personnel",
                "employees",
                "look at",
                "access",
            ],
            &[
                "content",
                "messages",
                "conversations",
                "chats",
                "inputs",
                "prompts",
                "activity",
                "communications",
                "outputs",
            ],
        ],
    ),
    (
        "output_ownership",
        &[
            &[
                "own",
                "owns",
                "ownership",
                "title",
                "assign*",
                "belong*",
                "yours",
            ],
            &["output*", "content", "responses", "generated", "creations"],
        ],
    ),
    (
        "data_residency",
        &[
            &[
                "server*",
                "data cent*",
                "store*",
                "stored",
                "storage",
                "hosted",
                "located",
                "transfer*",
                "process* in",
                "processing and storage",
            ],
            &[
                "united states",
                "us",
                "usa",
                "eu",
                "europe*",
                "eea",
                "uk",
                "singapore",
                "country",
                "countries",
                "jurisdiction*",
                "region*",
            ],
        ],
    ),
    (
        "dpa",
        &[&[
            "data processing",
            "data protection addendum",
            "data protection agreement",
            "dpa",
            "processing terms",
            "as a processor",
            "acts as a processor",
            "processor of",
        ]],
    ),
    (
        "prohibited_data",
        &[
            &[
                "not submit",
                "not upload",
                "not include",
                "not provide",
                "not input",
                "not designed",
                "not intended",
                "not use",
                "will not",
                "must not",
                "may not",
                "shall not",
                "do not",
                "prohibit*",
            ],
            &[
                "health",
                "medical",
                "children",
                "child",
                "minors",
                "under 13",
                "sensitive",
                "special categor*",
                "payment card",
                "credit card",
                "biometric",
                "genetic",
                "personal information of",
                "protected health",
            ],
        ],
    ),
];

/// Words of the headings that sections about a fact usually carry ("How long we keep your
/// data", "Changes to these Terms"): a clause under such a heading is more likely the one.
const HEADINGS: &[(&str, &[&str])] = &[
    (
        "retention_days",
        &[
            "retention",
            "retain*",
            "how long",
            "keep",
            "storage",
            "delet*",
        ],
    ),
    (
        "deletion_after_termination_days",
        &["terminat*", "delet*", "retention", "expir*"],
    ),
    (
        "abuse_monitoring_retention_days",
        &["retention", "retain*", "safety", "abuse"],
    ),
    (
        "terms_change_notice_days",
        &["chang*", "modif*", "updat*", "amend*"],
    ),
    (
        "data_residency",
        &["transfer*", "international", "location", "storage", "where"],
    ),
    (
        "transfer_mechanism",
        &["transfer*", "international", "cross border"],
    ),
    (
        "licence_scope",
        &["licen*", "rights", "content", "permission*", "how we use"],
    ),
    (
        "output_ownership",
        &["ownership", "intellectual property", "output*", "content"],
    ),
    (
        "human_review",
        &["moderat*", "review*", "safety", "how we use"],
    ),
    (
        "training_on_inputs",
        &["train*", "model*", "ai", "improv*", "how we use"],
    ),
    (
        "training_on_outputs",
        &["train*", "model*", "ai", "improv*", "output*"],
    ),
    ("dpa", &["data processing", "data protection", "processor"]),
    (
        "breach_notification_hours",
        &["breach*", "incident*", "security"],
    ),
    (
        "prohibited_data",
        &[
            "prohibit*",
            "restrict*",
            "acceptable use",
            "sensitive",
            "children",
        ],
    ),
    (
        "consumer_account_linked",
        &["account*", "registration", "eligibility", "organi*"],
    ),
    (
        "rests_on_consumer_terms",
        &["eligib*", "who", "scope", "applicab*", "acceptance"],
    ),
    ("ip_indemnity", &["indemn*"]),
    (
        "subprocessors_list",
        &[
            "subprocessor*",
            "sub processor*",
            "service providers",
            "shar*",
        ],
    ),
];

/// A clause under a heading that names the fact's topic.
fn heading_score(fact: &str, clause: &Clause) -> f64 {
    let (Some(heading), Some((_, words))) = (
        clause.heading.as_deref(),
        HEADINGS.iter().find(|(f, _)| *f == fact),
    ) else {
        return 0.0;
    };
    let heading = crate::reading::read(heading);
    if heading.says(words) { 1.0 } else { 0.0 }
}

/// How many of a fact's frame concepts a reading holds: all of them (a candidate), else none.
fn frame_score(fact: &str, r: &Reading) -> f64 {
    let Some((_, groups)) = FRAMES.iter().find(|(f, _)| *f == fact) else {
        return 0.0;
    };
    if groups.iter().all(|g| r.says(g)) {
        groups.len() as f64
    } else {
        0.0
    }
}

/// What a clause whose proposed value `check` accepts gains over one that only speaks of the fact.
const VALUE_BONUS: f64 = 3.0;

/// Retention without a number: "as long as necessary", "for the duration of the Agreement",
/// "until you delete it". Privacy policies state their general rule this way and give numbers
/// only for narrow kinds of data (cookies, logs), so such a clause ranks as one that states a
/// value.
const OPEN_ENDED: &[&str] = &[
    "as long as",
    "so long as",
    "for the duration",
    "the duration of",
    "the term of the agreement",
    "until you",
    "until such",
    "until it",
    "until the",
    "as needed",
    "need it",
    "no longer necessary",
    "no longer needed",
    "necessary for the purpose*",
    "legitimate business purposes",
];

/// Kinds of data narrower than the customer's data as a whole: a period that one of them is
/// kept for is not the retention of the customer's content.
const NARROW_DATA: &[&str] = &[
    "cookie*",
    "log data",
    "logs",
    "ip address*",
    "device*",
    "ads",
    "advertis*",
    "complain*",
    "correspondence",
    "support ticket*",
    "payment*",
    "billing",
    "transaction*",
    "tracking",
    "communicate with us",
    "contact us",
    "third party websites",
    "third party sites",
    "contracts",
    "contact details",
    "invoices",
];

/// The customer's data as a whole, as retention clauses name it.
const GENERAL_DATA: &[&str] = &[
    "your information",
    "your personal data",
    "your personal information",
    "your data",
    "your content",
    "information we collect",
    "personal data",
    "customer data",
    "customer content",
];

/// What a clause about retention gains or loses from the period it states and the data it
/// covers.
fn retention_score(fact: &str, r: &Reading) -> f64 {
    if fact != "retention_days" {
        return 0.0;
    }
    let keeps = r.says(&["retain*", "keep*", "kept", "store*", "retention", "storage"]);
    let mut score = 0.0;
    if keeps && r.main_says(OPEN_ENDED) && !r.customer_duty() {
        // As much as a number the reading ties to keeping (the value and its reading).
        score += VALUE_BONUS + 2.0;
    }
    if r.says(NARROW_DATA) {
        score -= 2.0;
    } else if r.says(GENERAL_DATA) {
        score += 0.5;
    }
    score
}

/// How a clause fares for the facts whose words have other senses: "consumer" in consumer
/// protection law is not about who the terms are for; an account named in a duty or a
/// definition is not the account the service runs on.
fn sense_score(fact: &str, r: &Reading) -> f64 {
    match fact {
        "rests_on_consumer_terms" => {
            let law = r.says(&[
                "consumer protection",
                "consumer law*",
                "consumer rights",
                "statutory rights",
                "mandatory",
                "consumer organi*",
            ]);
            // "If you use the Services on behalf of a company, ... that entity accepts these
            // Terms": who the terms bind.
            let entity = r.says(&["on behalf of"])
                && r.says(&[
                    "company",
                    "organi*",
                    "entity",
                    "business*",
                    "employer",
                    "legal person",
                ]);
            let elsewhere = r.says(CONSUMER_WORDS)
                && r.says(&[
                    "governed by",
                    "instead",
                    "reference",
                    "refer to",
                    "apply to you",
                ]);
            if law {
                -3.0
            } else if entity || elsewhere {
                3.0
            } else {
                0.0
            }
        }
        // A licence is the one the customer grants the vendor: not one granted to other users,
        // nor the customer's warranty that it holds the rights in what it submits.
        "licence_scope" => {
            let to_others = r.says(&[
                "each other user",
                "other users",
                "each user",
                "users of the service",
            ]) && !r.says(&["grant us", "grants us", "grant to us"]);
            let warranty = r.says(&["represent*", "warrant*", "all rights", "necessary rights"])
                && !r.says(&["grant*"]);
            let grant = r.says(&["grant*", "licen*"]) && r.says(&["use", "right*", "licen*"]);
            if to_others || warranty {
                -2.0
            } else if grant {
                0.5
            } else {
                0.0
            }
        }
        // The vendor's people reviewing content: not an organisation's administrator given
        // access to its members' accounts, nor a list of purposes that only names employees.
        "human_review" => {
            let admin = r.says(&["administrator*", "employer", "your organi*"]);
            let reviews = r.says(&[
                "review*", "access*", "monitor*", "moderat*", "look at", "read", "view*",
            ]);
            if admin || !reviews { -2.0 } else { 0.0 }
        }
        // Where data is kept: not the law that governs the terms, the courts, the company's
        // seat, nor the safeguards a transfer relies on (that is the transfer mechanism).
        "data_residency" => {
            let law = r.says(&[
                "governed by",
                "governing law",
                "laws of",
                "courts",
                "jurisdiction of",
                "registered office",
                "headquarter*",
                "incorporated in",
            ]);
            let mechanism = r.says(&[
                "standard contractual clauses",
                "sccs",
                "adequacy",
                "safeguards",
                "binding corporate rules",
                "data privacy framework",
            ]);
            let kept = r.says(&[
                "server*",
                "stored",
                "store*",
                "storage",
                "hosted",
                "data cent*",
                "located",
            ]);
            if law && !kept {
                -3.0
            } else if mechanism && !kept {
                -1.0
            } else if kept {
                0.5
            } else {
                0.0
            }
        }
        // What data the customer must not submit: not who may use the service (a minimum
        // age, a service "not directed to children", children's data the vendor does not
        // "knowingly collect"), unless the clause states a kind of data forbidden.
        "prohibited_data" => {
            let age = r.says(&[
                "knowingly collect*",
                "directed to children",
                "directed at children",
                "directed to minors",
                "years of age",
                "years old",
                "minimum age",
                "age of majority",
                "under the age of",
            ]);
            if age && reading::stated(fact, r).is_none() {
                -2.0
            } else {
                0.0
            }
        }
        // The vendor defending the customer against third parties' claims.
        "ip_indemnity"
            if r.actor == crate::reading::read::Actor::Vendor
                && !r.negated
                && r.says(&["defend*", "indemnif*"])
                && r.says(&["customer", "you"]) =>
        {
            2.0
        }
        // The end of an account or contract, with a period for deleting what it held.
        "deletion_after_termination_days" => {
            let ends = r.says(&[
                "terminat*",
                "expir*",
                "account is deleted",
                "account has been deleted",
                "account deletion",
                "delete your account",
                "deleted your account",
                "close your account",
                "deactivat*",
            ]);
            let deletes = r.says(&["delet*", "eras*", "destroy*", "remov*"]);
            let period = !r.quantities.is_empty() || r.at_once_in_main();
            if ends && deletes && period && !r.customer_duty() {
                2.0
            } else {
                0.0
            }
        }
        "consumer_account_linked" => {
            let linked = r.says(&["account*"])
                && r.says(&[
                    "employer",
                    "organi*",
                    "administrator*",
                    "enterprise",
                    "business account",
                    "workspace",
                    "purchased",
                    "need",
                    "needs",
                    "required",
                    "must have",
                    "linked",
                ]);
            if linked {
                3.0
            } else if r.customer_duty() {
                -1.0
            } else {
                0.0
            }
        }
        _ => 0.0,
    }
}

const CONSUMER_WORDS: &[&str] = &["consumer*", "individual*", "personal use"];

/// A heading-like line ("**To train our AI models**"): all emphasis, short, no modal verb. It
/// names a topic; the clause that states the fact is below it.
fn heading_like(text: &str, r: &Reading) -> bool {
    let t = text.trim();
    t.starts_with("**")
        && t.trim_end_matches([':', '.']).ends_with("**")
        && t.split_whitespace().count() < 12
        && r.modality == crate::reading::read::Modality::States
        && !r.negated
}

/// The value proposed for `fact` from a clause: the reading's, else the cues' value phrases;
/// null when `check` would not accept it on this quote where it stands (a list item with its
/// lead-in, as `check` reads it): a draft that never verifies is no help.
fn proposed(
    fact: &str,
    cues: &ClauseCues,
    ty: ValueType,
    reading: &Reading,
    lower: &str,
    quote: &str,
    snapshot: &Snapshot,
) -> Value {
    let value = reading::stated(fact, reading).unwrap_or_else(|| value_of(cues, ty, lower, quote));
    if value.is_null() || unsupported_at(fact, &value, quote, snapshot).is_some() {
        Value::Null
    } else {
        value
    }
}

/// A clause as read: a list item with the sentence that introduces it ("Customer will not:
/// (c) include ..."), unless the item is a sentence of its own, with its own subject and modal
/// verb ("Meta shall notify you ..."): then the lead-in does not govern it.
fn read_clause(c: &Clause) -> Reading {
    use crate::reading::read::{Actor, Modality};
    if c.lead.is_some() {
        let own = reading::read(&c.text);
        if own.actor != Actor::Unstated && own.modality != Modality::States {
            return own;
        }
    }
    reading::read(&c.in_full())
}

/// The clauses of a snapshot, each with the lead-in `check` reads it with: a list item's, or
/// that of a numbered paragraph that goes on in lower case after one ending with a colon
/// ("H.1. Within thirty days ..., Acme will:" + "H.1.b. delete all copies ...").
fn with_leads(markdown: &str, snapshot: &Snapshot) -> Vec<Clause> {
    clauses::split(markdown)
        .into_iter()
        .map(|mut c| {
            if c.lead.is_none() {
                c.lead = lead_of(snapshot, &c.text)
                    .filter(|lead| normalize(lead) != normalize(&c.text))
                    .map(str::to_string);
            }
            c
        })
        .collect()
}

/// Candidates for each fact (up to [`PER_FACT`], best first), from a snapshot's Markdown.
pub fn find(markdown: &str, facts: &[&str]) -> Vec<Candidate> {
    find_upto(markdown, facts, PER_FACT)
}

/// Candidates for each fact (up to `per_fact`, best first).
pub fn find_upto(markdown: &str, facts: &[&str], per_fact: usize) -> Vec<Candidate> {
    let snapshot = Snapshot::new(markdown);
    let clauses = with_leads(markdown, &snapshot);
    // A list item is read with the sentence that introduces it ("Customer will not: (c) ...").
    let lowered: Vec<String> = clauses.iter().map(|c| c.in_full().to_lowercase()).collect();
    // Each clause long enough to quote is read once, for every fact.
    let readings: Vec<Option<Reading>> = clauses
        .iter()
        .map(|c| (c.text.split_whitespace().count() >= MIN_WORDS).then(|| read_clause(c)))
        .collect();
    let mut out = Vec::new();
    for fact in facts {
        let (Some(cues), Some(spec)) = (clause_cues(fact), fact_spec(fact)) else {
            continue;
        };
        let mut scored: Vec<(f64, usize)> = clauses
            .iter()
            .zip(&lowered)
            .enumerate()
            .filter_map(|(i, (c, l))| {
                let reading = readings[i].as_ref()?;
                let cue = score(cues, c, l);
                // A clause the cues miss but whose meaning states a value ("is not designed
                // to process health data") is a candidate too.
                let stated = reading::stated(fact, reading).is_some();
                let frame = frame_score(fact, reading);
                let base = if cue > 0.0 {
                    cue + frame / 2.0
                } else if stated || frame > 0.0 {
                    MIN_SCORE + frame
                } else {
                    return None;
                };
                let value = proposed(
                    fact,
                    cues,
                    spec.ty,
                    reading,
                    &lowered[i],
                    &quote_of(&c.text),
                    &snapshot,
                );
                let bonus = if value.is_null() { 0.0 } else { VALUE_BONUS };
                let under = heading_score(fact, c);
                let heading = if heading_like(&c.text, reading) {
                    -2.0
                } else {
                    0.0
                };
                Some((
                    base + bonus
                        + under
                        + heading
                        + reading_score(fact, reading)
                        + retention_score(fact, reading)
                        + sense_score(fact, reading),
                    i,
                ))
            })
            .filter(|(s, _)| *s >= MIN_SCORE)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut taken: Vec<String> = Vec::new();
        for (s, i) in scored {
            if taken.len() == per_fact {
                break;
            }
            let clause = &clauses[i];
            let quote = quote_of(&clause.text);
            // The same check as `check`: a candidate whose quote does not verify is dropped.
            if quote.split_whitespace().count() < MIN_WORDS
                || !snapshot.contains(&quote)
                || taken.contains(&quote)
            {
                continue;
            }
            let Some(reading) = readings[i].as_ref() else {
                continue;
            };
            let value = proposed(fact, cues, spec.ty, reading, &lowered[i], &quote, &snapshot);
            taken.push(quote.clone());
            out.push(Candidate {
                fact: fact.to_string(),
                question: value.is_null().then(|| spec.question.to_string()),
                value,
                section: clause.section.clone(),
                exceptions: exception_quotes(&quote)
                    .into_iter()
                    .filter(|e| snapshot.contains(e))
                    .collect(),
                quote,
                score: (s * 10.0).round() / 10.0,
                why: reading.to_string(),
            });
        }
    }
    out
}

/// All fact names, in vocabulary order.
pub fn all_facts() -> Vec<&'static str> {
    FACTS.iter().map(|f| f.name).collect()
}

/// How well the finder recovers what reviewers quoted.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Measure {
    /// First-party claims with a verified quote in an archived snapshot.
    pub claims: usize,
    /// The best candidate overlaps the quoted passage.
    pub top1: usize,
    /// One of the first three overlaps it.
    pub top3: usize,
    /// The best candidate proposes a value.
    pub proposed: usize,
    /// ... and it is the claim's value.
    pub agree: usize,
}

impl Measure {
    pub fn rate(n: usize, of: usize) -> f64 {
        if of == 0 { 0.0 } else { n as f64 / of as f64 }
    }
}

/// Whether two passages of a document overlap (positions in its normalized text).
fn overlaps(doc: &str, a: &str, b: &str) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    match (doc.find(&a), doc.find(&b)) {
        (Some(x), Some(y)) => x < y + b.len() && y < x + a.len(),
        _ => false,
    }
}

/// Runs the finder on every source quoted by a first-party claim of the workspace.
///
/// Each snapshot is read once, for all the facts its claims quote it for: a fact's candidates
/// do not depend on the other facts asked, and reading a document is the finder's cost.
pub fn measure(ws: &Workspace) -> Measure {
    use rayon::prelude::*;
    use std::collections::BTreeMap;
    /// A claim to recover: its fact, its value and the passage the reviewer quoted.
    struct Quoted<'a> {
        fact: &'a str,
        value: &'a Value,
        quote: &'a str,
    }
    let mut by_snapshot: BTreeMap<std::path::PathBuf, Vec<Quoted>> = BTreeMap::new();
    for p in &ws.profiles {
        for o in &p.offerings {
            for (name, fact) in &o.facts {
                if clause_cues(name).is_none() {
                    continue;
                }
                for c in &fact.claims {
                    let first_party = c.authority < Authority::ThirdParty;
                    let verified = c.verification == crate::model::profile::Verification::Verified;
                    let (Some(src), Some(quote)) = (c.source.as_deref(), c.quote.as_deref()) else {
                        continue;
                    };
                    let Some(snap) = p.source(src).and_then(|s| s.snapshot.as_deref()) else {
                        continue;
                    };
                    if !first_party || !verified || c.draft {
                        continue;
                    }
                    let path = ws.root.join("vendors").join(&p.id).join(snap);
                    by_snapshot.entry(path).or_default().push(Quoted {
                        fact: name,
                        value: &c.value,
                        quote,
                    });
                }
            }
        }
    }
    let per_snapshot: Vec<Measure> = by_snapshot
        .par_iter()
        .map(|(path, quoted)| {
            let mut m = Measure::default();
            let Ok(text) = std::fs::read_to_string(path) else {
                return m;
            };
            let doc = normalize(&text);
            let mut facts: Vec<&str> = quoted.iter().map(|q| q.fact).collect();
            facts.sort_unstable();
            facts.dedup();
            let candidates = find(&text, &facts);
            for q in quoted {
                let found: Vec<&Candidate> =
                    candidates.iter().filter(|f| f.fact == q.fact).collect();
                m.claims += 1;
                if found
                    .first()
                    .is_some_and(|f| overlaps(&doc, &f.quote, q.quote))
                {
                    m.top1 += 1;
                }
                if found.iter().any(|f| overlaps(&doc, &f.quote, q.quote)) {
                    m.top3 += 1;
                }
                if let Some(best) = found.first()
                    && !best.value.is_null()
                {
                    m.proposed += 1;
                    if best.value == *q.value {
                        m.agree += 1;
                    }
                }
            }
            m
        })
        .collect();
    let mut m = Measure::default();
    for s in per_snapshot {
        m.claims += s.claims;
        m.top1 += s.top1;
        m.top3 += s.top3;
        m.proposed += s.proposed;
        m.agree += s.agree;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_words_digits_and_compounds() {
        assert_eq!(durations("thirty (30) days after notice", &["days"]), [30]);
        assert_eq!(durations("within seventy-two hours", &["hours"]), [72]);
        assert_eq!(
            durations("a 30-day period, then 90 calendar days", &["day", "days"]),
            [30, 90]
        );
        assert!(durations("in 2026 we", &["days"]).is_empty());
    }

    #[test]
    fn words_match_at_their_start_only() {
        assert!(has("model training data", "train"));
        assert!(!has("a constraint", "train"));
    }

    #[test]
    fn clauses_are_ranked_and_values_proposed_only_when_unambiguous() {
        let doc = "# Terms\n\n## 4. Data\n\n4.1 Acme provides the Service to Customer under these terms and the order form.\n\n\
            4.2 Acme will not use Customer Content to train its models.\n\n\
            ## 9. Security\n\n9.1 Acme will notify Customer of a Security Incident within seventy-two (72) hours of becoming aware of it.\n\n\
            ## 13. Changes\n\n13.1 Acme may change these terms and will give notice of material changes, which take effect when posted.\n";
        let c = find(
            doc,
            &[
                "training_on_inputs",
                "breach_notification_hours",
                "terms_change_notice_days",
            ],
        );
        let best = |f: &str| c.iter().find(|x| x.fact == f).unwrap();
        let t = best("training_on_inputs");
        assert_eq!(
            (t.value.as_str(), t.section.as_deref()),
            (Some("never"), Some("4.2"))
        );
        assert_eq!(
            t.quote,
            "Acme will not use Customer Content to train its models."
        );
        let b = best("breach_notification_hours");
        assert_eq!(b.value, Value::from(72));
        // No number of days, but changes take effect when posted: zero days' notice.
        let n = best("terms_change_notice_days");
        assert_eq!(n.value, Value::from(0), "{n:?}");
        assert!(n.why.contains("at once"), "{n:?}");
    }

    #[test]
    fn an_open_ended_rule_for_the_customers_data_outranks_a_period_for_cookies() {
        let doc = "# Privacy\n\n## How long we keep data\n\n\
            We keep cookies and information collected using cookies for up to 13 months.\n\n\
            We keep your personal data for as long as you keep your account open.\n";
        let c = find(doc, &["retention_days"]);
        let best = c.first().expect("a candidate");
        assert_eq!(
            best.quote, "We keep your personal data for as long as you keep your account open.",
            "{c:#?}"
        );
    }

    #[test]
    fn consumer_protection_law_is_not_who_the_terms_are_for() {
        let doc = "# Terms\n\n\
            Nothing in these Terms affects your statutory rights as a consumer under consumer protection laws.\n\n\
            If you use the Services on behalf of a company, that company accepts these Terms.\n";
        let c = find(doc, &["rests_on_consumer_terms"]);
        let best = c.first().expect("a candidate");
        assert!(
            best.quote.starts_with("If you use the Services on behalf"),
            "{c:#?}"
        );
    }

    #[test]
    fn a_licence_to_other_users_ranks_below_the_licence_to_the_vendor() {
        let doc = "# Terms\n\n\
            You grant each other user of the Service a non-exclusive licence to access your Content through the Service.\n\n\
            You grant us a worldwide, non-exclusive licence to use your Content to provide the Service.\n";
        let c = find(doc, &["licence_scope"]);
        let best = c.first().expect("a candidate");
        assert!(best.quote.starts_with("You grant us"), "{c:#?}");
    }

    #[test]
    fn a_value_the_quote_does_not_support_is_not_proposed() {
        // "Data Processor" makes this a DPA clause, but it does not say a DPA is offered: a
        // draft `dpa: online` on it would fail `check`.
        let doc = "# Terms\n\n## 12. Data Protection\n\n12.3 If Customer uses the Service, Acme may Process Personal Data on behalf of Customer as a Data Processor.\n";
        let c = find(doc, &["dpa"]);
        let best = c.first().expect("a candidate");
        assert!(best.value.is_null() && best.question.is_some(), "{best:?}");
    }
}
