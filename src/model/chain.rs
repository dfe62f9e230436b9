//! The model supply chain of an offering: the providers it relies on (`providers`: model
//! providers and AI sub-processors), each another offering of the workspace (`openai/api`) or
//! an external name, and whether its vendor passes the customer's terms down to them
//! (`provider_pass_down`). `evaluation::chain` resolves the providers' verdicts; this module
//! only reads the facts and words the problems a chain can have.

use crate::diag::{Diagnostic, Pos};
use crate::model::profile::{Offering, Profile, Verification, valid_id};
use crate::model::resolve::Role;
use crate::model::resolved::ResolvedOffering;

/// The fact naming the providers.
pub const PROVIDERS: &str = "providers";
/// The fact saying whether the customer's terms are passed down to them.
pub const PASS_DOWN: &str = "provider_pass_down";

/// The most links below the offering under review that a chain may have (a provider's
/// provider's ... provider): real chains have one or two; past this, a chain is refused as a
/// likely mistake, and evaluation never recurses without end.
pub const MAX_DEPTH: usize = 8;

/// What one entry of `providers` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An offering of the workspace, written `vendor/offering`.
    Offering { vendor: String, offering: String },
    /// A provider outside the workspace, by name.
    External(String),
}

impl Target {
    /// `vendor/offering` (two ids) names an offering of the workspace; anything else is an
    /// external name ("Acme Models Inc.").
    pub fn parse(name: &str) -> Target {
        match name.split_once('/') {
            Some((v, o)) if valid_id(v) && valid_id(o) => Target::Offering {
                vendor: v.to_string(),
                offering: o.to_string(),
            },
            _ => Target::External(name.to_string()),
        }
    }
}

/// The key of an offering in a chain: `vendor/offering`.
pub fn key(profile: &Profile, offering: &Offering) -> String {
    format!("{}/{}", profile.id, offering.id)
}

/// The providers the offering relies on: the resolved value of `providers` (by authority, as
/// every fact), in order. Empty when unknown.
pub fn relied_on(resolved: &ResolvedOffering) -> Vec<String> {
    resolved
        .value(PROVIDERS)
        .and_then(|v| v.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the vendor passes the customer's terms down to its providers, on evidence that
/// counts: the resolved value is `yes`, and every claim deciding it is a first-party document
/// whose quote was found in its snapshot (a bare value, a third-party analysis or an
/// unverified quote never lifts a provider's cap).
pub fn pass_down_verified(resolved: &ResolvedOffering) -> bool {
    let Some(fact) = resolved.get(PASS_DOWN) else {
        return false;
    };
    if fact.resolved.value.as_ref().and_then(|v| v.as_str()) != Some("yes") {
        return false;
    }
    let mut deciding = fact
        .evidence
        .iter()
        .zip(&fact.verification)
        .filter(|(e, _)| e.role == Role::Decides)
        .peekable();
    deciding.peek().is_some()
        && deciding.all(|(e, v)| e.authority.is_first_party() && *v == Verification::Verified)
}

/// Where the offering names `provider` (the claim of `providers` that lists it), for located
/// errors.
pub fn named_at(offering: &Offering, provider: &str) -> Pos {
    let Some(fact) = offering.facts.get(PROVIDERS) else {
        return offering.at;
    };
    fact.claims
        .iter()
        .find(|c| {
            c.value
                .as_array()
                .is_some_and(|items| items.iter().any(|i| i.as_str() == Some(provider)))
        })
        .map_or(fact.at, |c| c.at)
}

/// A provider `vendor/offering` that is not in the workspace. `offerings` lists the vendor's
/// offerings when the vendor exists.
pub fn unknown(
    profile: &Profile,
    offering: &Offering,
    provider: &str,
    offerings: Option<&[String]>,
) -> Diagnostic {
    let at = named_at(offering, provider);
    let (message, hint) = match offerings {
        Some(ids) => (
            format!(
                "fact `{PROVIDERS}` of {}: `{provider}` names no offering of that vendor",
                key(profile, offering)
            ),
            crate::diag::did_you_mean(
                provider.split_once('/').map_or(provider, |(_, o)| o),
                ids.iter().map(String::as_str),
            )
            .unwrap_or_else(|| format!("its offerings: {}", ids.join(", "))),
        ),
        None => (
            format!(
                "fact `{PROVIDERS}` of {}: `{provider}` names a vendor that is not in the workspace",
                key(profile, offering)
            ),
            "add the provider's profile (`diligence new vendor ID`), fix the name, or write an external provider by its name (e.g. `Acme Models Inc.`): an external provider holds the review with the question to ask".to_string(),
        ),
    };
    Diagnostic::error(message)
        .in_file(profile.file.clone())
        .at(at)
        .hint(hint)
}

/// A chain that comes back to an offering already in it: `path` from that offering to the
/// provider that closes the cycle (the offering again).
pub fn cycle(
    profile: &Profile,
    offering: &Offering,
    provider: &str,
    path: &[String],
) -> Diagnostic {
    Diagnostic::error(format!(
        "fact `{PROVIDERS}` of {}: a cycle of providers: {}",
        key(profile, offering),
        path.join(" -> ")
    ))
    .in_file(profile.file.clone())
    .at(named_at(offering, provider))
    .hint("an offering cannot rely, through its providers, on itself: remove the provider that closes the cycle")
}

/// A chain with more than [`MAX_DEPTH`] links.
pub fn too_deep(
    profile: &Profile,
    offering: &Offering,
    provider: &str,
    path: &[String],
) -> Diagnostic {
    Diagnostic::error(format!(
        "fact `{PROVIDERS}` of {}: the chain of providers is more than {MAX_DEPTH} links deep: {}",
        key(profile, offering),
        path.join(" -> ")
    ))
    .in_file(profile.file.clone())
    .at(named_at(offering, provider))
    .hint(format!(
        "name the provider the offering relies on directly; chains are followed at most {MAX_DEPTH} links deep"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_ids_name_an_offering_anything_else_is_external() {
        assert_eq!(
            Target::parse("openai/api"),
            Target::Offering {
                vendor: "openai".into(),
                offering: "api".into()
            }
        );
        for external in ["Acme Models Inc.", "openai", "OpenAI/API", "a/b/c"] {
            assert_eq!(
                Target::parse(external),
                Target::External(external.into()),
                "{external}"
            );
        }
    }
}
