"""The IATI export of finance pledges: valid against the shipped 2.03 schema, disbursements told apart."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
import xmlschema

from dpghub.charter.exchange import NothingToExport, iati_write, pledges_import, reports_import
from dpghub.common.history import Actor
from dpghub.core.formats import iati
from tests.charter.exchange_data import PLEDGES, REPORTS, goods_make

SYSTEM = Actor.system_job("test")


@pytest.fixture
def loaded(db):
    goods_make()
    pledges_import(actor=SYSTEM, stream=io.StringIO(PLEDGES), source="t")
    reports_import(actor=SYSTEM, stream=io.StringIO(REPORTS), source="t")


def test_iati_export_is_valid_and_has_commitment_and_disbursements(loaded):
    stream = io.BytesIO()
    assert iati_write(stream) == 1  # P-2 is not a finance pledge
    xmlschema.XMLSchema(str(iati.ACTIVITY_SCHEMA)).validate(stream.getvalue().decode())
    root = ET.fromstring(stream.getvalue())  # noqa: S314 - our own output
    activity = root.find("iati-activity")
    assert activity.findtext("iati-identifier") == "DPGHUB-P-1"
    assert activity.find("reporting-org").get("type") == "10"
    assert [c.get("code") for c in activity.findall("recipient-country")] == ["KE", "UG"]
    rows = [(t.find("transaction-type").get("code"), t.find("transaction-date").get("iso-date"), t.findtext("value"),
             t.find("description").findtext("narrative")) for t in activity.findall("transaction")]
    assert rows == [
        ("2", "2025-02-01", "1000000", "Committed: Funding"),
        ("3", "2025-06-30", "250000", "Funding, cumulative 250000 USD as of 2025-06-30 (Verified by the secretariat)"),
        ("3", "2025-12-31", "150000.50", "Funding, cumulative 400000.50 USD as of 2025-12-31 (Self-reported)"),
    ]


def test_iati_export_without_finance_pledges_says_so(db):
    with pytest.raises(NothingToExport):
        iati_write(io.BytesIO())
