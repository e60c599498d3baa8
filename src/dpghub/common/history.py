"""History: one row per write, written in the write's own transaction.

Every service that changes something calls :func:`history_record` inside its transaction with

- an explicit :class:`Actor`: a person, a person through an API token, or a named system job, and the
  organisation the action was taken on behalf of, if any;
- an action from a *closed vocabulary*: a ``TextChoices`` enum of the app (``app.entity.verb``), registered
  with :func:`history_vocabulary`; a free string is refused;
- the object (type and id) and what changed (``{"field": {"before": ..., "after": ...}}``).

Personal data never goes into a row: a person is stored as a foreign key (set to NULL when the account is
deleted) and a pseudonymous label (:func:`person_pseudonym`), never a name or an e-mail address.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.conf import settings
from django.db import connection, models

from dpghub.common.models import Activity, ActorKind

#: The scope a token needs to write (dpghub.tokens.enums.TokenScope.WRITE has the same value).
WRITE_SCOPE = "write"
_ACTION = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*\.[a-z][a-z_-]*$")
_VOCABULARIES: dict[str, type[models.TextChoices]] = {}


def history_vocabulary(vocabulary: type[models.TextChoices]) -> type[models.TextChoices]:
    """Register an app's closed set of history actions (use as a class decorator on a TextChoices)."""
    for member in vocabulary:
        if not _ACTION.match(member.value):
            raise ValueError(f"history action {member.value!r} is not of the form app.entity.verb")
        known = _VOCABULARIES.get(member.value)
        if known is not None and known is not vocabulary:
            raise ValueError(f"history action {member.value!r} is declared twice ({known.__name__}, {vocabulary.__name__})")
        _VOCABULARIES[member.value] = vocabulary
    return vocabulary


def history_action_label(value: str) -> str:
    """The translated label of a recorded action (the raw value for an action no longer declared)."""
    vocabulary = _VOCABULARIES.get(value)
    return str(vocabulary(value).label) if vocabulary is not None else value


def history_actions() -> list[tuple[str, str]]:
    """Every declared action with its label, sorted by value (for filters)."""
    return sorted((value, str(vocabulary(value).label)) for value, vocabulary in _VOCABULARIES.items())


def person_pseudonym(user: Any) -> str:
    """A stable label for a person that reveals neither the name nor the e-mail address.

    A keyed hash of the account's id: the same person always gets the same label, and the label cannot be
    turned back into an account without the site's secret key.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), f"person:{user.pk}".encode(), hashlib.sha256).hexdigest()
    return f"person-{digest[:12]}"


@dataclass(frozen=True)
class Actor:
    """Who acts: a person (directly or through a token) or a named system job, and for which organisation."""

    kind: ActorKind
    user: Any = None
    token_id: int | None = None
    token_scope: str = ""
    system: str = ""
    organisation: Any = None

    @classmethod
    def person(cls, user: Any, *, organisation: Any = None) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            raise ValueError("a person actor needs a signed-in user")
        return cls(kind=ActorKind.PERSON, user=user, organisation=organisation)

    @classmethod
    def anonymous(cls) -> Actor:
        """A visitor who is not signed in: services refuse their writes, and nothing is recorded for them."""
        return cls(kind=ActorKind.ANONYMOUS)

    @classmethod
    def from_user(cls, user: Any, *, organisation: Any = None) -> Actor:
        """The signed-in person, or an anonymous visitor (for interfaces that take a request's user)."""
        if user is not None and getattr(user, "is_authenticated", False):
            return cls.person(user, organisation=organisation)
        return cls.anonymous()

    @classmethod
    def via_token(cls, token: Any, *, organisation: Any = None) -> Actor:
        return cls(kind=ActorKind.TOKEN, user=token.user, token_id=token.pk, token_scope=token.scope,
                   organisation=organisation)

    @classmethod
    def system_job(cls, name: str) -> Actor:
        if not re.fullmatch(r"[a-z][a-z0-9_.-]*", name or ""):
            raise ValueError(f"a system actor needs a short lower-case name, not {name!r}")
        return cls(kind=ActorKind.SYSTEM, system=name)

    @property
    def is_person(self) -> bool:
        return self.user is not None

    @property
    def label(self) -> str:
        if self.kind == ActorKind.SYSTEM:
            return f"system:{self.system}"
        return person_pseudonym(self.user)

    def acting_for(self, organisation: Any) -> Actor:
        """The same actor, on behalf of ``organisation``."""
        return Actor(kind=self.kind, user=self.user, token_id=self.token_id, token_scope=self.token_scope,
                     system=self.system, organisation=organisation)


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a field value (dates as ISO text, decimals and UUIDs as text, enums as values)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def history_snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` of ``obj`` (foreign keys by id), ready for :func:`history_changes`."""
    snapshot = {}
    for name in fields:
        field = obj._meta.get_field(name)
        snapshot[name] = _plain(getattr(obj, field.attname))
    return snapshot


def history_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"field": {"before": old, "after": new}}`` for every field whose value differs."""
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            changes[name] = {"before": old, "after": new}
    return changes


def history_record(
    *, actor: Actor, action: models.TextChoices, target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None, data: Mapping[str, Any] | None = None,
) -> Activity:
    """Write one history row; must run inside the transaction of the write it records."""
    if not isinstance(actor, Actor):
        raise TypeError("history_record needs an Actor (Actor.person, Actor.via_token or Actor.system_job)")
    if not isinstance(action, models.TextChoices) or _VOCABULARIES.get(action.value) is not type(action):
        raise TypeError(f"history action {action!r} is not a member of a registered vocabulary")
    if actor.kind == ActorKind.ANONYMOUS:
        raise ValueError("an anonymous visitor's write is refused by the service, never recorded")
    if not connection.in_atomic_block:
        raise RuntimeError("history_record must be called inside the transaction of the write it records")
    organisation = actor.organisation
    return Activity.objects.create(
        actor=actor.user if getattr(actor.user, "pk", None) else None,
        actor_kind=actor.kind,
        actor_label=actor.label,
        token_id=actor.token_id,
        organisation_id=getattr(organisation, "pk", None),
        organisation_label=str(organisation)[:200] if organisation is not None else "",
        action=action.value,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        changes=_plain(dict(changes or {})),
        data=_plain(dict(data or {})),
    )


