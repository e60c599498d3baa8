"""ISO 3166-1 country names in their common short forms (Django-free).

English uses pycountry's ``common_name`` ("Tanzania", not "Tanzania, United Republic of") and, for the
few countries pycountry only knows by an inverted long form, the short forms of :data:`SHORT_NAMES`.
Other languages use the CLDR territory names that Babel ships ("Congo-Kinshasa" in French), which are
the short forms in everyday use; pycountry's own catalogues (the ISO long forms, translated) are the
fallback for a language Babel does not know.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError

#: English short forms of the names pycountry gives only inverted ("Congo, The Democratic Republic of the").
SHORT_NAMES = {
    "CD": "Democratic Republic of the Congo",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
    "VA": "Vatican City",
    "FK": "Falkland Islands",
    "SH": "Saint Helena",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
}


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def country_name(code: str, language: str = "en") -> str:
    """The common short name of the country with alpha-2 ``code`` in ``language``; the code if unknown."""
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if country is None:
        return code
    language = language.replace("_", "-").split("-")[0].lower()
    if language == "en":
        return getattr(country, "common_name", None) or SHORT_NAMES.get(country.alpha_2) or country.name
    name = _territories(language).get(country.alpha_2)
    if name:
        return name
    # pycountry's catalogues translate the official short names, not the common names.
    translated = _translation(language).gettext(country.name)
    if translated != country.name:
        return translated
    return getattr(country, "common_name", None) or SHORT_NAMES.get(country.alpha_2) or country.name
