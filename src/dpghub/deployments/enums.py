"""Vocabularies of deployments: stages, DPI layers and sectors, verification, sources, history actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary


class Stage(models.TextChoices):
    """How far a deployment has gone; empty when the source does not say."""

    PLANNED = "planned", _("Planned")
    PILOT = "pilot", _("Pilot")
    SCALING = "scaling", _("Scaling")
    NATIONAL = "national", _("National")
    DECOMMISSIONED = "decommissioned", _("Decommissioned")


class DpiLayer(models.TextChoices):
    """The common layers of digital public infrastructure (DOMAIN.md)."""

    IDENTITY = "identity", _("Digital identity")
    PAYMENTS = "payments", _("Payments")
    DATA_EXCHANGE = "data-exchange", _("Data exchange")
    REGISTRIES = "registries", _("Registries")
    CONSENT = "consent", _("Consent")
    INFORMATION_SYSTEMS = "information-systems", _("Information systems")


class Sector(models.TextChoices):
    """The sector a deployment serves, when it is a sector system rather than (or as well as) a DPI layer."""

    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    AGRICULTURE = "agriculture", _("Agriculture")
    FINANCE = "finance", _("Finance")
    SOCIAL_PROTECTION = "social-protection", _("Social protection")
    GOVERNANCE = "governance", _("Governance and public administration")
    CLIMATE = "climate", _("Climate and environment")
    HUMANITARIAN = "humanitarian", _("Humanitarian response")
    OTHER = "other", _("Other")


class ReachUnit(models.TextChoices):
    PEOPLE = "people", _("People")
    INSTITUTIONS = "institutions", _("Institutions")
    HEALTH_WORKERS = "health-workers", _("Health workers")
    FACILITIES = "facilities", _("Facilities")


class VerificationState(models.TextChoices):
    """Claimed, verified and disputed are told apart everywhere a deployment is shown."""

    CLAIMED = "claimed", _("Claimed")
    VERIFIED = "verified", _("Verified by the deploying agency")
    DISPUTED = "disputed", _("Disputed by the secretariat")


class VerificationAction(models.TextChoices):
    """What can happen to a deployment's verification; the transitions are in deployments.workflow."""

    CONFIRM = "confirm", _("Confirm")
    DISPUTE = "dispute", _("Dispute")
    RESOLVE = "resolve", _("Withdraw the dispute")
    EDIT = "edit", _("Edit")


class PartnerRole(models.TextChoices):
    IMPLEMENTER = "implementer", _("Implementer or vendor")
    FUNDER = "funder", _("Funder")


class SourceKind(models.TextChoices):
    """Where a claim came from: a person, an imported file (with its row), or the registry's own records."""

    PERSON = "person", _("A person")
    IMPORT = "import", _("An imported file")
    REGISTRY = "registry", _("The DPGA registry's records")


class ImportFormat(models.TextChoices):
    MAPMATCH = "mapmatch", _("Digital Health Map & Match survey (CSV)")
    DHA = "dha", _("WHO Digital Health Atlas export (CSV)")
    DIGITAL_SQUARE = "digital-square", _("Digital Square implementation counts (CSV)")
    GUIDEBOOK = "guidebook", _("Global Goods Guidebook records (JSON)")
    REGISTRY = "registry", _("Deployment countries of the DPGA records in the registry")


class MatchMethod(models.TextChoices):
    """How a file's software name was matched to a registered good."""

    EXACT = "exact", _("Exact name")
    ALIAS = "alias", _("Alias")
    FUZZY = "fuzzy", _("Similar name (fuzzy, with a score)")


@history_vocabulary
class DeploymentsAction(models.TextChoices):
    """What the deployments app records in the history."""

    DEPLOYMENT_RECORD = "deployments.deployment.record", _("Deployment recorded")
    DEPLOYMENT_UPDATE = "deployments.deployment.update", _("Deployment changed")
    DEPLOYMENT_CONFIRM = "deployments.deployment.confirm", _("Deployment confirmed by the deploying agency")
    DEPLOYMENT_DISPUTE = "deployments.deployment.dispute", _("Deployment disputed by the secretariat")
    DEPLOYMENT_RESOLVE = "deployments.deployment.resolve", _("Dispute of a deployment withdrawn")
    IMPORT_RUN = "deployments.import.run", _("Deployment claims imported")
