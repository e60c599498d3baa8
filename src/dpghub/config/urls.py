from django.urls import include, path

urlpatterns = [
    path("", include("dpghub.web.urls")),
]
