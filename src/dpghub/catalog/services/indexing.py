"""Derived indexes of goods: facet entries and the full-text document.

Both are rebuilt from the canonical tables by :func:`goods_reindex`, the only writer of
``FacetEntry`` and ``SearchDocument``. Call it inside the transaction that changed the goods. It also
renews ``IndexVersion``, which tells every process that its in-memory facet index is out of date.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import connection, transaction

from dpghub.catalog import search
from dpghub.catalog.enums import CountryRole, Facet
from dpghub.catalog.models import FacetEntry, Good, IndexVersion, SearchDocument

_CHUNK = 500


def _facet_values(good: Good) -> set[tuple[str, str]]:
    values: set[tuple[str, str]] = {(Facet.STAGE, good.stage)}
    values |= {(Facet.CATEGORY, code) for code in good.categories}
    values |= {(Facet.SECTOR, sector) for sector in good.sectors}
    values |= {(Facet.SDG, str(link.sdg)) for link in good.sdgs.all()}
    values |= {(Facet.LICENSE, lic.expression) for lic in good.licenses.all()}
    for country in good.countries.all():
        facet = Facet.DEVELOPMENT_COUNTRY if country.role == CountryRole.DEVELOPMENT else Facet.DEPLOYMENT_COUNTRY
        values.add((facet, country.country))
    return values


def _document(good: Good) -> tuple[str, str]:
    title = " ".join([good.name, *good.aliases])
    parts = [good.description]
    parts += [link.relevance for link in good.sdgs.all()]
    parts += [link.organisation.name for link in good.organisation_links.all()]
    return title, "\n".join(part for part in parts if part)


def goods_reindex(*, good_ids: Iterable[int] | None = None) -> int:
    """Rebuild facet entries and search documents for the given goods (all goods when None).

    Returns the number of goods reindexed. Runs in one transaction. On PostgreSQL it also keeps
    the term bitmaps (``catalog_searchterm``) in step: rebuilt when all goods are reindexed,
    otherwise the reindexed goods move from their old lexemes' bitmaps to their new ones'.
    """
    postgres = connection.vendor == "postgresql"
    queryset = Good.objects.all() if good_ids is None else Good.objects.filter(id__in=list(good_ids))
    queryset = queryset.prefetch_related("sdgs", "licenses", "countries", "organisation_links__organisation")
    count = 0
    with transaction.atomic():
        ids = list(queryset.values_list("id", flat=True))
        old_terms = search.pg_terms_old(ids) if postgres and good_ids is not None else []
        for start in range(0, len(ids), _CHUNK):
            chunk_ids = ids[start : start + _CHUNK]
            goods = list(queryset.filter(id__in=chunk_ids))
            FacetEntry.objects.filter(good_id__in=chunk_ids).delete()
            SearchDocument.objects.filter(good_id__in=chunk_ids).delete()
            FacetEntry.objects.bulk_create(
                FacetEntry(good=good, facet=facet, value=value)
                for good in goods
                for facet, value in sorted(_facet_values(good))
            )
            SearchDocument.objects.bulk_create(
                SearchDocument(good=good, title=title, body=body)
                for good in goods
                for title, body in [_document(good)]
            )
            count += len(goods)
        if postgres and good_ids is None:
            search.pg_terms_rebuild()
        elif postgres:
            search.pg_terms_update(ids, old_terms)
        index_version_renew()
    return count


def index_version_renew() -> None:
    """Give the derived indexes a new version (in the caller's transaction)."""
    IndexVersion.objects.bulk_create(
        [IndexVersion(id=1, version=secrets.randbits(62))],
        update_conflicts=True, unique_fields=["id"], update_fields=["version"],
    )
