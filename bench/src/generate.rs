//! Synthetic vendor profiles, written as a real workspace (YAML profiles and archived snapshots)
//! so that loading them exercises the real loader: YAML parsing, the fact vocabulary, snapshot
//! reading and quote verification.
//!
//! Every vendor is generated from its own random stream (seed and vendor number), so the first
//! 1,000 vendors of a 10,000-vendor run are the 1,000 vendors of a 1,000-vendor run.
//!
//! Each vendor has five sources: terms (contract), dpa (dpa), docs (docs) with a small snapshot
//! each, a trust-center page (trust_center, snapshot), and a third-party analysis (no snapshot:
//! its claims are leads). Each of its two offerings states most of the fact vocabulary, with a
//! mix of shapes: one first-party claim (most), a first-party claim outvoted or confirmed by a
//! third party, third-party only, a bare unsupported value, two equal-authority claims that
//! disagree (conflicting), a quote missing from its snapshot (the claim counts for nothing),
//! and facts left out (unknown). Some sources were retrieved more than a year ago (stale), some
//! certifications have expired or expire soon.

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, stream: u64) -> Rng {
        Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// Picks by weight.
    pub fn weighted<'a>(&mut self, items: &[(&'a str, u64)]) -> &'a str {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.below(total);
        for (item, w) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }
}

/// A date `days` before 2026-11-24 (the fixed "today" of the benchmark).
fn date_before_today(days: i64) -> String {
    let today = jiff::civil::date(2026, 11, 24);
    today
        .checked_sub(jiff::Span::new().days(days))
        .expect("date in range")
        .to_string()
}

fn date_after_today(days: i64) -> String {
    let today = jiff::civil::date(2026, 11, 24);
    today
        .checked_add(jiff::Span::new().days(days))
        .expect("date in range")
        .to_string()
}

/// Sources a claim may cite, with the snapshot file their quotes go into (None: unarchived).
const SOURCES: [(&str, &str, &str, Option<&str>); 5] = [
    ("terms", "Terms of Service", "contract", Some("terms.md")),
    ("dpa", "Data Processing Addendum", "dpa", Some("dpa.md")),
    (
        "docs",
        "Privacy & Security documentation",
        "docs",
        Some("docs.md"),
    ),
    ("trust", "Trust Center", "trust_center", Some("trust.md")),
    (
        "analysis",
        "Independent analysis of the terms",
        "third_party",
        None,
    ),
];

/// The facts an offering may state, the value generator and the first-party sources that
/// usually state them.
struct FactGen {
    name: &'static str,
    values: fn(&mut Rng) -> String,
    sources: &'static [&'static str],
}

fn pick(rng: &mut Rng, items: &[(&str, u64)]) -> String {
    rng.weighted(items).to_string()
}

fn training(rng: &mut Rng) -> String {
    pick(
        rng,
        &[
            ("never", 40),
            ("opt_in", 5),
            ("opt_out", 25),
            ("default_on", 15),
            ("negotiable", 15),
        ],
    )
}

fn days(rng: &mut Rng) -> String {
    ["0", "7", "14", "30", "30", "45", "90", "365"][rng.below(8) as usize].to_string()
}

fn hours(rng: &mut Rng) -> String {
    ["24", "48", "72", "72", "96", "168"][rng.below(6) as usize].to_string()
}

fn certifications(rng: &mut Rng) -> String {
    let names = [
        "SOC 2 Type II",
        "ISO 27001",
        "ISO 42001",
        "SOC 2 Type I",
        "ISO 27701",
    ];
    let n = 1 + rng.below(3) as usize;
    let first = if rng.chance(75) {
        0
    } else {
        1 + rng.below(4) as usize
    };
    let mut out = String::from("[");
    for k in 0..n {
        let name = names[(first + k) % names.len()];
        if k > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{{name: \"{name}\"");
        match rng.below(10) {
            0 => {
                let _ = write!(
                    out,
                    ", expires: {}",
                    date_before_today(30 + rng.below(300) as i64)
                );
            }
            1 => {
                let _ = write!(
                    out,
                    ", expires: {}",
                    date_after_today(1 + rng.below(60) as i64)
                );
            }
            2 | 3 => {}
            _ => {
                let _ = write!(
                    out,
                    ", expires: {}",
                    date_after_today(90 + rng.below(600) as i64)
                );
            }
        }
        if rng.chance(30) {
            out.push_str(", scope: \"production systems\"");
        }
        out.push('}');
    }
    out.push(']');
    out
}

const FACTS: &[FactGen] = &[
    FactGen {
        name: "training_on_inputs",
        values: training,
        sources: &["terms", "dpa", "docs"],
    },
    FactGen {
        name: "training_on_outputs",
        values: training,
        sources: &["terms", "docs"],
    },
    FactGen {
        name: "licence_scope",
        values: |r| {
            pick(
                r,
                &[
                    ("service_only", 45),
                    ("service_improvement", 25),
                    ("model_improvement", 20),
                    ("broad", 10),
                ],
            )
        },
        sources: &["terms"],
    },
    FactGen {
        name: "retention_days",
        values: days,
        sources: &["terms", "dpa", "docs"],
    },
    FactGen {
        name: "deletion_after_termination_days",
        // Never 0: the reader reads no "immediately upon termination" as a deadline yet.
        values: |r| ["7", "14", "30", "30", "45", "90", "365"][r.below(7) as usize].to_string(),
        sources: &["dpa", "terms"],
    },
    FactGen {
        name: "abuse_monitoring_retention_days",
        values: days,
        sources: &["docs", "terms"],
    },
    FactGen {
        name: "zero_data_retention",
        values: |r| {
            pick(
                r,
                &[
                    ("default", 20),
                    ("available", 30),
                    ("on_request", 25),
                    ("unavailable", 25),
                ],
            )
        },
        sources: &["docs", "terms", "dpa"],
    },
    FactGen {
        name: "human_review",
        values: |r| pick(r, &[("never", 35), ("safety_only", 45), ("may_review", 20)]),
        sources: &["docs", "terms"],
    },
    FactGen {
        name: "dpa",
        values: |r| {
            pick(
                r,
                &[
                    ("none", 10),
                    ("online", 45),
                    ("signed", 25),
                    ("negotiable", 20),
                ],
            )
        },
        sources: &["terms", "dpa"],
    },
    FactGen {
        name: "baa",
        values: |r| {
            pick(
                r,
                &[("available", 30), ("on_request", 40), ("unavailable", 30)],
            )
        },
        sources: &["terms", "docs"],
    },
    FactGen {
        name: "certifications",
        values: certifications,
        sources: &["trust", "docs"],
    },
    FactGen {
        name: "subprocessors_list",
        values: |r| pick(r, &[("published", 70), ("on_request", 20), ("none", 10)]),
        sources: &["dpa", "trust"],
    },
    FactGen {
        name: "transfer_mechanism",
        values: |r| {
            ["[scc]", "[scc, dpf]", "[adequacy]", "[dpf]", "[none]"][r.below(5) as usize]
                .to_string()
        },
        sources: &["dpa"],
    },
    FactGen {
        name: "data_residency",
        values: |r| ["[us]", "[eu]", "[us, eu]", "[eu, uk]"][r.below(4) as usize].to_string(),
        sources: &["docs", "dpa"],
    },
    FactGen {
        name: "output_ownership",
        values: |r| pick(r, &[("customer", 80), ("shared", 10), ("vendor", 10)]),
        sources: &["terms"],
    },
    FactGen {
        name: "ip_indemnity",
        values: |r| pick(r, &[("\"yes\"", 50), ("limited", 30), ("\"no\"", 20)]),
        sources: &["terms"],
    },
    FactGen {
        name: "terms_change_notice_days",
        values: |r| ["0", "14", "30", "30", "60"][r.below(5) as usize].to_string(),
        sources: &["terms"],
    },
    FactGen {
        name: "breach_notification_hours",
        values: hours,
        sources: &["dpa"],
    },
];

/// The sentence of a vendor's document that states `value` (as written in the profile's YAML)
/// for `fact`, the way terms write it, with the clause it comes from in brackets (not the
/// offering's name: "Developer API" would be read as part of what the clause says). The clause reader must read the value from it: a workspace whose quotes did not
/// support their values would have half its claims refused by `check` and count for nothing.
pub fn statement(fact: &str, value: &str, clause: &str) -> String {
    let plain = value.replace('"', "");
    let days = |n: &str, some: &str, zero: &str| {
        if n == "0" {
            zero.to_string()
        } else {
            some.replace("{n}", n)
        }
    };
    let training = |object: &str| match plain.as_str() {
        "never" => format!("We do not use {object} to train our models"),
        "opt_in" => {
            format!("We will not use {object} to train our models unless the customer opts in")
        }
        "opt_out" => {
            format!("We may use {object} to train our models unless the customer opts out")
        }
        "default_on" => format!("We use {object} to train our models"),
        _ => format!(
            "We will not use {object} to train our models unless the customer has opted in or has not opted out"
        ),
    };
    let places = |list: &str| {
        let names: Vec<&str> = list
            .trim_matches(['[', ']'])
            .split(',')
            .map(|p| match p.trim() {
                "us" => "the United States",
                "eu" => "the European Union",
                "uk" => "the United Kingdom",
                other => other,
            })
            .collect();
        names.join(" and ")
    };
    let sentence = match fact {
        "training_on_inputs" => training("customer inputs"),
        "training_on_outputs" => training("outputs generated for the customer"),
        "licence_scope" => match plain.as_str() {
            "service_only" => "The customer grants us a licence to use its content only to provide the service".into(),
            "service_improvement" => "The customer grants us a licence to use its content to provide and improve the service".into(),
            "model_improvement" => "The customer grants us a licence to use its content to provide the service and to train our models".into(),
            _ => "The customer grants us a perpetual, irrevocable, sublicensable licence to use its content for any purpose".into(),
        },
        "retention_days" => days(&plain, "We retain customer content for {n} days", "We do not retain customer content after the request is processed"),
        // (No deletion deadline of 0 days: the generator draws none, see `FACTS`.)
        "deletion_after_termination_days" => {
            format!("We delete customer content within {plain} days after termination")
        }
        "abuse_monitoring_retention_days" => days(
            &plain,
            "We retain inputs for abuse monitoring for {n} days",
            "We do not retain inputs for abuse monitoring",
        ),
        "zero_data_retention" => match plain.as_str() {
            "default" => "Zero data retention applies to all traffic by default".into(),
            "available" => "Zero data retention is available to customers".into(),
            "on_request" => "Zero data retention is available on request".into(),
            _ => "Zero data retention is not available".into(),
        },
        "human_review" => match plain.as_str() {
            "never" => "Our personnel never review customer content".into(),
            "safety_only" => "Our personnel review customer content only when it is flagged for abuse".into(),
            _ => "Our personnel may review customer content".into(),
        },
        "dpa" => match plain.as_str() {
            "none" => "We do not offer a data processing agreement".into(),
            "online" => "Our data processing agreement is published online and forms part of these terms".into(),
            "signed" => "We will execute a data processing agreement with the customer".into(),
            _ => "A data processing agreement is negotiated with each customer".into(),
        },
        "baa" => match plain.as_str() {
            "available" => "We offer a business associate agreement to customers".into(),
            "on_request" => "A business associate agreement can be signed on request".into(),
            _ => "We do not offer a business associate agreement".into(),
        },
        "certifications" => format!("The service is certified under {}", certificates(value)),
        "subprocessors_list" => match plain.as_str() {
            "published" => "Our subprocessors are listed on our website".into(),
            "on_request" => "We provide a list of our subprocessors on request".into(),
            _ => "We do not publish a list of our subprocessors".into(),
        },
        "transfer_mechanism" => match plain.as_str() {
            "[scc]" => "We rely on the Standard Contractual Clauses for transfers of personal data".into(),
            "[scc, dpf]" => "We rely on the Standard Contractual Clauses and the EU-U.S. Data Privacy Framework for transfers of personal data".into(),
            "[adequacy]" => "We rely on adequacy decisions for transfers of personal data".into(),
            "[dpf]" => "We rely on the EU-U.S. Data Privacy Framework for transfers of personal data".into(),
            _ => "We do not transfer personal data to other countries".into(),
        },
        "data_residency" => format!("We store customer data in {}", places(&plain)),
        "output_ownership" => match plain.as_str() {
            "customer" => "The customer owns all outputs".into(),
            "shared" => "The customer and we jointly own all outputs".into(),
            _ => "We own all outputs".into(),
        },
        "ip_indemnity" => match plain.as_str() {
            "yes" => "We will defend and indemnify the customer against third-party claims that outputs infringe intellectual property rights".into(),
            "limited" => "We will indemnify the customer against intellectual property claims, subject to the limitations in this section".into(),
            _ => "We do not indemnify the customer against intellectual property claims".into(),
        },
        "terms_change_notice_days" => days(
            &plain,
            "We will give at least {n} days' notice of changes to these terms",
            "Changes to these terms take effect immediately upon posting",
        ),
        "breach_notification_hours" => format!("We will notify the customer of a personal data breach within {plain} hours"),
        _ => format!("{fact}: {plain}"),
    };
    format!("{sentence} (clause {clause}).")
}

/// Certificates as a document names them: "SOC 2 Type II and ISO 27001 (valid until ...)".
fn certificates(value: &str) -> String {
    let mut named = Vec::new();
    for item in value.trim_matches(['[', ']']).split('}') {
        let mut name = "";
        let mut expires = None;
        for part in item.split(',') {
            let part = part.trim().trim_start_matches(['{', ',']).trim();
            if let Some(n) = part.strip_prefix("name:") {
                name = n.trim().trim_matches('"');
            } else if let Some(e) = part.strip_prefix("expires:") {
                expires = Some(e.trim());
            }
        }
        if name.is_empty() {
            continue;
        }
        named.push(match expires {
            Some(e) => format!("{name} (valid until {e})"),
            None => name.to_string(),
        });
    }
    named.join(" and ")
}

/// One generated vendor: its profile text and the snapshot files it quotes.
pub struct VendorFiles {
    pub id: String,
    pub profile: String,
    /// (file name under sources/, content)
    pub snapshots: Vec<(String, String)>,
}

/// What was generated, for the summary.
#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub facts: usize,
    pub claims: usize,
    pub unknown: usize,
    pub bare: usize,
    pub third_party_only: usize,
    pub conflicting: usize,
    pub outvoted: usize,
    pub broken_quotes: usize,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.facts += o.facts;
        self.claims += o.claims;
        self.unknown += o.unknown;
        self.bare += o.bare;
        self.third_party_only += o.third_party_only;
        self.conflicting += o.conflicting;
        self.outvoted += o.outvoted;
        self.broken_quotes += o.broken_quotes;
    }
}

pub fn vendor_id(i: usize) -> String {
    format!("v{i:06}")
}

/// Generates vendor number `i`.
pub fn vendor(seed: u64, i: usize) -> (VendorFiles, Counts) {
    let mut rng = Rng::new(seed, i as u64);
    let mut counts = Counts::default();
    let id = vendor_id(i);
    let display = format!("Vendor {i} Inc.");
    let mut y = String::with_capacity(8 * 1024);
    let _ = writeln!(y, "# Synthetic profile generated by diligence-bench");
    let _ = writeln!(y, "vendor: {id}");
    let _ = writeln!(y, "name: \"{display}\"");
    let _ = writeln!(y, "reviewed: {}", date_before_today(rng.below(400) as i64));
    let _ = writeln!(y, "sources:");
    for (sid, title, authority, snapshot) in SOURCES {
        let _ = writeln!(y, "  {sid}:");
        let _ = writeln!(y, "    title: \"{display} {title}\"");
        let _ = writeln!(y, "    url: https://example.com/{id}/{sid}");
        let _ = writeln!(y, "    authority: {authority}");
        let _ = writeln!(
            y,
            "    last_updated: {}",
            date_before_today(200 + rng.below(400) as i64)
        );
        // One source in ten was retrieved more than a year ago: its facts are stale.
        let age = if rng.chance(10) {
            370 + rng.below(300)
        } else {
            rng.below(200)
        };
        let _ = writeln!(y, "    retrieved: {}", date_before_today(age as i64));
        if let Some(file) = snapshot {
            let _ = writeln!(y, "    snapshot: sources/{file}");
        }
    }
    // Sentences each snapshot contains (the quotes that verify), and a little filler.
    let mut snap_text: Vec<(&str, String)> = SOURCES
        .iter()
        .filter_map(|(sid, title, _, f)| f.map(|_| (*sid, format!("# {display} {title}\n\n"))))
        .collect();
    let mut quote_n = 0usize;

    let _ = writeln!(y, "offerings:");
    let tiers: [(&str, &str, &str); 2] = if rng.chance(30) {
        [
            ("app", "Consumer app", "consumer"),
            ("api", "Developer API", "api"),
        ]
    } else {
        [
            ("api", "Developer API", "api"),
            ("enterprise", "Enterprise plan", "enterprise"),
        ]
    };
    for (oid, oname, tier) in tiers {
        let _ = writeln!(y, "  {oid}:");
        let _ = writeln!(y, "    name: \"{display} {oname}\"");
        let _ = writeln!(y, "    tier: {tier}");
        let _ = writeln!(y, "    facts:");
        for f in FACTS {
            counts.facts += 1;
            let shape = rng.below(100);
            if shape < 8 {
                counts.unknown += 1;
                continue; // not stated: unknown
            }
            let value = (f.values)(&mut rng);
            if shape < 16 {
                counts.bare += 1;
                counts.claims += 1;
                let _ = writeln!(y, "      {}: {value}", f.name);
                continue;
            }
            let _ = writeln!(y, "      {}:", f.name);
            let mut claim = |y: &mut String,
                             rng: &mut Rng,
                             counts: &mut Counts,
                             source: &str,
                             value: &str,
                             in_snapshot: bool| {
                quote_n += 1;
                counts.claims += 1;
                let quote = statement(f.name, value, &format!("{quote_n}.{}", rng.below(20)));
                let _ = writeln!(y, "        - value: {value}");
                let _ = writeln!(y, "          source: {source}");
                let _ = writeln!(y, "          section: \"{quote_n}\"");
                let _ = writeln!(y, "          quote: \"{quote}\"");
                if let Some((_, text)) = snap_text.iter_mut().find(|(s, _)| *s == source) {
                    if in_snapshot {
                        let _ = writeln!(text, "Section {quote_n}. {quote}\n");
                    } else {
                        counts.broken_quotes += 1;
                        let _ = writeln!(
                            text,
                            "Section {quote_n}. This clause was rewritten since the profile was reviewed.\n"
                        );
                    }
                }
            };
            let first = f.sources[rng.below(f.sources.len() as u64) as usize];
            if shape < 24 {
                // Only a third party says so.
                counts.third_party_only += 1;
                claim(&mut y, &mut rng, &mut counts, "analysis", &value, true);
            } else if shape < 30 {
                // Two claims of equal authority that disagree.
                counts.conflicting += 1;
                claim(&mut y, &mut rng, &mut counts, first, &value, true);
                let mut other = (f.values)(&mut rng);
                if other == value {
                    other = (f.values)(&mut rng);
                }
                claim(&mut y, &mut rng, &mut counts, first, &other, true);
            } else if shape < 42 {
                // First party, with a third party that disagrees (outvoted) or agrees.
                counts.outvoted += 1;
                claim(&mut y, &mut rng, &mut counts, first, &value, true);
                let other = (f.values)(&mut rng);
                claim(&mut y, &mut rng, &mut counts, "analysis", &other, true);
            } else if shape < 46 {
                // The document changed: the quote is no longer in the snapshot.
                claim(&mut y, &mut rng, &mut counts, first, &value, false);
            } else if shape < 52 {
                // Two first-party sources agree.
                claim(&mut y, &mut rng, &mut counts, first, &value, true);
                let second = f.sources[(rng.below(f.sources.len() as u64)) as usize];
                claim(&mut y, &mut rng, &mut counts, second, &value, true);
            } else {
                claim(&mut y, &mut rng, &mut counts, first, &value, true);
            }
        }
    }
    let snapshots = SOURCES
        .iter()
        .filter_map(|(sid, _, _, f)| {
            let file = (*f)?;
            let text = snap_text
                .iter()
                .find(|(s, _)| s == sid)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            Some((file.to_string(), text))
        })
        .collect();
    (
        VendorFiles {
            id,
            profile: y,
            snapshots,
        },
        counts,
    )
}

/// Writes a workspace: the repository's policies and rules, and `n` synthetic vendors.
pub fn write_workspace(
    root: &Path,
    repo: &Path,
    n: usize,
    seed: u64,
) -> std::io::Result<(Counts, u64)> {
    use rayon::prelude::*;
    for dir in ["policies", "scripts"] {
        std::fs::create_dir_all(root.join(dir))?;
        for entry in std::fs::read_dir(repo.join(dir))? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".yaml") || name.ends_with(".rhai") {
                std::fs::copy(entry.path(), root.join(dir).join(&*name))?;
            }
        }
    }
    let results: Vec<std::io::Result<(Counts, u64)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let (files, counts) = vendor(seed, i);
            let dir = root.join("vendors").join(&files.id);
            std::fs::create_dir_all(dir.join("sources"))?;
            let mut bytes = files.profile.len() as u64;
            std::fs::write(dir.join("profile.yaml"), &files.profile)?;
            for (name, text) in &files.snapshots {
                bytes += text.len() as u64;
                std::fs::write(dir.join("sources").join(name), text)?;
            }
            Ok((counts, bytes))
        })
        .collect();
    let mut total = Counts::default();
    let mut bytes = 0;
    for r in results {
        let (c, b) = r?;
        total.add(&c);
        bytes += b;
    }
    Ok((total, bytes))
}
