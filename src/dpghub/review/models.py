"""The review workflow's tables. Slim on purpose: rules in rules.py and workflow.py, writes in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.review.enums import ApplicationState, ClarificationDays, Level, LinkStatus, Outcome, Verdict


class Application(models.Model):
    """An organisation's application for a good (registered, or new with a proposed name) to be a DPG,
    assessed against the Standard version in force when it was created."""

    good = models.ForeignKey("catalog.Good", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="applications")
    proposed_name = models.CharField(_("name of the good"), max_length=300, blank=True,
                                     help_text=_("For a good not yet in the registry."))
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="applications")
    standard_version = models.CharField(max_length=20)
    state = models.CharField(max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT,
                             db_index=True)
    answers = models.JSONField(default=dict, blank=True,
                               help_text=_("Per indicator code: {text, links, suggested}."))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals",
                               help_text=_("The application this one renews."))
    created_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    state_since = models.DateField(help_text=_("The day the application entered its state."))
    last_activity_on = models.DateField(help_text=_("The last day the applicant did something."))
    archive_notice_on = models.DateField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0, help_text=_("Days spent waiting for clarifications."))
    decided_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["state", "state_since"])]


class Assignment(models.Model):
    """A person working on an application at one level (the current one is the latest active row)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    assigned_on = models.DateField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["application", "level"], condition=models.Q(is_active=True),
                                               name="review_one_active_assignment_per_level")]


class IndicatorVerdict(models.Model):
    """One reviewer level's judgement of one indicator, with public notes and notes for reviewers only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="verdicts")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    indicator = models.CharField(max_length=4)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    notes = models.TextField(blank=True)
    private_notes = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_on = models.DateField()

    class Meta:
        ordering = ["application_id", "level", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "level", "indicator"],
                                               name="review_one_verdict_per_indicator_level")]


class Clarification(models.Model):
    """A question to the applicant with a deadline; the review clock stops while it is open."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="clarifications")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    indicators = models.JSONField(default=list, blank=True)
    question = models.TextField()
    answer = models.TextField(blank=True)
    deadline_days = models.PositiveSmallIntegerField(choices=ClarificationDays.choices)
    asked_on = models.DateField()
    due_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    lapsed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]


class ExpertConsultation(models.Model):
    """The second level asks an expert; the expert's advice is for reviewers only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consultations")
    indicators = models.JSONField(default=list, blank=True)
    question = models.TextField()
    advice = models.TextField(blank=True)
    asked_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        ordering = ["pk"]


class Decision(models.Model):
    """The final decision, with its public reason per indicator."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reasons = models.JSONField(default=dict, help_text=_("Per indicator code: the public reason."))
    decided_on = models.DateField()
    recognised_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    automatic = models.BooleanField(default=False, help_text=_("Taken by DPG Hub (an unanswered clarification)."))


class DecisionLogEntry(models.Model):
    """One line of the public, hash-chained decision log (review.decisions): append only."""

    seq = models.PositiveIntegerField(unique=True)
    payload = models.JSONField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]


class EvidenceLink(models.Model):
    """An evidence link of an application's answer, as the background check last found it (review/links.py)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence_links")
    indicator = models.CharField(max_length=4)
    url = models.URLField(max_length=2000)
    status = models.CharField(max_length=20, choices=LinkStatus.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["application_id", "indicator", "url"]
        constraints = [models.UniqueConstraint(fields=["application", "indicator", "url"],
                                               name="review_one_check_per_link")]
