from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from dpghub.api.api import api
from dpghub.api.errors import not_found as api_not_found
from dpghub.web.health import healthz, readyz

urlpatterns = [
    # for load balancers (docs/operations.md); exempt from the HTTPS redirect (settings.SECURE_REDIRECT_EXEMPT)
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", api.urls),
    # Anything else under /api/ answers in the API's error shape, not with an HTML 404 page.
    re_path(r"^api/", api_not_found),
    # The language switch needs no CSRF token: forging it only changes a visitor's language, and without a
    # token in every page's header form, pages for visitors who are not signed in can be cached (ADR 0013).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("dpghub.web.urls")),
    # django-allauth: sign-up, e-mail verification, password reset and change, two-factor (after the
    # site's own /accounts/ pages, so that its rate-limited sign-in at /accounts/login/ is the one served)
    path("accounts/", include("allauth.urls")),
]
