"""Indicator 1: relevance to the SDGs. Always "needs a human"; the README may suggest which SDGs."""

from __future__ import annotations

import re

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
KEYWORDS = {
    1: r"poverty|cash transfer|social protection|microfinance",
    2: r"hunger|agricultur\w*|farm(?:er|ing)s?|food security|nutrition|crops?",
    3: r"health\w*|hospital|clinic\w*|patients?|medical|disease|vaccin\w+|immuni[sz]ation|epidemi\w+",
    4: r"education\w*|school\w*|learn(?:ing|ers)|students?|teach(?:ers?|ing)|curricul\w+",
    5: r"gender|women|girls",
    6: r"water|sanitation|hygiene",
    7: r"energy|electricity|solar|renewables?",
    8: r"employment|jobs?|livelihoods?|payments?|financial inclusion",
    9: r"infrastructure|connectivity|innovation",
    10: r"inequalit\w+|inclusion|refugees?|migrants?|disabilit\w+|accessibility",
    11: r"cities|urban|transport|housing|mapping",
    12: r"recycl\w+|waste|supply chain",
    13: r"climate|emissions?|carbon",
    14: r"ocean\w*|marine|fisher\w*",
    15: r"forest\w*|biodiversity|land use|wildlife",
    16: r"justice|government|transparen\w+|identity|civic|elections?|corruption",
    17: r"open data|interoperab\w+|partnerships?",
}
_PATTERNS = {n: re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for n, p in KEYWORDS.items()}
_EXPLICIT = re.compile(r"\b(?:SDGs?|Sustainable Development Goals?)\s*#?\s*(\d{1,2})\b", re.IGNORECASE)


def suggest(text: str) -> list[int]:
    """SDGs suggested by a text: those named explicitly first, then keyword matches (two or more)."""
    explicit = [int(n) for n in _EXPLICIT.findall(text) if 1 <= int(n) <= 17]
    scores = {n: len(p.findall(text)) for n, p in _PATTERNS.items()}
    ranked = [n for n, s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])) if s >= 2]
    return list(dict.fromkeys(explicit + ranked))[:3]


def check(ctx: Context) -> list[Finding]:
    readme = next((e for e in sorted(ctx.tree.files(), key=lambda e: e.path)
                   if "/" not in e.path and e.path.upper().startswith("README")), None)
    text = (ctx.tree.text(readme) or "") if readme else ""
    suggested = suggest(text[:65536])
    data = {"suggested_sdgs": suggested}
    if suggested:
        labels = ", ".join(f"SDG {n} ({SDG_NAMES[n]})" for n in suggested)
        evidence = [ctx.evidence(readme.path)] if readme else []
        return [Finding("1", Status.NEEDS_HUMAN, "sdg.suggested",
                        f"Relevance to the SDGs needs a human; the README suggests {labels}.", evidence, data)]
    return [Finding("1", Status.NEEDS_HUMAN, "sdg.no_suggestion",
                    "Relevance to the SDGs needs a human; the README gives no clear hint.", [], data)]
