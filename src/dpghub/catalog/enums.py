"""Vocabularies of the catalogue: stored codes, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary
from dpghub.core import standard


class Category(models.TextChoices):
    """The categories of dpghub.core.standard: its codes, its labels translated (msgids marked there)."""

    SOFTWARE = standard.OPEN_SOFTWARE.code, _(standard.OPEN_SOFTWARE.label)
    DATA = standard.OPEN_DATA.code, _(standard.OPEN_DATA.label)
    CONTENT = standard.OPEN_CONTENT.code, _(standard.OPEN_CONTENT.label)
    AI_MODEL = standard.OPEN_AI_MODEL.code, _(standard.OPEN_AI_MODEL.label)
    STANDARD = standard.OPEN_STANDARD.code, _(standard.OPEN_STANDARD.label)


class Stage(models.TextChoices):
    NOMINEE = "nominee", _("Nominee")
    DPG = "dpg", _("Digital public good")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")
    EXCLUDED = "excluded", _("Excluded")


class OrganisationRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MAINTAINER = "maintainer", _("Maintainer")
    FUNDER = "funder", _("Funder")
    IMPLEMENTER = "implementer", _("Implementer")


class CountryRole(models.TextChoices):
    DEVELOPMENT = "development", _("Developed in")
    DEPLOYMENT = "deployment", _("Deployed in")


class Facet(models.TextChoices):
    """Facets of the list page and the API; values are stored in :class:`FacetEntry`."""

    CATEGORY = "category", _("Category")
    STAGE = "stage", _("Stage")
    SDG = "sdg", _("Sustainable Development Goal")
    LICENSE = "license", _("Licence")
    DEVELOPMENT_COUNTRY = "development_country", _("Country of development")
    DEPLOYMENT_COUNTRY = "deployment_country", _("Country of deployment")
    SECTOR = "sector", _("Sector")


class AssessmentSource(models.TextChoices):
    IMPORTED = "imported", _("Imported from the DPGA registry")
    CROWD_REVIEW = "crowd-review", _("Imported crowdsourced review")
    REVIEW = "review", _("Review done in DPG Hub")


class IndicatorStatus(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "not-applicable", _("Not applicable")
    WAITING = "waiting-for-clarification", _("Waiting for clarification")
    CONSULTATION = "under-consultation", _("Under consultation")
    DECLARED = "declared", _("Declared by the applicant, not reviewed here")
    NO_EVIDENCE = "no-evidence", _("No evidence in the source")


class ExternalIdScheme(models.TextChoices):
    DPGA_APPLICATION = "dpga-application", _("DPGA application id")
    DPGID = "dpgid", _("DPGA dpgid")
    LEGACY_SLUG = "legacy-slug", _("DPGA legacy slug (publicgoods-candidates file name)")


@history_vocabulary
class CatalogAction(models.TextChoices):
    """What the catalogue records in the history (closed vocabulary: see dpghub.common.history)."""

    IMPORT_RUN = "catalog.import.run", _("Registry records imported")
    GOOD_UPDATE = "catalog.good.update", _("Good changed in DPG Hub")
    GOOD_RELEASE = "catalog.good.release", _("Fields handed back to the imported source")


class FieldOwner(models.TextChoices):
    """Who decides a good's field. Imports change only fields the source owns (the default)."""

    SOURCE = "source", _("The imported source")
    REVIEW = "review", _("DPG Hub's review workflow")
    EDIT = "edit", _("An edit in DPG Hub")
