"""Cross-cutting tables: the activity (audit) log and background jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    TOKEN = "token", _("API token")
    SYSTEM = "system", _("System job")
    ANONYMOUS = "anonymous", _("Anonymous visitor")  # may be refused, never recorded


class Activity(models.Model):
    """One history row, written in the same transaction as the change it records (see common.history).

    No personal data: a person is a foreign key (NULL once the account is deleted) and a pseudonymous
    label; the organisation acted for is kept by id and name, so the row outlives it.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices, default=ActorKind.SYSTEM)
    actor_label = models.CharField(max_length=200, help_text=_("'system:<job>' or a person's pseudonym"))
    token_id = models.BigIntegerField(null=True, blank=True, help_text=_("the API token used, if any"))
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True,
                                             help_text=_("the organisation acted for, if any"))
    organisation_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100, db_index=True, help_text=_("app.entity.verb"))
    target_type = models.CharField(max_length=50, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text=_("{field: {before, after}}"))
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A background job, visible to users. Runs on the embedded worker or on Celery."""

    kind = models.CharField(max_length=100, db_index=True)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True, db_index=True,
                              help_text=_("the worker process holding the lease: host:pid, or celery:host:pid"))
    progress = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ScheduleRun(models.Model):
    """The last slot of a scheduled job that was started (common.schedule): one row per job name.

    A scheduler starts a slot by moving ``slot`` forward with a conditional UPDATE, so that of several
    schedulers (several ``dpghub worker`` processes, or Celery beat) exactly one starts each slot.
    """

    name = models.CharField(max_length=100, unique=True)
    slot = models.DateTimeField(help_text=_("the due time of the last slot started"))
    started_at = models.DateTimeField()
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True)


class Heartbeat(models.Model):
    """A running process says it is alive (the embedded worker, the scheduler, a Celery worker): /readyz and
    ``dpghub check`` read how fresh it is. No personal data: a role and a host:pid."""

    name = models.CharField(max_length=150, unique=True, help_text=_("role:host:pid"))
    role = models.CharField(max_length=20, db_index=True, help_text=_("worker or scheduler"))
    seen_at = models.DateTimeField(db_index=True)
