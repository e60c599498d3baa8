"""Domain errors: one base class and the five families every app's errors belong to.

Services and selectors raise these; they never choose an HTTP status. Each interface maps the
families to its own responses in one place: ``dpghub.api.errors`` (JSON) and
``dpghub.web.errors`` (pages). An app's error subclasses its app base and one family, e.g.
``class GoodNotFound(CatalogError, NotFound)``; a new app needs nothing more to be mapped.
"""

from __future__ import annotations


class DomainError(Exception):
    """``message`` says what is wrong (already translated), ``field`` which input (when it is one),
    ``code`` is a stable name for programs (the API's ``error.code``), ``details`` more facts for
    programs (e.g. the actions a state allows), added to the API's error object."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None, details: dict | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.details = details or {}


class Unauthenticated(DomainError):
    """Who is acting is not known: no credentials, or credentials that cannot be used (revoked, expired)."""

    code = "unauthenticated"


class NotFound(DomainError):
    """What was asked for does not exist, or the actor may not know that it exists."""

    code = "not_found"


class PermissionDenied(DomainError):
    """The actor may not do this."""

    code = "permission_denied"


class InvalidInput(DomainError):
    """The request itself is wrong: a value out of range, a malformed file, a refused URL."""

    code = "invalid_input"


class Conflict(DomainError):
    """The request is well formed but the current state does not allow it (e.g. nothing to screen)."""

    code = "conflict"


#: Every family, in the order interfaces test them (an error belongs to exactly one).
FAMILIES: tuple[type[DomainError], ...] = (Unauthenticated, NotFound, PermissionDenied, InvalidInput, Conflict)


def family_of(error: DomainError) -> type[DomainError] | None:
    """The family ``error`` belongs to, or None for an error that was never given one (a bug)."""
    return next((family for family in FAMILIES if isinstance(error, family)), None)
