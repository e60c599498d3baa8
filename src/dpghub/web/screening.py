"""The "Automated screening" part of a good's page: the stored report turned into what the template shows.

The report (``dpghub.core.screening.report``, schema report-1.json) is read defensively: it is JSON stored
in the database, written by whichever engine version ran, so a missing key shows as nothing rather
than an error. Text found in a repository (paths, excerpts, URLs) is untrusted: it is escaped by the
template, and only http(s) URLs become links.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlparse

from dpghub.core.standard import INDICATOR_CODES
from dpghub.screening.models import ScreeningRun, ScreeningStatus
from dpghub.screening.selectors import ScreeningOverview
from dpghub.web import labels

#: Order of the findings on the page: the Standard's indicators.
INDICATOR_ORDER = INDICATOR_CODES
_COMMIT = re.compile(r"^[0-9a-f]{7,64}$")


@dataclass(frozen=True)
class Forge:
    """A repository on GitHub or GitLab, whose commits and files can be linked."""

    base: str  # https://github.com/owner/name
    separator: str  # "" on GitHub, "/-" on GitLab

    def commit_url(self, commit: str) -> str:
        return f"{self.base}{self.separator}/commit/{commit}"

    def file_url(self, commit: str, path: str, line: int | None) -> str:
        anchor = f"#L{line}" if line else ""
        return f"{self.base}{self.separator}/blob/{commit}/{quote(path.lstrip('/'))}{anchor}"


def forge_of(repository_url: str) -> Forge | None:
    parsed = urlparse(repository_url)
    host = (parsed.hostname or "").lower()
    if parsed.scheme != "https" or host not in {"github.com", "www.github.com", "gitlab.com"}:
        return None
    path = parsed.path.strip("/")
    path = path.split("/-/")[0].removesuffix(".git")  # GitLab pages under a project: /group/project/-/tree/...
    parts = [part for part in path.split("/") if part]
    if len(parts) < 2:
        return None
    if host.endswith("github.com"):
        return Forge(f"https://github.com/{quote(parts[0])}/{quote(parts[1])}", "")
    return Forge("https://gitlab.com/" + "/".join(quote(part) for part in parts), "/-")


@dataclass
class EvidenceView:
    text: str  # "path:line" or the URL
    url: str = ""
    excerpt: str = ""


@dataclass
class FindingView:
    code: str
    title: str
    status: str
    status_label: str
    explanation: str
    finding_code: str
    evidence: list[EvidenceView] = field(default_factory=list)


@dataclass
class SignalView:
    name: str
    status: str
    status_label: str
    explanation: str
    evidence: list[EvidenceView] = field(default_factory=list)


@dataclass
class ReportView:
    run: ScreeningRun
    commit_url: str
    root_license: str
    approval: str
    approval_label: str
    approval_reasons: list[str]
    license_conflicts: list[str]
    license_notes: list[str]
    findings: list[FindingView]
    tally: list[tuple[str, int]]
    signals: list[SignalView]
    signal_tally: list[tuple[str, int]]
    limits_hit: list[str]


@dataclass
class ScreeningView:
    latest: ScreeningRun | None
    failed: ScreeningRun | None  # the newest finished run, when it failed
    pending: ScreeningRun | None
    report: ReportView | None
    pending_state: str | None = None  # queued, running or retrying (screening_overview.pending_state)

    @property
    def license_changed(self) -> bool:
        return bool(self.report and self.report.run.license_changed)

    @property
    def is_empty(self) -> bool:
        return not (self.latest or self.pending)


def _is_web_url(value: str) -> bool:
    return urlparse(value).scheme in {"http", "https"} and bool(urlparse(value).netloc)


def _evidence(items: Any, forge: Forge | None, commit: str) -> list[EvidenceView]:
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        path, line, url = item.get("path"), item.get("line"), item.get("url")
        line = line if isinstance(line, int) and line > 0 else None
        excerpt = str(item.get("excerpt") or "")
        if path:
            text = f"{path}:{line}" if line else str(path)
            link = forge.file_url(commit, str(path), line) if forge and commit else ""
            out.append(EvidenceView(text=text, url=link, excerpt=excerpt))
        elif url:
            url = str(url)
            out.append(EvidenceView(text=url, url=url if _is_web_url(url) else "", excerpt=excerpt))
        elif excerpt:
            out.append(EvidenceView(text="", excerpt=excerpt))
    return out


def _tally(statuses: list[str], table: dict[str, str]) -> list[tuple[str, int]]:
    counts = Counter(statuses)
    ordered = [code for code in table if code in counts] + sorted(code for code in counts if code not in table)
    return [(labels.from_table(table, code), counts[code]) for code in ordered]


def _report_view(run: ScreeningRun, indicator_title) -> ReportView:
    report = run.report if isinstance(run.report, dict) else {}
    commit = run.commit if _COMMIT.match(run.commit or "") else ""
    forge = forge_of(run.repository_url)
    findings_by_code = {str(item.get("indicator")): item for item in report.get("findings", []) if isinstance(item, dict)}
    codes = [code for code in INDICATOR_ORDER if code in findings_by_code]
    codes += sorted(code for code in findings_by_code if code not in INDICATOR_ORDER)
    findings = []
    for code in codes:
        item = findings_by_code[code]
        status = str(item.get("status") or "")
        findings.append(FindingView(
            code=code, title=indicator_title(code), status=status,
            status_label=labels.from_table(labels.SCREENING_STATUS, status),
            explanation=str(item.get("explanation") or ""), finding_code=str(item.get("code") or ""),
            evidence=_evidence(item.get("evidence"), forge, commit),
        ))
    signals = []
    for item in report.get("health", []):
        if not isinstance(item, dict):
            continue
        status = str(item.get("status") or "")
        signals.append(SignalView(
            name=labels.from_table(labels.SIGNAL_NAMES, str(item.get("id") or "")), status=status,
            status_label=labels.from_table(labels.SIGNAL_STATUS, status),
            explanation=str(item.get("explanation") or ""), evidence=_evidence(item.get("evidence"), forge, commit),
        ))
    licenses = report.get("licenses") if isinstance(report.get("licenses"), dict) else {}
    approval = str(licenses.get("approval") or "unknown")
    return ReportView(
        run=run,
        commit_url=forge.commit_url(commit) if forge and commit else "",
        root_license=run.root_license or str(licenses.get("root_expression") or ""),
        approval=approval,
        approval_label=labels.from_table(labels.LICENSE_APPROVAL, approval),
        approval_reasons=[str(reason) for reason in licenses.get("approval_reasons", []) or []],
        license_conflicts=[str(conflict) for conflict in licenses.get("conflicts", []) or []],
        license_notes=[str(note) for note in licenses.get("notes", []) or []],
        findings=findings,
        tally=_tally([finding.status for finding in findings], labels.SCREENING_STATUS),
        signals=signals,
        signal_tally=_tally([signal.status for signal in signals], labels.SIGNAL_STATUS),
        limits_hit=[str(note.get("detail") or note.get("limit") or "") for note in report.get("limits_hit", [])
                    if isinstance(note, dict)],
    )


def screening_view(overview: ScreeningOverview, *, indicator_title) -> ScreeningView:
    latest = overview.latest
    return ScreeningView(
        latest=latest,
        failed=latest if latest is not None and latest.status == ScreeningStatus.FAILED else None,
        pending=overview.pending,
        pending_state=overview.pending_state,
        report=_report_view(overview.succeeded, indicator_title) if overview.succeeded else None,
    )
