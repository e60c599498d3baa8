"""Leases renewed while a job runs (a heartbeat), a dead worker's jobs given back at once, and what a page
is told about a job meanwhile (issue 18: "A killed worker's job waits ten minutes")."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from dpghub.common import jobs
from dpghub.common.jobs import JobShown, job_shown
from dpghub.common.models import Job, JobStatus
from tests.waiting import wait_until

HELPER = Path(__file__).with_name("killable_worker.py")
RENEWALS: list = []


@jobs.job_kind("tests.wait_for_renewals")
def _wait_for_renewals(job):
    """Runs until the heartbeat has renewed the lease twice (or 10 s): touches no database meanwhile."""
    deadline = time.monotonic() + 10
    while len(RENEWALS) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    return {"renewals_seen": len(RENEWALS)}


@pytest.mark.django_db(transaction=True)
def test_the_lease_is_renewed_while_the_job_runs(monkeypatch):
    RENEWALS.clear()
    real_renew = jobs._renew

    def renew(job):
        renewed = real_renew(job)
        lease = Job.objects.values_list("lease_expires_at", flat=True).get(pk=job.pk)
        RENEWALS.append((renewed, lease))
        return renewed

    monkeypatch.setattr(jobs, "_renew", renew)
    job = jobs.job_enqueue(kind="tests.wait_for_renewals", params={})
    started = timezone.now()
    done = jobs.job_execute(job.pk, heartbeat=timedelta(seconds=0.05))
    assert done.status == JobStatus.SUCCEEDED and done.result["renewals_seen"] >= 2
    assert all(renewed for renewed, _lease in RENEWALS[:2])
    first, second = RENEWALS[0][1], RENEWALS[1][1]
    assert started + jobs.LEASE <= first < second  # each beat pushes the lease further
    count = len(RENEWALS)
    time.sleep(0.2)  # the heartbeat stopped with the job
    assert len(RENEWALS) == count
    assert done.lease_expires_at is None


@pytest.mark.django_db
def test_a_stale_attempt_neither_renews_nor_overwrites_the_attempt_that_took_over():
    job = jobs.job_enqueue(kind="tests.wait_for_renewals", params={})
    stale = jobs._claim(job.pk, worker="host:1")
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    newer = jobs._claim(job.pk, worker="host:2")
    assert (newer.attempts, newer.worker) == (2, "host:2")
    assert jobs._renew(stale) is False  # the old attempt's heartbeat changes nothing
    jobs.job_progress(stale, step="late")
    assert Job.objects.get(pk=job.pk).progress == {}
    assert jobs._renew(newer) is True


@pytest.mark.django_db
def test_release_gives_a_dead_workers_jobs_back_at_once():
    mine = jobs.job_enqueue(kind="tests.wait_for_renewals", params={})
    other = jobs.job_enqueue(kind="tests.wait_for_renewals", params={})
    jobs._claim(mine.pk, worker="host:41")
    jobs._claim(other.pk, worker="host:42")
    assert jobs.jobs_release(worker="host:41") == [mine.pk]
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.status, mine.worker, mine.lease_expires_at, mine.attempts) == (JobStatus.QUEUED, "", None, 1)
    assert "its worker stopped" in mine.error
    assert other.status == JobStatus.RUNNING  # another worker's job is left alone
    assert job_shown(mine) == JobShown.RETRYING


@pytest.mark.django_db
def test_what_a_page_is_told_about_a_job():
    job = jobs.job_enqueue(kind="tests.wait_for_renewals", params={})
    assert job_shown(job) == JobShown.QUEUED
    jobs._claim(job.pk, worker="host:1")
    job.refresh_from_db()
    assert job_shown(job) == JobShown.RUNNING
    # its worker died unseen: the lease lapsed, the job is not running any more whatever the row says
    assert job_shown(job, now=job.lease_expires_at + timedelta(seconds=1)) == JobShown.RETRYING


@pytest.mark.django_db
def test_celery_recovery_resends_lapsed_and_lost_jobs_only(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(jobs, "_send_to_celery", sent.append)
    lapsed = jobs.job_enqueue(kind="tests.wait_for_renewals", params={})
    held = jobs.job_enqueue(kind="tests.wait_for_renewals", params={})
    fresh = jobs.job_enqueue(kind="tests.wait_for_renewals", params={})
    jobs._claim(lapsed.pk, worker="a:1")
    jobs._claim(held.pk, worker="a:2")
    now = timezone.now()
    Job.objects.filter(pk=lapsed.pk).update(lease_expires_at=now - timedelta(seconds=1))
    assert jobs.jobs_recover(now=now) == [lapsed.pk]  # fresh is queued only just now: its message is on its way
    Job.objects.filter(pk=held.pk).update(lease_expires_at=now - timedelta(seconds=1))
    assert jobs.jobs_recover(now=now + jobs.LEASE + timedelta(seconds=1)) == [lapsed.pk, held.pk, fresh.pk]


def _attempts(folder: Path) -> list[tuple[int, int]]:
    path = folder / "attempts"
    if not path.exists():
        return []
    return [tuple(map(int, line.split())) for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.slow
def test_a_killed_worker_s_job_is_taken_up_again_within_seconds(tmp_path):
    """Real processes: serve's supervisor and its worker; the worker is killed mid-job (SIGKILL)."""
    if os.environ.get("DPGHUB_DATABASE_URL"):
        pytest.skip("the processes share a SQLite file; the release itself is tested on both databases above")
    data = tmp_path / "data"
    env = {**os.environ, "DPGHUB_DATA_DIR": str(data), "DPGHUB_LOAD_SHIPPED_DATA": "false"}
    subprocess.run([sys.executable, "-m", "dpghub", "schedule", "list"], env=env, check=True, capture_output=True)
    job_id = int(subprocess.run([sys.executable, str(HELPER), "enqueue", str(tmp_path)], env=env, check=True,
                                capture_output=True, text=True).stdout.strip())
    database = sqlite3.connect(data / "dpghub.sqlite3", timeout=10)

    def row():
        return database.execute("SELECT status, attempts, lease_expires_at, worker FROM common_job WHERE id = ?",
                                (job_id,)).fetchone()

    supervisor = subprocess.Popen([sys.executable, str(HELPER), "supervise", str(tmp_path)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        (attempt, pid), = wait_until(lambda: _attempts(tmp_path), timeout=60, what="the first attempt")
        assert attempt == 1
        first_lease = row()[2]
        wait_until(lambda: row()[2] > first_lease, timeout=10, what="the heartbeat to renew the lease")
        assert row()[0] == "running" and row()[3].endswith(f":{pid}")
        killed_at = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        second = wait_until(lambda: _attempts(tmp_path)[1:], timeout=20, what="the job to be taken up again")
        taken_up_after = time.monotonic() - killed_at
        assert second[0][0] == 2 and second[0][1] != pid
        assert taken_up_after < 10, taken_up_after  # the lease (90 s) did not have to lapse
        (tmp_path / "finish").touch()
        wait_until(lambda: row()[0] == "succeeded", timeout=20, what="the job to finish")
        assert row()[1] == 2  # two attempts: once killed, once done
    finally:
        database.close()
        supervisor.send_signal(signal.SIGTERM)
        output = supervisor.communicate(timeout=30)[0]
    assert f"job(s) {job_id} will be retried" in output, output


@pytest.mark.slow
def test_celery_a_job_whose_worker_process_is_killed_runs_again_and_completes_once(tmp_path):
    """Real Celery (prefork) on the real Redis: the child running the job is SIGKILLed; the message comes
    back (reject_on_worker_lost), waits for the dead attempt's lease to lapse, and the job completes once."""
    import redis

    if os.environ.get("DPGHUB_DATABASE_URL"):
        pytest.skip("the processes share a SQLite file")
    broker = os.environ.get("DPGHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis.Redis.from_url(broker).ping()
    data = tmp_path / "data"
    env = {**os.environ, "DPGHUB_DATA_DIR": str(data), "DPGHUB_LOAD_SHIPPED_DATA": "false",
           "DPGHUB_JOB_BACKEND": "celery", "DPGHUB_BROKER_URL": broker}
    subprocess.run([sys.executable, "-m", "dpghub", "schedule", "list"], env=env, check=True, capture_output=True)
    worker = subprocess.Popen([sys.executable, str(HELPER), "celery", str(tmp_path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    database = sqlite3.connect(data / "dpghub.sqlite3", timeout=10)
    try:
        job_id = int(subprocess.run([sys.executable, str(HELPER), "enqueue", str(tmp_path)], env=env, check=True,
                                    capture_output=True, text=True).stdout.strip())
        (attempt, child), = wait_until(lambda: _attempts(tmp_path), timeout=60, what="the first attempt")
        assert attempt == 1 and child != worker.pid
        os.kill(child, signal.SIGKILL)
        second = wait_until(lambda: _attempts(tmp_path)[1:], timeout=30, what="the job to be taken up again")
        assert second[0][0] == 2 and second[0][1] != child
        (tmp_path / "finish").touch()
        wait_until(lambda: database.execute("SELECT status FROM common_job WHERE id = ?", (job_id,)).fetchone()[0]
              == "succeeded", timeout=20, what="the job to finish")
        time.sleep(1)  # a duplicate delivery, if any, would show as a third attempt
        assert len(_attempts(tmp_path)) == 2
        assert database.execute("SELECT attempts FROM common_job WHERE id = ?", (job_id,)).fetchone()[0] == 2
    finally:
        database.close()
        worker.send_signal(signal.SIGTERM)
        try:
            output = worker.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            output = worker.communicate()[0]
    assert "WorkerLostError" in output or "Process" in output, output[-3000:]


def test_celery_is_configured_for_lost_workers():
    """A message is acknowledged after its job ran, handed back if the worker process dies, fetched one at a
    time, and redelivered by Redis only after an hour (a second delivery finds the job claimed or done)."""
    from dpghub.common.tasks import job_execute_task, jobs_recover_task, schedule_run_task
    from dpghub.config.celery import app

    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] == 3600
    for task in (job_execute_task, schedule_run_task, jobs_recover_task):
        assert task.acks_late is True and task.reject_on_worker_lost is True
