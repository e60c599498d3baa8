"""The public read API, version 1: ``/api/v1/``."""

from __future__ import annotations

from ninja import NinjaAPI

from dpghub.api import errors
from dpghub.api.docs import ServerRenderedDocs
from dpghub.api.routers.charter import router as charter_router
from dpghub.api.routers.deployments import router as deployments_router
from dpghub.api.routers.finder import router as finder_router
from dpghub.api.routers.goods import router as goods_router
from dpghub.api.routers.index import router as index_router
from dpghub.api.routers.people import router as people_router
from dpghub.api.routers.review import router as review_router

api = NinjaAPI(
    title="DPG Hub API",
    version="1",
    description=(
        "The registry of digital public goods (search, filters, facet counts and each good's assessments "
        "with where every value came from), organisations, the Charter's endorsers, pledges, progress reports "
        "and 3 x 5 grid, and the history of every object. Reads are "
        "public; writes need a personal token with the write scope, sent as 'Authorization: Bearer <token>' "
        "(create one on your account page or with 'dpghub tokens create'); 'X-DPGHub-On-Behalf-Of: "
        "<organisation>' names the organisation you act for. No token on a write: 401; a read token or a "
        "write you may not do: 403; a revoked or expired token: 401 with the reason; too many requests: 429 "
        "with Retry-After. Errors always have the shape "
        '{"error": {"code": ..., "message": ..., "field": ...}}, whatever refuses the request (a method a '
        "path does not take is 405 with Allow; a path and query string over 8,190 bytes is 414). Contacts "
        "(personal data) are never included."
    ),
    urls_namespace="api-v1",
    docs=ServerRenderedDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", index_router)
api.add_router("/", goods_router)
api.add_router("/", people_router)
api.add_router("/", charter_router)
api.add_router("/", deployments_router)
api.add_router("/", review_router)
api.add_router("/", finder_router)
