"""People whose platform role requires two-factor authentication set it up before any other signed-in page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from dpghub.accounts.selectors import person_mfa_missing

#: URL names a person may still reach before setting up two-factor authentication.
ALLOWED_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "account_logout",
    "web:logout",
    "set_language",
)
#: Path prefixes never redirected: static files, and the JSON API (tokens, not sessions).
ALLOWED_PREFIXES = ("/static/", "/api/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def _allowed_paths(self) -> tuple[str, ...]:
        if self._allowed is None:
            self._allowed = tuple(reverse(name) for name in ALLOWED_URL_NAMES)
        return self._allowed

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith(ALLOWED_PREFIXES)
                and request.path not in self._allowed_paths() and person_mfa_missing(user)):
            messages.warning(request, _("Your role requires two-factor authentication. Set up an authenticator "
                                        "app to continue."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
