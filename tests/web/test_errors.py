"""The pages map every family of domain error in one place (dpghub.web.errors), whatever view raises it."""

import pytest
from django.urls import path

from dpghub.common import errors
from dpghub.config.urls import urlpatterns as site_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

_RAISED = {"not-found": errors.NotFound, "permission-denied": errors.PermissionDenied,
           "invalid-input": errors.InvalidInput, "conflict": errors.Conflict,
           "unclassified": errors.DomainError}


def _raise(request, family):
    raise _RAISED[family](f"Message of {family}.")


urlpatterns = [path("raise/<str:family>/", _raise), *site_urlpatterns]


@pytest.mark.parametrize(("family", "status", "title"), [
    ("not-found", 404, "Not found"),
    ("permission-denied", 403, "Not allowed"),
    ("invalid-input", 400, "This request cannot be done"),
    ("conflict", 409, "This cannot be done now"),
])
def test_each_family_gets_its_status_and_message(client, family, status, title):
    response = client.get(f"/raise/{family}/")
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert f"<p>Message of {family}.</p>" in html


def test_an_error_without_a_family_is_a_server_error(client):
    client.raise_request_exception = False
    assert client.get("/raise/unclassified/").status_code == 500


def test_the_api_answers_its_own_errors_in_json(client):
    response = client.get("/api/v1/goods/nope")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json()["error"]["code"] == "not_found"


def test_screen_now_on_a_repository_that_is_not_https_says_so_and_stores_nothing(client, django_user_model):
    from django.contrib.auth.models import Permission

    from dpghub.catalog.models import Good, Repository
    from dpghub.screening.models import ScreeningRun

    good = Good.objects.create(slug="plain", name="Plain")
    Repository.objects.create(good=good, url="http://example.org/plain.git")
    user = django_user_model.objects.create_user("screener", password="x")
    user.user_permissions.add(Permission.objects.get(codename="add_screeningrun"))
    client.force_login(user)
    response = client.post("/goods/plain/screen/", follow=True)
    assert response.redirect_chain == [("/goods/plain/", 302)]
    assert ('<p class="message message-error">Only https:// repositories are screened from the registry, '
            "not “http://example.org/plain.git”.</p>") in response.content.decode()
    assert ScreeningRun.objects.count() == 0
