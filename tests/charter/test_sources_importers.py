"""The real-data importers on small real excerpts (tests/data/charter, licences in tests/data/README.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dpghub.catalog.models import Good, GoodOrganisation
from dpghub.catalog.models import Organisation as CatalogOrganisation
from dpghub.charter.enums import CharterAction, TargetStatus, Verification
from dpghub.charter.exchange import ExchangeError
from dpghub.charter.models import Endorsement, Pledge, ProgressReport
from dpghub.charter.sources import (
    FLOWS_METRIC,
    FLOWS_SOURCE,
    GUIDEBOOK_SOURCE,
    LETTERS_SOURCE,
    flows_import,
    guidebook_import,
    letters_import,
    name_key,
)
from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.orgs.models import Organisation

DATA = Path(__file__).resolve().parent.parent / "data" / "charter"
SYSTEM = Actor.system_job("test")


def _state() -> tuple:
    return (Organisation.objects.count(), Endorsement.objects.count(), Pledge.objects.count(),
            ProgressReport.objects.count(), Activity.objects.count())


def _letters(**kwargs):
    return letters_import(actor=SYSTEM, text=(DATA / "signatures-excerpt.yml").read_text(encoding="utf-8"), **kwargs)


def _flows(**kwargs):
    return flows_import(actor=SYSTEM, text=(DATA / "iati-flows-excerpt.csv").read_text(encoding="utf-8"), **kwargs)


def test_letters_make_endorsers_with_source_and_role_not_names(db):
    qgis = Good.objects.create(slug="qgis", name="QGIS")
    globaleaks = Good.objects.create(slug="globaleaks", name="GlobaLeaks")
    owner = CatalogOrganisation.objects.create(name="GLOBALEAKS", normalized_name="globaleaks")
    GoodOrganisation.objects.create(good=globaleaks, organisation=owner, role="owner")
    GoodOrganisation.objects.create(good=qgis, organisation=CatalogOrganisation.objects.create(name="QGIS", normalized_name="qgis"),
                                    role="owner")
    report = _letters()
    names = sorted(Organisation.objects.values_list("name", flat=True))
    assert names == ["Bangladesh NGOs Network for Radio and Communication (BNNRC)", "GlobaLeaks",
                     "LibreCode Cooperative", "OPENGIS.ch", "Open Knowledge Brasil", "OpenSPP"]
    opengis = Endorsement.objects.get(organisation__name="OPENGIS.ch")
    assert opengis.signatory_role == "CEO, Chair, Creator"
    assert opengis.source == LETTERS_SOURCE and opengis.endorsed_on == dt.date(2026, 7, 14)
    assert not Endorsement.objects.filter(signatory_role__icontains="Bernasocchi").exists()
    assert Pledge.objects.count() == 0  # the letter states no numbers
    assert report.notes["signatures without an organisation"] == 1
    assert report.notes["organisations written as a list of fields (merged)"] == 1
    assert report.notes["organisations without a web address"] == 2
    assert report.details["goods_of_endorsers"]["OPENGIS.ch"] == ["qgis"]
    assert report.notes["registry links not matching a registered good"] == 4  # 6 links, 2 goods registered
    # the same name is the same organisation; OPENGIS.ch stands for QGIS but is not the owner "QGIS"
    assert list(Organisation.objects.get(name="GlobaLeaks").catalog_organisations.all()) == [owner]
    assert not Organisation.objects.get(name="OPENGIS.ch").catalog_organisations.exists()
    assert report.result.counts["endorsers linked to the registry's owners"] == 1
    assert Organisation.objects.get(name="Open Knowledge Brasil").type == "civil-society"


def test_letters_import_is_idempotent_and_dry_run_changes_nothing(db):
    before = _state()
    assert _letters(dry_run=True).result.counts["endorsements created"] == 6
    assert _state() == before
    _letters()
    middle = _state()
    assert dict(_letters().result.counts) == {}
    assert _state()[:4] == middle[:4]
    assert Activity.objects.filter(action=CharterAction.IMPORT_RUN.value).count() == 2


def test_flows_become_finance_pledges_with_spending_as_progress(db):
    report = _flows()
    assert report.notes == {"HXL hashtag rows skipped": 1, "flows without an amount skipped": 2,
                            "incoming flows skipped (the receiver's view)": 1,
                            "funders with spending but no commitment (no pledge)": 2}
    assert sorted(Pledge.objects.values_list("ref", flat=True)) == [
        "iati-covid19-bill-and-melinda-gates-foundation", "iati-covid19-centre-de-recherches-pour-le-developpement-international"]
    crdi = Pledge.objects.get(ref="iati-covid19-centre-de-recherches-pour-le-developpement-international")
    assert crdi.types == ["finance"] and crdi.source == FLOWS_SOURCE
    assert crdi.endorsement.organisation.type == "government"  # IATI type 15, other public sector
    target = crdi.targets.get()
    assert (target.metric, target.currency, target.unit, target.target_value) == (
        FLOWS_METRIC, "USD", "", Decimal("1179703"))  # 973100 + 206603
    progress = target.reports.get()
    assert (progress.value, progress.status, progress.verification) == (
        Decimal("495859"), TargetStatus.ON_TRACK, Verification.SELF_REPORTED)  # 432368 + 63491
    gates = Pledge.objects.get(ref="iati-covid19-bill-and-melinda-gates-foundation")
    assert gates.endorsement.organisation.type == "foundation"
    assert gates.targets.get().reports.get().status == TargetStatus.COMPLETED  # spent more than committed


def test_flows_reimport_changes_nothing(db):
    _flows()
    before = _state()
    assert dict(_flows().result.counts) == {}
    assert _state()[:4] == before[:4]


def test_guidebook_funders_become_endorsers_and_no_pledges(db):
    report = guidebook_import(actor=SYSTEM, path=DATA / "guidebook")
    assert sorted(Organisation.objects.values_list("name", flat=True)) == [
        "AMPATH", "Bill & Melinda Gates Foundation", "Gavi Alliance", "Norwegian Agency for Development Cooperation (Norad)",
        "OpenMRS Foundation", "PEPFAR", "Partners In Health", "The Global Fund", "USAID", "World Bank"]
    assert Pledge.objects.count() == 0
    assert report.notes["funders given as a bare name"] == 10
    assert report.notes["groups that are not one organisation skipped"] == 1
    assert report.notes["goods naming no funder"] == 1
    assert report.notes["funders named again (merged)"] == 4
    assert report.details["supports_without_numbers"]["USAID"] == [
        "CommCare", "Open Health Information Exchange (OpenHIE) Architecture Specification", "OpenMRS"]
    types = dict(Organisation.objects.values_list("name", "type"))
    assert types["USAID"] == "government"
    assert types["World Bank"] == "international-organisation"
    assert types["OpenMRS Foundation"] == "foundation"
    assert Endorsement.objects.get(organisation__name="PEPFAR").source == GUIDEBOOK_SOURCE


def test_a_second_source_never_moves_an_endorsement_date(db):
    _flows()
    gates = Endorsement.objects.get(organisation__name="Bill and Melinda Gates Foundation")
    guidebook_import(actor=SYSTEM, path=DATA / "guidebook" / "commcare.json")
    gates.refresh_from_db()
    assert (gates.endorsed_on, gates.source) == (dt.date(2021, 5, 31), FLOWS_SOURCE)


@pytest.mark.parametrize(("name", "key"), [
    ("The Global Fund", "global fund"), ("Bill & Melinda Gates Foundation", "bill and melinda gates foundation"),
    ("Norwegian Agency for Development Cooperation (Norad)", "norwegian agency for development cooperation"),
    ("Fundação  Getúlio Vargas", "fundacao getulio vargas"),
])
def test_name_key(name, key):
    assert name_key(name) == key


def test_only_the_secretariat_imports_real_data(world):
    before = _state()
    with pytest.raises(ExchangeError):
        flows_import(actor=world.actors["member"], text=(DATA / "iati-flows-excerpt.csv").read_text(encoding="utf-8"))
    assert _state() == before
