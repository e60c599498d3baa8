"""Goods and deployments for the deployments tests."""

from __future__ import annotations

from pathlib import Path

from dpghub.catalog.models import Good
from dpghub.deployments.models import Deployment

DATA = Path(__file__).resolve().parents[1] / "data" / "deployments"


def make_good(slug: str, name: str, aliases: list[str] | None = None) -> Good:
    return Good.objects.create(slug=slug, name=name, aliases=aliases or [])


def make_deployment(world, **fields) -> Deployment:
    """A claim recorded by the world's outsider, naming the world's organisation (Ministry of Health, KE)."""
    good = fields.pop("good", None) or Good.objects.filter(slug="dhis2").first() or make_good("dhis2", "DHIS2")
    values = {"country": "KE", "agency": world.org, "stage": "pilot", "source_person": world.people["outsider"]}
    values.update(fields)
    return Deployment.objects.create(good=good, **values)
