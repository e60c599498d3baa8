"""Errors of the screening engine.

Every failure a caller can act on is a :class:`ScreeningError` whose message says *what* went wrong
and *where* (the source, the path inside it, the limit that was hit). The CLI maps
:class:`InvalidSource` to exit code 2 (bad input) and any other :class:`ScreeningError` to 1.
"""

from __future__ import annotations


class ScreeningError(Exception):
    """A screening could not be completed. ``code`` is stable (for translation and for batch logs)."""

    def __init__(self, message: str, *, code: str = "screening.error", where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.where = where

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "where": self.where}


class InvalidSource(ScreeningError):
    """The source given by the user is not something we can screen (bad path, refused URL scheme)."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message, code="source.invalid", where=where)


class LimitExceeded(ScreeningError):
    """A hard safety limit was exceeded (clone size or time, git bomb); the screening stops."""
