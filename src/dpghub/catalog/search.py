"""Full-text search over ``SearchDocument``, one implementation per database (docs/adr/0004-search.md).

User text is never passed to the database's query syntax as is: it is split into word tokens, each
token quoted, all required (AND), the last one as a prefix so that search-as-you-type works.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
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


def _sql(words: list[str]) -> tuple[str, list[str]]:
    """(subquery of matching good ids, its params) for this database."""
    if connection.vendor == "sqlite":
        return f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [_sqlite_match(words)]
    if connection.vendor == "postgresql":
        return (
            "SELECT good_id FROM catalog_searchdocument WHERE search_vector @@ to_tsquery('english', %s)",
            [_pg_tsquery(words)],
        )
    raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")


def apply(queryset: QuerySet, text: str) -> QuerySet:
    """Restrict ``queryset`` (of Good) to goods matching ``text``."""
    words = tokens(text)
    if not words:
        return queryset
    ids, params = _sql(words)
    return queryset.filter(id__in=RawSQL(ids, params))


def ranked_ids(queryset: QuerySet, text: str, *, limit: int, offset: int) -> list[int]:
    """Ids of one page of the goods of ``queryset`` matching ``text``, best match first.

    Ranking joins the full-text index once (a correlated rank per row would rescan the index for
    every match); ties are broken by name, then id.
    """
    words = tokens(text)
    within_sql, within_params = queryset.values("id").query.sql_with_params()
    ids_sql, params = _sql(words)
    if connection.vendor == "sqlite":
        sql = (
            f"SELECT g.id FROM {SQLITE_TABLE} JOIN catalog_good g ON g.id = {SQLITE_TABLE}.rowid "
            f"WHERE {SQLITE_TABLE} MATCH %s AND g.id IN ({within_sql}) "
            f"ORDER BY bm25({SQLITE_TABLE}, 10.0, 1.0), g.name, g.id LIMIT %s OFFSET %s"
        )
    else:
        sql = (
            "SELECT g.id FROM catalog_searchdocument d JOIN catalog_good g ON g.id = d.good_id "
            "WHERE d.search_vector @@ to_tsquery('english', %s) AND g.id IN (" + within_sql + ") "
            "ORDER BY ts_rank(d.search_vector, to_tsquery('english', %s)) DESC, g.name, g.id LIMIT %s OFFSET %s"
        )
    args = [*params, *within_params] if connection.vendor == "sqlite" else [*params, *within_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, limit, offset])
        return [row[0] for row in cursor.fetchall()]
