"""Who may do what in the Charter framework: object-level predicates, checked in services and selectors.

The objects are: an organisation (endorse), an endorsement (pledge), a pledge (change, publish, withdraw,
report, rate, view a draft) and a report (verify).
"""

from __future__ import annotations

from typing import Any

import rules

from dpghub.common.authz import is_secretariat
from dpghub.orgs.rules import is_organisation_admin, is_organisation_member

_UP = {"progressreport": "target", "target": "pledge", "pledge": "endorsement", "endorsement": "organisation"}


def _organisation_of(obj: Any) -> Any:
    """The endorsing organisation of a report, target, pledge or endorsement (or the organisation itself)."""
    while obj is not None and getattr(obj, "_meta", None) is not None:
        name = obj._meta.model_name
        if name == "organisation":
            return obj
        if name not in _UP:
            return None
        obj = getattr(obj, _UP[name])
    return None


@rules.predicate
def is_endorser_member(user: Any, obj: Any) -> bool:
    """An active member (any role) of the organisation that endorsed (or would endorse)."""
    organisation = _organisation_of(obj)
    return organisation is not None and is_organisation_member(user, organisation)


@rules.predicate
def is_endorser_admin(user: Any, obj: Any) -> bool:
    organisation = _organisation_of(obj)
    return organisation is not None and is_organisation_admin(user, organisation)


CHARTER_RULES = rules.RuleSet()
CHARTER_RULES.add_rule("charter.endorse", is_endorser_admin | is_secretariat)
CHARTER_RULES.add_rule("charter.create_pledge", is_endorser_member | is_secretariat)
CHARTER_RULES.add_rule("charter.change_pledge", is_endorser_member | is_secretariat)
CHARTER_RULES.add_rule("charter.publish_pledge", is_endorser_member | is_secretariat)
CHARTER_RULES.add_rule("charter.withdraw_pledge", is_endorser_member | is_secretariat)
CHARTER_RULES.add_rule("charter.report_progress", is_endorser_member | is_secretariat)
CHARTER_RULES.add_rule("charter.verify_report", is_secretariat)
CHARTER_RULES.add_rule("charter.rate_pledge", is_secretariat)
CHARTER_RULES.add_rule("charter.view_draft", is_endorser_member | is_secretariat)
