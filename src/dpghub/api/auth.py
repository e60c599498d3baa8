"""Who is calling: the API's one reading of ``Authorization: Bearer <token>``.

Reads are public: without a token the caller is an anonymous visitor. A write needs a write-scoped token
(:func:`write_actor`): none is 401, a read token is 403, a revoked or expired one is 401 with the reason.
Requests with an unusable token are limited per client address, and writes per token and per address
(429 with ``Retry-After``). ``X-DPGHub-On-Behalf-Of: <organisation slug>`` says which organisation the
caller acts for; the caller must be an active member of it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dpghub.common.history import Actor
from dpghub.common.ratelimit import client_address, ratelimit_enforce
from dpghub.orgs.selectors import actor_on_behalf_of
from dpghub.tokens.enums import TokenScope
from dpghub.tokens.errors import TokenPermissionDenied, TokenRejected
from dpghub.tokens.services import token_authenticate

ON_BEHALF_OF = "HTTP_X_DPGHUB_ON_BEHALF_OF"


def _address(request: HttpRequest) -> str:
    return client_address(request.META, settings.DPGHUB_TRUSTED_PROXIES)


def request_actor(request: HttpRequest) -> Actor:
    """The caller as an Actor (anonymous without a token); raises TokenRejected for an unusable token."""
    cached = getattr(request, "_dpghub_actor", None)
    if cached is not None:
        return cached
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        actor = Actor.anonymous()
    else:
        scheme, _sep, raw = header.partition(" ")
        try:
            if scheme.lower() != "bearer" or not raw.strip():
                raise TokenRejected("malformed")
            actor = Actor.via_token(token_authenticate(raw))
        except TokenRejected:
            ratelimit_enforce(scope="api-token-failure", key=_address(request),
                              rate=settings.DPGHUB_API_AUTH_FAILURE_RATE)
            raise
        actor = actor_on_behalf_of(actor=actor, organisation_slug=request.META.get(ON_BEHALF_OF, "").strip())
    request._dpghub_actor = actor
    return actor


def signed_actor(request: HttpRequest) -> Actor:
    """The caller, who must have sent a token (any scope)."""
    actor = request_actor(request)
    if not actor.is_person:
        raise TokenRejected("missing")
    return actor


def write_actor(request: HttpRequest) -> Actor:
    """The caller of a write: a write-scoped token, within the write rate per token and per address."""
    actor = signed_actor(request)
    if actor.token_scope != TokenScope.WRITE:
        raise TokenPermissionDenied(_("This token is read-only; create a token with the write scope."))
    ratelimit_enforce(scope="api-write-token", key=str(actor.token_id), rate=settings.DPGHUB_WRITE_API_RATE)
    ratelimit_enforce(scope="api-write-address", key=_address(request), rate=settings.DPGHUB_WRITE_API_RATE)
    return actor
