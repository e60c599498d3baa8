"""Country names in their common short forms, in each interface language (issue 17)."""

import pycountry
import pytest

from dpghub.core.countries import SHORT_NAMES, country_name


@pytest.mark.parametrize(("code", "language", "name"), [
    ("CD", "en", "Democratic Republic of the Congo"),  # pycountry: "Congo, The Democratic Republic of the"
    ("TZ", "en", "Tanzania"),  # pycountry's common_name
    ("KR", "en", "South Korea"),
    ("BO", "en", "Bolivia"),
    ("KE", "en", "Kenya"),
    ("CD", "fr", "Congo-Kinshasa"),  # CLDR, through Babel
    ("TZ", "fr", "Tanzanie"),
    ("KE", "fr", "Kenya"),
    ("CD", "es", "República Democrática del Congo"),
    ("TZ", "es", "Tanzania"),
    ("KE", "es", "Kenia"),
    ("TZ", "fr-ca", "Tanzanie"),
    ("XX", "en", "XX"),  # unknown: the code itself
    ("", "fr", ""),
])
def test_short_names(code, language, name):
    assert country_name(code, language) == name


def test_no_english_name_is_an_inverted_long_form():
    for country in pycountry.countries:
        name = country_name(country.alpha_2, "en")
        assert ", " not in name or country.alpha_2 == "BQ", (country.alpha_2, name)  # "Bonaire, Sint Eustatius and Saba"
    assert all(pycountry.countries.get(alpha_2=code) for code in SHORT_NAMES)


def test_a_language_babel_does_not_know_falls_back_to_a_name():
    assert country_name("TZ", "xx") == "Tanzania"
