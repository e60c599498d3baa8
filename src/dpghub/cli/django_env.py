"""Set up Django for CLI commands that need the database."""

from __future__ import annotations

import os

import click


def setup(*, migrate: bool = True) -> None:
    """Configure Django; apply pending migrations (quietly) unless ``migrate`` is False."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    import django

    from dpghub.config.options import ConfigError

    try:
        django.setup()
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from exc
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        # The shared cache (login rate limits) lives in a table that migrations do not create.
        call_command("createcachetable", verbosity=0)
