"""Scheduled jobs: the schedule as plain data, and the one function that starts the due ones.

Each entry names a job kind (``common.jobs``) and when it is due: daily at a time (UTC) or every period.
Its *slots* are the times it is due; :func:`schedule_run_due` starts, for each entry, the latest slot at or
before ``now`` that has not been started yet, by moving ``ScheduleRun.slot`` forward with a conditional
UPDATE in the transaction that enqueues the job. So:

- a slot is started once, however many schedulers run (several ``dpghub worker`` processes, or Celery
  beat and a worker's catch-up): the losers update no row and enqueue nothing;
- slots missed while nothing ran (the server was down for three days) are caught up *once*, with the
  latest slot: every job here acts on "today" and is idempotent, so one run covers the missed days.

Who calls it: the embedded worker (``dpghub worker``, started by ``dpghub serve``) every 30 seconds; with
Celery, beat sends ``dpghub.schedule_run`` per entry on the same schedule (``config/celery.py`` builds
beat's schedule from :data:`SCHEDULE`) and ``dpghub.jobs_recover`` every minute catches up; and
``dpghub schedule run-due`` by hand or from cron. This module imports no model at import time, so that
the Celery app can read :data:`SCHEDULE` before Django is set up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

UTC = dt.UTC
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Scheduled:
    """A job started on a schedule: ``at`` a time of day (UTC), daily, or ``every`` period."""

    name: str
    kind: str
    help: str
    at: dt.time | None = None
    every: dt.timedelta | None = None
    day_param: bool = False  # pass the slot's date as the job's ``today`` parameter

    def __post_init__(self) -> None:
        if (self.at is None) == (self.every is None):
            raise ValueError(f"{self.name}: give exactly one of `at` and `every`")

    @property
    def period(self) -> dt.timedelta:
        return self.every if self.every is not None else dt.timedelta(days=1)

    @property
    def when(self) -> str:
        if self.at is not None:
            return f"daily at {self.at.strftime('%H:%M')} UTC"
        return f"every {int(self.period.total_seconds() // 60)} min"

    def slot_at_or_before(self, now: dt.datetime) -> dt.datetime:
        """The latest time at or before ``now`` when this job was due."""
        now = now.astimezone(UTC)
        if self.at is not None:
            today = dt.datetime.combine(now.date(), self.at, tzinfo=UTC)
            return today if now >= today else today - dt.timedelta(days=1)
        return _EPOCH + ((now - _EPOCH) // self.period) * self.period

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        return self.slot_at_or_before(now) + self.period

    def params(self, slot: dt.datetime) -> dict[str, Any]:
        return {"today": slot.date().isoformat(), "slot": slot.isoformat()} if self.day_param else {
            "slot": slot.isoformat()}


# The daily (and periodic) jobs that exist. Deployments have no notices to send: their staleness is
# computed as of any date when read (deployments.selectors.deployment_is_stale), so nothing is scheduled.
SCHEDULE: tuple[Scheduled, ...] = (
    Scheduled("review.tick", kind="review.tick", at=dt.time(2, 0), day_param=True,
              help="Review calendar: clarification reminders and deadlines, renewals, expiry, archiving."),
    Scheduled("charter.remind", kind="charter.remind", at=dt.time(2, 30), day_param=True,
              help="Tell endorsers that a progress report on a pledge falls due soon (once per due date)."),
    Scheduled("notifications.retry", kind="notifications.deliver_pending", every=dt.timedelta(minutes=15),
              help="E-mail the notifications still pending (a delivery job that was lost or gave up)."),
)
_BY_NAME = {entry.name: entry for entry in SCHEDULE}


def schedule_entry(name: str) -> Scheduled:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise LookupError(f"no scheduled job named {name!r}; see `dpghub schedule list`") from None


@dataclass(frozen=True)
class Started:
    name: str
    slot: dt.datetime
    job_id: int


def schedule_run_due(*, now: dt.datetime | None = None, names: list[str] | None = None,
                     schedule: tuple[Scheduled, ...] = SCHEDULE) -> list[Started]:
    """Start (enqueue) each scheduled job whose latest slot at or before ``now`` has not been started."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from dpghub.common.jobs import job_enqueue
    from dpghub.common.models import ScheduleRun

    now = now or timezone.now()
    started = []
    # one read first, so that the usual answer ("nothing due") takes no write lock (SQLite's transactions
    # here begin IMMEDIATE); the conditional UPDATE below still decides who starts a slot
    last_slots = dict(ScheduleRun.objects.values_list("name", "slot"))
    for entry in schedule:
        if names is not None and entry.name not in names:
            continue
        slot = entry.slot_at_or_before(now)
        if entry.name in last_slots and last_slots[entry.name] >= slot:
            continue
        with transaction.atomic():
            won = ScheduleRun.objects.filter(name=entry.name, slot__lt=slot).update(slot=slot, started_at=now)
            if not won:
                if ScheduleRun.objects.filter(name=entry.name).exists():
                    continue  # this slot (or a later one) was started already
                try:
                    with transaction.atomic():
                        ScheduleRun.objects.create(name=entry.name, slot=slot, started_at=now)
                except IntegrityError:
                    continue  # another scheduler created the row first: it starts the slot
            job = job_enqueue(kind=entry.kind, params=entry.params(slot))
            ScheduleRun.objects.filter(name=entry.name).update(job=job)
        started.append(Started(entry.name, slot, job.pk))
    return started


@dataclass(frozen=True)
class EntryStatus:
    entry: Scheduled
    last_slot: dt.datetime | None
    last_started_at: dt.datetime | None
    last_job_id: int | None
    last_job_status: str | None
    due_now: bool
    next_slot: dt.datetime


def schedule_status(*, now: dt.datetime | None = None) -> list[EntryStatus]:
    """Each scheduled job with its last started slot, that job's status, and whether a slot is due now."""
    from django.utils import timezone

    from dpghub.common.models import ScheduleRun

    now = now or timezone.now()
    runs = {run.name: run for run in ScheduleRun.objects.select_related("job")}
    rows = []
    for entry in SCHEDULE:
        run = runs.get(entry.name)
        slot = entry.slot_at_or_before(now)
        rows.append(EntryStatus(
            entry=entry,
            last_slot=run.slot if run else None,
            last_started_at=run.started_at if run else None,
            last_job_id=run.job_id if run else None,
            last_job_status=run.job.status if run and run.job else None,
            due_now=run is None or run.slot < slot,
            next_slot=entry.next_slot(now),
        ))
    return rows
