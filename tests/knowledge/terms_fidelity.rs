//! What the documents say about whose terms apply: account linkage and consumer terms, each
//! changing a verdict the way a careful reviewer would. The vendor "Acme" and its terms are
//! fictional test text.

use crate::common;

use common::{TODAY, Ws, profile_with_facts, stdout_json};
use serde_json::Value;

const POLICY: &str = "organization: Test Org
evidence_max_age_days: 365
classifications:
  public: {}
  confidential: {require: {no_consumer_tier: true}}
";

const TERMS: &str = "# Acme API Terms\n\n**1. Scope.** These API Terms supplement the Acme Consumer Terms of Use, which also apply to your use of the API.\n\n**2. Accounts.** You access the API with the same account you use for the Acme chat app.\n";

fn ws(facts: &str, tier: &str) -> Ws {
    let ws = Ws::new();
    ws.write("policies/default.yaml", POLICY);
    ws.write("vendors/acme/sources/terms.md", TERMS);
    ws.only_bundled_rule("consumer-tier");
    ws.write(
        "vendors/acme/profile.yaml",
        &format!(
            "vendor: acme
name: Acme AI
reviewed: 2026-11-01
sources:
  terms:
    title: Acme API Terms
    authority: contract
    retrieved: 2026-10-01
    snapshot: sources/terms.md
offerings:
  api:
    name: Acme API
    tier: {tier}
    facts:
{facts}"
        ),
    );
    ws
}

fn confidential(ws: &Ws) -> Value {
    let out = stdout_json(ws.cmd().args([
        "evaluate",
        "acme/api",
        "--class",
        "confidential",
        "--format",
        "json",
        "--today",
        TODAY,
    ]));
    out["results"][0].clone()
}

const RESTS: &str = "      rests_on_consumer_terms:
        - value: \"yes\"
          source: terms
          section: \"1\"
          quote: \"These API Terms supplement the Acme Consumer Terms of Use, which also apply to your use of the API.\"
";

const LINKED: &str = "      consumer_account_linked:
        - value: \"yes\"
          source: terms
          section: \"2\"
          quote: \"You access the API with the same account you use for the Acme chat app.\"
";

#[test]
fn an_api_label_alone_passes_but_says_it_is_only_a_label() {
    let r = confidential(&ws("      {}\n", "api"));
    assert_eq!(r["verdict"], "go", "{r}");
    let msg = r["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("no quoted claim says"), "{msg}");
    assert!(!msg.contains("business terms"), "{msg}");
}

#[test]
fn business_terms_that_rest_on_consumer_terms_turn_an_api_into_no_go() {
    let ws = ws(RESTS, "api");
    ws.cmd().arg("check").assert().success();
    let r = confidential(&ws);
    assert_eq!(r["verdict"], "no-go", "{r}");
    let f = &r["findings"][0];
    assert_eq!(f["level"], "block");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("consumer terms apply"),
        "{f}"
    );
    assert_eq!(f["evidence"][0]["section"], "1", "{f}");
}

#[test]
fn a_shared_consumer_account_makes_an_api_conditional() {
    let ws = ws(LINKED, "api");
    ws.cmd().arg("check").assert().success();
    let r = confidential(&ws);
    assert_eq!(r["verdict"], "conditional", "{r}");
    assert!(
        r["findings"][0]["action"]
            .as_str()
            .unwrap()
            .contains("account the organization creates"),
        "{r}"
    );
}

#[test]
fn an_unknown_tier_holds_and_asks_which_terms_apply() {
    let r = confidential(&ws("      {}\n", "unknown"));
    assert_eq!(r["verdict"], "hold", "{r}");
    assert!(
        r["findings"][0]["action"]
            .as_str()
            .unwrap()
            .contains("consumer terms apply"),
        "{r}"
    );
}

// Part of the audience: the same document gives EU consumers 30 days' notice and business
// customers none. Which claim decides depends on who the organization is.

const NOTICE_TERMS: &str = "# Acme Terms\n\n**9. Changes.** We will give consumers in the EU thirty (30) days' notice of changes to these Terms. Changes to these Terms take effect for business customers when posted, without notice.\n";

const NOTICE_FACTS: &str = "      terms_change_notice_days:
        - value: 30
          source: terms
          section: \"9\"
          quote: \"We will give consumers in the EU thirty (30) days' notice of changes to these Terms.\"
          applies_to: [consumer, eu]
        - value: 0
          source: terms
          section: \"9\"
          quote: \"Changes to these Terms take effect for business customers when posted, without notice.\"
          applies_to: [business]
";

fn notice_ws(audience: &str) -> Ws {
    let ws = Ws::new();
    ws.write(
        "policies/default.yaml",
        &format!(
            "organization: Test Org
{audience}classifications:
  confidential: {{require: {{min_terms_change_notice_days: 30}}}}
"
        ),
    );
    ws.write("vendors/acme/sources/terms.md", NOTICE_TERMS);
    ws.write(
        "vendors/acme/profile.yaml",
        &profile_with_facts(NOTICE_FACTS),
    );
    ws.only_bundled_rule("terms-change-notice");
    ws
}

#[test]
fn a_business_gets_the_notice_its_terms_give_business_customers() {
    let ws = notice_ws("audience: {kind: business, regions: [eu]}\n");
    ws.cmd().arg("check").assert().success();
    let r = confidential(&ws);
    assert_eq!(r["verdict"], "conditional", "{r}");
    let f = &r["findings"][0];
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("after 0 days' notice"),
        "{f}"
    );
    let roles: Vec<&str> = f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["not_applicable", "decides"], "{f}");
}

#[test]
fn an_eu_consumer_gets_the_thirty_days() {
    let r = confidential(&notice_ws("audience: {kind: consumer, regions: [eu]}\n"));
    assert_eq!(r["verdict"], "go", "{r}");
}

#[test]
fn a_claim_for_an_audience_the_policy_does_not_define_stops_every_command() {
    let ws = notice_ws("audience: {kind: business, regions: [uk]}\n");
    let out = ws
        .cmd()
        .args(["evaluate", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("vendors/acme/profile.yaml:20:34: error: fact `terms_change_notice_days`: audience `eu` is not defined by policies/default.yaml"),
        "{err}"
    );
    assert!(err.contains("other_regions"), "{err}");
}

// Documents: the vendor's own order of precedence, superseded versions, documents not obtained.

const DOCS_TERMS: &str = "# Acme Terms\n\n**5. Retention.** Acme retains Customer Content for 90 days after each request.\n";
const DOCS_DPA: &str = "# Acme DPA\n\n**3. Retention.** Acme retains Customer Content for 30 days after each request.\n\n**9. Precedence.** In the event of any conflict, this DPA shall prevail over the Terms.\n";

const RETENTION_RULE: &str = "//! Retention
//! Test rule: at most 30 days.
let days = fact(\"retention_days\");
if days == () { hold(\"retention is not known\", \"ask the vendor\"); }
else if days > 30 { block(`kept ${days} days`, \"do not send data\"); }
else { pass(`kept ${days} days`); }
";

fn docs_ws(precedence: &str, terms_status: &str) -> Ws {
    let ws = Ws::new();
    ws.write("policies/default.yaml", POLICY);
    ws.write("vendors/acme/sources/terms.md", DOCS_TERMS);
    ws.write("vendors/acme/sources/dpa.md", DOCS_DPA);
    std::fs::remove_file(ws.path().join("scripts/training.rhai")).unwrap();
    ws.write("scripts/retention.rhai", RETENTION_RULE);
    ws.write(
        "vendors/acme/profile.yaml",
        &format!(
            "vendor: acme
name: Acme AI
{precedence}sources:
  terms:
    title: Acme Terms
    authority: contract
    retrieved: 2026-10-01
    snapshot: sources/terms.md
{terms_status}  dpa:
    title: Acme DPA
    authority: dpa
    retrieved: 2026-10-01
    snapshot: sources/dpa.md
  usage-policy:
    title: Acme Usage Policy
    url: https://acme.example/usage
    authority: contract
    status: missing
offerings:
  api:
    name: Acme API
    tier: api
    facts:
      retention_days:
        - value: 90
          source: terms
          section: \"5\"
          quote: \"Acme retains Customer Content for 90 days after each request.\"
        - value: 30
          source: dpa
          section: \"3\"
          quote: \"Acme retains Customer Content for 30 days after each request.\"
"
        ),
    );
    ws
}

#[test]
fn by_authority_the_terms_decide_retention() {
    let r = confidential(&docs_ws("", ""));
    assert_eq!(r["verdict"], "no-go", "{r}");
}

#[test]
fn the_vendors_own_precedence_lets_its_dpa_prevail_over_its_terms() {
    let ws = docs_ws("precedence: [dpa, terms]\n", "");
    ws.cmd().arg("check").assert().success();
    let r = confidential(&ws);
    assert_eq!(r["verdict"], "go", "{r}");
    let f = &r["findings"][0];
    assert_eq!(f["message"], "kept 30 days", "{f}");
}

#[test]
fn a_superseded_document_no_longer_decides_and_check_says_so() {
    let ws = docs_ws("", "    status: superseded\n");
    let out = ws.cmd().arg("check").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cites `terms`, which is superseded"), "{err}");
    let r = confidential(&ws);
    assert_eq!(r["verdict"], "go", "{r}");
    let roles: Vec<&str> = r["findings"][0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["superseded", "decides"], "{r}");
}

#[test]
fn a_missing_document_is_asked_for_by_title_and_url() {
    let ws = docs_ws("", "");
    ws.write(
        "policies/default.yaml",
        &format!("{POLICY}evidence_checks: [missing-documents]\n"),
    );
    let r = confidential(&ws);
    let asks: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "missing-documents")
        .collect();
    assert_eq!(asks.len(), 1, "{r}");
    assert_eq!(asks[0]["level"], "warn");
    let action = asks[0]["action"].as_str().unwrap();
    assert!(
        action.contains("\"Acme Usage Policy\" at https://acme.example/usage"),
        "{action}"
    );
}

// Notes everywhere: the reviewer's notes on the vendor, the offering, a source and a claim reach
// every output.

fn noted_ws() -> Ws {
    let ws = Ws::new();
    ws.edit(
        "vendors/acme/profile.yaml",
        "name: Acme AI\n",
        "name: Acme AI\nnotes: VENDOR-NOTE pilot owner is the data team\n",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "    snapshot: sources/terms.md\n",
        "    snapshot: sources/terms.md\n    notes: SOURCE-NOTE the version the sales team sent\n",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "    tier: api\n",
        "    tier: api\n    notes: OFFERING-NOTE only the EU region is in scope\n",
    );
    ws.edit(
        "vendors/acme/profile.yaml",
        "          section: \"2.1\"\n",
        "          section: \"2.1\"\n          note: CLAIM-NOTE confirmed on the sales call\n",
    );
    ws
}

const NOTES: [&str; 4] = ["VENDOR-NOTE", "OFFERING-NOTE", "SOURCE-NOTE", "CLAIM-NOTE"];

fn output(ws: &Ws, args: &[&str]) -> String {
    let out = ws
        .cmd()
        .args(args)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn notes_reach_every_output() {
    let ws = noted_ws();
    ws.cmd().arg("check").assert().success();
    for format in ["table", "markdown", "html", "csv", "json"] {
        let text = output(&ws, &["evaluate", "--format", format, "-v"]);
        for note in NOTES {
            assert!(text.contains(note), "{format} lacks {note}:\n{text}");
        }
    }
    let explain = output(&ws, &["explain", "acme/api"]);
    for note in NOTES {
        assert!(explain.contains(note), "explain lacks {note}:\n{explain}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("review.xlsx");
    ws.cmd()
        .args(["evaluate", "--format", "xlsx", "--today", TODAY, "--output"])
        .arg(&file)
        .assert()
        .success();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let mut cells = String::new();
    for name in book.sheet_names() {
        if let Ok(range) = book.worksheet_range(&name) {
            for row in range.rows() {
                for c in row {
                    cells.push_str(&c.to_string());
                    cells.push('\n');
                }
            }
        }
    }
    for note in NOTES {
        assert!(cells.contains(note), "xlsx lacks {note}");
    }
}
