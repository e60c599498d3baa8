"""The Charter's pages: the grid (table, SVG, CSV), endorsers, pledges, and the forms that call the services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dpghub.catalog.models import Good
from dpghub.charter.enums import PledgeStatus, Verification
from dpghub.charter.models import Endorsement, Pledge, ProgressReport, Rating
from dpghub.charter.services import (
    TargetInput,
    endorsement_create,
    pledge_create,
    pledge_publish,
    report_submit,
    report_verify,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
PLEDGED = dt.date(2025, 1, 15)


def _endorse(world, org=None):
    return endorsement_create(actor=world.actors["secretariat"], organisation=org or world.org,
                              endorsed_on=dt.date(2025, 1, 10), statement="We endorse.",
                              signatory_role="Minister of Health")


def _pledge(world, endorsement, *, title="Fund DHIS2 in Kenya", publish=True, good=None, ref="",
            currency="USD", amount="1000"):
    pledge = pledge_create(
        actor=world.actors["member"] if endorsement.organisation == world.org else world.actors["secretariat"],
        endorsement=endorsement, title=title, types=["finance"], outcomes=["products"], countries=["KE"],
        good_ids=[good.pk] if good else [], pledged_on=PLEDGED, ref=ref,
        targets=[TargetInput(metric="Core funding", currency=currency, target_value=amount,
                             deadline=dt.date(2030, 12, 31))])
    if publish:
        pledge = pledge_publish(actor=world.actors["secretariat"], pledge=pledge)
    return pledge


@pytest.fixture
def charter(world):
    good = Good.objects.create(slug="dhis2", name="DHIS2")
    endorsement = _endorse(world)
    published = _pledge(world, endorsement, good=good, ref="moh-1")
    draft = _pledge(world, endorsement, title="A secret plan", publish=False, ref="moh-2")
    return {"good": good, "endorsement": endorsement, "published": published, "draft": draft}


def _report(world, pledge, value="400", verify=False):
    target = pledge.targets.get()
    report = report_submit(actor=world.actors["member"], target=target, reported_on=TODAY(), value=value,
                           status="on-track", narrative="Paid the first tranche.",
                           evidence_url="https://example.org/receipt")
    if verify:
        report = report_verify(actor=world.actors["secretariat"], report=report)
    return report


def _cell(html: str, label: str) -> str:
    """The text of the grid table's row for ``label`` (a type)."""
    row = re.search(r'<th scope="row">' + re.escape(label) + r"</th>(.*?)</tr>", html, re.S)
    assert row is not None, label
    return row.group(1)


# -- public pages --------------------------------------------------------------------------------------

def test_the_public_pages_render_for_anonymous_visitors(client, charter):
    for path in ("/charter/", "/charter/endorsers/", "/charter/endorsers/moh-ke/", "/charter/pledges/moh-1/",
                 "/charter/countries/KE/", "/goods/dhis2/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "A secret plan" not in html, path
        assert 'href="/charter/" aria-current="page"' in html or path == "/goods/dhis2/"
    assert client.get("/charter/endorsers/nobody/").status_code == 404
    assert client.get("/charter/pledges/nope/").status_code == 404
    assert client.get("/charter/countries/XX/").status_code == 404


def test_a_draft_is_not_found_for_others_and_shown_to_its_members(client, charter, world):
    assert client.get("/charter/pledges/moh-2/").status_code == 404
    client.force_login(world.people["outsider"])
    assert client.get("/charter/pledges/moh-2/").status_code == 404
    assert "A secret plan" not in client.get("/charter/endorsers/moh-ke/").content.decode()
    client.force_login(world.people["member"])
    html = client.get("/charter/pledges/moh-2/").content.decode()
    assert "A secret plan" in html and "Publish the pledge" in html
    assert "A secret plan" in client.get("/charter/endorsers/moh-ke/").content.decode()


def test_the_endorser_profile_lists_pledges_with_state(client, charter, settings):
    settings.DPGHUB_CHARTER_REPORTING_PERIOD_DAYS = 100_000  # pledged within one period: green
    html = client.get("/charter/endorsers/moh-ke/").content.decode()
    assert "Minister of Health" in html and "We endorse." in html
    assert "Fund DHIS2 in Kenya" in html
    assert '<span class="light light-green"><span aria-hidden="true">●</span> Reported within the reporting period' in html
    assert "Not rated yet" in html
    settings.DPGHUB_CHARTER_REPORTING_PERIOD_DAYS = 1  # never reported, pledged more than three periods ago
    html = client.get("/charter/endorsers/moh-ke/").content.decode()
    assert "Inactive: no report for two periods" in html
    assert 'href="/api/v1/endorsers/moh-ke"' in html
    assert 'href="/api/v1/charter/endorsers/moh-ke?as_of=' in html
    assert 'href="/charter/grid.csv?as_of=' in html and "endorser=moh-ke" in html
    assert re.search(r'class="pledges" data-n="(\d+)"', html).group(1) == "1"  # its grid: the finance cell
    assert 'name="endorser_type"' not in html


def test_endorsers_list_filters_by_type_and_country(client, charter, world):
    _endorse(world, world.other)
    html = client.get("/charter/endorsers/").content.decode()
    assert "Ministry of Health" in html and "Open Foundation" in html
    html = client.get("/charter/endorsers/?type=foundation").content.decode()
    assert "Open Foundation" in html and "Ministry of Health" not in html
    html = client.get("/charter/endorsers/?country=ke").content.decode()
    assert "Ministry of Health" in html and "Open Foundation" not in html


# -- the grid ------------------------------------------------------------------------------------------

def test_the_grid_shows_counts_money_per_currency_and_gaps_in_words(client, charter, world):
    _report(world, charter["published"], value="400", verify=True)
    html = client.get("/charter/").content.decode()
    finance = _cell(html, "Finance")
    assert "1 pledge</span>, 1 endorser" in finance
    assert "USD: 1000.00 pledged, 400.00 reported, of which 400.00 verified" in finance
    assert "Pledges with progress" in finance
    learn = _cell(html, "Learn and advocate")
    assert learn.count("No pledge") == 5 and learn.count('aria-hidden="true">○</span>') == 5
    assert "DPG Hub applies no conversion table" in html
    assert 'href="/api/v1/charter/grid?as_of=' in html and 'href="/charter/grid.csv?as_of=' in html


def test_a_cell_with_pledges_but_nothing_delivered_says_so_and_self_reported_money_is_not_verified(
        client, charter, world):
    finance = _cell(client.get("/charter/").content.decode(), "Finance")
    products = finance.split("</td>")[0]
    assert '<span class="marker" aria-hidden="true">△</span> Pledges, but nothing delivered yet' in products
    assert "USD: 1000.00 pledged, 0.00 reported, of which 0.00 verified" in products
    _report(world, charter["published"], value="300")  # self-reported only
    products = _cell(client.get("/charter/").content.decode(), "Finance").split("</td>")[0]
    assert "USD: 1000.00 pledged, 300.00 reported, of which 0.00 verified" in products
    assert '<span class="marker" aria-hidden="true">✓</span> Pledges with progress' in products


def test_the_svg_chart_has_a_title_and_the_tables_numbers(client, charter, world):
    other = _endorse(world, world.other)
    _pledge(world, other, title="Second", ref="of-1")
    html = client.get("/charter/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title id=\"chart-title\">Pledges per cell of the grid</title>" in svg
    assert "<desc id=\"chart-desc\">" in svg
    chart_numbers = [int(n) for n in re.findall(r'class="n heat-text-\d">(\d+)</text>', svg)]
    table_numbers = [int(n) for n in re.findall(r'class="pledges" data-n="(\d+)"', html)]
    assert len(chart_numbers) == 15
    assert chart_numbers == table_numbers
    assert chart_numbers[0] == 2 and sum(chart_numbers) == 2


def test_grid_filters_as_of_country_type_and_good(client, charter, world):
    def finance_pledges(query):
        html = client.get("/charter/" + query).content.decode()
        return int(re.search(r'class="pledges" data-n="(\d+)"', html).group(1))

    assert finance_pledges("") == 1
    assert finance_pledges("?as_of=2025-01-14") == 0  # the day before it was pledged
    assert finance_pledges("?country=KE") == 1
    assert finance_pledges("?country=SN") == 0
    assert finance_pledges("?endorser_type=foundation") == 0
    assert finance_pledges("?endorser_type=government&good=dhis2") == 1
    html = client.get("/charter/?as_of=3000-01-01&country=zz").content.decode()
    assert "The grid is shown as of today at the latest." in html
    assert "“ZZ” is not an ISO 3166 country code" in html


def test_grid_csv_has_one_row_per_cell_and_currency(client, charter, world):
    _report(world, charter["published"], value="400")
    response = client.get("/charter/grid.csv?country=KE")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="dpghub-charter-grid-{TODAY().isoformat()}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 15
    finance = rows[0]
    assert finance == {
        "as_of": TODAY().isoformat(), "country": "KE", "endorser_type": "", "endorser": "", "good": "",
        "includes_sample": "no", "type": "finance",
        "outcome": "products", "pledges": "1", "endorsers": "1", "completed": "0", "late": "0", "overdue": "0",
        "gap": "none", "currency": "USD", "pledged": "1000.00", "reported": "400.00",
        "reported_verified": "0.00", "reported_self_reported": "400.00",
    }
    assert rows[1]["pledges"] == "0" and rows[1]["gap"] == "no-pledge" and rows[1]["currency"] == ""
    other = _endorse(world, world.other)
    _pledge(world, other, title="Second", ref="of-1", currency="EUR")
    rows = list(csv.DictReader(io.StringIO(client.get("/charter/grid.csv?endorser=open-foundation").content.decode())))
    assert [(r["endorser"], r["pledges"], r["currency"], r["pledged"]) for r in rows[:1]] == [
        ("open-foundation", "1", "EUR", "1000.00")]
    rows = list(csv.DictReader(io.StringIO(client.get("/charter/grid.csv").content.decode())))
    assert [(r["pledges"], r["currency"], r["pledged"]) for r in rows[:2]] == [("2", "EUR", "1000.00"),
                                                                               ("2", "USD", "1000.00")]


def test_grid_page_queries_do_not_grow_with_pledges(client, charter, world):
    client.get("/charter/")  # warm caches (content types, sessions)
    cache.clear()  # compare two computations of the grid, not a computation with a cached grid
    with CaptureQueriesContext(connection) as one:
        assert client.get("/charter/").status_code == 200
    other = _endorse(world, world.other)
    _pledge(world, other, title="Second", ref="of-1", currency="EUR")
    _pledge(world, other, title="Third", ref="of-2", good=charter["good"])
    cache.clear()
    with CaptureQueriesContext(connection) as three:
        assert client.get("/charter/").status_code == 200
    assert len(one) == len(three)
    assert "3 published pledges" in client.get("/charter/").content.decode()


def test_country_page_shows_the_grid_and_pledges(client, charter):
    html = client.get("/charter/countries/ke/").content.decode()
    assert "The Charter in Kenya" in html and "Fund DHIS2 in Kenya" in html
    assert 'href="/api/v1/charter/countries/KE?as_of=' in html


def test_good_page_lists_published_pledges(client, charter):
    html = client.get("/goods/dhis2/").content.decode()
    section = html[html.index('id="pledges-title"'):]
    assert "Fund DHIS2 in Kenya" in section and "A secret plan" not in section
    assert 'href="/charter/?good=dhis2"' in section


# -- the pledge page: verified and self-reported, actions ----------------------------------------------

def test_pledge_page_always_says_verified_or_self_reported(client, charter, world):
    report = _report(world, charter["published"], value="400")
    html = client.get("/charter/pledges/moh-1/").content.decode()
    assert "400.00 USD</span> · <span class=\"verification verification-self-reported\">Self-reported</span>" in html
    assert "Paid the first tranche." in html and 'href="https://example.org/receipt"' in html
    assert 'href="/goods/dhis2/">DHIS2</a>' in html and 'href="/charter/countries/KE/">Kenya</a>' in html
    assert "Finance · Products" in html
    before = client.get("/charter/pledges/moh-1/?as_of=2025-06-01").content.decode()
    assert "Latest value as of June 1, 2025</dt>\n  <dd>no report yet</dd>" in before
    report_verify(actor=world.actors["secretariat"], report=report)
    html = client.get("/charter/pledges/moh-1/").content.decode()
    assert "400.00 USD</span> · <span class=\"verification verification-verified\">Verified by the secretariat</span>" in html
    assert "Self-reported" not in html


def test_the_pledge_form_guides_then_saves_a_draft(client, charter, world):
    client.force_login(world.people["member"])
    assert client.get("/charter/pledges/new/?endorser=moh-ke").status_code == 200
    data = {"endorser": "moh-ke", "title": "Train health workers", "types": ["learn-advocate"],
            "outcomes": ["capacity"], "countries": "KE", "goods": "", "pledged_on": PLEDGED.isoformat(),
            "t1-metric": "People trained", "t1-unit": "people", "t1-target_value": "500", "check": "1"}
    checked = client.post("/charter/pledges/new/?endorser=moh-ke", data).content.decode()
    assert "A target has no deadline: say by when it will be met." in checked
    assert "The pledge names no digital public good" in checked
    assert Pledge.objects.count() == 2
    data.pop("check")
    bad = client.post("/charter/pledges/new/?endorser=moh-ke", {**data, "t2-metric": "Money", "t2-currency": "XYZ",
                                                                "t2-target_value": "5", "save": "1"})
    assert bad.status_code == 400
    assert "“XYZ” is not an ISO 4217 currency code" in bad.content.decode() and Pledge.objects.count() == 2
    no_due = client.post("/charter/pledges/new/?endorser=moh-ke", {**data, "t1-milestone": "Curriculum", "save": "1"})
    assert no_due.status_code == 400 and "A milestone needs a title and the date it is due" in no_due.content.decode()
    data.update({"goods": "dhis2", "t1-deadline": "2027-06-30", "t1-milestone": "Curriculum ready",
                 "t1-milestone_due": "2026-03-31", "save": "1"})
    response = client.post("/charter/pledges/new/?endorser=moh-ke", data)
    pledge = Pledge.objects.get(title="Train health workers")
    assert response.status_code == 302 and response["Location"] == f"/charter/pledges/{pledge.ref}/"
    assert pledge.status == PledgeStatus.DRAFT and pledge.countries == ["KE"]
    assert list(pledge.goods.values_list("slug", flat=True)) == ["dhis2"]
    target = pledge.targets.get()
    assert (target.metric, target.unit, target.target_value, target.deadline) == (
        "People trained", "people", Decimal("500.00"), dt.date(2027, 6, 30))
    assert list(target.milestones.values_list("title", "due_on")) == [("Curriculum ready", dt.date(2026, 3, 31))]
    assert "Curriculum ready" in client.get(f"/charter/pledges/{pledge.ref}/").content.decode()


def test_pledge_form_is_for_the_endorsers_members(client, charter, world):
    assert client.get("/charter/pledges/new/?endorser=moh-ke").status_code == 302  # sign in first
    client.force_login(world.people["outsider"])
    assert client.get("/charter/pledges/new/?endorser=moh-ke").status_code == 403
    assert client.get("/charter/pledges/new/?endorser=nobody").status_code == 404


def test_publish_report_verify_and_rate_through_the_pages(client, charter, world):
    client.force_login(world.people["member"])
    response = client.post("/charter/pledges/moh-2/publish/", follow=True)
    assert "The pledge is published: it is now public." in response.content.decode()
    assert Pledge.objects.get(ref="moh-2").status == PledgeStatus.PUBLISHED
    target = Pledge.objects.get(ref="moh-2").targets.get()
    response = client.post(f"/charter/pledges/moh-2/targets/{target.pk}/report/",
                           {"reported_on": TODAY().isoformat(), "value": "250", "status": "on-track",
                            "narrative": "Half way", "evidence_url": "https://example.org/a"}, follow=True)
    assert "shows as self-reported until the secretariat verifies it" in response.content.decode()
    report = ProgressReport.objects.get(target=target)
    assert report.value == Decimal("250.00") and report.verification == Verification.SELF_REPORTED
    again = client.post(f"/charter/pledges/moh-2/targets/{target.pk}/report/",
                        {"reported_on": TODAY().isoformat(), "value": "260", "status": "on-track"}, follow=True)
    assert "already has a report as of" in again.content.decode() and ProgressReport.objects.count() == 1
    # a member may not verify: the domain refuses, the page answers 403, nothing changes
    assert client.post(f"/charter/reports/{report.pk}/verify/").status_code == 403
    assert "Ask for more evidence" not in client.get("/charter/pledges/moh-2/").content.decode()
    client.force_login(world.people["secretariat"])
    response = client.post(f"/charter/reports/{report.pk}/request-evidence/", {"note": "The receipt, please."},
                           follow=True)
    assert "More evidence is requested" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).verification == Verification.MORE_EVIDENCE
    assert "More evidence requested" in response.content.decode()
    response = client.post(f"/charter/reports/{report.pk}/verify/", {"note": ""}, follow=True)
    assert "The report is verified." in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).verification == Verification.VERIFIED
    response = client.post("/charter/pledges/moh-2/rate/", {"ambition": "substantial", "completion": "limited",
                                                            "reasons": "Clear target, early days."}, follow=True)
    html = response.content.decode()
    assert "The rating is recorded." in html and "Ambition: Substantial; completion: Limited" in html
    assert Rating.objects.get().reasons == "Clear target, early days."
    assert "Progress report verified" in html and "Pledge published" in html  # the History section
    empty = client.post("/charter/pledges/moh-2/rate/", {"ambition": "substantial", "completion": "limited",
                                                         "reasons": ""}, follow=True)
    assert "This field is required." in empty.content.decode() and Rating.objects.count() == 1


def test_withdraw_and_wrong_actions(client, charter, world):
    client.force_login(world.people["outsider"])
    assert client.post("/charter/pledges/moh-1/withdraw/").status_code == 403
    assert client.post("/charter/pledges/moh-2/publish/").status_code == 404  # a draft they cannot see
    client.force_login(world.people["member"])
    assert client.post("/charter/pledges/moh-1/explode/").status_code == 404
    assert client.get("/charter/pledges/moh-1/withdraw/").status_code == 405
    response = client.post("/charter/pledges/moh-1/publish/", follow=True)
    assert "cannot be “publish”" in response.content.decode()
    client.post("/charter/pledges/moh-1/withdraw/")
    assert Pledge.objects.get(ref="moh-1").status == PledgeStatus.WITHDRAWN
    html = client.get("/charter/pledges/moh-1/").content.decode()
    assert "This pledge was withdrawn" in html and "Report progress" not in html


def test_endorse_form_for_org_admins(client, world):
    client.force_login(world.people["member"])
    assert client.get("/charter/endorse/moh-ke/").status_code == 403
    html = client.get("/charter/endorsers/").content.decode()
    assert "has not endorsed the Charter; its administrators may" in html and "/charter/endorse/" not in html
    client.force_login(world.people["admin"])
    assert 'href="/charter/endorse/moh-ke/">Endorse the Charter for Ministry of Health</a>' in (
        client.get("/charter/endorsers/").content.decode())
    bad = client.post("/charter/endorse/moh-ke/", {"endorsed_on": "3000-01-01"})
    assert bad.status_code == 400 and "This date is in the future." in bad.content.decode()
    response = client.post("/charter/endorse/moh-ke/", {"endorsed_on": "2025-02-01", "signatory_role": "Minister",
                                                         "statement": "Yes."})
    assert response.status_code == 302 and response["Location"] == "/charter/endorsers/moh-ke/"
    endorsement = Endorsement.objects.get()
    assert (endorsement.endorsed_on, endorsement.signatory_role, endorsement.statement) == (
        dt.date(2025, 2, 1), "Minister", "Yes.")
    assert 'href="/charter/pledges/new/?endorser=moh-ke">Register a pledge for Ministry of Health</a>' in (
        client.get("/charter/endorsers/").content.decode())
    again = client.post("/charter/endorse/moh-ke/", {"endorsed_on": "2025-02-01"})
    assert again.status_code == 400 and "has already endorsed the Charter" in again.content.decode()
