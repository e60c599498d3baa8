"""Response and query schemas of the API. Explicit on purpose: the OpenAPI document is the contract.

No schema here has a field for contacts (names, e-mails): personal data is never exported.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from dpghub.catalog.selectors import SORTS

SortKey = Literal[tuple(SORTS)]  # type: ignore[valid-type]



#: The highest page number any list accepts: beyond it an offset no longer fits the databases' integers
#: (a larger page is a 400 that says so, not a server error).
MAX_PAGE = 1_000_000

class ErrorDetail(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. invalid_query, not_found.")
    message: str = Field(description="What is wrong, in the request's language.")
    field: str | None = Field(description="The query parameter at fault, when there is one.")


class Error(Schema):
    error: ErrorDetail


class Label(Schema):
    code: str
    label: str


class SDGRef(Schema):
    number: int = Field(ge=1, le=17)
    name: str


class GoodSummary(Schema):
    id: str = Field(description="The good's slug; use it in /api/v1/goods/{id}.")
    uid: UUID
    name: str
    description: str
    categories: list[Label]
    stage: Label
    sdgs: list[SDGRef]
    licenses: list[str] = Field(description="SPDX licence expressions.")
    updated_at: datetime
    url: str = Field(description="This good in the API.")
    html_url: str = Field(description="This good's page on the site.")


class PageLinks(Schema):
    self: str
    first: str
    last: str
    next: str | None
    prev: str | None
    html: str = Field(description="The same list as a web page.")


class GoodList(Schema):
    total: int = Field(description="Goods matching the query, over all pages.")
    corrected_q: str | None = Field(None, description="When q matched nothing and misspelt words were replaced "
                                    "by the nearest known words: the text searched instead (else null).")
    page: int
    page_size: int
    num_pages: int
    sort: str
    items: list[GoodSummary]
    links: PageLinks


class FacetValue(Schema):
    value: str
    label: str
    count: int


class Facets(Schema):
    category: list[FacetValue]
    stage: list[FacetValue]
    sdg: list[FacetValue]
    license: list[FacetValue]
    development_country: list[FacetValue]
    deployment_country: list[FacetValue]
    sector: list[FacetValue]


class FacetsResponse(Schema):
    total: int = Field(description="Goods matching the query.")
    corrected_q: str | None = Field(None, description="The text searched instead of q (spelling), or null.")
    facets: Facets


class OrganisationOut(Schema):
    name: str
    website: str
    role: Label


class LicenseOut(Schema):
    expression: str = Field(description="SPDX licence expression.")
    source_text: str = Field(description="As written in the source record.")
    evidence_url: str


class RepositoryOut(Schema):
    name: str
    url: str


class SDGOut(Schema):
    number: int = Field(ge=1, le=17)
    name: str
    relevance: str
    evidence_urls: list[str]


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str


class CountriesOut(Schema):
    development: list[CountryOut]
    deployment: list[CountryOut]


class ExternalIdOut(Schema):
    scheme: str
    value: str


class ProvenanceOut(Schema):
    source_key: str
    shape: str
    source_file: str
    record_sha256: str
    imported_at: datetime


class EvidenceOut(Schema):
    text: str
    url: str
    field: str


class IndicatorOut(Schema):
    indicator: str = Field(description="1..8, 9a, 9b, 9c (or 9 in older records).")
    title: str
    status: Label | None = Field(description="Null when the assessment recorded nothing for it.")
    summary: str
    evidence: list[EvidenceOut]
    source_fields: list[str] = Field(description="Fields of the source record each value came from.")
    confidence: int | None


class AssessmentOut(Schema):
    standard_version: str
    source: Label
    is_imported: bool = Field(description="True when imported from elsewhere, not a review done in DPG Hub.")
    assessed_on: date | None
    provenance: str | None = Field(description="source_key of the record it was imported from.")
    indicators: list[IndicatorOut]


ScreeningStatusCode = Literal["queued", "succeeded", "failed"]


class ScreeningSummary(Schema):
    status: ScreeningStatusCode = Field(description="queued, succeeded or failed.")
    finished_at: datetime | None = Field(description="When it finished; null while queued.")
    root_license: str = Field(description="SPDX expression of the repository's root licence; empty when none "
                                          "was found or the screening did not succeed.")
    license_changed: bool = Field(description="True when the root licence differs from the previous successful "
                                              "screening's.")


class ScreeningOut(Schema):
    status: ScreeningStatusCode = Field(description="queued, succeeded or failed.")
    requested_at: datetime
    finished_at: datetime | None = Field(description="When it finished; null while queued.")
    repository_url: str = Field(description="The repository that was screened.")
    commit: str = Field(description="The commit screened (full hash); empty unless it succeeded.")
    root_license: str = Field(description="SPDX expression of the root licence found; empty when none was found.")
    previous_root_license: str = Field(description="Root licence of the previous successful screening, when it "
                                                   "differs from this one; empty otherwise.")
    license_changed: bool = Field(description="True when previous_root_license is set: the licence changed.")
    error: str = Field(description="Why the screening failed; empty otherwise.")
    report: dict[str, Any] | None = Field(
        description="The stored screening report, null unless the screening succeeded. An automated screening, "
                    "not a review. Its shape is the JSON Schema named by its `$schema` field (report-1.json, "
                    "described in docs/screening.md): `findings` (one per indicator 1-8, 9a-9c, each with "
                    "`status` met / likely_met / not_found / failed / needs_human, a stable `code`, an English "
                    "`explanation` and `evidence` as path and line or URL), `licenses` (root expression and "
                    "approval for the good's category) and `health` (repository health signals).")
    html_url: str = Field(description="The good's page, where this screening is shown.")

class GoodDetail(Schema):
    id: str
    uid: UUID
    name: str
    aliases: list[str]
    description: str
    website: str
    categories: list[Label]
    sectors: list[str]
    stage: Label
    recognised_on: date | None
    expires_on: date | None
    excluded_on: date | None
    excluded_reason: str
    organisations: list[OrganisationOut]
    licenses: list[LicenseOut]
    repositories: list[RepositoryOut]
    sdgs: list[SDGOut]
    countries: CountriesOut
    external_ids: list[ExternalIdOut]
    provenance: list[ProvenanceOut]
    assessments: list[AssessmentOut]
    latest_screening: ScreeningSummary | None = Field(
        description="The newest finished automated screening of the good's repository (else a queued one); "
                    "null when never screened. The full report: /api/v1/goods/{id}/screening.")
    updated_at: datetime
    html_url: str



class HistoryEntryOut(Schema):
    at: datetime
    action: str = Field(description="From a closed vocabulary per app: app.entity.verb.")
    action_label: str
    actor_kind: str = Field(description="person, token (a person through the API) or system.")
    actor: str = Field(description="Who; a person's identity is shown to the secretariat only.")
    organisation: str = Field(description="The organisation acted for, if any.")
    changes: dict[str, Any] = Field(description="{field: {before, after}} of what changed.")


class HistoryOut(Schema):
    entries: list[HistoryEntryOut]


class ApiResource(Schema):
    path: str = Field(description="Path, with {parameters}.")
    url: str | None = Field(description="The path itself when it has no parameters, else null.")
    methods: list[str]
    summary: str


class ApiIndex(Schema):
    name: str
    version: str
    docs: str = Field(description="The API's documentation page.")
    openapi: str = Field(description="The OpenAPI 3.1 description.")
    html: str = Field(description="The registry's web pages.")
    resources: list[ApiResource]
