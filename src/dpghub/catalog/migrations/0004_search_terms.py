"""PostgreSQL only: per-lexeme bitmaps of good ids for the full-text match (docs/adr/0004-search.md).

``catalog_searchterm`` holds, for every lexeme of ``catalog_searchdocument.search_vector``, a
serialised roaring bitmap of the goods having it; ``goods_reindex()`` maintains it. ``term`` uses
the "C" collation so that a prefix is one primary-key range. Built here from existing documents.
No-op on SQLite (FTS5 answers the match).
"""

from django.db import migrations

POSTGRES_FORWARD = [
    'CREATE TABLE catalog_searchterm (term text COLLATE "C" PRIMARY KEY, ids bytea NOT NULL)',
]
POSTGRES_BACKWARD = ["DROP TABLE IF EXISTS catalog_searchterm"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in POSTGRES_FORWARD:
        schema_editor.execute(sql)
    from dpghub.catalog.search import pg_terms_rebuild

    pg_terms_rebuild()


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in POSTGRES_BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_index_version")]

    operations = [migrations.RunPython(forward, backward)]
