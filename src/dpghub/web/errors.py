"""The pages' mapping of domain errors (dpghub.common.errors) to responses, in one place.

A view lets a domain error rise unless it has something better to show (a form's message); this
middleware answers it by family: not found -> the 404 page, permission denied -> the 403 page,
invalid input -> 400 and conflict -> 409 on the error page, each with the error's message.
The API has its own mapping (dpghub.api.errors), which answers before this runs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dpghub.common.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    family_of,
)


def domain_error_response(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """The page for ``exc``; raises Http404 / PermissionDenied so that Django's 404 and 403 pages answer."""
    family = family_of(exc)
    if family is NotFound:
        raise Http404(exc.message)
    if family in (PermissionDenied, Unauthenticated):  # pages use sessions: no credential to fix here
        raise HttpForbidden(exc.message)
    if family is InvalidInput:
        status, title = 400, _("This request cannot be done")
    elif family is Conflict:
        status, title = 409, _("This cannot be done now")
    else:
        raise exc  # an error nobody gave a family: a bug, answered as a server error
    return render(request, "web/error.html", {"title": title, "message": exc.message}, status=status)


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return domain_error_response(request, exception)
        return None
