"""A helper process for tests/common/test_job_heartbeat.py (run as a script, not collected by pytest).

    killable_worker.py enqueue DIR    enqueue one `tests.slow` job, print its id
    killable_worker.py worker DIR     an embedded worker that knows `tests.slow` (heartbeat every 0.2 s)
    killable_worker.py supervise DIR  `dpghub serve`'s supervisor over a dummy web process and that worker
    killable_worker.py celery DIR     a Celery worker (prefork, one child) that knows `tests.slow`, with a
                                      3 s lease (so that a test need not wait 90 s for one to lapse)

`tests.slow` appends "<attempt> <pid>" to DIR/attempts, then runs until DIR/finish exists (at most 60 s).
The database is the one of DPGHUB_DATA_DIR (a SQLite file), shared by the test and these processes.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")


def _setup() -> None:
    import django

    django.setup()


def main(mode: str, directory: str) -> None:
    _setup()
    from dpghub.common import jobs

    folder = Path(directory)

    @jobs.job_kind("tests.slow")
    def slow(job):
        with open(folder / "attempts", "a") as handle:
            handle.write(f"{job.attempts} {os.getpid()}\n")
        deadline = time.monotonic() + 60
        while not (folder / "finish").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return {"attempt": job.attempts}

    if mode == "enqueue":
        print(jobs.job_enqueue(kind="tests.slow", params={}).pk)
    elif mode == "worker":
        jobs.HEARTBEAT = timedelta(seconds=0.2)  # the lease itself stays as long as in production
        jobs.worker_loop(stop=threading.Event(), poll_seconds=0.1)
    elif mode == "celery":
        from dpghub.config.celery import app

        jobs.LEASE, jobs.HEARTBEAT = timedelta(seconds=3), timedelta(seconds=0.5)
        app.worker_main(["worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO",
                         "--without-gossip", "--without-mingle", "--without-heartbeat"])
    elif mode == "supervise":
        from dpghub.cli.registry import _supervise

        dummy_web = [sys.executable, "-c", "import time; time.sleep(600)"]
        raise SystemExit(_supervise(dummy_web, [sys.executable, __file__, "worker", directory]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
