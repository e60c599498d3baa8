"""``dpghub review tick`` (the daily calendar run) and ``dpghub decisions export|verify`` (the public log)."""

from __future__ import annotations

import datetime as dt
import sys

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


@cli.group()
def review() -> None:
    """The review workflow of applications."""


@review.command("tick")
@click.option("--today", default="", help="The day to act as (YYYY-MM-DD); today when absent.")
def review_tick_command(today: str) -> None:
    """Reminders, unanswered clarifications, renewals, expiry and archiving due on a day (run it daily; running
    it twice on a day does nothing more)."""
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        raise click.BadParameter(f"{today!r} is not a date YYYY-MM-DD", param_hint="--today") from None
    django_env.setup()
    from django.utils import timezone

    from dpghub.review.scheduling import review_tick

    counts = review_tick(today=day or timezone.localdate())
    click.echo(" ".join(f"{name}={value}" for name, value in counts.items()))


@cli.group()
def decisions() -> None:
    """The public, hash-chained log of decisions."""


@decisions.command("export")
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
def decisions_export(out) -> None:
    """Write the decision log as JSON Lines (what GET /api/v1/decisions serves)."""
    django_env.setup()
    from dpghub.review.decisions import decision_log_lines

    for line in decision_log_lines():
        out.write(line)


@decisions.command("verify")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def decisions_verify(file) -> None:
    """Check a downloaded copy of the decision log; exit 1 naming the first line that breaks the chain.
    Needs no database: the file alone says whether it was changed."""
    from dpghub.core.decisionlog import decision_log_verify_lines

    result = decision_log_verify_lines(file)
    if result.ok:
        click.echo(f"ok: {result.entries} entries, the chain is intact")
        return
    click.echo(f"line {result.bad_line}: {result.reason} ({result.entries} entries before it are intact)", err=True)
    sys.exit(1)
