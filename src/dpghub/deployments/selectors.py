"""Reads of deployments: lists with filters, one deployment, staleness, a country's summary, the implementers.

Deployments are public, claims included: every read says whether a deployment is claimed, verified or
disputed, and whether it is stale (not confirmed, or recorded, for DPGHUB_DEPLOYMENTS_STALE_DAYS).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.deployments.countries import country_resolve
from dpghub.deployments.enums import PartnerRole, VerificationState
from dpghub.deployments.errors import DeploymentNotFound, InvalidDeployment
from dpghub.deployments.models import Deployment, DeploymentPartner


def stale_before(*, on: dt.datetime | None = None, days: int | None = None) -> dt.datetime:
    """The moment before which an unconfirmed deployment is stale, as of ``on`` (now by default)."""
    days = settings.DPGHUB_DEPLOYMENTS_STALE_DAYS if days is None else days
    return (on or timezone.now()) - dt.timedelta(days=days)


def deployment_is_stale(deployment: Deployment, *, on: dt.datetime | None = None, days: int | None = None) -> bool:
    """Not confirmed (or, for a claim never confirmed, not recorded) within the stale period before ``on``."""
    last = deployment.confirmed_at or deployment.created_at
    return last < stale_before(on=on, days=days)


def _with_last_seen(deployments: QuerySet[Deployment]) -> QuerySet[Deployment]:
    return deployments.annotate(last_seen=Coalesce("confirmed_at", "created_at"))


def deployment_list(
    *, viewer: Any, good: str = "", country: str = "", layer: str = "", stage: str = "", verification: str = "",
    agency: str = "", stale: bool | None = None, on: dt.datetime | None = None,
) -> QuerySet[Deployment]:
    """Deployments matching the filters (good by slug, country by code or name, agency by slug)."""
    deployments = Deployment.objects.select_related("good", "agency").prefetch_related("partners__organisation")
    if good:
        deployments = deployments.filter(good__slug=good)
    if country:
        code = country_resolve(country)
        if code is None:
            raise InvalidDeployment(_("“%(value)s” is not an ISO 3166 country.") % {"value": country}, field="country")
        deployments = deployments.filter(country=code)
    if layer:
        deployments = deployments.filter(layer=layer)
    if stage:
        deployments = deployments.filter(stage=stage)
    if verification:
        deployments = deployments.filter(verification=verification)
    if agency:
        deployments = deployments.filter(agency__slug=agency)
    if stale is not None:
        deployments = _with_last_seen(deployments)
        limit = stale_before(on=on)
        deployments = deployments.filter(last_seen__lt=limit) if stale else deployments.filter(last_seen__gte=limit)
    return deployments.order_by("country", "good__name", "pk")


def deployment_get(*, viewer: Any, deployment_id: int) -> Deployment:
    deployment = (Deployment.objects.select_related("good", "agency", "import_run")
                  .prefetch_related("partners__organisation").filter(pk=deployment_id).first())
    if deployment is None:
        raise DeploymentNotFound(str(deployment_id))
    return deployment


def country_summary(*, viewer: Any, country: str, on: dt.datetime | None = None) -> dict[str, Any]:
    """What is deployed in a country: counts by layer (or sector) and stage, verification counts, stale count,
    and the goods."""
    code = country_resolve(country)
    if code is None:
        raise InvalidDeployment(_("“%(value)s” is not an ISO 3166 country.") % {"value": country}, field="country")
    rows = list(_with_last_seen(Deployment.objects.filter(country=code))
                .values("layer", "sector", "stage", "verification", "last_seen", "good__slug"))
    limit = stale_before(on=on)
    by_area: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    verification = {state: 0 for state in VerificationState.values}
    for row in rows:
        area = row["layer"] or (f"sector:{row['sector']}" if row["sector"] else "")
        by_area[area][row["stage"]] += 1
        verification[row["verification"]] += 1
    return {
        "country": code,
        "deployments": len(rows),
        "by_layer_and_stage": {area: dict(sorted(stages.items())) for area, stages in sorted(by_area.items())},
        "verification": verification,
        "stale": sum(1 for row in rows if row["last_seen"] < limit),
        "goods": sorted({row["good__slug"] for row in rows}),
    }


def implementer_directory(*, viewer: Any, country: str = "", good: str = "") -> list[dict[str, Any]]:
    """Organisations (registered, or only named by a source) that implement goods, with the countries and
    goods they work on and their deployments as references; registered ones first, then by name."""
    partners = (DeploymentPartner.objects.filter(role=PartnerRole.IMPLEMENTER)
                .select_related("organisation", "deployment__good"))
    if country:
        code = country_resolve(country)
        if code is None:
            raise InvalidDeployment(_("“%(value)s” is not an ISO 3166 country.") % {"value": country}, field="country")
        partners = partners.filter(deployment__country=code)
    if good:
        partners = partners.filter(deployment__good__slug=good)
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for partner in partners.order_by("pk"):
        organisation = partner.organisation
        key = ("org", organisation.slug) if organisation else ("name", partner.name.casefold())
        entry = entries.setdefault(key, {
            "organisation": organisation.slug if organisation else None,
            "name": organisation.name if organisation else partner.name,
            "countries": set(), "goods": set(), "deployments": [],
            "verified_deployments": 0,
        })
        deployment = partner.deployment
        entry["countries"].add(deployment.country)
        entry["goods"].add(deployment.good.slug)
        entry["deployments"].append(deployment.pk)
        entry["verified_deployments"] += deployment.verification == VerificationState.VERIFIED
    result = []
    for entry in entries.values():
        result.append({**entry, "countries": sorted(entry["countries"]), "goods": sorted(entry["goods"]),
                       "deployments": sorted(set(entry["deployments"]))})
    return sorted(result, key=lambda e: (e["organisation"] is None, e["name"].casefold()))


def deployments_of_organisation(*, viewer: Any, organisation: Any) -> QuerySet[Deployment]:
    """Deployments where the organisation is the agency, an implementer or a funder."""
    return (Deployment.objects.filter(Q(agency=organisation) | Q(partners__organisation=organisation))
            .distinct().select_related("good").order_by("country", "good__name"))
