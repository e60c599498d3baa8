"""Helpers of the importer tests: a dump of every catalogue table, for before/after comparisons."""

from __future__ import annotations

from dpghub.catalog import models
from dpghub.common.models import Activity

CATALOGUE_MODELS = (
    models.Good, models.Organisation, models.GoodOrganisation, models.Contact, models.Repository,
    models.GoodLicense, models.GoodSDG, models.GoodCountry, models.ExternalId, models.Provenance,
    models.StandardVersion, models.Assessment, models.IndicatorResult, models.FacetEntry, models.SearchDocument,
)


def catalogue_dump() -> dict[str, list[dict]]:
    """Every row of every catalogue table (ImportRun and Activity excluded), ordered by key."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in CATALOGUE_MODELS}


def catalogue_clear() -> None:
    """Remove what an import stored (for module-scoped fixtures that share the test database)."""
    models.Good.objects.all().delete()
    models.Organisation.objects.all().delete()
    models.StandardVersion.objects.all().delete()
    models.ImportRun.objects.all().delete()
    Activity.objects.filter(action="catalog.import.run").delete()
