"""The secretariat's spreadsheets: import (all-or-nothing, row errors, dry run) and export (CSV, JSON).

Format and policy: docs/charter-spreadsheets.md. Row numbers count the header as row 1, as a spreadsheet
program shows them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from dpghub.charter.models import Pledge, ProgressReport, Target
from dpghub.common.history import Actor

from . import checks
from .apply import (
    ApplyResult,
    ImportRejected,
    PledgeSpec,
    ReportSpec,
    RowError,
    TargetSpec,
    import_require,
    pledge_spec_apply,
    report_spec_apply,
    run_record,
)

PLEDGE_COLUMNS = ("ref", "endorser", "endorser_type", "endorser_country", "endorsed_on", "title", "description",
                  "types", "outcomes", "goods", "countries", "metric", "unit", "baseline", "target", "currency",
                  "deadline", "pledged_on")
PLEDGE_SHARED = ("endorser", "endorser_type", "endorser_country", "endorsed_on", "title", "description", "types",
                 "outcomes", "goods", "countries", "pledged_on")
TARGET_COLUMNS = ("metric", "unit", "baseline", "target", "currency", "deadline")
REPORT_COLUMNS = ("pledge_ref", "metric", "reported_on", "value", "status", "narrative", "evidence_url",
                  "verification")
REPORT_REQUIRED = REPORT_COLUMNS[:-1]
JSON_FORMAT = "dpghub-charter/1"


def _read(stream: IO[str] | IO[bytes], columns: Iterable[str]) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    raw = stream.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return [], [RowError(0, "", _("The file is not UTF-8 (%(error)s).") % {"error": exc})]
    raw = raw.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in columns if name not in header]
    if missing:
        return [], [RowError(1, name, _("This column is missing from the header.")) for name in missing]
    reader.fieldnames = header
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            return rows, [RowError(number, "", _("The row has more cells than the header."))]
        if any((value or "").strip() for value in row.values()):
            rows.append((number, {key: (value or "") for key, value in row.items()}))
    return rows, []


class _Row:
    """Reads the cells of one row, collecting (row, column, message) instead of stopping at the first."""

    def __init__(self, number: int, cells: dict[str, str], errors: list[RowError]) -> None:
        self.number, self.cells, self.errors = number, cells, errors

    def get(self, column: str, check: Any = checks.text, *, required: bool = False) -> Any:
        value = self.cells.get(column, "")
        if required and not value.strip():
            self.errors.append(RowError(self.number, column, _("This cell is required.")))
            return None
        try:
            return check(value)
        except ValueError as exc:
            self.errors.append(RowError(self.number, column, str(exc)))
            return None


def pledges_parse(stream: IO[str] | IO[bytes]) -> tuple[list[PledgeSpec], list[RowError], int]:
    """The pledges of a file, or the row errors. Returns (specs, errors, number of rows)."""
    rows, errors = _read(stream, PLEDGE_COLUMNS)
    goods = checks.GoodsIndex()
    specs: dict[str, PledgeSpec] = {}
    first_cells: dict[str, tuple[int, dict[str, str]]] = {}
    for number, cells in rows:
        row = _Row(number, cells, errors)
        ref = row.get("ref", checks.limited(100), required=True)
        if not ref:
            continue
        if ref in first_cells:
            first_number, first = first_cells[ref]
            for column in PLEDGE_SHARED:
                if first[column].strip() != cells[column].strip():
                    errors.append(RowError(number, column, _("Rows of pledge “%(ref)s” disagree: row %(first)d says "
                                                             "“%(a)s”, this row “%(b)s”.")
                                           % {"ref": ref, "first": first_number, "a": first[column].strip(),
                                              "b": cells[column].strip()}))
            spec = specs.get(ref)
        else:
            first_cells[ref] = (number, cells)
            spec = _pledge_row(row, ref, goods)
            if spec is not None:
                specs[ref] = spec
        target = _target_row(row)
        if spec is not None and target is not None:
            if any(existing.metric == target.metric for existing in spec.targets):
                errors.append(RowError(number, "metric", _("Pledge “%(ref)s” already has a row for metric “%(metric)s”.")
                                       % {"ref": ref, "metric": target.metric}))
            for column, message in checks.target_errors(target, pledged_on=spec.pledged_on):
                errors.append(RowError(number, column, message))
            spec.targets.append(target)
    existing_sample = set(Pledge.objects.filter(ref__in=list(specs), is_sample=True).values_list("ref", flat=True))
    for ref in sorted(existing_sample):
        errors.append(RowError(specs[ref].row, "ref", _("“%(ref)s” is a pledge of the sample data; real data never "
                                                      "overwrites it (remove the sample first).") % {"ref": ref}))
    return list(specs.values()), errors, len(rows)


def _pledge_row(row: _Row, ref: str, goods: checks.GoodsIndex) -> PledgeSpec | None:
    before = len(row.errors)
    values = {
        "endorser": row.get("endorser", checks.limited(300), required=True),
        "endorser_type": row.get("endorser_type", checks.endorser_type, required=True),
        "endorser_country": row.get("endorser_country", lambda v: checks.country(v) if v.strip() else ""),
        "endorsed_on": row.get("endorsed_on", checks.date, required=True),
        "title": row.get("title", checks.limited(300), required=True),
        "description": row.get("description"),
        "types": row.get("types", checks.pledge_types),
        "outcomes": row.get("outcomes", checks.outcomes),
        "good_ids": row.get("goods", goods.resolve),
        "countries": row.get("countries", checks.countries),
        "pledged_on": row.get("pledged_on", checks.date, required=True),
    }
    if len(row.errors) != before:
        return None
    return PledgeSpec(ref=ref, row=row.number, **values)


def _target_row(row: _Row) -> TargetSpec | None:
    if not any(row.cells[column].strip() for column in TARGET_COLUMNS):
        return None  # a pledge without a target yet
    before = len(row.errors)
    values = {
        "metric": row.get("metric", checks.limited(200), required=True),
        "unit": row.get("unit"),
        "baseline": row.get("baseline", checks.optional_number),
        "target_value": row.get("target", checks.number, required=True),
        "currency": row.get("currency", checks.currency),
        "deadline": row.get("deadline", checks.optional_date),
    }
    if len(row.errors) != before:
        return None
    return TargetSpec(row=row.number, **values)


def pledges_import(*, actor: Actor, stream: IO[str] | IO[bytes], source: str, dry_run: bool = False) -> ApplyResult:
    """Import a pledges spreadsheet: everything, or nothing and :class:`ImportRejected` with every row error."""
    import_require(actor)
    specs, errors, rows = pledges_parse(stream)
    if errors:
        raise ImportRejected(errors)
    result = ApplyResult(dry_run=dry_run)
    with transaction.atomic():
        for spec in specs:
            pledge_spec_apply(spec, actor=actor, source=source, result=result)
        run_record(actor=actor, kind="pledges", source=source, result=result, rows=rows)
        if dry_run:
            transaction.set_rollback(True)
    return result


def reports_parse(stream: IO[str] | IO[bytes]) -> tuple[list[ReportSpec], list[RowError], int]:
    rows, errors = _read(stream, REPORT_REQUIRED)
    specs, seen = [], {}
    for number, cells in rows:
        row = _Row(number, cells, errors)
        before = len(errors)
        values = {
            "ref": row.get("pledge_ref", checks.limited(100), required=True),
            "metric": row.get("metric", checks.limited(200), required=True),
            "reported_on": row.get("reported_on", checks.date, required=True),
            "value": row.get("value", checks.number, required=True),
            "status": row.get("status", checks.status, required=True),
            "narrative": row.get("narrative"),
            "evidence_url": row.get("evidence_url", checks.web_address),
            "verification": row.get("verification", checks.verification),
        }
        if len(errors) != before:
            continue
        key = (values["ref"], values["metric"], values["reported_on"])
        if key in seen:
            errors.append(RowError(number, "reported_on", _("Row %(row)d already reports this target on this date.")
                                   % {"row": seen[key]}))
            continue
        seen[key] = number
        specs.append(ReportSpec(row=number, **values))
    return specs, errors, len(rows)


def reports_import(*, actor: Actor, stream: IO[str] | IO[bytes], source: str, dry_run: bool = False) -> ApplyResult:
    """Import progress reports for existing pledges' targets: all rows or none."""
    import_require(actor)
    specs, errors, rows = reports_parse(stream)
    targets = {(t.pledge.ref, t.metric): t for t in Target.objects.select_related("pledge").filter(
        pledge__ref__in={spec.ref for spec in specs})}
    refs = {ref for ref, _metric in targets} | set(Pledge.objects.filter(ref__in={s.ref for s in specs})
                                                    .values_list("ref", flat=True))
    for spec in specs:
        if spec.ref not in refs:
            errors.append(RowError(spec.row, "pledge_ref", _("No pledge “%(ref)s”.") % {"ref": spec.ref}))
        elif (spec.ref, spec.metric) not in targets:
            known = sorted(metric for ref, metric in targets if ref == spec.ref)
            errors.append(RowError(spec.row, "metric", _("Pledge “%(ref)s” has no target “%(metric)s” (it has: "
                                                        "%(known)s).") % {"ref": spec.ref, "metric": spec.metric,
                                                                          "known": "; ".join(known) or "-"}))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
    result = ApplyResult(dry_run=dry_run)
    with transaction.atomic():
        for spec in specs:
            errors += report_spec_apply(spec, target=targets[(spec.ref, spec.metric)], actor=actor, source=source,
                                        result=result)
        if errors:
            transaction.set_rollback(True)
        else:
            run_record(actor=actor, kind="reports", source=source, result=result, rows=rows)
            if dry_run:
                transaction.set_rollback(True)
    if errors:
        raise ImportRejected(errors)
    return result


def _number(value: Any) -> str:
    if value is None:
        return ""
    text = format(value.quantize(type(value)("0.01")), "f")
    return text[:-3] if text.endswith(".00") else text


def _pledges(include_sample: bool):
    pledges = Pledge.objects.select_related("endorsement__organisation").prefetch_related(
        "goods", Prefetch("targets", queryset=Target.objects.order_by("metric").prefetch_related("reports")))
    if not include_sample:
        pledges = pledges.filter(is_sample=False)
    return pledges.order_by("ref")


def pledge_rows(*, include_sample: bool = False) -> list[dict[str, str]]:
    """One row per target (a pledge without targets: one row with empty target cells), sorted by ref, metric."""
    rows = []
    for pledge in _pledges(include_sample):
        organisation = pledge.endorsement.organisation
        shared = {
            "ref": pledge.ref, "endorser": organisation.name, "endorser_type": organisation.type,
            "endorser_country": organisation.country, "endorsed_on": pledge.endorsement.endorsed_on.isoformat(),
            "title": pledge.title, "description": pledge.description, "types": ";".join(pledge.types),
            "outcomes": ";".join(pledge.outcomes), "goods": ";".join(sorted(g.slug for g in pledge.goods.all())),
            "countries": ";".join(pledge.countries), "pledged_on": pledge.pledged_on.isoformat(),
        }
        targets = list(pledge.targets.all()) or [None]
        for target in targets:
            row = dict.fromkeys(PLEDGE_COLUMNS, "") | shared
            if target is not None:
                row |= {"metric": target.metric, "unit": target.unit, "baseline": _number(target.baseline),
                        "target": _number(target.target_value), "currency": target.currency,
                        "deadline": target.deadline.isoformat() if target.deadline else ""}
            rows.append(row)
    return rows


def report_rows(*, include_sample: bool = False) -> list[dict[str, str]]:
    reports = ProgressReport.objects.select_related("target__pledge").order_by(
        "target__pledge__ref", "target__metric", "reported_on")
    if not include_sample:
        reports = reports.filter(is_sample=False)
    return [{"pledge_ref": r.target.pledge.ref, "metric": r.target.metric, "reported_on": r.reported_on.isoformat(),
             "value": _number(r.value), "status": r.status, "narrative": r.narrative,
             "evidence_url": r.evidence_url, "verification": r.verification} for r in reports]


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...], stream: IO[str]) -> None:
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)


def pledges_csv_write(stream: IO[str], *, include_sample: bool = False) -> int:
    rows = pledge_rows(include_sample=include_sample)
    _csv(rows, PLEDGE_COLUMNS, stream)
    return len(rows)


def reports_csv_write(stream: IO[str], *, include_sample: bool = False) -> int:
    rows = report_rows(include_sample=include_sample)
    _csv(rows, REPORT_COLUMNS, stream)
    return len(rows)


def charter_json_write(stream: IO[str], *, include_sample: bool = False) -> int:
    """Both sheets in one JSON document: ``{"format", "pledges": [rows], "reports": [rows]}``."""
    document = {"format": JSON_FORMAT, "pledges": pledge_rows(include_sample=include_sample),
                "reports": report_rows(include_sample=include_sample)}
    json.dump(document, stream, ensure_ascii=False, indent=1)
    stream.write("\n")
    return len(document["pledges"])
