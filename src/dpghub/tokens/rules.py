"""Who may manage API tokens: the person who owns them, or the secretariat (to revoke)."""

from __future__ import annotations

from typing import Any

import rules

from dpghub.common.authz import is_secretariat


@rules.predicate
def owns_token(user: Any, token: Any) -> bool:
    return token is not None and getattr(user, "pk", None) == token.person_id


@rules.predicate
def is_the_person(user: Any, person: Any) -> bool:
    return person is not None and getattr(user, "pk", None) == person.pk


TOKENS_RULES = rules.RuleSet()
TOKENS_RULES.add_rule("tokens.create_token", is_the_person)
TOKENS_RULES.add_rule("tokens.revoke_token", owns_token | is_secretariat)
