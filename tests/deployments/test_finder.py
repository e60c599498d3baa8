"""The finder and the comparison on the real shipped DPGA records: a need that a real good answers ranks it
first and says why; the page, its CSV and printable twins and the API list the same goods in the same order."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings

from dpghub.catalog.models import Good
from dpghub.catalog.services.importing import SHIPPED_DATA_DIR, goods_import
from dpghub.core.finder import text_render
from dpghub.deployments.enums import VerificationState
from dpghub.deployments.finder import finder_forget, finder_need, finder_search, need_query
from dpghub.deployments.models import Deployment
from tests.catalog.helpers import catalogue_clear

pytestmark = pytest.mark.django_db
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # as tests/web/conftest.py: WhiteNoise wants it

#: Bahmni (a recognised DPG) names DICOM among its open standards, states SDG 3 and is deployed in
#: Western Africa in the shipped records; no other shipped good meets all four.
BAHMNI_NEED = "category=open-software&standards=DICOM&sdg=3&region=Western+Africa"


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        goods_import(paths=[SHIPPED_DATA_DIR])
        finder_forget()
        yield
        Deployment.objects.all().delete()
        catalogue_clear()
        finder_forget()


def _need(query: str):
    from django.http import QueryDict

    return finder_need(QueryDict(query))


def test_a_need_bahmni_answers_ranks_it_first_and_says_why(shipped):
    answer = finder_search(viewer=None, need=_need(BAHMNI_NEED), limit=5)
    first, second = answer.results[0], answer.results[1]
    assert first.facts.slug == "bahmni"
    assert (first.rank, first.score, first.out_of) == (1, 4, 4)
    assert second.score < 4
    details = {check.key: text_render(check.detail, str) for check in first.checks}
    assert details["standard:DICOM"] == "Named among the open standards it supports."
    assert details["sdg:3"] == "Its record states how it serves this goal."
    assert "countries of the region" in details["region"]
    region_check = next(check for check in first.checks if check.key == "region")
    assert all(url.startswith("/api/v1/deployments?good=bahmni&country=") for _kind, url in region_check.evidence)
    assert [c.key for c in second.missed] != []


def test_the_same_need_gives_the_same_list(shipped):
    need = _need("sdg=3&sdg=4&licence=permissive&maintained=1")
    one = [r.facts.slug for r in finder_search(viewer=None, need=need, limit=50).results]
    finder_forget()
    two = [r.facts.slug for r in finder_search(viewer=None, need=need, limit=50).results]
    assert one == two and len(one) == 50


def test_licence_constraint_is_explained_with_the_copyleft(shipped):
    answer = finder_search(viewer=None, need=_need("licence=permissive&sdg=3"), limit=200)
    by_slug = {r.facts.slug: r for r in answer.results}
    bahmni = by_slug["bahmni"]  # AGPL: strong copyleft, so it misses the licence criterion
    licence = next(c for c in bahmni.checks if c.key == "licence")
    assert not licence.met and "strong copyleft" in text_render(licence.detail, str)


def test_the_query_string_round_trips():
    need = _need("sdg=4&sdg=3&languages=French,+Swahili&standards=FHIR&region=Eastern+Africa&maintained=1"
                 "&licence=no-strong-copyleft&layer=registries&category=open-software")
    assert _need("&".join(f"{k}={v}" for k, v in need_query(need))) == need
    assert need.sdgs == (3, 4) and need.languages == ("French", "Swahili")


@pytest.mark.parametrize("query", ["sdg=18", "licence=gpl-only", "region=Atlantis", "category=spaceships"])
def test_a_need_that_cannot_be_read_is_refused(client, query):
    assert client.get(f"/finder/?{query}").status_code == 400
    response = client.get(f"/api/v1/finder?{query}")
    assert response.status_code in (400, 422) and "error" in response.json()


def test_page_csv_print_and_api_agree(client, shipped):
    page = client.get(f"/finder/?{BAHMNI_NEED}")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index('href="/goods/bahmni/"') < html.index("2. <a")
    assert "Meets 4 of 4 criteria" in html and 'href="/finder/?category=open-software' in html
    api = client.get(f"/api/v1/finder?{BAHMNI_NEED}&page_size=20").json()
    assert api["results"][0]["good"] == "bahmni" and api["results"][0]["score"] == 4
    assert [c["criterion"] for c in api["results"][0]["criteria"]] == ["category", "sdg:3", "standard:DICOM", "region"]
    rows = list(csv.reader(io.StringIO(client.get(f"/finder/shortlist.csv?{BAHMNI_NEED}").content.decode())))
    assert rows[1][0:2] == ["1", "Bahmni"] and "DICOM" in rows[1][5]
    assert [row[1] for row in rows[1:21]] == [r["name"] for r in api["results"]]
    printable = client.get(f"/finder/shortlist/?{BAHMNI_NEED}").content.decode()
    assert "Bahmni" in printable and "Standard: DICOM" in printable
    assert "There is no such page" in client.get(f"/finder/?{BAHMNI_NEED}&page=999").content.decode()


def test_deployments_feed_the_layer_and_region_criteria(shipped, world):
    good = Good.objects.get(slug="openmrs")
    Deployment.objects.create(good=good, country="MW", layer="registries", agency=world.org,
                              verification=VerificationState.VERIFIED, confirmed_at=dt.datetime.now(dt.UTC))
    finder_forget()
    ranked = finder_search(viewer=None, need=_need("layer=registries&region=Eastern+Africa"), limit=5).results
    assert ranked[0].facts.slug == "openmrs" and ranked[0].score == 2
    region = next(c for c in ranked[0].checks if c.key == "region")
    assert "verified" in text_render(region.detail, str) and "MW" in text_render(region.detail, str)


def test_compare_side_by_side_and_json_twin(client, shipped, world):
    Deployment.objects.create(good=Good.objects.get(slug="dhis2"), country="KE", stage="national", agency=world.org,
                              verification=VerificationState.VERIFIED, confirmed_at=dt.datetime.now(dt.UTC))
    Deployment.objects.create(good=Good.objects.get(slug="dhis2"), country="UG", stage="pilot")
    page = client.get("/compare/?goods=dhis2,bahmni")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(">DHIS2<") < html.index(">Bahmni<")
    assert "1 of 2 verified, 0 disputed" in html
    data = client.get("/api/v1/compare?goods=dhis2,bahmni").json()["goods"]
    assert [g["slug"] for g in data] == ["dhis2", "bahmni"]
    assert data[0]["deployments"]["verified_share"] == 0.5
    assert data[0]["deployments"]["by_stage"] == {"pilot": 1, "national": 1}
    assert any(lic["copyleft"] == "strong" for lic in data[1]["licences"])  # Bahmni: AGPL
    assert client.get("/compare/?goods=a,b,c,d,e").status_code == 400
    assert client.get("/api/v1/compare?goods=dhis2,no-such-good").status_code == 400
    finder = client.get("/finder/?sdg=3").content.decode()
    assert 'action="/compare/"' in finder and 'name="goods" value="dhis2"' in finder
