from __future__ import annotations

from dpghub.catalog.models import Good
from dpghub.screening.models import ScreeningRun, ScreeningStatus


def screening_latest(*, good: Good) -> ScreeningRun | None:
    """The newest finished screening of ``good`` (successful or failed), or None."""
    return (
        ScreeningRun.objects.filter(good=good)
        .exclude(status=ScreeningStatus.QUEUED)
        .order_by("-finished_at", "-id")
        .first()
    )


def screening_pending(*, good: Good) -> ScreeningRun | None:
    return ScreeningRun.objects.filter(good=good, status=ScreeningStatus.QUEUED).order_by("-id").first()
