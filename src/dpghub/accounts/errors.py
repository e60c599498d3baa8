"""Errors of the accounts domain; each interface maps them to a response in one place."""

from __future__ import annotations


class AccountsError(Exception):
    """Base: ``message`` is shown to the person (already translated)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidPerson(AccountsError):
    """The data given for a person cannot be used (e.g. an e-mail address already taken)."""


class NotAllowed(AccountsError):
    """The actor may not do this."""


class MfaRequired(NotAllowed):
    """The role needs two-factor authentication, which the person has not set up."""
