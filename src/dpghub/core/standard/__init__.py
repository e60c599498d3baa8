"""The DPG Standard as data: its versions and its indicators (Django-free).

Versions and dates are read from ``standard.json`` (sources noted there). The database mirrors this
table (``catalog.StandardVersion``) so that assessments can point at a version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

INDICATOR_CODES: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b", "9c")


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    evidence: str


@dataclass(frozen=True)
class StandardVersion:
    version: str
    effective_from: date | None
    note: str


@cache
def _data() -> dict:
    return json.loads(resources.files(__package__).joinpath("standard.json").read_text("utf-8"))


@cache
def indicators() -> tuple[Indicator, ...]:
    return tuple(Indicator(**item) for item in _data()["indicators"])


@cache
def versions() -> tuple[StandardVersion, ...]:
    out = []
    for item in _data()["versions"]:
        when = date.fromisoformat(item["effective_from"]) if item.get("effective_from") else None
        out.append(StandardVersion(item["version"], when, item.get("note", "")))
    return tuple(out)


def version_in_force(on: date) -> StandardVersion:
    """The newest version whose known release date is on or before ``on`` (the first if none)."""
    dated = [v for v in versions() if v.effective_from is not None and v.effective_from <= on]
    return dated[-1] if dated else versions()[0]


def latest() -> StandardVersion:
    return versions()[-1]


def indicator(code: str) -> Indicator:
    for item in indicators():
        if item.code == code:
            return item
    raise KeyError(f"no indicator {code!r} in the DPG Standard; known: {', '.join(INDICATOR_CODES)}")
