"""``dpghub charter ...``: the Charter's bulk work, for the secretariat's scripts.

Imports act as the system job ``cli`` (an operator with a shell on the server); every write is recorded in
the history. Other modules add commands to the :data:`charter` group (e.g. ``remind``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


@cli.group()
def charter() -> None:
    """The Charter's endorsements, pledges and progress reports: import, export, real data, sample data."""


def _actor():
    from dpghub.common.history import Actor

    return Actor.system_job("cli")


def _run(apply, *, as_json: bool) -> None:
    """Run an import; print its report, or every row error and exit 1 (nothing applied)."""
    from dpghub.charter.exchange import ExchangeError, ImportRejected

    try:
        result = apply()
    except ImportRejected as exc:
        if as_json:
            click.echo(json.dumps({"applied": False, "errors": [e.as_dict() for e in exc.errors]}, indent=1))
        else:
            for error in exc.errors:
                click.echo(str(error), err=True)
        raise click.ClickException(f"{len(exc.errors)} error(s); nothing was imported") from None
    except ExchangeError as exc:
        raise click.ClickException(exc.message) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=1))
    else:
        click.echo(str(result))


_dry_run = click.option("--dry-run", is_flag=True, help="Check everything and say what would change; change nothing.")
_as_json = click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")


@charter.command("import-pledges")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_dry_run
@_as_json
def import_pledges(file: Path, dry_run: bool, as_json: bool) -> None:
    """Import the secretariat's pledges spreadsheet (CSV, docs/charter-spreadsheets.md): all rows or none."""
    django_env.setup()
    from dpghub.charter.exchange import pledges_import

    with file.open("rb") as stream:
        _run(lambda: pledges_import(actor=_actor(), stream=stream, source=f"spreadsheet:{file.name}",
                                    dry_run=dry_run), as_json=as_json)


@charter.command("import-reports")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_dry_run
@_as_json
def import_reports(file: Path, dry_run: bool, as_json: bool) -> None:
    """Import progress reports (CSV) for existing pledges' targets: all rows or none."""
    django_env.setup()
    from dpghub.charter.exchange import reports_import

    with file.open("rb") as stream:
        _run(lambda: reports_import(actor=_actor(), stream=stream, source=f"spreadsheet:{file.name}",
                                    dry_run=dry_run), as_json=as_json)


@charter.command("export")
@click.option("--format", "format_", type=click.Choice(["csv", "json", "iati"]), required=True,
              help="csv: one sheet (--sheet); json: both sheets; iati: IATI 2.03 activity XML of finance pledges.")
@click.option("--sheet", type=click.Choice(["pledges", "reports"]), default="pledges", show_default=True,
              help="For csv: which sheet.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--include-sample", is_flag=True, help="Also export sample data (left out by default).")
def export(format_: str, sheet: str, output: Path | None, include_sample: bool) -> None:
    """Export the Charter's pledges and progress reports; a CSV export re-imports unchanged."""
    django_env.setup()
    from dpghub.charter.exchange import (
        ExchangeError,
        charter_json_write,
        iati_write,
        pledges_csv_write,
        reports_csv_write,
    )

    try:
        if format_ == "iati":
            if output:
                with output.open("wb") as stream:
                    count = iati_write(stream, include_sample=include_sample)
            else:
                count = iati_write(sys.stdout.buffer, include_sample=include_sample)
        else:
            write = charter_json_write if format_ == "json" else (
                pledges_csv_write if sheet == "pledges" else reports_csv_write)
            if output:
                with output.open("w", encoding="utf-8", newline="") as stream:
                    count = write(stream, include_sample=include_sample)
            else:
                count = write(sys.stdout, include_sample=include_sample)
    except ExchangeError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"exported {count} {'activities' if format_ == 'iati' else 'rows'}", err=True)


def _source_run(apply, *, as_json: bool) -> None:
    from dpghub.charter.exchange import ExchangeError

    try:
        report = apply()
    except ExchangeError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(json.dumps(report.as_dict(), indent=1, ensure_ascii=False) if as_json else str(report))


_types = ["government", "private-sector", "foundation", "civil-society", "international-organisation", "academia"]


@charter.command("import-endorsers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_", type=click.Choice(["dpg-letters"]), required=True,
              help="dpg-letters: signatures.yml of the DPG public letters.")
@click.option("--default-type", type=click.Choice(_types), default="civil-society", show_default=True,
              help="Type of an endorser whose name says nothing of its kind (the data has no type).")
@_dry_run
@_as_json
def import_endorsers(file: Path, format_: str, default_type: str, dry_run: bool, as_json: bool) -> None:
    """Endorsers from a public letter's signatories and supporters, with their source recorded."""
    django_env.setup()
    from dpghub.charter.sources import letters_import

    text = file.read_text(encoding="utf-8")
    _source_run(lambda: letters_import(actor=_actor(), text=text, dry_run=dry_run, default_type=default_type),
                as_json=as_json)


@charter.command("import-flows")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_dry_run
@_as_json
def import_flows(file: Path, dry_run: bool, as_json: bool) -> None:
    """Finance pledges from the IATI COVID-19 flows CSV: commitments as targets, spending as progress."""
    django_env.setup()
    from dpghub.charter.sources import flows_import

    text = file.read_text(encoding="utf-8")
    _source_run(lambda: flows_import(actor=_actor(), text=text, dry_run=dry_run), as_json=as_json)


@charter.command("import-guidebook")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--default-type", type=click.Choice(_types), default="foundation", show_default=True,
              help="Type of a funder whose name says nothing of its kind (the data has no type).")
@_dry_run
@_as_json
def import_guidebook(path: Path, default_type: str, dry_run: bool, as_json: bool) -> None:
    """Endorsers from the Global Goods Guidebook's key funders (a folder or one record); no pledges: it
    states no numbers."""
    django_env.setup()
    from dpghub.charter.sources import guidebook_import

    _source_run(lambda: guidebook_import(actor=_actor(), path=path, dry_run=dry_run, default_type=default_type),
                as_json=as_json)


@charter.command("sample")
@click.option("--pledges", type=click.IntRange(1, 100_000), default=60, show_default=True,
              help="How many sample pledges (every cell of the grid gets some).")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed: the same seed makes the same data.")
@click.option("--remove", is_flag=True, help="Remove all sample data instead.")
def sample(pledges: int, seed: int, remove: bool) -> None:
    """Create realistic sample endorsers and pledges linked to real goods, marked as sample everywhere;
    or remove them all (--remove)."""
    django_env.setup()
    from dpghub.charter.exchange import ExchangeError
    from dpghub.charter.sample import sample_create, sample_remove

    try:
        counts = sample_remove(actor=_actor()) if remove else sample_create(actor=_actor(), pledges=pledges,
                                                                            seed=seed)
    except ExchangeError as exc:
        raise click.ClickException(exc.message) from None
    verb = "removed" if remove else "created"
    click.echo(f"sample data {verb}: " + ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())))
