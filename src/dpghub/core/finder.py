""""Find a good for our need": the need, the facts about each good, and the deterministic ranking (Django-free).

A need is a set of *criteria*; each asked value is one criterion (every SDG asked, every language, every
standard), and the single-choice ones (categories, DPI layers, sectors, the licence constraint, the
region, active maintenance, recognised DPGs only) count once each. A good's score is the number of
criteria it meets; ties are broken by stage (recognised DPGs first) then name then slug, so the same need
over the same data always gives the same list. Every result lists each criterion met and missed, why, and
the evidence (a path on the site or the source's own link).

Two ways to rank, one answer: :func:`explain` checks one good against a need, and :class:`FinderIndex`
holds a bitmap per fact so that the goods meeting each criterion, and then the goods with each score,
are set operations, not a loop over every good (100,000 goods in a few milliseconds). The index uses
:func:`explain` for the page of results it returns, and the tests check that both agree.

Messages are marked with ``_`` (an identity function here) so that makemessages extracts them; the
interfaces translate a :class:`Text` at display time (:func:`text_render`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from pyroaring import BitMap

from dpghub.core.licensing.copyleft import Copyleft, expression_copyleft
from dpghub.core.regions import countries_in_region
from dpghub.core.sdgs import sdg_name


def _(text: str) -> str:
    return text


#: The licence constraints a need can state, and the copyleft each allows at most.
LICENCE_CONSTRAINTS: dict[str, tuple[str, Copyleft]] = {
    "any": (_("Any open licence"), Copyleft.UNKNOWN),
    "no-strong-copyleft": (_("No strong copyleft (weak copyleft such as LGPL or MPL is fine)"), Copyleft.WEAK),
    "permissive": (_("Permissive licences only (no copyleft)"), Copyleft.NONE),
}
COPYLEFT_LABELS = {
    Copyleft.NONE: _("permissive"), Copyleft.WEAK: _("weak copyleft"), Copyleft.STRONG: _("strong copyleft"),
    Copyleft.UNKNOWN: _("copyleft not known"),
}
#: Stages in tie-break order (the catalogue's own order): recognised DPGs first.
STAGE_ORDER = ("dpg", "nominee", "expired", "archived", "excluded")
#: A last commit (seen by the newest successful screening) newer than this many days is active maintenance.
MAINTAINED_COMMIT_DAYS = 365

#: Words of the registry's free-text sectors that name a deployment sector code.
_SECTOR_WORDS = {
    "health": "health", "education": "education", "agriculture": "agriculture", "finance": "finance",
    "financial": "finance", "social protection": "social-protection", "climate": "climate",
    "environment": "climate", "governance": "governance", "public administration": "governance",
    "humanitarian": "humanitarian",
}


def sector_codes(texts: Iterable[str]) -> frozenset[str]:
    """The deployment sector codes named in the registry's free-text sectors ("Health" -> "health")."""
    codes = set()
    for text in texts:
        folded = str(text).casefold()
        codes.update(code for word, code in _SECTOR_WORDS.items() if word in folded)
        if folded in _SECTOR_WORDS.values():
            codes.add(folded)
    return frozenset(codes)


@dataclass(frozen=True)
class Text:
    """A message to translate (``msgid``) with its parameters, which may be Texts themselves."""

    msgid: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, msgid: str, **params: object) -> Text:
        return cls(msgid, tuple(sorted(params.items())))


def text_render(text: Text | str, translate: Callable[[str], str]) -> str:
    """``text`` translated by ``translate`` (e.g. Django's gettext), its parameters first."""
    if isinstance(text, str):
        return text
    params = {key: text_render(value, translate) if isinstance(value, Text) else value for key, value in text.params}
    message = translate(text.msgid)
    return message % params if params else message


@dataclass(frozen=True)
class Need:
    """What a ministry needs. Empty fields ask nothing."""

    categories: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    licence: str = "any"
    standards: tuple[str, ...] = ()
    region: str = ""
    maintained: bool = False
    recognised: bool = False

    def criteria(self) -> list[str]:
        """The keys of the criteria this need asks, in the order they are explained."""
        keys = []
        if self.categories:
            keys.append("category")
        if self.layers:
            keys.append("layer")
        if self.sectors:
            keys.append("sector")
        keys += [f"sdg:{number}" for number in self.sdgs]
        keys += [f"language:{language}" for language in self.languages]
        if self.licence != "any":
            keys.append("licence")
        keys += [f"standard:{standard}" for standard in self.standards]
        if self.region:
            keys.append("region")
        if self.maintained:
            keys.append("maintained")
        if self.recognised:
            keys.append("recognised")
        return keys


@dataclass(frozen=True)
class GoodFacts:
    """What the finder knows of one good, each fact with where it comes from."""

    slug: str
    name: str
    stage: str = "nominee"
    categories: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()  # deployment sector codes: the registry's sectors and its deployments'
    layers: frozenset[str] = frozenset()  # DPI layers of its deployments
    sdgs: frozenset[int] = frozenset()
    sdg_evidence: tuple[tuple[int, str], ...] = ()  # (sdg, url)
    licences: tuple[tuple[str, str], ...] = ()  # (SPDX expression, evidence url)
    text: str = ""  # name, aliases and description: where languages are looked for
    standards_text: str = ""  # the openStandards answer of its assessment (indicator 8)
    standards_evidence: tuple[str, ...] = ()
    countries: frozenset[str] = frozenset()  # deployed in (deployments not disputed, and the registry's list)
    verified_countries: frozenset[str] = frozenset()
    last_commit: dt.date | None = None  # the "last_commit" health signal of its newest successful screening
    expires_on: dt.date | None = None

    @property
    def url(self) -> str:
        return f"/goods/{self.slug}/"

    @property
    def copyleft(self) -> Copyleft:
        if not self.licences:
            return Copyleft.UNKNOWN
        return max(expression_copyleft(expression) for expression, _url in self.licences)


@dataclass(frozen=True)
class Check:
    """One criterion of a need, for one good: met or missed, why, and the evidence."""

    key: str
    label: Text
    met: bool
    detail: Text
    evidence: tuple[tuple[str, str], ...] = ()  # (label, url)


@dataclass(frozen=True)
class Ranked:
    """A good in the finder's answer: its rank, score and the explanation of both."""

    rank: int
    facts: GoodFacts
    score: int
    out_of: int
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def met(self) -> list[Check]:
        return [check for check in self.checks if check.met]

    @property
    def missed(self) -> list[Check]:
        return [check for check in self.checks if not check.met]


_WORDS = re.compile(r"\w+")


@cache
def _word(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(term.casefold()) + r"(?!\w)")


def mentions(text: str, term: str) -> bool:
    """Whether ``text`` names ``term`` as a whole word or phrase, whatever the case."""
    term = term.strip()
    return bool(term) and _word(term).search(text.casefold()) is not None


def is_maintained(facts: GoodFacts, today: dt.date) -> bool:
    recent = facts.last_commit is not None and (today - facts.last_commit).days <= MAINTAINED_COMMIT_DAYS
    recognised = facts.stage == "dpg" and facts.expires_on is not None and facts.expires_on >= today
    return recent or recognised


def _names(values: Iterable[object], labels: dict[str, str] | None = None) -> str:
    return ", ".join(str((labels or {}).get(str(value), value)) for value in values)


def explain(need: Need, facts: GoodFacts, *, today: dt.date, labels: dict[str, str] | None = None) -> list[Check]:
    """Check ``facts`` against every criterion of ``need``. ``labels`` names codes (categories, layers,
    sectors) in the reader's words; untranslated codes are shown as they are."""
    checks: list[Check] = []
    page = facts.url
    deployments = f"/api/v1/deployments?good={facts.slug}"
    for key in need.criteria():
        kind, _sep, value = key.partition(":")
        if kind == "category":
            found = sorted(facts.categories & set(need.categories))
            checks.append(Check(key, Text.of(_("Category: %(wanted)s"), wanted=_names(need.categories, labels)),
                                bool(found),
                                Text.of(_("It is %(found)s."), found=_names(found, labels)) if found else
                                Text.of(_("It is %(found)s."), found=_names(sorted(facts.categories), labels)
                                        or "—"), (("registry", page),)))
        elif kind == "layer":
            found = sorted(facts.layers & set(need.layers))
            checks.append(Check(key, Text.of(_("DPI layer: %(wanted)s"), wanted=_names(need.layers, labels)),
                                bool(found),
                                Text.of(_("Deployed as %(found)s."), found=_names(found, labels)) if found else
                                Text.of(_("No deployment recorded in this layer.")),
                                tuple(("deployments", f"{deployments}&layer={layer}") for layer in found)))
        elif kind == "sector":
            found = sorted(facts.sectors & set(need.sectors))
            checks.append(Check(key, Text.of(_("Sector: %(wanted)s"), wanted=_names(need.sectors, labels)),
                                bool(found),
                                Text.of(_("Serves %(found)s (registry record or deployments)."),
                                        found=_names(found, labels)) if found else
                                Text.of(_("Neither its record nor its deployments name this sector.")),
                                (("registry", page),) if found else ()))
        elif kind == "sdg":
            number = int(value)
            met = number in facts.sdgs
            links = tuple(("evidence", url) for sdg, url in facts.sdg_evidence if sdg == number and url)
            checks.append(Check(key, Text.of(_("SDG %(number)s: %(name)s"), number=number,
                                             name=Text(sdg_name(number))), met,
                                Text.of(_("Its record states how it serves this goal.")) if met else
                                Text.of(_("Its record does not name this goal.")),
                                (("registry", f"{page}#sdgs"), *links) if met else ()))
        elif kind == "language":
            met = mentions(facts.text, value)
            checks.append(Check(key, Text.of(_("Language: %(language)s"), language=value), met,
                                Text.of(_("Its record mentions %(language)s."), language=value) if met else
                                Text.of(_("Its record does not mention %(language)s (the registry keeps no list "
                                          "of languages: its description was searched)."), language=value),
                                (("registry", page),) if met else ()))
        elif kind == "licence":
            allowed = LICENCE_CONSTRAINTS[need.licence][1]
            reach = facts.copyleft
            met = reach <= allowed and reach != Copyleft.UNKNOWN
            expressions = " + ".join(expression for expression, _url in facts.licences) or "—"
            checks.append(Check(key, Text(LICENCE_CONSTRAINTS[need.licence][0]), met,
                                Text.of(_("Licensed %(expressions)s: %(reach)s."), expressions=expressions,
                                        reach=Text(COPYLEFT_LABELS[reach])),
                                tuple(("licence", url) for _expression, url in facts.licences if url)
                                or (("registry", page),)))
        elif kind == "standard":
            met = mentions(facts.standards_text, value)
            checks.append(Check(key, Text.of(_("Standard: %(standard)s"), standard=value), met,
                                Text.of(_("Named among the open standards it supports."), ) if met else
                                Text.of(_("Not named among the open standards it supports.")),
                                ((("registry", f"{page}#indicator-8"),)
                                 + tuple(("evidence", url) for url in facts.standards_evidence)) if met else ()))
        elif kind == "region":
            region = countries_in_region(need.region)
            found = sorted(facts.countries & region)
            verified = sorted(facts.verified_countries & region)
            checks.append(Check(key, Text.of(_("Deployed in %(region)s"), region=need.region), bool(found),
                                Text.of(_("Deployed in %(count)s countries of the region (%(countries)s), "
                                          "%(verified)s verified."), count=len(found),
                                        countries=", ".join(found[:8]) + (" …" if len(found) > 8 else ""),
                                        verified=len(verified)) if found else
                                Text.of(_("No deployment recorded in the region.")),
                                tuple(("deployments", f"{deployments}&country={code}") for code in found[:3])))
        elif kind == "maintained":
            met = is_maintained(facts, today)
            if facts.last_commit and (today - facts.last_commit).days <= MAINTAINED_COMMIT_DAYS:
                detail = Text.of(_("Its last commit is from %(date)s (found by its screening)."),
                                 date=facts.last_commit.isoformat())
            elif met and facts.expires_on:
                detail = Text.of(_("Recognised as a DPG until %(date)s."), date=facts.expires_on.isoformat())
            else:
                detail = Text.of(_("No commit in the last year seen by a screening, and no recognition in force."))
            checks.append(Check(key, Text(_("Actively maintained")), met, detail,
                                (("screening", f"{page}#screening"),) if met else ()))
        elif kind == "recognised":
            met = facts.stage == "dpg"
            checks.append(Check(key, Text(_("Recognised digital public good")), met,
                                Text.of(_("Stage: %(stage)s."), stage=(labels or {}).get(f"stage:{facts.stage}",
                                                                                      facts.stage)),
                                (("registry", page),)))
    return checks


def _order_key(facts: GoodFacts) -> tuple:
    stage = STAGE_ORDER.index(facts.stage) if facts.stage in STAGE_ORDER else len(STAGE_ORDER)
    return (stage, facts.name.casefold(), facts.slug)


class FinderIndex:
    """Every good's facts, in tie-break order, with a bitmap of positions per fact value.

    Build once per version of the data (the Django side caches it) and rank many needs with it.
    """

    def __init__(self, goods: Iterable[GoodFacts]) -> None:
        self.goods: list[GoodFacts] = sorted(goods, key=_order_key)
        self.all = BitMap(range(len(self.goods)))
        self._by: dict[tuple[str, object], BitMap] = {}
        for position, facts in enumerate(self.goods):
            for key in (
                *(("category", c) for c in facts.categories), *(("layer", v) for v in facts.layers),
                *(("sector", v) for v in facts.sectors), *(("sdg", v) for v in facts.sdgs),
                *(("country", v) for v in facts.countries), ("copyleft", facts.copyleft), ("stage", facts.stage),
            ):
                self._by.setdefault(key, BitMap()).add(position)
        self._text_cache: dict[tuple[str, str], BitMap] = {}
        self._folded = {"text": [facts.text.casefold() for facts in self.goods],
                        "standards_text": [facts.standards_text.casefold() for facts in self.goods]}
        # word -> goods whose text has it: a term's candidates are the goods having all its words, and only
        # they are searched for the whole term (a whole-word match implies every word is there)
        self._words: dict[str, dict[str, BitMap]] = {}
        for attribute, texts in self._folded.items():
            positions: dict[str, list[int]] = {}
            for position, text in enumerate(texts):
                for word in set(_WORDS.findall(text)):
                    positions.setdefault(word, []).append(position)
            self._words[attribute] = {word: BitMap(found) for word, found in positions.items()}

    def _of(self, kind: str, values: Iterable[object]) -> BitMap:
        return BitMap.union(BitMap(), *(self._by.get((kind, value), BitMap()) for value in values))

    def _mentioning(self, attribute: str, term: str) -> BitMap:
        key = (attribute, term.casefold())
        if key not in self._text_cache:
            search = _word(term.strip()).search
            words = _WORDS.findall(term.casefold())
            if words:
                index = self._words[attribute]
                candidates = BitMap.intersection(*(index.get(word, BitMap()) for word in words))
            else:
                candidates = self.all
            texts = self._folded[attribute]
            self._text_cache[key] = BitMap(position for position in candidates if search(texts[position]))
        return self._text_cache[key]

    def meeting(self, need: Need, key: str, *, today: dt.date) -> BitMap:
        """Positions of the goods that meet criterion ``key`` of ``need``."""
        kind, _sep, value = key.partition(":")
        if kind == "category":
            return self._of("category", need.categories)
        if kind in ("layer", "sector"):
            return self._of(kind, need.layers if kind == "layer" else need.sectors)
        if kind == "sdg":
            return self._of("sdg", [int(value)])
        if kind == "language":
            return self._mentioning("text", value) if value.strip() else BitMap()
        if kind == "standard":
            return self._mentioning("standards_text", value) if value.strip() else BitMap()
        if kind == "licence":
            allowed = LICENCE_CONSTRAINTS[need.licence][1]
            return self._of("copyleft", [level for level in Copyleft if level <= allowed and level != Copyleft.UNKNOWN])
        if kind == "region":
            return self._of("country", sorted(countries_in_region(need.region)))
        if kind == "maintained":
            key = ("maintained", today.isoformat())
            if key not in self._text_cache:
                self._text_cache[key] = BitMap(position for position, facts in enumerate(self.goods)
                                               if is_maintained(facts, today))
            return self._text_cache[key]
        if kind == "recognised":
            return self._of("stage", ["dpg"])
        raise ValueError(f"unknown criterion {key!r}")

    def rank(self, need: Need, *, today: dt.date, limit: int = 50, offset: int = 0,
             labels: dict[str, str] | None = None, minimum: int = 1) -> tuple[int, list[Ranked]]:
        """``(matches, page)``: how many goods meet at least ``minimum`` criteria, and the page of them
        from ``offset``, best first, each explained. A need asking nothing lists every good in order."""
        keys = need.criteria()
        # levels[s]: the goods meeting exactly s of the criteria seen so far
        levels = [BitMap(self.all)]
        for key in keys:
            meets = self.meeting(need, key, today=today)
            nxt = [levels[0] - meets]
            for score in range(1, len(levels)):
                nxt.append((levels[score] - meets) | (levels[score - 1] & meets))
            nxt.append(levels[-1] & meets)
            levels = nxt
        floor = min(minimum, len(keys)) if keys else 0
        total = sum(len(levels[score]) for score in range(floor, len(levels)))
        page: list[Ranked] = []
        skipped = 0
        for score in range(len(levels) - 1, floor - 1, -1):
            level = levels[score]
            if skipped + len(level) <= offset:
                skipped += len(level)
                continue
            start = max(0, offset - skipped)
            for position in level[start:start + limit - len(page)]:
                facts = self.goods[position]
                checks = explain(need, facts, today=today, labels=labels)
                page.append(Ranked(rank=offset + len(page) + 1, facts=facts, score=score, out_of=len(keys),
                                   checks=tuple(checks)))
            skipped += len(level)
            if len(page) >= limit:
                break
        return total, page


def rank(need: Need, goods: Sequence[GoodFacts], *, today: dt.date, limit: int = 50,
         labels: dict[str, str] | None = None) -> list[Ranked]:
    """The goods of ``goods`` ranked for ``need`` (best first, at most ``limit``), each explained."""
    return FinderIndex(goods).rank(need, today=today, limit=limit, labels=labels)[1]
