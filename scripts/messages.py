"""Keep the French and Spanish catalogues in step with the code.

    .venv/bin/python scripts/messages.py update    # add new strings to every django.po, drop gone ones
    .venv/bin/python scripts/messages.py missing   # list the strings still untranslated, per language
    .venv/bin/python scripts/messages.py compile   # write django.mo next to each django.po (msgfmt --check)

Strings are read from the source the way ``makemessages`` does, and the way the test that keeps the
catalogues complete (``tests/web/test_i18n.py``) reads them: every ``.py`` file of the package but
migrations, and every template through Django's ``templatize``. ``update`` keeps every existing
translation and never guesses one (no fuzzy matching), so a new string is plainly untranslated until
someone translates it.
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dpghub"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("fr", "es")
# Django's gettext functions, with Babel's keyword specs (plural and context arguments).
KEYWORDS = {
    "_": None, "gettext": None, "gettext_lazy": None, "gettext_noop": None,
    "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}


def _django_ready() -> None:
    # templatize needs settings only for its engine defaults; any settings module will do
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure()
        django.setup()


def extracted():
    """Yield (msgid or (singular, plural), context, "path:line", flags) for every marked string."""
    from babel.messages.extract import extract, extract_python
    from django.utils.translation.template import templatize

    _django_ready()
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE).as_posix()
        if path.suffix == ".py" and "/migrations/" not in rel:
            source = path.read_bytes()
        elif path.suffix in (".html", ".txt") and "/templates/" in rel:
            source = templatize(path.read_text(encoding="utf-8"), origin=str(path)).encode("utf-8")
        else:
            continue
        for lineno, message, _comments, context in extract(extract_python, io.BytesIO(source), KEYWORDS, []):
            yield message, context, rel, lineno


def template_catalog():
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="dpghub", charset="utf-8")
    for message, context, rel, lineno in extracted():
        text = message[0] if isinstance(message, tuple) else message
        flags = ["python-format"] if "%(" in text or "%s" in text or "%d" in text else []
        catalog.add(message, locations=[(rel, lineno)], context=context, flags=flags)
    return catalog


def read(language: str):
    from babel.messages.pofile import read_po

    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle, locale=language)


def write(language: str, catalog) -> None:
    from babel.messages.pofile import write_po

    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)


def update() -> None:
    template = template_catalog()
    for language in LANGUAGES:
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.revision_date = datetime.now(UTC)
        write(language, catalog)
        print(f"{language}: {len(catalog)} strings, {len(untranslated(catalog))} untranslated")


def untranslated(catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def missing() -> None:
    for language in LANGUAGES:
        gaps = untranslated(read(language))
        print(f"== {language}: {len(gaps)} untranslated")
        for msgid in gaps:
            print(f"  {msgid!r}")


def compile_() -> None:
    for language in LANGUAGES:
        po = LOCALE / language / "LC_MESSAGES" / "django.po"
        subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)  # noqa: S603,S607 (our own files, gettext tool)
        print(f"{language}: compiled {po.with_suffix('.mo').relative_to(ROOT)}")


if __name__ == "__main__":
    commands = {"update": update, "missing": missing, "compile": compile_}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
