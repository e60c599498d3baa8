"""Up to four goods side by side: Standard status and expiry, licences, screening findings, deployments by stage
and verified share, implementers, languages named in their records, activity. One read for the page and its
JSON twin (``/api/v1/compare``); public data only (no contact, no person)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import cache
from typing import Any

import pycountry
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from dpghub.catalog.models import Good
from dpghub.core.finder import mentions
from dpghub.core.licensing.copyleft import expression_copyleft
from dpghub.deployments.enums import PartnerRole, Stage, VerificationState
from dpghub.deployments.errors import InvalidDeployment
from dpghub.deployments.finder import _date
from dpghub.deployments.models import Deployment, DeploymentPartner
from dpghub.screening.models import ScreeningRun, ScreeningStatus

COMPARE_MAX = 4


def slugs_from_params(params: Any) -> list[str]:
    """The goods to compare from ``goods=a,b`` or repeated ``goods=a&goods=b`` (order kept, duplicates dropped)."""
    values = params.getlist("goods") if hasattr(params, "getlist") else [params.get("goods", "")]
    slugs: list[str] = []
    for value in values:
        for part in str(value or "").split(","):
            part = part.strip()
            if part and part not in slugs:
                slugs.append(part)
    if len(slugs) > COMPARE_MAX:
        raise InvalidDeployment(_("Compare at most %(count)s goods at a time.") % {"count": COMPARE_MAX},
                                field="goods")
    return slugs


@cache
def _language_names() -> tuple[str, ...]:
    """English names of the ISO 639-1 languages (the ones with a two-letter code)."""
    return tuple(sorted({language.name.split(";")[0].split(" (")[0] for language in pycountry.languages
                         if hasattr(language, "alpha_2")}))


def languages_named(text: str) -> list[str]:
    """The ISO 639-1 language names that ``text`` names as whole words (the registry keeps no language list)."""
    return [name for name in _language_names() if mentions(text, name)]


def _screening(good: Good) -> dict[str, Any] | None:
    run = (ScreeningRun.objects.filter(good=good, status=ScreeningStatus.SUCCEEDED)
           .order_by("-finished_at", "-id").first())
    if run is None:
        return None
    report = run.report if isinstance(run.report, dict) else {}
    findings = Counter(str(item.get("status") or "") for item in report.get("findings", []) if isinstance(item, dict))
    licences = report.get("licenses") if isinstance(report.get("licenses"), dict) else {}
    last_commit = next((_date(item.get("value")) for item in report.get("health", [])
                        if isinstance(item, dict) and item.get("id") == "last_commit"), None)
    return {
        "finished_at": run.finished_at, "commit": run.commit, "root_license": run.root_license,
        "previous_root_license": run.previous_root_license, "license_changed": run.license_changed,
        "approval": str(licences.get("approval") or ""), "findings": dict(sorted(findings.items())),
        "last_commit": last_commit,
    }


def goods_compare(*, viewer: Any, slugs: list[str]) -> list[dict[str, Any]]:
    """One entry per good, in the order asked; raises InvalidDeployment naming slugs of no good."""
    if not slugs:
        return []
    goods = {good.slug: good for good in Good.objects.filter(slug__in=slugs).prefetch_related("licenses")}
    unknown = [slug for slug in slugs if slug not in goods]
    if unknown:
        raise InvalidDeployment(_("No good is called %(slugs)s.") % {"slugs": ", ".join(unknown)}, field="goods")
    ids = [goods[slug].pk for slug in slugs]
    stages: dict[int, dict[str, int]] = defaultdict(dict)
    verification: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(VerificationState.values, 0))
    countries: dict[int, int] = {}
    last_confirmed: dict[int, Any] = {}
    rows = Deployment.objects.filter(good_id__in=ids)
    for row in rows.values("good_id", "stage").annotate(n=Count("pk")):
        stages[row["good_id"]][row["stage"] or ""] = row["n"]
    for row in rows.values("good_id", "verification").annotate(n=Count("pk")):
        verification[row["good_id"]][row["verification"]] = row["n"]
    for row in rows.values("good_id").annotate(countries=Count("country", distinct=True),
                                               confirmed=Max("confirmed_at")):
        countries[row["good_id"]] = row["countries"]
        last_confirmed[row["good_id"]] = row["confirmed"]
    implementers: dict[int, set[str]] = defaultdict(set)
    partners = (DeploymentPartner.objects.filter(deployment__good_id__in=ids, role=PartnerRole.IMPLEMENTER)
                .values_list("deployment__good_id", "organisation__name", "name"))
    for good_id, organisation_name, name in partners:
        implementers[good_id].add(organisation_name or name)
    out = []
    stage_order = [*Stage.values, ""]
    for slug in slugs:
        good = goods[slug]
        counts = verification[good.pk]
        total = sum(counts.values())
        licences = [{"expression": lic.expression, "evidence_url": lic.evidence_url,
                     "copyleft": expression_copyleft(lic.expression).name.lower()}
                    for lic in good.licenses.all()]
        screening = _screening(good)
        out.append({
            "slug": good.slug, "name": good.name, "url": f"/goods/{good.slug}/", "stage": good.stage,
            "recognised_on": good.recognised_on, "expires_on": good.expires_on,
            "expires_in_days": (good.expires_on - dt.date.today()).days if good.expires_on else None,
            "categories": list(good.categories), "licences": licences, "screening": screening,
            "deployments": {
                "total": total, "countries": countries.get(good.pk, 0),
                "by_stage": {stage: stages[good.pk][stage] for stage in stage_order if stage in stages[good.pk]},
                "verification": counts,
                "verified_share": round(counts[VerificationState.VERIFIED] / total, 3) if total else None,
            },
            "implementers": sorted(implementers[good.pk], key=str.casefold),
            "languages_named": languages_named("\n".join([good.name, *map(str, good.aliases or []),
                                                          good.description])),
            "activity": {
                "last_commit": screening["last_commit"] if screening else None,
                "last_screened_at": screening["finished_at"] if screening else None,
                "last_deployment_confirmed_at": last_confirmed.get(good.pk),
                "updated_at": good.updated_at,
            },
        })
    return out
