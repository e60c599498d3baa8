"""What the pages and the API both show of a good, worked out once (the two may not import each other).

Rules of the catalogue, not of one interface: whether an assessment was imported, which indicators
an assessment lists and in what order (older records judged indicator 9 as one, "9"), the evidence
as plain strings, and a good's countries grouped by role. Text is English (a message id) or a
label in the active language; each interface translates titles where it shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dpghub.catalog.enums import AssessmentSource, CountryRole
from dpghub.catalog.labels import country
from dpghub.catalog.models import Assessment, Good, IndicatorResult
from dpghub.core.standard import INDICATOR_9, INDICATOR_CODES, indicator

#: Indicator 9 judged as one, as records of Standard versions before 9a-9c were split have it.
LEGACY_INDICATOR_9 = INDICATOR_9.code


def assessment_is_imported(assessment: Assessment) -> bool:
    """True unless the assessment is a review done in DPG Hub (an import, crowdsourced or not)."""
    return assessment.source != AssessmentSource.REVIEW


def indicator_title(code: str) -> str:
    """The English title of indicator ``code`` (a message id, from core.standard, which also knows
    the legacy "9"); an unknown code is its own title."""
    try:
        return indicator(code).title
    except KeyError:
        return code


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of an assessment; ``result`` is None when nothing was recorded for it."""

    code: str
    title: str
    result: IndicatorResult | None
    evidence: list[dict[str, str]] = field(default_factory=list)
    source_fields: list[str] = field(default_factory=list)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def assessment_indicators(assessment: Assessment) -> list[IndicatorRow]:
    """Every indicator of the Standard in order, with the legacy "9" before 9a when the record has
    it and any other recorded code last; needs ``assessment.results`` (prefetched by good_get)."""
    results = {result.indicator: result for result in assessment.results.all()}
    codes = list(INDICATOR_CODES)
    if LEGACY_INDICATOR_9 in results:
        codes.insert(codes.index("9a"), LEGACY_INDICATOR_9)
    codes += sorted(code for code in results if code not in codes)
    rows = []
    for code in codes:
        result = results.get(code)
        evidence = [
            {key: _text(item.get(key)) for key in ("text", "url", "field")}
            for item in (result.evidence if result else []) if isinstance(item, dict)
        ]
        source_fields = [_text(name) for name in (result.source_fields if result else [])]
        rows.append(IndicatorRow(code, indicator_title(code), result, evidence, source_fields))
    return rows


@dataclass(frozen=True)
class CountryRef:
    code: str
    name: str  # in the active language


def good_countries(good: Good) -> dict[str, list[CountryRef]]:
    """The good's countries by role ("development", "deployment"; both always present), each list
    sorted by name in the active language; needs ``good.countries`` (prefetched by good_get)."""
    grouped: dict[str, list[CountryRef]] = {role.value: [] for role in CountryRole}
    for link in good.countries.all():
        grouped.setdefault(link.role, []).append(CountryRef(link.country, country(link.country)))
    return {role: sorted(refs, key=lambda ref: (ref.name.casefold(), ref.code))
            for role, refs in grouped.items()}
