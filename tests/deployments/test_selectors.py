"""Reads: filters, staleness as of a date, a country's summary and the implementer directory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from dpghub.deployments.errors import InvalidDeployment
from dpghub.deployments.models import Deployment, DeploymentPartner
from dpghub.deployments.selectors import (
    country_summary,
    deployment_is_stale,
    deployment_list,
    implementer_directory,
)
from tests.deployments.helpers import make_deployment, make_good

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _at(deployment: Deployment, created: dt.datetime, confirmed: dt.datetime | None = None) -> Deployment:
    Deployment.objects.filter(pk=deployment.pk).update(created_at=created, confirmed_at=confirmed)
    return Deployment.objects.get(pk=deployment.pk)


@pytest.fixture
def three(world):
    dhis2, mosip = make_good("dhis2", "DHIS2"), make_good("mosip", "MOSIP")
    old_claim = _at(make_deployment(world, good=dhis2, layer="information-systems", stage="national"),
                    NOW - dt.timedelta(days=366))
    renewed = _at(make_deployment(world, good=mosip, layer="identity", stage="pilot", verification="verified"),
                  NOW - dt.timedelta(days=800), NOW - dt.timedelta(days=30))
    disputed = _at(make_deployment(world, good=mosip, country="UG", layer="identity", stage="pilot",
                                   verification="disputed"), NOW - dt.timedelta(days=10))
    DeploymentPartner.objects.create(deployment=old_claim, role="implementer", name="HISP Kenya")
    DeploymentPartner.objects.create(deployment=renewed, role="implementer", organisation=world.other)
    DeploymentPartner.objects.create(deployment=disputed, role="implementer", organisation=world.other)
    DeploymentPartner.objects.create(deployment=disputed, role="funder", name="World Bank")
    return old_claim, renewed, disputed


def test_staleness_counts_from_the_last_confirmation_or_the_record(three):
    old_claim, renewed, disputed = three
    assert [deployment_is_stale(d, on=NOW) for d in three] == [True, False, False]
    assert deployment_is_stale(old_claim, on=NOW, days=400) is False
    with override_settings(DPGHUB_DEPLOYMENTS_STALE_DAYS=20):
        assert [deployment_is_stale(d, on=NOW) for d in three] == [True, True, False]
        assert list(deployment_list(viewer=None, stale=True, on=NOW)) == [old_claim, renewed]
    assert list(deployment_list(viewer=None, stale=False, on=NOW)) == [renewed, disputed]


def test_list_filters(three):
    old_claim, renewed, disputed = three
    assert list(deployment_list(viewer=None, good="mosip")) == [renewed, disputed]
    assert list(deployment_list(viewer=None, country="Uganda")) == [disputed]
    assert list(deployment_list(viewer=None, country="KEN", layer="identity")) == [renewed]
    assert list(deployment_list(viewer=None, stage="national")) == [old_claim]
    assert list(deployment_list(viewer=None, verification="verified")) == [renewed]
    with pytest.raises(InvalidDeployment):
        deployment_list(viewer=None, country="Narnia")


def test_country_summary(three):
    summary = country_summary(viewer=None, country="ke", on=NOW)
    assert summary == {
        "country": "KE", "deployments": 2,
        "by_layer_and_stage": {"identity": {"pilot": 1}, "information-systems": {"national": 1}},
        "verification": {"claimed": 1, "verified": 1, "disputed": 0},
        "stale": 1, "goods": ["dhis2", "mosip"],
    }


def test_implementer_directory(world, three):
    old_claim, renewed, disputed = three
    assert implementer_directory(viewer=None) == [
        {"organisation": "open-foundation", "name": "Open Foundation", "countries": ["KE", "UG"], "goods": ["mosip"],
         "deployments": [renewed.pk, disputed.pk], "verified_deployments": 1},
        {"organisation": None, "name": "HISP Kenya", "countries": ["KE"], "goods": ["dhis2"],
         "deployments": [old_claim.pk], "verified_deployments": 0},
    ]
    assert [e["name"] for e in implementer_directory(viewer=None, country="UG")] == ["Open Foundation"]
    assert [e["name"] for e in implementer_directory(viewer=None, good="dhis2")] == ["HISP Kenya"]
