"""Domain errors of the catalogue (families in dpghub.common.errors). Interfaces map them in one place each."""

from django.utils.translation import gettext_lazy as _

from dpghub.common.errors import DomainError, InvalidInput, NotFound


class CatalogError(DomainError):
    """Base class of the catalogue's errors; each also belongs to one family."""


class GoodNotFound(CatalogError, NotFound):
    def __init__(self, slug: str) -> None:
        super().__init__(str(_("No digital public good with the id “%(slug)s”.") % {"slug": slug}), field="id")


class InvalidQuery(CatalogError, InvalidInput):
    code = "invalid_query"
