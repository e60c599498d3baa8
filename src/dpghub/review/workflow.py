"""The application workflow as plain data: (state, action) -> the states it may lead to.

Most actions lead to one state; ``decide`` leads to one of two (the outcome chooses). Self-loops (assign,
verdict) are actions that change the application's work but not its state. A pair that is not in the table
is refused with the actions the state allows (a 409 in the API).
"""

from __future__ import annotations

from dpghub.review.enums import Action as A
from dpghub.review.enums import ApplicationState as S

#: States in which the application is open: under review or waiting for someone.
OPEN_STATES = (S.LEVEL_1, S.CLARIFICATION_1, S.LEVEL_2, S.CLARIFICATION_2, S.CONSULTATION)

APPLICATION_TRANSITIONS: dict[tuple[S, A], tuple[S, ...]] = {
    (S.DRAFT, A.SUBMIT): (S.LEVEL_1,),
    (S.DRAFT, A.WITHDRAW): (S.WITHDRAWN,),
    (S.DRAFT, A.ARCHIVE): (S.ARCHIVED,),
    (S.LEVEL_1, A.ASSIGN): (S.LEVEL_1,),
    (S.LEVEL_1, A.VERDICT): (S.LEVEL_1,),
    (S.LEVEL_1, A.FORWARD): (S.LEVEL_2,),
    (S.LEVEL_1, A.REQUEST_CLARIFICATION): (S.CLARIFICATION_1,),
    (S.LEVEL_1, A.WITHDRAW): (S.WITHDRAWN,),
    (S.CLARIFICATION_1, A.ANSWER_CLARIFICATION): (S.LEVEL_1,),
    (S.CLARIFICATION_1, A.WITHDRAW): (S.WITHDRAWN,),
    (S.CLARIFICATION_1, A.LAPSE): (S.INELIGIBLE,),
    (S.LEVEL_2, A.ASSIGN): (S.LEVEL_2,),
    (S.LEVEL_2, A.VERDICT): (S.LEVEL_2,),
    (S.LEVEL_2, A.REQUEST_CLARIFICATION): (S.CLARIFICATION_2,),
    (S.LEVEL_2, A.CONSULT_EXPERT): (S.CONSULTATION,),
    (S.LEVEL_2, A.DECIDE): (S.DPG, S.INELIGIBLE),
    (S.LEVEL_2, A.WITHDRAW): (S.WITHDRAWN,),
    (S.CLARIFICATION_2, A.ANSWER_CLARIFICATION): (S.LEVEL_2,),
    (S.CLARIFICATION_2, A.WITHDRAW): (S.WITHDRAWN,),
    (S.CLARIFICATION_2, A.LAPSE): (S.INELIGIBLE,),
    (S.CONSULTATION, A.ASSIGN): (S.CONSULTATION,),
    (S.CONSULTATION, A.ANSWER_CONSULTATION): (S.LEVEL_2,),
    (S.CONSULTATION, A.WITHDRAW): (S.WITHDRAWN,),
    (S.DPG, A.EXPIRE): (S.EXPIRED,),
}


def application_next(state: S, action: A, outcome: S | None = None) -> S | None:
    """The state after ``action`` in ``state`` (``outcome`` chooses among several), or None if not allowed."""
    targets = APPLICATION_TRANSITIONS.get((state, action))
    if not targets:
        return None
    if outcome is None:
        return targets[0] if len(targets) == 1 else None
    return outcome if outcome in targets else None


def allowed_actions(state: S) -> list[A]:
    """The actions allowed in ``state``, in the vocabulary's order."""
    return [action for action in A if (state, action) in APPLICATION_TRANSITIONS]


def state_level(state: S) -> int | None:
    """The review level an application in ``state`` is at (1, 2, 3 for the expert), or None."""
    return {S.LEVEL_1: 1, S.CLARIFICATION_1: 1, S.LEVEL_2: 2, S.CLARIFICATION_2: 2, S.CONSULTATION: 3}.get(state)
