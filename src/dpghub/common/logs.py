"""Logging: refused requests in one line, and the optional JSON format (DPGHUB_LOG_FORMAT=json).

Django logs each refused request (403 for a permission or CSRF, 400 for a suspicious one) with the
exception's full traceback, which floods the log of a public site that is probed all day. A refusal is
expected: :class:`RefusalFilter` keeps its line and its reason and drops the traceback. Server errors
(5xx) keep theirs.
"""

from __future__ import annotations

import datetime as dt
import json
import logging


class RefusalFilter(logging.Filter):
    """For a record about a response below 500: no traceback, and the reason appended to the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500 and record.exc_info:
            exc = record.exc_info[1]
            reason = str(exc).strip() if exc is not None else ""
            record.msg = record.getMessage() + (f" (reason: {reason.splitlines()[0]})" if reason else "")
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message; the request's method, path
    (without its query string, which may carry personal data) and status when the record is about one;
    the traceback as ``exc`` for an error that has one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", None)
            entry["path"] = request.path
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
