"""The French catalogue covers every string of the pages, the API and the SDG names."""

from pathlib import Path

from babel.messages.pofile import read_po

import dpghub

LOCALE = Path(dpghub.__file__).parent / "locale"
OURS = ("web/", "api/", "core/sdgs.py", "core/standard/", "catalog/enums.py")


def test_french_catalogue_translates_every_interface_string():
    with open(LOCALE / "fr" / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalog = read_po(handle)
    untranslated = [
        message.id for message in catalog
        if message.id and any(path.startswith(OURS) for path, _line in message.locations)
        and not (all(message.string) if isinstance(message.string, tuple) else message.string)
    ]
    assert untranslated == []

