"""Open data on the site (issue 17): downloads without personal data, the data dictionary, the
sitemap and robots.txt; gzip for anonymous requests only; page weight; hashed static names."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

from dpghub.catalog.models import Good
from dpghub.catalog.services.exporting import CSV_COLUMNS, FORMAT_NAME
from dpghub.web.opendata import COLUMNS
from tests.catalogue import CONTACT_EMAIL, CONTACT_NAME, make_catalogue, make_full_good

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    # reading a streamed response to its end closes it (and the file of a static file's response)
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def catalogue():
    make_full_good()
    make_catalogue(30)


def test_csv_download_is_the_export_without_personal_data(client, catalogue):
    response = client.get("/data/goods.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dpghub-goods.csv"'
    text = _body(response).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [row["slug"] for row in rows] == sorted(Good.objects.values_list("slug", flat=True))
    dhis2 = next(row for row in rows if row["slug"] == "dhis2")
    assert dhis2["licences"] == "BSD-3-Clause" and dhis2["deployment_countries"] == "KE"
    assert CONTACT_EMAIL not in text and CONTACT_NAME not in text and "contacts" not in rows[0]


def test_json_download_is_the_export_without_personal_data(client, catalogue):
    response = client.get("/data/goods.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    text = _body(response).decode()
    data = json.loads(text)
    assert data["format"] == FORMAT_NAME and len(data["goods"]) == 31
    assert CONTACT_EMAIL not in text and CONTACT_NAME not in text
    assert all("contacts" not in good for good in data["goods"])


def test_only_csv_and_json_are_offered(client, catalogue):
    assert client.get("/data/goods.xml").status_code == 404
    assert client.post("/data/goods.csv").status_code == 405


def test_data_page_describes_every_column_and_the_licence_of_each_source(client):
    response = client.get("/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/data/goods.csv" type="text/csv" download>All goods as CSV</a>' in html
    assert '<a href="/data/goods.json" type="application/json" download>All goods as JSON</a>' in html
    described = re.findall(r'<tr><th scope="row"><code>([a-z_]+)</code></th><td>([^<]+)</td></tr>', html)
    assert [name for name, _ in described] == list(CSV_COLUMNS) and set(COLUMNS) == set(CSV_COLUMNS)
    assert all(len(text) > 10 for _, text in described)
    assert html.count('<a href="https://unlicense.org/" rel="noopener">The Unlicense</a>') == 2
    assert 'aria-current="page">Open data</a>' in html


def test_sitemap_lists_every_good_page(client, catalogue):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own sitemap
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    goods = [f"http://testserver/goods/{slug}/" for slug in Good.objects.order_by("slug").values_list("slug", flat=True)]
    assert locations == ["http://testserver/", "http://testserver/data/", *goods]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", m.text) for m in root.findall("s:url/s:lastmod", ns))
    assert all(client.get(url.removeprefix("http://testserver")).status_code == 200 for url in locations[:4])


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_accounts(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /accounts/" in lines and "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.parametrize("url", ["/", "/goods/dhis2/", "/api/v1/goods", "/data/goods.json", "/data/"])
def test_anonymous_responses_are_gzipped(client, catalogue, url):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    unmasked = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')  # the CSRF token is masked anew each time
    plain = unmasked.sub(b"", _body(Client().get(url)))
    assert unmasked.sub(b"", gzip.decompress(_body(response))) == plain


def test_the_stylesheet_is_gzipped(client):
    response = client.get(static("web/site.css"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b":root{" in gzip.decompress(_body(response))


def test_responses_to_people_and_tokens_are_never_compressed(client, catalogue, django_user_model):
    """BREACH: a response to a request with credentials may hold a secret beside reflected input."""
    client.force_login(django_user_model.objects.create_user("reader", password="pw-reader"))
    for url in ["/", "/goods/dhis2/?q=secret", "/accounts/"]:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and not response.has_header("Content-Encoding"), url
    response = Client().get("/api/v1/goods", HTTP_ACCEPT_ENCODING="gzip", HTTP_AUTHORIZATION="Bearer nope")
    assert not response.has_header("Content-Encoding")


def test_first_view_weights(client, catalogue):
    """The list page's first view (HTML + stylesheet, gzipped) within 25 KB, a good's page within 40 KB."""
    css = len(_body(client.get(static("web/site.css"), HTTP_ACCEPT_ENCODING="gzip")))
    for url, limit in [("/", 25_000), ("/goods/dhis2/", 40_000)]:
        html = len(_body(client.get(url, HTTP_ACCEPT_ENCODING="gzip")))
        assert html + css <= limit, (url, html, css)


def test_static_names_are_hashed_and_cached_for_a_year_after_collectstatic(settings, tmp_path):
    assert static("web/site.css") == "/static/web/site.css"  # no manifest yet: the plain name
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("web/site.css")
    assert re.fullmatch(r"/static/web/site\.[0-9a-f]{12}\.css", url)
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    _body(response)
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600 and "immutable" in response["Cache-Control"]
    assert f'<link rel="stylesheet" href="{url}">' in Client().get("/data/").content.decode()


def test_every_page_has_the_band_the_navigation_and_the_footer(client, settings):
    settings.DPGHUB_SOURCE_URL = "https://code.example.org/dpghub"
    html = client.get("/charter/").content.decode()
    assert '<a class="brand" href="/">DPG Hub</a>' in html and '<p class="tagline">Registry of digital public goods</p>' in html
    nav = re.search(r'<nav class="site-nav" aria-label="Site"><div class="wrap">\s*<ul>(.*?)</ul>', html, re.DOTALL).group(1)
    assert re.findall(r'<li><a href="([^"?]+)', nav) == ["/", "/finder/", "/charter/", "/countries/", "/orgs/", "/data/", "/api/v1/docs",
                                                         "/accounts/login/"]
    footer = html[html.index('<footer class="site">'):]
    assert '<a href="/data/">Download the registry (CSV, JSON)</a>' in footer
    assert '<a href="/api/v1/docs">API reference</a>' in footer
    assert "public domain (The Unlicense)" in footer
    assert '<a href="https://code.example.org/dpghub">Source code</a>: free software under the GNU Affero' in footer
    # the one sentence on what digital public goods are opens the list page
    assert "Digital public goods are open-source software, open data" in client.get("/").content.decode()
