"""Domain errors of registry screenings (families in dpghub.common.errors)."""

from django.utils.translation import gettext_lazy as _

from dpghub.common.errors import Conflict, DomainError, InvalidInput, PermissionDenied


class ScreeningRequestError(DomainError):
    """Base class: a screening could not be requested; nothing was stored."""


class NoRepository(ScreeningRequestError, Conflict):
    code = "no_repository"

    def __init__(self, slug: str) -> None:
        message = _("“%(slug)s” has no repository to screen.") % {"slug": slug}
        super().__init__(str(message), field="repository")


class RepositoryRefused(ScreeningRequestError, InvalidInput):
    """The registry screens https:// repositories only (unless DPGHUB_SCREENING_ALLOW_LOCAL)."""

    code = "repository_refused"

    def __init__(self, url: str) -> None:
        super().__init__(str(_("Only https:// repositories are screened from the registry, not “%(url)s”.")
                             % {"url": url}), field="repository")


class NotAllowed(ScreeningRequestError, PermissionDenied):
    def __init__(self) -> None:
        super().__init__(str(_("You are not allowed to request a screening.")))
