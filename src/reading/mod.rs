//! The clause reader that every evidence path shares: `check`'s "does this quote support this
//! value?", `extract`'s ranking and proposed values, `refresh`'s clause-by-clause comparison and
//! the questionnaire.
//!
//! Three layers, data flowing one way:
//! - [`structure`]: a document split into clauses (sentences, list items, table cells), each with
//!   its section path from headings, numbered paragraphs and inline numbering;
//! - [`read`]: one clause read as who does what: actor, modality and polarity, actions, objects,
//!   qualifiers (exceptions, conditions, audiences) and durations with what they measure;
//! - [`values`]: the value a reading states for a fact, and whether it supports, contradicts or
//!   says nothing about a claimed value.
//!
//! Word lists ([`lexicon`]) only feed the reading: they name how terms write an actor, an action
//! or an object in general, never one vendor's sentences.

pub(crate) mod lexicon;
pub(crate) mod read;
pub(crate) mod structure;
pub(crate) mod terms;
pub(crate) mod values;
pub(crate) mod versions;

pub use read::{Reading, read};
pub use values::{Judgement, judge, other_data as names_other_data, stated};
pub use versions::{FactChange, VersionChange, compare, compare_facts, failed_capture};
