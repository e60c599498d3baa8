"""What a country's page and its JSON twin both show, and the numbers of the world map: worked out once.

Both interfaces (``web`` and ``api``) call these; they only translate labels and render. The counts are
aggregate queries (GROUP BY in the database), never a loop over every deployment, so that a country with
thousands of deployments and the map over a million answer quickly (bench/deployments_bench.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pycountry
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.catalog.models import Good
from dpghub.charter.enums import PledgeStatus
from dpghub.charter.selectors import pledges_list
from dpghub.deployments.enums import PartnerRole, VerificationState
from dpghub.deployments.errors import CountryNotFound, InvalidDeployment
from dpghub.deployments.models import Deployment, DeploymentPartner
from dpghub.deployments.selectors import deployment_is_stale, stale_before

#: How many deployments, implementers and pledges a country's page lists (the counts cover them all).
COUNTRY_DEPLOYMENTS_SHOWN = 200
COUNTRY_IMPLEMENTERS_SHOWN = 50
COUNTRY_PLEDGES_SHOWN = 50
COUNTRY_GOODS_LISTED = 1000
#: The order of the deployments_country_counts index: lists read in it take their first rows from the index.
INDEX_ORDER = ("country", "layer", "sector", "stage", "verification", "confirmed_at", "created_at", "pk")
#: How long the map's counts are kept (they are recomputed at once after any change to a deployment; the
#: stale counts may lag by up to this long).
COUNTS_CACHE_SECONDS = 3600

WORLD_SHAPES = Path(__file__).resolve().parents[1] / "data" / "world" / "countries.json"


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code for an alpha-2 or alpha-3 code in any case; CountryNotFound otherwise."""
    raw = (text or "").strip().upper()
    found = None
    if len(raw) == 2 and raw.isalpha():
        found = pycountry.countries.get(alpha_2=raw)
    elif len(raw) == 3 and raw.isalpha():
        found = pycountry.countries.get(alpha_3=raw)
    if found is None:
        raise CountryNotFound(text[:20])
    return found.alpha_2


def stale_q(*, on: dt.datetime | None = None) -> Q:
    """Deployments not confirmed (or, never confirmed, not recorded) since the stale limit: as a filter."""
    limit = stale_before(on=on)
    return Q(confirmed_at__lt=limit) | Q(confirmed_at__isnull=True, created_at__lt=limit)


def _area(layer: str, sector: str) -> str:
    return layer or (f"sector:{sector}" if sector else "")


def _cached(parts: list[str], compute: Callable[[dt.datetime], Any], *, on: dt.datetime | None) -> Any:
    """``compute(now)``, cached on ``parts``, on the last change of any deployment (``updated_at``, indexed:
    every save and import sets it, a partner changes only with its deployment, deployments are never deleted)
    and on the hour, so that stale counts follow the clock. ``on`` (a past or future date) is never cached."""
    if on is not None:
        return compute(on)
    last = Deployment.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    now = timezone.now()
    key = "deployments:" + hashlib.sha256(json.dumps(
        [*parts, last.isoformat() if last else "", now.strftime("%Y%m%d%H")]).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute(now)
        cache.set(key, value, COUNTS_CACHE_SECONDS)
    return value


def country_page(*, viewer: Any, code: str, on: dt.datetime | None = None) -> dict[str, Any]:
    """A country's deployments by layer and stage with their verification and reach, the implementers active
    there, and the pledges concerning it. ``code``: alpha-2 or alpha-3, any case.

    The deployments' part is cached like the map's counts (:func:`_cached`): a country with a hundred
    thousand deployments takes seconds to count; the pledges are read each time."""
    country = pycountry.countries.get(alpha_2=country_code(code))
    part = _cached(["country", country.alpha_2], lambda now: _country_deployments(country.alpha_2, on=now), on=on)
    pledges = [{"ref": p.ref, "title": p.title, "status": p.status, "pledged_on": p.pledged_on,
                "endorser": p.endorsement.organisation.slug, "endorser_name": p.endorsement.organisation.name}
               for p in pledges_list(viewer=viewer, country=country.alpha_2)
               .exclude(status=PledgeStatus.DRAFT)[:COUNTRY_PLEDGES_SHOWN]]
    return {"country": country.alpha_2, "alpha_3": country.alpha_3,
            "name": getattr(country, "common_name", None) or country.name, **part, "pledges": pledges}


def _country_deployments(code: str, *, on: dt.datetime) -> dict[str, Any]:
    deployments = Deployment.objects.filter(country=code)
    by_area: dict[str, dict[str, int]] = {}
    verification = {state: 0 for state in VerificationState.values}
    total = stale = 0
    for row in (deployments.values("layer", "sector", "stage", "verification")
                .annotate(n=Count("pk"), stale=Count("pk", filter=stale_q(on=on))).order_by()):
        area = by_area.setdefault(_area(row["layer"], row["sector"]), {})
        area[row["stage"]] = area.get(row["stage"], 0) + row["n"]
        verification[row["verification"]] += row["n"]
        total += row["n"]
        stale += row["stale"]
    good_ids = deployments.values("good_id").distinct().order_by()
    goods_count = good_ids.count()
    goods = list(Good.objects.filter(pk__in=good_ids).order_by("slug").values_list("slug", flat=True)
                 [:COUNTRY_GOODS_LISTED])
    shown = []
    # In the order of the deployments_country_counts index (within a stage: claimed, disputed, verified, by
    # date), so that the first rows are read from the index, not sorted out of all the country's rows.
    for d in deployments.select_related("good", "agency").order_by(*INDEX_ORDER)[:COUNTRY_DEPLOYMENTS_SHOWN]:
        shown.append({
            "id": d.pk, "good": d.good.slug, "good_name": d.good.name, "area": _area(d.layer, d.sector),
            "layer": d.layer, "sector": d.sector, "stage": d.stage,
            "agency": d.agency.slug if d.agency_id else None,
            "agency_name": d.agency.name if d.agency_id else d.agency_name,
            "verification": d.verification, "is_stale": deployment_is_stale(d, on=on),
            "reach": d.reach, "reach_unit": d.reach_unit, "reach_as_of": d.reach_as_of,
        })
    implementers = []
    for row in (DeploymentPartner.objects.filter(role=PartnerRole.IMPLEMENTER, deployment__country=code)
                .values("organisation__slug", "organisation__name", "name")
                .annotate(deployments=Count("deployment", distinct=True),
                          goods=Count("deployment__good", distinct=True),
                          verified=Count("deployment", distinct=True,
                                         filter=Q(deployment__verification=VerificationState.VERIFIED)))
                .order_by("-deployments", "organisation__name", "name")[:COUNTRY_IMPLEMENTERS_SHOWN]):
        implementers.append({"organisation": row["organisation__slug"],
                             "name": row["organisation__name"] or row["name"],
                             "deployments": row["deployments"], "goods": row["goods"],
                             "verified_deployments": row["verified"]})
    return {
        "deployments": total,
        "by_layer_and_stage": {area: dict(sorted(stages.items())) for area, stages in sorted(by_area.items())},
        "verification": verification, "stale": stale, "goods": goods, "goods_count": goods_count,
        "deployments_shown": shown, "implementers": implementers,
    }


def deployment_counts(*, viewer: Any, good: str = "", layer: str = "", stage: str = "",
                      on: dt.datetime | None = None, cached: bool = True) -> list[dict[str, Any]]:
    """Deployments per country (most first), with how many are verified, disputed and stale: the map's and
    the countries index's numbers. Filters: a good's slug, a DPI layer, a stage.

    Counting a million deployments takes longer than a page may, so the counts are cached (:func:`_cached`).
    ``cached`` False counts at once (a good's page: one good's deployments, read through the (good, country)
    index)."""
    if not cached:
        return _deployment_counts(good=good, layer=layer, stage=stage, on=on or timezone.now())
    rows = _cached(["counts", good, layer, stage],
                   lambda now: _deployment_counts(good=good, layer=layer, stage=stage, on=now), on=on)
    return [dict(row) for row in rows]


def _deployment_counts(*, good: str, layer: str, stage: str, on: dt.datetime) -> list[dict[str, Any]]:
    deployments = Deployment.objects.all()
    if good:
        deployments = deployments.filter(good__slug=good)
    if layer:
        deployments = deployments.filter(layer=layer)
    if stage:
        deployments = deployments.filter(stage=stage)
    rows = (deployments.values("country")
            .annotate(deployments=Count("pk"),
                      verified=Count("pk", filter=Q(verification=VerificationState.VERIFIED)),
                      disputed=Count("pk", filter=Q(verification=VerificationState.DISPUTED)),
                      stale=Count("pk", filter=stale_q(on=on)))
            .order_by())
    return sorted(({"country": row["country"], "deployments": row["deployments"], "verified": row["verified"],
                    "disputed": row["disputed"], "stale": row["stale"]} for row in rows),
                  key=lambda row: (-row["deployments"], row["country"]))


def check_choice(value: str, vocabulary: Any, field: str) -> str:
    """A filter's value if it is in the vocabulary ('' for none); InvalidDeployment otherwise."""
    if value and value not in vocabulary.values:
        raise InvalidDeployment(_("“%(value)s” is not a %(field)s; use one of: %(values)s.")
                                % {"value": value, "field": field, "values": ", ".join(vocabulary.values)},
                                field=field)
    return value


@functools.cache
def world_shapes() -> dict[str, Any]:
    """The shipped country outlines (Natural Earth via world-atlas; data/world/README.md): frame size and one
    SVG path per alpha-2 code, already projected (Equal Earth) and rounded."""
    return json.loads(WORLD_SHAPES.read_text("utf-8"))
