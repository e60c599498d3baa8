"""Time the Charter grid, a country view and an endorser view on a synthetic volume: N published pledges,
two targets each (one money target in one of three currencies, one count), R reports per target (so
2 x N x R reports), beside the plain SQL aggregate over the same rows.

Per view (``--view grid|country|endorser|all``) and date (today, and 2024-06-30 in the past) it prints, in ms,
median / p95: the grid computed (no cache: today from the targets' maintained state, the past date from the
reports; ``--repeat-slow`` runs), the grid cached (what a request costs until the next Charter write), the web page and the API
answer (through Django's test client, cache warm), and the plain SQL aggregate; then, for today, the first
request after a write (the cache dropped each time).

Run it in a fresh database (it migrates it and fills it), or with ``--reuse`` on one it filled before:

    DPGHUB_DATA_DIR=$(mktemp -d) DPGHUB_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dpghub_grid_bench \\
        .venv/bin/python bench/charter_grid_bench.py --pledges 100000 --reports-per-target 5

Without DPGHUB_DATABASE_URL it runs on SQLite in the data directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal

BATCH = 20_000


def _fill(pledges: int, per_target: int, seed: int) -> None:
    from dpghub.charter.models import Endorsement, Pledge, PledgeCell, PledgeCountry, ProgressReport, Target
    from dpghub.orgs.models import Organisation

    rng = random.Random(seed)
    types = ["finance", "design-share-deploy", "learn-advocate"]
    outcomes = ["products", "capacity", "implementation", "safeguards-inclusion", "extended-ecosystem"]
    countries = ["KE", "UG", "TZ", "IN", "BR", "SN", "ET", "PE"]
    org_types = ["government", "company", "foundation", "civil-society", "international", "academia"]
    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"Org {i}", slug=f"org-{i}", type=org_types[i % len(org_types)], country=countries[i % 8])
        for i in range(max(1, pledges // 50))])
    endorsements = Endorsement.objects.bulk_create([Endorsement(organisation=o, endorsed_on=dt.date(2023, 1, 1))
                                                    for o in orgs])
    start = dt.date(2023, 1, 1)
    for first in range(0, pledges, BATCH):
        rows = []
        for i in range(first, min(pledges, first + BATCH)):
            chosen_types = rng.sample(types, rng.choice([1, 1, 2]))
            chosen_outcomes = rng.sample(outcomes, rng.choice([1, 2, 3]))
            rows.append(Pledge(ref=f"p-{i}", endorsement=endorsements[i % len(endorsements)], title=f"Pledge {i}",
                               types=chosen_types, outcomes=chosen_outcomes, countries=rng.sample(countries, 1),
                               status="published", pledged_on=start + dt.timedelta(days=rng.randrange(700))))
        made = Pledge.objects.bulk_create(rows, batch_size=5000)
        PledgeCell.objects.bulk_create([PledgeCell(pledge=p, type=t, outcome=o) for p in made for t in p.types
                                        for o in p.outcomes], batch_size=5000)
        PledgeCountry.objects.bulk_create([PledgeCountry(pledge=p, country=c) for p in made for c in p.countries],
                                          batch_size=5000)
        targets = Target.objects.bulk_create(
            [Target(pledge=p, metric="money", currency=rng.choice(["EUR", "USD", "KES"]), target_value=Decimal(1000),
                    deadline=p.pledged_on + dt.timedelta(days=rng.randrange(200, 900))) for p in made]
            + [Target(pledge=p, metric="people", unit="people", target_value=Decimal(100), baseline=Decimal(10),
                      deadline=p.pledged_on + dt.timedelta(days=rng.randrange(200, 900))) for p in made],
            batch_size=5000)
        pledged = {p.pk: p.pledged_on for p in made}
        reports = []
        for target in targets:
            day = pledged[target.pledge_id]
            for k in range(per_target):
                day = day + dt.timedelta(days=rng.randrange(30, 120))
                reports.append(ProgressReport(
                    target=target, reported_on=day, value=Decimal(rng.randrange(0, 1200)),
                    status="completed" if k == per_target - 1 and rng.random() < 0.3 else "on-track",
                    verification="verified" if rng.random() < 0.4 else "self-reported"))
        ProgressReport.objects.bulk_create(reports, batch_size=5000)
        print(f"  {min(pledges, first + BATCH)} pledges", file=sys.stderr)


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _timed(call, repeat: int, before=None) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), _p95(times)


def _plain_sql(as_of: dt.date, *, country: str = "", endorsement_id: int | None = None) -> tuple[str, list]:
    """The plain SQL aggregate over the same rows: per cell and currency, the counted pledges, their endorsers
    and the sum of each money target's latest report as of the date (a GROUP BY MAX(reported_on) join)."""
    from dpghub.charter.models import Pledge, PledgeCell, PledgeCountry, ProgressReport, Target

    pledge, cell, target = Pledge._meta.db_table, PledgeCell._meta.db_table, Target._meta.db_table
    report, country_table = ProgressReport._meta.db_table, PledgeCountry._meta.db_table
    where, params = ["p.status = 'published'", "p.pledged_on <= %s", "p.is_sample = %s"], [as_of, False]
    if country:
        where.append(f"p.id IN (SELECT pledge_id FROM {country_table} WHERE country = %s)")  # noqa: S608
        params.append(country)
    if endorsement_id is not None:
        where.append("p.endorsement_id = %s")
        params.append(endorsement_id)
    sql = f"""
SELECT g.type, g.outcome, t.currency, COUNT(DISTINCT p.id), COUNT(DISTINCT p.endorsement_id), SUM(r.value)
FROM {pledge} p JOIN {cell} g ON g.pledge_id = p.id JOIN {target} t ON t.pledge_id = p.id
LEFT JOIN (SELECT target_id, MAX(reported_on) AS last FROM {report} WHERE reported_on <= %s GROUP BY target_id) m
  ON m.target_id = t.id
LEFT JOIN {report} r ON r.target_id = t.id AND r.reported_on = m.last
WHERE {' AND '.join(where)}
GROUP BY g.type, g.outcome, t.currency"""  # noqa: S608 - table names from the models
    return sql, [as_of, *params]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pledges", type=int, default=100_000)
    parser.add_argument("--reports-per-target", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20, help="Timed runs of each fast measure (p95 over them).")
    parser.add_argument("--repeat-slow", type=int, default=3,
                        help="Timed runs of the slow measures (the grid computed, the plain SQL, after a write).")
    parser.add_argument("--view", choices=["grid", "country", "endorser", "all"], default="all")
    parser.add_argument("--reuse", action="store_true",
                        help="Keep the pledges already in the database (fill only when it has none).")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dpghub.charter.grid import grid_compute
    from dpghub.charter.models import Endorsement, Pledge, ProgressReport
    from dpghub.charter.selectors import charter_grid
    from dpghub.charter.state import charter_changed, targets_refresh

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not (args.reuse and Pledge.objects.exists()):
        started = time.perf_counter()
        _fill(args.pledges, args.reports_per_target, args.seed)
        began = time.perf_counter()
        with transaction.atomic():
            targets_refresh()  # a bulk writer keeps the targets' state, like every writer
        print(f"filled in {began - started:.0f} s, target state in {time.perf_counter() - began:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {Pledge.objects.count()} pledges, {ProgressReport.objects.count()} reports; "
          f"times in ms, median / p95 of {args.repeat} runs ({args.repeat_slow} for computed, plain SQL, after a write)")
    endorsement = Endorsement.objects.order_by("pk").first()
    today, past = timezone.localdate(), dt.date(2024, 6, 30)
    views = {
        "grid": ({}, {}, "/charter/", "/api/v1/charter/grid"),
        "country": ({"country": "KE"}, {"country": "KE"}, "/charter/countries/KE/", "/api/v1/charter/countries/KE"),
        "endorser": ({"endorsement": endorsement}, {"endorsement_id": endorsement.pk},
                     f"/charter/endorsers/{endorsement.organisation.slug}/",
                     f"/api/v1/charter/endorsers/{endorsement.organisation.slug}"),
    }
    client = Client()
    chosen = list(views) if args.view == "all" else [args.view]
    header = (f"{'view':9} {'as of':10} {'pledges':>7} {'computed':>17} {'cached':>13} {'page':>13} {'API':>13} "
              f"{'plain SQL':>17}")
    print(header)
    for name in chosen:
        filters, plain_filters, page, api = views[name]
        for as_of in (today, past):
            computed = _timed(lambda: grid_compute(as_of=as_of, **filters), args.repeat_slow)  # noqa: B023
            charter_grid(viewer=None, as_of=as_of, **filters)
            with CaptureQueriesContext(connection) as queries:
                grid = charter_grid(viewer=None, as_of=as_of, **filters)
            if len(queries) != 2:
                raise SystemExit(f"a cached grid took {len(queries)} queries, not 2")
            cached = _timed(lambda: charter_grid(viewer=None, as_of=as_of, **filters), args.repeat)  # noqa: B023
            query = f"?as_of={as_of.isoformat()}"
            for url in (page, api):  # warm: the first request after the fill fills the cache
                if client.get(url + query).status_code != 200:
                    raise SystemExit(f"{url}: not 200")
            page_time = _timed(lambda: client.get(page + query), args.repeat)  # noqa: B023
            api_time = _timed(lambda: client.get(api + query), args.repeat)  # noqa: B023
            sql, params = _plain_sql(as_of, **plain_filters)

            def plain(sql=sql, params=params) -> None:
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()

            plain_time = _timed(plain, args.repeat_slow)
            print(f"{name:9} {as_of.isoformat():10} {grid.totals.pledges:7d} "
                  f"{computed[0]:8.0f} /{computed[1]:7.0f} {cached[0]:5.1f} /{cached[1]:5.1f} "
                  f"{page_time[0]:5.0f} /{page_time[1]:5.0f} {api_time[0]:5.0f} /{api_time[1]:5.0f} "
                  f"{plain_time[0]:8.0f} /{plain_time[1]:7.0f}")
    # After a write the next request computes: time that cycle (a report's write is not timed).
    for name in chosen:
        filters = views[name][0]
        after_write = _timed(lambda: charter_grid(viewer=None, **filters), args.repeat_slow,  # noqa: B023
                             before=transaction.atomic()(charter_changed))
        print(f"{name:9} today, first request after a write: median {after_write[0]:.0f} ms, p95 {after_write[1]:.0f} ms")


if __name__ == "__main__":
    main()
