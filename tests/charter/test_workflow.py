"""The pledge and report workflows: every state x every action, against the table written out here."""

from __future__ import annotations

import pytest

from dpghub.charter.enums import PledgeStatus as P
from dpghub.charter.enums import Verification as V
from dpghub.charter.workflow import (
    PledgeAction,
    ReportAction,
    pledge_actions,
    pledge_next,
    report_actions,
    report_next,
)

PLEDGE_EXPECTED = {
    (P.DRAFT, PledgeAction.PUBLISH): P.PUBLISHED,
    (P.DRAFT, PledgeAction.WITHDRAW): None,
    (P.PUBLISHED, PledgeAction.PUBLISH): None,
    (P.PUBLISHED, PledgeAction.WITHDRAW): P.WITHDRAWN,
    (P.WITHDRAWN, PledgeAction.PUBLISH): None,
    (P.WITHDRAWN, PledgeAction.WITHDRAW): None,
}

REPORT_EXPECTED = {
    (V.SELF_REPORTED, ReportAction.VERIFY): V.VERIFIED,
    (V.SELF_REPORTED, ReportAction.REQUEST_EVIDENCE): V.MORE_EVIDENCE,
    (V.MORE_EVIDENCE, ReportAction.VERIFY): V.VERIFIED,
    (V.MORE_EVIDENCE, ReportAction.REQUEST_EVIDENCE): V.MORE_EVIDENCE,
    (V.VERIFIED, ReportAction.VERIFY): None,
    (V.VERIFIED, ReportAction.REQUEST_EVIDENCE): None,
}


def test_the_tables_cover_every_pair():
    assert set(PLEDGE_EXPECTED) == {(s, a) for s in P for a in PledgeAction}
    assert set(REPORT_EXPECTED) == {(s, a) for s in V for a in ReportAction}


@pytest.mark.parametrize(("state", "action"), sorted(PLEDGE_EXPECTED))
def test_pledge_transition(state, action):
    assert pledge_next(state, action) == PLEDGE_EXPECTED[(state, action)]


@pytest.mark.parametrize(("state", "action"), sorted(REPORT_EXPECTED))
def test_report_transition(state, action):
    assert report_next(state, action) == REPORT_EXPECTED[(state, action)]


def test_allowed_actions():
    assert pledge_actions(P.DRAFT) == [PledgeAction.PUBLISH]
    assert pledge_actions(P.PUBLISHED) == [PledgeAction.WITHDRAW]
    assert pledge_actions(P.WITHDRAWN) == []
    assert report_actions(V.SELF_REPORTED) == [ReportAction.VERIFY, ReportAction.REQUEST_EVIDENCE]
    assert report_actions(V.VERIFIED) == []
