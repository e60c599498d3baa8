"""Indicator 1: relevance to the SDGs. Always "needs a human"; the README may suggest which SDGs."""

from __future__ import annotations

import re

import ahocorasick_rs

from dpghub.core.screening.checks.base import Context
from dpghub.core.screening.report import Finding, Status

SDG_NAMES = {
    1: "No poverty", 2: "Zero hunger", 3: "Good health and well-being", 4: "Quality education",
    5: "Gender equality", 6: "Clean water and sanitation", 7: "Affordable and clean energy",
    8: "Decent work and economic growth", 9: "Industry, innovation and infrastructure", 10: "Reduced inequalities",
    11: "Sustainable cities and communities", 12: "Responsible consumption and production", 13: "Climate action",
    14: "Life below water", 15: "Life on land", 16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}
# Keywords per SDG, as words of the lowercased README: whole words, word stems ("agricultur" matches
# agriculture, agricultural ...) and two-word phrases. The text is cut into words once and each word
# is looked up in these tables (17 regular-expression passes cost tens of milliseconds per README).
_WORDS = {
    1: "poverty microfinance",
    2: "hunger farmer farmers farming nutrition crop crops",
    3: "hospital patient patients medical disease immunisation immunization",
    4: "learning learners student students teacher teachers teaching",
    5: "gender women girls",
    6: "water sanitation hygiene",
    7: "energy electricity solar renewable renewables",
    8: "employment job jobs livelihood livelihoods payment payments",
    9: "infrastructure connectivity innovation",
    10: "inclusion refugee refugees migrant migrants accessibility",
    11: "cities urban transport housing mapping",
    12: "waste",
    13: "climate emission emissions carbon",
    14: "marine",
    15: "biodiversity wildlife",
    16: "justice government identity civic election elections corruption",
    17: "partnership partnerships",
}
_STEMS = {
    2: "agricultur", 3: "health clinic vaccin epidemi", 4: "education school curricul", 10: "inequalit disabilit",
    12: "recycl", 14: "ocean fisher", 15: "forest", 16: "transparen", 17: "interoperab",
}
_PHRASES = {
    1: "cash transfer, social protection", 2: "food security", 8: "financial inclusion", 12: "supply chain",
    15: "land use", 17: "open data",
}
WORD_SDG = {w: n for n, ws in _WORDS.items() for w in ws.split()}
STEM_SDG = {w: n for n, ws in _STEMS.items() for w in ws.split()}
PHRASE_SDG = {p: n for n, ps in _PHRASES.items() for p in ps.split(", ")}
README_HEAD = 16 * 1024  # the README's opening says what the project is for
_EXPLICIT = re.compile(r"\b(?:sdgs?|sustainable development goals?)\s*#?\s*(\d{1,2})\b")
# One Aho-Corasick automaton finds every keyword and stem in one pass; a hit counts when it starts a
# word (a run of a-z) and, for a whole keyword, ends it too. No keyword begins with a stem and no stem
# begins with another (tests/core/screening/test_sdgs.py), so each word counts at most once, as it did
# when the text was cut into words and each word looked up (that took milliseconds per README).
_KEYS = [(w, n, True) for w, n in WORD_SDG.items()] + [(w, n, False) for w, n in STEM_SDG.items()]
_AUTOMATON = ahocorasick_rs.AhoCorasick([k for k, _, _ in _KEYS], implementation=ahocorasick_rs.Implementation.DFA)


def _is_letter(ch: str) -> bool:
    return "a" <= ch <= "z"


def suggest(text: str) -> list[int]:
    """SDGs suggested by a text: those named explicitly first, then keyword matches (two or more)."""
    low = text.lower()
    explicit = []
    if "sdg" in low or "sustainable development goal" in low:
        explicit = [int(n) for n in _EXPLICIT.findall(low) if 1 <= int(n) <= 17]
    scores = dict.fromkeys(SDG_NAMES, 0)
    end_of_text = len(low)
    for number, start, end in _AUTOMATON.find_matches_as_indexes(low, overlapping=True):
        if start and _is_letter(low[start - 1]):
            continue  # inside a word
        _key, n, whole = _KEYS[number]
        if whole and end < end_of_text and _is_letter(low[end]):
            continue  # a longer word ("jobless" is not "job")
        scores[n] += 1
    for phrase, n in PHRASE_SDG.items():
        scores[n] += low.count(phrase)
    ranked = [n for n, s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])) if s >= 2]
    return list(dict.fromkeys(explicit + ranked))[:3]


def root_readme(ctx: Context):
    """The root README (the first by path), or None."""
    return min((e for e in ctx.tree.in_folder("") if e.path.upper().startswith("README")),
               key=lambda e: e.path, default=None)


def check(ctx: Context) -> list[Finding]:
    readme = root_readme(ctx)
    text = (ctx.tree.text(readme) or "") if readme else ""
    suggested = suggest(text[:README_HEAD])
    data = {"suggested_sdgs": suggested}
    if suggested:
        labels = ", ".join(f"SDG {n} ({SDG_NAMES[n]})" for n in suggested)
        evidence = [ctx.evidence(readme.path)] if readme else []
        return [Finding("1", Status.NEEDS_HUMAN, "sdg.suggested",
                        f"Relevance to the SDGs needs a human; the README suggests {labels}.", evidence, data)]
    return [Finding("1", Status.NEEDS_HUMAN, "sdg.no_suggestion",
                    "Relevance to the SDGs needs a human; the README gives no clear hint.", [], data)]
