"""Who may follow what: any signed-in person follows goods and countries, for themselves only.

A token acting for a person may follow too (with the write scope); nobody follows for someone else: the
services take the person from the actor, never from a parameter.
"""

from __future__ import annotations

import rules

from dpghub.common.authz import is_signed_in

NOTIFICATIONS_RULES = rules.RuleSet()
NOTIFICATIONS_RULES.add_rule("notifications.follow", is_signed_in)
