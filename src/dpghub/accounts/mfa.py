"""allauth's two-factor hooks (settings.MFA_ADAPTER): people whose role requires it cannot turn it off."""

from __future__ import annotations

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from dpghub.accounts.selectors import person_mfa_required


class MfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and person_mfa_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
