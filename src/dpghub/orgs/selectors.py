"""Reads of organisations and memberships, for a given viewer.

Organisations are public. Memberships are seen by the person, the organisation's administrators and the
secretariat; to anyone else a membership does not exist (not found, not "forbidden").
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dpghub.common.authz import actor_may, is_secretariat
from dpghub.common.history import Actor
from dpghub.orgs.enums import MembershipRole, MembershipStatus
from dpghub.orgs.errors import MembershipNotFound, OrganisationNotFound, OrgsPermissionDenied
from dpghub.orgs.models import Membership, Organisation
from dpghub.orgs.rules import ORGS_RULES


def organisation_list(*, viewer: Any, type: str = "", country: str = "", q: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.all()
    if type:
        organisations = organisations.filter(type=type)
    if country:
        organisations = organisations.filter(country=country.upper())
    if q:
        organisations = organisations.filter(Q(name__icontains=q) | Q(agency__icontains=q))
    return organisations.order_by("name", "agency")


def organisation_get(*, viewer: Any, slug: str) -> Organisation:
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise OrganisationNotFound(slug) from None


def organisation_members(*, viewer: Any, organisation: Organisation) -> QuerySet[Membership]:
    """Active members, for the organisation's members and the secretariat; nobody else sees who they are."""
    if not actor_may(ORGS_RULES, "orgs.view_members", actor=Actor.from_user(viewer), obj=organisation, write=False):
        return Membership.objects.none()
    return (Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
            .select_related("person").order_by("role", "person__email"))


def memberships_pending(*, viewer: Any, organisation: Organisation | None = None) -> QuerySet[Membership]:
    """Requests waiting for a decision that ``viewer`` may take (its organisations, or all for the secretariat)."""
    pending = Membership.objects.filter(status=MembershipStatus.REQUESTED).select_related("organisation", "person")
    if organisation is not None:
        pending = pending.filter(organisation=organisation)
    if is_secretariat(viewer):
        return pending.order_by("requested_at")
    if not getattr(viewer, "is_authenticated", False):
        return Membership.objects.none()
    administered = Membership.objects.filter(person=viewer, role=MembershipRole.ADMIN,
                                             status=MembershipStatus.ACTIVE).values("organisation_id")
    return pending.filter(organisation_id__in=administered).order_by("requested_at")


def membership_get(*, viewer: Any, membership_id: int) -> Membership:
    membership = Membership.objects.select_related("organisation", "person").filter(pk=membership_id).first()
    if membership is None or not actor_may(ORGS_RULES, "orgs.view_membership", actor=Actor.from_user(viewer),
                                           obj=membership, write=False):
        raise MembershipNotFound()
    return membership


def person_memberships(*, viewer: Any) -> QuerySet[Membership]:
    """The viewer's own memberships, every state."""
    if not getattr(viewer, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(person=viewer).select_related("organisation").order_by("organisation__name")


def person_organisations(*, viewer: Any) -> list[tuple[Organisation, str]]:
    """The organisations the viewer acts for now, with the role in each."""
    return [(m.organisation, m.role) for m in person_memberships(viewer=viewer).filter(status=MembershipStatus.ACTIVE)]


def actor_on_behalf_of(*, actor: Actor, organisation_slug: str | None) -> Actor:
    """The actor acting for the organisation it names, which it must be an active member of."""
    if not organisation_slug:
        return actor
    organisation = organisation_get(viewer=actor.user, slug=organisation_slug)
    if not (actor.is_person and Membership.objects.filter(person=actor.user, organisation=organisation,
                                                          status=MembershipStatus.ACTIVE).exists()):
        raise OrgsPermissionDenied()
    return actor.acting_for(organisation)
