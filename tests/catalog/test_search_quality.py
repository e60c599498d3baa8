"""Search as a ministry uses it, on the shipped DPGA data (imported once for this module), on
whichever database the suite runs: misspellings, countries and organisations, DPGs first, dates."""

from __future__ import annotations

import datetime as dt

import pytest

from dpghub.catalog.enums import Stage
from dpghub.catalog.models import Assessment, Good, GoodCountry, GoodOrganisation
from dpghub.catalog.selectors import GoodFilters, goods_alternatives, goods_search
from dpghub.catalog.services.importing import SHIPPED_DATA_DIR, goods_import
from tests.catalog.helpers import catalogue_clear

pytestmark = pytest.mark.django_db

MISSPELLINGS = {
    "helth": "health", "healht": "health", "educaton": "education", "agricultre": "agriculture",
    "identiy": "identity", "paymnets": "payments",
}


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        goods_import(paths=[SHIPPED_DATA_DIR])
        yield
        catalogue_clear()


def _slugs(page) -> list[str]:
    return [good.slug for good in page.items]


@pytest.mark.parametrize("stages", [(Stage.DPG,), ()])
def test_misspellings_find_what_the_right_word_finds(shipped, stages):
    for typed, meant in MISSPELLINGS.items():
        right = goods_search(filters=GoodFilters(q=meant, stage=stages), page_size=10)
        typo = goods_search(filters=GoodFilters(q=typed, stage=stages), page_size=10)
        assert right.total > 0 and right.corrected_q == ""
        assert typo.corrected_q == meant, typed
        assert (typo.total, _slugs(typo)) == (right.total, _slugs(right)), typed
        assert typo.facets == right.facets
        # exact: the words as typed, which nothing contains
        assert goods_search(filters=GoodFilters(q=typed, stage=stages, exact=True)).total == 0


def test_known_words_and_prefixes_are_not_corrected(shipped):
    assert goods_search(filters=GoodFilters(q="health")).corrected_q == ""
    assert goods_search(filters=GoodFilters(q="agri")).corrected_q == ""  # search as you type
    assert goods_search(filters=GoodFilters(q="zzxxqqvv")).total == 0  # nothing near: no guess
    assert goods_search(filters=GoodFilters(q="zzxxqqvv")).corrected_q == ""


def test_a_misspelt_word_among_right_ones(shipped):
    right = goods_search(filters=GoodFilters(q="mobile payments", stage=()))
    typo = goods_search(filters=GoodFilters(q="mobile paymnets", stage=()))
    assert right.total > 0
    assert (typo.corrected_q, _slugs(typo)) == ("mobile payments", _slugs(right))


def test_no_result_offers_alternatives(shipped):
    # three edits from "health": too far to correct, near enough to offer
    assert goods_search(filters=GoodFilters(q="hxalxx")).total == 0
    offered = goods_alternatives(filters=GoodFilters(q="heltj"))
    assert offered and all(goods_search(filters=GoodFilters(q=text, stage=())).total for text in offered)


def _ids(text: str) -> set[int]:
    ids, page = set(), 1
    while True:
        found = goods_search(filters=GoodFilters(q=text, stage=()), page=page, page_size=100, with_facets=False)
        ids |= {good.id for good in found.items}
        if page >= found.num_pages:
            return ids
        page += 1


def test_countries_in_three_languages_and_codes_find_deployed_goods(shipped):
    in_kenya = set(GoodCountry.objects.filter(country="KE").values_list("good_id", flat=True))
    education = _ids("education")
    wanted = education & in_kenya
    assert len(wanted) > 5  # the issue found only Drupal
    for text in ("education Kenya", "éducation Kenya", "educación Kenia", "education KEN", "Kenya education"):
        found = _ids(text)
        assert wanted <= found <= education, text
    # a good is found by a country it names in none of its own words
    assert _ids("Tanzanie") >= set(GoodCountry.objects.filter(country="TZ").values_list("good_id", flat=True))
    # common short forms, not only the ISO long forms ("Congo, The Democratic Republic of the")
    assert _ids("Bolivia") >= set(GoodCountry.objects.filter(country="BO").values_list("good_id", flat=True))


def test_organisations_are_searchable(shipped):
    funded = set(GoodOrganisation.objects.filter(organisation__name="UNICEF Ventures Fund")
                 .values_list("good_id", flat=True))
    assert len(funded) == 30
    assert funded <= _ids("UNICEF Ventures Fund")


def test_the_list_opens_on_recognised_goods_in_name_order(shipped):
    page = goods_search(filters=GoodFilters(stage=(Stage.DPG,)), page_size=20)
    assert page.total == Good.objects.filter(stage=Stage.DPG).count() == 256
    names = [good.name for good in page.items]
    assert names == sorted(names)
    assert {good.stage for good in page.items} == {Stage.DPG}
    stage_counts = dict(page.facets["stage"])  # every stage's count stays visible
    assert stage_counts == {"dpg": 256, "nominee": 60, "archived": 472, "excluded": 41}


def test_recently_updated_follows_the_sources_dates(shipped):
    page = goods_search(filters=GoodFilters(stage=()), sort="updated", page_size=100)
    dated = []
    for good in page.items:
        dates = [a.assessed_on for a in Assessment.objects.filter(good=good) if a.assessed_on]
        dates += [d for d in (good.recognised_on, good.excluded_on) if d]
        dated.append(max(dates, default=None))
    assert dated[0] is not None
    known = [d for d in dated if d is not None]
    assert known == sorted(known, reverse=True)
    # the 2026 registry's goods come before the 2023 candidates
    assert dated[0] >= dt.date(2026, 7, 13) > dt.date(2023, 1, 13)
