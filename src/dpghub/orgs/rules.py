"""Who may do what with organisations and memberships: object-level predicates, checked in services."""

from __future__ import annotations

from typing import Any

import rules

from dpghub.common.authz import is_secretariat, is_signed_in
from dpghub.orgs.enums import MembershipRole, MembershipStatus


def _active_role(user: Any, organisation: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return None
    return (user.memberships.filter(organisation_id=organisation.pk, status=MembershipStatus.ACTIVE)
            .values_list("role", flat=True).first())


@rules.predicate
def is_organisation_admin(user: Any, organisation: Any) -> bool:
    return _active_role(user, organisation) == MembershipRole.ADMIN


@rules.predicate
def is_organisation_member(user: Any, organisation: Any) -> bool:
    """An active member of any role (administrators included)."""
    return _active_role(user, organisation) is not None


@rules.predicate
def is_membership_person(user: Any, membership: Any) -> bool:
    return getattr(user, "pk", None) is not None and membership is not None and membership.person_id == user.pk


@rules.predicate
def administers_membership_organisation(user: Any, membership: Any) -> bool:
    return membership is not None and is_organisation_admin(user, membership.organisation)


ORGS_RULES = rules.RuleSet()
ORGS_RULES.add_rule("orgs.create_organisation", is_secretariat)
ORGS_RULES.add_rule("orgs.change_organisation", is_organisation_admin | is_secretariat)
ORGS_RULES.add_rule("orgs.link_organisation", is_secretariat)
ORGS_RULES.add_rule("orgs.request_membership", is_signed_in)
ORGS_RULES.add_rule("orgs.decide_membership", administers_membership_organisation | is_secretariat)
ORGS_RULES.add_rule("orgs.end_membership", is_membership_person | administers_membership_organisation | is_secretariat)
ORGS_RULES.add_rule("orgs.change_membership_role", administers_membership_organisation | is_secretariat)
ORGS_RULES.add_rule("orgs.view_membership", is_membership_person | administers_membership_organisation | is_secretariat)
ORGS_RULES.add_rule("orgs.view_members", is_organisation_member | is_secretariat)
