"""Domain errors of API tokens (families in dpghub.common.errors)."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from dpghub.common.errors import DomainError, InvalidInput, NotFound, PermissionDenied, Unauthenticated


class TokenError(DomainError):
    """Base class of the tokens app's errors; each also belongs to one family."""


class InvalidTokenRequest(TokenError, InvalidInput):
    """A token cannot be made as asked (no name, unknown scope, expiry out of range)."""


class TokenRejected(TokenError, Unauthenticated):
    """The token presented cannot be used: unknown, revoked or expired (``reason`` says which)."""

    code = "unauthorized"
    MESSAGES: ClassVar[dict[str, str]] = {
        "malformed": _("The Authorization header must be “Bearer <token>”."),
        "unknown": _("This API token is not known."),
        "revoked": _("This API token was revoked."),
        "expired": _("This API token has expired."),
        "missing": _("This request needs an API token: send “Authorization: Bearer <token>”."),
    }

    def __init__(self, reason: str) -> None:
        super().__init__(str(self.MESSAGES[reason]), field="Authorization", details={"reason": reason})
        self.reason = reason


class TokenPermissionDenied(TokenError, PermissionDenied):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("You may not manage this token.")))


class TokenNotFound(TokenError, NotFound):
    def __init__(self) -> None:
        super().__init__(str(_("No such API token.")), field="token")
