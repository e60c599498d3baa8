"""Licence strings of the DPGA data to SPDX expressions.

``licence_expression`` is the one place that calls the licence library. It uses
``dpghub.core.licensing.normalize`` when that module exists (it is being written in parallel)
and otherwise validates with the ``license-expression`` library's SPDX licensing. Switch-over is
automatic: the import is attempted on each call until it succeeds once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from license_expression import ExpressionError, get_spdx_licensing

_normalize: Callable[[str], Any] | None = None


@cache
def _spdx():
    return get_spdx_licensing()


def _fallback(text: str) -> str | None:
    try:
        parsed = _spdx().parse(text, validate=True)
    except (ExpressionError, ValueError, TypeError, AttributeError):
        return None
    return parsed.render() if parsed is not None else None


def _project_normalize() -> Callable[[str], Any] | None:
    global _normalize  # noqa: PLW0603 - looked up once, on first use
    if _normalize is None:
        try:
            from dpghub.core.licensing import normalize  # type: ignore[attr-defined]
        except ImportError:
            return None
        _normalize = normalize
    return _normalize


def _from_result(result: Any) -> str | None:
    """Accept what ``normalize`` may return: a string, None, or an object with an expression."""
    if result is None or isinstance(result, str):
        return result or None
    for attribute in ("expression", "spdx", "value"):
        value = getattr(result, attribute, None)
        if isinstance(value, str) or (value is None and hasattr(result, attribute)):
            return value or None
    return str(result) or None


def licence_expression(text: str) -> str | None:
    """The SPDX expression for a licence string, or None when it is not a known licence."""
    text = (text or "").strip()
    if not text:
        return None
    normalize = _project_normalize()
    if normalize is not None:
        try:
            return _from_result(normalize(text))
        except (ValueError, LookupError):
            return None
    return _fallback(text)
