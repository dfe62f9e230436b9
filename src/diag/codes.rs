//! The stable codes of the problems that are warnings somewhere (a report, `check`, `test`),
//! each declared once with its explanation, as clippy declares its lints: the code is what a
//! user filters on (`--quiet-warnings CODE`), what `check --format json` shows and what tests
//! assert.

use serde::{Serialize, Serializer};

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal: $explanation:literal,)*) => {
        /// A kind of problem, by its stable code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as users write it (`draft-claim`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What the code means and what to do about it, for `--help` and the docs.
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => $explanation,)*
                }
            }
        }
    };
}

codes! {
    DraftClaim = "draft-claim":
        "a claim proposed by `diligence extract` (`draft: true`) that no reviewer confirmed: it does not count until the mark is removed (`check --fail-on-drafts` makes it an error)",
    UnverifiedQuote = "unverified-quote":
        "a quote, value or verified silence that its snapshot does not bear out: an error of `check`; `evaluate` counts the claim for nothing",
    ChangedSnapshot = "changed-snapshot":
        "a snapshot whose content changed since review (its sha256 differs from the profile's): the facts citing it need a new look",
    SupersededCitation = "superseded-citation":
        "a claim that cites a superseded document: it is kept for history but no longer decides",
    ExpiredWaiver = "expired-waiver":
        "a waiver past its expiry date: it is ignored, so the finding it waived counts again",
    UnusedWaiver = "unused-waiver":
        "a live waiver that matches no finding: it names the wrong rule, vendor or class, or the problem it covered is gone",
    SkippedEntry = "skipped-entry":
        "a file or folder in policies/, vendors/ or scripts/ that is none of the workspace's files and is not read",
    UntitledRule = "untitled-rule":
        "a rule script without a leading `//! Title` comment",
    OrphanTest = "orphan-test":
        "a test file in scripts/ for a rule that does not exist",
    UntestedRule = "untested-rule":
        "a rule script without a test file (`--min-coverage` makes it an error)",
    UnknownFramework = "unknown-framework":
        "a rule's `//! refs:` entry that does not begin with a framework diligence knows (`diligence frameworks` lists them): it is left out of the mapping",
    RuleOutsideFrameworks = "rule-outside-frameworks":
        "a rule that cites no clause of the frameworks its policy answers to (`frameworks:` in the policy): add a `//! refs:` line, or say in `//! refs: none, <reason>` why none applies",
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Read back from the results cache, by the name written.
impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown code `{name}`")))
    }
}

/// `--quiet-warnings CODE`: the possible values are the codes, each with its explanation.
impl clap::ValueEnum for Code {
    fn value_variants<'a>() -> &'a [Self] {
        Code::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()).help(self.explanation()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_words() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{} declared twice", c.as_str());
            assert!(
                c.as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}",
                c.as_str()
            );
            assert!(!c.explanation().is_empty());
        }
    }
}
