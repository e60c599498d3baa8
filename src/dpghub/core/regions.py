"""UN M49 regions and sub-regions of countries (Django-free), from the shipped table in core/data."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_TABLE = Path(__file__).parent / "data" / "un-m49-regions.json"


@cache
def _regions() -> dict[str, tuple[str, str]]:
    data = json.loads(_TABLE.read_text(encoding="utf-8"))
    return {code: (pair[0], pair[1]) for code, pair in data["regions"].items()}


def country_region(code: str) -> tuple[str, str] | None:
    """``(region, sub_region)`` of an ISO 3166-1 alpha-2 code (e.g. ``("Africa", "Eastern Africa")``), or None."""
    return _regions().get((code or "").upper())


def region_names() -> list[str]:
    """Every region and sub-region, regions first, each sorted."""
    regions = _regions().values()
    return sorted({r for r, _s in regions}) + sorted({s for _r, s in regions})


def countries_in_region(name: str) -> frozenset[str]:
    """The country codes of a region or sub-region (empty when the name is neither)."""
    return _countries_in(name)


@cache
def _countries_in(name: str) -> frozenset[str]:
    return frozenset(code for code, (region, sub) in _regions().items() if name in (region, sub))
