"""The DPG Standard as data: its indicators, the categories of goods, its versions (Django-free).

This module is the one place where the Standard's words are written: every indicator's code and
title, and every category's stored code and name. The screening report and its JSON schema, the
licence approval tables, the catalogue's choices, the web pages, the API and the CLI all take them
from here (tests compare the shipped report schema with it).

Titles follow the Standard (https://github.com/DPGAlliance/DPG-Standard, standard.md) in sentence
case and British spelling, with "and" for "&": "Use of approved open licences", "Do no harm by
design: data privacy and security". They are marked with ``_`` (an identity function here, as in
:mod:`dpghub.core.sdgs`) so that ``django-admin makemessages`` extracts them; the web and the API
translate them at display time with gettext, using the English title as the message id.

Versions and their dates are read from ``standard.json`` (sources noted there). The database
mirrors them (``catalog.StandardVersion``) so that assessments can point at a version.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources


def _(text: str) -> str:
    """Mark ``text`` for translation (extracted by makemessages; translated where it is shown)."""
    return text


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    evidence: str
    #: True for 7-9: only someone authorised to speak for the project can give the evidence, so an
    #: automated check may never call such an indicator met.
    attested: bool = False


_INDICATORS: tuple[Indicator, ...] = (
    Indicator("1", _("Relevance to Sustainable Development Goals"),
              "Which SDGs the good serves, with a text and links per SDG."),
    Indicator("2", _("Use of approved open licences"),
              "OSI-approved licence for software, Creative Commons for content (no ND), "
              "Open Data Commons / Open Definition for data."),
    Indicator("3", _("Clear ownership"), "Who owns the code, content or trademark, documented publicly."),
    Indicator("4", _("Platform independence"), "Mandatory closed dependencies, and open alternatives for them."),
    Indicator("5", _("Documentation"), "Enough for a technical stranger to deploy and run it."),
    Indicator("6", _("Mechanism for extracting data and content"),
              "Non-PII data importable and exportable in non-proprietary formats."),
    Indicator("7", _("Adherence to privacy and applicable laws"), "Laws complied with, privacy policy.",
              attested=True),
    Indicator("8", _("Adherence to standards and best practices"), "Open standards and best practices used.",
              attested=True),
    Indicator("9a", _("Do no harm by design: data privacy and security"),
              "Policies and processes that protect personal data.", attested=True),
    Indicator("9b", _("Do no harm by design: inappropriate and illegal content"),
              "Policies and processes for inappropriate and illegal content.", attested=True),
    Indicator("9c", _("Do no harm by design: protection from harassment"),
              "Policies and processes that protect users from harassment.", attested=True),
)

#: Indicator 9 as a whole, whose parts 9a-9c are judged separately. Older DPGA records judged it as
#: one indicator "9"; :func:`indicator` knows it so that those records show its title.
INDICATOR_9 = Indicator("9", _("Do no harm by design"),
                        "Designed to anticipate, prevent and do no harm (9a, 9b and 9c).", attested=True)

#: The codes of the indicators judged one by one, in the Standard's order.
INDICATOR_CODES: tuple[str, ...] = tuple(item.code for item in _INDICATORS)
#: Indicators whose evidence must come from someone authorised to speak for the project.
ATTESTED_CODES: frozenset[str] = frozenset(item.code for item in _INDICATORS if item.attested)


def indicators() -> tuple[Indicator, ...]:
    """The indicators judged one by one (1-8, 9a, 9b, 9c), in the Standard's order."""
    return _INDICATORS


def indicator(code: str) -> Indicator:
    """The indicator ``code`` (1-8, 9a-9c, or 9 for the three parts as one); KeyError otherwise."""
    for item in (*_INDICATORS, INDICATOR_9):
        if item.code == code:
            return item
    raise KeyError(f"no indicator {code!r} in the DPG Standard; known: {', '.join(INDICATOR_CODES)} and 9")


@dataclass(frozen=True)
class Category:
    """A category of digital public good."""

    code: str  # what the catalogue stores, the API and the facets use: "open-software"
    name: str  # the DPGA's name, written in screening reports and given to licence approval
    dpga_type: str  # the value in the "type" list of the DPGA's nominee files (2020-2023)
    assessed: bool = True  # False: no longer assessed as a DPG under the Standard
    label: str = ""  # what people read (translated where shown); the name unless given

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)


OPEN_SOFTWARE = Category("open-software", _("Open Software"), "software")
OPEN_DATA = Category("open-data", _("Open Data"), "data")
OPEN_CONTENT = Category("open-content", _("Open Content"), "content")
OPEN_AI_MODEL = Category("open-ai-model", _("Open AI Model"), "aimodel")
#: Open standards are no longer assessed as DPGs (they are what indicator 8 asks for); older
#: DPGA records still carry the category.
OPEN_STANDARD = Category("open-standard", _("Open Standard"), "standard", assessed=False,
                         label=_("Open Standard (no longer assessed)"))

#: Every category found in DPGA records, in this order.
CATEGORIES: tuple[Category, ...] = (OPEN_SOFTWARE, OPEN_DATA, OPEN_CONTENT, OPEN_AI_MODEL, OPEN_STANDARD)
#: The names of the categories assessed today: what screening and licence approval accept.
CATEGORY_NAMES: tuple[str, ...] = tuple(item.name for item in CATEGORIES if item.assessed)


def _loose(value: str) -> str:
    return re.sub(r"[\s_-]+", " ", value.strip().lower())


def category(value: str) -> Category | None:
    """The category written as ``value``: its code, its name, its DPGA type or a loose spelling of
    them ("Open Software", "open-software", "open_ai_model", "software", "AI model"); None if none."""
    key = _loose(value)
    for item in CATEGORIES:
        name = item.name.lower()
        if key in (name, name.removeprefix("open "), name.replace("ai ", ""), _loose(item.code), item.dpga_type):
            return item
    return None


@cache
def _data() -> dict:
    return json.loads(resources.files(__package__).joinpath("standard.json").read_text("utf-8"))


@dataclass(frozen=True)
class StandardVersion:
    version: str
    effective_from: date | None
    note: str


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
