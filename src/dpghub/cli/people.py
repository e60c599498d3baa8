"""``dpghub orgs create`` and ``dpghub tokens create|revoke``: for the first administrator and for scripts.

They act as the system job ``cli`` (an operator with a shell on the server), and every write is recorded.
"""

from __future__ import annotations

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli


def _person(email: str):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(email__iexact=email.strip()).order_by("pk").first()
    if person is None:
        raise click.ClickException(f"no person with the e-mail address {email!r} (create one with 'dpghub users create')")
    return person


@cli.group()
def orgs() -> None:
    """Organisations that act in DPG Hub."""


@orgs.command("create")
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--type", "type_", required=True,
              type=click.Choice(["government", "private-sector", "foundation", "civil-society",
                                 "international-organisation", "academia"]), help="What kind of actor it is.")
@click.option("--country", default="", help="ISO 3166 alpha-2 or alpha-3 code (empty for international bodies).")
@click.option("--agency", default="", help="For a government: the ministry or agency.")
@click.option("--website", default="", help="Its web address.")
@click.option("--admin", "admin_email", default="", help="E-mail of the person who becomes its first administrator.")
def orgs_create(name: str, type_: str, country: str, agency: str, website: str, admin_email: str) -> None:
    """Register an organisation, optionally with its first administrator."""
    django_env.setup()
    from dpghub.common.history import Actor
    from dpghub.orgs.errors import OrgsError
    from dpghub.orgs.services import organisation_create

    admin = _person(admin_email) if admin_email else None
    try:
        org = organisation_create(actor=Actor.system_job("cli"), name=name, type=type_, country=country,
                                  agency=agency, website=website, admin=admin)
    except OrgsError as exc:
        raise click.ClickException(f"{exc.field + ': ' if exc.field else ''}{exc.message}") from None
    click.echo(f"created organisation {org.slug!r}" + (f" with administrator {admin.email}" if admin else ""))


@cli.group()
def tokens() -> None:
    """Personal API tokens."""


@tokens.command("create")
@click.option("--email", required=True, help="The person the token acts for.")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True)
@click.option("--expires-days", type=click.IntRange(1, 366), default=90, show_default=True)
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def tokens_create(email: str, scope: str, expires_days: int, name: str) -> None:
    """Create a token and print it once: it is stored hashed and cannot be shown again."""
    django_env.setup()
    from dpghub.common.history import Actor
    from dpghub.tokens.errors import TokenError
    from dpghub.tokens.services import token_create

    try:
        token, raw = token_create(actor=Actor.system_job("cli"), person=_person(email), name=name, scope=scope,
                                  expires_days=expires_days)
    except TokenError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(raw)
    click.echo(f"token {token.pk} ({scope}, expires {token.expires_at:%Y-%m-%d}): copy it now, it is not shown again",
               err=True)


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke a token by its number."""
    django_env.setup()
    from dpghub.common.history import Actor
    from dpghub.tokens.models import ApiToken
    from dpghub.tokens.services import token_revoke

    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise click.ClickException(f"no token {token_id}")
    token_revoke(actor=Actor.system_job("cli"), token=token)
    click.echo(f"token {token_id} revoked")
