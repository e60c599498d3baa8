"""Indicator titles on a good's page come from dpghub.core.standard, indicator 9 as one included."""

import re

import pytest

from dpghub.catalog.enums import IndicatorStatus
from dpghub.catalog.models import IndicatorResult
from tests.catalogue import make_full_good

pytestmark = pytest.mark.django_db


def _titles(client, language):
    html = client.get("/goods/dhis2/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return re.findall(r'<h4><span class="code">([0-9a-c]+)</span> ([^<]+)</h4>', html)


def test_an_older_record_judging_indicator_9_as_one_shows_its_title(client):
    good = make_full_good()
    IndicatorResult.objects.create(assessment=good.assessments.get(), indicator="9", status=IndicatorStatus.PASS)
    titles = _titles(client, "en")
    assert [code for code, _title in titles] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "9a", "9b", "9c"]
    assert titles[8] == ("9", "Do no harm by design")
    assert _titles(client, "fr")[8] == ("9", "Ne pas nuire dès la conception")
