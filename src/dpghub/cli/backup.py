"""`dpghub backup` and `dpghub restore`: the database and the data directory, as one archive."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli

EXIT_FAILED = 1


@cli.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the archive (default: DATA_DIR/backups/dpghub-<UTC time>.tar.gz).")
def backup(output: Path | None) -> None:
    """Write a consistent backup of the database and the data directory (runs while DPG Hub serves).

    SQLite is copied with its online backup API, PostgreSQL with pg_dump (one snapshot). The
    archive holds the generated secret key and personal data: keep it as safe as the server.
    """
    django_env.setup()
    from django.conf import settings

    from dpghub.common.backup import BackupError, backup_create

    if output is None:
        output = Path(settings.DATA_DIR) / "backups" / f"dpghub-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    try:
        manifest = backup_create(output)
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    rows = sum(table["rows"] for table in manifest["tables"].values())
    click.echo(f"Backup written to {output}: {manifest['engine']} database, {len(manifest['tables'])} tables, "
               f"{rows} rows, {len(manifest['members']) - 1} data file(s).")


@cli.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a database that already holds data (stop the server and "
                                              "workers first).")
def restore(archive: Path, replace: bool) -> None:
    """Restore ARCHIVE (made by `dpghub backup`) into the configured database and data directory.

    Every checksum is verified before anything is changed; afterwards every table is compared
    with the backup's fingerprint. The archive carries its own schema; a newer DPG Hub migrates it
    on its next start as after any upgrade.
    """
    django_env.setup()
    from dpghub.common.backup import BackupError, backup_restore

    try:
        result = backup_restore(archive, replace=replace)
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"Restored {archive}: {result.tables} tables, {result.rows} rows (every table matches the backup), "
               f"{result.files} data file(s).")
