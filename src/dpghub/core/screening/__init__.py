"""The Django-free screening engine: a repository in, a report against the DPG Standard out.

>>> from dpghub.core.screening import screen
>>> report = screen("https://github.com/example/project", category="Open Software")  # doctest: +SKIP
>>> report.to_json()["findings"][0]["status"]  # doctest: +SKIP

See docs/screening.md for the report schema and docs/adr/0006-screening-safety.md for the threat model.
"""

from dpghub.core.screening.engine import screen
from dpghub.core.screening.errors import InvalidSource, LimitExceeded, ScreeningError
from dpghub.core.screening.limits import Limits
from dpghub.core.screening.report import (
           SCHEMA_VERSION,
           Evidence,
           Finding,
           Report,
           Signal,
           SignalStatus,
           Status,
)

__all__ = ["SCHEMA_VERSION", "Evidence", "Finding", "InvalidSource", "LimitExceeded", "Limits", "Report",
           "ScreeningError", "Signal", "SignalStatus", "Status", "screen"]
