"""/deployments, /implementers, /countries and /countries/{code}: parse, call the domain, render.

Reads are public; writes (record, edit, confirm, dispute, withdraw a dispute) need a write token, and the
deployments services decide who may do what. No person is ever named: a claim's source says "a person",
or the imported file and row.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dpghub.api.auth import request_actor, write_actor
from dpghub.api.schemas import MAX_PAGE, Error, HistoryOut
from dpghub.catalog.selectors import good_get
from dpghub.common.selectors import history_of
from dpghub.deployments.enums import DpiLayer, ReachUnit, Sector, Stage, VerificationState
from dpghub.deployments.errors import InvalidDeployment
from dpghub.deployments.models import Deployment
from dpghub.deployments.presenters import COUNTRY_DEPLOYMENTS_SHOWN, country_page, deployment_counts
from dpghub.deployments.selectors import (
    deployment_get,
    deployment_is_stale,
    deployment_list,
    implementer_directory,
)
from dpghub.deployments.services import (
    deployment_confirm,
    deployment_dispute,
    deployment_record,
    deployment_resolve,
    deployment_update,
)
from dpghub.orgs.selectors import organisation_get

router = Router(tags=["deployments"])
MAX_PAGE_SIZE = 200


class PartnerOut(Schema):
    organisation: str | None = Field(description="The registered organisation's slug, if it is one.")
    name: str


class SourceOut(Schema):
    kind: str = Field(description="person, import or registry.")
    format: str
    file: str
    row: int | None


class MatchOut(Schema):
    method: str = Field(description="exact, alias or fuzzy: how the file's software name was matched.")
    score: float | None
    name: str = Field(description="The software's name in the file.")


class DeploymentOut(Schema):
    id: int
    good: str = Field(description="The good's slug.")
    good_name: str
    country: str = Field(description="ISO 3166-1 alpha-2.")
    agency: str | None = Field(description="The deploying agency's slug, when it is a registered organisation.")
    agency_name: str
    layer: str
    sector: str
    stage: str
    scope: str
    started_on: date | None
    ended_on: date | None
    reach: int | None
    reach_unit: str
    reach_as_of: date | None
    implementers: list[PartnerOut]
    funders: list[PartnerOut]
    evidence_urls: list[str]
    notes: str
    verification: str = Field(description="claimed, verified (by the deploying agency) or disputed.")
    is_stale: bool = Field(description="Not confirmed (or recorded) within DPGHUB_DEPLOYMENTS_STALE_DAYS.")
    confirmed_at: datetime | None
    disputed_reason: str
    source: SourceOut
    match: MatchOut | None
    is_sample: bool
    version: int = Field(description="Send it back with an edit: an edit of an older version is refused (409).")


class DeploymentList(Schema):
    count: int
    page: int
    page_size: int
    results: list[DeploymentOut]


class PartnerIn(Schema):
    organisation: str | None = Field(None, description="A registered organisation's slug.")
    name: str = Field("", max_length=300, description="Or the name, when it is not registered.")


class DeploymentFields(Schema):
    agency: str | None = Field(None, description="The deploying agency's slug (a registered organisation).")
    agency_name: str = Field("", max_length=300, description="Or its name, when it is not registered.")
    layer: DpiLayer | None = None
    sector: Sector | None = None
    stage: Stage | None = None
    scope: str = Field("", max_length=500)
    started_on: date | None = None
    ended_on: date | None = None
    reach: int | None = Field(None, ge=0)
    reach_unit: ReachUnit | None = None
    reach_as_of: date | None = None
    evidence_urls: list[str] = Field(default_factory=list, max_length=50)
    notes: str = Field("", max_length=5000)
    implementers: list[PartnerIn] = Field(default_factory=list, max_length=100)
    funders: list[PartnerIn] = Field(default_factory=list, max_length=100)


class DeploymentIn(DeploymentFields):
    good: str = Field(description="The good's slug.")
    country: str = Field(description="ISO 3166 alpha-2 or alpha-3 code, or the country's name.")


class DeploymentPatch(DeploymentFields):
    version: int = Field(description="The version you read.")
    country: str | None = None


class ActionIn(Schema):
    reason: str = Field("", max_length=5000, description="Why it is disputed (dispute only).")


class DeploymentFilters(Schema):
    good: str = Field("", description="A good's slug.")
    country: str = Field("", description="ISO 3166 code or name.")
    layer: DpiLayer | None = None
    stage: Stage | None = None
    verification: VerificationState | None = None
    agency: str = Field("", description="The deploying agency's slug.")
    stale: bool | None = Field(None, description="Only stale (true) or only fresh (false) deployments.")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class ImplementerOut(Schema):
    organisation: str | None = Field(description="The registered organisation's slug, or null for a name only.")
    name: str
    countries: list[str]
    goods: list[str]
    deployments: list[int] = Field(description="Ids of the deployments it implements: its references.")
    verified_deployments: int


class CountryDeploymentOut(Schema):
    id: int
    good: str
    good_name: str
    area: str = Field(description="The DPI layer, or 'sector:<sector>', or '' when neither is known.")
    layer: str
    sector: str
    stage: str
    agency: str | None
    agency_name: str
    verification: str
    is_stale: bool
    reach: int | None
    reach_unit: str
    reach_as_of: date | None


class CountryImplementerOut(Schema):
    organisation: str | None
    name: str
    deployments: int
    goods: int
    verified_deployments: int


class CountryPledgeOut(Schema):
    ref: str
    title: str
    status: str
    pledged_on: date
    endorser: str
    endorser_name: str


class CountryOut(Schema):
    country: str = Field(description="ISO 3166-1 alpha-2.")
    alpha_3: str
    name: str
    deployments: int
    by_layer_and_stage: dict[str, dict[str, int]] = Field(
        description="Counts by DPI layer (or 'sector:<sector>', or '' when neither is known), then by stage.")
    verification: dict[str, int]
    stale: int
    goods: list[str] = Field(description="The slugs of the goods deployed there (the first 1,000 by slug).")
    goods_count: int
    deployments_shown: list[CountryDeploymentOut] = Field(
        description=f"The first {COUNTRY_DEPLOYMENTS_SHOWN} deployments, by layer, stage and verification; "
                    "/deployments?country= lists them all.")
    implementers: list[CountryImplementerOut] = Field(description="Implementers active there, most deployments first.")
    pledges: list[CountryPledgeOut] = Field(description="Published (and withdrawn) Charter pledges concerning it.")


class CountryCountOut(Schema):
    country: str
    deployments: int
    verified: int
    disputed: int
    stale: int


def _partners(deployment: Deployment, role: str) -> list[dict]:
    return [{"organisation": p.organisation.slug if p.organisation_id else None,
             "name": p.organisation.name if p.organisation_id else p.name}
            for p in deployment.partners.all() if p.role == role]


def _deployment(deployment: Deployment) -> dict:
    return {
        "id": deployment.pk, "good": deployment.good.slug, "good_name": deployment.good.name,
        "country": deployment.country, "agency": deployment.agency.slug if deployment.agency_id else None,
        "agency_name": deployment.agency.name if deployment.agency_id else deployment.agency_name,
        **{name: getattr(deployment, name) for name in (
            "layer", "sector", "stage", "scope", "started_on", "ended_on", "reach", "reach_unit", "reach_as_of",
            "evidence_urls", "notes", "verification", "confirmed_at", "disputed_reason", "is_sample", "version")},
        "implementers": _partners(deployment, "implementer"), "funders": _partners(deployment, "funder"),
        "is_stale": deployment_is_stale(deployment),
        "source": {"kind": deployment.source_kind, "format": deployment.source_format,
                   "file": deployment.source_file, "row": deployment.source_row},
        "match": ({"method": deployment.match_method, "score": deployment.match_score, "name": deployment.match_name}
                  if deployment.match_method else None),
    }


def _partner_values(viewer, partners: list[PartnerIn]) -> list:
    values = []
    for partner in partners:
        if partner.organisation:
            values.append(organisation_get(viewer=viewer, slug=partner.organisation))
        elif partner.name.strip():
            values.append(partner.name)
        else:
            raise InvalidDeployment(_("A partner needs an organisation or a name."), field="implementers")
    return values


def _fields(viewer, body: DeploymentFields, *, only_set: bool) -> dict:
    data = body.dict(exclude_unset=only_set)
    fields = {}
    for name, value in data.items():
        if name in ("version", "good", "implementers", "funders"):
            continue
        if name == "agency":
            fields[name] = organisation_get(viewer=viewer, slug=value) if value else None
        elif name in ("layer", "sector", "stage", "reach_unit"):
            fields[name] = getattr(value, "value", value) or ""
        elif name == "country" and value is None:
            continue
        else:
            fields[name] = value
    for role in ("implementers", "funders"):
        if role in data:
            fields[role] = _partner_values(viewer, getattr(body, role))
    return fields


@router.get("/deployments", response={200: DeploymentList, 400: Error, 422: Error}, url_name="deployments_list",
            operation_id="deployments_list", summary="Deployments of goods, with filters")
def deployments_list(request: HttpRequest, filters: Query[DeploymentFilters]) -> dict:
    viewer = request_actor(request).user
    deployments = deployment_list(
        viewer=viewer, good=filters.good, country=filters.country,
        layer=filters.layer.value if filters.layer else "", stage=filters.stage.value if filters.stage else "",
        verification=filters.verification.value if filters.verification else "", agency=filters.agency,
        stale=filters.stale)
    start = (filters.page - 1) * filters.page_size
    return {"count": deployments.count(), "page": filters.page, "page_size": filters.page_size,
            "results": [_deployment(d) for d in deployments[start:start + filters.page_size]]}


@router.get("/deployments/{id}", response={200: DeploymentOut, 404: Error}, url_name="deployment_detail",
            operation_id="deployment_detail", summary="One deployment, with its source and verification")
def deployment_detail(request: HttpRequest, id: int) -> dict:
    return _deployment(deployment_get(viewer=request_actor(request).user, deployment_id=id))


@router.get("/deployments/{id}/history", response={200: HistoryOut, 404: Error}, url_name="deployment_history",
            operation_id="deployment_history", summary="What happened to a deployment: recorded, edited, confirmed, disputed")
def deployment_history(request: HttpRequest, id: int) -> dict:
    viewer = request_actor(request).user
    return {"entries": history_of(viewer=viewer, target=deployment_get(viewer=viewer, deployment_id=id))}


@router.post("/deployments", response={201: DeploymentOut, 400: Error, 401: Error, 403: Error, 404: Error,
                                       422: Error, 429: Error},
             url_name="deployment_record", operation_id="deployment_record",
             summary="Record a deployment (a claim until the deploying agency confirms it)")
def deployment_create(request: HttpRequest, body: DeploymentIn) -> Status:
    actor = write_actor(request)
    good = good_get(slug=body.good)
    deployment = deployment_record(actor=actor, good=good, **_fields(actor.user, body, only_set=False))
    return Status(201, _deployment(deployment_get(viewer=actor.user, deployment_id=deployment.pk)))


@router.patch("/deployments/{id}", response={200: DeploymentOut, 400: Error, 401: Error, 403: Error, 404: Error,
                                             409: Error, 422: Error, 429: Error},
              url_name="deployment_update", operation_id="deployment_update",
              summary="Change a deployment (a verified one becomes a claim again)")
def deployment_patch(request: HttpRequest, id: int, body: DeploymentPatch) -> dict:
    actor = write_actor(request)
    deployment = deployment_get(viewer=actor.user, deployment_id=id)
    deployment_update(actor=actor, deployment=deployment, version=body.version,
                      **_fields(actor.user, body, only_set=True))
    return _deployment(deployment_get(viewer=actor.user, deployment_id=id))


@router.post("/deployments/{id}/actions/{action}",
             response={200: DeploymentOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 429: Error},
             url_name="deployment_action", operation_id="deployment_action",
             summary="confirm (a member of the deploying agency), dispute with a reason or resolve (the secretariat)")
def deployment_action(request: HttpRequest, id: int, action: str, body: ActionIn) -> dict:
    actor = write_actor(request)
    deployment = deployment_get(viewer=actor.user, deployment_id=id)
    if action == "confirm":
        deployment_confirm(actor=actor, deployment=deployment)
    elif action == "dispute":
        deployment_dispute(actor=actor, deployment=deployment, reason=body.reason)
    elif action == "resolve":
        deployment_resolve(actor=actor, deployment=deployment)
    else:
        raise InvalidDeployment(_("Unknown action “%(action)s”; use confirm, dispute or resolve.") % {"action": action},
                                field="action")
    return _deployment(deployment_get(viewer=actor.user, deployment_id=id))


@router.get("/implementers", response={200: list[ImplementerOut], 400: Error}, url_name="implementers_list",
            operation_id="implementers_list",
            summary="Implementers and vendors: where they work, on which goods, with their deployments")
def implementers_list(request: HttpRequest, country: str = "", good: str = "") -> list:
    return implementer_directory(viewer=request_actor(request).user, country=country, good=good)


@router.get("/countries", response={200: list[CountryCountOut], 400: Error}, url_name="countries_list",
            operation_id="countries_list",
            summary="Deployments per country (the world map's numbers), filtered by good, layer and stage")
def countries_list(request: HttpRequest, good: str = "", layer: DpiLayer | None = None,
                   stage: Stage | None = None) -> list:
    return deployment_counts(viewer=request_actor(request).user, good=good,
                             layer=layer.value if layer else "", stage=stage.value if stage else "")


@router.get("/countries/{code}", response={200: CountryOut, 404: Error}, url_name="country_detail",
            operation_id="country_detail",
            summary="What is deployed in a country (alpha-2 or alpha-3), by layer and stage; implementers; pledges")
def country_detail(request: HttpRequest, code: str) -> dict:
    return country_page(viewer=request_actor(request).user, code=code)
