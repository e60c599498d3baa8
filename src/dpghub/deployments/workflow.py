"""The verification workflow as plain data: (state, action) -> new state.

A claim becomes verified when a member of the deploying agency confirms it; confirming again renews the
confirmation (what keeps a deployment from going stale). The secretariat disputes a claim or a verified
deployment with a reason, and may withdraw its dispute (back to a claim). Editing a verified deployment
makes it a claim again: what was confirmed is no longer what is shown.
"""

from __future__ import annotations

from dpghub.deployments.enums import VerificationAction as A
from dpghub.deployments.enums import VerificationState as S

VERIFICATION_TRANSITIONS: dict[tuple[S, A], S] = {
    (S.CLAIMED, A.CONFIRM): S.VERIFIED,
    (S.VERIFIED, A.CONFIRM): S.VERIFIED,
    (S.CLAIMED, A.DISPUTE): S.DISPUTED,
    (S.VERIFIED, A.DISPUTE): S.DISPUTED,
    (S.DISPUTED, A.RESOLVE): S.CLAIMED,
    (S.CLAIMED, A.EDIT): S.CLAIMED,
    (S.VERIFIED, A.EDIT): S.CLAIMED,
    (S.DISPUTED, A.EDIT): S.DISPUTED,
}


def verification_next(state: S, action: A) -> S | None:
    """The state after ``action``, or None when the action is not allowed in ``state``."""
    return VERIFICATION_TRANSITIONS.get((state, action))


def verification_actions(state: S) -> list[A]:
    """The actions allowed in ``state``, in the vocabulary's order."""
    return [action for action in A if (state, action) in VERIFICATION_TRANSITIONS]
