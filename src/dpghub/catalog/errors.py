"""Domain errors of the catalogue (families in dpghub.common.errors); interfaces map them in one place."""

from django.utils.translation import gettext_lazy as _

from dpghub.common.errors import DomainError, InvalidInput, NotFound


class CatalogError(DomainError):
    """Base class of the catalogue's errors; each also belongs to one family."""


class GoodNotFound(CatalogError, NotFound):
    def __init__(self, slug: str) -> None:
        message = _("No digital public good with the id “%(slug)s”.") % {"slug": slug}
        super().__init__(str(message), field="id")


class InvalidQuery(CatalogError, InvalidInput):
    code = "invalid_query"
