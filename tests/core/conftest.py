"""The Django-free core's tests. scripts/test.sh runs them once, apart from the database runs
(SQLite, PostgreSQL), so a test here must not use the database: it would escape the PostgreSQL run."""

import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server"}


@pytest.fixture(autouse=True)
def _no_database(request):
    if request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames):
        pytest.fail("tests/core runs outside the database runs: move a database test out of tests/core")

