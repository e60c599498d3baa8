"""Every response under /api/ has the API's error shape, including those made outside the API's views.

django-ninja maps the errors raised in its operations (``api/errors.py``), but some refusals happen
before an operation runs: a method a path does not take (405, written by the router as plain
text), a CSRF or host refusal by Django, a request line longer than the server takes. This
middleware sits first in the chain and rewrites any non-JSON error under ``/api/`` into
``{"error": {"code", "message", "field"}}``, keeping the headers that matter (``Allow``,
``Retry-After``). It also refuses an over-long request line itself, so the web server can be told to
pass long lines through (``dpghub web`` sets gunicorn's limit off) and the answer stays JSON. A HEAD
request is answered as its GET, without the body.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from dpghub.api.errors import error_response

#: The longest path and query string the API reads (bytes); longer is 414. Stated in the OpenAPI description.
MAX_REQUEST_TARGET = 8190

_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "too_large", 414: "uri_too_long", 429: "rate_limited"}
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Access-Control-Allow-Origin")


def _message(request: HttpRequest, status: int, response: HttpResponse) -> str:
    if status == 405:
        allowed = response.get("Allow", "")
        return _("%(method)s is not allowed on %(path)s; allowed: %(allowed)s.") % {
            "method": request.method, "path": request.path, "allowed": allowed or _("none")}
    if status == 403:
        return _("This request was refused (%(path)s).") % {"path": request.path}
    if status == 404:
        return _("No API endpoint at %(path)s.") % {"path": request.path}
    if status >= 500:
        return _("The server failed to answer this request; it has been logged.")
    return _("The request could not be read (HTTP %(status)s).") % {"status": status}


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        target = request.get_full_path()
        if len(target.encode("utf-8")) > MAX_REQUEST_TARGET:
            return error_response(414, "uri_too_long", _(
                "The path and query string are %(length)s bytes long; the API reads at most %(limit)s.")
                % {"length": len(target.encode("utf-8")), "limit": MAX_REQUEST_TARGET})
        head = request.method == "HEAD"
        if head:  # HEAD is GET without the body (HTTP); django-ninja routes only the methods an operation declares
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        shaped = error_response(status, _CODES.get(status, "server_error" if status >= 500 else "bad_request"),
                                _message(request, status, response))
        for header in _KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped
