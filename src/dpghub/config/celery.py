"""The Celery application for JOB_BACKEND=celery: `dpghub worker` starts a worker of it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")

app = Celery("dpghub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["dpghub.common"])
