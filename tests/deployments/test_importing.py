"""Importers on real excerpts (tests/data/deployments, with their quirks): matching, row errors, policy,
idempotence, dry runs, and what a person changed being left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from dpghub.catalog.models import GoodCountry
from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.deployments.errors import DeploymentsPermissionDenied, ImportFailed, InvalidDeployment
from dpghub.deployments.importing import deployments_import, deployments_import_registry
from dpghub.deployments.models import Deployment, DeploymentImportRun, DeploymentPartner
from dpghub.deployments.services import deployment_confirm
from dpghub.orgs.models import Organisation
from tests.deployments.helpers import DATA

SYSTEM = Actor.system_job("test")


def _claims():
    return sorted(Deployment.objects.values_list("source_row", "country", "good__slug", "match_method", "match_score",
                                                 "match_name", "stage", "verification"))


def test_mapmatch_refuses_the_file_when_a_row_cannot_be_read(registry):
    with pytest.raises(ImportFailed) as caught:
        deployments_import(actor=SYSTEM, format="mapmatch", path=DATA / "mapmatch-excerpt.csv")
    assert caught.value.errors == [{"row": 8, "reason": "country: “Kosovo” is not an ISO 3166 country"}]
    assert Deployment.objects.count() == 0
    assert DeploymentImportRun.objects.count() == 0


def test_mapmatch_with_skip_invalid(registry):
    report = deployments_import(actor=SYSTEM, format="mapmatch", path=DATA / "mapmatch-excerpt.csv", skip_invalid=True)
    assert _claims() == [
        (2, "AL", "openmrs", "exact", 100.0, "OpenMRS", "", "claimed"),
        (4, "BW", "open-data-kit", "alias", 100.0, "ODK", "", "claimed"),
        (5, "BI", "dhis2", "exact", 100.0, "DHIS2", "", "claimed"),
        (6, "BI", "community-health-toolkit", "fuzzy", 92.3, "Community Health Toolkit (CHT)", "", "claimed"),
        (9, "MR", "opensrp", "fuzzy", 100.0, "Open SRP", "", "claimed"),
        (10, "TT", "rapidpro", "exact", 100.0, "RapidPro", "national", "claimed"),
    ]
    assert report.errors == [{"row": 8, "reason": "country: “Kosovo” is not an ISO 3166 country"}]
    assert report.skipped == [{"row": 7, "reason": "no country: “Global”"}]
    assert [(u["row"], u["name"], u["reason"]) for u in report.unmatched] == [
        (3, "Project Optimize", "no-similar-name"), (4, "SurveyCTO", "no-similar-name")]
    assert report.stats["created"] == 6 and report.stats["names_matched"] == {"alias": 1, "exact": 3, "fuzzy": 2}
    albania = Deployment.objects.get(source_row=2)
    assert (albania.source_kind, albania.source_format, albania.source_file, albania.source_key) == (
        "import", "mapmatch", "mapmatch-excerpt.csv", "mapmatch:mapmatch-excerpt.csv:2")
    burundi = Deployment.objects.get(source_row=5)
    assert burundi.scope == "Regional ,Clients: 0, Health Workers: 0, Facilities: 0"
    assert list(burundi.partners.filter(role="implementer").values_list("name", flat=True)) == [
        "Burundi MOH", "University of Oslo"]
    # multi-line cell: "IPA\n\nYoung 1ove, Young 1love, SurveyCTO"
    assert list(Deployment.objects.get(source_row=4).partners.values_list("name", flat=True)) == [
        "IPA", "Young 1ove", "Young 1love", "SurveyCTO"]
    assert Deployment.objects.get(source_row=6).notes == "NTD Country Data Systems Assessment"
    run = DeploymentImportRun.objects.get()
    assert run.report["unmatched"][0] == {
        "row": 3, "name": "Project Optimize", "reason": "no-similar-name",
        "candidates": [{"good": "rapidpro", "score": 41.7}, {"good": "community-health-toolkit", "score": 35.0},
                       {"good": "openmrs", "score": 34.8}]}
    assert run.stats == {"created": 6, "updated": 0, "unchanged": 0, "kept": 0, "row_errors": 1, "rows_skipped": 1,
                         "not_in_file": 0, "names_matched": {"alias": 1, "exact": 3, "fuzzy": 2}, "names_unmatched": 2}
    assert Activity.objects.filter(action="deployments.import.run").count() == 1


def test_dha_dates_coverage_and_broken_rows(registry):
    with pytest.raises(ImportFailed) as caught:
        deployments_import(actor=SYSTEM, format="dha", path=DATA / "dha-excerpt.csv")
    assert caught.value.errors == [
        {"row": 7, "reason": "1 cell(s) where the header has 24 (a line broken out of a cell?)"},
        {"row": 9, "reason": "End Date: “Invalid Date” is not a date (dd/mm/yyyy)"}]
    report = deployments_import(actor=SYSTEM, format="dha", path=DATA / "dha-excerpt.csv", skip_invalid=True)
    assert _claims() == [
        (4, "SL", "dhis2", "exact", 100.0, "DHIS2", "national", "claimed"),
        (5, "BF", "commcare", "exact", 100.0, "Commcare", "national", "claimed"),
        (8, "NP", "community-health-toolkit", "exact", 100.0, "Community Health Toolkit", "national", "claimed"),
    ]
    assert [(u["row"], u["name"]) for u in report.unmatched] == [(2, "Vumi"), (3, "Hoji"), (6, "OpenHMIS")]
    burkina = Deployment.objects.get(source_row=5)
    assert (burkina.started_on, burkina.ended_on, burkina.reach, burkina.reach_unit, burkina.agency_name) == (
        dt.date(2013, 12, 31), dt.date(2019, 12, 30), 2_200_000, "people", "Terre des Hommes")
    # the Repository, Mobile Application and Wiki cells, in that order
    assert burkina.evidence_urls == [
        "https://docs.google.com/document/d/1SXKMdsAnGPmu_j1TNfYK66KD6XPiWcMs6VPyFDtHe2U/edit?usp=sharing",
        "http://ieda-project.org/"]
    sierra_leone = Deployment.objects.get(source_row=4)
    assert (sierra_leone.reach, sierra_leone.reach_unit) == (1250, "facilities")
    assert list(sierra_leone.partners.values_list("role", "name")) == [
        ("funder", "Centers for Disease Control (USA)"), ("implementer", "CDC"), ("implementer", "WHO"),
        ("implementer", "eHealth Africa"), ("implementer", "GIZ")]


def test_digital_square_one_claim_per_good_and_country(registry):
    report = deployments_import(actor=SYSTEM, format="digital-square", path=DATA / "digital-square-excerpt.csv")
    assert sorted(Deployment.objects.filter(country="ZW").values_list("good__slug", flat=True)) == [
        "bahmni", "commcare", "community-health-toolkit", "dhis2", "open-data-kit", "rapidpro"]
    assert sorted(Deployment.objects.order_by("country").values_list("country", flat=True).distinct()) == ["CI", "KR", "TZ", "ZW"]
    assert Deployment.objects.get(country="KR").source_key == "digital-square:digital-square-excerpt.csv:KR:odk"
    assert {u["name"] for u in report.unmatched} >= {"OpenClinic GA", "OpenFn", "SanteMPI"}
    assert report.errors == []


def test_guidebook_records(registry):
    report = deployments_import(actor=SYSTEM, format="guidebook", path=DATA / "cht.json")
    assert Deployment.objects.count() == 20
    assert set(Deployment.objects.values_list("match_method", "match_score", "match_name", "sector")) == {
        ("fuzzy", 92.3, "Community Health Toolkit (CHT)", "health")}
    kenya = Deployment.objects.get(country="KE")
    assert kenya.source_key == "guidebook:cht.json:cht:KE"
    assert DeploymentPartner.objects.filter(deployment=kenya, role="funder").count() == 20
    assert report.matches == {"community health toolkit (cht)": {
        "name": "Community Health Toolkit (CHT)", "good": "community-health-toolkit", "method": "fuzzy",
        "score": 92.3}}


def test_a_higher_threshold_lists_the_fuzzy_names_as_unmatched(registry):
    report = deployments_import(actor=SYSTEM, format="guidebook", path=DATA / "cht.json", threshold=95)
    assert Deployment.objects.count() == 0
    assert report.unmatched[0] == {"row": 1, "name": "Community Health Toolkit (CHT)", "reason": "no-similar-name",
                                   "candidates": [{"good": "community-health-toolkit", "score": 92.3},
                                                  {"good": "open-data-kit", "score": 29.3},
                                                  {"good": "commcare", "score": 27.8}]}


def test_reimport_changes_nothing_and_leaves_what_a_person_confirmed(world, registry):
    deployments_import(actor=SYSTEM, format="dha", path=DATA / "dha-excerpt.csv", skip_invalid=True)
    claim = Deployment.objects.get(source_row=4)
    Organisation.objects.filter(pk=world.org.pk).update(country="SL")
    claim.agency = world.org
    claim.save()
    deployment_confirm(actor=world.actors["member"], deployment=claim)
    before = list(Deployment.objects.order_by("pk").values())
    partners = list(DeploymentPartner.objects.order_by("pk").values())
    report = deployments_import(actor=SYSTEM, format="dha", path=DATA / "dha-excerpt.csv", skip_invalid=True)
    assert (report.created, report.updated, report.unchanged, report.kept) == (0, 0, 2, 1)
    assert list(Deployment.objects.order_by("pk").values()) == before
    assert list(DeploymentPartner.objects.order_by("pk").values()) == partners


def test_a_changed_row_updates_its_claim(registry, tmp_path):
    changed = tmp_path / "dha-excerpt.csv"
    changed.write_text((DATA / "dha-excerpt.csv").read_text(encoding="utf-8").replace("Terre des Hommes,", "Terre des Hommes Lausanne,"),
                       encoding="utf-8")
    deployments_import(actor=SYSTEM, format="dha", path=DATA / "dha-excerpt.csv", skip_invalid=True)
    report = deployments_import(actor=SYSTEM, format="dha", path=changed, skip_invalid=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Deployment.objects.get(source_row=5).agency_name == "Terre des Hommes Lausanne"


def test_dry_run_reports_and_stores_nothing(registry):
    report = deployments_import(actor=SYSTEM, format="mapmatch", path=DATA / "mapmatch-excerpt.csv",
                                skip_invalid=True, dry_run=True)
    assert (report.created, report.run_id, report.dry_run) == (6, None, True)
    assert Deployment.objects.count() == 0
    assert DeploymentImportRun.objects.count() == 0
    assert Activity.objects.filter(action__startswith="deployments.").count() == 0


def test_a_file_of_another_format_is_refused(registry):
    with pytest.raises(InvalidDeployment) as caught:
        deployments_import(actor=SYSTEM, format="dha", path=DATA / "mapmatch-excerpt.csv")
    assert "the header lacks" in caught.value.message
    with pytest.raises(InvalidDeployment):
        deployments_import(actor=SYSTEM, format="guidebook", path=DATA / "dha-excerpt.csv")


def test_import_is_for_the_secretariat_and_operators(world, registry):
    with pytest.raises(DeploymentsPermissionDenied):
        deployments_import(actor=world.actors["admin"], format="guidebook", path=DATA / "cht.json")
    deployments_import(actor=world.actors["secretariat"], format="guidebook", path=DATA / "cht.json")
    assert Deployment.objects.count() == 20


def test_registry_deployment_countries(registry):
    GoodCountry.objects.create(good=registry["dhis2"], country="KE", role="deployment")
    GoodCountry.objects.create(good=registry["dhis2"], country="NO", role="development")
    report = deployments_import_registry(actor=SYSTEM)
    assert list(Deployment.objects.values_list("good__slug", "country", "source_kind", "verification")) == [
        ("dhis2", "KE", "registry", "claimed")]
    assert report.created == 1
    assert deployments_import_registry(actor=SYSTEM).unchanged == 1
    assert Deployment.objects.count() == 1


def test_a_claim_whose_name_no_longer_matches_is_listed_not_deleted(registry):
    deployments_import(actor=SYSTEM, format="guidebook", path=DATA / "cht.json")
    report = deployments_import(actor=SYSTEM, format="guidebook", path=DATA / "cht.json", threshold=95)
    assert report.created == 0
    assert report.not_in_file == sorted(Deployment.objects.values_list("pk", flat=True))
    assert len(report.not_in_file) == 20
