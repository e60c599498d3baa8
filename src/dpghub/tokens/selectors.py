"""Reads of API tokens: a person sees their own (never the secret, which is not stored)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dpghub.tokens.errors import TokenNotFound
from dpghub.tokens.models import ApiToken


def tokens_of(*, viewer: Any) -> QuerySet[ApiToken]:
    if not getattr(viewer, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(person=viewer).order_by("-created_at", "-id")


def token_get(*, viewer: Any, token_id: int) -> ApiToken:
    token = tokens_of(viewer=viewer).filter(pk=token_id).first()
    if token is None:
        raise TokenNotFound()
    return token
