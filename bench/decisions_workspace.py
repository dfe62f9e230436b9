#!/usr/bin/env python3
"""Writes a workspace of N synthetic vendors (one offering each), each with a decision in
decisions/, to measure `diligence status` at scale:

    python3 bench/decisions_workspace.py /tmp/decided 10000
    /usr/bin/time -v target/release/diligence -C /tmp/decided status --format jsonl \
        --today 2026-11-25 -o /tmp/status.jsonl

Vendors, sources and quotes are synthetic (acme-style), never a real vendor's terms. Each
decision records an empty evidence fingerprint with a correct digest, so every decision drifts
(every fact, rule and requirement counts as changed): the heaviest case for `status`.
"""
import hashlib
import json
import os
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SNAPSHOT = """# Terms of Service

**2.1 Training.** The provider shall not use Customer Content to train models.

2.2 Retention. The provider deletes Customer Content within 14 days.
"""

PROFILE = """vendor: {id}
name: Vendor {n}
reviewed: 2026-11-01
sources:
  terms:
    title: Terms of Service
    authority: contract
    retrieved: 2026-10-01
    snapshot: sources/terms.md
offerings:
  api:
    name: API
    tier: api
    facts:
      training_on_inputs:
        - value: never
          source: terms
          section: "2.1"
          quote: "The provider shall not use Customer Content to train models."
      retention_days:
        - value: 14
          source: terms
          section: "2.2"
          quote: "The provider deletes Customer Content within 14 days."
"""


def digest(body):
    text = json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def register(vendor):
    body = {
        "date": "2026-11-24",
        "outcome": "approved_with_conditions",
        "classification": "internal",
        "tags": [],
        "policy": "default",
        "verdict": "conditional",
        "review_by": "2027-11-24",
        "fingerprint": {"facts": {}, "snapshots": {}, "rules": {}, "requirements": {}},
    }
    return f"""vendor: "{vendor}"
offering: "api"
decisions:
  - date: 2026-11-24
    outcome: approved_with_conditions
    classification: "internal"
    tags: []
    policy: "default"
    by:
      - {{name: "Jane Doe", role: "CISO"}}
    verdict: conditional
    findings: []
    conditions:
      - text: "sign the DPA"
        owner: "Legal"
        due: 2026-12-31
        status: open
    review_by: 2027-11-24
    fingerprint:
      digest: "{digest(body)}"
      facts: {{}}
      snapshots: {{}}
      rules: {{}}
      requirements: {{}}
"""


def main():
    root, n = sys.argv[1], int(sys.argv[2])
    if os.path.exists(os.path.join(root, "vendors")):
        sys.exit(f"{root} already has a vendors/ folder")
    shutil.copytree(os.path.join(REPO, "policies"), os.path.join(root, "policies"))
    shutil.copytree(os.path.join(REPO, "scripts"), os.path.join(root, "scripts"))
    for i in range(n):
        vid = f"v{i:05d}"
        vdir = os.path.join(root, "vendors", vid)
        os.makedirs(os.path.join(vdir, "sources"))
        with open(os.path.join(vdir, "profile.yaml"), "w") as f:
            f.write(PROFILE.format(id=vid, n=i))
        with open(os.path.join(vdir, "sources", "terms.md"), "w") as f:
            f.write(SNAPSHOT)
        ddir = os.path.join(root, "decisions", vid)
        os.makedirs(ddir)
        with open(os.path.join(ddir, "api.yaml"), "w") as f:
            f.write(register(vid))


if __name__ == "__main__":
    main()
