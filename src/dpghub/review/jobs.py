"""The review app's background job: ``review.tick`` (the daily calendar run, also ``dpghub review tick``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dpghub.common.jobs import job_kind
from dpghub.common.models import Job
from dpghub.review.scheduling import review_tick

TICK_JOB = "review.tick"


@job_kind(TICK_JOB)
def review_tick_job(job: Job) -> dict[str, Any]:
    """Params: ``today`` (ISO date; the current local date when absent). Idempotent, like review_tick."""
    today = dt.date.fromisoformat(job.params["today"]) if job.params.get("today") else timezone.localdate()
    return review_tick(today=today)
