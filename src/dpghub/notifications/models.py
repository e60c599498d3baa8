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
