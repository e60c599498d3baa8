"""Real data to start with: importers that turn public datasets into endorsers and finance pledges.

- :func:`letters_import`: signatories and supporters of the DPG sustainability public letter (YAML);
- :func:`flows_import`: the IATI-derived COVID-19 funding flows (CSV with an HXL row): each reporting
  organisation's outgoing commitments become a finance target, its outgoing spending the progress;
- :func:`guidebook_import`: the Global Goods Guidebook's key funders and supporters of each good.

Each records its source on every row it creates, runs all-or-nothing in one transaction (a dry run rolls
back), writes history per object and one import-run row, and returns a report. Numbers come only from the
data: the guidebook gives none, so it yields endorsers and no pledges. Choices and quirks:
docs/charter-spreadsheets.md ("Real data").
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dpghub.catalog.enums import OrganisationRole
from dpghub.catalog.models import Good, GoodOrganisation
from dpghub.charter.enums import Outcome, PledgeType, TargetStatus, Verification
from dpghub.charter.exchange.apply import (
    ApplyResult,
    ExchangeError,
    PledgeSpec,
    ReportSpec,
    TargetSpec,
    endorser_apply,
    import_require,
    pledge_spec_apply,
    report_spec_apply,
    run_record,
)
from dpghub.charter.models import Target
from dpghub.common.errors import InvalidInput
from dpghub.common.history import Actor
from dpghub.orgs.enums import OrganisationType
from dpghub.orgs.models import Organisation
from dpghub.orgs.services import organisation_link_catalog

LETTERS_SOURCE = "dpg-public-letters: DPG sustainability letter (CC BY-SA 4.0)"
#: The letter carries no date; the snapshot of the letters repository is of this day (README of the data).
LETTERS_SNAPSHOT = dt.date(2026, 7, 14)
FLOWS_SOURCE = "iati-covid19-flows: IATI COVID-19 funding flows, data of 2021-05 (The Unlicense)"
#: The extract gives no transaction dates: commitments and spending are stated as of the end of its month.
FLOWS_AS_OF = dt.date(2021, 5, 31)
FLOWS_METRIC = "COVID-19 funding committed (USD)"
GUIDEBOOK_SOURCE = "global-goods-guidebook: key funders and supporters (CC BY-SA 4.0, Global Goods Guidebook)"
GUIDEBOOK_SNAPSHOT = dt.date(2025, 10, 31)

#: IATI OrganisationType code -> endorser type (codelist OrganisationType).
IATI_ORGANISATION_TYPES = {
    "10": OrganisationType.GOVERNMENT, "11": OrganisationType.GOVERNMENT, "15": OrganisationType.GOVERNMENT,
    "21": OrganisationType.CIVIL_SOCIETY, "22": OrganisationType.CIVIL_SOCIETY, "23": OrganisationType.CIVIL_SOCIETY,
    "24": OrganisationType.CIVIL_SOCIETY, "30": OrganisationType.INTERNATIONAL,
    "40": OrganisationType.INTERNATIONAL, "60": OrganisationType.FOUNDATION,
    "70": OrganisationType.PRIVATE_SECTOR, "71": OrganisationType.PRIVATE_SECTOR,
    "72": OrganisationType.PRIVATE_SECTOR, "73": OrganisationType.PRIVATE_SECTOR, "80": OrganisationType.ACADEMIA,
    "90": OrganisationType.CIVIL_SOCIETY,
}

#: Words in a name that say what kind of organisation it is (the datasets without a type); first match wins.
_NAME_TYPES = (
    (re.compile(r"\b(universit\w*|college|institute of technology|school|academ\w*)\b", re.I),
     OrganisationType.ACADEMIA),
    (re.compile(r"\b(foundation|fondation|philanthrop\w*|trust|fund for)\b", re.I), OrganisationType.FOUNDATION),
    (re.compile(r"\b(ministry|government|agency for|department of|federal|usaid|norad|giz|cdc|"
                r"national coordinator|u\.s\.)\b", re.I), OrganisationType.GOVERNMENT),
    (re.compile(r"\b(united nations|unicef|undp|who|world health|world bank|gavi|global fund|alliance|"
                r"unhcr|wfp|itu|unesco)\b", re.I), OrganisationType.INTERNATIONAL),
    (re.compile(r"\b(inc|ltd|llc|gmbh|corp\w*|technologies|company|s\.a\.|ag|google|amazon|microsoft)\b", re.I),
     OrganisationType.PRIVATE_SECTOR),
)


class SourceUnreadable(ExchangeError, InvalidInput):
    code = "source_unreadable"


@dataclass
class SourceReport:
    """What an importer did (or would do): counts, and notes on the data's quirks met on the way."""

    result: ApplyResult
    notes: Counter = field(default_factory=Counter)
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**self.result.as_dict(), "notes": dict(sorted(self.notes.items())), "details": self.details}

    def __str__(self) -> str:
        notes = "; ".join(f"{key}: {value}" for key, value in sorted(self.notes.items()))
        return str(self.result) + (f"\n{_('Notes')}: {notes}" if notes else "")


def organisation_type_guess(name: str, default: str = OrganisationType.CIVIL_SOCIETY) -> tuple[str, bool]:
    """(type, guessed_from_name): the type a name says (a university, a foundation...), or ``default``."""
    for pattern, kind in _NAME_TYPES:
        if pattern.search(name):
            return kind, True
    return default, False


def name_key(name: str) -> str:
    """A name for de-duplication: accents, case, "&"/"and", a leading "The", a trailing "(ABBR)" and punctuation
    ignored."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"\([^)]*\)\s*$", "", name).replace("&", " and ")
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", name.casefold()).split())
    return key.removeprefix("the ")


def _clean_name(name: Any) -> str:
    return " ".join(str(name or "").split())


def _run(kind: str, source: str, actor: Actor, dry_run: bool, work) -> SourceReport:
    import_require(actor)
    report = SourceReport(ApplyResult(dry_run=dry_run))
    with transaction.atomic():
        rows = work(report)
        run_record(actor=actor, kind=kind, source=source, result=report.result, rows=rows)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _goods_by_registry_url() -> dict[str, Good]:
    return {good.slug: good for good in Good.objects.only("pk", "slug", "name")}


_REGISTRY_URL = re.compile(r"digitalpublicgoods\.net/(?:r|registry)/([a-z0-9-]+?)(?:\.html)?/?$", re.I)


# --- the DPG sustainability letter -------------------------------------------------------------------------

def letters_parse(text: str) -> tuple[list[dict[str, Any]], Counter]:
    """Each organisation once (first signature wins), with its role as signed and the products' registry slugs."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourceUnreadable(_("The letters file is not YAML: %(error)s") % {"error": exc}) from None
    if not isinstance(data, dict):
        raise SourceUnreadable(_("The letters file has no letters."))
    notes: Counter = Counter()
    found: dict[str, dict[str, Any]] = {}
    for letter in data.values():
        for group in ("sincerely", "supported_by"):
            for entry in (letter or {}).get(group) or []:
                organisation = entry.get("organization") or {}
                if isinstance(organisation, list):  # quirk: [{"name": ...}, {"url": ...}] instead of one mapping
                    notes["organisations written as a list of fields (merged)"] += 1
                    organisation = {k: v for part in organisation if isinstance(part, dict) for k, v in part.items()}
                name = _clean_name(organisation.get("name"))
                if not name:
                    notes["signatures without an organisation"] += 1
                    continue
                if not organisation.get("url"):
                    notes["organisations without a web address"] += 1
                urls = [organisation.get("url") or ""] + [p.get("url") or "" for p in entry.get("products") or []]
                slugs = [m.group(1).lower() for m in map(_REGISTRY_URL.search, urls) if m]
                key = name_key(name)
                if key in found:
                    notes["organisations signing more than once"] += 1
                    found[key]["slugs"] += [s for s in slugs if s not in found[key]["slugs"]]
                    continue
                # "CEO|Chair|Creator": one role, its parts joined the way people read them
                role = ", ".join(part.strip() for part in str(entry.get("role") or "").split("|") if part.strip())
                found[key] = {"name": name, "role": role, "group": group, "slugs": slugs}
    return list(found.values()), notes


def letters_import(*, actor: Actor, text: str, dry_run: bool = False,
                   default_type: str = OrganisationType.CIVIL_SOCIETY) -> SourceReport:
    """Endorsers from the letter's signatories and supporters (no pledges: the letter states no numbers)."""
    entries, notes = letters_parse(text)

    def work(report: SourceReport) -> int:
        report.notes.update(notes)
        goods = _goods_by_registry_url()
        linked = {}
        for entry in entries:
            kind, guessed = organisation_type_guess(entry["name"], default_type)
            report.notes["types guessed from the name" if guessed else "types defaulted"] += 1
            endorsement = endorser_apply(name=entry["name"], type=kind, country="", endorsed_on=LETTERS_SNAPSHOT,
                                         actor=actor, source=LETTERS_SOURCE, signatory_role=entry["role"],
                                         result=report.result)
            matched = [slug for slug in entry["slugs"] if slug in goods]
            report.notes["registry links not matching a registered good"] += len(entry["slugs"]) - len(matched)
            linked[entry["name"]] = matched
            _link_registry_owners(endorsement.organisation, matched, actor=actor, report=report)
        report.details["goods_of_endorsers"] = linked
        return len(entries)

    return _run("letters", LETTERS_SOURCE, actor, dry_run, work)


def _link_registry_owners(organisation: Organisation, slugs: list[str], *, actor: Actor,
                          report: SourceReport) -> None:
    """Say which of the registry's owner records this endorser is: an owner of one of its goods with the same
    name (by :func:`name_key`). A differently named owner is left alone: the letter names who signed, the
    registry who owns, and a company that stands for a good is not its owner."""
    key = name_key(organisation.name)
    owners = {pk for pk, name in GoodOrganisation.objects.filter(
        good__slug__in=slugs, role=OrganisationRole.OWNER).values_list("organisation_id", "organisation__name")
        if name_key(name) == key}
    current = set(organisation.catalog_organisations.values_list("pk", flat=True))
    if owners - current:
        organisation_link_catalog(actor=actor, organisation=organisation,
                                  catalog_organisation_ids=sorted(owners | current))
        report.result.counts["endorsers linked to the registry's owners"] += 1


# --- IATI COVID-19 flows ------------------------------------------------------------------------------------

def flows_parse(text: str) -> tuple[dict[str, dict[str, Any]], Counter]:
    """Per reporting organisation: its IATI type code, outgoing commitments and outgoing spending in USD."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    wanted = ["Reporting org", "Reporting org type", "Transaction type", "Transaction direction", "Total money"]
    if header is None or any(column not in header for column in wanted):
        raise SourceUnreadable(_("The flows file lacks the columns %(columns)s.") % {"columns": ", ".join(wanted)})
    index = {column: header.index(column) for column in wanted}
    notes: Counter = Counter()
    funders: dict[str, dict[str, Any]] = {}
    for row in reader:
        if not row or not any(cell.strip() for cell in row):
            continue
        if row[0].startswith("#"):
            notes["HXL hashtag rows skipped"] += 1
            continue
        cells = {column: (row[i].strip() if i < len(row) else "") for column, i in index.items()}
        if cells["Transaction direction"] != "outgoing":
            notes["incoming flows skipped (the receiver's view)"] += 1
            continue
        if not cells["Total money"]:
            notes["flows without an amount skipped"] += 1
            continue
        try:
            amount = decimal.Decimal(cells["Total money"])
        except decimal.InvalidOperation:
            notes["flows with an unreadable amount skipped"] += 1
            continue
        name = _clean_name(cells["Reporting org"])
        funder = funders.setdefault(name_key(name), {"name": name, "types": Counter(), "commitments": decimal.Decimal(0),
                                                     "spending": decimal.Decimal(0), "flows": 0})
        funder["types"][cells["Reporting org type"]] += 1
        funder["flows"] += 1
        if cells["Transaction type"] == "commitments":
            funder["commitments"] += amount
        elif cells["Transaction type"] == "spending":
            funder["spending"] += amount
        else:
            notes["flows of another transaction type skipped"] += 1
    return funders, notes


def flows_import(*, actor: Actor, text: str, dry_run: bool = False) -> SourceReport:
    """One published finance pledge per funder with outgoing commitments: target = the commitments (USD),
    one progress report = the spending, both as of the extract (self-reported: the funder published them)."""
    funders, notes = flows_parse(text)

    def work(report: SourceReport) -> int:
        report.notes.update(notes)
        for funder in sorted(funders.values(), key=lambda f: f["name"]):
            if funder["commitments"] <= 0:
                report.notes["funders with spending but no commitment (no pledge)"] += 1
                continue
            code = funder["types"].most_common(1)[0][0]
            kind = IATI_ORGANISATION_TYPES.get(code)
            if kind is None:
                kind, _guessed = organisation_type_guess(funder["name"])
                report.notes["unknown IATI organisation types"] += 1
            ref = "iati-covid19-" + slugify(funder["name"])[:80]
            spec = PledgeSpec(
                ref=ref, endorser=funder["name"], endorser_type=kind, endorser_country="",
                endorsed_on=FLOWS_AS_OF, title=_("COVID-19 funding of %(funder)s") % {"funder": funder["name"]},
                description=_("Outgoing COVID-19 commitments and spending that %(funder)s published to IATI "
                              "(%(flows)d flows; extract of 2021-05).") % {"funder": funder["name"],
                                                                          "flows": funder["flows"]},
                pledged_on=FLOWS_AS_OF, types=[PledgeType.FINANCE], outcomes=[Outcome.IMPLEMENTATION],
                targets=[TargetSpec(metric=FLOWS_METRIC, target_value=funder["commitments"], currency="USD")])
            pledge = pledge_spec_apply(spec, actor=actor, source=FLOWS_SOURCE, result=report.result)
            target = Target.objects.get(pledge=pledge, metric=FLOWS_METRIC)
            status = (TargetStatus.COMPLETED if funder["spending"] >= funder["commitments"] else TargetStatus.ON_TRACK)
            errors = report_spec_apply(ReportSpec(ref=ref, metric=FLOWS_METRIC, reported_on=FLOWS_AS_OF,
                                                  value=funder["spending"], status=status,
                                                  verification=Verification.SELF_REPORTED),
                                       target=target, actor=actor, source=FLOWS_SOURCE, result=report.result)
            if errors:
                report.notes["reports already stored with other values (kept)"] += 1
        return sum(f["flows"] for f in funders.values())

    return _run("iati-covid19-flows", FLOWS_SOURCE, actor, dry_run, work)


# --- the Global Goods Guidebook -----------------------------------------------------------------------------

def guidebook_records(path: Path) -> list[dict[str, Any]]:
    """The goods' records from a folder (``individual/*.json`` or ``*.json``) or one record file."""
    if path.is_dir():
        folder = path / "individual" if (path / "individual").is_dir() else path
        files = sorted(p for p in folder.glob("*.json") if p.name != "index.json")
    else:
        files = [path]
    records = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SourceUnreadable(_("%(file)s is not readable JSON: %(error)s") % {"file": file.name,
                                                                                   "error": exc}) from None
        records.extend(data if isinstance(data, list) else [data])
    return [record for record in records if isinstance(record, dict) and record.get("Name")]


#: "Implementing Partners", "WHO Member States", "HL7 Members": a group of organisations, not an endorser.
_GROUP = re.compile(r"\b(partners|members|member states|implementers|donors|community)$", re.I)


def guidebook_funders(records: list[dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], Counter]:
    notes: Counter = Counter()
    funders: dict[str, dict[str, Any]] = {}
    for record in records:
        supporters = (record.get("Sustainability") or {}).get("KeyFundersSupporters") or []
        if not supporters:
            notes["goods naming no funder"] += 1
        for supporter in supporters:
            if isinstance(supporter, str):  # quirk: some records list bare names instead of objects
                notes["funders given as a bare name"] += 1
                supporter = {"name": supporter}
            name = _clean_name(supporter.get("name"))
            if not name:
                notes["funders without a name skipped"] += 1
                continue
            if _GROUP.search(name):
                notes["groups that are not one organisation skipped"] += 1
                continue
            key = name_key(name)
            if key in funders:
                notes["funders named again (merged)"] += 1
            funder = funders.setdefault(key, {"name": name, "goods": []})
            good = _clean_name(record["Name"])
            if good not in funder["goods"]:
                funder["goods"].append(good)
    return funders, notes


def guidebook_import(*, actor: Actor, path: Path, dry_run: bool = False,
                     default_type: str = OrganisationType.FOUNDATION) -> SourceReport:
    """Endorsers from the goods' key funders and supporters; which goods each supports is reported, never
    turned into a pledge: the guidebook states no amount, count or date to measure."""
    records = guidebook_records(path)
    funders, notes = guidebook_funders(records)

    def work(report: SourceReport) -> int:
        report.notes.update(notes)
        supports = defaultdict(list)
        for funder in sorted(funders.values(), key=lambda f: f["name"]):
            kind, guessed = organisation_type_guess(funder["name"], default_type)
            report.notes["types guessed from the name" if guessed else "types defaulted"] += 1
            endorser_apply(name=funder["name"], type=kind, country="", endorsed_on=GUIDEBOOK_SNAPSHOT, actor=actor,
                           source=GUIDEBOOK_SOURCE, result=report.result)
            supports[funder["name"]] = funder["goods"]
        report.details["supports_without_numbers"] = dict(supports)
        return len(records)

    return _run("global-goods-guidebook", GUIDEBOOK_SOURCE, actor, dry_run, work)
