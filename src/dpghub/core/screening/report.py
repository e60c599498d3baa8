"""The screening report: dataclasses, JSON (schema ``report-1.json``) and back.

``Report.to_json()`` gives plain JSON-compatible data that validates against the schema shipped in
``schema/report-1.json``; ``Report.from_json()`` reads it back (a stored report round-trips exactly).
Every finding carries a stable ``code`` (e.g. ``docs.readme_missing``) beside its English
``explanation`` so that the web layer can translate it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Any

from dpghub.core import standard

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "https://dpghub.org/schemas/screening/report-1.json"
#: The indicators a report has one finding for, and their titles: the Standard's (dpghub.core.standard).
INDICATORS = standard.INDICATOR_CODES
INDICATOR_NAMES = {item.code: item.title for item in standard.indicators()}
# Indicators 7-9 need the word of someone authorised to speak for the project: never "met" here.
ATTESTED = standard.ATTESTED_CODES


class Status(StrEnum):
    MET = "met"
    LIKELY_MET = "likely_met"
    NOT_FOUND = "not_found"
    FAILED = "failed"
    NEEDS_HUMAN = "needs_human"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class SignalStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    RISK = "risk"
    UNKNOWN = "unknown"


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Evidence:
    path: str | None = None
    line: int | None = None
    url: str | None = None
    excerpt: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none({"path": self.path, "line": self.line, "url": self.url, "excerpt": self.excerpt})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evidence:
        return cls(data.get("path"), data.get("line"), data.get("url"), data.get("excerpt"))


@dataclass(slots=True)
class Finding:
    indicator: str
    status: Status
    code: str
    explanation: str
    evidence: list[Evidence] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.indicator not in INDICATORS:
            raise ValueError(f"unknown indicator {self.indicator!r}")
        if self.indicator in ATTESTED and self.status is Status.MET:
            raise ValueError(f"indicator {self.indicator} cannot be 'met' by an automated check")

    def to_json(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "name": INDICATOR_NAMES[self.indicator], "status": self.status.value,
                "code": self.code, "explanation": self.explanation,
                "evidence": [e.to_json() for e in self.evidence], "data": self.data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(data["indicator"], Status(data["status"]), data["code"], data["explanation"],
                   [Evidence.from_json(e) for e in data.get("evidence", [])], dict(data.get("data", {})))


@dataclass(slots=True)
class Signal:
    """A health signal in the spirit of OpenSSF Scorecard, computed from the checkout and its history."""

    id: str
    status: SignalStatus
    code: str
    explanation: str
    value: int | float | str | bool | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status.value, "code": self.code, "explanation": self.explanation,
                "value": self.value, "evidence": [e.to_json() for e in self.evidence]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Signal:
        return cls(data["id"], SignalStatus(data["status"]), data["code"], data["explanation"], data.get("value"),
                   [Evidence.from_json(e) for e in data.get("evidence", [])])


@dataclass(slots=True)
class LicenseFound:
    expression: str
    kind: str
    path: str | None
    line: int | None
    confidence: float | None
    method: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"expression": self.expression, "kind": self.kind, "path": self.path, "line": self.line,
                "confidence": self.confidence, "method": self.method}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LicenseFound:
        return cls(data["expression"], data["kind"], data.get("path"), data.get("line"), data.get("confidence"),
                   data.get("method"))


@dataclass(slots=True)
class Licenses:
    available: bool = True  # always True now; False only in stored reports made without a licence engine
    root_expression: str | None = None
    approval: str | None = None  # "approved" | "not-approved" | "unknown"
    approval_reasons: list[str] = field(default_factory=list)
    expressions: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)
    evidence: list[LicenseFound] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"available": self.available, "root_expression": self.root_expression, "approval": self.approval,
                "approval_reasons": list(self.approval_reasons), "expressions": list(self.expressions),
                "conflicts": list(self.conflicts), "notes": list(self.notes), "declared": list(self.declared),
                "evidence": [e.to_json() for e in self.evidence]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Licenses:
        return cls(data["available"], data.get("root_expression"), data.get("approval"),
                   list(data.get("approval_reasons", [])), list(data.get("expressions", [])),
                   list(data.get("conflicts", [])), list(data.get("declared", [])),
                   [LicenseFound.from_json(e) for e in data.get("evidence", [])], list(data.get("notes", [])))


@dataclass(slots=True)
class LimitNote:
    limit: str
    detail: str
    where: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"limit": self.limit, "detail": self.detail, "where": self.where}


@dataclass(frozen=True, slots=True)
class Skipped:
    """Files not counted as the project's own evidence for indicators 3-9 (``origin.py``): a folder
    ("tests/") or a file, why ("tests", "vendored", "third_party", "benchmark", "generated") and how
    many files."""

    path: str
    reason: str
    files: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "reason": self.reason, "files": self.files}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Skipped:
        return cls(data["path"], data["reason"], data.get("files", 1))


@dataclass(slots=True)
class Report:
    tool_version: str
    source: str
    source_kind: str
    commit: str | None
    screened_at: str  # UTC, ISO 8601 with "Z"
    duration_ms: int
    category: str
    files_seen: int
    bytes_read: int
    findings: list[Finding]
    licenses: Licenses
    health: list[Signal]
    limits_hit: list[LimitNote] = field(default_factory=list)
    limits: dict[str, int | float] = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION
    skipped: list[Skipped] = field(default_factory=list)

    def finding(self, indicator: str) -> Finding:
        for item in self.findings:
            if item.indicator == indicator:
                return item
        raise KeyError(indicator)

    def signal(self, signal_id: str) -> Signal:
        for item in self.health:
            if item.id == signal_id:
                return item
        raise KeyError(signal_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "$schema": SCHEMA_ID, "schema_version": self.schema_version, "tool": "dpghub",
            "tool_version": self.tool_version, "source": self.source, "source_kind": self.source_kind,
            "commit": self.commit, "screened_at": self.screened_at, "duration_ms": self.duration_ms,
            "category": self.category, "files_seen": self.files_seen, "bytes_read": self.bytes_read,
            "limits": dict(self.limits), "limits_hit": [n.to_json() for n in self.limits_hit],
            "findings": [f.to_json() for f in self.findings], "licenses": self.licenses.to_json(),
            "health": [s.to_json() for s in self.health], "skipped": [s.to_json() for s in self.skipped],
        }

    def dumps(self, **kwargs: Any) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> Report:
        if isinstance(data, str):
            data = json.loads(data)
        major = str(data.get("schema_version", "")).split(".")[0]
        if major != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(f"unsupported report schema version {data.get('schema_version')!r}")
        return cls(
            tool_version=data["tool_version"], source=data["source"], source_kind=data["source_kind"],
            commit=data.get("commit"), screened_at=data["screened_at"], duration_ms=data["duration_ms"],
            category=data["category"], files_seen=data["files_seen"], bytes_read=data["bytes_read"],
            findings=[Finding.from_json(f) for f in data["findings"]],
            licenses=Licenses.from_json(data["licenses"]), health=[Signal.from_json(s) for s in data["health"]],
            limits_hit=[LimitNote(n["limit"], n["detail"], n.get("where")) for n in data.get("limits_hit", [])],
            limits=dict(data.get("limits", {})), schema_version=data["schema_version"],
            skipped=[Skipped.from_json(s) for s in data.get("skipped", [])],
        )


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :meth:`Report.to_json`, shipped in the package."""
    text = resources.files("dpghub.core.screening").joinpath("schema/report-1.json").read_text("utf-8")
    return json.loads(text)
