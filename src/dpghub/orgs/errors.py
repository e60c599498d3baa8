"""Domain errors of the organisations app; interfaces map them to responses in one place each."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class OrgsError(Exception):
    """Base class; ``message`` says what is wrong, ``field`` where (when it is one input)."""

    status = 400
    code = "invalid_input"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class OrganisationNotFound(OrgsError):
    status = 404
    code = "not_found"

    def __init__(self, ref: str) -> None:
        super().__init__(str(_("No organisation “%(ref)s”.") % {"ref": ref}), field="organisation")


class MembershipNotFound(OrgsError):
    status = 404
    code = "not_found"

    def __init__(self) -> None:
        super().__init__(str(_("No such membership.")), field="membership")


class OrgsPermissionDenied(OrgsError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("You may not do this for this organisation.")))


class InvalidTransition(OrgsError):
    status = 409
    code = "conflict"

    def __init__(self, state: str, action: str, allowed: list[str]) -> None:
        super().__init__(str(_("A membership that is “%(state)s” cannot be “%(action)s”; allowed: %(allowed)s.")
                             % {"state": state, "action": action, "allowed": ", ".join(allowed) or "—"}),
                         field="action")
        self.allowed = allowed


class InvalidOrganisation(OrgsError):
    pass
