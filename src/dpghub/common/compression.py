"""Compression of responses (gzip), and hashed static file names: docs/adr/0016-compression-and-static-files.md.

:class:`PublicGZipMiddleware` compresses what anyone may read, and leaves uncompressed every
response to a request that carries credentials (a signed-in session or an API token): those are the
responses that can hold a secret (an API token shown once, a two-factor secret, a person's own data)
next to text the request put there, which is what BREACH needs. Public pages still carry the CSRF
token of their language form, but Django masks it afresh in every response (and the middleware pads
each response with random bytes, Django's "Heal The Breach"), so its compressed size tells nothing.

:class:`StaticFilesStorage` gives static files hashed names (``site.3f2a9c1d0b7e.css``, cached for a
year by WhiteNoise) once ``collectstatic`` has run, as ``dpghub serve`` does on start; without a
manifest (the tests, a development checkout) it falls back to the plain names, which WhiteNoise serves
from the apps' folders.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage


def carries_credentials(request: HttpRequest) -> bool:
    """Whether the request is made as someone: an API token, or a signed-in session."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for responses to anonymous requests only (see the module's text)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if carries_credentials(request):
            return response
        return super().process_response(request, response)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files after ``collectstatic``; plain names before it."""

    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return ManifestFilesMixin.stored_name(self, name)
        except ValueError:  # not collected: no manifest entry and no file in STATIC_ROOT to hash
            return name
