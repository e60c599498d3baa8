"""The screening job: runs the Django-free engine on a good's repository and stores the report."""

from __future__ import annotations

from dpghub.common.jobs import job_kind, job_progress
from dpghub.common.models import Job
from dpghub.core import standard
from dpghub.core.screening import ScreeningError, screen
from dpghub.screening.errors import RepositoryRefused
from dpghub.screening.models import ScreeningRun, ScreeningStatus
from dpghub.screening.services import (
    JOB_KIND,
    screening_record_failure,
    screening_record_result,
    screening_url_check,
)


def _screened_category(codes: list[str]) -> str:
    """The name the engine screens for: the good's first category still assessed, else Open Software."""
    for code in codes:
        found = standard.category(code)
        if found is not None and found.assessed:
            return found.name
    return standard.OPEN_SOFTWARE.name


@job_kind(JOB_KIND)
def screen_good(job: Job) -> dict:
    run = ScreeningRun.objects.select_related("good").get(pk=job.params["screening_run_id"])
    if run.status != ScreeningStatus.QUEUED:
        return {"skipped": f"screening {run.pk} already {run.status}"}  # idempotent on redelivery
    good = run.good
    category = _screened_category(good.categories)
    declared = list(good.licenses.values_list("expression", flat=True))
    try:  # queued before the rule or the setting changed
        screening_url_check(url=run.repository_url)
    except RepositoryRefused as exc:
        screening_record_failure(run=run, error=exc.message)
        return {"failed": exc.message}
    job_progress(job, step="screening", repository=run.repository_url)
    try:
        report = screen(run.repository_url, category=category, declared=declared)
    except ScreeningError as exc:
        screening_record_failure(run=run, error=exc.message)
        return {"failed": exc.message}
    except Exception as exc:
        if job.attempts >= job.max_attempts:
            screening_record_failure(run=run, error=f"{type(exc).__name__}: {exc}")
        raise
    data = report.to_json()
    root = (report.licenses.root_expression if report.licenses else None) or ""
    screening_record_result(run=run, report=data, commit=report.commit or "", root_license=root)
    return {"screening_run": run.pk, "root_license": root}
