"""Domain errors of the review app (families in dpghub.common.errors)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dpghub.common.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class ReviewError(DomainError):
    """Base class of the review app's errors; each also belongs to one family."""


class ApplicationNotFound(ReviewError, NotFound):
    def __init__(self) -> None:
        super().__init__(_("No such application."), field="application")


class ReviewPermissionDenied(ReviewError, PermissionDenied):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("You may not do this with this application."))


class InvalidTransition(ReviewError, Conflict):
    code = "invalid_transition"

    def __init__(self, state: str, action: str, allowed: list[str]) -> None:
        super().__init__(_("An application in state “%(state)s” does not allow “%(action)s”; allowed: %(allowed)s.")
                         % {"state": state, "action": action, "allowed": ", ".join(allowed) or "—"},
                         field="action", details={"allowed": allowed})
        self.allowed = allowed


class StaleVersion(ReviewError, Conflict):
    """Someone else saved first: nothing was overwritten; reload and try again."""

    code = "stale_version"

    def __init__(self, what: str, current: int) -> None:
        super().__init__(_("%(what)s was changed by someone else meanwhile (now version %(current)s); nothing was "
                           "saved. Reload and try again.") % {"what": what, "current": current},
                         field="expected_version", details={"current_version": current})


class InvalidApplication(ReviewError, InvalidInput):
    pass


class DecisionNotReady(ReviewError, Conflict):
    code = "decision_not_ready"
