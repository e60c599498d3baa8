"""Requesting and recording screenings. Permission checks and what may be screened live here, not in
the views."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dpghub.catalog.models import Good
from dpghub.common.history import Actor, history_record
from dpghub.common.jobs import job_enqueue
from dpghub.common.models import ActorKind
from dpghub.notifications.watching import good_licence_changed
from dpghub.screening.enums import ScreeningAction
from dpghub.screening.errors import NoRepository, NotAllowed, RepositoryRefused
from dpghub.screening.models import ScreeningRun, ScreeningStatus

JOB_KIND = "screening.screen_good"
PERMISSION = "screening.add_screeningrun"


def screening_request(*, actor: Actor, good: Good, repository_url: str | None = None) -> ScreeningRun:
    """Queue a screening of ``good``'s repository (its first one unless ``repository_url`` is given).

    A person (directly or through a token) needs the ``screening.add_screeningrun`` permission; a
    system job (e.g. ``Actor.system_job("rescreen")``) may always request one.
    """
    if actor.kind == ActorKind.ANONYMOUS or (actor.is_person and not actor.user.has_perm(PERMISSION)):
        raise NotAllowed()
    url = repository_url or next(iter(good.repositories.values_list("url", flat=True)), None)
    if not url:
        raise NoRepository(good.slug)
    screening_url_check(url=url)
    with transaction.atomic():
        run = ScreeningRun.objects.create(good=good, repository_url=url, requested_by=actor.user)
        run.job = job_enqueue(kind=JOB_KIND, params={"screening_run_id": run.pk})
        run.save(update_fields=["job"])
        history_record(actor=actor, action=ScreeningAction.RUN_REQUEST, target=run,
                        data={"good": good.slug, "repository": url})
    return run


def screening_url_check(*, url: str) -> None:
    """Raise RepositoryRefused unless the registry may screen ``url``: https:// only, or anything
    with DPGHUB_SCREENING_ALLOW_LOCAL (tests, air-gapped mirrors). The job checks again before it runs."""
    if not url.startswith("https://") and not settings.DPGHUB_SCREENING_ALLOW_LOCAL:
        raise RepositoryRefused(url)


def screening_record_result(*, run: ScreeningRun, report: dict[str, Any], commit: str, root_license: str) -> None:
    """Store a finished report, and the previous root licence when it changed."""
    previous = (
        ScreeningRun.objects.filter(good=run.good, status=ScreeningStatus.SUCCEEDED)
        .exclude(pk=run.pk)
        .order_by("-finished_at", "-id")
        .values_list("root_license", flat=True)
        .first()
    )
    with transaction.atomic():
        run.status = ScreeningStatus.SUCCEEDED
        run.report = report
        run.commit = commit or ""
        run.root_license = root_license or ""
        run.previous_root_license = previous if previous is not None and previous != run.root_license else ""
        run.finished_at = timezone.now()
        run.error = ""
        run.save()
        history_record(actor=Actor.system_job("screening"), action=ScreeningAction.RUN_FINISH, target=run,
                        data={"root_license": run.root_license, "license_changed": run.license_changed})
        if run.license_changed:
            good_licence_changed(good=run.good, before=run.previous_root_license, after=run.root_license)


def screening_record_failure(*, run: ScreeningRun, error: str) -> None:
    with transaction.atomic():
        run.status = ScreeningStatus.FAILED
        run.error = error
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        history_record(actor=Actor.system_job("screening"), action=ScreeningAction.RUN_FAIL, target=run,
                        data={"error": error[:500]})
