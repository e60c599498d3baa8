"""Health of a running DPG Hub: the database, the broker, and the heartbeats of the workers and scheduler.

Read by ``/readyz`` (``web.health``) and ``dpghub check``. A check's ``detail`` is for the operator:
``public()`` gives what a probe may show to anyone (a status and an age, never a host, a URL or an
error text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection
from django.utils import timezone

# A worker beats every jobs.HEARTBEAT (20 s) and the embedded scheduler every 30 s; Celery's every minute
# (dpghub.jobs_recover, sent by beat). Older than this, the process is taken for dead.
HEARTBEAT_STALE = dt.timedelta(minutes=3)


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "ok", "fail", "stale", "missing", "skipped"
    detail: str = ""
    age_seconds: int | None = None

    @property
    def ok(self) -> bool:
        return self.status in {"ok", "skipped"}

    def public(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"status": self.status}
        if self.age_seconds is not None:
            shown["age_seconds"] = self.age_seconds
        return shown


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database is the answer
        return Check("database", "fail", f"{type(exc).__name__}: {exc}")
    return Check("database", "ok", connection.vendor)


def broker_url_shown(url: str) -> str:
    """The broker URL without its password."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def check_broker(*, timeout: float = 2.0) -> Check:
    if settings.DPGHUB_JOB_BACKEND != "celery":
        return Check("broker", "skipped", "JOB_BACKEND=embedded: no broker")
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    try:
        with Connection(url, connect_timeout=timeout, transport_options={"max_retries": 0}) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - unreachable, refused, wrong credentials: all a failure
        return Check("broker", "fail", f"{broker_url_shown(url)}: {type(exc).__name__}: {exc}")
    return Check("broker", "ok", broker_url_shown(url))


def check_heartbeat(role: str, *, now: dt.datetime | None = None) -> Check:
    """The freshest heartbeat of the processes of ``role`` (``worker`` or ``scheduler``)."""
    from dpghub.common.models import Heartbeat

    now = now or timezone.now()
    try:
        latest = Heartbeat.objects.filter(role=role).order_by("-seen_at").first()
    except Exception as exc:  # noqa: BLE001 - reported by the database check too
        return Check(role, "fail", f"{type(exc).__name__}: {exc}")
    if latest is None:
        return Check(role, "missing", f"no {role} has ever reported")
    age = max(0, int((now - latest.seen_at).total_seconds()))
    status = "ok" if now - latest.seen_at <= HEARTBEAT_STALE else "stale"
    return Check(role, status, f"{latest.name}, last seen {age} s ago", age_seconds=age)


def readiness(*, now: dt.datetime | None = None) -> tuple[bool, dict[str, Any]]:
    """What /readyz answers: ready when the database (and, with Celery, the broker) answers.

    The workers' and scheduler's heartbeats are reported, not required: a web process whose job
    workers are down still serves every page, and taking it out of the load balancer would not help.
    ``dpghub check`` fails on them instead.
    """
    database = check_database()
    checks = [database, check_broker()]
    if database.ok:
        checks += [check_heartbeat("worker", now=now), check_heartbeat("scheduler", now=now)]
    ready = checks[0].ok and checks[1].ok
    return ready, {"status": "ok" if ready else "fail", "checks": {c.name: c.public() for c in checks}}
