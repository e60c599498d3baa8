"""Import DPGA data (both shapes) into the catalogue: :func:`goods_import`.

Parsing and repairs are Django-free (:mod:`dpghub.core.formats.dpga`); this module decides what
changes in the database and writes only that, in bulk, in one transaction. Policy (failure,
matching, newest source wins, personal data): docs/adr/0002-import-policy.md.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
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
from dpghub.common.errors import InvalidInput
from dpghub.common.history import Actor, history_record
from dpghub.core import standard
from dpghub.core.formats.dpga import (
    GoodKeys,
    Group,
    MalformedFile,
    SourceRecord,
    file_parse,
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
    report: list[dict] = field(default_factory=list)
    touched_good_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        return (f"{self.files} files, {self.records} records: {self.goods_created} goods created, "
                f"{self.goods_updated} updated, {self.goods_unchanged} unchanged; "
                f"{len(self.skipped)} file(s) skipped; stages {self.stages}; {self.seconds:.2f} s")

    @property
    def stats(self) -> dict[str, Any]:
        repairs: Counter[str] = Counter()
        unmapped: Counter[str] = Counter()
        matching: Counter[str] = Counter()
        for entry in self.report:
            for item in entry.get("repairs", ()):
                repairs[item["kind"]] += item.get("count", 1)
            for item in entry.get("unmapped", ()):
                unmapped[f"{item['field']}: {item['value']}" if item["value"] else item["field"]] += 1
            if "kind" in entry:
                matching[entry["kind"]] += 1
        return {
            "files": self.files, "records": self.records, "goods_created": self.goods_created,
            "goods_updated": self.goods_updated, "goods_unchanged": self.goods_unchanged,
            "stages": self.stages, "skipped_files": len(self.skipped), "repairs": dict(sorted(repairs.items())),
            "unmapped": dict(sorted(unmapped.items())), "matching": dict(sorted(matching.items())),
            "seconds": round(self.seconds, 3),
        }


ProgressCallback = Callable[[str, int, int], None]


# --- reading ----------------------------------------------------------------------------------

def _read(paths: Iterable[str | Path], progress: ProgressCallback | None):
    errors: list[dict[str, str]] = []
    records: list[SourceRecord] = []
    files: list[Path] = []
    for raw in paths:
        try:
            files += files_find([raw])
        except MalformedFile as exc:
            errors.append({"path": exc.path, "reason": exc.reason})
    files = sorted(dict.fromkeys(files))
    seen_keys: dict[str, str] = {}
    for position, path in enumerate(files, start=1):
        try:
            parsed = file_parse(path)
        except MalformedFile as exc:
            errors.append({"path": exc.path, "reason": exc.reason})
        else:
            clash = next((r.source_key for r in parsed.records if r.source_key in seen_keys), None)
            if clash:
                errors.append({"path": str(path), "reason": f"holds {clash}, already read from {seen_keys[clash]}"})
            else:
                for record in parsed.records:
                    seen_keys[record.source_key] = str(path)
                records += parsed.records
        if progress:
            progress("read", position, len(files))
    return files, records, errors


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
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import DPGA files (files or folders, recursively) in one transaction.

    Malformed files make the whole run fail with :class:`ImportFailed` before anything is stored,
    unless ``skip_invalid`` is true: then they are reported and the rest is imported.
    Re-running on the same data changes nothing but adds an ImportRun and an activity row.
    """
    started = time.perf_counter()
    paths = [str(p) for p in paths]
    files, records, errors = _read(paths, progress)
    if errors and not skip_invalid:
        raise ImportFailed(errors)
    result = ImportResult(run_id=None, files=len(files), records=len(records))
    result.skipped = errors
    with transaction.atomic():
        run = ImportRun.objects.create(paths=paths)
        result.run_id = run.id
        writer = _Writer(run, result, progress)
        writer.write(records)
        result.report = (
            [{"kind": "skipped-file", "source": e["path"], "detail": e["reason"]} for e in errors]
            + writer.report
            + [entry for entry in (_record_report(r) for r in records) if entry]
        )
        if writer.touched:
            goods_reindex(good_ids=sorted(writer.touched))
        result.touched_good_ids = sorted(writer.touched)
        result.stages = dict(sorted(Counter(Good.objects.values_list("stage", flat=True)).items()))
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
    logger.info("import run %s: %s", run.id, result)
    return result


def _plain_value(value: object) -> object:
    """A report-safe (JSON) copy of a field value."""
    return value.isoformat() if isinstance(value, date) else value


class _Writer:
    """Computes the difference between the records and the stored rows, then writes it in bulk."""

    def __init__(self, run: ImportRun, result: ImportResult, progress: ProgressCallback | None) -> None:
        self.run, self.result, self.progress = run, result, progress
        self.now = timezone.now()
        self.report: list[dict] = []
        self.touched: set[int] = set()
        self.versions = standard_versions_sync()

    # -- stored goods as matching keys
    def _stored_keys(self) -> tuple[list[GoodKeys], dict[int, Good]]:
        goods = {good.id: good for good in Good.objects.all()}
        keys = {gid: GoodKeys(ref=gid, names={name_normalise(g.name)} - {""},
                              aliases={name_normalise(a) for a in g.aliases if isinstance(a, str)} - {""},
                              websites={website_normalise(g.website)} - {""})
                for gid, g in goods.items()}
        for gid, scheme, value in ExternalId.objects.values_list("good_id", "scheme", "value"):
            keys[gid].external_ids.add((scheme, value))
        for gid, url in Repository.objects.values_list("good_id", "url"):
            keys[gid].repositories.add(url_normalise(url))
        return list(keys.values()), goods

    def write(self, records: list[SourceRecord]) -> None:
        stored_keys, goods = self._stored_keys()
        groups, self.report = records_group(records, stored_keys)
        stored_ranks: dict[int, int] = defaultdict(int)
        for gid, shape in Provenance.objects.values_list("good_id", "shape"):
            stored_ranks[gid] = max(stored_ranks[gid], _SHAPE_RANK.get(shape, 0))

        # goods; fields DPG Hub decided (GoodFieldOwner) are never changed by an import
        hub_owned: dict[int, dict[str, str]] = defaultdict(dict)
        for gid, name, owner in GoodFieldOwner.objects.values_list("good_id", "field", "owner"):
            hub_owned[gid][name] = owner
        taken_slugs = set(Good.objects.values_list("slug", flat=True))
        new_goods: list[tuple[Group, Good]] = []
        changed: list[Good] = []
        states: dict[str, dict] = {}
        frozen: set[str] = set()  # groups whose stored good holds newer data than this run
        for group in groups:
            state = _desired(group)
            states[group.key] = state
            self.report += _merge_notes(group)
            if group.good_ref is None:
                good = Good(uid=_uid(group), slug=_slug(state["good"]["name"], taken_slugs), **state["good"])
                new_goods.append((group, good))
                continue
            good = goods[group.good_ref]
            newest_here = max(_SHAPE_RANK.get(r.shape, 0) for r in group.records)
            if stored_ranks.get(good.id, 0) > newest_here:
                frozen.add(group.key)
                self.report.append({"kind": "kept-newer", "source": group.key,
                                    "detail": "the stored good has data from a newer source; its fields are kept"})
                continue
            diff = [name for name in _GOOD_FIELDS if getattr(good, name) != state["good"][name]]
            owned = hub_owned.get(good.id, {})
            for name in [name for name in diff if name in owned]:
                # DPG Hub decided this field (review or edit): the source does not change it; say so.
                self.report.append({
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
        Good.objects.bulk_create([good for _, good in new_goods], batch_size=500)
        for group, good in new_goods:
            group.good_ref = good.id
            goods[good.id] = good
            self.touched.add(good.id)
        if changed:
            Good.objects.bulk_update(changed, [*_GOOD_FIELDS, "updated_at"], batch_size=500)
            self.touched |= {good.id for good in changed}
        self.result.goods_created = len(new_goods)
        if self.progress:
            self.progress("write", 1, 4)

        live = [g for g in groups if g.key not in frozen]
        self._sync_children(live, states)
        self._sync_external_ids(groups)
        provenance = self._sync_provenance(groups)
        if self.progress:
            self.progress("write", 2, 4)
        self._sync_assessments(groups, provenance, records)
        if self.progress:
            self.progress("write", 3, 4)
        group_good_ids = {g.good_ref for g in groups}
        self.result.goods_updated = len((self.touched & group_good_ids) - {g.id for _, g in new_goods})
        self.result.goods_unchanged = len(group_good_ids - self.touched)
        if self.progress:
            self.progress("write", 4, 4)

    # -- child tables: rows keyed by their natural key; write only the difference
    def _diff(self, model, good_ids: set[int], key_fields: tuple[str, ...], value_fields: tuple[str, ...],
              desired: dict[tuple, dict]) -> None:
        existing = {}
        for row in model.objects.filter(good_id__in=good_ids):
            existing[tuple(getattr(row, name) for name in key_fields)] = row
        to_delete = [row.pk for key, row in existing.items() if key not in desired]
        to_create, to_update = [], []
        for key, values in desired.items():
            row = existing.get(key)
            if row is None:
                to_create.append(model(**dict(zip(key_fields, key, strict=True)), **values))
                self.touched.add(key[0])
            elif any(getattr(row, name) != values[name] for name in value_fields):
                for name in value_fields:
                    setattr(row, name, values[name])
                to_update.append(row)
                self.touched.add(key[0])
        for key, row in existing.items():
            if key not in desired:
                self.touched.add(row.good_id)
        if to_delete:
            model.objects.filter(pk__in=to_delete).delete()
        model.objects.bulk_create(to_create, batch_size=500)
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
        existing = {}
        for row in ExternalId.objects.filter(value__in={value for _scheme, value in wanted}):
            existing[(row.scheme, row.value)] = row
        create, update = [], []
        for (scheme, value), gid in sorted(wanted.items()):
            row = existing.get((scheme, value))
            if row is None:
                create.append(ExternalId(good_id=gid, scheme=scheme, value=value))
                self.touched.add(gid)
            elif row.good_id != gid:
                self.touched |= {row.good_id, gid}
                row.good_id = gid
                update.append(row)
        ExternalId.objects.bulk_create(create, batch_size=500)
        if update:
            ExternalId.objects.bulk_update(update, ["good_id"], batch_size=500)

    def _sync_provenance(self, groups: list[Group]) -> dict[str, Provenance]:
        wanted = {r.source_key: (g.good_ref, r) for g in groups for r in g.records}
        existing = {p.source_key: p for p in Provenance.objects.filter(source_key__in=wanted)}
        create, update = [], []
        for key, (gid, record) in sorted(wanted.items()):
            row = existing.get(key)
            values = {"good_id": gid, "shape": record.shape, "source_file": record.source_file,
                      "record_sha256": record.record_sha256}
            if row is None:
                row = Provenance(source_key=key, import_run=self.run, imported_at=self.now, **values)
                create.append(row)
                existing[key] = row
                self.touched.add(gid)
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.import_run, row.imported_at = self.run, self.now
                update.append(row)
                self.touched.add(gid)
        Provenance.objects.bulk_create(create, batch_size=500)
        if update:
            Provenance.objects.bulk_update(
                update, ["good_id", "shape", "source_file", "record_sha256", "import_run", "imported_at"],
                batch_size=500)
        return existing

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

    def _sync_assessments(self, groups: list[Group], provenance: dict[str, Provenance],
                          records: list[SourceRecord]) -> None:
        reviews = [r for r in records if r.shape == SHAPE_REVIEW]
        matched: list[tuple[SourceRecord, int]] = []
        if reviews:
            keys, _goods = self._stored_keys()
            refs, report = reviews_match(reviews, keys)
            self.report += report
            matched = [(r, refs[r.source_key]) for r in reviews if r.source_key in refs]
            review_groups = [Group(key=r.source_key, records=[r], good_ref=gid) for r, gid in matched]
            provenance.update(self._sync_provenance(review_groups))
        plans = self._assessment_plans(groups, matched)
        by_prov = {provenance[p["source_key"]].id: p for p in plans}
        existing = {a.provenance_id: a for a in Assessment.objects.filter(provenance_id__in=by_prov)}
        create, update = [], []
        for prov_id, plan in by_prov.items():
            row = existing.get(prov_id)
            values = {k: plan[k] for k in ("good_id", "source", "assessed_on", "standard_version_id")}
            if row is None:
                row = Assessment(provenance_id=prov_id, **values)
                create.append(row)
                self.touched.add(plan["good_id"])
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                update.append(row)
                self.touched.add(plan["good_id"])
            plan["row"] = row
        Assessment.objects.bulk_create(create, batch_size=500)
        if update:
            Assessment.objects.bulk_update(update, ["good_id", "source", "assessed_on", "standard_version_id"])
        stored = defaultdict(dict)
        for result in IndicatorResult.objects.filter(assessment_id__in=[p["row"].id for p in by_prov.values()]):
            stored[result.assessment_id][result.indicator] = result
        fields = ("status", "summary", "evidence", "source_fields", "confidence")
        create_r, update_r, delete_r = [], [], []
        for plan in by_prov.values():
            aid = plan["row"].id
            have = stored.get(aid, {})
            for code, values in plan["results"].items():
                row = have.get(code)
                if row is None:
                    create_r.append(IndicatorResult(assessment_id=aid, indicator=code, **values))
                    self.touched.add(plan["good_id"])
                elif any(getattr(row, k) != values[k] for k in fields):
                    for k in fields:
                        setattr(row, k, values[k])
                    update_r.append(row)
                    self.touched.add(plan["good_id"])
            delete_r += [row.id for code, row in have.items() if code not in plan["results"]]
        if delete_r:
            IndicatorResult.objects.filter(id__in=delete_r).delete()
        IndicatorResult.objects.bulk_create(create_r, batch_size=1000)
        if update_r:
            IndicatorResult.objects.bulk_update(update_r, list(fields), batch_size=500)


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
