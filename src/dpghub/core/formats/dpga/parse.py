"""Parse DPGA files of both shapes into :class:`SourceRecord` objects (Django-free).

Shapes are detected per file from the content (see :func:`shape_detect`); the folder name only
refines the stage (``archive/`` -> archived, ``excluded-nominees/`` -> excluded).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from dpghub.core import standard
from dpghub.core.formats.dpga.licences import licence_expression
from dpghub.core.formats.dpga.records import (
    CANDIDATES_DATA_DATE,
    REGISTRY_DATA_DATE,
    SCHEME_APPLICATION,
    SCHEME_DPGID,
    SCHEME_LEGACY_SLUG,
    SHAPE_NOMINEE,
    SHAPE_REGISTRY,
    SHAPE_REVIEW,
    SHAPE_SCREENING,
    STAGE_ARCHIVED,
    STAGE_DPG,
    STAGE_EXCLUDED,
    STAGE_NOMINEE,
    ContactRef,
    IndicatorValue,
    Licence,
    MalformedFile,
    OrganisationRef,
    ParsedFile,
    Repo,
    Sdg,
    SourceRecord,
)
from dpghub.core.formats.dpga.repairs import (
    RepairLog,
    as_list,
    country_codes,
    sdg_number,
    text_clean,
    text_list,
    url_clean,
    url_first,
    urls_in,
    yes_no,
)

SHAPE_SCHEMA = "json-schema"  # the schemas shipped with the data: recognised and skipped

# Category codes (dpghub.core.standard) by the nominee files' "type" values and by the registry's names.
_CANDIDATE_CATEGORIES = {item.dpga_type: item.code for item in standard.CATEGORIES}
_REGISTRY_CATEGORIES = {item.name.lower(): item.code for item in standard.CATEGORIES}
_ROLES = {"owner", "maintainer", "funder", "implementer"}
_SCREENING_KEYS = {"clearOwnership", "platformIndependence", "documentation", "NonPII", "privacy",
                   "standards", "doNoHarm", "locations"}
_NOMINEE_KEYS = {"license", "SDGs", "type", "stage", "organizations", "description"}


# --- shape detection ------------------------------------------------------------------------

def _is_registry_record(item: Any) -> bool:
    return (isinstance(item, dict) and "dpgid" in item) or (
        isinstance(item, dict) and "id" in item and ("openlicenses" in item or "sdgs" in item)
    )


def shape_detect(data: Any) -> str | None:
    """The shape of a decoded JSON document, or None when it is not DPGA data."""
    if isinstance(data, list):
        if data and all(_is_registry_record(item) for item in data):
            return SHAPE_REGISTRY
        return None
    if not isinstance(data, dict):
        return None
    if "$schema" in data and "properties" in data:
        return SHAPE_SCHEMA
    if _is_registry_record(data):
        return SHAPE_REGISTRY
    if "user" in data and any(isinstance(v, dict) and "answer" in v for v in data.values()):
        return SHAPE_REVIEW
    if "name" in data and data.keys() & _NOMINEE_KEYS:
        return SHAPE_NOMINEE
    if "name" in data and data.keys() & _SCREENING_KEYS:
        return SHAPE_SCREENING
    return None


# --- helpers ----------------------------------------------------------------------------------

_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sha256(data: Any) -> str:
    """SHA-256 of the record's canonical JSON (keys sorted, no spaces; one encoder for every record)."""
    return hashlib.sha256(_CANONICAL.encode(data).encode("utf-8")).hexdigest()


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _name(data: dict, path: str, log: RepairLog) -> str:
    """The record's name: text, or the file is malformed (a number or a list is not a name)."""
    value = data.get("name")
    if value is not None and not isinstance(value, str):
        raise MalformedFile(path, f"the name is {type(value).__name__} {json.dumps(value)[:60]}, not text")
    name = text_clean(value, log, "name")
    if not name:
        raise MalformedFile(path, "a record has no name")
    return name


_LIST_SEPARATORS = re.compile(r"[,;]")


def _sdg_numbers_from_text(value: Any, log: RepairLog, field_name: str) -> list[int]:
    """SDG numbers from a value that should have been a list or an object: "SDG3, SDG4", "1,3", 7."""
    if isinstance(value, str):
        parts = [part for part in _LIST_SEPARATORS.split(value) if part.strip()]
        log.repaired("sdgs-from-text", field_name, f"{value.strip()[:60]!r} read as {len(parts)} SDG(s)")
    else:
        parts = [value]
        log.repaired("sdgs-from-value", field_name, f"{type(value).__name__} read as an SDG number")
    numbers = []
    for index, part in enumerate(parts):
        number = sdg_number(part, log, f"{field_name}[{index}]")
        if number is not None and number not in numbers:
            numbers.append(number)
    return numbers


def _object(data: dict, key: str, log: RepairLog) -> dict:
    """``data[key]`` when it is an object; {} when absent, and reported when it is something else."""
    value = data.get(key)
    if isinstance(value, dict):
        return value
    if value is not None:
        _dropped(log, key, value, "an object")
    return {}


def _dropped(log: RepairLog, field_name: str, value: Any, expected: str) -> None:
    """A value of the wrong type that cannot be read: left out, and said so in the record's report."""
    log.not_mapped(field_name, json.dumps(value, ensure_ascii=False)[:200], f"not {expected}; left out")


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _organisations(items: Any, log: RepairLog) -> tuple[list[OrganisationRef], list[ContactRef]]:
    orgs: list[OrganisationRef] = []
    contacts: list[ContactRef] = []
    for index, item in enumerate(as_list(items, log, "organizations")):
        if not isinstance(item, dict):
            log.repaired("empty-dropped", f"organizations[{index}]", "not an object")
            continue
        name = text_clean(item.get("name"), log, f"organizations[{index}].name")
        role = text_clean(item.get("org_type"), log, f"organizations[{index}].org_type").lower()
        if role not in _ROLES:
            if role:
                log.not_mapped(f"organizations[{index}].org_type", role, "not an organisation role")
            role = "owner" if role in {"", "organization"} else "maintainer"
        if name:
            website = url_clean(item.get("website"), log, f"organizations[{index}].website")
            orgs.append(OrganisationRef(name[:300], website, role))
        # Personal data: the values are kept out of every log entry on purpose.
        contact_name = item.get("contact_name") if isinstance(item.get("contact_name"), str) else ""
        contact_email = item.get("contact_email") if isinstance(item.get("contact_email"), str) else ""
        contact_name, contact_email = contact_name.strip()[:300], contact_email.strip()[:254]
        if contact_email and not _EMAIL.fullmatch(contact_email):
            log.repaired("contact-email-dropped", f"organizations[{index}].contact_email", "not an e-mail address")
            contact_email = ""
        if contact_name or contact_email:
            contacts.append(ContactRef(name[:300], contact_name, contact_email))
    return list(dict.fromkeys(orgs)), list(dict.fromkeys(contacts))


def _repositories(items: Any, log: RepairLog, extra_url: Any = None) -> list[Repo]:
    repos: list[Repo] = []
    for index, item in enumerate(as_list(items, log, "repositories")):
        if isinstance(item, str):
            log.repaired("repository-from-text", f"repositories[{index}]", "a bare URL read as the repository")
            item = {"url": item}
        if not isinstance(item, dict):
            _dropped(log, f"repositories[{index}]", item, "an object with a url")
            continue
        url = url_clean(item.get("url"), log, f"repositories[{index}].url")
        if url:
            repos.append(Repo(text_clean(item.get("name"), log, f"repositories[{index}].name")[:200], url))
    if extra_url is not None:
        url = url_clean(extra_url, log, "repositoryURL")
        if url:
            log.repaired("field-renamed", "repositoryURL", "read as repositories[0]")
            repos.append(Repo("main", url))
    seen: set[str] = set()
    unique = []
    for repo in repos:
        if repo.url not in seen:
            seen.add(repo.url)
            unique.append(repo)
    return unique


def _licence(text: Any, url: Any, log: RepairLog, field_name: str) -> Licence | None:
    source = text_clean(text, log, field_name)
    if not source:
        return None
    expression = licence_expression(source)
    if expression is None:
        log.not_mapped(field_name, source, "not a known SPDX licence")
        return None
    if expression != source:
        log.repaired("licence-normalised", field_name, f"{source} -> {expression}")
    return Licence(expression[:300], source[:300], url_clean(url, log, field_name + "URL"))


def _unique_licences(licences: list[Licence]) -> list[Licence]:
    seen: set[str] = set()
    out = []
    for licence in licences:
        if licence.expression not in seen:
            seen.add(licence.expression)
            out.append(licence)
    return out


def _categories(values: Any, table: dict[str, str], log: RepairLog, field_name: str, rejoin: bool) -> list[str]:
    out: list[str] = []
    for value in text_list(values, log, field_name, rejoin=rejoin):
        code = table.get(value.strip().lower())
        if code is None:
            log.not_mapped(field_name, value, "not a DPG category")
        elif code not in out:
            out.append(code)
    return out


class _Indicators:
    """Builds IndicatorValue objects, noting exactly which source field each value came from."""

    def __init__(self, data: dict, source_file: str, log: RepairLog) -> None:
        self.data, self.source_file, self.log = data, source_file, log
        self.values: dict[str, IndicatorValue] = {}

    def add(self, code: str, *, answers=(), statements=(), texts=(), inverted=()) -> None:
        """``answers``: Yes/No fields; ``statements``: free text that is itself an answer;
        ``texts``: evidence (string or list); ``inverted``: Yes/No fields holding the answer to
        the opposite question (label, path)."""
        summary: list[str] = []
        evidence: list[dict] = []
        fields: list[str] = []
        declared = False
        for path in answers:
            raw = _get(self.data, path)
            answer = yes_no(raw)
            if answer is not None:
                declared = True
                summary.append(f"{path}: {'Yes' if answer else 'No'}")
                fields.append(f"{self.source_file}: {path}")
        for label, path in inverted:
            answer = yes_no(_get(self.data, path))
            if answer is not None:
                declared = True
                summary.append(f"{label}: {'Yes' if answer else 'No'} ({path}, whose meaning is inverted)")
                fields.append(f"{self.source_file}: {path}")
                self.log.repaired("inverted-field", path, f"read as '{label}'")
        for path in (*statements, *texts):
            raw = _get(self.data, path)
            items = raw if isinstance(raw, list) else [raw]
            found = False
            for item in items:
                if isinstance(item, dict):
                    item = " ".join(str(v) for v in item.values() if isinstance(v, str) and v.strip())
                text = text_clean(item, self.log, path)
                if not text:
                    continue
                found = True
                evidence.append({"field": path, "text": text[:4000], "url": url_first(text)})
            if found:
                fields.append(f"{self.source_file}: {path}")
                if path in statements:
                    declared = True
                    summary.append(f"{path}: {evidence[-1]['text'][:200]}")
        self.values[code] = IndicatorValue(
            indicator=code,
            status="declared" if declared else "no-evidence",
            summary="\n".join(summary),
            evidence=evidence,
            source_fields=fields,
        )


def _stage_from(value: Any, folder: str, log: RepairLog) -> str:
    if folder == "archive":
        return STAGE_ARCHIVED
    if folder == "excluded-nominees":
        return STAGE_EXCLUDED
    text = value.strip().lower() if isinstance(value, str) else ""
    if text == "dpg":
        return STAGE_DPG
    if text == "archive":
        return STAGE_ARCHIVED
    if text != "nominee":
        log.not_mapped("stage", value, "not a known stage; read as nominee")
    return STAGE_NOMINEE


# Rank of a candidates record: the live list (nominees/) is newer than the historical lists.
_FOLDER_RANK = {"excluded-nominees": 0, "archive": 1, "nominees": 2, "digitalpublicgoods": 2, "reviews": 2}


# --- parsers ----------------------------------------------------------------------------------

def _candidates_record(shape: str, data: dict, *, path: str, folder: str, stem: str) -> tuple[SourceRecord, RepairLog]:
    """The common part of every publicgoods-candidates record: identity, provenance, name."""
    log = RepairLog()
    record = SourceRecord(
        shape=shape,
        source_key=f"dpga-candidates:{folder or '-'}/{stem}",
        source_file=f"{folder}/{stem}.json" if folder else f"{stem}.json",
        record_sha256=_sha256(data),
        data_date=CANDIDATES_DATA_DATE,
        rank=_FOLDER_RANK.get(folder, 2),
        name=_name(data, path, log)[:300],
        external_ids=[(SCHEME_LEGACY_SLUG, stem)],
        join_key=stem,
        log=log,
    )
    return record, log


def nominee_parse(data: dict, *, path: str, folder: str, stem: str) -> SourceRecord:
    """A publicgoods-candidates nominee record (nominees/, archive/, excluded-nominees/)."""
    record, log = _candidates_record(SHAPE_NOMINEE, data, path=path, folder=folder, stem=stem)
    record.aliases = [a for a in text_list(data.get("aliases"), log, "aliases", rejoin=False) if a != record.name]
    record.description = text_clean(data.get("description"), log, "description")
    record.website = url_clean(data.get("website"), log, "website")
    record.categories = _categories(data.get("type"), _CANDIDATE_CATEGORIES, log, "type", False)
    record.sectors = text_list(data.get("sectors"), log, "sectors", rejoin=False)
    record.stage = _stage_from(data.get("stage"), folder, log)
    record.repositories = _repositories(data.get("repositories"), log, data.get("repositoryURL"))
    licences = []
    for index, item in enumerate(as_list(data.get("license"), log, "license")):
        if isinstance(item, str):
            log.repaired("licence-from-text", f"license[{index}]", "a bare licence name read as its SPDX id")
            item = {"spdx": item}
        if isinstance(item, dict):
            licence = _licence(item.get("spdx"), item.get("licenseURL"), log, f"license[{index}].spdx")
            if licence:
                licences.append(licence)
        else:
            _dropped(log, f"license[{index}]", item, "an object with an spdx licence")
    record.licences = _unique_licences(licences)
    sdgs: dict[int, Sdg] = {}
    for index, item in enumerate(as_list(data.get("SDGs"), log, "SDGs")):
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            for number in _sdg_numbers_from_text(item, log, f"SDGs[{index}]"):
                sdgs.setdefault(number, Sdg(number, "", ()))
            continue
        if not isinstance(item, dict):
            _dropped(log, f"SDGs[{index}]", item, "an object with an SDGNumber")
            continue
        number = sdg_number(item.get("SDGNumber"), log, f"SDGs[{index}].SDGNumber")
        if number and number not in sdgs:
            url = url_clean(item.get("evidenceURL"), log, f"SDGs[{index}].evidenceURL")
            sdgs[number] = Sdg(number, text_clean(item.get("evidenceText"), log, f"SDGs[{index}].evidenceText"),
                               (url,) if url else ())
    record.sdgs = sorted(sdgs.values(), key=lambda s: s.sdg)
    record.organisations, record.contacts = _organisations(data.get("organizations"), log)
    indicators = _Indicators(data, record.source_file, log)
    indicators.add("1", texts=("SDGs",))
    indicators.add("2", texts=("license",))
    record.indicators = indicators.values
    # Indicators 1 and 2 are declared when the record lists SDGs / licences it could map.
    for code, present in (("1", record.sdgs), ("2", record.licences)):
        value = record.indicators[code]
        if present:
            value.status = "declared"
            value.summary = (
                "SDGs: " + ", ".join(str(s.sdg) for s in record.sdgs) if code == "1"
                else "Licences: " + ", ".join(lic.expression for lic in record.licences)
            )
    if folder == "excluded-nominees":
        log.not_mapped("excluded_on", "", "the source has no exclusion date")
    return record


def screening_parse(data: dict, *, path: str, folder: str, stem: str) -> SourceRecord:
    """A publicgoods-candidates screening record (digitalpublicgoods/): indicators 3-9, locations."""
    record, log = _candidates_record(SHAPE_SCREENING, data, path=path, folder=folder, stem=stem)
    locations = _object(data, "locations", log)
    record.countries = [(c, "development") for c in country_codes(
        locations.get("developmentCountries"), log, "locations.developmentCountries")]
    record.countries += [(c, "deployment") for c in country_codes(
        locations.get("deploymentCountries"), log, "locations.deploymentCountries")]
    ind = _Indicators(data, record.source_file, log)
    ind.add("3", answers=("clearOwnership.isOwnershipExplicit",), texts=("clearOwnership.copyrightURL",))
    ind.add("4", answers=("platformIndependence.mandatoryDepsCreateMoreRestrictions",
                          "platformIndependence.isSoftwarePltIndependent"),
            texts=("platformIndependence.pltIndependenceDesc",))
    ind.add("5", answers=("documentation.isDocumentationAvailable",), texts=("documentation.documentationURL",))
    ind.add("6", answers=("NonPII.collectsNonPII", "NonPII.checkNonPIIAccessMechanism"),
            texts=("NonPII.nonPIIAccessMechanism",))
    ind.add("7", answers=("privacy.isPrivacyCompliant",),
            texts=("privacy.privacyComplianceList", "privacy.adherenceSteps"))
    ind.add("8", answers=("standards.supportStandards", "standards.implementBestPractices"),
            texts=("standards.standardsList", "standards.evidenceStandardSupport", "standards.bestPracticesList"))
    ind.add("9a", answers=("doNoHarm.preventHarm.stepsToPreventHarm", "doNoHarm.dataPrivacySecurity.collectsPII",
                           "doNoHarm.dataPrivacySecurity.thirdPartyDataSharing",
                           "doNoHarm.dataPrivacySecurity.ensurePrivacySecurity"),
            texts=("doNoHarm.preventHarm.additionalInfoMechanismProcessesPolicies",
                   "doNoHarm.dataPrivacySecurity.typesOfDataCollected",
                   "doNoHarm.dataPrivacySecurity.dataSharingCircumstances",
                   "doNoHarm.dataPrivacySecurity.privacySecurityDescription"))
    ind.add("9b", answers=("doNoHarm.inappropriateIllegalContent.collectStoreDistribute",
                           "doNoHarm.inappropriateIllegalContent.contentFilter",
                           "doNoHarm.inappropriateIllegalContent.illegalContentDetection"),
            texts=("doNoHarm.inappropriateIllegalContent.type",
                   "doNoHarm.inappropriateIllegalContent.policyGuidelinesDocumentationLink",
                   "doNoHarm.inappropriateIllegalContent.illegalContentDetectionMechanism"))
    ind.add("9c", answers=("doNoHarm.protectionFromHarassment.userInteraction",
                           "doNoHarm.protectionFromHarassment.addressSafetySecurityUnderageUsers",
                           "doNoHarm.protectionFromHarassment.griefAbuseHarassmentProtection"),
            texts=("doNoHarm.protectionFromHarassment.stepsAddressRiskPreventSafetyUnderageUsers",
                   "doNoHarm.protectionFromHarassment.harassmentProtectionSteps"))
    record.indicators = ind.values
    return record


_RELEVANCE_SPLIT = re.compile(r",?\s*&#0*13;\s*&#0*10;")
_CR_LF = re.compile(r"&#0*13;\s*&#0*10;")


def _relevance_split(text: str) -> list[str]:
    """``_RELEVANCE_SPLIT.split(text)``, several times faster on long texts.

    The pattern begins with optional characters, so the regular expression engine tries it at every
    position; here the encoded line break (which starts with a literal ``&#``) is searched for and
    the whitespace and the one comma just before it are cut off by hand, as the pattern would.
    """
    parts: list[str] = []
    start = 0
    for match in _CR_LF.finditer(text):
        cut = match.start()
        while cut > start and text[cut - 1].isspace():
            cut -= 1
        if cut > start and text[cut - 1] == ",":
            cut -= 1
        parts.append(text[start:cut])
        start = match.end()
    parts.append(text[start:])
    return parts


def registry_parse(data: dict, *, path: str, source_file: str, data_date: date) -> SourceRecord:
    """A record of the registry API (``/api/dpgs``, 2022 on)."""
    log = RepairLog()
    app_id = text_clean(data.get("id"), log, "id")
    if not app_id:
        raise MalformedFile(path, "a registry record has no id")
    dpgid = text_clean(data.get("dpgid"), log, "dpgid")
    record = SourceRecord(
        shape=SHAPE_REGISTRY,
        source_key=f"dpga-registry:{app_id}",
        source_file=source_file,
        record_sha256=_sha256(data),
        data_date=data_date,
        rank=3,
        name=_name(data, path, log)[:300],
        external_ids=[(SCHEME_APPLICATION, app_id)] + ([(SCHEME_DPGID, dpgid)] if dpgid else []),
        log=log,
    )
    record.aliases = [a for a in text_list(data.get("aliases"), log, "aliases", rejoin=True) if a != record.name]
    record.description = text_clean(data.get("description"), log, "description")
    record.website = url_clean(data.get("website"), log, "website")
    record.categories = _categories(data.get("categories"), _REGISTRY_CATEGORIES, log, "categories", True)
    record.sectors = text_list(data.get("sectors"), log, "sectors", rejoin=True)
    stage = text_clean(data.get("stage"), log, "stage").lower()
    record.stage = {"dpg": STAGE_DPG, "nominee": STAGE_NOMINEE}.get(stage, STAGE_DPG)
    if stage not in {"dpg", "nominee"}:
        log.not_mapped("stage", stage, "not a known stage; read as DPG (a registry record)")
    record.repositories = _repositories(data.get("repositories"), log)
    licences = []
    for index, item in enumerate(as_list(data.get("openlicenses"), log, "openlicenses")):
        if isinstance(item, str):
            log.repaired("licence-from-text", f"openlicenses[{index}]", "a bare licence name read as openLicense")
            item = {"openLicense": item}
        if isinstance(item, dict):
            licence = _licence(item.get("openLicense"), item.get("openLicenseEvidenceURLs"), log,
                               f"openlicenses[{index}].openLicense")
            if licence:
                licences.append(licence)
        else:
            _dropped(log, f"openlicenses[{index}]", item, "an object with an openLicense")
    record.licences = _unique_licences(licences)
    raw_sdgs = data.get("sdgs")
    numbers: list[int] = []
    if isinstance(raw_sdgs, dict):
        sdgs_block = raw_sdgs
    else:
        sdgs_block = {}
        if isinstance(raw_sdgs, (str, int)) and not isinstance(raw_sdgs, bool):
            numbers = _sdg_numbers_from_text(raw_sdgs, log, "sdgs")
        elif isinstance(raw_sdgs, list):
            log.repaired("sdgs-not-an-object", "sdgs", "a list read as sdgs.sdg")
            sdgs_block = {"sdg": raw_sdgs}
        elif raw_sdgs is not None:
            _dropped(log, "sdgs", raw_sdgs, "an object with sdg and relevance")
    for index, item in enumerate(as_list(sdgs_block.get("sdg"), log, "sdgs.sdg")):
        number = sdg_number(item, log, f"sdgs.sdg[{index}]")
        if number and number not in numbers:
            numbers.append(number)
    raw_relevance = sdgs_block.get("relevance") if isinstance(sdgs_block.get("relevance"), str) else ""
    parts = [text_clean(part, log, "sdgs.relevance") for part in _relevance_split(raw_relevance)]
    parts = [part for part in parts if part]
    if len(parts) == len(numbers) and len(parts) > 1:
        log.repaired("relevance-split", "sdgs.relevance", f"one text per SDG ({len(parts)})")
    elif parts:
        parts = ["\n".join(parts)] * len(numbers)
    record.sdgs = [Sdg(n, parts[i] if parts else "", tuple(urls_in(parts[i]))[:5] if parts else ())
                   for i, n in enumerate(numbers)]
    record.sdgs.sort(key=lambda s: s.sdg)
    locations = _object(data, "locations", log)
    record.countries = [(c, "development") for c in country_codes(
        locations.get("developmentCountries"), log, "locations.developmentCountries")]
    record.countries += [(c, "deployment") for c in country_codes(
        locations.get("deploymentCountries"), log, "locations.deploymentCountries")]
    record.organisations, record.contacts = _organisations(data.get("organizations"), log)
    for key in ("deploymentOrganisations", "deploymentCountriesDepartments", "otherDeploymentOrganisations",
                "awardsReceived", "openStandards", "bestPractices"):
        if key in data:
            data = {**data, key: text_list(data.get(key), log, key, rejoin=True)}
    for key, sub in (("platformIndependence", "openAlternatives"), ("dataPrivacySecurity", "typesOfPIIDataCollected"),
                     ("userContent", "contentTypes")):
        if isinstance(data.get(key), dict) and sub in data[key]:
            data = {**data, key: {**data[key], sub: text_list(data[key][sub], log, f"{key}.{sub}", rejoin=True)}}
    ind = _Indicators(data, source_file, log)
    ind.add("1", texts=("sdgs.sdg", "sdgs.relevance"))
    ind.add("2", texts=("openlicenses",))
    ind.add("3", statements=("clearOwnership",))
    ind.add("4", inverted=(("uses closed components", "platformIndependence.isPlatformIndependent"),),
            texts=("platformIndependence.openAlternatives",))
    ind.add("5", statements=("documentation",))
    ind.add("6", answers=("NonPII.collectsNonPII",), texts=("NonPII.nonPIIAccessMechanism",))
    ind.add("7", statements=("privacy",))
    ind.add("8", statements=("openStandards", "bestPractices"))
    ind.add("9a", statements=("dataPrivacySecurity.collectsPII",),
            texts=("dataPrivacySecurity.typesOfPIIDataCollected", "dataPrivacySecurity.dataPrivacySecurity"))
    ind.add("9b", statements=("userContent.contentManagement",),
            texts=("userContent.contentTypes", "userContent.contentManagementPolicy"))
    ind.add("9c", answers=("protectionFromHarassment.facilitatesUserInteraction",),
            texts=("protectionFromHarassment.harassmentPolicy",))
    record.indicators = ind.values
    for code, present, text in (
        ("1", record.sdgs, lambda: "SDGs: " + ", ".join(str(s.sdg) for s in record.sdgs)),
        ("2", record.licences, lambda: "Licences: " + ", ".join(lic.expression for lic in record.licences)),
    ):
        if present:
            record.indicators[code].status = "declared"
            record.indicators[code].summary = text()
    return record


_REVIEW_INDICATOR = {"license": "2", "clearOwnership": "3", "ownership": "3", "documentation": "5", "nonPII": "6"}


def reviewer_hash(handle: str) -> str:
    """A short, stable stand-in for a reviewer's handle (the handle itself is never stored)."""
    return hashlib.sha256(f"dpghub-review:{handle}".encode()).hexdigest()[:12]


def review_parse(data: dict, *, path: str, folder: str, stem: str) -> SourceRecord:
    """A crowdsourced review ``reviews/<Good name>_<user>.json``; answers true/false -> pass/fail."""
    log = RepairLog()
    user = data.get("user") if isinstance(data.get("user"), str) else ""
    good_name = stem
    if "_" in stem:
        good_name, handle = stem.rsplit("_", 1)
    elif user and stem.endswith("-" + user):
        good_name, handle = stem[: -len(user) - 1], user
        log.repaired("review-file-name", "file name", "'<good>-<user>' read as '<good>_<user>'")
    else:
        handle = user
    handle = user or handle
    hashed = reviewer_hash(handle)
    source_file = f"{folder}/{good_name}_{hashed}.json" if folder else f"{good_name}_{hashed}.json"
    reviewed_on = None
    if isinstance(data.get("timestamp"), (int, float)) and not isinstance(data.get("timestamp"), bool):
        try:
            reviewed_on = datetime.fromtimestamp(data["timestamp"], tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            log.not_mapped("timestamp", data["timestamp"], "not a Unix time")
    record = SourceRecord(
        shape=SHAPE_REVIEW,
        source_key=f"dpga-candidates:reviews/{good_name}_{hashed}",
        source_file=source_file,
        record_sha256=_sha256({k: v for k, v in data.items() if k != "user"}),
        data_date=CANDIDATES_DATA_DATE,
        rank=_FOLDER_RANK["reviews"],
        name=good_name,
        review_good_name=good_name,
        reviewed_on=reviewed_on,
        log=log,
    )
    grouped: dict[str, list[tuple[str, dict]]] = {}
    for key, value in data.items():
        if not isinstance(value, dict) or "answer" not in value:
            continue
        code = "1" if key.startswith("SDG[") else _REVIEW_INDICATOR.get(key)
        if code is None:
            log.not_mapped(key, "", "review criterion not tied to an indicator")
            continue
        grouped.setdefault(code, []).append((key, value))
    for code in sorted(grouped):
        answers, comments, confidences, fields = [], [], [], []
        for key, value in grouped[code]:
            answer = value.get("answer")
            if not isinstance(answer, bool):
                log.not_mapped(f"{key}.answer", answer, "not true/false")
                continue
            answers.append(answer)
            fields.append(f"{source_file}: {key}.answer")
            comment = text_clean(value.get("comment"), log, f"{key}.comment")
            if comment:
                comments.append({"field": f"{key}.comment", "text": comment[:4000], "url": ""})
                fields.append(f"{source_file}: {key}.comment")
            confidence = value.get("confidence")
            if isinstance(confidence, str) and confidence.strip().isdigit():
                log.repaired("number-from-string", f"{key}.confidence")
                confidence = int(confidence.strip())
            if isinstance(confidence, int) and not isinstance(confidence, bool) and 1 <= confidence <= 5:
                confidences.append(confidence)
                fields.append(f"{source_file}: {key}.confidence")
            elif confidence not in (None, ""):
                log.not_mapped(f"{key}.confidence", confidence, "not a confidence 1-5")
        if not answers:
            continue
        record.indicators[code] = IndicatorValue(
            indicator=code,
            status="pass" if all(answers) else "fail",
            summary=f"{sum(answers)} of {len(answers)} answer(s) true",
            evidence=comments,
            source_fields=fields,
            confidence=min(confidences) if confidences else None,
        )
    return record


# --- files ------------------------------------------------------------------------------------

def _registry_date(name: str) -> date:
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", name)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    return REGISTRY_DATA_DATE


def file_parse(path: str | Path) -> ParsedFile:
    """Read one JSON file and return its records; raise :class:`MalformedFile` with the reason."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MalformedFile(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise MalformedFile(str(path), "not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise MalformedFile(str(path), f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    return document_parse(data, path=str(path), folder=path.parent.name, stem=path.stem, file_name=path.name)


def document_parse(data: Any, *, path: str, folder: str, stem: str, file_name: str) -> ParsedFile:
    """Parse a decoded JSON document (see :func:`file_parse`)."""
    shape = shape_detect(data)
    if shape is None:
        raise MalformedFile(path, "not a DPGA record: neither a nominee, screening, review nor registry record")
    if shape == SHAPE_SCHEMA:
        return ParsedFile(path, file_name, shape, [])
    if shape == SHAPE_REGISTRY:
        items = data if isinstance(data, list) else [data]
        when = _registry_date(file_name)
        records = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise MalformedFile(path, f"record {index} is not an object")
            try:
                records.append(registry_parse(item, path=path, source_file=file_name, data_date=when))
            except MalformedFile as exc:
                raise MalformedFile(path, f"record {index}: {exc.reason}") from exc
        seen: set[str] = set()
        for record in records:
            if record.source_key in seen:
                raise MalformedFile(path, f"two records with the id {record.source_key.split(':', 1)[1]}")
            seen.add(record.source_key)
        return ParsedFile(path, file_name, shape, records)
    parser = {SHAPE_NOMINEE: nominee_parse, SHAPE_SCREENING: screening_parse, SHAPE_REVIEW: review_parse}[shape]
    record = parser(data, path=path, folder=folder, stem=stem)
    return ParsedFile(path, record.source_file, shape, [record])
