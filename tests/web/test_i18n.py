"""The French and Spanish catalogues translate every string the code marks for translation.

The strings are read from the source itself, the way ``makemessages`` does (every ``.py`` file of
the package but migrations, and every template through Django's ``templatize``), so a string
that never reached a catalogue is caught as well as one left untranslated.

Both catalogues are complete: ``test_catalogue_is_complete`` asserts it, with no exception.
``untranslated.json`` (strings known to be missing, per language) is kept only so that a gap is
named exactly if one is ever accepted again; it is empty, and ``test_catalogue_is_complete``
fails while it is not, so a string cannot be parked there quietly.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# scripts/messages.py (the catalogue maintainer's tool) reads the source; the test reads it the same way
_spec = importlib.util.spec_from_file_location("dpghub_messages", ROOT / "scripts" / "messages.py")
messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(messages)

LOCALE = messages.LOCALE
LANGUAGES = messages.LANGUAGES
KNOWN_GAPS = json.loads((Path(__file__).with_name("untranslated.json")).read_text(encoding="utf-8"))


@cache
def marked_strings() -> dict[tuple[str, str | None], str]:
    """(msgid, context) -> the first place that marks it, for every translatable string of the package."""
    found: dict[tuple[str, str | None], str] = {}
    for message, context, rel, lineno in messages.extracted():
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault((msgid, context), f"{rel}:{lineno}")
    return found


def untranslated(language: str) -> dict[str, str]:
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalogue = read_po(handle)
    missing = {}
    for (msgid, context), where in marked_strings().items():
        entry = catalogue.get(msgid, context)
        if entry is None or entry.fuzzy:
            missing[msgid] = where
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)  # plural forms
        if not all(strings):
            missing[msgid] = where
    return missing


def test_the_source_is_read_from_every_part_of_the_package():
    places = {where.split("/", 1)[0] if "/" in where else where for where in marked_strings().values()}
    # the interfaces, the domain apps and the Django-free vocabularies all mark strings
    assert {"web", "api", "catalog", "common", "screening", "core"} <= places, places
    assert ("No poverty", None) in marked_strings()  # core/sdgs.py marks with its own identity _()
    assert ("%(total)s good", None) in marked_strings()  # a {% blocktranslate count %} in a template


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_string_but_the_known_gaps(language):
    missing = untranslated(language)
    known = set(KNOWN_GAPS[language])
    new = {msgid: where for msgid, where in missing.items() if msgid not in known}
    assert new == {}, f"untranslated in {language} (translate them in locale/{language}/LC_MESSAGES/django.po)"
    fixed = sorted(known - set(missing))
    assert fixed == [], f"translated in {language} now: take them off tests/web/untranslated.json"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    missing = untranslated(language)
    assert missing == {}, f"untranslated in {language} (translate them in locale/{language}/LC_MESSAGES/django.po)"
    assert KNOWN_GAPS[language] == [], "the catalogues are complete: tests/web/untranslated.json stays empty"
