"""Human labels of the catalogue's stored codes, in the active language.

Shared by the pages and the API (which may not import each other), so a facet value reads the
same everywhere.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext

from dpghub.catalog.enums import Category, Facet, Stage
from dpghub.core.countries import country_name
from dpghub.core.sdgs import SDG_NAMES

_CHOICES = {Facet.CATEGORY: Category, Facet.STAGE: Stage}


def choice_label(choices: type, code: str) -> str:
    """The translated label of ``code`` in a TextChoices class; the code itself if unknown."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def sdg_name(number: int) -> str:
    return gettext(SDG_NAMES[int(number)])


def country(code: str) -> str:
    return country_name(code, get_language() or "en")


def facet_label(facet: str, value: str) -> str:
    if facet in _CHOICES:
        return choice_label(_CHOICES[facet], value)
    if facet == Facet.SDG:
        if value.isdigit() and 1 <= int(value) <= 17:
            return gettext("%(number)s. %(name)s") % {"number": value, "name": sdg_name(int(value))}
        return value
    if facet in (Facet.DEVELOPMENT_COUNTRY, Facet.DEPLOYMENT_COUNTRY):
        return country(value)
    return value
