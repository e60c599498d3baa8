"""Screening benchmark: DPG Hub's screening engine side by side with ScanCode, in one run.

Over the corpus of ``bench/corpus.json`` (prepare it with ``python bench/corpus.py prepare``):

1. **read-all baseline**, per tree: list the tracked files (``git ls-files -z`` in a checkout, a walk that
   follows no symlink in an unpacked package) and read every regular file fully, in 1 MiB chunks. Two
   readings: **warm** (the page cache is warmed first with one untimed pass, so the baseline and the
   screening both read from memory) and **cold** (before each timed read-all and each timed screening the
   tracked files are evicted from the page cache with ``posix_fadvise(POSIX_FADV_DONTNEED)``, so both
   read from the disk, as when screening more checkouts than fit in memory). ``--no-cold`` skips the
   cold reading.
2. **DPG Hub in-process**, per tree, right after its baseline, in the same worker process:
   ``dpghub.core.screening.screen(path)``. Gives the per-tree ratio screening / read-all, and the peak
   resident memory of that worker (``VmHWM``). The engine is warmed on one tree before timing (licence
   data loaded once per process, as a long-running worker would).
3. **DPG Hub throughput**: ``dpghub screen --batch FILE --out FILE --workers 2`` over the DPG checkouts,
   then over the package trees; wall time, trees per minute, and the peak ``VmHWM`` of each worker process
   (sampled from /proc every 50 ms) and ``getrusage(RUSAGE_CHILDREN).ru_maxrss``.
4. **ScanCode** (own venv, ``bench/install-scancode.sh``) on a deterministic subset (``choose_subset``: the
   first 26 DPG checkouts of at most 1,500 files and every package tree, in sha1 order of their names): per tree
   ``scancode --license --classify --summary --only-findings --strip-root --json OUT --processes 2 TREE``
   (``--classify --summary`` are cheap post-scan steps that flag top-level key files and give ScanCode's
   own declared licence). Timed per tree; ScanCode's fixed start-up (loading its licence index) is
   measured on an empty directory and reported, and speed is compared both with and without it.
5. **Agreement** of the root licence, after normalising both sides to SPDX with license-expression
   (``get_spdx_licensing``; equivalent expressions are equal, e.g. ``MIT OR Apache-2.0`` and
   ``Apache-2.0 OR MIT``; ``NOASSERTION``/none on both sides counts as agreement):
   DPG Hub vs ScanCode on the subset (every disagreement printed with both answers), and DPG Hub vs the
   declared licence of the package-registry trees.

ScanCode's root licence (the documented rule of this bench): among ScanCode's results for files at the
tree root (no ``/`` in the path) with a detected SPDX expression, take the licence files (name starting
with LICENSE, LICENCE, COPYING, UNLICENSE, COPYRIGHT); if there are none, the package manifests
(package.json, PKG-INFO, setup.py, setup.cfg, pyproject.toml, pom.xml, build.gradle, composer.json,
Cargo.toml, DESCRIPTION, *.gemspec, *.nuspec, publiccode.yml); if none, the README files. The root licence
is the AND of the distinct expressions of the chosen files, simplified; no such file gives none.
ScanCode's ``summary.declared_license_expression`` is reported beside it (converted to SPDX).

    .venv/bin/python bench/screening_bench.py                 # everything, prints the figures table
    .venv/bin/python bench/screening_bench.py --scancode-dpg 0 --scancode-packages 0   # without ScanCode

Results (JSON lines per tree, ScanCode outputs, the summary) go to ``bench/.work/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import multiprocessing
import os
import platform
import re
import resource
import shlex
import shutil
import stat
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / ".work" / "corpus"
RESULTS = HERE / ".work" / "results"
SCANCODE = HERE / ".work" / "scancode-venv" / "bin" / "scancode"
CHUNK = 1024 * 1024

# Targets of the issue.
TARGET_THROUGHPUT = 120.0  # trees per minute on 2 cores
TARGET_RATIO = 3.0  # screening time / read-all time, per tree
TARGET_RSS_MB = 300.0  # per worker
TARGET_SPEEDUP = 100.0  # vs ScanCode's full-tree licence scan
TARGET_AGREEMENT = 0.98  # root licence vs ScanCode


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------- read-all baseline

def tracked_files(root: Path) -> list[str]:
    """Tracked files of a checkout (``git ls-files``); every file of a plain tree (no symlink followed)."""
    if (root / ".git").exists():
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True, capture_output=True).stdout
        return [os.path.join(root, p) for p in out.decode("utf-8", "surrogateescape").split("\0") if p]
    files = []
    for dirpath, _dirnames, filenames in os.walk(root):  # followlinks=False
        files.extend(os.path.join(dirpath, f) for f in filenames)
    return files


def read_all(root: Path) -> tuple[int, int]:
    """(files read, bytes read): every tracked regular file read to its end."""
    n = total = 0
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    for path in tracked_files(root):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:  # a tracked symlink (not followed) or a file absent from a partial snapshot
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # a submodule (gitlink) directory
                continue
            n += 1
            while True:
                got = os.readv(fd, [view])
                if not got:
                    break
                total += got
        finally:
            os.close(fd)
    return n, total


def evict(root: Path) -> int:
    """Drop the tracked files of a tree from the page cache (``posix_fadvise(DONTNEED)``; the files are
    clean, so the kernel lets them go), so that the next read comes from the disk: the cold reading."""
    n = 0
    for path in tracked_files(root):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            n += 1
        finally:
            os.close(fd)
    return n


# ------------------------------------------------------------------------------------ engine, per tree

def vm_hwm_kb(pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def root_of(report_json: dict) -> str | None:
    lic = report_json.get("licenses") or report_json.get("licences") or {}
    return lic.get("root_expression")


def per_tree_worker(jobs: list[dict], warm: str, repeat: int, cold: bool, conn) -> None:
    """Runs in its own process: baseline then screening for each tree, one after the other."""
    from dpghub.core.screening import screen

    try:
        screen(warm)  # load the licence data once, as a long-lived worker would
    except Exception as exc:  # noqa: BLE001
        log(f"warm-up screening failed: {exc}")
    for job in jobs:
        root = CORPUS / job["path"]
        row: dict[str, Any] = {"key": job["key"]}
        read_times, screen_times = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            files, nbytes = read_all(root)
            read_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            try:
                report = screen(str(root)).to_json()
                screen_times.append(time.perf_counter() - t0)
                row.update(ok=True, root=root_of(report), files_seen=report.get("files_seen"),
                           bytes_read_engine=report.get("bytes_read"),
                           limits_hit=[n.get("limit") for n in report.get("limits_hit", [])],
                           lic_evidence=[(e.get("expression"), e.get("kind"), e.get("path"))
                                         for e in ((report.get("licenses") or report.get("licences") or {})
                                                   .get("evidence") or [])[:12]])
            except Exception as exc:  # noqa: BLE001 - a failure is a figure too
                screen_times.append(time.perf_counter() - t0)
                row.update(ok=False, error=f"{type(exc).__name__}: {str(exc)[:300]}")
        row.update(read_s=min(read_times), screen_s=min(screen_times), files=files, bytes=nbytes,
                   hwm_kb=vm_hwm_kb())
        if cold and row.get("ok"):
            cold_read, cold_screen = [], []
            for _ in range(repeat):
                evict(root)
                t0 = time.perf_counter()
                read_all(root)
                cold_read.append(time.perf_counter() - t0)
                evict(root)
                t0 = time.perf_counter()
                screen(str(root))
                cold_screen.append(time.perf_counter() - t0)
            row.update(read_cold_s=min(cold_read), screen_cold_s=min(cold_screen))
        conn.send(row)
    conn.send(None)


def run_per_tree(items: list[dict], repeat: int, cold: bool = True) -> list[dict]:
    log(f"[1/4] warming the page cache: one untimed read of {len(items)} trees")
    for item in items:
        read_all(CORPUS / item["path"])
    log(f"[2/4] per tree: read-all baseline, then DPG Hub screen() in-process (1 worker, repeat={repeat})")
    warm = min(items, key=lambda i: i.get("files") or 0)
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    jobs = [{"key": i["key"], "path": i["path"]} for i in items]
    proc = ctx.Process(target=per_tree_worker, args=(jobs, str(CORPUS / warm["path"]), repeat, cold, child))
    proc.start()
    child.close()
    rows = []
    while True:
        row = parent.recv()
        if row is None:
            break
        rows.append(row)
        if len(rows) % 20 == 0:
            log(f"  {len(rows)}/{len(items)}")
    proc.join()
    return rows


# ---------------------------------------------------------------------------------- batch throughput

def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def run_batch(items: list[dict], label: str, workers: int) -> dict:
    RESULTS.mkdir(parents=True, exist_ok=True)
    listing = RESULTS / f"batch-{label}.txt"
    out = RESULTS / f"batch-{label}.jsonl"
    listing.write_text("".join(f"{CORPUS / i['path']}\n" for i in items))
    out.unlink(missing_ok=True)
    dpghub = shutil.which("dpghub", path=str(Path(sys.executable).parent)) or "dpghub"
    argv = [dpghub, "screen", "--batch", str(listing), "--out", str(out), "--workers", str(workers)]
    peaks: dict[int, tuple[int, str]] = {}
    stop = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        while not stop.is_set():
            for pid in _descendants(proc.pid) | {proc.pid}:
                kb = vm_hwm_kb(pid)
                if kb and kb >= peaks.get(pid, (0, ""))[0]:
                    peaks[pid] = (kb, peaks.get(pid, (0, ""))[1] or _cmdline(pid)[:120])
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    rows = [json.loads(line) for line in out.read_text().splitlines() if line.strip()] if out.exists() else []
    workers_peaks = sorted(((kb, cmd) for pid, (kb, cmd) in peaks.items()
                            if pid != proc.pid and "multiprocessing" in cmd and "resource_tracker" not in cmd),
                           reverse=True)
    return {
        "label": label, "argv": argv, "trees": len(items), "wall_s": wall, "per_min": 60.0 * len(items) / wall,
        "ok": sum(1 for r in rows if r.get("ok")), "failed": [r for r in rows if not r.get("ok")],
        "rc": proc.returncode, "stderr_tail": err.decode("utf-8", "replace")[-500:],
        "worker_hwm_mb": [round(kb / 1024, 1) for kb, _ in workers_peaks],
        "parent_hwm_mb": round(peaks.get(proc.pid, (0, ""))[0] / 1024, 1),
        "all_processes_hwm_mb": sorted((round(kb / 1024, 1) for kb, _ in peaks.values()), reverse=True),
        "rows": {r["source"]: r for r in rows},
    }


# --------------------------------------------------------------------------------------------- ScanCode

LICENCE_FILE = re.compile(r"^(?:LICEN[CS]E|COPYING|UNLICEN[CS]E|COPYRIGHT)", re.IGNORECASE)
MANIFESTS = {"package.json", "pkg-info", "setup.py", "setup.cfg", "pyproject.toml", "pom.xml", "build.gradle",
             "composer.json", "cargo.toml", "description", "publiccode.yml", "publiccode.yaml", "bower.json"}


def scancode_root(files: list[dict]) -> tuple[str | None, list[str]]:
    """The bench's rule for ScanCode's root licence (see the module docstring); (expression, files used)."""
    top = [f for f in files if f.get("type") == "file" and "/" not in f["path"]
           and f.get("detected_license_expression_spdx")]
    groups = [
        [f for f in top if LICENCE_FILE.match(f["path"])],
        [f for f in top if f["path"].lower() in MANIFESTS or f["path"].endswith((".gemspec", ".nuspec"))],
        [f for f in top if f["path"].upper().startswith("README")],
    ]
    for group in groups:
        if group:
            exprs = sorted({f["detected_license_expression_spdx"] for f in group})
            combined = " AND ".join(f"({e})" if " " in e else e for e in exprs)
            return simplify(combined), [f"{f['path']}: {f['detected_license_expression_spdx']}" for f in group]
    return None, []


def scancode_startup() -> float:
    empty = RESULTS / "empty-tree"
    empty.mkdir(parents=True, exist_ok=True)
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        subprocess.run(scancode_argv(empty, RESULTS / "scancode-empty.json"), capture_output=True, check=False,
                       env=scancode_env())
        times.append(time.perf_counter() - t0)
    return min(times)


def scancode_env() -> dict[str, str]:
    return dict(os.environ, PYTHONWARNINGS="ignore")


def scancode_argv(tree: Path, out: Path, processes: int = 2) -> list[str]:
    return [str(SCANCODE), "--license", "--classify", "--summary", "--only-findings", "--strip-root",
            "--json", str(out), "--processes", str(processes), "--quiet", str(tree)]


def run_scancode(items: list[dict], processes: int, version: str, reuse: bool = False,
                 stored_only: bool = False) -> list[dict]:
    """ScanCode on each tree. With ``reuse``, a tree whose row was stored by an earlier run of the same
    ScanCode version on the same tree version (commit or package version) is not scanned again: its
    stored row (answer and wall time) is used and marked ``reused``. With ``stored_only`` a tree
    without such a row is left out of the subset (the report says how many)."""
    outdir = RESULTS / "scancode"
    outdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n, item in enumerate(items, 1):
        out = outdir / (item["key"].replace("/", "+") + ".json")
        stored = out.with_suffix(".row.json")
        ident = {"scancode": version, "tree_version": item.get("version"), "processes": processes}
        if reuse and stored.exists():
            row = json.loads(stored.read_text())
            if row.get("ident") == ident and out.exists():
                row["reused"] = True
                row["root"], row["root_files"] = scancode_root(json.loads(out.read_text()).get("files", []))
                log(f"  scancode {n}/{len(items)} {item['key']}: reused ({row['wall_s']:.1f}s on "
                    f"{row.get('scanned_at')}) root={row.get('root')}")
                rows.append(row)
                continue
        if stored_only:
            log(f"  scancode {n}/{len(items)} {item['key']}: no stored row, left out (--scancode-stored-only)")
            continue
        out.unlink(missing_ok=True)
        t0 = time.perf_counter()
        proc = subprocess.run(scancode_argv(CORPUS / item["path"], out, processes), capture_output=True, check=False,
                              env=scancode_env())
        wall = time.perf_counter() - t0
        row = {"key": item["key"], "wall_s": wall, "rc": proc.returncode}
        if out.exists():
            data = json.loads(out.read_text())
            files = data.get("files", [])
            row["root"], row["root_files"] = scancode_root(files)
            row["summary_declared_key"] = (data.get("summary") or {}).get("declared_license_expression")
            row["scan_errors"] = sum(len(f.get("scan_errors") or []) for f in files)
        else:
            row.update(root=None, root_files=[], error=proc.stderr.decode("utf-8", "replace")[-300:])
        row.update(ident=ident, scanned_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
        log(f"  scancode {n}/{len(items)} {item['key']}: {wall:.1f}s root={row.get('root')}")
        stored.write_text(json.dumps(row))
        rows.append(row)
    # ScanCode's summary uses its own licence keys: convert them to SPDX with its own library.
    keys = [r.get("summary_declared_key") or "" for r in rows]
    code = ("import json,sys\nfrom licensedcode.cache import build_spdx_license_expression as b\n"
            "print(json.dumps([b(k) if k else None for k in json.load(sys.stdin)]))")
    conv = subprocess.run([str(SCANCODE.parent / "python"), "-c", code], input=json.dumps(keys), text=True, check=False,
                          capture_output=True, env=scancode_env())
    try:
        for row, spdx in zip(rows, json.loads(conv.stdout), strict=True):
            row["summary_declared"] = spdx
    except ValueError:
        log(f"could not convert ScanCode summary keys: {conv.stderr[-300:]}")
    return rows


# ------------------------------------------------------------------------------------------- licences

_LICENSING = None


def licensing():
    global _LICENSING  # noqa: PLW0603 - imported once, on first use
    if _LICENSING is None:
        from license_expression import get_spdx_licensing
        _LICENSING = get_spdx_licensing()
    return _LICENSING


NONE_VALUES = {None, "", "NOASSERTION", "NONE"}


def simplify(expr: str | None) -> str | None:
    if expr in NONE_VALUES:
        return None
    try:
        return str(licensing().parse(expr, validate=False, simple=False).simplify())
    except Exception:  # noqa: BLE001 - keep the raw text, it will simply not match
        return expr


def same_licence(a: str | None, b: str | None) -> bool:
    a, b = simplify(a), simplify(b)
    if a is None or b is None:
        return a is None and b is None
    try:
        lic = licensing()
        return lic.is_equivalent(lic.parse(a), lic.parse(b))
    except Exception:  # noqa: BLE001
        return a.lower() == b.lower()


# ---------------------------------------------------------------------------------------------- main

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def choose_subset(items: list[dict], dpg: int, packages: int, max_files: int) -> list[dict]:
    """Deterministic: per kind, trees in sha1(key) order; the first ``dpg`` DPG checkouts of at most
    ``max_files`` tracked files (ScanCode needs minutes to hours on the large ones) and the first
    ``packages`` trees of each package registry (cheap for ScanCode, so the default takes them all)."""
    quota = {"dpg": dpg, "pypi": packages, "npm": packages}
    chosen = []
    for kind, n in quota.items():
        pool = [i for i in items if i["kind"] == kind and (kind != "dpg" or (i.get("files") or 0) <= max_files)]
        pool.sort(key=lambda i: hashlib.sha1(i["key"].encode(), usedforsecurity=False).hexdigest())
        chosen += pool[: max(0, n)]
    return chosen


def machine() -> dict:
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            mem = handle.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = ()
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "kernel": platform.release(), "loadavg_at_start": [round(x, 2) for x in load],
            "engine": engine_version()}


def engine_version() -> str:
    """The commit of the engine that is imported (a PYTHONPATH may point at another checkout, to measure
    an older engine beside the current one), plus a digest of its sources (they may be uncommitted)."""
    import dpghub

    src = Path(dpghub.__file__).resolve().parent.parent  # .../src
    repo = src.parent
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, check=False,
                          text=True).stdout.strip()
    digest = hashlib.sha1(usedforsecurity=False)
    for sub in ("screening", "licensing"):
        for path in sorted((src / "dpghub" / "core" / sub).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(repo)).encode() + b"\0" + path.read_bytes())
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--", "src/dpghub/core/screening",
                            "src/dpghub/core/licensing"], capture_output=True, text=True, check=False).stdout.strip()
    where = "" if repo == ROOT else f" (from {repo})"
    return (f"{head}{' + uncommitted engine changes' if dirty else ''}{where}, engine sources sha1 "
            f"{digest.hexdigest()[:12]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(HERE / "corpus.json"))
    parser.add_argument("--workers", type=int, default=2, help="batch workers (the target is on 2 cores)")
    parser.add_argument("--repeat", type=int, default=2, help="per-tree timings: best of N")
    parser.add_argument("--scancode-dpg", type=int, default=26, help="DPG checkouts scanned by ScanCode (0: none)")
    parser.add_argument("--scancode-packages", type=int, default=42,
                        help="trees of each package registry scanned by ScanCode (0: none; default: all)")
    parser.add_argument("--scancode-max-files", type=int, default=1500,
                        help="DPG checkouts with more tracked files are not in the ScanCode subset")
    parser.add_argument("--scancode-processes", type=int, default=2)
    parser.add_argument("--kind", action="append", choices=("dpg", "pypi", "npm"))
    parser.add_argument("--no-cold", action="store_true",
                        help="skip the cold-cache reading (tracked files evicted with posix_fadvise first)")
    parser.add_argument("--scancode-reuse", action="store_true",
                        help="reuse ScanCode rows stored by an earlier run (same ScanCode, same tree version); "
                             "the report says how many were reused")
    parser.add_argument("--scancode-stored-only", action="store_true",
                        help="with --scancode-reuse: leave out the trees that have no stored row instead of "
                             "scanning them")
    parser.add_argument("--scancode-only", action="store_true",
                        help="run only ScanCode on the subset (stores its rows for --scancode-reuse)")
    args = parser.parse_args(argv)

    started = dt.datetime.now(dt.UTC)
    manifest = json.loads(Path(args.corpus).read_text())
    items = []
    absent = []
    for item in manifest["items"]:
        if args.kind and item["kind"] not in args.kind:
            continue
        item = dict(item, key=f"{item['kind']}:{item['name']}")
        (items if (CORPUS / item["path"]).is_dir() else absent).append(item)
    if absent:
        log(f"{len(absent)} trees of the manifest are not prepared (run bench/corpus.py prepare): "
            + ", ".join(i["key"] for i in absent[:10]))
    if not items:
        log("no corpus: run  python bench/corpus.py prepare")
        return 2
    by_key = {i["key"]: i for i in items}
    info = machine()
    RESULTS.mkdir(parents=True, exist_ok=True)

    # 1-2: baseline and in-process screening, per tree
    per_tree = {} if args.scancode_only else {r["key"]: r for r in run_per_tree(items, args.repeat,
                                                                               cold=not args.no_cold)}

    # 3: throughput through the CLI
    batches = []
    if not args.scancode_only:
        log(f"[3/4] dpghub screen --batch --workers {args.workers}")
    for label, kinds in (() if args.scancode_only else (("dpg", {"dpg"}), ("packages", {"pypi", "npm"}))):
        chosen = [i for i in items if i["kind"] in kinds]
        if chosen:
            batches.append(run_batch(chosen, label, args.workers))
            b = batches[-1]
            log(f"  {label}: {b['trees']} trees in {b['wall_s']:.1f}s = {b['per_min']:.1f}/min, "
                f"worker peaks {b['worker_hwm_mb'][:4]} MB")
    children_maxrss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    # 4: ScanCode on the subset
    subset = choose_subset(items, args.scancode_dpg, args.scancode_packages, args.scancode_max_files)
    sc_rows: dict[str, dict] = {}
    startup = None
    if subset:
        if not SCANCODE.exists():
            log(f"ScanCode is not installed ({SCANCODE}): run bench/install-scancode.sh")
            subset = []
        else:
            version = subprocess.run([str(SCANCODE), "--version"], capture_output=True, text=True, check=False,
                                     env=scancode_env()).stdout.splitlines()[0]
            info["scancode"] = version
            log(f"[4/4] ScanCode ({version}) on a subset of {len(subset)} trees, --processes "
                f"{args.scancode_processes}")
            startup = scancode_startup()
            log(f"  ScanCode start-up on an empty tree: {startup:.1f}s")
            sc_rows = {r["key"]: r for r in run_scancode(subset, args.scancode_processes, version,
                                                         reuse=args.scancode_reuse or args.scancode_stored_only,
                                                         stored_only=args.scancode_stored_only)}
            info["scancode_subset_planned"] = len(subset)
    if args.scancode_only:
        log(f"ScanCode rows stored in {RESULTS / 'scancode'}")
        return 0

    # ---------------------------------------------------------------------------------- figures
    ok_rows = [r for r in per_tree.values() if r.get("ok")]
    failed = [r for r in per_tree.values() if not r.get("ok")]
    ratios = {r["key"]: r["screen_s"] / r["read_s"] for r in ok_rows if r["read_s"] > 0}
    ratio_list = list(ratios.values())
    cold_ratios = {r["key"]: r["screen_cold_s"] / r["read_cold_s"] for r in ok_rows
                   if r.get("read_cold_s") and r.get("screen_cold_s") is not None}
    cold_list = list(cold_ratios.values())
    cold_worst = sorted(cold_ratios.items(), key=lambda kv: -kv[1])[:10]
    worst = sorted(ratios.items(), key=lambda kv: -kv[1])[:10]
    slowest = sorted(ok_rows, key=lambda r: -r["screen_s"])[:10]
    inproc_hwm_mb = max((r["hwm_kb"] for r in per_tree.values()), default=0) / 1024
    total_trees = sum(b["trees"] for b in batches)
    total_wall = sum(b["wall_s"] for b in batches)

    # agreement with ScanCode
    disagreements = []
    agree = 0
    for key, sc in sc_rows.items():
        ours = per_tree.get(key, {}).get("root")
        if same_licence(ours, sc.get("root")):
            agree += 1
        else:
            disagreements.append((key, ours, sc.get("root"), sc.get("root_files"), sc.get("summary_declared")))
    agree_summary = sum(1 for key, sc in sc_rows.items()
                        if same_licence(per_tree.get(key, {}).get("root"), sc.get("summary_declared")))
    # agreement with the declared licences of package trees
    declared_rows = [(k, r.get("root"), by_key[k]["declared"]) for k, r in per_tree.items()
                     if by_key[k]["kind"] != "dpg" and by_key[k].get("declared")]
    declared_agree = [d for d in declared_rows if same_licence(d[1], d[2])]
    declared_disagree = [d for d in declared_rows if not same_licence(d[1], d[2])]
    sc_declared = [(k, sc_rows[k].get("root"), by_key[k]["declared"]) for k in sc_rows
                   if by_key[k]["kind"] != "dpg" and by_key[k].get("declared")]
    sc_declared_agree = sum(1 for d in sc_declared if same_licence(d[1], d[2]))

    # speed on the subset
    sc_keys = [k for k in sc_rows if k in per_tree and per_tree[k].get("ok")]
    sc_total = sum(sc_rows[k]["wall_s"] for k in sc_keys)
    sc_work = sum(max(0.0, sc_rows[k]["wall_s"] - (startup or 0)) for k in sc_keys)
    ours_total = sum(per_tree[k]["screen_s"] for k in sc_keys)
    speedups = [max(0.0, sc_rows[k]["wall_s"] - (startup or 0)) / per_tree[k]["screen_s"] for k in sc_keys
                if per_tree[k]["screen_s"] > 0]

    counts = {k: sum(1 for i in items if i["kind"] == k) for k in ("dpg", "pypi", "npm")}
    summary = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"), "machine": info, "corpus": counts,
        "corpus_files": sum(r.get("files", 0) for r in per_tree.values()),
        "corpus_bytes": sum(r.get("bytes", 0) for r in per_tree.values()),
        "command": "cd " + str(ROOT) + " && " + shlex.join([".venv/bin/python", "bench/screening_bench.py",
                                                              *(argv if argv is not None else sys.argv[1:])]),
        "screen_failures": [(r["key"], r.get("error")) for r in failed],
        "ratio": {"trees": len(ratio_list), "max": max(ratio_list, default=float("nan")), "p95": pct(ratio_list, 0.95),
                  "median": pct(ratio_list, 0.5), "over_target": [(k, round(v, 2)) for k, v in ratios.items()
                                                                  if v > TARGET_RATIO],
                  "worst": [(k, round(v, 2), round(per_tree[k]["screen_s"], 3), round(per_tree[k]["read_s"], 3))
                            for k, v in worst]},
        "ratio_cold": {"max": max(cold_list, default=float("nan")), "p95": pct(cold_list, 0.95),
                       "median": pct(cold_list, 0.5), "trees": len(cold_list),
                       "within_target": sum(1 for v in cold_list if v <= TARGET_RATIO),
                       "worst": [(k, round(v, 2), round(per_tree[k]["screen_cold_s"], 3),
                                  round(per_tree[k]["read_cold_s"], 3)) for k, v in cold_worst],
                       "sum_read_s": sum(r.get("read_cold_s", 0) for r in ok_rows),
                       "sum_screen_s": sum(r.get("screen_cold_s", 0) for r in ok_rows)},
        "slowest": [(r["key"], round(r["screen_s"], 3), round(r["read_s"], 3), r.get("files"), r.get("bytes"))
                    for r in slowest],
        "inprocess": {"sum_screen_s": sum(r["screen_s"] for r in ok_rows),
                      "sum_read_s": sum(r["read_s"] for r in ok_rows), "worker_hwm_mb": round(inproc_hwm_mb, 1)},
        "batches": [{k: v for k, v in b.items() if k != "rows"} for b in batches],
        "throughput_all_per_min": 60.0 * total_trees / total_wall if total_wall else float("nan"),
        "rusage_children_maxrss_mb": round(children_maxrss_mb, 1),
        "scancode": {"subset": len(sc_rows), "reused": sorted(k for k, r in sc_rows.items() if r.get("reused")),
                     "startup_s": startup, "total_s": sc_total, "work_s": sc_work,
                     "ours_s": ours_total, "speedup_total": sc_total / ours_total if ours_total else None,
                     "speedup_without_startup": sc_work / ours_total if ours_total else None,
                     "speedup_per_tree_median": statistics.median(speedups) if speedups else None,
                     "speedup_per_tree_min": min(speedups) if speedups else None,
                     "agree": agree, "agreement": agree / len(sc_rows) if sc_rows else None,
                     "agree_with_scancode_summary": agree_summary,
                     "disagreements": disagreements,
                     "per_tree": [(k, round(sc_rows[k]["wall_s"], 1), round(per_tree[k]["screen_s"], 3))
                                  for k in sc_keys]},
        "declared": {"compared": len(declared_rows), "agree": len(declared_agree),
                     "disagreements": declared_disagree,
                     "scancode_compared": len(sc_declared), "scancode_agree": sc_declared_agree},
    }
    (RESULTS / "per-tree.jsonl").write_text("".join(json.dumps(r) + "\n" for r in per_tree.values()))
    (RESULTS / "scancode.jsonl").write_text("".join(json.dumps(r) + "\n" for r in sc_rows.values()))
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    print_report(summary)
    return 0


def _fmt(x: float | None, spec: str = ".1f") -> str:
    return "n/a" if x is None or math.isnan(x) else format(x, spec)


def print_report(s: dict) -> None:
    sc = s["scancode"]
    m = s["machine"]
    batches = {b["label"]: b for b in s["batches"]}
    dpg = batches.get("dpg")
    peaks = [mb for b in s["batches"] for mb in b["worker_hwm_mb"]]
    peak = max(peaks + [s["inprocess"]["worker_hwm_mb"]], default=None)
    print()
    print(f"Screening benchmark, {s['date']}; {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, "
          f"Python {m['python']}; load average at start {m['loadavg_at_start']}")
    print(f"Engine: {m['engine']}; ScanCode: {m.get('scancode', 'not run')}")
    print(f"Corpus: {s['corpus']['dpg']} DPG checkouts, {s['corpus']['pypi']} PyPI sdists, {s['corpus']['npm']} "
          f"npm tarballs; {s['corpus_files']} files, {s['corpus_bytes'] / 2**30:.2f} GiB tracked")
    if s["screen_failures"]:
        print(f"Screening failures: {len(s['screen_failures'])}")
        for key, err in s["screen_failures"]:
            print(f"  {key}: {err}")
    rows = []

    def add(name: str, value: str, target: str, met: bool | None) -> None:
        rows.append((name, value, target, "n/a" if met is None else ("MET" if met else "NOT MET")))

    if dpg:
        add("Throughput, DPG checkouts (dpghub screen --batch, 2 workers)", f"{dpg['per_min']:.1f} trees/min "
            f"({dpg['trees']} in {dpg['wall_s']:.1f}s)", f">= {TARGET_THROUGHPUT:g}/min",
            dpg["per_min"] >= TARGET_THROUGHPUT)
    if "packages" in batches:
        b = batches["packages"]
        add("Throughput, package trees (same)", f"{b['per_min']:.1f} trees/min ({b['trees']} in "
            f"{b['wall_s']:.1f}s)", "(info)", None)
    add("Throughput, whole corpus", f"{_fmt(s['throughput_all_per_min'])} trees/min", f">= {TARGET_THROUGHPUT:g}/min",
        s["throughput_all_per_min"] >= TARGET_THROUGHPUT)
    r = s["ratio"]
    add("Screen / read-all time per tree, max", _fmt(r["max"], ".2f") + "x", f"<= {TARGET_RATIO:g}x",
        r["max"] <= TARGET_RATIO)
    add("Screen / read-all time per tree, p95", _fmt(r["p95"], ".2f") + "x", f"<= {TARGET_RATIO:g}x",
        r["p95"] <= TARGET_RATIO)
    add("Screen / read-all time per tree, median", f"{_fmt(r['median'], '.2f')}x; {r['trees'] - len(r['over_target'])}"
        f" of {r['trees']} trees within {TARGET_RATIO:g}x", "(info)", None)
    ip = s["inprocess"]
    if ip.get("sum_read_s"):
        add("Whole corpus, read-all vs screen (warm)", f"{ip['sum_read_s']:.2f}s vs {ip['sum_screen_s']:.2f}s = "
            f"{ip['sum_screen_s'] / ip['sum_read_s']:.2f}x", "(info)", None)
    rc = s.get("ratio_cold") or {}
    if rc.get("trees"):
        add("Cold cache: screen / read-all per tree, max", _fmt(rc["max"], ".2f") + "x", f"<= {TARGET_RATIO:g}x",
            rc["max"] <= TARGET_RATIO)
        add("Cold cache: same, p95 / median", f"{_fmt(rc['p95'], '.2f')}x / {_fmt(rc['median'], '.2f')}x; "
            f"{rc['within_target']} of {rc['trees']} trees within {TARGET_RATIO:g}x", f"<= {TARGET_RATIO:g}x",
            rc["p95"] <= TARGET_RATIO)
        add("Cold cache: whole corpus, read-all vs screen", f"{rc['sum_read_s']:.2f}s vs {rc['sum_screen_s']:.2f}s",
            "(info)", None)
    add("Peak RSS per worker (VmHWM)", f"{_fmt(peak)} MB (batch workers {peaks}; in-process "
        f"{s['inprocess']['worker_hwm_mb']})", f"<= {TARGET_RSS_MB:g} MB",
        peak is not None and peak <= TARGET_RSS_MB)
    if sc["subset"]:
        add(f"Speed vs ScanCode, subset of {sc['subset']} (sum of times)",
            f"{_fmt(sc['speedup_without_startup'])}x without ScanCode's {_fmt(sc['startup_s'])}s start-up; "
            f"{_fmt(sc['speedup_total'])}x with it", f">= {TARGET_SPEEDUP:g}x",
            (sc["speedup_without_startup"] or 0) >= TARGET_SPEEDUP)
        if sc["reused"]:
            add("ScanCode rows reused from an earlier run (--scancode-reuse)", f"{len(sc['reused'])}/{sc['subset']}",
                "(info)", None)
        planned = m.get("scancode_subset_planned")
        if planned and planned != sc["subset"]:
            add("ScanCode subset: trees left out for want of a stored row", f"{planned - sc['subset']} of {planned}",
                "(info)", None)
        add("Speed vs ScanCode, per tree (without start-up)", f"median {_fmt(sc['speedup_per_tree_median'])}x, "
            f"min {_fmt(sc['speedup_per_tree_min'])}x", "(info)", None)
        add("Root licence agreement with ScanCode (bench rule)", f"{sc['agree']}/{sc['subset']} = "
            f"{100 * sc['agreement']:.1f}%", f">= {100 * TARGET_AGREEMENT:g}%", sc["agreement"] >= TARGET_AGREEMENT)
        add("Root licence agreement with ScanCode's summary", f"{sc['agree_with_scancode_summary']}/{sc['subset']}",
            "(info)", None)
    d = s["declared"]
    if d["compared"]:
        add("Root licence = declared licence (package trees)", f"{d['agree']}/{d['compared']} = "
            f"{100 * d['agree'] / d['compared']:.1f}%", "(info)", None)
    if d["scancode_compared"]:
        add("ScanCode root = declared licence (package trees in subset)",
            f"{d['scancode_agree']}/{d['scancode_compared']}", "(info)", None)
    w = [max(len(row[i]) for row in rows) for i in range(4)]
    print()
    print(f"| {'figure'.ljust(w[0])} | {'measured'.ljust(w[1])} | {'target'.ljust(w[2])} | {'status'.ljust(w[3])} |")
    print(f"|{'-' * (w[0] + 2)}|{'-' * (w[1] + 2)}|{'-' * (w[2] + 2)}|{'-' * (w[3] + 2)}|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(row)) + " |")
    print()
    if r["over_target"]:
        print(f"Trees over {TARGET_RATIO:g}x the read-all time ({len(r['over_target'])}):")
    print("Worst screen/read-all ratios (tree, ratio, screen s, read-all s):")
    for row in r["worst"]:
        print("  ", *row)
    if rc.get("trees"):
        print("Worst cold-cache ratios (tree, ratio, screen s, read-all s):")
        for row in rc["worst"]:
            print("  ", *row)
    print("Slowest screenings (tree, screen s, read-all s, files, bytes):")
    for row in s["slowest"]:
        print("  ", *row)
    if sc["subset"]:
        print(f"Disagreements with ScanCode ({len(sc['disagreements'])}):")
        for key, ours, theirs, files, summ in sc["disagreements"]:
            print(f"  {key}\n    DPG Hub:  {ours}\n    ScanCode: {theirs}   (summary: {summ}; from {files[:4]})")
        print("ScanCode per tree (tree, ScanCode s, DPG Hub s):")
        for row in sc["per_tree"]:
            print("  ", *row)
    if d["disagreements"]:
        print(f"Disagreements with the declared licence ({len(d['disagreements'])}):")
        for key, ours, declared in d["disagreements"]:
            print(f"  {key}: DPG Hub {ours!s}; declared {declared}")
    print()
    print("Reproduce:")
    print("  python bench/corpus.py prepare     # DPG checkouts from /work/.mirror, pip download, npm pack")
    print("  bench/install-scancode.sh")
    print(f"  {s['command']}")


if __name__ == "__main__":
    sys.exit(main())
