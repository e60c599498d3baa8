"""Export the catalogue: :func:`goods_export` writes JSON or CSV to a text stream.

JSON shape (``dpghub-goods/1``)::

    {"format": "dpghub-goods/1",
     "goods": [{"uid", "slug", "name", "aliases", "description", "categories", "website", "sectors",
                "stage", "excluded_on", "excluded_reason", "recognised_on", "expires_on",
                "licences": [{"expression", "source_text", "evidence_url"}],
                "sdgs": [{"sdg", "relevance", "evidence_urls"}],
                "countries": {"development": ["KE", ...], "deployment": [...]},
                "organisations": [{"name", "website", "role"}],
                "repositories": [{"name", "url"}],
                "external_ids": [{"scheme", "value"}],
                "assessments": [{"source", "standard_version", "assessed_on",
                                 "results": {"1": "declared", ..., "9c": "no-evidence"}}]}]}

Goods are ordered by slug, so two exports of the same catalogue are byte-identical. Personal data
(the ``Contact`` table) is left out unless ``include_personal_data`` is true; then each good also
has ``"contacts": [{"organisation", "name", "email"}]`` (a CSV column ``contacts``).

CSV: one row per good, the columns of :data:`CSV_COLUMNS`; several values joined with "; ".
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from django.db.models import Prefetch

from dpghub.catalog.enums import CountryRole, ExternalIdScheme
from dpghub.catalog.models import Assessment, Good, GoodOrganisation

FORMAT_NAME = "dpghub-goods/1"
FORMATS = ("json", "csv")
CSV_COLUMNS = (
    "uid", "slug", "name", "stage", "categories", "aliases", "description", "website", "sectors",
    "licences", "sdgs", "development_countries", "deployment_countries", "organisations", "repositories",
    "dpga_application_ids", "dpgids", "legacy_slugs", "assessments",
)
_JOIN = "; "


def _goods(include_personal_data: bool):
    queryset = Good.objects.order_by("slug").prefetch_related(
        "licenses", "sdgs", "countries", "repositories", "external_ids",
        Prefetch("organisation_links", GoodOrganisation.objects.select_related("organisation").order_by(
            "organisation__normalized_name", "role")),
        Prefetch("assessments", Assessment.objects.select_related("standard_version")
                 .prefetch_related("results").order_by("assessed_on", "id")),
    )
    if include_personal_data:
        queryset = queryset.prefetch_related("contacts__organisation")
    return queryset


def good_as_dict(good: Good, *, include_personal_data: bool = False) -> dict[str, Any]:
    """One good in the documented export shape (needs the prefetches of :func:`_goods`)."""
    countries = {CountryRole.DEVELOPMENT.value: [], CountryRole.DEPLOYMENT.value: []}
    for link in sorted(good.countries.all(), key=lambda c: (c.role, c.country)):
        countries.setdefault(link.role, []).append(link.country)
    data = {
        "uid": str(good.uid),
        "slug": good.slug,
        "name": good.name,
        "aliases": good.aliases,
        "description": good.description,
        "categories": good.categories,
        "website": good.website,
        "sectors": good.sectors,
        "stage": good.stage,
        "excluded_on": good.excluded_on.isoformat() if good.excluded_on else None,
        "excluded_reason": good.excluded_reason,
        "recognised_on": good.recognised_on.isoformat() if good.recognised_on else None,
        "expires_on": good.expires_on.isoformat() if good.expires_on else None,
        "licences": [{"expression": lic.expression, "source_text": lic.source_text, "evidence_url": lic.evidence_url}
                     for lic in sorted(good.licenses.all(), key=lambda lic: lic.expression)],
        "sdgs": [{"sdg": s.sdg, "relevance": s.relevance, "evidence_urls": s.evidence_urls}
                 for s in sorted(good.sdgs.all(), key=lambda s: s.sdg)],
        "countries": countries,
        "organisations": [{"name": link.organisation.name, "website": link.organisation.website, "role": link.role}
                          for link in good.organisation_links.all()],
        "repositories": [{"name": r.name, "url": r.url} for r in sorted(good.repositories.all(), key=lambda r: r.url)],
        "external_ids": [{"scheme": e.scheme, "value": e.value}
                         for e in sorted(good.external_ids.all(), key=lambda e: (e.scheme, e.value))],
        "assessments": [
            {"source": a.source, "standard_version": a.standard_version.version,
             "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
             "results": {r.indicator: r.status for r in sorted(a.results.all(), key=_indicator_order)}}
            for a in good.assessments.all()
        ],
    }
    if include_personal_data:
        data["contacts"] = [
            {"organisation": c.organisation.name if c.organisation else "", "name": c.name, "email": c.email}
            for c in sorted(good.contacts.all(), key=lambda c: (c.name, c.email))
        ]
    return data


def _indicator_order(result) -> tuple[int, str]:
    code = result.indicator
    return (int(code[0]) if code[:1].isdigit() else 99, code)


def _csv_row(data: dict[str, Any], include_personal_data: bool) -> dict[str, str]:
    ids = {scheme.value: [e["value"] for e in data["external_ids"] if e["scheme"] == scheme.value]
           for scheme in ExternalIdScheme}
    assessments = []
    for a in data["assessments"]:
        counts: dict[str, int] = {}
        for status in a["results"].values():
            counts[status] = counts.get(status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        assessments.append(f"{a['source']} {a['standard_version']} {a['assessed_on'] or ''}: {summary}")
    row = {
        "uid": data["uid"], "slug": data["slug"], "name": data["name"], "stage": data["stage"],
        "categories": _JOIN.join(data["categories"]), "aliases": _JOIN.join(data["aliases"]),
        "description": data["description"], "website": data["website"], "sectors": _JOIN.join(data["sectors"]),
        "licences": _JOIN.join(lic["expression"] for lic in data["licences"]),
        "sdgs": _JOIN.join(str(s["sdg"]) for s in data["sdgs"]),
        "development_countries": _JOIN.join(data["countries"].get("development", [])),
        "deployment_countries": _JOIN.join(data["countries"].get("deployment", [])),
        "organisations": _JOIN.join(f"{o['name']} ({o['role']})" for o in data["organisations"]),
        "repositories": _JOIN.join(r["url"] for r in data["repositories"]),
        "dpga_application_ids": _JOIN.join(ids[ExternalIdScheme.DPGA_APPLICATION.value]),
        "dpgids": _JOIN.join(ids[ExternalIdScheme.DPGID.value]),
        "legacy_slugs": _JOIN.join(ids[ExternalIdScheme.LEGACY_SLUG.value]),
        "assessments": _JOIN.join(assessments),
    }
    if include_personal_data:
        row["contacts"] = _JOIN.join(
            " ".join(part for part in (c["name"], f"<{c['email']}>" if c["email"] else "") if part)
            for c in data["contacts"])
    return row


def goods_iter(*, include_personal_data: bool = False) -> Iterator[dict[str, Any]]:
    for good in _goods(include_personal_data).iterator(chunk_size=500):
        yield good_as_dict(good, include_personal_data=include_personal_data)


class _Lines:
    """A write-only text stream that keeps what is written until taken (for csv.writer)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def goods_export_chunks(*, format: str, include_personal_data: bool = False) -> Iterator[str]:
    """The export of :func:`goods_export` as text chunks (one per good), for a streamed download:
    the catalogue is read in batches, never held whole in memory."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; use one of {', '.join(FORMATS)}")
    if format == "json":
        yield f'{{"format": "{FORMAT_NAME}", "goods": ['
        for count, data in enumerate(goods_iter(include_personal_data=include_personal_data)):
            yield ("\n" if count == 0 else ",\n") + json.dumps(data, ensure_ascii=False, sort_keys=True)
        yield "\n]}\n"
        return
    lines = _Lines()
    columns = list(CSV_COLUMNS) + (["contacts"] if include_personal_data else [])
    writer = csv.DictWriter(lines, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    yield lines.take()
    for data in goods_iter(include_personal_data=include_personal_data):
        writer.writerow(_csv_row(data, include_personal_data))
        yield lines.take()


def goods_export(*, format: str, stream: TextIO, include_personal_data: bool = False) -> int:
    """Write every good to ``stream`` as ``json`` or ``csv``; return the number of goods written."""
    count = -1  # the first chunk is the header (CSV) or the opening (JSON)
    for chunk in goods_export_chunks(format=format, include_personal_data=include_personal_data):
        stream.write(chunk)
        count += 1
    return count - 1 if format == "json" else count
