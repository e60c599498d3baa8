"""Reads about people: platform roles, two-factor status, and what a person may act as.

Every function takes the user object (``request.user``, or a user loaded by a service) and answers for
anonymous visitors too (no roles, no two-factor).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.utils.translation import gettext as _

from dpghub.accounts.enums import MFA_REQUIRED_ROLES, REVIEWER_ROLES, PlatformRole
from dpghub.accounts.errors import MfaRequired, NotAllowed
from dpghub.accounts.models import PlatformRoleGrant, Profile

_ROLES_CACHE = "_dpghub_accounts_roles"


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and user.pk is not None


def person_platform_roles(user: Any) -> frozenset[str]:
    """The platform role values the person holds (read once per user object)."""
    if not _signed_in(user):
        return frozenset()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        cached = frozenset(PlatformRoleGrant.objects.filter(user=user).values_list("role", flat=True))
        setattr(user, _ROLES_CACHE, cached)
    return cached


def person_roles_forget(user: Any) -> None:
    """Drop the cached roles of this user object (after a grant or a revocation)."""
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)
    if hasattr(user, "_dpghub_platform_roles"):  # common.authz's copy
        del user._dpghub_platform_roles


def person_has_role(user: Any, role: PlatformRole | str) -> bool:
    return PlatformRole(role).value in person_platform_roles(user)


def person_has_totp(user: Any) -> bool:
    """Whether the person has an authenticator app (TOTP) set up."""
    if not _signed_in(user):
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def person_mfa_required(user: Any) -> bool:
    """Whether the person's roles require two-factor authentication: reviewers, the secretariat, and
    superusers (who act as the secretariat everywhere, common.authz)."""
    if _signed_in(user) and getattr(user, "is_superuser", False):
        return True
    return bool(person_platform_roles(user) & MFA_REQUIRED_ROLES)


def person_mfa_missing(user: Any) -> bool:
    """Roles that require two-factor authentication, and no authenticator app yet."""
    return person_mfa_required(user) and not person_has_totp(user)


def person_may_act_as_reviewer(user: Any, *, level: PlatformRole | str | None = None) -> bool:
    """A reviewer (of ``level``, or of either level) who has two-factor authentication set up."""
    wanted = {PlatformRole(level).value} if level is not None else REVIEWER_ROLES
    if not (person_platform_roles(user) & wanted):
        return False
    return person_has_totp(user)


def person_reviewer_require(user: Any, *, level: PlatformRole | str | None = None) -> None:
    """:func:`person_may_act_as_reviewer`, raising :class:`NotAllowed` (or :class:`MfaRequired`) with the reason."""
    wanted = {PlatformRole(level).value} if level is not None else REVIEWER_ROLES
    if not (person_platform_roles(user) & wanted):
        raise NotAllowed(_("Only reviewers can do this."))
    if not person_has_totp(user):
        raise MfaRequired(_("Reviewers must set up two-factor authentication first."))


def person_display_name(user: Any) -> str:
    """The name the person chose (empty when they gave none); never the e-mail address."""
    if not _signed_in(user):
        return ""
    profile = Profile.objects.filter(user=user).only("display_name").first()
    return profile.display_name if profile is not None else ""
