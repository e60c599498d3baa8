"""The registry's pages: content, status codes, accessibility basics, size, headers, query counts."""

import re

import pytest
from django.test import Client
from django.utils import translation

from dpghub.catalog.enums import Category, Stage
from dpghub.core.standard import indicators
from tests.catalogue import (
    CONTACT_EMAIL,
    CONTACT_NAME,
    add_crowd_review,
    make_catalogue,
    make_full_good,
    make_good,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods():
    make_full_good()
    make_good("mojaloop", "Mojaloop", "Interoperable instant payments for financial inclusion", sdgs=(1, 8),
              licence="Apache-2.0", deployed=("TZ",))
    make_good("open-food", "Open Food Facts", "A food products database", stage=Stage.NOMINEE,
              categories=(Category.DATA,), sdgs=(2, 3), licence="ODbL-1.0")


def _html(response) -> str:
    return response.content.decode()


def _result_names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/goods/[^"]+/">([^<]+)</a></h3>', html)


def test_list_page(client, goods):
    response = client.get("/")
    assert response.status_code == 200
    html = _html(response)
    assert _result_names(html) == ["DHIS2", "Mojaloop"]  # recognised DPGs by default
    assert html.count("<h1>") == 1
    assert '<h1>Digital public goods</h1>' in html
    assert '<h2 id="results-title">2 goods</h2>' in html
    assert '<a class="skip" href="#main">Skip to main content</a>' in html
    assert '<main id="main" class="wrap">' in html
    assert '<link rel="alternate" type="application/json" href="/api/v1/goods">' in html
    assert '<a href="/api/v1/goods" type="application/json">goods (JSON)</a>' in html
    assert '<label for="id_q">Search by name, description, SDG, organisation, sector or country</label>' in html
    assert '<label for="id_sort">Sort by</label>' in html
    html = _html(client.get("/", {"stage": "all"}))
    assert _result_names(html) == ["DHIS2", "Mojaloop", "Open Food Facts"]
    assert '<p class="meta"><span class="stage stage-nominee">Nominee</span> · Open Data</p>' in html
    assert '<li class="lic">ODbL-1.0</li>' in html


def test_facets_are_fieldsets_of_checkboxes_with_labels_and_counts(client, goods):
    html = _html(client.get("/", {"sdg": "3", "stage": "all"}))
    assert html.count("<fieldset") == 7
    assert html.count("<legend") == 7
    assert '<legend class="vh">Sustainable Development Goal</legend>' in html
    assert ('<li><label><input type="checkbox" name="sdg" value="3" checked> '
            '<span class="v">3. Good health and well-being</span> <span class="n">2</span></label></li>') in html
    assert ('<li><label><input type="checkbox" name="stage" value="nominee"> '
            '<span class="v">Nominee</span> <span class="n">1</span></label></li>') in html
    assert '<span class="v">Kenya</span>' in html
    assert '<button type="submit">Apply filters</button>' in html
    assert _result_names(html) == ["DHIS2", "Open Food Facts"]
    assert '<link rel="alternate" type="application/json" href="/api/v1/goods?sdg=3&amp;stage=all">' in html


def test_search_and_filters_and_sort(client, goods):
    assert _result_names(_html(client.get("/", {"q": "payments"}))) == ["Mojaloop"]
    assert _result_names(_html(client.get("/", {"q": "oslo"}))) == ["DHIS2"]
    assert _result_names(_html(client.get("/", {"sort": "-name", "stage": "all"}))) == [
        "Open Food Facts", "Mojaloop", "DHIS2"]
    assert _result_names(_html(client.get("/", {"license": ["Apache-2.0", "ODbL-1.0"], "stage": "all"}))) == [
        "Mojaloop", "Open Food Facts"]
    html = _html(client.get("/", {"q": "zzzz"}))
    assert '<h2 id="results-title">0 goods</h2>' in html
    assert "No goods match this search. Try fewer words or fewer filters." in html


def test_selected_value_without_matches_stays_visible_to_uncheck(client, goods):
    html = _html(client.get("/", {"q": "payments", "license": "ODbL-1.0"}))
    assert ('<input type="checkbox" name="license" value="ODbL-1.0" checked> <span class="v">ODbL-1.0</span> '
            '<span class="n">0</span>') in html


def test_bad_input_is_a_400_page_that_says_what_is_wrong(client, goods):
    response = client.get("/", {"sdg": "18"})
    assert response.status_code == 400
    assert '<div class="alert" role="alert"><p>SDG must be a number from 1 to 17, not “18”.</p>' in _html(response)
    response = client.get("/", {"page": "0"})
    assert response.status_code == 400
    assert "<li>page: Ensure this value is greater than or equal to 1.</li>" in _html(response)
    response = client.get("/", {"sort": "price"})
    assert response.status_code == 400
    assert "<p>Unknown sort “price”; use one of: relevance, name, -name, updated.</p>" in _html(response)


def test_pagination_marks_the_current_page(client, settings):
    settings.DPGHUB_PAGE_SIZE = 2
    make_catalogue(5)
    html = _html(client.get("/", {"page": "2", "sort": "name", "stage": "all"}))
    assert _result_names(html) == ["Open Platform 002", "Open Platform 003"]
    assert '<nav class="pager" aria-label="Pages of results">' in html
    assert '<a href="?page=2&amp;sort=name&amp;stage=all" aria-current="page"><span class="vh">Page </span>2</a>' in html
    assert '<a href="?page=1&amp;sort=name&amp;stage=all" rel="prev">Previous</a>' in html
    assert '<a href="?page=3&amp;sort=name&amp;stage=all" rel="next">Next</a>' in html
    assert html.count('aria-current="page"') == 2  # the page link and the site navigation's "Goods"
    html = _html(client.get("/", {"page": "9", "stage": "all"}))
    assert "There is no such page in these results." in html


def test_long_facets_are_cut_with_a_link_to_show_all(client):
    make_catalogue(24)
    html = _html(client.get("/", {"stage": "all"}))
    assert html.count('name="deployment_country"') == 8
    assert ('<a href="?stage=all&amp;expand=deployment_country#facet-deployment_country">Show 4 more'
            '<span class="vh"> (Country of deployment)</span></a>') in html
    html = _html(client.get("/", {"expand": "deployment_country", "stage": "all"}))
    assert html.count('name="deployment_country"') == 12


def test_detail_page(client, goods):
    response = client.get("/goods/dhis2/")
    assert response.status_code == 200
    html = _html(response)
    assert html.count("<h1>") == 1 and "<h1>DHIS2</h1>" in html
    assert CONTACT_EMAIL not in html and CONTACT_NAME not in html
    assert '<link rel="alternate" type="application/json" href="/api/v1/goods/dhis2">' in html
    assert '<a href="/api/v1/goods/dhis2" type="application/json">JSON</a>' in html
    assert '<div class="lead"><p>Health management information system used by ministries of health.</p></div>' in html
    assert ('<dt>Owned by</dt><dd><ul class="plain"><li><a href="https://www.uio.no" rel="nofollow noopener">'
            "University of Oslo</a></li></ul></dd>") in html
    assert "<code>BSD-3-Clause</code> <span class=\"from\">(as written: “BSD 3-Clause”)</span>" in html
    assert ('<a href="https://github.com/dhis2/dhis2-core" rel="nofollow noopener">'
            "https://github.com/dhis2/dhis2-core</a>") in html
    assert "<br>Recognised on <time datetime=\"2023-03-01\">March 1, 2023</time>" in html
    assert "<br>Recognition expires on <time datetime=\"2024-03-01\">March 1, 2024</time>" in html
    assert "<h3>SDG 3: Good health and well-being</h3>" in html
    assert "<p>Tracks disease outbreaks and health services.</p>" in html
    assert "<dt>Developed in</dt><dd>Norway</dd>" in html
    assert "<dt>Deployed in</dt><dd>Kenya</dd>" in html
    assert "DPG Standard 1.1.4, assessed on Feb. 1, 2023</h3>" in html
    assert ('<p class="notice imported"><strong>Imported from the DPGA registry.</strong> '
            "What the applicant declared, imported from the source record; not a review done in DPG Hub.</p>") in html
    assert ('<ul class="tally"><li><strong>1</strong> Declared by the applicant, not reviewed here</li>'
            "<li><strong>1</strong> No evidence in the source</li><li><strong>9</strong> Nothing recorded</li></ul>") in html
    # all eleven indicators of the Standard, in order, with their titles
    codes = re.findall(r'<h4><span class="code">([0-9a-c]+)</span> ([^<]+)</h4>', html)
    assert codes == [(item.code, item.title) for item in indicators()]
    assert html.count("Nothing recorded for this indicator.") == 9
    assert '<p class="status status-declared">Declared by the applicant, not reviewed here</p>' in html
    assert "<p>BSD-3-Clause licence.</p>" in html
    # evidence without its source field; the field is in "where this assessment comes from"
    assert ('<li>Licence file <a href="https://github.com/dhis2/dhis2-core/blob/master/LICENSE" rel="nofollow noopener">'
            "https://github.com/dhis2/dhis2-core/blob/master/LICENSE</a></li>") in html
    provenance = re.search(r'<details class="provenance">(.*?)</details>', html, re.DOTALL).group(1)
    assert "<dt>2</dt><dd><code>openlicenses</code>, <code>openlicenses[0].licenseURL</code></dd>" in provenance
    assert "<code>registry-2026:dhis2</code><br><span class=\"from\">registry-api record in registry.json" in html


def test_crowd_reviews_are_shown_as_imported_with_confidence(client, goods):
    from dpghub.catalog.models import Good

    add_crowd_review(Good.objects.get(slug="dhis2"))
    html = _html(client.get("/goods/dhis2/"))
    # the registry's record stays the current assessment; the crowd review is collapsed below it
    assert html.count("DPG Standard 1.1.4, assessed on Feb. 1, 2023</h3>") == 1
    earlier = html[html.index('<h2 id="earlier">'):html.index('<h2 id="sdgs">')]
    assert "<summary>1 crowdsourced review by a volunteer</summary>" in earlier
    assert "DPG Standard 1.1.4, date not recorded</h3>" in earlier
    assert ('<p class="notice imported"><strong>Imported crowdsourced review.</strong> '
            "One volunteer reviewer’s answers, imported; not a review done in DPG Hub.</p>") in earlier
    assert '<p class="status status-pass">Pass · confidence 4 of 5</p>' in earlier
    assert ('<ul class="tally"><li><strong>1</strong> Pass</li><li><strong>1</strong> Fail</li>'
            "<li><strong>9</strong> Nothing recorded</li></ul>") in earlier


def test_detail_accepts_uid_and_unknown_is_404(client, goods):
    uid = client.get("/api/v1/goods/dhis2").json()["uid"]
    assert client.get(f"/goods/{uid}/").status_code == 200
    response = client.get("/goods/nope/")
    assert response.status_code == 404
    assert "No digital public good with the id “nope”." in _html(response)


def test_pages_send_the_csp_and_no_inline_code(client, goods):
    for url in ["/", "/goods/dhis2/", "/goods/nope/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        html = _html(response)
        # no code: the one script element of a good's page is its JSON-LD, data that is never run
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts in ([], ['<script type="application/ld+json">']), scripts
        assert "<style" not in html and " style=" not in html
        assert response["X-Frame-Options"] == "DENY"


def test_language_switcher_works_without_a_form_token_so_pages_stay_cacheable(goods):
    # ADR 0013: a forged switch only changes a visitor's language, and a token in every page's header
    # would make every page this visitor's own (no page cache)
    client = Client(enforce_csrf_checks=True)
    response = client.get("/")
    html = _html(response)
    form = re.search(r'<form class="lang" action="/i18n/setlang/" method="post">(.*?)</form>', html, re.DOTALL).group(1)
    assert "csrfmiddlewaretoken" not in form and "csrftoken" not in response.cookies
    assert '<label for="language">Language</label>' in form
    assert '<option value="fr" lang="fr">Français</option>' in form
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    html = _html(client.get("/"))
    assert '<html lang="fr">' in html
    assert "<h1>Biens publics numériques</h1>" in html
    assert '<span class="v">3. Bonne santé et bien-être</span>' in html
    # it never sends anyone elsewhere
    response = Client().post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_pages_follow_accept_language(client, goods):
    html = _html(client.get("/goods/mojaloop/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "<dt>Déployé en</dt><dd>Tanzanie</dd>" in html


def test_first_view_of_the_list_page_is_under_100_kb(client):
    make_catalogue(45)
    response = client.get("/", {"stage": "all"})
    html = _html(response)
    assert len(_result_names(html)) == 20
    css = client.get("/static/web/site.css")
    assert css.status_code == 200
    css_bytes = b"".join(css.streaming_content) if css.streaming else css.content
    total = len(response.content) + len(css_bytes)
    print(f"first view: HTML {len(response.content)} B + CSS {len(css_bytes)} B = {total} B")
    assert total < 100_000


@pytest.mark.parametrize("count", [1, 3])
def test_list_page_query_count_does_not_grow(client, django_assert_num_queries, count):
    make_catalogue(count)
    client.get("/")  # the first search after a reindex rebuilds the in-memory facet index
    # index version check, page of goods, licences, SDGs (total and facets come from the index)
    with django_assert_num_queries(4):
        response = client.get("/")
    assert len(_result_names(_html(response))) == (count + 2) // 3  # the DPGs: every third good


def test_detail_page_query_count_is_fixed(client, goods, django_assert_num_queries):
    # the good, then one query per relation: licences, SDGs, countries, repositories, identifiers,
    # provenance, organisations, assessments, indicator results; then the screenings (one query);
    # then the history: the ids of the good's screening runs, and the history rows; the Charter's pledges
    # concerning the good (one query, their endorsers joined); its deployments per country (one query)
    with django_assert_num_queries(15):
        assert client.get("/goods/dhis2/").status_code == 200


def test_indicator_titles_and_categories_are_the_standards_translated(client, goods):
    html = _html(client.get("/goods/dhis2/", HTTP_ACCEPT_LANGUAGE="fr"))
    titles = re.findall(r'<h4><span class="code">([0-9a-c]+)</span> ([^<]+)</h4>', html)
    with translation.override("fr"):
        expected = [(item.code, translation.gettext(item.title)) for item in indicators()]
        software = str(Category.SOFTWARE.label)
    assert titles == expected
    assert ("2", "Utilisation de licences ouvertes approuvées") in titles
    assert ("9c", "Ne pas nuire dès la conception : protection contre le harcèlement") in titles
    assert software == "Logiciel libre" and software in html
