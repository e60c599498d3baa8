"""Licence library of DPG Hub (Django-free): normalise licence strings, find licence evidence
in repository files, summarise it, and judge DPG Standard indicator 2 (approved open licence).

Public interface (other packages code against exactly this):

- ``normalize(text) -> str | None`` and ``normalize_detail(text) -> (str | None, reason)``
- ``is_license_path(relpath) -> bool``, ``classify_path(relpath) -> role`` and
  ``is_third_party_notice(relpath) -> bool``
- ``scan_file(relpath, text)``, ``scan_spdx_tags(relpath, text)`` -> ``list[LicenseEvidence]``
- ``scan_gnu_notice(relpath, text) -> SourceNotice | None``: the GNU notice of a source file's header
- ``summarize(evidence, declared=(), source_notices=()) -> LicenseSummary``
- ``approval(expression, category) -> Approval``; ``CATEGORIES``
- ``decode_text(bytes) -> str`` (UTF-8/BOM/UTF-16/cp1252, never raises)
- ``reference_ids()``: SPDX ids of the bundled reference licence texts; ``preload()`` indexes them
  now instead of at the first match

Reference data is loaded lazily, once per process. Nothing here reads outside the package.
"""

from .approval import CATEGORIES, approval
from .expressions import normalize, normalize_detail
from .matcher import preload, reference_ids
from .model import Approval, LicenseEvidence, LicenseSummary, SourceNotice
from .paths import classify_path, is_license_path, is_third_party_notice
from .scan import scan_file, scan_gnu_notice, scan_spdx_tags
from .summary import summarize
from .textnorm import decode_text

__all__ = [
    "CATEGORIES",
    "Approval",
    "LicenseEvidence",
    "LicenseSummary",
    "SourceNotice",
    "approval",
    "classify_path",
    "decode_text",
    "is_license_path",
    "is_third_party_notice",
    "normalize",
    "normalize_detail",
    "preload",
    "reference_ids",
    "scan_file",
    "scan_gnu_notice",
    "scan_spdx_tags",
    "summarize",
]
