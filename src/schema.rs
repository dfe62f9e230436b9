//! JSON Schemas of the workspace files, generated from the one vocabulary table, so that editors
//! (via `# yaml-language-server: $schema=...`) validate and complete profiles and policies as
//! you type, with the same names and values `diligence check` accepts.

use crate::model::profile::{Authority, NOT_STATED};
use crate::model::vocabulary::{FACTS, REQUIREMENTS, TIERS, ValueType};
use serde_json::{Map, Value, json};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const DATE: &str = r"^\d{4}-\d{2}-\d{2}$";
const ID: &str = "^[a-z0-9][a-z0-9_-]{0,63}$";

fn value_schema(ty: ValueType) -> Value {
    match ty {
        ValueType::Enum(values) => json!({"enum": values}),
        ValueType::Count => json!({"type": "integer", "minimum": 0}),
        ValueType::CountOr(words) => {
            json!({"oneOf": [{"type": "integer", "minimum": 0}, {"enum": words}]})
        }
        ValueType::Bool => json!({"type": "boolean"}),
        ValueType::EnumList(values) => {
            json!({"type": "array", "items": {"enum": values}, "uniqueItems": true})
        }
        ValueType::TextList => {
            json!({"type": "array", "items": {"type": "string", "minLength": 1}})
        }
        ValueType::Certifications => json!({
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "scope": {"type": "string"},
                    "expires": {"type": "string", "pattern": DATE}
                }
            }
        }),
    }
}

/// A fact: a bare value (an unsupported claim) or a list of claims quoting sources.
fn fact_schema(value: Value, description: &str) -> Value {
    claims_schema(value, description, &["value", "source", "quote"])
}

fn claims_schema(value: Value, description: &str, required: &[&str]) -> Value {
    let mut silent_required: Vec<&str> =
        required.iter().copied().filter(|r| *r != "quote").collect();
    silent_required.push("searched");
    // Whom a claim applies to: checked against the policy's `audience:` when both are loaded.
    let applies_to = json!({
        "type": "array",
        "minItems": 1,
        "items": {"type": "string", "pattern": ID},
        "description": "whom the claim applies to: business or consumer and/or regions the policy's `audience:` lists (e.g. [consumer, eu]); only claims that apply to the organization decide"
    });
    let stated = json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": {
            "value": value,
            "source": {"type": "string", "description": "a source id from `sources:`"},
            "section": {"type": ["string", "number"]},
            "quote": {"type": "string", "description": "verbatim text of the source's snapshot: whole words, at least 6 of them (unless a whole heading, list item or table cell), and stating the value"},
            "note": {"type": "string"},
            "draft": {"type": "boolean", "description": "proposed by `diligence extract`; never counts until a reviewer removes it"},
            "applies_to": applies_to.clone(),
            "allowed_if": {"type": "string", "description": "only on `prohibited_data`: the condition under which the data is allowed after all (e.g. a signed BAA)"},
            "exceptions": {
                "type": "array",
                "description": "carve-outs from the promise, each quoted verbatim from the same source and verified like the claim's quote; rules report them instead of passing",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["quote"],
                    "properties": {
                        "quote": {"type": "string"},
                        "section": {"type": ["string", "number"]},
                        "note": {"type": "string"}
                    }
                }
            }
        }
    });
    // Verified silence: the source was read and says nothing of the fact.
    let silent = json!({
        "type": "object",
        "additionalProperties": false,
        "required": silent_required,
        "properties": {
            "value": {"const": NOT_STATED, "description": "the source says nothing of this fact"},
            "source": {"type": "string", "description": "a source id from `sources:`"},
            "section": {"type": ["string", "number"]},
            "quote": {"type": "string"},
            "searched": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string", "minLength": 1},
                "description": "the words looked for and not found; check verifies that none occurs in the snapshot"
            },
            "note": {"type": "string"},
            "draft": {"type": "boolean", "description": "proposed by `diligence extract`; never counts until a reviewer removes it"},
            "applies_to": applies_to
        }
    });
    json!({
        "description": description,
        "anyOf": [
            value,
            {"type": "array", "items": {"anyOf": [stated, silent]}}
        ]
    })
}

pub fn profile() -> Value {
    let mut facts = Map::new();
    for f in FACTS {
        facts.insert(
            f.name.into(),
            fact_schema(value_schema(f.ty), f.description),
        );
    }
    facts.insert(
        "custom".into(),
        json!({"type": "object", "description": "your own facts: any name, any value; rules read them as fact(\"custom.NAME\")",
               "additionalProperties": fact_schema(json!({}), "a custom fact")}),
    );
    let authorities: Vec<&str> = Authority::NAMED.iter().map(|a| a.as_str()).collect();
    json!({
        "$schema": DRAFT,
        "title": "diligence vendor profile (vendors/<id>/profile.yaml)",
        "type": "object",
        "additionalProperties": false,
        "required": ["vendor", "name", "offerings"],
        "properties": {
            "vendor": {"type": "string", "pattern": ID, "description": "must equal the folder name"},
            "name": {"type": "string"},
            "reviewed": {"type": "string", "pattern": DATE, "description": "when a person last checked these facts"},
            "reviewers": {"type": "array", "items": {"type": "string"}, "description": "who reviewed these facts (shown on the decision brief)"},
            "notes": {"type": "string"},
            "precedence": {"type": "array", "items": {"type": "string", "pattern": ID}, "uniqueItems": true, "description": "the vendor's own order of precedence between its documents (source ids, the one that prevails first): decides before the authority order"},
            "sources": {
                "type": "object",
                "propertyNames": {"pattern": ID},
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["title", "authority"],
                    "properties": {
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "authority": {"enum": authorities},
                        "last_updated": {"type": "string", "pattern": DATE},
                        "retrieved": {"type": "string", "pattern": DATE},
                        "snapshot": {"type": "string", "pattern": "^(\\./)?sources/.+", "description": "archived copy of the document: a regular file under the vendor's sources/ folder"},
                        "sha256": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"},
                        "archive_repository": {"type": "string", "description": "the Open Terms Archive versions repository the snapshot came from"},
                        "archive_path": {"type": "string", "description": "the document's path in that repository"},
                        "archive_commit": {"type": "string", "description": "the commit that recorded the version"},
                        "archive_recorded": {"type": "string", "pattern": DATE, "description": "the day the archive recorded the version"},
                        "status": {"enum": crate::model::documents::STATUSES, "description": "current (default); missing: incorporated by reference but not obtained (needs no snapshot, no quote may cite it); superseded: replaced by a newer version (its claims never decide)"},
                        "notes": {"type": "string"}
                    }
                }
            },
            "offerings": {
                "type": "object",
                "propertyNames": {"pattern": ID},
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name", "tier"],
                    "properties": {
                        "name": {"type": "string"},
                        "tier": {"enum": TIERS},
                        "notes": {"type": "string"},
                        "facts": {"type": "object", "additionalProperties": false, "properties": facts}
                    }
                }
            }
        }
    })
}

pub fn requirements() -> Value {
    requirement_set(false)
}

/// `nullable`: rule tests may unset a requirement with `~`.
fn requirement_set(nullable: bool) -> Value {
    let mut props = Map::new();
    for r in REQUIREMENTS {
        let mut s = value_schema(r.ty);
        if nullable {
            s = json!({"anyOf": [s, {"type": "null"}]});
        }
        if let Some(obj) = s.as_object_mut() {
            obj.insert("description".into(), Value::from(r.description));
        }
        props.insert(r.name.into(), s);
    }
    json!({"type": "object", "additionalProperties": false, "properties": props})
}

pub fn policy() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "diligence policy (policies/<name>.yaml)",
        "type": "object",
        "additionalProperties": false,
        "required": ["organization", "classifications"],
        "properties": {
            "organization": {"type": "string"},
            "audience": {
                "type": "object",
                "description": "who the organization is, for claims with `applies_to:`",
                "additionalProperties": false,
                "required": ["kind"],
                "properties": {
                    "kind": {"enum": ["business", "consumer"]},
                    "regions": {"type": "array", "items": {"type": "string", "pattern": ID}, "description": "regions the organization is in"},
                    "other_regions": {"type": "array", "items": {"type": "string", "pattern": ID}, "description": "other regions claims may name"}
                }
            },
            "description": {"type": "string"},
            "evidence_max_age_days": {"type": "integer", "minimum": 1},
            "review_interval_days": {"type": "integer", "minimum": 1},
            "review_cadence": {
                "type": "object",
                "description": "how long a decision holds before its review (`diligence decide`, `diligence status`)",
                "additionalProperties": false,
                "properties": {
                    "warn_days": {"type": "integer", "minimum": 0, "description": "days before a review, condition or waiver date that `status` warns (default 30)"},
                    "classifications": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}, "description": "months per classification (a class without one takes its parent's; default 12)"},
                    "tags": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}, "description": "months per data tag (the shortest of the class and the tags applies)"}
                }
            },
            "classifications": {
                "type": "object",
                "description": "ordered, least sensitive first",
                "additionalProperties": {
                    "type": ["object", "null"],
                    "additionalProperties": false,
                    "properties": {
                        "description": {"type": "string"},
                        "inherits": {"type": "string"},
                        "require": requirements()
                    }
                }
            },
            "tags": {
                "type": "object",
                "additionalProperties": {
                    "type": ["object", "null"],
                    "additionalProperties": false,
                    "properties": {"description": {"type": "string"}, "require": requirements()}
                }
            },
            "waivers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["rule", "vendor", "reason", "approved_by", "expires"],
                    "properties": {
                        "rule": {"type": "string"},
                        "vendor": {"type": "string"},
                        "offering": {"type": "string"},
                        "classification": {"type": "string"},
                        "reason": {"type": "string", "minLength": 1},
                        "approved_by": {"type": "string", "minLength": 1},
                        "expires": {"type": "string", "pattern": DATE}
                    }
                }
            },
            "evidence_checks": {
                "description": "Built-in checks of the evidence itself to run on every offering.",
                "type": "array",
                "uniqueItems": true,
                "items": {"enum": crate::model::checks::CHECKS.iter().map(|c| c.id).collect::<Vec<_>>()}
            },
            "frameworks": {
                "description": "The frameworks the organization answers to: `check` warns of a rule that cites none of them.",
                "type": "array",
                "uniqueItems": true,
                "items": {"enum": crate::model::vocabulary::frameworks::FRAMEWORKS.iter().map(|f| f.id).collect::<Vec<_>>()}
            }
        }
    })
}

/// Rule test files (`scripts/<rule>.test.yaml`): a list of cases.
pub fn tests() -> Value {
    // In test cases claims need no quote (there is no snapshot to check it against).
    let mut facts = Map::new();
    for f in FACTS {
        facts.insert(
            f.name.into(),
            claims_schema(value_schema(f.ty), f.description, &["value"]),
        );
    }
    facts.insert(
        "custom".into(),
        json!({"type": "object", "additionalProperties": claims_schema(json!({}), "a custom fact", &["value"])}),
    );
    let levels = ["pass", "info", "warn", "condition", "hold", "block"];
    let authorities: Vec<&str> = Authority::NAMED
        .iter()
        .map(|a| a.as_str())
        .chain(["unsupported"])
        .collect();
    json!({
        "$schema": DRAFT,
        "title": "diligence rule tests (scripts/<rule>.test.yaml)",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "expect"],
            "properties": {
                "name": {"type": "string"},
                "classification": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "require": requirement_set(true),
                "tier": {"enum": TIERS},
                "today": {"type": "string", "pattern": DATE},
                "reviewed": {"type": "string", "pattern": DATE},
                "policy": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "evidence_max_age_days": {"type": ["integer", "null"], "minimum": 1},
                        "review_interval_days": {"type": ["integer", "null"], "minimum": 1}
                    }
                },
                "authority": {"enum": authorities},
                "sources": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "title": {"type": "string"},
                            "url": {"type": "string"},
                            "authority": {"enum": authorities},
                            "last_updated": {"type": "string", "pattern": DATE},
                            "retrieved": {"type": "string", "pattern": DATE}
                        }
                    }
                },
                "facts": {"type": ["object", "null"], "additionalProperties": false, "properties": facts},
                "providers": {
                    "type": "object",
                    "description": "the verdict, at the case's classification, of each `vendor/offering` the case's `providers` fact names",
                    "additionalProperties": {"enum": ["go", "conditional", "hold", "no-go"]}
                },
                "expect": {
                    "type": "object",
                    "additionalProperties": false,
                    "minProperties": 1,
                    "properties": {
                        "verdict": {"enum": ["go", "conditional", "hold", "no-go"]},
                        "findings": {"type": "array", "items": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["level"],
                            "properties": {
                                "level": {"enum": levels},
                                "message": {"type": "string"},
                                "action": {"type": "string"}
                            }
                        }},
                        "absent": {"type": "array", "items": {"enum": levels}}
                    }
                }
            }
        }
    })
}

/// A register of decisions (`decisions/<vendor>/<offering>.yaml`), as `decide` writes it.
pub fn decision() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "diligence decisions (decisions/<vendor>/<offering>.yaml)",
        "type": "object",
        "additionalProperties": false,
        "required": ["vendor", "offering", "decisions"],
        "properties": {
            "vendor": {"type": "string", "pattern": ID},
            "offering": {"type": "string", "pattern": ID},
            "decisions": {"type": ["array", "null"], "items": decision_entry()}
        }
    })
}

fn fingerprint_schema() -> Value {
    json!({
        "type": "object", "additionalProperties": false, "required": ["digest"],
        "description": "what the verdict rested on; written by `decide`, never by hand",
        "properties": {
            "digest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
            "facts": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": false, "required": ["value", "claims"],
                "properties": {"value": {}, "claims": {"type": "string"}}
            }},
            "snapshots": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": false, "required": ["file", "sha256"],
                "properties": {"file": {"type": "string"}, "sha256": {"type": "string"}}
            }},
            "rules": {"type": "object", "additionalProperties": {"type": "string"}},
            "requirements": {"type": "object"}
        }
    })
}

fn decision_entry() -> Value {
    let name = json!({"type": "string", "minLength": 1});
    json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["date", "outcome", "classification", "by", "verdict", "review_by", "fingerprint"],
                "properties": {
                    "date": {"type": "string", "pattern": DATE},
                    "outcome": {"enum": ["approved", "approved_with_conditions", "rejected"]},
                    "classification": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "policy": {"type": "string"},
                    "by": {"type": "array", "minItems": 1, "items": {
                        "type": "object", "additionalProperties": false, "required": ["name"],
                        "properties": {"name": name, "role": {"type": "string"}}
                    }},
                    "ref": {"type": "string"},
                    "note": {"type": "string"},
                    "override": {"type": "string", "description": "why a hold or no-go verdict was approved"},
                    "supersedes": {"type": "string", "pattern": DATE},
                    "verdict": {"enum": ["go", "conditional", "hold", "no-go"]},
                    "findings": {"type": "array", "items": {
                        "type": "object", "additionalProperties": false, "required": ["rule", "level", "message"],
                        "properties": {"rule": {"type": "string"}, "level": {"type": "string"}, "message": {"type": "string"}}
                    }},
                    "conditions": {"type": "array", "items": {
                        "type": "object", "additionalProperties": false,
                        "required": ["text", "owner", "due", "status"],
                        "properties": {
                            "text": {"type": "string"},
                            "rule": {"type": "string"},
                            "owner": name,
                            "due": {"type": "string", "pattern": DATE},
                            "status": {"enum": ["open", "met", "waived"]},
                            "evidence": {"type": "string"},
                            "met": {"type": "string", "pattern": DATE}
                        }
                    }},
                    "review_by": {"type": "string", "pattern": DATE},
                    "fingerprint": fingerprint_schema()
                }
    })
}

/// What `evaluate --format json` writes (version 3 of the contract), and each line of
/// `--format jsonl` (an offering, with its `schema_version`): one schema for both.
pub fn results() -> Value {
    let level = json!({"enum": ["pass", "info", "warn", "condition", "hold", "block"]});
    let verdict = json!({"enum": ["go", "conditional", "hold", "no-go", "error"]});
    let mut authorities: Vec<&str> = Authority::NAMED.iter().map(|a| a.as_str()).collect();
    authorities.push(Authority::Unsupported.as_str());
    let index = json!({"type": "integer", "minimum": 0});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let rule_refs = json!({
        "description": "each rule's framework references (rules with none are left out); a finding without `refs` has its rule's",
        "type": "object",
        "additionalProperties": strings
    });
    let source = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "authority"],
        "properties": {
            "id": {"type": "string", "description": "the source's id in the profile"},
            "authority": {"enum": authorities},
            "title": {"type": "string"},
            "url": {"type": "string"},
            "notes": {"type": "string", "description": "the reviewer's notes on the source"}
        }
    });
    let evidence = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["fact", "at", "value", "role"],
        "properties": {
            "fact": {"type": "string"},
            "source": {"description": "index into the offering's `sources`; absent for a bare value", "type": "integer", "minimum": 0},
            "authority": {"enum": authorities, "description": "a bare value's (no source); a source's authority is in `sources`"},
            "section": {"type": "string"},
            "quote": {"type": "string"},
            "at": {"type": "string", "description": "vendors/<id>/profile.yaml:LINE:COL of the claim"},
            "value": {},
            "role": {"enum": ["decides", "conflicts", "agrees", "outvoted", "unverified", "silent", "not_applicable", "superseded"]},
            "note": {"type": "string"},
            "searched": strings,
            "exceptions": {"type": "array", "items": {"type": "object", "required": ["quote"]}},
            "allowed_if": {"type": "string"}
        }
    });
    let finding = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["rule", "level", "message", "raised_at"],
        "properties": {
            "rule": {"type": "string"},
            "level": level,
            "message": {"type": "string"},
            "action": {"type": "string"},
            "waived": {
                "type": "object",
                "required": ["reason", "approved_by", "expires"],
                "properties": {
                    "reason": {"type": "string"},
                    "approved_by": {"type": "string"},
                    "expires": {"type": "string"}
                }
            },
            "refs": {"description": "only where they differ from the rule's `rule_refs`", "type": "array", "items": {"type": "string"}},
            "facts": {"type": "object", "description": "the resolved value of each fact cited (absent: none)"},
            "evidence": {"description": "indexes into the offering's `evidence` (absent: none)", "type": "array", "items": index},
            "raised_at": {"type": "string"}
        }
    });
    let result = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["classification", "verdict", "findings"],
        "properties": {
            "classification": {"type": "string"},
            "tags": {"description": "only where they differ from the offering's", "type": "array", "items": {"type": "string"}},
            "verdict": verdict,
            "findings": {"description": "indexes into the offering's `findings`, in the result's order", "type": "array", "items": index},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["rule", "message", "at"],
                    "properties": {
                        "rule": {"type": "string"},
                        "message": {"type": "string"},
                        "at": {"type": "string"}
                    }
                }
            },
            "decision": {"type": "object"}
        }
    });
    let offering = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["vendor", "vendor_name", "offering", "offering_name", "tier", "tags", "results", "findings"],
        "properties": {
            "schema_version": {"const": 3},
            "vendor": {"type": "string"},
            "vendor_name": {"type": "string"},
            "offering": {"type": "string"},
            "offering_name": {"type": "string"},
            "tier": {"type": "string"},
            "vendor_notes": {"type": "string"},
            "offering_notes": {"type": "string"},
            "tags": strings,
            "results": {"description": "one per classification, in the run's order", "type": "array", "items": {"$ref": "#/$defs/result"}},
            "findings": {"description": "the offering's distinct findings, each once", "type": "array", "items": {"$ref": "#/$defs/finding"}},
            "evidence": {"description": "each claim the findings cite, once", "type": "array", "items": {"$ref": "#/$defs/evidence"}},
            "sources": {"description": "each cited source's metadata, once", "type": "array", "items": {"$ref": "#/$defs/source"}},
            "rule_refs": rule_refs
        }
    });
    json!({
        "$schema": DRAFT,
        "title": "diligence evaluation results, JSON contract version 3 (`evaluate --format json`, or one line of `--format jsonl`)",
        "$defs": {"source": source, "evidence": evidence, "finding": finding, "result": result, "offering": offering},
        "oneOf": [
            {
                "description": "the document of `--format json`",
                "type": "object",
                "additionalProperties": false,
                "required": ["schema_version", "policy", "organization", "generated", "today", "classifications", "rules", "offerings", "warnings"],
                "properties": {
                    "schema_version": {"const": 3},
                    "policy": {"type": "string"},
                    "organization": {"type": "string"},
                    "generated": {"type": "string"},
                    "today": {"type": "string"},
                    "classifications": strings,
                    "rules": strings,
                    "rule_refs": rule_refs,
                    "offerings": {"type": "array", "items": {"$ref": "#/$defs/offering"}},
                    "warnings": strings
                }
            },
            {
                "description": "one line of `--format jsonl`: an offering",
                "allOf": [{"$ref": "#/$defs/offering"}],
                "required": ["schema_version"]
            }
        ]
    })
}
