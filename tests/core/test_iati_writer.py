"""The Django-free IATI 2.03 writer: its output is valid against the shipped schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import xmlschema

from dpghub.core.formats import iati

SCHEMA = xmlschema.XMLSchema(str(iati.ACTIVITY_SCHEMA))


def _activity(**changes) -> iati.Activity:
    values = dict(identifier="DPGHUB-P-1", reporting_org_ref="DPGHUB-ORG-x", reporting_org_type="10",
                  reporting_org_name="Ministry & Co <ICT>", title="Fund DHIS2", description="",
                  status_code=iati.STATUS_IMPLEMENTATION, start_date=dt.date(2025, 2, 1),
                  end_date=dt.date(2026, 12, 31), countries=("KE", "UG"),
                  transactions=(iati.Transaction(iati.OUTGOING_COMMITMENT, dt.date(2025, 2, 1), Decimal("1000000"),
                                                 "USD", "Committed"),
                                iati.Transaction(iati.DISBURSEMENT, dt.date(2025, 6, 30), Decimal("250000.50"),
                                                 "USD", "Verified")),
                  last_updated=dt.datetime(2025, 7, 1, 12, 0, tzinfo=dt.UTC))
    values.update(changes)
    return iati.Activity(**values)


def test_written_document_is_valid_against_the_iati_203_schema():
    document = iati.activities_xml([_activity(), _activity(identifier="DPGHUB-P-2", end_date=None, countries=(),
                                                           transactions=())],
                                   generated=dt.datetime(2025, 7, 2, tzinfo=dt.UTC))
    errors = list(SCHEMA.iter_errors(document.decode()))
    assert errors == []
    text = document.decode()
    assert '<value currency="USD" value-date="2025-06-30">250000.50</value>' in text
    assert '<value currency="USD" value-date="2025-02-01">1000000</value>' in text
    assert "<narrative>Ministry &amp; Co &lt;ICT&gt;</narrative>" in text
    assert text.count("<iati-activity ") == 2


def test_the_schema_check_catches_a_broken_document():
    # the validator really validates: a transaction without its required type is refused
    document = iati.activities_xml([_activity()], generated=dt.datetime(2025, 7, 2, tzinfo=dt.UTC)).decode()
    broken = document.replace('<transaction-type code="2" />', "", 1)
    assert broken != document
    assert not SCHEMA.is_valid(broken)
