"""Derived indexes of goods: facet entries and the full-text document.

Both are rebuilt from the canonical tables by :func:`goods_reindex`, the only writer of
``FacetEntry`` and ``SearchDocument``. Call it inside the transaction that changed the goods. It also
renews ``IndexVersion``, which tells every process that its in-memory facet index is out of date.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from functools import cache

import pycountry
from django.db import connection, transaction

from dpghub.catalog import search, spelling
from dpghub.catalog.enums import CountryRole, Facet
from dpghub.catalog.models import (
    FacetEntry,
    Good,
    GoodCountry,
    GoodLicense,
    GoodOrganisation,
    GoodSDG,
    IndexVersion,
    SearchDocument,
    SearchWord,
)
from dpghub.common.bulk import rows_insert
from dpghub.core.countries import country_name

#: Languages whose country names are searchable (the interface's languages).
COUNTRY_NAME_LANGUAGES = ("en", "fr", "es")

_CHUNK = 500


class _Indexed:
    """What the indexes need of one good, read as plain values (no model instances)."""

    __slots__ = ("aliases", "categories", "countries", "description", "id", "licences", "name", "organisations",
                 "sdgs", "sectors", "stage")

    def __init__(self, gid: int, name: str, aliases: list, description: str, categories: list, sectors: list,
                 stage: str) -> None:
        self.id, self.name, self.aliases, self.description = gid, name, aliases, description
        self.categories, self.sectors, self.stage = categories, sectors, stage
        self.sdgs: list[tuple[int, str]] = []  # (sdg, relevance)
        self.licences: list[str] = []
        self.countries: list[tuple[str, str]] = []  # (country, role)
        self.organisations: list[str] = []


def _goods_read(ids: list[int]) -> list[_Indexed]:
    """The goods of ``ids`` with their SDGs, licences, countries and organisations' names, in the
    models' default orders (as the pages show them)."""
    goods = {row[0]: _Indexed(*row) for row in Good.objects.filter(id__in=ids).values_list(
        "id", "name", "aliases", "description", "categories", "sectors", "stage")}
    for gid, sdg, relevance in GoodSDG.objects.filter(good_id__in=ids).values_list("good_id", "sdg", "relevance"):
        goods[gid].sdgs.append((sdg, relevance))
    for gid, expression in GoodLicense.objects.filter(good_id__in=ids).values_list("good_id", "expression"):
        goods[gid].licences.append(expression)
    for gid, country, role in GoodCountry.objects.filter(good_id__in=ids).values_list("good_id", "country", "role"):
        goods[gid].countries.append((country, role))
    for gid, name in (GoodOrganisation.objects.filter(good_id__in=ids).order_by("id")
                      .values_list("good_id", "organisation__name")):
        goods[gid].organisations.append(name)
    return list(goods.values())


def _facet_values(good: _Indexed) -> set[tuple[str, str]]:
    values: set[tuple[str, str]] = {(Facet.STAGE, good.stage)}
    values |= {(Facet.CATEGORY, code) for code in good.categories}
    values |= {(Facet.SECTOR, sector) for sector in good.sectors}
    values |= {(Facet.SDG, str(sdg)) for sdg, _relevance in good.sdgs}
    values |= {(Facet.LICENSE, expression) for expression in good.licences}
    for country, role in good.countries:
        facet = Facet.DEVELOPMENT_COUNTRY if role == CountryRole.DEVELOPMENT else Facet.DEPLOYMENT_COUNTRY
        values.add((facet, country))
    return values


@cache
def country_words(code: str) -> tuple[str, ...]:
    """What finds a country in a search: its alpha-2 and alpha-3 codes, its names (common short
    form, ISO short name, official name) in English, and its names in French and Spanish."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return (code,)
    names = [country.alpha_2, country.alpha_3, country.name]
    names += [getattr(country, attr) for attr in ("common_name", "official_name") if hasattr(country, attr)]
    names += [country_name(code, language) for language in COUNTRY_NAME_LANGUAGES]
    return tuple(dict.fromkeys(names))


def _document(good: _Indexed) -> tuple[str, str]:
    title = " ".join([good.name, *good.aliases])
    parts = [good.description]
    parts += [relevance for _sdg, relevance in good.sdgs]
    parts += good.organisations
    parts += list(good.sectors)
    codes = sorted({country for country, _role in good.countries})
    parts += [" ".join(country_words(code)) for code in codes]
    return title, "\n".join(part for part in parts if part)


def _words_of(title: str, body: str) -> set[str]:
    return spelling.vocabulary_words(title + "\n" + body)


def goods_reindex(*, good_ids: Iterable[int] | None = None) -> int:
    """Rebuild facet entries and search documents for the given goods (all goods when None).

    Returns the number of goods reindexed. Runs in one transaction. On PostgreSQL it also keeps
    the term bitmaps (``catalog_searchterm``) in step: rebuilt when all goods are reindexed,
    otherwise the reindexed goods move from their old lexemes' bitmaps to their new ones'. The
    spelling vocabulary (``SearchWord``) is kept the same way on both databases: rebuilt, or moved
    from the old documents' words to the new ones' (a good deleted without a reindex leaves its
    words counted until the next full reindex; corrections are only used when they match goods).
    """
    postgres = connection.vendor == "postgresql"
    count = 0
    with transaction.atomic():
        if good_ids is None:
            ids = list(Good.objects.order_by("id").values_list("id", flat=True))
        else:
            asked = sorted(set(good_ids))
            ids = [gid for start in range(0, len(asked), _CHUNK)
                   for gid in Good.objects.filter(id__in=asked[start:start + _CHUNK]).values_list("id", flat=True)]
        old_terms = search.pg_terms_old(ids) if postgres and good_ids is not None else []
        words: Counter[str] = Counter()  # change in documents per word (all documents' words if all goods)
        for start in range(0, len(ids), _CHUNK):
            chunk_ids = ids[start : start + _CHUNK]
            goods = _goods_read(chunk_ids)
            FacetEntry.objects.filter(good_id__in=chunk_ids).delete()
            if good_ids is not None:
                for title, body in SearchDocument.objects.filter(good_id__in=chunk_ids).values_list("title", "body"):
                    words.subtract(_words_of(title, body))
            SearchDocument.objects.filter(good_id__in=chunk_ids).delete()
            documents = [(good.id, *_document(good)) for good in goods]
            rows_insert(FacetEntry, ("good_id", "facet", "value"),
                        ((good.id, facet, value) for good in goods for facet, value in sorted(_facet_values(good))))
            rows_insert(SearchDocument, ("good_id", "title", "body"), documents)
            for _gid, title, body in documents:
                words.update(_words_of(title, body))
            count += len(goods)
        _search_words_update(words, rebuild=good_ids is None)
        if postgres and good_ids is None:
            search.pg_terms_rebuild()
        elif postgres:
            search.pg_terms_update(ids, old_terms)
        index_version_renew()
    return count


def _search_words_update(change: Counter[str], *, rebuild: bool) -> None:
    """Apply ``change`` (documents gained or lost per word) to ``SearchWord``; with ``rebuild`` the
    table is replaced by ``change`` (all documents' words). Words left in no document are removed."""
    if rebuild:
        SearchWord.objects.all().delete()
        current: dict[str, int] = {}
    else:
        change = Counter({word: delta for word, delta in change.items() if delta})
        current = {}
        affected = sorted(change)
        for start in range(0, len(affected), _CHUNK):
            current.update(SearchWord.objects.filter(word__in=affected[start : start + _CHUNK])
                           .values_list("word", "documents"))
    rows, emptied = [], []
    for word, delta in change.items():
        documents = current.get(word, 0) + delta
        if documents > 0:
            rows.append(SearchWord(word=word, documents=documents))
        elif word in current:
            emptied.append(word)
    for start in range(0, len(emptied), _CHUNK):
        SearchWord.objects.filter(word__in=emptied[start : start + _CHUNK]).delete()
    SearchWord.objects.bulk_create(rows, batch_size=_CHUNK, update_conflicts=True, unique_fields=["word"],
                                   update_fields=["documents"])


def index_version_renew() -> None:
    """Give the derived indexes a new version (in the caller's transaction)."""
    IndexVersion.objects.bulk_create(
        [IndexVersion(id=1, version=secrets.randbits(62))],
        update_conflicts=True, unique_fields=["id"], update_fields=["version"],
    )
