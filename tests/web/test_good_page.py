"""A good's page on the shipped DPGA data (issue 17): what a ministry reads first, the assessment in
plain words, earlier assessments collapsed with what changed, provenance out of the way, short
country names, the exclusion shown, and schema.org JSON-LD."""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest
from django.test import Client

from dpghub.catalog.models import Good
from dpghub.catalog.services.importing import SHIPPED_DATA_DIR, goods_import
from tests.catalog.helpers import catalogue_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """The shipped DPGA records, imported once for this module and removed after it."""
    with django_db_blocker.unblock():
        goods_import(paths=[SHIPPED_DATA_DIR])
        yield
        catalogue_clear()


def _page(slug: str, language: str = "en") -> str:
    response = Client().get(f"/goods/{slug}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace squeezed."""
    fragment = re.sub(r"<script.*?</script>", " ", fragment, flags=re.DOTALL)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _without_provenance(page: str) -> str:
    """The page without the collapsed "where this comes from" parts (the only place for field paths)."""
    page = re.sub(r'<details class="provenance">.*?</details>', "", page, flags=re.DOTALL)
    return re.sub(r'<section aria-labelledby="sources" class="sources">.*?</section>', "", page, flags=re.DOTALL)


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start:end if end != -1 else len(page)]


def test_first_what_it_is_then_the_assessment_then_the_rest(shipped):
    page = _page("dhis2")
    order = ['<h1>DHIS2</h1>', 'id="facts-title"', 'id="assessment"', 'id="earlier"', 'id="sdgs"',
             'id="pledges-title"', 'id="history-title"', 'id="sources"']
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    glance = _text(_section(page, "facts-title"))
    assert "Status Digital public good" in glance
    assert "Licences BSD-3-Clause" in glance
    assert "Owned by DHIS2" in glance
    assert "Deployed in 88 countries" in glance and "Kenya" in glance
    assert "Developed in Norway, South Africa" in glance
    assert "Repository https://github.com/dhis2/dhis2-core" in glance
    assert "Automated screening Not screened yet." in glance
    assert "Assessment DPG Standard 1.1.5: 11 declared by the applicant, not reviewed here." in glance
    assert "SDGs 3. Good health and well-being; 4. Quality education; 13. Climate action;" in glance


def test_the_assessment_is_in_plain_words_without_field_paths_or_jargon(shipped):
    page = _page("dhis2")
    visible = _text(_without_provenance(page))
    for raw in ("sdgs.sdg", "sdgs.relevance", "platformIndependence", "whose meaning is inverted", "NonPII",
                "clearOwnership", "registry-2026-07-sample.json", "(from "):
        assert raw not in visible, raw
    current = _section(page, "assessment")
    assert "<dt>Uses closed components</dt><dd>No</dd>" in current  # the inverted field, as a plain question
    assert "<p>SDGs declared: 3, 4, 13, 17</p>" in current
    # statuses and their counts are not run together ("... not reviewed here 11")
    assert "not reviewed here 11" not in visible
    assert "<li><strong>11</strong> Declared by the applicant, not reviewed here</li>" in current
    # the statement quoted from a field is in "what the applicant wrote", once, with its links
    assert current.count("HISP Centre, University of Oslo") == 1
    assert '<a href="https://dhis2.org/about/" rel="nofollow">https://dhis2.org/about/</a>' in current
    # ... and the field paths are all still there, collapsed
    provenance = re.search(r'<details class="provenance">(.*?)</details>', current, re.DOTALL).group(1)
    assert "<code>dpga-registry:12094</code>" in provenance
    assert "<code>registry-2026-07-sample.json: platformIndependence.isPlatformIndependent</code>" in provenance


def test_earlier_assessments_are_collapsed_with_what_changed(shipped):
    page = _page("dhis2")
    current = _section(page, "assessment")
    assert len(re.findall(r"<h3 id=\"assessment-\d+\">", current)) == 1
    assert "DPG Standard 1.1.5, assessed on July 13, 2026</h3>" in current
    changes = _text(re.search(r'<div class="changes-box">(.*?)</div>', current, re.DOTALL).group(1))
    assert changes.startswith("Changes since the record before: Standard version 1.1.4 → 1.1.5")
    earlier = _section(page, "earlier")
    boxes = re.findall(r'<details class="earlier">\s*<summary>([^<]+)</summary>', earlier)
    assert boxes == ["1 earlier record, with what changed each time", "10 crowdsourced reviews by volunteers"]
    assert "DPG Standard 1.1.4, assessed on Jan. 13, 2023</h3>" in earlier
    # crowd reviews say what changed from one review to the next, in words
    assert re.search(r"<li>1 Relevance to Sustainable Development Goals: (Pass → Fail|Fail → Pass)</li>", earlier)
    # nothing of the earlier ones is open on arrival
    assert " open>" not in earlier


def test_country_names_are_short_in_every_language(shipped):
    glance = {language: _text(_section(_page("dhis2", language), "facts-title")) for language in ("en", "fr", "es")}
    assert "Democratic Republic of the Congo" in glance["en"] and "Congo, The Democratic" not in glance["en"]
    assert "Tanzania," in glance["en"] and "United Republic" not in glance["en"]
    assert "Congo-Kinshasa" in glance["fr"] and "Tanzanie" in glance["fr"] and "République unie" not in glance["fr"]
    assert "República Democrática del Congo" in glance["es"] and "Tanzania" in glance["es"]


def test_an_excluded_good_shows_why_and_when(shipped):
    glance = _text(_section(_page("acceda"), "facts-title"))
    assert "Status Excluded" in glance
    assert ("Excluded Removed from the nominee list when the DPG Standard's criteria changed "
            "(publicgoods-candidates excluded-nominees) The date of the exclusion is not recorded in the source.") in glance
    good = Good.objects.get(slug="acceda")
    good.excluded_on = "2023-01-13"
    good.save()
    assert "Excluded on Jan. 13, 2023" in _text(_section(_page("acceda"), "facts-title"))


def _json_ld(page: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.mark.parametrize(("slug", "kind"), [
    ("dhis2", "SoftwareSourceCode"),
    ("agrovoc-multilingual-thesaurus", "Dataset"),
    ("african-storybook", "CreativeWork"),
    ("citylearn", "CreativeWork"),
])
def test_json_ld_describes_the_good(shipped, slug, kind):
    data = _json_ld(_page(slug))
    good = Good.objects.get(slug=slug)
    assert data["@context"] == "https://schema.org" and data["@type"] == kind
    assert data["name"] == good.name and data["identifier"] == str(good.uid)
    assert data["url"] == f"http://testserver/goods/{slug}/"
    assert data["license"] == [f"https://spdx.org/licenses/{lic.expression}" for lic in good.licenses.all()]
    if kind == "SoftwareSourceCode":
        assert data["codeRepository"] == "https://github.com/dhis2/dhis2-core"
        assert {"@type": "Country", "name": "Kenya", "identifier": "KE"} in data["spatialCoverage"]
        assert data["creator"][0]["@type"] == "Organization"


def test_json_ld_cannot_close_its_script_element(shipped):
    good = Good.objects.get(slug="dhis2")
    good.name = "DHIS2 </script><script>alert(1)</script>"
    good.save()
    page = _page("dhis2")
    assert "<script>alert(1)" not in page
    assert _json_ld(page)["name"] == good.name
