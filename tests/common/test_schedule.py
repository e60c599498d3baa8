"""Scheduled jobs (common.schedule): each slot started once, missed slots caught up once, never twice
with several schedulers; the embedded worker starts them, Celery beat's schedule is built from the same
data, and `dpghub schedule list|run-due`. Time is passed in (`now=`): no test sleeps."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner
from django.db import close_old_connections, connection

from dpghub.common import jobs
from dpghub.common.models import Heartbeat, Job, JobStatus, ScheduleRun
from dpghub.common.schedule import SCHEDULE, Scheduled, schedule_run_due, schedule_status

UTC = dt.UTC
DAY = dt.datetime(2026, 3, 10, tzinfo=UTC)
NAMES = [entry.name for entry in SCHEDULE]


def at(hours: int, minutes: int = 0, *, days: int = 0) -> dt.datetime:
    return DAY + dt.timedelta(days=days, hours=hours, minutes=minutes)


def test_slots_of_a_daily_and_a_periodic_entry():
    daily = Scheduled("x", kind="review.tick", help="", at=dt.time(2, 0))
    assert daily.slot_at_or_before(at(1, 59)) == at(2, days=-1)  # not yet due today: yesterday's slot
    assert daily.slot_at_or_before(at(2, 0)) == at(2)
    assert daily.slot_at_or_before(at(23, 59)) == at(2)
    assert daily.next_slot(at(3)) == at(2, days=1)
    periodic = Scheduled("y", kind="review.tick", help="", every=dt.timedelta(minutes=15))
    assert periodic.slot_at_or_before(at(10, 14)) == at(10, 0)
    assert periodic.slot_at_or_before(at(10, 15)) == at(10, 15)
    with pytest.raises(ValueError):
        Scheduled("z", kind="review.tick", help="")


def test_the_schedule_names_the_daily_jobs_that_exist():
    assert NAMES == ["review.tick", "charter.remind", "notifications.retry"]
    for entry in SCHEDULE:
        jobs._handler(entry.kind)  # every kind has a handler (raises UnknownJobKind otherwise)


@pytest.mark.django_db
def test_a_due_slot_is_started_once_then_again_the_next_day():
    first = schedule_run_due(now=at(3))
    assert [s.name for s in first] == NAMES
    tick = Job.objects.get(pk=first[0].job_id)
    assert (tick.kind, tick.params["today"]) == ("review.tick", "2026-03-10")
    assert schedule_run_due(now=at(3)) == []  # the same moment again
    assert schedule_run_due(now=at(3, 10)) == []  # later in the same slots
    later = schedule_run_due(now=at(3, 15))
    assert [s.name for s in later] == ["notifications.retry"]  # its next 15-minute slot, the daily ones wait
    next_day = schedule_run_due(now=at(2, 1, days=1))
    assert {s.name for s in next_day} == {"review.tick", "notifications.retry"}  # charter.remind is at 02:30
    assert Job.objects.filter(kind="review.tick").count() == 2


@pytest.mark.django_db
def test_missed_slots_are_caught_up_once_with_the_latest_slot():
    schedule_run_due(now=at(3), names=["review.tick"])
    # nothing ran for three days and a half: one run, for the latest day, not four
    started = schedule_run_due(now=at(14, days=3), names=["review.tick"])
    assert [(s.name, s.slot) for s in started] == [("review.tick", at(2, days=3))]
    assert Job.objects.get(pk=started[0].job_id).params["today"] == "2026-03-13"
    assert Job.objects.filter(kind="review.tick").count() == 2
    assert schedule_run_due(now=at(15, days=3), names=["review.tick"]) == []


@pytest.mark.django_db
def test_a_scheduler_that_finds_the_slot_taken_starts_nothing():
    # another scheduler moved the slot first (the conditional UPDATE it lost)
    ScheduleRun.objects.create(name="review.tick", slot=at(2), started_at=at(2))
    assert schedule_run_due(now=at(3), names=["review.tick"]) == []
    assert not Job.objects.filter(kind="review.tick").exists()


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_start_each_slot_once():
    """Threads on PostgreSQL (row locks); SQLite's in-memory test database has no busy wait between
    threads, so there the next test races real processes on a database file instead."""
    if connection.vendor == "sqlite":
        pytest.skip("covered on SQLite by test_schedulers_in_separate_processes_start_each_slot_once")
    barrier = threading.Barrier(4)
    results: list[list] = []
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                results.append(schedule_run_due(now=at(3)))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    assert errors == []
    started = [item.name for batch in results for item in batch]
    assert sorted(started) == sorted(NAMES)  # each slot once, among 4 schedulers x 3 tries
    assert Job.objects.count() == len(NAMES)


@pytest.mark.slow
def test_schedulers_in_separate_processes_start_each_slot_once(tmp_path):
    if os.environ.get("DPGHUB_DATABASE_URL"):
        pytest.skip("the threads test covers PostgreSQL")
    env = {**os.environ, "DPGHUB_DATA_DIR": str(tmp_path / "data"), "DPGHUB_LOAD_SHIPPED_DATA": "false"}
    command = [sys.executable, "-m", "dpghub", "schedule"]
    subprocess.run([*command, "list"], env=env, check=True, capture_output=True)  # migrates the new database
    runs = [subprocess.Popen([*command, "run-due", "--now", "2026-03-10T03:00"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    started = [line.split(":")[0] for out in outputs for line in out.splitlines() if "started as job" in line]
    assert sorted(started) == sorted(NAMES), outputs
    assert sum(out.count("nothing due") for out in outputs) >= 1


@pytest.mark.django_db
def test_the_embedded_worker_starts_and_runs_the_due_jobs_and_reports_its_heartbeat():
    ran = jobs.worker_loop(stop=threading.Event(), once=True, scheduler=True)
    assert ran == len(NAMES)
    assert set(Job.objects.values_list("kind", "status")) == {
        ("review.tick", JobStatus.SUCCEEDED), ("charter.remind", JobStatus.SUCCEEDED),
        ("notifications.deliver_pending", JobStatus.SUCCEEDED)}
    assert set(Heartbeat.objects.values_list("role", flat=True)) == {"worker", "scheduler"}
    assert jobs.worker_loop(stop=threading.Event(), once=True, scheduler=True) == 0  # nothing due again
    rows = schedule_status()
    assert [(r.entry.name, r.last_job_status, r.due_now) for r in rows] == [
        (name, JobStatus.SUCCEEDED, False) for name in NAMES]


def test_celery_beat_schedule_is_built_from_the_same_data():
    from celery.schedules import crontab

    from dpghub.config.celery import app, beat_schedule

    schedule = beat_schedule()
    assert app.conf.beat_schedule.keys() == schedule.keys()
    assert set(schedule) == {*NAMES, "dpghub.jobs_recover"}
    tick = schedule["review.tick"]
    assert (tick["task"], tick["args"]) == ("dpghub.schedule_run", ("review.tick",))
    assert tick["schedule"] == crontab(minute=0, hour=2)
    assert schedule["notifications.retry"]["schedule"] == dt.timedelta(minutes=15)
    assert {"dpghub.schedule_run", "dpghub.jobs_recover", "dpghub.job_execute"} <= set(app.tasks.keys())


@pytest.mark.django_db
def test_the_celery_schedule_task_starts_its_slot_once(settings, monkeypatch):
    from dpghub.common import tasks

    sent: list[int] = []
    monkeypatch.setattr(jobs, "_send_to_celery", sent.append)
    settings.DPGHUB_JOB_BACKEND = "celery"
    first = tasks.schedule_run_task.run("review.tick")
    assert len(first) == 1 and tasks.schedule_run_task.run("review.tick") == []
    recovered = tasks.jobs_recover_task.run()  # beat's minute task: catches up the other entries once
    assert len(recovered["started"]) == len(NAMES) - 1
    assert set(Heartbeat.objects.values_list("name", flat=True)) >= {"scheduler:celery-beat"}



@pytest.mark.django_db
def test_schedule_cli_lists_and_runs_what_is_due(cli):
    runner = CliRunner()
    listed = runner.invoke(cli, ["schedule", "list"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("DUE NOW") == len(NAMES) and "daily at 02:00 UTC" in listed.output
    ran = runner.invoke(cli, ["schedule", "run-due", "--now", "2026-03-10T03:00", "--name", "review.tick"])
    assert ran.exit_code == 0, ran.output
    assert "review.tick: slot 2026-03-10 02:00 UTC started as job" in ran.output and "succeeded" in ran.output
    assert Job.objects.get(kind="review.tick").status == JobStatus.SUCCEEDED
    again = runner.invoke(cli, ["schedule", "run-due", "--now", "2026-03-10T04:00", "--name", "review.tick"])
    assert again.output.strip() == "nothing due"
    unknown = runner.invoke(cli, ["schedule", "run-due", "--name", "nope"])
    assert unknown.exit_code == 2 and "no scheduled job named 'nope'" in unknown.output


@pytest.mark.django_db
def test_heartbeats_of_processes_gone_for_a_day_are_forgotten():
    now = dt.datetime(2026, 3, 10, 12, tzinfo=UTC)
    jobs.heartbeat_record(role="worker", name="worker:old:1", now=now - dt.timedelta(days=2))
    jobs.heartbeat_record(role="worker", name="worker:new:2", now=now)
    assert list(Heartbeat.objects.values_list("name", flat=True)) == ["worker:new:2"]
