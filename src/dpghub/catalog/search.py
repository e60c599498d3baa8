"""Full-text search over ``SearchDocument``, one implementation per database (docs/adr/0004-search.md).

User text is never passed to the database's query syntax as is: it is split into word tokens, each
token quoted, all required (AND), the last one as a prefix so that search-as-you-type works.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 12

SQLITE_TABLE = "catalog_search_fts"
PG_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, catalog_searchdocument.title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, catalog_searchdocument.body), 'B'))"
)


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


def apply(queryset: QuerySet, text: str, *, rank: bool) -> QuerySet:
    """Restrict ``queryset`` (of Good) to goods matching ``text``; annotate ``search_rank`` if asked.

    Lower ``search_rank`` is better on both backends (PostgreSQL's rank is negated).
    """
    words = tokens(text)
    if not words:
        return queryset
    if connection.vendor == "sqlite":
        return queryset.extra(
            tables=[SQLITE_TABLE],
            where=[f"{SQLITE_TABLE}.rowid = catalog_good.id", f"{SQLITE_TABLE} MATCH %s"],
            params=[_sqlite_match(words)],
            select={"search_rank": f"bm25({SQLITE_TABLE}, 10.0, 1.0)"} if rank else {},
        )
    if connection.vendor == "postgresql":
        query = _pg_tsquery(words)
        return queryset.extra(
            tables=["catalog_searchdocument"],
            where=["catalog_searchdocument.good_id = catalog_good.id", f"{PG_VECTOR} @@ to_tsquery('english', %s)"],
            params=[query],
            select={"search_rank": f"-ts_rank({PG_VECTOR}, to_tsquery('english', %s))"} if rank else {},
            select_params=[query] if rank else [],
        )
    raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")
