"""The platform roles a person can hold (issue 13: first- and second-level reviewer, expert, secretariat)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary


class PlatformRole(models.TextChoices):
    REVIEWER_L1 = "reviewer-l1", _("First-level reviewer")
    REVIEWER_L2 = "reviewer-l2", _("Second-level reviewer")
    EXPERT = "expert", _("Expert")
    SECRETARIAT = "secretariat", _("Secretariat")


#: Holders of these roles must use two-factor authentication (TOTP) before doing anything else.
MFA_REQUIRED_ROLES: frozenset[str] = frozenset(
    {PlatformRole.REVIEWER_L1, PlatformRole.REVIEWER_L2, PlatformRole.SECRETARIAT}
)

#: Roles that may review applications (with two-factor authentication set up).
REVIEWER_ROLES: frozenset[str] = frozenset({PlatformRole.REVIEWER_L1, PlatformRole.REVIEWER_L2})


@history_vocabulary
class AccountsAction(models.TextChoices):
    """What the accounts app records in the history."""

    PERSON_CREATE = "accounts.person.create", _("Account created")
    PROFILE_UPDATE = "accounts.profile.update", _("Profile changed")
    ROLE_GRANT = "accounts.role.grant", _("Platform role given")
    ROLE_REVOKE = "accounts.role.revoke", _("Platform role taken away")
    PERSON_DELETE = "accounts.person.delete", _("Account deleted")
