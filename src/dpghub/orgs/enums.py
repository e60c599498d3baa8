"""Vocabularies of organisations and memberships."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary


class OrganisationType(models.TextChoices):
    """Every actor of the Charter (the Charter's own list of endorsers)."""

    GOVERNMENT = "government", _("Government")
    PRIVATE_SECTOR = "private-sector", _("Private sector")
    FOUNDATION = "foundation", _("Foundation or philanthropy")
    CIVIL_SOCIETY = "civil-society", _("Civil society")
    INTERNATIONAL = "international-organisation", _("International or UN organisation")
    ACADEMIA = "academia", _("Academia")


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended")


class MembershipAction(models.TextChoices):
    """What can happen to a membership; the transitions are in orgs.workflow."""

    REQUEST = "request", _("Ask to act for the organisation")
    APPROVE = "approve", _("Approve")
    REFUSE = "refuse", _("Refuse")
    END = "end", _("End")


@history_vocabulary
class OrgsAction(models.TextChoices):
    """What the organisations app records in the history."""

    ORGANISATION_CREATE = "orgs.organisation.create", _("Organisation created")
    ORGANISATION_UPDATE = "orgs.organisation.update", _("Organisation updated")
    ORGANISATION_LINK = "orgs.organisation.link", _("Organisation linked to registry organisations")
    MEMBERSHIP_REQUEST = "orgs.membership.request", _("Asked to act for an organisation")
    MEMBERSHIP_APPROVE = "orgs.membership.approve", _("Membership approved")
    MEMBERSHIP_REFUSE = "orgs.membership.refuse", _("Membership refused")
    MEMBERSHIP_END = "orgs.membership.end", _("Membership ended")
    MEMBERSHIP_ROLE = "orgs.membership.role", _("Membership role changed")
