"""The Celery application for JOB_BACKEND=celery: `dpghub worker` starts a worker of it, `dpghub beat` its beat.

Beat's schedule is built from the same data as the embedded scheduler (``dpghub.common.schedule.SCHEDULE``):
each entry sends ``dpghub.schedule_run`` with its name when due, and ``dpghub.jobs_recover`` runs every
minute (re-sends jobs whose worker was lost, catches up missed slots, records heartbeats).
"""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

from dpghub.common.schedule import SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")

RECOVER_EVERY = timedelta(minutes=1)


def beat_schedule() -> dict:
    schedule = {}
    for entry in SCHEDULE:
        when = crontab(minute=entry.at.minute, hour=entry.at.hour) if entry.at is not None else entry.every
        schedule[entry.name] = {"task": "dpghub.schedule_run", "schedule": when, "args": (entry.name,)}
    schedule["dpghub.jobs_recover"] = {"task": "dpghub.jobs_recover", "schedule": RECOVER_EVERY}
    return schedule


app = Celery("dpghub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks(["dpghub.common"])
