"""The registry's tables. Slim on purpose: rules live in services.py, reads in selectors.py."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.catalog.enums import (
    AssessmentSource,
    CountryRole,
    ExternalIdScheme,
    Facet,
    FieldOwner,
    IndicatorStatus,
    OrganisationRole,
    Stage,
)


class Good(models.Model):
    """A digital public good, nominee or former DPG: one row per good, whatever its sources."""

    uid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    aliases = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    categories = models.JSONField(default=list, blank=True, help_text=_("Category codes"))
    website = models.URLField(max_length=500, blank=True)
    sectors = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NOMINEE, db_index=True)
    excluded_on = models.DateField(null=True, blank=True)
    excluded_reason = models.TextField(blank=True)
    recognised_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class GoodFieldOwner(models.Model):
    """A field of a good decided in DPG Hub (by the review workflow or an edit): imports leave it alone.

    Fields without a row belong to the imported source.
    """

    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="field_owners")
    field = models.CharField(max_length=40)
    owner = models.CharField(max_length=10, choices=FieldOwner.choices)
    since = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["good", "field"], name="catalog_one_owner_per_field")]


class Organisation(models.Model):
    name = models.CharField(max_length=300)
    normalized_name = models.CharField(max_length=300, unique=True)
    website = models.URLField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name


class GoodOrganisation(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="organisation_links")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="good_links")
    role = models.CharField(max_length=20, choices=OrganisationRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["good", "organisation", "role"], name="uniq_good_org_role")
        ]


class Contact(models.Model):
    """A person to contact about a good. Personal data: never shown or exported by default."""

    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(max_length=300, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["good", "name", "email"], name="uniq_good_contact")]


class Repository(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="repositories")
    name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["good", "url"], name="uniq_good_repo")]


class GoodLicense(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="licenses")
    expression = models.CharField(max_length=300, help_text=_("SPDX licence expression"))
    source_text = models.CharField(max_length=300, blank=True, help_text=_("As written in the source"))
    evidence_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["good", "expression"], name="uniq_good_license")]


class GoodSDG(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="sdgs")
    sdg = models.PositiveSmallIntegerField()
    relevance = models.TextField(blank=True)
    evidence_urls = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["sdg"]
        constraints = [
            models.UniqueConstraint(fields=["good", "sdg"], name="uniq_good_sdg"),
            models.CheckConstraint(condition=models.Q(sdg__gte=1, sdg__lte=17), name="sdg_1_to_17"),
        ]


class GoodCountry(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    role = models.CharField(max_length=20, choices=CountryRole.choices)

    class Meta:
        ordering = ["role", "country"]
        constraints = [models.UniqueConstraint(fields=["good", "country", "role"], name="uniq_good_country")]


class ExternalId(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="external_ids")
    scheme = models.CharField(max_length=30, choices=ExternalIdScheme.choices)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="uniq_external_id")]


class ImportRun(models.Model):
    """One run of the importer: what it read, what it changed, what it repaired or could not map."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    paths = models.JSONField(default=list)
    stats = models.JSONField(default=dict)
    report = models.JSONField(default=list, help_text=_("Per-record repairs and unmapped values"))


class Provenance(models.Model):
    """A source record that contributed to a good (a good may have several, of several shapes)."""

    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="provenances")
    source_key = models.CharField(max_length=400, unique=True, help_text=_("Dataset and record, stable"))
    shape = models.CharField(max_length=40)
    source_file = models.CharField(max_length=400)
    record_sha256 = models.CharField(max_length=64)
    import_run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["source_key"]


class StandardVersion(models.Model):
    """A version of the DPG Standard; the Standard itself is data (dpghub.core.standard)."""

    version = models.CharField(max_length=20, unique=True)
    effective_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.version


class Assessment(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="assessments")
    standard_version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT)
    source = models.CharField(max_length=20, choices=AssessmentSource.choices)
    provenance = models.ForeignKey(Provenance, on_delete=models.SET_NULL, null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]


class IndicatorResult(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    indicator = models.CharField(max_length=3, help_text=_("1..9 with 9a, 9b, 9c"))
    status = models.CharField(max_length=30, choices=IndicatorStatus.choices)
    summary = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True, help_text=_("[{text, url, field}]"))
    source_fields = models.JSONField(default=list, blank=True, help_text=_("Where each value came from"))
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="uniq_assessment_indicator")
        ]


class FacetEntry(models.Model):
    """Derived index of facet values, rebuilt from the tables above by services.goods_reindex()."""

    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="facet_entries")
    facet = models.CharField(max_length=30, choices=Facet.choices)
    value = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["facet", "value", "good"], name="uniq_facet_entry")]
        indexes = [models.Index(fields=["good", "facet"])]


class SearchDocument(models.Model):
    """Derived full-text document of a good (SQLite FTS5 / PostgreSQL tsvector index over it)."""

    good = models.OneToOneField(Good, on_delete=models.CASCADE, primary_key=True, related_name="search_document")
    title = models.TextField()
    body = models.TextField()


class IndexVersion(models.Model):
    """Version of the derived indexes: one row, set to a new random number whenever they change.

    ``goods_reindex()`` sets it in its transaction, and a database trigger sets it when goods are
    deleted (migration 0003), so per-process caches (``catalog.facet_index``) see every change with
    one primary-key query. Random rather than counted: a rolled-back change must not leave a cache
    built inside that transaction looking current after the next change.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)


class SearchWord(models.Model):
    """Derived vocabulary of the search documents: each word (letters only, 3 to 40 of them, lower
    case, as written, not stemmed) with the number of documents having it. Written only by
    services.goods_reindex(); read by catalog.spelling to correct misspelt searches."""

    word = models.CharField(max_length=40, primary_key=True)
    documents = models.PositiveIntegerField()
