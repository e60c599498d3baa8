"""Background jobs, one facade for two engines (docs/adr/0003-jobs.md).

* ``embedded`` (default): jobs are rows in the database; ``dpghub worker`` (started by ``dpghub serve``
  as a separate process) claims and runs them. No broker, and a web request never waits for a job.
* ``celery``: the same rows, and a Celery task (``dpghub.common.tasks.job_execute``) is sent after
  commit for each; Celery workers run it through the same :func:`job_execute`.

Either way a job is claimed with a lease; a worker that dies leaves a lease that expires, and the
job is claimed again (up to ``max_attempts``). Handlers must therefore be idempotent.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dpghub.common.models import Job, JobStatus

log = logging.getLogger(__name__)

Handler = Callable[[Job], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}
LEASE = timedelta(minutes=10)


class UnknownJobKind(LookupError):
    pass


def job_kind(name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for jobs of kind ``name`` (``app.verb_entity``)."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[name] = handler
        return handler

    return register


def _handler(kind: str) -> Handler:
    if kind not in _HANDLERS:
        # Handlers register when their app's jobs module is imported.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise UnknownJobKind(f"no handler registered for job kind {kind!r}") from None


def job_enqueue(*, kind: str, params: dict[str, Any], max_attempts: int = 3) -> Job:
    """Create a queued job; it is dispatched only once the surrounding transaction commits."""
    _handler(kind)  # fail now, in the caller, on an unknown kind
    job = Job.objects.create(kind=kind, params=params, max_attempts=max_attempts)
    if settings.DPGHUB_JOB_BACKEND == "celery":
        transaction.on_commit(lambda: _send_to_celery(job.pk))
    return job


def _send_to_celery(job_id: int) -> None:
    from dpghub.common.tasks import job_execute_task

    job_execute_task.delay(job_id)


def _claim(job_id: int | None = None) -> Job | None:
    """Atomically take a runnable job (queued, or running with an expired lease)."""
    now = timezone.now()
    runnable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    candidates = Job.objects.filter(runnable)
    if job_id is not None:
        candidates = candidates.filter(pk=job_id)
    for candidate in candidates.order_by("created_at", "id").values_list("pk", "attempts")[:5]:
        pk, attempts = candidate
        claimed = (
            Job.objects.filter(runnable, pk=pk, attempts=attempts)
            .update(
                status=JobStatus.RUNNING,
                attempts=attempts + 1,
                lease_expires_at=now + LEASE,
                started_at=now,
            )
        )
        if claimed:
            return Job.objects.get(pk=pk)
    return None


def job_execute(job_id: int | None = None) -> Job | None:
    """Claim and run one job (the given one, or the oldest runnable); return it, or None if none."""
    job = _claim(job_id)
    if job is None:
        return None
    if job.attempts > job.max_attempts:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, finished_at=timezone.now(),
            error=f"gave up after {job.max_attempts} attempts (the worker stopped while running it)",
        )
        job.refresh_from_db()
        return job
    try:
        result = _handler(job.kind)(job) or {}
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, never propagated to the worker
        log.warning("job %s (%s) failed: %s", job.pk, job.kind, exc)
        retry = job.attempts < job.max_attempts and not isinstance(exc, UnknownJobKind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED if retry else JobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}",
            lease_expires_at=None,
            finished_at=None if retry else timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.SUCCEEDED, result=result, error="", finished_at=timezone.now(), lease_expires_at=None
        )
    job.refresh_from_db()
    return job


def job_progress(job: Job, **progress: Any) -> None:
    """Record progress (shown to users) and renew the lease of a long job."""
    Job.objects.filter(pk=job.pk).update(progress=progress, lease_expires_at=timezone.now() + LEASE)


def worker_loop(*, stop: threading.Event, poll_seconds: float = 1.0, once: bool = False) -> int:
    """Run jobs until ``stop`` is set (or the queue is empty, with ``once``); return how many ran."""
    ran = 0
    while not stop.is_set():
        job = job_execute()
        if job is not None:
            ran += 1
            continue
        if once:
            break
        stop.wait(poll_seconds)
    return ran


def wait_for(job: Job, *, timeout: float = 30.0) -> Job:
    """Test and CLI helper: poll until the job has finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}:
            return job
        time.sleep(0.05)
    raise TimeoutError(f"job {job.pk} ({job.kind}) did not finish within {timeout} s; status {job.status}")
