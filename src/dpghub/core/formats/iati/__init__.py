"""IATI 2.03 activity XML, written from plain data (Django-free).

:func:`activities_xml` turns :class:`Activity` values into an ``iati-activities`` document that is valid
against the IATI 2.03 activity schema shipped in ``schema/`` (:data:`ACTIVITY_SCHEMA`; see NOTE.md).
Elements are written in the order the schema's sequence asks for.
"""

from __future__ import annotations

import datetime as dt
import decimal
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

IATI_VERSION = "2.03"
ACTIVITY_SCHEMA = Path(__file__).resolve().parent / "schema" / "iati-activities-schema.xsd"

#: IATI TransactionType codes used here.
OUTGOING_COMMITMENT = "2"
DISBURSEMENT = "3"
#: IATI ActivityStatus codes used here.
STATUS_IMPLEMENTATION = "2"
STATUS_FINALISATION = "3"
STATUS_CANCELLED = "5"
#: IATI ActivityDateType codes used here.
DATE_PLANNED_START = "1"
DATE_PLANNED_END = "3"
#: IATI OrganisationRole: the organisation that funds.
ROLE_FUNDING = "1"


@dataclass(frozen=True)
class Transaction:
    type_code: str
    date: dt.date
    value: decimal.Decimal
    currency: str
    description: str = ""


@dataclass(frozen=True)
class Activity:
    identifier: str
    reporting_org_ref: str
    reporting_org_type: str
    reporting_org_name: str
    title: str
    description: str
    status_code: str
    start_date: dt.date
    end_date: dt.date | None = None
    countries: tuple[str, ...] = ()
    transactions: tuple[Transaction, ...] = ()
    language: str = "en"
    last_updated: dt.datetime | None = None
    extra_descriptions: tuple[str, ...] = field(default=())


def _narrative(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "narrative").text = text
    return element


def amount_text(value: decimal.Decimal) -> str:
    """A decimal as IATI writes it: two decimals, or none for a whole number."""
    text = format(value.quantize(decimal.Decimal("0.01")), "f")
    return text[:-3] if text.endswith(".00") else text


def _activity(parent: ET.Element, activity: Activity) -> None:
    attrs = {"{http://www.w3.org/XML/1998/namespace}lang": activity.language}
    if activity.last_updated is not None:
        attrs["last-updated-datetime"] = activity.last_updated.replace(microsecond=0).isoformat()
    element = ET.SubElement(parent, "iati-activity", attrs)
    ET.SubElement(element, "iati-identifier").text = activity.identifier
    _narrative(element, "reporting-org", activity.reporting_org_name, ref=activity.reporting_org_ref,
               type=activity.reporting_org_type)
    _narrative(element, "title", activity.title)
    _narrative(element, "description", activity.description or activity.title, type="1")
    for extra in activity.extra_descriptions:
        _narrative(element, "description", extra, type="4")
    _narrative(element, "participating-org", activity.reporting_org_name, ref=activity.reporting_org_ref,
               type=activity.reporting_org_type, role=ROLE_FUNDING)
    ET.SubElement(element, "activity-status", code=activity.status_code)
    ET.SubElement(element, "activity-date", type=DATE_PLANNED_START, **{"iso-date": activity.start_date.isoformat()})
    if activity.end_date is not None:
        ET.SubElement(element, "activity-date", type=DATE_PLANNED_END, **{"iso-date": activity.end_date.isoformat()})
    for country in activity.countries:
        ET.SubElement(element, "recipient-country", code=country)
    for transaction in activity.transactions:
        item = ET.SubElement(element, "transaction")
        ET.SubElement(item, "transaction-type", code=transaction.type_code)
        ET.SubElement(item, "transaction-date", **{"iso-date": transaction.date.isoformat()})
        value = ET.SubElement(item, "value", currency=transaction.currency,
                              **{"value-date": transaction.date.isoformat()})
        value.text = amount_text(transaction.value)
        if transaction.description:
            _narrative(item, "description", transaction.description)


def activities_xml(activities: list[Activity], *, generated: dt.datetime) -> bytes:
    """An ``iati-activities`` document (UTF-8 bytes with an XML declaration)."""
    root = ET.Element("iati-activities", {"version": IATI_VERSION,
                                           "generated-datetime": generated.replace(microsecond=0).isoformat()})
    for activity in activities:
        _activity(root, activity)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
