"""The secretariat's spreadsheets: import, row errors, all-or-nothing, dry run, idempotency, round trip."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from dpghub.charter.enums import CharterAction, PledgeStatus, Verification
from dpghub.charter.exchange import (
    ExchangeError,
    ImportRejected,
    charter_json_write,
    pledges_csv_write,
    pledges_import,
    reports_csv_write,
    reports_import,
)
from dpghub.charter.models import Endorsement, Pledge, PledgeCell, PledgeCountry, ProgressReport, Target
from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.orgs.models import Organisation
from tests.charter.exchange_data import (
    PLEDGE_HEADER,
    PLEDGES,
    REPORT_HEADER,
    REPORTS,
    goods_make,
    pledges_with,
)

SYSTEM = Actor.system_job("test")


def _import(text: str, **kwargs):
    return pledges_import(actor=SYSTEM, stream=io.BytesIO(text.encode()), source="spreadsheet:test.csv", **kwargs)


def _reports(text: str, **kwargs):
    return reports_import(actor=SYSTEM, stream=io.BytesIO(text.encode()), source="spreadsheet:r.csv", **kwargs)


def _state() -> tuple:
    return (Organisation.objects.count(), Endorsement.objects.count(), Pledge.objects.count(),
            Target.objects.count(), ProgressReport.objects.count(), Activity.objects.count())


def _errors(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ImportRejected) as caught:
        _import(text)
    return [(e.row, e.column) for e in caught.value.errors]


@pytest.fixture
def goods(db):
    return goods_make()


def test_import_creates_published_pledges_with_targets_cells_and_countries(goods):
    result = _import(PLEDGES)
    assert dict(result.counts) == {"organisations created": 2, "endorsements created": 2, "pledges created": 2,
                                   "targets created": 3}
    pledge = Pledge.objects.get(ref="P-1")
    assert pledge.status == PledgeStatus.PUBLISHED and pledge.published_at is not None
    assert pledge.endorsement.organisation.type == "government"
    assert pledge.endorsement.organisation.country == "KE"
    assert pledge.countries == ["KE", "UG"]
    assert sorted(g.slug for g in pledge.goods.all()) == ["dhis2", "odk"]
    assert sorted(PledgeCell.objects.filter(pledge=pledge).values_list("type", "outcome")) == [
        ("finance", "capacity"), ("finance", "products")]
    assert sorted(PledgeCountry.objects.filter(pledge=pledge).values_list("country", flat=True)) == ["KE", "UG"]
    funding = Target.objects.get(pledge=pledge, metric="Funding")
    assert (funding.currency, funding.unit, funding.target_value, funding.baseline) == ("USD", "", Decimal("1000000"),
                                                                                        Decimal("0"))
    assert pledge.source == "spreadsheet:test.csv"


def test_import_writes_history_per_object_and_one_run_row(goods):
    _import(PLEDGES)
    actions = list(Activity.objects.filter(action__startswith="charter.").values_list("action", flat=True))
    assert actions.count(CharterAction.ENDORSEMENT_CREATE.value) == 2
    assert actions.count(CharterAction.PLEDGE_CREATE.value) == 2
    assert actions.count(CharterAction.PLEDGE_PUBLISH.value) == 2
    assert actions.count(CharterAction.TARGET_CREATE.value) == 3
    run = Activity.objects.get(action=CharterAction.IMPORT_RUN.value)
    assert run.actor_label == "system:test"
    assert run.data["rows"] == 3 and run.data["counts"]["pledges created"] == 2
    assert Activity.objects.filter(action="orgs.organisation.create").count() == 2


def test_reimport_changes_nothing(goods):
    _import(PLEDGES)
    _reports(REPORTS)
    before = _state()
    assert dict(_import(PLEDGES).counts) == {}
    assert dict(_reports(REPORTS).counts) == {}
    # only the two import-run rows are new
    assert _state()[:5] == before[:5]
    assert _state()[5] == before[5] + 2


def test_dry_run_reports_what_would_change_and_changes_nothing(goods):
    before = _state()
    result = _import(PLEDGES, dry_run=True)
    assert result.dry_run is True
    assert result.counts["pledges created"] == 2
    assert _state() == before


def test_reports_dry_run_changes_nothing(goods):
    _import(PLEDGES)
    before = _state()
    result = _reports(REPORTS, dry_run=True)
    assert (result.dry_run, dict(result.counts)) == (True, {"reports created": 3})
    assert _state() == before


def test_a_changed_row_updates_the_pledge_and_records_it(goods):
    _import(PLEDGES)
    result = _import(PLEDGES.replace("Translate QGIS", "Translate QGIS and QField"))
    assert dict(result.counts) == {"pledges changed": 1}
    assert Pledge.objects.get(ref="P-2").title == "Translate QGIS and QField"
    change = Activity.objects.get(action=CharterAction.PLEDGE_UPDATE.value)
    assert change.changes == {"title": {"before": "Translate QGIS", "after": "Translate QGIS and QField"}}


def test_reimport_under_another_file_name_changes_nothing(goods):
    _import(PLEDGES)
    again = pledges_import(actor=SYSTEM, stream=io.StringIO(PLEDGES), source="spreadsheet:export-2026.csv")
    assert dict(again.counts) == {}
    assert Pledge.objects.get(ref="P-1").source == "spreadsheet:test.csv"


def test_bom_is_accepted(goods):
    result = pledges_import(actor=SYSTEM, stream=io.BytesIO(b"\xef\xbb\xbf" + PLEDGES.encode()), source="bom.csv")
    assert result.counts["pledges created"] == 2


ROW = ("P-3,Gov,government,BR,2025-01-01,Title,,finance,products,qgis,BR,Money,,,100,EUR,2025-12-31,2025-03-01")


@pytest.mark.parametrize(("replace", "expected", "fragment"), [
    (("finance", "fund"), [(5, "types")], "“fund” is not one of the pledge types: finance, design-share-deploy, learn-advocate."),
    (("products", "product"), [(5, "outcomes")], "“product” is not one of the outcomes: products, capacity, implementation, safeguards-inclusion, extended-ecosystem."),
    (("qgis,BR", "qgs,BR"), [(5, "goods")], "“qgs” is not a registered good (closest: qgis)."),
    (("qgis,BR,", "qgis,XX,"), [(5, "countries")], "“XX” is not an ISO 3166"),
    (("Money,,", "Money,EUR,"), [(5, "unit")], "A money target has a currency and no unit."),
    (("100,EUR", "100,"), [(5, "unit")], "A target needs a unit (e.g. people trained), or a currency for an amount of money."),
    (("2025-12-31,2025-03-01", "2025-02-01,2025-03-01"), [(5, "deadline")], "The deadline (2025-02-01) is before the pledge was made (2025-03-01)."),
    (("2025-01-01", "2025-13-01"), [(5, "endorsed_on")], "“2025-13-01” is not a date (YYYY-MM-DD)."),
    (("100,EUR", "100,EURO"), [(5, "currency")], "“EURO” is not an ISO 4217 currency code."),
    (("100,EUR", "lots,EUR"), [(5, "target")], "“lots” is not a number."),
    (("100,EUR", "100.005,EUR"), [(5, "target")], "“100.005” has more than two decimals."),
    (("Title", "T" * 301), [(5, "title")], "At most 300 characters (this cell has 301)."),
    (("government", "ministry"), [(5, "endorser_type")], "“ministry” is not one of the endorser types: government, private-sector, foundation, civil-society, international-organisation, academia."),
])
def test_each_row_error_names_row_column_and_problem(goods, replace, expected, fragment):
    before = _state()
    with pytest.raises(ImportRejected) as caught:
        _import(pledges_with(ROW.replace(*replace)))
    assert [(e.row, e.column) for e in caught.value.errors] == expected
    message = caught.value.errors[0].message
    assert message == fragment if fragment.endswith(".") else fragment in message
    assert _state() == before  # the three good rows were not applied either


def test_rows_of_one_ref_must_agree(goods):
    disagreeing = PLEDGES.replace("P-2,Open Foundation,foundation,,2024-11-05,Translate QGIS",
                                  "P-1,Ministry of ICT,government,KEN,2025-01-10,Translate QGIS")
    with pytest.raises(ImportRejected) as caught:
        _import(disagreeing)
    found = [(e.row, e.column) for e in caught.value.errors]
    assert found[:4] == [(4, "title"), (4, "description"), (4, "types"), (4, "outcomes")]
    assert caught.value.errors[0].message == ("Rows of pledge “P-1” disagree: row 2 says “Fund DHIS2”, this row "
                                              "“Translate QGIS”.")
    assert Pledge.objects.count() == 0


def test_every_error_is_reported_at_once(goods):
    assert _errors(PLEDGE_HEADER + ROW.replace("finance", "x").replace("BR,Money", "ZZ,Money") + "\n") == [
        (2, "types"), (2, "countries")]


def test_missing_column_is_an_error(goods):
    assert _errors("ref,endorser\nP-1,X\n")[:2] == [(1, "endorser_type"), (1, "endorser_country")]


def test_reports_import_and_verification(goods):
    _import(PLEDGES)
    result = _reports(REPORTS)
    assert dict(result.counts) == {"reports created": 3}
    first, second = ProgressReport.objects.filter(target__metric="Funding").order_by("reported_on")
    assert (first.verification, second.verification) == (Verification.VERIFIED, Verification.SELF_REPORTED)
    assert first.verified_at is not None and second.verified_at is None
    assert second.value == Decimal("400000.50")
    assert ProgressReport.objects.get(target__metric="Languages added").verification == Verification.SELF_REPORTED


@pytest.mark.parametrize(("row", "expected", "message"), [
    ("P-9,Funding,2025-06-30,1,on-track,,,", (2, "pledge_ref"), "No pledge “P-9”."),
    ("P-1,Money,2025-06-30,1,on-track,,,", (2, "metric"),
     "Pledge “P-1” has no target “Money” (it has: Developers trained; Funding)."),
    ("P-1,Funding,2025-06-30,1,late,,,", (2, "status"), "“late” is not one of the statuses: not-started, on-track, "
     "at-risk, delayed, completed, withdrawn."),
    ("P-1,Funding,30/06/2025,1,on-track,,,", (2, "reported_on"), "“30/06/2025” is not a date (YYYY-MM-DD)."),
    ("P-1,Funding,2025-06-30,1,on-track,,ftp://example.org/x,", (2, "evidence_url"),
     "“ftp://example.org/x” is not a web address (http:// or https://)."),
    ("P-1,Funding,2025-06-30,1e30,on-track,,,", (2, "value"), "“1e30” is too large."),
    ("P-1,Funding,2025-06-30,1,on-track,,,checked", (2, "verification"), "“checked” is not one of the verification "
     "values: self-reported, verified, more-evidence."),
])
def test_report_row_errors(goods, row, expected, message):
    _import(PLEDGES)
    before = _state()
    with pytest.raises(ImportRejected) as caught:
        _reports(REPORT_HEADER + row + "\n" + REPORTS.split("\n", 1)[1])
    assert [(e.row, e.column) for e in caught.value.errors] == [expected]
    assert caught.value.errors[0].message == message
    assert _state() == before


def test_an_import_never_rewrites_a_report(goods):
    _import(PLEDGES)
    _reports(REPORTS)
    with pytest.raises(ImportRejected) as caught:
        _reports(REPORTS.replace("250000,on-track", "260000,on-track"))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "value")]
    assert ProgressReport.objects.get(reported_on="2025-06-30").value == Decimal("250000")


def test_an_import_may_verify_a_self_reported_report(goods):
    _import(PLEDGES)
    _reports(REPORTS)
    result = _reports(REPORTS.replace("on-track,,,self-reported", "on-track,,,verified"))
    assert dict(result.counts) == {"reports verified": 1}
    assert ProgressReport.objects.get(target__metric="Languages added").verification == Verification.VERIFIED
    assert Activity.objects.filter(action=CharterAction.REPORT_VERIFY.value).count() == 1


def test_only_the_secretariat_imports(world, goods):
    before = _state()
    with pytest.raises(ExchangeError) as caught:
        pledges_import(actor=world.actors["admin"], stream=io.StringIO(PLEDGES), source="x")
    assert caught.value.code == "permission_denied"
    assert _state() == before
    result = pledges_import(actor=world.actors["secretariat"], stream=io.StringIO(PLEDGES), source="x")
    assert result.counts["pledges created"] == 2


def _exported() -> tuple[str, str]:
    pledges, reports = io.StringIO(), io.StringIO()
    pledges_csv_write(pledges)
    reports_csv_write(reports)
    return pledges.getvalue(), reports.getvalue()


def test_csv_round_trip_into_an_empty_database(goods):
    _import(PLEDGES)
    _reports(REPORTS)
    first_pledges, first_reports = _exported()
    assert first_pledges.splitlines()[0] == PLEDGE_HEADER.strip()
    assert "P-1,Funding,2025-06-30,250000,on-track,First tranche,https://example.org/r1,verified" in first_reports
    ProgressReport.objects.all().delete()
    Target.objects.all().delete()
    Pledge.objects.all().delete()
    Endorsement.objects.all().delete()
    Organisation.objects.all().delete()
    _import(first_pledges)
    _reports(first_reports)
    assert _exported() == (first_pledges, first_reports)
    # and the export re-imports unchanged
    assert dict(_import(first_pledges).counts) == {}
    assert dict(_reports(first_reports).counts) == {}


def test_json_export_carries_both_sheets(goods):
    _import(PLEDGES)
    _reports(REPORTS)
    stream = io.StringIO()
    assert charter_json_write(stream) == 3
    document = json.loads(stream.getvalue())
    assert document["format"] == "dpghub-charter/1"
    assert [row["ref"] for row in document["pledges"]] == ["P-1", "P-1", "P-2"]
    assert [row["verification"] for row in document["reports"]] == ["verified", "self-reported", "self-reported"]
