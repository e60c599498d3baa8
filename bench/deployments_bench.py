"""Time the country page, the world map (whole pages, rendered) and their JSON twins over a synthetic volume
(default 100,000 goods and 1,000,000 deployments), beside the plain SQL query each needs, in the same run;
then, optionally, the import of the shared deployment files into the shipped registry.

Run it in a fresh database (it migrates it and fills it):

    DPGHUB_DATA_DIR=$(mktemp -d) DPGHUB_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dpghub_dep_bench \\
        .venv/bin/python bench/deployments_bench.py --goods 100000 --deployments 1000000

    DPGHUB_DATA_DIR=$(mktemp -d) .venv/bin/python bench/deployments_bench.py --import-only \\
        --import mapmatch=../shared/data/deployments/MMPhase1.csv --import dha=../shared/data/deployments/DHA-Data.csv \\
        --import digital-square=../shared/data/deployments/digital-square-implementations.csv \\
        --import guidebook=../shared/data/global-goods-guidebook/individual

Without DPGHUB_DATABASE_URL it runs on SQLite in the data directory. Countries and goods are drawn with a
Zipf-like skew, Kenya being the country with the most deployments (the worst case for its page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

BATCH = 20_000
LAYERS = ["identity", "payments", "data-exchange", "registries", "consent", "information-systems", ""]
SECTORS = ["health", "education", "agriculture", "finance", ""]
STAGES = ["planned", "pilot", "scaling", "national", "decommissioned", ""]


def _weights(n: int, skew: float) -> list[float]:
    return [1 / (rank + 1) ** skew for rank in range(n)]


def _fill(goods: int, deployments: int, seed: int) -> None:
    from django.utils import timezone

    from dpghub.catalog.models import Good
    from dpghub.deployments.models import Deployment, DeploymentPartner
    from dpghub.deployments.presenters import world_shapes
    from dpghub.orgs.models import Organisation

    rng = random.Random(seed)
    made = Good.objects.bulk_create([Good(slug=f"good-{i}", name=f"Good {i:06d}") for i in range(goods)],
                                    batch_size=5000)
    good_ids = [g.pk for g in made] if made[0].pk else list(Good.objects.order_by("pk").values_list("pk", flat=True))
    orgs = Organisation.objects.bulk_create([Organisation(name=f"Agency {i}", slug=f"agency-{i}", type="government")
                                             for i in range(500)])
    org_ids = [o.pk for o in orgs] if orgs[0].pk else list(Organisation.objects.values_list("pk", flat=True))
    countries = ["KE", *(c for c in world_shapes()["countries"] if c != "KE")]
    country_weights = _weights(len(countries), 0.9)
    good_weights = _weights(len(good_ids), 1.0)
    now = timezone.now()
    created_field = Deployment._meta.get_field("created_at")
    created_field.auto_now_add = False  # the fill dates the claims over three years
    try:
        for first in range(0, deployments, BATCH):
            size = min(deployments, first + BATCH) - first
            chosen_countries = rng.choices(countries, country_weights, k=size)
            chosen_goods = rng.choices(good_ids, good_weights, k=size)
            rows = []
            for i in range(size):
                roll = rng.random()
                verification = "verified" if roll < 0.2 else "disputed" if roll < 0.25 else "claimed"
                created = now - dt.timedelta(days=rng.randrange(1100), seconds=rng.randrange(86400))
                layer = rng.choice(LAYERS)
                reach = rng.randrange(100, 10_000_000) if rng.random() < 0.3 else None
                rows.append(Deployment(
                    good_id=chosen_goods[i], country=chosen_countries[i],
                    agency_id=rng.choice(org_ids) if rng.random() < 0.5 else None, agency_name=f"Agency {i % 997}",
                    layer=layer, sector="" if layer else rng.choice(SECTORS), stage=rng.choice(STAGES),
                    reach=reach, reach_unit="people" if reach else "", verification=verification,
                    confirmed_at=created + dt.timedelta(days=rng.randrange(200)) if verification == "verified" else None,
                    source_kind="import", source_format="dha", source_file="bench.csv", source_row=first + i,
                    source_key=f"bench:{first + i}", created_at=created))
            saved = Deployment.objects.bulk_create(rows, batch_size=5000)
            if saved and saved[0].pk is None:
                saved = list(Deployment.objects.filter(source_key__in=[r.source_key for r in rows]).only("pk"))
            partners = [DeploymentPartner(deployment_id=d.pk, role="implementer",
                                          organisation_id=rng.choice(org_ids) if rng.random() < 0.3 else None,
                                          name=f"Implementer {rng.randrange(2000)}")
                        for d in saved if rng.random() < 0.2]
            DeploymentPartner.objects.bulk_create(partners, batch_size=5000)
            print(f"  {first + size} deployments", file=sys.stderr)
    finally:
        created_field.auto_now_add = True


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def _time(label: str, call, repeat: int) -> None:
    """Wall time and this process's CPU time (SQLite runs in it; PostgreSQL's work is not counted): on a
    shared machine the wall time includes waiting for a core."""
    began, began_cpu = time.perf_counter(), time.process_time()
    call()  # the first call fills the cache, if any
    first, first_cpu = (time.perf_counter() - began) * 1000, (time.process_time() - began_cpu) * 1000
    times, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    print(f"  {label:52} first {first:7.0f} ms (cpu {first_cpu:6.0f})  median {statistics.median(times):7.1f} ms  "
          f"p95 {_p95(times):7.1f} ms (cpu p95 {_p95(cpu):6.1f})")


def _pages(repeat: int) -> None:
    from django.db import connection
    from django.test import Client

    from dpghub.deployments.models import Deployment

    client = Client()
    table = Deployment._meta.db_table

    def get(url):
        def call():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
        return call

    def sql(query, params=()):
        def call():
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                cursor.fetchall()
        return call

    kenya = Deployment.objects.filter(country="KE").count()
    small = (Deployment.objects.values("country").order_by("country").first() or {"country": "KE"})["country"]
    popular_good = Deployment.objects.filter(pk=Deployment.objects.order_by("pk").values("pk")[:1]).values_list(
        "good__slug", flat=True).first()
    print(f"country page: KE has {kenya} deployments")
    _time("page /countries/KE/", get("/countries/KE/"), repeat)
    _time("json /api/v1/countries/KE", get("/api/v1/countries/KE"), repeat)
    _time(f"page /countries/{small}/", get(f"/countries/{small}/"), repeat)
    _time("plain SQL: KE counts by layer, sector, stage, verification",
          sql(f"SELECT layer, sector, stage, verification, COUNT(*) FROM {table} WHERE country = %s "  # noqa: S608
              "GROUP BY layer, sector, stage, verification", ["KE"]), repeat)
    _time("plain SQL: KE first 200 deployments with goods",
          sql(f"SELECT d.id, g.name FROM {table} d JOIN catalog_good g ON g.id = d.good_id "  # noqa: S608
              "WHERE d.country = %s ORDER BY d.layer, d.sector, d.stage, g.name, d.id LIMIT 200", ["KE"]), repeat)
    print("map:")
    _time("page /map/", get("/map/"), repeat)
    _time("json /api/v1/countries", get("/api/v1/countries"), repeat)
    _time("page /map/?layer=identity&stage=national", get("/map/?layer=identity&stage=national"), repeat)
    _time(f"page /map/?good={popular_good}", get(f"/map/?good={popular_good}"), repeat)
    from dpghub.deployments.presenters import deployment_counts

    _time("counts uncached (a cold cache: the first request after a write)",
          lambda: deployment_counts(viewer=None, cached=False), 3)
    _time("plain SQL: deployments per country",
          sql(f"SELECT country, COUNT(*) FROM {table} GROUP BY country"), repeat)  # noqa: S608
    _time("plain SQL: per country, layer identity, stage national",
          sql(f"SELECT country, COUNT(*) FROM {table} WHERE layer = %s AND stage = %s "  # noqa: S608
              "GROUP BY country", ["identity", "national"]), repeat)
    print("others:")
    _time("page /countries/", get("/countries/"), repeat)
    _time("page /deployments/?country=KE&layer=identity", get("/deployments/?country=KE&layer=identity"), repeat)
    _time("page /deployments/ (page 2)", get("/deployments/?page=2"), repeat)


def _files(specs: list[str]) -> list[tuple[str, str]]:
    """FORMAT=FILE pairs; a directory stands for its files (the Guidebook's records are one file each)."""
    pairs = []
    for spec in specs:
        fmt, path = spec.split("=", 1)
        if os.path.isdir(path):
            pairs.extend((fmt, os.path.join(path, name)) for name in sorted(os.listdir(path)))
        else:
            pairs.append((fmt, path))
    return pairs


def _imports(specs: list[str]) -> None:
    from dpghub.catalog.services.importing import shipped_data_load_if_empty
    from dpghub.common.history import Actor
    from dpghub.deployments.importing import deployments_import, deployments_import_registry

    shipped_data_load_if_empty()
    actor = Actor.system_job("bench")
    wall = cpu = 0.0
    created: dict[str, int] = {}
    for fmt, path in _files(specs):
        began, began_cpu = time.perf_counter(), time.process_time()
        report = deployments_import(actor=actor, format=fmt, path=path, skip_invalid=True)
        spent, spent_cpu = time.perf_counter() - began, time.process_time() - began_cpu
        wall, cpu = wall + spent, cpu + spent_cpu
        created[fmt] = created.get(fmt, 0) + report.created
        if fmt != "guidebook":
            print(f"  import {fmt:15} {os.path.basename(path):36} wall {spent:6.2f} s  cpu {spent_cpu:6.2f} s  "
                  f"{report.stats}")
    print(f"  import guidebook records: created {created.get('guidebook', 0)}")
    began, began_cpu = time.perf_counter(), time.process_time()
    report = deployments_import_registry(actor=actor)
    spent, spent_cpu = time.perf_counter() - began, time.process_time() - began_cpu
    wall, cpu = wall + spent, cpu + spent_cpu
    print(f"  import registry countries {'':27} wall {spent:6.2f} s  cpu {spent_cpu:6.2f} s  created {report.created}")
    print(f"  all files: wall {wall:.2f} s, cpu {cpu:.2f} s; claims created {sum(created.values()) + report.created}")
    began, began_cpu = time.perf_counter(), time.process_time()
    for fmt, path in _files(specs):
        report = deployments_import(actor=actor, format=fmt, path=path, skip_invalid=True)
        if report.created:  # re-importing the same file changes nothing
            raise SystemExit(f"re-importing {path} created {report.created} claims")
    print(f"  again (changes nothing): wall {time.perf_counter() - began:.2f} s, "
          f"cpu {time.process_time() - began_cpu:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--goods", type=int, default=100_000)
    parser.add_argument("--deployments", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--import", dest="imports", action="append", default=[], metavar="FORMAT=FILE")
    parser.add_argument("--import-only", action="store_true", help="Only time the imports (empty database).")
    parser.add_argument("--no-fill", action="store_true", help="The database is already filled by a run.")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    os.environ.setdefault("DPGHUB_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dpghub.deployments.models import Deployment

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if args.imports:
        print(f"{connection.vendor}: imports")
        _imports(args.imports)
    if args.import_only:
        return
    if not args.no_fill:
        started = time.perf_counter()
        _fill(args.goods, args.deployments, args.seed)
        print(f"filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {args.goods} goods, {Deployment.objects.count()} deployments; "
          f"{args.repeat} requests each")
    _pages(args.repeat)


if __name__ == "__main__":
    main()
