"""`dpghub rescreen`: queue screenings of registered goods (for a cron job or by hand)."""

from __future__ import annotations

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


@cli.command()
@click.argument("slugs", nargs=-1)
@click.option("--all", "all_goods", is_flag=True, help="Every good that has a repository.")
@click.option("--stale-days", type=click.IntRange(min=0), default=None,
              help="With --all: only goods whose last screening is older than this many days (or never ran).")
def rescreen(slugs: tuple[str, ...], all_goods: bool, stale_days: int | None) -> None:
    """Queue screenings of the repositories of the given goods (by slug), or of --all goods.

    The jobs run on the job backend (`dpghub worker`, started by `dpghub serve`, or Celery);
    each good's page then shows its latest report and flags a licence change.
    """
    if bool(slugs) == all_goods:
        raise click.UsageError("give one or more SLUGS, or --all (not both)")
    if stale_days is not None and not all_goods:
        raise click.UsageError("--stale-days goes with --all")
    django_env.setup()
    from dpghub.common.errors import DomainError
    from dpghub.common.history import Actor
    from dpghub.screening.selectors import screening_goods_by_slug, screening_goods_due
    from dpghub.screening.services import screening_request

    if all_goods:
        goods = screening_goods_due(stale_days=stale_days)
    else:
        goods = screening_goods_by_slug(slugs=slugs)
        missing = sorted(set(slugs) - {good.slug for good in goods})
        if missing:
            raise click.ClickException(f"no good with slug: {', '.join(missing)}")
    queued = failed = 0
    for good in goods:
        try:
            screening_request(actor=Actor.system_job("rescreen"), good=good)
            queued += 1
        except DomainError as exc:  # e.g. no repository, or one the registry does not screen
            click.echo(f"{good.slug}: {exc.message}", err=True)
            failed += 1
    click.echo(f"queued {queued} screening(s); {failed} good(s) could not be queued")
