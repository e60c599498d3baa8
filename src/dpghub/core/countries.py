"""ISO 3166-1 country names, translated with pycountry's own gettext catalogues (Django-free)."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str = "en") -> str:
    """The common name of the country with alpha-2 ``code`` in ``language``; the code if unknown."""
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    # The catalogues translate the official short names, not the common names.
    translated = _translation(language.split("-")[0]).gettext(country.name)
    return name if translated == country.name else translated
