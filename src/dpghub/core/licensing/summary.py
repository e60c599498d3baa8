"""Combine per-file evidence into the repository's licence picture."""

from __future__ import annotations

from collections.abc import Sequence

from .expressions import licensing, normalize_detail
from .model import LicenseEvidence, LicenseSummary

__all__ = ["summarize"]

NOASSERTION = "NOASSERTION"
_KIND_ORDER = {"license-file": 0, "manifest": 1, "readme": 2, "spdx-tag": 3}
# Texts that a licence requires to be shipped alongside it: when both are present the second
# is part of the first (LGPL-3.0 is GPL-3.0 plus additional permissions; repositories ship
# COPYING and COPYING.LESSER).
_SUBSUMES = {
    "LGPL-3.0-only": ("GPL-3.0-only", "GPL-3.0-or-later"),
    "LGPL-3.0-or-later": ("GPL-3.0-only", "GPL-3.0-or-later"),
}


def _is_root(path: str) -> bool:
    p = path.replace("\\", "/").lstrip("./")
    return "/" not in p or (p.count("/") == 1 and p.split("/")[0] in ("LICENSES", "licenses"))


def _usable(e: LicenseEvidence) -> bool:
    return e.confidence > 0


def _combine(exprs: list[str]) -> str | None:
    """AND of distinct expressions (each part must hold), dropping texts subsumed by another."""
    distinct: list[str] = []
    for x in exprs:
        if x not in distinct:
            distinct.append(x)
    for big, smalls in _SUBSUMES.items():
        if big in distinct:
            distinct = [x for x in distinct if x not in smalls]
    if not distinct:
        return None
    if NOASSERTION in distinct:
        return NOASSERTION
    if len(distinct) == 1:
        return distinct[0]
    joined = " AND ".join(f"({x})" if " " in x else x for x in sorted(distinct))
    try:
        return licensing().parse(joined).render("{symbol.key}")
    except Exception:  # noqa: BLE001 - keep the plain join if the library cannot simplify it
        return joined


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        lic = licensing()
        return lic.is_equivalent(lic.parse(a), lic.parse(b))
    except Exception:  # noqa: BLE001 - unparsable means "not the same"
        return False


def _where(evs: list[LicenseEvidence]) -> str:
    return ", ".join(sorted({e.path for e in evs}))


def summarize(evidence: Sequence[LicenseEvidence], declared: Sequence[str] = ()) -> LicenseSummary:
    """The root licence (root licence files, else root manifests, else root README), every
    licence found, and conflicts as human-readable sentences."""
    ev = sorted(
        evidence,
        key=lambda e: (not _is_root(e.path), _KIND_ORDER.get(e.kind, 9), e.path, e.line or 0),
    )
    conflicts: list[str] = []
    root_expression = None
    root_source: list[LicenseEvidence] = []
    for kind in ("license-file", "manifest", "readme"):
        group = [e for e in ev if e.kind == kind and _is_root(e.path) and _usable(e)]
        if kind == "manifest":
            known = [e for e in group if e.expression != NOASSERTION]
            group = known or group
        if not group:
            continue
        root_expression = _combine([e.expression for e in group])
        root_source = group
        if kind == "license-file":
            distinct = {e.expression for e in group}
            if NOASSERTION in distinct:
                bad = [e for e in group if e.expression == NOASSERTION]
                for e in bad:
                    conflicts.append(f"{e.path}: {e.detail.split(': ', 1)[-1]} - the root licence cannot be asserted")
            elif len(distinct) > 1 and root_expression and " AND " in root_expression:
                conflicts.append(
                    "several licences in the root licence files ("
                    + "; ".join(f"{e.path}: {e.expression}" for e in group)
                    + f"); read as {root_expression}: each part must be an approved licence"
                )
        break

    # licence file vs manifests / README at the root
    if root_source and root_source[0].kind == "license-file" and root_expression and root_expression != NOASSERTION:
        for e in ev:
            relevant = e.kind in ("manifest", "readme") and _is_root(e.path) and _usable(e)
            if (
                relevant
                and e.expression != NOASSERTION
                and not _same(e.expression, root_expression)
                and not any(_same(e.expression, r.expression) for r in root_source)
            ):
                conflicts.append(
                    f"{e.path} says {e.expression} but the root licence file ({_where(root_source)}) "
                    f"contains {root_expression}"
                )
    for e in ev:
        if e.kind == "manifest" and _is_root(e.path) and e.expression == NOASSERTION and e.confidence > 0:
            conflicts.append(e.detail)

    for d in declared:
        expr, why = normalize_detail(d) if isinstance(d, str) else (None, f"declared licence {d!r} is not a string")
        if expr is None:
            conflicts.append(f"declared licence '{d}' cannot be checked: {why}")
        elif root_expression is None:
            conflicts.append(f"declared licence {expr} but no licence was found at the repository root")
        elif root_expression == NOASSERTION:
            conflicts.append(f"declared licence {expr} but the root licence text is not a known licence "
                             f"({_where(root_source)})")
        elif not _same(expr, root_expression):
            conflicts.append(f"declared licence {expr} but the repository root has {root_expression} "
                             f"(from {_where(root_source)})")

    expressions: list[str] = []
    for e in ev:
        if _usable(e) and e.expression not in expressions:
            expressions.append(e.expression)
    uniq_conflicts = list(dict.fromkeys(conflicts))
    return LicenseSummary(root_expression, tuple(ev), tuple(expressions), tuple(uniq_conflicts))
