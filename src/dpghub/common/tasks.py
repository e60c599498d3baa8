"""Celery tasks: thin wrappers that hand a job id to the shared job runner."""

from celery import shared_task


@shared_task(name="dpghub.job_execute", acks_late=True, reject_on_worker_lost=True)
def job_execute_task(job_id: int) -> str | None:
    from dpghub.common.jobs import job_execute

    job = job_execute(job_id)
    return job.status if job is not None else None
