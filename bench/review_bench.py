"""Time the reviewer queue page and the backlog figures over N applications, beside the plain SQL.

Fills a fresh database with N applications (default 10,000) spread over every state of the workflow and
200 organisations, with assignments for half of those under review and decisions over the last year,
then prints, in ms, median / p95 over ``--repeat`` runs of:

- the first-level queue: the selector, and the page as a first-level reviewer sees it (test client);
- the backlog figures: public (counts, time to decision) and the secretariat's detailed list, the selector
  and the page (anonymous, and signed in as the secretariat);
- the plain SQL each stands on (the queue's oldest 100; counts per state);

and the number of queries each page runs.

    DPGHUB_DATA_DIR=$(mktemp -d) .venv/bin/python bench/review_bench.py --applications 10000
    DPGHUB_DATA_DIR=$(mktemp -d) DPGHUB_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dpghub_review_bench \\
        .venv/bin/python bench/review_bench.py --applications 10000

Target (issue 15): p95 <= 100 ms for the queue page and the backlog figures, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

STATES = [("draft", 10), ("level-1", 20), ("clarification-1", 3), ("level-2", 12), ("clarification-2", 2),
          ("consultation", 3), ("dpg", 30), ("ineligible", 10), ("withdrawn", 4), ("expired", 3), ("archived", 3)]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS.append("testserver")
    settings.DPGHUB_PAGE_CACHE_SECONDS = 0  # measure the pages themselves, not the anonymous cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _fill(count: int, seed: int):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import User

    from dpghub.accounts.models import PlatformRoleGrant
    from dpghub.orgs.models import Organisation
    from dpghub.review.models import Application, Assignment

    rng = random.Random(seed)
    today = dt.date.today()
    orgs = Organisation.objects.bulk_create([Organisation(name=f"Bench Org {i}", slug=f"bench-org-{i}",
                                                          type="government", country="KE") for i in range(200)])
    reviewer = User.objects.create_user("bench-l1", email="bench-l1@example.org", password=None)
    PlatformRoleGrant.objects.create(user=reviewer, role="reviewer-l1")
    secretariat = User.objects.create_superuser("bench-sec", email="bench-sec@example.org", password=None)
    for person in (reviewer, secretariat):
        TOTP.activate(person, generate_totp_secret())
    weights = [w for _, w in STATES]
    rows = []
    for i in range(count):
        state = rng.choices([s for s, _ in STATES], weights)[0]
        created = today - dt.timedelta(days=rng.randrange(30, 700))
        submitted = None if state == "draft" else created + dt.timedelta(days=rng.randrange(1, 20))
        decided = (submitted + dt.timedelta(days=rng.randrange(10, 200))
                   if state in ("dpg", "ineligible", "expired") else None)
        decided = min(decided, today) if decided else None
        since = decided or (submitted + dt.timedelta(days=rng.randrange(0, 25)) if submitted else created)
        rows.append(Application(proposed_name=f"Bench good {i}", organisation=orgs[i % len(orgs)],
                                standard_version="1.1.5", state=state, created_on=created, submitted_on=submitted,
                                state_since=min(since, today), last_activity_on=min(since, today),
                                paused_days=rng.choice([0, 0, 0, 15]), decided_on=decided))
    made = Application.objects.bulk_create(rows, batch_size=2000)
    levels = {"level-1": 1, "level-2": 2, "consultation": 3}
    Assignment.objects.bulk_create([Assignment(application=a, level=levels[a.state], person=reviewer,
                                               assigned_on=a.state_since)
                                    for a in made if a.state in levels and rng.random() < 0.5], batch_size=2000)
    return reviewer, secretariat


def _time(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dpghub.review.selectors import backlog_figures, review_queue

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM review_application")
            if cursor.fetchone()[0]:
                sys.exit("the database already has applications: give the benchmark a fresh one")
    started = time.perf_counter()
    reviewer, secretariat = _fill(args.applications, args.seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {args.applications:,} applications filled in {time.perf_counter() - started:.1f} s; "
          f"{args.repeat} runs each, ms (median / p95)")
    today = dt.date.today()
    since = today - dt.timedelta(days=365)
    as_reviewer, as_secretariat, anonymous = Client(), Client(), Client()
    as_reviewer.force_login(reviewer)
    as_secretariat.force_login(secretariat)

    def page(client, path):
        def get():
            response = client.get(path)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
        return get

    def sql(statement):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(statement)
                cursor.fetchall()
        return run

    rows = [
        ("queue, level 1: selector", lambda: review_queue(viewer=reviewer, level=1, today=today), None),
        ("queue, level 1: page (reviewer)", page(as_reviewer, "/review/queue/1/"), (as_reviewer, "/review/queue/1/")),
        ("  plain SQL: the oldest 100 waiting", sql("SELECT id, organisation_id, state_since FROM review_application "
                                                   "WHERE state = 'level-1' ORDER BY state_since, id LIMIT 100"), None),
        ("backlog figures: selector (public)",
         lambda: backlog_figures(viewer=None, today=today, since=since), None),
        ("backlog: page (anonymous)", page(anonymous, "/review/backlog/"), (anonymous, "/review/backlog/")),
        ("backlog figures: selector (secretariat, detailed)",
         lambda: backlog_figures(viewer=secretariat, today=today, since=since, detailed=True), None),
        ("backlog: page (secretariat)", page(as_secretariat, "/review/backlog/"), (as_secretariat, "/review/backlog/")),
        ("  plain SQL: counts per state", sql("SELECT state, count(*) FROM review_application GROUP BY state"), None),
    ]
    for label, fn, counted in rows:
        fn()  # warm-up
        median, p95 = _time(fn, args.repeat)
        queries = ""
        if counted is not None:
            with CaptureQueriesContext(connection) as captured:
                counted[0].get(counted[1])
            queries = f"  ({len(captured)} queries)"
        print(f"{label:52} {median:8.1f} / {p95:8.1f}{queries}")


if __name__ == "__main__":
    main()
