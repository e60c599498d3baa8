"""The membership transition table, every state x every action."""

import pytest

from dpghub.orgs.enums import MembershipAction as A
from dpghub.orgs.enums import MembershipStatus as S
from dpghub.orgs.workflow import MEMBERSHIP_TRANSITIONS, membership_actions, membership_next

EXPECTED = {
    (None, A.REQUEST): S.REQUESTED,
    (S.REFUSED, A.REQUEST): S.REQUESTED,
    (S.ENDED, A.REQUEST): S.REQUESTED,
    (S.REQUESTED, A.APPROVE): S.ACTIVE,
    (S.REQUESTED, A.REFUSE): S.REFUSED,
    (S.REQUESTED, A.END): S.ENDED,
    (S.ACTIVE, A.END): S.ENDED,
}


@pytest.mark.parametrize("state", [None, *S])
@pytest.mark.parametrize("action", list(A))
def test_every_state_and_action(state, action):
    assert membership_next(state, action) == EXPECTED.get((state, action))


def test_the_table_has_no_transition_the_test_does_not_know():
    assert MEMBERSHIP_TRANSITIONS == EXPECTED


def test_allowed_actions_per_state():
    assert membership_actions(None) == [A.REQUEST]
    assert membership_actions(S.REQUESTED) == [A.APPROVE, A.REFUSE, A.END]
    assert membership_actions(S.ACTIVE) == [A.END]
