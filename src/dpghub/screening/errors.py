from django.utils.translation import gettext_lazy as _

from dpghub.catalog.errors import CatalogError


class ScreeningRequestError(CatalogError):
    pass


class NoRepository(ScreeningRequestError):
    def __init__(self, slug: str) -> None:
        super().__init__(str(_("“%(slug)s” has no repository to screen.") % {"slug": slug}), field="repository")


class NotAllowed(ScreeningRequestError):
    status = 403

    def __init__(self) -> None:
        super().__init__(str(_("You are not allowed to request a screening.")))
