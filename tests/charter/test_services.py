"""The Charter's write services: what they store, derive, record, refuse and tell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from dpghub.catalog.models import Good
from dpghub.charter.enums import CharterAction
from dpghub.charter.errors import CharterConflict, InvalidCharterInput, InvalidTransition, StaleVersion
from dpghub.charter.models import Milestone, Pledge, PledgeCell, PledgeCountry, ProgressReport
from dpghub.charter.services import (
    MilestoneInput,
    TargetInput,
    charter_reminders_send,
    endorsement_create,
    pledge_create,
    pledge_publish,
    pledge_smart_gaps,
    pledge_update,
    pledge_withdraw,
    report_request_evidence,
    report_submit,
    report_verify,
    target_check,
    target_remove,
    target_update,
)
from dpghub.common.models import Activity
from dpghub.notifications.models import Notification
from tests.charter.helpers import endorse, pledge, report, target

DAY = dt.date(2024, 2, 1)


def _pledge(world, **overrides):
    good = Good.objects.create(slug="openmrs", name="OpenMRS")
    fields = {"actor": world.actors["member"], "endorsement": endorse(world.org), "title": "  Fund OpenMRS  ",
              "types": ["learn-advocate", "finance"], "outcomes": ["capacity", "products"], "countries": ["KEN", "ug"],
              "good_ids": [good.pk], "pledged_on": DAY,
              "targets": [TargetInput(metric="funding", currency="usd", target_value="250000.5",
                                      deadline=dt.date(2025, 1, 1),
                                      milestones=[MilestoneInput(title="First tranche", due_on=dt.date(2024, 6, 1))]),
                          TargetInput(metric="people trained", unit="people", baseline=10, target_value=500)]}
    fields.update(overrides)
    return pledge_create(**fields)


def test_pledge_create_stores_the_draft_with_its_cells_countries_and_targets(world):
    created = _pledge(world)
    assert (created.ref, created.title, created.status, created.version) == ("moh-ke-1", "Fund OpenMRS", "draft", 0)
    assert created.types == ["finance", "learn-advocate"] and created.outcomes == ["products", "capacity"]
    assert sorted(PledgeCell.objects.filter(pledge=created).values_list("type", "outcome")) == [
        ("finance", "capacity"), ("finance", "products"), ("learn-advocate", "capacity"), ("learn-advocate", "products")]
    assert sorted(PledgeCountry.objects.filter(pledge=created).values_list("country", flat=True)) == ["KE", "UG"]
    funding, people = created.targets.order_by("id")
    assert (funding.currency, funding.unit, funding.target_value) == ("USD", "", Decimal("250000.50"))
    assert (people.unit, people.baseline, people.deadline) == ("people", Decimal("10.00"), None)
    assert list(Milestone.objects.values_list("title", "due_on")) == [("First tranche", dt.date(2024, 6, 1))]
    entry = Activity.objects.get(action=CharterAction.PLEDGE_CREATE)
    assert entry.target_id == str(created.pk)
    assert entry.changes["types"] == {"before": None, "after": ["finance", "learn-advocate"]}
    assert entry.data == {"ref": "moh-ke-1", "targets": ["funding", "people trained"]}


@pytest.mark.parametrize(("target", "problems"), [
    (TargetInput(metric="funding", currency="USD", target_value=1), []),
    (TargetInput(metric="trained", unit="people", target_value=1), []),
    (TargetInput(metric="funding", currency="usd", unit="dollars", target_value=1),
     [("unit", "A money target has a currency and no unit.")]),
    (TargetInput(metric="funding", currency="XYZ", target_value=1),
     [("currency", "“XYZ” is not an ISO 4217 currency code (e.g. USD, EUR).")]),
    (TargetInput(metric="trained", target_value=1),
     [("unit", "A target needs a unit (e.g. people trained), or a currency for an amount of money.")]),
    (TargetInput(metric=" ", unit="people", target_value=None),
     [("metric", "A target needs a metric: what is counted."), ("target_value", "A target needs a target value.")]),
    (TargetInput(metric="trained", unit="people", target_value="many", baseline="x"),
     [("target_value", "“many” is not a number."), ("baseline", "“x” is not a number.")]),
    (TargetInput(metric="trained", unit="people", target_value=5, deadline=dt.date(2024, 1, 31)),
     [("deadline", "The deadline (2024-01-31) is before the pledge was made (2024-02-01).")]),
    (TargetInput(metric="trained", unit="people", target_value=5, deadline=DAY), []),
])
def test_target_check(target, problems):
    assert target_check(target, pledged_on=DAY) == problems


def test_pledge_create_refuses_a_bad_target_and_stores_nothing(world):
    history = Activity.objects.count()
    with pytest.raises(InvalidCharterInput) as caught:
        _pledge(world, targets=[TargetInput(metric="funding", currency="EURO", target_value=1)])
    assert caught.value.field == "targets.currency"
    assert Pledge.objects.count() == 0 and Activity.objects.count() == history


def test_smart_gaps():
    assert pledge_smart_gaps(targets=[], good_ids=[]) == [
        "The pledge has no measurable target: add a metric with a target value.",
        "A target has no deadline: say by when it will be met.",
        "The pledge names no digital public good: say which goods it concerns."]
    sound = TargetInput(metric="m", unit="u", target_value=1, deadline=DAY)
    assert pledge_smart_gaps(targets=[sound], good_ids=[1]) == []
    assert pledge_smart_gaps(targets=[sound, TargetInput(metric="n", unit="u", target_value=2)], good_ids=[1]) == [
        "A target has no deadline: say by when it will be met."]


def test_pledge_update_resyncs_cells_and_countries_and_refuses_a_stale_version(world):
    created = _pledge(world)
    updated = pledge_update(actor=world.actors["admin"], pledge=created, expected_version=0, types=["finance"],
                            countries=["KE", "TZ"], good_ids=[])
    assert updated.version == 1
    assert sorted(PledgeCell.objects.filter(pledge=created).values_list("type", "outcome")) == [
        ("finance", "capacity"), ("finance", "products")]
    assert sorted(PledgeCountry.objects.filter(pledge=created).values_list("country", flat=True)) == ["KE", "TZ"]
    assert list(updated.goods.all()) == []
    entry = Activity.objects.get(action=CharterAction.PLEDGE_UPDATE)
    assert entry.changes["countries"] == {"before": ["KE", "UG"], "after": ["KE", "TZ"]}
    assert entry.changes["goods"]["after"] == []
    with pytest.raises(StaleVersion) as caught:
        pledge_update(actor=world.actors["admin"], pledge=created, expected_version=0, title="Other")
    assert caught.value.details == {"current_version": 1}
    assert Pledge.objects.get().title == "Fund OpenMRS"


def test_publish_and_withdraw_follow_the_workflow_and_notify_nobody(world):
    created = _pledge(world)
    with pytest.raises(InvalidTransition) as caught:
        pledge_withdraw(actor=world.actors["member"], pledge=created)
    assert caught.value.allowed == ["publish"]
    published = pledge_publish(actor=world.actors["member"], pledge=created)
    assert published.status == "published" and published.published_at is not None
    assert Notification.objects.count() == 0
    with pytest.raises(InvalidTransition):
        pledge_publish(actor=world.actors["member"], pledge=created)
    withdrawn = pledge_withdraw(actor=world.actors["admin"], pledge=created)
    assert (withdrawn.status, withdrawn.version) == ("withdrawn", 2)
    with pytest.raises(CharterConflict):
        pledge_update(actor=world.actors["admin"], pledge=created, expected_version=2, title="Again")


def test_reports_are_on_published_pledges_once_per_day(world):
    created = _pledge(world)
    funding = created.targets.get(metric="funding")
    with pytest.raises(CharterConflict):
        report_submit(actor=world.actors["member"], target=funding, reported_on=DAY, value=10, status="on-track")
    pledge_publish(actor=world.actors["member"], pledge=created)
    made = report_submit(actor=world.actors["member"], target=funding, reported_on=DAY, value="1000", status="on-track",
                         evidence_url="https://example.org/audit.pdf")
    assert (made.value, made.verification, made.created_by) == (Decimal("1000.00"), "self-reported",
                                                                world.people["member"])
    with pytest.raises(CharterConflict):
        report_submit(actor=world.actors["member"], target=funding, reported_on=DAY, value=2000, status="on-track")
    with pytest.raises(InvalidCharterInput) as caught:
        report_submit(actor=world.actors["member"], target=funding, reported_on=dt.date(2024, 3, 1), value=1,
                      status="finished")
    assert caught.value.field == "status"
    with pytest.raises(InvalidCharterInput) as caught:
        report_submit(actor=world.actors["member"], target=funding, reported_on=dt.date(2999, 1, 1), value=1,
                      status="on-track")
    assert caught.value.field == "reported_on"
    with pytest.raises(CharterConflict):
        target_remove(actor=world.actors["member"], target=funding)
    assert ProgressReport.objects.count() == 1


def test_verification_tells_the_reporting_organisations_members(world):
    created = _pledge(world)
    pledge_publish(actor=world.actors["member"], pledge=created)
    made = report_submit(actor=world.actors["member"], target=created.targets.get(metric="funding"), reported_on=DAY,
                         value=10, status="on-track")
    asked = report_request_evidence(actor=world.actors["secretariat"], report=made, note="Add the audit.")
    assert (asked.verification, asked.verification_note, asked.verified_at) == ("more-evidence", "Add the audit.", None)
    notices = Notification.objects.order_by("person__username")
    assert [(n.person.username, n.kind) for n in notices] == [("admin", "charter.evidence_requested"),
                                                              ("member", "charter.evidence_requested")]
    assert notices[0].url == "/charter/pledges/moh-ke-1/" and notices[0].body.endswith("Add the audit.")
    verified = report_verify(actor=world.actors["secretariat"], report=made)
    assert (verified.verification, verified.verified_by) == ("verified", world.people["secretariat"])
    assert Notification.objects.filter(kind="charter.report_verified").count() == 2
    with pytest.raises(InvalidTransition):
        report_verify(actor=world.actors["secretariat"], report=made)
    assert list(Activity.objects.filter(target_type="charter.progressreport").order_by("pk")
                .values_list("action", flat=True)) == ["charter.report.create", "charter.report.request_evidence",
                                                       "charter.report.verify"]


def test_endorsing_twice_is_a_conflict(world):
    made = endorsement_create(actor=world.actors["admin"], organisation=world.org, endorsed_on=DAY,
                              signatory_role="Minister")
    assert (made.organisation, made.signatory_role) == (world.org, "Minister")
    with pytest.raises(CharterConflict):
        endorsement_create(actor=world.actors["admin"], organisation=world.org, endorsed_on=DAY)


def test_target_update_replaces_values_and_milestones(world):
    created = _pledge(world)
    people = created.targets.get(metric="people trained")
    target_update(actor=world.actors["member"], target=people,
                  changes=TargetInput(metric="people trained", unit="people", target_value=800,
                                      milestones=[MilestoneInput(title="Cohort 1", due_on=dt.date(2024, 9, 1))]))
    people.refresh_from_db()
    assert people.target_value == Decimal("800.00")
    assert list(people.milestones.values_list("title", flat=True)) == ["Cohort 1"]
    entry = Activity.objects.get(action=CharterAction.TARGET_UPDATE)
    assert entry.changes["target_value"] == {"before": "500.00", "after": "800.00"}
    assert Pledge.objects.get().version == 1


@override_settings(DPGHUB_CHARTER_REPORTING_PERIOD_DAYS=100, DPGHUB_CHARTER_REMINDER_DAYS=10)
def test_reminders_once_per_due_date(world):
    endorsement = endorse(world.org)
    reported = pledge(endorsement, "reported", pledged_on=dt.date(2024, 1, 1))
    report(target(reported, "trained", 10), dt.date(2024, 3, 1), 5)   # due 2024-06-09
    never = pledge(endorsement, "never", pledged_on=dt.date(2024, 2, 1))  # due 2024-05-11
    pledge(endorsement, "draft", pledged_on=dt.date(2024, 2, 1), status="draft")
    assert charter_reminders_send(today=dt.date(2024, 4, 30)) == 0        # 2024-05-11 is 11 days away
    assert charter_reminders_send(today=dt.date(2024, 5, 1)) == 1
    assert Pledge.objects.get(ref="never").reminded_for == dt.date(2024, 5, 11)
    assert sorted(Notification.objects.values_list("person__username", "kind")) == [
        ("admin", "charter.report_due"), ("member", "charter.report_due")]
    assert charter_reminders_send(today=dt.date(2024, 5, 5)) == 0          # already told about this due date
    assert charter_reminders_send(today=dt.date(2024, 6, 1)) == 1          # "reported" is due 2024-06-09
    assert Pledge.objects.get(ref="reported").reminded_for == dt.date(2024, 6, 9)
    assert Activity.objects.filter(action=CharterAction.PLEDGE_REMIND, actor_label="system:charter.remind").count() == 2
    assert never.pk and Notification.objects.count() == 4
