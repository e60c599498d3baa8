"""Pages for organisations, memberships, API tokens, the activity log and history."""

from __future__ import annotations

import re

import pytest

from dpghub.catalog.models import Good
from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.orgs.models import Membership
from dpghub.screening.services import screening_request
from dpghub.tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def test_organisation_pages_are_public_and_hide_members(client, world):
    page = client.get("/orgs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ministry of Health" in html and "Kenya" in html and 'href="/api/v1/orgs"' in html
    assert "Open Foundation" not in client.get("/orgs/?type=government").content.decode()
    detail = client.get("/orgs/moh-ke/").content.decode()
    assert "Ministry of Health" in detail and "member@example.org" not in detail
    assert "Sign in to act for this organisation" in detail
    assert client.get("/orgs/nope/").status_code == 404


def test_a_person_asks_to_join_and_an_admin_approves_on_the_pages(client, world):
    outsider = world.people["outsider"]
    client.force_login(outsider)
    response = client.post("/orgs/moh-ke/join/", {"note": "HMIS unit"})
    assert response.status_code == 302
    membership = Membership.objects.get(person=outsider)
    assert membership.status == "requested"
    # the requester sees the request but cannot approve it; someone who cannot see it is told it does not exist
    assert client.post(f"/memberships/{membership.pk}/approve/", {"role": "admin"}).status_code == 403
    assert Membership.objects.get(pk=membership.pk).status == "requested"
    client.force_login(world.people["member"])
    assert client.post(f"/memberships/{membership.pk}/approve/").status_code == 404
    client.force_login(world.people["admin"])
    html = client.get("/orgs/moh-ke/").content.decode()
    assert "Requests waiting for a decision" in html and "outsider@example.org" in html
    assert "member@example.org" in html  # members are shown to members
    client.post(f"/memberships/{membership.pk}/approve/", {"role": "member"})
    assert Membership.objects.get(pk=membership.pk).status == "active"
    history = client.get("/orgs/moh-ke/").content.decode()
    assert "Membership approved" not in history  # membership rows are the membership's, not the org's


def test_join_needs_sign_in_and_post(client, world):
    assert client.post("/orgs/moh-ke/join/").status_code == 302  # to the sign-in page
    assert Membership.objects.count() == 4
    client.force_login(world.people["outsider"])
    assert client.get("/orgs/moh-ke/join/").status_code == 405


def test_tokens_page_shows_a_new_token_once_and_revokes(client, world):
    assert client.get("/account/tokens/").status_code == 302
    client.force_login(world.people["outsider"])
    response = client.post("/account/tokens/", {"name": "my script", "scope": "write", "expires_days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = re.search(r'value="(dpg_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(person=world.people["outsider"])
    assert token.scope == "write" and raw not in repr(list(ApiToken.objects.values()))
    assert raw not in client.get("/account/tokens/").content.decode()
    bad = client.post("/account/tokens/", {"name": "", "scope": "read", "expires_days": "30"})
    assert "Give the token a name" in bad.content.decode() and ApiToken.objects.count() == 3
    client.post("/account/tokens/", {"revoke": str(token.pk)})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    # someone else's token: not found
    other = ApiToken.objects.exclude(person=world.people["outsider"]).first()
    assert client.post("/account/tokens/", {"revoke": str(other.pk)}).status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_activity_page_is_for_the_secretariat_only(client, world):
    assert client.get("/activity/").status_code == 404
    client.force_login(world.people["admin"])
    assert client.get("/activity/").status_code == 404
    client.force_login(world.people["secretariat"])
    page = client.get("/activity/?actor_kind=system")
    assert page.status_code == 200
    html = page.content.decode()
    assert "API token created" in html
    assert "No such" not in client.get("/activity/?since=not-a-date").content.decode()
    assert 'href="/activity/"' in client.get("/orgs/").content.decode()


def test_a_goods_page_shows_its_history(client, world, settings):
    settings.DPGHUB_SCREENING_ALLOW_LOCAL = True
    good = Good.objects.create(slug="example", name="Example")
    good.repositories.create(url="https://example.org/repo.git")
    screening_request(actor=Actor.system_job("rescreen"), good=good)
    html = client.get("/goods/example/").content.decode()
    assert "Screening requested" in html and "DPG Hub (automatic: rescreen)" in html
    assert Activity.objects.filter(action="screening.run.request").count() == 1
    assert client.get("/api/v1/goods/example/history").json()["entries"][0]["action"] == "screening.run.request"
