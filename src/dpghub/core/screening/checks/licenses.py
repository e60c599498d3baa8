"""Indicator 2: an approved open licence, delegated to :mod:`dpghub.core.licensing`.

During the scan pass every licence-like file (``is_license_path``), the root README and root manifests go
through ``scan_file``; any file whose first 16 KiB carry ``SPDX-License-Identifier`` goes through
``scan_spdx_tags``, and a source file whose first 16 KiB mention GNU through ``scan_gnu_notice`` (its
header says whether a GNU licence extends to later versions). The check then summarises that evidence
(with the ``--declared`` licences) and asks whether the root expression is approved for the good's
category. The licence library is part of this package and is called directly.
"""

from __future__ import annotations

from collections.abc import Callable

from dpghub.core import licensing
from dpghub.core.screening.checks.base import Context
from dpghub.core.screening.report import Finding, LicenseFound, Licenses, Status
from dpghub.core.screening.tree import FileEntry

SPDX_HEAD = 16 * 1024
# A file that is not a licence file, README or manifest is looked at only for this (in its first 16 KiB).
VISITOR_NEEDLES = ("spdx-license-identifier", "gnu")
ROOT_MANIFESTS = frozenset({"package.json", "pyproject.toml", "setup.cfg", "Cargo.toml", "composer.json",
                            "DESCRIPTION", "pom.xml", "publiccode.yml", "publiccode.yaml", "CITATION.cff"})


def visitor(ctx: Context) -> Callable[[FileEntry, str, str], None]:
    """The scan-pass hook that collects licence evidence into ``ctx.licence_evidence``."""

    def visit(entry: FileEntry, text: str, low: str) -> None:
        path = entry.path
        if licensing.is_license_path(path) or ("/" not in path and (
                path in ROOT_MANIFESTS or path.upper().startswith("README"))):
            ctx.licence_evidence.extend(licensing.scan_file(path, text))
            return
        if low.find("spdx-license-identifier", 0, SPDX_HEAD) >= 0:
            ctx.licence_evidence.extend(licensing.scan_spdx_tags(path, text[:SPDX_HEAD]))
        if entry.kind == "code" and low.find("gnu", 0, SPDX_HEAD) >= 0:
            notice = licensing.scan_gnu_notice(path, text[:SPDX_HEAD])
            if notice is not None:
                ctx.source_notices.append(notice)

    return visit


def check(ctx: Context) -> list[Finding]:
    summary_out = Licenses(declared=list(ctx.declared))
    ctx.licenses = summary_out
    evidence = ctx.licence_evidence
    summary_out.evidence = [LicenseFound(e.expression, e.kind, e.path, e.line, e.confidence, e.method)
                         for e in evidence[:200]]
    if not evidence:
        return [Finding("2", Status.NOT_FOUND, "license.not_found",
                        "No licence file, SPDX tag or manifest licence field was found.")]
    code_files = sum(1 for e in ctx.tree.files() if e.kind == "code") if ctx.source_notices else 0
    summary = licensing.summarize(evidence, declared=tuple(ctx.declared),
                                  source_notices=tuple(ctx.source_notices), source_files=code_files)
    summary_out.root_expression = summary.root_expression
    summary_out.expressions = list(summary.expressions)
    summary_out.conflicts = list(summary.conflicts)
    summary_out.notes = list(summary.notes)
    root = summary.root_expression
    root_paths = set(summary.root_paths)
    root_evidence = ([e for e in summary.evidence if e.path in root_paths and e.kind != "spdx-tag"]
                     or [e for e in evidence if e.expression == root] or list(evidence))
    proof = [ctx.evidence(e.path, e.line, (e.detail or e.expression)) for e in root_evidence[:5] if e.path]
    if not root:
        return [Finding("2", Status.NEEDS_HUMAN, "license.ambiguous",
                        "Licence evidence was found but no licence for the whole project could be determined.",
                        proof, {"expressions": summary_out.expressions})]
    verdict = licensing.approval(root, ctx.category)
    summary_out.approval = verdict.verdict
    summary_out.approval_reasons = list(verdict.reasons)
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
