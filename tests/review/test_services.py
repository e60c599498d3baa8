"""The services end to end: every state reachable, what a decision writes, conflicts of interest, locking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from dpghub.catalog.enums import FieldOwner, Stage
from dpghub.catalog.models import Good
from dpghub.common.models import Activity
from dpghub.notifications.models import Notification
from dpghub.review import services
from dpghub.review.enums import ApplicationState as S
from dpghub.review.errors import (
    DecisionNotReady,
    InvalidApplication,
    InvalidTransition,
    ReviewPermissionDenied,
    StaleVersion,
)
from dpghub.review.models import Application, DecisionLogEntry, IndicatorVerdict
from tests.review.conftest import ANSWERS, DAY0, bring_to, quiet


@pytest.mark.parametrize("state", list(S))
def test_every_state_is_reached_through_the_services(review_world, state):
    assert bring_to(review_world, state).state == state


def test_a_draft_is_assessed_against_the_standard_version_in_force_when_it_was_created(review_world):
    old = services.application_create_draft(actor=review_world.actors["member"], organisation=review_world.org,
                                            proposed_name="Old", today=dt.date(2021, 6, 1))
    new = services.application_create_draft(actor=review_world.actors["member"], organisation=review_world.org,
                                            proposed_name="New", today=dt.date(2026, 1, 1))
    assert (old.standard_version, new.standard_version) == ("1.1.4", "1.1.5")


def test_a_dpg_decision_sets_the_good_in_the_registry_owned_by_the_workflow(review_world):
    application = bring_to(review_world, S.DPG)
    good = Good.objects.get(pk=review_world.good.pk)
    assert (good.stage, good.recognised_on, good.expires_on) == (Stage.DPG, DAY0, DAY0 + dt.timedelta(days=365))
    assert dict(good.field_owners.values_list("field", "owner")) == {
        "stage": FieldOwner.REVIEW, "recognised_on": FieldOwner.REVIEW, "expires_on": FieldOwner.REVIEW}
    decision = application.decision
    assert decision.reasons["4"] == {"verdict": "pass", "reason": "public 4"}
    assert "private" not in str(decision.reasons)
    entry = DecisionLogEntry.objects.get()
    assert entry.payload["outcome"] == "dpg" and entry.payload["good"] == "open-health"
    assert "private" not in str(entry.payload)


def test_a_dpg_decision_on_a_new_good_registers_it(review_world):
    world = review_world
    application = services.application_create_draft(actor=world.actors["admin"], organisation=world.org,
                                                    proposed_name="Brand New Tool", today=DAY0)
    bring_ready = Application.objects.get(pk=application.pk)
    assert (bring_ready.good, bring_ready.proposed_name) == (None, "Brand New Tool")
    services.application_answers_update(actor=world.actors["admin"], application=bring_ready, answers=ANSWERS,
                                        expected_version=bring_ready.version, today=DAY0)
    services.application_submit(actor=world.actors["admin"], application=bring_ready, today=DAY0)
    services.application_assign(actor=world.actors["l1"], application=bring_ready, today=DAY0)
    services.application_forward(actor=world.actors["l1"], application=bring_ready, today=DAY0)
    services.application_assign(actor=world.actors["l2"], application=bring_ready, today=DAY0)
    for code in ANSWERS:
        services.verdict_set(actor=world.actors["l2"], application=bring_ready, indicator=code, verdict="pass",
                             today=DAY0)
    services.application_decide(actor=world.actors["l2"], application=bring_ready, outcome="dpg", today=DAY0)
    good = Application.objects.get(pk=application.pk).good
    assert (good.slug, good.name, good.stage) == ("brand-new-tool", "Brand New Tool", Stage.DPG)


def test_an_ineligible_decision_leaves_the_good_alone(review_world):
    application = bring_to(review_world, S.INELIGIBLE)
    good = Good.objects.get(pk=review_world.good.pk)
    assert (good.stage, good.recognised_on, good.expires_on) == (Stage.NOMINEE, None, None)
    assert application.decision.reasons["4"] == {"verdict": "fail", "reason": "public 4"}


def test_a_dpg_decision_needs_every_indicator_met(review_world):
    application = bring_to(review_world, S.LEVEL_2)
    services.application_assign(actor=review_world.actors["l2"], application=application, today=DAY0)
    services.verdict_set(actor=review_world.actors["l2"], application=application, indicator="1", verdict="pass",
                         today=DAY0)
    with pytest.raises(DecisionNotReady) as refused:
        services.application_decide(actor=review_world.actors["l2"], application=application, outcome="dpg",
                                    today=DAY0)
    assert refused.value.details["indicators"] == ["2", "3", "4", "5", "6", "7", "8", "9a", "9b", "9c"]
    assert Application.objects.get(pk=application.pk).state == S.LEVEL_2


def test_a_state_that_does_not_allow_the_action_is_a_conflict_listing_the_allowed_ones(review_world):
    application = bring_to(review_world, S.LEVEL_1)
    before = Activity.objects.count()
    with pytest.raises(InvalidTransition) as refused:
        services.application_submit(actor=review_world.actors["member"], application=application, today=DAY0)
    assert refused.value.details == {"allowed": ["assign", "verdict", "forward", "request-clarification",
                                                 "withdraw"]}
    assert Activity.objects.count() == before


def test_nobody_reviews_an_application_of_an_organisation_they_act_for(review_world):
    application = bring_to(review_world, S.LEVEL_1)
    with pytest.raises(ReviewPermissionDenied):
        services.application_assign(actor=review_world.actors["conflicted"], application=application, today=DAY0)
    with pytest.raises(InvalidApplication) as refused:
        services.application_assign(actor=review_world.actors["secretariat"], application=application,
                                    person=review_world.people["conflicted"], today=DAY0)
    assert refused.value.field == "person"
    assert not application.assignments.exists()


def test_only_the_secretariat_assigns_someone_else(review_world, platform_roles):
    platform_roles["l1b"] = {"reviewer-l1"}
    from django.contrib.auth.models import User
    other = User.objects.create_user("l1b", email="l1b@example.org", password=None)
    application = bring_to(review_world, S.LEVEL_1)
    with pytest.raises(ReviewPermissionDenied):
        services.application_assign(actor=review_world.actors["l1"], application=application, person=other,
                                    today=DAY0)
    quiet()
    assignment = services.application_assign(actor=review_world.actors["secretariat"], application=application,
                                             person=other, today=DAY0)
    assert (assignment.person, assignment.level, assignment.is_active) == (other, 1, True)
    assert list(Notification.objects.values_list("person__username", "kind")) == [("l1b", "review.assigned")]


def test_two_reviewers_saving_the_same_verdict_the_second_is_told_and_nothing_is_overwritten(review_world):
    application = bring_to(review_world, S.LEVEL_1)
    l1 = review_world.actors["l1"]
    services.application_assign(actor=l1, application=application, today=DAY0)
    first = services.verdict_set(actor=l1, application=application, indicator="5", verdict="pass", notes="first",
                                 expected_version=0, today=DAY0)
    with pytest.raises(StaleVersion) as stale:
        services.verdict_set(actor=l1, application=application, indicator="5", verdict="fail", notes="second",
                             expected_version=0, today=DAY0)
    assert stale.value.details == {"current_version": 1}
    services.verdict_set(actor=l1, application=application, indicator="5", verdict="fail", notes="edit",
                         expected_version=1, today=DAY0)
    with pytest.raises(StaleVersion):
        services.verdict_set(actor=l1, application=application, indicator="5", verdict="pass", notes="late",
                             expected_version=1, today=DAY0)
    row = IndicatorVerdict.objects.get(pk=first.pk)
    assert (row.verdict, row.notes, row.version) == ("fail", "edit", 2)


def test_answers_are_saved_only_against_the_version_seen(review_world):
    application = bring_to(review_world, S.DRAFT)
    member = review_world.actors["member"]
    services.application_answers_update(actor=member, application=application, expected_version=0, today=DAY0,
                                        answers={"1": {"text": "SDG 3", "links": [], "suggested": True}})
    with pytest.raises(StaleVersion):
        services.application_answers_update(actor=member, application=application, expected_version=0, today=DAY0,
                                            answers={"1": {"text": "overwrite", "links": [], "suggested": False}})
    assert Application.objects.get(pk=application.pk).answers == {
        "1": {"text": "SDG 3", "links": [], "suggested": True}}


def test_answers_name_indicators_of_the_standard(review_world):
    application = bring_to(review_world, S.DRAFT)
    with pytest.raises(InvalidApplication) as refused:
        services.application_answers_update(actor=review_world.actors["member"], application=application,
                                            expected_version=0, answers={"10": {"text": "x"}})
    assert refused.value.field == "answers"


def test_a_clarification_pauses_the_clock_and_the_answer_resumes_the_level(review_world):
    application = bring_to(review_world, S.CLARIFICATION_2, today=DAY0)
    quiet()
    services.clarification_answer(actor=review_world.actors["admin"], application=application, answer="We do.",
                                  today=DAY0 + dt.timedelta(days=12))
    application = Application.objects.get(pk=application.pk)
    assert (application.state, application.paused_days, application.state_since) == (
        S.LEVEL_2, 12, DAY0 + dt.timedelta(days=12))
    assert mail.outbox == []  # e-mail goes out after commit, through the job


def test_the_transition_notifies_the_organisation_in_the_same_transaction(review_world):
    application = bring_to(review_world, S.LEVEL_1)
    services.application_assign(actor=review_world.actors["l1"], application=application, today=DAY0)
    quiet()
    services.clarification_request(actor=review_world.actors["l1"], application=application, question="Q?",
                                   days=45, today=DAY0)
    assert sorted(Notification.objects.values_list("person__username", flat=True)) == [
        "admin", "conflicted", "member"]
    assert Activity.objects.filter(action="review.application.clarify").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_saving_the_same_verdict_at_the_same_moment(review_world):
    """Parallel transactions (PostgreSQL): one saves, the other is told; nothing is overwritten."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("parallel transactions need PostgreSQL")
    application = bring_to(review_world, S.LEVEL_1)
    services.application_assign(actor=review_world.actors["l1"], application=application, today=DAY0)
    barrier, outcomes = threading.Barrier(2), []

    def save(notes: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.verdict_set(actor=review_world.actors["l1"], application=application, indicator="6",
                                 verdict="pass", notes=notes, expected_version=0, today=DAY0)
            outcomes.append(("saved", notes))
        except StaleVersion as exc:
            outcomes.append(("told", exc.details["current_version"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(notes,)) for notes in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(kind for kind, _value in outcomes) == ["saved", "told"]
    saved = next(value for kind, value in outcomes if kind == "saved")
    row = IndicatorVerdict.objects.get(application=application, indicator="6")
    assert (row.notes, row.version) == (saved, 1)
    assert ("told", 1) in outcomes
