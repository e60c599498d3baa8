"""Writes of the Charter framework: ``entity_verb(*, actor, ...)``, one transaction, one history row each.

Permission rules are in :mod:`dpghub.charter.rules`, the workflows in :mod:`dpghub.charter.workflow`. The
derived rows the grid reads (``PledgeCell``, ``PledgeCountry``) are written here, with the pledge, and
nowhere else. A target is checked by :func:`target_check`, the one place its rules live (the importers
call it too).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dpghub.catalog.models import Good
from dpghub.charter.enums import (
    Ambition,
    CharterAction,
    Completion,
    Outcome,
    PledgeStatus,
    PledgeType,
    TargetStatus,
    Verification,
)
from dpghub.charter.errors import (
    CharterConflict,
    CharterPermissionDenied,
    InvalidCharterInput,
    InvalidTransition,
    StaleVersion,
)
from dpghub.charter.models import (
    Endorsement,
    Milestone,
    Pledge,
    PledgeCell,
    PledgeCountry,
    ProgressReport,
    Rating,
    Target,
)
from dpghub.charter.rules import CHARTER_RULES
from dpghub.charter.state import charter_changed, targets_refresh
from dpghub.charter.workflow import (
    PledgeAction,
    ReportAction,
    pledge_actions,
    pledge_next,
    report_actions,
    report_next,
)
from dpghub.common.authz import actor_may
from dpghub.common.history import Actor, history_changes, history_record, history_snapshot
from dpghub.notifications.enums import NotificationKind
from dpghub.notifications.services import notify
from dpghub.orgs.enums import MembershipStatus
from dpghub.orgs.models import Membership, Organisation

_PLEDGE_FIELDS = ("title", "description", "types", "outcomes", "countries", "pledged_on", "status")
_TARGET_FIELDS = ("metric", "unit", "currency", "baseline", "target_value", "deadline")
_ENDORSEMENT_FIELDS = ("organisation", "endorsed_on", "statement", "signatory_role")
_REPORT_FIELDS = ("target", "reported_on", "value", "status", "narrative", "evidence_url", "verification")


@dataclass(frozen=True, kw_only=True)
class MilestoneInput:
    title: str
    due_on: dt.date
    done_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class TargetInput:
    """A target as given by a form, the API or an importer, before it is checked (:func:`target_check`)."""

    metric: str
    unit: str = ""
    currency: str = ""
    baseline: decimal.Decimal | int | str | None = None
    target_value: decimal.Decimal | int | str | None
    deadline: dt.date | None = None
    milestones: Sequence[MilestoneInput] = field(default=())


def _recorded(**kwargs: Any) -> None:
    """The write's history row, and the Charter stamp raised (the grid cache drops what it knew), in the write's
    transaction."""
    history_record(**kwargs)
    charter_changed()


def _require(rule: str, *, actor: Actor, obj: Any = None) -> None:
    if not actor_may(CHARTER_RULES, rule, actor=actor, obj=obj):
        raise CharterPermissionDenied()


def _decimal(value: Any) -> decimal.Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = decimal.Decimal(str(value).strip())
    except (decimal.InvalidOperation, ValueError):
        raise ValueError(str(value)) from None
    if not number.is_finite():
        raise ValueError(str(value))
    return number.quantize(decimal.Decimal("0.01"))


_MAX_NUMBER = decimal.Decimal("1e17")


def target_check(target: TargetInput, *, pledged_on: dt.date | None) -> list[tuple[str, str]]:
    """Every problem of ``target`` as (field, translated message); empty when the target is sound.

    A money target has an ISO 4217 currency and no unit; any other target has a unit and no currency. The
    target value is a number; the deadline (and each milestone) is not before the pledge's date.
    """
    problems: list[tuple[str, str]] = []
    metric = " ".join((target.metric or "").split())
    if not metric:
        problems.append(("metric", _("A target needs a metric: what is counted.")))
    elif len(metric) > 200:
        problems.append(("metric", _("A metric has at most 200 characters.")))
    currency = (target.currency or "").strip().upper()
    unit = (target.unit or "").strip()
    if currency:
        if pycountry.currencies.get(alpha_3=currency) is None:
            problems.append(("currency", _("“%(value)s” is not an ISO 4217 currency code (e.g. USD, EUR).")
                             % {"value": target.currency}))
        if unit:
            problems.append(("unit", _("A money target has a currency and no unit.")))
    elif not unit:
        problems.append(("unit", _("A target needs a unit (e.g. people trained), or a currency for an amount of money.")))
    elif len(unit) > 50:
        problems.append(("unit", _("A unit has at most 50 characters.")))
    for name in ("target_value", "baseline"):
        raw = getattr(target, name)
        try:
            number = _decimal(raw)
        except ValueError:
            problems.append((name, _("“%(value)s” is not a number.") % {"value": raw}))
            continue
        if number is None and name == "target_value":
            problems.append((name, _("A target needs a target value.")))
        elif number is not None and abs(number) >= _MAX_NUMBER:
            problems.append((name, _("This number is too large.")))
    if target.deadline is not None and pledged_on is not None and target.deadline < pledged_on:
        problems.append(("deadline", _("The deadline (%(deadline)s) is before the pledge was made (%(pledged_on)s).")
                         % {"deadline": target.deadline.isoformat(), "pledged_on": pledged_on.isoformat()}))
    for milestone in target.milestones:
        if not " ".join((milestone.title or "").split()):
            problems.append(("milestones", _("A milestone needs a title.")))
        elif pledged_on is not None and milestone.due_on < pledged_on:
            problems.append(("milestones", _("The milestone “%(title)s” is due before the pledge was made.")
                             % {"title": milestone.title}))
    return problems


def pledge_smart_gaps(*, targets: Iterable[Any], good_ids: Iterable[Any]) -> list[str]:
    """What keeps a pledge from being SMART, as translated guidance (empty when nothing is missing).

    ``targets`` are TargetInput or Target rows; a target is measurable when it has a target value.
    """
    targets = list(targets)
    gaps = []
    measurable = [t for t in targets if getattr(t, "target_value", None) not in (None, "")]
    if not measurable:
        gaps.append(_("The pledge has no measurable target: add a metric with a target value."))
    if not targets or any(getattr(t, "deadline", None) is None for t in targets):
        gaps.append(_("A target has no deadline: say by when it will be met."))
    if not list(good_ids):
        gaps.append(_("The pledge names no digital public good: say which goods it concerns."))
    return gaps


def _target_fields(target: TargetInput, *, pledged_on: dt.date | None) -> dict[str, Any]:
    problems = target_check(target, pledged_on=pledged_on)
    if problems:
        raise InvalidCharterInput(problems[0][1], field=f"targets.{problems[0][0]}", problems=problems)
    return {
        "metric": " ".join(target.metric.split()),
        "unit": (target.unit or "").strip(),
        "currency": (target.currency or "").strip().upper(),
        "baseline": _decimal(target.baseline),
        "target_value": _decimal(target.target_value),
        "deadline": target.deadline,
    }


def _choices(values: Iterable[str], vocabulary: Any, name: str) -> list[str]:
    values = list(dict.fromkeys(str(getattr(v, "value", v)) for v in values))
    unknown = [v for v in values if v not in vocabulary.values]
    if unknown:
        raise InvalidCharterInput(_("“%(value)s” is not one of: %(allowed)s.")
                                  % {"value": unknown[0], "allowed": ", ".join(vocabulary.values)}, field=name)
    if not values:
        raise InvalidCharterInput(_("Choose at least one of: %(allowed)s.") % {"allowed": ", ".join(vocabulary.values)},
                                  field=name)
    return [v for v in vocabulary.values if v in values]  # the grid's order


def _countries(values: Iterable[str]) -> list[str]:
    codes = []
    for value in values:
        value = str(value).strip().upper()
        country = (pycountry.countries.get(alpha_2=value) if len(value) == 2
                   else pycountry.countries.get(alpha_3=value) if len(value) == 3 else None)
        if country is None:
            raise InvalidCharterInput(_("“%(value)s” is not an ISO 3166 country code.") % {"value": value},
                                      field="countries")
        codes.append(country.alpha_2)
    return sorted(set(codes))


def _goods(good_ids: Iterable[Any]) -> list[int]:
    wanted = sorted({int(pk) for pk in good_ids})
    found = set(Good.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise InvalidCharterInput(_("No registered good with id %(ids)s.") % {"ids": ", ".join(missing)}, field="goods")
    return wanted


def _text(value: str, name: str, *, required: bool = False, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidCharterInput(_("This field is required."), field=name)
    if max_length is not None and len(value) > max_length:
        raise InvalidCharterInput(_("At most %(count)s characters.") % {"count": max_length}, field=name)
    return value


def _url(value: str, name: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise InvalidCharterInput(_("“%(value)s” is not a web address.") % {"value": value}, field=name) from None
    return value


def _not_future(day: dt.date, name: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise InvalidCharterInput(_("A date is required."), field=name)
    if day > timezone.localdate():
        raise InvalidCharterInput(_("This date is in the future."), field=name)
    return day


def _members(organisation: Organisation) -> list[Any]:
    return [m.person for m in Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
            .select_related("person")]


# -- endorsements --------------------------------------------------------------------------------------

def endorsement_create(
    *, actor: Actor, organisation: Organisation, endorsed_on: dt.date, statement: str = "", signatory_role: str = "",
) -> Endorsement:
    """The organisation endorses the Charter (its administrators, or the secretariat)."""
    _require("charter.endorse", actor=actor, obj=organisation)
    fields = {"endorsed_on": _not_future(endorsed_on, "endorsed_on"), "statement": _text(statement, "statement"),
              "signatory_role": _text(signatory_role, "signatory_role", max_length=200)}
    with transaction.atomic():
        if Endorsement.objects.filter(organisation=organisation).exists():
            raise CharterConflict(_("%(org)s has already endorsed the Charter.") % {"org": organisation.name},
                                  field="organisation")
        endorsement = Endorsement.objects.create(organisation=organisation, **fields)
        _recorded(actor=actor, action=CharterAction.ENDORSEMENT_CREATE, target=endorsement,
                       changes=history_changes({}, history_snapshot(endorsement, _ENDORSEMENT_FIELDS)))
    return endorsement


# -- pledges -------------------------------------------------------------------------------------------

def _sync_derived(pledge: Pledge) -> None:
    """Keep the grid's cells and the countries of ``pledge`` in step with its types, outcomes and countries."""
    cells = {(t, o) for t in pledge.types for o in pledge.outcomes}
    existing = set(pledge.cells.values_list("type", "outcome"))
    if existing != cells:
        for type_, outcome in existing - cells:
            pledge.cells.filter(type=type_, outcome=outcome).delete()
        PledgeCell.objects.bulk_create([PledgeCell(pledge=pledge, type=t, outcome=o) for t, o in sorted(cells - existing)])
    countries = set(pledge.countries)
    existing_countries = set(pledge.country_links.values_list("country", flat=True))
    if existing_countries != countries:
        pledge.country_links.filter(country__in=existing_countries - countries).delete()
        PledgeCountry.objects.bulk_create([PledgeCountry(pledge=pledge, country=c)
                                           for c in sorted(countries - existing_countries)])


def _new_ref(endorsement: Endorsement) -> str:
    base = slugify(endorsement.organisation.slug)[:80] or "pledge"
    number = Pledge.objects.filter(endorsement=endorsement).count() + 1
    ref = f"{base}-{number}"
    while Pledge.objects.filter(ref=ref).exists():
        number += 1
        ref = f"{base}-{number}"
    return ref


def _target_create(pledge: Pledge, fields: dict[str, Any], milestones: Sequence[MilestoneInput]) -> Target:
    if pledge.targets.filter(metric=fields["metric"]).exists():
        raise InvalidCharterInput(_("The pledge already has a target “%(metric)s”.") % {"metric": fields["metric"]},
                                  field="targets.metric")
    target = Target.objects.create(pledge=pledge, **fields)
    Milestone.objects.bulk_create([Milestone(target=target, title=" ".join(m.title.split())[:300], due_on=m.due_on,
                                             done_on=m.done_on) for m in milestones])
    return target


def _target_snapshot(target: Target) -> dict[str, Any]:
    snapshot = history_snapshot(target, _TARGET_FIELDS)
    snapshot["milestones"] = [[m.title, m.due_on.isoformat(), m.done_on.isoformat() if m.done_on else None]
                              for m in target.milestones.order_by("due_on", "id")]
    return snapshot


def pledge_create(
    *, actor: Actor, endorsement: Endorsement, title: str, description: str = "", types: Iterable[str],
    outcomes: Iterable[str], countries: Iterable[str] = (), good_ids: Iterable[Any] = (), pledged_on: dt.date,
    targets: Sequence[TargetInput] = (), ref: str = "",
) -> Pledge:
    """A draft pledge of an endorser (its members, or the secretariat); ``ref`` is generated when not given."""
    _require("charter.create_pledge", actor=actor, obj=endorsement)
    fields = {
        "title": _text(title, "title", required=True, max_length=300),
        "description": _text(description, "description"),
        "types": _choices(types, PledgeType, "types"),
        "outcomes": _choices(outcomes, Outcome, "outcomes"),
        "countries": _countries(countries),
        "pledged_on": _not_future(pledged_on, "pledged_on"),
    }
    goods = _goods(good_ids)
    checked = [(_target_fields(t, pledged_on=fields["pledged_on"]), t.milestones) for t in targets]
    metrics = [f["metric"] for f, _m in checked]
    if len(set(metrics)) != len(metrics):
        raise InvalidCharterInput(_("Two targets have the same metric."), field="targets.metric")
    ref = _text(ref, "ref", max_length=100)
    with transaction.atomic():
        if ref and Pledge.objects.filter(ref=ref).exists():
            raise CharterConflict(_("A pledge “%(ref)s” already exists.") % {"ref": ref}, field="ref")
        pledge = Pledge.objects.create(endorsement=endorsement, ref=ref or _new_ref(endorsement),
                                       status=PledgeStatus.DRAFT, **fields)
        pledge.goods.set(goods)
        _sync_derived(pledge)
        for target_fields, milestones in checked:
            _target_create(pledge, target_fields, milestones)
        _recorded(actor=actor, action=CharterAction.PLEDGE_CREATE, target=pledge,
                       changes=history_changes({}, {**history_snapshot(pledge, _PLEDGE_FIELDS), "goods": goods}),
                       data={"ref": pledge.ref, "targets": metrics})
    return pledge


_UPDATABLE = ("title", "description", "types", "outcomes", "countries", "good_ids", "pledged_on")


def _locked_pledge(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update().select_related("endorsement__organisation").get(pk=pledge.pk)


def _refuse_withdrawn(pledge: Pledge) -> None:
    if pledge.status == PledgeStatus.WITHDRAWN:
        raise CharterConflict(_("This pledge was withdrawn; it can no longer be changed."), field="status")


def pledge_update(*, actor: Actor, pledge: Pledge, expected_version: int, **fields: Any) -> Pledge:
    """Change a pledge's text, grid cells, countries, goods or date; ``expected_version`` is the version the
    edit started from (a stale one is refused: someone else changed the pledge meanwhile)."""
    unknown = set(fields) - set(_UPDATABLE)
    if unknown:
        raise InvalidCharterInput(_("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    _require("charter.change_pledge", actor=actor, obj=pledge)
    cleaned: dict[str, Any] = {}
    if "title" in fields:
        cleaned["title"] = _text(fields["title"], "title", required=True, max_length=300)
    if "description" in fields:
        cleaned["description"] = _text(fields["description"], "description")
    if "types" in fields:
        cleaned["types"] = _choices(fields["types"], PledgeType, "types")
    if "outcomes" in fields:
        cleaned["outcomes"] = _choices(fields["outcomes"], Outcome, "outcomes")
    if "countries" in fields:
        cleaned["countries"] = _countries(fields["countries"])
    if "pledged_on" in fields:
        cleaned["pledged_on"] = _not_future(fields["pledged_on"], "pledged_on")
    goods = _goods(fields["good_ids"]) if "good_ids" in fields else None
    with transaction.atomic():
        pledge = _locked_pledge(pledge)
        if pledge.version != expected_version:
            raise StaleVersion(expected_version, pledge.version)
        _refuse_withdrawn(pledge)
        if "pledged_on" in cleaned:
            early = pledge.targets.filter(deadline__lt=cleaned["pledged_on"]).values_list("metric", flat=True).first()
            if early is not None:
                raise InvalidCharterInput(_("The target “%(metric)s” has a deadline before this date.")
                                          % {"metric": early}, field="pledged_on")
        before = history_snapshot(pledge, _PLEDGE_FIELDS)
        goods_before = sorted(pledge.goods.values_list("pk", flat=True))
        before["goods"] = goods_before
        for name, value in cleaned.items():
            setattr(pledge, name, value)
        after = {**history_snapshot(pledge, _PLEDGE_FIELDS), "goods": goods if goods is not None else goods_before}
        changes = history_changes(before, after)
        if changes:
            pledge.version += 1
            pledge.save()
            if goods is not None and goods != goods_before:
                pledge.goods.set(goods)
            _sync_derived(pledge)
            _recorded(actor=actor, action=CharterAction.PLEDGE_UPDATE, target=pledge, changes=changes)
    return pledge


def _pledge_transition(*, actor: Actor, pledge: Pledge, action: PledgeAction, rule: str,
                       history: CharterAction) -> Pledge:
    _require(rule, actor=actor, obj=pledge)
    with transaction.atomic():
        pledge = _locked_pledge(pledge)
        state = PledgeStatus(pledge.status)
        new_state = pledge_next(state, action)
        if new_state is None:
            raise InvalidTransition(str(_("pledge")), str(state.label), str(action.label),
                                    [str(a.label) for a in pledge_actions(state)])
        now = timezone.now()
        before = history_snapshot(pledge, ["status"])
        pledge.status = new_state
        if new_state == PledgeStatus.PUBLISHED:
            pledge.published_at = now
        elif new_state == PledgeStatus.WITHDRAWN:
            pledge.withdrawn_at = now
        pledge.version += 1
        pledge.save()
        _recorded(actor=actor, action=history, target=pledge,
                       changes=history_changes(before, history_snapshot(pledge, ["status"])))
    return pledge


def pledge_publish(*, actor: Actor, pledge: Pledge) -> Pledge:
    """Make a draft public (the endorser's members, or the secretariat). Nobody is notified."""
    return _pledge_transition(actor=actor, pledge=pledge, action=PledgeAction.PUBLISH, rule="charter.publish_pledge",
                              history=CharterAction.PLEDGE_PUBLISH)


def pledge_withdraw(*, actor: Actor, pledge: Pledge) -> Pledge:
    """Withdraw a published pledge: it stays public, marked withdrawn, and leaves the grid."""
    return _pledge_transition(actor=actor, pledge=pledge, action=PledgeAction.WITHDRAW, rule="charter.withdraw_pledge",
                              history=CharterAction.PLEDGE_WITHDRAW)


# -- targets -------------------------------------------------------------------------------------------

def target_add(*, actor: Actor, pledge: Pledge, target: TargetInput) -> Target:
    _require("charter.change_pledge", actor=actor, obj=pledge)
    fields = _target_fields(target, pledged_on=pledge.pledged_on)
    with transaction.atomic():
        pledge = _locked_pledge(pledge)
        _refuse_withdrawn(pledge)
        row = _target_create(pledge, fields, target.milestones)
        pledge.version += 1
        pledge.save(update_fields=["version", "updated_at"])
        _recorded(actor=actor, action=CharterAction.TARGET_CREATE, target=row,
                       changes=history_changes({}, _target_snapshot(row)), data={"pledge": pledge.ref})
    return row


def target_update(*, actor: Actor, target: Target, changes: TargetInput) -> Target:
    """Replace a target's metric, unit, currency, baseline, value, deadline and milestones with ``changes``."""
    _require("charter.change_pledge", actor=actor, obj=target)
    fields = _target_fields(changes, pledged_on=target.pledge.pledged_on)
    with transaction.atomic():
        pledge = _locked_pledge(target.pledge)
        _refuse_withdrawn(pledge)
        row = Target.objects.select_for_update().get(pk=target.pk)
        if fields["metric"] != row.metric and pledge.targets.filter(metric=fields["metric"]).exists():
            raise InvalidCharterInput(_("The pledge already has a target “%(metric)s”.") % {"metric": fields["metric"]},
                                      field="targets.metric")
        before = _target_snapshot(row)
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()
        row.milestones.all().delete()
        Milestone.objects.bulk_create([Milestone(target=row, title=" ".join(m.title.split())[:300], due_on=m.due_on,
                                                 done_on=m.done_on) for m in changes.milestones])
        diff = history_changes(before, _target_snapshot(row))
        if diff:
            pledge.version += 1
            pledge.save(update_fields=["version", "updated_at"])
            _recorded(actor=actor, action=CharterAction.TARGET_UPDATE, target=row, changes=diff,
                           data={"pledge": pledge.ref})
    return row


def target_remove(*, actor: Actor, target: Target) -> None:
    """Remove a target that has no progress report (a reported target stays: its history is evidence)."""
    _require("charter.change_pledge", actor=actor, obj=target)
    with transaction.atomic():
        pledge = _locked_pledge(target.pledge)
        _refuse_withdrawn(pledge)
        row = Target.objects.select_for_update().get(pk=target.pk)
        if row.reports.exists():
            raise CharterConflict(_("This target has progress reports; it cannot be removed."), field="target")
        _recorded(actor=actor, action=CharterAction.TARGET_DELETE, target=row,
                       changes=history_changes(_target_snapshot(row), {}), data={"pledge": pledge.ref})
        row.delete()
        pledge.version += 1
        pledge.save(update_fields=["version", "updated_at"])


# -- progress reports ----------------------------------------------------------------------------------

def report_submit(
    *, actor: Actor, target: Target, reported_on: dt.date, value: Any, status: str, narrative: str = "",
    evidence_url: str = "",
) -> ProgressReport:
    """The cumulative value of a target of a published pledge as of ``reported_on``, self-reported."""
    _require("charter.report_progress", actor=actor, obj=target)
    if status not in TargetStatus.values:
        raise InvalidCharterInput(_("“%(value)s” is not one of: %(allowed)s.")
                                  % {"value": status, "allowed": ", ".join(TargetStatus.values)}, field="status")
    try:
        number = _decimal(value)
    except ValueError:
        number = None
    if number is None or abs(number) >= _MAX_NUMBER:
        raise InvalidCharterInput(_("“%(value)s” is not a number.") % {"value": value}, field="value")
    fields = {"reported_on": _not_future(reported_on, "reported_on"), "value": number, "status": status,
              "narrative": _text(narrative, "narrative"), "evidence_url": _url(evidence_url, "evidence_url")}
    with transaction.atomic():
        pledge = _locked_pledge(target.pledge)
        if pledge.status != PledgeStatus.PUBLISHED:
            raise CharterConflict(_("Progress is reported on published pledges only."), field="status")
        if fields["reported_on"] < pledge.pledged_on:
            raise InvalidCharterInput(_("This date is before the pledge was made."), field="reported_on")
        if ProgressReport.objects.filter(target=target, reported_on=fields["reported_on"]).exists():
            raise CharterConflict(_("This target already has a report as of %(date)s.")
                                  % {"date": fields["reported_on"].isoformat()}, field="reported_on")
        try:
            with transaction.atomic():
                report = ProgressReport.objects.create(target=target, created_by=actor.user, **fields)
        except IntegrityError:
            raise CharterConflict(_("This target already has a report as of %(date)s.")
                                  % {"date": fields["reported_on"].isoformat()}, field="reported_on") from None
        targets_refresh([target.pk])
        _recorded(actor=actor, action=CharterAction.REPORT_CREATE, target=report,
                       changes=history_changes({}, history_snapshot(report, _REPORT_FIELDS)),
                       data={"pledge": pledge.ref, "metric": target.metric})
    return report


def _report_transition(*, actor: Actor, report: ProgressReport, action: ReportAction, note: str) -> ProgressReport:
    _require("charter.verify_report", actor=actor, obj=report)
    with transaction.atomic():
        report = (ProgressReport.objects.select_for_update()
                  .select_related("target__pledge__endorsement__organisation").get(pk=report.pk))
        state = Verification(report.verification)
        new_state = report_next(state, action)
        if new_state is None:
            raise InvalidTransition(str(_("report")), str(state.label), str(action.label),
                                    [str(a.label) for a in report_actions(state)])
        before = history_snapshot(report, ["verification", "verification_note"])
        report.verification, report.verification_note = new_state, note
        if new_state == Verification.VERIFIED:
            report.verified_at, report.verified_by = timezone.now(), actor.user
        report.save()
        targets_refresh([report.target_id])
        pledge = report.target.pledge
        _recorded(actor=actor, action=(CharterAction.REPORT_VERIFY if action == ReportAction.VERIFY
                                            else CharterAction.REPORT_REQUEST_EVIDENCE), target=report,
                       changes=history_changes(before, history_snapshot(report, ["verification", "verification_note"])),
                       data={"pledge": pledge.ref, "metric": report.target.metric})
        values = {"metric": report.target.metric, "date": report.reported_on.isoformat(), "pledge": pledge.title}
        if action == ReportAction.VERIFY:
            subject = _("Progress report verified: %(pledge)s") % values
            body = _("The secretariat verified the report on “%(metric)s” as of %(date)s for the pledge "
                     "“%(pledge)s”.") % values
        else:
            subject = _("More evidence requested: %(pledge)s") % values
            body = _("The secretariat asks for more evidence for the report on “%(metric)s” as of %(date)s for the "
                     "pledge “%(pledge)s”.") % values
        if note:
            body += "\n\n" + note
        notify(people=_members(pledge.endorsement.organisation),
               kind=(NotificationKind.CHARTER_REPORT_VERIFIED if action == ReportAction.VERIFY
                     else NotificationKind.CHARTER_EVIDENCE_REQUESTED),
               subject=subject, body=body, url=pledge_path(pledge))
    return report


def pledge_path(pledge: Pledge) -> str:
    """The public address of a pledge's page (for links in notifications), from the URL configuration."""
    return reverse("web:charter-pledge", kwargs={"ref": pledge.ref})


def report_verify(*, actor: Actor, report: ProgressReport, note: str = "") -> ProgressReport:
    """The secretariat checked the report's evidence; the endorser's members are told."""
    return _report_transition(actor=actor, report=report, action=ReportAction.VERIFY, note=_text(note, "note"))


def report_request_evidence(*, actor: Actor, report: ProgressReport, note: str) -> ProgressReport:
    """The secretariat asks for more evidence, saying what is missing; the endorser's members are told."""
    return _report_transition(actor=actor, report=report, action=ReportAction.REQUEST_EVIDENCE,
                              note=_text(note, "note", required=True))


# -- ratings -------------------------------------------------------------------------------------------

def pledge_rate(*, actor: Actor, pledge: Pledge, ambition: str, completion: str, reasons: str,
                rated_on: dt.date | None = None) -> Rating:
    """The secretariat's independent rating of a public pledge (ambition, completion and why)."""
    _require("charter.rate_pledge", actor=actor, obj=pledge)
    if ambition not in Ambition.values:
        raise InvalidCharterInput(_("“%(value)s” is not one of: %(allowed)s.")
                                  % {"value": ambition, "allowed": ", ".join(Ambition.values)}, field="ambition")
    if completion not in Completion.values:
        raise InvalidCharterInput(_("“%(value)s” is not one of: %(allowed)s.")
                                  % {"value": completion, "allowed": ", ".join(Completion.values)}, field="completion")
    reasons = _text(reasons, "reasons", required=True)
    rated_on = _not_future(rated_on or timezone.localdate(), "rated_on")
    with transaction.atomic():
        pledge = _locked_pledge(pledge)
        if pledge.status == PledgeStatus.DRAFT:
            raise CharterConflict(_("A draft pledge is not rated; it is rated once published."), field="status")
        rating = Rating.objects.create(pledge=pledge, ambition=ambition, completion=completion, reasons=reasons,
                                       rated_on=rated_on, rated_by=actor.user)
        _recorded(actor=actor, action=CharterAction.PLEDGE_RATE, target=pledge,
                       changes={"rating": {"before": None, "after": {"ambition": ambition, "completion": completion}}},
                       data={"rating": rating.pk})
    return rating


# -- reminders -----------------------------------------------------------------------------------------

def charter_reminders_send(*, today: dt.date) -> int:
    """Tell the members of endorsers whose published pledges fall due for a report within
    ``DPGHUB_CHARTER_REMINDER_DAYS`` of ``today``; once per due date (``Pledge.reminded_for``). Returns how many
    pledges were reminded about."""
    from dpghub.charter.selectors import pledges_due_for_report

    actor = Actor.system_job("charter.remind")
    horizon = today + dt.timedelta(days=settings.DPGHUB_CHARTER_REMINDER_DAYS)
    sent = 0
    for pledge, due_on in pledges_due_for_report(today=today, until=horizon):
        with transaction.atomic():
            locked = _locked_pledge(pledge)
            if locked.reminded_for == due_on or locked.status != PledgeStatus.PUBLISHED:
                continue
            previous, locked.reminded_for = locked.reminded_for, due_on
            locked.save(update_fields=["reminded_for"])
            _recorded(actor=actor, action=CharterAction.PLEDGE_REMIND, target=locked,
                           changes={"reminded_for": {"before": previous, "after": due_on}})
            values = {"pledge": locked.title, "date": due_on.isoformat()}
            notify(people=_members(locked.endorsement.organisation), kind=NotificationKind.CHARTER_REPORT_DUE,
                   subject=_("Progress report due by %(date)s: %(pledge)s") % values,
                   body=_("A progress report on the pledge “%(pledge)s” is due by %(date)s: give each target's "
                          "value as of today, its status and the evidence.") % values,
                   url=pledge_path(locked))
            sent += 1
    return sent

