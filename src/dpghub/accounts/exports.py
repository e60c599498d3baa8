"""The sections other apps add to a person's export: memberships, API tokens (never their secret) and
notifications and what they follow. Registered when the accounts app starts (AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from dpghub.accounts.services import person_exporter
from dpghub.notifications.models import Notification, NotificationPreference, Watch
from dpghub.orgs.models import Membership
from dpghub.tokens.models import ApiToken


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@person_exporter("memberships")
def _memberships(user: Any) -> list[dict]:
    return [{"organisation": m.organisation.slug, "role": m.role, "status": m.status, "note": m.note,
             "requested_at": _when(m.requested_at), "decided_at": _when(m.decided_at)}
            for m in Membership.objects.filter(person=user).select_related("organisation").order_by("pk")]


@person_exporter("api_tokens")
def _tokens(user: Any) -> list[dict]:
    return [{"name": t.name, "begins_with": t.prefix, "scope": t.scope, "created_at": _when(t.created_at),
             "expires_at": _when(t.expires_at), "revoked_at": _when(t.revoked_at),
             "last_used_at": _when(t.last_used_at)}
            for t in ApiToken.objects.filter(person=user).order_by("pk")]


@person_exporter("notifications")
def _notifications(user: Any) -> dict:
    return {
        "received": [{"kind": n.kind, "subject": n.subject, "body": n.body, "url": n.url,
                      "created_at": _when(n.created_at), "read_at": _when(n.read_at), "email": n.email_status}
                     for n in Notification.objects.filter(person=user).order_by("pk")],
        "choices": [{"kind": p.kind, "by_email": p.by_email, "in_site": p.in_site}
                    for p in NotificationPreference.objects.filter(person=user).order_by("kind")],
    }


@person_exporter("following")
def _following(user: Any) -> list[dict]:
    return [{"good": w.good.slug if w.good else None, "country": w.country or None, "since": _when(w.created_at)}
            for w in Watch.objects.filter(person=user).select_related("good").order_by("pk")]
