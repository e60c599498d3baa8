"""/goods and /facets: parse the query, call the catalogue's selectors, render the schemas."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dpghub.api import errors, labels
from dpghub.api.schemas import MAX_PAGE, Error, FacetsResponse, GoodDetail, GoodList, ScreeningOut
from dpghub.catalog import presenters
from dpghub.catalog.enums import AssessmentSource, Category, IndicatorStatus, OrganisationRole, Stage
from dpghub.catalog.models import Good
from dpghub.catalog.selectors import (
    ALL_STAGES,
    DEFAULT_STAGES,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    RANK_ALL_LIMIT,
    SORTS,
    GoodFilters,
    good_get,
    goods_facet_counts,
    goods_search,
    query_text_clean,
    stages_asked,
)
from dpghub.screening.models import ScreeningRun
from dpghub.screening.selectors import screening_good_get, screening_overview

router = Router(tags=["goods"])

def _enum_list(values: list[str]) -> dict:
    return {"items": {"type": "string", "enum": values}}


class FilterQuery(Schema):
    """Values are checked by the catalogue's selectors, so that the API and the pages answer a bad
    value with the same message (400 ``invalid_query``)."""

    q: str = Field("", description=f"Full-text search (at most {MAX_QUERY_LENGTH} characters): name, aliases, "
                   "description, SDG relevance text, organisations, sectors, countries (codes; names in English, "
                   "French and Spanish). Every word must match; the last one as a prefix. When nothing matches "
                   "at all, misspelt words are replaced by the nearest known word (see corrected_q) unless "
                   "exact is true.")
    exact: bool = Field(False, description="Search the words as given, without spelling correction.")
    category: list[str] = Field([], description="Category code; repeat for OR.",
                                json_schema_extra=_enum_list(list(Category.values)))
    stage: list[str] = Field([], description="Stage code; repeat for OR. Without it, only recognised digital "
                             f"public goods ({', '.join(DEFAULT_STAGES)}); '{ALL_STAGES}' for every stage.",
                             json_schema_extra=_enum_list([*Stage.values, ALL_STAGES]))
    sdg: list[str] = Field([], description="SDG number 1-17; repeat for OR.",
                           json_schema_extra={"items": {"type": "string", "pattern": "^([1-9]|1[0-7])$"}})
    license: list[str] = Field([], description="SPDX licence expression; repeat for OR.")
    development_country: list[str] = Field([], description="ISO 3166-1 alpha-2 code; repeat for OR.",
                                           json_schema_extra={"items": {"type": "string", "pattern": "^[A-Za-z]{2}$"}})
    deployment_country: list[str] = Field([], description="ISO 3166-1 alpha-2 code; repeat for OR.",
                                          json_schema_extra={"items": {"type": "string", "pattern": "^[A-Za-z]{2}$"}})
    sector: list[str] = Field([], description="Sector; repeat for OR.")

    def to_filters(self) -> GoodFilters:
        return GoodFilters(
            q=query_text_clean(self.q),
            exact=self.exact,
            category=tuple(self.category),
            stage=stages_asked(self.stage),
            sdg=tuple(v.strip() for v in self.sdg),
            license=tuple(self.license),
            development_country=tuple(self.development_country),
            deployment_country=tuple(self.deployment_country),
            sector=tuple(self.sector),
        )


class PageQuery(Schema):
    sort: str = Field("relevance", json_schema_extra={"enum": list(SORTS)}, description="relevance: with q, goods ranked by how well they match "
                          f"(when more than {RANK_ALL_LIMIT:,} goods match the text, goods whose name or alias matches come "
                          "first, then the rest by stage and name); equal scores put current DPGs first; without q, "
                          "by stage (DPGs first) then name. Also name, -name, updated (the newest of the source's "
                          "own dates first: assessments, recognition, exclusion; then name).")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based page number.")
    page_size: int = Field(settings.DPGHUB_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Goods per page.")


def _query_string(request: HttpRequest, **overrides: object) -> str:
    params = [(key, value) for key, values in request.GET.lists() if key not in overrides for value in values]
    params += [(key, str(value)) for key, value in overrides.items()]
    return urlencode(params)


def _html_url(good: Good) -> str:
    return reverse("web:good-detail", kwargs={"slug": good.slug})


def _api_url(good: Good) -> str:
    return reverse("api-v1:good_detail", kwargs={"id": good.slug})


def _sdg_refs(good: Good) -> list[dict]:
    return [{"number": link.sdg, "name": labels.sdg_name(link.sdg)} for link in good.sdgs.all()]


def _summary(good: Good) -> dict:
    return {
        "id": good.slug,
        "uid": good.uid,
        "name": good.name,
        "description": good.description,
        "categories": [labels.label(Category, code) for code in good.categories],
        "stage": labels.label(Stage, good.stage),
        "sdgs": _sdg_refs(good),
        "licenses": [lic.expression for lic in good.licenses.all()],
        "updated_at": good.updated_at,
        "url": _api_url(good),
        "html_url": _html_url(good),
    }


@router.get("/goods", response={200: GoodList, 400: Error, 422: Error}, url_name="goods_list", operation_id="goods_list",
            summary="Search and filter the registry")
def goods_list(request: HttpRequest, filters: Query[FilterQuery], paging: Query[PageQuery]) -> dict:
    """Goods matching the filters (AND across filters, OR within one), one page at a time."""
    result = goods_search(filters=filters.to_filters(), sort=paging.sort, page=paging.page,
                          page_size=paging.page_size, with_facets=False)
    base = reverse("api-v1:goods_list")
    last = result.num_pages

    def link(page: int) -> str:
        return f"{base}?{_query_string(request, page=page)}"

    return {
        "total": result.total,
        "corrected_q": result.corrected_q or None,
        "page": result.page,
        "page_size": result.page_size,
        "num_pages": last,
        "sort": result.sort,
        "items": [_summary(good) for good in result.items],
        "links": {
            "self": link(result.page),
            "first": link(1),
            "last": link(last),
            "next": link(result.page + 1) if result.page < last else None,
            "prev": link(min(result.page - 1, last)) if result.page > 1 else None,
            "html": f"{reverse('web:goods-list')}?{_query_string(request)}".rstrip("?"),
        },
    }


@router.get("/facets", response={200: FacetsResponse, 400: Error, 422: Error}, url_name="facets", operation_id="facets",
            summary="Facet counts of the goods matching the filters")
def facets(request: HttpRequest, filters: Query[FilterQuery]) -> dict:
    """For each facet, its values with the number of goods each gives (multi-select counting: in a facet
    with values asked for, each count is what that value gives with the other facets' filters)."""
    result = goods_facet_counts(filters=filters.to_filters())
    counts = result.facets
    return {
        "total": result.total,
        "corrected_q": result.corrected_q or None,
        "facets": {
            facet: [{"value": value, "label": labels.facet_label(facet, value), "count": count}
                    for value, count in values]
            for facet, values in counts.items()
        },
    }


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _indicators(assessment) -> list[dict]:
    return [
        {
            "indicator": row.code,
            "title": row.title,
            "status": labels.label(IndicatorStatus, row.result.status) if row.result else None,
            "summary": row.result.summary if row.result else "",
            "evidence": row.evidence,
            "source_fields": row.source_fields,
            "confidence": row.result.confidence if row.result else None,
        }
        for row in presenters.assessment_indicators(assessment)
    ]


def _detail(good: Good) -> dict:
    countries = {role: [{"code": ref.code, "name": ref.name} for ref in refs]
                 for role, refs in presenters.good_countries(good).items()}
    return {
        "id": good.slug,
        "uid": good.uid,
        "name": good.name,
        "aliases": list(good.aliases),
        "description": good.description,
        "website": good.website,
        "categories": [labels.label(Category, code) for code in good.categories],
        "sectors": list(good.sectors),
        "stage": labels.label(Stage, good.stage),
        "recognised_on": good.recognised_on,
        "expires_on": good.expires_on,
        "excluded_on": good.excluded_on,
        "excluded_reason": good.excluded_reason,
        "organisations": [
            {"name": link.organisation.name, "website": link.organisation.website,
             "role": labels.label(OrganisationRole, link.role)}
            for link in good.organisation_links.all()
        ],
        "licenses": [
            {"expression": lic.expression, "source_text": lic.source_text, "evidence_url": lic.evidence_url}
            for lic in good.licenses.all()
        ],
        "repositories": [{"name": repo.name, "url": repo.url} for repo in good.repositories.all()],
        "sdgs": [
            {"number": link.sdg, "name": labels.sdg_name(link.sdg), "relevance": link.relevance,
             "evidence_urls": [_text(url) for url in link.evidence_urls]}
            for link in good.sdgs.all()
        ],
        "countries": countries,
        "external_ids": [{"scheme": ext.scheme, "value": ext.value} for ext in good.external_ids.all()],
        "provenance": [
            {"source_key": p.source_key, "shape": p.shape, "source_file": p.source_file,
             "record_sha256": p.record_sha256, "imported_at": p.imported_at}
            for p in good.provenances.all()
        ],
        "assessments": [
            {
                "standard_version": a.standard_version.version,
                "source": labels.label(AssessmentSource, a.source),
                "is_imported": presenters.assessment_is_imported(a),
                "assessed_on": a.assessed_on,
                "provenance": a.provenance.source_key if a.provenance else None,
                "indicators": _indicators(a),
            }
            for a in good.assessments.all()
        ],
        "latest_screening": _screening_summary(screening_overview(good=good, with_report=False).current),
        "updated_at": good.updated_at,
        "html_url": _html_url(good),
    }


def _screening_summary(run: ScreeningRun | None) -> dict | None:
    if run is None:
        return None
    return {"status": run.status, "finished_at": run.finished_at, "root_license": run.root_license,
            "license_changed": run.license_changed}


@router.get("/goods/{id}", response={200: GoodDetail, 404: Error}, url_name="good_detail", operation_id="good_detail",
            summary="One good, with its assessments and where each value came from")
def good_detail(request: HttpRequest, id: str) -> dict:
    """``id`` is the good's slug; its uid is accepted too."""
    return _detail(good_get(slug=id))


@router.get("/goods/{id}/screening", response={200: ScreeningOut, 404: Error}, url_name="good_screening",
            operation_id="good_screening", summary="The latest automated screening of a good's repository")
def good_screening(request: HttpRequest, id: str) -> dict | HttpResponse:
    """The newest finished screening (successful or failed), else the queued one, with its stored report.

    An automated screening, not a review. 404 when the good does not exist or was never screened.
    The report's shape is described in docs/screening.md (JSON Schema report-1.json).
    """
    good = screening_good_get(slug=id)
    run = screening_overview(good=good).current
    if run is None:
        return errors.error_response(404, "not_screened",
                                     _("“%(slug)s” has never been screened.") % {"slug": good.slug}, "id")
    return {
        "status": run.status,
        "requested_at": run.requested_at,
        "finished_at": run.finished_at,
        "repository_url": run.repository_url,
        "commit": run.commit,
        "root_license": run.root_license,
        "previous_root_license": run.previous_root_license,
        "license_changed": run.license_changed,
        "error": run.error,
        "report": run.report if isinstance(run.report, dict) else None,
        "html_url": _html_url(good) + "#screening",
    }
