"""catalog.presenters: the rules the pages and the API both show, and that both show them the same
(here with the pages, whose conftest prepares static files)."""

import re

import pytest
from django.test import Client
from django.utils import translation

from dpghub.catalog import presenters
from dpghub.catalog.enums import AssessmentSource, IndicatorStatus
from dpghub.catalog.models import Assessment, IndicatorResult, StandardVersion
from dpghub.catalog.selectors import good_get
from tests.catalogue import make_good

pytestmark = pytest.mark.django_db


@pytest.fixture
def good():
    """Countries whose codes and names sort differently (CH < DE, Germany < Switzerland), an imported
    assessment with the legacy indicator 9 and an unknown code, and a review done here."""
    good = make_good("alpha", "Alpha", deployed=("CH", "DE"), developed=("NO",))
    version, _ = StandardVersion.objects.get_or_create(version="1.1.4")
    imported = Assessment.objects.create(good=good, standard_version=version,
                                         source=AssessmentSource.IMPORTED)
    IndicatorResult.objects.create(assessment=imported, indicator="9", status=IndicatorStatus.PASS,
                                   evidence=[{"text": "Policy", "url": None, "field": 3}, "not a dict"],
                                   source_fields=["doNoHarm", 7])
    IndicatorResult.objects.create(assessment=imported, indicator="10", status=IndicatorStatus.FAIL)
    Assessment.objects.create(good=good, standard_version=version, source=AssessmentSource.REVIEW)
    return good


def test_the_rules(good):
    loaded = good_get(slug="alpha")
    review, imported = sorted(loaded.assessments.all(), key=lambda a: a.source != AssessmentSource.REVIEW)
    assert presenters.assessment_is_imported(imported) is True
    assert presenters.assessment_is_imported(review) is False
    rows = presenters.assessment_indicators(imported)
    assert [row.code for row in rows] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "9a", "9b", "9c", "10"]
    nine = rows[8]
    assert (nine.title, nine.result.status) == ("Do no harm by design", IndicatorStatus.PASS)
    assert nine.evidence == [{"text": "Policy", "url": "", "field": "3"}]
    assert nine.source_fields == ["doNoHarm", "7"]
    assert (rows[-1].title, rows[0].result) == ("10", None)
    assert [row.code for row in presenters.assessment_indicators(review)] == [
        "1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b", "9c"]  # no "9" without a legacy result
    countries = presenters.good_countries(loaded)
    assert {role: [(ref.code, ref.name) for ref in refs] for role, refs in countries.items()} == {
        "development": [("NO", "Norway")], "deployment": [("DE", "Germany"), ("CH", "Switzerland")]}
    with translation.override("fr"):
        names = [ref.name for ref in presenters.good_countries(loaded)["deployment"]]
    assert names == ["Allemagne", "Suisse"]


def test_page_and_api_show_the_same(good):
    client = Client()
    body = client.get("/api/v1/goods/alpha").json()
    html = client.get("/goods/alpha/").content.decode()
    api_imported = [a["is_imported"] for a in body["assessments"]]
    blocks = re.findall(r'<div class="assessment">(.*?)</dl>', html, re.DOTALL)
    page_imported = ["notice imported" in block for block in blocks]
    assert api_imported == page_imported and sorted(api_imported) == [False, True]
    for assessment in body["assessments"]:
        page_codes = re.findall(r'<span class="code">([^<]+)</span>',
                                html.split('id="assessment-')[1 + body["assessments"].index(assessment)])
        api_codes = [row["indicator"] for row in assessment["indicators"]]
        assert page_codes[:len(api_codes)] == api_codes
    imported = next(a for a in body["assessments"] if a["is_imported"])
    assert imported["indicators"][8] == {
        "indicator": "9", "title": "Do no harm by design", "status": {"code": "pass", "label": "Pass"},
        "summary": "", "evidence": [{"text": "Policy", "url": "", "field": "3"}],
        "source_fields": ["doNoHarm", "7"], "confidence": None}
    assert '<span class="code">9</span> Do no harm by design</h4>' in html
    assert body["countries"] == {
        "development": [{"code": "NO", "name": "Norway"}],
        "deployment": [{"code": "DE", "name": "Germany"}, {"code": "CH", "name": "Switzerland"}]}
    assert "<dt>Developed in</dt><dd>Norway</dd>" in html
    assert "<dt>Deployed in</dt><dd>Germany, Switzerland</dd>" in html
