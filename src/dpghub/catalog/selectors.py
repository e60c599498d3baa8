"""Reads of the catalogue that the public sees, shared by the web pages and the API.

Everything here applies the public visibility rules: contacts (personal data) are never loaded.
Exports have their own query (catalog.services.exporting), which loads contacts only when asked.
"""

from __future__ import annotations

import datetime
import math
import unicodedata
import uuid
from dataclasses import dataclass, field, fields, replace

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from pyroaring import BitMap

from dpghub.catalog import facet_index, search, spelling
from dpghub.catalog.enums import Category, Facet, Stage
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

#: What a list shows when the query names no stage: the recognised digital public goods. Nominees,
#: expired, archived and excluded goods are shown when asked for (their counts always are).
DEFAULT_STAGES: tuple[str, ...] = (Stage.DPG,)
#: The stage value that asks for every stage.
ALL_STAGES = "all"
#: Longest search text accepted (the pages echo at most this much of a longer one).
MAX_QUERY_LENGTH = 200


def query_text_clean(text: str) -> str:
    """Search text without control characters (NUL, escapes, bidi controls...), trimmed."""
    kept = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in text)
    return " ".join(kept.split())


def stages_asked(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The stage filter for the stage values of a query: none given -> DEFAULT_STAGES; ``all``
    (alone or with others) -> no stage filter; otherwise the values as given (checked by the search)."""
    values = tuple(values)
    if not values:
        return DEFAULT_STAGES
    if ALL_STAGES in values:
        return ()
    return values


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
    #: search the words exactly as given (no spelling correction)
    exact: bool = False

    def facet_values(self) -> dict[str, tuple[str, ...]]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("q", "exact") and getattr(self, f.name)}

    def is_empty(self) -> bool:
        return not self.q.strip() and not self.facet_values()


#: Sort keys offered to users. "relevance" without text is the catalogue order (stage: DPGs first,
#: then name); with text see _relevance_page. "updated" is the newest of the source's own dates
#: first (catalog.facet_index), then name. The orders come from catalog.facet_index.
SORTS: tuple[str, ...] = ("relevance", "name", "-name", "updated")


@dataclass(frozen=True)
class GoodPage:
    items: list[Good]
    total: int
    page: int
    page_size: int
    sort: str
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: the text searched instead of the one asked, when that matched nothing and a spelling
    #: correction did ("" otherwise)
    corrected_q: str = ""
    #: how many goods the text alone matches, whatever the facet filters (0 without text)
    text_matches: int = 0

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
    #: the text's matches (None without text)
    matches: BitMap | None = None
    #: the words searched instead of the ones asked (spelling), or None
    corrected: list[str] | None = None


def _result(filters: GoodFilters) -> _Result:
    index = facet_index.get()
    words = search.tokens(filters.q)
    facet_values = filters.facet_values()
    result = index.filtered(facet_values) if facet_values else None
    text_matches = 0
    matches = None
    corrected = None
    if words:
        matches = search.match_ids(words) & index.all_ids
        if not matches and not filters.exact:
            # Nothing at all matches the text: search for the nearest known words instead
            # (catalog.spelling), if they match something.
            corrected = spelling.corrected(words)
            if corrected is not None:
                matches = search.match_ids(corrected) & index.all_ids
                if matches:
                    words = corrected
                else:
                    corrected = None
        text_matches = len(matches)
        result = matches if result is None else (result & matches)
    return _Result(index, result, words, text_matches, matches, corrected)


def _validate(filters: GoodFilters, sort: str, page: int, page_size: int) -> None:
    if sort not in SORTS:
        raise InvalidQuery(
            _("Unknown sort “%(sort)s”; use one of: %(known)s.") % {"sort": _shown(sort), "known": ", ".join(SORTS)},
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
            raise InvalidQuery(_("SDG must be a number from 1 to 17, not “%(value)s”.") % {"value": _shown(value)},
                               field="sdg")
    if len(filters.q) > MAX_QUERY_LENGTH:
        raise InvalidQuery(_("The search text is %(length)d characters long; at most %(max)d are read.")
                           % {"length": len(filters.q), "max": MAX_QUERY_LENGTH}, field="q")
    for name, known, offered in (("stage", Stage.values, [*Stage.values, ALL_STAGES]),
                                 ("category", Category.values, Category.values)):
        for value in getattr(filters, name):
            if value not in known:
                raise InvalidQuery(
                    _("Unknown %(name)s “%(value)s”; use one of: %(known)s.")
                    % {"name": name, "value": _shown(value), "known": ", ".join(offered)}, field=name)
    for name in ("development_country", "deployment_country"):
        for value in getattr(filters, name):
            if len(value) != 2 or not value.isascii() or not value.isalpha():
                raise InvalidQuery(
                    _("A country is its two-letter ISO 3166 code (such as KE), not “%(value)s”.")
                    % {"value": _shown(value)}, field=name)


def _normalised(filters: GoodFilters) -> GoodFilters:
    """Country codes in capitals, as the index stores them (ke and KE are the same country)."""
    return replace(filters, development_country=tuple(v.upper() for v in filters.development_country),
                   deployment_country=tuple(v.upper() for v in filters.deployment_country))


def _shown(value: str, limit: int = 40) -> str:
    """A user's value as an error message may echo it: no control characters, at most ``limit`` long."""
    value = query_text_clean(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def goods_search(
    *, filters: GoodFilters, sort: str = "relevance", page: int = 1, page_size: int = 20, with_facets: bool = True
) -> GoodPage:
    """One page of goods matching ``filters``, the total, and facet counts over the whole result.

    Facets, facet filters, totals and orders come from the in-memory index (catalog.facet_index);
    the database answers the full-text match and ranks small sets (docs/adr/0004-search.md).
    """
    _validate(filters, sort, page, page_size)
    filters = _normalised(filters)
    found = _result(filters)
    index = found.index
    goods = index.all_ids if found.ids is None else found.ids
    offset = (page - 1) * page_size
    if sort == "relevance" and found.words:
        ids = _relevance_page(found, goods, offset=offset, limit=page_size)
    elif sort == "relevance":
        ids = index.by_stage_then_name.page(goods, offset, page_size)
    elif sort == "name":
        ids = index.by_name.page(goods, offset, page_size)
    elif sort == "-name":
        ids = index.by_name.page(goods, offset, page_size, reverse=True)
    else:
        ids = index.by_updated.page(goods, offset, page_size)
    items = _page_items(ids)
    facets = _facet_counts(index, filters, found) if with_facets else {}
    corrected_q = " ".join(found.corrected) if found.corrected else ""
    return GoodPage(items=items, total=len(goods), page=page, page_size=page_size, sort=sort, facets=facets,
                    corrected_q=corrected_q, text_matches=found.text_matches)


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
    """The goods of ``scored`` that are in ``within``, best score first; equal scores in the
    catalogue order: stage (current DPGs before nominees, expired, archived, excluded), name, id."""
    static_rank = found.index.by_stage_then_name.rank_of
    ordered = sorted((score, static_rank[pk], pk) for pk, score in scored if pk in within)
    return [pk for _score, _rank, pk in ordered]


def _facet_counts(index: facet_index.FacetIndex, filters: GoodFilters, found: _Result) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {facet.value: [] for facet in Facet}
    out.update(index.disjunctive_counts(filters.facet_values(), found.matches))
    return out


@dataclass(frozen=True)
class FacetCounts:
    #: goods matching the filters
    total: int
    facets: dict[str, list[tuple[str, int]]]
    #: the text searched instead of the one asked (spelling), or ""
    corrected_q: str = ""


def goods_facet_counts(*, filters: GoodFilters) -> FacetCounts:
    """The number of goods matching ``filters`` and the counts per facet value, largest first,
    counted as multi-select facets show them: a facet without ticked values counts within the
    result of ``filters``; inside a facet with ticked values, each count is what that value would
    give with the other facets' filters and the text applied (FacetIndex.disjunctive_counts)."""
    _validate(filters, "relevance", 1, 1)
    filters = _normalised(filters)
    found = _result(filters)
    total = len(found.index.all_ids) if found.ids is None else len(found.ids)
    corrected_q = " ".join(found.corrected) if found.corrected else ""
    return FacetCounts(total=total, facets=_facet_counts(found.index, filters, found), corrected_q=corrected_q)


def goods_facets(*, filters: GoodFilters) -> dict[str, list[tuple[str, int]]]:
    """The facet counts of :func:`goods_facet_counts`."""
    return goods_facet_counts(filters=filters).facets


def goods_alternatives(*, filters: GoodFilters, limit: int = 3) -> list[str]:
    """Other search texts to offer when ``filters.q`` matches no good at all: near spellings of its
    first unknown word that do match goods (whatever the facet filters)."""
    words = search.tokens(filters.q)
    if not words:
        return []
    index = facet_index.get()
    out = []
    for alternative in spelling.alternatives(words, limit=limit * 2):
        if search.match_ids(alternative) & index.all_ids:
            out.append(" ".join(alternative))
        if len(out) == limit:
            break
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


def goods_sitemap() -> list[tuple[str, datetime.datetime]]:
    """(slug, last change) of every good, by slug: what a sitemap lists (every good has a public page)."""
    return list(Good.objects.order_by("slug").values_list("slug", "updated_at"))
