"""/api/v1/deployments, /implementers, /countries/{code}: filters, the shapes, and writes with a token."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.deployments.models import Deployment, DeploymentPartner
from dpghub.tokens.services import token_create
from tests.deployments.helpers import make_deployment, make_good

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _auth(person, scope="write"):
    _row, raw = token_create(actor=Actor.system_job("test"), person=person, name="t", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def deployments(world):
    dhis2, mosip = make_good("dhis2", "DHIS2"), make_good("mosip", "MOSIP")
    first = make_deployment(world, good=dhis2, layer="information-systems", stage="national", verification="verified")
    second = make_deployment(world, good=mosip, country="UG", layer="identity", stage="pilot", agency=None,
                             agency_name="NIRA Uganda", source_kind="import", source_format="dha",
                             source_file="DHA-Data.csv", source_row=12, source_person=None, match_method="fuzzy",
                             match_score=92.3, match_name="Mosip ID")
    DeploymentPartner.objects.create(deployment=second, role="implementer", organisation=world.other)
    return first, second


def _post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_list_filters(client, deployments):
    first, second = deployments
    assert [d["id"] for d in client.get("/api/v1/deployments").json()["results"]] == [first.pk, second.pk]
    for query, expected in [("good=mosip", [second.pk]), ("country=KEN", [first.pk]), ("layer=identity", [second.pk]),
                            ("stage=national", [first.pk]), ("verification=claimed", [second.pk]),
                            ("verification=disputed", [])]:
        assert [d["id"] for d in client.get(f"/api/v1/deployments?{query}").json()["results"]] == expected, query
    Deployment.objects.filter(pk=second.pk).update(created_at="2020-01-01T00:00:00Z")
    assert [d["id"] for d in client.get("/api/v1/deployments?stale=true").json()["results"]] == [second.pk]
    assert [d["id"] for d in client.get("/api/v1/deployments?stale=false").json()["results"]] == [first.pk]
    assert client.get(f"/api/v1/deployments/{second.pk}").json()["is_stale"] is True
    assert client.get("/api/v1/deployments?stage=rolled-out").status_code == 400
    assert client.get("/api/v1/deployments?country=Narnia").status_code == 400


def test_detail_shows_source_match_and_no_person(client, deployments):
    _first, second = deployments
    body = client.get(f"/api/v1/deployments/{second.pk}").json()
    assert body["source"] == {"kind": "import", "format": "dha", "file": "DHA-Data.csv", "row": 12}
    assert body["match"] == {"method": "fuzzy", "score": 92.3, "name": "Mosip ID"}
    assert (body["verification"], body["is_stale"], body["agency"], body["agency_name"]) == (
        "claimed", False, None, "NIRA Uganda")
    assert body["implementers"] == [{"organisation": "open-foundation", "name": "Open Foundation"}]
    assert "confirmed_by" not in body and "source_person" not in body
    assert client.get("/api/v1/deployments/999999").status_code == 404


def test_country_and_implementers(client, deployments):
    body = client.get("/api/v1/countries/UGA").json()
    assert {name: body[name] for name in ("country", "alpha_3", "name", "deployments", "by_layer_and_stage",
                                          "verification", "stale", "goods")} == {
        "country": "UG", "alpha_3": "UGA", "name": "Uganda", "deployments": 1,
        "by_layer_and_stage": {"identity": {"pilot": 1}},
        "verification": {"claimed": 1, "verified": 0, "disputed": 0}, "stale": 0, "goods": ["mosip"]}
    assert [(d["good"], d["agency_name"], d["verification"], d["is_stale"]) for d in body["deployments_shown"]] == [
        ("mosip", "NIRA Uganda", "claimed", False)]
    assert body["implementers"] == [{"organisation": "open-foundation", "name": "Open Foundation", "deployments": 1,
                                     "goods": 1, "verified_deployments": 0}]
    assert client.get("/api/v1/countries/Narnia").status_code == 404
    assert client.get("/api/v1/countries").json() == [
        {"country": "KE", "deployments": 1, "verified": 1, "disputed": 0, "stale": 0},
        {"country": "UG", "deployments": 1, "verified": 0, "disputed": 0, "stale": 0}]
    assert [i["name"] for i in client.get("/api/v1/implementers?country=UG").json()] == ["Open Foundation"]
    assert client.get("/api/v1/implementers?country=KE").json() == []


def test_writes_need_a_write_token(client, world, deployments):
    body = {"good": "dhis2", "country": "UG", "agency": "moh-ke"}
    assert _post(client, "/api/v1/deployments", body).status_code == 401
    assert _post(client, "/api/v1/deployments", body, **_auth(world.people["admin"], "read")).status_code == 403
    assert Deployment.objects.count() == 2


def test_record_confirm_dispute_through_the_api(client, world, deployments):
    response = _post(client, "/api/v1/deployments", {
        "good": "dhis2", "country": "Uganda", "agency": "moh-ke", "stage": "pilot", "reach": 1200,
        "reach_unit": "people", "reach_as_of": "2025-06-30", "evidence_urls": ["https://example.org/report"],
        "implementers": [{"organisation": "open-foundation"}, {"name": "HISP Uganda"}]},
        **_auth(world.people["outsider"]))
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["country"], created["verification"], created["source"]["kind"], created["reach_as_of"]) == (
        "UG", "claimed", "person", "2025-06-30")
    assert created["implementers"] == [{"organisation": "open-foundation", "name": "Open Foundation"},
                                       {"organisation": None, "name": "HISP Uganda"}]
    url = f"/api/v1/deployments/{created['id']}"
    # the secretariat may not confirm; a member of the agency may
    assert _post(client, f"{url}/actions/confirm", {}, **_auth(world.people["secretariat"])).status_code == 403
    confirmed = _post(client, f"{url}/actions/confirm", {}, **_auth(world.people["member"]))
    assert confirmed.json()["verification"] == "verified"
    assert _post(client, f"{url}/actions/dispute", {"reason": "x"}, **_auth(world.people["admin"])).status_code == 403
    disputed = _post(client, f"{url}/actions/dispute", {"reason": "No such programme."},
                     **_auth(world.people["secretariat"]))
    assert (disputed.json()["verification"], disputed.json()["disputed_reason"]) == ("disputed", "No such programme.")
    assert _post(client, f"{url}/actions/confirm", {}, **_auth(world.people["member"])).status_code == 409
    assert _post(client, f"{url}/actions/launch", {}, **_auth(world.people["member"])).status_code == 400
    assert list(Activity.objects.filter(target_type="deployments.deployment", target_id=str(created["id"]))
                .order_by("pk").values_list("action", flat=True)) == [
        "deployments.deployment.record", "deployments.deployment.confirm", "deployments.deployment.dispute"]
    history = client.get(f"{url}/history").json()["entries"]
    assert [entry["action"] for entry in history] == [
        "deployments.deployment.dispute", "deployments.deployment.confirm", "deployments.deployment.record"]


def test_edit_with_the_version(client, world, deployments):
    first, _second = deployments
    url = f"/api/v1/deployments/{first.pk}"
    stale = client.patch(url, data=json.dumps({"version": 7, "stage": "scaling"}), content_type="application/json",
                         **_auth(world.people["admin"]))
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    edited = client.patch(url, data=json.dumps({"version": 0, "stage": "scaling"}), content_type="application/json",
                          **_auth(world.people["admin"]))
    assert edited.status_code == 200, edited.content
    assert (edited.json()["stage"], edited.json()["verification"], edited.json()["version"],
            edited.json()["layer"]) == ("scaling", "claimed", 1, "information-systems")
    refused = client.patch(url, data=json.dumps({"version": 1, "stage": "pilot"}), content_type="application/json",
                           **_auth(world.people["other_admin"]))
    assert refused.status_code == 403
    assert Deployment.objects.get(pk=first.pk).stage == "scaling"


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(client, world, count, django_assert_num_queries):
    good = make_good("dhis2", "DHIS2")
    for number in range(count):
        deployment = make_deployment(world, good=good, country=["KE", "UG", "TZ"][number])
        DeploymentPartner.objects.create(deployment=deployment, role="implementer", organisation=world.other)
        DeploymentPartner.objects.create(deployment=deployment, role="funder", name="USAID")
    # count, the page with good and agency, the partners, their organisations
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/deployments").json()["results"]) == count
