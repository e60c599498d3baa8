"""Domain errors of API tokens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class TokenError(Exception):
    status = 400
    code = "invalid_input"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TokenRejected(TokenError):
    """The token presented cannot be used: unknown, revoked or expired (``reason`` says which)."""

    status = 401
    code = "unauthorized"
    MESSAGES = {
        "malformed": _("The Authorization header must be “Bearer <token>”."),
        "unknown": _("This API token is not known."),
        "revoked": _("This API token was revoked."),
        "expired": _("This API token has expired."),
        "missing": _("This request needs an API token: send “Authorization: Bearer <token>”."),
    }

    def __init__(self, reason: str) -> None:
        super().__init__(str(self.MESSAGES[reason]), field="Authorization")
        self.reason = reason


class TokenPermissionDenied(TokenError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("You may not manage this token.")))


class TokenNotFound(TokenError):
    status = 404
    code = "not_found"

    def __init__(self) -> None:
        super().__init__(str(_("No such API token.")), field="token")
