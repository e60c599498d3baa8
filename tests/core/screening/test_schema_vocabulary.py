"""The shipped report schema (report-1.json) says what dpghub.core.standard says: same indicators, titles,
attested indicators and categories. It is a published file, so it is written out; this test fails when
it and the Standard's module part ways."""

from __future__ import annotations

import jsonschema
import pytest

from dpghub.core import standard
from dpghub.core.screening.report import ATTESTED, INDICATOR_NAMES, INDICATORS, load_schema

SCHEMA = load_schema()
FINDING = SCHEMA["$defs"]["finding"]


def test_schema_indicators_and_titles_are_the_standards():
    items = FINDING["properties"]["indicator"]["oneOf"]
    assert [(item["const"], item["title"]) for item in items] == [
        (item.code, item.title) for item in standard.indicators()]
    assert SCHEMA["properties"]["findings"]["minItems"] == SCHEMA["properties"]["findings"]["maxItems"] == len(
        standard.INDICATOR_CODES)


def test_schema_attested_indicators_are_the_standards():
    (rule,) = FINDING["allOf"]
    assert set(rule["if"]["properties"]["indicator"]["enum"]) == standard.ATTESTED_CODES
    assert rule["then"]["properties"]["status"] == {"not": {"const": "met"}}


def test_schema_categories_are_the_assessed_categories():
    assert tuple(SCHEMA["properties"]["category"]["enum"]) == standard.CATEGORY_NAMES


def test_report_module_takes_the_standards_words():
    assert INDICATORS == standard.INDICATOR_CODES
    assert INDICATOR_NAMES == {item.code: item.title for item in standard.indicators()}
    assert ATTESTED == standard.ATTESTED_CODES


@pytest.mark.parametrize("code", ["9", "10", ""])
def test_schema_refuses_an_indicator_outside_the_standard(code):
    validator = jsonschema.Draft202012Validator(FINDING)
    finding = {"indicator": code, "name": "x", "status": "not_found", "code": "a.b", "explanation": "x",
               "evidence": [], "data": {}}
    assert not validator.is_valid(finding)
    assert validator.is_valid({**finding, "indicator": "9c"})
