"""Importing deployment claims from files (and from the registry's own records): :func:`deployments_import`.

Policy, as for the registry's import (docs/adr/0002-import-policy.md): a row that cannot be read is reported
with its row number and nothing is stored, unless ``skip_invalid`` is given, then the rest is imported and
the report lists what was skipped. Every claim is unverified (``claimed``) and keeps its source: format,
file, row, and how its software name was matched to a registered good (:mod:`dpghub.deployments.matching`);
names that match no good are listed, never guessed. Each claim's ``source_key`` (format, file name and the
row's natural key) makes importing the same file again change nothing; a claim a person has since confirmed,
disputed or edited is left alone. ``dry_run`` reports what would change and stores nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dpghub.catalog.enums import CountryRole
from dpghub.catalog.models import Good, GoodCountry
from dpghub.common.authz import actor_may
from dpghub.common.history import Actor, history_record
from dpghub.deployments.enums import (
    DeploymentsAction,
    ImportFormat,
    MatchMethod,
    PartnerRole,
    SourceKind,
    VerificationState,
)
from dpghub.deployments.errors import DeploymentsPermissionDenied, ImportFailed, InvalidDeployment
from dpghub.deployments.formats import READERS, Claim, FileUnreadable, Parsed
from dpghub.deployments.matching import GoodMatcher, Match, Unmatched
from dpghub.deployments.models import Deployment, DeploymentImportRun, DeploymentPartner
from dpghub.deployments.rules import DEPLOYMENTS_RULES
from dpghub.orgs.models import Organisation

#: The fields an import owns on the claims it created (compared to decide whether a claim changed).
IMPORTED_FIELDS = ("good_id", "country", "agency_id", "agency_name", "layer", "sector", "stage", "scope",
                   "started_on", "ended_on", "reach", "reach_unit", "evidence_urls", "notes", "source_row",
                   "match_method", "match_score", "match_name")


@dataclass
class ImportReport:
    format: str
    file_name: str
    dry_run: bool
    run_id: int | None = None
    rows_with_claims: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # confirmed, disputed or edited by a person since: left alone
    #: claims an earlier run of the same file made that this run does not (the row changed, or its name no
    #: longer matches): listed for review, never deleted
    not_in_file: list[int] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    matches: dict[str, dict] = field(default_factory=dict)  # name in file -> explanation
    unmatched: list[dict] = field(default_factory=list)

    @property
    def stats(self) -> dict[str, Any]:
        methods = Counter(m["method"] for m in self.matches.values())
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "kept": self.kept,
                "row_errors": len(self.errors), "rows_skipped": len(self.skipped), "not_in_file": len(self.not_in_file),
                "names_matched": dict(sorted(methods.items())), "names_unmatched": len({u["name"].casefold() for u in self.unmatched})}

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "file": self.file_name, "dry_run": self.dry_run, "stats": self.stats,
                "errors": self.errors, "skipped": self.skipped,
                "matches": [self.matches[name] for name in sorted(self.matches, key=str.casefold)],
                "unmatched": self.unmatched, "not_in_file": self.not_in_file}

    def __str__(self) -> str:
        s = self.stats
        text = _("%(source)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(kept)d kept "
                 "(changed by a person); %(row_errors)d row error(s), %(rows_skipped)d row(s) without a country; "
                 "names matched %(names_matched)s, %(names_unmatched)d unmatched") % {
            **s, "source": self.file_name or self.format,
            "names_matched": ", ".join(f"{k} {v}" for k, v in s["names_matched"].items()) or "0"}
        return text + (_(" (dry run: nothing stored)") if self.dry_run else "")


def _matcher(threshold: float | None) -> GoodMatcher:
    goods = Good.objects.values_list("pk", "slug", "name", "aliases").order_by("pk")
    return GoodMatcher(goods, threshold=settings.DPGHUB_DEPLOYMENTS_MATCH_THRESHOLD if threshold is None else threshold)


def _organisations_by_name() -> dict[str, Organisation | None]:
    """Registered organisations by exact name (case-insensitive); None where two share a name."""
    found: dict[str, Organisation | None] = {}
    for organisation in Organisation.objects.all():
        key = organisation.name.casefold()
        found[key] = None if key in found else organisation
    return found


def _match_claim(claim: Claim, matcher: GoodMatcher, report: ImportReport) -> list[Match]:
    """The goods a row claims: its software names, or its fallback names when none matched."""
    matched: dict[int, Match] = {}
    tried: list[Unmatched] = []
    for names in (claim.names, claim.fallback_names):
        for name in names:
            result = matcher.match(name)
            if isinstance(result, Match):
                matched.setdefault(result.good_id, result)
                report.matches.setdefault(name.casefold(), result.explain())
            elif result.reason != "generic":
                tried.append(result)
        if matched:
            break
    for miss in tried if not matched else [m for m in tried if m.name in claim.names]:
        report.unmatched.append({"row": claim.row, "name": miss.name, "reason": miss.reason,
                                 "candidates": [{"good": g, "score": s} for g, s in miss.candidates]})
    return list(matched.values())


def _plans(parsed: Parsed, *, fmt: str, file_name: str, matcher: GoodMatcher, report: ImportReport) -> list[dict]:
    organisations = _organisations_by_name()
    plans: dict[str, dict] = {}
    for claim in parsed.claims:
        matches = _match_claim(claim, matcher, report)
        if matches:
            report.rows_with_claims += 1
        agency = organisations.get(claim.agency_name.casefold()) if claim.agency_name else None
        for match in matches:
            key = f"{fmt}:{file_name}:{claim.key}" + (f":{match.good_slug}" if len(matches) > 1 else "")
            plans[key] = {
                "source_key": key[:400],
                "values": {
                    "good_id": match.good_id, "country": claim.country, "agency_id": agency.pk if agency else None,
                    "agency_name": claim.agency_name, "layer": claim.layer, "sector": claim.sector,
                    "stage": claim.stage, "scope": claim.scope, "started_on": claim.started_on,
                    "ended_on": claim.ended_on, "reach": claim.reach, "reach_unit": claim.reach_unit,
                    "evidence_urls": claim.evidence_urls, "notes": claim.notes[:2000], "source_row": claim.row,
                    "match_method": match.method.value, "match_score": match.score, "match_name": match.name[:300],
                },
                "partners": [(PartnerRole.IMPLEMENTER.value, name) for name in claim.implementers]
                + [(PartnerRole.FUNDER.value, name) for name in claim.funders],
            }
    return list(plans.values())


def _partner_rows(deployment: Deployment, partners: list[tuple[str, str]],
                  organisations: dict[str, Organisation | None]) -> list[DeploymentPartner]:
    rows = []
    for role, name in partners:
        organisation = organisations.get(name.casefold())
        rows.append(DeploymentPartner(deployment=deployment, role=role, organisation=organisation,
                                      name="" if organisation else name[:300]))
    return rows


def _partners_of(deployment: Deployment) -> list[tuple[str, int | None, str]]:
    return [(p.role, p.organisation_id, p.name) for p in deployment.partners.order_by("pk")]


def _apply(plans: list[dict], *, fmt: str, file_name: str, source_kind: str, report: ImportReport,
           run: DeploymentImportRun | None) -> None:
    """Create, update or leave each planned claim (only counts when ``run`` is None: a dry run)."""
    organisations = _organisations_by_name()
    existing = {d.source_key: d for d in Deployment.objects.filter(source_key__in=[p["source_key"] for p in plans])}
    planned = {p["source_key"] for p in plans}
    report.not_in_file = sorted(pk for pk, key in Deployment.objects.filter(source_format=fmt, source_file=file_name)
                                .exclude(source_key="").values_list("pk", "source_key") if key not in planned)
    for plan in plans:
        deployment = existing.get(plan["source_key"])
        if deployment is None:
            report.created += 1
            if run is not None:
                deployment = Deployment.objects.create(
                    source_kind=source_kind, source_format=fmt, source_file=file_name, source_key=plan["source_key"],
                    import_run=run, verification=VerificationState.CLAIMED, **plan["values"])
                DeploymentPartner.objects.bulk_create(_partner_rows(deployment, plan["partners"], organisations))
            continue
        if deployment.verification != VerificationState.CLAIMED or deployment.version > 0:
            report.kept += 1
            continue
        wanted = _partner_rows(deployment, plan["partners"], organisations)
        same = (all(getattr(deployment, name) == value for name, value in plan["values"].items())
                and _partners_of(deployment) == [(p.role, p.organisation_id, p.name) for p in wanted])
        if same:
            report.unchanged += 1
            continue
        report.updated += 1
        if run is not None:
            for name, value in plan["values"].items():
                setattr(deployment, name, value)
            deployment.import_run = run
            deployment.save()
            deployment.partners.all().delete()
            DeploymentPartner.objects.bulk_create(wanted)


def _run(*, actor: Actor, fmt: str, file_name: str, sha256: str, parsed: Parsed, plans: list[dict],
         source_kind: str, report: ImportReport, dry_run: bool) -> ImportReport:
    if dry_run:
        _apply(plans, fmt=fmt, file_name=file_name, source_kind=source_kind, report=report, run=None)
        return report
    with transaction.atomic():
        run = DeploymentImportRun.objects.create(format=fmt, file_name=file_name, file_sha256=sha256)
        _apply(plans, fmt=fmt, file_name=file_name, source_kind=source_kind, report=report, run=run)
        report.run_id = run.pk
        run.stats, run.report, run.finished_at = report.stats, report.as_dict(), timezone.now()
        run.save()
        history_record(actor=actor, action=DeploymentsAction.IMPORT_RUN, target=run,
                       data={"format": fmt, "file": file_name, **report.stats})
    return report


def _require(actor: Actor) -> None:
    if not actor_may(DEPLOYMENTS_RULES, "deployments.import_deployments", actor=actor):
        raise DeploymentsPermissionDenied()


def deployments_import(
    *, actor: Actor, format: str, path: str | Path, dry_run: bool = False, skip_invalid: bool = False,
    threshold: float | None = None,
) -> ImportReport:
    """Import one file of ``format`` (mapmatch, dha, digital-square, guidebook) as unverified claims."""
    _require(actor)
    if format not in READERS:
        raise InvalidDeployment(_("“%(value)s” is not an import format; use one of: %(formats)s.")
                                % {"value": format, "formats": ", ".join(READERS)}, field="format")
    path = Path(path)
    try:
        raw = path.read_bytes()
        parsed = READERS[format](raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, FileUnreadable) as exc:
        raise InvalidDeployment(f"{path.name}: {exc}", field="file") from None
    report = ImportReport(format=format, file_name=path.name, dry_run=dry_run, errors=parsed.errors,
                          skipped=parsed.skipped)
    if parsed.errors and not skip_invalid:
        raise ImportFailed(parsed.errors)
    plans = _plans(parsed, fmt=format, file_name=path.name, matcher=_matcher(threshold), report=report)
    return _run(actor=actor, fmt=format, file_name=path.name, sha256=hashlib.sha256(raw).hexdigest(), parsed=parsed,
                plans=plans, source_kind=SourceKind.IMPORT, report=report, dry_run=dry_run)


def deployments_import_registry(*, actor: Actor, dry_run: bool = False) -> ImportReport:
    """The deployment countries of the DPGA records already in the registry, as unverified claims."""
    _require(actor)
    fmt = ImportFormat.REGISTRY.value
    report = ImportReport(format=fmt, file_name="", dry_run=dry_run)
    plans = []
    rows = GoodCountry.objects.filter(role=CountryRole.DEPLOYMENT).select_related("good").order_by("good__slug", "country")
    for row in rows:
        good = row.good
        report.matches.setdefault(good.name.casefold(), {"name": good.name, "good": good.slug,
                                                         "method": MatchMethod.EXACT.value, "score": 100.0})
        plans.append({"source_key": f"{fmt}:{good.uid}:{row.country}", "partners": [], "values": {
            "good_id": good.pk, "country": row.country, "agency_id": None, "agency_name": "", "layer": "",
            "sector": "", "stage": "", "scope": "", "started_on": None, "ended_on": None, "reach": None,
            "reach_unit": "", "evidence_urls": [], "notes": "", "source_row": None,
            "match_method": MatchMethod.EXACT.value, "match_score": 100.0, "match_name": good.name[:300]}})
    report.rows_with_claims = len(plans)
    return _run(actor=actor, fmt=fmt, file_name="", sha256="", parsed=Parsed(), plans=plans,
                source_kind=SourceKind.REGISTRY, report=report, dry_run=dry_run)
