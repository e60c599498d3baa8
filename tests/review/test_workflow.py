"""The application transition table, every state x every action (and every outcome of decide)."""

import pytest

from dpghub.review.enums import Action as A
from dpghub.review.enums import ApplicationState as S
from dpghub.review.workflow import APPLICATION_TRANSITIONS, allowed_actions, application_next, state_level

EXPECTED = {
    (S.DRAFT, A.SUBMIT): S.LEVEL_1,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.DRAFT, A.ARCHIVE): S.ARCHIVED,
    (S.LEVEL_1, A.ASSIGN): S.LEVEL_1,
    (S.LEVEL_1, A.VERDICT): S.LEVEL_1,
    (S.LEVEL_1, A.FORWARD): S.LEVEL_2,
    (S.LEVEL_1, A.REQUEST_CLARIFICATION): S.CLARIFICATION_1,
    (S.LEVEL_1, A.WITHDRAW): S.WITHDRAWN,
    (S.CLARIFICATION_1, A.ANSWER_CLARIFICATION): S.LEVEL_1,
    (S.CLARIFICATION_1, A.WITHDRAW): S.WITHDRAWN,
    (S.CLARIFICATION_1, A.LAPSE): S.INELIGIBLE,
    (S.LEVEL_2, A.ASSIGN): S.LEVEL_2,
    (S.LEVEL_2, A.VERDICT): S.LEVEL_2,
    (S.LEVEL_2, A.REQUEST_CLARIFICATION): S.CLARIFICATION_2,
    (S.LEVEL_2, A.CONSULT_EXPERT): S.CONSULTATION,
    (S.LEVEL_2, A.WITHDRAW): S.WITHDRAWN,
    (S.CLARIFICATION_2, A.ANSWER_CLARIFICATION): S.LEVEL_2,
    (S.CLARIFICATION_2, A.WITHDRAW): S.WITHDRAWN,
    (S.CLARIFICATION_2, A.LAPSE): S.INELIGIBLE,
    (S.CONSULTATION, A.ASSIGN): S.CONSULTATION,
    (S.CONSULTATION, A.ANSWER_CONSULTATION): S.LEVEL_2,
    (S.CONSULTATION, A.WITHDRAW): S.WITHDRAWN,
    (S.DPG, A.EXPIRE): S.EXPIRED,
}
#: decide is the one action with two outcomes; without an outcome it leads nowhere.
DECIDE_OUTCOMES = {S.DPG, S.INELIGIBLE}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(A))
def test_every_state_and_action(state, action):
    if (state, action) == (S.LEVEL_2, A.DECIDE):
        assert application_next(state, action) is None
        for outcome in S:
            assert application_next(state, action, outcome) == (outcome if outcome in DECIDE_OUTCOMES else None)
    else:
        assert application_next(state, action) == EXPECTED.get((state, action))
        # an outcome never turns a one-way action into another
        for outcome in S:
            expected = EXPECTED.get((state, action))
            assert application_next(state, action, outcome) == (expected if outcome == expected else None)


def test_the_table_has_no_transition_the_test_does_not_know():
    assert {key: targets for key, targets in APPLICATION_TRANSITIONS.items()} == {
        **{key: (target,) for key, target in EXPECTED.items()}, (S.LEVEL_2, A.DECIDE): (S.DPG, S.INELIGIBLE)}


def test_allowed_actions_per_state():
    assert allowed_actions(S.DRAFT) == [A.SUBMIT, A.WITHDRAW, A.ARCHIVE]
    assert allowed_actions(S.LEVEL_1) == [A.ASSIGN, A.VERDICT, A.FORWARD, A.REQUEST_CLARIFICATION, A.WITHDRAW]
    assert allowed_actions(S.LEVEL_2) == [A.ASSIGN, A.VERDICT, A.REQUEST_CLARIFICATION, A.CONSULT_EXPERT, A.DECIDE,
                                          A.WITHDRAW]
    assert allowed_actions(S.CLARIFICATION_2) == [A.ANSWER_CLARIFICATION, A.WITHDRAW, A.LAPSE]
    assert allowed_actions(S.CONSULTATION) == [A.ASSIGN, A.ANSWER_CONSULTATION, A.WITHDRAW]
    assert allowed_actions(S.DPG) == [A.EXPIRE]
    for final in (S.INELIGIBLE, S.WITHDRAWN, S.EXPIRED, S.ARCHIVED):
        assert allowed_actions(final) == []


def test_levels():
    assert {state: state_level(state) for state in S if state_level(state) is not None} == {
        S.LEVEL_1: 1, S.CLARIFICATION_1: 1, S.LEVEL_2: 2, S.CLARIFICATION_2: 2, S.CONSULTATION: 3}
