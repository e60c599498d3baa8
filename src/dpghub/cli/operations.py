"""`dpghub schedule list|run-due` (the scheduled jobs) and `dpghub check` (is this installation healthy?)."""

from __future__ import annotations

import datetime as dt
import sys

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


@cli.group()
def schedule() -> None:
    """Scheduled jobs (daily review tick, Charter reminders, ...): started by the embedded worker, or by
    Celery beat, each slot once."""


@schedule.command("list")
def schedule_list() -> None:
    """Each scheduled job: when it runs, the last slot started and its job's status, and what is due."""
    django_env.setup()
    from dpghub.common.schedule import schedule_status

    for row in schedule_status():
        state = f"job {row.last_job_id} {row.last_job_status}" if row.last_job_id else "no job yet"
        click.echo(f"{row.entry.name:<22} {row.entry.when:<22} last slot {_when(row.last_slot)} ({state}); "
                   f"{'DUE NOW' if row.due_now else 'next ' + _when(row.next_slot)}")
        click.echo(f"    {row.entry.help}")


@schedule.command("run-due")
@click.option("--now", "now_text", default="", help="Act as of this time (ISO 8601, UTC when no offset); "
              "default: now.")
@click.option("--name", "names", multiple=True, help="Only this scheduled job (repeatable).")
def schedule_run_due(now_text: str, names: tuple[str, ...]) -> None:
    """Start the scheduled jobs that are due and not started yet (safe from cron: never twice per slot).
    With the embedded backend they are run here and now; with Celery they are sent to the workers."""
    try:
        now = dt.datetime.fromisoformat(now_text) if now_text else None
    except ValueError:
        raise click.BadParameter(f"{now_text!r} is not an ISO 8601 time", param_hint="--now") from None
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    django_env.setup()
    from django.conf import settings

    from dpghub.common import schedule as scheduling
    from dpghub.common.jobs import job_execute

    for name in names:
        try:
            scheduling.schedule_entry(name)
        except LookupError as exc:
            raise click.BadParameter(str(exc), param_hint="--name") from None
    started = scheduling.schedule_run_due(now=now, names=list(names) or None)
    if not started:
        click.echo("nothing due")
    for item in started:
        line = f"{item.name}: slot {_when(item.slot)} started as job {item.job_id}"
        if settings.DPGHUB_JOB_BACKEND == "embedded":
            job = job_execute(item.job_id)
            if job is not None:  # None: a worker took it first, and runs it
                outcome = job.result if job.status == "succeeded" else (job.error.splitlines() or [""])[0]
                line += f", {job.status}: {outcome}"
        click.echo(line)


@cli.command()
@click.option("--deploy", is_flag=True, help="Also run Django's production checks (HTTPS, cookies, HSTS).")
def check(deploy: bool) -> None:
    """Report the configuration, the database, the broker and the workers' health; exit 1 if any fails.

    Fails on: a setting that cannot be used, a system check error (with --deploy, a warning too), a
    database that does not answer or has migrations not applied, a broker that does not answer (with
    Celery), no job worker or scheduler seen within the last minutes.
    """
    from dpghub.config import options

    results: list[tuple[bool, str, str]] = []
    try:
        options.load()
    except options.ConfigError as exc:
        click.echo(f"FAIL configuration: {exc}")
        sys.exit(1)
    django_env.setup(migrate=False)
    from django.core import checks
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from dpghub.common.health import check_broker, check_database, check_heartbeat

    messages = checks.run_checks(include_deployment_checks=deploy)
    serious = [m for m in messages if m.level >= (checks.WARNING if deploy else checks.ERROR) and not m.is_silenced()]
    results.append((not serious, "configuration", "; ".join(f"{m.id}: {m.msg}" for m in serious)
                    or ("production checks passed" if deploy else "settings load, system checks pass")))
    database = check_database()
    results.append((database.ok, "database", database.detail))
    if database.ok:
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:  # noqa: BLE001 - reported as a failure of the check
            results.append((False, "migrations", f"{type(exc).__name__}: {exc}"))
        else:
            results.append((not pending, "migrations", f"{len(pending)} not applied (run `dpghub serve` or "
                            "`python -m django migrate`)" if pending else "all applied"))
    broker = check_broker()
    results.append((broker.ok, "broker", broker.detail))
    if database.ok:
        for role in ("worker", "scheduler"):
            beat = check_heartbeat(role)
            results.append((beat.ok, role, beat.detail))
    for ok, name, detail in results:
        click.echo(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not all(ok for ok, _name, _detail in results):
        sys.exit(1)
