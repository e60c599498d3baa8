"""Each indicator both ways: a repository where everything is found, and one where nothing is."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from dpghub.core.screening import Finding, Status, screen
from tests.core.screening.helpers import MIT, make_plain, make_repo

PINNED = "0123456789abcdef0123456789abcdef01234567"
README = """# Clinic Records

Clinic Records keeps patient health records for rural clinics and health workers. It helps
clinics follow each patient through vaccination campaigns and reports disease outbreaks.
""" + "It is built for ministries of health and community health programmes. " * 12 + """

## Installation

Run `pip install clinic-records` and create a database.

## Usage

Open the web interface and register patients.

## Deployment

Use the Docker image in production; see the docs folder.

Reports can be exported as CSV and JSON from the admin pages.
"""
WORKFLOW = f"""name: ci
on:
  pull_request_target:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{{{ github.event.pull_request.head.sha }}}}
      - uses: actions/setup-python@{PINNED}
      - run: |
          echo "${{{{ github.event.issue.title }}}}"
"""
RICH = {
    "LICENSE": MIT,
    "README.md": README,
    "package.json": json.dumps({"name": "clinic", "license": "MIT",
                                "dependencies": {"express": "^4.0.0", "firebase": "^10.0.0"},
                                "devDependencies": {"jest": "^29"}}, indent=2),
    "node_modules/left-pad/package.json": json.dumps({"name": "left-pad", "license": "UNLICENSED"}),
    "node_modules/express/package.json": json.dumps({"name": "express", "license": "MIT"}),
    "docs/privacy-policy.md": "# Privacy policy\n\nWe follow the GDPR.\n",
    "docs/moderation.md": "# Moderation\n\nUsers can report inappropriate content to the moderators.\n",
    "docs/install.md": "# Install\n",
    "src/fhir_client.py": "# Talks to a FHIR R4 server.\nfrom fhir.resources import Patient\n",
    "openapi.yaml": "openapi: 3.0.3\ninfo:\n  title: Clinic Records API\n",
    "SECURITY.md": "# Security\n\nReport vulnerabilities to security@example.org.\n",
    "CODE_OF_CONDUCT.md": "# Code of conduct\n\nHarassment is not tolerated. Report it to conduct@example.org.\n",
    ".github/workflows/ci.yml": WORKFLOW,
    ".github/dependabot.yml": "version: 2\n",
    "Dockerfile": "FROM python:3.11\nRUN true\n",
    "bin/tool.exe": b"MZ\x90\x00\x03\x00\x00\x00",
}


@pytest.fixture(scope="module")
def rich_report(tmp_path_factory):
    repo = make_repo(tmp_path_factory.mktemp("rich") / "repo", RICH)
    return screen(str(repo))


def statuses(report) -> dict[str, tuple[str, str]]:
    return {f.indicator: (f.status.value, f.code) for f in report.findings}


def test_every_indicator_found(rich_report):
    assert statuses(rich_report) == {
        "1": ("needs_human", "sdg.suggested"),
        "2": ("met", "license.approved"),
        "3": ("met", "ownership.copyright_holder"),
        "4": ("needs_human", "deps.review_needed"),
        "5": ("met", "docs.complete"),
        "6": ("met", "data.api_or_export_documented"),
        "7": ("likely_met", "privacy.policy_found"),
        "8": ("likely_met", "standards.referenced"),
        "9a": ("likely_met", "harm.security_policy"),
        "9b": ("likely_met", "harm.moderation_policy"),
        "9c": ("likely_met", "harm.code_of_conduct"),
    }


def test_details_of_found_evidence(rich_report):
    assert rich_report.finding("1").data["suggested_sdgs"][0] == 3
    ownership = rich_report.finding("3")
    assert ownership.data["holders"] == ["Example Foundation"]
    assert ownership.evidence[0].path == "LICENSE" and ownership.evidence[0].line == 3
    deps = rich_report.finding("4")
    assert {(f["dependency"], f["reason"]) for f in deps.data["flags"]} == {
        ("firebase", "proprietary_service"), ("left-pad", "closed_licence")}
    assert deps.data["direct_dependencies"] == 2 and deps.data["dev_dependencies"] == 1
    firebase = next(e for e in deps.evidence if e.excerpt.startswith("firebase"))
    assert (firebase.path, firebase.line) == ("package.json", 6)
    assert rich_report.finding("5").data["sections"] == ["deploy", "install", "usage"]
    assert rich_report.finding("6").data["api_specs"] == ["openapi.yaml"]
    assert rich_report.finding("7").data == {"policy_files": ["docs/privacy-policy.md"], "laws": ["GDPR"]}
    assert "FHIR" in rich_report.finding("8").data["standards"]
    assert rich_report.finding("9c").data["reporting_contact"] is True
    assert rich_report.licenses.root_expression == "MIT"
    assert rich_report.licenses.approval == "approved"
    assert rich_report.source_kind == "worktree" and len(rich_report.commit) == 40


def test_health_signals_of_rich_repo(rich_report):
    signals = {s.id: (s.status.value, s.value) for s in rich_report.health}
    assert signals["binary_artifacts"] == ("risk", 1)
    assert signals["pinned_dependencies"] == ("warning", "1/3")  # checkout@v4 and python:3.11 are not pinned
    assert signals["dangerous_workflow"] == ("risk", 2)
    assert signals["token_permissions"] == ("warning", 1)
    assert signals["dependency_update_tool"] == ("ok", True)
    assert signals["security_policy"] == ("ok", True)
    assert signals["last_commit"][0] == "ok"
    dangerous = rich_report.signal("dangerous_workflow").evidence
    assert [(e.path, e.line) for e in dangerous] == [(".github/workflows/ci.yml", 10), (".github/workflows/ci.yml", 13)]


def test_nothing_found(tmp_path):
    repo = make_repo(tmp_path / "bare", {"README.md": "# Tool\n\nA small tool.\n"})
    report = screen(str(repo))
    assert statuses(report) == {
        "1": ("needs_human", "sdg.no_suggestion"),
        "2": ("not_found", "license.not_found"),
        "3": ("not_found", "ownership.not_found"),
        "4": ("not_found", "deps.no_manifest"),
        "5": ("not_found", "docs.readme_thin"),
        "6": ("not_found", "data.not_found"),
        "7": ("not_found", "privacy.not_found"),
        "8": ("not_found", "standards.not_found"),
        "9a": ("not_found", "harm.security_missing"),
        "9b": ("not_found", "harm.moderation_missing"),
        "9c": ("not_found", "harm.conduct_missing"),
    }
    signals = {s.id: s.status.value for s in report.health}
    assert signals == {"binary_artifacts": "ok", "pinned_dependencies": "unknown", "dangerous_workflow": "unknown",
                       "token_permissions": "unknown", "dependency_update_tool": "warning",
                       "security_policy": "warning", "last_commit": "ok", "active_contributors_90d": "warning",
                       "bus_factor": "warning"}
    assert report.files_seen == 1


def test_no_readme_at_all(tmp_path):
    report = screen(str(make_plain(tmp_path / "p", {"main.py": "print(1)\n"})))
    assert report.finding("5").code == "docs.readme_missing"
    assert report.commit is None and report.source_kind == "plain"
    assert {s.id: s.status.value for s in report.health}["last_commit"] == "unknown"


_GPL2 = (Path(__file__).parents[3] / "src/dpghub/core/licensing/data/texts/gpl-2.0.txt").read_text().split("\n---\n", 1)[1]
_GPL2_LATER_HEADER = (
    "/*\n * This program is free software; you can redistribute it and/or modify\n"
    " * it under the terms of the GNU General Public License as published by\n"
    " * the Free Software Foundation; either version 2 of the License, or\n"
    " * (at your option) any later version.\n */\nint main(void) { return 0; }\n"
)


def test_source_headers_decide_or_later_for_a_bare_gnu_text(tmp_path):
    repo = make_repo(tmp_path / "gpl", {"LICENSE": _GPL2, "README.md": "# Tool\n\nA tool.\n",
                                        "src/main.c": _GPL2_LATER_HEADER, "src/util.c": _GPL2_LATER_HEADER})
    report = screen(str(repo))
    assert report.licenses.root_expression == "GPL-2.0-or-later"
    assert any("the headers of 2 of the 2 source files with a notice of the GPL-2.0" in n and "src/main.c line 3" in n
               for n in report.licenses.notes)


def test_vendored_source_headers_do_not_decide(tmp_path):
    repo = make_repo(tmp_path / "gpl", {"LICENSE": _GPL2, "README.md": "# Tool\n\nA tool.\n",
                                        "src/main.c": "int main(void) { return 0; }\n",
                                        "vendor/lib/lib.c": _GPL2_LATER_HEADER})
    report = screen(str(repo))
    assert report.licenses.root_expression == "GPL-2.0-only"
    assert report.licenses.notes == []


def test_licence_not_approved_fails(tmp_path):
    repo = make_plain(tmp_path / "nd", {"LICENSE": "Creative Commons Attribution-NoDerivatives 4.0\n"})
    finding = screen(str(repo), category="Open Content").finding("2")
    assert (finding.status, finding.code) == (Status.FAILED, "license.not_approved")
    assert finding.explanation == "CC-BY-ND-4.0 is not an approved licence for Open Content."


def test_declared_licence_conflict_needs_a_human(tmp_path):
    repo = make_plain(tmp_path / "c", {"LICENSE": MIT})
    report = screen(str(repo), declared=["Apache-2.0"])
    finding = report.finding("2")
    assert (finding.status, finding.code) == (Status.NEEDS_HUMAN, "license.conflict")
    assert report.licenses.conflicts == [
        "declared licence Apache-2.0 but the repository root has MIT (from LICENSE)"]
    assert report.licenses.declared == ["Apache-2.0"]


def test_manifest_disagreeing_with_the_licence_file_needs_a_human(tmp_path):
    manifest = json.dumps({"name": "x", "license": "Apache-2.0"})
    repo = make_plain(tmp_path / "c", {"LICENSE": MIT, "package.json": manifest})
    finding = screen(str(repo)).finding("2")
    assert (finding.status, finding.code) == (Status.NEEDS_HUMAN, "license.conflict")
    assert finding.data["conflicts"] == [
        "package.json says Apache-2.0 but the root licence file (LICENSE) contains MIT"]
    assert [(e.path, e.line) for e in finding.evidence] == [("LICENSE", 1)]


def test_manifest_licence_without_a_licence_file_is_likely_met(tmp_path):
    repo = make_plain(tmp_path / "m", {"package.json": json.dumps({"name": "x", "license": "MIT"})})
    finding = screen(str(repo)).finding("2")
    assert (finding.status, finding.code) == (Status.LIKELY_MET, "license.approved_without_file")
    assert finding.explanation == (
        "MIT (approved for Open Software) is declared, but no licence file holds its text.")
    assert (finding.evidence[0].path, finding.evidence[0].line) == ("package.json", 1)


def test_spdx_tag_alone_does_not_license_the_project(tmp_path):
    # a tag in one source file says nothing about the whole project: the root is left to a human
    repo = make_plain(tmp_path / "t", {"main.py": "# SPDX-License-Identifier: MIT\nprint(1)\n"})
    report = screen(str(repo))
    finding = report.finding("2")
    assert (finding.status, finding.code) == (Status.NEEDS_HUMAN, "license.ambiguous")
    assert finding.data == {"expressions": ["MIT"]}
    assert (finding.evidence[0].path, finding.evidence[0].line) == ("main.py", 1)
    assert report.licenses.root_expression is None and report.licenses.approval is None


def test_unknown_licence_text_needs_a_human(tmp_path):
    text = "You may use this software only on Tuesdays, and never sell it or any part of it to anyone.\n" * 3
    report = screen(str(make_plain(tmp_path / "u", {"LICENSE": text})))
    finding = report.finding("2")
    assert (finding.status, finding.code) == (Status.NEEDS_HUMAN, "license.approval_unknown")
    assert (report.licenses.root_expression, report.licenses.approval) == ("NOASSERTION", "unknown")
    assert finding.evidence[0].path == "LICENSE"


def test_model_card_needed_for_ai_models(tmp_path):
    files = {"README.md": README}
    without = screen(str(make_plain(tmp_path / "a", files)), category="Open AI Model").finding("5")
    assert (without.status, without.code) == (Status.LIKELY_MET, "docs.card_missing")
    with_card = screen(str(make_plain(tmp_path / "b", {**files, "MODEL_CARD.md": "# Model card\n"})),
                       category="open-ai-model").finding("5")
    assert (with_card.status, with_card.code) == (Status.MET, "docs.complete")


def test_ownership_from_governance_files_only_is_likely(tmp_path):
    repo = make_plain(tmp_path / "g", {"GOVERNANCE.md": "# Governance\n", ".github/CODEOWNERS": "* @team\n"})
    finding = screen(str(repo)).finding("3")
    assert (finding.status, finding.code) == (Status.LIKELY_MET, "ownership.partial")
    assert finding.data["files"] == ["GOVERNANCE.md", ".github/CODEOWNERS"]


def test_more_restrictive_vendored_dependency(tmp_path):
    repo = make_plain(tmp_path / "r", {
        "LICENSE": MIT,
        "package.json": json.dumps({"dependencies": {"gpl-lib": "1"}}),
        "node_modules/gpl-lib/package.json": json.dumps({"name": "gpl-lib", "license": "GPL-3.0-only"}),
        "node_modules/gpl-lib/index.js": "module.exports = 1\n",
    })
    finding = screen(str(repo)).finding("4")
    assert finding.data["flags"] == [{"dependency": "gpl-lib", "reason": "more_restrictive", "detail": "GPL-3.0-only"}]
    assert finding.evidence[0].path == "node_modules/gpl-lib/package.json"


def test_manifests_of_many_ecosystems(tmp_path):
    repo = make_plain(tmp_path / "m", {
        "requirements.txt": "django>=5\nrequests  # http\n-r other.txt\n",
        "go.mod": "module x\n\nrequire (\n\tgithub.com/aws/aws-sdk-go v1.0.0\n)\n",
        "Cargo.toml": "[dependencies]\nserde = '1'\n",
        "pom.xml": "<project><dependency><groupId>com.oracle</groupId><artifactId>ojdbc8</artifactId>"
                   "</dependency></project>",
        "DESCRIPTION": "Package: x\nImports: dplyr,\n    ggplot2 (>= 3.0)\n",
        "Gemfile": "gem 'rails'\n",
        "composer.json": json.dumps({"require": {"php": ">=8", "stripe/stripe-php": "^10"}}),
    })
    finding = screen(str(repo)).finding("4")
    assert finding.data["ecosystems"] == ["cargo", "cran", "go", "maven", "packagist", "pypi", "rubygems"]
    assert finding.data["direct_dependencies"] == 9
    assert sorted(f["dependency"] for f in finding.data["flags"]) == [
        "com.oracle:ojdbc8", "github.com/aws/aws-sdk-go", "stripe/stripe-php"]


def test_attested_indicators_can_never_be_met():
    for indicator in ("7", "8", "9a", "9b", "9c"):
        with pytest.raises(ValueError, match="cannot be 'met'"):
            Finding(indicator, Status.MET, "x.y", "no")
    assert Finding("2", Status.MET, "x.y", "fine").status is Status.MET


def _too_slow(signum, frame):
    raise TimeoutError("the licence matcher took more than 60 s on one MIT licence file")


def test_a_whole_mit_licence_file_is_met(tmp_path):
    text = Path(__file__).resolve().parents[3] / "src/dpghub/core/licensing/data/texts/mit.txt"
    body = text.read_text().split("---", 2)[2]  # drop the YAML front matter of choosealicense.com
    licence = body.strip().replace("[year]", "2024").replace("[fullname]", "Example Foundation") + "\n"
    repo = make_plain(tmp_path / "real", {"LICENSE": licence})
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(60)  # fail, do not hang, if the matcher loops
    try:
        report = screen(str(repo))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert report.licenses.available is True
    assert report.licenses.root_expression == "MIT"
    assert report.finding("2").status is Status.MET


def test_tests_and_fixtures_are_scanned_in_their_head_only(tmp_path):
    filler = "x = 1\n" * 1000  # 6 kB
    repo = make_plain(tmp_path / "low", {"tests/test_api.py": filler + "# FHIR\n", "src/api.py": filler + "# DHIS2\n"})
    assert screen(str(repo)).finding("8").data["standards"] == ["DHIS2"]


def test_build_output_and_generated_html_are_read_in_their_head_only(tmp_path):
    filler = "<p>text</p>\n" * 4000  # 48 kB
    repo = make_plain(tmp_path / "gen", {
        "dist/app.js": "var a = 1;\n" * 10_000 + "// FHIR\n",
        "docs/api/index.html": filler + "<p>OAuth 2.0</p>\n",
        "docs/guide.md": filler + "Uses DHIS2.\n",
    })
    report = screen(str(repo))
    assert report.finding("8").data["standards"] == ["DHIS2"]
    # the guide is read whole; of the bundle and the generated page only their windows
    assert report.bytes_read <= (repo / "docs/guide.md").stat().st_size + 32 * 1024 + 4096


def test_tree_text_limit_reads_only_the_start_and_keeps_whole_files_whole(tmp_path):
    from dpghub.core.screening.limits import Limits
    from dpghub.core.screening.tree import plain_tree

    repo = make_plain(tmp_path / "t", {"src/a.py": "a" * 10_000, "README.md": "b" * 10_000})
    tree = plain_tree(str(repo), Limits(), keep=lambda e: e.path == "README.md")
    assert tree.text("src/a.py", 100) == "a" * 100
    assert tree.stats.bytes_read == 100
    assert tree.text("README.md", 100) == "b" * 10_000  # kept files are read whole and cached
    assert tree.text("README.md") == "b" * 10_000


@pytest.mark.parametrize(("code", "found"), [
    ("export const a = 1;\nexport default function f() {}\n", False),
    ("function exportToCsv(rows) {}\n", True),
    ("df.to_csv('out.csv')\n", True),
    ("router.get('/api/v1/export/', handler)\n", True),
])
def test_export_code_needles_are_specific(tmp_path, code, found):
    repo = make_plain(tmp_path / "e", {"src/a.js": code})
    assert bool(screen(str(repo)).finding("6").data["export_code"]) is found
