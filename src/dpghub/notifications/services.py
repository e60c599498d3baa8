"""Creating notifications (inside the causing transaction) and delivering them (a job, after commit).

``notify`` refuses to run outside a transaction: a notification exists only if what it announces was
committed, and e-mail is sent by the job ``notifications.deliver``, which the jobs facade dispatches only
after the commit. Delivery is idempotent: a notification is e-mailed at most once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from dpghub.common.history import Actor, history_changes, history_record
from dpghub.common.jobs import job_enqueue
from dpghub.notifications.enums import EmailStatus, NotificationKind, NotificationsAction
from dpghub.notifications.models import Notification, NotificationPreference

DELIVER_JOB = "notifications.deliver"
DELIVER_PENDING_JOB = "notifications.deliver_pending"


def _preferences(people: list[Any], kind: str) -> dict[int, tuple[bool, bool]]:
    rows = NotificationPreference.objects.filter(person__in=people, kind=kind)
    return {row.person_id: (row.by_email, row.in_site) for row in rows}


def notify(*, people: Iterable[Any], kind: NotificationKind, subject: str, body: str, url: str = "") -> list[Notification]:
    """Tell ``people`` about something that this transaction does; e-mail goes out after it commits."""
    if not connection.in_atomic_block:
        raise RuntimeError("notify must be called inside the transaction of what it announces")
    people = list({person.pk: person for person in people if person is not None and person.is_active}.values())
    if not people:
        return []
    choices = _preferences(people, kind)
    created = []
    for person in people:
        by_email, in_site = choices.get(person.pk, (True, True))
        if not (by_email or in_site):
            continue
        created.append(Notification(
            person=person, kind=kind, subject=subject[:200], body=body, url=url[:500], in_site=in_site,
            email_status=EmailStatus.PENDING if by_email and person.email else EmailStatus.SKIPPED,
        ))
    Notification.objects.bulk_create(created)
    pending = [n.pk for n in created if n.email_status == EmailStatus.PENDING]
    if pending:
        job_enqueue(kind=DELIVER_JOB, params={"notification_ids": pending})
    return created


def notifications_deliver(*, notification_ids: Iterable[int]) -> dict[str, int]:
    """E-mail the pending notifications among ``notification_ids`` (each at most once)."""
    sent = failed = 0
    base = settings.DPGHUB_SITE_URL.rstrip("/")
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (Notification.objects.select_for_update().select_related("person")
                            .filter(pk=notification_id, email_status=EmailStatus.PENDING).first())
            if notification is None:
                continue
            text = notification.body + (f"\n\n{base}{notification.url}" if notification.url else "")
            try:
                send_mail(notification.subject, text, None, [notification.person.email])
            except Exception as exc:  # noqa: BLE001 - any mail failure is recorded on the row, not raised
                notification.email_status, notification.email_error = EmailStatus.FAILED, str(exc)[:300]
                failed += 1
            else:
                notification.email_status, notification.emailed_at = EmailStatus.SENT, timezone.now()
                sent += 1
            notification.save(update_fields=["email_status", "email_error", "emailed_at"])
    return {"sent": sent, "failed": failed}


def notifications_deliver_pending(*, older_than: dt.timedelta = dt.timedelta(minutes=10),
                                  now: dt.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """E-mail the notifications still pending ``older_than`` after they were written: their delivery job was
    lost or gave up (the scheduled ``notifications.retry``). Each is still e-mailed at most once."""
    cutoff = (now or timezone.now()) - older_than
    ids = list(Notification.objects.filter(email_status=EmailStatus.PENDING, created_at__lt=cutoff)
               .order_by("id").values_list("pk", flat=True)[:limit])
    return notifications_deliver(notification_ids=ids)


def notifications_mark_read(*, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when ``ids`` is None)."""
    if not actor.is_person:
        return 0
    with transaction.atomic():
        unread = Notification.objects.filter(person=actor.user, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=list(ids))
        count = unread.update(read_at=timezone.now())
        if count:
            history_record(actor=actor, action=NotificationsAction.NOTIFICATION_READ, target=actor.user,
                           data={"count": count})
    return count


def notification_preference_set(*, actor: Actor, kind: str, by_email: bool, in_site: bool) -> NotificationPreference:
    """A person chooses how they hear about one kind of notification."""
    if not actor.is_person:
        raise PermissionError("only a person has notification choices")
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
            person=actor.user, kind=kind)
        before = {"by_email": preference.by_email, "in_site": preference.in_site}
        preference.by_email, preference.in_site = by_email, in_site
        changes = history_changes(before, {"by_email": by_email, "in_site": in_site})
        if changes:
            preference.save()
            history_record(actor=actor, action=NotificationsAction.PREFERENCE_UPDATE, target=preference,
                           changes=changes, data={"kind": kind})
    return preference
