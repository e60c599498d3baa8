"""Human labels of stored codes for the API, in the active language (see dpghub.catalog.labels)."""

from __future__ import annotations

from dpghub.catalog.labels import choice_label, country, facet_label, sdg_name  # noqa: F401 - re-exported


def label(choices: type, code: str) -> dict[str, str]:
    return {"code": code, "label": choice_label(choices, code)}
