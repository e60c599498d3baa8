"""/finder and /compare: the JSON twins of "Find a good for our need" and the comparison page.

The query string is read by the same function as the page's (``deployments.finder.finder_need``), so the
same parameters give the same goods in the same order, each with the criteria met and missed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dpghub.api.auth import request_actor
from dpghub.api.schemas import Error
from dpghub.core.finder import text_render
from dpghub.deployments.compare import goods_compare, slugs_from_params
from dpghub.deployments.finder import finder_need, finder_search, need_query

router = Router(tags=["finder"])


class FinderQuery(Schema):
    category: list[str] = Field(default_factory=list, description="Category codes (any of them), e.g. open-software.")
    layer: list[str] = Field(default_factory=list, description="DPI layers of its deployments (any of them).")
    sector: list[str] = Field(default_factory=list, description="Sectors (any of them), e.g. health.")
    sdg: list[int] = Field(default_factory=list, description="SDGs 1-17; each one is a criterion.")
    languages: str = Field("", description="Comma-separated language names its record must mention; each one is a criterion.")
    licence: str = Field("any", description="any, no-strong-copyleft or permissive.")
    standards: str = Field("", description="Comma-separated open standards it must name (e.g. FHIR); each one is a criterion.")
    region: str = Field("", description="A UN M49 region or sub-region where it must be deployed, e.g. Eastern Africa.")
    maintained: bool = Field(False, description="A last commit within a year (screening), or a recognition in force.")
    recognised: bool = Field(False, description="Recognised digital public goods only count for this criterion.")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=500)


class FinderEvidenceOut(Schema):
    kind: str = Field(description="registry, deployments, evidence, licence or screening.")
    url: str = Field(description="A path on this site or the source's own link.")


class FinderCheckOut(Schema):
    criterion: str = Field(description="The criterion's key, e.g. sdg:3, standard:FHIR, region.")
    label: str
    met: bool
    detail: str
    evidence: list[FinderEvidenceOut]


class FinderRankedOut(Schema):
    rank: int
    good: str
    name: str
    url: str
    score: int = Field(description="Criteria met.")
    out_of: int = Field(description="Criteria asked.")
    criteria: list[FinderCheckOut]


class FinderOut(Schema):
    query: str = Field(description="The need as a query string: the link that saves and shares the search.")
    criteria: int
    count: int = Field(description="Goods that meet at least one criterion.")
    page: int
    page_size: int
    results: list[FinderRankedOut]


@router.get("/finder", response={200: FinderOut, 400: Error, 422: Error}, url_name="finder", operation_id="finder",
            summary="Goods ranked for a need, each with the criteria met and missed and the evidence")
def finder(request: HttpRequest, params: Query[FinderQuery]) -> dict:
    need = finder_need(request.GET)
    answer = finder_search(viewer=request_actor(request).user, need=need, limit=params.page_size,
                           offset=(params.page - 1) * params.page_size)
    results = []
    for ranked in answer.results:
        results.append({
            "rank": ranked.rank, "good": ranked.facts.slug, "name": ranked.facts.name, "url": ranked.facts.url,
            "score": ranked.score, "out_of": ranked.out_of,
            "criteria": [{"criterion": check.key, "label": text_render(check.label, _), "met": check.met,
                          "detail": text_render(check.detail, _),
                          "evidence": [{"kind": kind, "url": url} for kind, url in check.evidence]}
                         for check in ranked.checks],
        })
    return {"query": urlencode(need_query(need)), "criteria": len(need.criteria()), "count": answer.total,
            "page": params.page, "page_size": params.page_size, "results": results}


class CompareLicenceOut(Schema):
    expression: str
    evidence_url: str
    copyleft: str


class CompareScreeningOut(Schema):
    finished_at: datetime | None
    commit: str
    root_license: str
    previous_root_license: str
    license_changed: bool
    approval: str
    findings: dict[str, int] = Field(description="Indicators by screening status.")
    last_commit: date | None


class CompareDeploymentsOut(Schema):
    total: int
    countries: int
    by_stage: dict[str, int]
    verification: dict[str, int]
    verified_share: float | None


class CompareActivityOut(Schema):
    last_commit: date | None
    last_screened_at: datetime | None
    last_deployment_confirmed_at: datetime | None
    updated_at: datetime


class CompareGoodOut(Schema):
    slug: str
    name: str
    url: str
    stage: str
    recognised_on: date | None
    expires_on: date | None
    expires_in_days: int | None
    categories: list[str]
    licences: list[CompareLicenceOut]
    screening: CompareScreeningOut | None
    deployments: CompareDeploymentsOut
    implementers: list[str]
    languages_named: list[str] = Field(description="ISO 639-1 language names its record mentions.")
    activity: CompareActivityOut


class CompareOut(Schema):
    goods: list[CompareGoodOut]


@router.get("/compare", response={200: CompareOut, 400: Error}, url_name="compare", operation_id="compare",
            summary="Up to four goods side by side (goods=a,b,c)")
def compare(request: HttpRequest, goods: str = "") -> dict[str, Any]:
    return {"goods": goods_compare(viewer=request_actor(request).user, slugs=slugs_from_params(request.GET))}
