"""Reads of the catalogue, shared by the web pages, the API, the CLI and exports.

Everything here applies the public visibility rules: contacts (personal data) are never loaded.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field, fields

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from dpghub.catalog import search
from dpghub.catalog.enums import Facet
from dpghub.catalog.errors import GoodNotFound, InvalidQuery
from dpghub.catalog.models import (
    Assessment,
    FacetEntry,
    Good,
    GoodOrganisation,
    IndicatorResult,
)

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class GoodFilters:
    """What a user asked for: free text plus facet values (OR within a facet, AND across facets)."""

    q: str = ""
    category: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    sdg: tuple[str, ...] = ()
    license: tuple[str, ...] = ()
    development_country: tuple[str, ...] = ()
    deployment_country: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()

    def facet_values(self) -> dict[str, tuple[str, ...]]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "q" and getattr(self, f.name)}

    def is_empty(self) -> bool:
        return not self.q.strip() and not self.facet_values()


#: Sort keys offered to users, and how each orders goods ("relevance" is ranked by search.ranked_ids).
SORTS: dict[str, tuple[str, ...]] = {
    "relevance": ("name", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "updated": ("-updated_at", "id"),
}


@dataclass(frozen=True)
class GoodPage:
    items: list[Good]
    total: int
    page: int
    page_size: int
    sort: str
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def _facet_filtered(filters: GoodFilters) -> QuerySet[Good]:
    queryset = Good.objects.all()
    for facet_name, values in filters.facet_values().items():
        queryset = queryset.filter(
            Exists(FacetEntry.objects.filter(good=OuterRef("pk"), facet=facet_name, value__in=values))
        )
    return queryset


def _filtered(filters: GoodFilters) -> QuerySet[Good]:
    return search.apply(_facet_filtered(filters), filters.q)


def _validate(filters: GoodFilters, sort: str, page: int, page_size: int) -> None:
    if sort not in SORTS:
        raise InvalidQuery(
            _("Unknown sort “%(sort)s”; use one of: %(known)s.") % {"sort": sort, "known": ", ".join(SORTS)},
            field="sort",
        )
    if page < 1:
        raise InvalidQuery(_("Page must be 1 or more."), field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidQuery(
            _("Page size must be between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE}, field="page_size"
        )
    for value in filters.sdg:
        if not value.isdigit() or not 1 <= int(value) <= 17:
            raise InvalidQuery(_("SDG must be a number from 1 to 17, not “%(value)s”.") % {"value": value}, field="sdg")


def goods_search(
    *, filters: GoodFilters, sort: str = "relevance", page: int = 1, page_size: int = 20, with_facets: bool = True
) -> GoodPage:
    """One page of goods matching ``filters``, the total, and facet counts over the whole result."""
    _validate(filters, sort, page, page_size)
    has_text = bool(search.tokens(filters.q))
    if sort == "relevance" and not has_text:
        sort_key = "name"
    else:
        sort_key = sort
    queryset = _filtered(filters)
    total = queryset.count()
    offset = (page - 1) * page_size
    fields = ("id", "uid", "slug", "name", "description", "categories", "stage", "updated_at")
    if sort_key == "relevance":
        ids = search.ranked_ids(_facet_filtered(filters), filters.q, limit=page_size, offset=offset)
        by_id = Good.objects.prefetch_related("licenses", "sdgs").only(*fields).in_bulk(ids)
        items = [by_id[pk] for pk in ids]
    else:
        page_qs = queryset.prefetch_related("licenses", "sdgs").only(*fields).order_by(*SORTS[sort_key])
        items = list(page_qs[offset : offset + page_size])
    facets = goods_facets(filters=filters) if with_facets else {}
    return GoodPage(items=items, total=total, page=page, page_size=page_size, sort=sort, facets=facets)


def goods_facets(*, filters: GoodFilters) -> dict[str, list[tuple[str, int]]]:
    """Counts of goods per facet value within the result of ``filters``, largest first."""
    entries = FacetEntry.objects.all()
    if not filters.is_empty():
        entries = entries.filter(good_id__in=_filtered(filters).values("id"))
    rows = (
        entries.values_list("facet", "value")
        .annotate(count=Count("good_id"))
        .order_by()
    )
    out: dict[str, list[tuple[str, int]]] = {facet.value: [] for facet in Facet}
    for facet_name, value, count in rows:
        out[facet_name].append((value, count))
    for values in out.values():
        values.sort(key=lambda item: (-item[1], item[0]))
    return out


def good_get(*, slug: str) -> Good:
    """A good with everything its public page shows; raises GoodNotFound.

    ``slug`` may also be the good's uid (a UUID), so that stable links keep working after a rename.
    """
    queryset = Good.objects.prefetch_related(
        "licenses",
        "sdgs",
        "countries",
        "repositories",
        "external_ids",
        "provenances",
        Prefetch(
            "organisation_links",
            queryset=GoodOrganisation.objects.select_related("organisation").order_by("role", "organisation__name"),
        ),
        Prefetch(
            "assessments",
            queryset=Assessment.objects.select_related("standard_version", "provenance").prefetch_related(
                Prefetch("results", queryset=IndicatorResult.objects.order_by("id"))
            ),
        ),
    )
    lookup = Q(slug=slug)
    try:
        lookup |= Q(uid=uuid.UUID(slug))
    except ValueError:
        pass
    try:
        return queryset.get(lookup)
    except Good.DoesNotExist:
        raise GoodNotFound(slug) from None
