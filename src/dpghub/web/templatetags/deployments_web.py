"""``{% good_deployments good %}``: the deployments section of a good's page, self-contained (its own query),
so that the good's view and template need only the one include line."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from dpghub.core.countries import country_name
from dpghub.deployments.presenters import deployment_counts

register = template.Library()

#: How many countries the good's page lists; the map and the list show them all.
SHOWN = 20


@register.inclusion_tag("web/_good_deployments.html", takes_context=True)
def good_deployments(context, good) -> dict:
    rows = deployment_counts(viewer=context.get("user"), good=good.slug, cached=False)
    language = get_language() or "en"
    for row in rows[:SHOWN]:
        row["name"] = country_name(row["country"], language)
    return {"good": good, "user": context.get("user"), "rows": rows[:SHOWN], "more": max(0, len(rows) - SHOWN),
            "total": sum(row["deployments"] for row in rows),
            "verified": sum(row["verified"] for row in rows)}
