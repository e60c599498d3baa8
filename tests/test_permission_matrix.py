"""Every write service outside the organisations app x every role: allowed or refused; a refusal changes
nothing and sends nothing. (Organisation services have their own matrix in tests/orgs/test_permissions.py.)"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from dpghub.catalog.models import Good, GoodFieldOwner
from dpghub.catalog.services.editing import GoodEditRefused, good_fields_release, good_fields_set
from dpghub.common.models import Activity, Job
from dpghub.notifications.errors import FollowRefused
from dpghub.notifications.models import Notification, Watch
from dpghub.notifications.watching import watch_follow
from dpghub.screening.errors import NotAllowed
from dpghub.screening.models import ScreeningRun
from dpghub.screening.services import screening_request
from dpghub.tokens.errors import TokenPermissionDenied
from dpghub.tokens.models import ApiToken
from dpghub.tokens.services import token_create, token_revoke

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "admin", "admin_of_another", "secretariat", "system",
         "admin_read_token", "admin_write_token"]


def _good():
    good, created = Good.objects.get_or_create(slug="matrix", defaults={"name": "Matrix"})
    if created:
        good.repositories.create(url="https://example.org/matrix.git")
        GoodFieldOwner.objects.create(good=good, field="name", owner="edit", since=timezone.now())
    return good


def _admin_token(world):
    return ApiToken.objects.filter(person=world.people["admin"]).order_by("pk").first()


CALLS = {
    # a person creates tokens for themself (here: the admin); an operator's script for anyone
    "token_create": lambda w, a: token_create(actor=a, person=w.people["admin"], name="x", scope="read"),
    "token_revoke": lambda w, a: token_revoke(actor=a, token=_admin_token(w)),
    "good_fields_set": lambda w, a: good_fields_set(actor=a, good=_good(), values={"name": "Changed"}),
    "good_fields_release": lambda w, a: good_fields_release(actor=a, good=_good(), fields=["name"]),
    "screening_request": lambda w, a: screening_request(actor=a, good=_good()),
    "watch_follow": lambda w, a: watch_follow(actor=a, good=_good()),
}
REFUSALS = (TokenPermissionDenied, GoodEditRefused, NotAllowed, FollowRefused)

ALLOWED = {
    # tokens cannot make tokens: a token that leaks must not be able to mint more
    "token_create": {"admin", "system"},
    "token_revoke": {"admin", "secretariat", "system", "admin_write_token"},
    "good_fields_set": {"secretariat", "system"},
    "good_fields_release": {"secretariat", "system"},
    # screening needs the screening permission (secretariat: superuser here) or a system job
    "screening_request": {"secretariat", "system"},
    # a person follows for themself (a write token acts for its person); a system job follows for nobody
    "watch_follow": {"outsider", "member", "admin", "admin_of_another", "secretariat", "admin_write_token"},
}


def _state():
    return (list(ApiToken.objects.order_by("pk").values()), list(Good.objects.order_by("pk").values()),
            list(GoodFieldOwner.objects.values()), ScreeningRun.objects.count(), Activity.objects.count(),
            Notification.objects.count(), Job.objects.count(), Watch.objects.count())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", sorted(CALLS))
def test_matrix(world, service, role):
    _good()
    before = _state()
    if role in ALLOWED[service]:
        CALLS[service](world, world.actors[role])
        assert Activity.objects.count() > before[4], "an allowed write records its history"
    else:
        with pytest.raises(REFUSALS):
            CALLS[service](world, world.actors[role])
        assert _state() == before
        assert mail.outbox == []
