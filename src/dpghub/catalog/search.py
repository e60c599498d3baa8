"""Full-text search over ``SearchDocument``, one implementation per database (docs/adr/0004-search.md).

User text is never passed to the database's query syntax as is: it is split into word tokens, each
token quoted, all required (AND), the last one as a prefix so that search-as-you-type works.
"""

from __future__ import annotations

import re

from django.db import connection
from pyroaring import BitMap

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


def match_ids(words: list[str], *, title_only: bool = False) -> BitMap:
    """Ids of the goods matching all ``words`` (in the title only if ``title_only``), as a bitmap.

    One query; the ids come back as a single comma-separated string, which is several times
    faster to turn into a bitmap than one row per id.
    """
    if connection.vendor == "sqlite":
        match = _sqlite_match(words)
        if title_only:
            match = "{title} : (" + match + ")"
        sql = f"SELECT group_concat(rowid) FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
        params = [match]
    elif connection.vendor == "postgresql":
        column = "title_vector" if title_only else "search_vector"
        sql = (
            "SELECT string_agg(good_id::text, ',') FROM catalog_searchdocument "
            f"WHERE {column} @@ to_tsquery('english', %s)"
        )
        params = [_pg_tsquery(words)]
    else:
        raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (ids,) = cursor.fetchone()
    return BitMap(map(int, ids.split(","))) if ids else BitMap()


def ranked_ids(words: list[str], *, within: BitMap | None, limit: int, offset: int) -> list[int]:
    """Ids of one page of the goods matching ``words`` (and in ``within`` unless None), best first.

    Ranks every such good (bm25 on SQLite, ts_rank on PostgreSQL), so callers keep ``within``
    small (selectors.RANK_ALL_LIMIT); ties are broken by name, then id.
    """
    restrict, restrict_params = "", []
    if connection.vendor == "sqlite":
        if within is not None:
            restrict = f"AND {SQLITE_TABLE}.rowid IN (SELECT value FROM json_each(%s))"
            restrict_params = [_json_ids(within)]
        sql = (
            f"SELECT g.id FROM {SQLITE_TABLE} JOIN catalog_good g ON g.id = {SQLITE_TABLE}.rowid "
            f"WHERE {SQLITE_TABLE} MATCH %s {restrict} "
            f"ORDER BY bm25({SQLITE_TABLE}, 10.0, 1.0), g.name, g.id LIMIT %s OFFSET %s"
        )
        params = [_sqlite_match(words), *restrict_params, limit, offset]
    elif connection.vendor == "postgresql":
        if within is not None:
            restrict = "AND d.good_id = ANY(%s)"
            restrict_params = [list(within)]
        tsquery = _pg_tsquery(words)
        sql = (
            "SELECT g.id FROM catalog_searchdocument d JOIN catalog_good g ON g.id = d.good_id "
            f"WHERE d.search_vector @@ to_tsquery('english', %s) {restrict} "
            "ORDER BY ts_rank(d.search_vector, to_tsquery('english', %s)) DESC, g.name, g.id "
            "LIMIT %s OFFSET %s"
        )
        params = [tsquery, *restrict_params, tsquery, limit, offset]
    else:
        raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _json_ids(ids: BitMap) -> str:
    return "[" + ",".join(map(str, ids)) + "]"
