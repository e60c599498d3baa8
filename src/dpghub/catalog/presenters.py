"""What the pages and the API both show of a good, worked out once (the two may not import each other).

Rules of the catalogue, not of one interface: whether an assessment was imported, which indicators
an assessment lists and in what order (older records judged indicator 9 as one, "9"), the evidence
as plain strings, and a good's countries grouped by role. Text is English (a message id) or a
label in the active language; each interface translates titles where it shows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from dpghub.catalog.enums import AssessmentSource, CountryRole
from dpghub.catalog.labels import country, source_question
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


# --- an assessment in plain words ---------------------------------------------------------------

@dataclass(frozen=True)
class PlainLine:
    """One line of an indicator's summary in plain words: a message id and its parameters, or a
    question (a message id from catalog.labels.SOURCE_QUESTIONS) and whether the answer is yes."""

    text: str = ""
    params: dict[str, object] = field(default_factory=dict)
    question: str = ""
    yes: bool | None = None


_INVERTED = re.compile(r"^(?P<label>[^:()]+): (?P<answer>Yes|No) \((?P<path>[\w.]+), whose meaning is inverted\)$")
_ANSWER = re.compile(r"^(?P<path>[A-Za-z][\w.]*): (?P<answer>Yes|No)$")
_STATEMENT = re.compile(r"^(?P<path>[A-Za-z][\w.]*): ")
_LIST = re.compile(r"^(?P<kind>SDGs|Licences): (?P<items>.+)$")
_TALLY = re.compile(r"^(?P<yes>\d+) of (?P<n>\d+) answer\(s\) true$")


def plain_summary(summary: str) -> list[PlainLine]:
    """An imported indicator's summary without the source's field names: "Yes/No" answers as
    questions, lists and reviewer tallies as sentences; a statement quoted from a field is left out
    (its full text is in the evidence) and any other line is kept as written."""
    out: list[PlainLine] = []
    in_statement = False  # a quoted statement runs on over the lines that follow it
    for line in (part.strip() for part in summary.splitlines()):
        if not line:
            continue
        if match := _INVERTED.match(line):
            out.append(PlainLine(question=source_question(match["path"]), yes=match["answer"] == "Yes"))
        elif match := _ANSWER.match(line):
            out.append(PlainLine(question=source_question(match["path"]), yes=match["answer"] == "Yes"))
        elif match := _LIST.match(line):
            text = (gettext_noop("SDGs declared: %(items)s") if match["kind"] == "SDGs"
                    else gettext_noop("Licences declared: %(items)s"))
            out.append(PlainLine(text=text, params={"items": match["items"]}))
        elif match := _TALLY.match(line):
            out.append(PlainLine(text=gettext_noop("%(yes)s of %(n)s of the reviewer's answers were yes"),
                                 params={"yes": int(match["yes"]), "n": int(match["n"])}))
        elif _STATEMENT.match(line):
            in_statement = True
            continue
        elif not in_statement:
            out.append(PlainLine(text=line))
            continue
        else:
            continue
        in_statement = False
    return out


def plain_evidence(evidence: list[dict[str, str]]) -> list[dict[str, str]]:
    """Evidence without its source field (that goes in "where this comes from"); a text given twice
    once, and the URL dropped when the text already contains it."""
    seen: set[str] = set()
    out = []
    for item in evidence:
        text, url = item.get("text", ""), item.get("url", "")
        key = text or url
        if not key or key in seen:
            continue
        seen.add(key)
        out.append({"text": text, "url": "" if url and url in text else url})
    return out


@dataclass(frozen=True)
class AssessmentsOrdered:
    """A good's assessments as its page tells them: the current one, the earlier registry records
    and reviews (newest first), and the crowdsourced reviews (newest first), each one reviewer's view."""

    current: Assessment | None
    earlier: list[Assessment]
    crowd: list[Assessment]

    def previous(self, assessment: Assessment) -> Assessment | None:
        """The assessment of the same kind (registry record or review, or crowd review) just before
        ``assessment`` in time, to say what changed; None for the first."""
        track = self.crowd if assessment.source == AssessmentSource.CROWD_REVIEW else [
            a for a in (self.current, *self.earlier) if a is not None]
        ordered = sorted(track, key=assessment_key)
        index = ordered.index(assessment)
        return ordered[index - 1] if index else None


def assessments_ordered(good: Good) -> AssessmentsOrdered:
    """The current assessment is the newest that is not a crowdsourced review, or the newest crowd
    review when there is nothing else; needs ``good.assessments`` (prefetched by good_get)."""
    everything = sorted(good.assessments.all(), key=assessment_key, reverse=True)
    official = [a for a in everything if a.source != AssessmentSource.CROWD_REVIEW]
    crowd = [a for a in everything if a.source == AssessmentSource.CROWD_REVIEW]
    if official:
        return AssessmentsOrdered(official[0], official[1:], crowd)
    if crowd:
        return AssessmentsOrdered(crowd[0], [], crowd[1:])
    return AssessmentsOrdered(None, [], [])


def assessment_key(assessment: Assessment) -> tuple:
    return (assessment.assessed_on is not None, assessment.assessed_on, assessment.pk or 0)


@dataclass(frozen=True)
class StatusChange:
    code: str
    title: str  # English message id
    before: str  # an IndicatorStatus value, "" when nothing was recorded
    after: str


@dataclass(frozen=True)
class AssessmentChanges:
    """What changed from ``older`` to ``newer``: the Standard's version, the source, each indicator
    whose status changed, and the indicators whose summary or evidence was rewritten."""

    version_before: str
    version_after: str
    source_changed: bool
    statuses: list[StatusChange]
    rewritten: list[str]  # indicator codes

    @property
    def is_empty(self) -> bool:
        return (self.version_before == self.version_after and not self.source_changed and not self.statuses
                and not self.rewritten)


def assessment_changes(older: Assessment, newer: Assessment) -> AssessmentChanges:
    """What ``newer`` says differently from ``older`` (two assessments of one good)."""
    before = {row.code: row for row in assessment_indicators(older)}
    after = {row.code: row for row in assessment_indicators(newer)}
    statuses, rewritten = [], []
    for code in [*after, *(code for code in before if code not in after)]:
        old, new = before.get(code), after.get(code)
        old_status = old.result.status if old and old.result else ""
        new_status = new.result.status if new and new.result else ""
        if old_status != new_status:
            statuses.append(StatusChange(code, indicator_title(code), old_status, new_status))
        elif old_status and (old.result.summary != new.result.summary or old.evidence != new.evidence):
            rewritten.append(code)
    return AssessmentChanges(older.standard_version.version, newer.standard_version.version,
                             older.source != newer.source, statuses, rewritten)
