"""Vocabularies of the screening app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import history_vocabulary


@history_vocabulary
class ScreeningAction(models.TextChoices):
    """What screening records in the history (closed vocabulary: see dpghub.common.history)."""

    RUN_REQUEST = "screening.run.request", _("Screening requested")
    RUN_FINISH = "screening.run.finish", _("Screening finished")
    RUN_FAIL = "screening.run.fail", _("Screening failed")
