"""schema.org JSON-LD for a good's page, so that search engines and harvesters read what it is.

The type follows the good's first category: open software is ``SoftwareSourceCode``, open data a
``Dataset``, and open content, AI models and standards a ``CreativeWork``. Only public catalogue
fields are used (never contacts). The JSON is escaped for a ``<script>`` element as Django's
``json_script`` does, so that a name cannot close the element.
"""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from dpghub.catalog.enums import Category, CountryRole, OrganisationRole
from dpghub.catalog.models import Good

_TYPE_OF = {Category.SOFTWARE: "SoftwareSourceCode", Category.DATA: "Dataset"}
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def schema_type(good: Good) -> str:
    for code in good.categories:
        if code in _TYPE_OF:
            return _TYPE_OF[code]
    return "CreativeWork"


def good_json_ld(good: Good, *, url: str, countries: dict) -> dict:
    """The schema.org description of ``good``; ``url`` is its page's absolute address and
    ``countries`` what catalog.presenters.good_countries gives."""
    kind = schema_type(good)
    data: dict = {"@context": "https://schema.org", "@type": kind, "@id": url, "url": url, "name": good.name,
                  "identifier": str(good.uid)}
    if good.description:
        data["description"] = good.description
    if good.aliases:
        data["alternateName"] = list(good.aliases)
    if good.website:
        data["sameAs"] = good.website
    licences = [lic.expression for lic in good.licenses.all()]
    if licences:
        data["license"] = [f"https://spdx.org/licenses/{expr}" if _is_plain_id(expr) else expr for expr in licences]
    owners = [link.organisation for link in good.organisation_links.all() if link.role == OrganisationRole.OWNER]
    if owners:
        data["creator"] = [_organisation(org) for org in owners]
    funders = [link.organisation for link in good.organisation_links.all() if link.role == OrganisationRole.FUNDER]
    if funders:
        data["funder"] = [_organisation(org) for org in funders]
    repositories = [repo.url for repo in good.repositories.all()]
    if kind == "SoftwareSourceCode" and repositories:
        data["codeRepository"] = repositories[0]
    deployed = countries.get(CountryRole.DEPLOYMENT.value, [])
    if deployed:
        data["spatialCoverage"] = [{"@type": "Country", "name": ref.name, "identifier": ref.code} for ref in deployed]
    keywords = list(good.sectors) + [f"SDG {link.sdg}" for link in good.sdgs.all()]
    if keywords:
        data["keywords"] = keywords
    if good.recognised_on:
        data["datePublished"] = good.recognised_on.isoformat()
    if good.expires_on:
        data["expires"] = good.expires_on.isoformat()
    return data


def _is_plain_id(expression: str) -> bool:
    return " " not in expression and "(" not in expression


def _organisation(org) -> dict:
    out = {"@type": "Organization", "name": org.name}
    if org.website:
        out["url"] = org.website
    return out


def json_ld_script(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above
