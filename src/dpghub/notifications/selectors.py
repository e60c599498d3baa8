"""A person's notifications and choices."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dpghub.notifications.enums import NotificationKind
from dpghub.notifications.models import Notification, NotificationPreference


def notifications_of(*, viewer: Any, limit: int = 100) -> list[Notification]:
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(Notification.objects.filter(person=viewer, in_site=True).order_by("-created_at", "-id")[:limit])


def notifications_unread_count(*, viewer: Any) -> int:
    if not getattr(viewer, "is_authenticated", False):
        return 0
    return Notification.objects.filter(person=viewer, in_site=True, read_at__isnull=True).count()


def notification_preferences(*, viewer: Any) -> list[tuple[str, str, bool, bool]]:
    """``(kind, label, by_email, in_site)`` for every kind, defaults filled in."""
    rows: QuerySet[NotificationPreference] = NotificationPreference.objects.filter(person=viewer)
    chosen = {row.kind: (row.by_email, row.in_site) for row in rows}
    return [(kind, str(label), *chosen.get(kind, (True, True))) for kind, label in NotificationKind.choices]
