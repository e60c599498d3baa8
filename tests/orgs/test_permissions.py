"""Every write service of organisations x every role: allowed or refused, and a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from dpghub.catalog.models import Organisation as CatalogOrganisation
from dpghub.common.models import Activity, Job
from dpghub.notifications.models import Notification
from dpghub.orgs.errors import OrgsPermissionDenied
from dpghub.orgs.models import Membership, Organisation
from dpghub.orgs.services import (
    membership_approve,
    membership_end,
    membership_refuse,
    membership_request,
    membership_role_set,
    organisation_create,
    organisation_link_catalog,
    organisation_update,
)

ROLES = ["anonymous", "outsider", "member", "admin", "admin_of_another", "secretariat", "system",
         "admin_read_token", "admin_write_token"]


def _requested(world):
    return Membership.objects.get(person=world.people["requester"])


def _member(world):
    return Membership.objects.get(person=world.people["member"])


CALLS = {
    "organisation_create": lambda w, a: organisation_create(actor=a, name="Ministry of ICT", type="government",
                                                            country="KEN"),
    "organisation_update": lambda w, a: organisation_update(actor=a, organisation=w.org, website="https://health.go.ke"),
    "organisation_link_catalog": lambda w, a: organisation_link_catalog(
        actor=a, organisation=w.org,
        catalog_organisation_ids=[CatalogOrganisation.objects.create(name="MoH", normalized_name="moh").pk]),
    "membership_request": lambda w, a: membership_request(actor=a, organisation=w.third),
    "membership_approve": lambda w, a: membership_approve(actor=a, membership=_requested(w)),
    "membership_refuse": lambda w, a: membership_refuse(actor=a, membership=_requested(w)),
    "membership_end": lambda w, a: membership_end(actor=a, membership=_requested(w)),
    "membership_role_set": lambda w, a: membership_role_set(actor=a, membership=_member(w), role="admin"),
}

ALLOWED = {
    "organisation_create": {"secretariat", "system"},
    "organisation_update": {"admin", "secretariat", "system", "admin_write_token"},
    "organisation_link_catalog": {"secretariat", "system"},
    # any signed-in person may ask (a system job is no person)
    "membership_request": {"outsider", "member", "admin", "admin_of_another", "secretariat", "admin_write_token"},
    "membership_approve": {"admin", "secretariat", "system", "admin_write_token"},
    "membership_refuse": {"admin", "secretariat", "system", "admin_write_token"},
    "membership_end": {"admin", "secretariat", "system", "admin_write_token"},
    "membership_role_set": {"admin", "secretariat", "system", "admin_write_token"},
}


def _state():
    return (
        list(Organisation.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Organisation.catalog_organisations.through.objects.order_by("pk").values()),
        Activity.objects.count(),
        Notification.objects.count(),
        Job.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", sorted(CALLS))
def test_matrix(world, service, role):
    actor = world.actors[role]
    before = _state()
    activity_before = Activity.objects.count()
    if role in ALLOWED[service]:
        CALLS[service](world, actor)
        assert Activity.objects.count() > activity_before, "an allowed write records its history"
    else:
        with pytest.raises(OrgsPermissionDenied):
            CALLS[service](world, actor)
        assert _state() == before
        assert mail.outbox == []
