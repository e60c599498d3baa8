"""GET /api/v1/goods/{id}/screening and the screening summary of a good: exact JSON, one error shape."""

import datetime as dt

import pytest
from django.utils import timezone

from dpghub.screening.models import ScreeningStatus
from tests.catalogue import make_full_good, make_good
from tests.screening.reports import COMMIT, add_screening, report_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def dhis2():
    return make_full_good()


def test_latest_screening_with_its_report(client, dhis2):
    add_screening(dhis2, root="MIT", previous="", finished_at=timezone.make_aware(dt.datetime(2026, 10, 1)))
    run = add_screening(dhis2, root="GPL-3.0-only", previous="MIT")
    response = client.get("/api/v1/goods/dhis2/screening")
    assert response.status_code == 200
    body = response.json()
    assert body.pop("requested_at")[:19] == run.requested_at.isoformat()[:19]
    assert body == {
        "status": "succeeded",
        "finished_at": "2026-11-20T10:00:00Z",
        "repository_url": "https://github.com/dhis2/dhis2-core",
        "commit": COMMIT,
        "root_license": "GPL-3.0-only",
        "previous_root_license": "MIT",
        "license_changed": True,
        "error": "",
        "report": report_json(root="GPL-3.0-only"),
        "html_url": "/goods/dhis2/#screening",
    }
    uid = client.get("/api/v1/goods/dhis2").json()["uid"]
    assert client.get(f"/api/v1/goods/{uid}/screening").json()["commit"] == COMMIT


def test_a_failed_screening_is_the_latest_one(client, dhis2):
    add_screening(dhis2, root="MIT", previous="")
    add_screening(dhis2, status=ScreeningStatus.FAILED, error="clone failed",
                  finished_at=timezone.make_aware(dt.datetime(2026, 11, 21)))
    body = client.get("/api/v1/goods/dhis2/screening").json()
    assert {key: body[key] for key in ("status", "error", "report", "root_license", "license_changed", "commit")} == {
        "status": "failed", "error": "clone failed", "report": None, "root_license": "", "license_changed": False,
        "commit": ""}


def test_a_queued_screening_is_served_until_one_finishes(client, dhis2):
    add_screening(dhis2, status=ScreeningStatus.QUEUED)
    body = client.get("/api/v1/goods/dhis2/screening").json()
    assert (body["status"], body["finished_at"], body["report"]) == ("queued", None, None)
    add_screening(dhis2, root="MIT", previous="")
    assert client.get("/api/v1/goods/dhis2/screening").json()["status"] == "succeeded"


@pytest.mark.parametrize(("url", "error"), [
    ("/api/v1/goods/mojaloop/screening",
     {"code": "not_screened", "field": "id", "message": "“mojaloop” has never been screened."}),
    ("/api/v1/goods/nope/screening",
     {"code": "not_found", "field": "id", "message": "No digital public good with the id “nope”."}),
])
def test_not_screened_and_unknown_goods_are_404_in_the_one_error_shape(client, url, error):
    make_good("mojaloop", "Mojaloop")
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"error": error}


def test_good_detail_has_a_screening_summary(client, dhis2):
    assert client.get("/api/v1/goods/dhis2").json()["latest_screening"] is None
    add_screening(dhis2, root="GPL-3.0-only", previous="MIT")
    assert client.get("/api/v1/goods/dhis2").json()["latest_screening"] == {
        "status": "succeeded", "finished_at": "2026-11-20T10:00:00Z", "root_license": "GPL-3.0-only",
        "license_changed": True}


def test_detail_query_count_is_fixed_with_screenings(client, dhis2, django_assert_num_queries):
    add_screening(dhis2, root="MIT", previous="")
    add_screening(dhis2, status=ScreeningStatus.QUEUED)
    # the good and its nine relations, then the screenings (one query, without the report)
    with django_assert_num_queries(11):
        assert client.get("/api/v1/goods/dhis2").json()["latest_screening"]["status"] == "succeeded"
    # the good (nothing prefetched), then the screenings
    with django_assert_num_queries(2):
        assert client.get("/api/v1/goods/dhis2/screening").json()["status"] == "succeeded"


def test_openapi_describes_the_screening(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/goods/{id}/screening"]["get"]
    assert sorted(operation["responses"]) == ["200", "404"]
    assert "docs/screening.md" in operation["description"]
    schemas = document["components"]["schemas"]
    screening = schemas["ScreeningOut"]
    assert sorted(screening["required"]) == sorted(screening["properties"]) == sorted([
        "status", "requested_at", "finished_at", "repository_url", "commit", "root_license", "previous_root_license",
        "license_changed", "error", "report", "html_url"])
    assert screening["properties"]["status"]["enum"] == ["queued", "succeeded", "failed"]
    assert "docs/screening.md" in screening["properties"]["report"]["description"]
    assert schemas["GoodDetail"]["properties"]["latest_screening"]["anyOf"][0] == {
        "$ref": "#/components/schemas/ScreeningSummary"}
