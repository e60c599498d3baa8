"""The client's address, as rate limits see it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, or with DPGHUB_TRUSTED_PROXIES = n, the address the
    nearest of n trusted proxies saw (n-th entry of X-Forwarded-For from the right; entries a client
    wrote itself, further left, are never trusted)."""
    proxies = settings.DPGHUB_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"
