"""Writes about people: create a person, grant and revoke platform roles, export and delete an account.

Sign-up, e-mail verification, sign-in, password and e-mail changes and two-factor authentication are
django-allauth's flows (see ``docs/accounts.md``); this module holds what DPG Hub adds around them.

Extension points, for other apps (organisations, tokens, history) to join without this app importing them:

- :func:`person_exporter`: register a callable ``(user) -> JSON-able`` whose result becomes one section of
  a person's export (``/accounts/me/export.json``), under the name it was registered with.
- :func:`person_deletion_step`: register a callable ``(user) -> None`` run inside the deletion's
  transaction, before the account is removed (to remove or pseudonymise what the app holds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.accounts.enums import AccountsAction, PlatformRole
from dpghub.accounts.errors import InvalidPerson, NotAllowed
from dpghub.accounts.models import PlatformRoleGrant, Profile
from dpghub.accounts.selectors import person_platform_roles, person_roles_forget
from dpghub.common.history import Actor, history_record
from dpghub.common.history import person_pseudonym as person_pseudonym  # one rule, kept in common.history
from dpghub.common.models import Activity

#: Version of the export's shape; bump it when a section changes incompatibly.
EXPORT_FORMAT = 1

Exporter = Callable[[Any], Any]
DeletionStep = Callable[[Any], None]
_EXPORTERS: dict[str, Exporter] = {}
_DELETION_STEPS: dict[str, DeletionStep] = {}


def _actor(actor: Any) -> tuple[Any, str]:
    """(user or None, label) for an activity row: a person by pseudonym, a system job as 'system:<name>'."""
    if isinstance(actor, str):
        if not actor.startswith("system:"):
            raise ValueError(f"a system actor is named 'system:<job>', not {actor!r}")
        return None, actor
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Sign in first."))
    return actor, person_pseudonym(actor)


def activity_record(*, actor: Any, actor_label: str, action: str, target: Any = None, data: dict | None = None) -> None:
    """One history row for an accounts write (``actor`` a user, or None with ``actor_label`` 'system:<job>')."""
    who = Actor.person(actor) if actor is not None else Actor.system_job(actor_label.removeprefix("system:"))
    with transaction.atomic():  # joins the caller's transaction
        history_record(actor=who, action=AccountsAction(action), target=target, data=data)


# --- extension points ------------------------------------------------------------------------------

def person_exporter(name: str) -> Callable[[Exporter], Exporter]:
    """Decorator: add the section ``name`` to every person's export (``fn(user)`` returns JSON-able data)."""
    def register(fn: Exporter) -> Exporter:
        known = _EXPORTERS.get(name)
        if known is not None and known is not fn:
            raise ValueError(f"export section {name!r} is registered twice")
        _EXPORTERS[name] = fn
        return fn
    return register


def person_deletion_step(name: str) -> Callable[[DeletionStep], DeletionStep]:
    """Decorator: run ``fn(user)`` inside :func:`person_delete`'s transaction, before the account goes."""
    def register(fn: DeletionStep) -> DeletionStep:
        known = _DELETION_STEPS.get(name)
        if known is not None and known is not fn:
            raise ValueError(f"deletion step {name!r} is registered twice")
        _DELETION_STEPS[name] = fn
        return fn
    return register


# --- people and roles -------------------------------------------------------------------------------

@transaction.atomic
def person_create(*, actor: Any, email: str, name: str, roles: Iterable[PlatformRole | str] = (),
                  password: str | None = None, email_verified: bool = True) -> Any:
    """Create a person identified by ``email`` (unique, case-insensitive), shown as ``name``.

    Used by ``dpghub users create`` (an operator, who vouches for the address: it is marked verified).
    Without a password the person sets one through "Forgot your password?". People who sign up on the
    site go through allauth's sign-up instead, which calls :func:`person_profile_set`.
    """
    from allauth.account.adapter import get_adapter

    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidPerson(_("Enter a valid e-mail address."), field="email") from None
    User = get_user_model()
    if (User.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()):
        raise InvalidPerson(_("A person with this e-mail address already exists."), field="email")
    roles = [PlatformRole(role) for role in roles]
    user = User(email=email, username=get_adapter().generate_unique_username([email, name, "person"]))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    Profile.objects.create(user=user, display_name=(name or "").strip())
    actor_user, actor_label = _actor(actor)
    activity_record(actor=actor_user, actor_label=actor_label, action="accounts.person.create", target=user,
                    data={"roles": sorted(role.value for role in roles)})
    for role in roles:
        _grant(actor_user, actor_label, user, role)
    return user


def person_profile_set(*, actor: Any, display_name: str) -> Profile:
    """The person sets the name they are shown by (at sign-up, or later)."""
    actor_user, actor_label = _actor(actor)
    with transaction.atomic():
        profile, _created = Profile.objects.update_or_create(
            user=actor_user, defaults={"display_name": (display_name or "").strip()[:150]})
        activity_record(actor=actor_user, actor_label=actor_label, action="accounts.profile.update",
                        target=actor_user)
    return profile


def _grant(actor_user: Any, actor_label: str, person: Any, role: PlatformRole) -> bool:
    _row, created = PlatformRoleGrant.objects.get_or_create(user=person, role=role.value)
    if created:
        activity_record(actor=actor_user, actor_label=actor_label, action="accounts.role.grant", target=person,
                        data={"role": role.value})
    person_roles_forget(person)
    return created


def _may_manage_roles(actor: Any) -> bool:
    if isinstance(actor, str):  # a system job: an operator with a shell on the server
        return True
    return bool(getattr(actor, "is_superuser", False)) or PlatformRole.SECRETARIAT in person_platform_roles(actor)


def person_role_grant(*, actor: Any, person: Any, role: PlatformRole | str) -> bool:
    """Give ``person`` a platform role (the secretariat, or an operator). True when it was not held yet."""
    role = PlatformRole(role)
    if not _may_manage_roles(actor):
        raise NotAllowed(_("Only the secretariat can change platform roles."))
    actor_user, actor_label = _actor(actor)
    with transaction.atomic():
        return _grant(actor_user, actor_label, person, role)


def person_role_revoke(*, actor: Any, person: Any, role: PlatformRole | str) -> bool:
    """Take a platform role away. True when the person held it."""
    role = PlatformRole(role)
    if not _may_manage_roles(actor):
        raise NotAllowed(_("Only the secretariat can change platform roles."))
    actor_user, actor_label = _actor(actor)
    with transaction.atomic():
        deleted, _details = PlatformRoleGrant.objects.filter(user=person, role=role.value).delete()
        if deleted:
            activity_record(actor=actor_user, actor_label=actor_label, action="accounts.role.revoke",
                            target=person, data={"role": role.value})
    person_roles_forget(person)
    return bool(deleted)


# --- export and deletion ----------------------------------------------------------------------------

def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@person_exporter("account")
def _export_account(user: Any) -> dict:
    return {
        "email": user.email,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_active": user.is_active,
        "has_password": user.has_usable_password(),
        "pseudonym": person_pseudonym(user),
    }


@person_exporter("profile")
def _export_profile(user: Any) -> dict:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return {"display_name": ""}
    return {"display_name": profile.display_name, "created_at": _iso(profile.created_at),
            "updated_at": _iso(profile.updated_at)}


@person_exporter("email_addresses")
def _export_emails(user: Any) -> list[dict]:
    return [{"email": address.email, "primary": address.primary, "verified": address.verified}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")]


@person_exporter("platform_roles")
def _export_roles(user: Any) -> list[dict]:
    return [{"role": grant.role, "granted_at": _iso(grant.granted_at)}
            for grant in PlatformRoleGrant.objects.filter(user=user).order_by("role")]


@person_exporter("two_factor")
def _export_two_factor(user: Any) -> list[dict]:
    # Which methods are set up and when; never the secrets or the codes themselves.
    return [{"type": authenticator.type, "created_at": _iso(authenticator.created_at),
             "last_used_at": _iso(authenticator.last_used_at)}
            for authenticator in Authenticator.objects.filter(user=user).order_by("type", "pk")]


@person_exporter("activity")
def _export_activity(user: Any) -> list[dict]:
    return [{"action": row.action, "target_type": row.target_type, "target_id": row.target_id, "at": _iso(row.at)}
            for row in Activity.objects.filter(actor=user).order_by("at", "pk")]


def person_export(*, actor: Any) -> dict:
    """Everything DPG Hub holds about the signed-in person ``actor``, as JSON-able data.

    One section per registered exporter (:func:`person_exporter`), in registration order.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Sign in first."))
    sections = {name: exporter(actor) for name, exporter in _EXPORTERS.items()}
    return {"format": EXPORT_FORMAT, "exported_at": timezone.now().isoformat(), **sections}


def person_delete(*, actor: Any) -> str:
    """Delete the signed-in person's account and the personal data held with it; return their pseudonym.

    In one transaction: history rows that point at the person keep the pseudonym (never a name or an
    e-mail address), registered deletion steps run, then the account goes with everything that cascades
    from it (profile, roles, e-mail addresses, two-factor authenticators). The caller (web view) has
    already asked for the password again.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Sign in first."))
    pseudonym = person_pseudonym(actor)
    with transaction.atomic():
        for step in _DELETION_STEPS.values():
            step(actor)
        Activity.objects.filter(actor=actor).update(actor_label=pseudonym)
        Activity.objects.filter(target_type=actor._meta.label_lower, target_id=str(actor.pk)).update(data={})
        actor.delete()
        activity_record(actor=None, actor_label="system:account-deletion", action="accounts.person.delete",
                        data={"person": pseudonym})
    return pseudonym
