"""Full-text index over catalog.SearchDocument: SQLite FTS5 or PostgreSQL GIN (see docs/adr/0004-search.md)."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE catalog_search_fts USING fts5(
        title, body, content='catalog_searchdocument', content_rowid='good_id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER catalog_search_ai AFTER INSERT ON catalog_searchdocument BEGIN
        INSERT INTO catalog_search_fts(rowid, title, body) VALUES (new.good_id, new.title, new.body);
    END""",
    """CREATE TRIGGER catalog_search_ad AFTER DELETE ON catalog_searchdocument BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title, body)
        VALUES ('delete', old.good_id, old.title, old.body);
    END""",
    """CREATE TRIGGER catalog_search_au AFTER UPDATE ON catalog_searchdocument BEGIN
        INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title, body)
        VALUES ('delete', old.good_id, old.title, old.body);
        INSERT INTO catalog_search_fts(rowid, title, body) VALUES (new.good_id, new.title, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_search_au",
    "DROP TRIGGER IF EXISTS catalog_search_ad",
    "DROP TRIGGER IF EXISTS catalog_search_ai",
    "DROP TABLE IF EXISTS catalog_search_fts",
]
POSTGRES_FORWARD = [
    # A stored generated column, so ranking reads the vector instead of re-parsing the text.
    """ALTER TABLE catalog_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A') ||
        setweight(to_tsvector('english'::regconfig, body), 'B')) STORED""",
    "CREATE INDEX catalog_search_gin ON catalog_searchdocument USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_search_gin",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
