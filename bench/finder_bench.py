"""Time "Find a good for our need" on a synthetic volume (default 100,000 goods and 1,000,000 deployments),
beside the plain SQL query that scores the same criteria in the database, in the same run.

Run it in a fresh database (it migrates it and fills it):

    DPGHUB_DATA_DIR=$(mktemp -d) DPGHUB_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dpghub_finder_bench \\
        .venv/bin/python bench/finder_bench.py --goods 100000 --deployments 1000000

Without DPGHUB_DATABASE_URL it runs on SQLite in the data directory. It prints the time to build the finder's
index (once per catalogue version or DPGHUB_FINDER_CACHE_SECONDS), then per-request times (p50, p95, max) of
``finder_search`` (what the page and the API call) and of the plain SQL query, for the same needs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

BATCH = 50_000
COUNTRIES = ["KE", "UG", "TZ", "RW", "ET", "MW", "IN", "BD", "NP", "BR", "PE", "CO", "SN", "GH", "NG", "ML",
             "FR", "DE", "ID", "PH", "VN", "ZA", "ZM", "MZ", "PK", "EG", "MA", "MX", "GT", "HT"]
LAYERS = ["identity", "payments", "data-exchange", "registries", "consent", "information-systems", ""]
STAGES = ["planned", "pilot", "scaling", "national", "decommissioned", ""]
LICENCES = ["MIT", "Apache-2.0", "GPL-3.0-only", "AGPL-3.0-only", "MPL-2.0", "BSD-3-Clause", "CC-BY-4.0",
            "LGPL-3.0-only", "CC-BY-SA-4.0"]
CATEGORIES = ["open-software", "open-data", "open-content", "open-ai-model", "open-standard"]
LANGUAGES = ["French", "Spanish", "Swahili", "Portuguese", "Arabic", "Hindi", "Amharic", "Bengali"]
STANDARDS = ["HL7 FHIR", "OpenAPI", "DICOM", "GeoJSON", "OAuth 2.0", "ISO 20022", "SDMX", "OpenID Connect"]
SECTORS = ["Health", "Education", "Agriculture", "Climate", "Finance", "Social Protection", "Governance"]


def _fill(goods: int, deployments: int, seed: int) -> None:
    from dpghub.catalog.models import (
        Assessment,
        Good,
        GoodLicense,
        GoodSDG,
        IndicatorResult,
        StandardVersion,
    )
    from dpghub.deployments.models import Deployment

    rng = random.Random(seed)
    version, _created = StandardVersion.objects.get_or_create(version="bench")
    for first in range(0, goods, BATCH):
        rows = []
        for i in range(first, min(goods, first + BATCH)):
            words = " and ".join(rng.sample(LANGUAGES, rng.randint(0, 2)))
            rows.append(Good(slug=f"good-{i}", name=f"Good {i:06d}", stage=rng.choice(["dpg", "nominee", "archived"]),
                             categories=rng.sample(CATEGORIES, rng.choice([1, 1, 2])),
                             sectors=rng.sample(SECTORS, rng.randint(0, 2)),
                             description=f"A digital public good used in {words or 'English'} by ministries.",
                             expires_on=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(900))))
        made = Good.objects.bulk_create(rows, batch_size=5000)
        GoodSDG.objects.bulk_create([GoodSDG(good=g, sdg=s) for g in made for s in rng.sample(range(1, 18), 2)],
                                    batch_size=5000)
        GoodLicense.objects.bulk_create([GoodLicense(good=g, expression=rng.choice(LICENCES)) for g in made],
                                        batch_size=5000)
        assessments = Assessment.objects.bulk_create([Assessment(good=g, standard_version=version, source="imported")
                                                      for g in made], batch_size=5000)
        IndicatorResult.objects.bulk_create([
            IndicatorResult(assessment=a, indicator="8", status="pass",
                            evidence=[{"field": "openStandards", "url": "",
                                       "text": ", ".join(rng.sample(STANDARDS, 3))}])
            for a in assessments], batch_size=5000)
        print(f"  {min(goods, first + BATCH)} goods", file=sys.stderr)
    ids = list(Good.objects.values_list("pk", flat=True))
    for first in range(0, deployments, BATCH):
        Deployment.objects.bulk_create([
            Deployment(good_id=rng.choice(ids), country=rng.choice(COUNTRIES), layer=rng.choice(LAYERS),
                       stage=rng.choice(STAGES),
                       verification=rng.choice(["claimed", "claimed", "verified", "disputed"]),
                       source_kind="import")
            for _ in range(first, min(deployments, first + BATCH))], batch_size=5000)
        print(f"  {min(deployments, first + BATCH)} deployments", file=sys.stderr)


def _needs(rng: random.Random, count: int) -> list[dict]:
    needs = []
    for _ in range(count):
        needs.append({
            "category": rng.sample(CATEGORIES, 1), "sdg": [str(s) for s in rng.sample(range(1, 18), 2)],
            "layer": rng.sample([layer for layer in LAYERS if layer], 1),
            "region": [rng.choice(["Eastern Africa", "Western Africa", "Southern Asia", "South America", "Africa"])],
        })
    return needs


def _plain_sql(need, vendor: str) -> tuple[str, list]:
    """One query scoring the same criteria as the finder in the database: category, each SDG, DPI layer and
    region, each a point; best first, then by name; at least one point; first 50."""
    from dpghub.core.regions import countries_in_region

    params: list = []
    parts = []
    if need.categories:
        if vendor == "postgresql":
            parts.append("CASE WHEN g.categories ?| %s THEN 1 ELSE 0 END")
            params.append(list(need.categories))
        else:
            parts.append("CASE WHEN EXISTS (SELECT 1 FROM json_each(g.categories) c WHERE c.value IN (%s)) THEN 1 "
                         "ELSE 0 END".replace("%s", _marks(len(need.categories)), 1))
            params += list(need.categories)
    for sdg in need.sdgs:
        parts.append("CASE WHEN EXISTS (SELECT 1 FROM catalog_goodsdg s WHERE s.good_id = g.id AND s.sdg = %s) "
                     "THEN 1 ELSE 0 END")
        params.append(sdg)
    if need.layers:
        parts.append("CASE WHEN EXISTS (SELECT 1 FROM deployments_deployment d WHERE d.good_id = g.id "
                     f"AND d.verification <> 'disputed' AND d.layer IN ({_marks(len(need.layers))})) THEN 1 ELSE 0 END")
        params += list(need.layers)
    if need.region:
        codes = sorted(countries_in_region(need.region))
        marks = _marks(len(codes))
        parts.append("CASE WHEN EXISTS (SELECT 1 FROM deployments_deployment d WHERE d.good_id = g.id "
                     f"AND d.verification <> 'disputed' AND d.country IN ({marks})) OR EXISTS (SELECT 1 FROM "
                     f"catalog_goodcountry c WHERE c.good_id = g.id AND c.role = 'deployment' AND c.country IN ({marks})) "
                     "THEN 1 ELSE 0 END")
        params += codes + codes
    score = " + ".join(parts)
    sql = (f"SELECT id, name, score FROM (SELECT g.id, g.name, g.stage, {score} AS score FROM catalog_good g) t "
           "WHERE score >= 1 ORDER BY score DESC, CASE stage WHEN 'dpg' THEN 0 WHEN 'nominee' THEN 1 ELSE 2 END, "
           "name LIMIT 50")
    return sql, params


def _marks(count: int) -> str:
    """``%s, %s, ...``: one placeholder per value (only placeholders are put in the SQL text)."""
    return ", ".join(["%s"] * count)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--goods", type=int, default=100_000)
    parser.add_argument("--deployments", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sql-needs", type=int, default=5, help="needs timed with the plain SQL query (slow)")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dpghub.catalog.models import Good
    from dpghub.deployments.finder import finder_index, finder_need, finder_search
    from dpghub.deployments.models import Deployment

    call_command("migrate", verbosity=0)
    if not Good.objects.exists():
        started = time.perf_counter()
        _fill(args.goods, args.deployments, args.seed)
        print(f"filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {Good.objects.count()} goods, {Deployment.objects.count()} deployments")
    began = time.perf_counter()
    finder_index(fresh=True)
    print(f"finder index built (cold, once per catalogue version or cache period): "
          f"{(time.perf_counter() - began) * 1000:.0f} ms")

    rng = random.Random(args.seed)
    needs = [finder_need(_query(n)) for n in _needs(rng, args.needs)]
    full = [finder_need(_query({**n, "languages": [rng.choice(LANGUAGES)], "standards": [rng.choice(STANDARDS)],
                                "licence": [rng.choice(["permissive", "no-strong-copyleft"])], "maintained": ["1"]}))
            for n in _needs(rng, args.needs)]
    for label, batch in (("finder, category+2 SDGs+layer+region", needs),
                         ("finder, + language, standard, licence, maintained", full)):
        times = []
        for _ in range(args.repeat):
            for need in batch:
                t0 = time.perf_counter()
                answer = finder_search(viewer=None, need=need, limit=50)
                times.append((time.perf_counter() - t0) * 1000)
        print(f"{label:52} n={len(times):3d}  p50 {statistics.median(times):7.1f} ms  "
              f"p95 {_percentile(times, 0.95):7.1f} ms  max {max(times):7.1f} ms  (matches {answer.total})")
    times = []
    agree = 0
    for need in needs[:args.sql_needs]:
        sql, params = _plain_sql(need, connection.vendor)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        times.append((time.perf_counter() - t0) * 1000)
        ours = finder_search(viewer=None, need=need, limit=50).results
        agree += [r[2] for r in rows] == [r.score for r in ours]
    print(f"{'plain SQL, same criteria (scores in the database)':52} n={len(times):3d}  "
          f"p50 {statistics.median(times):7.1f} ms  p95 {_percentile(times, 0.95):7.1f} ms  max {max(times):7.1f} ms"
          f"  (same scores as the finder for {agree} of {len(times)} needs)")


def _query(values: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, items in values.items():
        query.setlist(key, items)
    return query


if __name__ == "__main__":
    main()
