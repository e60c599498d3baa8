"""Search, filters, facets and pagination of the catalogue, on whichever database the suite runs."""

import pytest

from dpghub.catalog.enums import Category, CountryRole, Stage
from dpghub.catalog.errors import GoodNotFound, InvalidQuery
from dpghub.catalog.models import Good, GoodCountry, GoodLicense, GoodSDG
from dpghub.catalog.selectors import GoodFilters, good_get, goods_facets, goods_search
from dpghub.catalog.services.indexing import goods_reindex

pytestmark = pytest.mark.django_db


def _good(slug, name, description, *, stage=Stage.DPG, categories=(Category.SOFTWARE,), sdgs=(), licence="MIT",
          countries=()):
    good = Good.objects.create(slug=slug, name=name, description=description, stage=stage,
                               categories=list(categories))
    for sdg in sdgs:
        GoodSDG.objects.create(good=good, sdg=sdg, relevance=f"{name} serves goal {sdg}")
    GoodLicense.objects.create(good=good, expression=licence)
    for code in countries:
        GoodCountry.objects.create(good=good, country=code, role=CountryRole.DEPLOYMENT)
    return good


@pytest.fixture
def catalogue():
    goods = [
        _good("dhis2", "DHIS2", "Health management information system used by ministries of health",
              sdgs=(3,), licence="BSD-3-Clause", countries=("KE", "UG")),
        _good("openmrs", "OpenMRS", "Electronic medical records for health facilities", sdgs=(3,),
              licence="MPL-2.0", countries=("KE",)),
        _good("mojaloop", "Mojaloop", "Interoperable instant payments for financial inclusion", sdgs=(1, 8),
              licence="Apache-2.0", countries=("TZ",)),
        _good("open-food", "Open Food Facts", "A food products database", stage=Stage.NOMINEE,
              categories=(Category.DATA,), sdgs=(2, 3), licence="ODbL-1.0"),
    ]
    goods_reindex()
    return goods


def test_text_search_matches_description_and_stems(catalogue):
    page = goods_search(filters=GoodFilters(q="health"))
    assert [good.slug for good in page.items] == ["dhis2", "openmrs"]
    assert page.total == 2
    # "managing" and "management" share a stem; "record" matches "records"
    assert [g.slug for g in goods_search(filters=GoodFilters(q="managing")).items] == ["dhis2"]
    assert [g.slug for g in goods_search(filters=GoodFilters(q="medical record")).items] == ["openmrs"]


def test_search_is_prefix_on_last_word_and_ranks_name_matches_first(catalogue):
    page = goods_search(filters=GoodFilters(q="moja"))
    assert [good.slug for good in page.items] == ["mojaloop"]
    page = goods_search(filters=GoodFilters(q="food"))
    assert [good.slug for good in page.items] == ["open-food"]


def test_query_syntax_is_not_interpreted(catalogue):
    for text in ['"unbalanced', "health OR payments", "NEAR(a b)", "a:*", "'; drop table x; --", "*"]:
        goods_search(filters=GoodFilters(q=text))  # must not raise a database error
    assert goods_search(filters=GoodFilters(q="health OR payments")).total == 0


def test_facet_filters_or_within_and_across(catalogue):
    page = goods_search(filters=GoodFilters(sdg=("3",), stage=(Stage.DPG,)))
    assert sorted(good.slug for good in page.items) == ["dhis2", "openmrs"]
    page = goods_search(filters=GoodFilters(license=("MIT", "Apache-2.0", "ODbL-1.0")))
    assert sorted(good.slug for good in page.items) == ["mojaloop", "open-food"]


def test_facet_counts_follow_the_result(catalogue):
    facets = goods_facets(filters=GoodFilters(q="health"))
    assert facets["sdg"] == [("3", 2)]
    assert facets["deployment_country"] == [("KE", 2), ("UG", 1)]
    all_facets = goods_facets(filters=GoodFilters())
    assert all_facets["stage"] == [("dpg", 3), ("nominee", 1)]
    assert all_facets["category"] == [("open-software", 3), ("open-data", 1)]


def test_pagination_and_sort(catalogue):
    first = goods_search(filters=GoodFilters(), sort="name", page=1, page_size=3)
    second = goods_search(filters=GoodFilters(), sort="name", page=2, page_size=3)
    assert [g.slug for g in first.items] == ["dhis2", "mojaloop", "open-food"]
    assert [g.slug for g in second.items] == ["openmrs"]
    assert (first.total, first.num_pages) == (4, 2)
    assert goods_search(filters=GoodFilters(), sort="-name").items[0].slug == "openmrs"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"sort": "price"}, "sort"), ({"page": 0}, "page"), ({"page_size": 101}, "page_size"),
     ({"filters": GoodFilters(sdg=("18",))}, "sdg")],
)
def test_bad_input_names_the_field(catalogue, kwargs, field):
    kwargs.setdefault("filters", GoodFilters())
    with pytest.raises(InvalidQuery) as excinfo:
        goods_search(**kwargs)
    assert excinfo.value.field == field


def test_reindex_follows_changes(catalogue):
    mojaloop = catalogue[2]
    mojaloop.description = "Instant payments switch with healthcare billing"
    mojaloop.save()
    assert goods_search(filters=GoodFilters(q="healthcare")).total == 0
    goods_reindex(good_ids=[mojaloop.id])
    assert goods_search(filters=GoodFilters(q="healthcare")).total == 1


def test_good_get(catalogue):
    assert good_get(slug="dhis2").name == "DHIS2"
    with pytest.raises(GoodNotFound):
        good_get(slug="nope")
