"""Following goods and countries: who may, each trigger (status, expiry, licence, dispute, stale), the daily
tick's once-per-event rule, the pages (POST with CSRF), the person's export and deletion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dpghub.accounts.services import person_delete, person_export
from dpghub.catalog.enums import FieldOwner
from dpghub.catalog.models import Good
from dpghub.catalog.services.editing import good_fields_set
from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.deployments.models import Deployment
from dpghub.deployments.services import deployment_confirm, deployment_dispute
from dpghub.notifications.enums import NotificationKind, NotificationsAction
from dpghub.notifications.errors import FollowRefused, InvalidFollow
from dpghub.notifications.models import Notification, Watch
from dpghub.notifications.watching import watch_follow, watch_unfollow, watches_of, watching_tick
from dpghub.screening.models import ScreeningRun, ScreeningStatus
from dpghub.screening.services import screening_record_result

pytestmark = pytest.mark.django_db
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # as tests/web/conftest.py: WhiteNoise wants it


@pytest.fixture
def good(db):
    return Good.objects.create(slug="dhis2", name="DHIS2", stage="dpg", expires_on=dt.date(2027, 1, 20))


def _notices(person, kind):
    return list(Notification.objects.filter(person=person, kind=kind))


def test_follow_and_unfollow_write_history_and_are_idempotent(world, good):
    actor = world.actors["outsider"]
    first = watch_follow(actor=actor, good=good)
    assert watch_follow(actor=actor, good=good).pk == first.pk
    watch_follow(actor=actor, country="ke")
    assert [(w.good_id, w.country) for w in watches_of(viewer=world.people["outsider"])] == [(good.pk, ""), (None, "KE")]
    assert Activity.objects.filter(action=NotificationsAction.WATCH_FOLLOW).count() == 2
    assert watch_unfollow(actor=actor, good=good) is True
    assert watch_unfollow(actor=actor, good=good) is False
    assert Activity.objects.filter(action=NotificationsAction.WATCH_UNFOLLOW).count() == 1


@pytest.mark.parametrize("who", ["anonymous", "system", "admin_read_token"])
def test_only_a_person_follows(world, good, who):
    with pytest.raises(FollowRefused):
        watch_follow(actor=world.actors[who], good=good)
    assert not Watch.objects.exists()


def test_a_write_token_follows_for_its_person_and_nobody_else(world, good):
    watch_follow(actor=world.actors["admin_write_token"], good=good)
    assert list(Watch.objects.values_list("person__username", flat=True)) == ["admin"]


def test_bad_targets_are_refused(world, good):
    with pytest.raises(InvalidFollow):
        watch_follow(actor=world.actors["outsider"], country="XX")
    with pytest.raises(InvalidFollow):
        watch_follow(actor=world.actors["outsider"], good=good, country="KE")


def test_status_change_by_a_review_decision_tells_followers(world, good):
    watch_follow(actor=world.actors["outsider"], good=good)
    good_fields_set(actor=Actor.system_job("review"), good=good, owner=FieldOwner.REVIEW,
                    values={"stage": "expired"})
    [notice] = _notices(world.people["outsider"], NotificationKind.WATCH_GOOD_STATUS)
    assert "dpg → expired" in notice.body and notice.url == "/goods/dhis2/"
    assert notice.email_status == "pending"  # e-mailed by the outbox job after the commit
    assert not _notices(world.people["member"], NotificationKind.WATCH_GOOD_STATUS)  # does not follow
    good_fields_set(actor=Actor.system_job("review"), good=good, owner=FieldOwner.REVIEW, values={"stage": "expired"})
    assert len(_notices(world.people["outsider"], NotificationKind.WATCH_GOOD_STATUS)) == 1  # nothing changed


def test_a_licence_change_found_by_screening_tells_followers(world, good):
    watch_follow(actor=world.actors["outsider"], good=good)
    for root in ("MIT", "MIT", "GPL-3.0-only"):
        run = ScreeningRun.objects.create(good=good, repository_url="https://example.org/r", status=ScreeningStatus.QUEUED)
        screening_record_result(run=run, report={}, commit="a" * 40, root_license=root)
    [notice] = _notices(world.people["outsider"], NotificationKind.WATCH_GOOD_LICENCE)
    assert "GPL-3.0-only" in notice.body and "MIT" in notice.body


def test_a_dispute_tells_followers_of_the_good_and_of_the_country_once(world, good):
    watch_follow(actor=world.actors["outsider"], good=good)
    watch_follow(actor=world.actors["outsider"], country="KE")
    watch_follow(actor=world.actors["admin_of_another"], country="KE")
    watch_follow(actor=world.actors["member"], good=good)  # the agency's member hears as the agency already
    deployment = Deployment.objects.create(good=good, country="KE", agency=world.org)
    deployment_dispute(actor=world.actors["secretariat"], deployment=deployment, reason="No evidence found")
    assert len(_notices(world.people["outsider"], NotificationKind.WATCH_DEPLOYMENT_DISPUTED)) == 1
    assert len(_notices(world.people["other_admin"], NotificationKind.WATCH_DEPLOYMENT_DISPUTED)) == 1
    assert not _notices(world.people["member"], NotificationKind.WATCH_DEPLOYMENT_DISPUTED)
    assert len(_notices(world.people["member"], NotificationKind.DEPLOYMENT_DISPUTED)) == 1


def test_a_confirmation_by_the_agency_tells_followers_of_the_good_and_of_the_country_once(world, good):
    watch_follow(actor=world.actors["outsider"], good=good)
    watch_follow(actor=world.actors["outsider"], country="KE")
    watch_follow(actor=world.actors["member"], country="KE")  # who confirms is not told of their own act
    deployment = Deployment.objects.create(good=good, country="KE", agency=world.org)
    deployment_confirm(actor=world.actors["member"], deployment=deployment)
    (notice,) = _notices(world.people["outsider"], NotificationKind.WATCH_DEPLOYMENT_VERIFIED)
    assert notice.subject == "Ministry of Health confirmed its deployment of DHIS2 in Kenya"
    assert notice.url == f"/deployments/{deployment.pk}/"
    assert not _notices(world.people["member"], NotificationKind.WATCH_DEPLOYMENT_VERIFIED)


def test_the_tick_tells_of_expiry_and_stale_deployments_once(world, good):
    watch_follow(actor=world.actors["outsider"], good=good)
    watch_follow(actor=world.actors["admin_of_another"], country="UG")
    old = Deployment.objects.create(good=good, country="UG")
    Deployment.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=800))
    Deployment.objects.create(good=good, country="TZ")  # recorded today: not stale
    # expiry (2027-01-20) more than 60 days away; UG stale for the good's follower and the country's follower
    assert watching_tick(today=dt.date(2026, 1, 1)) == {"expiring": 0, "stale": 2}
    assert watching_tick(today=dt.date(2026, 12, 1)) == {"expiring": 1, "stale": 0}  # stale: told already
    [expiry] = _notices(world.people["outsider"], NotificationKind.WATCH_GOOD_EXPIRY)
    assert "2027-01-20" in expiry.subject
    [stale] = _notices(world.people["other_admin"], NotificationKind.WATCH_DEPLOYMENT_STALE)
    assert "DHIS2" in stale.body and "Uganda" in stale.body
    assert watching_tick(today=dt.date(2026, 12, 2)) == {"expiring": 0, "stale": 0}  # told once


def test_pages_follow_unfollow_and_list(client, world, good):
    page = client.get("/goods/dhis2/").content.decode()
    assert "Sign in to follow" in page
    assert client.post("/watch/", {"good": "dhis2"}).status_code == 302  # to sign in
    assert not Watch.objects.exists()
    client.force_login(world.people["outsider"])
    page = client.get("/goods/dhis2/").content.decode()
    assert 'name="action" value="follow"' in page and "csrfmiddlewaretoken" in page
    response = client.post("/watch/", {"good": "dhis2", "action": "follow", "next": "/goods/dhis2/"})
    assert response.status_code == 302 and response["Location"] == "/goods/dhis2/"
    client.post("/watch/", {"country": "KE", "action": "follow", "next": "https://evil.example/"})
    following = client.get("/account/following/").content.decode()
    assert 'href="/goods/dhis2/"' in following and "Kenya" in following
    assert 'value="unfollow"' in client.get("/goods/dhis2/").content.decode()
    client.post("/watch/", {"good": "dhis2", "action": "unfollow"})
    assert list(Watch.objects.values_list("country", flat=True)) == ["KE"]
    assert client.post("/watch/", {"country": "ZZ"}).status_code == 400
    assert client.post("/watch/", {"good": "no-such-good"}).status_code == 404


def test_csrf_is_required(world, good):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["outsider"])
    assert client.post("/watch/", {"good": "dhis2"}).status_code == 403
    assert not Watch.objects.exists()


def test_export_includes_and_deletion_removes_what_a_person_follows(world, good):
    person = world.people["outsider"]
    watch_follow(actor=world.actors["outsider"], good=good)
    watch_follow(actor=world.actors["outsider"], country="KE")
    exported = person_export(actor=person)
    assert [(f["good"], f["country"]) for f in exported["following"]] == [("dhis2", None), (None, "KE")]
    with transaction.atomic():
        person_delete(actor=person)
    assert not Watch.objects.exists()


def test_a_country_page_offers_to_follow_it(client, world):
    assert "Sign in to follow" in client.get("/countries/KE/").content.decode()
    client.force_login(world.people["outsider"])
    page = client.get("/countries/KE/").content.decode()
    assert '<input type="hidden" name="country" value="KE">' in page and 'value="follow"' in page
    client.post("/watch/", {"country": "KE", "action": "follow", "next": "/countries/KE/"})
    assert 'value="unfollow"' in client.get("/countries/KE/").content.decode()
