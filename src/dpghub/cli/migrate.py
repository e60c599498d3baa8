"""`dpghub migrate`: apply the database migrations of this version (the first step of an upgrade)."""

from __future__ import annotations

import sys

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


@cli.command("migrate")
@click.option("--check", "check_only", is_flag=True, help="Apply nothing; exit 1 if a migration is waiting.")
def migrate(check_only: bool) -> None:
    """Apply the database migrations of this version of DPG Hub, saying which.

    Run it after installing a new version and before restarting the web processes, workers and beat
    (docs/deployment.md, "Upgrading"). Other commands apply waiting migrations too, quietly.
    """
    django_env.setup(migrate=False)
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if check_only:
        for migration, _backwards in waiting:
            click.echo(f"waiting: {migration.app_label}.{migration.name}")
        click.echo("No migration is waiting." if not waiting else f"{len(waiting)} migration(s) waiting.")
        sys.exit(1 if waiting else 0)
    call_command("migrate", interactive=False, verbosity=1)
    call_command("createcachetable", verbosity=0)  # the shared cache's table, which migrations do not make
