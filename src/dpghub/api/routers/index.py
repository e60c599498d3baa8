"""``/api/v1/``: the index of the API's resources, read from its own OpenAPI description."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router

from dpghub.api.schemas import ApiIndex

router = Router(tags=["index"])


@cache
def _resources(prefix: str) -> list[dict]:
    from dpghub.api.api import api  # the API that includes this router

    schema = api.get_openapi_schema(path_prefix=prefix)
    out = []
    for path, operations in schema["paths"].items():
        if path == prefix:
            continue
        out.append({
            "path": path,
            "url": path if "{" not in path else None,
            "methods": sorted(method.upper() for method in operations),
            "summary": next((op.get("summary", "") for op in operations.values() if op.get("summary")), ""),
        })
    return out


@router.get("/", response=ApiIndex, url_name="index", operation_id="index", summary="The API's resources")
def index(request: HttpRequest) -> dict:
    """Every path of the API with its methods and summary; ``url`` is set for the paths without parameters."""
    prefix = reverse("api-v1:index")
    return {
        "name": "DPG Hub API",
        "version": "1",
        "docs": reverse("api-v1:openapi-view"),
        "openapi": reverse("api-v1:openapi-json"),
        "html": reverse("web:goods-list"),
        "resources": _resources(prefix),
    }
