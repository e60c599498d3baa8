"""Domain errors of the catalogue. Interfaces map them to responses in one place each."""

from django.utils.translation import gettext_lazy as _


class CatalogError(Exception):
    """Base class; ``message`` says what is wrong, ``field`` where (when it is one input)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class GoodNotFound(CatalogError):
    status = 404

    def __init__(self, slug: str) -> None:
        super().__init__(str(_("No digital public good with the id “%(slug)s”.") % {"slug": slug}), field="id")


class InvalidQuery(CatalogError):
    pass
