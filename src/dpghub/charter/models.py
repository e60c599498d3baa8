"""The Charter's monitoring framework: endorsements, pledges, targets, milestones, progress reports, ratings.

Slim on purpose: rules live in services (writes) and selectors (reads, the grid). Every row that came from
an import or the sample generator says so (``source``, ``is_sample``), so real and sample data are never
mixed silently.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.charter.enums import (
    Ambition,
    Completion,
    Outcome,
    PledgeStatus,
    PledgeType,
    TargetStatus,
    Verification,
)


class Endorsement(models.Model):
    """An organisation's endorsement of the Charter. The organisation's type and country type the endorser."""

    organisation = models.OneToOneField("orgs.Organisation", on_delete=models.PROTECT, related_name="endorsement")
    endorsed_on = models.DateField(_("endorsed on"))
    statement = models.TextField(_("statement"), blank=True)
    signatory_role = models.CharField(_("role of the signatory"), max_length=200, blank=True,
                                      help_text=_("The role of who signed (not their name)."))
    source = models.CharField(max_length=300, blank=True, help_text=_("Where an imported endorsement came from."))
    is_sample = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)


class Pledge(models.Model):
    """A commitment of an endorser, typed by one or more cells of the 3 x 5 grid."""

    ref = models.CharField(max_length=100, unique=True, help_text=_("A stable reference (the spreadsheet's ref)."))
    endorsement = models.ForeignKey(Endorsement, on_delete=models.PROTECT, related_name="pledges")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    types = models.JSONField(default=list, help_text=_("PledgeType values"))
    outcomes = models.JSONField(default=list, help_text=_("Outcome values"))
    countries = models.JSONField(default=list, blank=True, help_text=_("ISO 3166-1 alpha-2 codes"))
    goods = models.ManyToManyField("catalog.Good", blank=True, related_name="pledges")
    status = models.CharField(max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.DRAFT, db_index=True)
    pledged_on = models.DateField(_("pledged on"))
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True, help_text=_("The due date of a progress report that the "
                                                                       "endorser was last reminded of."))
    source = models.CharField(max_length=300, blank=True)
    is_sample = models.BooleanField(default=False, db_index=True)
    version = models.PositiveIntegerField(default=0, help_text=_("Raised by each change; an edit names the version "
                                                                 "it started from."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pledged_on", "ref"]
        # lists walk it in order and stop at a page (a country's or a good's pledges among 100,000s)
        indexes = [models.Index(fields=["-pledged_on", "ref"], name="charter_pledge_newest")]

    def __str__(self) -> str:
        return self.title


class PledgeCell(models.Model):
    """One cell of the grid a pledge counts in: every (type, outcome) pair of the pledge (derived, for the grid)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="cells")
    type = models.CharField(max_length=30, choices=PledgeType.choices)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pledge", "type", "outcome"], name="charter_one_cell")]
        indexes = [models.Index(fields=["type", "outcome"])]


class PledgeCountry(models.Model):
    """A country a pledge concerns (derived from Pledge.countries, for the per-country views)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="country_links")
    country = models.CharField(max_length=2, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pledge", "country"], name="charter_one_country")]


class Target(models.Model):
    """A measurable target of a pledge: a metric with a baseline and a target value by a deadline.

    A money target has an ISO 4217 ``currency`` and no ``unit``; any other target has a ``unit``.
    """

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("metric"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=2, null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=2)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The target's state today, maintained by dpghub.charter.state in the transaction of every report write
    # (the grid reads them instead of looking up a million reports; a past ``as_of`` still reads the reports).
    latest_on = models.DateField(null=True, blank=True, editable=False,
                                 help_text=_("Date of the latest progress report (maintained)."))
    latest_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True, editable=False)
    latest_status = models.CharField(max_length=20, blank=True, editable=False)
    verified_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True, editable=False,
                                         help_text=_("Value of the latest verified report (maintained)."))

    class Meta:
        ordering = ["pledge_id", "id"]
        constraints = [models.UniqueConstraint(fields=["pledge", "metric"], name="charter_one_metric")]

    def __str__(self) -> str:
        return self.metric

    @property
    def is_money(self) -> bool:
        return bool(self.currency)


class Milestone(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class ProgressReport(models.Model):
    """The cumulative value of a target as of a date, with the endorser's status, narrative and evidence."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    status = models.CharField(max_length=20, choices=TargetStatus.choices)
    narrative = models.TextField(_("narrative"), blank=True)
    evidence_url = models.URLField(_("evidence"), max_length=500, blank=True)
    verification = models.CharField(max_length=20, choices=Verification.choices, default=Verification.SELF_REPORTED,
                                    db_index=True)
    verification_note = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    source = models.CharField(max_length=300, blank=True)
    is_sample = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_id", "reported_on", "id"]
        constraints = [models.UniqueConstraint(fields=["target", "reported_on"], name="charter_one_report_per_day")]
        indexes = [models.Index(fields=["target", "reported_on"])]


class GridStamp(models.Model):
    """A counter raised in the transaction of every Charter write: the grid cache's key includes it, so a cached
    grid is never read after a change (dpghub.charter.state)."""

    name = models.CharField(max_length=30, primary_key=True)
    version = models.BigIntegerField(default=0)


class Rating(models.Model):
    """The secretariat's independent rating of a pledge, shown beside the endorser's own status."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="ratings")
    ambition = models.CharField(max_length=20, choices=Ambition.choices)
    completion = models.CharField(max_length=20, choices=Completion.choices)
    reasons = models.TextField()
    rated_on = models.DateField()
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")

    class Meta:
        ordering = ["-rated_on", "-id"]
