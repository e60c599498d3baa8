"""The outbox: notifications created in the transaction that causes them, delivered after it commits."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dpghub.notifications.enums import EmailStatus, NotificationKind


class Notification(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60, choices=NotificationKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True, help_text="A path on this site, e.g. /orgs/moh-ke/")
    in_site = models.BooleanField(default=True, help_text="Shown in the person's list of notifications")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING,
                                    db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "in_site", "read_at"])]


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row, both e-mail and the in-site list are on."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="notification_preferences")
    kind = models.CharField(max_length=60, choices=NotificationKind.choices)
    by_email = models.BooleanField(default=True)
    in_site = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="notifications_one_preference")]


class Watch(models.Model):
    """A person follows a good or a country (exactly one of the two) to hear when it changes."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    good = models.ForeignKey("catalog.Good", on_delete=models.CASCADE, null=True, blank=True, related_name="watches")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(good__isnull=False, country="") | models.Q(good__isnull=True) & ~models.Q(country="")),
                name="notifications_watch_one_target"),
            models.UniqueConstraint(fields=["person", "good"], condition=models.Q(good__isnull=False),
                                    name="notifications_watch_good_once"),
            models.UniqueConstraint(fields=["person", "country"], condition=~models.Q(country=""),
                                    name="notifications_watch_country_once"),
        ]
        indexes = [models.Index(fields=["country"])]


class WatchSent(models.Model):
    """What a watcher was already told by the daily tick (nearing expiry, a stale deployment): once per event."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=200, help_text="e.g. expiry:<good id>:<date>, stale:<deployment id>:<date>")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "event"], name="notifications_watch_sent_once")]
