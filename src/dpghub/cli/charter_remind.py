"""`dpghub charter remind`: tell endorsers that a progress report on a pledge falls due soon (for a daily cron).

The ``charter`` group may already exist (the Charter's import and export commands); this module adds its
command to that group, or creates the group when it is imported first.
"""

from __future__ import annotations

import datetime as dt

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


def _charter_group() -> click.Group:
    group = cli.commands.get("charter")
    if isinstance(group, click.Group):
        return group

    @cli.group(name="charter")
    def charter() -> None:
        """The Charter's monitoring framework: endorsements, pledges and progress reports."""

    return charter


@_charter_group().command(name="remind")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to act as of (YYYY-MM-DD); default: today.")
def remind(today: dt.datetime | None) -> None:
    """Notify the members of endorsers whose published pledges fall due for a progress report within
    DPGHUB_CHARTER_REMINDER_DAYS; each pledge at most once per due date. Safe to run every day."""
    django_env.setup()
    from django.conf import settings
    from django.utils import timezone

    from dpghub.charter.services import charter_reminders_send

    day = today.date() if today is not None else timezone.localdate()
    sent = charter_reminders_send(today=day)
    click.echo(f"{sent} pledge(s) fall due for a progress report within {settings.DPGHUB_CHARTER_REMINDER_DAYS} "
               f"days of {day.isoformat()}: their endorsers' members were reminded")
