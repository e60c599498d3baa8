"""Writing endorsers, pledges, targets and reports from already-checked specs: shared by every import.

The spreadsheet import (:mod:`.spreadsheets`), the real-data importers (:mod:`dpghub.charter.sources`) and
the sample generator (:mod:`dpghub.charter.sample`) describe what they want as :class:`PledgeSpec` and
:class:`ReportSpec`; :func:`specs_apply` makes the database say that, idempotently (keyed by organisation
name and country, pledge ``ref``, ``(ref, metric)`` and ``(ref, metric, reported_on)``), writing one history
row per created or changed object and one per run. It never deletes. Called inside the caller's
transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.charter.enums import CharterAction, PledgeStatus, Verification
from dpghub.charter.errors import CharterError
from dpghub.charter.models import Endorsement, Pledge, PledgeCell, PledgeCountry, ProgressReport, Target
from dpghub.charter.state import charter_changed, targets_refresh
from dpghub.common.authz import actor_may, is_secretariat
from dpghub.common.errors import InvalidInput, PermissionDenied
from dpghub.common.history import Actor, history_changes, history_record, history_snapshot
from dpghub.orgs.models import Organisation
from dpghub.orgs.services import organisation_create

EXCHANGE_RULES = rules.RuleSet()
EXCHANGE_RULES.add_rule("charter.import_data", is_secretariat)

_PLEDGE_FIELDS = ("endorsement", "title", "description", "types", "outcomes", "countries", "pledged_on",
                  "status", "source", "is_sample")
_TARGET_FIELDS = ("unit", "currency", "baseline", "target_value", "deadline")
_REPORT_FIELDS = ("value", "status", "narrative", "evidence_url", "verification")


class ExchangeError(CharterError):
    """Base class of the Charter's import and export errors (each also belongs to one family)."""


class ExchangePermissionDenied(ExchangeError, PermissionDenied):
    def __init__(self) -> None:
        super().__init__(_("Only the secretariat imports Charter data."))


class ImportRejected(ExchangeError, InvalidInput):
    """Some rows are wrong: nothing was applied. ``errors`` lists (row, column, message)."""

    code = "import_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        lines = "\n".join(str(error) for error in errors)
        super().__init__(_("%(count)d error(s); nothing was imported:\n%(lines)s") % {"count": len(errors),
                                                                                     "lines": lines},
                         details={"errors": [error.as_dict() for error in errors]})


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)d, column %(column)s: %(message)s") % {"row": self.row, "column": self.column or "-",
                                                                  "message": self.message}

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class TargetSpec:
    metric: str
    target_value: decimal.Decimal
    unit: str = ""
    currency: str = ""
    baseline: decimal.Decimal | None = None
    deadline: dt.date | None = None
    row: int = 0


@dataclass
class PledgeSpec:
    ref: str
    endorser: str
    endorser_type: str
    endorser_country: str
    endorsed_on: dt.date
    title: str
    pledged_on: dt.date
    description: str = ""
    types: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    good_ids: list[int] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    targets: list[TargetSpec] = field(default_factory=list)
    row: int = 0


@dataclass
class ReportSpec:
    ref: str
    metric: str
    reported_on: dt.date
    value: decimal.Decimal
    status: str
    narrative: str = ""
    evidence_url: str = ""
    verification: str = Verification.SELF_REPORTED
    row: int = 0


@dataclass
class ApplyResult:
    """What a run changed (or, in a dry run, would change): counts per kind and the changed refs."""

    counts: Counter = field(default_factory=Counter)
    changed: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "counts": dict(sorted(self.counts.items())), "changed": self.changed}

    def __str__(self) -> str:
        counts = ", ".join(f"{key}: {value}" for key, value in sorted(self.counts.items())) or _("nothing")
        prefix = _("Dry run, nothing was changed. Would apply: ") if self.dry_run else _("Applied: ")
        return prefix + counts


def _recorded(**kwargs: Any) -> None:
    """The history row of an applied change, and the Charter stamp raised (dpghub.charter.state)."""
    history_record(**kwargs)
    charter_changed()


def import_require(actor: Actor) -> None:
    """Only the secretariat (or a system job run by an operator) imports Charter data."""
    if not actor_may(EXCHANGE_RULES, "charter.import_data", actor=actor):
        raise ExchangePermissionDenied()


def _decimal_equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return decimal.Decimal(a) == decimal.Decimal(b)


def _snapshot_equal(before: dict, after: dict) -> dict:
    """history_changes, but 1000 and 1000.00 are the same number."""
    changes = history_changes(before, after)
    return {name: change for name, change in changes.items()
            if not (_is_number(change["before"]) and _is_number(change["after"])
                    and _decimal_equal(change["before"], change["after"]))}


def _is_number(value: Any) -> bool:
    try:
        decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError):
        return False
    return value is not None


def endorser_find(name: str, country: str) -> Organisation | None:
    return Organisation.objects.filter(name__iexact=" ".join(name.split()), country=country).order_by("pk").first()


def endorser_apply(*, name: str, type: str, country: str, endorsed_on, actor: Actor, source: str,
                   is_sample: bool = False, signatory_role: str = "", result: ApplyResult) -> Endorsement:
    """The endorsement of the organisation called ``name`` in ``country``: created (with the organisation) when
    missing. An existing one keeps its source; it follows a changed endorsement date only when the same source
    says so (one dataset never moves the date another one gave)."""
    organisation = endorser_find(name, country)
    if organisation is None:
        organisation = organisation_create(actor=actor, name=name, type=type, country=country)
        result.counts["organisations created"] += 1
    endorsement = Endorsement.objects.filter(organisation=organisation).first()
    if endorsement is None:
        endorsement = Endorsement.objects.create(organisation=organisation, endorsed_on=endorsed_on, source=source,
                                                 is_sample=is_sample, signatory_role=signatory_role[:200])
        _recorded(actor=actor, action=CharterAction.ENDORSEMENT_CREATE, target=endorsement,
                       changes=history_changes({}, history_snapshot(endorsement, ["organisation", "endorsed_on",
                                                                                  "source", "is_sample"])))
        result.counts["endorsements created"] += 1
    elif endorsement.endorsed_on != endorsed_on and endorsement.source == source:
        before = history_snapshot(endorsement, ["endorsed_on"])
        endorsement.endorsed_on = endorsed_on
        endorsement.save(update_fields=["endorsed_on"])
        _recorded(actor=actor, action=CharterAction.ENDORSEMENT_UPDATE, target=endorsement,
                       changes=history_changes(before, history_snapshot(endorsement, ["endorsed_on"])))
        result.counts["endorsements changed"] += 1
    return endorsement


def _derived_write(pledge: Pledge) -> None:
    """The grid cells and countries of a pledge, derived from its lists."""
    PledgeCell.objects.filter(pledge=pledge).delete()
    PledgeCell.objects.bulk_create([PledgeCell(pledge=pledge, type=kind, outcome=outcome)
                                    for kind in pledge.types for outcome in pledge.outcomes])
    PledgeCountry.objects.filter(pledge=pledge).delete()
    PledgeCountry.objects.bulk_create([PledgeCountry(pledge=pledge, country=code) for code in pledge.countries])


def pledge_spec_apply(spec: PledgeSpec, *, actor: Actor, source: str, is_sample: bool = False,
                      result: ApplyResult) -> Pledge:
    """Create or update one pledge (published: see docs/charter-spreadsheets.md) with its targets."""
    endorsement = endorser_apply(name=spec.endorser, type=spec.endorser_type, country=spec.endorser_country,
                                 endorsed_on=spec.endorsed_on, actor=actor, source=source, is_sample=is_sample,
                                 result=result)
    wanted = {"endorsement": endorsement, "title": spec.title, "description": spec.description,
              "types": list(spec.types), "outcomes": list(spec.outcomes), "countries": list(spec.countries),
              "pledged_on": spec.pledged_on, "status": PledgeStatus.PUBLISHED, "source": source,
              "is_sample": is_sample}
    pledge = Pledge.objects.select_for_update().filter(ref=spec.ref).first()
    changed = False
    if pledge is None:
        pledge = Pledge.objects.create(ref=spec.ref, published_at=timezone.now(), **wanted)
        pledge.goods.set(sorted(set(spec.good_ids)))
        _recorded(actor=actor, action=CharterAction.PLEDGE_CREATE, target=pledge,
                       changes=history_changes({}, {**history_snapshot(pledge, _PLEDGE_FIELDS),
                                                    "goods": sorted(set(spec.good_ids))}),
                       data={"ref": spec.ref})
        _recorded(actor=actor, action=CharterAction.PLEDGE_PUBLISH, target=pledge,
                       changes={"status": {"before": PledgeStatus.DRAFT, "after": PledgeStatus.PUBLISHED}})
        result.counts["pledges created"] += 1
        changed = True
    else:
        before = history_snapshot(pledge, _PLEDGE_FIELDS)
        for name, value in wanted.items():
            # an import never re-publishes a withdrawn pledge, and a pledge keeps the source it came from (so
            # that re-importing an export under another file name changes nothing)
            if name not in ("status", "source"):
                setattr(pledge, name, value)
        changes = history_changes(before, history_snapshot(pledge, _PLEDGE_FIELDS))
        if changes:
            pledge.version += 1
            pledge.save()
            _recorded(actor=actor, action=CharterAction.PLEDGE_UPDATE, target=pledge, changes=changes,
                           data={"ref": spec.ref})
            result.counts["pledges changed"] += 1
            changed = True
    goods_before = sorted(pledge.goods.values_list("pk", flat=True))
    goods_after = sorted(set(spec.good_ids))
    if goods_before != goods_after:
        pledge.goods.set(goods_after)
        if not changed:
            pledge.version += 1
            pledge.save(update_fields=["version", "updated_at"])
            result.counts["pledges changed"] += 1
            changed = True
        _recorded(actor=actor, action=CharterAction.PLEDGE_UPDATE, target=pledge,
                       changes={"goods": {"before": goods_before, "after": goods_after}}, data={"ref": spec.ref})
    if changed:
        _derived_write(pledge)
        result.changed.append(spec.ref)
    for target_spec in spec.targets:
        _target_apply(pledge, target_spec, actor=actor, result=result)
    return pledge


def _target_apply(pledge: Pledge, spec: TargetSpec, *, actor: Actor, result: ApplyResult) -> Target:
    wanted = {"unit": spec.unit, "currency": spec.currency, "baseline": spec.baseline,
              "target_value": spec.target_value, "deadline": spec.deadline}
    target = Target.objects.filter(pledge=pledge, metric=spec.metric).first()
    if target is None:
        target = Target.objects.create(pledge=pledge, metric=spec.metric, **wanted)
        _recorded(actor=actor, action=CharterAction.TARGET_CREATE, target=target,
                       changes=history_changes({}, history_snapshot(target, ("metric", *_TARGET_FIELDS))),
                       data={"ref": pledge.ref})
        result.counts["targets created"] += 1
        return target
    before = history_snapshot(target, _TARGET_FIELDS)
    for name, value in wanted.items():
        setattr(target, name, value)
    changes = _snapshot_equal(before, history_snapshot(target, _TARGET_FIELDS))
    if changes:
        target.save()
        _recorded(actor=actor, action=CharterAction.TARGET_UPDATE, target=target, changes=changes,
                       data={"ref": pledge.ref})
        result.counts["targets changed"] += 1
    return target


def report_spec_apply(spec: ReportSpec, *, target: Target, actor: Actor, source: str, is_sample: bool = False,
                      result: ApplyResult) -> list[RowError]:
    """Create a report, or (for an existing one) record a change of verification only.

    A report is what an endorser said as of a date: an import never rewrites one (a correction is a report
    of a later date); a different value, status, narrative or evidence for an existing date is a row error.
    """
    report = ProgressReport.objects.filter(target=target, reported_on=spec.reported_on).first()
    if report is None:
        verified = spec.verification == Verification.VERIFIED
        report = ProgressReport.objects.create(
            target=target, reported_on=spec.reported_on, value=spec.value, status=spec.status,
            narrative=spec.narrative, evidence_url=spec.evidence_url, verification=spec.verification,
            verified_at=timezone.now() if verified else None,
            verified_by=actor.user if verified and actor.is_person else None,
            created_by=actor.user if actor.is_person else None, source=source, is_sample=is_sample)
        targets_refresh([target.pk])
        _recorded(actor=actor, action=CharterAction.REPORT_CREATE, target=report,
                       changes=history_changes({}, history_snapshot(report, ("reported_on", *_REPORT_FIELDS))),
                       data={"ref": target.pledge.ref, "metric": target.metric})
        result.counts["reports created"] += 1
        return []
    errors = []
    for name in ("value", "status", "narrative", "evidence_url"):
        old, new = getattr(report, name), getattr(spec, name)
        same = _decimal_equal(old, new) if name == "value" else old == new
        if not same:
            errors.append(RowError(spec.row, name, _("a report of %(date)s already says “%(old)s”; an import never "
                                                     "rewrites a report (report a later date instead).")
                                   % {"date": spec.reported_on.isoformat(), "old": old}))
    if errors or report.verification == spec.verification:
        return errors
    if report.verification != Verification.SELF_REPORTED:
        return [RowError(spec.row, "verification", _("the report is already “%(old)s”; an import does not undo "
                                                     "the secretariat's check.") % {"old": report.verification})]
    before = history_snapshot(report, ["verification"])
    report.verification = spec.verification
    if spec.verification == Verification.VERIFIED:
        report.verified_at = timezone.now()
        report.verified_by = actor.user if actor.is_person else None
    report.save()
    targets_refresh([target.pk])
    action = (CharterAction.REPORT_VERIFY if spec.verification == Verification.VERIFIED
              else CharterAction.REPORT_REQUEST_EVIDENCE)
    _recorded(actor=actor, action=action, target=report,
                   changes=history_changes(before, history_snapshot(report, ["verification"])),
                   data={"ref": target.pledge.ref, "metric": target.metric})
    result.counts["reports verified"] += 1
    return []


def run_record(*, actor: Actor, kind: str, source: str, result: ApplyResult, rows: int) -> None:
    """The one history row of an import run, with its counts."""
    _recorded(actor=actor, action=CharterAction.IMPORT_RUN,
                   data={"kind": kind, "source": source, "rows": rows, "counts": dict(result.counts),
                         "changed": result.changed[:200]})
