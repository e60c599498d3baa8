"""Organisations and memberships: what the services do beyond permissions."""

from __future__ import annotations

import pytest

from dpghub.common.errors import Conflict
from dpghub.common.history import Actor
from dpghub.common.models import Activity
from dpghub.orgs.enums import MembershipRole, MembershipStatus
from dpghub.orgs.errors import InvalidOrganisation, InvalidTransition, OrgsPermissionDenied
from dpghub.orgs.models import Membership
from dpghub.orgs.selectors import (
    actor_on_behalf_of,
    membership_get,
    memberships_pending,
    organisation_members,
    person_organisations,
)
from dpghub.orgs.services import (
    membership_approve,
    membership_end,
    membership_request,
    membership_role_set,
    organisation_create,
    organisation_update,
)


def test_create_checks_type_country_and_website_and_names_the_first_admin(world):
    system = Actor.system_job("cli")
    with pytest.raises(InvalidOrganisation) as bad_type:
        organisation_create(actor=system, name="X", type="ngo")
    assert bad_type.value.field == "type" and "civil-society" in bad_type.value.message
    with pytest.raises(InvalidOrganisation) as bad_country:
        organisation_create(actor=system, name="X", type="government", country="Narnia")
    assert bad_country.value.field == "country"
    with pytest.raises(InvalidOrganisation) as bad_site:
        organisation_create(actor=system, name="X", type="government", website="javascript:alert(1)")
    assert bad_site.value.field == "website"
    org = organisation_create(actor=system, name="  Ministry  of ICT ", type="government", country="ken",
                              agency="Digital Office", admin=world.people["outsider"])
    assert (org.name, org.country, org.slug, str(org)) == ("Ministry of ICT", "KE", "ministry-of-ict-ke",
                                                           "Ministry of ICT — Digital Office")
    membership = Membership.objects.get(organisation=org)
    assert (membership.person, membership.role, membership.status) == (world.people["outsider"], "admin", "active")
    with pytest.raises(InvalidOrganisation):
        organisation_create(actor=system, name="ministry of ict", type="government", country="KE", agency="digital office")


def test_update_records_only_what_changed(world):
    admin = world.actors["admin"]
    organisation_update(actor=admin, organisation=world.org, website="https://health.go.ke", name="Ministry of Health")
    row = Activity.objects.get(action="orgs.organisation.update")
    assert row.changes == {"website": {"before": "", "after": "https://health.go.ke"}}
    assert row.actor_id == world.people["admin"].pk
    count = Activity.objects.count()
    organisation_update(actor=admin, organisation=world.org, website="https://health.go.ke")
    assert Activity.objects.count() == count  # nothing changed, nothing recorded


def test_request_approve_and_act_on_behalf(world):
    person = world.people["outsider"]
    membership = membership_request(actor=Actor.person(person), organisation=world.org, note="I run the HMIS unit")
    assert membership.status == MembershipStatus.REQUESTED
    assert list(memberships_pending(viewer=world.people["admin"])) == [_requested(world), membership]
    assert list(memberships_pending(viewer=world.people["other_admin"])) == []
    with pytest.raises(OrgsPermissionDenied):
        actor_on_behalf_of(actor=Actor.person(person), organisation_slug="moh-ke")
    membership_approve(actor=world.actors["admin"], membership=membership, role=MembershipRole.MEMBER)
    acting = actor_on_behalf_of(actor=Actor.person(person), organisation_slug="moh-ke")
    assert acting.organisation == world.org
    assert person_organisations(viewer=person) == [(world.org, "member")]
    with pytest.raises(InvalidTransition) as conflict:
        membership_approve(actor=world.actors["admin"], membership=membership)
    assert isinstance(conflict.value, Conflict) and conflict.value.details == {"allowed": ["End"]}


def _requested(world):
    return Membership.objects.get(person=world.people["requester"])


def test_an_organisation_keeps_at_least_one_admin(world):
    admin_membership = Membership.objects.get(person=world.people["admin"])
    with pytest.raises(InvalidOrganisation):
        membership_end(actor=world.actors["admin"], membership=admin_membership)
    with pytest.raises(InvalidOrganisation):
        membership_role_set(actor=world.actors["secretariat"], membership=admin_membership, role="member")
    membership_role_set(actor=world.actors["admin"], membership=Membership.objects.get(person=world.people["member"]),
                        role="admin")
    membership_end(actor=world.actors["admin"], membership=admin_membership)
    assert Membership.objects.get(pk=admin_membership.pk).status == MembershipStatus.ENDED


def test_members_and_memberships_are_hidden_from_outsiders(world):
    assert organisation_members(viewer=world.people["outsider"], organisation=world.org).count() == 0
    assert organisation_members(viewer=world.people["member"], organisation=world.org).count() == 2
    requested = _requested(world)
    from dpghub.orgs.errors import MembershipNotFound

    with pytest.raises(MembershipNotFound):
        membership_get(viewer=world.people["outsider"], membership_id=requested.pk)
    with pytest.raises(MembershipNotFound):
        membership_get(viewer=world.people["member"], membership_id=requested.pk)
    assert membership_get(viewer=world.people["requester"], membership_id=requested.pk) == requested
    assert membership_get(viewer=world.people["admin"], membership_id=requested.pk) == requested
