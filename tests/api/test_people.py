"""Tokens on the API: who the caller is, 401/403/429, writes on behalf of organisations, history."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.orgs.models import Membership
from dpghub.tokens.models import ApiToken
from dpghub.tokens.services import token_create, token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _token(person, scope="read", days=90):
    return token_create(actor=Actor.system_job("test"), person=person, name="t", scope=scope, expires_days=days)


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_me_says_who_the_token_acts_for(client, world):
    _token_row, raw = _token(world.people["admin"])
    response = client.get("/api/v1/me", **_auth(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "admin" and body["token_scope"] == "read" and body["acting_for"] is None
    assert body["organisations"] == [{"organisation": {"id": "moh-ke", "name": "Ministry of Health",
                                                       "type": "government", "agency": "", "country": "KE",
                                                       "website": ""}, "role": "admin"}]
    assert ApiToken.objects.get(pk=_token_row.pk).last_used_at is not None
    secretariat_raw = _token(world.people["secretariat"])[1]
    assert client.get("/api/v1/me", **_auth(secretariat_raw)).json()["platform_roles"] == ["secretariat"]


def test_no_token_unknown_revoked_and_expired_tokens_answer_401_with_the_reason(client, world):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert "needs an API token" in response.json()["error"]["message"]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Basic abc").json()["error"]["message"].startswith(
        "The Authorization header")
    assert "not known" in client.get("/api/v1/me", **_auth("dpg_nope")).json()["error"]["message"]
    token, raw = _token(world.people["admin"])
    token_revoke(actor=Actor.person(world.people["admin"]), token=token)
    response = client.get("/api/v1/me", **_auth(raw))
    assert (response.status_code, response.json()["error"]["message"]) == (401, "This API token was revoked.")
    token, raw = _token(world.people["admin"], days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/api/v1/me", **_auth(raw))
    assert (response.status_code, response.json()["error"]["message"]) == (401, "This API token has expired.")
    # reads stay public without a token
    assert client.get("/api/v1/orgs").status_code == 200


def test_a_write_needs_a_write_token_and_a_permission(client, world):
    body = json.dumps({"note": "I work there"})
    read_raw = _token(world.people["outsider"], "read")[1]
    before = (Membership.objects.count(), Activity.objects.count())
    response = client.post("/api/v1/orgs/open-university/memberships", body, content_type="application/json")
    assert response.status_code == 401
    response = client.post("/api/v1/orgs/open-university/memberships", body, content_type="application/json",
                           **_auth(read_raw))
    assert response.status_code == 403 and "read-only" in response.json()["error"]["message"]
    assert (Membership.objects.count(), Activity.objects.count()) == before
    write_raw = _token(world.people["outsider"], "write")[1]
    response = client.post("/api/v1/orgs/open-university/memberships", body, content_type="application/json",
                           **_auth(write_raw))
    assert response.status_code == 201, response.content
    membership_id = response.json()["id"]
    # the requester cannot approve their own request: 403, nothing changes
    response = client.post(f"/api/v1/memberships/{membership_id}/actions/approve", "{}",
                           content_type="application/json", **_auth(write_raw))
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership_id).status == "requested"
    # someone who may not see the membership is told it does not exist
    other_raw = _token(world.people["member"], "write")[1]
    response = client.post(f"/api/v1/memberships/{membership_id}/actions/approve", "{}",
                           content_type="application/json", **_auth(other_raw))
    assert response.status_code == 404


def test_an_action_the_state_does_not_allow_is_409_with_the_allowed_actions(client, world):
    admin_raw = _token(world.people["admin"], "write")[1]
    requested = Membership.objects.get(person=world.people["requester"])
    url = f"/api/v1/memberships/{requested.pk}/actions/approve"
    assert client.post(url, "{}", content_type="application/json", **_auth(admin_raw)).status_code == 200
    response = client.post(url, "{}", content_type="application/json", **_auth(admin_raw))
    assert response.status_code == 409 and response.json()["error"]["allowed"] == ["End"]


def test_acting_on_behalf_of_an_organisation_is_recorded_and_checked(client, world):
    admin_token, admin_raw = _token(world.people["admin"], "write")
    requested = Membership.objects.get(person=world.people["requester"])
    response = client.post(f"/api/v1/memberships/{requested.pk}/actions/refuse", "{}",
                           content_type="application/json", HTTP_X_DPGHUB_ON_BEHALF_OF="moh-ke", **_auth(admin_raw))
    assert response.status_code == 200
    row = Activity.objects.get(action="orgs.membership.refuse")
    assert (row.actor_kind, row.organisation_label, row.token_id) == ("token", "Ministry of Health", admin_token.pk)
    response = client.get("/api/v1/me", HTTP_X_DPGHUB_ON_BEHALF_OF="open-foundation", **_auth(admin_raw))
    assert response.status_code == 403  # not a member of that one


def test_writes_and_bad_tokens_are_rate_limited_with_retry_after(client, world, settings):
    settings.DPGHUB_WRITE_API_RATE = "2/m"
    settings.DPGHUB_API_AUTH_FAILURE_RATE = "3/m"
    raw = _token(world.people["outsider"], "write")[1]
    codes = [client.post(f"/api/v1/orgs/{slug}/memberships", "{}", content_type="application/json",
                         **_auth(raw)).status_code for slug in ("open-university", "open-foundation", "moh-ke")]
    assert codes[:2] == [201, 201] and codes[2] == 429
    codes = [client.get("/api/v1/me", **_auth("dpg_wrong")).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    response = client.get("/api/v1/me", **_auth("dpg_wrong"))
    assert int(response["Retry-After"]) >= 1 and response.json()["error"]["code"] == "rate_limited"


def test_history_of_an_organisation_hides_who_from_the_public(client, world):
    from dpghub.orgs.services import organisation_update

    organisation_update(actor=Actor.person(world.people["admin"]), organisation=world.org, website="https://moh.go.ke")
    public = client.get("/api/v1/orgs/moh-ke/history").json()["entries"]
    assert [(e["action"], e["actor"], e["changes"]) for e in public] == [
        ("orgs.organisation.update", "a person", {"website": {"before": "", "after": "https://moh.go.ke"}})]
    raw = _token(world.people["secretariat"])[1]
    full = client.get("/api/v1/orgs/moh-ke/history", **_auth(raw)).json()["entries"]
    assert full[0]["actor"] == "admin <admin@example.org>"


def test_cli_creates_an_organisation_and_a_token_shown_once(world):
    from dpghub.cli.main import _register, cli

    _register()
    User.objects.create_user("ada", email="ada@example.org")
    runner = CliRunner()
    result = runner.invoke(cli, ["orgs", "create", "--name", "Ministry of ICT", "--type", "government",
                                 "--country", "KEN", "--admin", "ada@example.org"])
    assert result.exit_code == 0, result.output
    assert "ministry-of-ict-ke" in result.output
    result = runner.invoke(cli, ["orgs", "create", "--name", "X", "--type", "government", "--country", "XX"])
    assert result.exit_code == 1 and "country" in result.output
    result = runner.invoke(cli, ["tokens", "create", "--email", "ada@example.org", "--scope", "write",
                                 "--expires-days", "7"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip().splitlines()[0]
    token = ApiToken.objects.get(person__email="ada@example.org")
    assert raw.startswith("dpg_") and raw not in repr(list(ApiToken.objects.values()))
    assert (token.scope, (token.expires_at - timezone.now()).days) == ("write", 6)
    assert runner.invoke(cli, ["tokens", "create", "--email", "nobody@example.org"]).exit_code == 1
