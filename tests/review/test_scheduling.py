"""Timed behaviour with a given day: reminders, lapse, renewal, expiry, archiving (notice first), idempotence."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from dpghub.catalog.enums import Stage
from dpghub.catalog.models import Good
from dpghub.common.jobs import job_enqueue, job_execute
from dpghub.common.models import JobStatus
from dpghub.notifications.models import Notification
from dpghub.review import services
from dpghub.review.enums import ApplicationState as S
from dpghub.review.models import Application, DecisionLogEntry
from dpghub.review.scheduling import review_tick
from tests.review.conftest import DAY0, bring_to, quiet

NOTHING = {"reminded": 0, "lapsed": 0, "renewals_opened": 0, "expired": 0, "archive_notices": 0, "archived": 0}


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def _kinds():
    return sorted(Notification.objects.values_list("person__username", "kind"))


def test_a_clarification_is_reminded_once_before_its_deadline_then_lapses_after_it(review_world):
    application = bring_to(review_world, S.CLARIFICATION_1)  # 15 days, asked on day 0: due on day 15
    quiet()
    assert review_tick(today=day(7)) == NOTHING
    assert review_tick(today=day(8)) == {**NOTHING, "reminded": 1}
    assert _kinds() == [("admin", "review.application_reminder"), ("conflicted", "review.application_reminder"),
                        ("member", "review.application_reminder")]
    assert review_tick(today=day(9)) == NOTHING
    assert review_tick(today=day(15)) == NOTHING  # the deadline day itself is still in time
    assert review_tick(today=day(16)) == {**NOTHING, "lapsed": 1}
    application = Application.objects.get(pk=application.pk)
    assert (application.state, application.decided_on, application.paused_days) == (S.INELIGIBLE, day(16), 16)
    assert application.decision.automatic is True
    assert application.decision.reasons == {"2": {
        "verdict": None, "reason": "The clarification asked on 2026-01-05 was not answered by 2026-01-20."}}
    assert DecisionLogEntry.objects.get().payload["outcome"] == "ineligible"
    assert review_tick(today=day(17)) == NOTHING


def test_an_answered_clarification_neither_lapses_nor_is_reminded(review_world):
    application = bring_to(review_world, S.CLARIFICATION_2)
    services.clarification_answer(actor=review_world.actors["member"], application=application, answer="Us.",
                                  today=day(3))
    assert review_tick(today=day(25)) == NOTHING
    assert review_tick(today=day(40)) == NOTHING
    assert Application.objects.get(pk=application.pk).state == S.LEVEL_2


def test_renewal_opens_before_expiry_prefilled_and_the_recognition_expires_on_its_day(review_world):
    parent = bring_to(review_world, S.DPG)  # recognised on day 0, expires on day 365
    quiet()
    assert review_tick(today=day(304)) == NOTHING
    assert review_tick(today=day(305)) == {**NOTHING, "renewals_opened": 1}
    renewal = Application.objects.get(parent=parent)
    assert (renewal.state, renewal.good_id, renewal.organisation_id) == (S.DRAFT, parent.good_id, parent.organisation_id)
    assert renewal.answers["5"] == {**parent.answers["5"], "suggested": True}
    assert ("member", "review.application_changed") in _kinds()
    assert review_tick(today=day(306)) == NOTHING
    assert review_tick(today=day(364)) == NOTHING
    assert review_tick(today=day(365)) == {**NOTHING, "expired": 1}
    assert Application.objects.get(pk=parent.pk).state == S.EXPIRED
    assert Good.objects.get(pk=parent.good_id).stage == Stage.EXPIRED


@override_settings(DPGHUB_REVIEW_RECOGNITION_DAYS=100, DPGHUB_REVIEW_RENEWAL_DAYS=10)
def test_recognition_and_renewal_periods_are_settings(review_world):
    parent = bring_to(review_world, S.DPG)
    assert parent.expires_on == day(100)
    assert review_tick(today=day(89))["renewals_opened"] == 0
    assert review_tick(today=day(90))["renewals_opened"] == 1


def test_a_good_renewed_in_time_stays_a_dpg_when_the_old_recognition_expires(review_world):
    parent = bring_to(review_world, S.DPG)
    review_tick(today=day(305))
    renewal = Application.objects.get(parent=parent)
    world, a = review_world, review_world.actors
    services.application_submit(actor=a["member"], application=renewal, today=day(306))
    services.application_assign(actor=a["l1"], application=renewal, today=day(306))
    services.application_forward(actor=a["l1"], application=renewal, today=day(306))
    services.application_assign(actor=a["l2"], application=renewal, today=day(306))
    for code in renewal.answers:
        services.verdict_set(actor=a["l2"], application=renewal, indicator=code, verdict="pass", today=day(306))
    services.application_decide(actor=a["l2"], application=renewal, outcome="dpg", today=day(310))
    assert review_tick(today=day(365))["expired"] == 1
    good = Good.objects.get(pk=world.good.pk)
    assert (good.stage, good.recognised_on, good.expires_on) == (Stage.DPG, day(310), day(675))
    assert DecisionLogEntry.objects.get(seq=2).payload["renews"] == parent.pk


def test_a_draft_without_response_is_told_then_archived(review_world):
    application = bring_to(review_world, S.DRAFT)  # last response on day 0
    quiet()
    assert review_tick(today=day(75)) == NOTHING
    assert review_tick(today=day(76)) == {**NOTHING, "archive_notices": 1}
    assert _kinds() == [("admin", "review.application_reminder"), ("conflicted", "review.application_reminder"),
                        ("member", "review.application_reminder")]
    assert review_tick(today=day(89)) == NOTHING
    assert review_tick(today=day(90)) == {**NOTHING, "archived": 1}
    assert Application.objects.get(pk=application.pk).state == S.ARCHIVED
    assert review_tick(today=day(91)) == NOTHING


def test_archiving_never_comes_without_the_notice_first(review_world):
    application = bring_to(review_world, S.DRAFT)
    assert review_tick(today=day(200)) == {**NOTHING, "archive_notices": 1}  # the job did not run for months
    assert review_tick(today=day(213)) == NOTHING
    assert review_tick(today=day(214)) == {**NOTHING, "archived": 1}
    assert Application.objects.get(pk=application.pk).state == S.ARCHIVED


def test_a_response_after_the_notice_restarts_the_count(review_world):
    application = bring_to(review_world, S.DRAFT)
    review_tick(today=day(76))
    services.application_answers_update(actor=review_world.actors["member"], application=application,
                                        expected_version=0, today=day(80),
                                        answers={"1": {"text": "SDG 3", "links": [], "suggested": False}})
    assert review_tick(today=day(90)) == NOTHING
    assert review_tick(today=day(156)) == {**NOTHING, "archive_notices": 1}
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_the_tick_is_a_job_too(review_world):
    application = bring_to(review_world, S.DRAFT)
    review_tick(today=day(76))
    job = job_enqueue(kind="review.tick", params={"today": day(90).isoformat()})
    job = job_execute(job.pk)
    assert (job.status, job.result) == (JobStatus.SUCCEEDED, {**NOTHING, "archived": 1})
    assert Application.objects.get(pk=application.pk).state == S.ARCHIVED
