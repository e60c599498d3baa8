"""Creating, revoking and checking personal API tokens.

A token is ``dpg_`` followed by 43 random URL-safe characters (256 bits). Only its SHA-256 is stored: with
that much randomness a plain hash is safe, and it lets a request be matched with one indexed look-up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.common.authz import actor_may
from dpghub.common.history import Actor, history_record
from dpghub.common.models import ActorKind
from dpghub.notifications.enums import NotificationKind
from dpghub.notifications.services import notify
from dpghub.tokens.enums import TokensAction, TokenScope
from dpghub.tokens.errors import InvalidTokenRequest, TokenPermissionDenied, TokenRejected
from dpghub.tokens.models import ApiToken
from dpghub.tokens.rules import TOKENS_RULES

PREFIX = "dpg_"
#: How often the last-used time is written (one write per token per minute at most, not one per request).
LAST_USED_EVERY = dt.timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_create(
    *, actor: Actor, person: Any, name: str, scope: str = TokenScope.READ, expires_days: int | None = 90,
) -> tuple[ApiToken, str]:
    """Create a token for ``person`` (the person themself, or an operator's script); returns it and its
    secret, which is never stored and cannot be shown again."""
    if actor.kind == ActorKind.TOKEN:
        raise TokenPermissionDenied(_("A token cannot create tokens: sign in to create one."))
    if not actor_may(TOKENS_RULES, "tokens.create_token", actor=actor, obj=person):
        raise TokenPermissionDenied()
    name = " ".join((name or "").split())[:100]
    if not name:
        raise InvalidTokenRequest(_("Give the token a name, to recognise it later."), field="name")
    if scope not in TokenScope.values:
        raise InvalidTokenRequest(_("“%(value)s” is not a token scope; use read or write.") % {"value": scope}, field="scope")
    if expires_days is not None and not 1 <= expires_days <= 366:
        raise InvalidTokenRequest(_("A token expires after 1 to 366 days."), field="expires_days")
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            person=person, name=name, prefix=raw[: len(PREFIX) + 4], digest=_digest(raw), scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=expires_days) if expires_days else None,
        )
        history_record(actor=actor, action=TokensAction.TOKEN_CREATE, target=token,
                       changes={"scope": {"before": None, "after": scope},
                                "expires_at": {"before": None, "after": token.expires_at}})
        notify(people=[person], kind=NotificationKind.TOKEN_CREATED,
               subject=_("A new API token for your DPG Hub account"),
               body=_("An API token named “%(name)s” with the %(scope)s scope was created for your account. If you "
                      "did not ask for it, revoke it on your tokens page and tell the secretariat.")
               % {"name": name, "scope": scope}, url=reverse("web:tokens"))
    return token, raw


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if not actor_may(TOKENS_RULES, "tokens.revoke_token", actor=actor, obj=token):
        raise TokenPermissionDenied()
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            history_record(actor=actor, action=TokensAction.TOKEN_REVOKE, target=token,
                           changes={"revoked_at": {"before": None, "after": token.revoked_at}})
    return token


def token_authenticate(raw: str, *, now: dt.datetime | None = None) -> ApiToken:
    """The live token matching ``raw``; raises :class:`TokenRejected` saying why it cannot be used."""
    raw = (raw or "").strip()
    if not raw.startswith(PREFIX) or len(raw) > 200:
        raise TokenRejected("unknown")
    token = ApiToken.objects.select_related("person").filter(digest=_digest(raw)).first()
    now = now or timezone.now()
    if token is None or not token.person.is_active:
        raise TokenRejected("unknown")
    if token.revoked_at is not None:
        raise TokenRejected("revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRejected("expired")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # usage metadata, not a history event
        token.last_used_at = now
    return token
