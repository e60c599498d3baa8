"""Result types of the licence library (frozen, hashable, Django-free)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "Approval", "LicenseEvidence", "LicenseSummary", "SourceNotice"]

KINDS = ("license-file", "spdx-tag", "manifest", "readme")


@dataclass(frozen=True)
class LicenseEvidence:
    expression: str  # canonical SPDX expression, or "NOASSERTION"
    kind: str  # "license-file" | "spdx-tag" | "manifest" | "readme"
    path: str  # relative path inside the repository
    line: int | None  # 1-based line where the evidence starts, when meaningful
    confidence: float  # 0..1; 0 = recorded for the reader only (e.g. malformed manifest)
    method: str  # "exact" | "dice" | "modified" | "tag" | "manifest-field" | "reference" | "pointer" ...
    detail: str = ""
    # For method "pointer": the licence files this file sends the reader to, and whether the reader may
    # choose one of them ("OR": "either of the licences in LICENSE.APACHE or LICENSE.BSD") or gets all.
    refers_to: tuple[str, ...] = ()
    operator: str = ""
    # For method "pointer": only the file's first paragraph points; the rest is not a licence text
    # (a summary of exceptions, as in lxml's LICENSES.txt).
    partial: bool = False


@dataclass(frozen=True)
class LicenseSummary:
    root_expression: str | None
    evidence: tuple[LicenseEvidence, ...]
    expressions: tuple[str, ...]
    conflicts: tuple[str, ...]
    root_paths: tuple[str, ...] = ()  # the files the root expression was read from
    notes: tuple[str, ...] = ()  # how the root was chosen, when it took more than one file


@dataclass(frozen=True)
class Approval:
    verdict: str  # "approved" | "not-approved" | "unknown"
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SourceNotice:
    """The GNU licence notice in the header of one source file ("either version 2 of the License, or (at
    your option) any later version"): which licence and version, and whether it extends to later ones."""

    path: str
    line: int
    base: str  # "GPL-2.0", "LGPL-2.1", "AGPL-3.0"
    later: bool
