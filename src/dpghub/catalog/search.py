"""Full-text search over ``SearchDocument``, one implementation per database (docs/adr/0004-search.md).

User text is never passed to the database's query syntax as is: it is split into word tokens, each
token quoted, all required (AND), the last one as a prefix so that search-as-you-type works.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
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


def _sqlite_query(words: list[str], title_only: bool) -> str:
    match = _sqlite_match(words)
    return "{title} : (" + match + ")" if title_only else match


def match_ids(words: list[str], *, title_only: bool = False) -> BitMap:
    """Ids of the goods matching all ``words`` (in the title only if ``title_only``), as a bitmap.

    One query; the ids come back as one comma-separated string parsed by the JSON decoder, which
    at 50,000 matches is about twice as fast as one row per id or int() per id.
    """
    if connection.vendor == "sqlite":
        sql = f"SELECT group_concat(rowid) FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
        params = [_sqlite_query(words, title_only)]
    elif connection.vendor == "postgresql":
        column = "title_vector" if title_only else "search_vector"
        sql = (
            "SELECT string_agg(good_id::text, ',') FROM catalog_searchdocument "
            f"WHERE {column} @@ to_tsquery('english', %s)"
        )
        params = [_pg_tsquery(words)]
    else:
        raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")
    with _index_scans_only(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        (ids,) = cursor.fetchone()
    return BitMap(json.loads("[" + ids + "]")) if ids else BitMap()


@contextmanager
def _index_scans_only() -> Iterator[None]:
    """On PostgreSQL, keep the planner from reading the whole table for a broad match.

    For a word in half the goods the planner prefers a sequential scan, which decompresses every
    stored tsvector (270 ms at 100k goods, against 40-160 ms through the GIN index); its cost
    model does not count that. The setting is local to a transaction, and restored after.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
        (previous, _) = cursor.fetchone()
        yield
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


def scored_ids(words: list[str], *, title_only: bool = False, limit: int | None = None) -> list[tuple[int, float]]:
    """(id, score) of the goods matching ``words`` (in the title only if ``title_only``), unordered.

    ``limit`` stops after that many matches (an arbitrary subset: callers use it to learn that
    there are more than they would rank).
    Lower scores are better: bm25 on SQLite, minus ts_rank on PostgreSQL; over the title alone if
    ``title_only``. Every match is scored, so callers use this only when matches are few
    (selectors.RANK_ALL_LIMIT) and break ties themselves. The matches are not restricted in SQL
    to a set of ids: FTS5 answers ``rowid IN (...)`` with one full query per id, recomputing
    bm25's statistics each time (23 s for 1,800 ids at 100k goods), so callers filter instead.
    """
    if connection.vendor == "sqlite":
        sql = (
            f"SELECT rowid, bm25({SQLITE_TABLE}, 10.0, 1.0) FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
        )
        params = [_sqlite_query(words, title_only)]
    elif connection.vendor == "postgresql":
        column = "title_vector" if title_only else "search_vector"
        sql = (
            f"SELECT good_id, -ts_rank({column}, query) FROM catalog_searchdocument, "
            f"to_tsquery('english', %s) query WHERE {column} @@ query"
        )
        params = [_pg_tsquery(words)]
    else:
        raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with _index_scans_only(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
