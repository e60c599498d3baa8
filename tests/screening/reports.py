"""Stored screenings for the web, API and browser tests, written as the screening job stores them.

The report is a literal copy of the engine's JSON shape (schema report-1.json), trimmed: the pages
and the API must show what is stored, whatever the engine's current version would compute.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dpghub.screening.models import ScreeningRun, ScreeningStatus

COMMIT = "27ff101d3d70c9d563aa207af4ab36a1d5a2746e"
REPOSITORY = "https://github.com/dhis2/dhis2-core"


def report_json(*, root: str = "GPL-3.0-only", commit: str = COMMIT, source: str = REPOSITORY) -> dict:
    def finding(indicator, name, status, code, explanation, evidence=()):
        return {"indicator": indicator, "name": name, "status": status, "code": code, "explanation": explanation,
                "evidence": list(evidence), "data": {}}

    return {
        "$schema": "https://dpghub.org/schemas/screening/report-1.json", "schema_version": "1.0", "tool": "dpghub",
        "tool_version": "0.1.0", "source": source, "source_kind": "git", "commit": commit,
        "screened_at": "2026-11-20T10:00:00Z", "duration_ms": 314, "category": "Open Software", "files_seen": 4,
        "bytes_read": 1219, "limits": {}, "limits_hit": [],
        "findings": [
            finding("1", "Relevance to Sustainable Development Goals", "needs_human", "sdg.no_suggestion",
                    "Relevance to the SDGs needs a human; the README gives no clear hint."),
            finding("2", "Use of approved open licence", "met", "license.approved",
                    f"The project is licensed {root}, an approved licence for Open Software.",
                    [{"path": "LICENSE", "line": 1, "excerpt": f"LICENSE: matches the {root} text"}]),
            finding("3", "Clear ownership", "met", "ownership.copyright_holder",
                    "The licence or notice names the copyright holder: Example Foundation.",
                    [{"path": "LICENSE", "line": 3, "excerpt": "Copyright (c) 2024 Example Foundation"}]),
            finding("4", "Platform independence", "not_found", "deps.no_manifest",
                    "No dependency manifest was found, so mandatory dependencies could not be listed."),
            finding("5", "Documentation", "likely_met", "docs.readme",
                    "The README explains installation and use.",
                    [{"path": "docs/install guide.md"}, {"url": "https://docs.dhis2.org/"},
                     {"url": "javascript:alert(1)"}]),
            finding("6", "Mechanism for extracting data and content", "failed", "data.check_failed",
                    "The API description could not be parsed."),
            finding("7", "Adherence to privacy and applicable laws", "not_found", "privacy.not_found",
                    "No privacy policy, terms of use or reference to privacy law was found."),
            finding("8", "Adherence to standards and best practices", "not_found", "standards.not_found",
                    "No reference to a known open standard was found in code, configuration or docs."),
            finding("9a", "Do no harm: data privacy and security", "likely_met", "harm.security_policy",
                    "A security policy is published (SECURITY.md).", [{"path": "SECURITY.md", "line": 1}]),
            finding("9b", "Do no harm: inappropriate and illegal content", "not_found", "harm.moderation_missing",
                    "No policy on inappropriate or illegal content was found."),
            finding("9c", "Do no harm: protection from harassment", "not_found", "harm.conduct_missing",
                    "No code of conduct or anti-harassment policy was found."),
        ],
        "licenses": {"available": True, "root_expression": root, "approval": "approved",
                     "approval_reasons": [f"{root}: OSI-approved - approved for Open Software"],
                     "expressions": [root], "conflicts": [], "declared": ["MIT"],
                     "notes": ["COPYRIGHT.TXT: licence-like text that matches no known licence; "
                               "not used for the root licence"],
                     "evidence": [{"expression": root, "kind": "license-file", "path": "LICENSE", "line": 1,
                                   "confidence": 1.0, "method": "exact"}]},
        "health": [
            {"id": "binary_artifacts", "status": "ok", "code": "health.no_binaries",
             "explanation": "No executable binary artefacts are committed.", "value": 0, "evidence": []},
            {"id": "token_permissions", "status": "warning", "code": "health.token_undeclared",
             "explanation": "1 of 1 workflows do not declare token permissions at the top level.", "value": 1,
             "evidence": [{"path": ".github/workflows/ci.yml", "line": 1,
                           "excerpt": "no top-level permissions block"}]},
            {"id": "dangerous_workflow", "status": "risk", "code": "health.dangerous_workflow",
             "explanation": "A workflow runs untrusted code with write access.", "value": 1, "evidence": []},
            {"id": "last_commit", "status": "unknown", "code": "health.shallow_history",
             "explanation": "The history is shallow.", "value": None, "evidence": []},
        ],
    }


def add_screening(good, *, root: str = "GPL-3.0-only", previous: str = "MIT", status: str = ScreeningStatus.SUCCEEDED,
                  finished_at: dt.datetime | None = None, error: str = "", repository_url: str = REPOSITORY,
                  commit: str = COMMIT) -> ScreeningRun:
    """A finished (or, with status=queued, pending) screening of ``good``, stored as the job stores it."""
    queued = status == ScreeningStatus.QUEUED
    succeeded = status == ScreeningStatus.SUCCEEDED
    finished_at = None if queued else (finished_at or timezone.make_aware(dt.datetime(2026, 11, 20, 10, 0)))
    return ScreeningRun.objects.create(
        good=good, repository_url=repository_url, status=status, finished_at=finished_at,
        commit=commit if succeeded else "", root_license=root if succeeded else "",
        previous_root_license=previous if succeeded and previous != root else "",
        report=report_json(root=root, commit=commit, source=repository_url) if succeeded else None,
        error=error,
    )
