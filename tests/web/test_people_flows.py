"""People's flows end to end through the web pages: sign-up with e-mail verification (read from the file
outbox, as `dpghub mail` reads it), password reset, two-factor set-up and sign-in with a one-time code or a
recovery code, two-factor forced on reviewers, data export and account deletion."""

import json
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import get_user_model
from django.test import Client

from dpghub.accounts.enums import PlatformRole
from dpghub.accounts.selectors import person_may_act_as_reviewer
from dpghub.accounts.services import person_pseudonym
from dpghub.common.mail import outbox_list
from dpghub.common.models import Activity
from tests.people import PASSWORD, csrf, last_mail_to, mail_links, make_person, totp_code, totp_secret_on

pytestmark = pytest.mark.django_db

User = get_user_model()


def _html(response) -> str:
    return response.content.decode()


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _sign_in(client, email, password=PASSWORD):
    page = client.get("/accounts/login/")
    return client.post("/accounts/login/", {"login": email, "password": password,
                                            "csrfmiddlewaretoken": csrf(_html(page))})


def _reauthenticate(client, password=PASSWORD):
    """allauth asks for the password again before two-factor settings change, even right after signing in."""
    page = client.get("/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/")
    response = client.post("/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/",
                           {"password": password, "csrfmiddlewaretoken": csrf(_html(page))})
    assert response.status_code == 302, _html(response)


def _activate_totp(client) -> str:
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    _reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page
    html = _html(page)
    secret = totp_secret_on(html)
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code holding the secret below">',
                     html)
    assert '<label for="id_code">Code from the app</label>' in html
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret),
                                                           "csrfmiddlewaretoken": csrf(html)})
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/recovery-codes/")
    return secret


def test_sign_up_verify_the_address_from_the_outbox_then_sign_in(outbox):
    client = Client(enforce_csrf_checks=True)
    page = _html(client.get("/accounts/signup/"))
    assert '<label for="id_email">' in page and '<label for="id_name">Name</label>' in page
    assert 'id="id_username"' not in page  # people are known by their e-mail address only
    response = client.post("/accounts/signup/", {
        "csrfmiddlewaretoken": csrf(page), "email": "Zoe@Example.org", "name": "Zoé Martin",
        "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/confirm-email/")
    assert not _signed_in(client)
    person = User.objects.get(email__iexact="zoe@example.org")
    assert person.profile.display_name == "Zoé Martin"
    assert person.username and "@" not in person.username

    # the message is in the outbox, listed and shown as `dpghub mail` does
    (listed,) = outbox_list()
    assert listed.to == ["zoe@example.org"] and listed.subject.startswith("[DPG Hub] ")
    message = last_mail_to("zoe@example.org")
    (link,) = [link for link in mail_links(message) if "/accounts/confirm-email/" in link]
    assert sorted(path.stat().st_mode & 0o777 for path in outbox.iterdir()) == [0o600]

    # before verifying, signing in only re-sends the verification
    other = Client()
    response = _sign_in(other, "zoe@example.org", "a-long-pass-phrase")
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert not _signed_in(other)

    path = link.split("testserver", 1)[1]
    confirm = client.get(path)
    assert confirm.status_code == 200
    response = client.post(path, {"csrfmiddlewaretoken": csrf(_html(confirm))})
    assert response.status_code == 302
    assert person.emailaddress_set.get().verified
    assert _signed_in(client)  # the same browser that signed up is signed in

    response = _sign_in(Client(), "zoe@example.org", "a-long-pass-phrase")
    assert response.status_code == 302 and response["Location"] == "/"


def test_sign_up_refuses_a_short_password_and_an_address_already_used(outbox):
    make_person("taken@example.org")
    client = Client()
    response = client.post("/accounts/signup/", {"email": "new@example.org", "password1": "short",
                                                 "password2": "short"})
    assert response.status_code == 200
    assert "This password is too short." in _html(response)
    response = client.post("/accounts/signup/", {"email": "TAKEN@example.org", "password1": "a-long-pass-phrase",
                                                 "password2": "a-long-pass-phrase"})
    # no enumeration: the page looks like a success, the owner of the address gets a warning by e-mail
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert "already" in last_mail_to("taken@example.org").body.lower()


def test_sign_up_can_be_closed(settings):
    settings.DPGHUB_SIGNUP_OPEN = False
    response = Client().get("/accounts/signup/")
    assert "Sign Up Closed" in _html(response)
    assert not User.objects.exists()


def test_password_reset_through_the_link_in_the_mail(outbox):
    make_person("ana@example.org")
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": "ana@example.org"})
    assert response.status_code == 302
    (link,) = [link for link in mail_links(last_mail_to("ana@example.org")) if "/password/reset/key/" in link]
    response = client.get(link.split("testserver", 1)[1])
    assert response.status_code == 302  # to the same page without the key in the address
    set_password_url = response["Location"]
    response = client.post(set_password_url, {"password1": "a-brand-new-secret", "password2": "a-brand-new-secret"})
    assert response.status_code == 302
    assert _sign_in(Client(), "ana@example.org", PASSWORD).status_code == 200  # the old one no longer works
    assert _sign_in(Client(), "ana@example.org", "a-brand-new-secret").status_code == 302


def test_password_change_needs_the_current_one():
    make_person("ana@example.org")
    client = Client()
    _sign_in(client, "ana@example.org")
    response = client.post("/accounts/password/change/", {"oldpassword": "not-it", "password1": "another-long-one",
                                                           "password2": "another-long-one"})
    assert response.status_code == 200
    response = client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "another-long-one",
                                                           "password2": "another-long-one"})
    assert response.status_code == 302
    assert User.objects.get(email="ana@example.org").check_password("another-long-one")


def test_email_change_is_verified_before_it_takes_effect(outbox):
    person = make_person("ana@example.org")
    client = Client()
    _sign_in(client, "ana@example.org")
    response = client.post("/accounts/email/", {"action_add": "", "email": "ana.lima@example.net"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "ana@example.org"
    (link,) = [link for link in mail_links(last_mail_to("ana.lima@example.net")) if "/confirm-email/" in link]
    client.post(link.split("testserver", 1)[1])
    person.refresh_from_db()
    assert person.email == "ana.lima@example.net"
    assert list(person.emailaddress_set.values_list("email", flat=True)) == ["ana.lima@example.net"]


def test_two_factor_set_up_then_sign_in_with_a_one_time_code():
    make_person("ana@example.org")
    client = Client()
    assert _sign_in(client, "ana@example.org").status_code == 302
    secret = _activate_totp(client)
    codes = client.get("/accounts/2fa/recovery-codes/")
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", _html(codes), re.DOTALL).group(1)
    assert len(re.findall(r"^\d{8}$", textarea.strip(), re.MULTILINE)) == 10
    client.post("/accounts/logout/")

    client = Client()
    response = _sign_in(client, "ana@example.org")
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/authenticate/")
    assert not _signed_in(client)  # the password alone is not enough
    assert client.post("/accounts/2fa/authenticate/", {"code": "000000" if totp_code(secret) != "000000"
                                                       else "111111"}).status_code == 200
    assert not _signed_in(client)
    code = totp_code(secret)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert _signed_in(client)

    # a code works once
    again = Client()
    _sign_in(again, "ana@example.org")
    assert again.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert not _signed_in(again)


def test_a_recovery_code_signs_in_once():
    person = make_person("ana@example.org")
    client = Client()
    _sign_in(client, "ana@example.org")
    _activate_totp(client)
    client.post("/accounts/logout/")
    recovery = RecoveryCodes(Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES))
    code = recovery.get_unused_codes()[0]

    client = Client()
    _sign_in(client, "ana@example.org")
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert _signed_in(client)
    assert code not in RecoveryCodes(Authenticator.objects.get(user=person, type="recovery_codes")).get_unused_codes()
    client = Client()
    _sign_in(client, "ana@example.org")
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert not _signed_in(client)


def test_a_reviewer_is_sent_to_two_factor_set_up_before_anything_else():
    reviewer = make_person("rev@example.org", roles=[PlatformRole.REVIEWER_L1])
    assert not person_may_act_as_reviewer(reviewer)
    client = Client()
    response = _sign_in(client, "rev@example.org")
    assert response.status_code == 302
    for path in ["/", "/accounts/", "/goods/dhis2/", "/accounts/me/export.json", "/accounts/delete/"]:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/totp/activate/"), path
    assert client.get("/api/v1/goods").status_code == 200  # the API is not a page
    page = _html(client.get("/accounts/2fa/totp/activate/", follow=True))
    assert "Your role requires two-factor authentication." in page
    _activate_totp(client)
    assert client.get("/accounts/").status_code == 200
    reviewer = User.objects.get(pk=reviewer.pk)
    assert person_may_act_as_reviewer(reviewer)
    assert person_may_act_as_reviewer(reviewer, level=PlatformRole.REVIEWER_L1)
    assert not person_may_act_as_reviewer(reviewer, level=PlatformRole.REVIEWER_L2)
    # and they cannot turn it off
    response = client.post("/accounts/2fa/totp/deactivate/", {})
    assert response.status_code == 200
    assert "You cannot deactivate two-factor authentication." in _html(response)
    assert Authenticator.objects.filter(user=reviewer, type="totp").exists()


def test_a_superuser_acts_as_the_secretariat_so_is_sent_to_two_factor_set_up_too():
    superuser = make_person("root@example.org")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save(update_fields=["is_superuser", "is_staff"])
    client = Client()
    _sign_in(client, "root@example.org")
    for path in ["/", "/activity/", "/accounts/"]:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/totp/activate/"), path
    _activate_totp(client)
    assert client.get("/activity/").status_code == 200
    response = client.post("/accounts/2fa/totp/deactivate/", {})
    assert "You cannot deactivate two-factor authentication." in _html(response)


def test_people_without_such_a_role_are_offered_two_factor_but_not_forced():
    make_person("ana@example.org", roles=[PlatformRole.EXPERT])
    client = Client()
    _sign_in(client, "ana@example.org")
    response = client.get("/accounts/")
    assert response.status_code == 200
    html = _html(response)
    assert '<a href="/accounts/2fa/">Two-factor authentication and recovery codes</a>' in html
    assert "<dt>Two-factor authentication</dt><dd>Off</dd>" in html
    assert "<dt>Platform roles</dt><dd>Expert</dd>" in html
    for link in ["/accounts/email/", "/accounts/password/change/", "/accounts/me/export.json", "/accounts/delete/"]:
        assert f'href="{link}"' in html


def test_account_pages_need_a_signed_in_person():
    client = Client()
    for path in ["/accounts/", "/accounts/me/export.json", "/accounts/delete/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), path


def test_the_export_holds_everything_about_the_person_and_nothing_secret():
    person = make_person("ana@example.org", name="Ana Lima", roles=[PlatformRole.EXPERT])
    other = make_person("bob@example.org", name="Bob")
    client = Client()
    _sign_in(client, "ana@example.org")
    _activate_totp(client)
    Activity.objects.create(actor=person, actor_label=person_pseudonym(person), action="catalog.good.update")
    Activity.objects.create(actor=other, actor_label=person_pseudonym(other), action="catalog.good.delete")
    response = client.get("/accounts/me/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="dpghub-my-data.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == 1
    assert list(data) == ["format", "exported_at", "account", "profile", "email_addresses", "platform_roles",
                          "two_factor", "activity", "memberships", "api_tokens", "notifications", "following"]
    assert data["account"]["email"] == "ana@example.org"
    assert data["account"]["pseudonym"] == person_pseudonym(person)
    assert data["profile"]["display_name"] == "Ana Lima"
    assert data["email_addresses"] == [{"email": "ana@example.org", "primary": True, "verified": True}]
    assert [row["role"] for row in data["platform_roles"]] == ["expert"]
    assert sorted(row["type"] for row in data["two_factor"]) == ["recovery_codes", "totp"]
    actions = [row["action"] for row in data["activity"]]
    assert "catalog.good.update" in actions and "catalog.good.delete" not in actions
    text = response.content.decode()
    secret = Authenticator.objects.get(user=person, type="totp").data["secret"]
    assert secret not in text
    assert "bob@example.org" not in text
    assert len(data["activity"]) == Activity.objects.filter(actor=person).count()
    assert Activity.objects.filter(actor=other).exists()  # someone else's rows exist, and are not exported
    assert PASSWORD not in text and person.password not in text


def test_deleting_the_account_needs_the_password_and_leaves_only_a_pseudonym_in_history():
    person = make_person("ana@example.org", name="Ana Lima", roles=[PlatformRole.EXPERT])
    pseudonym = person_pseudonym(person)
    client = Client(enforce_csrf_checks=True)
    _sign_in(client, "ana@example.org")
    _activate_totp(client)
    Activity.objects.create(actor=person, actor_label="Ana Lima <ana@example.org>", action="catalog.good.update")
    page = _html(client.get("/accounts/delete/"))
    assert '<label for="id_password">Your password</label>' in page
    response = client.post("/accounts/delete/", {"csrfmiddlewaretoken": csrf(page), "password": "wrong",
                                                 "confirm": "on"})
    assert response.status_code == 400
    assert "This is not your password." in _html(response)
    response = client.post("/accounts/delete/", {"csrfmiddlewaretoken": csrf(page), "password": PASSWORD})
    assert response.status_code == 400  # the box must be ticked
    assert User.objects.filter(pk=person.pk).exists()

    response = client.post("/accounts/delete/", {"csrfmiddlewaretoken": csrf(page), "password": PASSWORD,
                                                 "confirm": "on"}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Your account and your personal data have been deleted." in _html(response)
    assert not _signed_in(client)
    assert not User.objects.filter(email__iexact="ana@example.org").exists()
    assert not Authenticator.objects.filter(user_id=person.pk).exists()
    rows = list(Activity.objects.all())
    assert rows and all(row.actor_id is None for row in rows)
    assert {row.actor_label for row in rows if not row.actor_label.startswith("system:")} == {pseudonym}
    dump = json.dumps([[row.actor_label, row.data] for row in rows])
    assert "ana@example.org" not in dump and "Ana Lima" not in dump
    deletion = Activity.objects.get(action="accounts.person.delete")
    assert (deletion.actor_label, deletion.data) == ("system:account-deletion", {"person": pseudonym})
    assert _sign_in(Client(), "ana@example.org").status_code == 200  # no such account any more
