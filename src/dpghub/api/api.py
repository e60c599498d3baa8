"""The public read API, version 1: ``/api/v1/``."""

from __future__ import annotations

from ninja import NinjaAPI

from dpghub.api import errors
from dpghub.api.docs import ServerRenderedDocs
from dpghub.api.routers.goods import router as goods_router

api = NinjaAPI(
    title="DPG Hub API",
    version="1",
    description=(
        "Read access to the registry of digital public goods: search, filters, facet counts and each "
        "good's assessments with where every value came from. Errors always have the shape "
        '{"error": {"code": ..., "message": ..., "field": ...}}. Contacts (personal data) are never included.'
    ),
    urls_namespace="api-v1",
    docs=ServerRenderedDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", goods_router)
