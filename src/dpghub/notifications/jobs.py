"""The delivery job: thin, idempotent, takes ids."""

from __future__ import annotations

from dpghub.common.jobs import job_kind
from dpghub.common.models import Job
from dpghub.notifications.services import (
    DELIVER_JOB,
    DELIVER_PENDING_JOB,
    notifications_deliver,
    notifications_deliver_pending,
)


@job_kind(DELIVER_JOB)
def deliver(job: Job) -> dict:
    return notifications_deliver(notification_ids=job.params.get("notification_ids", []))


@job_kind(DELIVER_PENDING_JOB)
def deliver_pending(job: Job) -> dict:
    return notifications_deliver_pending()
