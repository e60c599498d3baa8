"""Background jobs, one facade for two engines (docs/adr/0003-jobs.md).

* ``embedded`` (default): jobs are rows in the database; ``dpghub worker`` (started by ``dpghub serve``
  as a separate process) claims and runs them. No broker, and a web request never waits for a job.
* ``celery``: the same rows, and a Celery task (``dpghub.common.tasks.job_execute``) is sent after
  commit for each; Celery workers run it through the same :func:`job_execute`.

Either way a job is claimed with a lease (``LEASE``) in the name of its worker (``worker_name()``), and a
heartbeat thread renews the lease every ``HEARTBEAT`` while the handler runs. A worker that dies stops
renewing: its lease lapses within ``LEASE`` and the job is claimed again (up to ``max_attempts``); sooner
when ``dpghub serve``, which sees its worker die, calls :func:`jobs_release`. Handlers must therefore be
idempotent.
"""

from __future__ import annotations

import logging
import os
import socket
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
# A lease is short and renewed by a heartbeat while the job runs: a worker that dies without anyone
# noticing holds its job at most LEASE; a live worker holds it as long as the handler runs.
LEASE = timedelta(seconds=90)
HEARTBEAT = timedelta(seconds=20)


def worker_name(pid: int | None = None) -> str:
    """The name a worker process claims jobs under: ``host:pid`` (``dpghub serve`` computes its child's)."""
    return f"{socket.gethostname()}:{pid or os.getpid()}"[:100]


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
    # Through DPG Hub's configured app (its broker is DPGHUB_BROKER_URL): a web process never imports it
    # otherwise, and a shared task's .delay() there would use Celery's default app and broker.
    from dpghub.config.celery import app

    app.send_task("dpghub.job_execute", args=[job_id])


def _claim(job_id: int | None = None, *, worker: str) -> Job | None:
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
                worker=worker,
            )
        )
        if claimed:
            return Job.objects.get(pk=pk)
    return None


def job_execute(job_id: int | None = None, *, worker: str | None = None,
                heartbeat: timedelta | None = None) -> Job | None:
    """Claim and run one job (the given one, or the oldest runnable); return it, or None if none.

    While the handler runs, a thread renews the lease every ``heartbeat`` (default ``HEARTBEAT``). Every
    write after the claim is conditional on still holding it (same ``attempts``): a worker whose lease
    lapsed and whose job was taken over never overwrites the newer attempt's outcome.
    """
    job = _claim(job_id, worker=worker or worker_name())
    if job is None:
        return None
    mine = Job.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING)
    if job.attempts > job.max_attempts:
        mine.update(
            status=JobStatus.FAILED, finished_at=timezone.now(), lease_expires_at=None,
            error=f"gave up after {job.max_attempts} attempts (the worker stopped while running it)",
        )
        job.refresh_from_db()
        return job
    keeper = _LeaseKeeper(job, every=heartbeat or HEARTBEAT)
    keeper.start()
    try:
        result = _handler(job.kind)(job) or {}
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, never propagated to the worker
        keeper.stop()
        log.warning("job %s (%s) failed: %s", job.pk, job.kind, exc)
        retry = job.attempts < job.max_attempts and not isinstance(exc, UnknownJobKind)
        mine.update(
            status=JobStatus.QUEUED if retry else JobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}",
            lease_expires_at=None,
            finished_at=None if retry else timezone.now(),
        )
    else:
        keeper.stop()
        mine.update(
            status=JobStatus.SUCCEEDED, result=result, error="", finished_at=timezone.now(), lease_expires_at=None
        )
    job.refresh_from_db()
    return job


class _LeaseKeeper(threading.Thread):
    """Renews a running job's lease every ``every`` until stopped (the job's heartbeat)."""

    def __init__(self, job: Job, *, every: timedelta) -> None:
        super().__init__(name=f"lease-{job.pk}", daemon=True)
        self._job, self._every, self._stopped = job, every.total_seconds(), threading.Event()
        self.renewals = 0

    def run(self) -> None:
        from django.db import connection

        try:
            while not self._stopped.wait(self._every):
                try:
                    if _renew(self._job):
                        self.renewals += 1
                except Exception as exc:  # noqa: BLE001 - a missed renewal is retried at the next beat
                    log.warning("job %s: could not renew its lease: %s", self._job.pk, exc)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=30)


def _renew(job: Job) -> bool:
    """Extend the lease of ``job`` if this attempt still holds it."""
    return bool(Job.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING)
                .update(lease_expires_at=timezone.now() + LEASE))


def job_lease_remaining(job_id: int, *, now=None) -> float | None:
    """Seconds until the lease of a running job lapses (0 if it has), or None if the job is not running."""
    lease = (Job.objects.filter(pk=job_id, status=JobStatus.RUNNING)
             .values_list("lease_expires_at", flat=True).first())
    if lease is None:
        return None
    return max(0.0, (lease - (now or timezone.now())).total_seconds())


def jobs_release(*, worker: str, reason: str = "its worker stopped") -> list[int]:
    """Give back at once the jobs a dead ``worker`` was running, so that they are retried now rather
    than when their lease lapses (``dpghub serve`` calls this when its worker dies). Returns their ids."""
    now = timezone.now()
    ids = list(Job.objects.filter(status=JobStatus.RUNNING, worker=worker).values_list("pk", flat=True))
    released = []
    for pk in ids:
        if Job.objects.filter(pk=pk, status=JobStatus.RUNNING, worker=worker).update(
                status=JobStatus.QUEUED, lease_expires_at=None, worker="",
                error=f"attempt interrupted at {now.isoformat(timespec='seconds')}: {reason}; it will be retried"):
            released.append(pk)
    if released and settings.DPGHUB_JOB_BACKEND == "celery":
        for pk in released:
            transaction.on_commit(lambda pk=pk: _send_to_celery(pk))
    return released


def jobs_recover(*, now=None) -> list[int]:
    """Celery engine: send again the jobs no worker holds any more (their lease lapsed), and the queued
    jobs whose message was lost (queued for longer than a lease). The embedded worker needs none of this:
    it claims such jobs itself. Returns the ids sent."""
    now = now or timezone.now()
    lapsed = Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    lost = Q(status=JobStatus.QUEUED, created_at__lt=now - LEASE)
    ids = list(Job.objects.filter(lapsed | lost).order_by("created_at", "id").values_list("pk", flat=True)[:500])
    for pk in ids:
        _send_to_celery(pk)
    return ids


class JobShown:
    """What a page should say about a job (``job_shown``): the stored status, corrected for a lapsed lease."""

    QUEUED = "queued"  # waiting for its first attempt
    RUNNING = "running"  # a live worker holds it
    RETRYING = "retrying"  # an attempt was interrupted or failed; it will be tried again
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def job_shown(job: Job, *, now=None) -> str:
    """The truth about ``job`` for people: a running job whose lease lapsed is not running any more (its
    worker died) and will be retried; a queued job that was attempted before is being retried."""
    now = now or timezone.now()
    if job.status == JobStatus.RUNNING:
        if job.lease_expires_at is not None and job.lease_expires_at < now:
            return JobShown.RETRYING
        return JobShown.RUNNING
    if job.status == JobStatus.QUEUED:
        return JobShown.RETRYING if job.attempts else JobShown.QUEUED
    return JobShown.SUCCEEDED if job.status == JobStatus.SUCCEEDED else JobShown.FAILED


def job_progress(job: Job, **progress: Any) -> None:
    """Record progress (shown to users) and renew the lease of a long job (if this attempt still holds it)."""
    Job.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING).update(
        progress=progress, lease_expires_at=timezone.now() + LEASE)


def heartbeat_record(*, role: str, name: str | None = None, now=None) -> None:
    """Say that a process of ``role`` (``worker`` or ``scheduler``) is alive (read by /readyz and ``dpghub check``)."""
    from dpghub.common.models import Heartbeat

    now = now or timezone.now()
    name = name or f"{role}:{worker_name()}"
    Heartbeat.objects.update_or_create(name=name[:150], defaults={"role": role, "seen_at": now})
    # each process has its own row (host:pid): forget those of processes gone for a day
    Heartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def worker_loop(*, stop: threading.Event, poll_seconds: float = 1.0, once: bool = False,
                scheduler: bool = False, schedule_seconds: float = 30.0) -> int:
    """Run jobs until ``stop`` is set (or the queue is empty, with ``once``); return how many ran.

    The loop records its heartbeat every ``HEARTBEAT``; with ``scheduler`` it also starts the scheduled
    jobs that are due (``common.schedule``) every ``schedule_seconds``, before running jobs, so a web
    request never waits for them and several workers never start the same slot twice.
    """
    ran = 0
    name = worker_name()
    last_beat = last_schedule = float("-inf")
    while not stop.is_set():
        if time.monotonic() - last_beat >= HEARTBEAT.total_seconds():
            _quietly(heartbeat_record, role="worker", name=f"worker:{name}")
            last_beat = time.monotonic()
        if scheduler and time.monotonic() - last_schedule >= schedule_seconds:
            from dpghub.common.schedule import schedule_run_due

            _quietly(schedule_run_due)
            _quietly(heartbeat_record, role="scheduler", name=f"scheduler:{name}")
            last_schedule = time.monotonic()
        job = job_execute(worker=name)
        if job is not None:
            ran += 1
            continue
        if once:
            break
        stop.wait(poll_seconds)
    return ran


def _quietly(function: Callable[..., Any], **kwargs: Any) -> None:
    """Housekeeping that must never stop the worker (a locked database is tried again at the next turn)."""
    try:
        function(**kwargs)
    except Exception as exc:  # noqa: BLE001 - logged; the worker goes on running jobs
        log.warning("%s failed: %s", function.__name__, exc)


def wait_for(job: Job, *, timeout: float = 30.0) -> Job:
    """Test and CLI helper: poll until the job has finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}:
            return job
        time.sleep(0.05)
    raise TimeoutError(f"job {job.pk} ({job.kind}) did not finish within {timeout} s; status {job.status}")
