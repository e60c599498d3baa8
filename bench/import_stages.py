"""Where an import's time goes: its stages, and the rows written per table.

    .venv/bin/python bench/import_stages.py --records 10000 --database both

Writes the same synthetic registry file as ``import_bench.py``, imports it into a fresh, migrated
database in a child process, and prints the seconds of the reading pass, of the writing pass
without the search index, and of the search index rebuild (``goods_reindex``), then, per table,
the rows written by ``common.bulk.rows_insert`` and the seconds spent in it (building the values,
and the database storing them: indexes, triggers, full-text and generated columns). On
PostgreSQL it also prints the server's time to compute the search documents' ``tsvector``
alone (the ``search_vector`` expression, recomputed by a query over the stored documents).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import ROOT, _fresh_env, registry_write

_VECTOR = ("SELECT count(setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B'))"
           " FROM catalog_searchdocument")


def run_one(path: str) -> dict:
    """In a child process: migrate, import ``path`` with the stages and tables timed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dpghub.catalog.services import importing, indexing
    from dpghub.common import bulk

    call_command("migrate", verbosity=0)
    seconds: collections.Counter[str] = collections.Counter()
    rows: collections.Counter[str] = collections.Counter()
    rows_insert, goods_reindex = bulk.rows_insert, indexing.goods_reindex

    def timed_insert(model, columns, values):
        started = time.perf_counter()
        count = rows_insert(model, columns, values)
        seconds[model.__name__] += time.perf_counter() - started
        rows[model.__name__] += count
        return count

    def timed_reindex(**kwargs):
        started = time.perf_counter()
        count = goods_reindex(**kwargs)
        seconds["(reindex)"] += time.perf_counter() - started
        return count

    importing.rows_insert = indexing.rows_insert = timed_insert
    importing.goods_reindex = timed_reindex
    marks: dict[str, float] = {}
    started = time.perf_counter()
    importing.goods_import(paths=[path], progress=lambda stage, done, total: marks.__setitem__(stage, time.perf_counter()))
    total = time.perf_counter() - started
    out = {"database": connection.vendor, "total": total, "read": marks["read"] - started,
           "reindex": seconds.pop("(reindex)"), "tables": {name: [rows[name], seconds[name]] for name in seconds}}
    out["write"] = total - out["read"] - out["reindex"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(_VECTOR)
            out["tsvector"] = time.perf_counter() - started
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/dpghub_importbench")
    parser.add_argument("--one", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    work = Path(tempfile.mkdtemp(prefix="dpghub-importstages-"))
    path = work / f"registry-{args.records}.json"
    registry_write(path, args.records)
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        env = _fresh_env(database, args.pg_url, str(ROOT / "src"))
        out = subprocess.run([sys.executable, __file__, "--one", str(path)], env=env, check=True,
                             stdout=subprocess.PIPE, text=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"\n{database}, {args.records} records: {row['total']:.1f} s = reading {row['read']:.1f} s"
              f" + writing {row['write']:.1f} s + search index {row['reindex']:.1f} s")
        print(f"  {'table':18} {'rows':>9} {'seconds':>8} {'µs/row':>8}")
        for name, (count, spent) in sorted(row["tables"].items(), key=lambda item: -item[1][1]):
            print(f"  {name:18} {count:9d} {spent:8.2f} {1e6 * spent / max(count, 1):8.1f}")
        if "tsvector" in row:
            documents = row["tables"].get("SearchDocument", [0])[0]
            print(f"  the server computing the documents' search_vector alone: {row['tsvector']:.2f} s"
                  f" ({1e6 * row['tsvector'] / max(documents, 1):.0f} µs per document)")
    path.unlink()


if __name__ == "__main__":
    main()
