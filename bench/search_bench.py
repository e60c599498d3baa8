"""Search benchmark: the shipped DPGA data plus a synthetic catalogue, on SQLite and PostgreSQL.

    .venv/bin/python bench/search_bench.py --goods 100000 --database both

For each database it (1) imports the shipped data and times it, (2) adds synthetic goods drawn
from the real records' distributions (names, descriptions, SDGs, licences, countries, sectors,
stages), (3) times typical searches through ``goods_search`` (the code the page and the API use:
count + one page + facet counts) and, side by side, the raw SQL for the same match (count + first
page) as the peer, and prints p50/p95 in milliseconds. Each database runs in its own process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES: list[dict] = [
    {"label": "browse (no query)", "q": ""},
    {"label": "health", "q": "health"},
    {"label": "education", "q": "education"},
    {"label": "mobile money", "q": "mobile money"},
    {"label": "open data platform", "q": "open data platform"},
    {"label": "prefix 'agri'", "q": "agri"},
    {"label": "climate + SDG 13", "q": "climate", "sdg": ("13",)},
    {"label": "SDG 3 + software", "q": "", "sdg": ("3",), "category": ("open-software",)},
    {"label": "rare word 'tuberculosis'", "q": "tuberculosis"},
    # the list as it now opens (recognised DPGs), and the searches of issue 17
    {"label": "browse DPGs (list default)", "q": "", "stage": ("dpg",)},
    {"label": "health, DPGs", "q": "health", "stage": ("dpg",)},
    {"label": "misspelt 'helth'", "q": "helth"},
    {"label": "misspelt 'educaton', DPGs", "q": "educaton", "stage": ("dpg",)},
    {"label": "education kenya", "q": "education kenya"},
    {"label": "SDG 3 or 10, DPGs", "q": "", "sdg": ("3", "10"), "stage": ("dpg",)},
]


def _pct(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def _synthesise(count: int, seed: int) -> int:
    """Add ``count`` goods sampled from the distributions of the goods already stored."""
    from django.db import transaction

    from dpghub.catalog.models import Good, GoodCountry, GoodLicense, GoodSDG
    from dpghub.catalog.services.indexing import goods_reindex

    rng = random.Random(seed)
    real = list(Good.objects.prefetch_related("sdgs", "licenses", "countries"))
    if not real:
        raise SystemExit("no goods to learn distributions from: the shipped data did not import")
    sentences = [s.strip() + "." for g in real for s in g.description.split(".") if len(s.strip()) > 20]
    words = [w for g in real for w in g.name.split() if w.isalpha() and len(w) > 2]
    sdg_texts = [link.relevance for g in real for link in g.sdgs.all() if link.relevance]
    created = 0
    batch = 2000
    while created < count:
        n = min(batch, count - created)
        goods, sdgs, licences, countries = [], [], [], []
        with transaction.atomic():
            for i in range(n):
                model = rng.choice(real)
                number = created + i
                name = " ".join(rng.sample(words, k=rng.randint(1, 3))) + f" {number}"
                goods.append(Good(
                    slug=f"synthetic-{number}", name=name,
                    description=" ".join(rng.sample(sentences, k=rng.randint(1, 4))),
                    categories=model.categories, sectors=model.sectors, stage=model.stage,
                ))
            Good.objects.bulk_create(goods)
            for good in goods:
                model = rng.choice(real)
                for link in model.sdgs.all():
                    sdgs.append(GoodSDG(good=good, sdg=link.sdg, relevance=rng.choice(sdg_texts)[:600]))
                for lic in model.licenses.all():
                    licences.append(GoodLicense(good=good, expression=lic.expression))
                for c in model.countries.all():
                    countries.append(GoodCountry(good=good, country=c.country, role=c.role))
            GoodSDG.objects.bulk_create(sdgs)
            GoodLicense.objects.bulk_create(licences)
            GoodCountry.objects.bulk_create(countries)
            goods_reindex(good_ids=[g.id for g in goods])
        created += n
        print(f"  synthetic goods: {created}/{count}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return created


def _raw_sql(vendor: str, q: str) -> tuple[str, str, list]:
    from dpghub.catalog import search

    words = search.tokens(q)
    if vendor == "sqlite":
        match = search._sqlite_match(words)
        count = "SELECT count(*) FROM catalog_search_fts WHERE catalog_search_fts MATCH %s"
        page = ("SELECT g.id, g.name FROM catalog_search_fts f JOIN catalog_good g ON g.id = f.rowid "
                "WHERE catalog_search_fts MATCH %s ORDER BY bm25(catalog_search_fts, 10.0, 1.0) LIMIT 20")
        return count, page, [match]
    tsq = search._pg_tsquery(words)
    count = "SELECT count(*) FROM catalog_searchdocument WHERE search_vector @@ to_tsquery('english', %s)"
    page = ("SELECT g.id, g.name FROM catalog_searchdocument d JOIN catalog_good g ON g.id = d.good_id "
            "WHERE d.search_vector @@ to_tsquery('english', %s) "
            "ORDER BY ts_rank(d.search_vector, to_tsquery('english', %s)) DESC LIMIT 20")
    return count, page, [tsq]


def run_one(goods: int, repeat: int, seed: int, reuse: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dpghub.catalog.models import Good
    from dpghub.catalog.selectors import GoodFilters, goods_search
    from dpghub.catalog.services.importing import goods_import
    from dpghub.common.history import Actor

    call_command("migrate", verbosity=0)
    shipped = ROOT / "src" / "dpghub" / "data" / "dpga"
    import_seconds = synth_seconds = 0.0
    if reuse:  # a catalogue built by an earlier run (--data-dir): time the searches only
        shipped_count = Good.objects.filter(provenances__isnull=False).distinct().count()
    else:
        started = time.perf_counter()
        goods_import(paths=[shipped], actor=Actor.system_job("bench"))
        import_seconds = time.perf_counter() - started
        shipped_count = Good.objects.count()
        started = time.perf_counter()
        _synthesise(max(0, goods - shipped_count), seed)
        synth_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("INSERT INTO catalog_search_fts(catalog_search_fts) VALUES ('optimize')")
    from dpghub.catalog import facet_index

    facet_index.clear()
    started = time.perf_counter()
    index = facet_index.get()
    index_build_ms = (time.perf_counter() - started) * 1000
    index_bytes = index.size_in_bytes()
    try:  # the spelling vocabulary (issue 17); absent from older versions run for a baseline
        from dpghub.catalog import spelling
    except ImportError:
        vocabulary = None
    else:
        spelling.clear()
        started = time.perf_counter()
        words = len(spelling.vocabulary().documents)
        vocabulary = {"words": words, "ms": (time.perf_counter() - started) * 1000}
    rows = []
    for query in QUERIES:
        filters = GoodFilters(q=query["q"], sdg=query.get("sdg", ()), category=query.get("category", ()),
                              stage=query.get("stage", ()))
        goods_search(filters=filters)  # warm
        timings, raw_timings = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = goods_search(filters=filters)
            timings.append((time.perf_counter() - t0) * 1000)
        raw = None
        if query["q"] and not query.get("sdg") and not query.get("category") and not query.get("stage"):
            count_sql, page_sql, params = _raw_sql(connection.vendor, query["q"])
            page_params = params * page_sql.count("%s")
            with connection.cursor() as cursor:
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    cursor.execute(count_sql, params)
                    cursor.fetchone()
                    cursor.execute(page_sql, page_params)
                    cursor.fetchall()
                    raw_timings.append((time.perf_counter() - t0) * 1000)
            raw = {"p50": _pct(raw_timings, 50), "p95": _pct(raw_timings, 95)}
        rows.append({
            "label": query["label"], "total": result.total,
            "p50": _pct(timings, 50), "p95": _pct(timings, 95), "raw": raw,
        })
    return {
        "database": connection.vendor, "goods": Good.objects.count(), "shipped_goods": shipped_count,
        "import_seconds": import_seconds, "synthetic_seconds": synth_seconds, "rows": rows,
        "index_build_ms": index_build_ms, "index_bytes": index_bytes, "vocabulary": vocabulary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--goods", type=int, default=100_000, help="catalogue size (shipped + synthetic)")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=40, help="timed runs per query")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/dpghub_bench")
    parser.add_argument("--data-dir", help="SQLite only: time the searches on the catalogue already in this "
                        "DPGHUB_DATA_DIR (left by an earlier run, migrated first), instead of building one")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.goods, args.repeat, args.seed, reuse=bool(args.data_dir))))
        return
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        env = dict(os.environ)
        workdir = args.data_dir if args.data_dir and database == "sqlite" else tempfile.mkdtemp(
            prefix=f"dpghub-bench-{database}-")
        env["DPGHUB_DATA_DIR"] = workdir
        env.pop("DPGHUB_DATABASE_URL", None)
        if database == "postgresql":
            import psycopg

            base, _, name = args.pg_url.rpartition("/")
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            env["DPGHUB_DATABASE_URL"] = args.pg_url
        print(f"== {database}: building a {args.goods}-good catalogue", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, __file__, "--one", "--goods", str(args.goods), "--repeat", str(args.repeat),
             "--seed", str(args.seed), *(["--data-dir", workdir] if args.data_dir and database == "sqlite" else [])],
            env=env, check=True, stdout=subprocess.PIPE, text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for result in results:
        print(f"\n{result['database']}: {result['goods']} goods ({result['shipped_goods']} shipped); "
              f"shipped data imported in {result['import_seconds']:.2f} s; synthetic goods added (reindexed "
              f"in batches of 2,000) in {result['synthetic_seconds']:.0f} s")
        print(f"in-memory facet index: {result['index_bytes'] / 1e6:.1f} MB (bitmaps serialised + order arrays), "
              f"built in {result['index_build_ms']:.0f} ms after each catalogue change")
        if result.get("vocabulary"):
            print(f"spelling vocabulary: {result['vocabulary']['words']} words, loaded in "
                  f"{result['vocabulary']['ms']:.0f} ms after each catalogue change")
        print(f"{'query':28} {'results':>8} {'search p50':>11} {'p95':>8} {'raw SQL p50':>12} {'p95':>8}")
        for row in result["rows"]:
            raw = row["raw"]
            raw_cols = f"{raw['p50']:12.1f} {raw['p95']:8.1f}" if raw else f"{'-':>12} {'-':>8}"
            print(f"{row['label']:28} {row['total']:8d} {row['p50']:11.1f} {row['p95']:8.1f} {raw_cols}")
    print("\n(ms; search = goods_search() as the list page calls it: index version check, text match,"
          "\n facet filters, total, one page of 20 by relevance with its licences and SDGs, and facet counts"
          "\n over the whole result, with the in-memory facet index already built; raw SQL = match count +"
          "\n first 20 ranked by bm25/ts_rank only, no facets)")


if __name__ == "__main__":
    main()
