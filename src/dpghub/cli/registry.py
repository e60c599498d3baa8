"""`dpghub serve`, `dpghub worker` and `dpghub config`: running the product."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli
from dpghub.config import options


@cli.command()
@click.option("--host", default=None, help="Address to bind (default: DPGHUB_HOST, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default: DPGHUB_PORT, 8000).")
@click.option("--workers", type=int, default=None, help="Web worker processes (default: DPGHUB_WEB_WORKERS).")
@click.option("--no-worker", is_flag=True, help="Do not start the embedded job worker alongside the web server.")
def serve(host: str | None, port: int | None, workers: int | None, no_worker: bool) -> None:
    """Serve DPG Hub with a production web server (gunicorn).

    On start it applies database migrations, loads the shipped DPGA records if the catalogue is
    empty (DPGHUB_LOAD_SHIPPED_DATA), then supervises two processes: the web server, and, with the
    embedded job backend, `dpghub worker` (which also starts the scheduled jobs when due), so that no
    web request ever waits for a long job. A job worker that dies is restarted at once, and the jobs it
    was running are given back to the queue to be retried.
    """
    django_env.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    _load_shipped_data()

    config = settings.CONFIG
    bind = f"{host or config['HOST']}:{port or config['PORT']}"
    web_argv = [sys.executable, "-m", "dpghub", "web", "--bind", bind, "--workers", str(workers or config["WEB_WORKERS"])]
    worker_argv = [sys.executable, "-m", "dpghub", "worker"]
    with_worker = settings.DPGHUB_JOB_BACKEND == "embedded" and not no_worker
    click.echo(f"DPG Hub {_version()} serving on http://{bind} (data in {settings.DATA_DIR})")
    raise SystemExit(_supervise(web_argv, worker_argv if with_worker else None))


def _supervise(web_argv: list[str], worker_argv: list[str] | None) -> int:
    """Run the web server and the job worker; restart the worker if it dies; stop both on a signal."""
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    web = subprocess.Popen(web_argv)
    worker = subprocess.Popen(worker_argv) if worker_argv else None
    code = 0
    try:
        while not stopping.wait(1.0):
            if web.poll() is not None:
                code = web.returncode or 1
                click.echo(f"the web server stopped (exit code {web.returncode}); stopping", err=True)
                break
            if worker is not None and worker.poll() is not None:
                released = _release_jobs_of(worker.pid)
                click.echo(f"the job worker stopped (exit code {worker.returncode}); restarting it"
                           + (f"; job(s) {', '.join(map(str, released))} will be retried" if released else ""),
                           err=True)
                worker = subprocess.Popen(worker_argv)
    finally:
        for process in (web, worker):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            if process is not None:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
    return code


def _release_jobs_of(pid: int) -> list[int]:
    """The worker process ``pid`` died: give its jobs back now rather than when their leases lapse."""
    from django.db import connection

    from dpghub.common.jobs import jobs_release, worker_name

    try:
        return jobs_release(worker=worker_name(pid), reason=f"its worker (process {pid}) stopped")
    except Exception as exc:  # noqa: BLE001 - the leases still lapse; the supervisor must go on
        click.echo(f"could not release the stopped worker's jobs ({exc}); they are retried when their lease lapses",
                   err=True)
        return []
    finally:
        connection.close()


def _version() -> str:
    from dpghub import __version__

    return __version__


def _load_shipped_data() -> None:
    from dpghub.catalog.services.importing import shipped_data_load_if_empty

    result = shipped_data_load_if_empty()
    if result is not None:
        click.echo(f"Loaded the shipped DPGA records: {result}")


@cli.command(hidden=True)
@click.option("--bind", required=True)
@click.option("--workers", type=int, required=True)
def web(bind: str, workers: int) -> None:
    """Run the gunicorn web server only (used by `dpghub serve`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpghub.config.settings")
    from gunicorn.app.base import BaseApplication

    from dpghub.config.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)
            self.cfg.set("forwarded_allow_ips", "127.0.0.1")
            # long request lines reach Django, which answers them in the API's error shape
            # (dpghub.api.middleware.MAX_REQUEST_TARGET) instead of gunicorn's HTML 400
            self.cfg.set("limit_request_line", 0)

        def load(self):
            return application

    Server().run()


@cli.command()
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then exit (embedded backend).")
@click.option("--concurrency", type=int, default=None, help="Celery worker processes (celery backend).")
@click.option("--no-scheduler", is_flag=True, help="Do not start scheduled jobs from this worker (embedded backend).")
def worker(once: bool, concurrency: int | None, no_scheduler: bool) -> None:
    """Run background jobs: the embedded database-backed worker, or a Celery worker.

    Which one follows DPGHUB_JOB_BACKEND. The embedded worker also starts the scheduled jobs when they
    are due (`dpghub schedule list`); several workers never start the same one twice. With Celery, run
    `dpghub beat` once for the schedule. A job whose worker dies is taken up again when its lease
    lapses (at once when `dpghub serve` sees its worker die), up to its maximum number of attempts.
    """
    django_env.setup()
    from django.conf import settings

    if settings.DPGHUB_JOB_BACKEND == "celery":
        from dpghub.config.celery import app

        argv = ["worker", "--loglevel=INFO"]
        if concurrency:
            argv.append(f"--concurrency={concurrency}")
        app.worker_main(argv)
        return
    from dpghub.common.jobs import worker_loop

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    ran = worker_loop(stop=stop, once=once, scheduler=not no_scheduler and not once)
    if once:
        click.echo(f"ran {ran} job(s)")


@cli.command()
def beat() -> None:
    """Run Celery beat (JOB_BACKEND=celery): sends the scheduled jobs when due. Run exactly one; a second
    one would not run a job twice (each slot is started once), it would only be useless."""
    django_env.setup()
    from django.conf import settings

    if settings.DPGHUB_JOB_BACKEND != "celery":
        raise click.ClickException("`dpghub beat` is for DPGHUB_JOB_BACKEND=celery; the embedded worker "
                                   "(`dpghub worker`, started by `dpghub serve`) schedules jobs itself")
    from dpghub.config.celery import app

    app.Beat(loglevel="INFO").run()


@cli.command("config")
@click.option("--markdown", is_flag=True, help="Print the reference of all settings (docs/configuration.md).")
def config_show(markdown: bool) -> None:
    """Show every setting, its current value and where to change it."""
    if markdown:
        click.echo(options.as_markdown(), nl=False)
        return
    try:
        values = options.load()
    except options.ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    for option in options.OPTIONS:
        value = values[option.name]
        if option.name in {"SECRET_KEY", "SMTP_PASSWORD"} and value:
            value = "(set)"
        shown = ",".join(value) if isinstance(value, list) else value
        click.echo(f"{option.env}={shown}\n    {option.help}")
    if os.environ.get("DPGHUB_CONFIG"):
        click.echo(f"(file: {os.environ['DPGHUB_CONFIG']})")
