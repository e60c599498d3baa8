"""Shared fixtures. Tests use a fresh DPGHUB_DATA_DIR so nothing touches a developer's ./var."""

import pytest
from django.test import override_settings

# Tests sign users in many times; the production hasher (PBKDF2, a million rounds) is slow on
# purpose. Only the tests use MD5: production settings keep Django's default.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Tests write rows directly (no history row, so no new content version) and would be answered
    from an earlier test's cached page: the anonymous page cache is off unless a test turns it on
    (tests/web/test_pagecache.py)."""
    from dpghub.web.pagecache import store

    settings.DPGHUB_PAGE_CACHE_SECONDS = 0
    store.clear()
    yield
    store.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, plus the cache table (DatabaseCache: login rate limits) that migrate does not make."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def world(db):
    """People and organisations, one for each role of the permission matrices (tests/people_world.py)."""
    from tests.people_world import build_world

    return build_world()


@pytest.fixture
def outbox(settings, tmp_path):
    """Mail goes to the file outbox (as with DPGHUB_EMAIL_BACKEND=file), in a directory of the test's own."""
    settings.EMAIL_BACKEND = "dpghub.common.mail.OutboxBackend"
    settings.DPGHUB_MAIL_DIR = tmp_path / "mail"
    return settings.DPGHUB_MAIL_DIR


@pytest.fixture
def cli(monkeypatch):
    """The ``dpghub`` click group with every command registered, run in the test's Django (set up by
    pytest-django, so the commands' own set-up is skipped)."""
    from dpghub.cli import django_env
    from dpghub.cli.main import _register
    from dpghub.cli.main import cli as group

    monkeypatch.setattr(django_env, "setup", lambda **kwargs: None)
    _register()
    return group
