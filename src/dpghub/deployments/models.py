"""Deployments of goods: who runs which good where, at what stage, reaching whom, and on whose word.

Slim on purpose: rules live in services (writes), selectors (reads) and workflow (verification). Every
claim keeps where it came from: the person who recorded it, or the imported file, its format and row
(``source_key`` makes re-importing the same file change nothing), with how the file's software name was
matched to the registered good.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dpghub.deployments.enums import (
    DpiLayer,
    ImportFormat,
    MatchMethod,
    PartnerRole,
    ReachUnit,
    Sector,
    SourceKind,
    Stage,
    VerificationState,
)


class DeploymentImportRun(models.Model):
    """One run of a deployments importer: the file, what it created, and its report (row errors, matches,
    names it could not match)."""

    format = models.CharField(max_length=20, choices=ImportFormat.choices)
    file_name = models.CharField(max_length=300, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stats = models.JSONField(default=dict)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]


class Deployment(models.Model):
    good = models.ForeignKey("catalog.Good", on_delete=models.PROTECT, related_name="deployments")
    country = models.CharField(_("country"), max_length=2, db_index=True, help_text=_("ISO 3166-1 alpha-2"))
    agency = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="deployments", verbose_name=_("deploying agency"))
    agency_name = models.CharField(_("deploying agency (as named by the source)"), max_length=300, blank=True)
    layer = models.CharField(_("DPI layer"), max_length=30, choices=DpiLayer.choices, blank=True, db_index=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True, db_index=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True, db_index=True)
    scope = models.CharField(_("geographic scope"), max_length=500, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    reach = models.PositiveBigIntegerField(_("reach"), null=True, blank=True)
    reach_unit = models.CharField(_("reach unit"), max_length=20, choices=ReachUnit.choices, blank=True)
    reach_as_of = models.DateField(_("reach as of"), null=True, blank=True)
    evidence_urls = models.JSONField(_("evidence links"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    verification = models.CharField(max_length=10, choices=VerificationState.choices,
                                    default=VerificationState.CLAIMED, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    disputed_at = models.DateTimeField(null=True, blank=True)
    disputed_reason = models.TextField(blank=True)

    source_kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.PERSON)
    source_person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    source_format = models.CharField(max_length=20, choices=ImportFormat.choices, blank=True)
    source_file = models.CharField(max_length=300, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    source_key = models.CharField(max_length=400, blank=True,
                                  help_text=_("Format, file and natural key of an imported claim (stable)."))
    import_run = models.ForeignKey(DeploymentImportRun, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="deployments")
    match_method = models.CharField(max_length=10, choices=MatchMethod.choices, blank=True)
    match_score = models.FloatField(null=True, blank=True)
    match_name = models.CharField(max_length=300, blank=True, help_text=_("The software's name in the file."))

    is_sample = models.BooleanField(default=False, db_index=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "good__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source_key"], condition=~Q(source_key=""),
                                    name="deployments_unique_source_key"),
        ]
        indexes = [
            # A country's page and the map count from this index alone (GROUP BY country, layer, ...; the
            # stale count needs the two dates): no table access, no sort (bench/deployments_bench.py).
            models.Index(fields=["country", "layer", "sector", "stage", "verification", "confirmed_at", "created_at"],
                         name="deployments_country_counts"),
            # A good's countries (the map filtered by good, a good's page), and a country's goods.
            models.Index(fields=["good", "country"], name="deployments_good_country"),
            models.Index(fields=["country", "good"], name="deployments_country_good"),
            # The last change: what the cached map counts are keyed on (presenters.deployment_counts).
            models.Index(fields=["updated_at"], name="deployments_updated_at"),
        ]

    def __str__(self) -> str:
        return f"{self.good_id}@{self.country}"


class DeploymentPartner(models.Model):
    """An implementer (or vendor) or funder of a deployment: a registered organisation, or only a name."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="partners")
    role = models.CharField(max_length=12, choices=PartnerRole.choices)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="deployment_roles")
    name = models.CharField(max_length=300, blank=True, help_text=_("As named by the source, when not registered."))

    class Meta:
        ordering = ["role", "pk"]
