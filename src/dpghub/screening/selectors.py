"""Reads of screenings, shared by the pages, the API and `dpghub rescreen`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Max, Q, QuerySet, Subquery
from django.utils import timezone

from dpghub.catalog.errors import GoodNotFound
from dpghub.catalog.models import Good
from dpghub.common.jobs import JobShown, job_shown
from dpghub.screening.models import ScreeningRun, ScreeningStatus


def screening_latest(*, good: Good) -> ScreeningRun | None:
    """The newest finished screening of ``good`` (successful or failed), or None."""
    return (
        ScreeningRun.objects.filter(good=good)
        .exclude(status=ScreeningStatus.QUEUED)
        .order_by("-finished_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class ScreeningOverview:
    """What a good's page and API show about its screenings, read in one query."""

    latest: ScreeningRun | None  # newest finished run, successful or failed
    succeeded: ScreeningRun | None  # newest successful run: the report to show
    pending: ScreeningRun | None  # newest queued run

    @property
    def pending_state(self) -> str | None:
        """Where the pending run's job is, told truthfully (``common.jobs.job_shown``): ``queued`` (not yet
        started), ``running`` (a live worker holds it) or ``retrying`` (its worker stopped, or an attempt
        failed, and it will be tried again)."""
        if self.pending is None:
            return None
        job = self.pending.job
        return job_shown(job) if job is not None else JobShown.QUEUED

    @property
    def current(self) -> ScreeningRun | None:
        """The run the API calls "the latest screening": the newest finished one, else the queued one."""
        return self.latest or self.pending


_FINISHED_ORDER = ("-finished_at", "-id")


def screening_overview(*, good: Good, with_report: bool = True) -> ScreeningOverview:
    """The newest finished, newest successful and newest queued screening of ``good`` (one query).

    ``with_report=False`` leaves the report JSON unread (summaries only).
    """
    runs = ScreeningRun.objects.filter(good=good)
    latest = runs.exclude(status=ScreeningStatus.QUEUED).order_by(*_FINISHED_ORDER).values("pk")[:1]
    succeeded = runs.filter(status=ScreeningStatus.SUCCEEDED).order_by(*_FINISHED_ORDER).values("pk")[:1]
    pending = runs.filter(status=ScreeningStatus.QUEUED).order_by("-id").values("pk")[:1]
    rows = ScreeningRun.objects.filter(Q(pk=Subquery(latest)) | Q(pk=Subquery(succeeded)) | Q(pk=Subquery(pending)))
    rows = rows.select_related("job")  # the pending run's job says whether it runs (same query)
    if not with_report:
        rows = rows.defer("report")
    rows = list(rows)
    finished = sorted((run for run in rows if run.status != ScreeningStatus.QUEUED),
                      key=lambda run: (run.finished_at.timestamp() if run.finished_at else 0.0, run.pk), reverse=True)
    return ScreeningOverview(
        latest=finished[0] if finished else None,
        succeeded=next((run for run in finished if run.status == ScreeningStatus.SUCCEEDED), None),
        pending=next((run for run in rows if run.status == ScreeningStatus.QUEUED), None),
    )


def screening_good_get(*, slug: str) -> Good:
    """The good named by slug or uid, with nothing prefetched (for screening reads); raises GoodNotFound."""
    lookup = Q(slug=slug)
    try:
        lookup |= Q(uid=uuid.UUID(slug))
    except ValueError:
        pass
    try:
        return Good.objects.only("id", "slug", "uid").get(lookup)
    except Good.DoesNotExist:
        raise GoodNotFound(slug) from None


def screening_goods_due(*, stale_days: int | None = None) -> QuerySet[Good]:
    """Goods that have a repository, by slug; with ``stale_days``, only those never screened or whose
    last screening was requested more than that many days ago."""
    goods = Good.objects.filter(repositories__isnull=False).distinct().order_by("slug")
    if stale_days is not None:
        cutoff = timezone.now() - timedelta(days=stale_days)
        # not exclude(last_requested__gte=cutoff): for a good never screened that compares NULL, and
        # SQL's NOT NULL is not true, so the goods that most need a screening were left out
        goods = goods.annotate(last_requested=Max("screenings__requested_at")).filter(
            Q(last_requested__isnull=True) | Q(last_requested__lt=cutoff))
    return goods


def screening_goods_by_slug(*, slugs: Iterable[str]) -> list[Good]:
    """The goods with these slugs, by slug; slugs of no good are left out (compare to find them)."""
    return list(Good.objects.filter(slug__in=list(slugs)).order_by("slug"))


def screening_runs_of(*, good: Good) -> list[ScreeningRun]:
    """Every screening run of ``good`` (ids only): a good's history includes what happened to them."""
    return list(ScreeningRun.objects.filter(good=good).only("pk"))
