"""Reviewers, an expert, and a way to bring an application to any state through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from dpghub.catalog.models import Good
from dpghub.common import authz
from dpghub.common.history import Actor
from dpghub.common.models import Job
from dpghub.core.standard import INDICATOR_CODES
from dpghub.notifications.models import Notification
from dpghub.orgs.enums import MembershipStatus
from dpghub.orgs.models import Membership
from dpghub.review import services
from dpghub.review.enums import ApplicationState as S
from dpghub.review.models import Application
from dpghub.review.scheduling import review_tick

DAY0 = dt.date(2026, 1, 5)
ANSWERS = {code: {"text": f"Evidence for {code}", "links": [f"https://example.org/{code}"], "suggested": False}
           for code in INDICATOR_CODES}


@pytest.fixture
def platform_roles():
    """Platform roles by username, read through common.authz's hook; the previous source comes back after."""
    roles: dict[str, set[str]] = {}
    saved = authz._roles_source, authz._holders_source
    authz.platform_roles_source(
        lambda user: frozenset(roles.get(user.username, ())),
        lambda role: [u for u in User.objects.filter(username__in=[n for n, r in roles.items() if role in r])])
    yield roles
    authz._roles_source, authz._holders_source = saved


@pytest.fixture
def review_world(world, platform_roles):
    """The people world plus reviewers of each level, an expert, and a first-level reviewer who is a member of
    the applying organisation (conflict of interest)."""
    for name, role in (("l1", "reviewer-l1"), ("l2", "reviewer-l2"), ("expert", "expert"),
                       ("conflicted", "reviewer-l1")):
        world.people[name] = User.objects.create_user(name, email=f"{name}@example.org", password=None)
        world.actors[name] = Actor.person(world.people[name])
        platform_roles[name] = {role}
    Membership.objects.create(person=world.people["conflicted"], organisation=world.org, status=MembershipStatus.ACTIVE)
    world.good = Good.objects.create(slug="open-health", name="Open Health")
    return world


def bring_to(world, state: S, *, today: dt.date = DAY0, good: Good | None = None) -> Application:
    """An application of world.org brought to ``state`` by the people whose work it is."""
    a = world.actors
    application = services.application_create_draft(actor=a["member"], organisation=world.org,
                                                    good=good if good is not None else world.good, today=today)
    if state == S.DRAFT:
        return application
    if state == S.ARCHIVED:
        review_tick(today=today + dt.timedelta(days=76))  # the notice first
        review_tick(today=today + dt.timedelta(days=90))
        return Application.objects.get(pk=application.pk)
    services.application_answers_update(actor=a["member"], application=application, answers=ANSWERS,
                                        expected_version=application.version, today=today)
    services.application_submit(actor=a["member"], application=application, today=today)
    if state == S.WITHDRAWN:
        return services.application_withdraw(actor=a["member"], application=application, today=today)
    if state == S.LEVEL_1:
        return Application.objects.get(pk=application.pk)
    services.application_assign(actor=a["l1"], application=application, today=today)
    if state == S.CLARIFICATION_1:
        services.clarification_request(actor=a["l1"], application=application, question="Which licence?", days=15,
                                       indicators=["2"], today=today)
        return Application.objects.get(pk=application.pk)
    services.application_forward(actor=a["l1"], application=application, today=today)
    if state == S.LEVEL_2:
        return Application.objects.get(pk=application.pk)
    services.application_assign(actor=a["l2"], application=application, today=today)
    if state == S.CLARIFICATION_2:
        services.clarification_request(actor=a["l2"], application=application, question="Who owns it?", days=30,
                                       indicators=["3"], today=today)
        return Application.objects.get(pk=application.pk)
    if state == S.CONSULTATION:
        services.expert_consult(actor=a["l2"], application=application, question="Is 9a met?", indicators=["9a"],
                                expert=world.people["expert"], today=today)
        return Application.objects.get(pk=application.pk)
    for code in INDICATOR_CODES:
        verdict = "fail" if state == S.INELIGIBLE and code == "4" else "pass"
        services.verdict_set(actor=a["l2"], application=application, indicator=code, verdict=verdict,
                             notes=f"public {code}", private_notes=f"private {code}", today=today)
    outcome = "ineligible" if state == S.INELIGIBLE else "dpg"
    services.application_decide(actor=a["l2"], application=application, outcome=outcome, today=today)
    if state == S.EXPIRED:
        review_tick(today=today + dt.timedelta(days=365))
    return Application.objects.get(pk=application.pk)


def quiet():
    """Forget the notices and jobs of the set-up: the tests look at what the action under test sends."""
    Notification.objects.all().delete()
    Job.objects.all().delete()


# WhiteNoise warns (an error in this suite) when STATIC_ROOT does not exist (as in tests/api/conftest.py).
def _static_root() -> None:
    from pathlib import Path

    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


_static_root()
