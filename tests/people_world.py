"""A small world of people and organisations, one for each role the permission matrices cover.

The ``world`` fixture (tests/conftest.py) builds it for a test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import User

from dpghub.common.history import Actor
from dpghub.common.models import Job
from dpghub.notifications.models import Notification
from dpghub.orgs.enums import MembershipRole, MembershipStatus
from dpghub.orgs.models import Membership, Organisation
from dpghub.tokens.services import token_create


def make_secretariat(username: str = "sec") -> User:
    """A person of the secretariat (a superuser), with the authenticator app the role requires."""
    person = User.objects.create_superuser(username, email=f"{username}@example.org", password=None)
    person.totp_secret = generate_totp_secret()  # kept on this object so a test can type the code
    TOTP.activate(person, person.totp_secret)
    return person


@dataclass
class World:
    org: Organisation
    other: Organisation
    third: Organisation
    people: dict[str, User]
    actors: dict[str, Actor]


def build_world() -> World:
    org = Organisation.objects.create(name="Ministry of Health", slug="moh-ke", type="government", country="KE")
    other = Organisation.objects.create(name="Open Foundation", slug="open-foundation", type="foundation")
    third = Organisation.objects.create(name="Open University", slug="open-university", type="academia")
    people = {name: User.objects.create_user(name, email=f"{name}@example.org", password=None)
              for name in ("outsider", "member", "admin", "other_admin", "requester")}
    people["secretariat"] = make_secretariat()
    Membership.objects.create(person=people["member"], organisation=org, status=MembershipStatus.ACTIVE)
    Membership.objects.create(person=people["admin"], organisation=org, role=MembershipRole.ADMIN,
                              status=MembershipStatus.ACTIVE)
    Membership.objects.create(person=people["other_admin"], organisation=other, role=MembershipRole.ADMIN,
                              status=MembershipStatus.ACTIVE)
    Membership.objects.create(person=people["requester"], organisation=org)
    system = Actor.system_job("test")
    read_token, _ = token_create(actor=system, person=people["admin"], name="read", scope="read")
    write_token, _ = token_create(actor=system, person=people["admin"], name="write", scope="write")
    # The tokens' "a token was created" notices are not what the tests are about: start with an empty outbox.
    Notification.objects.all().delete()
    Job.objects.all().delete()
    actors: dict[str, Any] = {
        "anonymous": Actor.anonymous(),
        "outsider": Actor.person(people["outsider"]),
        "member": Actor.person(people["member"]),
        "admin": Actor.person(people["admin"]),
        "admin_of_another": Actor.person(people["other_admin"]),
        "secretariat": Actor.person(people["secretariat"]),
        "system": system,
        "admin_read_token": Actor.via_token(read_token),
        "admin_write_token": Actor.via_token(write_token),
    }
    return World(org=org, other=other, third=third, people=people, actors=actors)
