"""Human labels of the catalogue's stored codes, in the active language.

Shared by the pages and the API (which may not import each other), so a facet value reads the
same everywhere.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, gettext_noop

from dpghub.catalog.enums import Category, Facet, Stage
from dpghub.core.countries import country_name
from dpghub.core.sdgs import SDG_NAMES

_CHOICES = {Facet.CATEGORY: Category, Facet.STAGE: Stage}


def choice_label(choices: type, code: str) -> str:
    """The translated label of ``code`` in a TextChoices class; the code itself if unknown."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def sdg_name(number: int) -> str:
    return gettext(SDG_NAMES[int(number)])


def country(code: str) -> str:
    return country_name(code, get_language() or "en")


def facet_label(facet: str, value: str) -> str:
    if facet in _CHOICES:
        return choice_label(_CHOICES[facet], value)
    if facet == Facet.SDG:
        if value.isdigit() and 1 <= int(value) <= 17:
            return gettext("%(number)s. %(name)s") % {"number": value, "name": sdg_name(int(value))}
        return value
    if facet in (Facet.DEVELOPMENT_COUNTRY, Facet.DEPLOYMENT_COUNTRY):
        return country(value)
    return value


#: The Yes/No questions of the DPGA's two application forms, by the source field that answers them,
#: in plain words (the importer records "<field>: Yes" in an indicator's summary; pages show these).
SOURCE_QUESTIONS = {
    "clearOwnership.isOwnershipExplicit": gettext_noop("Ownership is stated explicitly"),
    "platformIndependence.mandatoryDepsCreateMoreRestrictions": gettext_noop(
        "Mandatory dependencies add restrictions beyond the open licence"),
    "platformIndependence.isSoftwarePltIndependent": gettext_noop("Works without proprietary platforms"),
    "platformIndependence.isPlatformIndependent": gettext_noop("Uses closed components"),
    "documentation.isDocumentationAvailable": gettext_noop("Documentation is available"),
    "NonPII.collectsNonPII": gettext_noop("Collects data that is not personal"),
    "NonPII.checkNonPIIAccessMechanism": gettext_noop("Non-personal data can be extracted in an open format"),
    "privacy.isPrivacyCompliant": gettext_noop("Complies with privacy and other applicable laws"),
    "standards.supportStandards": gettext_noop("Supports open standards"),
    "standards.implementBestPractices": gettext_noop("Follows best practices"),
    "doNoHarm.preventHarm.stepsToPreventHarm": gettext_noop("Takes steps to prevent harm"),
    "doNoHarm.dataPrivacySecurity.collectsPII": gettext_noop("Collects personal data"),
    "doNoHarm.dataPrivacySecurity.thirdPartyDataSharing": gettext_noop("Shares personal data with third parties"),
    "doNoHarm.dataPrivacySecurity.ensurePrivacySecurity": gettext_noop(
        "Ensures the privacy and security of personal data"),
    "doNoHarm.inappropriateIllegalContent.collectStoreDistribute": gettext_noop(
        "Collects, stores or distributes content"),
    "doNoHarm.inappropriateIllegalContent.contentFilter": gettext_noop("Filters inappropriate content"),
    "doNoHarm.inappropriateIllegalContent.illegalContentDetection": gettext_noop("Detects illegal content"),
    "doNoHarm.protectionFromHarassment.userInteraction": gettext_noop("Users can interact with each other"),
    "doNoHarm.protectionFromHarassment.addressSafetySecurityUnderageUsers": gettext_noop(
        "Addresses the safety of under-age users"),
    "doNoHarm.protectionFromHarassment.griefAbuseHarassmentProtection": gettext_noop(
        "Protects users from grief, abuse and harassment"),
    "protectionFromHarassment.facilitatesUserInteraction": gettext_noop("Users can interact with each other"),
}


def source_question(path: str) -> str:
    """The plain question a Yes/No source field answers (a message id); an unknown field's last part,
    split into words ("isOwnershipExplicit" -> "Is ownership explicit")."""
    if path in SOURCE_QUESTIONS:
        return SOURCE_QUESTIONS[path]
    last = path.rsplit(".", 1)[-1]
    words = "".join(f" {ch.lower()}" if ch.isupper() else ch for ch in last).strip()
    return words[:1].upper() + words[1:]
