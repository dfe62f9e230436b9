//! Rule tests: `scripts/<rule>.test.yaml`, run by `diligence test`: the case file format
//! ([`case`]), running a case ([`run`]) and coverage ([`coverage`]).
//!
//! A test file is a YAML list of cases. Each case describes one synthetic offering and what the
//! rule alone must conclude about it; it runs through the real engine (the compiled rule, the
//! fact table, the requirement set of the policy), exactly as `evaluate` would run it.
//!
//! ```yaml
//! - name: contract says never               # required, unique in the file
//!   classification: confidential            # default: the policy's most sensitive class
//!   tags: [phi]                             # policy tags whose requirements are merged in
//!   require: {no_training: true}            # overrides on top of the class + tag requirements;
//!                                           #   `name: null` unsets a requirement
//!   tier: api                               # consumer | api | enterprise (default api)
//!   today: 2026-11-24                       # default 2026-11-24, so results never drift
//!   reviewed: 2026-06-01                    # vendor.reviewed (default: not recorded)
//!   policy: {evidence_max_age_days: 365}    # override the policy's evidence_max_age_days /
//!                                           #   review_interval_days (null unsets)
//!   authority: contract                     # the authority of bare values (default contract)
//!   sources:                                # extra sources, same shape as a profile's
//!     old-terms: {authority: contract, retrieved: 2024-01-01}
//!   facts:                                  # exactly a profile's `facts:` syntax
//!     training_on_inputs: never             # a bare value
//!     retention_days:                       # or a list of claims
//!       - {value: 30, source: contract}
//!       - {value: 90, source: third_party}
//!   expect:                                 # at least one of:
//!     verdict: go                           #   the verdict of this rule's findings alone
//!     findings:                             #   each must match some finding (extra ones are fine)
//!       - {level: pass, message: "does not train"}   # message/action: substrings
//!     absent: [block, hold]                 #   levels that must not appear
//! ```
//!
//! Decisions:
//! - **Evidence.** Test cases have no snapshots: every claim's quote is taken as verified, and
//!   `quote:` may be left out. Every case can cite one built-in source per authority, named
//!   after it (`signed`, `contract`, `dpa`, `policy`, `docs`, `trust_center`, `questionnaire`,
//!   `third_party`, never stale); `sources:` adds more (e.g. with a `retrieved:` date for stale
//!   evidence) or replaces a built-in one.
//! - **Bare values** count as `contract` evidence in tests, not as unsupported values as in a
//!   profile: most cases test a rule's logic, and the engine would otherwise turn every `block`
//!   resting on a bare value into a `hold`. Write `authority: unsupported` (or `third_party`,
//!   ...) on the case to test how a rule treats weak evidence.
//! - **Matching.** Levels match exactly; `message` and `action` are case-sensitive substrings.
//!   An expected finding may match any actual finding, and extra findings are allowed unless
//!   their level is listed in `absent`.
//! - **Coverage** is by line: a finding call counts as reached when a case raised a finding on
//!   its line (whatever the level after the engine's downgrades), so two calls on one line are
//!   reached together.

mod case;
mod coverage;
mod evidence;
mod expect;
mod run;
mod setting;
mod tree;

pub use case::{Case, load_cases};
pub use coverage::{RuleCoverage, coverage, total_coverage};
pub use run::{CaseResult, run_case};

use crate::model::profile::Authority;

/// The date cases run at unless they say otherwise.
pub const DEFAULT_TODAY: &str = "2026-11-24";
/// The tier of a case's offering unless it says otherwise.
pub const DEFAULT_TIER: &str = "api";
/// The authority of a bare value in a test case unless the case says otherwise.
pub const DEFAULT_AUTHORITY: Authority = Authority::Contract;

/// `scripts/<rule>.test.yaml`, relative to the workspace.
pub fn test_file(rule: &str) -> String {
    format!("scripts/{rule}.test.yaml")
}
