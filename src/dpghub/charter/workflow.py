"""The Charter's workflows as plain data: (state, action) -> new state.

A pledge is drafted, published (then public), and may be withdrawn (it stays public, marked withdrawn).
A progress report starts self-reported; the secretariat verifies it or asks for more evidence, and a report
waiting for evidence can still be verified once the evidence is there.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.charter.enums import PledgeStatus as P
from dpghub.charter.enums import Verification as V


class PledgeAction(models.TextChoices):
    PUBLISH = "publish", _("publish")
    WITHDRAW = "withdraw", _("withdraw")


class ReportAction(models.TextChoices):
    VERIFY = "verify", _("verify")
    REQUEST_EVIDENCE = "request-evidence", _("request more evidence")


PLEDGE_TRANSITIONS: dict[tuple[P, PledgeAction], P] = {
    (P.DRAFT, PledgeAction.PUBLISH): P.PUBLISHED,
    (P.PUBLISHED, PledgeAction.WITHDRAW): P.WITHDRAWN,
}

REPORT_TRANSITIONS: dict[tuple[V, ReportAction], V] = {
    (V.SELF_REPORTED, ReportAction.VERIFY): V.VERIFIED,
    (V.SELF_REPORTED, ReportAction.REQUEST_EVIDENCE): V.MORE_EVIDENCE,
    (V.MORE_EVIDENCE, ReportAction.VERIFY): V.VERIFIED,
    (V.MORE_EVIDENCE, ReportAction.REQUEST_EVIDENCE): V.MORE_EVIDENCE,
}


def pledge_next(state: P, action: PledgeAction) -> P | None:
    """The pledge's status after ``action``, or None when ``action`` is not allowed in ``state``."""
    return PLEDGE_TRANSITIONS.get((state, action))


def pledge_actions(state: P) -> list[PledgeAction]:
    return [action for action in PledgeAction if (state, action) in PLEDGE_TRANSITIONS]


def report_next(state: V, action: ReportAction) -> V | None:
    """The report's verification after ``action``, or None when not allowed."""
    return REPORT_TRANSITIONS.get((state, action))


def report_actions(state: V) -> list[ReportAction]:
    return [action for action in ReportAction if (state, action) in REPORT_TRANSITIONS]
