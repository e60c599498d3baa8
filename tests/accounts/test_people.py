"""The accounts domain without the web: creating people, roles, the outbox, the CLI, export and deletion."""

import json
import stat

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.core import mail as django_mail

from dpghub.accounts.enums import PlatformRole
from dpghub.accounts.errors import InvalidPerson, MfaRequired, NotAllowed
from dpghub.accounts.selectors import (
    person_has_role,
    person_mfa_required,
    person_platform_roles,
    person_reviewer_require,
)
from dpghub.accounts.services import (
    person_create,
    person_delete,
    person_export,
    person_exporter,
    person_pseudonym,
    person_role_grant,
    person_role_revoke,
)
from dpghub.cli import commands as _commands  # noqa: F401  (registers every command on cli)
from dpghub.cli import django_env
from dpghub.cli.main import cli
from dpghub.common.mail import MessageNotFound, outbox_get, outbox_list
from dpghub.common.models import Activity
from tests.people import make_person

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_create_a_person_with_roles_records_it_without_personal_data():
    person = person_create(actor="system:cli", email=" Ana@Example.org ", name="Ana Lima",
                           roles=["reviewer-l1", PlatformRole.SECRETARIAT])
    assert person.email == "Ana@Example.org" and not person.has_usable_password()
    assert person.emailaddress_set.get().verified
    assert person_platform_roles(person) == {"reviewer-l1", "secretariat"}
    assert person_has_role(person, PlatformRole.SECRETARIAT) and not person_has_role(person, "expert")
    assert person_mfa_required(person)
    rows = Activity.objects.order_by("id")
    assert [row.action for row in rows] == ["accounts.person.create", "accounts.role.grant", "accounts.role.grant"]
    assert {row.actor_label for row in rows} == {"system:cli"}
    assert "Ana" not in json.dumps([row.data for row in rows])
    with pytest.raises(InvalidPerson, match="already exists"):
        person_create(actor="system:cli", email="ana@example.ORG", name="Other")
    with pytest.raises(InvalidPerson, match="valid e-mail"):
        person_create(actor="system:cli", email="not-an-address", name="X")
    with pytest.raises(ValueError):
        person_create(actor="system:cli", email="b@example.org", name="B", roles=["admin"])
    assert User.objects.count() == 1


def test_only_the_secretariat_changes_roles_and_an_expert_is_not_forced_to_two_factor():
    secretariat = make_person("sec@example.org", roles=[PlatformRole.SECRETARIAT])
    expert = make_person("exp@example.org", roles=[PlatformRole.EXPERT])
    assert not person_mfa_required(expert)
    with pytest.raises(NotAllowed):
        person_role_grant(actor=expert, person=expert, role="reviewer-l2")
    assert person_platform_roles(User.objects.get(pk=expert.pk)) == {"expert"}
    assert person_role_grant(actor=secretariat, person=expert, role="reviewer-l2") is True
    assert person_role_grant(actor=secretariat, person=expert, role="reviewer-l2") is False
    assert person_platform_roles(expert) == {"expert", "reviewer-l2"}
    with pytest.raises(MfaRequired):
        person_reviewer_require(expert)
    assert person_role_revoke(actor=secretariat, person=expert, role="reviewer-l2") is True
    with pytest.raises(NotAllowed, match="Only reviewers"):
        person_reviewer_require(expert)
    grants = Activity.objects.filter(action__in=["accounts.role.grant", "accounts.role.revoke"], actor=secretariat)
    assert [row.actor_label for row in grants] == [person_pseudonym(secretariat)] * 2


def test_the_pseudonym_is_stable_and_names_nobody():
    person = make_person("ana@example.org", name="Ana")
    label = person_pseudonym(person)
    assert label == person_pseudonym(User.objects.get(pk=person.pk))
    assert label.startswith("person-") and len(label) == len("person-") + 12
    assert "ana" not in label.lower()
    assert label != person_pseudonym(make_person("bob@example.org"))


def test_exporters_added_by_other_apps_join_the_export():
    person = make_person("ana@example.org")

    @person_exporter("test_section")
    def _section(user):
        return {"id_seen": user.pk == person.pk}

    try:
        data = person_export(actor=person)
        assert data["test_section"] == {"id_seen": True}
        with pytest.raises(ValueError, match="registered twice"):
            person_exporter("test_section")(lambda user: None)
    finally:
        from dpghub.accounts import services

        services._EXPORTERS.pop("test_section")
    with pytest.raises(NotAllowed):
        from django.contrib.auth.models import AnonymousUser

        person_export(actor=AnonymousUser())


def test_delete_rewrites_labels_that_named_the_person():
    person = make_person("ana@example.org", name="Ana Lima")
    Activity.objects.create(actor=person, actor_label="ana@example.org", action="catalog.good.update")
    pseudonym = person_delete(actor=person)
    assert not User.objects.filter(email="ana@example.org").exists()
    assert set(Activity.objects.values_list("actor_label", flat=True)) == {"system:test", pseudonym,
                                                                          "system:account-deletion"}
    assert Activity.objects.get(action="accounts.person.delete").data == {"person": pseudonym}
    assert not Activity.objects.filter(actor_label__contains="ana").exists()


def test_the_file_outbox_keeps_each_message_privately_and_finds_it_by_id_prefix(outbox):
    django_mail.send_mail("Hello", "Body with https://example.org/x", "hub@example.org", ["a@example.org"])
    django_mail.send_mail("Second", "Two", "hub@example.org", ["b@example.org"])
    first, second = outbox_list()
    assert (first.subject, first.to, first.sender) == ("Hello", ["a@example.org"], "hub@example.org")
    assert [message.subject for message in outbox_list(last=1)] == ["Second"]
    assert outbox_get(first.id[:-2]).body == "Body with https://example.org/x"
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    for bad in ["", "*", "../x", second.id[:4]]:  # a shared prefix is ambiguous
        with pytest.raises(MessageNotFound):
            outbox_get(bad)


def test_cli_users_create_and_mail(outbox, monkeypatch):
    monkeypatch.setattr(django_env, "setup", lambda migrate=True: None)  # the test database is ready
    runner = CliRunner()
    result = runner.invoke(cli, ["users", "create", "--email", "rev@example.org", "--name", "Rev", "--role",
                                 "reviewer-l1", "--role", "expert"])
    assert result.exit_code == 0, result.output
    assert "created rev@example.org with role(s) expert, reviewer-l1" in result.output
    person = User.objects.get(email="rev@example.org")
    assert person_platform_roles(person) == {"reviewer-l1", "expert"}
    assert person.profile.display_name == "Rev"
    result = runner.invoke(cli, ["users", "create", "--email", "REV@example.org", "--name", "Again"])
    assert result.exit_code == 1 and "already exists" in result.output
    result = runner.invoke(cli, ["users", "create", "--email", "x@example.org", "--name", "X", "--role", "admin"])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["users", "revoke", "--email", "rev@example.org", "--role", "expert"])
    assert result.exit_code == 0 and "expert revoked" in result.output

    result = runner.invoke(cli, ["mail"])
    assert "no mail in" in result.output
    django_mail.send_mail("Verify", "Open https://hub.example/accounts/confirm-email/k/", "hub@example.org",
                          ["rev@example.org"])
    result = runner.invoke(cli, ["mail", "--last", "5"])
    (line,) = result.output.strip().splitlines()
    message_id = line.split()[0]
    assert line.endswith("rev@example.org  Verify")
    result = runner.invoke(cli, ["mail", "--show", message_id])
    assert result.exit_code == 0
    assert "Subject: Verify" in result.output and "https://hub.example/accounts/confirm-email/k/" in result.output
    result = runner.invoke(cli, ["mail", "--show", "nope"])
    assert result.exit_code == 1 and "no message 'nope'" in result.output


def test_the_export_has_memberships_tokens_and_notifications_but_no_token_secret():
    from dpghub.accounts.services import person_export
    from dpghub.common.history import Actor
    from dpghub.orgs.models import Organisation
    from dpghub.orgs.services import membership_request
    from dpghub.tokens.services import token_create

    person = make_person("ana@example.org", name="Ana Lima")
    org = Organisation.objects.create(name="Ministry of Health", slug="moh", type="government", country="KE")
    membership_request(actor=Actor.person(person), organisation=org, note="HMIS unit")
    _token, raw = token_create(actor=Actor.person(person), person=person, name="script", scope="read")
    export = person_export(actor=person)
    assert [(m["organisation"], m["status"], m["note"]) for m in export["memberships"]] == [
        ("moh", "requested", "HMIS unit")]
    assert [(t["name"], t["scope"], t["begins_with"]) for t in export["api_tokens"]] == [("script", "read", raw[:8])]
    assert raw not in repr(export)
    assert [n["kind"] for n in export["notifications"]["received"]] == ["tokens.token_created"]
