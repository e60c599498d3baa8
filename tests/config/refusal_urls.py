"""URLs for tests/config/test_production.py: views that refuse, as the site's views do."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from dpghub.config.urls import urlpatterns as site_urlpatterns
from dpghub.orgs.errors import OrgsPermissionDenied


def refuse(request):
    raise PermissionDenied("only the secretariat may see this")


def refuse_domain(request):
    raise OrgsPermissionDenied("only an administrator of the organisation decides membership requests")


def suspicious(request):
    raise SuspiciousOperation("a forged header")


def crash(request):
    raise RuntimeError("a real bug")


urlpatterns = [
    path("refuse/", refuse),
    path("refuse-domain/", refuse_domain),
    path("suspicious/", suspicious),
    path("crash/", crash),
    *site_urlpatterns,  # the error pages link to the site's pages
]
