"""Vocabularies of notifications: what a person can be told about, and what is recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary


class NotificationKind(models.TextChoices):
    """Every kind of notification; a person chooses, per kind, e-mail and the in-site list."""

    MEMBERSHIP_REQUESTED = "orgs.membership_requested", _("Someone asks to act for an organisation you administer")
    MEMBERSHIP_DECIDED = "orgs.membership_decided", _("Your request to act for an organisation was decided")
    TOKEN_CREATED = "tokens.token_created", _("An API token was created for your account")
    CHARTER_REPORT_VERIFIED = "charter.report_verified", _("The secretariat verified a progress report of your "
                                                           "organisation")
    CHARTER_EVIDENCE_REQUESTED = "charter.evidence_requested", _("The secretariat asks for more evidence for a "
                                                                 "progress report of your organisation")
    CHARTER_REPORT_DUE = "charter.report_due", _("A progress report on a pledge of your organisation is due soon")
    DEPLOYMENT_CLAIMED = "deployments.deployment_claimed", _("A deployment names your organisation as its agency")
    DEPLOYMENT_CONFIRMED = "deployments.deployment_confirmed", _("A deployment you recorded was confirmed")
    DEPLOYMENT_DISPUTED = "deployments.deployment_disputed", _("A deployment of your organisation or that you "
                                                                "recorded was disputed")
    APPLICATION_CHANGED = "review.application_changed", _("An application of your organisation moved on")
    APPLICATION_REMINDER = "review.application_reminder", _("An application of your organisation needs an answer soon")
    REVIEW_ASSIGNED = "review.assigned", _("An application was given to you to review")
    WATCH_GOOD_STATUS = "watch.good_status", _("A good you follow changed status")
    WATCH_GOOD_EXPIRY = "watch.good_expiry", _("The recognition of a good you follow expires soon")
    WATCH_GOOD_LICENCE = "watch.good_licence", _("The licence of a good you follow changed")
    WATCH_DEPLOYMENT_STALE = "watch.deployment_stale", _("A deployment of a good or in a country you follow went stale")
    WATCH_DEPLOYMENT_DISPUTED = "watch.deployment_disputed", _("A deployment of a good or in a country you follow "
                                                               "was disputed")
    WATCH_DEPLOYMENT_VERIFIED = "watch.deployment_verified", _("A deployment of a good or in a country you follow "
                                                               "was confirmed by its agency")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent (the person's choice)")
    FAILED = "failed", _("Could not be sent")


@history_vocabulary
class NotificationsAction(models.TextChoices):
    NOTIFICATION_READ = "notifications.notification.read", _("Notifications marked as read")
    PREFERENCE_UPDATE = "notifications.preference.update", _("Notification choices changed")
    WATCH_FOLLOW = "notifications.watch.follow", _("Started following a good or a country")
    WATCH_UNFOLLOW = "notifications.watch.unfollow", _("Stopped following a good or a country")
