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

from dpghub.catalog import facet_index

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

    On PostgreSQL the whole-document match comes from the term bitmaps (``catalog_searchterm``,
    see :func:`_pg_term_match`). Those may still hold ids of goods deleted since (deletes do not
    go through ``goods_reindex``), so the match is restricted to the goods of the current facet
    index, which a database trigger invalidates on every delete.
    Otherwise one query; the ids come back as one comma-separated string parsed by the JSON
    decoder in one call, rather than one row or one int() per id.
    """
    if connection.vendor == "postgresql" and not title_only:
        found = _pg_term_match(words)
        if found is not None:
            return found & facet_index.get().all_ids
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
    stored tsvector and is slower than the GIN index (figures in docs/adr/0004-search.md); its
    cost model does not count that. The setting is local to a transaction, and restored after.
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
    bm25's statistics each time (docs/adr/0004-search.md), so callers filter instead.
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


# PostgreSQL term bitmaps (docs/adr/0004-search.md): ``catalog_searchterm`` holds, per lexeme of
# ``search_vector``, a serialised roaring bitmap of the goods whose vector has it. A GIN match
# visits one heap row per matching good (17,000 pages for a word in half of 100k goods); a bitmap
# is one primary-key lookup per lexeme, or one range scan for a prefix.

TERM_TABLE = "catalog_searchterm"
#: Serialises the read-modify-write of term bitmaps between concurrent reindexes.
_TERM_LOCK = 0x6470_6768_7562  # "dpghub"
_LEXEME = re.compile(r"'((?:[^'\\]|'')+)'(:\*)?")


def _pg_lexemes(words: list[str]) -> list[tuple[str, bool]] | None:
    """The query PostgreSQL itself makes of ``words`` (same tsquery as the tsvector path), as
    ``(lexeme, is_prefix)`` pairs all required; ``[]`` if every word is a stop word (then the
    tsvector path matches nothing); None if the query is not a plain conjunction (e.g. ``a_b``
    parses into a phrase ``'a' <-> 'b'``), which the caller answers through the tsvector path.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsquery('english', %s)::text", [_pg_tsquery(words)])
        (text,) = cursor.fetchone()
    if not text:
        return []
    out = []
    for part in text.split(" & "):
        found = _LEXEME.fullmatch(part)
        if found is None:
            return None
        out.append((found.group(1).replace("''", "'"), bool(found.group(2))))
    return out


def _prefix_end(prefix: str) -> str | None:
    """The smallest string above every string starting with ``prefix`` in code-point order (the
    "C" collation of ``term``), or None if there is none that is valid text."""
    while prefix:
        code = ord(prefix[-1]) + 1
        if code == 0xD800:
            code = 0xE000
        if code <= 0x10FFFF:
            return prefix[:-1] + chr(code)
        prefix = prefix[:-1]
    return None


def _pg_term_match(words: list[str]) -> BitMap | None:
    """Goods matching ``words`` from the term bitmaps, or None to use the tsvector path."""
    lexemes = _pg_lexemes(words)
    if lexemes is None:
        return None
    result: BitMap | None = None
    with connection.cursor() as cursor:
        for lexeme, prefix in lexemes:
            if not prefix:
                cursor.execute(f"SELECT ids FROM {TERM_TABLE} WHERE term = %s", [lexeme])
            elif (end := _prefix_end(lexeme)) is not None:
                cursor.execute(f"SELECT ids FROM {TERM_TABLE} WHERE term >= %s AND term < %s", [lexeme, end])
            else:
                cursor.execute(f"SELECT ids FROM {TERM_TABLE} WHERE starts_with(term, %s)", [lexeme])
            bitmaps = [BitMap.deserialize(bytes(ids)) for (ids,) in cursor.fetchall()]
            ids = bitmaps[0] if len(bitmaps) == 1 else BitMap.union(BitMap(), *bitmaps)
            result = ids if result is None else result & ids
            if not result:
                break
    return result if result is not None else BitMap()


_DOCUMENT_TERMS = (
    "SELECT term, string_agg(good_id::text, ',') FROM catalog_searchdocument, "
    "unnest(tsvector_to_array(search_vector)) AS term {where} GROUP BY term"
)


def _serialised(ids: BitMap) -> bytes:
    ids.run_optimize()
    return ids.serialize()


#: Lexemes merged and written at a time: memory is bounded by a batch, not by the documents (each
#: good's name alone can be a lexeme of its own: 100,000 goods, 100,000 bitmaps). Small, because the
#: common lexemes (ids of most goods, as text) come together: 2,000 at a time peaked 160 MB higher
#: than 200 at a time when 100,000 documents were reindexed, for the same time.
_TERMS_BATCH = 200


def _document_terms(where: str, params: list) -> Iterator[dict[str, BitMap]]:
    """The lexemes of the documents ``where`` selects, each with the bitmap of their goods, in
    batches of ``_TERMS_BATCH``, read through a server-side cursor (the ids come as text, one list
    per lexeme: hundreds of MB for 100,000 documents if fetched at once)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(_DOCUMENT_TERMS.format(where=where), params)
        while rows := cursor.fetchmany(_TERMS_BATCH):
            yield {term: BitMap(json.loads("[" + ids + "]")) for term, ids in rows}


def pg_terms_rebuild() -> int:
    """Rebuild every term bitmap from ``catalog_searchdocument`` (in the caller's transaction);
    returns the number of terms."""
    count = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TERM_LOCK])
        cursor.execute(f"DELETE FROM {TERM_TABLE}")
        for batch in _document_terms("", []):
            _pg_terms_write(cursor, [(term, _serialised(ids)) for term, ids in batch.items()])
            count += len(batch)
    return count


def pg_terms_old(good_ids: list[int]) -> list[str]:
    """The lexemes the documents of ``good_ids`` have now: call before replacing the documents,
    and pass the result to :func:`pg_terms_update` after (in the same transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TERM_LOCK])
        cursor.execute(
            "SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM catalog_searchdocument "
            "WHERE good_id = ANY(%s)",
            [good_ids],
        )
        return [term for (term,) in cursor.fetchall()]


def pg_terms_update(good_ids: list[int], old_terms: list[str]) -> None:
    """Move ``good_ids`` from the bitmaps of ``old_terms`` to those of their documents' lexemes now,
    a batch of lexemes at a time."""
    reindexed = BitMap(good_ids)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TERM_LOCK])
        seen: set[str] = set()
        for batch in _document_terms("WHERE good_id = ANY(%s)", [good_ids]):
            _pg_terms_merge(cursor, reindexed, batch)
            seen.update(batch)
        gone = sorted(set(old_terms) - seen)  # lexemes the documents no longer have
        for start in range(0, len(gone), _TERMS_BATCH):
            _pg_terms_merge(cursor, reindexed, dict.fromkeys(gone[start:start + _TERMS_BATCH], BitMap()))


def _pg_terms_merge(cursor, reindexed: BitMap, new: dict[str, BitMap]) -> None:
    """For each lexeme of ``new``: its stored bitmap without the reindexed goods, plus ``new``'s."""
    cursor.execute(f"SELECT term, ids FROM {TERM_TABLE} WHERE term = ANY(%s)", [list(new)])
    current = {term: BitMap.deserialize(bytes(ids)) for term, ids in cursor.fetchall()}
    rows, emptied = [], []
    for term, ids_now in new.items():
        ids = current.get(term, BitMap()) - reindexed
        ids |= ids_now
        if ids:
            rows.append((term, _serialised(ids)))
        elif term in current:
            emptied.append(term)
    if emptied:
        cursor.execute(f"DELETE FROM {TERM_TABLE} WHERE term = ANY(%s)", [emptied])
    _pg_terms_write(cursor, rows)


def _pg_terms_write(cursor, rows: list[tuple[str, bytes]]) -> None:
    if rows:
        cursor.executemany(
            f"INSERT INTO {TERM_TABLE} (term, ids) VALUES (%s, %s) "
            "ON CONFLICT (term) DO UPDATE SET ids = EXCLUDED.ids",
            rows,
        )
