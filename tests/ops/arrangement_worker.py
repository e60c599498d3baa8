"""A helper process for tests/ops/test_production_arrangement.py (run as a script, not collected by pytest).

    arrangement_worker.py worker DIR    DPG Hub's Celery worker (`dpghub worker` does the same), that also
                                        knows the instrumented job kind `tests.slow_arrangement`
    arrangement_worker.py enqueue DIR   enqueue one `tests.slow_arrangement` job, print its id

`tests.slow_arrangement` appends "<attempt> <pid>" to DIR/attempts, then runs until DIR/finish exists (at most
120 s). The lease is 3 s (production: 90 s) so that the test need not wait for a long one to lapse.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")


def main(mode: str, directory: str) -> None:
    import django

    django.setup()
    from dpghub.common import jobs

    folder = Path(directory)

    @jobs.job_kind("tests.slow_arrangement")
    def slow(job):
        with open(folder / "attempts", "a") as handle:
            handle.write(f"{job.attempts} {os.getpid()}\n")
        deadline = time.monotonic() + 120
        while not (folder / "finish").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return {"attempt": job.attempts}

    if mode == "enqueue":
        from django.db import transaction

        with transaction.atomic():
            job = jobs.job_enqueue(kind="tests.slow_arrangement", params={})
        print(job.pk)
    elif mode == "worker":
        from dpghub.config.celery import app

        jobs.LEASE, jobs.HEARTBEAT = timedelta(seconds=3), timedelta(seconds=0.5)
        app.worker_main(["worker", "--pool=prefork", "--concurrency=2", "--loglevel=INFO",
                         "--without-gossip", "--without-mingle"])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
