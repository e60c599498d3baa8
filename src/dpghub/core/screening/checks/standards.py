"""Indicator 8: adherence to standards and best practices (references in code, configuration and docs)."""

from __future__ import annotations

import re

from dpghub.core.screening.checks.base import Context, unique_hits
from dpghub.core.screening.report import Finding, Status
from dpghub.core.screening.scan import DOCS_AND_CODE, Hit, Pattern


def _std(name: str, regex: str, needles: tuple[str, ...], flags: int = 0) -> Pattern:
    return Pattern(f"standard.{name}", re.compile(regex, flags), needles, kinds=DOCS_AND_CODE, max_total=5)


_I = re.IGNORECASE
STANDARDS: dict[str, Pattern] = {
    "FHIR": _std("FHIR", r"\bFHIR\b|hl7\.org/fhir", ("fhir",)),
    "HL7": _std("HL7", r"\bHL7\b(?!\.org/fhir)", ("hl7",)),
    "OpenAPI": _std("OpenAPI", r"\bOpenAPI\b|\bSwagger\b|^\s*[\"']?openapi[\"']?\s*:", ("openapi", "swagger"),
                    re.MULTILINE),
    "OAuth 2.0": _std("OAuth2", r"\bOAuth\s?2(?:\.0)?\b|\boauth2\b", ("oauth",), _I),
    "OpenID Connect": _std("OIDC", r"\bOpenID[ _-]?Connect\b|\bOIDC\b", ("openid", "oidc"), _I),
    "SAML": _std("SAML", r"\bSAML\s?2?(?:\.0)?\b", ("saml",)),
    "OGC": _std("OGC", r"\bOGC\b|\b(?:WMS|WFS|WMTS|WCS)\b|OGC API|GeoPackage|\bGeoJSON\b", ("ogc", "wms", "wfs",
                "wmts", "wcs", "geopackage", "geojson")),
    "W3C": _std("W3C", r"\bW3C\b|\bWCAG\s?2|\bWAI-ARIA\b|\bJSON-LD\b|\bActivityPub\b|\bVerifiable Credentials\b",
                ("w3c", "wcag", "wai-aria", "json-ld", "activitypub", "verifiable credential")),
    "ISO": _std("ISO", r"\bISO[ /-]?(?:8601|639(?:-[1-3])?|3166(?:-[12])?|4217|27001|19115|20022|15489)\b",
                ("iso",)),
    "DHIS2": _std("DHIS2", r"\bDHIS\s?2\b", ("dhis",), _I),
    "OpenHIE": _std("OpenHIE", r"\bOpenHIE\b|\bIHE\b", ("openhie", "ihe")),
    "SDMX": _std("SDMX", r"\bSDMX\b", ("sdmx",), _I),
    "IATI": _std("IATI", r"\bIATI\b", ("iati",)),
    "DCAT": _std("DCAT", r"\bDCAT(?:-AP)?\b", ("dcat",)),
    "schema.org": _std("schema_org", r"schema\.org\b", ("schema.org",), _I),
    "publiccode.yml": _std("publiccode", r"publiccode\.ya?ml|^publiccodeYmlVersion:", ("publiccode",), _I
                           | re.MULTILINE),
    "SNOMED CT": _std("SNOMED", r"\bSNOMED(?:[ -]CT)?\b", ("snomed",), _I),
    "LOINC": _std("LOINC", r"\bLOINC\b", ("loinc",)),
    "ICD": _std("ICD", r"\bICD-?1[01]\b", ("icd",)),
    "OpenID4VC / DID": _std("DID", r"\bOpenID4V[CPI]\b|\bdid:[a-z0-9]+:", ("openid4v", "did:")),
    "SPDX": _std("SPDX", r"\bSPDX\b", ("spdx",)),
    "Frictionless Data": _std("Frictionless", r"\bFrictionless Data\b|datapackage\.json", ("frictionless",
                              "datapackage.json"), _I),
    "GTFS": _std("GTFS", r"\bGTFS\b", ("gtfs",)),
    "XBRL": _std("XBRL", r"\bXBRL\b", ("xbrl",)),
    "OpenSSF / CII badge": _std("OpenSSF", r"bestpractices\.(?:dev|coreinfrastructure\.org)|\bOpenSSF\b",
                                ("bestpractices", "openssf"), _I),
}
PATTERNS = list(STANDARDS.values())


def check(ctx: Context) -> list[Finding]:
    found = {label: ctx.scan.get(p.name) for label, p in STANDARDS.items()}
    found = {label: hits for label, hits in found.items() if hits}
    counts = {label: len({h.path for h in hits}) for label, hits in found.items()}
    data = {"standards": sorted(found), "files_per_standard": counts}
    if not found:
        return [Finding("8", Status.NOT_FOUND, "standards.not_found",
                        "No reference to a known open standard was found in code, configuration or docs.", [], data)]
    ranked = sorted(found, key=lambda label: (-counts[label], label))
    # a line per standard, each line once (a line listing six standards is one piece of evidence, not six)
    picked: list[Hit] = []
    seen: set[tuple[str, int]] = set()
    for label in ranked[:6]:
        hit = next((h for h in found[label] if (h.path, h.line) not in seen), None)
        if hit is not None:
            picked.append(hit)
            seen.add((hit.path, hit.line))
    evidence = [ctx.hit_evidence(h) for h in unique_hits(picked + found[ranked[0]][1:], 8)]
    return [Finding("8", Status.LIKELY_MET, "standards.referenced",
                    f"References to {len(found)} open standards were found ({', '.join(ranked[:5])}); the project "
                    "must confirm how it adheres to them.", evidence, data)]
