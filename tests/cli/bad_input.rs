//! Bad input, as data: each case edits the sample workspace, runs one command, and expects exit
//! 2 with messages naming file:line:col and a hint, and nothing on stdout. One table instead of
//! one hand-written test per shape (as typos' and cedar's CLI tests do).

use crate::common;

use common::Ws;

struct Case {
    name: &'static str,
    /// (file, text to find, text to put instead)
    edits: &'static [(&'static str, &'static str, &'static str)],
    /// (file, content) to write
    writes: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    /// Every one of these must occur on stderr.
    expect: &'static [&'static str],
}

const PROFILE: &str = "vendors/acme/profile.yaml";
const POLICY: &str = "policies/default.yaml";

const CASES: &[Case] = &[
    Case {
        name: "a vendor where a command needs an offering",
        edits: &[],
        writes: &[],
        args: &["brief", "acme", "--class", "internal"],
        expect: &[
            "error: `acme` is not VENDOR/OFFERING: `brief` is about one offering",
            "hint: write VENDOR/OFFERING, e.g. perplexity/sonar-api",
        ],
    },
    Case {
        name: "an offering left out",
        edits: &[],
        writes: &[],
        args: &[
            "decide",
            "acme/",
            "--class",
            "internal",
            "--reject",
            "--by",
            "Sam Lee (DPO)",
        ],
        expect: &[
            "error: `acme/` is not VENDOR/OFFERING: `decide` is about one offering",
            "hint: write VENDOR/OFFERING, e.g. perplexity/sonar-api",
        ],
    },
    Case {
        name: "misspelt fact",
        edits: &[(PROFILE, "retention_days:", "retention_dayz:")],
        writes: &[],
        args: &["evaluate"],
        expect: &[
            "vendors/acme/profile.yaml:20:7: error: unknown fact `retention_dayz`",
            "did you mean `retention_days`?",
        ],
    },
    Case {
        name: "misspelt field",
        edits: &[(PROFILE, "    title: Acme Terms", "    titel: Acme Terms")],
        writes: &[],
        args: &["check"],
        expect: &[
            "vendors/acme/profile.yaml:6:5: error: unknown field `titel`",
            "did you mean `title`?",
        ],
    },
    Case {
        name: "wrong type",
        edits: &[(PROFILE, "- value: 14", "- value: thirty")],
        writes: &[],
        args: &["evaluate"],
        expect: &[
            "vendors/acme/profile.yaml:21:18: error: fact `retention_days`: expected a whole number",
            "write the number in digits",
        ],
    },
    Case {
        name: "unknown authority",
        edits: &[(PROFILE, "authority: contract", "authority: contrat")],
        writes: &[],
        args: &["check"],
        expect: &[
            "authority `contrat` is not one of",
            "did you mean `contract`?",
        ],
    },
    Case {
        name: "unknown source",
        edits: &[(
            PROFILE,
            "source: terms\n          section: \"2.2\"",
            "source: term\n          section: \"2.2\"",
        )],
        writes: &[],
        args: &["check"],
        expect: &[
            "vendors/acme/profile.yaml:22:19: error: fact `retention_days`: source `term` is not defined",
            "did you mean `terms`?",
        ],
    },
    Case {
        name: "duplicate key",
        edits: &[(PROFILE, "name: Acme AI\n", "name: Acme AI\nname: Acme\n")],
        writes: &[],
        args: &["check"],
        expect: &["vendors/acme/profile.yaml:3:1: error: duplicate mapping key"],
    },
    Case {
        name: "inherits an unknown class",
        edits: &[(POLICY, "inherits: internal", "inherits: internl")],
        writes: &[],
        args: &["check"],
        expect: &[
            "policies/default.yaml:6:28: error: classification `confidential` inherits unknown classification `internl`",
            "did you mean `internal`?",
        ],
    },
    Case {
        name: "inherits itself",
        edits: &[(POLICY, "inherits: internal", "inherits: confidential")],
        writes: &[],
        args: &["evaluate"],
        expect: &["classification `confidential` inherits from itself"],
    },
    Case {
        name: "rule syntax error",
        edits: &[],
        writes: &[("scripts/broken.rhai", "//! Broken\nlet x = ;\n")],
        args: &["check"],
        expect: &["scripts/broken.rhai:2:9: error: rule does not compile"],
    },
    Case {
        name: "snapshot outside the vendor folder",
        edits: &[(
            PROFILE,
            "snapshot: sources/terms.md",
            "snapshot: ../../policies/default.yaml",
        )],
        writes: &[],
        args: &["check"],
        expect: &["snapshot `../../policies/default.yaml` is outside the vendor's folder"],
    },
    Case {
        name: "absolute snapshot path",
        edits: &[(
            PROFILE,
            "snapshot: sources/terms.md",
            "snapshot: /etc/passwd",
        )],
        writes: &[],
        args: &["check"],
        expect: &["snapshot `/etc/passwd` is outside the vendor's folder"],
    },
    Case {
        name: "unknown vendor on the command line",
        edits: &[],
        writes: &[],
        args: &["evaluate", "acmee"],
        expect: &["unknown vendor `acmee`", "did you mean `acme`?"],
    },
    Case {
        name: "unknown offering on the command line",
        edits: &[],
        writes: &[],
        args: &["evaluate", "acme/apii"],
        expect: &[
            "vendor `acme` has no offering `apii`",
            "did you mean `api`?",
        ],
    },
    Case {
        name: "unknown classification on the command line",
        edits: &[],
        writes: &[],
        args: &["evaluate", "--class", "confidentail"],
        expect: &[
            "no classification `confidentail`",
            "did you mean `confidential`?",
        ],
    },
    Case {
        name: "unknown tag on the command line",
        edits: &[],
        writes: &[],
        args: &["evaluate", "--tag", "ph"],
        expect: &["no tag `ph`", "did you mean `phi`?"],
    },
    Case {
        name: "unknown policy on the command line",
        edits: &[],
        writes: &[],
        args: &["evaluate", "--policy", "defualt"],
        expect: &["no policy `defualt`", "did you mean `default`?"],
    },
    Case {
        name: "unknown evidence check",
        edits: &[(
            POLICY,
            "classifications:",
            "evidence_checks: [stale-evidnce]\nclassifications:",
        )],
        writes: &[],
        args: &["evaluate"],
        expect: &[
            "policies/default.yaml:3:19: error: unknown evidence check `stale-evidnce`",
            "did you mean `stale-evidence`?",
        ],
    },
    Case {
        name: "audience the policy does not define",
        edits: &[
            (
                PROFILE,
                "          section: \"2.2\"\n",
                "          section: \"2.2\"\n          applies_to: [business, eea]\n",
            ),
            (
                POLICY,
                "organization: Test Org\n",
                "organization: Test Org\naudience: {kind: business, regions: [eu]}\n",
            ),
        ],
        writes: &[],
        args: &["evaluate"],
        expect: &[
            "vendors/acme/profile.yaml:24:34: error: fact `retention_days`: audience `eea` is not defined by policies/default.yaml",
            "add `eea` to `audience: other_regions:` in policies/default.yaml",
        ],
    },
    Case {
        name: "audience with no audience in the policy",
        edits: &[(
            PROFILE,
            "          section: \"2.2\"\n",
            "          section: \"2.2\"\n          applies_to: [consumer]\n",
        )],
        writes: &[],
        args: &["check"],
        expect: &[
            "vendors/acme/profile.yaml:24:24: error: fact `retention_days`: the claim applies to `consumer`, but policies/default.yaml does not say who the organization is",
            "audience: {kind: business",
        ],
    },
    Case {
        name: "unknown audience kind in the policy",
        edits: &[(
            POLICY,
            "organization: Test Org\n",
            "organization: Test Org\naudience: {kind: busines}\n",
        )],
        writes: &[],
        args: &["check"],
        expect: &[
            "policies/default.yaml:2:18: error: audience: kind `busines` is not one of: business, consumer",
            "did you mean `business`?",
        ],
    },
    Case {
        name: "quote citing a missing source",
        edits: &[
            (
                PROFILE,
                "    snapshot: sources/terms.md\n",
                "    snapshot: sources/terms.md\n  usage:\n    title: Acme Usage Policy\n    url: https://acme.example/usage\n    authority: contract\n    status: missing\n",
            ),
            (
                PROFILE,
                "source: terms\n          section: \"2.2\"",
                "source: usage\n          section: \"2.2\"",
            ),
        ],
        writes: &[],
        args: &["evaluate"],
        expect: &[
            "vendors/acme/profile.yaml:27:19: error: fact `retention_days`: source `usage` is missing (not obtained): no quote can cite it",
            "obtain \"Acme Usage Policy\" (https://acme.example/usage)",
        ],
    },
    Case {
        name: "precedence naming an unknown source",
        edits: &[(
            PROFILE,
            "reviewed: 2026-11-01\n",
            "reviewed: 2026-11-01\nprecedence: [term]\n",
        )],
        writes: &[],
        args: &["check"],
        expect: &[
            "vendors/acme/profile.yaml:4:14: error: precedence: source `term` is not defined in `sources:`",
            "did you mean `terms`?",
        ],
    },
    Case {
        name: "unknown source status",
        edits: &[(
            PROFILE,
            "    snapshot: sources/terms.md\n",
            "    snapshot: sources/terms.md\n    status: superseeded\n",
        )],
        writes: &[],
        args: &["check"],
        expect: &[
            "vendors/acme/profile.yaml:10:13: error: source `terms`: status `superseeded` is not one of: current, missing, superseded",
            "did you mean `superseded`?",
        ],
    },
    Case {
        name: "unknown qualitative value",
        edits: &[(PROFILE, "- value: 14", "- value: untill_deleted")],
        writes: &[],
        args: &["evaluate"],
        expect: &[
            "vendors/acme/profile.yaml:21:18: error: fact `retention_days`: expected a whole number (0 or more) or one of: indefinite, until_deleted, found the text `untill_deleted`",
            "did you mean `until_deleted`?",
        ],
    },
    Case {
        name: "exception without a quote",
        edits: &[(
            PROFILE,
            "quote: \"Acme deletes Customer Content within 14 days.\"",
            "quote: \"Acme deletes Customer Content within 14 days.\"\n          exceptions:\n            - section: \"2.3\"",
        )],
        writes: &[],
        args: &["evaluate"],
        expect: &[
            "vendors/acme/profile.yaml:26:15: error: fact `retention_days`: an exception has no `quote`",
            "copy the carve-out verbatim",
        ],
    },
];

#[test]
fn every_bad_input_exits_2_with_a_located_message_and_nothing_on_stdout() {
    let mut failures = Vec::new();
    for case in CASES {
        let ws = Ws::new();
        for (file, from, to) in case.edits {
            ws.edit(file, from, to);
        }
        for (file, text) in case.writes {
            ws.write(file, text);
        }
        let out = ws.cmd().args(case.args).output().expect("diligence runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(2) {
            failures.push(format!(
                "{}: exit {:?}\n{stderr}",
                case.name,
                out.status.code()
            ));
        }
        if !out.stdout.is_empty() {
            failures.push(format!("{}: stdout is not empty", case.name));
        }
        for expected in case.expect {
            if !stderr.contains(expected) {
                failures.push(format!("{}: no `{expected}` in:\n{stderr}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn not_a_workspace_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::diligence(dir.path())
        .arg("evaluate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a diligence workspace"), "{err}");
    assert!(err.contains("diligence init"), "{err}");
}
