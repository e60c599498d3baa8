"""Screenings of goods' repositories, run as background jobs (the engine is dpghub.core.screening)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.catalog.models import Good
from dpghub.common.models import Job


class ScreeningStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class ScreeningRun(models.Model):
    good = models.ForeignKey(Good, on_delete=models.CASCADE, related_name="screenings")
    repository_url = models.CharField(max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(max_length=20, choices=ScreeningStatus.choices, default=ScreeningStatus.QUEUED)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    commit = models.CharField(max_length=64, blank=True)
    root_license = models.CharField(max_length=300, blank=True)
    previous_root_license = models.CharField(
        max_length=300, blank=True, help_text=_("Root licence of the previous successful screening, when it differs")
    )
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["good", "status", "-finished_at"])]

    @property
    def license_changed(self) -> bool:
        return bool(self.previous_root_license) and self.previous_root_license != self.root_license
