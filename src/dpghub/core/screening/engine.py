"""``screen()``: one repository in, one :class:`Report` out.

The order is fixed: resolve the source (refusing what we will not touch), open a capped tree (cloning
bare, never checking out), run the single scan pass (each file read at most once), run the checks as
pure functions of the tree and the scan hits, compute the health signals, and build the report. A
check that raises is reported as "needs a human" with its error; it never sinks the whole report.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import quote, urlsplit

import dpghub
from dpghub.core import licensing
from dpghub.core.screening import gitread, health, origin
from dpghub.core.screening import tree as treemod
from dpghub.core.screening.checks import (
    data_extraction,
    dependencies,
    documentation,
    harm,
    licenses,
    ownership,
    privacy,
    sdgs,
    standards,
)
from dpghub.core.screening.checks.base import CATEGORIES, Context, normalize_category
from dpghub.core.screening.checks.manifests import is_manifest
from dpghub.core.screening.errors import InvalidSource, ScreeningError
from dpghub.core.screening.fetch import Clone, Source, resolve_source
from dpghub.core.screening.limits import Limits
from dpghub.core.screening.report import INDICATORS, Finding, Licenses, LimitNote, Report, Skipped, Status
from dpghub.core.screening.scan import Scanner, window_for
from dpghub.core.standard import OPEN_SOFTWARE

PATTERNS = ownership.PATTERNS + data_extraction.PATTERNS + privacy.PATTERNS + standards.PATTERNS + harm.PATTERNS
# (check, indicators it answers) in the order they run; licences first, dependencies read its result.
CHECKS: list[tuple[Callable[[Context], list[Finding]], tuple[str, ...]]] = [
    (licenses.check, ("2",)), (sdgs.check, ("1",)), (ownership.check, ("3",)), (dependencies.check, ("4",)),
    (documentation.check, ("5",)), (data_extraction.check, ("6",)), (privacy.check, ("7",)),
    (standards.check, ("8",)), (harm.check, ("9a", "9b", "9c")),
]
KEEP_NAME = re.compile(r"^(?:README|LICEN[CS]E|COPYING|NOTICE|COPYRIGHT|SECURITY|CODE[_-]OF[_-]CONDUCT|CONDUCT|"
                       r"PRIVACY|TERMS|publiccode|Dockerfile|Containerfile)", re.IGNORECASE)


def _keep(entry: treemod.FileEntry) -> bool:
    if "/" not in entry.path or entry.path.startswith(".github/"):
        return True
    name = entry.path.rpartition("/")[2]
    return _kept_name(name) or (name == "manifest.json" and is_manifest(entry.path))  # Unity's Packages/


@lru_cache(maxsize=8192)
def _kept_name(name: str) -> bool:
    return bool(KEEP_NAME.match(name)) or is_manifest(name)


def url_maker(source: Source, commit: str | None) -> Callable[[str, int | None], str | None]:
    """Links to evidence on GitHub or GitLab at the screened commit (None elsewhere)."""
    if source.kind != "url" or not commit:
        return lambda path, line: None
    parts = urlsplit(source.display)
    host = (parts.hostname or "").lower()
    repo = parts.path.strip("/").removesuffix(".git")
    if host == "github.com" and repo.count("/") == 1:
        base = f"https://github.com/{repo}/blob/{commit}/"
    elif host == "gitlab.com" and "/" in repo:
        base = f"https://gitlab.com/{repo}/-/blob/{commit}/"
    else:
        return lambda path, line: None
    return lambda path, line: base + quote(path.rstrip("/")) + (f"#L{line}" if line else "")


@contextmanager
def _history_beside(git_dir: str, limits: Limits, where: str, work_tree: str | None = None
                    ) -> Iterator[Callable[[], gitread.History]]:
    """Read the history (``git log``) in a thread while the caller lists the tree (``git ls-files`` or
    ``ls-tree``): the two git processes overlap instead of running one after the other."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dpghub-history") as pool:
        future = pool.submit(gitread.history, git_dir, limits, where, work_tree)
        yield future.result


@contextmanager
def open_tree(source: Source, limits: Limits) -> Iterator[tuple[treemod.Tree, gitread.History | None]]:
    if source.kind == "url":
        with (
            Clone(source.location, source.display, limits) as clone,
            _history_beside(clone.git_dir, limits, source.display) as history,
            treemod.objects_tree(clone.git_dir, limits, _keep, source.display) as tree,
        ):
            yield tree, history()
    elif source.kind == "bare":
        with (
            _history_beside(source.location, limits, source.display) as history,
            treemod.objects_tree(source.location, limits, _keep, source.display) as tree,
        ):
            yield tree, history()
    elif source.kind == "worktree":
        git_dir = os.path.join(source.location, ".git")
        with _history_beside(git_dir, limits, source.display, source.location) as history:
            tree = treemod.worktree_tree(source.location, limits, _keep)
            yield tree, history()
    else:
        yield treemod.plain_tree(source.location, limits, _keep), None


def scan_pass(tree: treemod.Tree, scanner: Scanner, read_whole: Callable[[str], bool] = lambda path: False) -> None:
    """Read every non-vendored text file once and feed it to the visitors and, if it is the project's own
    (``origin.py``), to every pattern.

    A file is read only as far as the patterns look (``window_for``), except the files ``read_whole``
    names (licence texts) and those the checks read again, which are read up to ``max_read_bytes``;
    those two kinds are decoded and kept, every other file is searched as bytes and decoded only when
    a needle occurs in it (``Scanner.scan_data``).
    """
    for entry in tree.entries:
        if entry.vendored or entry.kind == "skip":
            continue
        window = window_for(entry)
        whole = read_whole(entry.path)
        if whole or tree.keeps(entry):
            text = tree.text(entry, None if whole else window)
            if text is not None:
                scanner.scan(entry, text, window)
        else:
            data = tree.data(entry, window)
            if data is not None:
                scanner.scan_data(entry, data, window)


def run_checks(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for check, indicators in CHECKS:
        try:
            findings.extend(check(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken check must not sink the report
            name = check.__module__.rsplit(".", 1)[-1]
            findings.extend(Finding(i, Status.NEEDS_HUMAN, f"{name}.check_error",
                                    "The automated check of this indicator stopped on an unexpected error; "
                                    "review it by hand.", [], {"error": f"{type(exc).__name__}: {str(exc)[:200]}"})
                            for i in indicators)
    order = {ind: n for n, ind in enumerate(INDICATORS)}
    return sorted(findings, key=lambda f: order[f.indicator])


def screen(source: str, *, category: str = OPEN_SOFTWARE.name, declared: tuple[str, ...] | list[str] = (),
           limits: Limits | None = None, now: float | None = None) -> Report:
    """Screen a local directory or a git URL against the DPG Standard; raise ScreeningError on failure."""
    started = time.monotonic()
    screened_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    limits = limits or Limits()
    chosen = normalize_category(category)
    if chosen is None:
        raise InvalidSource(f"unknown category {category!r}: use one of {', '.join(CATEGORIES)}", where=category)
    spec = resolve_source(source)
    licensing.preload()  # cached: the first screening of a process indexes the reference licence texts
    try:
        with open_tree(spec, limits) as (tree, hist):
            commit = hist.commit if hist else None
            ctx = Context(tree=tree, scan=Scanner(list(PATTERNS), visitor_needles=licenses.VISITOR_NEEDLES),
                          category=chosen, declared=tuple(declared),
                          url_for=url_maker(spec, commit))
            ctx.scan.visitors.append(licenses.visitor(ctx))
            origin.mark_components(tree, ownership.holders_in)
            scan_pass(tree, ctx.scan, licensing.is_license_path)
            tree.mark_files(ctx.scan.generated, origin.GENERATED)
            findings = run_checks(ctx)
            signals = health.file_signals(ctx) + health.history_signals(hist, now)
            notes = [LimitNote(h.limit, h.detail, h.where) for h in tree.limits_hit]
            if tree.stats.large_files_skipped:
                notes.append(LimitNote("max_file_size", f"{tree.stats.large_files_skipped} files larger than "
                                       f"{limits.max_file_size} bytes were not read"))
            if tree.stats.symlinks_skipped:
                notes.append(LimitNote("symlinks", f"{tree.stats.symlinks_skipped} symlinks were not followed"))
            return Report(
                tool_version=dpghub.__version__, source=spec.display, source_kind=spec.kind, commit=commit,
                screened_at=screened_at, duration_ms=int((time.monotonic() - started) * 1000), category=chosen,
                files_seen=tree.stats.files_seen, bytes_read=tree.stats.bytes_read, findings=findings,
                licenses=ctx.licenses or Licenses(), health=signals,
                limits_hit=notes, limits=limits.to_dict(),
                skipped=[Skipped(g.path, g.reason, g.files) for g in origin.skipped_groups(tree)],
            )
    except ScreeningError:
        raise
    except OSError as exc:
        raise ScreeningError(f"could not read {spec.display}: {exc.strerror or exc}", code="source.unreadable",
                             where=spec.display) from exc
