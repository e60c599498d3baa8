"""PostgreSQL only: per-lexeme bitmaps of good ids for the full-text match (docs/adr/0004-search.md).

``catalog_searchterm`` holds, for every lexeme of ``catalog_searchdocument.search_vector``, a
serialised roaring bitmap of the goods having it; ``goods_reindex()`` maintains it. ``term`` uses
the "C" collation so that a prefix is one primary-key range. Built here from existing documents.
No-op on SQLite (FTS5 answers the match).

The build below is a frozen copy of ``catalog.search.pg_terms_rebuild`` as of 2026-11: a
migration must run the same whatever the live code becomes, so it imports nothing from dpghub.
"""

import json

from django.db import migrations
from pyroaring import BitMap

POSTGRES_FORWARD = [
    'CREATE TABLE catalog_searchterm (term text COLLATE "C" PRIMARY KEY, ids bytea NOT NULL)',
]
POSTGRES_BACKWARD = ["DROP TABLE IF EXISTS catalog_searchterm"]

_TERM_LOCK = 0x6470_6768_7562  # the advisory lock every writer of catalog_searchterm takes
_DOCUMENT_TERMS = (
    "SELECT term, string_agg(good_id::text, ',') FROM catalog_searchdocument, "
    "unnest(tsvector_to_array(search_vector)) AS term GROUP BY term"
)


def _terms_build(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TERM_LOCK])
        cursor.execute("DELETE FROM catalog_searchterm")
        cursor.execute(_DOCUMENT_TERMS)
        rows = []
        for term, ids in cursor.fetchall():
            bitmap = BitMap(json.loads("[" + ids + "]"))
            bitmap.run_optimize()
            rows.append((term, bitmap.serialize()))
        if rows:
            cursor.executemany(
                "INSERT INTO catalog_searchterm (term, ids) VALUES (%s, %s) "
                "ON CONFLICT (term) DO UPDATE SET ids = EXCLUDED.ids",
                rows,
            )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in POSTGRES_FORWARD:
        schema_editor.execute(sql)
    _terms_build(schema_editor)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in POSTGRES_BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_index_version")]

    operations = [migrations.RunPython(forward, backward)]
