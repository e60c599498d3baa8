"""Domain errors of the organisations app (families in dpghub.common.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dpghub.common.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class OrgsError(DomainError):
    """Base class of the organisations app's errors; each also belongs to one family."""


class OrganisationNotFound(OrgsError, NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(str(_("No organisation “%(ref)s”.") % {"ref": ref}), field="organisation")


class MembershipNotFound(OrgsError, NotFound):
    def __init__(self) -> None:
        super().__init__(str(_("No such membership.")), field="membership")


class OrgsPermissionDenied(OrgsError, PermissionDenied):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("You may not do this for this organisation.")))


class InvalidTransition(OrgsError, Conflict):
    code = "invalid_transition"

    def __init__(self, state: str, action: str, allowed: list[str]) -> None:
        super().__init__(str(_("A membership that is “%(state)s” cannot be “%(action)s”; allowed: %(allowed)s.")
                             % {"state": state, "action": action, "allowed": ", ".join(allowed) or "—"}),
                         field="action", details={"allowed": allowed})
        self.allowed = allowed


class InvalidOrganisation(OrgsError, InvalidInput):
    pass
