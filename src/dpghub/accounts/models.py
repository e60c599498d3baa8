"""People: Django's own ``auth.User`` (identified by e-mail through django-allauth), plus what DPG Hub adds.

- :class:`Profile`: the name a person is shown by (``User.username`` is filled automatically and never shown).
- :class:`PlatformRoleGrant`: one row per platform role a person holds.

Both are personal data: private, exported by ``person_export`` and removed by ``person_delete``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.accounts.enums import PlatformRole


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class PlatformRoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_roles")
    role = models.CharField(max_length=20, choices=PlatformRole.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_role_once_per_person"),
            models.CheckConstraint(condition=models.Q(role__in=PlatformRole.values), name="accounts_role_known"),
        ]
