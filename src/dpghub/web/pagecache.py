"""A cache of what anonymous visitors are sent, invalidated by any write, and conditional GET.

The public pages and the read API are the same for every anonymous visitor, and the catalogue
changes rarely, so rendering them again for each request is waste (issue 18: `/` served 77
requests/s on two cores). This middleware sits first in the chain (so what it keeps is already
compressed), before sessions, CSRF and rendering, and for a GET or HEAD from someone who is not signed in (no session cookie, no
``Authorization`` header):

- works out the *content version*: the id of the newest history row (``common.Activity``). Every
  write of DPG Hub records exactly one such row inside its transaction (ARCHITECTURE.md), so the
  version changes with each committed write and only then; one indexed query per request;
- answers ``If-None-Match`` with 304 when the ETag (version, day, language, encoding, path and
  query) matches, without rendering anything;
- answers from this process's memory when it holds the response for that key, else renders,
  and keeps the response when it is cacheable: 200, no cookie set, no CSRF token used, not private.

The day is part of the key because some views count from today (the Charter's lights, stale
deployments). Things that change without a history row (a screening job going from queued to
running) are at most ``DPGHUB_PAGE_CACHE_SECONDS`` old. ADR 0013.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

from dpghub.common.selectors import content_version

_MAX_ENTRIES = 2000
_MAX_BODY = 2_000_000  # bytes: an export or a huge page is not kept in memory
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Encoding", "Vary", "Cache-Control",
                 "Strict-Transport-Security", "Content-Disposition",
                 "Access-Control-Allow-Origin", "Content-Security-Policy", "X-Frame-Options",
                 "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy", "Link")


class _Store:
    """A small LRU of responses, per process (gunicorn workers each have theirs)."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple[float, int, dict[str, str], bytes]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str, max_age: float):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if time.monotonic() - item[0] > max_age:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item

    def put(self, key: str, status: int, headers: dict[str, str], body: bytes) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), status, headers, body)
            self._items.move_to_end(key)
            while len(self._items) > _MAX_ENTRIES:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


store = _Store()


def _anonymous(request: HttpRequest) -> bool:
    """Not signed in, and nothing of the visitor's own to show (no session, no pending messages, no token)."""
    return (settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META)


def _cacheable_path(path: str) -> bool:
    return not any(path.startswith(prefix) for prefix in settings.DPGHUB_PAGE_CACHE_SKIP)


def _encoding(request: HttpRequest) -> str:
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    return "br" if "br" in accepted else "gzip" if "gzip" in accepted else "identity"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.DPGHUB_PAGE_CACHE_SECONDS
        if (seconds <= 0 or request.method not in ("GET", "HEAD") or not _anonymous(request)
                or not _cacheable_path(request.path)):
            return self.get_response(request)
        version = content_version()
        language = get_language_from_request(request)
        key = hashlib.sha256("\x00".join((
            str(version), timezone.localdate().isoformat(), language, _encoding(request), request.method,
            request.scheme, request.META.get("HTTP_HOST", ""), request.get_full_path())).encode("utf-8")
        ).hexdigest()[:32]  # scheme and host: an http:// request still meets the HTTPS redirect, a bad host its 400
        etag = f'"{key}"'
        if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        hit = store.get(key, seconds)
        if hit is not None:
            _, status, headers, body = hit
            response = HttpResponse(body, status=status)
            for name, value in headers.items():
                response[name] = value
            response["ETag"] = etag
            response["X-DPGHub-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._keep(request, response):
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            store.put(key, response.status_code, headers, response.content)
            response["ETag"] = etag
            response["X-DPGHub-Cache"] = "miss"
            patch_vary_headers(response, ("Accept-Language", "Accept-Encoding", "Cookie"))
        return response

    @staticmethod
    def _keep(request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # get_token() ran: the page holds a form token
            return False  # a page with a form token is this visitor's own
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return False
        return len(response.content) <= _MAX_BODY
