"""The API's one error shape, and the mapping of every failure to it (one place).

Every error response is ``{"error": {"code": "...", "message": "...", "field": "..." | null}}``.
Domain errors (dpghub.common.errors) get the status of their family (:data:`FAMILY_STATUS`) and
their own ``code``; an app's new errors need no change here. Schema checks of the request's shape
answer 400 ``invalid_query`` for query parameters and 422 ``invalid_input`` otherwise.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from dpghub.common.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    family_of,
)
from dpghub.common.ratelimit import RateLimited

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, field), status=status)


#: The HTTP status of each family of domain error.
FAMILY_STATUS: dict[type[DomainError], int] = {
    Unauthenticated: 401, NotFound: 404, PermissionDenied: 403, InvalidInput: 400, Conflict: 409,
}


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    family = family_of(exc)
    if family is None:  # an error nobody gave a family: a bug, answered like one
        return _server_error(request, exc)
    body = error_body(exc.code, exc.message, exc.field)
    body["error"].update(exc.details)
    response = JsonResponse(body, status=FAMILY_STATUS[family])
    if family is Unauthenticated:
        response["WWW-Authenticate"] = 'Bearer realm="dpghub"'
    return response


def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = error_response(429, "rate_limited", _("Too many requests; try again in %(seconds)s seconds.")
                              % {"seconds": exc.retry_after})
    response["Retry-After"] = str(exc.retry_after)
    return response


def _field_of(loc: tuple | list) -> str | None:
    """The parameter at fault; loc is (source, [schema name,] name, [index]), e.g. ("query", "filters", "sdg", 0)."""
    names = [str(part) for part in loc[1:] if not isinstance(part, int)]
    if not names:
        return None
    return names[-1] if loc[0] in ("query", "path") else ".".join(names)


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Schema checks failed; the first problem is reported (fix it, then the next one shows)."""
    first = exc.errors[0] if exc.errors else {"loc": (), "msg": ""}
    loc = first.get("loc", ())
    field = _field_of(loc)
    detail = first.get("msg", "")
    if field:
        message = _("Invalid value for “%(field)s”: %(detail)s.") % {"field": field, "detail": detail}
    else:
        message = _("Invalid request: %(detail)s.") % {"detail": detail}
    if loc and loc[0] == "query":
        # Same status and code as the catalogue's own InvalidQuery: a bad query is a bad query.
        return error_response(400, "invalid_query", message, field)
    return error_response(422, "invalid_input", message, field)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, "http_error", str(exc))


def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return not_found(request)


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500, "server_error", _("The server failed to answer this request; it has been logged."))


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown routes under /api/ answer in the API's shape rather than with an HTML page."""
    return error_response(404, "not_found", _("No API endpoint at %(path)s.") % {"path": request.path})


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(DomainError, _domain_error)
    api.add_exception_handler(RateLimited, _rate_limited)
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _http404)
    api.add_exception_handler(Exception, _server_error)
