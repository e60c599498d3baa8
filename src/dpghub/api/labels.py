"""Human labels of stored codes, in the active language (the API's own copy; see web.labels)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dpghub.catalog.enums import Category, Facet, Stage
from dpghub.core.countries import country_name
from dpghub.core.sdgs import SDG_NAMES

_CHOICES = {
    Facet.CATEGORY: Category,
    Facet.STAGE: Stage,
}


def choice_label(choices: type, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def label(choices: type, code: str) -> dict[str, str]:
    return {"code": code, "label": choice_label(choices, code)}


def sdg_name(number: int) -> str:
    return _(SDG_NAMES[int(number)])


def country(code: str) -> str:
    return country_name(code, get_language() or "en")


def facet_label(facet: str, value: str) -> str:
    if facet in _CHOICES:
        return choice_label(_CHOICES[facet], value)
    if facet == Facet.SDG:
        return f"{value}. {sdg_name(int(value))}" if value.isdigit() and 1 <= int(value) <= 17 else value
    if facet in (Facet.DEVELOPMENT_COUNTRY, Facet.DEPLOYMENT_COUNTRY):
        return country(value)
    return value

