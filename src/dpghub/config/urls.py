from django.urls import include, path, re_path

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
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dpghub.web.urls")),
    # django-allauth: sign-up, e-mail verification, password reset and change, two-factor (after the
    # site's own /accounts/ pages, so that its rate-limited sign-in at /accounts/login/ is the one served)
    path("accounts/", include("allauth.urls")),
]
