"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dpghub.common.authz import is_secretariat
from dpghub.notifications.selectors import notifications_unread_count
from dpghub.web.review import is_review_person


def people(request: HttpRequest) -> dict:
    """``is_secretariat``: whether the viewer sees the secretariat's pages; ``is_review_person``: whether the
    viewer reviews (or is the secretariat); ``unread_notifications``: how many the signed-in viewer has not
    read. Each is read only when a page uses it."""
    return {"is_secretariat": SimpleLazyObject(lambda: is_secretariat(request.user)),
            "is_review_person": SimpleLazyObject(lambda: is_review_person(request.user)),
            "unread_notifications": SimpleLazyObject(lambda: notifications_unread_count(viewer=request.user))}


def site(request: HttpRequest) -> dict:
    """``source_url``: where this instance's source code is published (the footer links to it)."""
    return {"source_url": settings.DPGHUB_SOURCE_URL}
