"""The list page as a ministry uses it: DPGs first with the other stages one click away, spelling,
no dead ends, bad input answered like the API; and the API's index and cross-origin reads."""

import re

import pytest

from dpghub.catalog.enums import Category, Stage
from tests.catalogue import make_full_good, make_good

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods():
    make_full_good()  # DHIS2: health, deployed in Kenya, owned by the University of Oslo
    make_good("mojaloop", "Mojaloop", "Interoperable instant payments for financial inclusion", sdgs=(1, 8),
              licence="Apache-2.0", deployed=("TZ",))
    make_good("open-food", "Open Food Facts", "A food products database", stage=Stage.NOMINEE,
              categories=(Category.DATA,), sdgs=(2, 3), licence="ODbL-1.0")
    make_good("old-ledger", "Old Ledger", "Payments ledger of a closed project", stage=Stage.ARCHIVED,
              licence="MIT")


def _html(response) -> str:
    return response.content.decode()


def _names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/goods/[^"]+/">([^<]+)</a></h3>', html)


def test_recognised_goods_first_other_stages_one_click_away_with_counts(client, goods):
    html = _html(client.get("/"))
    assert _names(html) == ["DHIS2", "Mojaloop"]
    assert "Showing recognised digital public goods." in html
    assert '<li><a href="/?stage=dpg&amp;stage=nominee">Nominee (1)</a></li>' in html
    assert '<li><a href="/?stage=dpg&amp;stage=archived">Archived (1)</a></li>' in html
    assert '<li><a href="/?stage=all">All stages (4)</a></li>' in html
    assert ('<input type="checkbox" name="stage" value="dpg" checked> <span class="v">Digital public good</span> '
            '<span class="n">2</span>') in html
    assert ('<input type="checkbox" name="stage" value="all"> <span class="v">Any stage</span> '
            '<span class="n">4</span>') in html
    html = _html(client.get("/?stage=dpg&stage=nominee"))
    assert _names(html) == ["DHIS2", "Mojaloop", "Open Food Facts"]
    assert '<a href="/?stage=dpg&amp;stage=nominee&amp;stage=archived">Archived (1)</a>' in html
    html = _html(client.get("/?stage=all"))
    assert _names(html) == ["DHIS2", "Mojaloop", "Open Food Facts", "Old Ledger"]  # stage, then name
    assert "Showing recognised" not in html


def test_a_query_keeps_the_other_stages_counted(client, goods):
    html = _html(client.get("/", {"q": "payments"}))
    assert _names(html) == ["Mojaloop"]
    assert '<a href="/?q=payments&amp;stage=dpg&amp;stage=archived">Archived (1)</a>' in html


def test_misspelling_shows_results_for_the_right_word_and_a_way_back(client, goods):
    html = _html(client.get("/", {"q": "paymnets"}))
    assert _names(html) == ["Mojaloop"]
    assert "Showing results for <strong>payments</strong>." in html
    assert '<a href="/?q=paymnets&amp;exact=1">Search instead for “paymnets”</a>' in html
    html = _html(client.get("/", {"q": "paymnets", "exact": "1"}))
    assert _names(html) == []
    assert "Showing results for" not in html


def test_no_result_is_not_a_dead_end(client, goods):
    # the text matches, the filters do not: a way to the matches, and the filters stay
    html = _html(client.get("/", {"q": "ledger", "sdg": "3"}))
    assert _names(html) == []
    assert ('<a href="/?q=ledger&amp;stage=all">Show the 1 good that matches the text, whatever its stage and the '
            'filters</a>') in html
    assert "the counts below leave the text out" in html
    assert '<input type="checkbox" name="sdg" value="3" checked>' in html
    assert '<span class="v">Kenya</span>' in html  # other facets still offered
    # nothing matches the text: near spellings that find goods (three edits: not corrected)
    html = _html(client.get("/", {"q": "paxmxxts"}))
    assert _names(html) == []
    assert '<li><a href="/?q=payments">payments</a></li>' in html
    assert '<a href="/">Browse all recognised digital public goods</a>' in html


@pytest.mark.parametrize(("params", "message"), [
    ({"stage": "bogus"}, "Unknown stage “bogus”; use one of: nominee, dpg, expired, archived, excluded, all."),
    ({"category": "apps"}, "Unknown category “apps”; use one of: open-software, open-data, open-content, "
                           "open-ai-model, open-standard."),
    ({"sdg": "18"}, "SDG must be a number from 1 to 17, not “18”."),
    ({"deployment_country": "Kenya"}, "A country is its two-letter ISO 3166 code (such as KE), not “Kenya”."),
    ({"sort": "price"}, "Unknown sort “price”; use one of: relevance, name, -name, updated."),
])
def test_bad_parameters_are_a_400_page_with_the_apis_message(client, goods, params, message):
    page = client.get("/", params)
    api = client.get("/api/v1/goods", params)
    assert page.status_code == api.status_code == 400
    assert api.json()["error"]["message"] == message
    assert f'<div class="alert" role="alert"><p>{message}</p>' in _html(page)


def test_messages_are_translated(client, goods):
    page = client.get("/", {"stage": "bogus"}, HTTP_ACCEPT_LANGUAGE="fr")
    api = client.get("/api/v1/goods", {"stage": "bogus"}, HTTP_ACCEPT_LANGUAGE="fr")
    message = api.json()["error"]["message"]
    assert page.status_code == 400
    assert message in _html(page).replace("&#x27;", "'")


def test_control_characters_are_removed_and_the_echo_is_capped(client, goods):
    response = client.get("/", {"q": "\x00pay\x1bments\u202e"})
    html = _html(response)
    assert response.status_code == 200
    assert "\x00" not in html and "\x1b" not in html and "\u202e" not in html
    assert "<title>“pay ments” · " in html
    long_text = "health " * 80  # 560 characters
    response = client.get("/", {"q": long_text})
    html = _html(response)
    assert response.status_code == 400
    assert "The search text is 559 characters long; at most 200 are read." in html
    assert "health " * 30 not in html  # 210 characters: never echoed whole
    assert f'value="{long_text.strip()[:200]}"' in html
    api = client.get("/api/v1/goods", {"q": "\x00payments"})
    assert api.status_code == 200 and [item["id"] for item in api.json()["items"]] == ["mojaloop"]


def test_api_index_lists_the_resources(client, goods):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert (body["docs"], body["openapi"]) == ("/api/v1/docs", "/api/v1/openapi.json")
    paths = {resource["path"]: resource for resource in body["resources"]}
    assert paths["/api/v1/goods"] == {"path": "/api/v1/goods", "url": "/api/v1/goods", "methods": ["GET"],
                                      "summary": "Search and filter the registry"}
    assert paths["/api/v1/goods/{id}"]["url"] is None
    assert paths["/api/v1/pledges"]["methods"] == ["GET", "POST"]
    assert client.get(paths["/api/v1/facets"]["url"]).status_code == 200


def test_public_reads_allow_any_origin_writes_and_credentials_do_not(client, goods):
    for url in ("/api/v1/goods", "/api/v1/", "/api/v1/goods/dhis2", "/api/v1/goods?stage=bogus"):
        response = client.get(url, HTTP_ORIGIN="https://ministry.example")
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response
    assert client.head("/api/v1/goods")["Access-Control-Allow-Origin"] == "*"
    # a request with a token, or from a signed-in session, is not shared across origins
    response = client.get("/api/v1/goods", HTTP_AUTHORIZATION="Bearer nope")
    assert "Access-Control-Allow-Origin" not in response
    client.cookies["sessionid"] = "abc"
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/goods")
    del client.cookies["sessionid"]
    # writes never
    response = client.post("/api/v1/pledges", data="{}", content_type="application/json",
                           HTTP_ORIGIN="https://ministry.example")
    assert response.status_code >= 400
    assert "Access-Control-Allow-Origin" not in response
    # pages are not API
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_preflight_only_for_reads(client):
    response = client.options("/api/v1/goods", HTTP_ORIGIN="https://ministry.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "Access-Control-Allow-Headers" not in response  # no Authorization from another origin
    assert "Access-Control-Allow-Credentials" not in response
    for method in ("POST", "PATCH", "DELETE"):
        response = client.options("/api/v1/pledges", HTTP_ORIGIN="https://ministry.example",
                                  HTTP_ACCESS_CONTROL_REQUEST_METHOD=method)
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Methods" not in response
