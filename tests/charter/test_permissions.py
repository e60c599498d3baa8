"""Every write service of the Charter x every role of the `world` fixture: allowed or refused; a refusal
changes nothing and queues no notification or job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from dpghub.charter.errors import CharterPermissionDenied
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
from dpghub.charter.services import (
    TargetInput,
    endorsement_create,
    pledge_create,
    pledge_publish,
    pledge_rate,
    pledge_update,
    pledge_withdraw,
    report_request_evidence,
    report_submit,
    report_verify,
    target_add,
    target_remove,
    target_update,
)
from dpghub.common.models import Activity, Job
from dpghub.notifications.models import Notification
from tests.charter.helpers import endorse, pledge, report, target

ROLES = ["anonymous", "outsider", "member", "admin", "admin_of_another", "secretariat", "system",
         "admin_read_token", "admin_write_token"]
DAY = dt.date(2024, 2, 1)


def _published(w):
    return Pledge.objects.get(ref="pub")


def _setup(w):
    """world.org has endorsed, with a draft and a published pledge that has a target and a report."""
    endorsement = endorse(w.org)
    target(pledge(endorsement, "draft", status="draft"), "draft target", 5)
    published = pledge(endorsement, "pub")
    report(target(published, "people trained", 100), DAY, 10)


CALLS = {
    "endorsement_create": lambda w, a: endorsement_create(actor=a, organisation=w.org,
                                                          endorsed_on=DAY, statement="We endorse."),
    "pledge_create": lambda w, a: pledge_create(
        actor=a, endorsement=w.org.endorsement, title="Fund maintenance", types=["finance"], outcomes=["products"],
        countries=["KE"], pledged_on=DAY, targets=[TargetInput(metric="funding", currency="USD", target_value=1000)]),
    "pledge_update": lambda w, a: pledge_update(actor=a, pledge=Pledge.objects.get(ref="draft"), expected_version=0,
                                                title="Better title", outcomes=["capacity"]),
    "pledge_publish": lambda w, a: pledge_publish(actor=a, pledge=Pledge.objects.get(ref="draft")),
    "pledge_withdraw": lambda w, a: pledge_withdraw(actor=a, pledge=_published(w)),
    "target_add": lambda w, a: target_add(actor=a, pledge=_published(w),
                                          target=TargetInput(metric="countries", unit="countries", target_value=3)),
    "target_update": lambda w, a: target_update(
        actor=a, target=Target.objects.get(metric="draft target"),
        changes=TargetInput(metric="draft target", unit="people", target_value=8)),
    "target_remove": lambda w, a: target_remove(actor=a, target=Target.objects.get(metric="draft target")),
    "report_submit": lambda w, a: report_submit(actor=a, target=_published(w).targets.get(), reported_on=DAY.replace(month=3),
                                                value=20, status="on-track"),
    "report_verify": lambda w, a: report_verify(actor=a, report=ProgressReport.objects.get()),
    "report_request_evidence": lambda w, a: report_request_evidence(actor=a, report=ProgressReport.objects.get(),
                                                                    note="Link the training records."),
    "pledge_rate": lambda w, a: pledge_rate(actor=a, pledge=_published(w), ambition="modest", completion="limited",
                                            reasons="Small and early."),
}


def _unendorsed(w):
    """Endorsing needs an organisation without an endorsement: world.org's is removed with its pledges."""
    ProgressReport.objects.all().delete()
    Pledge.objects.all().delete()
    Endorsement.objects.all().delete()
    return w.org


MEMBERS = {"member", "admin", "secretariat", "system", "admin_write_token"}
ALLOWED = {
    "endorsement_create": {"admin", "secretariat", "system", "admin_write_token"},
    "pledge_create": MEMBERS,
    "pledge_update": MEMBERS,
    "pledge_publish": MEMBERS,
    "pledge_withdraw": MEMBERS,
    "target_add": MEMBERS,
    "target_update": MEMBERS,
    "target_remove": MEMBERS,
    "report_submit": MEMBERS,
    "report_verify": {"secretariat", "system"},
    "report_request_evidence": {"secretariat", "system"},
    "pledge_rate": {"secretariat", "system"},
}


def _state():
    return (
        list(Endorsement.objects.order_by("pk").values()), list(Pledge.objects.order_by("pk").values()),
        list(PledgeCell.objects.order_by("pk").values()), list(PledgeCountry.objects.order_by("pk").values()),
        list(Target.objects.order_by("pk").values()), list(Milestone.objects.order_by("pk").values()),
        list(ProgressReport.objects.order_by("pk").values()), list(Rating.objects.order_by("pk").values()),
        Activity.objects.count(), Notification.objects.count(), Job.objects.count(),
    )


def test_every_service_is_in_the_matrix():
    assert set(CALLS) == set(ALLOWED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", sorted(CALLS))
def test_matrix(world, service, role):
    _setup(world)
    if service == "endorsement_create":
        _unendorsed(world)
    before = _state()
    if role in ALLOWED[service]:
        CALLS[service](world, world.actors[role])
        assert Activity.objects.count() == before[8] + 1, "an allowed write records one history row"
    else:
        with pytest.raises(CharterPermissionDenied):
            CALLS[service](world, world.actors[role])
        assert _state() == before
        assert mail.outbox == []
