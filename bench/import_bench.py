"""Import benchmark: a large registry file, streamed import beside the unstreamed baseline.

    .venv/bin/python bench/import_bench.py --records 1000 10000 100000 --database both

For each size it writes a synthetic registry file (one JSON array, like the registry API's
``/api/dpgs``) made from the shipped registry records with their ids, names, repositories and
websites varied, so every record is a distinct good. Then, for each database and each size, it
imports the file into a fresh, migrated database in a child process and prints records per second
and the child's peak RSS. The baseline is the importer of ``--baseline-rev`` (default: the last
commit before the streaming importer), extracted with ``git archive`` and run the same way in the
same script run. ``--baseline-max`` skips the baseline above that size (it holds the whole file
in memory: 100,000 records need several GB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "src" / "dpghub" / "data" / "dpga" / "registry-2026-07-sample.json"
BASELINE_REV = "8dad74f"  # main before the streaming importer


def registry_write(path: Path, count: int) -> int:
    """A registry file of ``count`` records built from the shipped ones; returns its size in bytes."""
    base = json.loads(SAMPLE.read_text(encoding="utf-8"))
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for index in range(count):
            record = dict(base[index % len(base)])
            record["id"] = str(1_000_000 + index)
            record["dpgid"] = f"GIDB{index:07d}"
            record["name"] = f"{record.get('name') or 'Good'} {index}"
            record["repositories"] = [
                {**repo, "url": f"https://github.com/bench-{index}/{str(repo.get('url', 'r')).rstrip('/').rsplit('/', 1)[-1]}"}
                for repo in record.get("repositories") or [] if isinstance(repo, dict)]
            record["website"] = f"https://good-{index}.example.org/"
            if index:
                out.write(",\n")
            out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n]\n")
    return path.stat().st_size


def run_one(path: str) -> dict:
    """In a child process: migrate, import ``path`` once, report time and peak RSS."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dpghub.catalog.models import Good
    from dpghub.catalog.services.importing import goods_import

    call_command("migrate", verbosity=0)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = goods_import(paths=[path])
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"database": connection.vendor, "records": result.records, "goods": Good.objects.count(),
            "seconds": seconds, "rss_before_mb": rss_before / 1024, "peak_rss_mb": peak / 1024}


def _fresh_env(database: str, pg_url: str, pythonpath: str) -> dict:
    env = dict(os.environ)
    env["DPGHUB_DATA_DIR"] = tempfile.mkdtemp(prefix=f"dpghub-importbench-{database}-")
    env["PYTHONPATH"] = pythonpath
    env.pop("DPGHUB_DATABASE_URL", None)
    if database == "postgresql":
        import psycopg

        base, _, name = pg_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DPGHUB_DATABASE_URL"] = pg_url
    return env


def _baseline_src(rev: str, into: Path) -> Path:
    """The ``src`` tree of ``rev`` (the unstreamed importer), extracted under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src"],
                             check=True, stdout=subprocess.PIPE).stdout
    tar_path = into / "baseline.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--baseline-max", type=int, default=20_000,
                        help="largest size imported with the baseline as well (default 20000)")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/dpghub_importbench")
    parser.add_argument("--one", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    work = Path(tempfile.mkdtemp(prefix="dpghub-importbench-"))
    baseline = _baseline_src(args.baseline_rev, work)
    rows = []
    for count in args.records:
        path = work / f"registry-{count}.json"
        size = registry_write(path, count)
        for database in databases:
            for label, src in (("streamed", ROOT / "src"), ("baseline", baseline)):
                if label == "baseline" and count > args.baseline_max:
                    continue
                print(f"== {database} {label} {count} records ({size / 1e6:.0f} MB)", file=sys.stderr, flush=True)
                env = _fresh_env(database, args.pg_url, str(src))
                out = subprocess.run([sys.executable, __file__, "--one", str(path)], env=env, check=True,
                                     stdout=subprocess.PIPE, text=True)
                row = json.loads(out.stdout.strip().splitlines()[-1])
                row.update(label=label, size_mb=size / 1e6)
                rows.append(row)
                print(f"   {row['seconds']:.1f} s, peak RSS {row['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
        path.unlink()
    print(f"\n{'database':10} {'importer':9} {'records':>8} {'file MB':>8} {'seconds':>8} {'records/s':>10} "
          f"{'peak RSS MB':>12} {'RSS before':>11}")
    for row in rows:
        print(f"{row['database']:10} {row['label']:9} {row['records']:8d} {row['size_mb']:8.0f} {row['seconds']:8.1f} "
              f"{row['records'] / row['seconds']:10.0f} {row['peak_rss_mb']:12.0f} {row['rss_before_mb']:11.0f}")
    print("\n(one child process per row, fresh database; peak RSS = the child's ru_maxrss, which includes"
          "\n Django and the migrations run before the import, shown as 'RSS before')")


if __name__ == "__main__":
    main()
