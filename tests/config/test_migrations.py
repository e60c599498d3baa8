"""Migrations are frozen history: they import nothing from dpghub, so they run the same in a year."""

import ast
import importlib
from pathlib import Path

import pytest
from django.db import connection

import dpghub

MIGRATIONS = sorted(Path(dpghub.__file__).parent.glob("*/migrations/0*.py"))


def _dpghub_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "dpghub"]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level or module.split(".")[0] == "dpghub":
                found.append("." * node.level + module)
        elif isinstance(node, ast.Constant) and str(node.value).startswith("dpghub."):
            found.append(node.value)  # e.g. import_module("dpghub....")
    return found


def test_there_are_migrations_to_check():
    assert {path.parent.parent.name for path in MIGRATIONS} >= {"catalog", "common", "screening"}


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.stem}")
def test_no_migration_imports_live_code(path):
    assert _dpghub_imports(path) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "0009_sample.py"
    sample.write_text("def forward(apps, schema_editor):\n    from dpghub.catalog.search import x\n    x()\n")
    assert _dpghub_imports(sample) == ["dpghub.catalog.search"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="catalog_searchterm exists on PostgreSQL only")
def test_the_frozen_term_build_of_0004_matches_the_live_one():
    from dpghub.catalog import search
    from tests.catalogue import make_catalogue

    make_catalogue(12)
    search.pg_terms_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, ids FROM catalog_searchterm ORDER BY term")
        live = [(term, bytes(ids)) for term, ids in cursor.fetchall()]
        migration = importlib.import_module("dpghub.catalog.migrations.0004_search_terms")
        with connection.schema_editor() as editor:
            migration._terms_build(editor)
        cursor.execute("SELECT term, ids FROM catalog_searchterm ORDER BY term")
        frozen = [(term, bytes(ids)) for term, ids in cursor.fetchall()]
    assert len(live) > 50 and frozen == live
