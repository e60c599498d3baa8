"""Indicator 1: relevance to the SDGs. Always "needs a human"; the README may suggest which SDGs."""

from __future__ import annotations

import re
from collections import Counter

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
STEM_LENGTHS = sorted({len(w) for w in STEM_SDG})
PHRASE_SDG = {p: n for n, ps in _PHRASES.items() for p in ps.split(", ")}
_WORD = re.compile(r"[a-z]+")
README_HEAD = 16 * 1024  # the README's opening says what the project is for
_EXPLICIT = re.compile(r"\b(?:sdgs?|sustainable development goals?)\s*#?\s*(\d{1,2})\b")


def suggest(text: str) -> list[int]:
    """SDGs suggested by a text: those named explicitly first, then keyword matches (two or more)."""
    low = text.lower()
    explicit = []
    if "sdg" in low or "sustainable development goal" in low:
        explicit = [int(n) for n in _EXPLICIT.findall(low) if 1 <= int(n) <= 17]
    scores = dict.fromkeys(SDG_NAMES, 0)
    for word, count in Counter(_WORD.findall(low)).items():  # each distinct word looked up once
        n = WORD_SDG.get(word)
        if n is None:
            n = next((STEM_SDG[word[:k]] for k in STEM_LENGTHS if word[:k] in STEM_SDG), None)
        if n is not None:
            scores[n] += count
    for phrase, n in PHRASE_SDG.items():
        scores[n] += low.count(phrase)
    ranked = [n for n, s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])) if s >= 2]
    return list(dict.fromkeys(explicit + ranked))[:3]


def check(ctx: Context) -> list[Finding]:
    readme = next((e for e in sorted(ctx.tree.files(), key=lambda e: e.path)
                   if "/" not in e.path and e.path.upper().startswith("README")), None)
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
