"""Time the Charter grid on a synthetic volume: N published pledges, two targets each (one money target in
one of three currencies, one count), R reports per target (so 2 x N x R reports).

Run it in a fresh database (it migrates it and fills it):

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pledges", type=int, default=100_000)
    parser.add_argument("--reports-per-target", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dpghub.charter.models import ProgressReport
    from dpghub.charter.selectors import charter_grid

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _fill(args.pledges, args.reports_per_target, args.seed)
    print(f"{connection.vendor}: {args.pledges} pledges, {ProgressReport.objects.count()} reports, "
          f"filled in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cases = [("today", {}), ("as of 2024-06-30", {"as_of": dt.date(2024, 6, 30)}),
             ("country KE", {"country": "KE"}), ("endorser type foundation", {"endorser_type": "foundation"})]
    for label, kwargs in cases:
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                grid = charter_grid(viewer=None, **kwargs)
                times.append((time.perf_counter() - began) * 1000)
        print(f"{label:28} pledges {grid.totals.pledges:7d}  queries {len(queries)}  "
              f"median {statistics.median(times):8.0f} ms  max {max(times):8.0f} ms")


if __name__ == "__main__":
    main()
