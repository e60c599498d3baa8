"""Celery tasks: thin wrappers that hand a job id (or a schedule entry's name) to the shared code.

Every task is idempotent: ``job_execute`` claims the job with a conditional UPDATE, so a message
delivered twice (acks_late, a worker lost, the broker's visibility timeout) runs the job once.
"""

from celery import shared_task


@shared_task(name="dpghub.job_execute", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=20)
def job_execute_task(self, job_id: int) -> str | None:
    """Run the job; if another attempt still holds its lease (the message came back because that attempt's
    worker process was lost, and its lease has not lapsed yet), try again when the lease lapses."""
    from dpghub.common.jobs import job_execute, job_lease_remaining, worker_name

    job = job_execute(job_id, worker=f"celery:{worker_name()}")
    if job is not None:
        return job.status
    remaining = job_lease_remaining(job_id)
    if remaining is not None:
        raise self.retry(countdown=remaining + 1)
    return None  # finished, or unknown: nothing to do


@shared_task(name="dpghub.schedule_run", acks_late=True, reject_on_worker_lost=True)
def schedule_run_task(name: str) -> list[int]:
    """Sent by Celery beat when an entry of common.schedule is due: start its slot (once, whoever else runs)."""
    from dpghub.common.schedule import schedule_run_due

    return [started.job_id for started in schedule_run_due(names=[name])]


@shared_task(name="dpghub.jobs_recover", acks_late=True, reject_on_worker_lost=True)
def jobs_recover_task() -> dict:
    """Sent by beat every minute: re-send jobs whose worker was lost, catch up missed schedule slots, and
    record the heartbeats of this worker and of beat (which sent this) for /readyz and `dpghub check`."""
    from dpghub.common.jobs import heartbeat_record, jobs_recover, worker_name
    from dpghub.common.schedule import schedule_run_due

    heartbeat_record(role="worker", name=f"worker:celery:{worker_name()}")
    heartbeat_record(role="scheduler", name="scheduler:celery-beat")
    resent = jobs_recover()
    started = schedule_run_due()
    return {"resent": resent, "started": [s.job_id for s in started]}
