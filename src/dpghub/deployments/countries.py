"""Reading a country from what a file or a person wrote: ISO codes, ISO names, and the common non-ISO names.

Django-free. ``country_resolve`` answers an alpha-2 code or None (never a guess): the importers report a
row whose country cannot be read.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry

#: Names seen in the deployment files that ISO 3166 spells otherwise (keys normalised by _key).
_OTHER_NAMES = {
    "tanzania": "TZ", "drc": "CD", "dr congo": "CD", "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD", "congo kinshasa": "CD", "republic of congo": "CG",
    "congo brazzaville": "CG", "congo": "CG", "cote divoire": "CI", "ivory coast": "CI", "laos": "LA",
    "lao pdr": "LA", "vietnam": "VN", "viet nam": "VN", "swaziland": "SZ", "eswatini": "SZ", "burma": "MM",
    "myanmar": "MM", "russia": "RU", "syria": "SY", "iran": "IR", "bolivia": "BO", "venezuela": "VE",
    "moldova": "MD", "south korea": "KR", "korea": "KR", "north korea": "KP", "cape verde": "CV",
    "cabo verde": "CV", "the gambia": "GM", "gambia": "GM", "macedonia": "MK", "north macedonia": "MK",
    "palestine": "PS", "west bank and gaza": "PS", "timor leste": "TL", "east timor": "TL", "turkey": "TR",
    "turkiye": "TR", "uk": "GB", "united kingdom": "GB", "usa": "US", "united states": "US",
    "united states of america": "US", "kyrgyzstan": "KG", "kyrgyz republic": "KG", "micronesia": "FM",
    "sao tome and principe": "ST", "solomon island": "SB", "trinidad tobago": "TT", "republic of korea": "KR",
    "zanzibar": "TZ", "brunei": "BN", "czech republic": "CZ", "slovak republic": "SK",
}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.casefold())
    return " ".join(text.split())


@cache
def _iso_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names[_key(value)] = country.alpha_2
    return names


def country_resolve(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for ``text`` (a code, an ISO name or a known other name), or None."""
    raw = (text or "").strip()
    if not raw:
        return None
    if len(raw) == 2 and raw.isalpha():
        found = pycountry.countries.get(alpha_2=raw.upper())
        if found:
            return found.alpha_2
    if len(raw) == 3 and raw.isalpha() and raw.isupper():
        found = pycountry.countries.get(alpha_3=raw)
        if found:
            return found.alpha_2
    key = _key(raw)
    return _OTHER_NAMES.get(key) or _iso_names().get(key)
