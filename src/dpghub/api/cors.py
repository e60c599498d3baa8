"""Cross-origin reads of the public API: a ministry's own web page may embed the registry.

GET and HEAD responses under ``/api/v1/`` carry ``Access-Control-Allow-Origin: *``, unless the
request carries credentials (an ``Authorization`` header or a session cookie): what a person or a
token sees is not shared across origins. Writes never get the header, and a preflight (``OPTIONS`` with
``Access-Control-Request-Method``) is answered for GET and HEAD only, without allowing any header
beyond the CORS-safelisted ones: a browser on another origin cannot send a token or write.
``Access-Control-Allow-Credentials`` is never sent.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/v1/"
READ_METHODS = ("GET", "HEAD")
#: How long a browser may reuse a preflight answer (seconds).
PREFLIGHT_MAX_AGE = 86400


def _has_credentials(request: HttpRequest) -> bool:
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


class PublicReadCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        wanted = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
        if request.method == "OPTIONS" and wanted is not None:
            response = HttpResponse(status=204)
            if wanted.upper() in READ_METHODS:
                response["Access-Control-Allow-Origin"] = "*"
                response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
                response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
            return response
        response = self.get_response(request)
        if request.method in READ_METHODS and not _has_credentials(request):
            response["Access-Control-Allow-Origin"] = "*"
        return response
