"""Errors of the notifications app (following goods and countries)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dpghub.common.errors import DomainError, InvalidInput, PermissionDenied


class NotificationsError(DomainError):
    """Base class of the notifications app's errors; each also belongs to one family."""


class FollowRefused(NotificationsError, PermissionDenied):
    code = "follow_refused"

    def __init__(self) -> None:
        super().__init__(_("Sign in to follow goods and countries."))


class InvalidFollow(NotificationsError, InvalidInput):
    """Something that cannot be followed."""
