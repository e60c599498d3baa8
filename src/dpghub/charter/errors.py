"""Domain errors of the Charter framework (families in dpghub.common.errors)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dpghub.common.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class CharterError(DomainError):
    """Base class of the Charter app's errors; each also belongs to one family."""


class EndorsementNotFound(CharterError, NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(_("No endorsement of the Charter by “%(ref)s”.") % {"ref": ref}, field="endorsement")


class PledgeNotFound(CharterError, NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(_("No pledge “%(ref)s”.") % {"ref": ref}, field="pledge")


class TargetNotFound(CharterError, NotFound):
    def __init__(self, metric: str) -> None:
        super().__init__(_("The pledge has no target “%(metric)s”.") % {"metric": metric}, field="target")


class ReportNotFound(CharterError, NotFound):
    def __init__(self, ref: object) -> None:
        super().__init__(_("No progress report “%(ref)s”.") % {"ref": ref}, field="report")


class CharterPermissionDenied(CharterError, PermissionDenied):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("You may not do this in the Charter framework."))


class InvalidCharterInput(CharterError, InvalidInput):
    """A value is wrong; ``problems`` lists every (field, message) found, the first one is the message."""

    def __init__(self, message: str, *, field: str | None = None, problems: list[tuple[str, str]] | None = None) -> None:
        problems = problems or [(field or "", message)]
        super().__init__(message, field=field,
                         details={"problems": [{"field": f, "message": m} for f, m in problems]} if len(problems) > 1
                         else None)
        self.problems = problems


class CharterConflict(CharterError, Conflict):
    """The current state does not allow the request (e.g. an edit that started from an older version)."""


class StaleVersion(CharterConflict):
    code = "stale_version"

    def __init__(self, expected: int, current: int) -> None:
        super().__init__(_("The pledge changed since you opened it (version %(expected)s, now %(current)s); "
                           "reload it and apply your change again.") % {"expected": expected, "current": current},
                         field="expected_version", details={"current_version": current})


class InvalidTransition(CharterConflict):
    code = "invalid_transition"

    def __init__(self, what: str, state: str, action: str, allowed: list[str]) -> None:
        super().__init__(_("A %(what)s that is “%(state)s” cannot be “%(action)s”; allowed: %(allowed)s.")
                         % {"what": what, "state": state, "action": action, "allowed": ", ".join(allowed) or "—"},
                         field="action", details={"allowed": allowed})
        self.allowed = allowed
