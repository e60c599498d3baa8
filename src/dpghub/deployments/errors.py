"""Domain errors of the deployments app (families in dpghub.common.errors)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dpghub.common.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class DeploymentsError(DomainError):
    """Base class of the deployments app's errors; each also belongs to one family."""


class DeploymentNotFound(DeploymentsError, NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(_("No deployment “%(ref)s”.") % {"ref": ref}, field="deployment")


class DeploymentsPermissionDenied(DeploymentsError, PermissionDenied):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("You may not do this with this deployment."))


class InvalidDeployment(DeploymentsError, InvalidInput):
    pass


class InvalidTransition(DeploymentsError, Conflict):
    code = "invalid_transition"

    def __init__(self, state: str, action: str, allowed: list[str]) -> None:
        super().__init__(_("A deployment that is “%(state)s” cannot be “%(action)s”; allowed: %(allowed)s.")
                         % {"state": state, "action": action, "allowed": ", ".join(allowed) or "—"},
                         field="action", details={"allowed": allowed})
        self.allowed = allowed


class StaleVersion(DeploymentsError, Conflict):
    code = "stale_version"

    def __init__(self, current: int) -> None:
        super().__init__(_("The deployment was changed by someone else (now version %(version)d); reload it and "
                           "try again.") % {"version": current}, field="version", details={"version": current})


class ImportFailed(DeploymentsError, InvalidInput):
    """Some rows cannot be read and skipping them was not asked for: nothing was stored."""

    code = "import_failed"

    def __init__(self, errors: list[dict]) -> None:
        self.errors = errors
        lines = [f"row {error['row']}: {error['reason']}" for error in errors[:50]]
        super().__init__(_("%(count)d row(s) cannot be read; nothing was imported (use --skip-invalid to import the "
                           "rest):\n%(lines)s") % {"count": len(errors), "lines": "\n".join(lines)})


class CountryNotFound(DeploymentsError, NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(_("No ISO 3166 country “%(ref)s” (give its two- or three-letter code).") % {"ref": ref},
                         field="country")
