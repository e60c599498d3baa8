"""Vocabularies of notifications: what a person can be told about, and what is recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary


class NotificationKind(models.TextChoices):
    """Every kind of notification; a person chooses, per kind, e-mail and the in-site list."""

    MEMBERSHIP_REQUESTED = "orgs.membership_requested", _("Someone asks to act for an organisation you administer")
    MEMBERSHIP_DECIDED = "orgs.membership_decided", _("Your request to act for an organisation was decided")
    TOKEN_CREATED = "tokens.token_created", _("An API token was created for your account")
    APPLICATION_CHANGED = "review.application_changed", _("An application of your organisation moved on")
    APPLICATION_REMINDER = "review.application_reminder", _("An application of your organisation needs an answer soon")
    REVIEW_ASSIGNED = "review.assigned", _("An application was given to you to review")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent (the person's choice)")
    FAILED = "failed", _("Could not be sent")


@history_vocabulary
class NotificationsAction(models.TextChoices):
    NOTIFICATION_READ = "notifications.notification.read", _("Notifications marked as read")
    PREFERENCE_UPDATE = "notifications.preference.update", _("Notification choices changed")
