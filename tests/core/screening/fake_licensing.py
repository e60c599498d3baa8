"""A small stand-in for dpghub.core.licensing with the agreed interface, so the screening tests pin down
the screening's own logic (mapping evidence and approval to statuses) whatever the real engine decides."""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field

KNOWN = {"mit": "MIT", "apache-2.0": "Apache-2.0", "gpl-3.0-only": "GPL-3.0-only", "agpl-3.0-only": "AGPL-3.0-only",
         "cc-by-nd-4.0": "CC-BY-ND-4.0", "cc-by-4.0": "CC-BY-4.0", "lgpl-2.1-only": "LGPL-2.1-only"}
APPROVED = {"MIT", "Apache-2.0", "GPL-3.0-only", "AGPL-3.0-only", "CC-BY-4.0", "LGPL-2.1-only"}


@dataclass(frozen=True)
class LicenseEvidence:
    expression: str
    kind: str
    path: str
    line: int | None
    confidence: float
    method: str
    detail: str = ""


@dataclass(frozen=True)
class LicenseSummary:
    root_expression: str | None
    evidence: tuple
    expressions: tuple
    conflicts: tuple = field(default=())


@dataclass(frozen=True)
class Approval:
    verdict: str
    reasons: tuple = ()


def normalize(text):
    return KNOWN.get(str(text).strip().lower())


def is_license_path(relpath):
    name = relpath.rsplit("/", 1)[-1].upper()
    return name.startswith(("LICENSE", "LICENCE", "COPYING"))


def scan_file(relpath, text):
    if not is_license_path(relpath):
        return []
    for needle, expression in (("Permission is hereby granted", "MIT"), ("Apache License", "Apache-2.0"),
                               ("NoDerivatives", "CC-BY-ND-4.0"), ("GNU GENERAL PUBLIC LICENSE", "GPL-3.0-only")):
        if needle in text:
            return [LicenseEvidence(expression, "license-file", relpath, 1, 0.99, "fake-text", f"{expression} text")]
    return []


def scan_spdx_tags(relpath, text):
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.search(r"SPDX-License-Identifier:\s*([\w.+-]+)", line)
        if match and normalize(match.group(1)):
            found.append(LicenseEvidence(normalize(match.group(1)), "spdx-tag", relpath, number, 0.9, "fake-tag"))
    return found


def summarize(evidence, declared=()):
    evidence = tuple(evidence)
    files = [e for e in evidence if e.kind == "license-file" and "/" not in e.path]
    root = files[0].expression if files else (evidence[0].expression if evidence else None)
    expressions = tuple(dict.fromkeys(e.expression for e in evidence))
    conflicts = tuple(f"declared {d} but found {root}" for d in declared if root and normalize(d) != root)
    return LicenseSummary(root, evidence, expressions, conflicts)


def approval(expression, category):
    if expression in APPROVED:
        return Approval("approved", (f"{expression} is approved for {category}",))
    if expression and expression.startswith("CC-BY-ND"):
        return Approval("not-approved", ("NoDerivatives licences are never approved",))
    return Approval("unknown", ())


def module() -> types.ModuleType:
    fake = types.ModuleType("dpghub.core.licensing")
    for name in ("normalize", "is_license_path", "scan_file", "scan_spdx_tags", "summarize", "approval",
                 "LicenseEvidence", "LicenseSummary", "Approval"):
        setattr(fake, name, globals()[name])
    return fake
