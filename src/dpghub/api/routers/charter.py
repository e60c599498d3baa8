"""/endorsers, /pledges, /reports and /charter/...: the Charter's monitoring framework (parse, call, render).

Reads are public (drafts only for the endorser's members and the secretariat, others get 404); writes need a
write token. Money is given as decimal strings ("1500.00"), one line per currency, never summed across
currencies; reported values are the latest report of each target as of the date, verified or not, and
``reported_verified`` the latest verified one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dpghub.api.auth import request_actor, write_actor
from dpghub.api.schemas import MAX_PAGE, Error
from dpghub.catalog.selectors import good_get
from dpghub.charter.enums import Ambition, Completion, Outcome, PledgeStatus, PledgeType, TargetStatus
from dpghub.charter.errors import InvalidCharterInput, TargetNotFound
from dpghub.charter.models import Endorsement, Pledge, ProgressReport
from dpghub.charter.selectors import (
    Grid,
    charter_grid,
    endorsement_get,
    endorsements_list,
    good_ids_for,
    pledge_get,
    pledge_ratings,
    pledge_reports,
    pledge_state,
    pledge_targets,
    pledges_list,
    report_get,
    report_verification_as_of,
)
from dpghub.charter.services import (
    MilestoneInput,
    TargetInput,
    endorsement_create,
    pledge_create,
    pledge_publish,
    pledge_rate,
    pledge_smart_gaps,
    pledge_update,
    pledge_withdraw,
    report_request_evidence,
    report_submit,
    report_verify,
)
from dpghub.orgs.selectors import organisation_get

router = Router(tags=["charter"])

WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 429: Error}
Money = str


# -- schemas -------------------------------------------------------------------------------------------

class EndorserOut(Schema):
    id: str = Field(description="The endorsing organisation's slug.")
    name: str
    type: str = Field(description="The organisation's type: the endorser type.")
    country: str
    endorsed_on: dt.date
    statement: str
    signatory_role: str
    is_sample: bool = Field(description="Sample data (dpghub charter sample), not a real endorsement.")


class EndorserIn(Schema):
    organisation: str = Field(description="The organisation's slug (/api/v1/orgs).")
    endorsed_on: dt.date
    statement: str = ""
    signatory_role: str = Field("", max_length=200, description="The role of who signed (not their name).")


class PledgeSummary(Schema):
    id: str = Field(description="The pledge's ref.")
    title: str
    endorser: str = Field(description="The endorsing organisation's slug.")
    status: str
    types: list[str]
    outcomes: list[str]
    countries: list[str]
    pledged_on: dt.date
    version: int
    is_sample: bool = Field(description="Sample data (dpghub charter sample), not a real commitment.")


class PledgePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PledgeSummary]


class MilestoneOut(Schema):
    title: str
    due_on: dt.date
    done_on: dt.date | None


class ReportOut(Schema):
    id: int
    metric: str
    reported_on: dt.date
    value: Money
    status: str
    narrative: str
    evidence_url: str
    verification: str = Field(description="self-reported, verified or more-evidence: told apart everywhere.")


class TargetOut(Schema):
    metric: str
    unit: str
    currency: str
    baseline: Money | None
    target_value: Money
    deadline: dt.date | None
    milestones: list[MilestoneOut]
    latest: ReportOut | None = Field(description="The latest report as of the date, verified or not.")
    verified: ReportOut | None = Field(description="The latest verified report as of the date.")
    late: bool


class StateOut(Schema):
    as_of: dt.date
    light: str = Field(description="green, amber (report due), red (overdue), inactive.")
    last_reported_on: dt.date | None
    due_on: dt.date
    late: bool
    completed: bool


class RatingOut(Schema):
    ambition: str
    completion: str
    reasons: str
    rated_on: dt.date


class PledgeDetail(PledgeSummary):
    description: str
    goods: list[str] = Field(description="Slugs of the goods (/api/v1/goods/{id}).")
    targets: list[TargetOut]
    state: StateOut
    ratings: list[RatingOut] = Field(description="The secretariat's ratings, newest first.")
    smart_gaps: list[str] = Field(description="What keeps the pledge from being specific and measurable.")


class EndorserDetail(EndorserOut):
    pledges: list[PledgeSummary]


class MilestoneIn(Schema):
    title: str = Field(max_length=300)
    due_on: dt.date
    done_on: dt.date | None = None


class TargetIn(Schema):
    metric: str = Field(max_length=200)
    unit: str = Field("", description="Empty for money.")
    currency: str = Field("", description="ISO 4217 code for a money target.")
    baseline: Money | None = None
    target_value: Money
    deadline: dt.date | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list)


class PledgeIn(Schema):
    endorser: str = Field(description="The endorsing organisation's slug.")
    title: str = Field(max_length=300)
    description: str = ""
    types: list[PledgeType]
    outcomes: list[Outcome]
    countries: list[str] = Field([], description="ISO 3166 codes.")
    goods: list[str] = Field([], description="Slugs of registered goods.")
    pledged_on: dt.date
    targets: list[TargetIn] = Field(default_factory=list)


class PledgePatch(Schema):
    expected_version: int = Field(description="The version the change starts from (409 when it is stale).")
    title: str | None = None
    description: str | None = None
    types: list[PledgeType] | None = None
    outcomes: list[Outcome] | None = None
    countries: list[str] | None = None
    goods: list[str] | None = None
    pledged_on: dt.date | None = None


class ReportIn(Schema):
    reported_on: dt.date = Field(description="The date the cumulative value is given as of.")
    value: Money
    status: TargetStatus
    narrative: str = ""
    evidence_url: str = ""


class NoteIn(Schema):
    note: str = ""


class RatingIn(Schema):
    ambition: Ambition
    completion: Completion
    reasons: str


class FinanceOut(Schema):
    currency: str
    pledged: Money
    reported: Money = Field(description="The latest reported value of each money target as of the date, verified "
                                        "or not.")
    reported_verified: Money = Field(description="The latest verified value of each money target as of the date.")


class CellOut(Schema):
    type: str
    outcome: str
    pledges: int
    endorsers: int
    finance: list[FinanceOut]
    completed: int
    late: int
    overdue: int
    gap: str = Field(description="none, no-pledge, or nothing-delivered.")


class TotalsOut(Schema):
    pledges: int = Field(description="Each pledge once, whatever its number of cells.")
    endorsers: int
    finance: list[FinanceOut]
    completed: int
    late: int
    overdue: int


class GridOut(Schema):
    as_of: dt.date
    includes_sample: bool = Field(description="Whether sample data (asked for with include_sample) is counted.")
    cells: list[CellOut]
    totals: TotalsOut


class GridQuery(Schema):
    # bounded: periods are counted back from as_of, and days before year 1 do not exist (a 500, found by fuzzing)
    as_of: dt.date | None = Field(None, ge=dt.date(1900, 1, 1), le=dt.date(9000, 12, 31),
                                  description="The day the grid stands as of (YYYY-MM-DD, 1900 to 9000); default today.")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="Pledges concerning this ISO 3166 country.")
    endorser_type: str = Field("", description="Pledges of endorsers of this organisation type.")
    good: str = Field("", description="Pledges concerning this good (slug).")
    include_sample: bool = Field(False, description="Also count sample data (dpghub charter sample); left out "
                                                 "by default.")


class PledgeQuery(Schema):
    endorser: str = Field("", description="The endorsing organisation's slug.")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    good: str = Field("", description="A good's slug.")
    type: PledgeType | None = None
    outcome: Outcome | None = None
    status: PledgeStatus | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=200)
    include_sample: bool = Field(False, description="Also count sample data (dpghub charter sample); left out "
                                                 "by default.")


# -- rendering -----------------------------------------------------------------------------------------

def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _endorser(endorsement: Endorsement) -> dict:
    org = endorsement.organisation
    return {"id": org.slug, "name": org.name, "type": org.type, "country": org.country,
            "endorsed_on": endorsement.endorsed_on, "statement": endorsement.statement,
            "signatory_role": endorsement.signatory_role, "is_sample": endorsement.is_sample}


def _summary(pledge: Pledge) -> dict:
    return {"id": pledge.ref, "title": pledge.title, "endorser": pledge.endorsement.organisation.slug,
            "status": pledge.status, "types": pledge.types, "outcomes": pledge.outcomes, "countries": pledge.countries,
            "pledged_on": pledge.pledged_on, "version": pledge.version, "is_sample": pledge.is_sample}


def _report(report: ProgressReport | None, metric: str | None = None, as_of: dt.date | None = None) -> dict | None:
    if report is None:
        return None
    return {"id": report.pk, "metric": metric or report.target.metric, "reported_on": report.reported_on,
            "value": _money(report.value), "status": report.status, "narrative": report.narrative,
            "evidence_url": report.evidence_url,
            "verification": report_verification_as_of(report=report, as_of=as_of).value}


def _detail(pledge: Pledge, as_of: dt.date | None = None) -> dict:
    state = pledge_state(pledge=pledge, as_of=as_of)
    milestones = {t.pk: list(t.milestones.all()) for t in pledge_targets(pledge=pledge)}
    targets = [{
        "metric": s.target.metric, "unit": s.target.unit, "currency": s.target.currency,
        "baseline": _money(s.target.baseline), "target_value": _money(s.target.target_value),
        "deadline": s.target.deadline,
        "milestones": [{"title": m.title, "due_on": m.due_on, "done_on": m.done_on} for m in milestones[s.target.pk]],
        "latest": _report(s.latest, s.target.metric, state.as_of),
        "verified": _report(s.verified, s.target.metric, state.as_of),
        "late": s.is_late,
    } for s in state.targets]
    goods = list(pledge.goods.order_by("slug").values_list("slug", flat=True))
    return {
        **_summary(pledge), "description": pledge.description, "goods": goods, "targets": targets,
        "state": {"as_of": state.as_of, "light": state.light.value, "last_reported_on": state.last_reported_on,
                  "due_on": state.due_on, "late": state.is_late, "completed": state.is_completed},
        "ratings": [{"ambition": r.ambition, "completion": r.completion, "reasons": r.reasons, "rated_on": r.rated_on}
                    for r in pledge_ratings(pledge=pledge)],
        "smart_gaps": pledge_smart_gaps(targets=[s.target for s in state.targets], good_ids=goods),
    }


def _finance(lines: list) -> list[dict]:
    return [{"currency": f.currency, "pledged": _money(f.pledged), "reported": _money(f.reported),
             "reported_verified": _money(f.reported_verified)} for f in lines]


def _grid(grid: Grid) -> dict:
    totals = grid.totals
    return {
        "as_of": grid.as_of, "includes_sample": grid.includes_sample,
        "cells": [{"type": c.type.value, "outcome": c.outcome.value, "pledges": c.pledges, "endorsers": c.endorsers,
                   "finance": _finance(c.finance), "completed": c.completed, "late": c.late, "overdue": c.overdue,
                   "gap": c.gap.value} for c in grid.cells],
        "totals": {"pledges": totals.pledges, "endorsers": totals.endorsers, "finance": _finance(totals.finance),
                   "completed": totals.completed, "late": totals.late, "overdue": totals.overdue},
    }


def _targets(items: list[TargetIn]) -> list[TargetInput]:
    return [TargetInput(metric=t.metric, unit=t.unit, currency=t.currency, baseline=t.baseline,
                        target_value=t.target_value, deadline=t.deadline,
                        milestones=[MilestoneInput(title=m.title, due_on=m.due_on, done_on=m.done_on)
                                    for m in t.milestones]) for t in items]


# -- endorsers -----------------------------------------------------------------------------------------

@router.get("/endorsers", response={200: list[EndorserOut], 400: Error}, url_name="endorsers_list",
            operation_id="endorsers_list", summary="The endorsers of the Charter")
def endorsers(request: HttpRequest, endorser_type: str = "", country: str = "", include_sample: bool = False) -> list:
    viewer = request_actor(request).user
    return [_endorser(e) for e in endorsements_list(viewer=viewer, endorser_type=endorser_type, country=country,
                                                    include_sample=include_sample)]


@router.get("/endorsers/{id}", response={200: EndorserDetail, 404: Error}, url_name="endorser_detail",
            operation_id="endorser_detail", summary="An endorser and its pledges")
def endorser_detail(request: HttpRequest, id: str) -> dict:
    viewer = request_actor(request).user
    endorsement = endorsement_get(viewer=viewer, organisation_slug=id)
    listed = pledges_list(viewer=viewer, endorsement=endorsement, include_sample=endorsement.is_sample)
    return {**_endorser(endorsement), "pledges": [_summary(p) for p in listed]}


@router.post("/endorsers", response={201: EndorserOut, **WRITE_ERRORS}, url_name="endorser_create",
             operation_id="endorser_create", summary="Endorse the Charter for an organisation (its administrators)")
def endorser_create(request: HttpRequest, body: EndorserIn) -> Status:
    actor = write_actor(request)
    organisation = organisation_get(viewer=actor.user, slug=body.organisation)
    endorsement = endorsement_create(actor=actor, organisation=organisation, endorsed_on=body.endorsed_on,
                                     statement=body.statement, signatory_role=body.signatory_role)
    return Status(201, _endorser(endorsement))


# -- pledges -------------------------------------------------------------------------------------------

@router.get("/pledges", response={200: PledgePage, 400: Error, 404: Error}, url_name="pledges_list",
            operation_id="pledges_list", summary="Pledges, filtered (drafts only for their endorser)")
def pledges(request: HttpRequest, filters: Query[PledgeQuery]) -> dict:
    viewer = request_actor(request).user
    endorsement = endorsement_get(viewer=viewer, organisation_slug=filters.endorser) if filters.endorser else None
    good = good_get(slug=filters.good) if filters.good else None
    found = pledges_list(viewer=viewer, endorsement=endorsement, country=filters.country, good=good,
                         type=filters.type.value if filters.type else "",
                         outcome=filters.outcome.value if filters.outcome else "",
                         status=filters.status.value if filters.status else "", include_sample=filters.include_sample)
    start = (filters.page - 1) * filters.page_size
    return {"count": found.count(), "page": filters.page, "page_size": filters.page_size,
            "results": [_summary(p) for p in found[start:start + filters.page_size]]}


@router.get("/pledges/{ref}", response={200: PledgeDetail, 404: Error}, url_name="pledge_detail",
            operation_id="pledge_detail", summary="A pledge: targets, latest and verified reports, state, ratings")
def pledge_detail(request: HttpRequest, ref: str, as_of: dt.date | None = None) -> dict:
    return _detail(pledge_get(viewer=request_actor(request).user, ref=ref), as_of)


@router.get("/pledges/{ref}/reports", response={200: list[ReportOut], 404: Error}, url_name="pledge_reports",
            operation_id="pledge_reports", summary="Every progress report of a pledge")
def reports(request: HttpRequest, ref: str) -> list:
    viewer = request_actor(request).user
    return [_report(r) for r in pledge_reports(viewer=viewer, pledge=pledge_get(viewer=viewer, ref=ref))]


@router.post("/pledges", response={201: PledgeDetail, **WRITE_ERRORS}, url_name="pledge_create",
             operation_id="pledge_create", summary="Draft a pledge (members of the endorsing organisation)")
def pledge_new(request: HttpRequest, body: PledgeIn) -> Status:
    actor = write_actor(request)
    endorsement = endorsement_get(viewer=actor.user, organisation_slug=body.endorser)
    created = pledge_create(
        actor=actor, endorsement=endorsement, title=body.title, description=body.description,
        types=[t.value for t in body.types], outcomes=[o.value for o in body.outcomes], countries=body.countries,
        good_ids=good_ids_for(slugs=body.goods), pledged_on=body.pledged_on, targets=_targets(body.targets))
    return Status(201, _detail(created))


@router.patch("/pledges/{ref}", response={200: PledgeDetail, **WRITE_ERRORS}, url_name="pledge_update",
              operation_id="pledge_update", summary="Change a pledge (name the version you started from)")
def pledge_change(request: HttpRequest, ref: str, body: PledgePatch) -> dict:
    actor = write_actor(request)
    pledge = pledge_get(viewer=actor.user, ref=ref)
    fields = body.dict(exclude_unset=True)
    expected = fields.pop("expected_version")
    if "types" in fields:
        fields["types"] = [str(getattr(t, "value", t)) for t in fields["types"] or []]
    if "outcomes" in fields:
        fields["outcomes"] = [str(getattr(o, "value", o)) for o in fields["outcomes"] or []]
    if "goods" in fields:
        fields["good_ids"] = good_ids_for(slugs=fields.pop("goods") or [])
    return _detail(pledge_update(actor=actor, pledge=pledge, expected_version=expected, **fields))


_PLEDGE_ACTIONS = {"publish": pledge_publish, "withdraw": pledge_withdraw}


@router.post("/pledges/{ref}/actions/{action}", response={200: PledgeDetail, **WRITE_ERRORS},
             url_name="pledge_action", operation_id="pledge_action", summary="Publish or withdraw a pledge")
def pledge_action(request: HttpRequest, ref: str, action: Literal["publish", "withdraw"]) -> dict:
    actor = write_actor(request)
    pledge = pledge_get(viewer=actor.user, ref=ref)
    return _detail(_PLEDGE_ACTIONS[action](actor=actor, pledge=pledge))


@router.post("/pledges/{ref}/targets/{metric}/reports", response={201: ReportOut, **WRITE_ERRORS},
             url_name="report_create", operation_id="report_create",
             summary="Report a target's cumulative value as of a date (self-reported until verified)")
def report_new(request: HttpRequest, ref: str, metric: str, body: ReportIn) -> Status:
    actor = write_actor(request)
    pledge = pledge_get(viewer=actor.user, ref=ref)
    target = pledge.targets.filter(metric=metric).first()
    if target is None:
        raise TargetNotFound(metric)
    made = report_submit(actor=actor, target=target, reported_on=body.reported_on, value=body.value,
                         status=body.status.value, narrative=body.narrative, evidence_url=body.evidence_url)
    return Status(201, _report(made, target.metric))


_REPORT_ACTIONS = {"verify": report_verify, "request-evidence": report_request_evidence}


@router.post("/reports/{report_id}/actions/{action}", response={200: ReportOut, **WRITE_ERRORS},
             url_name="report_action", operation_id="report_action",
             summary="Verify a report, or ask for more evidence (the secretariat)")
def report_action(request: HttpRequest, report_id: int, action: Literal["verify", "request-evidence"],
                  body: NoteIn) -> dict:
    actor = write_actor(request)
    report = report_get(viewer=actor.user, report_id=report_id)
    return _report(_REPORT_ACTIONS[action](actor=actor, report=report, note=body.note))


@router.post("/pledges/{ref}/ratings", response={201: RatingOut, **WRITE_ERRORS}, url_name="pledge_rating",
             operation_id="pledge_rating", summary="Rate a pledge's ambition and completion (the secretariat)")
def rating_new(request: HttpRequest, ref: str, body: RatingIn) -> Status:
    actor = write_actor(request)
    pledge = pledge_get(viewer=actor.user, ref=ref)
    rating = pledge_rate(actor=actor, pledge=pledge, ambition=body.ambition.value, completion=body.completion.value,
                         reasons=body.reasons)
    return Status(201, {"ambition": rating.ambition, "completion": rating.completion, "reasons": rating.reasons,
                        "rated_on": rating.rated_on})


# -- the grid ------------------------------------------------------------------------------------------

def _grid_for(request: HttpRequest, query: GridQuery, **fixed: Any) -> dict:
    viewer = request_actor(request).user
    good = fixed.pop("good", None) or (good_get(slug=query.good) if query.good else None)
    if query.as_of is not None and query.as_of > timezone.localdate():
        raise InvalidCharterInput(_("The grid is shown as of today at the latest."), field="as_of")
    filters = {"country": query.country, "endorser_type": query.endorser_type, **fixed}
    endorsement = filters.get("endorsement")
    include_sample = query.include_sample or (endorsement is not None and endorsement.is_sample)
    return _grid(charter_grid(viewer=viewer, as_of=query.as_of, good=good, include_sample=include_sample, **filters))


@router.get("/charter/grid", response={200: GridOut, 400: Error, 404: Error}, url_name="charter_grid",
            operation_id="charter_grid", summary="The 3 x 5 grid: per type and outcome, as of a date")
def grid(request: HttpRequest, query: Query[GridQuery]) -> dict:
    return _grid_for(request, query)


@router.get("/charter/countries/{code}", response={200: GridOut, 400: Error, 404: Error},
            url_name="charter_country", operation_id="charter_country",
            summary="The grid of the pledges concerning a country")
def grid_country(request: HttpRequest, code: str, query: Query[GridQuery]) -> dict:
    if len(code) != 2 or not code.isalpha():
        raise InvalidCharterInput(_("“%(value)s” is not an ISO 3166 alpha-2 code.") % {"value": code}, field="code")
    return _grid_for(request, query, country=code)


@router.get("/charter/endorsers/{id}", response={200: GridOut, 400: Error, 404: Error},
            url_name="charter_endorser", operation_id="charter_endorser", summary="The grid of one endorser's pledges")
def grid_endorser(request: HttpRequest, id: str, query: Query[GridQuery]) -> dict:
    endorsement = endorsement_get(viewer=request_actor(request).user, organisation_slug=id)
    return _grid_for(request, query, endorsement=endorsement)


@router.get("/charter/goods/{id}", response={200: GridOut, 400: Error, 404: Error},
            url_name="charter_good", operation_id="charter_good", summary="The grid of the pledges concerning a good")
def grid_good(request: HttpRequest, id: str, query: Query[GridQuery]) -> dict:
    return _grid_for(request, query, good=good_get(slug=id))
