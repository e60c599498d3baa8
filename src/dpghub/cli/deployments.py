"""``dpghub deployments import``: deployment claims from the deployment files, or from the registry's records.

Acts as the system job ``cli`` (an operator with a shell on the server); each run is recorded.
"""

from __future__ import annotations

import json
import sys

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli

EXIT_BAD_INPUT = 2
FORMATS = ["mapmatch", "dha", "digital-square", "guidebook", "registry"]


@cli.group()
def deployments() -> None:
    """Deployments of goods: who runs which good where."""


@deployments.command("import")
@click.option("--format", "format_", required=True, type=click.Choice(FORMATS),
              help="mapmatch: Map & Match survey CSV; dha: WHO Digital Health Atlas export; digital-square: "
                   "Digital Square implementation counts; guidebook: Global Goods Guidebook JSON; registry: the "
                   "deployment countries of the DPGA records already loaded (no FILE).")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Report what would change; store nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the readable rows when some cannot be read (they are listed).")
@click.option("--threshold", type=click.FloatRange(0, 100), default=None,
              help="Lowest fuzzy score to match a name (default: DPGHUB_DEPLOYMENTS_MATCH_THRESHOLD).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the full report (errors, matches, unmatched names) as JSON to this file.")
def deployments_import_command(format_: str, file: str | None, dry_run: bool, skip_invalid: bool,
                               threshold: float | None, report_path: str | None) -> None:
    """Import deployment claims (unverified) from FILE, with where each came from."""
    django_env.setup()
    from django.utils.translation import gettext as _

    from dpghub.common.history import Actor
    from dpghub.deployments.errors import DeploymentsError, ImportFailed
    from dpghub.deployments.importing import deployments_import, deployments_import_registry

    actor = Actor.system_job("cli")
    if (format_ == "registry") == bool(file):
        raise click.UsageError(_("FILE is needed for every format but registry, which takes none."))
    try:
        if format_ == "registry":
            report = deployments_import_registry(actor=actor, dry_run=dry_run)
        else:
            report = deployments_import(actor=actor, format=format_, path=file, dry_run=dry_run,
                                        skip_invalid=skip_invalid, threshold=threshold)
    except ImportFailed as exc:
        for error in exc.errors:
            click.echo(_("error: row %(row)s: %(reason)s") % error, err=True)
        click.echo(_("Nothing was imported. Fix the file, or use --skip-invalid to import the other rows."), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except DeploymentsError as exc:
        raise click.ClickException(exc.message) from None
    for error in report.errors:
        click.echo(_("skipped (cannot be read): row %(row)s: %(reason)s") % error, err=True)
    for skipped in report.skipped:
        click.echo(_("skipped: row %(row)s: %(reason)s") % skipped, err=True)
    for match in report.as_dict()["matches"]:
        if match["method"] == "fuzzy":
            click.echo(_("fuzzy match, to review: “%(name)s” -> %(good)s (score %(score)s)") % match)
    for miss in report.unmatched:
        best = ", ".join(f"{c['good']} {c['score']}" for c in miss["candidates"]) or "—"
        click.echo(_("unmatched: row %(row)s: “%(name)s” (%(reason)s; closest: %(best)s)")
                   % {**miss, "best": best})
    if report.not_in_file:
        click.echo(_("%(count)d claim(s) from an earlier import of this file are no longer in it (ids in the report; "
                     "they are kept: review them)") % {"count": len(report.not_in_file)}, err=True)
    if report_path:
        with open(report_path, "w", encoding="utf-8") as handle:
            json.dump(report.as_dict(), handle, indent=2, ensure_ascii=False)
    click.echo(str(report))
