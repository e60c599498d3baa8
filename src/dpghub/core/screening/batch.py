"""Screening many repositories: one JSON line per repository, resumable, in worker processes.

The input has one directory or git URL per line (blank lines and ``#`` comments are ignored). Each result
is appended to the output file as soon as it is known and flushed, so an interrupted batch loses at most
the repositories being screened at that moment; re-running skips every source already in the file
(``retry_failed`` screens the failed ones again). A repository that fails gets a line with its error.

Line format: ``{"source": ..., "ok": true, "report": {...}}`` or
``{"source": ..., "ok": false, "error": {"code": ..., "message": ..., "where": ...}}``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from dpghub.core import standard
from dpghub.core.screening.engine import screen
from dpghub.core.screening.errors import ScreeningError
from dpghub.core.screening.limits import Limits


@dataclass(slots=True)
class BatchResult:
    total: int = 0
    skipped: int = 0
    ok: int = 0
    failed: int = 0


def read_sources(lines: Iterable[str]) -> list[str]:
    """Sources in order, without blanks, comments or duplicates."""
    sources: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if " #" in line:
            line = line.split(" #", 1)[0].strip()
        if line not in sources:
            sources.append(line)
    return sources


def completed(out_path: str, *, retry_failed: bool = False) -> set[str]:
    """Sources already in the output; a half-written last line (from a kill) is cut off first."""
    if not os.path.exists(out_path):
        return set()
    with open(out_path, "rb+") as handle:
        data = handle.read()
        if data and not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            handle.truncate(cut)
            data = data[:cut]
    done: set[str] = set()
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and isinstance(row.get("source"), str) and (row.get("ok") or not retry_failed):
            done.add(row["source"])
    return done


def screen_one(source: str, category: str, declared: tuple[str, ...], limits: Limits) -> dict[str, Any]:
    """One batch line; never raises for a bad repository (worker processes run this)."""
    try:
        report = screen(source, category=category, declared=declared, limits=limits)
    except ScreeningError as exc:
        return {"source": source, "ok": False, "error": exc.to_dict()}
    except Exception as exc:  # noqa: BLE001 - an engine bug on one repository must not stop the batch
        return {"source": source, "ok": False,
                "error": {"code": "internal.error", "message": f"{type(exc).__name__}: {exc}"[:500], "where": source}}
    return {"source": source, "ok": True, "report": report.to_json()}


def run_batch(sources: list[str], out_path: str, *, category: str = standard.OPEN_SOFTWARE.name, declared: tuple[str, ...] = (),
              limits: Limits | None = None, workers: int | None = None, retry_failed: bool = False,
              on_start: Callable[[int], None] | None = None,
              on_result: Callable[[dict[str, Any]], None] | None = None) -> BatchResult:
    limits = limits or Limits()
    done = completed(out_path, retry_failed=retry_failed)
    todo = [s for s in sources if s not in done]
    result = BatchResult(total=len(sources), skipped=len(sources) - len(todo))
    if on_start:
        on_start(len(todo))
    workers = max(1, workers or os.cpu_count() or 1)
    with open(out_path, "a", encoding="utf-8") as out:
        def record(row: dict[str, Any]) -> None:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            if row["ok"]:
                result.ok += 1
            else:
                result.failed += 1
            if on_result:
                on_result(row)

        if workers == 1 or len(todo) <= 1:
            for source in todo:
                record(screen_one(source, category, tuple(declared), limits))
            return result
        # "spawn": the parent may run a progress-bar thread, and forking a threaded process is unsafe.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context,
                                 max_tasks_per_child=200) as pool:
            futures = {pool.submit(screen_one, s, category, tuple(declared), limits): s for s in todo}
            try:
                for future in as_completed(futures):
                    try:
                        row = future.result()
                    except Exception as exc:  # noqa: BLE001 - a crashed worker is one failed repository
                        row = {"source": futures[future], "ok": False,
                               "error": {"code": "worker.crashed", "message": f"{type(exc).__name__}: {exc}"[:500],
                                         "where": futures[future]}}
                    record(row)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    return result
