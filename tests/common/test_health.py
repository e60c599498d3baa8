"""/healthz, /readyz and `dpghub check` (issue 18): what they test, what they show, when they fail."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test import Client
from django.utils import timezone

from dpghub.common.health import HEARTBEAT_STALE, broker_url_shown, check_broker, readiness
from dpghub.common.jobs import heartbeat_record
from dpghub.common.models import Heartbeat

UNREACHABLE_BROKER = "redis://:secret-password@127.0.0.1:1/0"  # port 1: nothing listens


def test_healthz_answers_without_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "Set-Cookie" not in response


@pytest.mark.django_db
def test_readyz_reports_database_and_heartbeats_with_no_personal_data():
    heartbeat_record(role="worker", name="worker:db-host-7:1234")
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["broker"] == {"status": "skipped"}  # embedded: no broker
    assert body["checks"]["worker"]["status"] == "ok" and body["checks"]["worker"]["age_seconds"] >= 0
    assert body["checks"]["scheduler"] == {"status": "missing"}  # reported; the web can still serve
    assert "db-host-7" not in response.content.decode() and "sqlite" not in response.content.decode()


@pytest.mark.django_db
def test_a_stale_heartbeat_is_reported_as_stale():
    Heartbeat.objects.create(name="scheduler:h:1", role="scheduler",
                             seen_at=timezone.now() - HEARTBEAT_STALE - dt.timedelta(seconds=5))
    _ready, body = readiness()
    assert body["checks"]["scheduler"]["status"] == "stale"


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer(monkeypatch):
    def broken(*args, **kwargs):
        raise connection.OperationalError("could not connect to server at db.internal")  # type: ignore[attr-defined]

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "fail", "checks": {"database": {"status": "fail"}, "broker": {"status": "skipped"}}}
    assert "db.internal" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_with_celery_checks_the_broker(settings):
    settings.DPGHUB_JOB_BACKEND = "celery"
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["broker"] == {"status": "fail"}
    assert "secret-password" not in response.content.decode()


@pytest.mark.django_db
def test_the_broker_check_against_the_real_redis(settings):
    import os

    settings.DPGHUB_JOB_BACKEND = "celery"
    settings.CELERY_BROKER_URL = os.environ.get("DPGHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    assert check_broker().status == "ok"


def test_the_broker_url_is_shown_without_its_password():
    assert broker_url_shown(UNREACHABLE_BROKER) == "redis://:***@127.0.0.1:1/0"
    assert broker_url_shown("amqp://dpghub:pw@mq:5672//") == "amqp://dpghub:***@mq:5672//"
    assert broker_url_shown("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"



@pytest.mark.django_db
def test_dpghub_check_fails_without_a_worker_then_passes(cli):
    runner = CliRunner()
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "ok   database:" in result.output and "ok   migrations: all applied" in result.output
    assert "FAIL worker: no worker has ever reported" in result.output
    heartbeat_record(role="worker")
    heartbeat_record(role="scheduler")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()] == [
        "ok   configuration", "ok   database", "ok   migrations", "ok   broker", "ok   worker", "ok   scheduler"]


@pytest.mark.django_db
def test_dpghub_check_fails_on_an_unreachable_broker_without_showing_its_password(cli, settings):
    heartbeat_record(role="worker")
    heartbeat_record(role="scheduler")
    settings.DPGHUB_JOB_BACKEND = "celery"
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "FAIL broker: redis://:***@127.0.0.1:1/0" in result.output and "secret-password" not in result.output


@pytest.mark.django_db
def test_dpghub_check_deploy_fails_on_the_plain_http_default(cli):
    heartbeat_record(role="worker")
    heartbeat_record(role="scheduler")
    result = CliRunner().invoke(cli, ["check", "--deploy"])
    assert result.exit_code == 1
    assert "FAIL configuration: " in result.output and "security.W004" in result.output


def test_dpghub_check_names_a_bad_setting(cli, monkeypatch):
    monkeypatch.setenv("DPGHUB_PORT", "eighty")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1 and "FAIL configuration: DPGHUB_PORT" in result.output


def test_readyz_body_is_json_serialisable_as_documented():
    body = {"status": "ok", "checks": {"database": {"status": "ok"}}}
    assert json.loads(json.dumps(body)) == body
