"""Import DPGA data (both shapes) into the catalogue: :func:`goods_import`.

Parsing and repairs are Django-free (:mod:`dpghub.core.formats.dpga`); this module decides what
changes in the database and writes only that, in bulk, in one transaction. Policy (failure,
matching, newest source wins, personal data): docs/adr/0002-import-policy.md.
"""

from __future__ import annotations

import gc
import itertools
import json
import logging
import pickle
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dpghub.catalog.enums import AssessmentSource, CatalogAction
from dpghub.catalog.errors import CatalogError
from dpghub.catalog.models import (
    Assessment,
    Contact,
    ExternalId,
    Good,
    GoodCountry,
    GoodFieldOwner,
    GoodLicense,
    GoodOrganisation,
    GoodSDG,
    ImportRun,
    IndicatorResult,
    Organisation,
    Provenance,
    Repository,
)
from dpghub.catalog.services.indexing import goods_reindex
from dpghub.catalog.services.standard import standard_versions_sync
from dpghub.common.bulk import ids_allocate, rows_insert
from dpghub.common.errors import InvalidInput
from dpghub.common.history import Actor, history_record
from dpghub.core import standard
from dpghub.core.formats.dpga import (
    GoodKeys,
    Group,
    MalformedFile,
    SourceRecord,
    files_find,
    name_normalise,
    records_group,
    reviews_match,
)
from dpghub.core.formats.dpga.matching import url_normalise, website_normalise
from dpghub.core.formats.dpga.records import (
    EXCLUDED_REASON,
    SCHEME_ORDER,
    SHAPE_NOMINEE,
    SHAPE_REGISTRY,
    SHAPE_REVIEW,
    SHAPE_SCREENING,
    STAGE_EXCLUDED,
)
from dpghub.core.formats.dpga.stream import file_records

logger = logging.getLogger(__name__)

#: Namespace of Good.uid: uuid5(GOOD_UID_NAMESPACE, "<scheme>:<value>") of the good's first external id.
GOOD_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://dpghub.org/ns/goods")

#: How new each shape's data is (newest source wins); a stored good keeps data from a newer shape.
_SHAPE_RANK = {SHAPE_REGISTRY: 3, SHAPE_NOMINEE: 2, SHAPE_SCREENING: 2, SHAPE_REVIEW: 0}

SHIPPED_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "dpga"

_GOOD_FIELDS = ("name", "aliases", "description", "categories", "website", "sectors", "stage",
                "excluded_on", "excluded_reason")
_INDICATORS = standard.INDICATOR_CODES


class ImportFailed(CatalogError, InvalidInput):
    """Some input files are malformed and ``skip_invalid`` was not given: nothing was stored."""

    code = "import_failed"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        lines = [f"{error['path']}: {error['reason']}" for error in errors]
        super().__init__(_("%(count)d malformed file(s); nothing was imported:\n%(lines)s")
                         % {"count": len(errors), "lines": "\n".join(lines)})


@dataclass
class ImportResult:
    run_id: int | None
    files: int = 0
    records: int = 0
    goods_created: int = 0
    goods_updated: int = 0
    goods_unchanged: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    #: the first REPORT_LIMIT entries of the report (all of them in ``report_file`` when one is asked for)
    report: list[dict] = field(default_factory=list)
    #: how many entries the whole report has
    report_entries: int = 0
    touched_good_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    counts: dict[str, Counter] = field(
        default_factory=lambda: {"repairs": Counter(), "unmapped": Counter(), "matching": Counter()})

    def __str__(self) -> str:
        return (f"{self.files} files, {self.records} records: {self.goods_created} goods created, "
                f"{self.goods_updated} updated, {self.goods_unchanged} unchanged; "
                f"{len(self.skipped)} file(s) skipped; stages {self.stages}; {self.seconds:.2f} s")

    @property
    def stats(self) -> dict[str, Any]:
        return {
            "files": self.files, "records": self.records, "goods_created": self.goods_created,
            "goods_updated": self.goods_updated, "goods_unchanged": self.goods_unchanged,
            "stages": self.stages, "skipped_files": len(self.skipped),
            "repairs": dict(sorted(self.counts["repairs"].items())),
            "unmapped": dict(sorted(self.counts["unmapped"].items())),
            "matching": dict(sorted(self.counts["matching"].items())),
            "report_entries": self.report_entries, "seconds": round(self.seconds, 3),
        }


ProgressCallback = Callable[[str, int, int], None]

#: Groups of records (goods) written per batch: memory is bounded by a batch, not by the input.
BATCH_SIZE = 1000
#: Report entries kept in memory and in ImportRun.report; the whole report goes to ``report_file``.
REPORT_LIMIT = 5000
#: Ids per query when reading stored rows back (well under SQLite's limit on query parameters).
_CHUNK = 5000


class _Report:
    """A section of the report: every entry counted into ``counts``, the first ``limit`` kept, and
    all of them spooled to a temporary file (JSON lines) when the full report is asked for."""

    def __init__(self, counts: dict[str, Counter], spool: bool) -> None:
        self.counts = counts
        self.kept: list[dict] = []
        self.total = 0
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8") if spool else None

    def add(self, entry: dict) -> None:
        self.total += 1
        for item in entry.get("repairs", ()):
            self.counts["repairs"][item["kind"]] += item.get("count", 1)
        for item in entry.get("unmapped", ()):
            self.counts["unmapped"][f"{item['field']}: {item['value']}" if item["value"] else item["field"]] += 1
        if "kind" in entry:
            self.counts["matching"][entry["kind"]] += 1
        if len(self.kept) < REPORT_LIMIT:
            self.kept.append(entry)
        if self.spool is not None:
            self.spool.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def extend(self, entries: Iterable[dict]) -> None:
        for entry in entries:
            self.add(entry)

    def mark(self) -> tuple:
        """A point to come back to (the entries of a file that turns out malformed are dropped)."""
        return (self.total, len(self.kept), self.spool.tell() if self.spool else 0,
                {name: counter.copy() for name, counter in self.counts.items()})

    def rollback(self, mark: tuple) -> None:
        self.total, kept, position, counts = mark
        del self.kept[kept:]
        for name, counter in counts.items():
            self.counts[name].clear()
            self.counts[name].update(counter)
        if self.spool is not None:
            self.spool.seek(position)
            self.spool.truncate()

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()

    def entries(self) -> Iterator[dict]:
        """Every entry, from the spool (the kept ones when there is no spool)."""
        if self.spool is None:
            yield from self.kept
            return
        self.spool.flush()
        self.spool.seek(0)
        for line in self.spool:
            yield json.loads(line)
        self.spool.seek(0, 2)


class _Light:
    """What matching needs of a record (see :func:`records_group`), and where the whole record is
    kept until its batch is written: a few hundred bytes instead of the record's texts."""

    __slots__ = (
        "aliases",
        "data_date",
        "external_ids",
        "join_key",
        "name",
        "rank",
        "repositories",
        "shape",
        "source_key",
        "spool_at",
        "spool_size",
        "website",
    )

    def __init__(self, record: SourceRecord, spool_at: int, spool_size: int) -> None:
        self.shape, self.source_key, self.join_key = record.shape, record.source_key, record.join_key
        self.data_date, self.rank, self.name = record.data_date, record.rank, record.name
        self.external_ids, self.aliases = tuple(record.external_ids), tuple(record.aliases)
        self.website, self.repositories = record.website, tuple(record.repositories)
        self.spool_at, self.spool_size = spool_at, spool_size

    @property
    def sort_key(self) -> tuple:
        return (self.data_date, self.rank, self.source_key)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while: parsing and unpickling records (trees, without
    cycles) allocates many containers, and the collections they trigger scan the heap for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Plan:
    """The outcome of the reading pass: the files, their records (light), errors, and the spool
    that holds every whole record (pickled) until the writing pass needs it."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.records: list[_Light] = []
        self.errors: list[dict[str, str]] = []
        self.spool = tempfile.TemporaryFile()

    def load(self, lights: Iterable[_Light]) -> dict[str, SourceRecord]:
        """The whole records of ``lights``, read back from the spool (in spool order: sequential reads)."""
        out = {}
        with _gc_paused():
            for light in sorted(lights, key=lambda item: item.spool_at):
                self.spool.seek(light.spool_at)
                # the spool is an unnamed temporary file this process wrote: no untrusted data is unpickled
                out[light.source_key] = pickle.loads(self.spool.read(light.spool_size))  # noqa: S301
        return out

    def close(self) -> None:
        self.spool.close()


# --- reading ----------------------------------------------------------------------------------

def _read(paths: Iterable[str | Path], progress: ProgressCallback | None, report: _Report) -> _Plan:
    """The reading pass: every file streamed record by record and checked (nothing is written).

    Each record is parsed once; its report entry goes to ``report``, the whole record to the
    plan's spool, and only its matching keys stay in memory. A malformed file leaves nothing behind.
    """
    plan = _Plan()
    files: list[Path] = []
    for raw in paths:
        try:
            files += files_find([raw])
        except MalformedFile as exc:
            plan.errors.append({"path": exc.path, "reason": exc.reason})
    plan.files = files = sorted(dict.fromkeys(files))
    seen_keys: dict[str, str] = {}
    with _gc_paused():  # what is garbage here is freed by reference counting
        for position, path in enumerate(files, start=1):
            here: list[_Light] = []
            mark, spool_at = report.mark(), plan.spool.tell()
            clash = None
            try:
                for record in file_records(path):
                    if record.source_key in seen_keys:
                        clash = clash or record.source_key
                        continue
                    entry = _record_report(record)
                    if entry:
                        report.add(entry)
                    data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
                    here.append(_Light(record, plan.spool.tell(), len(data)))
                    plan.spool.write(data)
                if clash:
                    raise MalformedFile(str(path), f"holds {clash}, already read from {seen_keys[clash]}")
            except MalformedFile as exc:
                plan.errors.append({"path": exc.path, "reason": exc.reason})
                report.rollback(mark)
                plan.spool.seek(spool_at)
                plan.spool.truncate()
            else:
                name = str(path)
                for light in here:
                    seen_keys[light.source_key] = name
                plan.records += here
            if progress:
                progress("read", position, len(files))
    return plan


def _record_report(record: SourceRecord) -> dict | None:
    if not record.log.repairs and not record.log.unmapped:
        return None
    counted: Counter[tuple[str, str, str]] = Counter((r.kind, r.field, r.detail) for r in record.log.repairs)
    return {
        "source": record.source_key,
        "file": record.source_file,
        "repairs": [{"kind": k, "field": f, "detail": d, "count": n} for (k, f, d), n in counted.items()],
        "unmapped": [u.as_dict() for u in record.log.unmapped],
    }


# --- the state a good should have -------------------------------------------------------------

def _newest(records: list[SourceRecord], attribute: str):
    """The value of the newest record that has one (records are sorted oldest first)."""
    for record in reversed(records):
        value = getattr(record, attribute)
        if value:
            return value
    return type(getattr(records[-1], attribute))()


def _desired(group: Group) -> dict[str, Any]:
    records = [r for r in group.records if r.shape != SHAPE_REVIEW]
    named = [r for r in records if r.shape != SHAPE_SCREENING] or records
    name = named[-1].name
    aliases: list[str] = []
    for record in reversed(records):
        for alias in record.aliases:
            if alias.casefold() != name.casefold() and alias.casefold() not in {a.casefold() for a in aliases}:
                aliases.append(alias)
    staged = [r for r in records if r.stage]
    stage = staged[-1].stage if staged else "nominee"
    return {
        "good": {
            "name": name,
            "aliases": aliases,
            "description": _newest(records, "description"),
            "categories": list(_newest(records, "categories")),
            "website": _newest(records, "website"),
            "sectors": list(_newest(records, "sectors")),
            "stage": stage,
            "excluded_on": None,
            "excluded_reason": EXCLUDED_REASON if stage == STAGE_EXCLUDED else "",
        },
        "repositories": _newest(records, "repositories"),
        "licences": _newest(records, "licences"),
        "sdgs": _newest(records, "sdgs"),
        "countries": _newest(records, "countries"),
        "organisations": _newest(records, "organisations"),
        "contacts": _newest(records, "contacts"),
    }


def _merge_notes(group: Group) -> list[dict]:
    """Report where sources of one good disagree on stage or name, and which one won."""
    records = [r for r in group.records if r.shape in (SHAPE_NOMINEE, SHAPE_REGISTRY)]
    notes = []
    for attribute in ("stage", "name"):
        values = [(getattr(r, attribute), r.source_file) for r in records if getattr(r, attribute)]
        if len({value for value, _source in values}) > 1:
            chain = " -> ".join(f"{value} ({source})" for value, source in values)
            notes.append({"kind": "merged-field", "source": group.key,
                          "detail": f"{attribute}: {chain}; the newest source wins"})
    return notes


def _uid(group: Group) -> uuid.UUID:
    ids = {scheme: value for record in group.records for scheme, value in record.external_ids}
    for scheme in SCHEME_ORDER:
        if scheme in ids:
            return uuid.uuid5(GOOD_UID_NAMESPACE, f"{scheme}:{ids[scheme]}")
    return uuid.uuid5(GOOD_UID_NAMESPACE, f"group:{group.key}")


def _slug(name: str, taken: set[str]) -> str:
    base = (slugify(name)[:100].strip("-") or "good")
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


# --- the importer -----------------------------------------------------------------------------

def goods_import(
    *, paths: Iterable[str | Path], actor: Actor | None = None, skip_invalid: bool = False,
    progress: ProgressCallback | None = None, report_file: str | Path | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import DPGA files (files or folders, recursively) in one transaction.

    Malformed files make the whole run fail with :class:`ImportFailed` before anything is stored,
    unless ``skip_invalid`` is true: then they are reported and the rest is imported.
    Re-running on the same data changes nothing but adds an ImportRun and an activity row.

    Two passes, both streaming: the reading pass checks every file and keeps only each record's
    matching keys (the whole records wait in a temporary spool file); the writing pass groups the
    records into goods, then writes ``batch_size`` goods at a time. The result and ImportRun keep
    the first REPORT_LIMIT report entries; ``report_file`` receives the whole report as JSON
    (``{"stats": ..., "report": [...]}``).
    """
    started = time.perf_counter()
    paths = [str(p) for p in paths]
    result = ImportResult(run_id=None)
    record_report = _Report(result.counts, spool=report_file is not None)
    writer_report = _Report(result.counts, spool=report_file is not None)
    plan = _read(paths, progress, record_report)
    try:
        if plan.errors and not skip_invalid:
            raise ImportFailed(plan.errors)
        result.files, result.records = len(plan.files), len(plan.records)
        result.skipped = plan.errors
        skipped = [{"kind": "skipped-file", "source": e["path"], "detail": e["reason"]} for e in plan.errors]
        with transaction.atomic():
            run = ImportRun.objects.create(paths=paths)
            result.run_id = run.id
            writer = _Writer(run, result, progress, writer_report)
            for entry in skipped:
                result.counts["matching"][entry["kind"]] += 1
            # what the reading pass left (the light records, the stored goods' keys) lives until the
            # end: frozen, the collector's full passes during the writing pass no longer scan it
            gc.freeze()
            try:
                writer.write(plan, batch_size)
            finally:
                gc.unfreeze()
            result.report_entries = len(skipped) + writer.report.total + record_report.total
            result.report = (skipped + writer.report.kept + record_report.kept)[:REPORT_LIMIT]
            result.touched_good_ids = sorted(writer.touched)
            stages = Good.objects.values_list("stage").annotate(count=Count("id")).order_by("stage")
            result.stages = {stage: count for stage, count in stages}
            result.seconds = time.perf_counter() - started
            run.finished_at = timezone.now()
            run.stats = result.stats
            run.report = result.report
            run.save(update_fields=["finished_at", "stats", "report"])
            history_record(
                actor=actor or Actor.system_job("importer"), action=CatalogAction.IMPORT_RUN, target=run,
                data={key: result.stats[key] for key in ("files", "records", "goods_created", "goods_updated",
                                                         "goods_unchanged", "skipped_files")},
            )
        if report_file is not None:
            _report_write(Path(report_file), result.stats, skipped, writer_report, record_report)
    finally:
        plan.close()
        record_report.close()
        writer_report.close()
    logger.info("import run %s: %s", run.id, result)
    return result


def _report_write(path: Path, stats: dict, skipped: list[dict], *sections: _Report) -> None:
    """The whole report as one JSON document, written entry by entry."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"stats": ' + json.dumps(stats, ensure_ascii=False) + ',\n "report": [')
        first = True
        for entry in itertools.chain(skipped, *(section.entries() for section in sections)):
            out.write(("\n  " if first else ",\n  ") + json.dumps(entry, ensure_ascii=False))
            first = False
        out.write("\n ]\n}\n")


def _plain_value(value: object) -> object:
    """A report-safe (JSON) copy of a field value."""
    return value.isoformat() if isinstance(value, date) else value


class _Writer:
    """Computes the difference between the records and the stored rows, then writes it in bulk,
    one batch of goods at a time."""

    def __init__(self, run: ImportRun, result: ImportResult, progress: ProgressCallback | None,
                 report: _Report) -> None:
        self.run, self.result, self.progress = run, result, progress
        self.now = timezone.now()
        self.report = report
        self.touched: set[int] = set()
        self.versions = standard_versions_sync()
        self.taken_slugs: set[str] = set()
        self.group_good_ids: set[int] = set()
        # goods, provenance rows and assessments this run created: nothing of theirs is stored to read back
        self.created_ids: set[int] = set()
        self.created_provenance: set[int] = set()
        self.created_assessments: set[int] = set()

    # -- stored goods as matching keys (values only: no model instances for the whole catalogue)
    def _stored_keys(self) -> list[GoodKeys]:
        keys = {gid: GoodKeys(ref=gid, names={name_normalise(name)} - {""},
                              aliases={name_normalise(a) for a in aliases or () if isinstance(a, str)} - {""},
                              websites={website_normalise(website)} - {""})
                for gid, name, aliases, website in Good.objects.values_list("id", "name", "aliases", "website")}
        for gid, scheme, value in ExternalId.objects.values_list("good_id", "scheme", "value"):
            keys[gid].external_ids.add((scheme, value))
        for gid, url in Repository.objects.values_list("good_id", "url"):
            keys[gid].repositories.add(url_normalise(url))
        return list(keys.values())

    def write(self, plan: _Plan, batch_size: int) -> None:
        light_groups, report = records_group(plan.records, self._stored_keys())
        self.report.extend(report)
        reviews = [light for light in plan.records if light.shape == SHAPE_REVIEW]
        plan.records = []  # the groups hold the records from now on
        self.taken_slugs = set(Good.objects.values_list("slug", flat=True))
        batches = max(1, -(-len(light_groups) // batch_size)) + (1 if reviews else 0)
        done = 0
        while light_groups:
            batch, light_groups = light_groups[:batch_size], light_groups[batch_size:]
            whole = plan.load(light for group in batch for light in group.records)
            groups = [Group(key=g.key, records=[whole[light.source_key] for light in g.records],
                            good_ref=g.good_ref, notes=g.notes) for g in batch]
            del batch, whole
            self._write_batch(groups)
            done += 1
            if self.progress:
                self.progress("write", done, batches)
        if reviews:
            self._write_reviews(plan, reviews, batch_size)
            if self.progress:
                self.progress("write", batches, batches)
        if self.touched:  # one rebuild of the search index for every good this run changed
            goods_reindex(good_ids=sorted(self.touched))
        self.result.goods_updated = len((self.touched & self.group_good_ids) - self.created_ids)
        self.result.goods_unchanged = len(self.group_good_ids - self.touched)

    def _touch(self, *good_ids: int) -> None:
        self.touched.update(good_ids)

    def _write_batch(self, groups: list[Group]) -> None:
        refs = [g.good_ref for g in groups if g.good_ref is not None]
        goods = Good.objects.in_bulk(refs)
        stored_ranks: dict[int, int] = defaultdict(int)
        for gid, shape in Provenance.objects.filter(good_id__in=refs).values_list("good_id", "shape"):
            stored_ranks[gid] = max(stored_ranks[gid], _SHAPE_RANK.get(shape, 0))

        # goods; fields DPG Hub decided (GoodFieldOwner) are never changed by an import
        hub_owned: dict[int, dict[str, str]] = defaultdict(dict)
        for gid, name, owner in GoodFieldOwner.objects.filter(good_id__in=refs).values_list("good_id", "field", "owner"):
            hub_owned[gid][name] = owner
        new_goods: list[tuple[Group, dict[str, Any]]] = []
        changed: list[Good] = []
        states: dict[str, dict] = {}
        frozen: set[str] = set()  # groups whose stored good holds newer data than this run
        for group in groups:
            state = _desired(group)
            states[group.key] = state
            self.report.extend(_merge_notes(group))
            if group.good_ref is None:
                new_goods.append((group, {"uid": _uid(group), "slug": _slug(state["good"]["name"], self.taken_slugs),
                                          **state["good"], "created_at": self.now, "updated_at": self.now}))
                continue
            good = goods[group.good_ref]
            newest_here = max(_SHAPE_RANK.get(r.shape, 0) for r in group.records)
            if stored_ranks.get(good.id, 0) > newest_here:
                frozen.add(group.key)
                self.report.add({"kind": "kept-newer", "source": group.key,
                                 "detail": "the stored good has data from a newer source; its fields are kept"})
                continue
            diff = [name for name in _GOOD_FIELDS if getattr(good, name) != state["good"][name]]
            owned = hub_owned.get(good.id, {})
            for name in [name for name in diff if name in owned]:
                # DPG Hub decided this field (review or edit): the source does not change it; say so.
                self.report.add({
                    "kind": "source-disagrees", "source": group.key, "good": good.slug, "field": name,
                    "owner": owned[name], "kept": _plain_value(getattr(good, name)),
                    "source_value": _plain_value(state["good"][name]),
                    "detail": f"{name}: the source says {state['good'][name]!r}; DPG Hub's value is kept",
                })
            diff = [name for name in diff if name not in owned]
            if diff:
                for name in diff:
                    setattr(good, name, state["good"][name])
                good.updated_at = self.now
                changed.append(good)
        for (group, _values), gid in zip(new_goods, ids_allocate(Good, len(new_goods)), strict=True):
            group.good_ref = gid
            self._touch(gid)
            self.created_ids.add(gid)
        if new_goods:
            columns = ("id", *new_goods[0][1])
            rows_insert(Good, columns, ((group.good_ref, *values.values()) for group, values in new_goods))
        if changed:
            Good.objects.bulk_update(changed, [*_GOOD_FIELDS, "updated_at"], batch_size=500)
            self._touch(*(good.id for good in changed))
        self.result.goods_created += len(new_goods)

        live = [g for g in groups if g.key not in frozen]
        self._sync_children(live, states)
        self._sync_external_ids(groups)
        provenance = self._sync_provenance(groups)
        self._sync_assessments(groups, provenance, [])
        self.group_good_ids.update(g.good_ref for g in groups)

    def _write_reviews(self, plan: _Plan, reviews: list[_Light], batch_size: int) -> None:
        """Crowd reviews last: they are matched by name to every good, those of this run included."""
        keys = self._stored_keys()
        for start in range(0, len(reviews), batch_size):
            whole = plan.load(reviews[start:start + batch_size])
            refs, report = reviews_match([whole[light.source_key] for light in reviews[start:start + batch_size]],
                                         keys)
            self.report.extend(report)
            matched = [(whole[light.source_key], refs[light.source_key])
                       for light in reviews[start:start + batch_size] if light.source_key in refs]
            review_groups = [Group(key=r.source_key, records=[r], good_ref=gid) for r, gid in matched]
            self._sync_assessments([], self._sync_provenance(review_groups), matched)

    # -- child tables: rows keyed by their natural key; write only the difference
    def _diff(self, model, good_ids: set[int], key_fields: tuple[str, ...], value_fields: tuple[str, ...],
              desired: dict[tuple, dict]) -> None:
        existing: dict[tuple, tuple[int, tuple]] = {}  # key -> (pk, values)
        width = len(key_fields)
        stored_goods = good_ids - self.created_ids  # goods created by this run have no rows yet
        if stored_goods:
            for pk, *row in model.objects.filter(good_id__in=stored_goods).values_list(
                    "pk", *key_fields, *value_fields):
                existing[tuple(row[:width])] = (pk, tuple(row[width:]))
        to_create, to_update = [], []
        for key, values in desired.items():
            wanted = tuple(values[name] for name in value_fields)
            stored = existing.get(key)
            if stored is None:
                to_create.append((*key, *wanted))
                self._touch(key[0])
            elif stored[1] != wanted:
                to_update.append(model(pk=stored[0], **dict(zip(value_fields, wanted, strict=True))))
                self._touch(key[0])
        to_delete = [pk for key, (pk, _values) in existing.items() if key not in desired]
        for key in existing.keys() - desired.keys():
            self._touch(key[0])
        if to_delete:
            model.objects.filter(pk__in=to_delete).delete()
        rows_insert(model, (*key_fields, *value_fields), to_create)
        if to_update and value_fields:
            model.objects.bulk_update(to_update, list(value_fields), batch_size=500)

    def _sync_children(self, groups: list[Group], states: dict[str, dict]) -> None:
        ids = {g.good_ref for g in groups}
        repos, licences, sdgs, countries, links, contacts = {}, {}, {}, {}, {}, {}
        org_names: dict[str, tuple[str, str]] = {}
        for group in groups:
            gid, state = group.good_ref, states[group.key]
            for repo in state["repositories"]:
                repos[(gid, repo.url)] = {"name": repo.name}
            for lic in state["licences"]:
                licences[(gid, lic.expression)] = {"source_text": lic.source_text, "evidence_url": lic.evidence_url}
            for sdg in state["sdgs"]:
                sdgs[(gid, sdg.sdg)] = {"relevance": sdg.relevance, "evidence_urls": list(sdg.evidence_urls)}
            for code, role in state["countries"]:
                countries[(gid, code, role)] = {}
            for org in state["organisations"]:
                org_names.setdefault(_org_key(org.name), (org.name, org.website))
            for contact in state["contacts"]:
                if contact.organisation_name:
                    org_names.setdefault(_org_key(contact.organisation_name), (contact.organisation_name, ""))
        organisations = {o.normalized_name: o for o in Organisation.objects.filter(normalized_name__in=org_names)}
        missing = [Organisation(normalized_name=key, name=name, website=website)
                   for key, (name, website) in sorted(org_names.items()) if key not in organisations]
        Organisation.objects.bulk_create(missing, batch_size=500)
        organisations.update({o.normalized_name: o for o in missing})
        for group in groups:
            gid, state = group.good_ref, states[group.key]
            for org in state["organisations"]:
                links[(gid, organisations[_org_key(org.name)].id, org.role)] = {}
            for contact in state["contacts"]:
                org = organisations.get(_org_key(contact.organisation_name)) if contact.organisation_name else None
                contacts[(gid, contact.name, contact.email)] = {"organisation_id": org.id if org else None}
        self._diff(Repository, ids, ("good_id", "url"), ("name",), repos)
        self._diff(GoodLicense, ids, ("good_id", "expression"), ("source_text", "evidence_url"), licences)
        self._diff(GoodSDG, ids, ("good_id", "sdg"), ("relevance", "evidence_urls"), sdgs)
        self._diff(GoodCountry, ids, ("good_id", "country", "role"), (), countries)
        self._diff(GoodOrganisation, ids, ("good_id", "organisation_id", "role"), (), links)
        self._diff(Contact, ids, ("good_id", "name", "email"), ("organisation_id",), contacts)

    def _sync_external_ids(self, groups: list[Group]) -> None:
        wanted = {(scheme, value): g.good_ref for g in groups for r in g.records for scheme, value in r.external_ids}
        existing = {(scheme, value): (pk, gid) for pk, scheme, value, gid in ExternalId.objects.filter(
            value__in={value for _scheme, value in wanted}).values_list("pk", "scheme", "value", "good_id")}
        create, update = [], []
        for (scheme, value), gid in sorted(wanted.items()):
            stored = existing.get((scheme, value))
            if stored is None:
                create.append((gid, scheme, value))
                self._touch(gid)
            elif stored[1] != gid:
                self._touch(stored[1], gid)
                update.append(ExternalId(pk=stored[0], good_id=gid))
        rows_insert(ExternalId, ("good_id", "scheme", "value"), create)
        if update:
            ExternalId.objects.bulk_update(update, ["good_id"], batch_size=500)

    def _sync_provenance(self, groups: list[Group]) -> dict[str, int]:
        """Provenance rows of the groups' records, written where new or changed; returns their ids by source key."""
        wanted = {r.source_key: (g.good_ref, r) for g in groups for r in g.records}
        fields = ("good_id", "shape", "source_file", "record_sha256")
        existing = {key: (pk, tuple(values)) for key, pk, *values in Provenance.objects.filter(
            source_key__in=wanted).values_list("source_key", "pk", *fields)}
        ids = {key: pk for key, (pk, _values) in existing.items()}
        create, update = [], []
        for key, (gid, record) in sorted(wanted.items()):
            values = (gid, record.shape, record.source_file, record.record_sha256)
            stored = existing.get(key)
            if stored is None:
                create.append((key, *values))
                self._touch(gid)
            elif stored[1] != values:
                update.append(Provenance(pk=stored[0], import_run=self.run, imported_at=self.now,
                                         **dict(zip(fields, values, strict=True))))
                self._touch(gid)
        new_ids = ids_allocate(Provenance, len(create))
        rows_insert(Provenance, ("id", "source_key", *fields, "import_run_id", "imported_at"),
                    ((pk, *row, self.run.id, self.now) for pk, row in zip(new_ids, create, strict=True)))
        ids.update((row[0], pk) for pk, row in zip(new_ids, create, strict=True))
        self.created_provenance.update(new_ids)
        if update:
            Provenance.objects.bulk_update(update, [*fields, "import_run", "imported_at"], batch_size=500)
        return ids

    # -- assessments: one per source record that answers indicators, keyed by its provenance
    def _assessment_plans(self, groups: list[Group], reviews: list[SourceRecord]) -> list[dict]:
        plans = []
        for group in groups:
            nominees = [r for r in group.records if r.shape == SHAPE_NOMINEE]
            screening = [r for r in group.records if r.shape == SHAPE_SCREENING]
            if nominees or screening:
                primary = (nominees or screening)[-1]
                results = {}
                for code in _INDICATORS:
                    value = None
                    if code in ("1", "2") and nominees:
                        value = nominees[-1].indicators.get(code)
                    elif code not in ("1", "2") and screening:
                        value = screening[-1].indicators.get(code)
                    results[code] = _result_values(value)
                plans.append(self._plan(group.good_ref, primary, AssessmentSource.IMPORTED, results))
            for record in (r for r in group.records if r.shape == SHAPE_REGISTRY):
                results = {code: _result_values(record.indicators.get(code)) for code in _INDICATORS}
                plans.append(self._plan(group.good_ref, record, AssessmentSource.IMPORTED, results))
        for review, gid in reviews:
            results = {code: _result_values(value) for code, value in review.indicators.items()}
            plans.append(self._plan(gid, review, AssessmentSource.CROWD_REVIEW, results,
                                    on=review.reviewed_on or review.data_date))
        return plans

    def _plan(self, gid: int, record: SourceRecord, source: str, results: dict, on: date | None = None) -> dict:
        when = on or record.data_date
        version = self.versions[standard.version_in_force(when).version]
        return {"good_id": gid, "source_key": record.source_key, "source": source, "assessed_on": when,
                "standard_version_id": version.id, "results": results}

    def _sync_assessments(self, groups: list[Group], provenance: dict[str, int],
                          matched: list[tuple[SourceRecord, int]]) -> None:
        plans = self._assessment_plans(groups, matched)
        by_prov = {provenance[p["source_key"]]: p for p in plans}
        fields = ("good_id", "source", "assessed_on", "standard_version_id")
        existing: dict[int, tuple[int, tuple]] = {}
        stored_provenance = [pid for pid in by_prov if pid not in self.created_provenance]  # new ones have none
        for start in range(0, len(stored_provenance), _CHUNK):
            for prov_id, pk, *values in Assessment.objects.filter(
                    provenance_id__in=stored_provenance[start:start + _CHUNK]).values_list("provenance_id", "pk", *fields):
                existing[prov_id] = (pk, tuple(values))
        create, update = [], []
        for prov_id, plan in by_prov.items():
            values = tuple(plan[name] for name in fields)
            stored = existing.get(prov_id)
            if stored is None:
                create.append((prov_id, plan))
                self._touch(plan["good_id"])
                continue
            plan["id"] = stored[0]
            if stored[1] != values:
                update.append(Assessment(pk=stored[0], **dict(zip(fields, values, strict=True))))
                self._touch(plan["good_id"])
        for (_prov_id, plan), pk in zip(create, ids_allocate(Assessment, len(create)), strict=True):
            plan["id"] = pk
            self.created_assessments.add(pk)
        rows_insert(Assessment, ("id", "provenance_id", *fields, "created_at"),
                    ((plan["id"], prov_id, *(plan[name] for name in fields), self.now) for prov_id, plan in create))
        if update:
            Assessment.objects.bulk_update(update, list(fields))
        result_fields = ("status", "summary", "evidence", "source_fields", "confidence")
        stored_results: dict[int, dict[str, tuple[int, tuple]]] = defaultdict(dict)
        # assessments created by this run have no results yet
        assessment_ids = [plan["id"] for plan in by_prov.values() if plan["id"] not in self.created_assessments]
        for start in range(0, len(assessment_ids), _CHUNK):
            for aid, code, pk, *values in IndicatorResult.objects.filter(
                    assessment_id__in=assessment_ids[start:start + _CHUNK]).values_list(
                    "assessment_id", "indicator", "pk", *result_fields):
                stored_results[aid][code] = (pk, tuple(values))
        create_r, update_r, delete_r = [], [], []
        for plan in by_prov.values():
            aid = plan["id"]
            have = stored_results.get(aid, {})
            for code, values in plan["results"].items():
                wanted = tuple(values[name] for name in result_fields)
                stored = have.get(code)
                if stored is None:
                    create_r.append((aid, code, *wanted))
                    self._touch(plan["good_id"])
                elif stored[1] != wanted:
                    update_r.append(IndicatorResult(pk=stored[0], **values))
                    self._touch(plan["good_id"])
            delete_r += [pk for code, (pk, _values) in have.items() if code not in plan["results"]]
        if delete_r:
            IndicatorResult.objects.filter(id__in=delete_r).delete()
        rows_insert(IndicatorResult, ("assessment_id", "indicator", *result_fields), create_r)
        if update_r:
            IndicatorResult.objects.bulk_update(update_r, list(result_fields), batch_size=500)


def _org_key(name: str) -> str:
    return " ".join(name.casefold().split())[:300]


def _result_values(value) -> dict[str, Any]:
    if value is None:
        return {"status": "no-evidence", "summary": "", "evidence": [], "source_fields": [], "confidence": None}
    return {"status": value.status, "summary": value.summary, "evidence": value.evidence,
            "source_fields": value.source_fields, "confidence": value.confidence}


def shipped_data_load_if_empty(*, progress: ProgressCallback | None = None) -> ImportResult | None:
    """Import the DPGA data shipped with DPG Hub when the catalogue has no goods and
    DPGHUB_LOAD_SHIPPED_DATA is true (first start). Returns None when nothing was done."""
    if not settings.CONFIG.get("LOAD_SHIPPED_DATA", True):
        return None
    if Good.objects.exists():
        return None
    return goods_import(paths=[SHIPPED_DATA_DIR], progress=progress)
