"""Indicator 2: an approved open licence, delegated to :mod:`dpghub.core.licensing`.

During the scan pass every licence-like file (``is_license_path``), the root README and root manifests go
through ``scan_file``; any file whose first 16 KiB carry ``SPDX-License-Identifier`` goes through
``scan_spdx_tags``, and a source file whose first 16 KiB mention GNU through
``scan_gnu_notice`` (its header says whether a GNU licence extends to later versions). The check then summarises that evidence (with the ``--declared`` licences) and asks
whether the root expression is approved for the good's category.
"""

from __future__ import annotations

import importlib
from typing import Any

from dpghub.core.screening.checks.base import Context
from dpghub.core.screening.report import Finding, LicenseFound, Licenses, Status
from dpghub.core.screening.tree import FileEntry

SPDX_HEAD = 16 * 1024
# A file that is not a licence file, README or manifest is looked at only for this (in its first 16 KiB).
VISITOR_NEEDLES = ("spdx-license-identifier", "gnu")
ROOT_MANIFESTS = frozenset({"package.json", "pyproject.toml", "setup.cfg", "Cargo.toml", "composer.json",
                            "DESCRIPTION", "pom.xml", "publiccode.yml", "publiccode.yaml", "CITATION.cff"})


INTERFACE = ("normalize", "is_license_path", "scan_file", "scan_spdx_tags", "summarize", "approval")


def load_licensing() -> tuple[Any, str | None]:
    """The licensing engine, or (None, why not) if it cannot be imported or lacks part of its interface."""
    try:
        module = importlib.import_module("dpghub.core.licensing")
    except Exception as exc:  # noqa: BLE001 - ImportError until it lands, or a broken module
        return None, f"{type(exc).__name__}: {exc}"
    missing = [name for name in INTERFACE if not callable(getattr(module, name, None))]
    if missing:
        return None, f"dpghub.core.licensing lacks {', '.join(missing)}"
    preload = getattr(module, "preload", None)
    if callable(preload):
        preload()  # cached: the first screening of a process indexes the reference texts
    return module, None


def visitor(ctx: Context):
    """The scan-pass hook that collects licence evidence into ``ctx.licence_evidence``."""
    lic = ctx.licensing
    if lic is None:
        return lambda entry, text, low: None

    gnu_notice = getattr(lic, "scan_gnu_notice", None)

    def visit(entry: FileEntry, text: str, low: str) -> None:
        path = entry.path
        if lic.is_license_path(path) or ("/" not in path and (path in ROOT_MANIFESTS or path.upper().startswith(
                "README"))):
            ctx.licence_evidence.extend(lic.scan_file(path, text))
            return
        if low.find("spdx-license-identifier", 0, SPDX_HEAD) >= 0:
            ctx.licence_evidence.extend(lic.scan_spdx_tags(path, text[:SPDX_HEAD]))
        if gnu_notice is not None and entry.kind == "code" and low.find("gnu", 0, SPDX_HEAD) >= 0:
            notice = gnu_notice(path, text[:SPDX_HEAD])
            if notice is not None:
                ctx.source_notices.append(notice)

    return visit


def _text(item: Any) -> str:
    for attr in ("message", "detail", "description"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(item)


def check(ctx: Context) -> list[Finding]:
    summary_out = Licenses(declared=list(ctx.declared))
    ctx.licenses = summary_out
    lic = ctx.licensing
    if lic is None:
        summary_out.available = False
        return [Finding("2", Status.NEEDS_HUMAN, "license.engine_unavailable",
                        f"The licence engine could not be loaded ({ctx.licensing_error}); check the licence by hand.")]
    evidence = ctx.licence_evidence
    summary_out.evidence = [LicenseFound(e.expression, e.kind, e.path, e.line, e.confidence, e.method)
                         for e in evidence[:200]]
    if not evidence:
        return [Finding("2", Status.NOT_FOUND, "license.not_found",
                        "No licence file, SPDX tag or manifest licence field was found.")]
    if ctx.source_notices:
        code_files = sum(1 for e in ctx.tree.files() if e.kind == "code")
        summary = lic.summarize(evidence, declared=tuple(ctx.declared), source_notices=tuple(ctx.source_notices),
                                source_files=code_files)
    else:
        summary = lic.summarize(evidence, declared=tuple(ctx.declared))
    summary_out.root_expression = summary.root_expression
    summary_out.expressions = [str(x) for x in summary.expressions]
    summary_out.conflicts = [_text(c) for c in summary.conflicts]
    summary_out.notes = [str(n) for n in getattr(summary, "notes", ())]
    root = summary.root_expression
    root_paths = set(getattr(summary, "root_paths", ()) or ())
    root_evidence = ([e for e in summary.evidence if e.path in root_paths and e.kind != "spdx-tag"]
                     or [e for e in evidence if e.expression == root] or list(evidence))
    proof = [ctx.evidence(e.path, e.line, (e.detail or e.expression)) for e in root_evidence[:5] if e.path]
    if not root:
        return [Finding("2", Status.NEEDS_HUMAN, "license.ambiguous",
                        "Licence evidence was found but no licence for the whole project could be determined.",
                        proof, {"expressions": summary_out.expressions})]
    verdict = lic.approval(root, ctx.category)
    summary_out.approval = verdict.verdict
    summary_out.approval_reasons = [str(r) for r in verdict.reasons]
    data = {"root_expression": root, "category": ctx.category, "approval": verdict.verdict,
            "reasons": summary_out.approval_reasons}
    if verdict.verdict == "not-approved":
        return [Finding("2", Status.FAILED, "license.not_approved",
                        f"{root} is not an approved licence for {ctx.category}.", proof, data)]
    if verdict.verdict != "approved":
        return [Finding("2", Status.NEEDS_HUMAN, "license.approval_unknown",
                        f"Whether {root} is approved for {ctx.category} could not be decided automatically.",
                        proof, data)]
    if summary_out.conflicts:
        data["conflicts"] = summary_out.conflicts
        return [Finding("2", Status.NEEDS_HUMAN, "license.conflict",
                        f"{root} is approved for {ctx.category}, but the licences found conflict: "
                        f"{'; '.join(summary_out.conflicts)[:300]}.", proof, data)]
    if any(e.kind == "license-file" for e in root_evidence):
        return [Finding("2", Status.MET, "license.approved",
                        f"The project is licensed {root}, an approved licence for {ctx.category}.", proof, data)]
    return [Finding("2", Status.LIKELY_MET, "license.approved_without_file",
                    f"{root} (approved for {ctx.category}) is declared, but no licence file holds its text.",
                    proof, data)]
