"""Sample data is never mixed silently with real data: the grid, the per-country and per-endorser views, the
lists, the API and the grid's CSV leave it out unless asked, and say so when they include it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from dpghub.catalog.models import Good
from dpghub.charter.models import Endorsement, Pledge
from dpghub.charter.sample import sample_create
from dpghub.charter.selectors import charter_grid, endorsements_list, pledges_list
from dpghub.common.history import Actor
from tests.charter.helpers import endorse, pledge, target

SYSTEM = Actor.system_job("test")


@pytest.fixture
def mixed(world):
    """One real published pledge (KE) and 15 sample pledges, some concerning KE."""
    Good.objects.create(slug="dhis2", name="DHIS2", stage="dpg")
    real = pledge(endorse(world.org, dt.date(2024, 1, 1)), "real-1", countries=("KE",), pledged_on=dt.date(2024, 1, 1))
    target(real, "money", 100, currency="EUR")
    sample_create(actor=SYSTEM, pledges=15, seed=4, today=timezone.localdate())
    sample_ke = Pledge.objects.filter(is_sample=True, country_links__country="KE").count()
    assert sample_ke > 0
    return {"sample_ke": sample_ke, "sample": Endorsement.objects.filter(is_sample=True).order_by("pk").first()}


def test_the_grid_and_lists_leave_sample_data_out_unless_asked(mixed):
    grid = charter_grid(viewer=None)
    assert (grid.totals.pledges, grid.includes_sample) == (1, False)
    with_sample = charter_grid(viewer=None, include_sample=True)
    assert (with_sample.totals.pledges, with_sample.includes_sample) == (16, True)
    assert charter_grid(viewer=None, country="KE").totals.pledges == 1
    assert charter_grid(viewer=None, country="KE", include_sample=True).totals.pledges == 1 + mixed["sample_ke"]
    assert [p.ref for p in pledges_list(viewer=None)] == ["real-1"]
    assert pledges_list(viewer=None, include_sample=True).count() == 16
    assert not endorsements_list(viewer=None).filter(is_sample=True).exists()
    assert endorsements_list(viewer=None, include_sample=True).filter(is_sample=True).count() == 12


def test_pages_leave_sample_data_out_and_mark_it_when_asked(client, mixed):
    page = client.get("/charter/").content.decode()
    assert "1 published pledge" in page and "Include sample data" in page and "Includes sample data" not in page
    page = client.get("/charter/", {"include_sample": "true"}).content.decode()
    assert "16 published pledges" in page and "Includes sample data" in page and "Show real data only" in page
    country = client.get("/charter/countries/KE/").content.decode()
    assert "real-1" in country and "SAMPLE-" not in country
    country = client.get("/charter/countries/KE/", {"include_sample": "true"}).content.decode()
    assert "SAMPLE-" in country and "Includes sample data" in country and "Sample data</strong>" in country
    endorsers = client.get("/charter/endorsers/").content.decode()
    assert "[Sample]" not in endorsers and "Include sample data" in endorsers
    assert "[Sample]" in client.get("/charter/endorsers/", {"include_sample": "true"}).content.decode()
    slug = mixed["sample"].organisation.slug
    own = client.get(f"/charter/endorsers/{slug}/").content.decode()  # a sample endorser's own page: marked
    assert "Sample data</strong>" in own and "Includes sample data" in own
    sample_ref = Pledge.objects.filter(is_sample=True).order_by("ref").first().ref
    assert "Sample data</strong>" in client.get(f"/charter/pledges/{sample_ref}/").content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get("/charter/grid.csv").content.decode())))
    assert {r["includes_sample"] for r in rows} == {"no"}
    assert {(r["type"], r["outcome"]) for r in rows if r["pledges"] != "0"} == {("finance", "products")}
    rows = list(csv.DictReader(io.StringIO(client.get("/charter/grid.csv", {"include_sample": "true"}).content.decode())))
    assert {r["includes_sample"] for r in rows} == {"yes"}


def test_the_api_leaves_sample_data_out_unless_asked(client, mixed):
    grid = client.get("/api/v1/charter/grid").json()
    assert (grid["totals"]["pledges"], grid["includes_sample"]) == (1, False)
    grid = client.get("/api/v1/charter/grid", {"include_sample": "true"}).json()
    assert (grid["totals"]["pledges"], grid["includes_sample"]) == (16, True)
    country = client.get("/api/v1/charter/countries/KE", {"include_sample": "true"}).json()
    assert country["totals"]["pledges"] == 1 + mixed["sample_ke"] and country["includes_sample"]
    listed = client.get("/api/v1/pledges").json()
    assert [(p["id"], p["is_sample"]) for p in listed["results"]] == [("real-1", False)]
    listed = client.get("/api/v1/pledges", {"include_sample": "true", "page_size": 200}).json()
    assert listed["count"] == 16 and sum(p["is_sample"] for p in listed["results"]) == 15
    assert not any(e["is_sample"] for e in client.get("/api/v1/endorsers").json())
    assert sum(e["is_sample"] for e in client.get("/api/v1/endorsers", {"include_sample": "true"}).json()) == 12
    slug = mixed["sample"].organisation.slug
    mine = client.get(f"/api/v1/charter/endorsers/{slug}").json()
    assert mine["includes_sample"] and mine["totals"]["pledges"] == Pledge.objects.filter(
        endorsement=mixed["sample"]).count()


def test_the_country_page_lists_its_pledges_a_page_at_a_time(client, world):
    endorsement = endorse(world.org)
    for number in range(55):
        pledge(endorsement, f"ke-{number:02d}", countries=("KE",), pledged_on=dt.date(2024, 1, 1))
    first = client.get("/charter/countries/KE/").content.decode()
    assert first.count('href="/charter/pledges/ke-') == 50
    assert "Page 1" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/charter/countries/KE/", {"page": "2"}).content.decode()
    assert second.count('href="/charter/pledges/ke-') == 5 and 'rel="prev"' in second
    assert client.get("/charter/countries/KE/", {"page": "x"}).status_code == 200
