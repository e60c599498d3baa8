"""The Charter on the API: the grid's JSON, pledges and reports, 401/403 on writes, drafts answer 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings

from dpghub.charter.models import Pledge, ProgressReport
from dpghub.common.history import Actor
from dpghub.tokens.services import token_create
from tests.charter.helpers import endorse, pledge, report, target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _auth(person, scope="write"):
    raw = token_create(actor=Actor.system_job("test"), person=person, name="t", scope=scope)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, path, body, **headers):
    import json

    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


@override_settings(DPGHUB_CHARTER_REPORTING_PERIOD_DAYS=100)
def test_grid_json(client, world):
    made = pledge(endorse(world.org), "p1", types=("finance",), outcomes=("products", "capacity"), countries=("KE",))
    euros = target(made, "funding", 1000, currency="EUR", deadline=dt.date(2024, 3, 1))
    report(euros, dt.date(2024, 2, 1), 400, verified=True)
    report(euros, dt.date(2024, 4, 1), 600)
    report(target(made, "dollars", 10, currency="USD"), dt.date(2024, 2, 1), 5)
    pledge(endorse(world.other), "later", pledged_on=dt.date(2024, 6, 1))
    response = client.get("/api/v1/charter/grid", {"as_of": "2024-05-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2024-05-01" and len(body["cells"]) == 15
    assert body["cells"][0] == {
        "type": "finance", "outcome": "products", "pledges": 1, "endorsers": 1,
        "finance": [{"currency": "EUR", "pledged": "1000.00", "reported": "600.00", "reported_verified": "400.00"},
                    {"currency": "USD", "pledged": "10.00", "reported": "5.00", "reported_verified": "0.00"}],
        "completed": 0, "late": 1, "overdue": 0, "gap": "none"}
    assert body["cells"][2] == {"type": "finance", "outcome": "implementation", "pledges": 0, "endorsers": 0,
                                "finance": [], "completed": 0, "late": 0, "overdue": 0, "gap": "no-pledge"}
    assert body["totals"]["pledges"] == 1 and body["totals"]["finance"][0]["reported"] == "600.00"
    # the same grid, filtered
    assert client.get("/api/v1/charter/countries/ug", {"as_of": "2024-05-01"}).json()["totals"]["pledges"] == 0
    assert client.get("/api/v1/charter/endorsers/moh-ke").json()["totals"]["pledges"] == 1
    assert client.get("/api/v1/charter/endorsers/open-foundation").json()["totals"]["pledges"] == 1
    assert client.get("/api/v1/charter/endorsers/nobody").status_code == 404
    assert client.get("/api/v1/charter/goods/nothing").status_code == 404
    assert client.get("/api/v1/charter/grid", {"as_of": "yesterday"}).json()["error"]["code"] == "invalid_query"


def test_writes_need_a_write_token_and_the_permission(client, world):
    endorse(world.org)
    body = {"endorser": "moh-ke", "title": "Train developers", "types": ["learn-advocate"], "outcomes": ["capacity"],
            "pledged_on": "2024-01-01", "targets": [{"metric": "developers", "unit": "people", "target_value": "100",
                                                     "deadline": "2025-01-01"}]}
    assert _post(client, "/api/v1/pledges", body).status_code == 401
    read = _post(client, "/api/v1/pledges", body, **_auth(world.people["member"], "read"))
    assert read.status_code == 403 and read.json()["error"]["code"] == "permission_denied"
    outsider = _post(client, "/api/v1/pledges", body, **_auth(world.people["outsider"]))
    assert outsider.status_code == 403
    assert Pledge.objects.count() == 0
    created = _post(client, "/api/v1/pledges", body, **_auth(world.people["member"]))
    assert created.status_code == 201, created.json()
    detail = created.json()
    assert (detail["id"], detail["status"], detail["version"], detail["state"]["light"]) == (
        "moh-ke-1", "draft", 0, "inactive")  # made in 2024, never reported
    assert detail["smart_gaps"] == ["The pledge names no digital public good: say which goods it concerns."]
    assert client.get("/api/v1/pledges/moh-ke-1").status_code == 404            # a draft: not found
    assert client.get("/api/v1/pledges").json()["count"] == 0


def test_a_pledge_through_its_life(client, world):
    endorse(world.org)
    member, secretariat = _auth(world.people["member"]), _auth(world.people["secretariat"])
    _post(client, "/api/v1/pledges", {"endorser": "moh-ke", "title": "Fund", "types": ["finance"],
                                      "outcomes": ["products"], "pledged_on": "2024-01-01",
                                      "targets": [{"metric": "funding", "currency": "EUR", "target_value": "5000"}]},
          **member)
    stale = client.patch("/api/v1/pledges/moh-ke-1", data='{"expected_version": 3, "title": "New"}',
                         content_type="application/json", **member)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    changed = client.patch("/api/v1/pledges/moh-ke-1", data='{"expected_version": 0, "countries": ["KEN"]}',
                           content_type="application/json", **member)
    assert changed.status_code == 200 and changed.json()["countries"] == ["KE"]
    assert _post(client, "/api/v1/pledges/moh-ke-1/actions/publish", {}, **member).json()["status"] == "published"
    assert _post(client, "/api/v1/pledges/moh-ke-1/actions/publish", {}, **member).status_code == 409
    made = _post(client, "/api/v1/pledges/moh-ke-1/targets/funding/reports",
                 {"reported_on": "2024-03-01", "value": "1200.5", "status": "on-track"}, **member)
    assert made.status_code == 201 and made.json()["value"] == "1200.50"
    report_id = made.json()["id"]
    assert _post(client, f"/api/v1/reports/{report_id}/actions/verify", {}, **member).status_code == 403
    verified = _post(client, f"/api/v1/reports/{report_id}/actions/verify", {"note": "Audited."}, **secretariat)
    assert verified.status_code == 200 and verified.json()["verification"] == "verified"
    assert ProgressReport.objects.get().verification_note == "Audited."
    rated = _post(client, "/api/v1/pledges/moh-ke-1/ratings",
                  {"ambition": "modest", "completion": "limited", "reasons": "Early days."}, **secretariat)
    assert rated.status_code == 201
    assert [r["verification"] for r in client.get("/api/v1/pledges/moh-ke-1/reports").json()] == ["verified"]
    detail = client.get("/api/v1/pledges/moh-ke-1").json()
    assert detail["targets"][0]["latest"]["value"] == detail["targets"][0]["verified"]["value"] == "1200.50"
    # verified today: as of the report's own date it was still self-reported
    then = client.get("/api/v1/pledges/moh-ke-1", {"as_of": "2024-03-01"}).json()["targets"][0]
    assert (then["latest"]["verification"], then["verified"]) == ("self-reported", None)
    assert detail["ratings"][0]["ambition"] == "modest"
    assert [e["id"] for e in client.get("/api/v1/endorsers").json()] == ["moh-ke"]
    assert [p["id"] for p in client.get("/api/v1/endorsers/moh-ke").json()["pledges"]] == ["moh-ke-1"]
