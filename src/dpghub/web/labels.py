"""Human labels of stored codes for the pages, in the active language."""

from __future__ import annotations

from django.utils.translation import get_language, gettext, gettext_noop

from dpghub.catalog.enums import Category, Facet, Stage
from dpghub.core.countries import country_name
from dpghub.core.sdgs import SDG_NAMES

#: The Standard's indicator titles (dpghub.core.standard) marked for translation; a test keeps
#: this list equal to the Standard's own.
INDICATOR_TITLES = (
    gettext_noop("Relevance to Sustainable Development Goals"),
    gettext_noop("Use of approved open licences"),
    gettext_noop("Clear ownership"),
    gettext_noop("Platform independence"),
    gettext_noop("Documentation"),
    gettext_noop("Mechanism for extracting data and content"),
    gettext_noop("Adherence to privacy and applicable laws"),
    gettext_noop("Adherence to standards and best practices"),
    gettext_noop("Do no harm by design: data privacy and security"),
    gettext_noop("Do no harm by design: inappropriate and illegal content"),
    gettext_noop("Do no harm by design: protection from harassment"),
)

_CHOICES = {Facet.CATEGORY: Category, Facet.STAGE: Stage}


def choice_label(choices: type, code: str) -> str:
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
