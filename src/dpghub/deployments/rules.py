"""Who may do what with deployments: object-level predicates, checked in services.

Any signed-in person may record a claim; only a member of the deploying agency confirms it; only the
secretariat disputes it (or withdraws its dispute); the person who recorded it, the agency's members and
the secretariat edit it.
"""

from __future__ import annotations

from typing import Any

import rules

from dpghub.common.authz import is_secretariat, is_signed_in
from dpghub.orgs.rules import is_organisation_member


@rules.predicate
def is_agency_member(user: Any, deployment: Any) -> bool:
    return deployment is not None and deployment.agency_id is not None and is_organisation_member(user, deployment.agency)


@rules.predicate
def is_recorder(user: Any, deployment: Any) -> bool:
    return (deployment is not None and getattr(user, "pk", None) is not None
            and deployment.source_person_id == user.pk)


DEPLOYMENTS_RULES = rules.RuleSet()
DEPLOYMENTS_RULES.add_rule("deployments.record_deployment", is_signed_in)
DEPLOYMENTS_RULES.add_rule("deployments.change_deployment", is_recorder | is_agency_member | is_secretariat)
DEPLOYMENTS_RULES.add_rule("deployments.confirm_deployment", is_agency_member)
DEPLOYMENTS_RULES.add_rule("deployments.dispute_deployment", is_secretariat)
DEPLOYMENTS_RULES.add_rule("deployments.import_deployments", is_secretariat)
