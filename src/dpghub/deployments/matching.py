"""Matching a file's software name to a registered good: explained, reviewable, never a silent guess.

Names are compared after normalisation (accents, case, punctuation and spacing ignored). In order:

1. ``exact``: the good's name (or slug);
2. ``alias``: one of the good's aliases;
3. ``fuzzy``: the most similar name or alias (:func:`similarity`, 0-100) when it reaches the
   threshold (setting DPGHUB_DEPLOYMENTS_MATCH_THRESHOLD) and no other good comes as close.

A name that matches two goods equally, or none well enough, is *unmatched*: the import stores nothing for
it and lists it in its report with the best candidate and its score, for a person to review (e.g. add an
alias to the good, then import again).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from dpghub.deployments.enums import MatchMethod

#: Names that say what kind of software it is, not which: never matched, even exactly.
GENERIC_NAMES = frozenset({"other", "unknown", "web", "sms", "ivr", "mobile app", "android", "native android",
                           "none", "n a", "na", "excel", "custom", "ussd"})


def name_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def similarity(left: str, right: str, **_kwargs: object) -> float:
    """0-100: rapidfuzz's word-order-blind ratio, or 100 when the names differ only by spaces ("DHIS 2" and
    "DHIS2"). Not the ratio without spaces: that scores "OpenClinica" 95.7 against "OpenClinic GA"."""
    if left.replace(" ", "") == right.replace(" ", ""):
        return 100.0
    return fuzz.token_sort_ratio(left, right)


@dataclass(frozen=True)
class Match:
    good_id: int
    good_slug: str
    method: MatchMethod
    score: float
    name: str  # as written in the file

    def explain(self) -> dict:
        return {"name": self.name, "good": self.good_slug, "method": self.method.value, "score": self.score}


@dataclass(frozen=True)
class Unmatched:
    name: str
    reason: str  # "generic", "ambiguous", "no-similar-name"
    candidates: tuple[tuple[str, float], ...] = ()


class GoodMatcher:
    """Built once per import from (id, slug, name, aliases) of the registered goods."""

    def __init__(self, goods: Iterable[tuple[int, str, str, list[str]]], *, threshold: float) -> None:
        self.threshold = threshold
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._alias: dict[str, set[int]] = defaultdict(set)
        self._slug: dict[int, str] = {}
        for good_id, slug, name, aliases in goods:
            self._slug[good_id] = slug
            self._exact[name_key(name)].add(good_id)
            self._exact[name_key(slug.replace("-", " "))].add(good_id)
            for alias in aliases or ():
                if isinstance(alias, str) and name_key(alias):
                    self._alias[name_key(alias)].add(good_id)
        self._choices: list[str] = sorted(k for k in set(self._exact) | set(self._alias) if k)
        self._spaceless: dict[str, list[str]] = defaultdict(list)
        for choice in self._choices:
            self._spaceless[choice.replace(" ", "")].append(choice)
        self._cache: dict[str, Match | Unmatched] = {}

    def _owners(self, key: str) -> set[int]:
        return self._exact.get(key, set()) | self._alias.get(key, set())

    def match(self, name: str) -> Match | Unmatched:
        key = name_key(name)
        if key not in self._cache:
            self._cache[key] = self._match(name, key)
        found = self._cache[key]
        return Match(found.good_id, found.good_slug, found.method, found.score, name) if isinstance(found, Match) \
            else Unmatched(name, found.reason, found.candidates)

    def _match(self, name: str, key: str) -> Match | Unmatched:
        if not key or key in GENERIC_NAMES:
            return Unmatched(name, "generic")
        for method, table in ((MatchMethod.EXACT, self._exact), (MatchMethod.ALIAS, self._alias)):
            owners = table.get(key, set())
            if len(owners) == 1:
                good_id = next(iter(owners))
                return Match(good_id, self._slug[good_id], method, 100.0, name)
            if len(owners) > 1:
                return Unmatched(name, "ambiguous", tuple((self._slug[g], 100.0) for g in sorted(owners)))
        # As similarity() scores each choice, but with rapidfuzz's own (C) scorer over all the choices at once,
        # best first, and the names equal but for spaces put first at 100: reading stops once no later choice
        # can enter the top three or tie with them (an import scores ~1,000 names against ~1,000 choices).
        same = self._spaceless.get(key.replace(" ", ""), [])
        scored = [(choice, 100.0) for choice in same]
        scored += [(choice, score) for choice, score, _index in
                   process.extract(key, self._choices, scorer=fuzz.token_sort_ratio, limit=None)
                   if choice not in same]
        by_good: dict[int, float] = {}
        for choice, score in scored:
            score = round(float(score), 1)
            if len(by_good) >= 3 and score < sorted(by_good.values(), reverse=True)[2]:
                break
            for good_id in self._owners(choice):
                by_good[good_id] = max(by_good.get(good_id, 0.0), score)
        ranked = sorted(by_good.items(), key=lambda item: (-item[1], self._slug[item[0]]))
        candidates = tuple((self._slug[g], s) for g, s in ranked[:3])
        if not ranked or ranked[0][1] < self.threshold:
            return Unmatched(name, "no-similar-name", candidates)
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return Unmatched(name, "ambiguous", candidates)
        good_id, score = ranked[0]
        return Match(good_id, self._slug[good_id], MatchMethod.FUZZY, score, name)
