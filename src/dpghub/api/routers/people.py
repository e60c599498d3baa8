"""/me, /orgs, /memberships and the history of objects: parse, call the domain, render."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from dpghub.api.auth import request_actor, signed_actor, write_actor
from dpghub.api.schemas import Error, HistoryOut
from dpghub.catalog.selectors import good_get
from dpghub.common.authz import person_platform_roles
from dpghub.common.selectors import history_of
from dpghub.orgs.enums import OrganisationType
from dpghub.orgs.errors import InvalidOrganisation
from dpghub.orgs.selectors import membership_get, organisation_get, organisation_list, person_organisations
from dpghub.orgs.services import membership_approve, membership_end, membership_refuse, membership_request
from dpghub.screening.selectors import screening_runs_of

router = Router(tags=["people and organisations"])


class OrganisationOut(Schema):
    id: str = Field(description="The organisation's slug.")
    name: str
    type: str
    agency: str
    country: str
    website: str


class MyOrganisation(Schema):
    organisation: OrganisationOut
    role: str


class MeOut(Schema):
    username: str
    email: str
    platform_roles: list[str]
    organisations: list[MyOrganisation]
    token_scope: str
    acting_for: str | None = Field(description="The organisation named in X-DPGHub-On-Behalf-Of, if any.")


class MembershipOut(Schema):
    id: int
    organisation: str
    status: str
    role: str


class MembershipIn(Schema):
    note: str = Field("", max_length=500, description="Why you act for this organisation (optional).")


class DecisionIn(Schema):
    role: str = Field("member", description="For approve: member or admin.")


def _organisation(org) -> dict:
    return {"id": org.slug, "name": org.name, "type": org.type, "agency": org.agency, "country": org.country,
            "website": org.website}


def _membership(m) -> dict:
    return {"id": m.pk, "organisation": m.organisation.slug, "status": m.status, "role": m.role}


@router.get("/me", response={200: MeOut, 401: Error, 429: Error}, url_name="me", operation_id="me",
            summary="Who the token acts for: the person, their platform roles and organisations")
def me(request: HttpRequest) -> dict:
    actor = signed_actor(request)
    user = actor.user
    return {
        "username": user.username, "email": user.email,
        "platform_roles": sorted(person_platform_roles(user)),
        "organisations": [{"organisation": _organisation(org), "role": role}
                          for org, role in person_organisations(viewer=user)],
        "token_scope": actor.token_scope,
        "acting_for": actor.organisation.slug if actor.organisation is not None else None,
    }


@router.get("/orgs", response={200: list[OrganisationOut], 401: Error, 429: Error}, url_name="orgs_list",
            operation_id="orgs_list", summary="Organisations registered in DPG Hub")
def orgs_list(request: HttpRequest, type: OrganisationType | None = None, country: str = "", q: str = "") -> list:
    viewer = request_actor(request).user
    return [_organisation(o) for o in organisation_list(viewer=viewer, type=type.value if type else "",
                                                        country=country, q=q)[:500]]


@router.get("/orgs/{id}", response={200: OrganisationOut, 404: Error}, url_name="org_detail",
            operation_id="org_detail", summary="One organisation")
def org_detail(request: HttpRequest, id: str) -> dict:
    return _organisation(organisation_get(viewer=request_actor(request).user, slug=id))


@router.get("/orgs/{id}/history", response={200: HistoryOut, 404: Error}, url_name="org_history",
            operation_id="org_history", summary="What happened to an organisation")
def org_history(request: HttpRequest, id: str) -> dict:
    viewer = request_actor(request).user
    return {"entries": history_of(viewer=viewer, target=organisation_get(viewer=viewer, slug=id))}


@router.post("/orgs/{id}/memberships", response={201: MembershipOut, 401: Error, 403: Error, 404: Error,
                                                 409: Error, 429: Error},
             url_name="membership_request", operation_id="membership_request",
             summary="Ask to act for an organisation (its administrators or the secretariat decide)")
def membership_create(request: HttpRequest, id: str, body: MembershipIn) -> Status:
    actor = write_actor(request)
    organisation = organisation_get(viewer=actor.user, slug=id)
    return Status(201, _membership(membership_request(actor=actor, organisation=organisation, note=body.note)))


_DECISIONS = {"approve": membership_approve, "refuse": membership_refuse, "end": membership_end}


@router.post("/memberships/{membership_id}/actions/{action}",
             response={200: MembershipOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 429: Error},
             url_name="membership_action", operation_id="membership_action",
             summary="Approve, refuse or end a membership")
def membership_action(request: HttpRequest, membership_id: int, action: str, body: DecisionIn) -> dict:
    actor = write_actor(request)
    membership = membership_get(viewer=actor.user, membership_id=membership_id)
    if action not in _DECISIONS:
        raise InvalidOrganisation(_("Unknown action “%(action)s”; use approve, refuse or end.") % {"action": action},
                                  field="action")
    if action == "approve":
        return _membership(membership_approve(actor=actor, membership=membership, role=body.role))
    return _membership(_DECISIONS[action](actor=actor, membership=membership))


@router.get("/goods/{id}/history", response={200: HistoryOut, 404: Error}, url_name="good_history",
            operation_id="good_history", summary="What happened to a good in DPG Hub")
def good_history(request: HttpRequest, id: str) -> dict:
    viewer = request_actor(request).user
    good = good_get(slug=id)
    return {"entries": history_of(viewer=viewer, target=good, related=screening_runs_of(good=good))}
