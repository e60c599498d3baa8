"""The read API: exact JSON, one error shape, no personal data, fixed query counts."""

import json

import pytest

from dpghub.catalog.enums import Category, Stage
from tests.catalogue import CONTACT_EMAIL, CONTACT_NAME, make_catalogue, make_full_good, make_good

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods():
    make_full_good()
    make_good("mojaloop", "Mojaloop", "Interoperable instant payments for financial inclusion", sdgs=(1, 8),
              licence="Apache-2.0", deployed=("TZ",))
    make_good("open-food", "Open Food Facts", "A food products database", stage=Stage.NOMINEE,
              categories=(Category.DATA,), sdgs=(2, 3), licence="ODbL-1.0")


def _slugs(response):
    return [item["id"] for item in response.json()["items"]]


def test_list_page_with_total_and_links(client, goods):
    response = client.get("/api/v1/goods", {"sort": "name", "page_size": 2, "stage": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert (body["total"], body["page"], body["page_size"], body["num_pages"], body["sort"]) == (3, 1, 2, 2, "name")
    assert body["corrected_q"] is None
    assert _slugs(response) == ["dhis2", "mojaloop"]
    assert body["links"] == {
        "self": "/api/v1/goods?sort=name&page_size=2&stage=all&page=1",
        "first": "/api/v1/goods?sort=name&page_size=2&stage=all&page=1",
        "last": "/api/v1/goods?sort=name&page_size=2&stage=all&page=2",
        "next": "/api/v1/goods?sort=name&page_size=2&stage=all&page=2",
        "prev": None,
        "html": "/?sort=name&page_size=2&stage=all",
    }
    second = client.get(body["links"]["next"]).json()
    assert [item["id"] for item in second["items"]] == ["open-food"]
    assert second["links"]["next"] is None
    assert second["links"]["prev"] == "/api/v1/goods?sort=name&page_size=2&stage=all&page=1"


def test_list_shows_recognised_goods_unless_other_stages_are_asked(client, goods):
    assert _slugs(client.get("/api/v1/goods")) == ["dhis2", "mojaloop"]  # the nominee is left out
    assert _slugs(client.get("/api/v1/goods", {"stage": "nominee"})) == ["open-food"]
    assert _slugs(client.get("/api/v1/goods", {"stage": ["dpg", "nominee"], "sort": "name"})) == [
        "dhis2", "mojaloop", "open-food"]
    assert client.get("/api/v1/goods", {"stage": "all"}).json()["total"] == 3
    # without text, relevance is the catalogue order: DPGs first, then by name
    assert _slugs(client.get("/api/v1/goods", {"stage": "all"})) == ["dhis2", "mojaloop", "open-food"]


def test_misspelt_words_are_corrected_unless_exact(client, goods):
    body = client.get("/api/v1/goods", {"q": "paymnets"}).json()
    assert (body["corrected_q"], [item["id"] for item in body["items"]]) == ("payments", ["mojaloop"])
    body = client.get("/api/v1/goods", {"q": "paymnets", "exact": "true"}).json()
    assert (body["corrected_q"], body["total"]) == (None, 0)
    facets = client.get("/api/v1/facets", {"q": "paymnets"}).json()
    assert (facets["corrected_q"], facets["total"]) == ("payments", 1)


def test_countries_and_sectors_are_searchable(client, goods):
    assert _slugs(client.get("/api/v1/goods", {"q": "health Kenya"})) == ["dhis2"]
    assert _slugs(client.get("/api/v1/goods", {"q": "Tanzanie"})) == ["mojaloop"]  # French name
    assert _slugs(client.get("/api/v1/goods", {"q": "TZA"})) == ["mojaloop"]  # alpha-3 code


def test_list_item_shape(client, goods):
    item = client.get("/api/v1/goods", {"q": "payments"}).json()["items"][0]
    good_uid = item.pop("uid")
    assert len(good_uid) == 36
    assert item.pop("updated_at")
    assert item == {
        "id": "mojaloop",
        "name": "Mojaloop",
        "description": "Interoperable instant payments for financial inclusion",
        "categories": [{"code": "open-software", "label": "Open Software"}],
        "stage": {"code": "dpg", "label": "Digital public good"},
        "sdgs": [{"number": 1, "name": "No poverty"}, {"number": 8, "name": "Decent work and economic growth"}],
        "licenses": ["Apache-2.0"],
        "url": "/api/v1/goods/mojaloop",
        "html_url": "/goods/mojaloop/",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "health"}, ["dhis2"]),
        ({"q": "oslo"}, ["dhis2"]),  # organisation names are searched
        ({"sdg": ["3"]}, ["dhis2", "open-food"]),
        ({"sdg": ["1", "2"]}, ["mojaloop", "open-food"]),  # OR within a facet
        ({"sdg": "3", "stage": "dpg"}, ["dhis2"]),  # AND across facets
        ({"category": "open-data"}, ["open-food"]),
        ({"license": ["BSD-3-Clause", "ODbL-1.0"]}, ["dhis2", "open-food"]),
        ({"deployment_country": "tz"}, ["mojaloop"]),
        ({"development_country": "NO"}, ["dhis2"]),
        ({"sector": "Health"}, ["dhis2"]),
        ({"q": "nothing-matches-this"}, []),
    ],
)
def test_filters(client, goods, params, expected):
    response = client.get("/api/v1/goods", {"stage": "all", **params, "sort": "name"})
    assert response.status_code == 200
    assert _slugs(response) == expected
    assert response.json()["total"] == len(expected)


def test_detail_has_everything_but_contacts(client, goods):
    response = client.get("/api/v1/goods/dhis2")
    assert response.status_code == 200
    body = response.json()
    raw = response.content.decode()
    assert CONTACT_EMAIL not in raw and CONTACT_NAME not in raw and "contact" not in raw.lower()
    assert body["organisations"] == [
        {"name": "University of Oslo", "website": "https://www.uio.no", "role": {"code": "owner", "label": "Owner"}}
    ]
    assert body["licenses"] == [{"expression": "BSD-3-Clause", "source_text": "BSD 3-Clause",
                                 "evidence_url": "https://github.com/dhis2/dhis2-core/blob/master/LICENSE"}]
    assert body["repositories"] == [{"name": "dhis2-core", "url": "https://github.com/dhis2/dhis2-core"}]
    assert body["sdgs"] == [{"number": 3, "name": "Good health and well-being",
                             "relevance": "Tracks disease outbreaks and health services.",
                             "evidence_urls": ["https://dhis2.org/health"]}]
    assert body["countries"] == {"development": [{"code": "NO", "name": "Norway"}],
                                 "deployment": [{"code": "KE", "name": "Kenya"}]}
    assert body["external_ids"] == [{"scheme": "dpgid", "value": "GID0092472"}]
    assert body["provenance"] == [{"source_key": "registry-2026:dhis2", "shape": "registry-api",
                                   "source_file": "registry.json", "record_sha256": "a" * 64,
                                   "imported_at": "2026-07-13T12:00:00Z"}]
    (assessment,) = body["assessments"]
    assert {key: assessment[key] for key in ("standard_version", "source", "is_imported", "assessed_on",
                                             "provenance")} == {
        "standard_version": "1.1.4",
        "source": {"code": "imported", "label": "Imported from the DPGA registry"},
        "is_imported": True,
        "assessed_on": "2023-02-01",
        "provenance": "registry-2026:dhis2",
    }
    indicators = assessment["indicators"]
    assert [ind["indicator"] for ind in indicators] == ["1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b", "9c"]
    assert indicators[0] == {"indicator": "1", "title": "Relevance to Sustainable Development Goals",
                             "status": None, "summary": "", "evidence": [], "source_fields": [], "confidence": None}
    assert indicators[1] == {
        "indicator": "2",
        "title": "Use of approved open licences",
        "status": {"code": "declared", "label": "Declared by the applicant, not reviewed here"},
        "summary": "BSD-3-Clause licence.",
        "evidence": [{"text": "Licence file", "url": "https://github.com/dhis2/dhis2-core/blob/master/LICENSE",
                      "field": "openlicenses[0].licenseURL"}],
        "source_fields": ["openlicenses"],
        "confidence": None,
    }
    assert indicators[8]["status"] == {"code": "no-evidence", "label": "No evidence in the source"}
    assert body["html_url"] == "/goods/dhis2/"


def test_detail_accepts_the_uid(client, goods):
    uid = client.get("/api/v1/goods/dhis2").json()["uid"]
    response = client.get(f"/api/v1/goods/{uid}")
    assert response.status_code == 200
    assert response.json()["id"] == "dhis2"


def test_facets_follow_the_filters(client, goods):
    response = client.get("/api/v1/facets", {"sdg": "3", "stage": "all"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert body["facets"]["stage"] == [{"value": "dpg", "label": "Digital public good", "count": 1},
                                       {"value": "nominee", "label": "Nominee", "count": 1}]
    # SDG is the ticked facet: each count is what that SDG gives (no other filter here: all goods)
    assert body["facets"]["sdg"] == [{"value": "3", "label": "3. Good health and well-being", "count": 2},
                                     {"value": "1", "label": "1. No poverty", "count": 1},
                                     {"value": "2", "label": "2. Zero hunger", "count": 1},
                                     {"value": "8", "label": "8. Decent work and economic growth", "count": 1}]
    assert body["facets"]["deployment_country"] == [{"value": "KE", "label": "Kenya", "count": 1}]
    assert body["facets"]["license"] == [{"value": "BSD-3-Clause", "label": "BSD-3-Clause", "count": 1},
                                         {"value": "ODbL-1.0", "label": "ODbL-1.0", "count": 1}]
    assert list(body["facets"]) == ["category", "stage", "sdg", "license", "development_country",
                                    "deployment_country", "sector"]


def test_labels_follow_the_language(client, goods):
    response = client.get("/api/v1/goods/mojaloop", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["countries"]["deployment"] == [{"code": "TZ", "name": "Tanzanie"}]


@pytest.mark.parametrize(
    ("url", "status", "error"),
    [
        ("/api/v1/goods?sort=price", 400, {
            "code": "invalid_query", "field": "sort",
            "message": "Unknown sort “price”; use one of: relevance, name, -name, updated."}),
        ("/api/v1/goods?page=0", 400, {
            "code": "invalid_query", "field": "page",
            "message": "Invalid value for “page”: Input should be greater than or equal to 1."}),
        ("/api/v1/goods?page=two", 400, {
            "code": "invalid_query", "field": "page",
            "message": "Invalid value for “page”: Input should be a valid integer, unable to parse string as an "
                       "integer."}),
        ("/api/v1/goods?page_size=1000", 400, {
            "code": "invalid_query", "field": "page_size",
            "message": "Invalid value for “page_size”: Input should be less than or equal to 100."}),
        ("/api/v1/goods?sdg=18", 400, {
            "code": "invalid_query", "field": "sdg", "message": "SDG must be a number from 1 to 17, not “18”."}),
        ("/api/v1/facets?sdg=0", 400, {
            "code": "invalid_query", "field": "sdg", "message": "SDG must be a number from 1 to 17, not “0”."}),
        ("/api/v1/goods?stage=famous", 400, {
            "code": "invalid_query", "field": "stage",
            "message": "Unknown stage “famous”; use one of: nominee, dpg, expired, archived, excluded, all."}),
        ("/api/v1/goods?category=apps", 400, {
            "code": "invalid_query", "field": "category",
            "message": "Unknown category “apps”; use one of: open-software, open-data, open-content, "
                       "open-ai-model, open-standard."}),
        ("/api/v1/goods?deployment_country=KEN", 400, {
            "code": "invalid_query", "field": "deployment_country",
            "message": "A country is its two-letter ISO 3166 code (such as KE), not “KEN”."}),
        ("/api/v1/goods?q=" + "a" * 201, 400, {
            "code": "invalid_query", "field": "q",
            "message": "The search text is 201 characters long; at most 200 are read."}),
        ("/api/v1/goods/no-such-good", 404, {
            "code": "not_found", "field": "id", "message": "No digital public good with the id “no-such-good”."}),
        ("/api/v1/nothing-here", 404, {
            "code": "not_found", "field": None, "message": "No API endpoint at /api/v1/nothing-here."}),
        ("/api/v2/goods", 404, {
            "code": "not_found", "field": None, "message": "No API endpoint at /api/v2/goods."}),
    ],
)
def test_errors_have_one_shape(client, goods, url, status, error):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": error}


def test_page_past_the_end_is_empty_not_an_error(client, goods):
    body = client.get("/api/v1/goods", {"page": 5, "stage": "all"}).json()
    assert (body["total"], body["items"], body["links"]["next"]) == (3, [], None)


def test_server_errors_have_the_same_shape(client, goods, monkeypatch):
    from dpghub.api.routers import goods as goods_router

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(goods_router, "goods_facet_counts", broken)
    response = client.get("/api/v1/facets")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "server_error", "field": None,
                                         "message": "The server failed to answer this request; it has been logged."}}


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    make_catalogue(count)
    client.get("/api/v1/goods")  # the first search after a reindex rebuilds the in-memory facet index
    # index version check, page of goods, licences, SDGs (total and facets come from the index)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/goods", {"stage": "all"})
    assert response.json()["total"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_facets_query_count_does_not_grow(client, django_assert_num_queries, count):
    make_catalogue(count)
    with django_assert_num_queries(2):  # index version check, then one statement rebuilds the index
        assert client.get("/api/v1/facets", {"stage": "all"}).json()["total"] == count
    with django_assert_num_queries(1):  # afterwards only the version check
        assert client.get("/api/v1/facets", {"stage": "all"}).json()["total"] == count


def test_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert sorted(document["paths"]) == [
        "/api/v1/", "/api/v1/applications", "/api/v1/applications/{id}", "/api/v1/applications/{id}/actions/{action}",
        "/api/v1/charter/countries/{code}", "/api/v1/charter/endorsers/{id}", "/api/v1/charter/goods/{id}",
        "/api/v1/charter/grid", "/api/v1/compare", "/api/v1/countries", "/api/v1/countries/{code}", "/api/v1/decisions", "/api/v1/deployments",
        "/api/v1/deployments/{id}", "/api/v1/deployments/{id}/actions/{action}",
        "/api/v1/deployments/{id}/history", "/api/v1/endorsers", "/api/v1/endorsers/{id}", "/api/v1/facets",
        "/api/v1/finder",
        "/api/v1/goods", "/api/v1/goods/{id}", "/api/v1/goods/{id}/history", "/api/v1/goods/{id}/screening",
        "/api/v1/implementers", "/api/v1/me", "/api/v1/memberships/{membership_id}/actions/{action}",
        "/api/v1/orgs", "/api/v1/orgs/{id}", "/api/v1/orgs/{id}/history", "/api/v1/orgs/{id}/memberships",
        "/api/v1/pledges", "/api/v1/pledges/{ref}", "/api/v1/pledges/{ref}/actions/{action}",
        "/api/v1/pledges/{ref}/ratings", "/api/v1/pledges/{ref}/reports",
        "/api/v1/pledges/{ref}/targets/{metric}/reports", "/api/v1/reports/{report_id}/actions/{action}",
        "/api/v1/review/backlog", "/api/v1/review/queue"]
    operation = document["paths"]["/api/v1/goods"]["get"]
    assert [param["name"] for param in operation["parameters"]] == [
        "q", "exact", "category", "stage", "sdg", "license", "development_country", "deployment_country", "sector",
        "sort", "page", "page_size"]
    assert sorted(operation["responses"]) == ["200", "400", "422"]
    schemas = document["components"]["schemas"]
    assert schemas["Error"]["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert "contacts" not in json.dumps(schemas).lower()
    assert sorted(schemas["GoodDetail"]["required"]) == sorted(schemas["GoodDetail"]["properties"])


def test_docs_page_works_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html and "style=" not in html
    assert '<link rel="alternate" type="application/json" href="/api/v1/openapi.json">' in html
    # the site's layout and navigation, with "API" as the current page
    assert '<nav class="site-nav" aria-label="Site">' in html
    assert '<a href="/api/v1/docs" aria-current="page">API</a>' in html and '<footer class="site">' in html
    assert '<h2 id="goods_list"><code>GET /api/v1/goods</code></h2>' in html
    assert "<th scope=\"row\"><code>page_size</code></th>" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
