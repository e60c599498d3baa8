"""The shipped DPGA data, imported once for this module: counts, repairs, privacy, idempotency."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from dpghub.catalog.enums import AssessmentSource, ExternalIdScheme, IndicatorStatus, Stage
from dpghub.catalog.models import (
    Assessment,
    Contact,
    ExternalId,
    Good,
    ImportRun,
    IndicatorResult,
    Organisation,
    Provenance,
)
from dpghub.catalog.services.exporting import goods_export
from dpghub.catalog.services.importing import SHIPPED_DATA_DIR, goods_import
from dpghub.common.models import Activity
from dpghub.core.formats.dpga.records import EXCLUDED_REASON
from tests.catalog.helpers import catalogue_clear, catalogue_dump, catalogue_dump_natural

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """Import the shipped data once; remove it after the module so other tests see an empty catalogue."""
    with django_db_blocker.unblock():
        result = goods_import(paths=[SHIPPED_DATA_DIR])
        yield result
        catalogue_clear()


def _good(legacy_slug=None, application=None) -> Good:
    scheme, value = ((ExternalIdScheme.LEGACY_SLUG, legacy_slug) if legacy_slug
                     else (ExternalIdScheme.DPGA_APPLICATION, application))
    return ExternalId.objects.get(scheme=scheme, value=value).good


def test_goods_per_stage(shipped):
    # Candidates (publicgoods-candidates, 2023): 228 nominees + 486 archive + 41 excluded files,
    # 5 stems are both in nominees/ and archive/ (geoprism-registry, growstuff, oer-commons,
    # open-concept-lab, opentelerehab) -> 750 goods; the 166 screening records all join a stem
    # of those (164 in nominees/, yallakhedmeh and public-utility-data-liberation-project in archive/).
    # Before the registry: nominees/ gives 165 DPG + 63 nominee (the live list wins over archive/),
    # archive-only 486 - 5 = 481 archived, excluded 41.
    # Registry 2026: 142 records (all DPG); 63 merge into candidate goods (41 by repository, 21 by
    # name, 1 by website; OpenRIMS-PV is refused because OpenRIMS already matched that good), so
    # 142 - 63 = 79 new goods. Of the 63 merged goods 3 were nominees and 9 archived: they become DPG.
    # dpg 165 + 79 + 3 + 9 = 256; nominee 63 - 3 = 60; archived 481 - 9 = 472; excluded 41.
    # Total 750 + 79 = 829.
    assert shipped.stages == {"archived": 472, "dpg": 256, "excluded": 41, "nominee": 60}
    assert Good.objects.count() == 829
    assert dict(Counter(Good.objects.values_list("stage", flat=True))) == {
        Stage.ARCHIVED: 472, Stage.DPG: 256, Stage.EXCLUDED: 41, Stage.NOMINEE: 60}
    assert shipped.stats["matching"]["merged"] == 63
    merged_by = Counter(e["detail"].rsplit("(by ", 1)[1].rstrip(")") for e in shipped.report
                        if e.get("kind") == "merged")
    assert merged_by == {"repository": 41, "name": 21, "website": 1}


def test_external_ids_and_provenance(shipped):
    assert dict(Counter(ExternalId.objects.values_list("scheme", flat=True))) == {
        "legacy-slug": 750, "dpga-application": 142, "dpgid": 142}
    # 228 + 166 + 486 + 41 candidates records, 142 registry records, 205 reviews (all matched)
    assert Provenance.objects.count() == 228 + 166 + 486 + 41 + 142 + 205
    aam = _good(legacy_slug="aam-digital")
    assert sorted(aam.provenances.values_list("source_key", "source_file")) == [
        ("dpga-candidates:digitalpublicgoods/aam-digital", "digitalpublicgoods/aam-digital.json"),
        ("dpga-candidates:nominees/aam-digital", "nominees/aam-digital.json"),
        ("dpga-registry:11862", "registry-2026-07-sample.json"),
    ]
    assert all(len(p.record_sha256) == 64 and p.import_run_id == shipped.run_id for p in aam.provenances.all())


def test_one_good_with_both_provenances(shipped):
    digit = _good(application="10024")
    assert digit.name == "DIGIT" and digit.stage == Stage.DPG
    assert sorted(digit.external_ids.values_list("scheme", "value")) == [
        ("dpga-application", "10024"), ("dpgid", "GID0090024"), ("legacy-slug", "digit")]
    assert digit.aliases[0] == "Digital Infrastructure for Governance, Impact and Transformation"
    assert sorted(digit.provenances.values_list("shape", flat=True)) == [
        "dpga-candidates-nominee", "dpga-candidates-screening", "dpga-registry"]
    assert list(digit.sdgs.values_list("sdg", flat=True)) == [9, 11, 17]
    assert digit.assessments.count() == 2


def test_stages_from_folders(shipped):
    archived_only = _good(legacy_slug="2020policebrutality")
    assert archived_only.stage == Stage.ARCHIVED
    renominated = _good(legacy_slug="geoprism-registry")  # archive/ and nominees/ (DPG)
    assert renominated.stage == Stage.DPG
    excluded = Good.objects.filter(stage=Stage.EXCLUDED)
    assert excluded.count() == 41
    assert set(excluded.values_list("excluded_reason", flat=True)) == {EXCLUDED_REASON}
    assert not excluded.filter(excluded_on__isnull=False).exists()
    unmapped = [u for e in shipped.report for u in e.get("unmapped", ()) if u["field"] == "excluded_on"]
    assert len(unmapped) == 41


def test_countries_licences_sdgs_repaired(shipped):
    kolibri = _good(legacy_slug="kolibri")  # candidates only: countries from its screening record
    deployment = set(kolibri.countries.filter(role="deployment").values_list("country", flat=True))
    assert {"PS", "TZ", "CI", "CD", "CZ", "SZ", "MM", "KP"} <= deployment and len(deployment) == 184  # 184 names, all mapped
    kobo = _good(legacy_slug="kobotoolbox")
    assert list(kobo.licenses.values_list("expression", "source_text")) == [("AGPL-3.0-only", "AGPL-3.0")]
    dhis2 = Good.objects.get(external_ids__scheme="dpga-application", external_ids__value__in=list(
        ExternalId.objects.filter(good__name="DHIS2", scheme="dpga-application").values_list("value", flat=True)))
    assert dhis2.countries.filter(country="CI", role="deployment").exists()  # "Côte d" truncated
    kosovo = [e["source"] for e in shipped.report for u in e.get("unmapped", ()) if u["value"] == "Kosovo"]
    assert len(kosovo) == 2
    repairs = shipped.stats["repairs"]
    assert repairs["inverted-field"] == 142
    assert repairs["sdg-from-label"] == 381
    assert repairs["cedilla-to-comma"] == 77
    assert repairs["fragments-rejoined"] == 514


def test_assessments(shipped):
    imported = Assessment.objects.filter(source=AssessmentSource.IMPORTED)
    assert imported.count() == 750 + 142
    assert Assessment.objects.filter(source=AssessmentSource.CROWD_REVIEW).count() == 205
    assert IndicatorResult.objects.filter(assessment__source=AssessmentSource.IMPORTED).count() == (750 + 142) * 11
    assert not IndicatorResult.objects.filter(assessment__source=AssessmentSource.IMPORTED,
                                              status=IndicatorStatus.PASS).exists()
    assert set(imported.filter(provenance__shape="dpga-registry").values_list("standard_version__version",
                                                                               flat=True)) == {"1.1.5"}
    assert set(imported.exclude(provenance__shape="dpga-registry").values_list("standard_version__version",
                                                                                flat=True)) == {"1.1.4"}
    aam = _good(legacy_slug="aam-digital").assessments.get(provenance__shape="dpga-candidates-nominee")
    three = aam.results.get(indicator="3")
    assert three.status == IndicatorStatus.DECLARED
    assert three.source_fields == ["digitalpublicgoods/aam-digital.json: clearOwnership.isOwnershipExplicit",
                                   "digitalpublicgoods/aam-digital.json: clearOwnership.copyrightURL"]
    assert aam.results.get(indicator="9b").status == IndicatorStatus.DECLARED  # collectStoreDistribute "No"
    assert aam.results.get(indicator="1").source_fields == ["nominees/aam-digital.json: SDGs"]
    digit = _good(application="10024").assessments.get(provenance__shape="dpga-registry")
    four = digit.results.get(indicator="4")
    assert four.summary.startswith("uses closed components: No")
    nominee_only = _good(legacy_slug="2020policebrutality").assessments.get()
    assert list(nominee_only.results.values_list("indicator", "status")) == [
        ("1", "declared"), ("2", "declared")] + [(code, "no-evidence") for code in
                                                 ("3", "4", "5", "6", "7", "8", "9a", "9b", "9c")]


def test_crowd_reviews(shipped):
    fineract = Good.objects.get(external_ids__value="apache-fineract")
    reviews = fineract.assessments.filter(source=AssessmentSource.CROWD_REVIEW)
    assert reviews.count() == 19
    statuses = set(IndicatorResult.objects.filter(assessment__in=reviews).values_list("status", flat=True))
    assert statuses <= {"pass", "fail"}
    confidences = set(IndicatorResult.objects.filter(assessment__in=reviews).values_list("confidence", flat=True))
    assert confidences <= {None, 1, 2, 3, 4, 5}
    stored = json.dumps([list(Provenance.objects.filter(shape="dpga-candidates-review").values()),
                         list(IndicatorResult.objects.filter(assessment__in=reviews).values())], default=str)
    assert "AriadneBigheti" not in stored and "318anushka" not in stored and "gokulsan" not in stored


def test_personal_data_only_in_contacts(shipped):
    emails = set(Contact.objects.exclude(email="").values_list("email", flat=True))
    names = set(Contact.objects.exclude(name="").values_list("name", flat=True))
    assert "sebastian@aam-digital.com" in emails and len(emails) == 350 and Contact.objects.count() == 390
    public = json.dumps([list(Good.objects.values()), list(Organisation.objects.values()),
                         list(ImportRun.objects.values("report", "stats")), list(Activity.objects.values("data"))],
                        default=str)
    assert not [email for email in emails if email in public]
    assert "Sebastian Leidig" not in public
    assert len(names) == 300


def test_export_json_and_csv_leave_personal_data_out(shipped):
    import io

    stream = io.StringIO()
    assert goods_export(format="json", stream=stream) == 829
    data = json.loads(stream.getvalue())
    assert data["format"] == "dpghub-goods/1" and len(data["goods"]) == 829
    digit = next(g for g in data["goods"] if {"scheme": "dpga-application", "value": "10024"} in g["external_ids"])
    assert digit["stage"] == "dpg" and [s["sdg"] for s in digit["sdgs"]] == [9, 11, 17]
    assert digit["countries"]["development"] == ["IN"]
    assert "contacts" not in digit
    assert "neil.roy@egovernments.org" not in stream.getvalue()
    csv_stream = io.StringIO()
    assert goods_export(format="csv", stream=csv_stream) == 829
    lines = csv_stream.getvalue().splitlines()
    assert lines[0].startswith("uid,slug,name,stage,categories")
    assert "sebastian@aam-digital.com" not in csv_stream.getvalue()
    with_pd = io.StringIO()
    goods_export(format="json", stream=with_pd, include_personal_data=True)
    assert "sebastian@aam-digital.com" in with_pd.getvalue()
    again = io.StringIO()
    goods_export(format="json", stream=again)
    assert again.getvalue() == stream.getvalue()


def test_reimport_changes_nothing(shipped):
    before = catalogue_dump()
    runs, activities = ImportRun.objects.count(), Activity.objects.count()
    result = goods_import(paths=[SHIPPED_DATA_DIR])
    assert catalogue_dump() == before
    assert (result.goods_created, result.goods_updated, result.goods_unchanged) == (0, 0, 829)
    assert result.touched_good_ids == []
    assert ImportRun.objects.count() == runs + 1 and Activity.objects.count() == activities + 1
    activity = Activity.objects.get(target_id=str(result.run_id), action="catalog.import.run")
    assert activity.actor_label == "system:importer" and activity.actor is None


def test_small_batches_store_the_same_catalogue(shipped):
    """Writing 37 goods (and 37 reviews) at a time, in 24 batches, gives the catalogue one batch gives:
    records of one good in different files and shapes still become one good, merges across the
    registry and the candidates still happen, organisations are shared, reviews find their goods."""
    before = catalogue_dump_natural()
    report = [e for e in shipped.report if "kind" in e]
    catalogue_clear()
    result = goods_import(paths=[SHIPPED_DATA_DIR], batch_size=37)
    assert catalogue_dump_natural() == before
    assert (result.goods_created, result.records) == (829, 1268)
    assert [e for e in result.report if "kind" in e] == report
