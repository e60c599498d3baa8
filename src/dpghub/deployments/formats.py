"""Reading the deployment files: each format's rows as :class:`Claim` objects, or row errors.

What a row says, nothing about the database (no model is imported here; messages go through gettext). Row numbers are the spreadsheet's: the header is row 1, the first record
row 2, whatever line breaks its cells hold. For the Guidebook's JSON, the "row" is the record's position
in the file (1 for a file of one record).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dpghub.deployments.countries import country_resolve

#: What a file says instead of a country when a tool is not deployed in one (skipped, not an error).
NO_COUNTRY = frozenset({"global", "worldwide", "no country identified", "multiple countries", "regional"})
_NOT_A_PARTNER = frozenset({"none", "none (for-profit company)", "n/a", "na", "unknown", "-", "self"})


class FileUnreadable(ValueError):
    """The file as a whole cannot be read in this format (not CSV/JSON, missing columns)."""


@dataclass
class Claim:
    """One deployment a file claims: a software in a country, with what else the row says."""

    row: int
    key: str
    country: str
    names: list[str]
    fallback_names: list[str] = field(default_factory=list)
    agency_name: str = ""
    stage: str = ""
    sector: str = ""
    layer: str = ""
    scope: str = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    reach: int | None = None
    reach_unit: str = ""
    implementers: list[str] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    evidence_urls: list[str] = field(default_factory=list)
    notes: str = ""


@dataclass
class Parsed:
    claims: list[Claim] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"row", "reason"}
    skipped: list[dict] = field(default_factory=list)  # rows that are no deployment in a country


class RowError(ValueError):
    pass


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def date_read(text: str | None, column: str) -> dt.date | None:
    """A date written dd/mm/yyyy (the files' habit) or yyyy-mm-dd; empty is None; anything else an error."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(_("%(column)s: “%(value)s” is not a date (dd/mm/yyyy)") % {"column": column, "value": text})


def names_split(text: str | None, separators: str = ",;\n") -> list[str]:
    """A cell listing names: split on "|" when the cell uses it (names then hold commas), else on ``separators``;
    blank, placeholder and repeated names dropped."""
    text = text or ""
    parts = text.split("|") if "|" in text else re.split(f"[{re.escape(separators)}]", text)
    names: list[str] = []
    for part in parts:
        name = _one_line(part).strip(" .;,")
        if name and name.casefold() not in _NOT_A_PARTNER and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _country(raw: str | None) -> str | None:
    """The alpha-2 code; None for "global" and the like; RowError when it is no country."""
    text = _one_line(raw)
    if text.casefold() in NO_COUNTRY:
        return None
    code = country_resolve(text)
    if code is None:
        raise RowError(_("country: “%(value)s” is not an ISO 3166 country") % {"value": text} if text
                       else _("country: empty"))
    return code


def _urls(*values: str | None) -> list[str]:
    return [v.strip() for v in values if v and re.match(r"^https?://\S+$", v.strip())]


def _csv_records(text: str, required: set[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FileUnreadable(_("the file is empty")) from None
    missing = sorted(required - set(header))
    if missing:
        raise FileUnreadable(_("not this format: the header lacks %(columns)s") % {"columns": ", ".join(missing)})
    # blank lines (a trailing one, for instance) are no record
    return header, [(number, cells) for number, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]


def _cells(header: list[str], cells: list[str]) -> dict[str, str]:
    if len(cells) != len(header):
        raise RowError(_("%(cells)d cell(s) where the header has %(columns)d (a line broken out of a cell?)")
                       % {"cells": len(cells), "columns": len(header)})
    return dict(zip(header, cells, strict=True))


def _skip_or_claim(parsed: Parsed, row: int, raw_country: str, build) -> None:
    try:
        code = _country(raw_country)
        if code is None:
            parsed.skipped.append({"row": row, "reason": _("no country: “%(value)s”") % {"value": _one_line(raw_country)}})
            return
        parsed.claims.extend(build(code))
    except RowError as exc:
        parsed.errors.append({"row": row, "reason": str(exc)})


_COUNT = re.compile(r"(Clients|Health Workers|Facilities):\s*(\d+)")


def _coverage(*cells: str) -> tuple[int | None, str]:
    """Reach from the Atlas's coverage cells ("Clients: n, Health Workers: n, Facilities: n", per district):
    clients served (people), or else facilities."""
    totals = {"Clients": 0, "Health Workers": 0, "Facilities": 0}
    for cell in cells:
        for what, number in _COUNT.findall(cell or ""):
            totals[what] += int(number)
    if totals["Clients"]:
        return totals["Clients"], "people"
    if totals["Facilities"]:
        return totals["Facilities"], "facilities"
    return None, ""


def dha_read(text: str) -> Parsed:
    """The WHO Digital Health Atlas export. Its "National Level Deployment" column holds the national coverage
    (the header is off by one there): a row with a value there is a national deployment."""
    header, records = _csv_records(text, {"Name", "Country", "Start Date", "End Date", "Organisation Name",
                                          "Software", "Implementing Partners", "Donors"})
    parsed = Parsed()
    for row, cells in records:
        try:
            values = _cells(header, cells)
            started = date_read(values["Start Date"] or values.get("Implementation Date"), "Start Date")
            ended = date_read(values["End Date"], "End Date")
        except RowError as exc:
            parsed.errors.append({"row": row, "reason": str(exc)})
            continue
        national = values.get("National Level Deployment", "").strip()
        reach, unit = _coverage(national, values.get("First Level Coverage", ""), values.get("Second Level Coverage", ""))

        def build(code: str, values=values, row=row, started=started, ended=ended, national=national,
                  reach=reach, unit=unit) -> list[Claim]:
            return [Claim(
                row=row, key=str(row), country=code, names=names_split(values["Software"]),
                agency_name=_one_line(values["Organisation Name"])[:300], stage="national" if national else "",
                sector="health", scope=_one_line(values.get("Geographical scope"))[:500], started_on=started,
                ended_on=ended, reach=reach, reach_unit=unit, implementers=names_split(values["Implementing Partners"]),
                funders=names_split(values["Donors"]),
                evidence_urls=_urls(values.get("Repository"), values.get("Mobile Application"), values.get("Wiki")),
                notes=_one_line(values["Name"]),
            )]

        _skip_or_claim(parsed, row, values["Country"], build)
    return parsed


def mapmatch_read(text: str) -> Parsed:
    """The Digital Health Map & Match survey (phase 1): one row per country x tool x software."""
    header, records = _csv_records(text, {"country", "tool", "software", "funder", "implementer", "scale",
                                          "scale_scope", "tool_link", "source"})
    parsed = Parsed()
    for row, cells in records:
        try:
            values = _cells(header, cells)
        except RowError as exc:
            parsed.errors.append({"row": row, "reason": str(exc)})
            continue
        scale = _one_line(values["scale"]).casefold()

        def build(code: str, values=values, row=row, scale=scale) -> list[Claim]:
            return [Claim(
                row=row, key=str(row), country=code, names=names_split(values["software"]),
                fallback_names=names_split(values["tool"], separators=";"),
                stage="national" if scale == "national" else "", sector="health",
                scope=_one_line(values["scale_scope"])[:500], implementers=names_split(values["implementer"]),
                funders=names_split(values["funder"]), evidence_urls=_urls(values["tool_link"]),
                notes=_one_line(values["source"]),
            )]

        _skip_or_claim(parsed, row, values["country"], build)
    return parsed


def digital_square_read(text: str) -> Parsed:
    """Digital Square's implementation counts: a country and the goods implemented there (one per line)."""
    header, records = _csv_records(text, {"Countries of Implementation", "List with Line Breaks"})
    parsed = Parsed()
    for row, cells in records:
        try:
            values = _cells(header, cells)
        except RowError as exc:
            parsed.errors.append({"row": row, "reason": str(exc)})
            continue

        def build(code: str, values=values, row=row) -> list[Claim]:
            return [Claim(row=row, key=f"{code}:{name.casefold()}", country=code, names=[name])
                    for name in names_split(values["List with Line Breaks"], separators="\n")]

        _skip_or_claim(parsed, row, values["Countries of Implementation"], build)
    return parsed


def guidebook_read(text: str) -> Parsed:
    """Global Goods Guidebook records (one JSON object, or a list): each implementation country a claim."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileUnreadable(_("not JSON: %(error)s") % {"error": exc}) from None
    records = data if isinstance(data, list) else [data]
    parsed = Parsed()
    for row, record in enumerate(records, start=1):
        if not isinstance(record, dict) or not _one_line(record.get("Name")) or not isinstance(record.get("Reach"), dict):
            parsed.errors.append({"row": row, "reason": _("not a Guidebook record (no Name or Reach)")})
            continue
        countries = record["Reach"].get("ImplementationCountries") or []
        unknown = [c for c in countries if not isinstance(c, str) or country_resolve(c) is None]
        if unknown:
            parsed.errors.append({"row": row, "reason": _("ImplementationCountries: %(codes)s are not ISO 3166 codes")
                                  % {"codes": ", ".join(map(str, unknown))}})
            continue
        funders = [_one_line(f.get("name")) for f in (record.get("Sustainability") or {}).get("KeyFundersSupporters", [])
                   if isinstance(f, dict) and _one_line(f.get("name"))]
        health = bool((record.get("Classifications") or {}).get("WHO"))
        ident = _one_line(record.get("ID")) or _one_line(record["Name"])
        for code in dict.fromkeys(country_resolve(c) for c in countries):
            parsed.claims.append(Claim(row=row, key=f"{ident}:{code}", country=code, names=[_one_line(record["Name"])],
                                       sector="health" if health else "", funders=funders))
    return parsed


READERS = {"mapmatch": mapmatch_read, "dha": dha_read, "digital-square": digital_square_read,
           "guidebook": guidebook_read}
