"""Mirror the DPG Standard's versions (dpghub.core.standard) into the StandardVersion table."""

from __future__ import annotations

from django.db import transaction

from dpghub.catalog.models import StandardVersion
from dpghub.core import standard


def standard_versions_sync() -> dict[str, StandardVersion]:
    """Create or update one row per version of the Standard; idempotent. Returns rows by version."""
    with transaction.atomic():
        rows = {row.version: row for row in StandardVersion.objects.all()}
        for version in standard.versions():
            row = rows.get(version.version)
            if row is None:
                rows[version.version] = StandardVersion.objects.create(
                    version=version.version, effective_from=version.effective_from
                )
            elif row.effective_from != version.effective_from:
                row.effective_from = version.effective_from
                row.save(update_fields=["effective_from"])
    return rows
