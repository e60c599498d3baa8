"""The ``dpghub`` command line.

Each sub-command lives in its own module of this package and registers itself on :data:`cli`.
Commands that need the database call :func:`dpghub.cli.django_env.setup` first; Django-free
commands (``screen``) do not, so they start fast and work without a data directory.
"""

from __future__ import annotations

import click

from dpghub import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dpghub")
def cli() -> None:
    """DPG Hub: registry, screening and monitoring of digital public goods."""


def _register() -> None:
    # Imported for their side effect of adding commands to ``cli``.
    from dpghub.cli import commands  # noqa: F401


def main() -> None:
    _register()
    cli()
