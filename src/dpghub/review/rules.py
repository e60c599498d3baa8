"""Who may do what with applications: object-level predicates over an Application, checked in services.

Conflict of interest: a person who is an active member of the applying organisation never reviews,
assigns, consults on or decides its application, whatever platform roles they hold (the secretariat too).
"""

from __future__ import annotations

from typing import Any

import rules

from dpghub.common.authz import has_platform_role, is_secretariat, person_platform_roles
from dpghub.orgs.rules import is_organisation_member
from dpghub.review.enums import ApplicationState
from dpghub.review.workflow import state_level

REVIEWER_L1 = "reviewer-l1"
REVIEWER_L2 = "reviewer-l2"
EXPERT = "expert"
#: The platform role that works at each level (3: the expert consulted at the second level).
LEVEL_ROLES = {1: REVIEWER_L1, 2: REVIEWER_L2, 3: EXPERT}

is_reviewer_l1 = has_platform_role(REVIEWER_L1)
is_reviewer_l2 = has_platform_role(REVIEWER_L2)
is_expert = has_platform_role(EXPERT)
is_reviewer = is_reviewer_l1 | is_reviewer_l2 | is_expert


@rules.predicate
def is_applicant(user: Any, application: Any) -> bool:
    """An active member of the applying organisation (acts for the applicant)."""
    return application is not None and is_organisation_member(user, application.organisation)


def _level(application: Any) -> int | None:
    return state_level(ApplicationState(application.state)) if application is not None else None


@rules.predicate
def works_at_current_level(user: Any, application: Any) -> bool:
    """Holds the platform role of the level the application is at."""
    level = _level(application)
    return level is not None and LEVEL_ROLES[level] in person_platform_roles(user)


@rules.predicate
def is_assigned(user: Any, application: Any) -> bool:
    """Is the active assignee at the level the application is at."""
    level = _level(application)
    if level is None or not getattr(user, "is_authenticated", False):
        return False
    return application.assignments.filter(level=level, is_active=True, person_id=user.pk).exists()


not_conflicted = ~is_applicant

REVIEW_RULES = rules.RuleSet()
REVIEW_RULES.add_rule("review.create_application", is_organisation_member)  # obj: the organisation
REVIEW_RULES.add_rule("review.change_application", is_applicant)  # answers, submit, answer a clarification
REVIEW_RULES.add_rule("review.withdraw_application", is_applicant | is_secretariat)
REVIEW_RULES.add_rule("review.assign_application", (is_secretariat | works_at_current_level) & not_conflicted)
REVIEW_RULES.add_rule("review.judge_application", is_assigned & not_conflicted)  # verdicts, expert advice
REVIEW_RULES.add_rule("review.steer_application", (is_assigned | is_secretariat) & not_conflicted)
REVIEW_RULES.add_rule("review.schedule_application", rules.always_deny)  # only DPG Hub's scheduled job
REVIEW_RULES.add_rule("review.view_application", is_applicant | is_secretariat | is_reviewer)
REVIEW_RULES.add_rule("review.view_review", (is_secretariat | is_reviewer) & not_conflicted)
REVIEW_RULES.add_rule("review.view_backlog", is_secretariat)
