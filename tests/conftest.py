"""Shared fixtures. Tests use a fresh DPGHUB_DATA_DIR so nothing touches a developer's ./var."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, plus the cache table (DatabaseCache: login rate limits) that migrate does not make."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def outbox(settings, tmp_path):
    """Mail goes to the file outbox (as with DPGHUB_EMAIL_BACKEND=file), in a directory of the test's own."""
    settings.EMAIL_BACKEND = "dpghub.common.mail.OutboxBackend"
    settings.DPGHUB_MAIL_DIR = tmp_path / "mail"
    return settings.DPGHUB_MAIL_DIR
