"""`dpghub export`: the catalogue as JSON or CSV."""

from __future__ import annotations

import sys

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


@cli.command("export")
@click.option("--format", "format_", type=click.Choice(["json", "csv"]), required=True,
              help="json: one object per good (shape 'dpghub-goods/1'); csv: one row per good, values joined with '; '.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output).")
@click.option("--include-personal-data", is_flag=True,
              help="Also export owners' contact names and e-mails (personal data; off by default).")
def export(format_: str, output: str | None, include_personal_data: bool) -> None:
    """Export every good with its licences, SDGs, countries, organisations, repositories,
    external ids, stage and a summary of its assessments. No personal data unless asked for."""
    django_env.setup()
    from dpghub.catalog.services.exporting import goods_export

    if include_personal_data:
        click.echo("warning: the export includes personal data (contact names and e-mails). "
                   "Do not publish it; handle it under your data-protection obligations.", err=True)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as stream:
            count = goods_export(format=format_, stream=stream, include_personal_data=include_personal_data)
        click.echo(f"Exported {count} goods to {output}.", err=True)
    else:
        goods_export(format=format_, stream=sys.stdout, include_personal_data=include_personal_data)
