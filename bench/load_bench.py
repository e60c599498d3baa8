"""Load benchmark: requests per second and latency of the public pages, with and without the page cache.

Starts `dpghub serve` (gunicorn and the embedded worker) on a fresh data directory holding the shipped
DPGA records, twice in the same run: once with the anonymous page cache off (DPGHUB_PAGE_CACHE_SECONDS=0,
every request rendered) and once with it on (the default). For each URL, wrk (Debian package `wrk`)
sends requests from 64 connections on loopback for a bounded time, after a warm-up; the figures are
printed side by side. Any non-2xx answer is counted and printed.

    .venv/bin/python bench/load_bench.py [--seconds 20] [--connections 64] [--workers 2]
    DPGHUB_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dpghub_load .venv/bin/python bench/load_bench.py

With DPGHUB_DATABASE_URL set, the benchmark uses that PostgreSQL database (it is emptied and loaded).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
URLS = ["/", "/goods/dhis2/", "/api/v1/goods?q=health"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 (our own server on loopback)
            return
        except OSError:
            if server.poll() is not None:
                sys.exit(f"dpghub serve stopped:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
    sys.exit("dpghub serve did not answer in 300 s")


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    threads = min(2, connections)
    output = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                             "-H", "Accept-Encoding: gzip", url], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)\s*$", output, re.MULTILINE))
    if "50" not in latency:
        sys.exit(f"wrk gave no latency figures for {url}:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(latency["50"]), "p99": _ms(latency["99"]),
        "errors": float(errors.group(1)) if errors else 0.0,
        "timeouts": float(socket_errors.group(4)) if socket_errors else 0.0,
    }


def _run(cache_seconds: int, args: argparse.Namespace, data_dir: Path) -> dict[str, dict[str, float]]:
    port = _free_port()
    env = {**os.environ, "DPGHUB_DATA_DIR": str(data_dir), "DPGHUB_PORT": str(port),
           "DPGHUB_PAGE_CACHE_SECONDS": str(cache_seconds), "PYTHONPATH": str(ROOT / "src")}
    log = data_dir / f"serve-{cache_seconds}.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([PYTHON, "-m", "dpghub", "serve", "--workers", str(args.workers)], env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/api/v1/goods?page_size=1", server, log)
        results = {}
        for path in URLS:
            _wrk(base + path, 3, args.connections)  # warm-up: caches, connections, the facet index
            results[path] = _wrk(base + path, args.seconds, args.connections)
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="dpghub-load-"))
    try:
        data_dir = work / "data"
        env = {**os.environ, "DPGHUB_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "src")}
        if os.environ.get("DPGHUB_DATABASE_URL"):
            subprocess.run([PYTHON, "-m", "dpghub", "load-shipped", "--force"], env=env, check=True,
                           capture_output=True)
        else:
            subprocess.run([PYTHON, "-m", "dpghub", "load-shipped"], env=env, check=True, capture_output=True)
        database = "PostgreSQL" if os.environ.get("DPGHUB_DATABASE_URL") else "SQLite"
        print(f"{database}, {os.cpu_count()} cores, {args.workers} gunicorn workers, {args.connections} connections, "
              f"{args.seconds} s per URL after a 3 s warm-up; Accept-Encoding: gzip")
        off = _run(0, args, data_dir)
        on = _run(300, args, data_dir)
        print(f"{'URL':28} | {'no cache req/s':>14} {'p50 ms':>8} {'p99 ms':>8} | {'cache req/s':>11} "
              f"{'p50 ms':>8} {'p99 ms':>8} | non-2xx")
        for path in URLS:
            a, b = off[path], on[path]
            print(f"{path:28} | {a['rps']:14.0f} {a['p50']:8.1f} {a['p99']:8.1f} | {b['rps']:11.0f} "
                  f"{b['p50']:8.1f} {b['p99']:8.1f} | {int(a['errors'] + b['errors'])}"
                  + (f" ({int(a['timeouts'] + b['timeouts'])} timeouts)" if a["timeouts"] + b["timeouts"] else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
