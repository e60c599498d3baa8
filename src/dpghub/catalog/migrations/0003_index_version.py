"""IndexVersion (see its docstring), the triggers that change it when goods are deleted, and on
PostgreSQL a title-only tsvector for ranking title matches first (docs/adr/0004-search.md)."""

from django.db import migrations, models

SQLITE_FORWARD = [
    # One statement per deleted row; random() gives a new 64-bit value each time.
    """CREATE TRIGGER catalog_good_deleted_version AFTER DELETE ON catalog_good BEGIN
        INSERT INTO catalog_indexversion (id, version) VALUES (1, random())
        ON CONFLICT (id) DO UPDATE SET version = excluded.version;
    END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS catalog_good_deleted_version"]
POSTGRES_FORWARD = [
    """CREATE FUNCTION catalog_indexversion_renew() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO catalog_indexversion (id, version) VALUES (1, (random() * 9.2e18)::bigint)
        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_good_deleted_version AFTER DELETE ON catalog_good
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_indexversion_renew()""",
    """CREATE TRIGGER catalog_good_truncated_version AFTER TRUNCATE ON catalog_good
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_indexversion_renew()""",
    """ALTER TABLE catalog_searchdocument ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, title)) STORED""",
    "CREATE INDEX catalog_search_title_gin ON catalog_searchdocument USING GIN (title_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_search_title_gin",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS title_vector",
    "DROP TRIGGER IF EXISTS catalog_good_truncated_version ON catalog_good",
    "DROP TRIGGER IF EXISTS catalog_good_deleted_version ON catalog_good",
    "DROP FUNCTION IF EXISTS catalog_indexversion_renew()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_index")]

    operations = [
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
