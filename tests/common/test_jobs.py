"""The jobs facade: embedded worker, retries, crash recovery through leases, and the Celery engine."""

import os
import threading
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from dpghub.common import jobs
from dpghub.common.models import Job, JobStatus

CALLS: list[dict] = []


@jobs.job_kind("tests.echo")
def _echo(job):
    CALLS.append(job.params)
    if job.params.get("fail_times", 0) >= job.attempts:
        raise RuntimeError(f"planned failure on attempt {job.attempts}")
    return {"echo": job.params["value"], "attempt": job.attempts}


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


@pytest.mark.django_db
def test_embedded_worker_runs_a_queued_job():
    job = jobs.job_enqueue(kind="tests.echo", params={"value": 7})
    assert job.status == JobStatus.QUEUED
    ran = jobs.worker_loop(stop=threading.Event(), once=True)
    job.refresh_from_db()
    assert ran == 1
    assert (job.status, job.result, job.attempts) == (JobStatus.SUCCEEDED, {"echo": 7, "attempt": 1}, 1)
    assert job.finished_at is not None


@pytest.mark.django_db
def test_failure_is_retried_then_recorded():
    job = jobs.job_enqueue(kind="tests.echo", params={"value": 1, "fail_times": 5}, max_attempts=2)
    jobs.worker_loop(stop=threading.Event(), once=True)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == 2
    assert "planned failure on attempt 2" in job.error
    assert len(CALLS) == 2


@pytest.mark.django_db
def test_transient_failure_then_success():
    job = jobs.job_enqueue(kind="tests.echo", params={"value": 3, "fail_times": 1})
    jobs.worker_loop(stop=threading.Event(), once=True)
    job.refresh_from_db()
    assert (job.status, job.result["attempt"]) == (JobStatus.SUCCEEDED, 2)


@pytest.mark.django_db
def test_job_of_a_crashed_worker_is_taken_up_after_its_lease_expires():
    job = jobs.job_enqueue(kind="tests.echo", params={"value": 9})
    # A worker claimed it and died: running, with a lease still valid, then expired.
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, lease_expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert jobs.job_execute() is None  # the lease still holds: nobody else may take it
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    finished = jobs.job_execute()
    assert finished.pk == job.pk
    assert (finished.status, finished.attempts, finished.result["echo"]) == (JobStatus.SUCCEEDED, 2, 9)


@pytest.mark.django_db
def test_job_that_keeps_killing_its_worker_is_given_up():
    job = jobs.job_enqueue(kind="tests.echo", params={"value": 9}, max_attempts=2)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=2, lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    finished = jobs.job_execute()
    assert finished.status == JobStatus.FAILED
    assert "gave up after 2 attempts" in finished.error
    assert CALLS == []


@pytest.mark.django_db
def test_unknown_kind_is_refused_at_enqueue():
    with pytest.raises(jobs.UnknownJobKind):
        jobs.job_enqueue(kind="tests.nope", params={})
    assert Job.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_celery_engine_runs_the_job_through_a_real_broker(settings):
    """JOB_BACKEND=celery: sent to Redis after commit, run by a real Celery worker."""
    import redis
    from celery.contrib.testing.worker import start_worker

    from dpghub.config.celery import app

    broker = os.environ.get("DPGHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")  # as scripts/test.sh checks
    redis.Redis.from_url(broker).ping()  # fails loudly when the server is missing
    settings.DPGHUB_JOB_BACKEND = "celery"
    app.conf.update(broker_url=broker, result_backend=None, task_always_eager=False)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            job = jobs.job_enqueue(kind="tests.echo", params={"value": 42})
        finished = jobs.wait_for(job, timeout=20)
    assert (finished.status, finished.result) == (JobStatus.SUCCEEDED, {"echo": 42, "attempt": 1})
