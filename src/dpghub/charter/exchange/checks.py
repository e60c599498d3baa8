"""Checks of single values read from a file: each returns the clean value or raises ValueError(message).

Target rules are not repeated here: :func:`target_errors` asks the domain's ``target_check``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import difflib
from collections.abc import Iterable

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from dpghub.catalog.models import Good
from dpghub.charter.enums import Outcome, PledgeType, TargetStatus, Verification
from dpghub.charter.services import TargetInput, target_check
from dpghub.orgs.enums import OrganisationType

from .apply import TargetSpec


def text(value: str | None) -> str:
    return (value or "").strip()


def date(value: str) -> dt.date:
    """A ``YYYY-MM-DD`` date (only that form: ``fromisoformat`` alone would also take ``20250630``)."""
    value = text(value)
    if len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value})


def optional_date(value: str) -> dt.date | None:
    return date(value) if text(value) else None


def number(value: str) -> decimal.Decimal:
    try:
        result = decimal.Decimal(text(value))
    except decimal.InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if result.as_tuple().exponent < -2:
        raise ValueError(_("“%(value)s” has more than two decimals.") % {"value": value})
    if abs(result) >= _MAX_NUMBER:
        raise ValueError(_("“%(value)s” is too large.") % {"value": value})
    return result


#: What the database's numbers hold (20 digits, two of them decimals).
_MAX_NUMBER = decimal.Decimal(10) ** 18


def limited(length: int):
    """A text check: the cell, at most ``length`` characters."""
    def check(value: str) -> str:
        value = " ".join(text(value).split())
        if len(value) > length:
            raise ValueError(_("At most %(length)d characters (this cell has %(count)d).")
                             % {"length": length, "count": len(value)})
        return value
    return check


def web_address(value: str) -> str:
    value = text(value)
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValueError(_("“%(value)s” is not a web address (http:// or https://).") % {"value": value}) from None
    if len(value) > 500:
        raise ValueError(_("A web address has at most 500 characters."))
    return value


def optional_number(value: str) -> decimal.Decimal | None:
    return number(value) if text(value) else None


def split(value: str) -> list[str]:
    return [part.strip() for part in text(value).split(";") if part.strip()]


def _among(values: list[str], allowed: Iterable[str], what: str) -> list[str]:
    allowed = list(allowed)
    wrong = [value for value in values if value not in allowed]
    if wrong:
        raise ValueError(_("“%(value)s” is not one of the %(what)s: %(allowed)s.")
                         % {"value": "; ".join(wrong), "what": what, "allowed": ", ".join(allowed)})
    return values


def pledge_types(value: str) -> list[str]:
    values = split(value)
    if not values:
        raise ValueError(_("A pledge needs at least one type."))
    return _among(values, PledgeType.values, _("pledge types"))


def outcomes(value: str) -> list[str]:
    values = split(value)
    if not values:
        raise ValueError(_("A pledge needs at least one outcome."))
    return _among(values, Outcome.values, _("outcomes"))


def endorser_type(value: str) -> str:
    return _among([text(value)], OrganisationType.values, _("endorser types"))[0]


def status(value: str) -> str:
    return _among([text(value)], TargetStatus.values, _("statuses"))[0]


def verification(value: str) -> str:
    return _among([text(value) or Verification.SELF_REPORTED], Verification.values, _("verification values"))[0]


def country(value: str) -> str:
    value = text(value).upper()
    found = (pycountry.countries.get(alpha_2=value) if len(value) == 2
             else pycountry.countries.get(alpha_3=value) if len(value) == 3 else None)
    if found is None:
        raise ValueError(_("“%(value)s” is not an ISO 3166 alpha-2 or alpha-3 country code.") % {"value": value})
    return found.alpha_2


def countries(value: str) -> list[str]:
    result: list[str] = []
    for part in split(value):
        code = country(part)
        if code not in result:
            result.append(code)
    return result


def currency(value: str) -> str:
    value = text(value).upper()
    if not value:
        return ""
    if len(value) != 3 or pycountry.currencies.get(alpha_3=value) is None:
        raise ValueError(_("“%(value)s” is not an ISO 4217 currency code.") % {"value": value})
    return value


class GoodsIndex:
    """The registry's goods by slug, name and alias (case-insensitive), with closest-match suggestions."""

    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}
        self.slug_of: dict[int, str] = {}
        for pk, slug, name, aliases in Good.objects.values_list("pk", "slug", "name", "aliases"):
            self.slug_of[pk] = slug
            for key in (slug, name, *(aliases or [])):
                self.by_key.setdefault(str(key).strip().casefold(), pk)

    def resolve(self, value: str) -> list[int]:
        ids, unknown = [], []
        for part in split(value):
            pk = self.by_key.get(part.casefold())
            if pk is None:
                unknown.append(part)
            elif pk not in ids:
                ids.append(pk)
        if unknown:
            hints = []
            for part in unknown:
                close = difflib.get_close_matches(part.casefold(), list(self.by_key), n=3, cutoff=0.6)
                slugs = sorted({self.slug_of[self.by_key[key]] for key in close})
                hints.append(_("“%(value)s” is not a registered good (closest: %(close)s)")
                             % {"value": part, "close": ", ".join(slugs) or _("none")})
            raise ValueError("; ".join(hints) + ".")
        return ids


def target_errors(target: TargetSpec, *, pledged_on: dt.date) -> list[tuple[str, str]]:
    """(column, message) for each broken target rule: the domain's own ``target_check``, so that a file and a
    form are held to the same rules."""
    checked = TargetInput(metric=target.metric, unit=target.unit, currency=target.currency,
                          baseline=target.baseline, target_value=target.target_value, deadline=target.deadline)
    return [(_COLUMN.get(name, name), str(message)) for name, message in target_check(checked, pledged_on=pledged_on)]


#: The spreadsheet's column for a field of TargetInput, where the names differ.
_COLUMN = {"target_value": "target"}
