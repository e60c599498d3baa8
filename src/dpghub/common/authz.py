"""Authorisation helpers shared by the domain apps: platform roles, and one way to ask "may this actor?".

Each domain app declares its rules as object-level predicates (the ``rules`` library) in its own
``rules.py``, in a :class:`rules.RuleSet` of its own, and its services call :func:`actor_may` before
writing. Views and the API ask the same question to decide what to show; they never decide alone.

Platform roles (first- and second-level reviewer, expert, secretariat) are held by the accounts app,
which registers how to read them with :func:`platform_roles_source` when it starts (a documented hook, so
that this module, below every app, imports none of them). Django superusers count as the secretariat:
they run the site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser

from dpghub.common.history import WRITE_SCOPE, Actor
from dpghub.common.models import ActorKind

SECRETARIAT = "secretariat"
_roles_source: Callable[[Any], frozenset[str]] = lambda user: frozenset()  # noqa: E731 (replaced by accounts)
_holders_source: Callable[[str], Iterable[Any]] = lambda role: ()  # noqa: E731 (replaced by accounts)


def platform_roles_source(roles_of: Callable[[Any], frozenset[str]], holders_of: Callable[[str], Iterable[Any]]) -> None:
    """Called once by the accounts app: ``roles_of(user)`` gives a person's platform role values and
    ``holders_of(role)`` the active people who hold a role."""
    global _roles_source, _holders_source
    _roles_source, _holders_source = roles_of, holders_of


def platform_role_holders(role: str) -> list[Any]:
    """The active people who hold ``role`` (for the secretariat, superusers too)."""
    from django.contrib.auth import get_user_model

    people = {person.pk: person for person in _holders_source(role) if person.is_active}
    if role == SECRETARIAT:
        people.update({person.pk: person for person in get_user_model().objects.filter(is_superuser=True, is_active=True)})
    return [people[pk] for pk in sorted(people)]


def secretariat_people() -> list[Any]:
    return platform_role_holders(SECRETARIAT)


def person_platform_roles(user: Any) -> frozenset[str]:
    """The platform roles of a signed-in person (empty for anonymous visitors), read once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_dpghub_platform_roles", None)
    if cached is None:
        cached = frozenset(_roles_source(user)) | ({SECRETARIAT} if user.is_superuser else frozenset())
        user._dpghub_platform_roles = cached
    return cached


def has_platform_role(role: str) -> rules.Predicate:
    """A predicate true for people who hold ``role``."""
    return rules.predicate(lambda user: role in person_platform_roles(user), name=f"has_platform_role:{role}")


is_signed_in = rules.is_authenticated
is_secretariat = has_platform_role(SECRETARIAT)


def actor_may(ruleset: rules.RuleSet, rule: str, *, actor: Actor, obj: Any = None, write: bool = True) -> bool:
    """Whether ``actor`` may do ``rule`` (on ``obj``).

    System jobs are the site's own code, started by an operator or a schedule: they may. A token acts for
    its person, and only a write-scoped token may write. An anonymous visitor is tested as such.
    """
    if actor.kind == ActorKind.SYSTEM:
        return True
    if actor.kind == ActorKind.TOKEN and write and actor.token_scope != WRITE_SCOPE:
        return False
    user = actor.user if actor.kind != ActorKind.ANONYMOUS else AnonymousUser()
    return ruleset.test_rule(rule, user, obj)
