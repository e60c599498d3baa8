"""Bulk work on the Charter's data: the secretariat's spreadsheets (import and export), JSON, IATI XML.

- :mod:`.spreadsheets`: parse, check and import pledges and progress reports; export CSV and JSON.
- :mod:`.iati`: finance pledges and disbursements as IATI 2.03 activity XML.
- :mod:`.apply`: the idempotent writes every import shares (also used by ``charter.sources`` and
  ``charter.sample``).
"""

from .apply import ApplyResult, ExchangeError, ImportRejected, RowError
from .iati import NothingToExport, iati_write
from .spreadsheets import (
    charter_json_write,
    pledges_csv_write,
    pledges_import,
    reports_csv_write,
    reports_import,
)

__all__ = ["ApplyResult", "ExchangeError", "ImportRejected", "NothingToExport", "RowError", "charter_json_write",
           "iati_write", "pledges_csv_write", "pledges_import", "reports_csv_write", "reports_import"]
