"""Reads of the catalogue that the public sees, shared by the web pages and the API.

Everything here applies the public visibility rules: contacts (personal data) are never loaded.
Exports have their own query (catalog.services.exporting), which loads contacts only when asked.
"""

from __future__ import annotations

import datetime
import math
import uuid
from dataclasses import dataclass, field, fields

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from pyroaring import BitMap

from dpghub.catalog import facet_index, search
from dpghub.catalog.enums import Facet
from dpghub.catalog.errors import GoodNotFound, InvalidQuery
from dpghub.catalog.models import (
    Assessment,
    Good,
    GoodLicense,
    GoodOrganisation,
    GoodSDG,
    IndicatorResult,
)

MAX_PAGE_SIZE = 100

#: When the text matches at most this many goods, "relevance" ranks them all; above it, goods
#: whose title matches come first and the rest follow in the static catalogue order
#: (see _relevance_page and docs/adr/0004-search.md).
RANK_ALL_LIMIT = 2000


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


#: Sort keys offered to users. "relevance" without text is "name"; with text see _relevance_page.
#: The orders (name then id, its reverse, newest update first) come from catalog.facet_index.
SORTS: tuple[str, ...] = ("relevance", "name", "-name", "updated")


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


@dataclass(frozen=True)
class _Result:
    index: facet_index.FacetIndex
    #: the goods matching the filters; None when there are no filters (all goods)
    ids: BitMap | None
    words: list[str]
    #: how many goods match the text alone (before facet filters)
    text_matches: int


def _result(filters: GoodFilters) -> _Result:
    index = facet_index.get()
    words = search.tokens(filters.q)
    facet_values = filters.facet_values()
    result = index.filtered(facet_values) if facet_values else None
    text_matches = 0
    if words:
        matches = search.match_ids(words)
        text_matches = len(matches)
        result = (matches & index.all_ids) if result is None else (result & matches)
    return _Result(index, result, words, text_matches)


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
    """One page of goods matching ``filters``, the total, and facet counts over the whole result.

    Facets, facet filters, totals and orders come from the in-memory index (catalog.facet_index);
    the database answers the full-text match and ranks small sets (docs/adr/0004-search.md).
    """
    _validate(filters, sort, page, page_size)
    found = _result(filters)
    index = found.index
    goods = index.all_ids if found.ids is None else found.ids
    offset = (page - 1) * page_size
    if sort == "relevance" and found.words:
        ids = _relevance_page(found, goods, offset=offset, limit=page_size)
    elif sort in ("relevance", "name"):
        ids = index.by_name.page(goods, offset, page_size)
    elif sort == "-name":
        ids = index.by_name.page(goods, offset, page_size, reverse=True)
    else:
        ids = index.by_updated.page(goods, offset, page_size)
    items = _page_items(ids)
    facets = _facet_counts(index, found.ids) if with_facets else {}
    return GoodPage(items=items, total=len(goods), page=page, page_size=page_size, sort=sort, facets=facets)


def _page_items(ids: list[int]) -> list[Good]:
    """The goods of a result page, in order, with what lists show: licence expressions and SDG numbers
    (other fields of those rows are deferred, so reading one costs a query per row)."""
    fields = ("id", "uid", "slug", "name", "description", "categories", "stage", "updated_at")
    by_id = Good.objects.prefetch_related(
        Prefetch("licenses", queryset=GoodLicense.objects.only("id", "good_id", "expression")),
        Prefetch("sdgs", queryset=GoodSDG.objects.only("id", "good_id", "sdg")),
    ).only(*fields).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _relevance_page(found: _Result, goods: BitMap, *, offset: int, limit: int) -> list[int]:
    """One page of ``goods`` (all matching ``found.words``) by relevance.

    When the text matches at most RANK_ALL_LIMIT goods, all are ranked (bm25 / ts_rank over title
    and body). Otherwise the goods whose title matches come first, ranked by the title alone (or
    in the static order if they too are more than RANK_ALL_LIMIT), then the others in the static
    order: stage (DPG, nominee, expired, archived, excluded), name, id.
    """
    end = offset + limit
    if found.text_matches <= RANK_ALL_LIMIT:
        return _ranked(found, search.scored_ids(found.words), goods)[offset:end]
    static = found.index.by_stage_then_name
    scored_titles = search.scored_ids(found.words, title_only=True, limit=RANK_ALL_LIMIT + 1)
    if len(scored_titles) <= RANK_ALL_LIMIT:
        titled = BitMap(pk for pk, _score in scored_titles) & goods
        ranked_titles = True
    else:
        titled = search.match_ids(found.words, title_only=True) & goods
        ranked_titles = False
    ids: list[int] = []
    if offset < len(titled):
        if ranked_titles:
            ids = _ranked(found, scored_titles, titled)[offset:end]
        else:
            ids = static.page(titled, offset, limit)
    if len(ids) < limit:
        ids += static.page(goods - titled, max(0, offset - len(titled)), limit - len(ids))
    return ids


def _ranked(found: _Result, scored: list[tuple[int, float]], within: BitMap) -> list[int]:
    """The goods of ``scored`` that are in ``within``, best score first, ties by name then id."""
    name_rank = found.index.by_name.rank_of
    ordered = sorted((score, name_rank[pk], pk) for pk, score in scored if pk in within)
    return [pk for _score, _rank, pk in ordered]


def _facet_counts(index: facet_index.FacetIndex, result: BitMap | None) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {facet.value: [] for facet in Facet}
    out.update(index.counts(result))
    return out


def goods_facets(*, filters: GoodFilters) -> dict[str, list[tuple[str, int]]]:
    """Counts of goods per facet value within the result of ``filters``, largest first."""
    found = _result(filters)
    return _facet_counts(found.index, found.ids)


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


def goods_sitemap() -> list[tuple[str, datetime.datetime]]:
    """(slug, last change) of every good, by slug: what a sitemap lists (every good has a public page)."""
    return list(Good.objects.order_by("slug").values_list("slug", "updated_at"))
