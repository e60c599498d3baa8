"""Indicator titles in the API come from dpghub.core.standard, indicator 9 as one included."""

import pytest

from dpghub.catalog.enums import IndicatorStatus
from dpghub.catalog.models import IndicatorResult
from dpghub.core.standard import indicators
from tests.catalogue import make_full_good

pytestmark = pytest.mark.django_db


def test_titles_are_the_standards_and_indicator_9_as_one_has_its_own(client):
    good = make_full_good()
    IndicatorResult.objects.create(assessment=good.assessments.get(), indicator="9", status=IndicatorStatus.PASS)
    (assessment,) = client.get("/api/v1/goods/dhis2").json()["assessments"]
    titles = [(item["indicator"], item["title"]) for item in assessment["indicators"]]
    assert titles.pop(8) == ("9", "Do no harm by design")
    assert titles == [(item.code, item.title) for item in indicators()]
