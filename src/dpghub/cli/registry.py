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
    empty (DPGHUB_LOAD_SHIPPED_DATA), and, with the embedded job backend, starts `dpghub worker`
    as a separate process so that no web request ever waits for a long job.
    """
    django_env.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    _load_shipped_data()

    config = settings.CONFIG
    bind = f"{host or config['HOST']}:{port or config['PORT']}"
    worker_process = None
    if settings.DPGHUB_JOB_BACKEND == "embedded" and not no_worker:
        worker_process = subprocess.Popen([sys.executable, "-m", "dpghub.cli.main", "worker"])
    click.echo(f"DPG Hub {_version()} serving on http://{bind} (data in {settings.DATA_DIR})")
    try:
        _gunicorn(bind=bind, workers=workers or config["WEB_WORKERS"])
    finally:
        if worker_process is not None:
            worker_process.send_signal(signal.SIGTERM)
            try:
                worker_process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker_process.kill()


def _version() -> str:
    from dpghub import __version__

    return __version__


def _load_shipped_data() -> None:
    try:
        from dpghub.catalog.services.shipped import shipped_data_load_if_empty
    except ImportError:  # pragma: no cover - during development before the importer lands
        click.echo("warning: the shipped-data loader is not available; the catalogue starts empty", err=True)
        return
    result = shipped_data_load_if_empty()
    if result is not None:
        click.echo(f"Loaded the shipped DPGA records: {result}")


def _gunicorn(*, bind: str, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from dpghub.config.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)
            self.cfg.set("forwarded_allow_ips", "127.0.0.1")

        def load(self):
            return application

    Server().run()


@cli.command()
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then exit (embedded backend).")
@click.option("--concurrency", type=int, default=None, help="Celery worker processes (celery backend).")
def worker(once: bool, concurrency: int | None) -> None:
    """Run background jobs: the embedded database-backed worker, or a Celery worker.

    Which one follows DPGHUB_JOB_BACKEND. A job whose worker dies is taken up again when its
    lease expires, up to its maximum number of attempts.
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
    ran = worker_loop(stop=stop, once=once)
    if once:
        click.echo(f"ran {ran} job(s)")


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
        if option.name == "SECRET_KEY" and value:
            value = "(set)"
        shown = ",".join(value) if isinstance(value, list) else value
        click.echo(f"{option.env}={shown}\n    {option.help}")
    if os.environ.get("DPGHUB_CONFIG"):
        click.echo(f"(file: {os.environ['DPGHUB_CONFIG']})")
