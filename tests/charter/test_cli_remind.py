"""`dpghub charter remind --today`: reminders sent once per due date, from the command line."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from django.test import override_settings

from dpghub.charter.models import Pledge
from dpghub.notifications.models import Notification
from tests.charter.helpers import endorse, pledge


@override_settings(DPGHUB_CHARTER_REPORTING_PERIOD_DAYS=182, DPGHUB_CHARTER_REMINDER_DAYS=14)
def test_remind(world, cli):
    pledge(endorse(world.org), "due", pledged_on=dt.date(2024, 1, 1))  # due 2024-07-01
    early = CliRunner().invoke(cli, ["charter", "remind", "--today", "2024-06-16"])
    assert early.exit_code == 0, early.output
    assert early.output.startswith("0 pledge(s) fall due for a progress report within 14 days of 2024-06-16")
    result = CliRunner().invoke(cli, ["charter", "remind", "--today", "2024-06-17"])
    assert result.output.startswith("1 pledge(s) fall due for a progress report within 14 days of 2024-06-17")
    again = CliRunner().invoke(cli, ["charter", "remind", "--today", "2024-06-18"])
    assert again.output.startswith("0 pledge(s)")
    assert Pledge.objects.get().reminded_for == dt.date(2024, 7, 1)
    assert sorted(Notification.objects.values_list("person__username", flat=True)) == ["admin", "member"]


@override_settings(DPGHUB_CHARTER_REPORTING_PERIOD_DAYS=182, DPGHUB_CHARTER_REMINDER_DAYS=14)
def test_the_scheduled_job_reminds_once_per_due_date(world):
    """`charter.remind`, started daily by the scheduler (common.schedule) with the slot's date."""
    from dpghub.common.jobs import job_enqueue, job_execute
    from dpghub.common.schedule import schedule_run_due

    pledge(endorse(world.org), "due", pledged_on=dt.date(2024, 1, 1))  # due 2024-07-01
    (started,) = schedule_run_due(now=dt.datetime(2024, 6, 17, 3, 0, tzinfo=dt.UTC), names=["charter.remind"])
    job = job_execute(started.job_id)
    assert (job.params["today"], job.status, job.result) == ("2024-06-17", "succeeded", {"reminded": 1})
    again = job_execute(job_enqueue(kind="charter.remind", params={"today": "2024-06-18"}).pk)
    assert again.result == {"reminded": 0}
    assert Pledge.objects.get().reminded_for == dt.date(2024, 7, 1)
