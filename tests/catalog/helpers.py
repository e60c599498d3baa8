"""Helpers of the importer tests: a dump of every catalogue table, for before/after comparisons."""

from __future__ import annotations

import json

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


_NATURAL = {"good_id": models.Good, "organisation_id": models.Organisation, "provenance_id": models.Provenance,
            "assessment_id": models.Assessment, "standard_version_id": models.StandardVersion}
_RUN_DEPENDENT = {"id", "import_run_id", "created_at", "updated_at", "imported_at"}


def catalogue_dump_natural() -> dict[str, list[str]]:
    """Every catalogue row with database ids and timestamps replaced by natural keys (a good's uid,
    an organisation's normalised name, a provenance's source key...): equal for two imports of the
    same data whatever order their rows were written in."""
    keys: dict[type, dict[int, str]] = {
        models.Good: dict(models.Good.objects.values_list("id", "uid")),
        models.Organisation: dict(models.Organisation.objects.values_list("id", "normalized_name")),
        models.Provenance: dict(models.Provenance.objects.values_list("id", "source_key")),
        models.StandardVersion: dict(models.StandardVersion.objects.values_list("id", "version")),
    }
    keys[models.Assessment] = {aid: keys[models.Provenance][pid]
                               for aid, pid in models.Assessment.objects.values_list("id", "provenance_id")}
    dump = {}
    for model in CATALOGUE_MODELS:
        rows = []
        for row in model.objects.values():
            row = {name: (str(keys[_NATURAL[name]].get(value)) if name in _NATURAL and value is not None else value)
                   for name, value in row.items() if name not in _RUN_DEPENDENT}
            if model is models.SearchDocument:
                # the body lists the good's organisations in the order the database returns its links
                # (unspecified, and the organisations' ids differ between two runs): compare as lines
                row["body"] = sorted(row["body"].splitlines())
            rows.append(json.dumps(row, sort_keys=True, default=str))
        dump[model.__name__] = sorted(rows)
    return dump
