"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dpghub.common.authz import is_secretariat


def people(request: HttpRequest) -> dict:
    """``is_secretariat``: whether the viewer sees the secretariat's pages (read only when a page asks)."""
    return {"is_secretariat": SimpleLazyObject(lambda: is_secretariat(request.user))}
