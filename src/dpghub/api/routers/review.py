"""/applications and /decisions: the review workflow through the API (parse, call the domain, render).

Every action of the workflow is ``POST /applications/{id}/actions/{action}``: an action the caller may not
take is 403 and changes nothing; one the application's state does not allow is 409 with ``allowed``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from dpghub.api.auth import request_actor, write_actor
from dpghub.api.schemas import Error
from dpghub.catalog.selectors import good_get
from dpghub.orgs.selectors import organisation_get
from dpghub.review import services
from dpghub.review.decisions import decision_log_lines
from dpghub.review.enums import SYSTEM_ACTIONS, Action
from dpghub.review.errors import InvalidApplication, ReviewPermissionDenied
from dpghub.review.selectors import (
    application_get,
    application_view,
    backlog_figures,
    review_queue,
    reviewer_get,
)

router = Router(tags=["review"])
_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 429: Error}


class OrganisationRef(Schema):
    id: str
    name: str


class DecisionOut(Schema):
    outcome: str
    decided_on: dt.date
    recognised_on: dt.date | None
    expires_on: dt.date | None
    automatic: bool
    reasons: dict = Field(description="Per indicator code: the second-level verdict and the public reason.")


class ApplicationOut(Schema):
    id: int
    state: str
    state_label: str
    good: str | None = Field(description="The good's slug (null for a new good not yet decided).")
    name: str
    organisation: OrganisationRef
    standard_version: str = Field(description="The Standard version the application is assessed against.")
    renews: int | None = Field(description="The application this one renews.")
    created_on: dt.date
    submitted_on: dt.date | None
    state_since: dt.date
    decided_on: dt.date | None
    expires_on: dt.date | None
    decision: DecisionOut | None
    actions: list[str] = Field(description="The actions the caller may take now.")
    version: int | None = Field(None, description="For the organisation and reviewers: send it back as "
                                "expected_version when changing answers.")
    answers: dict | None = Field(None, description="For the organisation and reviewers.")
    clarifications: list[dict] | None = Field(None, description="For the organisation and reviewers.")
    verdicts: list[dict] | None = Field(None, description="For the organisation (public notes) and reviewers "
                                        "(also private notes).")
    assignments: list[dict] | None = Field(None, description="For reviewers and the secretariat.")
    consultations: list[dict] | None = Field(None, description="For reviewers and the secretariat.")


class ApplicationIn(Schema):
    organisation: str = Field(description="The applying organisation's slug; you must be its active member.")
    good: str | None = Field(None, description="A registered good's slug; or give proposed_name for a new one.")
    proposed_name: str = Field("", max_length=300)
    answers: dict = Field({}, description="Per indicator code: {text, links, suggested}.")


class AnswersIn(Schema):
    answers: dict = Field(description="Per indicator code: {text, links, suggested}; other indicators are kept.")
    expected_version: int = Field(description="The application's version you saw; 409 if it changed since.")


class ActionIn(Schema):
    person: str | None = Field(None, description="assign: whom (a username; yourself when absent).")
    indicator: str | None = Field(None, description="verdict: the indicator code.")
    verdict: str | None = Field(None, description="verdict: pass, fail, not-applicable, clarification, consultation.")
    notes: str = Field("", description="verdict: public notes.")
    private_notes: str = Field("", description="verdict: notes for reviewers only.")
    expected_version: int = Field(0, description="verdict: the verdict's version you saw (0: none yet).")
    question: str = Field("", description="request-clarification, consult-expert.")
    days: int | None = Field(None, description="request-clarification: 15, 30 or 45.")
    indicators: list[str] = Field([], description="request-clarification, consult-expert: which indicators.")
    answer: str = Field("", description="answer-clarification.")
    advice: str = Field("", description="answer-consultation.")
    expert: str | None = Field(None, description="consult-expert: the expert's username (optional).")
    outcome: str | None = Field(None, description="decide: dpg or ineligible.")
    reasons: dict[str, str] = Field({}, description="decide: a public reason per indicator code.")


class QueueRow(Schema):
    id: int
    name: str
    organisation: str
    standard_version: str
    waiting_days: int = Field(description="Days since the application reached this level.")
    assignee: str | None


class BacklogOut(Schema):
    today: dt.date
    since: dt.date
    states: dict[str, int]
    decisions: int
    days_to_decision_median: float | None
    days_to_decision_p90: float | None
    waiting_on: dict[str, int] = Field(description="Open applications and drafts by whom they wait on.")
    open_total: int = Field(description="Open applications and drafts.")
    applications: list[dict] | None = Field(None, description="The secretariat only: the 100 open applications "
                                            "longest in their state, with their age and whom they wait on.")


def _view(request: HttpRequest, application_id: int) -> dict:
    viewer = request_actor(request).user
    return application_view(viewer=viewer, application=application_get(viewer=viewer, application_id=application_id))


@router.post("/applications", response={201: ApplicationOut, **_ERRORS}, url_name="application_create",
             operation_id="application_create", summary="Start an application (a draft) for a good")
def application_create(request: HttpRequest, body: ApplicationIn) -> Status:
    actor = write_actor(request)
    organisation = organisation_get(viewer=actor.user, slug=body.organisation)
    good = good_get(slug=body.good) if body.good else None
    application = services.application_create_draft(actor=actor.acting_for(organisation), organisation=organisation,
                                                    good=good, proposed_name=body.proposed_name, answers=body.answers)
    return Status(201, _view(request, application.pk))


@router.get("/applications/{id}", response={200: ApplicationOut, 404: Error}, url_name="application_detail",
            operation_id="application_detail", summary="An application: what the caller may see of it")
def application_detail(request: HttpRequest, id: int) -> dict:
    return _view(request, id)


@router.patch("/applications/{id}", response={200: ApplicationOut, **_ERRORS}, url_name="application_update",
              operation_id="application_update", summary="Change an application's answers")
def application_update(request: HttpRequest, id: int, body: AnswersIn) -> dict:
    actor = write_actor(request)
    application = application_get(viewer=actor.user, application_id=id)
    services.application_answers_update(actor=actor, application=application, answers=body.answers,
                                        expected_version=body.expected_version)
    return _view(request, id)


def _take(action: Action, actor, application, body: ActionIn) -> None:
    if action == Action.SUBMIT:
        services.application_submit(actor=actor, application=application)
    elif action == Action.ASSIGN:
        person = reviewer_get(username=body.person) if body.person else None
        services.application_assign(actor=actor, application=application, person=person)
    elif action == Action.VERDICT:
        services.verdict_set(actor=actor, application=application, indicator=body.indicator or "",
                             verdict=body.verdict or "", notes=body.notes, private_notes=body.private_notes,
                             expected_version=body.expected_version)
    elif action == Action.FORWARD:
        services.application_forward(actor=actor, application=application)
    elif action == Action.REQUEST_CLARIFICATION:
        services.clarification_request(actor=actor, application=application, question=body.question,
                                       days=body.days or 0, indicators=body.indicators)
    elif action == Action.ANSWER_CLARIFICATION:
        services.clarification_answer(actor=actor, application=application, answer=body.answer)
    elif action == Action.CONSULT_EXPERT:
        expert = reviewer_get(username=body.expert) if body.expert else None
        services.expert_consult(actor=actor, application=application, question=body.question,
                                indicators=body.indicators, expert=expert)
    elif action == Action.ANSWER_CONSULTATION:
        services.consultation_answer(actor=actor, application=application, advice=body.advice)
    elif action == Action.DECIDE:
        services.application_decide(actor=actor, application=application, outcome=body.outcome or "",
                                    reasons=body.reasons)
    elif action == Action.WITHDRAW:
        services.application_withdraw(actor=actor, application=application)


@router.post("/applications/{id}/actions/{action}", response={200: ApplicationOut, **_ERRORS},
             url_name="application_action", operation_id="application_action",
             summary="Take an action of the workflow: submit, assign, verdict, forward, request-clarification, "
                     "answer-clarification, consult-expert, answer-consultation, decide, withdraw")
def application_action(request: HttpRequest, id: int, action: str, body: ActionIn) -> dict:
    actor = write_actor(request)
    application = application_get(viewer=actor.user, application_id=id)
    if action not in Action.values or Action(action) in SYSTEM_ACTIONS:
        raise InvalidApplication(_("Unknown action “%(action)s”; use one of: %(actions)s.")
                                 % {"action": action,
                                    "actions": ", ".join(a.value for a in Action if a not in SYSTEM_ACTIONS)},
                                 field="action")
    _take(Action(action), actor, application, body)
    return _view(request, id)


@router.get("/decisions", response={200: None}, url_name="decisions", operation_id="decisions",
            summary="The public decision log as JSON Lines (application/x-ndjson), hash-chained; check a copy "
                    "with 'dpghub decisions verify FILE'")
def decisions(request: HttpRequest, after: int = 0) -> StreamingHttpResponse:
    response = StreamingHttpResponse(decision_log_lines(after=after), content_type="application/x-ndjson")
    response["Content-Disposition"] = 'inline; filename="decisions.jsonl"'
    return response


@router.get("/review/backlog", response={200: BacklogOut, 403: Error}, url_name="review_backlog",
            operation_id="review_backlog",
            summary="Backlog figures: applications per state and time to decision (median, 90th percentile); "
                    "with detailed=true (the secretariat) the 100 open applications longest in their state")
def review_backlog(request: HttpRequest, days: int = 365, detailed: bool = False) -> dict:
    if not 1 <= days <= 3650:
        raise InvalidApplication(_("days is between 1 and 3650."), field="days")
    today = timezone.localdate()
    return backlog_figures(viewer=request_actor(request).user, today=today, since=today - dt.timedelta(days=days),
                           detailed=detailed)


@router.get("/review/queue", response={200: list[QueueRow], 400: Error, 401: Error, 403: Error, 429: Error},
            url_name="review_queue", operation_id="review_queue",
            summary="The applications waiting at a level (1, 2, or 3 for experts), oldest first: for the people "
                    "of that level (never their own organisations' applications) and the secretariat")
def review_queue_list(request: HttpRequest, level: int = 1) -> list:
    if level not in (1, 2, 3):
        raise InvalidApplication(_("level is 1, 2 or 3."), field="level")
    actor = request_actor(request)
    if not actor.is_person:
        raise ReviewPermissionDenied(_("The queues are for reviewers and the secretariat."))
    return review_queue(viewer=actor.user, level=level, today=timezone.localdate())
