//! One clause read as who does what: the main clause (its qualifiers set apart) gives the actor
//! (the head of the subject before the first modal), the modality and the polarity; actions and
//! objects come from the main clause, exceptions and conditions from the qualifiers, and each
//! duration is tied to the action it measures and the event it runs from.

use super::lexicon::{self, any, matches_at};
pub use super::terms::{Action, Actor, Event, Modality, Object};
use crate::model::quotes::{normalize, number_word};
use std::fmt;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualifierKind {
    Exception,
    Condition,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Qualifier {
    pub kind: QualifierKind,
    /// The qualifier's words, from its opening word ("unless you opt out").
    pub text: String,
}

impl Qualifier {
    /// The qualifier's words, as the lexicon's patterns are matched against.
    pub fn words(&self) -> Vec<String> {
        self.text.split(' ').map(str::to_string).collect()
    }
}

/// A duration and what it measures: "within 30 days after termination, delete" is a deletion
/// deadline; "30 days to request a copy" is the customer's window.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub amount: u64,
    /// "hour", "day", "week", "month" or "year".
    pub unit: &'static str,
    /// The action the number belongs to (the nearest one in its part of the sentence).
    pub action: Option<Action>,
    /// Who does that action.
    pub actor: Actor,
    /// The event it runs from, when the clause says.
    pub event: Option<Event>,
    /// A vendor deletion follows the window ("after which we delete it").
    pub then_deleted: bool,
}

impl Quantity {
    /// The number in days (hours for `hour`), as facts count them.
    pub fn days(&self) -> u64 {
        match self.unit {
            "week" => self.amount * 7,
            "month" => self.amount * 30,
            "year" => self.amount * 365,
            _ => self.amount,
        }
    }
}

/// A clause as read.
#[derive(Debug, Clone)]
pub struct Reading {
    pub actor: Actor,
    pub modality: Modality,
    /// The main clause is negated ("will not", "never", "no DPA is available").
    pub negated: bool,
    /// Actions of the main clause, in order.
    pub actions: Vec<Action>,
    pub objects: Vec<Object>,
    pub qualifiers: Vec<Qualifier>,
    /// Audience words of the conditions and the main clause ("eu", "enterprise", "business").
    pub audiences: Vec<String>,
    pub quantities: Vec<Quantity>,
    /// Zero in words: "immediately", "upon posting".
    pub at_once: bool,
    /// All words, lowercase (punctuation as `,` `;` `:` `(` `)` tokens).
    pub words: Vec<String>,
    /// Whether each word of `words` was written with a capital ("US" the country, "us" the
    /// pronoun).
    pub caps: Vec<bool>,
    /// The main clause's words (qualifiers left out).
    pub main: Vec<String>,
    /// When the text holds more than one sentence, each sentence read on its own: a quote of
    /// a paragraph states what any of its sentences states ("You may access your data in
    /// your settings. We will not use your inputs to train our models.").
    pub sentences: Vec<Reading>,
}

impl Reading {
    pub fn does(&self, a: Action) -> bool {
        self.actions.contains(&a)
    }
    pub fn about(&self, o: Object) -> bool {
        self.objects.contains(&o)
    }
    /// Whether the whole clause uses any of these patterns.
    pub fn says(&self, patterns: &[&str]) -> bool {
        any(&self.words, patterns)
    }
    /// Whether the main clause (qualifiers left out) uses any of these patterns.
    pub fn main_says(&self, patterns: &[&str]) -> bool {
        any(&self.main, patterns)
    }
    /// Whether the main clause says the act happens at once ("immediately", "upon posting"):
    /// "immediately" in a condition ("if the rights cease immediately") is no zero of what
    /// the clause promises.
    pub fn at_once_in_main(&self) -> bool {
        self.at_once && lexicon::any(&self.main, lexicon::AT_ONCE)
    }
    /// Where any of these patterns occurs in the whole clause.
    pub fn find(&self, patterns: &[&str]) -> Vec<usize> {
        lexicon::find_all(&self.words, patterns)
    }
    /// Whether a word of `these` has one of `those` within `within` words of it, on either
    /// side ("your account being deleted", "request to delete ... your account").
    pub fn near(&self, these: &[&str], those: &[&str], within: usize) -> bool {
        self.find(these).iter().any(|&i| {
            let from = i.saturating_sub(within);
            let to = (i + within + 1).min(self.words.len());
            lexicon::any(&self.words[from..to], those)
        })
    }
    /// Whether the clause defines a term ("X means ...") rather than states a commitment.
    pub fn is_definition(&self) -> bool {
        // The term defined opens the clause: "“DPA” means ...", "(i) “SCC” means ...";
        // "by other means" and "this means that" define nothing.
        self.find(&["means", "mean", "shall mean", "is defined as", "refers to"])
            .iter()
            .any(|&i| {
                i < 12
                    && (i == 0
                        || !matches!(
                            self.words[i - 1].as_str(),
                            "this"
                                | "which"
                                | "that"
                                | "other"
                                | "by"
                                | "any"
                                | "all"
                                | "no"
                                // "through reasonable means", "by electronic means": a way,
                                // not a definition
                                | "reasonable"
                                | "appropriate"
                                | "electronic"
                                | "technical"
                                | "automated"
                                | "various"
                                | "such"
                                | "same"
                                | "lawful"
                                | "legal"
                                | "these"
                                | "those"
                                | "through"
                                | "via"
                        ))
            })
    }
    /// Whether a qualifier uses any of these patterns.
    pub fn qualified_by(&self, patterns: &[&str]) -> bool {
        self.qualifiers.iter().any(|q| {
            let w = q.words();
            any(&w, patterns)
        })
    }
    pub fn exceptions(&self) -> impl Iterator<Item = &Qualifier> {
        self.qualifiers
            .iter()
            .filter(|q| q.kind == QualifierKind::Exception)
    }
    /// The main clause's negation is narrowed to some of what it governs ("we do not review
    /// all content", "not necessarily", "not ... before it is posted"): it denies "always",
    /// not "ever".
    pub fn negation_narrowed(&self) -> bool {
        self.main.iter().enumerate().any(|(i, w)| {
            (w == "not" || w == "never" || w == "cannot" || w.ends_with("n't"))
                && self.main[i + 1..(i + 5).min(self.main.len())]
                    .iter()
                    .any(|x| {
                        matches!(
                            x.as_str(),
                            "all"
                                | "every"
                                | "each"
                                | "necessarily"
                                | "always"
                                | "actively"
                                | "proactively"
                                | "routinely"
                                | "systematically"
                                | "before"
                                | "prior"
                                | "pre"
                                | "advance"
                                | "generally"
                        )
                    })
        })
    }
    /// A question ("How will we notify you of changes?") or a heading that asks one: it
    /// names a topic, the answer states the value.
    pub fn is_question(&self) -> bool {
        self.words.first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "how" | "what" | "why" | "which" | "who" | "whom" | "whose"
            )
        })
    }
    /// The vendor (named, or implied by a passive clause) is the one who acts.
    pub fn vendor_acts(&self) -> bool {
        matches!(self.actor, Actor::Vendor | Actor::Unstated)
    }
    /// A duty or prohibition of the customer ("you must not submit ..."): not a vendor promise.
    pub fn customer_duty(&self) -> bool {
        self.actor == Actor::Customer
            && (matches!(self.modality, Modality::Must | Modality::Will)
                || (self.modality == Modality::May && self.negated))
    }
}

impl fmt::Display for Reading {
    /// "vendor / will not / train / customer content; except: unless you opt out".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let actor = match self.actor {
            Actor::Vendor => "vendor",
            Actor::Customer => "customer",
            Actor::ThirdParty => "third party",
            Actor::Unstated => "(passive)",
        };
        let modal = match self.modality {
            Modality::Will => "will",
            Modality::May => "may",
            Modality::Must => "must",
            Modality::Designed => "is designed to",
            Modality::States => "does",
        };
        let not = if self.negated { " not" } else { "" };
        let actions: Vec<String> = self
            .actions
            .iter()
            .map(|a| format!("{a:?}").to_lowercase())
            .collect();
        let objects: Vec<String> = self.objects.iter().map(object_name).collect();
        write!(
            f,
            "{actor} / {modal}{not} / {} / {}",
            if actions.is_empty() {
                "-".to_string()
            } else {
                actions.join(", ")
            },
            if objects.is_empty() {
                "-".to_string()
            } else {
                objects.join(", ")
            }
        )?;
        for q in &self.quantities {
            write!(f, "; {} {}s", q.amount, q.unit)?;
            if let Some(a) = q.action {
                write!(f, " to {}", format!("{a:?}").to_lowercase())?;
            }
            if let Some(e) = q.event {
                write!(f, " from {}", format!("{e:?}").to_lowercase())?;
            }
        }
        // Said of the main clause only, as no value reads it otherwise.
        if self.at_once_in_main() {
            write!(f, "; at once")?;
        }
        for q in &self.qualifiers {
            let kind = match q.kind {
                QualifierKind::Exception => "except",
                QualifierKind::Condition => "if",
            };
            write!(f, "; {kind}: {}", shown_words(&q.text))?;
        }
        Ok(())
    }
}

/// Words as the reader keeps them ("unless : ( i ) openai is required"), shown as a reviewer
/// writes them ("unless: (i) openai is required"): no space before a closing mark or after an
/// opening bracket.
fn shown_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open = false;
    for w in text.split(' ').filter(|w| !w.is_empty()) {
        let closing = matches!(w, "," | ";" | ":" | ")");
        if !out.is_empty() && !closing && !open {
            out.push(' ');
        }
        out.push_str(w);
        open = w == "(";
    }
    out
}

fn object_name(o: &Object) -> String {
    match o {
        Object::CustomerContent => "customer content",
        Object::Inputs => "inputs",
        Object::Outputs => "outputs",
        Object::PersonalData => "personal data",
        Object::UsageData => "usage data",
        Object::Feedback => "feedback",
        Object::AccountData => "account data",
    }
    .to_string()
}

const BOUNDARIES: [&str; 5] = [",", ";", ":", "(", ")"];

fn is_boundary(w: &str) -> bool {
    BOUNDARIES.contains(&w)
}

/// Lowercase words and clause punctuation, with whether each word was capitalised.
fn tokenize(text: &str) -> (Vec<String>, Vec<bool>) {
    let text = normalize(text);
    let mut words = Vec::new();
    let mut caps = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, words: &mut Vec<String>, caps: &mut Vec<bool>| {
        let w = cur.trim_matches('\'');
        if !w.is_empty() {
            let cap = w.chars().next().is_some_and(char::is_uppercase);
            let lower = w.to_lowercase();
            // "we'll" is "we will": the actor and the modal are two words.
            let split = [
                ("'ll", "will"),
                ("'re", "are"),
                ("'ve", "have"),
                ("'d", "would"),
            ]
            .iter()
            .find_map(|(end, full)| {
                lower
                    .strip_suffix(end)
                    .filter(|base| !base.is_empty())
                    .map(|base| (base.to_string(), *full))
            });
            match split {
                Some((base, full)) => {
                    words.push(base);
                    caps.push(cap);
                    words.push(full.to_string());
                    caps.push(false);
                }
                None => {
                    caps.push(cap);
                    words.push(lower);
                }
            }
        }
        cur.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '\u{2019}' {
            cur.push(if c == '\u{2019}' { '\'' } else { c });
        } else {
            flush(&mut cur, &mut words, &mut caps);
            let mark = match c {
                ',' | ';' | ':' | '(' | ')' => Some(c),
                '.' | '!' | '?' => Some(';'),
                _ => None,
            };
            if let Some(m) = mark {
                words.push(m.to_string());
                caps.push(false);
            }
        }
    }
    flush(&mut cur, &mut words, &mut caps);
    (words, caps)
}

fn is_negation(w: &str) -> bool {
    matches!(
        w,
        "not" | "never" | "no" | "none" | "neither" | "nor" | "cannot"
    ) || w.ends_with("n't")
}

/// Reads one clause.
pub fn read(text: &str) -> Reading {
    let mut reading = read_one(text);
    let sentences = full_sentences(text);
    if sentences.len() > 1 {
        reading.sentences = sentences.iter().map(|s| read_one(s)).collect();
    }
    reading
}

/// The sentences of a text, split at full stops, question and exclamation marks only: the
/// parts of a sentence between semicolons ("(a) ...; (b) ...") need the words that open it.
fn full_sentences(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for s in super::structure::sentences(text) {
        match out.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(&s);
            }
            _ => out.push(s),
        }
        open = out.last().is_some_and(|l| {
            l.trim_end_matches(['*', '_', '"', '\u{201d}', ')'])
                .ends_with(';')
        });
    }
    out
}

/// Whether "training" at `i` is the teaching of people: named beside support or assistance,
/// or after a word that makes it a course people follow.
fn teaching(words: &[String], i: usize) -> bool {
    let at = |k: usize| words.get(k).map_or("", String::as_str);
    let before = if i > 0 { at(i - 1) } else { "" };
    matches!(
        before,
        "specialised"
            | "specialized"
            | "security"
            | "privacy"
            | "compliance"
            | "confidentiality"
            | "awareness"
            | "employee"
            | "staff"
            | "mandatory"
            | "regular"
            | "adequate"
            | "followed"
            | "received"
            | "undergo"
            | "undergone"
            | "completed"
    ) || matches!(
        at(i + 1),
        "support" | "materials" | "courses" | "sessions" | "programs" | "programmes"
    ) || matches!(at(i + 1), "," | "or" | "and")
        && matches!(at(i + 2), "support" | "assistance" | "education")
}

fn read_one(text: &str) -> Reading {
    let (mut words, caps) = tokenize(text);
    // "trained reviewers", "trained staff": a participle that describes people, not training.
    for i in 0..words.len().saturating_sub(1) {
        if words[i] == "trained" && (STAFF.contains(&words[i + 1].as_str())) {
            words[i] = "skilled".to_string();
        }
        // "AI trainers", "human trainers": people who rate and review content, not training.
        if matches!(words[i].as_str(), "trainer" | "trainers") {
            words[i] = "annotators".to_string();
        }
        // "provide any training, support or technical assistance", "staff having followed
        // specialised training": the teaching of people, not of models.
        if words[i] == "training" && teaching(&words, i) {
            words[i] = "instruction".to_string();
        }
        // "maintain the confidentiality of", "maintain the accuracy of": a duty of care, not
        // data kept.
        if words[i].starts_with("maintain")
            && words[i + 1] == "the"
            && words.get(i + 2).is_some_and(|w| {
                matches!(
                    w.as_str(),
                    "confidentiality" | "accuracy" | "security" | "integrity" | "privacy"
                )
            })
        {
            words[i] = "ensure".to_string();
        }
        // "keep in mind", "bear in mind": remembering, not data kept; "maintain all necessary
        // rights", "maintains a ... access approach": a duty or a practice, not data kept.
        if matches!(words[i].as_str(), "keep" | "bear")
            && words[i + 1] == "in"
            && words.get(i + 2).is_some_and(|w| w == "mind")
        {
            words[i] = "remember".to_string();
        }
        if words[i].starts_with("maintain")
            && words[i + 1..(i + 5).min(words.len())].iter().any(|w| {
                matches!(
                    w.as_str(),
                    "rights" | "approach" | "program" | "programme" | "measures" | "controls"
                )
            })
        {
            words[i] = "ensure".to_string();
        }
        // "hold harmless" is an indemnity, not data held.
        if words[i] == "hold" && words[i + 1] == "harmless" {
            words[i] = "defend".to_string();
        }
    }
    let n = words.len();
    let initials = lexicon::Initials::of(&words);
    // Words of "no later than", "including but not limited to": not negations.
    let mut neutral = vec![false; n];
    static NOT_NEGATIONS: LazyLock<lexicon::Index<()>> =
        LazyLock::new(|| lexicon::Index::new(&[((), lexicon::NOT_NEGATIONS)]));
    for i in 0..n {
        for (_, len) in NOT_NEGATIONS.at(&words, i) {
            neutral[i..i + len].iter_mut().for_each(|x| *x = true);
        }
    }
    let qualifier_spans = qualifier_spans(&words);
    let in_qualifier = |i: usize| {
        qualifier_spans
            .iter()
            .any(|(s, e, _)| (*s..*e).contains(&i))
    };
    let main_idx: Vec<usize> = (0..n).filter(|&i| !in_qualifier(i)).collect();
    let main: Vec<String> = main_idx.iter().map(|&i| words[i].clone()).collect();
    let main_caps: Vec<bool> = main_idx.iter().map(|&i| caps[i]).collect();
    // "You agree that this license includes ...", "Customer acknowledges that ...": the
    // statement agreed to is the clause's predicate.
    let off = main
        .iter()
        .take(8)
        .position(|w| {
            w.starts_with("agree") || w.starts_with("acknowledg") || w.starts_with("understand")
        })
        .and_then(|i| (i + 1..(i + 4).min(main.len())).find(|&j| main[j] == "that"))
        .map_or(0, |j| j + 1)
        .min(main.len());
    let (actor, modality, span) = predicate(&main[off..], &main_caps[off..]);
    let span = (span.0 + off, span.1 + off);
    // The predicate is negated by a negation in its subject ("no DPA is offered") or right
    // after its modal ("will not", "is not designed"); a "not" in a later part of the sentence
    // negates that part only.
    // A negation in brackets ("(meaning that there is no payment)") is an aside.
    let mut depth = 0i32;
    let in_brackets: Vec<bool> = words
        .iter()
        .map(|w| {
            match w.as_str() {
                "(" => depth += 1,
                ")" => depth = (depth - 1).max(0),
                _ => {}
            }
            depth > 0
        })
        .collect();
    let negated = main_idx[span.0..span.1.min(main_idx.len())]
        .iter()
        .any(|&i| !neutral[i] && !in_brackets[i] && is_negation(&words[i]));
    let actions = actions_in(&main);
    let mut objects = Vec::new();
    static OBJECTS: LazyLock<lexicon::Index<Object>> =
        LazyLock::new(|| lexicon::Index::new(lexicon::OBJECTS));
    for (o, positions) in OBJECTS.positions(&words) {
        // "third-party content", "third party data": another party's, not the customer's.
        let owned = positions.into_iter().any(|i| !third_partys(&words, i));
        if owned && !objects.contains(o) {
            objects.push(*o);
        }
    }
    // "we may use it to train", "we keep them until ...": a pronoun that stands for the data
    // of the sentence before. With no data named in the clause, it is the customer's content.
    if objects.is_empty() && refers_to_data(&main) {
        objects.push(Object::CustomerContent);
    }
    let qualifiers: Vec<Qualifier> = qualifier_spans
        .iter()
        .map(|(s, e, kind)| Qualifier {
            kind: *kind,
            text: words[*s..*e].join(" "),
        })
        .collect();
    // Audience words are whole words (no `*`): `matches_at` compares them exactly.
    let audiences: Vec<String> = lexicon::AUDIENCES
        .iter()
        .filter(|a| initials.admit(a) && (0..n).any(|i| matches_at(&words, i, a).is_some()))
        .map(|a| a.to_string())
        .collect();
    let quantities = quantities(&words, actor, &actions);
    let at_once = initials.first(&words, lexicon::AT_ONCE).is_some();
    Reading {
        actor,
        modality,
        negated,
        actions,
        objects,
        qualifiers,
        audiences,
        quantities,
        at_once,
        words,
        caps,
        main,
        sentences: Vec::new(),
    }
}

/// Exceptions (anywhere) and conditions (at the start or after a comma): each runs from its
/// opening word to the next comma or semicolon (to the end when none follows), or, when it
/// opens the sentence, to the first comma.
fn qualifier_spans(words: &[String]) -> Vec<(usize, usize, QualifierKind)> {
    let mut spans: Vec<(usize, usize, QualifierKind)> = Vec::new();
    static EXCEPTIONS: LazyLock<lexicon::Index<()>> =
        LazyLock::new(|| lexicon::Index::new(&[((), lexicon::EXCEPTIONS)]));
    static CONDITIONS: LazyLock<lexicon::Index<()>> =
        LazyLock::new(|| lexicon::Index::new(&[((), lexicon::CONDITIONS)]));
    let mut i = 0;
    while i < words.len() {
        let after_boundary = i == 0 || is_boundary(&words[i - 1]);
        let kind = if EXCEPTIONS.at(words, i).next().is_some() {
            Some(QualifierKind::Exception)
        } else if after_boundary && CONDITIONS.at(words, i).next().is_some() {
            Some(QualifierKind::Condition)
        } else {
            None
        };
        let Some(kind) = kind else {
            i += 1;
            continue;
        };
        let end = (i + 1..words.len())
            .find(|&j| matches!(words[j].as_str(), "," | ";"))
            .unwrap_or(words.len());
        // A qualifier that would swallow the whole rest of a sentence it opens is the whole
        // sentence: keep the clause readable by ending it at its first comma only.
        spans.push((i, end, kind));
        i = end;
    }
    spans
}

/// The actor and modality of the main clause: the head of the subject before the first modal;
/// and the span of main-clause words (subject to just after the modal) a negation must stand
/// in to negate it.
fn predicate(main: &[String], caps: &[bool]) -> (Actor, Modality, (usize, usize)) {
    let mut m = None;
    for (i, w) in main.iter().enumerate() {
        if !lexicon::MODALS.contains(&w.as_str()) {
            continue;
        }
        // "agree" opens a predicate only as "agree to" / "agree not"; "do" as "do not".
        let next = main.get(i + 1).map(String::as_str).unwrap_or("");
        if matches!(w.as_str(), "agree" | "agrees") && !matches!(next, "to" | "not") {
            continue;
        }
        if matches!(w.as_str(), "has" | "have") && next != "to" && next != "no" {
            continue;
        }
        // "updates that are not material become effective": a relative clause inside the
        // subject, not the predicate.
        if i > 0 && matches!(main[i - 1].as_str(), "that" | "which" | "who") {
            continue;
        }
        // "After your account is closed we may retain ...": the modal of a clause that opens
        // with a subordinator is not the sentence's, when another follows.
        let start = (0..i)
            .rev()
            .find(|&j| is_boundary(&main[j]))
            .map_or(0, |j| j + 1);
        if main
            .get(start)
            .is_some_and(|w| SUBORDINATORS.contains(&w.as_str()))
            && main[i + 1..]
                .iter()
                .any(|w| matches!(w.as_str(), "will" | "shall" | "may" | "must" | "can"))
            && main[i + 1..]
                .iter()
                .any(|w| matches!(actor_of(w), Some(Actor::Vendor)))
        {
            continue;
        }
        m = Some(i);
        break;
    }
    // "We keep your content for as long as your account is active": a statement whose verb
    // comes before the first modal, which belongs to a clause inside it.
    let stated_first = m.and_then(|m| {
        (0..m.saturating_sub(1)).find(|&i| {
            (i == 0 || is_boundary(&main[i - 1]) || matches!(main[i - 1].as_str(), "also" | "then"))
                && actor_of(&main[i]).is_some()
                && is_verb(&main[i + 1])
        })
    });
    if let Some(i) = stated_first {
        let actor = actor_of(&main[i]).unwrap_or(Actor::Unstated);
        return (actor, Modality::States, (i, i + 2));
    }
    let Some(m) = m else {
        // No modal: a statement ("We use ...", "Customer owns ..."); the actor stands before
        // the first verb ("notifying Customer of ..." names whom, not who).
        let first_verb = main
            .iter()
            .position(|w| {
                matches!(w.as_str(), "grant" | "grants" | "give" | "gives")
                    || lexicon::ACTIONS.iter().any(|(_, ps)| {
                        ps.iter()
                            .any(|p| matches_at(std::slice::from_ref(w), 0, p).is_some())
                    })
            })
            .unwrap_or(main.len());
        // The subject is the part of the sentence the verb stands in: "For users in the EU,
        // we rely on ..." is the vendor's statement, not the users'.
        let from = (0..first_verb)
            .rev()
            .find(|&j| is_boundary(&main[j]))
            .map_or(0, |j| j + 1);
        let actor = main[from..first_verb]
            .iter()
            .take(4)
            .find_map(|w| actor_of(w))
            .or_else(|| {
                // None in the verb's own part: the first party of the sentence that is not the
                // object of a preposition ("for users", "to you").
                main[..first_verb]
                    .iter()
                    .enumerate()
                    .take(4)
                    .filter(|(k, _)| {
                        *k == 0
                            || !matches!(
                                main[k - 1].as_str(),
                                "for" | "to" | "of" | "by" | "with" | "from" | "as"
                            )
                    })
                    .find_map(|(_, w)| actor_of(w))
            })
            .unwrap_or(Actor::Unstated);
        // A statement: negated by a negation before its first verb-like word.
        let end = main
            .iter()
            .position(|w| {
                lexicon::ACTIONS.iter().any(|(_, ps)| {
                    ps.iter()
                        .any(|p| matches_at(std::slice::from_ref(w), 0, p).is_some())
                })
            })
            .map_or(main.len(), |i| i + 1);
        return (actor, Modality::States, (0, end));
    };
    let start = (0..m)
        .rev()
        .find(|&j| is_boundary(&main[j]))
        .map_or(0, |j| j + 1);
    let subject = &main[start..m];
    let head = subject.last().map(String::as_str).unwrap_or("");
    let next = main.get(m + 1).map(String::as_str).unwrap_or("");
    let next2 = main.get(m + 2).map(String::as_str).unwrap_or("");
    let passive = next == "be"
        || (next == "not" && next2 == "be")
        || (matches!(main[m].as_str(), "is" | "are" | "was" | "were")
            && (participle(next) || (next == "not" && participle(next2))));
    // "Content shared by users will be ...", "Information you provide to us is ...": the
    // subject is the data; the party in its relative clause is not who acts.
    let data_subject = subject
        .iter()
        .position(|w| is_data_word(w))
        .is_some_and(|d| d + 1 < subject.len());
    // "our team", "our reviewers", "our moderators": the vendor's own people.
    let ours = subject.len() >= 2 && subject[subject.len() - 2] == "our" && STAFF.contains(&head);
    // "Your App will not ...", "Your API, App, and App Responses must not ...": a thing the
    // customer owns or runs, as the subject, acts for the customer (not "your data", which
    // is what is acted on).
    let possessed = subject
        .iter()
        .position(|w| w == "your")
        .is_some_and(|p| p + 1 < subject.len())
        && !is_data_word(head)
        && !data_subject;
    let mut actor = if ours {
        Some(Actor::Vendor)
    } else if data_subject {
        None
    } else if possessed {
        actor_of(head).or(Some(Actor::Customer))
    } else {
        actor_of(head)
    }
    .or_else(|| {
        // A named party ("Acme", "OpenAI") is the vendor; a noun that is data is not an
        // actor.
        let named = start < m && caps[m - 1] && !is_data_word(head) && !data_subject;
        named.then_some(Actor::Vendor)
    })
    .unwrap_or(Actor::Unstated);
    if passive {
        // "... will be deleted by us": the agent after "by", else the vendor implied.
        actor = main[m..]
            .windows(2)
            .find(|w| w[0] == "by")
            .and_then(|w| actor_of(&w[1]))
            .unwrap_or(Actor::Unstated);
    }
    let modality = match main[m].as_str() {
        "will" | "shall" | "won't" | "wont" | "agree" | "agrees" => Modality::Will,
        "may" | "can" | "cannot" | "might" => Modality::May,
        "must" | "need" | "needs" | "should" => Modality::Must,
        "has" | "have" => Modality::Must,
        "is" | "are" | "was" | "were"
            if matches!(next, "designed" | "intended")
                || (next == "not" && matches!(next2, "designed" | "intended")) =>
        {
            Modality::Designed
        }
        _ => Modality::States,
    };
    (actor, modality, (start, (m + 4).min(main.len())))
}

/// Words that open a subordinate clause (its modal is not the sentence's).
const SUBORDINATORS: &[&str] = &[
    "after", "once", "when", "if", "before", "until", "while", "because", "since", "where",
];

/// The vendor's people, when the subject says they are "our" own.
const STAFF: &[&str] = &[
    "team",
    "teams",
    "staff",
    "employees",
    "personnel",
    "reviewers",
    "moderators",
    "trainers",
    "people",
    "systems",
];

/// A word that is one of the actions' verbs ("keep", "use", "delete").
fn is_verb(w: &str) -> bool {
    lexicon::ACTIONS.iter().any(|(_, ps)| {
        ps.iter()
            .any(|p| matches_at(std::slice::from_ref(&w.to_string()), 0, p).is_some())
    })
}

pub(crate) fn actor_of(w: &str) -> Option<Actor> {
    lexicon::ACTORS
        .iter()
        .find(|(_, ws)| ws.contains(&w))
        .map(|(a, _)| *a)
}

/// Whether a verb that handles data (use, train, keep, delete, review, license, share) takes
/// a pronoun as its object: "use it", "retain them", "train on it".
fn refers_to_data(main: &[String]) -> bool {
    const VERBS: &[&str] = &[
        "use", "uses", "used", "train*", "retain*", "keep", "keeps", "kept", "stor*", "delet*",
        "remov*", "review*", "licen*", "shar*", "process*", "access*", "disclos*", "hold*",
    ];
    lexicon::find_all(main, VERBS).iter().any(|&i| {
        main[i + 1..(i + 3).min(main.len())]
            .iter()
            .any(|w| matches!(w.as_str(), "it" | "them"))
    })
}

/// Whether the data word at `i` is named as a third party's ("third-party content", "third
/// parties' data", "content from third parties").
fn third_partys(words: &[String], i: usize) -> bool {
    let before = &words[i.saturating_sub(2)..i];
    let after = &words[i + 1..(i + 4).min(words.len())];
    before.iter().any(|w| w == "third")
        && before
            .last()
            .is_some_and(|w| matches!(w.as_str(), "party" | "parties" | "party's" | "parties'"))
        || after.first().is_some_and(|w| w == "from")
            && after.iter().any(|w| w == "third")
            && after.iter().any(|w| w.starts_with("part"))
}

fn is_data_word(w: &str) -> bool {
    matches!(
        w,
        "content" | "data" | "information" | "inputs" | "outputs" | "input" | "output" | "prompts"
    )
}

/// Whether the verb at `k` only describes the data named before it, with the sentence's own
/// verb still to come: "files **uploaded** to the service are retained", "content you
/// **submit** will be kept", "the data we **collect** is deleted".
fn describes_data_before(segment: &[String], k: usize) -> bool {
    let at = |i: usize| segment.get(i).map_or("", String::as_str);
    let data_at = |i: usize| {
        is_data_word(at(i))
            || matches!(
                at(i),
                "files" | "history" | "messages" | "conversations" | "chats" | "posts"
            )
    };
    let reduced = k >= 1 && data_at(k - 1) && participle(at(k));
    let relative = k >= 2
        && data_at(k - 2)
        && matches!(at(k - 1), "you" | "we" | "they" | "users" | "customers");
    if !(reduced || relative) || !is_verb(at(k)) {
        return false;
    }
    // The sentence's own verb comes later: a form of "be" and an action ("are retained",
    // "will be deleted", "is kept").
    let rest = &segment[k + 1..];
    rest.iter()
        .position(|w| matches!(w.as_str(), "is" | "are" | "be" | "remains" | "remain"))
        .is_some_and(|b| rest[b + 1..].iter().take(3).any(|w| is_verb(w)))
}

fn participle(w: &str) -> bool {
    w.ends_with("ed")
        || matches!(
            w,
            "kept" | "held" | "made" | "given" | "shown" | "sold" | "done" | "taken" | "seen"
        )
}

fn actions_in(words: &[String]) -> Vec<Action> {
    static ACTIONS: LazyLock<lexicon::Index<Action>> =
        LazyLock::new(|| lexicon::Index::new(lexicon::ACTIONS));
    let mut found: Vec<(usize, Action)> = Vec::new();
    for (a, positions) in ACTIONS.positions(words) {
        if let Some(&i) = positions.first()
            && !found.iter().any(|(_, x)| x == a)
        {
            found.push((i, *a));
        }
    }
    found.sort_by_key(|(i, _)| *i);
    found.into_iter().map(|(_, a)| a).collect()
}

fn unit_of(w: &str) -> Option<&'static str> {
    // "one month's notice", "a year's time": the possessive is the unit.
    match w.strip_suffix("'s").unwrap_or(w) {
        "hour" | "hours" => Some("hour"),
        "day" | "days" => Some("day"),
        "week" | "weeks" => Some("week"),
        "month" | "months" => Some("month"),
        "year" | "years" => Some("year"),
        _ => None,
    }
}

/// Words that may stand between a number and its unit ("30 calendar days"); `extract` reads
/// durations with the same list.
pub(crate) const UNIT_ADJECTIVES: [&str; 6] = [
    "calendar",
    "business",
    "working",
    "consecutive",
    "full",
    "rolling",
];

/// The number right before `words[j]` (digits, "thirty", "seventy two"), if any.
fn number_before(words: &[String], j: usize) -> Option<u64> {
    let prev = words.get(j.checked_sub(1)?)?;
    if let Ok(n) = prev.parse::<u64>() {
        return Some(n);
    }
    let v = number_word(prev)?;
    if (1..10).contains(&v)
        && let Some(tens) = j
            .checked_sub(2)
            .and_then(|k| number_word(&words[k]))
            .filter(|t| *t >= 20 && *t < 100)
    {
        return Some(tens + v);
    }
    Some(v)
}

/// Durations with the action each measures and the event it runs from.
fn quantities(words: &[String], actor: Actor, main_actions: &[Action]) -> Vec<Quantity> {
    let mut out: Vec<Quantity> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(unit) = unit_of(w) else { continue };
        let mut j = i;
        while j > 0 && UNIT_ADJECTIVES.contains(&words[j - 1].as_str()) {
            j -= 1;
        }
        // "thirty (30) days": the digits in brackets.
        let amount = if j >= 2 && words[j - 1] == ")" {
            number_before(words, j - 1)
        } else {
            number_before(words, j)
        }
        // "for a year", "within a month": one. Not "a day" or "an hour", which more often
        // say how often ("24 hours a day") than how long.
        .or_else(|| {
            (j >= 1
                && matches!(words[j - 1].as_str(), "a" | "an" | "one")
                && matches!(unit, "week" | "month" | "year"))
            .then_some(1)
        });
        let Some(amount) = amount else { continue };
        // "children under 13 years of age", "16 years old": an age, not a duration.
        // "children under 13 years", "users aged 16 years": the same, said before the number.
        let age_before = j >= 2
            && matches!(
                words[j - 2].as_str(),
                "under" | "over" | "aged" | "below" | "above"
            );
        if unit == "year"
            && (age_before
                || matches!(
                    (
                        words.get(i + 1).map(String::as_str),
                        words.get(i + 2).map(String::as_str)
                    ),
                    (Some("of"), Some("age")) | (Some("old"), _)
                ))
        {
            continue;
        }
        if out.iter().any(|q| q.amount == amount && q.unit == unit) {
            continue;
        }
        // The part of the sentence the number stands in.
        let seg_start = (0..i)
            .rev()
            .find(|&k| matches!(words[k].as_str(), ";" | ","))
            .map_or(0, |k| k + 1);
        let seg_end = (i..words.len())
            .find(|&k| matches!(words[k].as_str(), ";" | ","))
            .unwrap_or(words.len());
        let segment = &words[seg_start..seg_end];
        // "Uploaded files are retained for 30 days": a participle before the data it
        // describes is not the verb the number belongs to; nor is a clause that describes the
        // data after it ("files uploaded to the service are kept ...", "content you submit will
        // be retained ...") when the sentence's own verb follows.
        let verbs: Vec<String> = segment
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let describes = w.ends_with("ed")
                    && segment
                        .get(k + 1)
                        .is_some_and(|n| is_data_word(n) || n == "files");
                if describes || describes_data_before(segment, k) {
                    String::new()
                } else {
                    w.clone()
                }
            })
            .collect();
        let seg_actions = actions_in(&verbs);
        let relevant = |a: &Action| !matches!(a, Action::Use | Action::Offer | Action::Apply);
        // A request for a copy is about the copy: the more specific action wins.
        // With no action of its own, the number belongs to what the clause does to the data
        // (a lead-in "Within 30 days of termination, Acme will: ... delete ...").
        // "delete or return the data within 90 days": a deletion and a return offered as
        // alternatives are one duty to give the data up, a deletion deadline.
        let either = any(
            segment,
            &[
                "delete or return",
                "return or delete",
                "destroy or return",
                "return or destroy",
                "delete and return",
                "return and delete",
            ],
        );
        let action = seg_actions
            .iter()
            .copied()
            .find(|a| *a == Action::Retrieve && !either)
            .or_else(|| seg_actions.iter().copied().find(relevant))
            .or_else(|| {
                main_actions
                    .iter()
                    .copied()
                    .find(|a| matches!(a, Action::Delete | Action::Retain))
            })
            .or_else(|| main_actions.iter().copied().find(relevant));
        // Who does the action: the party named before its verb in this part of the sentence,
        // not one in a clause about the event. "customer" in "customer content" names the
        // data, not who acts.
        let party = |k: usize, w: &String| {
            let next = segment.get(k + 1).map(String::as_str).unwrap_or("");
            if is_data_word(next) || matches!(next, "personal" | "account" | "'s") {
                None
            } else {
                actor_of(w)
            }
        };
        let verb_at = action.and_then(|a| {
            let (_, ps) = lexicon::ACTIONS.iter().find(|(x, _)| *x == a)?;
            lexicon::find_all(segment, ps).first().copied()
        });
        let seg_actor = match verb_at {
            // The party nearest before the verb ("we will delete it 30 days after you close
            // your account": we); none named (a passive) leaves the clause's own actor.
            Some(v) => (0..v).rev().find_map(|k| party(k, &segment[k])),
            // The verb is in another part of the sentence ("Thirty days after you close your
            // account, we delete your data"): a party named beside the number acts in the
            // event, not in the action; the action's is the clause's own actor.
            None if main_actions.is_empty() => {
                segment.iter().enumerate().find_map(|(k, w)| party(k, w))
            }
            None => None,
        };
        let q_actor = seg_actor.unwrap_or(actor);
        // The event: after "after / following / of / from / upon / before / prior to".
        let mut event = None;
        let after = &words[i + 1..(i + 8).min(words.len())];
        if after.first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "after"
                    | "following"
                    | "of"
                    | "from"
                    | "upon"
                    | "since"
                    | "before"
                    | "prior"
                    | "notice"
                    | "advance"
                    | "in"
            )
        }) {
            event = event_in(after);
        }
        if event.is_none() {
            event = event_in(segment);
        }
        let then_deleted = words[seg_end..].windows(2).any(|w| {
            matches!(
                w[0].as_str(),
                "which" | "thereafter" | "then" | "we" | "will"
            ) && (w[1].starts_with("delet") || w[1].starts_with("we"))
        }) && any(&words[seg_end..], &["delet*", "eras*", "destroy*"]);
        out.push(Quantity {
            amount,
            unit,
            action,
            actor: q_actor,
            event,
            then_deleted,
        });
    }
    out
}

fn event_in(words: &[String]) -> Option<Event> {
    lexicon::EVENTS
        .iter()
        .find(|(_, ps)| any(words, ps))
        .map(|(e, _)| *e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qualifier_is_shown_with_its_punctuation_where_it_was_written() {
        let r = read(
            "OpenAI will delete all Customer Content within thirty days, unless: (i) OpenAI is legally required to retain it; or (ii) Customer has agreed otherwise.",
        );
        let shown = r.to_string();
        assert!(
            shown.contains("except: unless: (i) openai is legally required to retain it"),
            "{shown}"
        );
        assert!(!shown.contains("( i )") && !shown.contains(" :"), "{shown}");
    }

    #[test]
    fn immediately_in_a_condition_is_not_shown_as_the_promise_at_once() {
        let r = read(
            "If this Agreement terminates: (a) the rights granted will cease immediately; and (b) we will delete all Customer Content within thirty days.",
        );
        let shown = r.to_string();
        assert!(shown.contains("30 days"), "{shown}");
        assert!(!shown.contains("at once"), "{shown}");
        let r = read("Changes to these Terms are effective immediately upon posting.");
        assert!(r.to_string().contains("at once"), "{r}");
    }

    #[test]
    fn a_vendor_promise_with_its_exception() {
        let r = read(
            "We will not use Customer Content to train our models, unless you opt in to share it.",
        );
        assert_eq!(
            (r.actor, r.modality, r.negated),
            (Actor::Vendor, Modality::Will, true)
        );
        assert!(
            r.does(Action::Train) && r.about(Object::CustomerContent),
            "{r}"
        );
        assert_eq!(r.qualifiers.len(), 1, "{r}");
        assert!(r.qualifiers[0].text.starts_with("unless you opt in"), "{r}");
    }

    #[test]
    fn a_customer_duty_is_not_a_vendor_promise() {
        let r = read("You must not submit any protected health information to the Services.");
        assert_eq!(
            (r.actor, r.modality, r.negated),
            (Actor::Customer, Modality::Must, true)
        );
        assert!(r.customer_duty() && r.does(Action::Submit), "{r}");
    }

    #[test]
    fn a_duration_knows_what_it_measures() {
        let r = read(
            "Upon termination, you may request a copy of your Customer Data within thirty (30) days.",
        );
        let q = &r.quantities[0];
        assert_eq!(
            (q.amount, q.action, q.actor),
            (30, Some(Action::Retrieve), Actor::Customer)
        );
        let r = read("Within 30 days after termination, Acme will delete all Customer Data.");
        let q = &r.quantities[0];
        assert_eq!(
            (q.amount, q.action, q.event),
            (30, Some(Action::Delete), Some(Event::Termination))
        );
    }

    #[test]
    fn passive_clauses_and_neutral_negations() {
        let r = read("Inputs will not be used to train models.");
        assert_eq!((r.actor, r.negated), (Actor::Unstated, true));
        let r = read("We will notify you no later than 72 hours after becoming aware of a breach.");
        assert!(!r.negated, "{r}");
        assert_eq!(r.quantities[0].event, Some(Event::Awareness));
    }
}
