"""Normalised records of the DPGA data: what the parsers produce and the importer stores."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter

from dpghub.core.formats.dpga.repairs import Repair, RepairLog, Unmapped

#: Shapes of source records (stored on Provenance.shape).
SHAPE_NOMINEE = "dpga-candidates-nominee"
SHAPE_SCREENING = "dpga-candidates-screening"
SHAPE_REGISTRY = "dpga-registry"
SHAPE_REVIEW = "dpga-candidates-review"

#: Date of the data in each set (used to pick the Standard version in force and the newest source).
CANDIDATES_DATA_DATE = date(2023, 1, 13)  # publicgoods-candidates, last edited 2023-01-13 (archived)
REGISTRY_DATA_DATE = date(2026, 7, 13)  # registry bundle of publicgoods-website, 2026-07-13

#: Stage codes (the values of dpghub.catalog.enums.Stage, repeated here: core is Django-free).
STAGE_NOMINEE, STAGE_DPG, STAGE_ARCHIVED, STAGE_EXCLUDED = "nominee", "dpg", "archived", "excluded"

EXCLUDED_REASON = (
    "Removed from the nominee list when the DPG Standard's criteria changed "
    "(publicgoods-candidates excluded-nominees)"
)

#: External id schemes (the values of dpghub.catalog.enums.ExternalIdScheme).
SCHEME_APPLICATION, SCHEME_DPGID, SCHEME_LEGACY_SLUG = "dpga-application", "dpgid", "legacy-slug"
#: Order in which external ids are tried for a good's uid (uuid5 over the first one present).
SCHEME_ORDER = (SCHEME_LEGACY_SLUG, SCHEME_APPLICATION, SCHEME_DPGID)


@dataclass(frozen=True)
class Licence:
    expression: str
    source_text: str
    evidence_url: str = ""


@dataclass(frozen=True)
class Sdg:
    sdg: int
    relevance: str = ""
    evidence_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrganisationRef:
    name: str
    website: str
    role: str


@dataclass(frozen=True)
class ContactRef:
    """Personal data. Goes to the Contact table only; never into reports, logs or exports."""

    organisation_name: str
    name: str
    email: str


@dataclass(frozen=True)
class Repo:
    name: str
    url: str


@dataclass
class IndicatorValue:
    indicator: str
    status: str  # "declared" | "no-evidence" | "pass" | "fail"
    summary: str = ""
    evidence: list[dict] = field(default_factory=list)
    source_fields: list[str] = field(default_factory=list)
    confidence: int | None = None


@dataclass
class SourceRecord:
    """One record of a source file, normalised. Empty values mean "the record says nothing"."""

    shape: str
    source_key: str
    source_file: str
    record_sha256: str
    data_date: date
    rank: int  # newer sources rank higher; ties broken by data_date first
    name: str
    external_ids: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    website: str = ""
    categories: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    stage: str | None = None
    repositories: list[Repo] = field(default_factory=list)
    licences: list[Licence] = field(default_factory=list)
    sdgs: list[Sdg] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)  # (alpha-2, role)
    organisations: list[OrganisationRef] = field(default_factory=list)
    contacts: list[ContactRef] = field(default_factory=list)
    indicators: dict[str, IndicatorValue] = field(default_factory=dict)
    log: RepairLog = field(default_factory=RepairLog)
    #: legacy slug (file stem) that joins a nominee and its screening record
    join_key: str = ""
    #: a review: the good's name as written in the file name; the reviewer is only hashed
    review_good_name: str = ""
    reviewed_on: date | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.data_date, self.rank, self.source_key)

    def __reduce__(self) -> tuple:
        """Pickled as plain tuples, about twice as fast to dump and to load as the objects themselves
        (the importer spools every record and reads it back): see :func:`_record_pack`."""
        return _record_unpack, (_record_pack(self),)


def _values(cls: type) -> attrgetter:
    """A function returning the tuple of the field values of a ``cls`` object, in field order."""
    return attrgetter(*(item.name for item in fields(cls)))


_RECORD_FIELDS = [item.name for item in fields(SourceRecord)]
_RECORD_VALUES = _values(SourceRecord)
#: Fields of SourceRecord holding a list of dataclass objects: (index, class, their values).
_RECORD_LISTS = [(_RECORD_FIELDS.index(name), cls, _values(cls)) for name, cls in (
    ("repositories", Repo), ("licences", Licence), ("sdgs", Sdg), ("organisations", OrganisationRef),
    ("contacts", ContactRef))]
_INDICATORS_AT, _LOG_AT = _RECORD_FIELDS.index("indicators"), _RECORD_FIELDS.index("log")
_INDICATOR_VALUES, _REPAIR_VALUES, _UNMAPPED_VALUES = _values(IndicatorValue), _values(Repair), _values(Unmapped)


def _record_pack(record: SourceRecord) -> tuple:
    """``record`` as nested tuples and lists of plain values (every field, in field order)."""
    values = list(_RECORD_VALUES(record))
    for index, _cls, get in _RECORD_LISTS:
        values[index] = [get(item) for item in values[index]]
    values[_INDICATORS_AT] = [(code, _INDICATOR_VALUES(value)) for code, value in record.indicators.items()]
    values[_LOG_AT] = ([_REPAIR_VALUES(item) for item in record.log.repairs],
                       [_UNMAPPED_VALUES(item) for item in record.log.unmapped])
    return tuple(values)


def _record_unpack(values: tuple) -> SourceRecord:
    """The record :func:`_record_pack` packed."""
    values = list(values)
    for index, cls, _get in _RECORD_LISTS:
        values[index] = [cls(*item) for item in values[index]]
    values[_INDICATORS_AT] = {code: IndicatorValue(*value) for code, value in values[_INDICATORS_AT]}
    repairs, unmapped = values[_LOG_AT]
    values[_LOG_AT] = RepairLog([Repair(*item) for item in repairs], [Unmapped(*item) for item in unmapped])
    return SourceRecord(*values)


@dataclass
class ParsedFile:
    path: str
    source_file: str
    shape: str
    records: list[SourceRecord]


class MalformedFile(ValueError):
    """A file that is not DPGA data: bad JSON or a shape the importer does not know."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
