//! The shared rules written natively in Rust, as a user of the library would: typed facts and
//! requirements, one function per rule, findings with messages. This is the floor: the same
//! decisions with no interpreter at all.
//!
//! Each function mirrors its `scripts/<rule>.rhai` branch for branch, including the engine's
//! rule that a block resting only on third-party or unsupported evidence is reported as a hold
//! (`evaluation::finding`), and that a pass citing a fact with a value but no verified quote is
//! a hold where the class requires `verified_evidence` (`evaluation::bare_pass`). A finding
//! cites what the script read since its previous finding, or everything it read if nothing
//! since (`engine::state::raise`). The benchmark checks every level against diligence's.

use diligence::Level;
use diligence::policy::Requirements;
use diligence::{Authority, Offering, Profile, Verification};
use diligence::{Freshness, Status, resolve};
use jiff::civil::Date;
use serde_json::Value;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Training {
    Never,
    OptIn,
    OptOut,
    DefaultOn,
    Negotiable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zdr {
    Default,
    Available,
    OnRequest,
    Unavailable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dpa {
    None,
    Online,
    Signed,
    Negotiable,
}

/// Narrowest first: the order is the rank `max_licence_scope` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LicenceScope {
    ServiceOnly,
    ServiceImprovement,
    ModelImprovement,
    Broad,
}

impl LicenceScope {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "service_only" => Self::ServiceOnly,
            "service_improvement" => Self::ServiceImprovement,
            "model_improvement" => Self::ModelImprovement,
            "broad" => Self::Broad,
            _ => return None,
        })
    }
    fn as_str(self) -> &'static str {
        match self {
            Self::ServiceOnly => "service_only",
            Self::ServiceImprovement => "service_improvement",
            Self::ModelImprovement => "model_improvement",
            Self::Broad => "broad",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cert {
    pub name: String,
    pub expires: Option<Date>,
}

/// A resolved fact: its value (None when unknown or conflicting), whether equal-authority
/// claims disagree, the deciding authority, the deciding claims' quoted carve-outs, and
/// whether a deciding claim's quote is verified (a pass on a fact none backs says so).
#[derive(Debug, Clone)]
pub struct Fact<T> {
    pub value: Option<T>,
    pub conflicting: bool,
    pub authority: Option<Authority>,
    pub exceptions: Vec<String>,
    pub verified: bool,
}

impl<T> Default for Fact<T> {
    fn default() -> Self {
        Fact {
            value: None,
            conflicting: false,
            authority: None,
            exceptions: Vec::new(),
            verified: true,
        }
    }
}

/// A duration: a number of days, or open-ended (`until_deleted`, `indefinite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    Days(i64),
    UntilDeleted,
    Indefinite,
}

impl<T> Fact<T> {
    /// The authority that decided the value, if there is a value (what "rests on leads" checks).
    fn deciding(&self) -> Option<Authority> {
        self.value.as_ref().and(self.authority)
    }
    /// Whether the fact has a value that no verified quote backs (what `bare_pass` checks of
    /// each fact a pass cites).
    fn bare(&self) -> bool {
        self.value.is_some() && !self.verified
    }
}

/// The facts the native rules read, typed.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    pub training_on_inputs: Fact<Training>,
    pub retention_days: Fact<Duration>,
    pub zero_data_retention: Fact<Zdr>,
    pub dpa: Fact<Dpa>,
    pub licence_scope: Fact<LicenceScope>,
    pub certifications: Fact<Vec<Cert>>,
}

fn typed<T>(
    profile: &Profile,
    offering: &Offering,
    name: &str,
    freshness: Freshness,
    conv: impl Fn(&Value) -> Option<T>,
) -> Fact<T> {
    let Some(fact) = offering.facts.get(name) else {
        return Fact::default();
    };
    let r = resolve(fact, profile, freshness);
    let deciding: Vec<_> = fact
        .claims
        .iter()
        .zip(&r.roles)
        .filter(|(_, role)| matches!(role.as_str(), "decides" | "conflicts"))
        .map(|(c, _)| c)
        .collect();
    Fact {
        value: r.value.as_ref().and_then(conv),
        conflicting: r.status == Status::Conflicting,
        authority: r.authority,
        exceptions: deciding
            .iter()
            .flat_map(|c| c.exceptions.iter().map(|e| e.quote.clone()))
            .collect(),
        verified: deciding
            .iter()
            .any(|c| c.verification == Verification::Verified),
    }
}

impl Facts {
    /// Resolves (by authority, with the library's resolver) and types the facts of an offering.
    pub fn build(profile: &Profile, offering: &Offering, freshness: Freshness) -> Facts {
        let training = |v: &Value| {
            Some(match v.as_str()? {
                "never" => Training::Never,
                "opt_in" => Training::OptIn,
                "opt_out" => Training::OptOut,
                "default_on" => Training::DefaultOn,
                "negotiable" => Training::Negotiable,
                _ => return None,
            })
        };
        Facts {
            training_on_inputs: typed(profile, offering, "training_on_inputs", freshness, training),
            retention_days: typed(profile, offering, "retention_days", freshness, |v| {
                Some(match v.as_str() {
                    Some("until_deleted") => Duration::UntilDeleted,
                    Some("indefinite") => Duration::Indefinite,
                    Some(_) => return None,
                    None => Duration::Days(v.as_i64()?),
                })
            }),
            zero_data_retention: typed(profile, offering, "zero_data_retention", freshness, |v| {
                Some(match v.as_str()? {
                    "default" => Zdr::Default,
                    "available" => Zdr::Available,
                    "on_request" => Zdr::OnRequest,
                    "unavailable" => Zdr::Unavailable,
                    _ => return None,
                })
            }),
            dpa: typed(profile, offering, "dpa", freshness, |v| {
                Some(match v.as_str()? {
                    "none" => Dpa::None,
                    "online" => Dpa::Online,
                    "signed" => Dpa::Signed,
                    "negotiable" => Dpa::Negotiable,
                    _ => return None,
                })
            }),
            licence_scope: typed(profile, offering, "licence_scope", freshness, |v| {
                LicenceScope::parse(v.as_str()?)
            }),
            certifications: typed(profile, offering, "certifications", freshness, |v| {
                v.as_array()?
                    .iter()
                    .map(|c| {
                        Some(Cert {
                            name: c.get("name")?.as_str()?.to_string(),
                            expires: match c.get("expires") {
                                Some(e) => Some(e.as_str()?.parse().ok()?),
                                None => None,
                            },
                        })
                    })
                    .collect()
            }),
        }
    }
}

/// The requirements the native rules read, typed.
#[derive(Debug, Default, Clone)]
pub struct Require {
    pub no_training: bool,
    pub max_retention_days: Option<i64>,
    pub dpa: bool,
    pub signed_dpa: bool,
    pub zero_data_retention: bool,
    pub max_licence_scope: Option<LicenceScope>,
    pub certifications: Vec<String>,
    pub verified_evidence: bool,
}

impl Require {
    pub fn from_policy(r: &Requirements) -> Require {
        let flag = |k: &str| r.get(k).and_then(Value::as_bool) == Some(true);
        Require {
            no_training: flag("no_training"),
            max_retention_days: r.get("max_retention_days").and_then(Value::as_i64),
            dpa: flag("dpa"),
            signed_dpa: flag("signed_dpa"),
            zero_data_retention: flag("zero_data_retention"),
            max_licence_scope: r
                .get("max_licence_scope")
                .and_then(Value::as_str)
                .and_then(LicenceScope::parse),
            certifications: r
                .get("certifications")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            verified_evidence: flag("verified_evidence"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub level: Level,
    pub message: Cow<'static, str>,
    pub action: Cow<'static, str>,
}

/// What the rules see besides facts and requirements.
pub struct Ctx<'a> {
    pub facts: &'a Facts,
    pub require: &'a Require,
    pub today: Date,
}

pub struct Out<'a>(pub &'a mut Vec<Finding>);

impl Out<'_> {
    fn raise(
        &mut self,
        level: Level,
        message: impl Into<Cow<'static, str>>,
        action: impl Into<Cow<'static, str>>,
    ) {
        self.0.push(Finding {
            level,
            message: message.into(),
            action: action.into(),
        });
    }
    /// A block, reported as a hold when every cited fact with a value rests only on a
    /// third-party analysis or an unsupported value.
    fn block(
        &mut self,
        cites: &[Option<Authority>],
        message: impl Into<Cow<'static, str>>,
        action: impl Into<Cow<'static, str>>,
    ) {
        let mut known = cites.iter().flatten().peekable();
        let leads = known.peek().is_some()
            && known.all(|a| matches!(a, Authority::ThirdParty | Authority::Unsupported));
        if leads {
            let message: Cow<'static, str> = message.into();
            let action: Cow<'static, str> = action.into();
            self.raise(
                Level::Hold,
                format!("{message} (only a third-party analysis or an unsupported value says so: a lead, not a decision)"),
                format!("Confirm it in the vendor's own terms, DPA or documentation before deciding. {action}"),
            );
        } else {
            self.raise(Level::Block, message, action);
        }
    }
}

impl Out<'_> {
    /// A pass, reported as a hold when a cited fact with a value rests on no verified quote
    /// and the policy requires verified evidence (`evaluation::bare_pass`). `bare` holds
    /// [`Fact::bare`] of every fact the pass cites: as in the engine (`state::raise`), the
    /// facts the script read since its previous finding, or all it read if none.
    fn pass(&mut self, c: &Ctx, bare: &[bool], message: impl Into<Cow<'static, str>>) {
        let unbacked = bare.iter().any(|b| *b);
        if unbacked && c.require.verified_evidence {
            let message: Cow<'static, str> = message.into();
            self.raise(
                Level::Hold,
                format!("{message} But no verified quote backs it (a bare value), and this classification requires verified evidence."),
                "Add the clause that states it (source, section and verbatim quote) to the profile.",
            );
        } else {
            self.raise(Level::Pass, message, "");
        }
    }
}

pub type RuleFn = fn(&Ctx, &mut Out);

/// The native rules, by rule id.
pub const RULES: &[(&str, RuleFn)] = &[
    ("training-on-inputs", training_on_inputs),
    ("retention-limit", retention_limit),
    ("dpa-required", dpa_required),
    ("zero-data-retention", zero_data_retention),
    ("licence-scope", licence_scope),
    ("certifications", certifications),
];

const Q_TRAINING: &str =
    "Do you use our inputs to train or improve models, and can we opt out in writing?";

fn training_on_inputs(c: &Ctx, out: &mut Out) {
    let f = &c.facts.training_on_inputs;
    if !c.require.no_training {
        match f.value {
            None => out.raise(
                Level::Info,
                "Whether the vendor trains on inputs is not known (not required at this classification).",
                "",
            ),
            Some(t) => out.raise(
                Level::Info,
                format!("Training on inputs: {t:?} (not restricted at this classification)."),
                "",
            ),
        }
        return;
    }
    if f.conflicting {
        out.raise(
            Level::Hold,
            "Sources of equal authority disagree on whether the vendor trains on inputs.",
            format!("Ask the vendor which statement applies to this offering and get it in writing: {Q_TRAINING}"),
        );
        return;
    }
    match f.value {
        None => out.raise(
            Level::Hold,
            "Unknown whether the vendor trains on inputs.",
            format!("Ask the vendor: {Q_TRAINING}"),
        ),
        Some(Training::Never) if f.exceptions.is_empty() => {
            out.pass(c, &[f.bare()], "The vendor does not train on inputs.")
        }
        Some(Training::Never) => {
            for e in &f.exceptions {
                out.raise(
                    Level::Condition,
                    format!("The vendor does not train on inputs, except: \"{e}\""),
                    "Read the carve-out: get written confirmation of what it lets the vendor use our inputs for, or negotiate it out in the order form.",
                );
            }
        }
        Some(Training::OptIn) => {
            out.pass(
                c,
                &[f.bare()],
                "The vendor trains on inputs only if the customer opts in.",
            );
            out.raise(
                Level::Info,
                "Training on inputs is opt-in.",
                "Make sure nobody opts in on the organization's behalf.",
            );
        }
        Some(Training::OptOut) => out.raise(
            Level::Condition,
            "The vendor trains on inputs unless the customer opts out.",
            "Opt out of training for every account before any data is sent, and keep the confirmation.",
        ),
        Some(Training::Negotiable) => out.raise(
            Level::Condition,
            "Training on inputs is excluded only if negotiated.",
            "Get a no-training clause into the order form or a signed amendment.",
        ),
        Some(Training::DefaultOn) => out.block(
            &[f.deciding()],
            "The vendor trains on inputs by default.",
            "Do not send data of this classification; negotiate a signed no-training commitment or choose another offering.",
        ),
    }
}

fn contractual(a: Option<Authority>) -> bool {
    matches!(
        a,
        Some(Authority::Signed | Authority::Contract | Authority::Dpa)
    )
}

fn authority_str(a: Option<Authority>) -> &'static str {
    a.map_or("()", Authority::as_str)
}

fn retention_limit(c: &Ctx, out: &mut Out) {
    let Some(max) = c.require.max_retention_days else {
        return;
    };
    let (days, zdr) = (&c.facts.retention_days, &c.facts.zero_data_retention);
    const Q: &str = "How many days do you keep our inputs and outputs, and when are they deleted?";
    if days.conflicting {
        out.raise(
            Level::Hold,
            "Sources of equal authority disagree on how long content is kept.",
            format!("Ask the vendor which retention period applies to this offering: {Q}"),
        );
        return;
    }
    match days.value {
        // The script read zero_data_retention then retention_days (unknown here) before it.
        None if zdr.value == Some(Zdr::Default) => {
            out.pass(
                c,
                &[zdr.bare(), days.bare()],
                "Zero data retention applies by default: content is not kept.",
            );
            if !contractual(zdr.authority) {
                out.raise(
                    Level::Warn,
                    format!(
                        "Zero data retention is stated only in a {} source, not the contract or DPA: the vendor can change it without notice.",
                        authority_str(zdr.authority)
                    ),
                    "Ask for zero data retention to be written into the order form or DPA.",
                );
            }
        }
        None => out.raise(
            Level::Hold,
            format!("How long the vendor keeps content is not known (the limit is {max} days)."),
            format!("Ask the vendor: {Q}"),
        ),
        Some(Duration::UntilDeleted) => out.raise(
            Level::Condition,
            format!("Content is kept until the customer deletes it: no end, where the limit is {max} days."),
            format!("Delete content yourself within {max} days (by API or setting, and check it covers backups), or negotiate retention of at most {max} days in a signed amendment."),
        ),
        // The script cites retention_days alone before this pass.
        Some(Duration::Days(d)) if d <= max && days.exceptions.is_empty() => out.pass(
            c,
            &[days.bare()],
            format!("Content is kept {d} days, within the {max}-day limit."),
        ),
        Some(Duration::Days(d)) if d <= max => {
            for e in &days.exceptions {
                out.raise(
                    Level::Warn,
                    format!("Content is kept {d} days, within the {max}-day limit, except: \"{e}\""),
                    "Check whether the carve-out can keep content longer than the limit, and ask the vendor to notify you when it applies.",
                );
            }
        }
        Some(kept) => {
            let kept = match kept {
                Duration::Days(d) => format!("{d} days, more than the {max}-day limit"),
                _ => format!("with no end stated (as long as the vendor needs it), where the limit is {max} days"),
            };
            if matches!(zdr.value, Some(Zdr::Available | Zdr::OnRequest)) {
                out.raise(
                    Level::Condition,
                    format!("Content is kept {kept}, unless zero data retention is enabled."),
                    "Enable zero data retention for the account (request it in writing if needed) before sending data.",
                );
            } else {
                out.block(
                    &[days.deciding(), zdr.deciding()],
                    format!("Content is kept {kept}."),
                    format!("Negotiate retention of at most {max} days in a signed amendment, or do not send data of this classification."),
                );
            }
        }
    }
}

fn dpa_required(c: &Ctx, out: &mut Out) {
    if !(c.require.dpa || c.require.signed_dpa) {
        return;
    }
    let dpa = &c.facts.dpa;
    if dpa.conflicting {
        out.raise(
            Level::Hold,
            "Sources of equal authority disagree on the data processing agreement.",
            "Ask the vendor for its current DPA and confirm it covers this offering.",
        );
        return;
    }
    // The vendor's word that a DPA exists is not the DPA: a condition until it is archived.
    if dpa.deciding() == Some(Authority::Questionnaire)
        && matches!(dpa.value, Some(Dpa::Online | Dpa::Signed))
    {
        out.raise(
            Level::Condition,
            "The vendor's answer says a data processing agreement exists, but no DPA is archived in the workspace.",
            "Obtain the DPA and archive it with `diligence snapshot`, then cite its clause for the `dpa` fact.",
        );
        return;
    }
    match dpa.value {
        None => out.raise(
            Level::Hold,
            "Whether the vendor offers a data processing agreement is not known.",
            "Ask the vendor: Do you offer a data processing agreement, and can we sign it?",
        ),
        Some(Dpa::None) => out.block(
            &[dpa.deciding()],
            "The vendor offers no data processing agreement.",
            "Do not send personal or classified data until a DPA is signed.",
        ),
        Some(Dpa::Signed) => out.pass(
            c,
            &[dpa.bare()],
            "A signed data processing agreement is in place.",
        ),
        Some(Dpa::Negotiable) => out.raise(
            Level::Condition,
            "A data processing agreement is available by negotiation.",
            "Negotiate and sign the DPA before sending data.",
        ),
        Some(Dpa::Online) if c.require.signed_dpa => out.raise(
            Level::Condition,
            "The DPA is published online but this classification needs it signed.",
            "Have the vendor's DPA countersigned (or executed as an order-form exhibit) and file the signed copy.",
        ),
        Some(Dpa::Online) => out.pass(
            c,
            &[dpa.bare()],
            "The vendor's data processing agreement is incorporated into its terms.",
        ),
    }
}

fn zero_data_retention(c: &Ctx, out: &mut Out) {
    if !c.require.zero_data_retention {
        return;
    }
    let zdr = &c.facts.zero_data_retention;
    if zdr.conflicting {
        out.raise(
            Level::Hold,
            "Sources of equal authority disagree on zero data retention.",
            "Ask the vendor to confirm zero data retention for this offering in writing.",
        );
        return;
    }
    match zdr.value {
        None => out.raise(
            Level::Hold,
            "Whether zero data retention is available is not known.",
            "Ask the vendor: Can you contractually commit to zero data retention for our account?",
        ),
        Some(Zdr::Default) if contractual(zdr.authority) => {
            out.pass(c, &[zdr.bare()], "Zero data retention applies by default.")
        }
        Some(Zdr::Default) => out.raise(
            Level::Condition,
            format!(
                "Zero data retention applies by default according to a {} source, which is not part of the contract.",
                authority_str(zdr.authority)
            ),
            "Have zero data retention written into the order form or DPA before sending restricted data.",
        ),
        Some(Zdr::Available) => out.raise(
            Level::Condition,
            "Zero data retention is available but not on by default.",
            "Enable zero data retention for every account and project before sending restricted data.",
        ),
        Some(Zdr::OnRequest) => out.raise(
            Level::Condition,
            "Zero data retention is available on request only.",
            "Request zero data retention in writing and wait for the vendor's confirmation.",
        ),
        Some(Zdr::Unavailable) => out.block(
            &[zdr.deciding()],
            "The vendor does not offer zero data retention.",
            "Do not send restricted data to this offering.",
        ),
    }
}

fn licence_scope(c: &Ctx, out: &mut Out) {
    let Some(max) = c.require.max_licence_scope else {
        return;
    };
    let scope = &c.facts.licence_scope;
    const Q: &str = "For what purposes do you licence our content: only to provide the service?";
    if scope.conflicting {
        out.raise(
            Level::Hold,
            "Sources of equal authority disagree on the licence over customer content.",
            format!("Ask the vendor which licence clause applies to this offering: {Q}"),
        );
        return;
    }
    match scope.value {
        None => out.raise(
            Level::Hold,
            "The licence the vendor takes over customer content is not known.",
            format!("Ask the vendor: {Q}"),
        ),
        Some(s) if s <= max => out.pass(
            c,
            &[scope.bare()],
            format!(
                "The licence over customer content ({}) is within {}.",
                s.as_str(),
                max.as_str()
            ),
        ),
        Some(s) => {
            let training = &c.facts.training_on_inputs;
            // A training licence whose trigger is unknown: a question, not a refusal.
            if s == LicenceScope::ModelImprovement && training.value.is_none() {
                out.raise(
                    Level::Hold,
                    "Whether the vendor trains on inputs, and so whether its training licence applies, is not known.",
                    "Ask the vendor: Do you use our inputs to train or improve models, and can we opt out in writing?",
                );
                return;
            }
            if s == LicenceScope::ModelImprovement
                && matches!(
                    training.value,
                    Some(Training::OptOut | Training::OptIn | Training::Negotiable)
                )
            {
                out.raise(
                    Level::Condition,
                    format!(
                        "The licence over customer content extends to model training ({}), which the vendor exercises only when training is on (training on inputs: {:?}).",
                        s.as_str(),
                        training.value
                    ),
                    format!(
                        "Keep training off for every account (opt out, never opt in) and have the order form state that the licence is then limited to {}.",
                        max.as_str()
                    ),
                );
            } else {
                out.block(
                    &[scope.deciding(), training.deciding()],
                    format!(
                        "The vendor's licence over customer content ({}) goes beyond what this classification allows ({}).",
                        s.as_str(),
                        max.as_str()
                    ),
                    format!(
                        "Negotiate a licence limited to {} (e.g. \"solely to provide the Services to Customer\") in a signed amendment.",
                        max.as_str()
                    ),
                );
            }
        }
    }
}

/// Lowercase, without spaces and dashes: "SOC 2 Type II" matches "soc2-type ii".
fn same_cert(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| *c != ' ' && *c != '-')
            .flat_map(char::to_lowercase)
    }
    norm(a).eq(norm(b))
}

fn certifications(c: &Ctx, out: &mut Out) {
    let wanted = &c.require.certifications;
    if wanted.is_empty() {
        return;
    }
    let f = &c.facts.certifications;
    const Q: &str =
        "Which certifications (SOC 2 Type II, ISO 27001) cover this offering, and until when?";
    if f.conflicting {
        out.raise(
            Level::Hold,
            "Sources of equal authority disagree on the vendor's certifications.",
            format!("Ask the vendor for its current certificates and audit reports: {Q}"),
        );
        return;
    }
    let Some(held) = &f.value else {
        out.raise(
            Level::Hold,
            format!(
                "Whether the vendor holds {} is not known.",
                wanted.join(", ")
            ),
            format!("Ask the vendor: {Q}"),
        );
        return;
    };
    let days_until = |d: Date| i64::from((d - c.today).get_days());
    for w in wanted {
        // The matching certificate that lasts longest; no expiry date lasts longest.
        let best = held
            .iter()
            .filter(|h| same_cert(&h.name, w))
            .max_by_key(|h| h.expires.map_or(i64::MAX, days_until));
        match best {
            None => {
                let names: Vec<&str> = held.iter().map(|h| h.name.as_str()).collect();
                let names = if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                };
                out.raise(
                    Level::Hold,
                    format!("{w} is not among the certifications the evidence lists ({names})."),
                    format!("Ask the vendor for its current {w} report or certificate covering this offering; do not send data of this classification until it is on file."),
                );
            }
            // Every finding after the first cites all the script read: certifications.
            Some(Cert { expires: None, .. }) => out.pass(
                c,
                &[f.bare()],
                format!("{w} is held (no expiry date recorded)."),
            ),
            Some(Cert {
                expires: Some(e), ..
            }) => {
                let left = days_until(*e);
                if left < 0 {
                    out.raise(
                        Level::Hold,
                        format!("{w} expired on {e}: it counts as not held."),
                        format!("Ask the vendor for the renewed {w} certificate or a bridge letter, and update the profile."),
                    );
                } else if left <= 90 {
                    out.raise(
                        Level::Warn,
                        format!("{w} expires on {e}, in {left} days."),
                        format!("Ask the vendor for the renewed {w} certificate before {e}."),
                    );
                } else {
                    out.pass(c, &[f.bare()], format!("{w} is held until {e}."));
                }
            }
        }
    }
}
