"""Deployment services: what they store, the history row, the notices, and what they refuse."""

from __future__ import annotations

import datetime as dt

import pytest

from dpghub.common.models import Activity
from dpghub.deployments.enums import DeploymentsAction, VerificationState
from dpghub.deployments.errors import InvalidDeployment, InvalidTransition, StaleVersion
from dpghub.deployments.models import Deployment, DeploymentPartner
from dpghub.deployments.services import (
    deployment_confirm,
    deployment_dispute,
    deployment_record,
    deployment_resolve,
    deployment_update,
)
from dpghub.notifications.models import Notification
from tests.deployments.helpers import make_deployment, make_good


@pytest.fixture
def good(db):
    return make_good("dhis2", "DHIS2")


def test_record_stores_a_claim_with_its_source_partners_and_history(world, good):
    actor = world.actors["outsider"]
    deployment = deployment_record(
        actor=actor, good=good, country="KEN", agency=world.org, layer="information-systems", sector="health",
        stage="national", started_on=dt.date(2014, 1, 1), reach=47_000_000, reach_unit="people",
        reach_as_of=dt.date(2024, 6, 30), evidence_urls=["https://dhis2.org/kenya", "https://dhis2.org/kenya"],
        implementers=[world.other, "HISP Kenya", " HISP  Kenya "], funders=["USAID"])
    stored = Deployment.objects.get(pk=deployment.pk)
    assert (stored.country, stored.verification, stored.source_kind, stored.source_person_id) == (
        "KE", "claimed", "person", world.people["outsider"].pk)
    assert stored.evidence_urls == ["https://dhis2.org/kenya"]
    assert [(p.role, p.organisation_id, p.name) for p in DeploymentPartner.objects.filter(deployment=stored)] == [
        ("funder", None, "USAID"), ("implementer", world.other.pk, ""), ("implementer", None, "HISP Kenya")]
    row = Activity.objects.get(target_type="deployments.deployment", target_id=str(stored.pk))
    assert row.action == DeploymentsAction.DEPLOYMENT_RECORD
    assert row.changes["country"] == {"before": None, "after": "KE"}
    assert row.changes["implementer"] == {"before": None, "after": [f"org:{world.other.slug}", "name:HISP Kenya"]}
    # the agency's two active members are told; the requester (not yet a member) is not
    assert sorted(n.person.username for n in Notification.objects.all()) == ["admin", "member"]


@pytest.mark.parametrize(("fields", "field"), [
    ({"country": "Atlantis"}, "country"),
    ({"stage": "rolled-out"}, "stage"),
    ({"layer": "blockchain"}, "layer"),
    ({"evidence_urls": ["ftp://example.org/x"]}, "evidence_urls"),
    ({"reach": 10}, "reach_unit"),
    ({"started_on": dt.date(2020, 1, 2), "ended_on": dt.date(2020, 1, 1)}, "ended_on"),
    ({"agency": None}, "agency"),
])
def test_record_refuses_meaningless_values_and_stores_nothing(world, good, fields, field):
    values = {"country": "KE", "agency": world.org, **fields}
    with pytest.raises(InvalidDeployment) as caught:
        deployment_record(actor=world.actors["outsider"], good=good, **values)
    assert caught.value.field == field
    assert Deployment.objects.count() == 0
    assert Activity.objects.filter(action__startswith="deployments.").count() == 0


def test_record_with_agency_name_only_is_a_claim_nobody_can_confirm_yet(world, good):
    deployment = deployment_record(actor=world.actors["outsider"], good=good, country="Tanzania",
                                   agency_name="Ministry of Health, Tanzania")
    assert (deployment.country, deployment.agency_id, deployment.agency_name) == ("TZ", None, "Ministry of Health, Tanzania")
    assert Notification.objects.count() == 0


def test_confirm_then_dispute_then_resolve(world, good):
    deployment = make_deployment(world, good=good)
    confirmed = deployment_confirm(actor=world.actors["member"], deployment=deployment)
    assert (confirmed.verification, confirmed.confirmed_by_id, confirmed.version) == (
        "verified", world.people["member"].pk, 1)
    assert confirmed.confirmed_at is not None
    assert [n.person.username for n in Notification.objects.all()] == ["outsider"]  # the recorder hears
    disputed = deployment_dispute(actor=world.actors["secretariat"], deployment=deployment,
                                  reason="The ministry's 2024 report names another system.")
    assert (disputed.verification, disputed.disputed_reason, disputed.version) == (
        "disputed", "The ministry's 2024 report names another system.", 2)
    assert sorted(n.person.username for n in Notification.objects.filter(kind="deployments.deployment_disputed")) == [
        "admin", "member", "outsider"]
    with pytest.raises(InvalidTransition) as caught:
        deployment_confirm(actor=world.actors["member"], deployment=deployment)
    assert caught.value.allowed == ["Withdraw the dispute", "Edit"]
    resolved = deployment_resolve(actor=world.actors["secretariat"], deployment=deployment)
    assert (resolved.verification, resolved.disputed_reason, resolved.disputed_at) == ("claimed", "", None)
    assert list(Activity.objects.filter(target_type="deployments.deployment", target_id=str(deployment.pk)).order_by("pk").values_list("action", flat=True)) == [
        "deployments.deployment.confirm", "deployments.deployment.dispute", "deployments.deployment.resolve"]


def test_dispute_needs_a_reason(world, good):
    deployment = make_deployment(world, good=good)
    with pytest.raises(InvalidDeployment):
        deployment_dispute(actor=world.actors["secretariat"], deployment=deployment, reason="  ")
    assert Deployment.objects.get(pk=deployment.pk).verification == "claimed"


def test_update_checks_the_version_and_makes_a_verified_deployment_a_claim_again(world, good):
    deployment = make_deployment(world, good=good, verification=VerificationState.VERIFIED, version=3)
    with pytest.raises(StaleVersion):
        deployment_update(actor=world.actors["admin"], deployment=deployment, version=2, stage="scaling")
    updated = deployment_update(actor=world.actors["admin"], deployment=deployment, version=3, stage="scaling",
                                implementers=["HISP Kenya"])
    assert (updated.stage, updated.verification, updated.version) == ("scaling", "claimed", 4)
    row = Activity.objects.get(action=DeploymentsAction.DEPLOYMENT_UPDATE)
    assert row.changes == {"stage": {"before": "pilot", "after": "scaling"},
                           "verification": {"before": "verified", "after": "claimed"},
                           "implementer": {"before": [], "after": ["name:HISP Kenya"]}}
    # the same values again: nothing changes, nothing is recorded
    deployment_update(actor=world.actors["admin"], deployment=deployment, version=4, stage="scaling")
    assert Deployment.objects.get(pk=deployment.pk).version == 4
    assert Activity.objects.filter(action=DeploymentsAction.DEPLOYMENT_UPDATE).count() == 1


def test_update_refuses_fields_that_are_not_editable(world, good):
    deployment = make_deployment(world, good=good)
    with pytest.raises(InvalidDeployment):
        deployment_update(actor=world.actors["secretariat"], deployment=deployment, version=0, verification="verified")
