"""Deployments' pages: a country and its JSON twin, the countries index, the world map, the deployments (list,
one, record, edit, confirm, dispute, withdraw) and the implementer directory; a good's deployments section."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dpghub.charter.services import TargetInput, endorsement_create, pledge_create, pledge_publish
from dpghub.common.models import Activity
from dpghub.deployments.models import Deployment, DeploymentPartner
from dpghub.deployments.presenters import world_shapes
from tests.deployments.helpers import make_deployment, make_good

pytestmark = pytest.mark.django_db


@pytest.fixture
def kenya(world):
    dhis2, mosip = make_good("dhis2", "DHIS2"), make_good("mosip", "MOSIP")
    verified = make_deployment(world, good=dhis2, layer="information-systems", stage="national",
                               verification="verified", reach=1200, reach_unit="facilities",
                               reach_as_of=dt.date(2025, 6, 30))
    imported = make_deployment(world, good=mosip, layer="identity", stage="pilot", source_kind="import",
                               source_format="dha", source_file="DHA-Data.csv", source_row=12, source_person=None,
                               match_method="fuzzy", match_score=92.3, match_name="Mosip ID",
                               evidence_urls=["https://example.org/mosip-ke"])
    disputed = make_deployment(world, good=mosip, country="UG", layer="identity", stage="pilot",
                               verification="disputed", disputed_reason="No trace of it", agency=None,
                               agency_name="NIRA")
    stale = make_deployment(world, good=dhis2, country="UG", stage="scaling")
    Deployment.objects.filter(pk=stale.pk).update(created_at="2020-01-01T00:00:00Z")
    DeploymentPartner.objects.create(deployment=imported, role="implementer", organisation=world.other)
    DeploymentPartner.objects.create(deployment=verified, role="implementer", name="HISP Kenya")
    endorsement = endorsement_create(actor=world.actors["secretariat"], organisation=world.org,
                                     endorsed_on=dt.date(2025, 1, 10), signatory_role="Minister")
    pledge = pledge_create(actor=world.actors["member"], endorsement=endorsement, title="Fund MOSIP in Kenya",
                           types=["finance"], outcomes=["products"], countries=["KE"], good_ids=[mosip.pk],
                           pledged_on=dt.date(2025, 1, 15), ref="moh-1",
                           targets=[TargetInput(metric="Funding", currency="USD", target_value="10",
                                                deadline=dt.date(2030, 1, 1))])
    pledge_publish(actor=world.actors["secretariat"], pledge=pledge)
    pledge_create(actor=world.actors["member"], endorsement=endorsement, title="A draft plan", types=["finance"],
                  outcomes=["products"], countries=["KE"], pledged_on=dt.date(2025, 1, 15), ref="moh-2")
    return {"verified": verified, "imported": imported, "disputed": disputed, "stale": stale}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_country_page_and_its_json_twin_show_the_same(client, kenya):
    response = client.get("/countries/KE/")
    assert response.status_code == 200
    text = _text(response)
    assert "Digital public goods in Kenya" in text
    assert "2 deployments" in text and "1 verified" in text and "1 claimed" in text and "0 disputed" in text
    # by layer and stage, goods with verification state and reach
    assert "Digital identity" in text and "Information systems" in text
    assert "1200 facilities" in text
    assert "✓ Verified" in text and "? Claimed" in text
    # implementers and pledges (a draft is never shown)
    assert "Open Foundation" in text and "HISP Kenya" in text
    assert "Fund MOSIP in Kenya" in text and "A draft plan" not in text
    assert 'href="/api/v1/countries/KE"' in response.content.decode()
    body = client.get("/api/v1/countries/KE").json()
    assert (body["country"], body["alpha_3"], body["name"], body["deployments"]) == ("KE", "KEN", "Kenya", 2)
    assert body["verification"] == {"claimed": 1, "verified": 1, "disputed": 0}
    assert body["by_layer_and_stage"] == {"identity": {"pilot": 1}, "information-systems": {"national": 1}}
    assert [d["good"] for d in body["deployments_shown"]] == ["mosip", "dhis2"]
    assert {i["name"]: i["deployments"] for i in body["implementers"]} == {"Open Foundation": 1, "HISP Kenya": 1}
    assert [p["ref"] for p in body["pledges"]] == ["moh-1"]


def test_country_codes_alpha3_any_case_and_unknown(client, kenya):
    assert client.get("/countries/ken/").status_code == 301
    assert client.get("/countries/ken/")["Location"] == "/countries/KE/"
    assert client.get("/countries/ke/")["Location"] == "/countries/KE/"
    assert client.get("/api/v1/countries/uga").json()["country"] == "UG"
    assert client.get("/countries/XX/").status_code == 404
    assert client.get("/countries/narnia/").status_code == 404
    assert client.get("/api/v1/countries/XX").status_code == 404
    # a country with nothing deployed still has its page
    assert "No deployment is recorded in this country yet" in _text(client.get("/countries/FR/"))


def test_country_page_tells_stale_and_disputed_apart(client, kenya):
    text = _text(client.get("/countries/UG/"))
    assert "1 disputed" in text and "1 stale" in text
    assert "✗ Disputed" in text and "stale" in text


def test_countries_index_and_map(client, kenya):
    text = _text(client.get("/countries/"))
    assert "2 countries with deployments" in text and "4 deployments" in text
    response = client.get("/map/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<title id="map-title">' in html and '<desc id="map-desc">' in html
    assert re.search(r'<a href="/countries/KE/" aria-label="Kenya: 2 deployments"><title>Kenya: 2 deployments</title>'
                     r'<path class="m\d"', html)
    assert 'aria-label="Brazil: 0 deployments"><title>Brazil: 0 deployments</title><path class="m0"' in html
    assert len(re.findall(r"<path ", html)) == len(world_shapes()["countries"])
    assert "https://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # no outside tile or resource
    # the table beside gives the same numbers
    assert re.search(r'<a href="/countries/KE/">Kenya</a></th><td class="num">2</td><td class="num">1</td>', html)
    # filters by good, layer and stage; the JSON twin answers the same
    html = client.get("/map/?layer=identity").content.decode()
    assert 'aria-label="Kenya: 1 deployment"' in html and 'aria-label="Uganda: 1 deployment"' in html
    html = client.get("/map/?good=dhis2&stage=national").content.decode()
    assert 'aria-label="Kenya: 1 deployment"' in html and 'aria-label="Uganda: 0 deployments"' in html
    assert client.get("/api/v1/countries?good=dhis2&stage=national").json() == [
        {"country": "KE", "deployments": 1, "verified": 1, "disputed": 0, "stale": 0}]
    assert "is not a stage" in _text(client.get("/map/?stage=rolled-out"))
    assert len(client.get("/map/").content) < 120_000  # light on a slow connection


def test_map_and_country_page_queries_do_not_grow_with_deployments(client, world, kenya):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = (count("/map/"), count("/countries/KE/"))
    good = make_good("openmrs", "OpenMRS")
    for country in ("KE", "TZ", "RW", "BR", "IN"):
        for stage in ("pilot", "national"):
            make_deployment(world, good=good, country=country, stage=stage, layer="registries")
    assert (count("/map/"), count("/countries/KE/")) == before


def test_deployment_list_filters_and_detail(client, kenya):
    text = _text(client.get("/deployments/"))
    assert "4 deployments" in text
    assert "1 deployment" in _text(client.get("/deployments/?country=UGA&verification=disputed"))
    assert "2 deployments" in _text(client.get("/deployments/?good=mosip"))
    assert "1 deployment" in _text(client.get("/deployments/?layer=identity&stage=pilot&country=KE"))
    assert "is not an ISO 3166 country" in _text(client.get("/deployments/?country=Narnia"))
    imported = kenya["imported"]
    text = _text(client.get(f"/deployments/{imported.pk}/"))
    assert "MOSIP in Kenya" in text
    assert "Imported from DHA-Data.csv, row 12" in text
    assert "“Mosip ID”" in text and "score 92.3 of 100" in text
    assert "https://example.org/mosip-ke" in text
    assert "not confirmed by the deploying agency yet" in text
    assert "What you can do" not in text  # nobody signed in
    disputed = _text(client.get(f"/deployments/{kenya['disputed'].pk}/"))
    assert "Disputed by the secretariat: No trace of it" in disputed
    assert client.get("/deployments/999999/").status_code == 404


def test_agency_member_confirms_and_history_shows_it(client, world, kenya):
    imported = kenya["imported"]
    counts = {row["country"]: row["verified"] for row in client.get("/api/v1/countries").json()}
    assert counts == {"KE": 1, "UG": 0}  # now cached
    client.force_login(world.people["outsider"])
    page = _text(client.get(f"/deployments/{imported.pk}/"))
    assert "Confirm this deployment" not in page
    assert client.post(f"/deployments/{imported.pk}/confirm/").status_code == 403
    assert Deployment.objects.get(pk=imported.pk).verification == "claimed"
    client.force_login(world.people["member"])
    assert "Confirm this deployment" in _text(client.get(f"/deployments/{imported.pk}/"))
    response = client.post(f"/deployments/{imported.pk}/confirm/", follow=True)
    text = _text(response)
    assert "The deployment is confirmed" in text and "✓ Verified" in text
    assert "Deployment confirmed by the deploying agency" in text  # history section
    assert Deployment.objects.get(pk=imported.pk).verification == "verified"
    assert "2 verified" in _text(client.get("/countries/KE/"))
    # the map's cached counts follow the change at once
    assert {row["country"]: row["verified"] for row in client.get("/api/v1/countries").json()} == {"KE": 2, "UG": 0}


def test_secretariat_disputes_with_a_reason_and_withdraws(client, world, kenya):
    deployment = kenya["verified"]
    client.force_login(world.people["member"])
    assert client.post(f"/deployments/{deployment.pk}/dispute/", {"reason": "x"}).status_code == 403
    client.force_login(world.people["secretariat"])
    text = _text(client.post(f"/deployments/{deployment.pk}/dispute/", {"reason": ""}, follow=True))
    assert "Say why the deployment is disputed" in text
    text = _text(client.post(f"/deployments/{deployment.pk}/dispute/", {"reason": "The ministry denies it"},
                             follow=True))
    assert "Disputed by the secretariat: The ministry denies it" in text and "Withdraw the dispute" in text
    text = _text(client.post(f"/deployments/{deployment.pk}/resolve/", follow=True))
    assert "The dispute is withdrawn" in text
    assert Deployment.objects.get(pk=deployment.pk).verification == "claimed"
    assert client.post(f"/deployments/{deployment.pk}/bogus/").status_code == 404


def test_record_and_edit_forms(client, world, kenya):
    assert client.get("/deployments/new/").status_code == 302  # sign in first
    client.force_login(world.people["outsider"])
    response = client.post("/deployments/new/", {"good": "dhis2", "country": "Narnia", "agency": "moh-ke"})
    assert response.status_code == 400 and "is not an ISO 3166 country" in _text(response)
    response = client.post("/deployments/new/", {
        "good": "mosip", "country": "Tanzania", "agency": "moh-ke", "layer": "identity", "stage": "pilot",
        "reach": "5000", "reach_unit": "people", "implementers": "open-foundation\nAcme Ltd",
        "evidence_urls": "https://example.org/tz\n"})
    assert response.status_code == 302
    deployment = Deployment.objects.get(country="TZ")
    assert (deployment.agency, deployment.verification, deployment.source_person) == (
        world.org, "claimed", world.people["outsider"])
    assert [(p.organisation, p.name) for p in deployment.partners.order_by("pk")] == [
        (world.other, ""), (None, "Acme Ltd")]
    assert Activity.objects.filter(action="deployments.deployment.record").count() == 1
    # the recorder edits it, at the version seen; another person may not
    edit = client.get(f"/deployments/{deployment.pk}/edit/")
    assert 'value="open-foundation\nAcme Ltd"' in edit.content.decode() or "open-foundation\nAcme Ltd" in edit.content.decode()
    response = client.post(f"/deployments/{deployment.pk}/edit/", {
        "country": "TZ", "agency": "moh-ke", "layer": "identity", "stage": "scaling", "reach": "5000",
        "reach_unit": "people", "implementers": "open-foundation", "version": "0"})
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert (deployment.stage, deployment.version, deployment.evidence_urls) == ("scaling", 1, [])
    response = client.post(f"/deployments/{deployment.pk}/edit/", {"country": "TZ", "agency": "moh-ke",
                                                                   "version": "0"})
    assert response.status_code == 400 and "changed by someone else" in _text(response)
    client.force_login(world.people["other_admin"])
    assert client.get(f"/deployments/{deployment.pk}/edit/").status_code == 403


def test_implementers_page(client, kenya):
    text = _text(client.get("/implementers/"))
    assert "2 implementers" in text and "Open Foundation" in text and "HISP Kenya" in text
    assert "(named by a source, not registered)" in text
    assert "1 implementer" in _text(client.get("/implementers/?good=dhis2"))
    assert "0 implementers" in _text(client.get("/implementers/?country=UG"))


def test_good_page_links_to_its_deployments(client, kenya):
    text = _text(client.get("/goods/mosip/"))
    assert "2 deployments, 0 verified by the deploying agencies" in text
    assert "Kenya : 1 deployment" in text and "Uganda : 1 deployment, 1 disputed" in text
    html = client.get("/goods/mosip/").content.decode()
    assert 'href="/map/?good=mosip"' in html and 'href="/deployments/?good=mosip"' in html


def test_nav_has_countries(client, kenya):
    assert '<a href="/countries/" aria-current="page">Countries</a>' in client.get("/map/").content.decode()
