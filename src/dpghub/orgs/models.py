"""Organisations that act in DPG Hub, and the people who act for them. Rules live in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.orgs.enums import MembershipRole, MembershipStatus, OrganisationType


class Organisation(models.Model):
    """A government (with its ministry or agency), company, foundation, civil society group, international
    or UN organisation, or academic institution. Links to the registry's organisations, never copies them."""

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices, db_index=True)
    agency = models.CharField(_("ministry or agency"), max_length=300, blank=True,
                              help_text=_("For a government: the ministry or agency that acts."))
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True,
                               help_text=_("ISO 3166-1 alpha-2; empty for an international organisation."))
    website = models.URLField(_("website"), max_length=500, blank=True)
    catalog_organisations = models.ManyToManyField(
        "catalog.Organisation", blank=True, related_name="hub_organisations",
        help_text=_("The registry's records of this organisation (owners of goods)."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "agency", "country"], name="orgs_unique_identity")]

    def __str__(self) -> str:
        return f"{self.name} — {self.agency}" if self.agency else self.name


class Membership(models.Model):
    """A person acting for an organisation, once an administrator of it or the secretariat approved."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    status = models.CharField(max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.REQUESTED,
                              db_index=True)
    note = models.CharField(max_length=500, blank=True, help_text=_("Why the person acts for it (optional)."))
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["organisation__name", "person_id"]
        constraints = [models.UniqueConstraint(fields=["person", "organisation"], name="orgs_one_membership")]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.organisation_id} ({self.status})"
