"""Indicator 6: a mechanism for extracting data and content in non-proprietary formats.

Signals: OpenAPI / Swagger documents, GraphQL schemas, JSON Schema files, export code (CSV / JSON / XML
writers, export endpoints) and documentation that says how to export or download data in open formats.
"""

from __future__ import annotations

import re

from dpghub.core.screening.checks.base import Context, unique_hits
from dpghub.core.screening.report import Finding, Status
from dpghub.core.screening.scan import CODE, DOCS, Pattern

CONFIG = frozenset({"config"})
OPENAPI = Pattern(
    "data.openapi",
    re.compile(r"^\s*[\"']?(openapi|swagger)[\"']?\s*:\s*[\"']?(?:3\.\d|2\.0)", re.MULTILINE),
    ("openapi", "swagger"), kinds=CONFIG, head=4096,
)
GRAPHQL = Pattern(
    "data.graphql",
    re.compile(r"^\s*(?:extend\s+)?(type\s+Query)\b|^\s*(schema)\s*\{", re.MULTILINE),
    ("type query", "schema"), kinds=CONFIG, path_filter=lambda p: p.endswith((".graphql", ".gql", ".graphqls")),
)
JSON_SCHEMA = Pattern(
    "data.json_schema",
    re.compile(r"[\"']\$schema[\"']\s*:\s*[\"'](https?://json-schema\.org/[^\"']*)"),
    ("json-schema.org",), kinds=CONFIG, head=2048, max_total=10,
)
_FORMATS = r"(?:CSV|TSV|JSON|GeoJSON|NDJSON|XML|XLSX|ODS|RDF|Turtle|Parquet|SQL dump|KML|GPX|SDMX|FHIR|ZIP archive)"
EXPORT_CODE = Pattern(
    "data.export_code",
    re.compile(
        r"\b(export[_-]?(?:to[_-]?)?(?:csv|json|xml|xlsx|geojson|ndjson|excel|data)\w*|"
        r"download[_-]?(?:as[_-]?)?(?:csv|json|xml|xlsx)\w*|csv\.(?:writer|DictWriter)\(|CSVPrinter|fputcsv\()|"
        r"(\.to_csv\(|to_json\(orient|[\"']/(?:api/)?(?:v\d+/)?exports?[/\"'])",
        re.IGNORECASE),
    # Needles every match contains ("export" alone is in every JavaScript module): the verb joined to a
    # format, the writer calls, export routes.
    tuple(
        verb + sep + mid + fmt
        for verb, link, formats in (("export", "to", ("csv", "json", "xml", "xlsx", "geojson", "ndjson", "excel", "data")),
                                    ("download", "as", ("csv", "json", "xml", "xlsx")))
        for sep in ("", "_", "-")
        for mid in ("", link, link + "_", link + "-")
        for fmt in formats
    ) + ("csv.writer(", "csv.dictwriter(", ".to_csv(", "to_json(orient", "fputcsv(", "csvprinter", "/export"),
    kinds=CODE, max_total=20,
)
EXPORT_DOCS = Pattern(
    "data.export_docs",
    re.compile(rf"\b(?:export|download|extract|dump)\w*\b[^\n]{{0,80}}?\b{_FORMATS}\b|"
               rf"\b{_FORMATS}\b[^\n]{{0,40}}?\b(?:export|download)", re.IGNORECASE),
    ("export", "download", "extract", "dump"), kinds=DOCS, max_total=20,
)
PATTERNS = [OPENAPI, GRAPHQL, JSON_SCHEMA, EXPORT_CODE, EXPORT_DOCS]


def check(ctx: Context) -> list[Finding]:
    scan = ctx.scan
    api = scan.get(OPENAPI.name) + scan.get(GRAPHQL.name)
    docs = scan.get(EXPORT_DOCS.name)
    code = scan.get(EXPORT_CODE.name)
    schemas = scan.get(JSON_SCHEMA.name)
    data = {"api_specs": sorted({h.path for h in api})[:10], "export_docs": sorted({h.path for h in docs})[:10],
            "export_code": sorted({h.path for h in code})[:10], "json_schemas": sorted({h.path for h in schemas})[:10]}
    evidence = [ctx.hit_evidence(h) for h in unique_hits(api + docs + code + schemas, 6)]
    if api or docs:
        what = []
        if api:
            what.append("an API description (" + ", ".join(data["api_specs"][:2]) + ")")
        if docs:
            what.append("documented export in open formats")
        return [Finding("6", Status.MET, "data.api_or_export_documented",
                        "Data can be extracted: " + " and ".join(what) + ".", evidence, data)]
    if code or schemas:
        return [Finding("6", Status.LIKELY_MET, "data.export_code",
                        "Export code or data schemas exist, but no documented export or API description was found.",
                        evidence, data)]
    return [Finding("6", Status.NOT_FOUND, "data.not_found",
                    "No API description, data schema, export code or documented export format was found.", [], data)]
