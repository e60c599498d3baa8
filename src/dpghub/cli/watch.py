"""``dpghub watch tick``: tell followers about recognitions nearing expiry and deployments gone stale (daily)."""

from __future__ import annotations

import datetime as dt

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


@cli.group()
def watch() -> None:
    """Goods and countries that people follow."""


@watch.command("tick")
@click.option("--today", default="", help="The day to act as (YYYY-MM-DD); today when absent.")
def watch_tick_command(today: str) -> None:
    """Notify followers of recognitions expiring soon and of deployments gone stale (run it daily; each person
    hears of each event once, so running it twice on a day does nothing more)."""
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        raise click.BadParameter(f"{today!r} is not a date YYYY-MM-DD", param_hint="--today") from None
    django_env.setup()
    from dpghub.notifications.watching import watching_tick

    counts = watching_tick(today=day)
    click.echo(" ".join(f"{name}={value}" for name, value in counts.items()))
