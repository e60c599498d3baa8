"""Goods for the web and API tests, created through the models then indexed as the importer does."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dpghub.catalog.enums import (
    AssessmentSource,
    Category,
    CountryRole,
    ExternalIdScheme,
    IndicatorStatus,
    OrganisationRole,
    Stage,
)
from dpghub.catalog.models import (
    Assessment,
    Contact,
    ExternalId,
    Good,
    GoodCountry,
    GoodLicense,
    GoodOrganisation,
    GoodSDG,
    IndicatorResult,
    Organisation,
    Provenance,
    Repository,
    StandardVersion,
)
from dpghub.catalog.services.indexing import goods_reindex

CONTACT_NAME = "Private Person"
CONTACT_EMAIL = "private.person@example.org"


def make_good(slug, name, description="", *, stage=Stage.DPG, categories=(Category.SOFTWARE,), sdgs=(),
              licence="MIT", deployed=(), developed=(), sectors=(), organisation=None, reindex=True):
    good = Good.objects.create(slug=slug, name=name, description=description, stage=stage,
                               categories=list(categories), sectors=list(sectors))
    for sdg in sdgs:
        GoodSDG.objects.create(good=good, sdg=sdg, relevance=f"{name} serves goal {sdg}")
    if licence:
        GoodLicense.objects.create(good=good, expression=licence)
    for code in deployed:
        GoodCountry.objects.create(good=good, country=code, role=CountryRole.DEPLOYMENT)
    for code in developed:
        GoodCountry.objects.create(good=good, country=code, role=CountryRole.DEVELOPMENT)
    if organisation:
        org, _ = Organisation.objects.get_or_create(normalized_name=organisation.lower(),
                                                    defaults={"name": organisation})
        GoodOrganisation.objects.create(good=good, organisation=org, role=OrganisationRole.OWNER)
    if reindex:
        goods_reindex(good_ids=[good.id])
    return good


def make_full_good():
    """A good with every relation filled: organisation, contact, repository, provenance, assessment."""
    good = Good.objects.create(
        slug="dhis2", name="DHIS2", aliases=["District Health Information Software 2"],
        description="Health management information system used by ministries of health.",
        categories=[Category.SOFTWARE], website="https://dhis2.org", sectors=["Health"], stage=Stage.DPG,
        recognised_on=dt.date(2023, 3, 1), expires_on=dt.date(2024, 3, 1),
    )
    org = Organisation.objects.create(name="University of Oslo", normalized_name="university of oslo",
                                      website="https://www.uio.no")
    GoodOrganisation.objects.create(good=good, organisation=org, role=OrganisationRole.OWNER)
    Contact.objects.create(good=good, organisation=org, name=CONTACT_NAME, email=CONTACT_EMAIL)
    Repository.objects.create(good=good, name="dhis2-core", url="https://github.com/dhis2/dhis2-core")
    GoodLicense.objects.create(good=good, expression="BSD-3-Clause", source_text="BSD 3-Clause",
                               evidence_url="https://github.com/dhis2/dhis2-core/blob/master/LICENSE")
    GoodSDG.objects.create(good=good, sdg=3, relevance="Tracks disease outbreaks and health services.",
                           evidence_urls=["https://dhis2.org/health"])
    GoodCountry.objects.create(good=good, country="NO", role=CountryRole.DEVELOPMENT)
    GoodCountry.objects.create(good=good, country="KE", role=CountryRole.DEPLOYMENT)
    ExternalId.objects.create(good=good, scheme=ExternalIdScheme.DPGID, value="GID0092472")
    provenance = Provenance.objects.create(
        good=good, source_key="registry-2026:dhis2", shape="registry-api", source_file="registry.json",
        record_sha256="a" * 64, imported_at=timezone.make_aware(dt.datetime(2026, 7, 13, 12, 0)),
    )
    version, _ = StandardVersion.objects.get_or_create(version="1.1.4")
    assessment = Assessment.objects.create(good=good, standard_version=version, source=AssessmentSource.IMPORTED,
                                           provenance=provenance, assessed_on=dt.date(2023, 2, 1))
    IndicatorResult.objects.create(
        assessment=assessment, indicator="2", status=IndicatorStatus.DECLARED, summary="BSD-3-Clause licence.",
        evidence=[{"text": "Licence file", "url": "https://github.com/dhis2/dhis2-core/blob/master/LICENSE",
                   "field": "openlicenses[0].licenseURL"}],
        source_fields=["openlicenses"],
    )
    IndicatorResult.objects.create(
        assessment=assessment, indicator="9a", status=IndicatorStatus.NO_EVIDENCE, source_fields=["doNoHarm"],
    )
    goods_reindex(good_ids=[good.id])
    return good


def make_catalogue(count: int):
    """``count`` realistic goods (long-ish descriptions, several SDGs and countries)."""
    countries = ["KE", "UG", "TZ", "IN", "BR", "SN", "NG", "BD", "PH", "MX", "PE", "ET"]
    licences = ["MIT", "Apache-2.0", "GPL-3.0-only", "BSD-3-Clause", "AGPL-3.0-or-later", "CC-BY-4.0"]
    goods = []
    for index in range(count):
        goods.append(make_good(
            f"good-{index:03d}", f"Open Platform {index:03d}",
            "An open source platform that helps governments deliver services to citizens, "
            "with modules for registration, case management, payments and reporting, offline-first "
            "mobile apps and an interoperability layer built on open standards. " * 2,
            stage=[Stage.DPG, Stage.NOMINEE, Stage.EXPIRED][index % 3],
            categories=[Category.SOFTWARE] if index % 4 else [Category.SOFTWARE, Category.DATA],
            sdgs=sorted({index % 17 + 1, (index * 7) % 17 + 1, 3}),
            licence=licences[index % len(licences)],
            deployed=sorted({countries[index % 12], countries[(index * 5) % 12]}),
            developed=[countries[(index + 3) % 12]],
            sectors=["Health", "Finance"] if index % 2 else ["Education"],
            organisation=f"Organisation {index % 7}",
            reindex=False,
        ))
    goods_reindex()
    return goods


def add_crowd_review(good, *, version="1.1.4"):
    """A second assessment of the same Standard version, as the DPGA's crowdsourced reviews are."""
    standard, _ = StandardVersion.objects.get_or_create(version=version)
    review = Assessment.objects.create(good=good, standard_version=standard, source=AssessmentSource.CROWD_REVIEW)
    IndicatorResult.objects.create(assessment=review, indicator="1", status=IndicatorStatus.PASS, confidence=4,
                                   summary="Clearly relevant to health.", source_fields=["SDG[0].answer"])
    IndicatorResult.objects.create(assessment=review, indicator="3", status=IndicatorStatus.FAIL, confidence=2,
                                   source_fields=["clearOwnership.answer"])
    return review
