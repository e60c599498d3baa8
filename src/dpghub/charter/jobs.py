"""The Charter's background job: ``charter.remind`` (daily, also ``dpghub charter remind``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dpghub.charter.services import charter_reminders_send
from dpghub.common.jobs import job_kind
from dpghub.common.models import Job

REMIND_JOB = "charter.remind"


@job_kind(REMIND_JOB)
def charter_remind_job(job: Job) -> dict[str, Any]:
    """Params: ``today`` (ISO date; the current local date when absent). Each pledge is reminded at most once
    per due date, so a second run on a day, or a redelivered job, sends nothing more."""
    today = dt.date.fromisoformat(job.params["today"]) if job.params.get("today") else timezone.localdate()
    return {"reminded": charter_reminders_send(today=today)}
