"""Full-text search over ``SearchDocument``, one implementation per database (docs/adr/0004-search.md).

User text is never passed to the database's query syntax as is: it is split into word tokens, each
token quoted, all required (AND), the last one as a prefix so that search-as-you-type works.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 12

SQLITE_TABLE = "catalog_search_fts"


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())[:MAX_TOKENS]


def _sqlite_match(words: list[str]) -> str:
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _pg_tsquery(words: list[str]) -> str:
    # Words are \w+ only, so they cannot carry tsquery operators.
    parts = [f"'{word}'" for word in words]
    parts[-1] += ":*"
    return " & ".join(parts)


def _sql(words: list[str]) -> tuple[str, str, list[str]]:
    """(matching ids subquery, rank of the outer good subquery, params) for this database."""
    if connection.vendor == "sqlite":
        match = _sqlite_match(words)
        ids = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
        rank = (
            f"SELECT bm25({SQLITE_TABLE}, 10.0, 1.0) FROM {SQLITE_TABLE} "
            f"WHERE {SQLITE_TABLE} MATCH %s AND rowid = catalog_good.id"
        )
        return ids, rank, [match]
    if connection.vendor == "postgresql":
        query = _pg_tsquery(words)
        ids = "SELECT good_id FROM catalog_searchdocument WHERE search_vector @@ to_tsquery('english', %s)"
        rank = (
            "SELECT -ts_rank(search_vector, to_tsquery('english', %s)) FROM catalog_searchdocument "
            "WHERE good_id = catalog_good.id"
        )
        return ids, rank, [query]
    raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")


def apply(queryset: QuerySet, text: str, *, rank: bool) -> QuerySet:
    """Restrict ``queryset`` (of Good) to goods matching ``text``; annotate ``search_rank`` if asked.

    Lower ``search_rank`` is better on both backends (PostgreSQL's rank is negated).
    """
    words = tokens(text)
    if not words:
        return queryset
    ids, rank_sql, params = _sql(words)
    queryset = queryset.filter(id__in=RawSQL(ids, params))
    if rank:
        queryset = queryset.annotate(search_rank=RawSQL(rank_sql, params, output_field=FloatField()))
    return queryset
