"""`dpghub users create|roles` and `dpghub mail`: people, for the first administrator and for scripts.

They act as the system job ``system:cli`` (an operator with a shell on the server); every write is recorded.
"""

from __future__ import annotations

import click

from dpghub.cli import django_env
from dpghub.cli.main import cli

ROLE_CHOICES = click.Choice(["reviewer-l1", "reviewer-l2", "expert", "secretariat"])


@cli.group()
def users() -> None:
    """People with an account on DPG Hub."""


@users.command("create")
@click.option("--email", required=True, help="The person's e-mail address: how they sign in (marked verified).")
@click.option("--name", required=True, help="The name they are shown by.")
@click.option("--role", "roles", multiple=True, type=ROLE_CHOICES,
              help="A platform role to grant (repeat for several). Reviewers and the secretariat must set up "
                   "two-factor authentication when they first sign in.")
@click.option("--password", is_flag=True, help="Ask for a password now (otherwise the person sets one with "
                                                "'Forgot your password?' on the sign-in page).")
def users_create(email: str, name: str, roles: tuple[str, ...], password: bool) -> None:
    """Create a person who signs in with EMAIL."""
    secret = click.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    django_env.setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from dpghub.accounts.errors import AccountsError
    from dpghub.accounts.services import person_create

    if secret is not None:
        try:
            validate_password(secret)
        except ValidationError as exc:
            raise click.ClickException(" ".join(exc.messages)) from None
    try:
        person = person_create(actor="system:cli", email=email, name=name, roles=roles, password=secret)
    except AccountsError as exc:
        raise click.ClickException(f"{exc.field + ': ' if exc.field else ''}{exc.message}") from None
    shown = f" with role(s) {', '.join(sorted(roles))}" if roles else ""
    click.echo(f"created {person.email}{shown}")
    if secret is None:
        click.echo("no password yet: the person sets one with 'Forgot your password?' on the sign-in page")


def _person(email: str):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(email__iexact=email.strip()).order_by("pk").first()
    if person is None:
        raise click.ClickException(f"no person with the e-mail address {email!r}")
    return person


@users.command("grant")
@click.option("--email", required=True, help="The person's e-mail address.")
@click.option("--role", required=True, type=ROLE_CHOICES, help="The platform role to grant.")
def users_grant(email: str, role: str) -> None:
    """Give a person a platform role."""
    django_env.setup()
    from dpghub.accounts.services import person_role_grant

    added = person_role_grant(actor="system:cli", person=_person(email), role=role)
    click.echo(f"{email}: {role} {'granted' if added else 'already held'}")


@users.command("revoke")
@click.option("--email", required=True, help="The person's e-mail address.")
@click.option("--role", required=True, type=ROLE_CHOICES, help="The platform role to take away.")
def users_revoke(email: str, role: str) -> None:
    """Take a platform role away from a person."""
    django_env.setup()
    from dpghub.accounts.services import person_role_revoke

    removed = person_role_revoke(actor="system:cli", person=_person(email), role=role)
    click.echo(f"{email}: {role} {'revoked' if removed else 'was not held'}")


@cli.command("mail")
@click.option("--last", type=click.IntRange(min=1), default=None, help="Only the last N messages.")
@click.option("--show", "show_id", default=None, metavar="ID", help="Print one message (its id, or the start of it).")
def mail(last: int | None, show_id: str | None) -> None:
    """List the e-mail DPG Hub wrote to its outbox (DPGHUB_EMAIL_BACKEND=file), or show one message.

    Nothing is sent with the file backend: open a verification or password-reset link from here.
    """
    django_env.setup(migrate=False)
    from django.conf import settings

    from dpghub.common.mail import MessageNotFound, outbox_dir, outbox_get, outbox_list

    if settings.CONFIG["EMAIL_BACKEND"] != "file":
        click.echo(f"note: DPGHUB_EMAIL_BACKEND={settings.CONFIG['EMAIL_BACKEND']}; new mail is not written to "
                   f"{outbox_dir()}", err=True)
    if show_id:
        try:
            message = outbox_get(show_id)
        except MessageNotFound as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Id: {message.id}\nDate: {message.date}\nFrom: {message.sender}\nTo: {', '.join(message.to)}\n"
                   f"Subject: {message.subject}\n\n{message.body}")
        return
    messages = outbox_list(last=last)
    if not messages:
        click.echo(f"no mail in {outbox_dir()}")
        return
    for message in messages:
        click.echo(f"{message.id}  {message.date[:19].replace('T', ' ')}  {', '.join(message.to)}  {message.subject}")
