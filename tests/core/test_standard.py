"""dpghub.core.standard: the one place where the Standard's indicators and the categories are written."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dpghub.core import standard

SRC = Path(standard.__file__).resolve().parents[2]  # src/dpghub


def test_indicators_are_the_standards_eleven_in_order():
    assert standard.INDICATOR_CODES == ("1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b", "9c")
    assert [item.code for item in standard.indicators()] == list(standard.INDICATOR_CODES)
    assert standard.indicator("2").title == "Use of approved open licences"
    assert standard.indicator("9b").title == "Do no harm by design: inappropriate and illegal content"


def test_only_indicators_7_to_9_are_attested():
    assert standard.ATTESTED_CODES == frozenset({"7", "8", "9a", "9b", "9c"})


def test_indicator_9_as_one_is_known_for_older_records_but_not_judged():
    assert standard.indicator("9").title == "Do no harm by design"
    assert "9" not in standard.INDICATOR_CODES
    # its parts are titled "Do no harm by design: ..." after it
    assert all(standard.indicator(code).title.startswith(standard.indicator("9").title + ": ")
               for code in ("9a", "9b", "9c"))
    with pytest.raises(KeyError, match="no indicator '10'"):
        standard.indicator("10")


def test_categories_codes_names_and_dpga_types():
    assert [(c.code, c.name, c.dpga_type, c.assessed) for c in standard.CATEGORIES] == [
        ("open-software", "Open Software", "software", True),
        ("open-data", "Open Data", "data", True),
        ("open-content", "Open Content", "content", True),
        ("open-ai-model", "Open AI Model", "aimodel", True),
        ("open-standard", "Open Standard", "standard", False),
    ]
    assert standard.CATEGORY_NAMES == ("Open Software", "Open Data", "Open Content", "Open AI Model")


@pytest.mark.parametrize(("value", "code"), [
    ("Open Software", "open-software"), ("open-software", "open-software"), ("software", "open-software"),
    ("open_ai_model", "open-ai-model"), ("AI model", "open-ai-model"), ("aimodel", "open-ai-model"),
    ("  Open   Data ", "open-data"), ("open standard", "open-standard"), ("content", "open-content"),
])
def test_category_accepts_codes_names_and_loose_spellings(value, code):
    assert standard.category(value).code == code


@pytest.mark.parametrize("value", ["", "open", "hardware", "Open Source"])
def test_category_refuses_what_is_not_a_category(value):
    assert standard.category(value) is None


def test_versions_still_come_from_the_json():
    assert standard.latest().version == "1.1.7"
    assert standard.version_in_force(date(2021, 6, 1)).version == "1.1.4"


def _marked_strings() -> set[str]:
    """The string literals wrapped in the module's identity marker ``_()``: what makemessages extracts."""
    tree = ast.parse((SRC / "core" / "standard" / "__init__.py").read_text("utf-8"))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
            and node.args and isinstance(node.args[0], ast.Constant)}


def test_every_title_name_and_label_is_marked_for_translation_and_in_the_catalogues():
    wanted = {item.title for item in (*standard.indicators(), standard.INDICATOR_9)}
    wanted |= {text for item in standard.CATEGORIES for text in (item.name, item.label)}
    assert wanted <= _marked_strings()
    for language in ("fr", "es"):
        with open(SRC / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as handle:
            catalogue = read_po(handle)
        missing = [text for text in sorted(wanted) if catalogue.get(text) is None]
        assert missing == [], f"not in the {language} catalogue: {missing}"
        # both catalogues are complete (tests/web/test_i18n.py): every word is translated, not just present
        assert [text for text in sorted(wanted) if not catalogue.get(text).string] == [], language


def _vocabulary() -> set[str]:
    words = {item.title for item in (*standard.indicators(), standard.INDICATOR_9)}
    for item in standard.CATEGORIES:
        words |= {item.code, item.name, item.label}
    return words


def test_no_other_module_or_template_writes_the_standards_words_again():
    """A title, category name, label or code written as a literal elsewhere is a second definition."""
    words = _vocabulary()
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "core" / "standard" / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and node.value in words:
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.value!r}")
    for path in sorted(SRC.rglob("*.html")):
        text = path.read_text("utf-8")
        found += [f"{path.relative_to(SRC)} {word!r}" for word in sorted(words) if word in text]
    assert found == [], "take these from dpghub.core.standard (a word that only looks the same needs an " \
                        "exception here)"
