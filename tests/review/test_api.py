"""The review workflow through the API: drafts, answers, actions (403 changes nothing, 409 lists what is
allowed), what each caller sees, the decision log and the backlog figures."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.core.standard import INDICATOR_CODES
from dpghub.review.enums import ApplicationState as S
from dpghub.review.models import Application
from dpghub.tokens.services import token_create
from tests.review.conftest import ANSWERS, bring_to


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()


def _auth(person, scope="write"):
    _token, raw = token_create(actor=Actor.system_job("test"), person=person, name="t", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def test_an_application_from_draft_to_second_level_through_the_api(client, review_world):
    people = review_world.people
    applicant, l1 = _auth(people["admin"]), _auth(people["l1"])
    response = _post(client, "/api/v1/applications", {"organisation": "moh-ke", "good": "open-health"}, applicant)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["state"], created["version"], created["good"], created["actions"]) == (
        "draft", 0, "open-health", ["submit", "withdraw"])
    url = f"/api/v1/applications/{created['id']}"
    patched = client.patch(url, {"answers": ANSWERS, "expected_version": 0}, content_type="application/json",
                           **applicant)
    assert (patched.status_code, patched.json()["version"]) == (200, 1)
    stale = client.patch(url, {"answers": ANSWERS, "expected_version": 0}, content_type="application/json",
                         **applicant)
    assert (stale.status_code, stale.json()["error"]["code"], stale.json()["error"]["current_version"]) == (
        409, "stale_version", 1)
    assert _post(client, f"{url}/actions/submit", {}, applicant).json()["state"] == "level-1"
    again = _post(client, f"{url}/actions/submit", {}, applicant)
    assert again.status_code == 409
    assert again.json()["error"]["allowed"] == ["assign", "verdict", "forward", "request-clarification", "withdraw"]
    assigned = _post(client, f"{url}/actions/assign", {}, l1)
    assert assigned.status_code == 200
    assert assigned.json()["assignments"] == [{"level": 1, "person": "l1", "assigned_on": assigned.json()[
        "assignments"][0]["assigned_on"]}]
    judged = _post(client, f"{url}/actions/verdict", {"indicator": "2", "verdict": "pass", "notes": "MIT",
                                                      "private_notes": "checked the file"}, l1)
    assert judged.json()["verdicts"] == [{"level": 1, "indicator": "2", "verdict": "pass", "notes": "MIT",
                                          "version": 1, "private_notes": "checked the file"}]
    seen_by_applicant = client.get(url, **applicant).json()
    assert seen_by_applicant["verdicts"] == [{"level": 1, "indicator": "2", "verdict": "pass", "notes": "MIT",
                                              "version": 1}]
    assert seen_by_applicant["assignments"] is None
    public = client.get(url).json()
    assert (public["state"], public["answers"], public["verdicts"], public["version"], public["actions"]) == (
        "level-1", None, None, None, [])
    assert "checked the file" not in client.get(url).content.decode()
    assert _post(client, f"{url}/actions/forward", {}, l1).json()["state"] == "level-2"


def test_an_action_the_caller_may_not_take_is_403_and_changes_nothing(client, review_world):
    application = bring_to(review_world, S.LEVEL_2)
    write, read = _auth(review_world.people["admin"]), _auth(review_world.people["admin"], scope="read")
    before = (list(Application.objects.values()), Activity.objects.count())
    response = _post(client, f"/api/v1/applications/{application.pk}/actions/decide", {"outcome": "dpg"}, write)
    assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")
    assert (list(Application.objects.values()), Activity.objects.count()) == before
    read_only = _post(client, f"/api/v1/applications/{application.pk}/actions/withdraw", {}, read)
    assert read_only.status_code == 403
    assert _post(client, f"/api/v1/applications/{application.pk}/actions/withdraw", {}, {}).status_code == 401
    assert (list(Application.objects.values()), Activity.objects.count()) == before


def test_unknown_and_scheduled_actions_are_refused_as_input(client, review_world):
    application = bring_to(review_world, S.DPG)
    for action in ("expire", "approve"):
        response = _post(client, f"/api/v1/applications/{application.pk}/actions/{action}", {},
                         _auth(review_world.people["secretariat"]))
        assert (response.status_code, response.json()["error"]["field"]) == (400, "action")


def test_a_draft_is_not_public(client, review_world):
    application = bring_to(review_world, S.DRAFT)
    assert client.get(f"/api/v1/applications/{application.pk}").status_code == 404
    assert client.get(f"/api/v1/applications/{application.pk}", **_auth(review_world.people["outsider"])
                      ).status_code == 404
    assert client.get(f"/api/v1/applications/{application.pk}", **_auth(review_world.people["member"])
                      ).status_code == 200


def test_the_public_page_shows_the_decision_and_its_reasons_never_private_notes(client, review_world):
    application = bring_to(review_world, S.DPG)
    body = client.get(f"/api/v1/applications/{application.pk}").json()
    assert body["decision"]["outcome"] == "dpg"
    assert sorted(body["decision"]["reasons"]) == sorted(INDICATOR_CODES)
    assert body["decision"]["reasons"]["9a"] == {"verdict": "pass", "reason": "public 9a"}
    text = client.get(f"/api/v1/applications/{application.pk}").content.decode()
    assert "private" not in text and "@example.org" not in text


def test_the_decision_log_downloads_as_json_lines(client, review_world):
    bring_to(review_world, S.DPG)
    response = client.get("/api/v1/decisions")
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    from dpghub.core.decisionlog import decision_log_verify_lines
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1
    assert decision_log_verify_lines(lines).ok


def test_backlog_figures_public_aggregate_and_secretariat_detail(client, review_world):
    bring_to(review_world, S.LEVEL_1)
    public = client.get("/api/v1/review/backlog").json()
    assert public["states"]["level-1"] == 1 and public["applications"] is None
    assert client.get("/api/v1/review/backlog?detailed=true").status_code == 403
    detailed = client.get("/api/v1/review/backlog?detailed=true", **_auth(review_world.people["secretariat"])).json()
    assert [(a["state"], a["waiting_on"], a["assignee"]) for a in detailed["applications"]] == [
        ("level-1", "reviewer-l1", None)]


def test_the_queue_is_for_the_people_of_its_level(client, review_world):
    application = bring_to(review_world, S.LEVEL_1)
    rows = client.get("/api/v1/review/queue?level=1", **_auth(review_world.people["l1"], scope="read")).json()
    assert [(row["id"], row["name"], row["assignee"]) for row in rows] == [(application.pk, "Open Health", None)]
    assert client.get("/api/v1/review/queue?level=1", **_auth(review_world.people["l2"], scope="read")
                      ).status_code == 403
    assert client.get("/api/v1/review/queue?level=1").status_code == 403
    assert client.get("/api/v1/review/queue?level=4", **_auth(review_world.people["l1"])).status_code == 400


def test_a_verdict_saved_meanwhile_is_a_409_with_the_current_version(client, review_world):
    application = bring_to(review_world, S.LEVEL_1)
    l1 = _auth(review_world.people["l1"])
    url = f"/api/v1/applications/{application.pk}/actions"
    assert _post(client, f"{url}/assign", {}, l1).status_code == 200
    assert _post(client, f"{url}/verdict", {"indicator": "3", "verdict": "pass", "notes": "one"}, l1).status_code == 200
    second = _post(client, f"{url}/verdict", {"indicator": "3", "verdict": "fail", "notes": "two"}, l1)
    assert (second.status_code, second.json()["error"]["code"], second.json()["error"]["current_version"]) == (
        409, "stale_version", 1)
    assert client.get(f"/api/v1/applications/{application.pk}", **l1).json()["verdicts"][0]["notes"] == "one"
