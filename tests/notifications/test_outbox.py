"""The outbox: created with the write that causes it, e-mailed after commit by a job, at most once."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import transaction

from dpghub.common.history import Actor
from dpghub.common.jobs import worker_loop
from dpghub.common.models import Job
from dpghub.notifications.enums import EmailStatus, NotificationKind
from dpghub.notifications.models import Notification
from dpghub.notifications.selectors import (
    notification_preferences,
    notifications_of,
    notifications_unread_count,
)
from dpghub.notifications.services import (
    notification_preference_set,
    notifications_deliver,
    notifications_mark_read,
    notify,
)
from dpghub.orgs.models import Membership
from dpghub.orgs.services import membership_approve, membership_request

pytestmark = pytest.mark.django_db


def _run_jobs():
    return worker_loop(stop=threading.Event(), once=True)


def test_a_membership_request_tells_the_admins_and_the_decision_tells_the_person(world):
    outsider = world.people["outsider"]
    membership = membership_request(actor=Actor.person(outsider), organisation=world.org)
    told = Notification.objects.get(kind=NotificationKind.MEMBERSHIP_REQUESTED)
    assert told.person == world.people["admin"] and told.url == "/orgs/moh-ke/"
    assert told.email_status == EmailStatus.PENDING and mail.outbox == []  # nothing sent inside the write
    _run_jobs()
    assert [m.to for m in mail.outbox] == [["admin@example.org"]]
    assert "outsider@example.org asks to act for Ministry of Health" in mail.outbox[0].body
    assert mail.outbox[0].body.endswith("http://127.0.0.1:8000/orgs/moh-ke/")
    membership_approve(actor=world.actors["admin"], membership=membership)
    _run_jobs()
    assert mail.outbox[-1].to == ["outsider@example.org"] and "approved" in mail.outbox[-1].subject
    assert notifications_unread_count(viewer=outsider) == 1
    assert notifications_mark_read(actor=Actor.person(outsider)) == 1
    assert notifications_unread_count(viewer=outsider) == 0


def test_delivery_is_idempotent_and_failures_are_recorded(world, settings):
    with transaction.atomic():
        notify(people=[world.people["member"]], kind=NotificationKind.TOKEN_CREATED, subject="s", body="b")
    notification = Notification.objects.get()
    assert notifications_deliver(notification_ids=[notification.pk]) == {"sent": 1, "failed": 0}
    assert notifications_deliver(notification_ids=[notification.pk]) == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.BrokenBackend"
    with transaction.atomic():
        notify(people=[world.people["member"]], kind=NotificationKind.TOKEN_CREATED, subject="s", body="b")
    broken = Notification.objects.latest("id")
    assert notifications_deliver(notification_ids=[broken.pk]) == {"sent": 0, "failed": 1}
    broken.refresh_from_db()
    assert broken.email_status == EmailStatus.FAILED and "no mail server" in broken.email_error


def test_pending_mail_whose_delivery_job_was_lost_is_sent_by_the_scheduled_retry(world):
    """`notifications.retry` (every 15 minutes): pending for over 10 minutes means its job was lost."""
    import datetime as dt

    from django.utils import timezone

    from dpghub.common.schedule import schedule_run_due
    from dpghub.notifications.services import notifications_deliver_pending

    with transaction.atomic():
        notify(people=[world.people["member"]], kind=NotificationKind.TOKEN_CREATED, subject="s", body="b")
    Job.objects.all().delete()  # the delivery job was lost
    notification = Notification.objects.get()
    assert notifications_deliver_pending() == {"sent": 0, "failed": 0}  # too recent: its job may still come
    later = timezone.now() + dt.timedelta(minutes=11)
    assert notifications_deliver_pending(now=later) == {"sent": 1, "failed": 0}
    assert notifications_deliver_pending(now=later) == {"sent": 0, "failed": 0}  # at most once
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT and len(mail.outbox) == 1
    started = schedule_run_due(names=["notifications.retry"])
    assert Job.objects.get(pk=started[0].job_id).kind == "notifications.deliver_pending"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("no mail server")


@pytest.mark.django_db(transaction=True)
def test_nothing_is_created_or_sent_when_the_write_rolls_back():
    person = User.objects.create_user("p", email="p@example.org")
    with pytest.raises(RuntimeError):
        notify(people=[person], kind=NotificationKind.TOKEN_CREATED, subject="s", body="b")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        notify(people=[person], kind=NotificationKind.TOKEN_CREATED, subject="s", body="b")
        1 / 0  # noqa: B018 - the write fails after notifying
    assert (Notification.objects.count(), Job.objects.count(), len(mail.outbox)) == (0, 0, 0)


def test_preferences_choose_email_and_the_list(world):
    member = world.people["member"]
    actor = Actor.person(member)
    notification_preference_set(actor=actor, kind=NotificationKind.TOKEN_CREATED, by_email=False, in_site=True)
    with transaction.atomic():
        notify(people=[member], kind=NotificationKind.TOKEN_CREATED, subject="s", body="b")
    assert Notification.objects.get().email_status == EmailStatus.SKIPPED
    assert Job.objects.filter(kind="notifications.deliver").count() == 0
    notification_preference_set(actor=actor, kind=NotificationKind.TOKEN_CREATED, by_email=False, in_site=False)
    with transaction.atomic():
        assert notify(people=[member], kind=NotificationKind.TOKEN_CREATED, subject="s", body="b") == []
    prefs = {kind: (e, s) for kind, _label, e, s in notification_preferences(viewer=member)}
    assert prefs[NotificationKind.TOKEN_CREATED] == (False, False)
    assert prefs[NotificationKind.MEMBERSHIP_DECIDED] == (True, True)
    assert len(notifications_of(viewer=member)) == 1


def test_the_notifications_page_lists_and_saves_choices(client, world):
    membership_request(actor=Actor.person(world.people["outsider"]), organisation=world.org)
    client.force_login(world.people["admin"])
    html = client.get("/account/notifications/").content.decode()
    assert "Request to act for Ministry of Health" in html and "1 unread" in html
    client.post("/account/notifications/", {"mark_read": "1"})
    assert "unread" not in client.get("/account/notifications/").content.decode().split("<main")[0]
    client.post("/account/notifications/", {f"site:{NotificationKind.TOKEN_CREATED}": "on"})
    prefs = {k: (e, s) for k, _l, e, s in notification_preferences(viewer=world.people["admin"])}
    assert prefs[NotificationKind.TOKEN_CREATED] == (False, True)
    assert prefs[NotificationKind.MEMBERSHIP_REQUESTED] == (False, False)
    assert Membership.objects.filter(status="requested").count() == 2
