"""``dpghub screen``: screen a repository (or a list of them) against the DPG Standard.

Exit codes: 0 done, 2 bad input (the message says what), 1 the screening failed.
"""

from __future__ import annotations

import os
import sys

import click

from dpghub.cli.main import cli
from dpghub.core.standard import CATEGORY_NAMES, OPEN_SOFTWARE

STATUS_STYLE = {"met": "bold green", "likely_met": "green", "not_found": "yellow", "failed": "bold red",
                "needs_human": "cyan", "ok": "green", "warning": "yellow", "risk": "bold red", "unknown": "dim"}


def _check_declared(values: tuple[str, ...]) -> tuple[str, ...]:
    from dpghub.core.licensing import normalize

    checked = []
    for value in values:
        normalized = normalize(value)
        if not normalized:
            raise click.BadParameter(f"{value!r} is not a valid SPDX licence expression", param_hint="--declared")
        checked.append(normalized)
    return tuple(checked)


def _print_human(report) -> None:
    from rich.console import Console
    from rich.table import Table

    from dpghub.core.screening.render import evidence_text, skipped_sentence
    from dpghub.core.screening.report import INDICATOR_NAMES

    console = Console(file=sys.stdout, highlight=False)
    commit = report.commit[:12] if report.commit else "no commit"
    console.print(f"[bold]{report.source}[/] ({commit}) - {report.category} - {report.files_seen} files in "
                  f"{report.duration_ms} ms")
    table = Table(show_lines=False, expand=False)
    table.add_column("Indicator")
    table.add_column("Status")
    table.add_column("Explanation and evidence", overflow="fold")
    for finding in report.findings:
        detail = finding.explanation
        if finding.evidence:
            detail += "\n" + "\n".join(f"  - {evidence_text(e)}" for e in finding.evidence[:3])
        table.add_row(f"{finding.indicator} {INDICATOR_NAMES[finding.indicator]}",
                      f"[{STATUS_STYLE[finding.status.value]}]{finding.status.label}[/]", detail, end_section=True)
    console.print(table)
    skipped = skipped_sentence(report)
    if skipped:
        console.print(skipped)
    health = Table(title="Health signals")
    health.add_column("Signal")
    health.add_column("Status")
    health.add_column("Detail", overflow="fold")
    for signal in report.health:
        health.add_row(signal.id.replace("_", " "), f"[{STATUS_STYLE[signal.status.value]}]{signal.status.value}[/]",
                       signal.explanation)
    console.print(health)
    for note in report.limits_hit:
        console.print(f"[yellow]limit[/] {note.limit}: {note.detail}" + (f" ({note.where})" if note.where else ""))


def _run_batch(batch_file: str, out: str | None, workers: int | None, retry_failed: bool, category: str,
               declared: tuple[str, ...], limits) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from dpghub.core.screening.batch import read_sources, run_batch

    if not out:
        raise click.UsageError("--batch needs --out FILE (one JSON line per repository is written there)")
    try:
        with open(batch_file, encoding="utf-8", errors="replace") as handle:
            sources = read_sources(handle)
    except OSError as exc:
        raise click.UsageError(f"cannot read the batch file {batch_file}: {exc.strerror}") from exc
    err = Console(file=sys.stderr)
    with Progress(TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[last]}"), console=err, transient=False) as progress:
        task = progress.add_task("screen", total=len(sources), last="")

        def started(todo: int) -> None:
            progress.update(task, total=todo)

        def done(row: dict) -> None:
            progress.update(task, advance=1, last=("ok " if row["ok"] else "failed ") + row["source"][-60:])

        result = run_batch(sources, out, category=category, declared=declared, limits=limits, workers=workers,
                           retry_failed=retry_failed, on_start=started, on_result=done)
    click.echo(f"{result.total} sources: {result.ok} screened, {result.failed} failed, {result.skipped} already in "
               f"{out}", err=True)


@cli.command("screen")
@click.argument("source", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (schema report-1.json).")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the report as Markdown.")
@click.option("--category", default=OPEN_SOFTWARE.name, show_default=True,
              help=f"Category of the good: {', '.join(CATEGORY_NAMES[:-1])} or {CATEGORY_NAMES[-1]}.")
@click.option("--declared", multiple=True, metavar="SPDX", help="A licence the project declares (repeatable).")
@click.option("--batch", "batch_file", type=click.Path(dir_okay=False), help="Screen every source listed in FILE.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="JSON-lines output of --batch.")
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Worker processes [default: cores].")
@click.option("--retry-failed", is_flag=True, help="With --batch: screen again the sources that failed before.")
@click.option("--max-files", type=click.IntRange(1), default=None, help="Files screened per repository.")
@click.option("--clone-timeout", type=click.FloatRange(1), default=None, help="Seconds allowed for a clone.")
def screen_command(source: str | None, as_json: bool, as_markdown: bool, category: str, declared: tuple[str, ...],
                   batch_file: str | None, out: str | None, workers: int | None, retry_failed: bool,
                   max_files: int | None, clone_timeout: float | None) -> None:
    """Screen SOURCE (a directory or a git URL) against the nine indicators of the DPG Standard."""
    from dataclasses import replace

    from dpghub.core.screening import InvalidSource, Limits, ScreeningError, screen
    from dpghub.core.screening.checks.base import CATEGORIES, normalize_category
    from dpghub.core.screening.render import to_markdown

    if as_json and as_markdown:
        raise click.UsageError("choose one of --json and --markdown")
    chosen = normalize_category(category)
    if chosen is None:
        raise click.BadParameter(f"{category!r} is not one of {', '.join(CATEGORIES)}", param_hint="--category")
    declared = _check_declared(declared)
    limits = Limits()
    if max_files:
        limits = replace(limits, max_files=max_files)
    if clone_timeout:
        limits = replace(limits, clone_timeout=clone_timeout)
    if batch_file:
        if source:
            raise click.UsageError("give either SOURCE or --batch FILE, not both")
        if as_json or as_markdown:
            raise click.UsageError("--batch always writes JSON lines to --out")
        _run_batch(batch_file, out, workers, retry_failed, chosen, declared, limits)
        return
    if not source:
        raise click.UsageError("give a directory or a git URL to screen (or --batch FILE)")
    if out or workers or retry_failed:
        raise click.UsageError("--out, --workers and --retry-failed only apply to --batch")
    try:
        report = screen(os.fspath(source), category=chosen, declared=declared, limits=limits)
    except InvalidSource as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)
    except ScreeningError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(report.dumps(indent=2))
    elif as_markdown:
        click.echo(to_markdown(report), nl=False)
    else:
        _print_human(report)
