"""Domain error families: every app's errors belong to one, and the API maps each to its status."""

import json

import pytest
from django.test import RequestFactory

from dpghub.api.api import api
from dpghub.catalog.errors import CatalogError, GoodNotFound, InvalidQuery
from dpghub.catalog.services.importing import ImportFailed
from dpghub.charter.errors import CharterConflict, CharterError
from dpghub.charter.exchange import ExchangeError
from dpghub.common import errors
from dpghub.deployments.errors import DeploymentsError
from dpghub.notifications.errors import NotificationsError
from dpghub.orgs.errors import InvalidTransition, OrgsError
from dpghub.review.errors import ReviewError
from dpghub.screening.errors import NoRepository, NotAllowed, RepositoryRefused, ScreeningRequestError
from dpghub.tokens.errors import TokenError, TokenRejected


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _app_errors():
    return {cls for cls in _subclasses(errors.DomainError)
            if cls.__module__.startswith("dpghub.") and cls.__module__ != errors.__name__}


def test_every_error_an_app_raises_belongs_to_exactly_one_family():
    app_errors = _app_errors()
    assert {
        GoodNotFound, InvalidQuery, ImportFailed, NoRepository, NotAllowed, RepositoryRefused
    } <= app_errors
    bases = {cls for cls in app_errors
             if any(issubclass(other, cls) and other is not cls for other in app_errors)}
    assert bases == {CatalogError, ScreeningRequestError, OrgsError, TokenError, CharterError, CharterConflict,
                     ExchangeError, DeploymentsError, ReviewError, NotificationsError}
    for cls in app_errors - bases:
        families = [family for family in errors.FAMILIES if issubclass(cls, family)]
        assert len(families) == 1, f"{cls.__module__}.{cls.__name__} belongs to {families}"


def test_screening_errors_are_not_catalogue_errors():
    assert not issubclass(ScreeningRequestError, CatalogError)


@pytest.mark.parametrize(("error", "status", "code", "field"), [
    (errors.NotFound("gone"), 404, "not_found", None),
    (errors.PermissionDenied("no"), 403, "permission_denied", None),
    (errors.InvalidInput("bad", field="url"), 400, "invalid_input", "url"),
    (errors.Conflict("not now"), 409, "conflict", None),
    (GoodNotFound("nope"), 404, "not_found", "id"),
    (InvalidQuery("bad sort", field="sort"), 400, "invalid_query", "sort"),
    (NotAllowed(), 403, "permission_denied", None),
    (NoRepository("bare"), 409, "no_repository", "repository"),
    (RepositoryRefused("http://example.org/x.git"), 400, "repository_refused", "repository"),
    (ImportFailed([{"path": "a.json", "reason": "not JSON"}]), 400, "import_failed", None),
    (errors.Unauthenticated("who?"), 401, "unauthenticated", None),
])
def test_the_api_maps_each_family_to_its_status(error, status, code, field):
    response = api.on_exception(RequestFactory().get("/api/v1/anything"), error)
    assert response.status_code == status
    assert json.loads(response.content) == {"error": {"code": code, "message": error.message, "field": field}}


def test_an_error_without_a_family_is_a_server_error_in_the_api():
    try:
        raise errors.DomainError("nobody classified me")
    except errors.DomainError as exc:
        response = api.on_exception(RequestFactory().get("/api/v1/anything"), exc)
    assert response.status_code == 500
    assert json.loads(response.content)["error"]["code"] == "server_error"


def test_details_join_the_error_object_and_401_names_the_scheme():
    response = api.on_exception(RequestFactory().get("/api/v1/me"), TokenRejected("expired"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer realm="dpghub"'
    assert json.loads(response.content)["error"]["reason"] == "expired"
    conflict = api.on_exception(RequestFactory().get("/"), InvalidTransition("Active", "Approve", ["End"]))
    assert conflict.status_code == 409 and json.loads(conflict.content)["error"]["allowed"] == ["End"]
