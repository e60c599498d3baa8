"""The Charter's background jobs: ``charter.remind`` (daily, also ``dpghub charter remind``) and
``charter.grid_warm`` (after each Charter write: the public grid computed again, so no visitor waits for it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dpghub.charter.selectors import charter_grid
from dpghub.charter.services import charter_reminders_send
from dpghub.charter.state import GRID_WARM_JOB
from dpghub.common.jobs import job_kind
from dpghub.common.models import Job

REMIND_JOB = "charter.remind"


@job_kind(REMIND_JOB)
def charter_remind_job(job: Job) -> dict[str, Any]:
    """Params: ``today`` (ISO date; the current local date when absent). Each pledge is reminded at most once
    per due date, so a second run on a day, or a redelivered job, sends nothing more."""
    today = dt.date.fromisoformat(job.params["today"]) if job.params.get("today") else timezone.localdate()
    return {"reminded": charter_reminders_send(today=today)}


@job_kind(GRID_WARM_JOB)
def charter_grid_warm_job(job: Job) -> dict[str, Any]:
    """Compute the grid as of today, without filters (the Charter's home page and its JSON twin), into the
    cache under the current stamp. At 100,000 pledges this takes seconds; a visitor then gets it from the cache."""
    grid = charter_grid(viewer=None)
    return {"as_of": grid.as_of.isoformat()}
