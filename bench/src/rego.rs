//! The shared rules in Rego (OPA's policy language), evaluated with regorus, OPA's engine in
//! Rust. Written as an OPA user would: the input document holds the offering's resolved facts
//! (`{value, authority, conflicting, exceptions, verified}` per stated fact) and the requirements
//! of the classification; each rule is a package whose `findings` rule returns the findings it
//! raises.
//!
//! Each package mirrors its `scripts/<rule>.rhai` branch for branch, including the engine's
//! rule that a block resting only on third-party or unsupported evidence is reported as a hold,
//! and that a pass citing a fact with a value but no verified quote is a hold where the class
//! requires `verified_evidence`. A finding's `cites` are the facts the script read since its
//! previous finding, or everything it read if nothing since (`engine::state::raise`).

use diligence::Level;
use diligence::REQUIREMENTS;
use diligence::policy::Requirements;
use diligence::{Freshness, resolve};
use diligence::{Offering, Profile};
use regorus::Value;
use serde_json::json;

pub const LIB: &str = r#"
package diligence.lib

import rego.v1

leads := {"third_party", "unsupported"}

# Whether every cited fact that has a value rests only on a third-party analysis or an
# unsupported value (a block on such evidence is reported as a hold).
rests_on_leads(names) if {
	auths := [a | some n in names; f := input.facts[n]; f.value != null; a := f.authority]
	count(auths) > 0
	every a in auths { a in leads }
}

# Three exclusive definitions rather than an `else` chain: regorus's RVM mis-evaluates `else`
# chains when the function is called inside a comprehension (certifications does).
lead_block(f) if {
	f.level == "block"
	rests_on_leads(f.cites)
}

bare_pass(f) if {
	f.level == "pass"
	input.require.verified_evidence == true
	some n in f.cites
	input.facts[n].value != null
	input.facts[n].verified == false
}

demote(f) := {
	"level": "hold",
	"message": concat("", [f.message, " (only a third-party analysis or an unsupported value says so: a lead, not a decision)"]),
	"action": concat(" ", ["Confirm it in the vendor's own terms, DPA or documentation before deciding.", f.action]),
} if {
	lead_block(f)
}

demote(f) := {
	"level": "hold",
	"message": concat("", [f.message, " But no verified quote backs it (a bare value), and this classification requires verified evidence."]),
	"action": "Add the clause that states it (source, section and verbatim quote) to the profile.",
} if {
	bare_pass(f)
}

demote(f) := f if {
	not lead_block(f)
	not bare_pass(f)
}

contractual := {"signed", "contract", "dpa"}
"#;

pub const TRAINING_ON_INPUTS: &str = r#"
package diligence.training_on_inputs

import data.diligence.lib
import rego.v1

name := "training_on_inputs"

fact := object.get(input.facts, name, {})

t := fact.value

question := "Do you use our inputs to train or improve models, and can we opt out in writing?"

finding := {"level": "info", "message": sprintf("Training on inputs: %v (not restricted at this classification).", [t])} if {
	input.require.no_training != true
	t != null
} else := {"level": "info", "message": "Whether the vendor trains on inputs is not known (not required at this classification)."} if {
	input.require.no_training != true
} else := {"level": "hold", "message": "Sources of equal authority disagree on whether the vendor trains on inputs.", "action": concat("", ["Ask the vendor which statement applies to this offering and get it in writing: ", question])} if {
	fact.conflicting
} else := {"level": "hold", "message": "Unknown whether the vendor trains on inputs.", "action": concat("", ["Ask the vendor: ", question])} if {
	not t
} else := {"level": "condition", "message": sprintf("The vendor does not train on inputs, except: %v", [fact.exceptions[0]]), "action": "Read the carve-out: get written confirmation of what it lets the vendor use our inputs for, or negotiate it out in the order form."} if {
	t == "never"
	count(fact.exceptions) > 0
} else := {"level": "pass", "cites": [name], "message": "The vendor does not train on inputs."} if {
	t == "never"
} else := {"level": "pass", "cites": [name], "message": "The vendor trains on inputs only if the customer opts in."} if {
	t == "opt_in"
} else := {"level": "condition", "message": "The vendor trains on inputs unless the customer opts out.", "action": "Opt out of training for every account before any data is sent, and keep the confirmation."} if {
	t == "opt_out"
} else := {"level": "condition", "message": "Training on inputs is excluded only if negotiated.", "action": "Get a no-training clause into the order form or a signed amendment."} if {
	t == "negotiable"
} else := {"level": "block", "cites": [name], "message": "The vendor trains on inputs by default.", "action": "Do not send data of this classification; negotiate a signed no-training commitment or choose another offering."}

# The script raises this info after the opt-in pass.
default opt_in := []

opt_in := [{"level": "info", "message": "Training on inputs is opt-in.", "action": "Make sure nobody opts in on the organization's behalf."}] if {
	input.require.no_training == true
	not fact.conflicting
	t == "opt_in"
}

findings := array.concat([lib.demote(finding)], opt_in)
"#;

pub const RETENTION_LIMIT: &str = r#"
package diligence.retention_limit

import data.diligence.lib
import rego.v1

name := "retention_days"

limit := input.require.max_retention_days

fact := object.get(input.facts, name, {})

days := fact.value

zdr := object.get(input.facts, "zero_data_retention", {})

question := "How many days do you keep our inputs and outputs, and when are they deleted?"

finding := {"level": "hold", "message": "Sources of equal authority disagree on how long content is kept.", "action": concat("", ["Ask the vendor which retention period applies to this offering: ", question])} if {
	fact.conflicting
} else := {"level": "pass", "cites": ["zero_data_retention", name], "message": "Zero data retention applies by default: content is not kept."} if {
	not days
	zdr.value == "default"
} else := {"level": "hold", "message": sprintf("How long the vendor keeps content is not known (the limit is %v days).", [limit]), "action": concat("", ["Ask the vendor: ", question])} if {
	not days
} else := {"level": "condition", "message": sprintf("Content is kept until the customer deletes it: no end, where the limit is %v days.", [limit]), "action": sprintf("Delete content yourself within %v days (by API or setting, and check it covers backups), or negotiate retention of at most %v days in a signed amendment.", [limit, limit])} if {
	days == "until_deleted"
} else := {"level": "warn", "message": sprintf("Content is kept %v days, within the %v-day limit, except: %v", [days, limit, fact.exceptions[0]]), "action": "Check whether the carve-out can keep content longer than the limit, and ask the vendor to notify you when it applies."} if {
	is_number(days)
	days <= limit
	count(fact.exceptions) > 0
} else := {"level": "pass", "cites": [name], "message": sprintf("Content is kept %v days, within the %v-day limit.", [days, limit])} if {
	is_number(days)
	days <= limit
} else := {"level": "condition", "message": sprintf("Content is kept %v, unless zero data retention is enabled.", [kept]), "action": "Enable zero data retention for the account (request it in writing if needed) before sending data."} if {
	zdr.value in {"available", "on_request"}
} else := {"level": "block", "cites": [name, "zero_data_retention"], "message": sprintf("Content is kept %v.", [kept]), "action": sprintf("Negotiate retention of at most %v days in a signed amendment, or do not send data of this classification.", [limit])}

kept := sprintf("with no end stated (as long as the vendor needs it), where the limit is %v days", [limit]) if {
	days == "indefinite"
} else := sprintf("%v days, more than the %v-day limit", [days, limit])

zdr_contractual if zdr.authority in lib.contractual

# The script raises this warn after the zero-data-retention pass (a pass the bare-value check
# may turn into a hold: both are findings).
default zdr_warn := []

zdr_warn := [{"level": "warn", "message": sprintf("Zero data retention is stated only in a %v source, not the contract or DPA: the vendor can change it without notice.", [zdr.authority]), "action": "Ask for zero data retention to be written into the order form or DPA."}] if {
	not fact.conflicting
	not days
	zdr.value == "default"
	not zdr_contractual
}

default findings := []

findings := array.concat([lib.demote(finding)], zdr_warn) if limit != null
"#;

pub const DPA_REQUIRED: &str = r#"
package diligence.dpa_required

import data.diligence.lib
import rego.v1

needed if input.require.dpa == true

needed if input.require.signed_dpa == true

fact := object.get(input.facts, "dpa", {})

dpa := fact.value

finding := {"level": "hold", "message": "Sources of equal authority disagree on the data processing agreement.", "action": "Ask the vendor for its current DPA and confirm it covers this offering."} if {
	fact.conflicting
} else := {"level": "hold", "message": "Whether the vendor offers a data processing agreement is not known.", "action": "Ask the vendor: Do you offer a data processing agreement, and can we sign it?"} if {
	not dpa
} else := {"level": "condition", "message": "The vendor's answer says a data processing agreement exists, but no DPA is archived in the workspace.", "action": "Obtain the DPA and archive it with `diligence snapshot`, then cite its clause for the `dpa` fact."} if {
	fact.authority == "questionnaire"
	dpa in {"online", "signed"}
} else := {"level": "block", "cites": ["dpa"], "message": "The vendor offers no data processing agreement.", "action": "Do not send personal or classified data until a DPA is signed."} if {
	dpa == "none"
} else := {"level": "pass", "cites": ["dpa"], "message": "A signed data processing agreement is in place."} if {
	dpa == "signed"
} else := {"level": "condition", "message": "A data processing agreement is available by negotiation.", "action": "Negotiate and sign the DPA before sending data."} if {
	dpa == "negotiable"
} else := {"level": "condition", "message": "The DPA is published online but this classification needs it signed.", "action": "Have the vendor's DPA countersigned (or executed as an order-form exhibit) and file the signed copy."} if {
	input.require.signed_dpa == true
} else := {"level": "pass", "cites": ["dpa"], "message": "The vendor's data processing agreement is incorporated into its terms."}

default findings := []

findings := [lib.demote(finding)] if needed
"#;

pub const ZERO_DATA_RETENTION: &str = r#"
package diligence.zero_data_retention

import data.diligence.lib
import rego.v1

name := "zero_data_retention"

fact := object.get(input.facts, name, {})

zdr := fact.value

finding := {"level": "hold", "message": "Sources of equal authority disagree on zero data retention.", "action": "Ask the vendor to confirm zero data retention for this offering in writing."} if {
	fact.conflicting
} else := {"level": "hold", "message": "Whether zero data retention is available is not known.", "action": "Ask the vendor: Can you contractually commit to zero data retention for our account?"} if {
	not zdr
} else := {"level": "pass", "cites": [name], "message": "Zero data retention applies by default."} if {
	zdr == "default"
	fact.authority in lib.contractual
} else := {"level": "condition", "message": sprintf("Zero data retention applies by default according to a %v source, which is not part of the contract.", [fact.authority]), "action": "Have zero data retention written into the order form or DPA before sending restricted data."} if {
	zdr == "default"
} else := {"level": "condition", "message": "Zero data retention is available but not on by default.", "action": "Enable zero data retention for every account and project before sending restricted data."} if {
	zdr == "available"
} else := {"level": "condition", "message": "Zero data retention is available on request only.", "action": "Request zero data retention in writing and wait for the vendor's confirmation."} if {
	zdr == "on_request"
} else := {"level": "block", "cites": [name], "message": "The vendor does not offer zero data retention.", "action": "Do not send restricted data to this offering."}

default findings := []

findings := [lib.demote(finding)] if input.require.zero_data_retention == true
"#;

pub const LICENCE_SCOPE: &str = r#"
package diligence.licence_scope

import data.diligence.lib
import rego.v1

name := "licence_scope"

rank := {"service_only": 0, "service_improvement": 1, "model_improvement": 2, "broad": 3}

limit := input.require.max_licence_scope

fact := object.get(input.facts, name, {})

scope := fact.value

# An unknown or conflicting training fact has no value: null, as the rule's `known` is false.
training := object.get(object.get(input.facts, "training_on_inputs", {}), "value", null)

question := "For what purposes do you licence our content: only to provide the service?"

finding := {"level": "hold", "message": "Sources of equal authority disagree on the licence over customer content.", "action": concat("", ["Ask the vendor which licence clause applies to this offering: ", question])} if {
	fact.conflicting
} else := {"level": "hold", "message": "The licence the vendor takes over customer content is not known.", "action": concat("", ["Ask the vendor: ", question])} if {
	not scope
} else := {"level": "pass", "cites": [name], "message": sprintf("The licence over customer content (%v) is within %v.", [scope, limit])} if {
	rank[scope] <= rank[limit]
} else := {"level": "hold", "message": "Whether the vendor trains on inputs, and so whether its training licence applies, is not known.", "action": "Ask the vendor: Do you use our inputs to train or improve models, and can we opt out in writing?"} if {
	scope == "model_improvement"
	training == null
} else := {"level": "condition", "message": sprintf("The licence over customer content extends to model training (%v), which the vendor exercises only when training is on (training on inputs: %v).", [scope, training]), "action": sprintf("Keep training off for every account (opt out, never opt in) and have the order form state that the licence is then limited to %v.", [limit])} if {
	scope == "model_improvement"
	training in {"opt_out", "opt_in", "negotiable"}
} else := {"level": "block", "cites": [name, "training_on_inputs"], "message": sprintf("The vendor's licence over customer content (%v) goes beyond what this classification allows (%v).", [scope, limit]), "action": sprintf("Negotiate a licence limited to %v (e.g. \"solely to provide the Services to Customer\") in a signed amendment.", [limit])}

default findings := []

findings := [lib.demote(finding)] if limit != null
"#;

pub const CERTIFICATIONS: &str = r#"
package diligence.certifications

import data.diligence.lib
import rego.v1

name := "certifications"

wanted := w if {
	w := input.require.certifications
	is_array(w)
	count(w) > 0
}

fact := object.get(input.facts, name, {})

held := fact.value

question := "Which certifications (SOC 2 Type II, ISO 27001) cover this offering, and until when?"

norm(s) := lower(replace(replace(s, " ", ""), "-", ""))

day_ns := 86400000000000

days_until(date) := (time.parse_ns("2006-01-02", date) - time.parse_ns("2006-01-02", input.today)) / day_ns

matching(w) := [c | some c in held; norm(c.name) == norm(w)]

held_names := "none" if {
	count(held) == 0
} else := concat(", ", [c.name | some c in held])

undated(certs) if {
	some c in certs
	not c.expires
}

# One definition per outcome, with exclusive conditions (no `else` chains: regorus's RVM
# mis-evaluates them inside comprehensions in 0.14.1).
cert(w, certs) := {"level": "hold", "message": sprintf("%v is not among the certifications the evidence lists (%v).", [w, held_names]), "action": sprintf("Ask the vendor for its current %v report or certificate covering this offering; do not send data of this classification until it is on file.", [w])} if {
	count(certs) == 0
}

# Every finding after the first cites all the script read: certifications.
cert(w, certs) := {"level": "pass", "cites": [name], "message": sprintf("%v is held (no expiry date recorded).", [w])} if {
	undated(certs)
}

cert(w, certs) := dated(w, latest, days_until(latest)) if {
	count(certs) > 0
	not undated(certs)

	# ISO dates order as text: the latest expiry is the certificate that lasts longest.
	latest := max([c.expires | some c in certs])
}

dated(w, date, left) := {"level": "hold", "message": sprintf("%v expired on %v: it counts as not held.", [w, date]), "action": sprintf("Ask the vendor for the renewed %v certificate or a bridge letter, and update the profile.", [w])} if {
	left < 0
}

dated(w, date, left) := {"level": "warn", "message": sprintf("%v expires on %v, in %v days.", [w, date, left]), "action": sprintf("Ask the vendor for the renewed %v certificate before %v.", [w, date])} if {
	left >= 0
	left <= 90
}

dated(w, date, left) := {"level": "pass", "cites": [name], "message": sprintf("%v is held until %v.", [w, date])} if {
	left > 90
}

default findings := []

findings := [{"level": "hold", "message": "Sources of equal authority disagree on the vendor's certifications.", "action": concat("", ["Ask the vendor for its current certificates and audit reports: ", question])}] if {
	wanted
	fact.conflicting
} else := [{"level": "hold", "message": sprintf("Whether the vendor holds %v is not known.", [concat(", ", wanted)]), "action": concat("", ["Ask the vendor: ", question])}] if {
	wanted
	not held
} else := [lib.demote(cert(w, matching(w))) | some w in wanted] if {
	wanted
}
"#;

/// The Rego packages by rule id.
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "training-on-inputs",
        "data.diligence.training_on_inputs.findings",
        TRAINING_ON_INPUTS,
    ),
    (
        "retention-limit",
        "data.diligence.retention_limit.findings",
        RETENTION_LIMIT,
    ),
    (
        "dpa-required",
        "data.diligence.dpa_required.findings",
        DPA_REQUIRED,
    ),
    (
        "zero-data-retention",
        "data.diligence.zero_data_retention.findings",
        ZERO_DATA_RETENTION,
    ),
    (
        "licence-scope",
        "data.diligence.licence_scope.findings",
        LICENCE_SCOPE,
    ),
    (
        "certifications",
        "data.diligence.certifications.findings",
        CERTIFICATIONS,
    ),
];

pub fn engine() -> Result<regorus::Engine, String> {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("lib.rego".into(), LIB.into())
        .map_err(|e| format!("lib.rego: {e}"))?;

    for (id, _, text) in RULES {
        engine
            .add_policy(format!("{id}.rego"), text.to_string())
            .map_err(|e| format!("{id}.rego: {e}"))?;
    }
    Ok(engine)
}

/// The `facts` part of the input document: every stated fact of the offering, resolved.
pub fn facts_value(profile: &Profile, offering: &Offering, freshness: Freshness) -> Value {
    let mut facts = serde_json::Map::new();
    for (name, fact) in &offering.facts {
        let r = resolve(fact, profile, freshness);
        // An unknown or conflicting fact has no `value` key: undefined in Rego, so that
        // `not fact.value` holds (a null would count as defined).
        let mut f = json!({
            "conflicting": r.status == diligence::Status::Conflicting,
        });
        if let Some(v) = r.value {
            f["value"] = v;
        }
        if let Some(a) = r.authority {
            f["authority"] = json!(a.as_str());
        }
        // The deciding claims' carve-outs, and whether one of them has a verified quote.
        let deciding: Vec<_> = fact
            .claims
            .iter()
            .zip(&r.roles)
            .filter(|(_, role)| matches!(role.as_str(), "decides" | "conflicts"))
            .map(|(c, _)| c)
            .collect();
        let exceptions: Vec<&str> = deciding
            .iter()
            .flat_map(|c| c.exceptions.iter().map(|e| e.quote.as_str()))
            .collect();
        f["exceptions"] = json!(exceptions);
        f["verified"] = json!(
            deciding
                .iter()
                .any(|c| c.verification == diligence::Verification::Verified)
        );
        facts.insert(name.clone(), f);
    }
    Value::from(serde_json::Value::Object(facts))
}

/// The `require` part of the input document: every requirement key, unset ones as null.
pub fn require_value(r: &Requirements) -> Value {
    let mut m = serde_json::Map::new();
    for spec in REQUIREMENTS {
        m.insert(
            spec.name.to_string(),
            r.get(spec.name).cloned().unwrap_or(serde_json::Value::Null),
        );
    }
    Value::from(serde_json::Value::Object(m))
}

pub fn input(facts: &Value, require: &Value, today: &Value) -> Value {
    let mut input = Value::new_object();
    let map = input.as_object_mut().expect("an object");
    map.insert(Value::from("facts"), facts.clone());
    map.insert(Value::from("require"), require.clone());
    map.insert(Value::from("today"), today.clone());
    input
}

/// The worst level among a rule's findings (None when it raised none).
pub fn worst(findings: &Value) -> Result<Option<Level>, String> {
    let Ok(list) = findings.as_array() else {
        return match findings {
            Value::Undefined => Ok(None),
            other => Err(format!("findings is not an array: {other}")),
        };
    };
    let mut worst = None;
    for f in list.iter() {
        let level = f["level"]
            .as_string()
            .map_err(|_| format!("finding without a level: {f}"))?;
        let level = Level::ALL
            .into_iter()
            .find(|l| l.as_str() == level.as_ref())
            .ok_or_else(|| format!("unknown level {level}"))?;
        worst = worst.max(Some(level));
    }
    Ok(worst)
}

/// The same policies compiled to regorus's virtual machine (RVM) bytecode: one program with
/// one entry point per rule.
pub fn vm() -> Result<regorus::rvm::vm::RegoVM, String> {
    let mut engine = engine()?;
    let first: regorus::Rc<str> = RULES[0].1.into();
    let compiled = engine
        .compile_with_entrypoint(&first)
        .map_err(|e| format!("compiling for the RVM: {e}"))?;
    let entry_points: Vec<&str> = RULES.iter().map(|(_, path, _)| *path).collect();
    let program =
        regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &entry_points)
            .map_err(|e| format!("compiling for the RVM: {e}"))?;
    let mut vm = regorus::rvm::vm::RegoVM::new();
    vm.load_program(program);
    Ok(vm)
}
