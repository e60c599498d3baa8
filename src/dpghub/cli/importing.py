"""`dpghub import` and `dpghub load-shipped`: load DPGA records into the catalogue."""

from __future__ import annotations

import sys

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli

EXIT_BAD_INPUT = 2


def _progress_callback(enabled: bool):
    """A rich progress bar on a terminal; nothing when output is piped."""
    if not enabled:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        transient=True)
    tasks: dict[str, int] = {}

    def callback(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = progress.add_task({"read": "Reading files", "write": "Writing"}.get(step, step), total=total)
        progress.update(tasks[step], completed=done, total=total)

    return progress, callback


def _run(paths: list[str], *, skip_invalid: bool, report: str | None) -> None:
    django_env.setup()
    from dpghub.catalog.services.importing import ImportFailed, goods_import

    progress, callback = _progress_callback(sys.stderr.isatty())
    try:
        if progress is not None:
            with progress:
                result = goods_import(paths=paths, skip_invalid=skip_invalid, progress=callback, report_file=report)
        else:
            result = goods_import(paths=paths, skip_invalid=skip_invalid, report_file=report)
    except ImportFailed as exc:
        for error in exc.errors:
            click.echo(f"error: {error['path']}: {error['reason']}", err=True)
        click.echo("Nothing was imported. Fix the file(s), or use --skip-invalid to import the rest.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    for skipped in result.skipped:
        click.echo(f"skipped: {skipped['path']}: {skipped['reason']}", err=True)
    stats = result.stats
    click.echo(f"Imported {result.records} records from {result.files} files in {result.seconds:.2f} s "
               f"(import run {result.run_id}).")
    click.echo(f"Goods: {result.goods_created} created, {result.goods_updated} updated, "
               f"{result.goods_unchanged} unchanged. By stage: "
               + ", ".join(f"{stage} {count}" for stage, count in result.stages.items()))
    if stats["repairs"]:
        click.echo("Repairs: " + ", ".join(f"{kind} {n}" for kind, n in stats["repairs"].items()))
    if stats["unmapped"]:
        click.echo("Could not map: " + "; ".join(f"{what} ({n})" for what, n in stats["unmapped"].items()))
    if stats["matching"]:
        click.echo("Matching: " + ", ".join(f"{kind} {n}" for kind, n in stats["matching"].items()))
    if report:
        click.echo(f"Per-record report written to {report}.")
    if result.skipped:
        sys.exit(EXIT_BAD_INPUT)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--skip-invalid", is_flag=True,
              help="Import the valid files even if some are malformed (each skipped file is reported; exit code 2).")
@click.option("--report", type=click.Path(dir_okay=False, writable=True),
              help="Write the whole per-record report (repairs, values that could not be mapped, merges) as JSON; "
                   "the import run in the database keeps its first 5,000 entries.")
def import_(paths: tuple[str, ...], skip_invalid: bool, report: str | None) -> None:
    """Import DPGA records from PATHS (JSON files or folders, searched recursively).

    Both shapes are recognised from each file's content: the publicgoods-candidates nominee,
    screening and review records (2020-2023) and the registry API records (2022 on). Records of
    the same good become one good with all their sources. Re-running on the same data changes
    nothing. By default the run is all-or-nothing: if any file is malformed nothing is stored
    and the command exits with code 2, naming each file and the reason.

    \b
    Examples:
      dpghub import data/dpga/
      dpghub import registry.json --report report.json
    """
    _run(list(paths), skip_invalid=skip_invalid, report=report)


@cli.command("load-shipped")
@click.option("--force", is_flag=True, help="Import even if the catalogue already has goods (updates them).")
def load_shipped(force: bool) -> None:
    """Import the DPGA records shipped with DPG Hub.

    Without --force this does what the first start does: it imports only when the catalogue is
    empty (and DPGHUB_LOAD_SHIPPED_DATA is true).
    """
    django_env.setup()
    from dpghub.catalog.services.importing import SHIPPED_DATA_DIR, shipped_data_load_if_empty

    if force:
        _run([str(SHIPPED_DATA_DIR)], skip_invalid=False, report=None)
        return
    result = shipped_data_load_if_empty()
    if result is None:
        click.echo("Nothing to do: the catalogue already has goods, or DPGHUB_LOAD_SHIPPED_DATA is false. "
                   "Use --force to import anyway.")
    else:
        click.echo(f"Loaded the shipped DPGA records: {result}")


@cli.command("reindex")
def reindex() -> None:
    """Rebuild every good's search document, facets and spelling vocabulary.

    Imports and edits keep these up to date; run this once after an upgrade that changes what is
    indexed (such as countries and sectors becoming searchable).
    """
    django_env.setup()
    import time

    from dpghub.catalog.services.indexing import goods_reindex

    started = time.perf_counter()
    count = goods_reindex()
    click.echo(f"Reindexed {count} goods in {time.perf_counter() - started:.2f} s.")
