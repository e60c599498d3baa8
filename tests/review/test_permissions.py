"""Every action of the workflow x every role: allowed or refused, and a refusal changes nothing and sends
nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from dpghub.catalog.models import Good, GoodFieldOwner
from dpghub.common.history import Actor
from dpghub.common.models import Activity, Job
from dpghub.core.standard import INDICATOR_CODES
from dpghub.notifications.models import Notification
from dpghub.review import services
from dpghub.review.enums import SYSTEM_ACTIONS, Action
from dpghub.review.enums import ApplicationState as S
from dpghub.review.errors import ReviewPermissionDenied
from dpghub.review.models import (
    Application,
    Assignment,
    Clarification,
    Decision,
    DecisionLogEntry,
    ExpertConsultation,
    IndicatorVerdict,
)
from tests.review.conftest import ANSWERS, DAY0, bring_to, quiet

ROLES = ["anonymous", "applicant", "applicant_admin", "applicant_read_token", "applicant_of_another",
         "reviewer_l1", "reviewer_l2", "expert", "conflicted_reviewer", "secretariat"]


def _actor(world, role: str) -> Actor:
    return {
        "anonymous": world.actors["anonymous"], "applicant": world.actors["member"],
        "applicant_admin": world.actors["admin_write_token"], "applicant_read_token": world.actors["admin_read_token"],
        "applicant_of_another": world.actors["admin_of_another"], "reviewer_l1": world.actors["l1"],
        "reviewer_l2": world.actors["l2"], "expert": world.actors["expert"],
        "conflicted_reviewer": world.actors["conflicted"], "secretariat": world.actors["secretariat"],
    }[role]


def _at(world, state: S, assign: str | None = None) -> Application:
    application = bring_to(world, state)
    if assign:
        services.application_assign(actor=world.actors[assign], application=application, today=DAY0)
    return application


def _ready_to_decide(world) -> Application:
    application = _at(world, S.LEVEL_2, assign="l2")
    for code in INDICATOR_CODES:
        services.verdict_set(actor=world.actors["l2"], application=application, indicator=code, verdict="pass",
                             today=DAY0)
    return application


def _answered_draft(world) -> Application:
    application = _at(world, S.DRAFT)
    return services.application_answers_update(actor=world.actors["member"], application=application,
                                               answers=ANSWERS, expected_version=0, today=DAY0)


#: action -> (set-up, call). The set-up brings an application to a state that allows the action.
CASES = {
    "create_draft": (lambda w: None, lambda w, a, _app: services.application_create_draft(
        actor=a, organisation=w.org, proposed_name="New tool", today=DAY0)),
    "answers_update": (lambda w: _at(w, S.DRAFT), lambda w, a, app: services.application_answers_update(
        actor=a, application=app, expected_version=app.version, today=DAY0,
        answers={"1": {"text": "SDG 3", "links": [], "suggested": False}})),
    "submit": (_answered_draft, lambda w, a, app: services.application_submit(
        actor=a, application=app, today=DAY0)),
    "assign": (lambda w: _at(w, S.LEVEL_1), lambda w, a, app: services.application_assign(
        actor=a, application=app, person=w.people["l1"], today=DAY0)),
    "verdict": (lambda w: _at(w, S.LEVEL_1, assign="l1"), lambda w, a, app: services.verdict_set(
        actor=a, application=app, indicator="1", verdict="pass", today=DAY0)),
    "forward": (lambda w: _at(w, S.LEVEL_1, assign="l1"), lambda w, a, app: services.application_forward(
        actor=a, application=app, today=DAY0)),
    "request_clarification": (lambda w: _at(w, S.LEVEL_1, assign="l1"),
                              lambda w, a, app: services.clarification_request(
                                  actor=a, application=app, question="Which licence?", days=15, today=DAY0)),
    "answer_clarification": (lambda w: _at(w, S.CLARIFICATION_1), lambda w, a, app: services.clarification_answer(
        actor=a, application=app, answer="MIT", today=DAY0)),
    "consult_expert": (lambda w: _at(w, S.LEVEL_2, assign="l2"), lambda w, a, app: services.expert_consult(
        actor=a, application=app, question="9a?", expert=w.people["expert"], today=DAY0)),
    "answer_consultation": (lambda w: _at(w, S.CONSULTATION), lambda w, a, app: services.consultation_answer(
        actor=a, application=app, advice="Met.", today=DAY0)),
    "decide": (_ready_to_decide, lambda w, a, app: services.application_decide(
        actor=a, application=app, outcome="dpg", today=DAY0)),
    "withdraw": (lambda w: _at(w, S.LEVEL_1), lambda w, a, app: services.application_withdraw(
        actor=a, application=app, today=DAY0)),
}

#: The conflicted reviewer is a member of the applying organisation: an applicant like any other member.
APPLICANTS = {"applicant", "applicant_admin", "conflicted_reviewer"}
ALLOWED = {
    "create_draft": APPLICANTS,
    "answers_update": APPLICANTS,
    "submit": APPLICANTS,
    "assign": {"reviewer_l1", "secretariat"},  # a first-level reviewer takes it, or the secretariat gives it
    "verdict": {"reviewer_l1"},  # the assigned reviewer only
    "forward": {"reviewer_l1", "secretariat"},
    "request_clarification": {"reviewer_l1", "secretariat"},
    "answer_clarification": APPLICANTS,
    "consult_expert": {"reviewer_l2", "secretariat"},
    "answer_consultation": {"expert"},
    "decide": {"reviewer_l2", "secretariat"},
    "withdraw": APPLICANTS | {"secretariat"},
}


def _state():
    return (
        list(Application.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(IndicatorVerdict.objects.order_by("pk").values()),
        list(Clarification.objects.order_by("pk").values()),
        list(ExpertConsultation.objects.order_by("pk").values()),
        list(Decision.objects.order_by("pk").values()),
        list(DecisionLogEntry.objects.order_by("pk").values()),
        list(Good.objects.order_by("pk").values("pk", "stage", "recognised_on", "expires_on")),
        GoodFieldOwner.objects.count(),
        Activity.objects.count(),
        Notification.objects.count(),
        Job.objects.count(),
    )


def test_the_matrix_covers_every_action_of_the_api():
    api_actions = {a.value.replace("-", "_") for a in Action if a not in SYSTEM_ACTIONS}
    assert api_actions <= set(CASES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_matrix(review_world, case, role):
    set_up, call = CASES[case]
    application = set_up(review_world)
    quiet()
    mail.outbox.clear()
    actor = _actor(review_world, role)
    before = _state()
    if role in ALLOWED[case]:
        call(review_world, actor, application)
        assert Activity.objects.count() > before[-3], "an allowed write records its history"
    else:
        with pytest.raises(ReviewPermissionDenied):
            call(review_world, actor, application)
        assert _state() == before
        assert mail.outbox == []


@pytest.mark.parametrize("role", ROLES)
def test_the_scheduled_actions_are_refused_to_every_person(review_world, role):
    """Lapse, expire and archive are DPG Hub's scheduled job's alone (a system actor passes actor_may)."""
    application = bring_to(review_world, S.DPG)
    for action in SYSTEM_ACTIONS:
        with pytest.raises(ReviewPermissionDenied):
            services._require(action, actor=_actor(review_world, role), application=application)
    services._require(Action.EXPIRE, actor=Actor.system_job("review.tick"), application=application)
