"""The verification table, state x action, written out in full so that a change to it is a visible decision."""

from __future__ import annotations

import pytest

from dpghub.deployments.enums import VerificationAction as A
from dpghub.deployments.enums import VerificationState as S
from dpghub.deployments.workflow import VERIFICATION_TRANSITIONS, verification_actions, verification_next

EXPECTED = {
    (S.CLAIMED, A.CONFIRM): S.VERIFIED, (S.CLAIMED, A.DISPUTE): S.DISPUTED, (S.CLAIMED, A.RESOLVE): None,
    (S.CLAIMED, A.EDIT): S.CLAIMED,
    (S.VERIFIED, A.CONFIRM): S.VERIFIED, (S.VERIFIED, A.DISPUTE): S.DISPUTED, (S.VERIFIED, A.RESOLVE): None,
    (S.VERIFIED, A.EDIT): S.CLAIMED,
    (S.DISPUTED, A.CONFIRM): None, (S.DISPUTED, A.DISPUTE): None, (S.DISPUTED, A.RESOLVE): S.CLAIMED,
    (S.DISPUTED, A.EDIT): S.DISPUTED,
}


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED, key=str))
def test_every_state_and_action(state, action):
    assert verification_next(state, action) == EXPECTED[(state, action)]


def test_table_covers_exactly_the_expected_pairs():
    assert len(EXPECTED) == len(S) * len(A)
    assert VERIFICATION_TRANSITIONS == {pair: new for pair, new in EXPECTED.items() if new is not None}


def test_actions_allowed_per_state():
    assert verification_actions(S.CLAIMED) == [A.CONFIRM, A.DISPUTE, A.EDIT]
    assert verification_actions(S.DISPUTED) == [A.RESOLVE, A.EDIT]
