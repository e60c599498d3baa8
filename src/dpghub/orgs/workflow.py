"""The membership workflow as plain data: (state, action) -> new state. ``None`` is "no membership yet"."""

from __future__ import annotations

from dpghub.orgs.enums import MembershipAction as A
from dpghub.orgs.enums import MembershipStatus as S

MEMBERSHIP_TRANSITIONS: dict[tuple[S | None, A], S] = {
    (None, A.REQUEST): S.REQUESTED,
    (S.REFUSED, A.REQUEST): S.REQUESTED,
    (S.ENDED, A.REQUEST): S.REQUESTED,
    (S.REQUESTED, A.APPROVE): S.ACTIVE,
    (S.REQUESTED, A.REFUSE): S.REFUSED,
    (S.REQUESTED, A.END): S.ENDED,  # withdrawn by the person
    (S.ACTIVE, A.END): S.ENDED,
}


def membership_next(state: S | None, action: A) -> S | None:
    """The state after ``action``, or None when the action is not allowed in ``state``."""
    return MEMBERSHIP_TRANSITIONS.get((state, action))


def membership_actions(state: S | None) -> list[A]:
    """The actions allowed in ``state``, in the vocabulary's order."""
    return [action for action in A if (state, action) in MEMBERSHIP_TRANSITIONS]
