"""The production arrangement of docs/deployment.md, on this machine's PostgreSQL and Redis: the web process,
a Celery worker and Celery beat as separate processes. A screening and a scheduled job run through it, and a
Celery worker killed mid-job (the whole worker, SIGKILL) leaves a job that still completes exactly once.

Runs in the PostgreSQL pass of `make test` (it needs DPGHUB_DATABASE_URL); it makes its own database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.core.screening.helpers import MIT, make_repo
from tests.waiting import wait_until

HELPER = Path(__file__).with_name("arrangement_worker.py")
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(args: list[str], env: dict, log: Path, cwd: Path) -> subprocess.Popen:
    with open(log, "wb") as out:  # the child keeps its own copy of the file descriptor
        return subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def arrangement_db():
    import psycopg

    url = os.environ.get("DPGHUB_DATABASE_URL")
    if not url:
        pytest.skip("the production arrangement runs on PostgreSQL (the PostgreSQL pass of make test)")
    name = f"dpghub_arrangement_{os.getpid()}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_web_celery_worker_and_beat_run_a_screening_a_scheduled_job_and_survive_a_killed_worker(
        tmp_path, arrangement_db):
    import psycopg
    import redis

    broker = "redis://127.0.0.1:6379/14"
    redis.Redis.from_url(broker).flushdb()
    port = _free_port()
    env = {**os.environ, "DPGHUB_DATABASE_URL": arrangement_db, "DPGHUB_DATA_DIR": str(tmp_path / "data"),
           "DPGHUB_JOB_BACKEND": "celery", "DPGHUB_BROKER_URL": broker, "DPGHUB_LOAD_SHIPPED_DATA": "false",
           "DPGHUB_SCREENING_ALLOW_LOCAL": "true"}
    dpghub = [sys.executable, "-m", "dpghub"]
    # The upgrade order of docs/deployment.md: migrations first, then the processes.
    migrated = subprocess.run([*dpghub, "migrate"], env=env, capture_output=True, text=True, check=True)
    assert "Applying review.0002_evidence_links... OK" in migrated.stdout
    waiting = subprocess.run([*dpghub, "migrate", "--check"], env=env, capture_output=True, text=True, check=False)
    assert waiting.returncode == 0 and "No migration is waiting." in waiting.stdout

    # A good whose repository is a local git repository (no network).
    repo = make_repo(tmp_path / "project", {"LICENSE": MIT})
    records = tmp_path / "records" / "nominees"
    records.mkdir(parents=True)
    (records / "arrangement-tool.json").write_text(json.dumps({
        "name": "Arrangement Tool", "description": "d", "stage": "nominee", "type": ["software"],
        "license": [{"spdx": "MIT", "licenseURL": ""}], "SDGs": [{"SDGNumber": 3}]}))
    subprocess.run([*dpghub, "import", str(tmp_path / "records")], env=env, check=True, capture_output=True)
    with psycopg.connect(arrangement_db, autocommit=True) as conn:  # a local mirror: imports take web URLs only
        conn.execute("INSERT INTO catalog_repository (good_id, name, url) SELECT id, 'main', %s FROM catalog_good "
                     "WHERE slug = 'arrangement-tool'", (f"file://{repo}",))

    logs = tmp_path / "logs"
    logs.mkdir()
    web = _start([*dpghub, "web", "--bind", f"127.0.0.1:{port}", "--workers", "1"], env, logs / "web.log", tmp_path)
    worker = _start([sys.executable, str(HELPER), "worker", str(tmp_path)], env, logs / "worker-1.log", tmp_path)
    beat = _start([*dpghub, "beat"], env, logs / "beat.log", tmp_path)
    processes = [web, worker, beat]
    database = psycopg.connect(arrangement_db, autocommit=True)

    def one(sql: str, *params):
        row = database.execute(sql, params).fetchone()
        return row[0] if row else None

    def screening() -> dict | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/goods/arrangement-tool/screening",
                                        timeout=5) as response:
                body = json.loads(response.read())
        except OSError:
            return None
        return body if body.get("status") == "succeeded" else None

    try:
        wait_until(lambda: _ready(port), timeout=60, what="the web process")
        # 1. a screening queued from the command line runs on the Celery worker; the web process shows it
        queued = subprocess.run([*dpghub, "rescreen", "arrangement-tool"], env=env, check=True, capture_output=True,
                                text=True)
        assert "queued 1 screening" in queued.stdout, queued.stdout + queued.stderr
        report = wait_until(screening, timeout=90, what="the screening to succeed")
        assert report["status"] == "succeeded"

        # 2. a job whose worker is killed mid-job (the whole Celery worker, SIGKILL)
        job_id = int(subprocess.run([sys.executable, str(HELPER), "enqueue", str(tmp_path)], env=env, check=True,
                                    capture_output=True, text=True).stdout.strip())
        attempts = tmp_path / "attempts"
        wait_until(lambda: attempts.exists() and attempts.read_text().strip(), timeout=60, what="the first attempt")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        worker = _start([sys.executable, str(HELPER), "worker", str(tmp_path)], env, logs / "worker-2.log", tmp_path)
        processes.append(worker)
        # beat's dpghub.jobs_recover (every minute) re-sends the job whose lease lapsed with its worker
        wait_until(lambda: len(attempts.read_text().split("\n")) > 2, timeout=150, what="the job to be taken up again")
        (tmp_path / "finish").touch()
        wait_until(lambda: one("SELECT status FROM common_job WHERE id = %s", job_id) == "succeeded", timeout=60,
              what="the job to finish")
        time.sleep(2)  # a duplicate delivery would show as a third attempt
        lines = attempts.read_text().split()
        assert len(lines) == 4 and lines[0] == "1" and lines[2] == "2", lines  # two attempts, one completion
        assert one("SELECT attempts FROM common_job WHERE id = %s", job_id) == 2

        # 3. the scheduled jobs: beat's catch-up started today's review tick once, and it ran
        wait_until(lambda: one("SELECT j.status FROM common_schedulerun r JOIN common_job j ON j.id = r.job_id "
                          "WHERE r.name = 'review.tick'") == "succeeded", timeout=120, what="the scheduled review tick")
        assert one("SELECT count(*) FROM common_job WHERE kind = 'review.tick'") == 1
    except BaseException:
        for log in sorted(logs.iterdir()):
            print(f"== {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        database.close()
        for process in processes:
            _stop(process)


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            return json.loads(response.read())["checks"]["broker"]["status"] == "ok"
    except OSError:
        return False
